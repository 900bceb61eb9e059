"""Scheduled development work: the daily signal run, planning check-ins from cadences, and
the weekly digest. Every task is idempotent (SPEC §1: scheduled work from one scheduler)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Count, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from saleshelm.core.scheduler import daily, register, weekly
from saleshelm.development.models import (
    ActionItem,
    ActionItemStatus,
    CheckIn,
    CheckInStatus,
    DevelopmentGoal,
    DigestDelivery,
    Feedback,
    GoalStatus,
    PlanStatus,
    Signal,
    SignalStatus,
)
from saleshelm.development.services.common import org_today
from saleshelm.tenancy.models import Membership, Organisation

log = logging.getLogger("saleshelm.development")

DIGEST_TOP = 5


@task()
def signals_evaluate_all() -> dict[str, Any]:
    """Evaluate every organisation's signal rules (daily)."""
    from saleshelm.development.services.signals import signals_evaluate
    from saleshelm.tenancy.actors import SystemActor

    out = {}
    for org in Organisation.objects.order_by("pk"):
        result = signals_evaluate(actor=SystemActor(org, label="scheduler"), today=org_today(org))
        out[org.slug] = result.as_dict()
        # Counts only: signal details name deals, which are business data, not for logs.
        log.info(
            "signals org=%s raised=%d resolved=%d escalated=%d open=%d in %.2fs",
            org.pk,
            result.raised,
            result.resolved,
            result.escalated,
            result.open_signals,
            result.elapsed,
        )
    return out


@task()
def check_ins_plan_all() -> int:
    """Plan the check-ins of cadences due in the coming week (daily)."""
    from saleshelm.development.services.checkins import check_ins_plan_due

    total = 0
    for org in Organisation.objects.order_by("pk"):
        total += check_ins_plan_due(organisation_id=org.pk, today=org_today(org))
    return total


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def digest_content(*, organisation: Organisation, today: dt.date) -> dict[int, dict[str, Any]]:
    """What each member's weekly digest says, from one aggregate query per kind of item.

    Only counts, dates, rule names and deal names: never a feedback body or a note.
    """
    org = organisation.pk
    week_ago = today - dt.timedelta(days=7)
    content: dict[int, dict[str, Any]] = defaultdict(
        lambda: {
            "signals": [],
            "signal_count": 0,
            "team_signals": 0,
            "feedback": 0,
            "next_check_in": None,
            "action_items": 0,
            "overdue_items": 0,
            "goals_due": 0,
        }
    )
    own = list(
        Signal.objects.filter(organisation_id=org, status=SignalStatus.OPEN)
        .order_by("subject_id", "-raised_at")
        .values_list("subject_id", "rule", "detail")
    )
    from saleshelm.development.models import SignalRule

    labels = dict(SignalRule.choices)
    for subject_id, rule, detail in own:
        c = content[subject_id]
        c["signal_count"] += 1
        if len(c["signals"]) < DIGEST_TOP:
            c["signals"].append(
                {"rule": rule, "label": labels.get(rule, rule), "name": detail.get("name", "")}
            )
    for manager_id, n in (
        Signal.objects.filter(
            organisation_id=org,
            status=SignalStatus.OPEN,
            escalated_at__isnull=False,
            escalated_to__isnull=False,
        )
        .values_list("escalated_to_id")
        .annotate(n=Count("pk"))
    ):
        content[manager_id]["team_signals"] = n
    for subject_id, n in (
        Feedback.objects.filter(organisation_id=org, created_at__date__gte=week_ago)
        .values_list("subject_id")
        .annotate(n=Count("pk"))
    ):
        content[subject_id]["feedback"] = n
    for member_id, day in (
        CheckIn.objects.filter(
            organisation_id=org, status=CheckInStatus.PLANNED, scheduled_for__gte=today
        )
        .values_list("member_id")
        .annotate(day=Min("scheduled_for"))
    ):
        content[member_id]["next_check_in"] = day
    for owner_id, n, overdue in (
        ActionItem.objects.filter(organisation_id=org, status=ActionItemStatus.OPEN)
        .values_list("owner_id")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    ):
        content[owner_id]["action_items"] = n
        content[owner_id]["overdue_items"] = overdue
    for member_id, n in (
        DevelopmentGoal.objects.filter(
            organisation_id=org,
            status=GoalStatus.OPEN,
            plan__status=PlanStatus.ACTIVE,
            due_date__lte=today + dt.timedelta(days=14),
        )
        .values_list("plan__member_id")
        .annotate(n=Count("pk"))
    ):
        content[member_id]["goals_due"] = n
    return {
        k: v
        for k, v in content.items()
        if v["signal_count"]
        or v["team_signals"]
        or v["feedback"]
        or v["next_check_in"]
        or v["action_items"]
        or v["goals_due"]
    }


def digest_send(*, organisation: Organisation, today: dt.date) -> int:
    """Send this week's digest to every member with something in it, once per week."""
    week = _week_start(today)
    content = digest_content(organisation=organisation, today=today)
    already = set(
        DigestDelivery.objects.filter(organisation=organisation, week_start=week).values_list(
            "membership_id", flat=True
        )
    )
    recipients = list(
        Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            pk__in=[k for k in content if k not in already],
        ).select_related("user")
    )
    if not recipients:
        return 0
    messages = []
    for m in recipients:
        language = m.user.language or organisation.locale or settings.LANGUAGE_CODE
        with translation.override(language):
            context = {"member": m, "organisation": organisation, "week": week, **content[m.pk]}
            subject = render_to_string("development/email/digest_subject.txt", context).strip()
            body = render_to_string("development/email/digest.txt", context)
        messages.append(mail.EmailMessage(subject=subject, body=body, to=[m.user.email]))
    now = timezone.now()
    with transaction.atomic():
        DigestDelivery.objects.bulk_create(
            [
                DigestDelivery(
                    organisation=organisation, membership=m, week_start=week, sent_at=now
                )
                for m in recipients
            ],
            ignore_conflicts=True,
        )
        with mail.get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    return sent


@task()
def weekly_digest_send() -> int:
    total = 0
    for org in Organisation.objects.order_by("pk"):
        sent = digest_send(organisation=org, today=org_today(org))
        log.info("weekly digest org=%s sent=%d", org.pk, sent)
        total += sent
    return total


register("development.daily_signals", signals_evaluate_all, daily("05:30"))
register("development.plan_check_ins", check_ins_plan_all, daily("05:40"))
register("development.weekly_digest", weekly_digest_send, weekly("mon", "07:00"))

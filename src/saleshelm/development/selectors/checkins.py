"""Reads of check-ins, their action items and the live agenda (SPEC §8).

The agenda is built when it is read, from live data — never stored: results and pacing
(performance), the member's open signals, deals stalled or without a next step (crm),
commitments (from registered agenda sources, e.g. the incentives app), development goals,
recent feedback and the action items carried forward. Every part is read *as the actor*,
so private feedback to the member never shows in their manager's preparation.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from saleshelm.core.errors import NotFound
from saleshelm.crm.models import Opportunity, StageKind
from saleshelm.crm.selectors.scope import opportunity_q
from saleshelm.development import performance_link, providers
from saleshelm.development.models import (
    ActionItem,
    ActionItemStatus,
    CheckIn,
    CheckInCadence,
    CheckInStatus,
    DevelopmentGoal,
    GoalStatus,
    PlanStatus,
    Signal,
    SignalStatus,
)
from saleshelm.development.permissions import coaching_q, require_coaching_reader, signal_q
from saleshelm.development.selectors.feedback import feedback_qs
from saleshelm.development.signals_engine import settings_for
from saleshelm.tenancy.actors import Actor

AGENDA_LIMIT = 8
log = logging.getLogger("saleshelm.development")


def check_in_qs(*, actor: Actor) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(organisation_id=actor.organisation_id)
        .filter(coaching_q(actor))
        .select_related("manager__user", "member__user", "member__profile__team")
    )


def check_in_list(
    *,
    actor: Actor,
    member_id: int | None = None,
    status: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[CheckIn]:
    require_coaching_reader(actor)
    qs = check_in_qs(actor=actor)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    if status:
        qs = qs.filter(status=status)
    if date_from is not None:
        qs = qs.filter(scheduled_for__gte=date_from)
    if date_to is not None:
        qs = qs.filter(scheduled_for__lte=date_to)
    return qs.order_by("-scheduled_for", "-pk")


def access_check_in(*, actor: Actor, id: int) -> CheckIn:
    obj = check_in_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Check-in")
    require_coaching_reader(actor)
    return obj


def action_items_of(*, check_in: CheckIn) -> tuple[list[ActionItem], list[ActionItem]]:
    """(raised in this check-in, carried into it from earlier ones)."""
    items = list(
        ActionItem.objects.filter(
            Q(raised_in=check_in) | Q(carried_to=check_in), organisation_id=check_in.organisation_id
        )
        .select_related("owner__user", "raised_in")
        .order_by("status", "due_date", "pk")
    )
    raised = [i for i in items if i.raised_in_id == check_in.pk]
    carried = [i for i in items if i.raised_in_id != check_in.pk]
    return raised, carried


def access_action_item(*, actor: Actor, id: int) -> ActionItem:
    visible = check_in_qs(actor=actor).values("pk")
    obj = (
        ActionItem.objects.filter(organisation_id=actor.organisation_id, pk=id)
        .filter(raised_in__in=visible)
        .select_related("raised_in__member", "raised_in__manager", "owner__user")
        .first()
    )
    if obj is None:
        raise NotFound("Action item")
    require_coaching_reader(actor)
    return obj


def cadence_list(*, actor: Actor) -> QuerySet[CheckInCadence]:
    require_coaching_reader(actor)
    return (
        CheckInCadence.objects.filter(organisation_id=actor.organisation_id)
        .filter(coaching_q(actor))
        .select_related("manager__user", "member__user")
        .order_by("next_on", "pk")
    )


def next_check_in(*, actor: Actor, member_id: int) -> CheckIn | None:
    return (
        check_in_qs(actor=actor)
        .filter(member_id=member_id, status=CheckInStatus.PLANNED)
        .order_by("scheduled_for", "pk")
        .first()
    )


# --- the live agenda ---------------------------------------------------------------------


@dataclass
class AgendaEntry:
    title: str
    detail: str = ""
    url: str = ""
    due: dt.date | None = None
    overdue: bool = False
    tone: str = ""  # "", "warning", "danger", "success"
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class AgendaSection:
    key: str
    title: Any
    entries: list[AgendaEntry] = field(default_factory=list)
    total: int = 0
    empty: Any = ""
    available: bool = True

    @property
    def more(self) -> int:
        return max(self.total - len(self.entries), 0)


def _since_last(check_in: CheckIn) -> dt.date:
    previous = (
        CheckIn.objects.filter(
            organisation_id=check_in.organisation_id,
            manager_id=check_in.manager_id,
            member_id=check_in.member_id,
            status=CheckInStatus.DONE,
            scheduled_for__lt=check_in.scheduled_for,
        )
        .order_by("-scheduled_for")
        .values_list("scheduled_for", flat=True)
        .first()
    )
    return previous or check_in.scheduled_for - dt.timedelta(days=30)


def _opportunity_url(pk: int) -> str:
    try:
        return reverse("crm:opportunity", kwargs={"pk": pk})
    except Exception:  # the crm pages may not exist yet
        return ""


def check_in_agenda(*, actor: Actor, check_in: CheckIn, today: dt.date) -> list[AgendaSection]:
    member = check_in.member
    settings = settings_for(check_in.organisation_id)
    sections: list[AgendaSection] = []

    results = performance_link.member_results(actor=actor, member=member, today=today)
    if results is not None:
        sections.append(
            AgendaSection(
                key="results",
                title=_("Results and pacing"),
                entries=[AgendaEntry(**entry) for entry in results],
                total=len(results),
                empty=_("No target set for this period."),
            )
        )

    signals = list(
        Signal.objects.filter(
            organisation_id=check_in.organisation_id,
            subject_id=member.pk,
            status=SignalStatus.OPEN,
        )
        .filter(signal_q(actor))
        .order_by("-raised_at")[: AGENDA_LIMIT * 2]
    )
    sections.append(
        AgendaSection(
            key="signals",
            title=_("Open signals"),
            entries=[
                AgendaEntry(
                    title=str(s.get_rule_display()),
                    detail=s.detail.get("name", ""),
                    url=reverse("development:signal", kwargs={"pk": s.pk}),
                    tone="warning",
                    data={"signal": s},
                )
                for s in signals[:AGENDA_LIMIT]
            ],
            total=len(signals),
            empty=_("No open signals."),
        )
    )

    deals = (
        Opportunity.objects.filter(
            organisation_id=check_in.organisation_id, owner_id=member.pk, stage__kind=StageKind.OPEN
        )
        .filter(opportunity_q(actor))
        .select_related("stage", "account")
    )
    stalled_since = dt.datetime.combine(
        today - dt.timedelta(days=settings.stalled_days), dt.time.min, tzinfo=dt.UTC
    )
    stalled = deals.filter(stage_entered_at__lt=stalled_since).order_by("stage_entered_at")
    sections.append(
        AgendaSection(
            key="stalled",
            title=_("Stalled deals"),
            entries=[
                AgendaEntry(
                    title=d.name,
                    detail=d.stage.name,
                    url=_opportunity_url(d.pk),
                    due=d.stage_entered_at.date(),
                    tone="warning",
                    data={"deal": d},
                )
                for d in stalled[:AGENDA_LIMIT]
            ],
            total=stalled.count(),
            empty=_("No deal has been stuck in its stage for long."),
        )
    )
    no_step = deals.filter(Q(next_step="") | Q(next_step_date__lt=today)).order_by("close_date")
    sections.append(
        AgendaSection(
            key="no_next_step",
            title=_("Deals without a next step"),
            entries=[
                AgendaEntry(
                    title=d.name,
                    detail=d.next_step or "",
                    url=_opportunity_url(d.pk),
                    due=d.next_step_date,
                    overdue=bool(d.next_step_date and d.next_step_date < today),
                    data={"deal": d},
                )
                for d in no_step[:AGENDA_LIMIT]
            ],
            total=no_step.count(),
            empty=_("Every open deal has a next step."),
        )
    )

    for source in providers.agenda_sources():
        try:
            # A plugged-in source that breaks must not take the whole check-in down.
            with transaction.atomic():
                items = source.items(actor=actor, member=member, today=today)
        except Exception:
            log.exception("agenda source %s failed", source.key)
            sections.append(
                AgendaSection(
                    key=source.key,
                    title=source.title,
                    empty=_("This part of the agenda could not be loaded just now."),
                    available=False,
                )
            )
            continue
        sections.append(
            AgendaSection(
                key=source.key,
                title=source.title,
                entries=[
                    AgendaEntry(
                        title=i.title,
                        detail=i.detail,
                        url=i.url,
                        due=i.due,
                        overdue=i.overdue,
                        tone="danger" if i.overdue else "",
                    )
                    for i in items[:AGENDA_LIMIT]
                ],
                total=len(items),
                empty=_("Nothing to review."),
            )
        )

    goals = DevelopmentGoal.objects.filter(
        organisation_id=check_in.organisation_id,
        plan__member_id=member.pk,
        plan__status=PlanStatus.ACTIVE,
        status=GoalStatus.OPEN,
    ).select_related("competency", "plan")
    goals = goals.filter(plan__in=_visible_plans(actor)).order_by("due_date", "pk")
    sections.append(
        AgendaSection(
            key="goals",
            title=_("Development goals"),
            entries=[
                AgendaEntry(
                    title=g.title,
                    detail=g.competency.name if g.competency else "",
                    url=reverse("development:plan", kwargs={"pk": g.plan_id}),
                    due=g.due_date,
                    overdue=bool(g.due_date and g.due_date < today),
                    data={"progress": g.progress},
                )
                for g in goals[:AGENDA_LIMIT]
            ],
            total=goals.count(),
            empty=_("No open development goals."),
        )
    )

    since = _since_last(check_in)
    recent = feedback_qs(actor=actor).filter(subject_id=member.pk, created_at__date__gte=since)
    sections.append(
        AgendaSection(
            key="feedback",
            title=_("Feedback since the last check-in"),
            entries=[
                AgendaEntry(
                    title=str(f.get_kind_display()),
                    detail=f.author.user.get_full_name(),
                    url=reverse("development:feedback", kwargs={"pk": f.pk}),
                    due=f.created_at.date(),
                    tone="success" if f.kind == "praise" else "",
                    data={"feedback": f},
                )
                for f in recent.order_by("-created_at")[:AGENDA_LIMIT]
            ],
            total=recent.count(),
            empty=_("No feedback since the last check-in."),
        )
    )
    return sections


def _visible_plans(actor: Actor):
    from saleshelm.development.models import DevelopmentPlan

    return (
        DevelopmentPlan.objects.filter(organisation_id=actor.organisation_id)
        .filter(coaching_q(actor, lead=None))
        .values("pk")
    )


def open_action_items(*, actor: Actor, owner_id: int | None = None) -> QuerySet[ActionItem]:
    visible = check_in_qs(actor=actor).values("pk")
    qs = ActionItem.objects.filter(
        organisation_id=actor.organisation_id, status=ActionItemStatus.OPEN, raised_in__in=visible
    ).select_related("raised_in", "owner__user")
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return qs.order_by("due_date", "pk")

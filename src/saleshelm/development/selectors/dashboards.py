"""The three development pages: "my development", "my team's development" (the coaching
queue) and the director's overview. Each answers from a fixed number of queries, whatever
the number of members (counts are SQL aggregates, never loops of queries)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from saleshelm.development.models import (
    ActionItem,
    ActionItemStatus,
    Assessment,
    AssessmentStatus,
    CheckIn,
    CheckInStatus,
    CoachingSession,
    DevelopmentGoal,
    Feedback,
    FeedbackRequestStatus,
    GoalStatus,
    PlanStatus,
    Signal,
    SignalRule,
    SignalStatus,
    Visibility,
)
from saleshelm.development.selectors.assessments import latest_assessment, rating_rows
from saleshelm.development.selectors.checkins import next_check_in, open_action_items
from saleshelm.development.selectors.coaching import active_plan, coaching_session_list
from saleshelm.development.selectors.feedback import feedback_list, feedback_request_list
from saleshelm.development.selectors.signals import signal_list
from saleshelm.people.models import Team
from saleshelm.people.selectors import visible_members_q
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.roles import Role

RECENT_DAYS = 30


@dataclass
class MyDevelopment:
    signals: list[Signal]
    feedback: list[Feedback]
    requests: list[Any]
    assessment: Assessment | None
    rows: list[Any]
    pending_assessments: list[Assessment]
    plan: Any
    next_check_in: CheckIn | None
    action_items: list[ActionItem]
    coaching: list[CoachingSession]


def my_development(*, actor: Actor) -> MyDevelopment:
    member = cast(Membership, actor)  # a person's own page: the actor is a member
    assessment = latest_assessment(actor=actor, member=member)
    return MyDevelopment(
        signals=list(signal_list(actor=actor, mine=True)[:20]),
        feedback=list(feedback_list(actor=actor, direction="received")[:6]),
        requests=list(
            feedback_request_list(actor=actor, status=FeedbackRequestStatus.OPEN, to_me=True)[:5]
        ),
        assessment=assessment,
        rows=rating_rows(actor=actor, assessment=assessment) if assessment else [],
        pending_assessments=list(
            Assessment.objects.filter(
                organisation_id=actor.organisation_id,
                subject_id=member.pk,
                status=AssessmentStatus.SELF_PENDING,
            ).select_related("cycle")
        ),
        plan=active_plan(actor=actor, member_id=member.pk),
        next_check_in=next_check_in(actor=actor, member_id=member.pk),
        action_items=list(open_action_items(actor=actor, owner_id=member.pk)[:10]),
        coaching=list(coaching_session_list(actor=actor, member_id=member.pk)[:3]),
    )


def _team_members(actor: Actor):
    qs = Membership.objects.filter(
        organisation_id=actor.organisation_id,
        is_active=True,
        role__in=[Role.REP, Role.MANAGER],
    ).filter(visible_members_q(actor=actor))
    if actor.pk is not None:
        qs = qs.exclude(pk=actor.pk)
    return qs


def coaching_queue(*, actor: Actor, today: dt.date) -> list[Membership]:
    """The members the actor coaches, most in need first: escalated open signals, then
    how long since the last check-in. Every figure is an annotation: one query."""
    signals = Signal.objects.filter(
        organisation_id=actor.organisation_id,
        subject_id=OuterRef("pk"),
        status=SignalStatus.OPEN,
        escalated_at__isnull=False,
    )
    last_done = CheckIn.objects.filter(member_id=OuterRef("pk"), status=CheckInStatus.DONE)
    planned = CheckIn.objects.filter(member_id=OuterRef("pk"), status=CheckInStatus.PLANNED)
    waiting = Assessment.objects.filter(
        subject_id=OuterRef("pk"), status=AssessmentStatus.MANAGER_PENDING
    )
    goals = DevelopmentGoal.objects.filter(
        plan__member_id=OuterRef("pk"), plan__status=PlanStatus.ACTIVE, status=GoalStatus.OPEN
    )
    overdue_items = ActionItem.objects.filter(
        raised_in__member_id=OuterRef("pk"), status=ActionItemStatus.OPEN, due_date__lt=today
    )

    def count_of(qs):
        return Coalesce(
            Subquery(
                qs.order_by().values("organisation_id").annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    return list(
        _team_members(actor)
        .select_related("user", "profile__team")
        .annotate(
            open_signals=count_of(signals),
            last_check_in=Subquery(
                last_done.order_by("-scheduled_for").values("scheduled_for")[:1]
            ),
            next_check_in=Subquery(planned.order_by("scheduled_for").values("scheduled_for")[:1]),
            next_check_in_id=Subquery(planned.order_by("scheduled_for").values("pk")[:1]),
            assessments_waiting=count_of(waiting),
            open_goals=count_of(goals),
            overdue_items=count_of(overdue_items),
        )
        .order_by(
            "-open_signals",
            Coalesce("last_check_in", Value(dt.date(1970, 1, 1))),
            "user__full_name",
        )
    )


@dataclass
class TeamRow:
    team: Team
    members: int = 0
    signals: dict[str, int] = field(default_factory=dict)
    open_signals: int = 0
    check_ins_done: int = 0
    without_check_in: int = 0
    assessments_total: int = 0
    assessments_completed: int = 0
    coaching_sessions: int = 0
    shared_feedback: int = 0

    @property
    def completion(self) -> int | None:
        if not self.assessments_total:
            return None
        return round(100 * self.assessments_completed / self.assessments_total)


def director_overview(*, actor: Actor, today: dt.date) -> dict[str, Any]:
    """Per team (members' own team, not rolled up): escalated signals by rule, check-ins done
    and members without one in 30 days, assessment completion, coaching sessions and shared
    feedback in 30 days. Private feedback is not even counted."""
    since = today - dt.timedelta(days=RECENT_DAYS)
    org = actor.organisation_id
    teams = {
        t.pk: TeamRow(team=t) for t in Team.objects.filter(organisation_id=org).order_by("path")
    }
    members = Membership.objects.filter(
        organisation_id=org, is_active=True, role__in=[Role.REP, Role.MANAGER]
    )
    for team_id, n in members.values_list("profile__team_id").annotate(n=Count("pk")):
        if team_id in teams:
            teams[team_id].members = n
    for team_id, rule, n in (
        Signal.objects.filter(
            organisation_id=org, status=SignalStatus.OPEN, escalated_at__isnull=False
        )
        .values_list("subject__profile__team_id", "rule")
        .annotate(n=Count("pk"))
    ):
        if team_id in teams:
            teams[team_id].signals[rule] = n
            teams[team_id].open_signals += n
    done = CheckIn.objects.filter(
        organisation_id=org, status=CheckInStatus.DONE, scheduled_for__gte=since
    )
    for team_id, n in done.values_list("member__profile__team_id").annotate(n=Count("pk")):
        if team_id in teams:
            teams[team_id].check_ins_done = n
    without = members.exclude(pk__in=done.values("member_id"))
    for team_id, n in without.values_list("profile__team_id").annotate(n=Count("pk")):
        if team_id in teams:
            teams[team_id].without_check_in = n
    latest_cycle = Assessment.objects.filter(organisation_id=org).aggregate(c=Max("cycle_id"))["c"]
    if latest_cycle:
        for team_id, total, completed in (
            Assessment.objects.filter(cycle_id=latest_cycle)
            .values_list("subject__profile__team_id")
            .annotate(
                total=Count("pk"),
                completed_n=Count("pk", filter=Q(status=AssessmentStatus.COMPLETED)),
            )
        ):
            if team_id in teams:
                teams[team_id].assessments_total = total
                teams[team_id].assessments_completed = completed
    for team_id, n in (
        CoachingSession.objects.filter(organisation_id=org, held_on__gte=since)
        .values_list("member__profile__team_id")
        .annotate(n=Count("pk"))
    ):
        if team_id in teams:
            teams[team_id].coaching_sessions = n
    for team_id, n in (
        Feedback.objects.filter(
            organisation_id=org, visibility=Visibility.SHARED, created_at__date__gte=since
        )
        .values_list("subject__profile__team_id")
        .annotate(n=Count("pk"))
    ):
        if team_id in teams:
            teams[team_id].shared_feedback = n
    rows = [r for r in teams.values() if r.members]
    by_rule = {rule: sum(r.signals.get(rule, 0) for r in rows) for rule in SignalRule.values}
    totals = {
        "members": sum(r.members for r in rows),
        "open_signals": sum(r.open_signals for r in rows),
        "check_ins_done": sum(r.check_ins_done for r in rows),
        "without_check_in": sum(r.without_check_in for r in rows),
        "coaching_sessions": sum(r.coaching_sessions for r in rows),
        "assessments_total": sum(r.assessments_total for r in rows),
        "assessments_completed": sum(r.assessments_completed for r in rows),
    }
    first_cycle_day = (
        Assessment.objects.filter(cycle_id=latest_cycle).aggregate(d=Min("cycle__opens_on"))["d"]
        if latest_cycle
        else None
    )
    return {
        "rows": rows,
        "by_rule": by_rule,
        "totals": totals,
        "latest_cycle_opened": first_cycle_day,
        "since": since,
    }

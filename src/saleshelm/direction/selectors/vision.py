"""Reads of the vision, goals, key results, check-ins and goal links.

The vision and the goal tree are open to every member of the organisation. Goal links are
read through the deal they link: a link is seen by whoever sees its opportunity."""

from __future__ import annotations

from django.db.models import OuterRef, Q, QuerySet, Subquery

from saleshelm.core.errors import NotFound
from saleshelm.crm.selectors.deals import opportunity_qs
from saleshelm.direction.models import Goal, GoalLink, KeyResult, KeyResultCheckIn, Vision
from saleshelm.tenancy.actors import Actor


def vision_get(*, actor: Actor) -> Vision | None:
    return Vision.objects.filter(organisation_id=actor.organisation_id).first()


def goal_qs(*, actor: Actor) -> QuerySet[Goal]:
    return Goal.objects.filter(organisation_id=actor.organisation_id).select_related(
        "owner__user", "team", "parent"
    )


def goal_list(
    *,
    actor: Actor,
    level: str | None = None,
    period: str | None = None,
    parent_id: int | None = None,
    owner_id: int | None = None,
    team_id: int | None = None,
    status: str | None = None,
) -> QuerySet[Goal]:
    qs = goal_qs(actor=actor)
    if level:
        qs = qs.filter(level=level)
    if period:
        qs = qs.filter(period=period)
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("period_start", "position", "pk")


def access_goal(*, actor: Actor, id: int, for_update: bool = False) -> Goal:
    qs = goal_qs(actor=actor)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    goal = qs.filter(pk=id).first()
    if goal is None:
        raise NotFound("Goal")
    return goal


def with_latest_check_in(qs: QuerySet[KeyResult]) -> QuerySet[KeyResult]:
    """Annotate each key result with its latest check-in (value and date) in the same query."""
    latest = KeyResultCheckIn.objects.filter(key_result=OuterRef("pk")).order_by("-date", "-pk")
    return qs.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
    )


def key_result_qs(*, actor: Actor) -> QuerySet[KeyResult]:
    return with_latest_check_in(
        KeyResult.objects.filter(organisation_id=actor.organisation_id).select_related(
            "goal__owner__user", "goal__team", "scope_team", "scope_member__user"
        )
    )


def access_key_result(*, actor: Actor, id: int) -> KeyResult:
    kr = key_result_qs(actor=actor).filter(pk=id).first()
    if kr is None:
        raise NotFound("Key result")
    return kr


def check_in_list(*, actor: Actor, key_result: KeyResult) -> QuerySet[KeyResultCheckIn]:
    return KeyResultCheckIn.objects.filter(
        organisation_id=actor.organisation_id, key_result=key_result
    ).select_related("author__user")


def goal_link_list(
    *, actor: Actor, goal_id: int | None = None, kind: str | None = None
) -> QuerySet[GoalLink]:
    """Links of the deals and the targets the actor sees; ``kind``: opportunity or target."""
    from saleshelm.performance.selectors.targets import target_list

    deals = opportunity_qs(actor=actor).order_by()
    targets = target_list(actor=actor).order_by()
    visible = Q(opportunity_id__in=deals.values("pk")) | Q(target_id__in=targets.values("pk"))
    qs = (
        GoalLink.objects.filter(organisation_id=actor.organisation_id)
        .filter(visible)
        .select_related(
            "goal",
            "opportunity__owner__user",
            "opportunity__stage",
            "target__member__user",
            "target__team",
            "target__territory",
        )
    )
    if kind == "opportunity":
        qs = qs.filter(opportunity__isnull=False)
    elif kind == "target":
        qs = qs.filter(target__isnull=False)
    if goal_id is not None:
        qs = qs.filter(goal_id=goal_id)
    return qs.order_by("goal_id", "pk")


def access_goal_link(*, actor: Actor, id: int, kind: str | None = None) -> GoalLink:
    link = goal_link_list(actor=actor, kind=kind).filter(pk=id).first()
    if link is None:
        raise NotFound("Goal link")
    return link


def linkable_targets(*, actor: Actor, goal: Goal) -> list:
    """Targets the actor may say serve this goal: those overlapping the goal's period that
    the actor sees (performance's ``target_list``) and may set (performance's rule), less
    those already serving it; by period, then metric. A target serving another goal is
    offered too: linking it moves it."""
    from saleshelm.core.periods import Period
    from saleshelm.direction.permissions import can_link_target, can_link_targets
    from saleshelm.performance.selectors.targets import target_list

    if not can_link_targets(actor=actor):
        return []
    period = Period(goal.period_start, goal.period_end, goal.period, "goal")
    qs = (
        target_list(actor=actor, period=period)
        .exclude(goal_link__goal=goal)
        .select_related("goal_link__goal")
    )
    targets = [t for t in qs if can_link_target(actor=actor, target=t)]
    targets.sort(key=lambda t: (t.start, t.end, t.period_key, t.metric, t.assignee_type, t.pk))
    return targets

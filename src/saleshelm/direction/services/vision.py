"""Writes of the vision, the goal tree, key results, check-ins and goal links."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError
from saleshelm.direction.models import (
    LEVEL_ORDER,
    Goal,
    GoalLevel,
    GoalLink,
    GoalStatus,
    KeyResult,
    KeyResultCheckIn,
    KeyResultScope,
    KeyResultSource,
    Vision,
)
from saleshelm.direction.permissions import require_check_in, require_editor, require_work_deal
from saleshelm.direction.selectors import metrics
from saleshelm.direction.services.common import (
    clean_decimal,
    clean_text,
    require_text,
    resolve_period,
    same_org,
    save_validated,
    snapshot,
)
from saleshelm.people.models import Team
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record

UNSET: Any = object()
MAX_WEIGHT = Decimal(1000)

VISION_FIELDS = ("statement", "horizon", "at_risk_threshold")
GOAL_FIELDS = (
    "title",
    "description",
    "level",
    "parent",
    "owner",
    "team",
    "period",
    "weight",
    "status",
    "position",
)
KR_FIELDS = (
    "name",
    "source",
    "metric",
    "period",
    "scope",
    "scope_team",
    "scope_member",
    "start_value",
    "target_value",
    "unit",
    "weight",
    "position",
)


# -- vision -------------------------------------------------------------------------------


@transaction.atomic
def vision_save(
    *,
    actor: Actor,
    statement: str = UNSET,
    horizon: int | None = UNSET,
    at_risk_threshold: Decimal | None = UNSET,
) -> Vision:
    """Create or change the organisation's one vision."""
    require_editor(actor)
    vision, created = Vision.objects.select_for_update().get_or_create(
        organisation_id=actor.organisation_id
    )
    before = None if created else snapshot(vision, VISION_FIELDS)
    if statement is not UNSET:
        vision.statement = clean_text(statement, "statement", max_length=2000)
    if horizon is not UNSET:
        if horizon is not None and not (2000 <= int(horizon) <= 2100):
            raise ApplicationError("horizon must be a year such as 2030", field="horizon")
        vision.horizon = horizon
    if at_risk_threshold is not UNSET and at_risk_threshold is not None:
        threshold = clean_decimal(at_risk_threshold, "at_risk_threshold")
        if threshold is None or not (0 <= threshold <= 1):
            raise ApplicationError(
                "at_risk_threshold must be a fraction between 0 and 1",
                field="at_risk_threshold",
                code="invalid_fraction",
            )
        vision.at_risk_threshold = threshold
    save_validated(vision, exclude=["organisation"], what="vision")
    audit_record(
        actor=actor,
        action="vision.update",
        obj=vision,
        before=before,
        after=snapshot(vision, VISION_FIELDS),
    )
    return vision


# -- goals --------------------------------------------------------------------------------


def _check_member(actor: Actor, member: Membership | None, field: str) -> None:
    same_org(actor, member, field)
    if member is not None and not member.is_active:
        raise ApplicationError(f"{field} is not an active member", field=field)


def _descendant_ids(goal: Goal) -> set[int]:
    """Ids of a goal's subtree (the goal included), walking down the tree level by level."""
    ids = {goal.pk}
    frontier = [goal.pk]
    while frontier:
        frontier = list(
            Goal.objects.filter(organisation_id=goal.organisation_id, parent_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return ids


def _validate_goal(actor: Actor, goal: Goal) -> None:
    if goal.level not in GoalLevel.values:
        raise ApplicationError(
            f"level must be one of {', '.join(GoalLevel.values)}",
            field="level",
            code="invalid_choice",
        )
    if goal.status not in GoalStatus.values:
        raise ApplicationError(
            f"status must be one of {', '.join(GoalStatus.values)}",
            field="status",
            code="invalid_choice",
        )
    parent = goal.parent
    same_org(actor, parent, "parent")
    same_org(actor, goal.team, "team")
    _check_member(actor, goal.owner, "owner")
    if parent is not None:
        if LEVEL_ORDER[parent.level] > LEVEL_ORDER[goal.level]:
            raise ApplicationError(
                f"a {goal.level} goal cannot serve a {parent.level} goal: goals serve goals of "
                "their own level or above (organisation, sales, team, member)",
                field="parent",
                code="invalid_parent",
            )
        if goal.pk is not None and parent.pk in _descendant_ids(goal):
            raise ApplicationError(
                "a goal cannot serve itself or a goal below it", field="parent", code="cycle"
            )
    if goal.level == GoalLevel.MEMBER and goal.owner_id is None:
        raise ApplicationError("a member goal needs its owner", field="owner", code="required")
    if goal.level == GoalLevel.TEAM and goal.team_id is None:
        raise ApplicationError("a team goal needs its team", field="team", code="required")
    if not (Decimal(0) < goal.weight <= MAX_WEIGHT):
        raise ApplicationError(
            f"weight must be above 0 and at most {MAX_WEIGHT}", field="weight", code="invalid"
        )


@transaction.atomic
def goal_create(
    *,
    actor: Actor,
    title: str,
    level: str,
    period: str,
    parent: Goal | None = None,
    owner: Membership | None = None,
    team: Team | None = None,
    description: str = "",
    weight: Decimal | int | str = Decimal(1),
    status: str = GoalStatus.ACTIVE,
    position: int | None = None,
) -> Goal:
    require_editor(actor)
    resolved = resolve_period(actor, period)
    goal = Goal(
        organisation_id=actor.organisation_id,
        title=require_text(title, "title", max_length=200),
        description=clean_text(description, "description", max_length=5000),
        level=level,
        parent=parent,
        owner=owner,
        team=team,
        period=resolved.key,
        period_start=resolved.start,
        period_end=resolved.end,
        weight=clean_decimal(weight, "weight", positive=True) or Decimal(1),
        status=status,
    )
    if position is None:
        siblings = Goal.objects.filter(organisation_id=actor.organisation_id, parent=parent)
        position = siblings.count()
    goal.position = max(0, int(position))
    _validate_goal(actor, goal)
    save_validated(goal, exclude=["organisation", "parent", "owner", "team"], what="goal")
    audit_record(actor=actor, action="goal.create", obj=goal, after=snapshot(goal, GOAL_FIELDS))
    return goal


@transaction.atomic
def goal_update(*, actor: Actor, goal: Goal, **changes: Any) -> Goal:
    """Change some fields of a goal; ``period`` is given as a key ("2026-Q3")."""
    require_editor(actor)
    goal = Goal.objects.select_for_update().get(pk=goal.pk, organisation_id=actor.organisation_id)
    before = snapshot(goal, GOAL_FIELDS)
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise ApplicationError(f"cannot change {', '.join(sorted(unknown))}")
    for name, value in changes.items():
        if name == "title":
            goal.title = require_text(value, "title", max_length=200)
        elif name == "description":
            goal.description = clean_text(value, "description", max_length=5000)
        elif name == "period":
            resolved = resolve_period(actor, value)
            goal.period, goal.period_start, goal.period_end = (
                resolved.key,
                resolved.start,
                resolved.end,
            )
        elif name == "weight":
            goal.weight = clean_decimal(value, "weight", positive=True) or goal.weight
        elif name == "position":
            goal.position = max(0, int(value))
        else:
            setattr(goal, name, value)
    _validate_goal(actor, goal)
    save_validated(goal, exclude=["organisation", "parent", "owner", "team"], what="goal")
    after = snapshot(goal, GOAL_FIELDS)
    if after != before:
        audit_record(actor=actor, action="goal.update", obj=goal, before=before, after=after)
    return goal


# -- key results --------------------------------------------------------------------------


def _validate_key_result(actor: Actor, kr: KeyResult) -> None:
    if kr.source not in KeyResultSource.values:
        raise ApplicationError(
            "source must be metric or manual", field="source", code="invalid_choice"
        )
    if kr.scope not in KeyResultScope.values:
        raise ApplicationError(
            f"scope must be one of {', '.join(KeyResultScope.values)}",
            field="scope",
            code="invalid_choice",
        )
    same_org(actor, kr.scope_team, "scope_team")
    _check_member(actor, kr.scope_member, "scope_member")
    if kr.source == KeyResultSource.METRIC:
        if not metrics.is_metric(kr.metric):
            known = ", ".join(key for key, _ in metrics.metric_choices()) or "none yet"
            raise ApplicationError(
                f"metric {kr.metric!r} is not in the metric catalogue ({known})",
                field="metric",
                code="unknown_metric",
            )
        if kr.scope == KeyResultScope.TEAM and kr.scope_team_id is None:
            raise ApplicationError("choose the team to measure", field="scope_team")
        if kr.scope == KeyResultScope.MEMBER and kr.scope_member_id is None:
            raise ApplicationError("choose the member to measure", field="scope_member")
    else:
        kr.metric = ""
        kr.scope, kr.scope_team, kr.scope_member = KeyResultScope.ORGANISATION, None, None
        if kr.target_value is None:
            raise ApplicationError(
                "a key result updated by hand needs a target value",
                field="target_value",
                code="required",
            )
    if kr.scope != KeyResultScope.TEAM:
        kr.scope_team = None
    if kr.scope != KeyResultScope.MEMBER:
        kr.scope_member = None
    if kr.target_value is not None and kr.target_value == kr.start_value:
        raise ApplicationError(
            "the target value must differ from the start value", field="target_value"
        )
    if not (Decimal(0) < kr.weight <= MAX_WEIGHT):
        raise ApplicationError(
            f"weight must be above 0 and at most {MAX_WEIGHT}", field="weight", code="invalid"
        )


def _apply_kr(actor: Actor, kr: KeyResult, data: dict[str, Any]) -> None:
    for name, value in data.items():
        if name == "name":
            kr.name = require_text(value, "name", max_length=200)
        elif name == "metric":
            kr.metric = clean_text(value, "metric", max_length=64)
        elif name == "period":
            kr.period = resolve_period(actor, value).key if (value or "").strip() else ""
        elif name == "start_value":
            kr.start_value = clean_decimal(value, "start_value") or Decimal(0)
        elif name == "target_value":
            kr.target_value = clean_decimal(value, "target_value")
        elif name == "unit":
            kr.unit = clean_text(value, "unit", max_length=24)
        elif name == "weight":
            kr.weight = clean_decimal(value, "weight", positive=True) or kr.weight
        elif name == "position":
            kr.position = max(0, int(value))
        else:
            setattr(kr, name, value)


@transaction.atomic
def key_result_create(
    *,
    actor: Actor,
    goal: Goal,
    name: str,
    source: str = KeyResultSource.MANUAL,
    metric: str = "",
    period: str = "",
    scope: str = KeyResultScope.ORGANISATION,
    scope_team: Team | None = None,
    scope_member: Membership | None = None,
    start_value: Decimal | int | str = Decimal(0),
    target_value: Decimal | int | str | None = None,
    unit: str = "",
    weight: Decimal | int | str = Decimal(1),
) -> KeyResult:
    require_editor(actor)
    same_org(actor, goal, "goal")
    kr = KeyResult(organisation_id=actor.organisation_id, goal=goal, source=source, scope=scope)
    _apply_kr(
        actor,
        kr,
        {
            "name": name,
            "metric": metric,
            "period": period,
            "scope_team": scope_team,
            "scope_member": scope_member,
            "start_value": start_value,
            "target_value": target_value,
            "unit": unit,
            "weight": weight,
        },
    )
    kr.position = goal.key_results.count()
    _validate_key_result(actor, kr)
    save_validated(
        kr,
        exclude=["organisation", "goal", "scope_team", "scope_member"],
        what="key result",
    )
    audit_record(actor=actor, action="key_result.create", obj=kr, after=snapshot(kr, KR_FIELDS))
    return kr


@transaction.atomic
def key_result_update(*, actor: Actor, key_result: KeyResult, **changes: Any) -> KeyResult:
    require_editor(actor)
    kr = KeyResult.objects.select_for_update().get(
        pk=key_result.pk, organisation_id=actor.organisation_id
    )
    unknown = set(changes) - set(KR_FIELDS)
    if unknown:
        raise ApplicationError(f"cannot change {', '.join(sorted(unknown))}")
    before = snapshot(kr, KR_FIELDS)
    _apply_kr(actor, kr, changes)
    _validate_key_result(actor, kr)
    save_validated(
        kr,
        exclude=["organisation", "goal", "scope_team", "scope_member"],
        what="key result",
    )
    after = snapshot(kr, KR_FIELDS)
    if after != before:
        audit_record(actor=actor, action="key_result.update", obj=kr, before=before, after=after)
    return kr


@transaction.atomic
def key_result_delete(*, actor: Actor, key_result: KeyResult) -> None:
    require_editor(actor)
    before = snapshot(key_result, KR_FIELDS)
    audit_record(actor=actor, action="key_result.delete", obj=key_result, before=before)
    key_result.delete()


@transaction.atomic
def check_in_create(
    *,
    actor: Actor,
    key_result: KeyResult,
    value: Decimal | int | str,
    note: str = "",
    date: dt.date | None = None,
) -> KeyResultCheckIn:
    """Record where a key result updated by hand stands today (or on ``date``)."""
    same_org(actor, key_result, "key_result")
    require_check_in(actor, key_result)
    if key_result.source != KeyResultSource.MANUAL:
        raise ApplicationError(
            "this key result is measured live from its metric; it takes no check-ins",
            field="value",
            code="measured_live",
        )
    number = clean_decimal(value, "value")
    if number is None:
        raise ApplicationError("value is required", field="value", code="required")
    today = timezone.localdate()
    when = date or today
    if when > today:
        raise ApplicationError("a check-in cannot be dated in the future", field="date")
    check_in = KeyResultCheckIn(
        organisation_id=actor.organisation_id,
        key_result=key_result,
        value=number,
        note=clean_text(note, "note", max_length=2000),
        date=when,
        author=actor if isinstance(actor, Membership) else None,
    )
    save_validated(check_in, exclude=["organisation", "key_result", "author"], what="check-in")
    audit_record(
        actor=actor,
        action="key_result.check_in",
        obj=key_result,
        after={"value": str(number), "date": when.isoformat(), "check_in": check_in.pk},
    )
    return check_in


# -- links ---------------------------------------------------------------------------------


@transaction.atomic
def goal_link_opportunity(*, actor: Actor, goal: Goal, opportunity) -> GoalLink:
    """Say which goal a deal serves (moving it if it served another)."""
    same_org(actor, goal, "goal")
    same_org(actor, opportunity, "opportunity")
    require_work_deal(actor, opportunity)
    if goal.status == GoalStatus.CANCELLED:
        raise ApplicationError("this goal is cancelled", field="goal_id", code="cancelled")
    link = GoalLink.objects.select_for_update().filter(opportunity=opportunity).first()
    before = None if link is None else {"goal": link.goal_id}
    if link is None:
        link = GoalLink(organisation_id=actor.organisation_id, opportunity=opportunity)
    elif link.goal_id == goal.pk:
        return link
    link.goal = goal
    link.linked_by = actor if isinstance(actor, Membership) else None
    save_validated(
        link,
        exclude=["organisation", "goal", "opportunity", "target", "linked_by"],
        what="goal link",
    )
    audit_record(
        actor=actor,
        action="goal_link.set",
        obj=link,
        before=before,
        after={"goal": goal.pk, "opportunity": opportunity.pk},
    )
    return link


def require_target_linker(actor: Actor, target) -> None:
    """Whoever may set a target may say which goal it serves (performance's rule)."""
    from saleshelm.performance.permissions import require_may_set_target

    require_may_set_target(
        actor, assignee_type=target.assignee_type, member_id=target.member_id, team=target.team
    )


@transaction.atomic
def goal_link_target(*, actor: Actor, goal: Goal, target) -> GoalLink:
    """Say which goal a target serves (moving it if it served another)."""
    same_org(actor, goal, "goal")
    same_org(actor, target, "target")
    require_target_linker(actor, target)
    if goal.status == GoalStatus.CANCELLED:
        raise ApplicationError("this goal is cancelled", field="goal_id", code="cancelled")
    link = GoalLink.objects.select_for_update().filter(target=target).first()
    before = None if link is None else {"goal": link.goal_id}
    if link is None:
        link = GoalLink(organisation_id=actor.organisation_id, target=target)
    elif link.goal_id == goal.pk:
        return link
    link.goal = goal
    link.linked_by = actor if isinstance(actor, Membership) else None
    save_validated(link, exclude=["organisation", "goal", "target", "linked_by"], what="goal link")
    audit_record(
        actor=actor,
        action="goal_link.set",
        obj=link,
        before=before,
        after={"goal": goal.pk, "target": target.pk},
    )
    return link


@transaction.atomic
def goal_link_delete(*, actor: Actor, link: GoalLink) -> None:
    same_org(actor, link, "link")
    if link.opportunity_id is not None:
        require_work_deal(actor, link.opportunity)
    else:
        require_target_linker(actor, link.target)
    audit_record(
        actor=actor,
        action="goal_link.delete",
        obj=link,
        before={
            "goal": link.goal_id,
            "opportunity": link.opportunity_id,
            "target": link.target_id,
        },
    )
    link.delete()

"""Writes of targets: create, update, delete, allocate a team target to its members.

Every change writes one audit row (SPEC §11.9). Concurrent edits of one target lose no
update: the row is locked while it changes and a stale ``version`` is a conflict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, transaction

from saleshelm.core.errors import ApplicationError, Conflict
from saleshelm.core.money import parse_decimal
from saleshelm.core.periods import Period, parse_period
from saleshelm.performance import distribution
from saleshelm.performance.metrics import get_metric
from saleshelm.performance.models import AssigneeType, Distribution, Target, assignee_key
from saleshelm.performance.permissions import require_may_set_target
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.services import audit_record

if TYPE_CHECKING:
    from saleshelm.people.models import Team

VALUE_LIMIT = Decimal(10) ** 16
FOUR = Decimal("0.0001")


def _organisation(actor: Actor):
    return actor.organisation


def _period(actor: Actor, period: str | Period) -> Period:
    if isinstance(period, Period):
        return period
    try:
        return parse_period(period, fiscal_start_month=_organisation(actor).fiscal_year_start_month)
    except ApplicationError as exc:
        raise ApplicationError(
            exc.message, code="invalid_period", field="period", status=422
        ) from None


def _value(raw: Any) -> Decimal:
    value = parse_decimal(raw, field="value")
    if value < 0:
        raise ApplicationError("a target cannot be negative", code="negative", field="value")
    if value >= VALUE_LIMIT:
        raise ApplicationError("the target is too large", code="too_large", field="value")
    if value != value.quantize(FOUR):
        raise ApplicationError(
            "a target has at most 4 decimal places", code="invalid_number", field="value"
        )
    return value


def _weights(dist: str, weights: list | None, period: Period) -> list[str]:
    if dist not in Distribution.values:
        raise ApplicationError(
            "distribution must be even or pattern", code="invalid_choice", field="distribution"
        )
    if dist == Distribution.EVEN:
        if weights:
            raise ApplicationError(
                "an even target takes no month weights", code="invalid_weights", field="weights"
            )
        return []
    normalised = distribution.normalise_weights(list(weights or []), len(period.months))
    return [str(w) for w in normalised]


def _same_org(actor: Actor, obj: Any, field: str) -> None:
    if obj is not None and obj.organisation_id != actor.organisation_id:
        raise ApplicationError(f"{field} not found", code="not_found", field=field)


def snapshot(t: Target) -> dict[str, Any]:
    return {
        "metric": t.metric,
        "period": t.period_key,
        "assignee": t.assignee_key,
        "value": str(t.value),
        "distribution": t.distribution,
        "weights": list(t.weights or []),
    }


@transaction.atomic
def target_create(
    *,
    actor: Actor,
    metric: str,
    period: str | Period,
    value: Decimal | str | int,
    member: Any = None,
    team: Any = None,
    territory: Any = None,
    product_category: Any = None,
    distribution: str = Distribution.EVEN,
    weights: list | None = None,
    allocated_from: Target | None = None,
) -> Target:
    """Set a target; one per metric, period, assignee and product category."""
    m = get_metric(metric)
    p = _period(actor, period)
    for field, obj in (
        ("member", member),
        ("team", team),
        ("territory", territory),
        ("product_category", product_category),
    ):
        _same_org(actor, obj, field)
    given = [x for x in (member, team, territory) if x is not None]
    if len(given) > 1:
        raise ApplicationError(
            "a target has one assignee: a member, a team or a territory",
            code="one_assignee",
            field="assignee",
        )
    if member is not None:
        kind = AssigneeType.MEMBER
    elif team is not None:
        kind = AssigneeType.TEAM
    elif territory is not None:
        kind = AssigneeType.TERRITORY
    elif product_category is not None:
        kind = AssigneeType.PRODUCT_CATEGORY
    else:
        raise ApplicationError(
            "say who the target is for: a member, a team, a territory or a product category",
            code="one_assignee",
            field="assignee",
        )
    if product_category is not None and not m.supports_category:
        raise ApplicationError(
            f"{m.key} cannot be narrowed to a product category",
            code="invalid_category",
            field="product_category",
        )
    require_may_set_target(
        actor, assignee_type=kind, member_id=getattr(member, "pk", None), team=team
    )
    target = Target(
        organisation_id=actor.organisation_id,
        metric=m.key,
        period_key=p.key,
        period_kind=p.kind,
        start=p.start,
        end=p.end,
        assignee_type=kind,
        member=member,
        team=team,
        territory=territory,
        product_category=product_category,
        assignee_key=assignee_key(
            member_id=getattr(member, "pk", None),
            team_id=getattr(team, "pk", None),
            territory_id=getattr(territory, "pk", None),
            category_id=getattr(product_category, "pk", None),
        ),
        value=_value(value),
        distribution=distribution,
        weights=_weights(distribution, weights, p),
        allocated_from=allocated_from,
        created_by=None if isinstance(actor, SystemActor) else actor,
    )
    if Target.objects.filter(
        organisation_id=actor.organisation_id,
        metric=target.metric,
        period_key=target.period_key,
        assignee_key=target.assignee_key,
    ).exists():
        raise Conflict(
            "There is already a target for this metric, period and assignee; change it instead.",
            code="target_exists",
        )
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:
        raise Conflict(
            "There is already a target for this metric, period and assignee.", code="target_exists"
        ) from None
    audit_record(actor=actor, action="target.create", obj=target, after=snapshot(target))
    return target


def _require_may_change(actor: Actor, target: Target) -> None:
    require_may_set_target(
        actor,
        assignee_type=target.assignee_type,
        member_id=target.member_id,
        team=target.team if target.assignee_type == AssigneeType.TEAM else None,
    )


def _lock(target: Target) -> Target:
    return (
        Target.objects.select_for_update(of=("self",))
        .select_related("team")
        .get(pk=target.pk, organisation_id=target.organisation_id)
    )


@transaction.atomic
def target_update(
    *,
    actor: Actor,
    target: Target,
    value: Decimal | str | int | None = None,
    distribution: str | None = None,
    weights: list | None = None,
    version: int | None = None,
    reason: str = "",
) -> Target:
    """Change a target's value or its spread over the months (the metric, period and
    assignee are what the target *is*: to change those, delete it and set another)."""
    _require_may_change(actor, target)
    locked = _lock(target)
    if version is not None and version != locked.version:
        raise Conflict(
            "The target changed since you opened it; reload and try again.", code="stale_version"
        )
    before = snapshot(locked)
    p = Period(locked.start, locked.end, locked.period_key, locked.period_kind)
    if value is not None:
        locked.value = _value(value)
    if distribution is not None or weights is not None:
        dist = distribution or locked.distribution
        locked.distribution = dist
        if weights is None:
            weights = locked.weights if dist == Distribution.PATTERN else []
        locked.weights = _weights(dist, weights, p)
    after = snapshot(locked)
    if after == before:
        return locked
    locked.version += 1
    locked.save(update_fields=["value", "distribution", "weights", "version", "updated_at"])
    audit_record(
        actor=actor, action="target.update", obj=locked, before=before, after=after, reason=reason
    )
    return locked


@transaction.atomic
def target_delete(*, actor: Actor, target: Target, reason: str = "") -> None:
    _require_may_change(actor, target)
    locked = _lock(target)
    before = snapshot(locked)
    pk = locked.pk
    locked.delete()
    audit_record(
        actor=actor,
        action="target.delete",
        object_type="target",
        object_id=pk,
        before=before,
        reason=reason,
    )


@dataclass(frozen=True)
class AllocationCheck:
    """How a team target compares with the member targets below it."""

    target: Target
    allocated: Decimal
    members: list[tuple[int, Decimal]]  # (member id, its target), members of the subtree
    additive: bool

    @property
    def difference(self) -> Decimal:
        return self.allocated - self.target.value

    @property
    def status(self) -> str:
        if not self.additive:
            return "not_additive"
        if self.difference > 0:
            return "over"
        if self.difference < 0:
            return "under"
        return "exact"


def _subtree_member_ids(target: Target, *, reps_only: bool) -> list[int]:
    from saleshelm.people.models import MemberProfile
    from saleshelm.tenancy.roles import Role

    qs = MemberProfile.objects.filter(
        organisation_id=target.organisation_id,
        team__path__startswith=cast("Team", target.team).path,  # a team target
        membership__is_active=True,
    )
    if reps_only:
        qs = qs.filter(membership__role=Role.REP)
    return list(
        qs.order_by("membership__user__full_name", "membership_id").values_list(
            "membership_id", flat=True
        )
    )


def allocation_check(*, target: Target) -> AllocationCheck:
    """Sum of the member targets (same metric, period and category) of the team's subtree."""
    if target.assignee_type != AssigneeType.TEAM:
        raise ApplicationError("only a team target is allocated to members", code="not_team_target")
    members = _subtree_member_ids(target, reps_only=False)
    rows = list(
        Target.objects.filter(
            organisation_id=target.organisation_id,
            metric=target.metric,
            period_key=target.period_key,
            assignee_type=AssigneeType.MEMBER,
            member_id__in=members,
            product_category_id=target.product_category_id,
        )
        .order_by("member_id")
        .values_list("member_id", "value")
    )
    return AllocationCheck(
        target=target,
        allocated=sum((v for _, v in rows), Decimal(0)),
        members=rows,
        additive=get_metric(target.metric).additive,
    )


def even_split(total: Decimal, n: int, places: int) -> list[Decimal]:
    """``total`` in ``n`` parts at ``places`` decimals that add up to exactly ``total``: each
    gets the rounded-down share and the leftover smallest units go to the first ones."""
    if n <= 0:
        return []
    unit = Decimal(1).scaleb(-places)
    base = (total / n).quantize(unit, rounding=ROUND_DOWN)
    left = int(((total - base * n) / unit).to_integral_value())
    return [base + (unit if i < left else 0) for i in range(n)]


@transaction.atomic
def target_allocate(
    *,
    actor: Actor,
    target: Target,
    allocations: Sequence[tuple[Any, Decimal | str]] | None = None,
) -> AllocationCheck:
    """Turn a team target into member targets (same metric, period, category and spread).

    ``allocations`` names each member and their value; without it, the team's active reps
    (sub-teams included) share it evenly, to the cent (money) or the unit (counts), and the
    parts add up to exactly the team's figure. A ratio metric (win rate) is not shared out:
    each member gets the team's value. Existing member targets are updated. Answers the
    over/under-allocation check."""
    if target.assignee_type != AssigneeType.TEAM:
        raise ApplicationError("only a team target is allocated to members", code="not_team_target")
    _require_may_change(actor, target)
    team_target = _lock(target)
    metric = get_metric(team_target.metric)
    from saleshelm.tenancy.models import Membership

    if allocations is None:
        ids = _subtree_member_ids(team_target, reps_only=True)
        if not ids:
            raise ApplicationError("the team has no active reps to allocate to", code="no_members")
        if metric.additive:
            places = 2 if metric.unit == "money" else 0 if metric.unit == "count" else 4
            values = even_split(team_target.value, len(ids), places)
        else:
            values = [team_target.value] * len(ids)
        by_id = Membership.objects.in_bulk(ids)
        pairs = [(by_id[i], v) for i, v in zip(ids, values, strict=True)]
    else:
        subtree = set(_subtree_member_ids(team_target, reps_only=False))
        pairs = []
        seen = set()
        for member, raw in allocations:
            _same_org(actor, member, "member")
            if member.pk not in subtree:
                raise ApplicationError(
                    f"{member.user.email} is not in this team", code="not_in_team", field="member"
                )
            if member.pk in seen:
                raise ApplicationError(
                    f"{member.user.email} is named twice", code="duplicate", field="member"
                )
            seen.add(member.pk)
            pairs.append((member, _value(raw)))
    existing = {
        t.member_id: t
        for t in Target.objects.select_for_update().filter(
            organisation_id=team_target.organisation_id,
            metric=team_target.metric,
            period_key=team_target.period_key,
            assignee_type=AssigneeType.MEMBER,
            member_id__in=[m.pk for m, _ in pairs],
            product_category_id=team_target.product_category_id,
        )
    }
    for member, value in pairs:
        current = existing.get(member.pk)
        if current is None:
            target_create(
                actor=actor,
                metric=team_target.metric,
                period=Period(
                    team_target.start,
                    team_target.end,
                    team_target.period_key,
                    team_target.period_kind,
                ),
                value=value,
                member=member,
                product_category=team_target.product_category,
                distribution=team_target.distribution,
                weights=team_target.weights or None,
                allocated_from=team_target,
            )
        else:
            target_update(
                actor=actor,
                target=current,
                value=value,
                distribution=team_target.distribution,
                weights=team_target.weights or [],
                reason=f"allocated from team target {team_target.pk}",
            )
            if current.allocated_from_id != team_target.pk:
                Target.objects.filter(pk=current.pk).update(allocated_from=team_target)
    check = allocation_check(target=team_target)
    audit_record(
        actor=actor,
        action="target.allocate",
        obj=team_target,
        after={
            "members": {str(m.pk): str(v) for m, v in pairs},
            "allocated": str(check.allocated),
            "status": check.status,
        },
    )
    return check

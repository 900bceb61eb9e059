"""Progress of key results and goals, rolled up the tree, and the at-risk flag.

- A key result's progress is how far its current value has moved from the start value
  towards the target, between 0 and 1: ``(current - start) / (target - start)``. The current
  value is the metric's live actual (metric key results) or the latest check-in (manual).
  A falling target (churn down from 8% to 5%) works the same way.
- A goal's progress is the weighted mean of the progress of its key results and of its
  child goals (cancelled children left out). A goal with nothing measured yet has no
  progress; an achieved goal with nothing measured counts as done.
- At risk: an active goal (or key result) whose progress is behind where it should be by
  today by more than the organisation's threshold (10 points unless the vision says
  otherwise): on day 46 of 92, a key result at 0.35 is at risk (0.35 < 0.50 - 0.10). For a
  key result "where it should be" is the elapsed fraction of its period; for a goal it is
  the weighted mean of that of its key results and child goals (the same weights as its
  progress), so a year goal measured by this quarter's key results is held to the quarter's
  clock; a goal with nothing measured is held to its own period's.

The whole tree of an organisation is read in two queries (goals, key results with their
latest check-in) plus the metric readings, then rolled up in memory: goal trees have
hundreds of nodes, not millions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from saleshelm.core.periods import Period
from saleshelm.direction.models import Goal, GoalStatus, KeyResult, KeyResultScope, KeyResultSource
from saleshelm.direction.selectors import metrics
from saleshelm.direction.selectors.vision import goal_qs, key_result_qs, vision_get
from saleshelm.direction.services.common import organisation_of, resolve_period
from saleshelm.tenancy.actors import Actor

DEFAULT_THRESHOLD = Decimal("0.10")
PLACES = Decimal("0.0001")
ZERO, ONE = Decimal(0), Decimal(1)


def clamp(value: Decimal) -> Decimal:
    return min(ONE, max(ZERO, value)).quantize(PLACES, rounding=ROUND_HALF_UP)


def kr_progress(
    *, start: Decimal, target: Decimal | None, current: Decimal | None
) -> Decimal | None:
    if target is None or current is None:
        return None
    span = target - start
    if span == 0:
        return ONE if current >= target else ZERO
    return clamp((current - start) / span)


def elapsed_fraction(start: dt.date, end: dt.date, today: dt.date) -> Decimal:
    """Share of the period gone by at the end of ``today``."""
    if today < start:
        return ZERO
    if today >= end:
        return ONE
    days = (end - start).days + 1
    return clamp(Decimal((today - start).days + 1) / Decimal(days))


def behind(progress: Decimal | None, expected: Decimal, threshold: Decimal) -> bool:
    return progress is not None and expected > 0 and progress < expected - threshold


def weighted_mean(parts: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    total = sum((w for w, _ in parts), ZERO)
    if not parts or total <= 0:
        return None
    return clamp(sum((w * p for w, p in parts), ZERO) / total)


@dataclass
class KeyResultView:
    kr: KeyResult
    start: dt.date
    end: dt.date
    current: Decimal | None = None
    target: Decimal | None = None
    progress: Decimal | None = None
    expected: Decimal = ZERO
    at_risk: bool = False
    as_of: dt.date | None = None  # date of the latest check-in (manual)
    unit_kind: str = ""  # the metric's unit: money, count, ratio, days ("" when manual)

    @property
    def is_live(self) -> bool:
        return self.kr.source == KeyResultSource.METRIC

    @property
    def percent(self) -> int | None:
        return None if self.progress is None else int(self.progress * 100)


@dataclass
class GoalNode:
    goal: Goal
    children: list[GoalNode] = field(default_factory=list)
    key_results: list[KeyResultView] = field(default_factory=list)
    progress: Decimal | None = None
    expected: Decimal = ZERO
    at_risk: bool = False
    depth: int = 0

    @property
    def percent(self) -> int | None:
        return None if self.progress is None else int(self.progress * 100)

    @property
    def expected_percent(self) -> int:
        return int(self.expected * 100)

    def walk(self) -> Iterator[GoalNode]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class GoalForest:
    roots: list[GoalNode]
    nodes: dict[int, GoalNode]
    threshold: Decimal
    today: dt.date

    def walk(self) -> Iterator[GoalNode]:
        for root in self.roots:
            yield from root.walk()

    def ancestors(self, goal_id: int) -> list[GoalNode]:
        """From the root down to the goal's parent."""
        chain: list[GoalNode] = []
        node = self.nodes.get(goal_id)
        seen: set[int] = set()
        while node is not None and node.goal.parent_id and node.goal.parent_id not in seen:
            seen.add(node.goal.parent_id)
            node = self.nodes.get(node.goal.parent_id)
            if node is not None:
                chain.append(node)
        return list(reversed(chain))

    @property
    def at_risk_count(self) -> int:
        return sum(1 for n in self.walk() if n.at_risk)


def _measure(kr: KeyResult, period_key: str) -> metrics.Measure:
    ids: dict[str, int | None] = {
        KeyResultScope.TEAM.value: kr.scope_team_id,
        KeyResultScope.MEMBER.value: kr.scope_member_id,
    }
    scope_id = ids.get(str(kr.scope))
    return metrics.Measure(metric=kr.metric, period=period_key, scope=kr.scope, scope_id=scope_id)


def _key_result_views(
    actor: Actor, krs: list[KeyResult], goals: dict[int, Goal], today: dt.date, threshold
) -> dict[int, list[KeyResultView]]:
    periods: dict[str, Period] = {}

    def period(key: str) -> Period:
        if key not in periods:
            periods[key] = resolve_period(actor, key)
        return periods[key]

    views: list[tuple[KeyResultView, metrics.Measure | None]] = []
    for kr in krs:
        goal = goals[kr.goal_id]
        if kr.period:
            p = period(kr.period)
            start, end, key = p.start, p.end, p.key
        else:
            start, end, key = goal.period_start, goal.period_end, goal.period
        view = KeyResultView(kr=kr, start=start, end=end, target=kr.target_value)
        measure = None
        if kr.source == KeyResultSource.METRIC:
            measure = _measure(kr, key)
            view.unit_kind = metrics.unit_of(kr.metric)
        else:
            latest = getattr(kr, "latest_value", None)
            # A subquery's decimal comes back unscaled on SQLite: give it the column's scale.
            view.current = None if latest is None else Decimal(latest).quantize(PLACES)
            view.as_of = getattr(kr, "latest_date", None)
        views.append((view, measure))
    wanted = [m for _, m in views if m is not None]
    readings = (
        metrics.read(organisation=organisation_of(actor), measures=wanted, today=today)
        if wanted
        else {}
    )
    out: dict[int, list[KeyResultView]] = {}
    for view, measure in views:
        if measure is not None:
            reading = readings.get(measure)
            if reading is not None:
                view.current = reading.actual
                if view.target is None:
                    view.target = reading.target
        view.progress = kr_progress(
            start=view.kr.start_value, target=view.target, current=view.current
        )
        view.expected = elapsed_fraction(view.start, view.end, today)
        goal = goals[view.kr.goal_id]
        view.at_risk = goal.status == GoalStatus.ACTIVE and behind(
            view.progress, view.expected, threshold
        )
        out.setdefault(view.kr.goal_id, []).append(view)
    return out


def _roll_up(node: GoalNode, threshold: Decimal, today: dt.date, depth: int = 0) -> None:
    node.depth = depth
    parts: list[tuple[Decimal, Decimal]] = []
    clocks: list[tuple[Decimal, Decimal]] = []
    for child in node.children:
        _roll_up(child, threshold, today, depth + 1)
        if child.goal.status != GoalStatus.CANCELLED and child.progress is not None:
            parts.append((child.goal.weight, child.progress))
            clocks.append((child.goal.weight, child.expected))
    for view in node.key_results:
        if view.progress is not None:
            parts.append((view.kr.weight, view.progress))
            clocks.append((view.kr.weight, view.expected))
    node.progress = weighted_mean(parts)
    if node.progress is None and node.goal.status == GoalStatus.ACHIEVED:
        node.progress = ONE
    goal = node.goal
    clock = weighted_mean(clocks) if clocks else None
    node.expected = (
        clock if clock is not None else elapsed_fraction(goal.period_start, goal.period_end, today)
    )
    node.at_risk = goal.status == GoalStatus.ACTIVE and behind(
        node.progress, node.expected, threshold
    )


def goal_forest(
    *, actor: Actor, period: Period | None = None, today: dt.date | None = None
) -> GoalForest:
    """Every goal of the organisation (or those whose period overlaps ``period``) as a
    forest with progress rolled up. A goal whose parent is left out becomes a root."""
    today = today or timezone.localdate()
    vision = vision_get(actor=actor)
    threshold = vision.at_risk_threshold if vision is not None else DEFAULT_THRESHOLD
    qs = goal_qs(actor=actor)
    if period is not None:
        qs = qs.filter(period_start__lte=period.end, period_end__gte=period.start)
    goals = {g.pk: g for g in qs.order_by("position", "pk")}
    krs = list(
        key_result_qs(actor=actor).filter(goal_id__in=list(goals)).order_by("position", "pk")
    )
    views = _key_result_views(actor, krs, goals, today, threshold)
    nodes = {pk: GoalNode(goal=g, key_results=views.get(pk, [])) for pk, g in goals.items()}
    roots: list[GoalNode] = []
    for node in nodes.values():
        parent = nodes.get(node.goal.parent_id) if node.goal.parent_id else None
        if parent is not None:
            parent.children.append(node)
        else:
            roots.append(node)
    for root in roots:
        _roll_up(root, threshold, today)
    return GoalForest(roots=roots, nodes=nodes, threshold=threshold, today=today)


def goal_progress(*, actor: Actor, goal: Goal, today: dt.date | None = None) -> GoalNode:
    """One goal with its subtree rolled up."""
    forest = goal_forest(actor=actor, today=today)
    return forest.nodes[goal.pk]

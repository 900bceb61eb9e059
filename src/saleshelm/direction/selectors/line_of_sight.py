"""Line of sight: for one member, from the organisation's vision down to this week's work.

vision → the goals the member serves, up the tree (their own goals, their team's and the
teams above it, and every goal those serve) → their targets → their open deals (and the
goal each serves) → this week's activities; and the contribution of their results to each
goal they serve ("how my number feeds the team's").

Seen by the member, the managers above them and the organisation-wide roles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from saleshelm.core.errors import NotFound
from saleshelm.crm.models import StageKind
from saleshelm.crm.selectors import activity_list, opportunity_list
from saleshelm.direction.models import GoalStatus, Vision
from saleshelm.direction.selectors.alignment import goal_contribution
from saleshelm.direction.selectors.progress import GoalForest, GoalNode, goal_forest
from saleshelm.direction.selectors.vision import vision_get
from saleshelm.people.models import Team
from saleshelm.people.selectors import access_member, member_profile, visible_member_ids
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership

OPEN_DEALS_SHOWN = 50


def access_line_of_sight_member(*, actor: Actor, id: int) -> Membership:
    """The member whose line of sight the actor may open: 404 for anyone else."""
    member = access_member(actor=actor, id=id)
    if not visible_member_ids(actor=actor).filter(pk=member.pk).exists():
        raise NotFound("Member")
    return member


def team_chain_ids(team: Team | None) -> list[int]:
    """The member's team and every team above it, nearest first."""
    if team is None:
        return []
    ids = [int(x) for x in team.path.strip("/").split("/") if x]
    return list(reversed(ids))


@dataclass
class Rung:
    """The member's part in one goal's result: their share and their team's share of the
    revenue won on deals serving it, with the member's share month by month."""

    node: GoalNode
    total: Decimal
    my_amount: Decimal
    my_share: Decimal | None
    team_share: Decimal | None
    trend: list[tuple[str, Decimal | None]]

    @property
    def bars(self) -> list[tuple[str, Decimal | None, int]]:
        """(month, share, bar height 0..100 relative to the best month) for a small chart."""
        best = max((s for _, s in self.trend if s), default=None)
        return [
            (month, share, int(share / best * 100) if share and best else 0)
            for month, share in self.trend
        ]


@dataclass
class ServedChain:
    """One goal the member serves directly, and the goals above it, root first."""

    goal: GoalNode
    above: list[GoalNode]
    why: str  # "own" | "team"
    ladder: list[Rung] = field(default_factory=list)  # the served goal first, then upwards

    @property
    def headline(self) -> Rung | None:
        """The share that says most: of the goal just above one's own (the team's), else
        of the served goal itself."""
        if not self.ladder:
            return None
        if self.why == "own" and len(self.ladder) > 1:
            return self.ladder[1]
        return self.ladder[0]

    @property
    def my_share(self) -> Decimal | None:
        return self.ladder[0].my_share if self.ladder else None


@dataclass
class LineOfSight:
    member: Membership
    vision: Vision | None
    forest: GoalForest
    served: list[ServedChain]
    served_tree: list[GoalNode]  # the served goals and their ancestors, as a tree
    deals: list
    open_deal_count: int
    activities: list
    week_start: dt.date
    week_end: dt.date
    targets: list = field(default_factory=list)

    @property
    def served_why(self) -> dict[int, str]:
        """Goal id -> "own" or "team", for the goals the member serves directly."""
        out = {c.goal.goal.pk: c.why for c in self.served}
        for chain in self.served:
            for node in chain.above:
                if node.goal.owner_id == self.member.pk:
                    out.setdefault(node.goal.pk, "own")
        return out

    @property
    def at_risk(self) -> list[GoalNode]:
        seen: dict[int, GoalNode] = {}
        for chain in self.served:
            for node in (*chain.above, chain.goal):
                if node.at_risk:
                    seen[node.goal.pk] = node
        return list(seen.values())


def _served_goals(forest: GoalForest, member: Membership, teams: list[int]) -> list[ServedChain]:
    out: list[ServedChain] = []
    team_rank = {tid: i for i, tid in enumerate(teams)}
    own, by_team = [], []
    for node in forest.walk():
        goal = node.goal
        if goal.status == GoalStatus.CANCELLED:
            continue
        if goal.owner_id == member.pk:
            own.append(node)
        elif goal.team_id in team_rank and goal.owner_id is None:
            by_team.append(node)
    # The nearest team's goals first; a team goal already above one of the member's own
    # goals adds nothing new.
    by_team.sort(key=lambda n: (team_rank.get(n.goal.team_id or 0, 0), n.goal.position, n.goal.pk))
    covered: set[int] = set()
    chains = {node.goal.pk: forest.ancestors(node.goal.pk) for node in own}
    # An own goal above another own goal is part of that one's chain, not a chain of its own.
    inner = {n.goal.pk for above in chains.values() for n in above}
    for node in own:
        if node.goal.pk in inner:
            continue
        above = chains[node.goal.pk]
        covered.update(n.goal.pk for n in above)
        covered.add(node.goal.pk)
        out.append(ServedChain(goal=node, above=above, why="own"))
    for node in by_team:
        if node.goal.pk in covered:
            continue
        above = forest.ancestors(node.goal.pk)
        covered.update(n.goal.pk for n in above)
        covered.add(node.goal.pk)
        out.append(ServedChain(goal=node, above=above, why="team"))
    return out


def _served_tree(forest: GoalForest, served: list[ServedChain]) -> list[GoalNode]:
    """The served goals and their ancestors as a pruned copy of the tree."""
    keep: set[int] = set()
    for chain in served:
        keep.add(chain.goal.goal.pk)
        keep.update(n.goal.pk for n in chain.above)

    def prune(node: GoalNode) -> GoalNode:
        copy = GoalNode(
            goal=node.goal,
            key_results=node.key_results,
            progress=node.progress,
            expected=node.expected,
            at_risk=node.at_risk,
            depth=node.depth,
        )
        copy.children = [prune(c) for c in node.children if c.goal.pk in keep]
        return copy

    return [prune(root) for root in forest.roots if root.goal.pk in keep]


def _rung(actor: Actor, node: GoalNode, member: Membership, team_id: int | None) -> Rung:
    contribution = goal_contribution(actor=actor, node=node, visible_member_ids={member.pk})
    mine = next((r for r in contribution.members if r.id == member.pk), None)
    team = next((r for r in contribution.teams if team_id and r.id == team_id), None)
    none_yet = Decimal(0) if contribution.total else None
    return Rung(
        node=node,
        total=contribution.total,
        my_amount=mine.amount if mine else Decimal(0),
        my_share=mine.share if mine else none_yet,
        team_share=team.share if team else none_yet,
        trend=mine.trend if mine else [(m, None) for m in contribution.months],
    )


def line_of_sight(*, actor: Actor, member: Membership, today: dt.date | None = None) -> LineOfSight:
    today = today or timezone.localdate()
    profile = member_profile(membership=member)
    teams = team_chain_ids(profile.team)
    forest = goal_forest(actor=actor, today=today)
    served = _served_goals(forest, member, teams)
    rungs: dict[int, Rung] = {}
    for chain in served:
        for node in (chain.goal, *reversed(chain.above)):
            if node.goal.pk not in rungs:
                rungs[node.goal.pk] = _rung(actor, node, member, profile.team_id)
            chain.ladder.append(rungs[node.goal.pk])
    deals_qs = opportunity_list(
        actor=actor, owner_id=member.pk, state=StageKind.OPEN, sort="close_date"
    ).select_related("goal_link__goal")
    week_start = today - dt.timedelta(days=today.weekday())
    week_end = week_start + dt.timedelta(days=6)
    activities = activity_list(
        actor=actor, owner_id=member.pk, date_from=week_start, date_to=week_end, sort="occurred_at"
    ).select_related("opportunity__goal_link__goal")
    return LineOfSight(
        member=member,
        vision=vision_get(actor=actor),
        forest=forest,
        served=served,
        served_tree=_served_tree(forest, served),
        deals=list(deals_qs[:OPEN_DEALS_SHOWN]),
        open_deal_count=deals_qs.count(),
        activities=list(activities),
        week_start=week_start,
        week_end=week_end,
    )


# -- targets ------------------------------------------------------------------------------

ADDITIVE_UNITS = ("money", "count")


@dataclass
class TargetLine:
    """One of the member's targets with its actual; or one of their team's targets with the
    member's share of the team's actual, month by month."""

    target: object
    actual: Decimal | None
    progress: Decimal | None
    unit_kind: str
    metric_label: str
    goal: object | None = None
    my_actual: Decimal | None = None
    my_share: Decimal | None = None
    trend: list[tuple[str, Decimal | None]] = field(default_factory=list)

    @property
    def recent_trend(self) -> list[tuple[dt.date, Decimal]]:
        """The member's share in the last three months with a team result, oldest first."""
        shown = [(m, s) for m, s in self.trend if s is not None][-3:]
        return [(dt.date(int(m[:4]), int(m[5:7]), 1), s) for m, s in shown]


@dataclass
class TargetsInSight:
    mine: list[TargetLine]
    team: list[TargetLine]


def targets_in_sight(
    *, actor: Actor, member: Membership, today: dt.date | None = None
) -> TargetsInSight:
    """The member's targets running today, and their team's (for money and count metrics:
    the member's share of the team's actual, and that share month by month), all read
    through the performance selectors in one batch."""
    from saleshelm.direction.selectors import metrics
    from saleshelm.direction.selectors.common import share
    from saleshelm.direction.selectors.progress import ZERO, kr_progress
    from saleshelm.direction.services.common import organisation_of
    from saleshelm.performance.selectors.targets import target_list

    today = today or timezone.localdate()
    team_id = member_profile(membership=member).team_id
    running = (
        target_list(actor=actor)
        .filter(start__lte=today, end__gte=today)
        .select_related("goal_link__goal")
    )
    own = list(running.filter(assignee_type="member", member_id=member.pk))
    team = (
        list(running.filter(assignee_type="team", team_id=team_id, product_category__isnull=True))
        if team_id
        else []
    )
    labels = dict(metrics.metric_choices())
    units = {t.metric: metrics.unit_of(t.metric) for t in (*own, *team)}
    wanted: list[metrics.Measure] = []
    for t in own:
        wanted.append(metrics.Measure(t.metric, t.period_key, "member", member.pk))
    months_of: dict[int, list[str]] = {}
    for t in team:
        wanted.append(metrics.Measure(t.metric, t.period_key, "team", team_id))
        if units[t.metric] not in ADDITIVE_UNITS:
            continue
        wanted.append(metrics.Measure(t.metric, t.period_key, "member", member.pk))
        months = [m.strftime("%Y-%m") for m in _months(t.start, min(t.end, today))]
        months_of[t.pk] = months
        for month in months:
            wanted.append(metrics.Measure(t.metric, month, "team", team_id))
            wanted.append(metrics.Measure(t.metric, month, "member", member.pk))
    readings = metrics.read(organisation=organisation_of(actor), measures=wanted, today=today)

    def actual(metric: str, period: str, scope: str, scope_id) -> Decimal | None:
        reading = readings.get(metrics.Measure(metric, period, scope, scope_id))
        return reading.actual if reading else None

    mine = []
    for t in own:
        value = actual(t.metric, t.period_key, "member", member.pk)
        mine.append(
            TargetLine(
                target=t,
                actual=value,
                progress=kr_progress(start=ZERO, target=t.value, current=value),
                unit_kind=units[t.metric],
                metric_label=str(labels.get(t.metric, t.metric)),
                goal=getattr(getattr(t, "goal_link", None), "goal", None),
            )
        )
    lines = []
    for t in team:
        value = actual(t.metric, t.period_key, "team", team_id)
        line = TargetLine(
            target=t,
            actual=value,
            progress=kr_progress(start=ZERO, target=t.value, current=value),
            unit_kind=units[t.metric],
            metric_label=str(labels.get(t.metric, t.metric)),
            goal=getattr(getattr(t, "goal_link", None), "goal", None),
        )
        if t.pk in months_of:
            line.my_actual = actual(t.metric, t.period_key, "member", member.pk)
            line.my_share = share(line.my_actual or ZERO, value or ZERO)
            line.trend = [
                (
                    month,
                    share(
                        actual(t.metric, month, "member", member.pk) or ZERO,
                        actual(t.metric, month, "team", team_id) or ZERO,
                    ),
                )
                for month in months_of[t.pk]
            ]
        lines.append(line)
    return TargetsInSight(mine=mine, team=lines)


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    y, m = start.year, start.month
    while dt.date(y, m, 1) <= end:
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out

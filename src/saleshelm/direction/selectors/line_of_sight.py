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
from saleshelm.direction.selectors.alignment import Contribution, goal_contribution
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
class ServedChain:
    """One goal the member serves directly, and the goals above it, root first."""

    goal: GoalNode
    above: list[GoalNode]
    why: str  # "own" | "team"
    contribution: Contribution | None = None
    my_amount: Decimal = Decimal(0)
    my_share: Decimal | None = None
    my_trend: list[tuple[str, Decimal | None]] = field(default_factory=list)


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
    by_team.sort(key=lambda n: (team_rank[n.goal.team_id], n.goal.position, n.goal.pk))
    covered: set[int] = set()
    for node in own:
        above = forest.ancestors(node.goal.pk)
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


def line_of_sight(*, actor: Actor, member: Membership, today: dt.date | None = None) -> LineOfSight:
    today = today or timezone.localdate()
    profile = member_profile(membership=member)
    teams = team_chain_ids(profile.team)
    forest = goal_forest(actor=actor, today=today)
    served = _served_goals(forest, member, teams)
    visible = {member.pk}
    for chain in served:
        contribution = goal_contribution(actor=actor, node=chain.goal, visible_member_ids=visible)
        chain.contribution = contribution
        mine = next((r for r in contribution.members if r.id == member.pk), None)
        if mine is not None:
            chain.my_amount, chain.my_share, chain.my_trend = mine.amount, mine.share, mine.trend
        else:
            chain.my_share = Decimal(0) if contribution.total else None
            chain.my_trend = [(m, None) for m in contribution.months]
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

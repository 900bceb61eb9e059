"""How much of the sales effort serves each goal (SPEC §5 "Line of sight").

For a period: the pipeline (open deals closing in it), the revenue won (deals won closing in
it) and the effort (activities in it on linked deals) aligned to each goal, the same rolled
up over each goal's subtree (a deal serving a member goal also serves the team, Sales and
organisation goals above it), and what serves no goal at all. Each figure is one SQL
aggregate grouped by the linked goal over the deals the actor may see; only the tree
roll-up of a few hundred sums happens in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth

from saleshelm.core.money import allocate, minor_unit
from saleshelm.core.periods import Period
from saleshelm.crm.models import StageKind
from saleshelm.crm.selectors import activity_list, opportunity_list, opportunity_split_rows
from saleshelm.crm.selectors.deals import opportunity_qs
from saleshelm.direction.selectors import metrics
from saleshelm.direction.selectors.common import ZERO, money_sum, share
from saleshelm.direction.selectors.progress import GoalForest, GoalNode, goal_forest
from saleshelm.direction.services.common import organisation_of
from saleshelm.tenancy.actors import Actor, SystemActor


@dataclass
class Figures:
    pipeline: Decimal = ZERO
    pipeline_deals: int = 0
    revenue: Decimal = ZERO
    won_deals: int = 0
    activities: int = 0
    targets: int = 0
    revenue_target: Decimal = ZERO  # revenue targets linked to the goal
    credited: Decimal = ZERO  # revenue credited against those targets so far

    def add(self, other: Figures) -> None:
        self.targets += other.targets
        self.revenue_target += other.revenue_target
        self.credited += other.credited
        self.pipeline += other.pipeline
        self.pipeline_deals += other.pipeline_deals
        self.revenue += other.revenue
        self.won_deals += other.won_deals
        self.activities += other.activities


@dataclass
class AlignmentRow:
    node: GoalNode
    own: Figures
    total: Figures  # own + every goal below
    pipeline_share: Decimal | None = None
    revenue_share: Decimal | None = None
    effort_share: Decimal | None = None


@dataclass
class AlignmentReport:
    period: Period
    rows: list[AlignmentRow]
    overall: Figures
    aligned: Figures
    unaligned: Figures = field(default_factory=Figures)

    @property
    def aligned_pipeline_share(self) -> Decimal | None:
        return share(self.aligned.pipeline, self.overall.pipeline)

    @property
    def aligned_revenue_share(self) -> Decimal | None:
        return share(self.aligned.revenue, self.overall.revenue)

    @property
    def aligned_effort_share(self) -> Decimal | None:
        return share(self.aligned.activities, self.overall.activities)


def figures_by_goal(*, actor: Actor, period: Period) -> dict[int | None, Figures]:
    """Figures per linked goal id (None: serving no goal), three grouped aggregates."""
    out: dict[int | None, Figures] = defaultdict(Figures)
    open_deals = (
        opportunity_list(
            actor=actor, state=StageKind.OPEN, close_from=period.start, close_to=period.end
        )
        .order_by()
        .values("goal_link__goal_id")
        .annotate(amount=money_sum("amount_reporting"), n=Count("pk"))
    )
    for row in open_deals:
        f = out[row["goal_link__goal_id"]]
        f.pipeline, f.pipeline_deals = row["amount"], row["n"]
    won = (
        opportunity_list(
            actor=actor, state=StageKind.WON, close_from=period.start, close_to=period.end
        )
        .order_by()
        .values("goal_link__goal_id")
        .annotate(amount=money_sum("amount_reporting"), n=Count("pk"))
    )
    for row in won:
        f = out[row["goal_link__goal_id"]]
        f.revenue, f.won_deals = row["amount"], row["n"]
    effort = (
        activity_list(actor=actor, date_from=period.start, date_to=period.end)
        .order_by()
        .values("opportunity__goal_link__goal_id")
        .annotate(n=Count("pk"))
    )
    for row in effort:
        out[row["opportunity__goal_link__goal_id"]].activities = row["n"]
    _linked_targets(actor, period, out)
    return out


REVENUE = "revenue"


def _linked_targets(actor: Actor, period: Period, out: dict[int | None, Figures]) -> None:
    """Targets linked to goals (that the actor sees, overlapping the period): how many, and
    for revenue targets their value and the revenue credited against them so far."""
    from saleshelm.direction.selectors.vision import goal_link_list

    links = list(
        goal_link_list(actor=actor, kind="target").filter(
            target__start__lte=period.end, target__end__gte=period.start
        )
    )
    measures = {}
    for link in links:
        t = link.target
        if t is None:
            continue
        out[link.goal_id].targets += 1
        if t.metric == REVENUE and t.assignee_type in ("member", "team", "territory"):
            scope_id = {"member": t.member_id, "team": t.team_id}.get(
                t.assignee_type, t.territory_id
            )
            measures[link.pk] = metrics.Measure(REVENUE, t.period_key, t.assignee_type, scope_id)
    if not measures:
        return
    readings = metrics.read(organisation=organisation_of(actor), measures=list(measures.values()))
    for link in links:
        measure = measures.get(link.pk)
        reading = readings.get(measure) if measure else None
        if reading is None:
            continue
        figures = out[link.goal_id]
        figures.revenue_target += reading.target or ZERO
        figures.credited += reading.actual or ZERO


def _totals(node: GoalNode, own: dict[int | None, Figures], acc: dict[int, Figures]) -> Figures:
    total = Figures()
    total.add(own.get(node.goal.pk, Figures()))
    for child in node.children:
        total.add(_totals(child, own, acc))
    acc[node.goal.pk] = total
    return total


def alignment_report(
    *, actor: Actor, period: Period, forest: GoalForest | None = None
) -> AlignmentReport:
    forest = forest or goal_forest(actor=actor, period=period)
    own = figures_by_goal(actor=actor, period=period)
    totals: dict[int, Figures] = {}
    for root in forest.roots:
        _totals(root, own, totals)
    overall, aligned = Figures(), Figures()
    for goal_id, figures in own.items():
        overall.add(figures)
        if goal_id is not None:
            aligned.add(figures)
    unaligned = own.get(None, Figures())
    rows = []
    for node in forest.walk():
        total = totals[node.goal.pk]
        rows.append(
            AlignmentRow(
                node=node,
                own=own.get(node.goal.pk, Figures()),
                total=total,
                pipeline_share=share(total.pipeline, overall.pipeline),
                revenue_share=share(total.revenue, overall.revenue),
                effort_share=share(total.activities, overall.activities),
            )
        )
    return AlignmentReport(
        period=period, rows=rows, overall=overall, aligned=aligned, unaligned=unaligned
    )


# -- contribution -----------------------------------------------------------------------------


@dataclass
class ContributionRow:
    label: str
    kind: str  # member | team | others
    id: int | None
    amount: Decimal
    share: Decimal | None
    trend: list[tuple[str, Decimal | None]]  # (month "2026-07", share of that month)


@dataclass
class Contribution:
    node: GoalNode
    total: Decimal
    months: list[str]
    members: list[ContributionRow]
    teams: list[ContributionRow]


def won_on_goals(*, actor: Actor, goal_ids: list[int], period: Period) -> list[dict]:
    """Revenue won on deals linked to these goals, per credited member and month: two queries.

    A deal with a credit split credits each member their share of it, to the cent (the
    largest-remainder allocation of ``core.money``); a deal without one credits its owner.
    These are organisation-level results of shared goals (like a leaderboard), so they are
    read over all deals of the organisation, not just those the actor may open."""
    organisation = organisation_of(actor)
    org_actor = SystemActor(organisation, label="direction")
    deals = list(
        opportunity_qs(actor=org_actor)
        .filter(
            stage__kind=StageKind.WON,
            close_date__gte=period.start,
            close_date__lte=period.end,
            goal_link__goal_id__in=goal_ids,
        )
        .order_by()
        .values(
            "pk",
            "owner_id",
            "owner__user__full_name",
            "owner__profile__team_id",
            "owner__profile__team__name",
            "amount_reporting",
            month=TruncMonth("close_date"),
        )
    )
    splits: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for split in opportunity_split_rows(
        organisation_id=organisation.pk, opportunity_ids=[d["pk"] for d in deals]
    ):
        splits[split["opportunity_id"]].append(dict(split))
    places = minor_unit(organisation.currency)
    credits: dict[tuple, dict[str, Any]] = {}
    for deal in deals:
        amount = deal["amount_reporting"] or ZERO
        if deal["pk"] in splits:
            members = {s["member_id"]: s for s in splits[deal["pk"]]}
            shares = [(m, s["share"]) for m, s in members.items()]
            parts = [
                (
                    member_id,
                    members[member_id]["member__user__full_name"],
                    members[member_id]["member__profile__team_id"],
                    members[member_id]["member__profile__team__name"],
                    part,
                )
                for member_id, part in allocate(amount, shares, places).items()
            ]
        else:
            parts = [
                (
                    deal["owner_id"],
                    deal["owner__user__full_name"],
                    deal["owner__profile__team_id"],
                    deal["owner__profile__team__name"],
                    amount,
                )
            ]
        for member_id, name, team_id, team_name, part in parts:
            key = (member_id, deal["month"])
            credit = credits.setdefault(
                key,
                {
                    "owner_id": member_id,
                    "owner__user__full_name": name,
                    "owner__profile__team_id": team_id,
                    "owner__profile__team__name": team_name,
                    "month": deal["month"],
                    "amount": ZERO,
                },
            )
            credit["amount"] += part
    return list(credits.values())


def goal_contribution(
    *, actor: Actor, node: GoalNode, visible_member_ids: set[int], period: Period | None = None
) -> Contribution:
    """Each member's and team's share of the revenue won on deals serving this goal (and the
    goals below it), with the month-by-month trend of that share. Members the actor may not
    see are summed into one "others" row."""
    goal = node.goal
    period = period or Period(goal.period_start, goal.period_end, goal.period, "custom")
    ids = [n.goal.pk for n in node.walk()]
    rows = won_on_goals(actor=actor, goal_ids=ids, period=period)
    months = [m.strftime("%Y-%m") for m in period.months]
    month_total: dict[str, Decimal] = defaultdict(Decimal)
    by_member: dict[int | None, dict] = {}
    by_team: dict[int | None, dict] = {}
    total = ZERO
    for row in rows:
        month = row["month"].strftime("%Y-%m") if row["month"] else ""
        amount = row["amount"]
        total += amount
        month_total[month] += amount
        visible = row["owner_id"] in visible_member_ids
        key = row["owner_id"] if visible else None
        m = by_member.setdefault(
            key,
            {
                "label": row["owner__user__full_name"] if visible else "",
                "amount": ZERO,
                "months": defaultdict(Decimal),
            },
        )
        m["amount"] += amount
        m["months"][month] += amount
        t = by_team.setdefault(
            row["owner__profile__team_id"],
            {
                "label": row["owner__profile__team__name"] or "",
                "amount": ZERO,
                "months": defaultdict(Decimal),
            },
        )
        t["amount"] += amount
        t["months"][month] += amount

    def build(groups: dict, kind: str) -> list[ContributionRow]:
        out = [
            ContributionRow(
                label=data["label"],
                kind=("others" if key is None and kind == "member" else kind),
                id=key,
                amount=data["amount"],
                share=share(data["amount"], total),
                trend=[(mo, share(data["months"].get(mo, ZERO), month_total[mo])) for mo in months],
            )
            for key, data in groups.items()
        ]
        return sorted(out, key=lambda r: (r.kind == "others", -r.amount, r.label))

    return Contribution(
        node=node,
        total=total,
        months=months,
        members=build(by_member, "member"),
        teams=build(by_team, "team"),
    )

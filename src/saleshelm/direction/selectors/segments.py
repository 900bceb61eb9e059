"""Reads of target segments, fits, and the reports by segment (SPEC §5 "Sales strategy").

Reports are grouped SQL aggregates over the records the actor may see, joined to the stored
fit of each deal's (order's, activity's) account. An account never classified yet (created
since the last reclassification) counts as "no segment".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, ExpressionWrapper, F, Q, QuerySet
from django.db.models import DurationField as DjangoDurationField
from django.db.models.aggregates import Avg

from saleshelm.core.errors import NotFound
from saleshelm.core.periods import Period
from saleshelm.crm.models import OrderLineStatus, StageKind
from saleshelm.crm.selectors import activity_list, opportunity_list, order_line_list
from saleshelm.direction.models import AccountSegmentFit, Grade, LeadSegmentFit, Segment
from saleshelm.direction.selectors.common import ZERO, money_sum, share
from saleshelm.tenancy.actors import Actor


def segment_list(*, actor: Actor) -> QuerySet[Segment]:
    return Segment.objects.filter(organisation_id=actor.organisation_id).order_by(
        "priority", "name", "pk"
    )


def access_segment(*, actor: Actor, id: int) -> Segment:
    segment = segment_list(actor=actor).filter(pk=id).first()
    if segment is None:
        raise NotFound("Segment")
    return segment


def segment_counts(*, actor: Actor) -> dict[int | None, dict[str, int]]:
    """Accounts and leads per segment (None: no segment), over the records the actor sees."""
    from saleshelm.crm.selectors.records import account_qs, lead_qs

    out: dict[int | None, dict[str, int]] = {}
    accounts = (
        account_qs(actor=actor).order_by().values("segment_fit__segment_id").annotate(n=Count("pk"))
    )
    for row in accounts:
        out.setdefault(row["segment_fit__segment_id"], {"accounts": 0, "leads": 0})["accounts"] = (
            row["n"]
        )
    leads = (
        lead_qs(actor=actor).order_by().values("segment_fit__segment_id").annotate(n=Count("pk"))
    )
    for row in leads:
        out.setdefault(row["segment_fit__segment_id"], {"accounts": 0, "leads": 0})["leads"] = row[
            "n"
        ]
    return out


def account_fit(*, account) -> AccountSegmentFit | None:
    return AccountSegmentFit.objects.filter(account=account).select_related("segment").first()


def lead_fit(*, lead) -> LeadSegmentFit | None:
    return LeadSegmentFit.objects.filter(lead=lead).select_related("segment").first()


@dataclass
class SegmentRow:
    segment: Segment | None  # None: accounts in no segment
    grade: str = ""
    accounts: int = 0
    leads: int = 0
    pipeline: Decimal = ZERO
    pipeline_deals: int = 0
    revenue: Decimal = ZERO
    won: int = 0
    lost: int = 0
    cycle_days: Decimal | None = None

    @property
    def win_rate(self) -> Decimal | None:
        return share(self.won, self.won + self.lost)


@dataclass
class EffortRow:
    grade: str
    activities: int
    share: Decimal | None


@dataclass
class SegmentReport:
    period: Period
    rows: list[SegmentRow]
    effort: list[EffortRow] = field(default_factory=list)
    target_activities: int = 0
    other_activities: int = 0

    @property
    def target_share(self) -> Decimal | None:
        return share(self.target_activities, self.target_activities + self.other_activities)


def _days(value) -> Decimal | None:
    if value is None:
        return None
    seconds = value.total_seconds() if hasattr(value, "total_seconds") else float(value) / 1e6
    return (Decimal(str(seconds)) / Decimal(86400)).quantize(Decimal("0.1"))


def segment_report(*, actor: Actor, period: Period) -> SegmentReport:
    """Pipeline, revenue, win rate and cycle time by segment; effort on target customers
    (an account graded A, B or C) against the rest."""
    from django.db.models.functions import TruncDate

    segments = list(segment_list(actor=actor))
    rows: dict[int | None, SegmentRow] = {s.pk: SegmentRow(segment=s) for s in segments}
    rows[None] = SegmentRow(segment=None)

    def row(segment_id: int | None) -> SegmentRow:
        return rows.get(segment_id) or rows[None]

    for segment_id, counts in segment_counts(actor=actor).items():
        r = row(segment_id)
        r.accounts += counts["accounts"]
        r.leads += counts["leads"]
    seg = "account__segment_fit__segment_id"
    for r_ in (
        opportunity_list(
            actor=actor, state=StageKind.OPEN, close_from=period.start, close_to=period.end
        )
        .order_by()
        .values(seg)
        .annotate(amount=money_sum("amount_reporting"), n=Count("pk"))
    ):
        r = row(r_[seg])
        r.pipeline += r_["amount"]
        r.pipeline_deals += r_["n"]
    cycle = ExpressionWrapper(
        TruncDate("closed_at") - F("created_date"), output_field=DjangoDurationField()
    )
    for r_ in (
        opportunity_list(actor=actor, state="closed", close_from=period.start, close_to=period.end)
        .order_by()
        .values(seg)
        .annotate(
            won=Count("pk", filter=Q(stage__kind=StageKind.WON)),
            lost=Count("pk", filter=Q(stage__kind=StageKind.LOST)),
            cycle=Avg(cycle, filter=Q(stage__kind=StageKind.WON, closed_at__isnull=False)),
        )
    ):
        r = row(r_[seg])
        r.won += r_["won"]
        r.lost += r_["lost"]
        r.cycle_days = _days(r_["cycle"])
    line_seg = "order__account__segment_fit__segment_id"
    for r_ in (
        order_line_list(actor=actor, date_from=period.start, date_to=period.end)
        .exclude(status=OrderLineStatus.CANCELLED)
        .order_by()
        .values(line_seg)
        .annotate(amount=money_sum("net_amount_reporting"))
    ):
        row(r_[line_seg]).revenue += r_["amount"]
    grades = (
        activity_list(actor=actor, date_from=period.start, date_to=period.end)
        .order_by()
        .values("account__segment_fit__grade")
        .annotate(n=Count("pk"))
    )
    by_grade: dict[str, int] = {}
    for r_ in grades:
        key = r_["account__segment_fit__grade"] or ""
        by_grade[key] = by_grade.get(key, 0) + r_["n"]
    total = sum(by_grade.values())
    effort = [
        EffortRow(grade=g, activities=by_grade.get(g, 0), share=share(by_grade.get(g, 0), total))
        for g in (Grade.A, Grade.B, Grade.C, Grade.NONE)
    ]
    target = sum(by_grade.get(g, 0) for g in (Grade.A, Grade.B, Grade.C))
    from saleshelm.direction.segments import compile_rules

    grade_of = {rule.segment_id: rule.grade for rule in compile_rules(segments)}
    for segment_id, r in rows.items():
        r.grade = grade_of.get(segment_id, "") if segment_id is not None else ""
    ordered = [rows[s.pk] for s in segments] + [rows[None]]
    return SegmentReport(
        period=period,
        rows=ordered,
        effort=effort,
        target_activities=target,
        other_activities=total - target,
    )

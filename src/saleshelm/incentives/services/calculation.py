"""Calculating a commission run: load everything in a fixed number of queries, compute each
statement with the pure engine, write the results in bulk (SPEC §7, §10).

Queries, whatever the number of members: the run's plans and versions, their assignments,
the statements already written for these plans (the history later periods read back: what
earlier months of a quarter paid, draws outstanding, the rates lines were paid at), the
adjustment lines among them, the changed source lines and splits since closed periods were
calculated, the quotas, the exchange rates, the order lines joined with their splits, the
team structure (for overrides), the resolved disputes to pay — then deletes and bulk
inserts in batches.

How a run covers its period: every plan (or the run's one plan) is calculated for each of
its pay periods inside the run's period — a quarter run of a monthly-paid plan calculates
its three months, in order, each reading the one before. A pay period is governed by the
plan version in force on its last day, and covers that version's assignments.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import IntegrityError, connections, models, router, transaction
from django.db.models import F, Max, OuterRef, Q, Subquery, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict
from saleshelm.core.money import minor_unit
from saleshelm.core.periods import Period, parse_period, period_of
from saleshelm.crm.models import OrderLine, OrderLineSplit
from saleshelm.crm.services.rates import RateBook
from saleshelm.incentives.engine import types as e
from saleshelm.incentives.engine.allocation import allocate, quantum
from saleshelm.incentives.engine.calculate import calculate, is_clawback
from saleshelm.incentives.models import (
    CLOSED_STATUSES,
    CommissionRun,
    CreditLine,
    Dispute,
    DisputeStatus,
    PayoutLine,
    PlanAssignment,
    PlanVersion,
    RunStatus,
    Statement,
)
from saleshelm.incentives.plans import engine_plan
from saleshelm.incentives.selectors.quotas import member_targets
from saleshelm.tenancy.models import Organisation

ZERO = Decimal(0)
UNITS_PLACES = 4
CANCELLING = ("cancelled", "returned")


# --- History: what earlier statements of a plan tell later ones -------------------------------


@dataclass
class Past:
    """One statement as later periods read it back (from the database or from this run)."""

    key: Any  # statement id, or ("new", n) for a statement of this run
    plan_id: int
    member_id: int
    period: str
    start: dt.date
    end: dt.date
    measure: str
    status: str
    run_id: int | None
    calculated_at: dt.datetime | None
    version_id: int
    paid: dict[str, Decimal] = field(default_factory=dict)  # component -> paid
    rates: dict[str, Decimal] = field(default_factory=dict)  # component -> effective rate
    earnings: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    draw_paid: Decimal = ZERO
    spiffs: dict[tuple[int, str], Decimal] = field(default_factory=dict)  # (line, SPIFF) -> paid

    @property
    def closed(self) -> bool:
        return self.status in CLOSED_STATUSES


@dataclass
class Issued:
    """A recalculation adjustment: it corrects ``ref`` and sits in statement ``placed``."""

    ref: Any
    adjusts_kind: str
    component: str
    amount: Decimal
    placed: Any


def summary_json(result: e.StatementResult) -> dict:
    def s(v: Decimal | None) -> str | None:
        return None if v is None else str(v)

    return {
        "components": {
            name: {
                "basis": s(c.basis),
                "quota": s(c.quota),
                "attainment": None
                if c.attainment is None
                else str(c.attainment.quantize(Decimal("0.0001"))),
                "payout_to_date": s(c.payout_to_date),
                "paid": s(c.paid),
                "rate": s(c.rate),
                "note": c.note,
            }
            for name, c in result.components.items()
        },
        "earnings": [[k, comp, str(v)] for (k, comp), v in sorted(result.earnings.items())],
        "draw_paid": str(result.draw_paid),
        "warnings": list(result.warnings),
        "spiffs": [[line, name, str(v)] for (line, name), v in sorted(result.spiffs.items())],
    }


def _past_from_row(row: dict) -> Past:
    summary = row["summary"] or {}
    comps = summary.get("components", {})
    return Past(
        key=row["id"],
        plan_id=row["plan_id"],
        member_id=row["member_id"],
        period=row["period"],
        start=row["period_start"],
        end=row["period_end"],
        measure=row["measure_period"],
        status=row["status"],
        run_id=row["run_id"],
        calculated_at=row["calculated_at"],
        version_id=row["plan_version_id"],
        paid={n: Decimal(c.get("paid") or "0") for n, c in comps.items()},
        rates={n: Decimal(c.get("rate") or "0") for n, c in comps.items()},
        earnings={(k, comp): Decimal(v) for k, comp, v in summary.get("earnings", [])},
        draw_paid=Decimal(summary.get("draw_paid") or "0"),
        spiffs={(line, name): Decimal(v) for line, name, v in summary.get("spiffs", [])},
    )


class History:
    def __init__(self) -> None:
        self.by_member: dict[tuple[int, int], list[Past]] = defaultdict(list)
        self.by_key: dict[Any, Past] = {}
        self.issued: dict[tuple[int, int], list[Issued]] = defaultdict(list)

    def add(self, past: Past) -> None:
        rows = self.by_member[(past.plan_id, past.member_id)]
        rows.append(past)
        rows.sort(key=lambda p: p.start)
        self.by_key[past.key] = past

    def of(self, plan_id: int, member_id: int) -> list[Past]:
        return self.by_member.get((plan_id, member_id), [])

    def issued_for(self, plan_id: int, member_id: int) -> list[Issued]:
        return self.issued.get((plan_id, member_id), [])

    def paid_before(self, plan_id: int, member_id: int, window: e.Window) -> dict[str, Decimal]:
        earlier = {
            p.key: p
            for p in self.of(plan_id, member_id)
            if p.measure == window.measure_key and p.start < window.pay_start
        }
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for p in earlier.values():
            for name, amount in p.paid.items():
                out[name] += amount
        for adj in self.issued_for(plan_id, member_id):
            if adj.ref in earlier and adj.adjusts_kind in (e.TIER, e.BONUS):
                out[adj.component] += adj.amount
        return {k: v for k, v in out.items() if v}

    def draw_balance(self, plan_id: int, member_id: int, before: dt.date) -> Decimal:
        earlier = {p.key for p in self.of(plan_id, member_id) if p.start < before}
        balance = sum((p.draw_paid for p in self.of(plan_id, member_id) if p.key in earlier), ZERO)
        for adj in self.issued_for(plan_id, member_id):
            if adj.ref in earlier and adj.adjusts_kind in (e.DRAW, e.DRAW_RECOVERY):
                balance += adj.amount
        return balance

    def spiffs_on(
        self, plan_id: int, member_id: int, day: dt.date
    ) -> dict[tuple[int, str], Decimal]:
        """What the statement of the pay period containing ``day`` paid in SPIFFs, per line."""
        for p in self.of(plan_id, member_id):
            if p.start <= day <= p.end:
                return p.spiffs
        return {}

    def rate_on(self, plan_id: int, member_id: int, day: dt.date, component: str) -> Decimal | None:
        for p in self.of(plan_id, member_id):
            if p.start <= day <= p.end:
                return p.rates.get(component)
        return None


# --- Jobs --------------------------------------------------------------------------------------


@dataclass
class Job:
    version: PlanVersion
    plan: e.Plan
    window: e.Window
    members: list[int]


def _window(pay: Period, measure_kind: str, fiscal: int) -> e.Window:
    measure = period_of(pay.start, measure_kind, fiscal_start_month=fiscal)
    return e.Window(
        pay_key=pay.key,
        pay_start=pay.start,
        pay_end=pay.end,
        measure_key=measure.key,
        measure_start=measure.start,
        measure_end=measure.end,
        pay_kind=pay.kind,
    )


def pay_periods_within(period: Period, pay_kind: str, fiscal: int) -> list[Period]:
    """The pay periods of ``pay_kind`` lying wholly inside ``period``, in order."""
    seen: dict[str, Period] = {}
    for month in period.months:
        p = period_of(month, pay_kind, fiscal_start_month=fiscal)
        if p.start >= period.start and p.end <= period.end:
            seen.setdefault(p.key, p)
    return sorted(seen.values(), key=lambda p: p.start)


def governing(versions: list[PlanVersion], pay: Period) -> PlanVersion | None:
    """The version in force on the pay period's last day (latest start; then highest number)."""
    live = [
        v
        for v in versions
        if v.effective_from <= pay.end and (v.effective_to is None or v.effective_to >= pay.start)
    ]
    return max(live, key=lambda v: (v.effective_from, v.version)) if live else None


# --- Source lines -> credits -------------------------------------------------------------------


def _merge(ranges: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    out: list[list[dt.date]] = []
    for start, end in sorted(ranges):
        if out and (start - out[-1][1]).days <= 1:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


LINE_FIELDS = (
    "id",
    "order_id",
    "order__external_id",
    "line",
    "sku",
    "product_category__name",
    "quantity",
    "net_amount",
    "net_amount_reporting",
    "cost_amount",
    "cost_amount_reporting",
    "currency",
    "status",
    "status_date",
    "order_date",
    "owner_id",
    "splits__member_id",
    "splits__share",
)


DECIMAL_LINE_FIELDS = (
    "quantity",
    "net_amount",
    "net_amount_reporting",
    "cost_amount",
    "cost_amount_reporting",
    "splits__share",
)


# Read only when a plan filters on order types or segments (SPEC §7 filters).
DETAIL_FIELDS = (
    "order__account_id",
    "returns_line__order_id",
    "order__account__segment_fit__segment__name",
)
NEW_ORDER = "new"  # the first order of its account: new business
EXISTING_ORDER = "existing"  # a later order of an account that bought before


@dataclass
class SourceLine:
    id: int
    order_id: int
    order: str
    line: int
    sku: str
    category: str | None
    quantity: Decimal
    net: Decimal
    net_reporting: Decimal | None
    cost: Decimal | None
    cost_reporting: Decimal | None
    currency: str
    status: str
    status_date: dt.date | None
    order_date: dt.date
    owner_id: int
    splits: list[tuple[int, Decimal]] = field(default_factory=list)
    order_type: str | None = None
    segment: str | None = None


def first_orders(organisation_id: int) -> dict[int, int]:
    """account id -> the id of its first order (earliest date, then lowest id): one query."""
    from saleshelm.crm.models import Order

    first = Order.objects.filter(account_id=OuterRef("account_id")).order_by("order_date", "pk")
    return dict(
        Order.objects.filter(organisation_id=organisation_id, account_id__isnull=False)
        .annotate(first=Subquery(first.values("pk")[:1]))
        .filter(pk=F("first"))
        .values_list("account_id", "pk")
    )


def load_lines(
    organisation_id: int,
    order_ranges,
    status_ranges,
    *,
    member_id: int | None = None,
    detail: bool = False,
) -> list[SourceLine]:
    """Every order line booked in the ranges, or cancelled/returned in the status ranges,
    joined with its splits: one query. With ``member_id``, only the lines credited to that
    member (owned without splits, or split to them), with all their splits.

    With ``detail``, each line also gets its order type and its account's segment (one more
    query, for the accounts' first orders): ``new`` for the first order of its account,
    ``existing`` for a later one; a credit note takes the type of the order it gives back,
    so returns net against the same basis. The segment is the name of the account's target
    segment (direction's segment fit). Lines without an account have neither."""
    match = Q(pk__in=[])
    for start, end in _merge(order_ranges):
        match |= Q(order_date__gte=start, order_date__lte=end)
    for start, end in _merge(status_ranges):
        match |= Q(status_date__gte=start, status_date__lte=end, status__in=CANCELLING)
    if member_id is not None:
        match &= Q(owner_id=member_id) | Q(
            pk__in=OrderLineSplit.objects.filter(
                organisation_id=organisation_id, member_id=member_id
            ).values("line_id")
        )
    # One raw fetch of plain tuples: every column is an annotation, so the SQL selects them
    # in exactly this order, and no Django converter runs per value. Decimals travel as
    # text and are read with Decimal(): exact on SQLite (which keeps them as REAL) and
    # PostgreSQL alike; SQLite hands dates back as ISO text, read once per distinct day.
    fields = LINE_FIELDS + (DETAIL_FIELDS if detail else ())
    columns = {
        f"c{i}": Cast(name, TextField()) if name in DECIMAL_LINE_FIELDS else F(name)
        for i, name in enumerate(fields)
    }
    qs = (
        OrderLine.objects.filter(organisation_id=organisation_id)
        .filter(match)
        .annotate(**columns)
        .order_by()  # rows of one line are gathered by id below: no sort (it spilled to disk)
        .values_list(*columns)
    )
    firsts = first_orders(organisation_id) if detail else {}
    lines: list[SourceLine] = []
    try:
        sql, params = qs.query.sql_with_params()
    except EmptyResultSet:  # no range at all
        return lines
    conn = connections[qs.db]
    days: dict[Any, dt.date | None] = {None: None}

    def day(value: Any) -> dt.date | None:
        found = days.get(value)
        if found is None and value is not None:
            found = days[value] = (
                value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
            )
        return found

    D = Decimal
    by_id: dict[int, SourceLine] = {}
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql" and conn.in_atomic_block:
            # The planner's estimate for a big organisation switches JIT compilation on,
            # which costs more (~0.4 s) than it saves on this one scan.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(10000)
            if not chunk:
                break
            for row in chunk:
                current = by_id.get(row[0])
                if current is None:
                    cost = row[9]
                    cost_rep = row[10]
                    net_rep = row[8]
                    current = SourceLine(
                        row[0],
                        row[1],
                        row[2],
                        row[3],
                        row[4],
                        row[5],
                        D(row[6]),
                        D(row[7]),
                        None if net_rep is None else D(net_rep),
                        None if cost is None else D(cost),
                        None if cost_rep is None else D(cost_rep),
                        row[11],
                        row[12],
                        day(row[13]),
                        day(row[14]),  # type: ignore[arg-type]
                        row[15],
                    )
                    by_id[row[0]] = current
                    if detail:
                        account_id, returned_order, segment = row[18:21]
                        if account_id is not None:
                            order_id = returned_order or current.order_id
                            first = firsts.get(account_id)
                            current.order_type = NEW_ORDER if first == order_id else EXISTING_ORDER
                        current.segment = segment
                    lines.append(current)
                if row[16] is not None:
                    current.splits.append((row[16], D(row[17])))
    return lines


class CreditBook:
    """Credits per member, in one plan currency, built once per currency for the run."""

    def __init__(
        self,
        lines: list[SourceLine],
        currency: str,
        organisation: Organisation,
        rates: RateBook,
        *,
        margin: bool,
        units: bool,
    ) -> None:
        places = minor_unit(currency)
        money = quantum(places)
        units_unit = quantum(UNITS_PLACES)
        one = Decimal(1)
        self.by_member: dict[int, list[e.Credit]] = defaultdict(list)
        by_member = self.by_member
        # Credits are frozen dataclasses: filled through their __dict__ (the same objects,
        # without a frozen __init__'s 16 object.__setattr__ calls each). Lines are visited in
        # the credits' order, so every member's list comes out sorted.
        new = object.__new__
        credit = e.Credit
        ordered = sorted(lines, key=lambda ln: (ln.order_date, ln.order, ln.line, ln.id))
        for ln in ordered:
            if ln.currency == currency:
                net, cost = ln.net, ln.cost
            else:
                net, cost = self._amounts(ln, currency, organisation, rates)
            common = {
                "line_id": ln.id,
                "order_id": ln.order_id,
                "order": ln.order,
                "line": ln.line,
                "sku": ln.sku,
                "order_date": ln.order_date,
                "quantity": ln.quantity,
                "status": ln.status,
                "status_date": ln.status_date,
                "category": ln.category,
                "order_type": ln.order_type,
                "segment": ln.segment,
            }
            if not ln.splits:  # wholly the owner's: nothing to allocate
                c = new(credit)
                d = c.__dict__
                d.update(common)
                d["share"] = one
                d["revenue"] = net.quantize(money, rounding=ROUND_HALF_UP)
                d["margin"] = (
                    (net - (cost or ZERO)).quantize(money, rounding=ROUND_HALF_UP)
                    if margin
                    else ZERO
                )
                d["units"] = (
                    ln.quantity.quantize(units_unit, rounding=ROUND_HALF_UP) if units else ZERO
                )
                by_member[ln.owner_id].append(c)
                continue
            shares = ln.splits
            revenue = allocate(net, shares, places)
            margins = allocate(net - (cost or ZERO), shares, places) if margin else {}
            quantities = allocate(ln.quantity, shares, UNITS_PLACES) if units else {}
            total_share = sum((s for _, s in shares), ZERO)
            for member_id, share in shares:
                c = new(credit)
                d = c.__dict__
                d.update(common)
                d["share"] = share / total_share if total_share != 1 else share
                d["revenue"] = revenue[member_id]
                d["margin"] = margins.get(member_id, ZERO)
                d["units"] = quantities.get(member_id, ZERO)
                by_member[member_id].append(c)
        self.dates: dict[int, list[dt.date]] = {
            member_id: [c.order_date for c in credits] for member_id, credits in by_member.items()
        }

    @staticmethod
    def _amounts(
        ln: SourceLine, currency: str, organisation: Organisation, rates: RateBook
    ) -> tuple[Decimal, Decimal | None]:
        if ln.currency == currency:
            return ln.net, ln.cost
        if currency == organisation.currency and ln.net_reporting is not None:
            return ln.net_reporting, ln.cost_reporting
        rate_in = rates.rate(ln.currency, ln.order_date)
        rate_out = rates.rate(currency, ln.order_date)

        def conv(v: Decimal | None) -> Decimal | None:
            return None if v is None else (v * rate_in / rate_out).quantize(Decimal("0.0001"))

        return conv(ln.net), conv(ln.cost)  # type: ignore[return-value]

    def window(
        self, member_id: int, w: e.Window, *, since: dt.date | None = None
    ) -> list[e.Credit]:
        """Credits booked from ``since`` (default: the measurement start) to the pay period's
        end, and earlier ones cancelled inside the pay period."""
        credits = self.by_member.get(member_id)
        if not credits:
            return []
        dates = self.dates[member_id]
        start = w.measure_start if since is None else since
        lo = bisect.bisect_left(dates, start)
        hi = bisect.bisect_right(dates, w.pay_end)
        picked = credits[lo:hi]
        picked += [
            c
            for c in credits[:lo]
            if c.cancelled
            and c.status_date is not None
            and w.pay_start <= c.status_date <= w.pay_end
        ]
        return picked


# --- The calculation ---------------------------------------------------------------------------


@dataclass
class Computed:
    job: Job
    member_id: int
    result: e.StatementResult
    key: Any
    disputes: list[int] = field(default_factory=list)


class RunCalculation:
    def __init__(self, run: CommissionRun, organisation: Organisation, started: dt.datetime):
        self.run = run
        self.org = organisation
        self.started = started
        self.fiscal = organisation.fiscal_year_start_month
        self.period = parse_period(run.period, fiscal_start_month=self.fiscal)
        self.warnings: list[str] = []
        self.skipped: list[str] = []
        self.history = History()
        self.new_counter = 0

    # -- loading

    def _versions(self) -> dict[int, list[PlanVersion]]:
        qs = PlanVersion.objects.filter(organisation_id=self.org.pk).select_related("plan")
        if self.run.plan_id is not None:
            qs = qs.filter(plan_id=self.run.plan_id)
        by_plan: dict[int, list[PlanVersion]] = defaultdict(list)
        for v in qs:
            by_plan[v.plan_id].append(v)
        return by_plan

    def _jobs(self, by_plan: dict[int, list[PlanVersion]]) -> list[Job]:
        jobs: list[Job] = []
        wanted: list[tuple[PlanVersion, Period]] = []
        for versions in by_plan.values():
            for pay_kind in sorted({v.pay for v in versions}):
                for pay in pay_periods_within(self.period, pay_kind, self.fiscal):
                    version = governing(versions, pay)
                    if version is not None and version.pay == pay_kind:
                        wanted.append((version, pay))
        if not wanted:
            if self.run.plan_id is not None:
                versions = by_plan.get(self.run.plan_id, [])
                kinds = ", ".join(sorted({v.pay for v in versions})) or "no version"
                raise ApplicationError(
                    f"The plan pays per {kinds}: it has no pay period inside {self.period.key} "
                    "in force. Run a period that contains whole pay periods.",
                    code="no_pay_period",
                    field="period",
                )
            return []
        assignments = PlanAssignment.objects.filter(
            version_id__in=sorted({v.pk for v, _ in wanted})
        ).values_list("version_id", "member_id", "effective_from", "effective_to")
        members_of: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
        for version_id, member_id, start, end in assignments:
            members_of[version_id].append((member_id, start, end))
        plans: dict[int, e.Plan] = {}
        for version, pay in wanted:
            plan = plans.get(version.pk)
            if plan is None:
                plan = plans[version.pk] = engine_plan(version.definition)
            members = sorted(
                m
                for m, start, end in members_of.get(version.pk, [])
                if start <= pay.end and (end is None or end >= pay.start)
            )
            jobs.append(Job(version, plan, _window(pay, version.measure, self.fiscal), members))
        jobs.sort(key=lambda j: (j.window.pay_start, j.version.plan_id))
        return jobs

    def _load_history(self, plan_ids: list[int]) -> None:
        rows = (
            Statement.objects.filter(organisation_id=self.org.pk, plan_id__in=plan_ids)
            .exclude(run_id=self.run.pk)
            .values(
                "id",
                "plan_id",
                "member_id",
                "period",
                "period_start",
                "period_end",
                "measure_period",
                "status",
                "run_id",
                "calculated_at",
                "plan_version_id",
                "summary",
            )
        )
        for row in rows:
            self.history.add(_past_from_row(row))
        adjustments = (
            PayoutLine.objects.filter(
                statement__organisation_id=self.org.pk,
                statement__plan_id__in=plan_ids,
                kind=e.ADJUSTMENT,
                source=e.FROM_RECALCULATION,
            )
            .exclude(statement__run_id=self.run.pk)
            .values_list(
                "statement__plan_id",
                "statement__member_id",
                "statement_id",
                "ref_statement_id",
                "adjusts_kind",
                "component",
                "amount",
            )
        )
        for plan_id, member_id, placed, ref, kind, component, amount in adjustments:
            self.history.issued[(plan_id, member_id)].append(
                Issued(ref, kind, component, amount, placed)
            )

    def _affected_closed(self, jobs: list[Job]) -> set[Any]:
        """Closed statements to recompute: a source line of their windows changed after they
        were calculated, or they were corrected by an adjustment before."""
        latest = max(j.window.pay_start for j in jobs)
        closed = [
            p
            for rows in self.history.by_member.values()
            for p in rows
            if p.closed and p.end < latest
        ]
        if not closed:
            return set()
        # A statement recalculated (after an unlock) since an adjustment for it was issued:
        # the adjustment may now count twice, recompute it to take it back.
        by_key = self.history.by_key
        affected = {
            issued.ref
            for rows in self.history.issued.values()
            for issued in rows
            if issued.ref in by_key
            and issued.placed in by_key
            and (by_key[issued.ref].calculated_at or self.started)
            > (by_key[issued.placed].calculated_at or self.started)
        }
        since = min(p.calculated_at for p in closed if p.calculated_at is not None)
        earliest = min(p.start for p in closed)
        measure_earliest = min(
            period_of(p.start, self._measure_kind(p), fiscal_start_month=self.fiscal).start
            for p in closed
        )
        old = Q(order_date__lt=latest, order_date__gte=measure_earliest) | Q(
            status_date__lt=latest, status_date__gte=earliest
        )
        changed = list(
            OrderLine.objects.filter(organisation_id=self.org.pk, updated_at__gt=since)
            .filter(old)
            .values("order_date", "status_date")
            .annotate(last=Max("updated_at"))
            .values_list("order_date", "status_date", "last")
        )
        old_split = Q(line__order_date__lt=latest, line__order_date__gte=measure_earliest) | Q(
            line__status_date__lt=latest, line__status_date__gte=earliest
        )
        changed += list(
            OrderLineSplit.objects.filter(organisation_id=self.org.pk, updated_at__gt=since)
            .filter(old_split)
            .values("line__order_date", "line__status_date")
            .annotate(last=Max("updated_at"))
            .values_list("line__order_date", "line__status_date", "last")
        )
        if not changed:
            return affected
        periods: dict[tuple[int, str], list[Past]] = defaultdict(list)
        for p in closed:
            periods[(p.plan_id, p.period)].append(p)
        for rows in periods.values():
            first = rows[0]
            measure_start = period_of(
                first.start, self._measure_kind(first), fiscal_start_month=self.fiscal
            ).start
            for order_date, status_date, last in changed:
                in_window = measure_start <= order_date <= first.end or (
                    status_date is not None and first.start <= status_date <= first.end
                )
                if not in_window:
                    continue
                for p in rows:
                    if p.calculated_at is None or last > p.calculated_at:
                        affected.add(p.key)
        return affected

    def _measure_kind(self, past: Past) -> str:
        version = self.versions_by_id.get(past.version_id)
        return version.measure if version is not None else "month"

    # -- the run

    def compute(self) -> list[Computed]:
        by_plan = self._versions()
        self.versions_by_id = {v.pk: v for vs in by_plan.values() for v in vs}
        self.plans_by_version: dict[int, e.Plan] = {}
        jobs = self._jobs(by_plan)
        if not jobs:
            self.warnings.append(f"no plan has a pay period inside {self.period.key}")
            return []
        for job in jobs:
            self.plans_by_version[job.version.pk] = job.plan
        plan_ids = sorted({j.version.plan_id for j in jobs})
        self._load_history(plan_ids)
        jobs = self._drop_taken(jobs)
        affected = self._affected_closed(jobs) if jobs else set()
        recompute = [self.history.by_key[k] for k in affected if self.history.by_key[k].closed]
        for past in recompute:
            if past.version_id not in self.plans_by_version:
                version = self.versions_by_id.get(past.version_id)
                if version is not None:
                    self.plans_by_version[past.version_id] = engine_plan(version.definition)
        recompute = [p for p in recompute if p.version_id in self.plans_by_version]
        # Windows to load: every job, every closed period recomputed.
        windows = [j.window for j in jobs] + [self._past_window(p) for p in recompute]
        order_ranges = [(w.measure_start, w.pay_end) for w in windows]
        status_ranges = [(w.pay_start, w.pay_end) for w in windows]
        quotas_wanted = set()
        for plan, w in [(j.plan, j.window) for j in jobs] + [
            (self.plans_by_version[p.version_id], self._past_window(p)) for p in recompute
        ]:
            for comp in plan.components:
                if comp.quota == "target":
                    quotas_wanted.add((comp.basis, w.measure_key, w.measure_start, w.measure_end))
        self.targets = member_targets(organisation_id=self.org.pk, wanted=quotas_wanted)
        currencies = {j.plan.currency for j in jobs} | {
            self.plans_by_version[p.version_id].currency for p in recompute
        }
        all_versions = [self.plans_by_version[v] for v in self.plans_by_version]
        detail = any(
            c.filters.order_types or c.filters.segments for p in all_versions for c in p.components
        )
        lines = load_lines(self.org.pk, order_ranges, status_ranges, detail=detail)
        rates = RateBook(self.org, {ln.currency for ln in lines} | currencies)
        all_plans = list(self.plans_by_version.values())
        needs_margin = any(c.basis == "gross_margin" for p in all_plans for c in p.components)
        needs_units = any(c.basis == "units" for p in all_plans for c in p.components)
        self.books = {
            cur: CreditBook(lines, cur, self.org, rates, margin=needs_margin, units=needs_units)
            for cur in sorted(currencies)
        }
        self.teams = self._teams() if any(p.override_rate is not None for p in all_plans) else {}
        disputes = self._disputes(plan_ids)
        out: list[Computed] = []
        for job in jobs:
            for member_id in job.members:
                adjustments = self._recalc_adjustments(job, member_id, affected)
                placed: list[int] = []
                for d in disputes.get((job.version.plan_id, member_id), []):
                    if d["period_start"] < job.window.pay_start and d["id"] not in self.placed:
                        adjustments.append(self._dispute_line(d))
                        placed.append(d["id"])
                        self.placed.add(d["id"])
                result = self._statement(
                    job.plan, job.version.plan_id, member_id, job.window, adjustments
                )
                key = self._new_key()
                for line in adjustments:
                    if line.source == e.FROM_RECALCULATION:
                        self.history.issued[(job.version.plan_id, member_id)].append(
                            Issued(
                                line.ref_statement_id,
                                line.adjusts_kind,
                                line.component,
                                line.amount,
                                key,
                            )
                        )
                self.history.add(self._past_of(result, job, member_id, key))
                out.append(Computed(job, member_id, result, key, placed))
        return out

    def _drop_taken(self, jobs: list[Job]) -> list[Job]:
        """Statements of another run: closed ones are left alone (that period is paid),
        open ones are a conflict (recalculate that run instead)."""
        kept: list[Job] = []
        for job in jobs:
            members = []
            for member_id in job.members:
                other = next(
                    (
                        p
                        for p in self.history.of(job.version.plan_id, member_id)
                        if p.period == job.window.pay_key
                    ),
                    None,
                )
                if other is None:
                    members.append(member_id)
                elif other.closed:
                    self.skipped.append(
                        f"{job.window.pay_key}: member {member_id} (run {other.run_id}, {other.status})"
                    )
                else:
                    raise Conflict(
                        f"The {job.window.pay_key} statements of plan "
                        f"{job.version.plan.name!r} belong to run #{other.run_id} "
                        f"({other.status}); recalculate that run instead.",
                        code="statement_in_other_run",
                    )
            kept.append(Job(job.version, job.plan, job.window, members))
        return kept

    def _past_window(self, past: Past) -> e.Window:
        version = self.versions_by_id[past.version_id]
        pay = Period(past.start, past.end, past.period, version.pay)
        return _window(pay, version.measure, self.fiscal)

    def _teams(self) -> dict[int, list[int]]:
        """manager id -> members of the team subtrees they manage (themselves excluded)."""
        from saleshelm.people.models import MemberProfile, Team

        paths: dict[int, list[str]] = defaultdict(list)
        for manager_id, path in Team.objects.filter(
            organisation_id=self.org.pk, manager_id__isnull=False
        ).values_list("manager_id", "path"):
            paths[manager_id].append(path)
        profiles = list(
            MemberProfile.objects.filter(
                organisation_id=self.org.pk, team__isnull=False
            ).values_list("membership_id", "team__path")
        )
        out: dict[int, list[int]] = {}
        for manager_id, prefixes in paths.items():
            out[manager_id] = sorted(
                {
                    member_id
                    for member_id, path in profiles
                    if member_id != manager_id and any(path.startswith(p) for p in prefixes)
                }
            )
        return out

    def _disputes(self, plan_ids: list[int]) -> dict[tuple[int, int], list[dict]]:
        self.placed: set[int] = set()
        rows = (
            Dispute.objects.filter(
                organisation_id=self.org.pk,
                plan_id__in=plan_ids,
                status=DisputeStatus.ADJUSTED,
            )
            .filter(Q(placed_statement__isnull=True) | Q(placed_statement__run_id=self.run.pk))
            .order_by("resolved_at", "pk")
            .values(
                "id",
                "plan_id",
                "member_id",
                "period",
                "period_start",
                "statement_id",
                "line_id",
                "line_component",
                "line_kind",
                "adjustment_amount",
                "resolution",
            )
        )
        out: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            out[(row["plan_id"], row["member_id"])].append(dict(row))
        return out

    def _dispute_line(self, d: dict) -> e.Line:
        return e.Line(
            e.ADJUSTMENT,
            d["line_component"],
            d["adjustment_amount"],
            note=f"dispute #{d['id']} on {d['period']} {d['line_kind']}: {d['resolution']}"[:255],
            adjusts_kind=d["line_kind"],
            source=e.FROM_DISPUTE,
            ref_statement_id=d["statement_id"],
            ref_line_id=d["line_id"],
            dispute_id=d["id"],
        )

    def _new_key(self) -> tuple[str, int]:
        self.new_counter += 1
        return ("new", self.new_counter)

    def _past_of(self, result: e.StatementResult, job: Job, member_id: int, key: Any) -> Past:
        return Past(
            key=key,
            plan_id=job.version.plan_id,
            member_id=member_id,
            period=job.window.pay_key,
            start=job.window.pay_start,
            end=job.window.pay_end,
            measure=job.window.measure_key,
            status=RunStatus.CALCULATED,
            run_id=self.run.pk,
            calculated_at=self.started,
            version_id=job.version.pk,
            paid={n: c.paid for n, c in result.components.items()},
            rates={n: c.rate for n, c in result.components.items()},
            earnings=dict(result.earnings),
            draw_paid=result.draw_paid,
            spiffs=dict(result.spiffs),
        )

    def _statement(
        self,
        plan: e.Plan,
        plan_id: int,
        member_id: int,
        window: e.Window,
        adjustments: list[e.Line],
    ) -> e.StatementResult:
        book = self.books[plan.currency]
        credits = book.window(member_id, window)
        quotas: dict[str, Decimal | None] = {}
        for comp in plan.components:
            if comp.quota == "target":
                quotas[comp.name] = self.targets.get((member_id, comp.basis, window.measure_key))
            elif isinstance(comp.quota, Decimal):
                quotas[comp.name] = comp.quota
        clawback_rates: dict[tuple[int, str], Decimal] = {}
        for c in credits:
            if is_clawback(c, window, plan.clawback_days):
                for comp in plan.components:
                    rate = self.history.rate_on(plan_id, member_id, c.order_date, comp.name)
                    if rate is not None:
                        clawback_rates[(c.line_id, comp.name)] = rate
        spiffs_paid: dict[tuple[int, str], Decimal] = {}
        if plan.spiffs:
            for c in credits:
                if is_clawback(c, window, plan.clawback_days, since=window.pay_start):
                    paid = self.history.spiffs_on(plan_id, member_id, c.order_date)
                    for spiff in plan.spiffs:
                        amount = paid.get((c.line_id, spiff.name))
                        if amount:
                            spiffs_paid[(c.line_id, spiff.name)] = amount
        team = self.teams.get(member_id) if plan.override_rate is not None else None
        team_credits: list[e.Credit] = []
        if team:
            for other in team:
                team_credits.extend(book.window(other, window, since=window.pay_start))
        inp = e.StatementInput(
            plan=plan,
            member_id=member_id,
            window=window,
            credits=tuple(credits),
            quotas=quotas,
            paid_before=self.history.paid_before(plan_id, member_id, window),
            clawback_rates=clawback_rates,
            manages_team=bool(team),
            team_credits=tuple(team_credits),
            draw_balance=self.history.draw_balance(plan_id, member_id, window.pay_start)
            if plan.draw is not None and plan.draw.recoverable
            else ZERO,
            adjustments=tuple(adjustments),
            spiffs_paid=spiffs_paid,
        )
        result = calculate(inp)
        for warning in result.warnings:
            self.warnings.append(f"member {member_id} {window.pay_key}: {warning}")
        return result

    def _recalc_adjustments(self, job: Job, member_id: int, affected: set[Any]) -> list[e.Line]:
        """Recompute this member's closed statements touched by later changes; what differs
        from what they paid (plus adjustments already issued) is adjusted now."""
        plan_id = job.version.plan_id
        lines: list[e.Line] = []
        for past in self.history.of(plan_id, member_id):
            if past.key not in affected or not past.closed or past.end >= job.window.pay_start:
                continue
            plan = self.plans_by_version[past.version_id]
            window = self._past_window(past)
            again = self._statement(plan, plan_id, member_id, window, [])
            issued: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
            for adj in self.history.issued_for(plan_id, member_id):
                if adj.ref == past.key:
                    issued[(adj.adjusts_kind, adj.component)] += adj.amount
            keys = set(again.earnings) | set(past.earnings) | set(issued)
            for kind, component in sorted(keys):
                delta = (
                    again.earnings.get((kind, component), ZERO)
                    - past.earnings.get((kind, component), ZERO)
                    - issued.get((kind, component), ZERO)
                )
                if not delta:
                    continue
                line = e.Line(
                    e.ADJUSTMENT,
                    component,
                    delta,
                    note=f"{past.period} recalculated: {kind} changed after it was {past.status}",
                    adjusts_kind=kind,
                    source=e.FROM_RECALCULATION,
                    ref_statement_id=past.key,
                )
                lines.append(line)
                # Seen at once by the recomputation of the later closed statements.
                self.history.issued[(plan_id, member_id)].append(
                    Issued(past.key, kind, component, delta, None)
                )
        # The caller records them again with the statement they are placed in.
        self.history.issued[(plan_id, member_id)] = [
            i for i in self.history.issued_for(plan_id, member_id) if i.placed is not None
        ]
        return lines


# --- Writing -----------------------------------------------------------------------------------


LINE_COLUMNS = [
    "organisation",
    "statement",
    "position",
    "kind",
    "component",
    "basis",
    "basis_is_quantity",
    "rate",
    "amount",
    "note",
    "adjusts_kind",
    "source",
    "ref_statement",
    "ref_line_id",
    "dispute",
]
CREDIT_COLUMNS = [
    "organisation",
    "statement",
    "source_line_id",
    "order_ref",
    "line_no",
    "sku",
    "order_date",
    "credited",
    "share",
]
SHARE_QUANTUM = Decimal("0.0001")


def _line_rows(org_id: int, statement_id: int, lines: Iterable[e.Line]) -> list[tuple]:
    return [
        (
            org_id,
            statement_id,
            i,
            ln.kind,
            ln.component,
            ln.basis,
            ln.basis_is_quantity,
            ln.rate,
            ln.amount,
            ln.note[:255],
            ln.adjusts_kind,
            ln.source,
            ln.ref_statement_id,
            ln.ref_line_id,
            ln.dispute_id,
        )
        for i, ln in enumerate(lines, start=1)
    ]


def _credit_rows(org_id: int, statement_id: int, result: e.StatementResult) -> list[tuple]:
    return [
        (
            org_id,
            statement_id,
            c.line_id,
            c.order[:100],
            c.line,
            c.sku[:64],
            c.order_date,
            c.credited,
            c.share.quantize(SHARE_QUANTUM),
        )
        for c in result.credits
    ]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(f: models.Field) -> Callable[[Any], str]:
    """How a value of field ``f`` is written in COPY's text format (``\\N`` for NULL)."""
    if isinstance(f, models.BooleanField):
        return lambda v: "\\N" if v is None else ("t" if v else "f")
    if isinstance(f, models.DateField):  # dates and datetimes
        return lambda v: "\\N" if v is None else v.isoformat()
    if isinstance(f, (models.CharField, models.TextField)):
        return lambda v: "\\N" if v is None else v.translate(_COPY_ESCAPES)
    # Integers, foreign keys, decimals (str() is exact; PostgreSQL reads exponent forms).
    return lambda v: "\\N" if v is None else str(v)


def insert_rows(model, names: list[str], rows: list[tuple]) -> None:
    """Append many rows to ``model``'s table in one statement: ``COPY`` on PostgreSQL, one
    ``executemany`` on SQLite. ``created_at``/``updated_at`` are set to now; values are plain
    Python values (Decimal, date, int, str, bool, None)."""
    if not rows:
        return
    conn = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(n) for n in names]
    stamp_fields = [model._meta.get_field("created_at"), model._meta.get_field("updated_at")]
    columns = [f.column for f in fields] + [f.column for f in stamp_fields]
    now = timezone.now()
    quoted = ", ".join(conn.ops.quote_name(c) for c in columns)
    table = conn.ops.quote_name(model._meta.db_table)
    if conn.vendor == "postgresql":
        # COPY's text format written by hand, a block of rows at a time: one join per row
        # instead of psycopg's per-value dumpers (write_row).
        text = [_copy_text(f) for f in fields]
        stamps = "\t" + now.isoformat() + "\t" + now.isoformat() + "\n"
        conn.ensure_connection()
        with (
            conn.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy,
        ):
            for lo in range(0, len(rows), 10000):
                copy.write(
                    "".join(
                        "\t".join([t(v) for t, v in zip(text, row, strict=True)]) + stamps
                        for row in rows[lo : lo + 10000]
                    )
                )
        return
    # SQLite stores decimals and dates as text it converts itself; adapt once per kind.
    stamp = conn.ops.adapt_datetimefield_value(now)
    adapt: list[Callable[[Any], str | None] | None] = []
    for f in fields:
        if isinstance(f, models.DecimalField):
            adapt.append(lambda v: None if v is None else str(v))
        elif isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField):
            adapt.append(lambda v: None if v is None else v.isoformat())
        else:
            adapt.append(None)
    converted = [(i, a) for i, a in enumerate(adapt) if a is not None]
    params = []
    for row in rows:
        values = list(row)
        for i, a in converted:
            values[i] = a(values[i])
        params.append((*values, stamp, stamp))
    marks = ", ".join(["%s"] * len(columns))
    with conn.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", params)  # noqa: S608


def insert_many(model, objs: list) -> None:
    """One ``executemany`` INSERT for any number of rows: a single statement whatever the
    number of members (Django's ``bulk_create`` splits at 999 parameters on SQLite)."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    conn = connections[router.db_for_write(model)]
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # Table and column names come from the model, values are parameters.
    table = conn.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    params = [[f.get_db_prep_save(f.pre_save(obj, True), conn) for f in fields] for obj in objs]
    with conn.cursor() as cursor:
        cursor.executemany(sql, params)


def update_many(model, objs: list, names: list[str]) -> None:
    """One ``executemany`` UPDATE ... WHERE id = %s for any number of rows."""
    if not objs:
        return
    fields = [model._meta.get_field(n) for n in names]
    conn = connections[router.db_for_write(model)]
    sets = ", ".join(f"{conn.ops.quote_name(f.column)} = %s" for f in fields)
    pk = model._meta.pk
    table = conn.ops.quote_name(model._meta.db_table)
    sql = f"UPDATE {table} SET {sets} WHERE {conn.ops.quote_name(pk.column)} = %s"  # noqa: S608
    params = [
        [f.get_db_prep_save(f.pre_save(obj, False), conn) for f in fields]
        + [pk.get_db_prep_value(obj.pk, conn)]
        for obj in objs
    ]
    with conn.cursor() as cursor:
        cursor.executemany(sql, params)


STATEMENT_FIELDS = [
    "plan_version",
    "period_start",
    "period_end",
    "measure_period",
    "currency",
    "status",
    "total",
    "summary",
    "calculated_at",
    "updated_at",
]


def _delete_parts(model, run: CommissionRun) -> None:
    """Delete the lines (or credits) of a run's statements: ``statement_id IN (the run's
    statements)``, one statement. The ORM's ``statement__run`` filter deletes by ``id IN
    (a join)``, a second pass over the table that took PostgreSQL three times as long."""
    conn = connections[router.db_for_write(model)]
    q = conn.ops.quote_name
    statement = Statement._meta
    sql = (
        f"DELETE FROM {q(model._meta.db_table)} WHERE {q('statement_id')} IN "  # noqa: S608
        f"(SELECT {q(statement.pk.column)} FROM {q(statement.db_table)} "
        f"WHERE {q('run_id')} = %s)"
    )
    with conn.cursor() as cursor:
        cursor.execute(sql, [run.pk])


def write(run: CommissionRun, computed: list[Computed], started: dt.datetime) -> dict:
    """Replace the run's statements with ``computed``: existing statements keep their id (so
    disputes and adjustments referring to them stay valid), lines and credits are rewritten.
    A fixed number of statements, whatever the number of members or lines."""
    org_id = run.organisation_id
    existing = {
        (plan_id, member_id, period): pk
        for pk, plan_id, member_id, period in Statement.objects.filter(run=run).values_list(
            "pk", "plan_id", "member_id", "period"
        )
    }
    Dispute.objects.filter(placed_statement__run=run).update(placed_statement=None)
    Dispute.objects.filter(line__statement__run=run).update(line=None)
    _delete_parts(PayoutLine, run)
    _delete_parts(CreditLine, run)
    keep: dict[tuple, Statement] = {}
    fresh: list[Statement] = []
    for c in computed:
        w = c.job.window
        ident = (c.job.version.plan_id, c.member_id, w.pay_key)
        stmt = Statement(
            pk=existing.get(ident),
            organisation_id=org_id,
            run_id=run.pk,
            plan_id=c.job.version.plan_id,
            plan_version_id=c.job.version.pk,
            member_id=c.member_id,
            period=w.pay_key,
            period_start=w.pay_start,
            period_end=w.pay_end,
            measure_period=w.measure_key,
            currency=c.job.plan.currency,
            status=RunStatus.CALCULATED,
            total=c.result.total,
            summary=summary_json(c.result),
            calculated_at=started,
        )
        keep[ident] = stmt
        if stmt.pk is None:
            fresh.append(stmt)
    stale = [pk for ident, pk in existing.items() if ident not in keep]
    if stale:
        if PayoutLine.objects.filter(ref_statement_id__in=stale).exists():
            raise Conflict(
                "A statement this run no longer produces is referenced by adjustments.",
                code="statement_referenced",
            )
        Dispute.objects.filter(statement_id__in=stale).update(statement=None)
        Statement.objects.filter(pk__in=stale)._raw_delete(Statement.objects.db)
    update_many(Statement, [s for s in keep.values() if s.pk is not None], STATEMENT_FIELDS)
    try:
        with transaction.atomic():
            insert_many(Statement, fresh)
    except IntegrityError:
        raise Conflict(
            "Another run is writing statements for the same members, period and plan; "
            "try again when it has finished.",
            code="concurrent_run",
        ) from None
    if fresh:
        for pk, plan_id, member_id, period in Statement.objects.filter(run=run).values_list(
            "pk", "plan_id", "member_id", "period"
        ):
            keep[(plan_id, member_id, period)].pk = pk
    ids = {
        c.key: keep[(c.job.version.plan_id, c.member_id, c.job.window.pay_key)].pk for c in computed
    }
    payout: list[tuple] = []
    credits: list[tuple] = []
    placements: list[tuple[int, int]] = []
    for c in computed:
        sid = ids[c.key]
        lines = []
        for ln in c.result.lines:
            ref = ln.ref_statement_id
            if isinstance(ref, tuple):  # a statement of this run
                ref = ids.get(ref)
            lines.append(ln if ref == ln.ref_statement_id else _with_ref(ln, ref))
        payout.extend(_line_rows(org_id, sid, lines))
        credits.extend(_credit_rows(org_id, sid, c.result))
        placements.extend((sid, d) for d in c.disputes)
    insert_rows(PayoutLine, LINE_COLUMNS, payout)
    insert_rows(CreditLine, CREDIT_COLUMNS, credits)
    update_many(
        Dispute,
        [Dispute(pk=d, placed_statement_id=sid) for sid, d in placements],
        ["placed_statement"],
    )
    totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for c in computed:
        totals[c.job.plan.currency] += c.result.total
    return {
        "statements": len(computed),
        "totals": {cur: str(v) for cur, v in sorted(totals.items())},
    }


def _with_ref(line: e.Line, ref: Any) -> e.Line:
    return replace(line, ref_statement_id=ref)

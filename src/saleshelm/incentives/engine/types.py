"""What the commission engine takes in and gives back: frozen dataclasses, Decimal only.

Nothing here touches the database: the services load rows and build these, the engine
computes, the services write the result. That keeps every rule of SPEC §7 testable by hand
and by hypothesis without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)

BASES = ("revenue", "gross_margin", "units")
PERIOD_KINDS = ("month", "quarter", "year")
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
TIERS_ON = ("attainment", "amount")
MODES = ("marginal", "retroactive")
APPLIES_TO = ("period", "order")
FREQUENCIES = ("every_time", "once_per_period")
# Order types a component may filter on: the first order of an account (new business), or a
# later one (existing customers). A credit note has the type of the order it gives back.
ORDER_TYPES = ("new", "existing")

# Payout line kinds (SPEC §7 "Runs and statements").
TIER = "tier"
BONUS = "bonus"
SPIFF = "spiff"
OVERRIDE = "override"
CLAWBACK = "clawback"
DRAW = "draw"
DRAW_RECOVERY = "draw_recovery"
ADJUSTMENT = "adjustment"
LINE_KINDS = (TIER, BONUS, SPIFF, OVERRIDE, CLAWBACK, DRAW, DRAW_RECOVERY, ADJUSTMENT)

# Where an adjustment line comes from.
FROM_RECALCULATION = "recalculation"  # a closed period recomputed with later source changes
FROM_DISPUTE = "dispute"  # finance resolved a dispute with an amount


def _fold(values) -> frozenset[str]:
    return frozenset(str(v).strip().casefold() for v in values)


@dataclass(frozen=True)
class Tier:
    """From ``start`` (inclusive) up to the next tier's start: a ``rate`` of the basis or a
    flat ``amount``."""

    start: Decimal
    rate: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True)
class Bonus:
    at: Decimal  # attainment
    amount: Decimal


@dataclass(frozen=True)
class Filters:
    """Which credited lines a component counts; empty means "no restriction"."""

    product_categories: frozenset[str] = frozenset()
    skus: frozenset[str] = frozenset()
    order_types: frozenset[str] = frozenset()
    segments: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *, product_categories=(), skus=(), order_types=(), segments=()) -> Filters:
        return cls(_fold(product_categories), _fold(skus), _fold(order_types), _fold(segments))

    def matches(self, c: Credit) -> bool:
        if self.product_categories and (c.category or "").casefold() not in self.product_categories:
            return False
        if self.skus and c.sku.casefold() not in self.skus:
            return False
        if self.order_types and (c.order_type or "").casefold() not in self.order_types:
            return False
        return not (self.segments and (c.segment or "").casefold() not in self.segments)


@dataclass(frozen=True)
class Component:
    name: str
    tiers: tuple[Tier, ...]
    basis: str = "revenue"
    filters: Filters = Filters()
    tiers_on: str = "amount"
    quota: Decimal | str | None = None  # "target", a fixed amount, or none
    mode: str = "marginal"
    applies_to: str = "period"
    cap: Decimal | None = None
    threshold: Decimal | None = None
    bonuses: tuple[Bonus, ...] = ()

    @property
    def needs_quota(self) -> bool:
        return self.tiers_on == "attainment" or self.threshold is not None or bool(self.bonuses)

    @property
    def flat_amounts(self) -> bool:
        return self.tiers[0].amount is not None


@dataclass(frozen=True)
class Spiff:
    name: str
    amount: Decimal
    start: dt.date
    end: dt.date
    skus: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    min_quantity: Decimal = Decimal(1)
    frequency: str = "every_time"

    def qualifies(self, c: Credit) -> bool:
        listed = c.sku.casefold() in self.skus or (c.category or "").casefold() in self.categories
        return (
            listed
            and c.quantity > 0
            and c.quantity >= self.min_quantity
            and self.start <= c.order_date <= self.end
        )


@dataclass(frozen=True)
class Draw:
    amount: Decimal
    recoverable: bool = False


@dataclass(frozen=True)
class Plan:
    name: str
    currency: str
    measure: str = "month"
    pay: str = "month"
    clawback_days: int = 0
    components: tuple[Component, ...] = ()
    spiffs: tuple[Spiff, ...] = ()
    override_rate: Decimal | None = None
    draw: Draw | None = None


@dataclass(frozen=True)
class Credit:
    """One order line as credited to one member, amounts already in the plan currency.

    ``revenue`` and ``margin`` are this member's share, allocated at the currency's minor
    unit; ``units`` the share of the quantity (4 places); ``quantity`` the whole line's."""

    line_id: int
    order_id: int
    order: str  # the order's external id
    line: int
    sku: str
    order_date: dt.date
    quantity: Decimal
    share: Decimal
    revenue: Decimal
    margin: Decimal = ZERO
    units: Decimal = ZERO
    status: str = "confirmed"
    status_date: dt.date | None = None
    category: str | None = None
    order_type: str | None = None
    segment: str | None = None

    @property
    def cancelled(self) -> bool:
        """Cancelled, or a sold (positive) line marked returned; a negative returned line is a
        credit note that counts, negative, in its own period."""
        return self.status == "cancelled" or (self.status == "returned" and self.quantity > 0)

    @property
    def cancelled_on(self) -> dt.date:
        return self.status_date or self.order_date

    def counts_through(self, start: dt.date, end: dt.date) -> bool:
        """Booked in [start, end] and not cancelled on or before ``end`` (status as of the
        window's end)."""
        if not start <= self.order_date <= end:
            return False
        return not (self.cancelled and self.cancelled_on <= end)

    def basis(self, name: str) -> Decimal:
        if name == "revenue":
            return self.revenue
        if name == "gross_margin":
            return self.margin
        return self.units


@dataclass(frozen=True)
class Window:
    """The pay period a statement is for, inside its measurement period."""

    pay_key: str
    pay_start: dt.date
    pay_end: dt.date
    measure_key: str
    measure_start: dt.date
    measure_end: dt.date
    pay_kind: str = "month"

    @property
    def first_of_measure(self) -> bool:
        return self.pay_start == self.measure_start


@dataclass(frozen=True)
class Line:
    kind: str
    component: str  # "" for lines of no component (override, draw)
    amount: Decimal
    basis: Decimal | None = None
    rate: Decimal | None = None
    note: str = ""
    basis_is_quantity: bool = False
    # Adjustments: what they correct.
    adjusts_kind: str = ""
    source: str = ""
    ref_statement_id: int | None = None
    ref_line_id: int | None = None
    dispute_id: int | None = None


@dataclass(frozen=True)
class StatementInput:
    plan: Plan
    member_id: int
    window: Window
    # The member's credits booked in [measure_start, pay_end], plus lines booked earlier
    # that were cancelled in the pay period (clawback candidates).
    credits: tuple[Credit, ...] = ()
    # component -> quota of the measurement period
    quotas: Mapping[str, Decimal | None] = field(default_factory=dict)
    # component -> what earlier pay periods of the measurement period paid for it
    paid_before: Mapping[str, Decimal] = field(default_factory=dict)
    # (line id, component) -> effective rate of the period the line was paid in
    clawback_rates: Mapping[tuple[int, str], Decimal] = field(default_factory=dict)
    manages_team: bool = False
    team_credits: tuple[Credit, ...] = ()  # credits of the managed subtrees (not own)
    draw_balance: Decimal = ZERO  # recoverable draw outstanding before this period
    adjustments: tuple[Line, ...] = ()
    # (line id, SPIFF name) -> what an earlier pay period paid that line for that SPIFF
    spiffs_paid: Mapping[tuple[int, str], Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class CreditRow:
    line_id: int
    order: str
    line: int
    sku: str
    order_date: dt.date
    credited: Decimal
    share: Decimal


@dataclass(frozen=True)
class ComponentSummary:
    basis: Decimal
    quota: Decimal | None
    attainment: Decimal | None
    payout_to_date: Decimal  # tier + bonus + cap lines, before what was paid earlier
    paid: Decimal  # what this statement pays for the component
    rate: Decimal  # effective rate used to claw back lines of this period
    note: str = ""


@dataclass(frozen=True)
class StatementResult:
    member_id: int
    window: Window
    lines: tuple[Line, ...]
    credits: tuple[CreditRow, ...]
    total: Decimal
    components: Mapping[str, ComponentSummary] = field(default_factory=dict)
    earnings: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)
    draw_paid: Decimal = ZERO  # draw + draw_recovery lines of this statement
    warnings: tuple[str, ...] = ()
    # (line id, SPIFF name) -> amount this statement paid: what a later clawback takes back
    spiffs: Mapping[tuple[int, str], Decimal] = field(default_factory=dict)

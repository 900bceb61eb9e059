"""Money properties of the pure engine (SPEC §11.3), 1,000 examples each, no database."""

from __future__ import annotations

import random
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from saleshelm.core.money import quantize_money
from saleshelm.incentives.engine import Tier, allocate, calculate
from saleshelm.incentives.engine.tiers import marginal_payout, retroactive_payout
from saleshelm.incentives.engine.types import Component, Plan, StatementInput
from tests.incentives.engine_helpers import credit, window

PROPERTY = settings(max_examples=1000, deadline=None)
CENT = Decimal("0.01")

cents = st.integers(min_value=-50_000_00, max_value=500_000_00).map(lambda c: Decimal(c) / 100)
positive_cents = st.integers(min_value=0, max_value=500_000_00).map(lambda c: Decimal(c) / 100)
rates = st.integers(min_value=0, max_value=3000).map(lambda r: Decimal(r) / 10000)


@st.composite
def ladders(draw, rising: bool = False):
    """Ascending tier starts from 0 (in money) with rates; ``rising``: non-decreasing rates."""
    n = draw(st.integers(min_value=1, max_value=4))
    gaps = draw(st.lists(st.integers(1, 200_000), min_size=n - 1, max_size=n - 1))
    starts = [Decimal(0)]
    for gap in gaps:
        starts.append(starts[-1] + gap)
    rs = draw(st.lists(rates, min_size=n, max_size=n))
    if rising:
        rs = sorted(rs)
    return tuple(Tier(s, rate=r) for s, r in zip(starts, rs, strict=True))


@st.composite
def components(draw):
    ladder = draw(ladders())
    return Component(
        name="Revenue",
        tiers=ladder,
        mode=draw(st.sampled_from(["marginal", "retroactive"])),
        applies_to=draw(st.sampled_from(["period", "order"])),
        cap=draw(st.none() | positive_cents),
    )


@st.composite
def credit_lists(draw):
    amounts = draw(st.lists(cents, min_size=0, max_size=8))
    orders = draw(st.lists(st.integers(1, 3), min_size=len(amounts), max_size=len(amounts)))
    return [
        credit(a, f"2026-07-{(i % 28) + 1:02d}", order_id=o, line_id=i + 1)
        for i, (a, o) in enumerate(zip(amounts, orders, strict=True))
    ]


def _inp(plan, credits, **kw):
    return StatementInput(plan=plan, member_id=1, window=window(), credits=tuple(credits), **kw)


@PROPERTY
@given(comp=components(), credits=credit_lists(), currency=st.sampled_from(["USD", "VND"]))
def test_lines_sum_to_the_total_to_the_cent(comp, credits, currency):
    result = calculate(_inp(Plan("P", currency, components=(comp,)), credits))
    assert result.total == sum((ln.amount for ln in result.lines), Decimal(0))
    for ln in result.lines:
        assert ln.amount == quantize_money(ln.amount, currency)


@st.composite
def splits(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    members = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    weights = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n))
    total = sum(weights)
    # shares at 4 places summing to exactly 1, as stored on split rows
    shares = [Decimal(w * 10000 // total) / 10000 for w in weights]
    shares[0] += Decimal(1) - sum(shares)
    if shares[0] <= 0:
        shares = [Decimal(1) / n] * n
    return list(zip(members, shares, strict=True))


@PROPERTY
@given(
    amount=st.integers(-(10**12), 10**12).map(lambda c: Decimal(c) / 10000),
    shares=splits(),
    places=st.sampled_from([0, 2, 4]),
)
def test_split_allocation_sums_exactly_and_is_deterministic(amount, shares, places):
    got = allocate(amount, shares, places)
    unit = Decimal(1).scaleb(-places)
    assert sum(got.values(), Decimal(0)) == amount.quantize(unit, rounding="ROUND_HALF_UP")
    assert all(v == v.quantize(unit) for v in got.values())
    shuffled = list(shares)
    random.Random(len(shares)).shuffle(shuffled)
    assert allocate(amount, shuffled, places) == got
    # no member is more than one unit away from the exact share of what is split: the total
    # rounded half-up to the unit first, as allocate() says (against the unrounded total a
    # member could be a hair over one unit away: 0.7283 of 48525.8548 at 2 places)
    weight = sum(s for _, s in shares)
    split = amount.quantize(unit, rounding="ROUND_HALF_UP")
    for member, share in shares:
        assert abs(got[member] - split * share / weight) <= unit


@PROPERTY
@given(comp=components(), credits=credit_lists(), seed=st.integers(0, 1000))
def test_recomputing_gives_identical_statements(comp, credits, seed):
    plan = Plan("P", "USD", components=(comp,))
    first = calculate(_inp(plan, credits))
    shuffled = list(credits)
    random.Random(seed).shuffle(shuffled)
    again = calculate(_inp(plan, shuffled))
    assert again.lines == first.lines
    assert again.credits == first.credits
    assert again.total == first.total
    assert again.components == first.components


@PROPERTY
@given(amount=positive_cents, rate=rates, others=st.lists(positive_cents, max_size=5))
def test_a_line_and_its_clawback_net_to_zero_on_a_flat_plan(amount, rate, others):
    plan = Plan(
        "Flat",
        "USD",
        clawback_days=365,
        components=(Component("Revenue", (Tier(Decimal(0), rate=rate),)),),
    )
    sold = credit(amount, "2026-06-10", line_id=1)
    june = calculate(StatementInput(plan, 1, window("2026-06"), credits=(sold,)))
    # the same line cancelled in July, beside other July business
    cancelled = credit(
        amount, "2026-06-10", line_id=1, status="cancelled", status_date="2026-07-05"
    )
    july_lines = [cancelled] + [
        credit(o, "2026-07-10", line_id=i + 2) for i, o in enumerate(others)
    ]
    july = calculate(
        StatementInput(
            plan,
            1,
            window("2026-07"),
            credits=tuple(july_lines),
            clawback_rates={(1, "Revenue"): june.components["Revenue"].rate},
        )
    )
    clawback = sum((ln.amount for ln in july.lines if ln.kind == "clawback"), Decimal(0))
    assert june.total + clawback == 0
    assert clawback == -quantize_money(amount * rate, "USD")


@PROPERTY
@given(ladder=ladders(rising=True), basis=positive_cents)
def test_marginal_never_pays_more_than_retroactive_on_rising_tiers(ladder, basis):
    bounds = [t.start for t in ladder]
    ratios = [t.rate for t in ladder]
    assert marginal_payout(basis, bounds, ratios) <= retroactive_payout(basis, bounds, ratios)
    # rounded statements: each line is rounded on its own, so at most half a cent per line
    # (and half a cent of the retroactive line) above
    marginal = calculate(
        _inp(Plan("M", "USD", components=(Component("R", ladder),)), [credit(basis)])
    )
    retro = calculate(
        _inp(
            Plan("R", "USD", components=(Component("R", ladder, mode="retroactive"),)),
            [credit(basis)],
        )
    )
    assert marginal.total <= retro.total + CENT / 2 * (len(marginal.lines) + 1)

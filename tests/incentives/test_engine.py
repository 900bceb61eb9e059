"""The pure engine on hand-worked cases (SPEC §7). Each case shows its arithmetic."""

from __future__ import annotations

from decimal import Decimal

from saleshelm.incentives.engine import Line, allocate
from saleshelm.incentives.engine.tiers import slices, tier_index
from tests.incentives.engine_helpers import (
    D,
    calc,
    comp,
    credit,
    plan,
    rows,
    spiff,
    window,
)

SPEC_TIERS = ((0, "0"), ("0.5", "0.10"), ("1.0", "0.15"))


# --- SPEC worked examples -----------------------------------------------------------------------


def test_spec_marginal_attainment_ladder_pays_8000():
    # given quota 100,000 and tiers 0 -> 0 %, 0.5 -> 10 %, 1.0 -> 15 %, marginal
    p = plan(comp(*SPEC_TIERS, tiers_on="attainment", quota=100000, mode="marginal"))
    # when 120,000 is credited in the period
    result = calc(p, [credit(120000)])
    # then 0–50,000 pays 0 (not shown), 50,000–100,000 pays 10 %, 100,000–120,000 pays 15 %:
    # 0 + 5,000 + 3,000 = 8,000.00
    assert rows(result) == [
        ("tier", D(50000), D("0.10"), D("5000.00")),
        ("tier", D(20000), D("0.15"), D("3000.00")),
    ]
    assert str(result.total) == "8000.00"


def test_spec_retroactive_pays_the_whole_basis_at_the_tier_reached():
    # given the same tiers, retroactive; 120,000 credited (attainment 1.2 -> the 15 % tier)
    p = plan(comp(*SPEC_TIERS, tiers_on="attainment", quota=100000, mode="retroactive"))
    result = calc(p, [credit(120000)])
    # then 120,000 x 15 % = 18,000.00 on one line
    assert rows(result) == [("tier", D(120000), D("0.15"), D("18000.00"))]
    assert str(result.total) == "18000.00"


def test_spec_amount_tiers_a_further_deal_earns_1100():
    # given tiers on amount 0 -> 4 %, 150,000 -> 6 %, 250,000 -> 8 %, marginal
    p = plan(comp((0, "0.04"), (150000, "0.06"), (250000, "0.08")))
    # when 145,000 is already credited, then a further 20,000 deal
    before = calc(p, [credit(145000)])
    after = calc(p, [credit(145000), credit(20000)])
    # then 145,000 x 4 % = 5,800; at 165,000: 150,000 x 4 % + 15,000 x 6 % = 6,000 + 900 = 6,900;
    # the deal earns 6,900 - 5,800 = 5,000 x 4 % + 15,000 x 6 % = 1,100.00
    assert before.total == D("5800.00")
    assert rows(after) == [
        ("tier", D(150000), D("0.04"), D("6000.00")),
        ("tier", D(15000), D("0.06"), D("900.00")),
    ]
    assert after.total - before.total == D("1100.00")


# --- Tier ranges ----------------------------------------------------------------------------------


def test_a_value_exactly_on_a_boundary_belongs_to_the_higher_tier():
    bounds = [D(0), D(50000), D(100000)]
    assert tier_index(D(100000), bounds) == 2
    assert tier_index(D("99999.99"), bounds) == 1
    # slices of exactly 100,000: 50,000 in the first, 50,000 in the second, 0 in the third
    assert slices(D(100000), bounds) == [D(50000), D(50000), D(0)]
    # retroactive at exactly 1.0 attainment: 100,000 x 15 % = 15,000.00
    retro = plan(comp(*SPEC_TIERS, tiers_on="attainment", quota=100000, mode="retroactive"))
    assert calc(retro, [credit(100000)]).total == D("15000.00")
    # one cent below: 99,999.99 x 10 % = 9,999.999 -> 10,000.00 (half-up)
    assert calc(retro, [credit("99999.99")]).total == D("10000.00")
    # marginal at exactly 1.0: the 15 % slice is empty and not shown: 5,000.00
    marginal = plan(comp(*SPEC_TIERS, tiers_on="attainment", quota=100000))
    assert rows(calc(marginal, [credit(100000)])) == [("tier", D(50000), D("0.10"), D("5000.00"))]


def test_amount_tier_boundary():
    # given 0 -> 4 %, 150,000 -> 6 % retroactive; exactly 150,000 -> 6 % on all = 9,000.00
    p = plan(comp((0, "0.04"), (150000, "0.06"), mode="retroactive"))
    assert calc(p, [credit(150000)]).total == D("9000.00")
    # 149,999.99 -> 4 %: 5,999.9996 -> 6,000.00
    assert calc(p, [credit("149999.99")]).total == D("6000.00")


def test_marginal_versus_retroactive_on_the_same_numbers():
    # tiers 0 -> 5 %, 10,000 -> 8 %; basis 25,000
    marginal = plan(comp((0, "0.05"), (10000, "0.08")))
    retro = plan(comp((0, "0.05"), (10000, "0.08"), mode="retroactive"))
    # marginal: 10,000 x 5 % + 15,000 x 8 % = 500 + 1,200 = 1,700.00
    assert calc(marginal, [credit(25000)]).total == D("1700.00")
    # retroactive: 25,000 x 8 % = 2,000.00
    assert calc(retro, [credit(25000)]).total == D("2000.00")


def test_attainment_versus_amount():
    # tiers on amount 0 -> 2 %, 50,000 -> 5 %; basis 120,000:
    # 50,000 x 2 % + 70,000 x 5 % = 1,000 + 3,500 = 4,500.00
    on_amount = plan(comp((0, "0.02"), (50000, "0.05")))
    assert calc(on_amount, [credit(120000)]).total == D("4500.00")
    # on attainment 0 -> 2 %, 0.5 -> 5 % with quota 200,000: the boundary is at 100,000:
    # 100,000 x 2 % + 20,000 x 5 % = 2,000 + 1,000 = 3,000.00
    on_attainment = plan(comp((0, "0.02"), ("0.5", "0.05"), tiers_on="attainment", quota=200000))
    assert calc(on_attainment, [credit(120000)]).total == D("3000.00")
    # with quota 100,000 both agree (boundary at 50,000)
    same = plan(comp((0, "0.02"), ("0.5", "0.05"), tiers_on="attainment", quota=100000))
    assert calc(same, [credit(120000)]).total == D("4500.00")


def test_first_tier_covers_values_below_its_start():
    # tiers starting at 0.5 -> 10 %, 1.0 -> 15 %; attainment 0.3 is paid at 10 %:
    # 30,000 x 10 % = 3,000.00
    p = plan(comp(("0.5", "0.10"), ("1.0", "0.15"), tiers_on="attainment", quota=100000))
    assert calc(p, [credit(30000)]).total == D("3000.00")


# --- Returns ---------------------------------------------------------------------------------------


def test_returns_net_against_the_basis():
    # 1,000 sold - 200 credited at 4 % = 800 x 4 % = 32.00
    p = plan(comp((0, "0.04")))
    sold = credit(1000)
    returned = credit(-200, quantity=-1, status="returned", status_date="2026-07-20")
    result = calc(p, [sold, returned])
    assert rows(result) == [("tier", D(800), D("0.04"), D("32.00"))]
    # per order as well: 40.00 - 8.00 = 32.00
    per_order = plan(comp((0, "0.04"), applies_to="order"))
    assert calc(per_order, [sold, returned]).total == D("32.00")


def test_a_negative_net_basis_is_paid_at_the_first_tier_rate():
    # 200 sold, 500 returned: -300 x 4 % = -12.00 (the 6 % tier is never reached)
    p = plan(comp((0, "0.04"), (1000, "0.06")))
    result = calc(p, [credit(200), credit(-500, quantity=-2, status="returned")])
    assert rows(result) == [("tier", D(-300), D("0.04"), D("-12.00"))]


# --- Per order ladders ------------------------------------------------------------------------------


def test_per_order_ladder_measures_each_order_separately():
    # tiers on amount 0 -> 1 %, 1,000 -> 3 %, marginal, applies_to order
    p = plan(comp((0, "0.01"), (1000, "0.03"), applies_to="order"))
    credits = [
        credit(1000, order_id=901),  # order A: two lines, 1,500 in all
        credit(500, order_id=901),
        credit(800, order_id=902),  # order B
        credit(2000, order_id=903),  # order C
    ]
    # A: 1,000 x 1 % + 500 x 3 % = 25; B: 800 x 1 % = 8; C: 1,000 x 1 % + 1,000 x 3 % = 40
    # by tier: 1 % on 1,000 + 800 + 1,000 = 2,800 -> 28.00; 3 % on 500 + 1,000 = 1,500 -> 45.00
    result = calc(p, credits)
    assert rows(result) == [
        ("tier", D(2800), D("0.01"), D("28.00")),
        ("tier", D(1500), D("0.03"), D("45.00")),
    ]
    assert result.total == D("73.00")
    # the same lines measured on the period: 1,000 x 1 % + 3,300 x 3 % = 10 + 99 = 109.00
    assert calc(plan(comp((0, "0.01"), (1000, "0.03"))), credits).total == D("109.00")


# --- Threshold, bonuses, cap ----------------------------------------------------------------------------


def test_threshold_withholds_everything_bonuses_included():
    # threshold 0.5, quota 100,000, 5 % from 0, bonus 500 at 0.4
    p = plan(comp((0, "0.05"), quota=100000, threshold="0.5", bonuses=[("0.4", "500")]))
    # attainment 0.45 is below the threshold: nothing, although the bonus at 0.4 is reached
    below = calc(p, [credit(45000)])
    assert below.lines == () and below.total == D("0.00")
    # exactly 0.5 pays: 50,000 x 5 % = 2,500 + bonus 500 = 3,000.00
    at = calc(p, [credit(50000)])
    assert [(ln.kind, ln.amount) for ln in at.lines] == [
        ("tier", D("2500.00")),
        ("bonus", D("500.00")),
    ]
    assert at.total == D("3000.00")


def test_bonuses_are_paid_once_each_when_reached():
    # bonuses 1,000 at 1.0 and 2,000 at 1.2; attainment 1.1 reaches only the first
    p = plan(comp((0, "0"), quota=100000, bonuses=[("1.0", "1000"), ("1.2", "2000")]))
    assert [ln.amount for ln in calc(p, [credit(110000)]).lines] == [D("1000.00")]
    # attainment 1.25: both, 3,000.00
    assert calc(p, [credit(125000)]).total == D("3000.00")


def test_cap_includes_bonuses():
    # 10 % from 0, quota 100,000, bonus 1,000 at 1.0, cap 12,000
    p = plan(comp((0, "0.10"), quota=100000, cap="12000", bonuses=[("1.0", "1000")]))
    # 115,000: 11,500 + 1,000 = 12,500 > 12,000 -> one negative tier line "cap" of -500.00
    capped = calc(p, [credit(115000)])
    assert [(ln.kind, ln.amount, ln.note) for ln in capped.lines] == [
        ("tier", D("11500.00"), ""),
        ("bonus", D("1000.00"), "attainment 1.1500 ≥ 1"),
        ("tier", D("-500.00"), "cap 12000"),
    ]
    assert capped.total == D("12000.00")
    # 105,000: 10,500 + 1,000 = 11,500 under the cap: no cap line
    assert calc(p, [credit(105000)]).total == D("11500.00")


# --- Flat amounts ----------------------------------------------------------------------------------------


def test_flat_amount_tiers_retroactive_versus_marginal():
    # tiers on attainment 0 -> 0, 0.8 -> 500, 1.0 -> 1,000 (flat amounts); attainment 1.05
    pairs = ((0, 0), ("0.8", 500), ("1.0", 1000))
    retro = plan(
        comp(*pairs, amounts=True, tiers_on="attainment", quota=100000, mode="retroactive")
    )
    marginal = plan(comp(*pairs, amounts=True, tiers_on="attainment", quota=100000))
    # retroactive pays the reached tier's amount: 1,000.00
    assert calc(retro, [credit(105000)]).total == D("1000.00")
    # marginal pays every tier reached: 0 + 500 + 1,000 = 1,500.00 (the 0 tier not shown)
    result = calc(marginal, [credit(105000)])
    assert [ln.amount for ln in result.lines] == [D("500.00"), D("1000.00")]
    assert result.total == D("1500.00")


# --- Rounding --------------------------------------------------------------------------------------------


def test_vnd_has_no_minor_unit():
    p = plan(comp((0, "0.035")), currency="VND")
    # 1,234,567 x 3.5 % = 43,209.845 -> 43,210 (half-up to whole dong)
    assert str(calc(p, [credit(1234567)]).total) == "43210"
    # 1,234,553 x 3.5 % = 43,209.355 -> 43,209
    assert str(calc(p, [credit(1234553)]).total) == "43209"


def test_each_line_is_rounded_and_the_total_is_their_sum():
    # slices 0.005 x 3 + ... : 10 % on 100.05 = 10.005 -> 10.01; 15 % on 0.05 = 0.0075 -> 0.01
    p = plan(comp((0, "0.10"), ("100.05", "0.15")))
    result = calc(p, [credit("100.10")])
    assert [ln.amount for ln in result.lines] == [D("10.01"), D("0.01")]
    assert result.total == D("10.02")


# --- SPIFFs ----------------------------------------------------------------------------------------------


def _spiff_credits():
    return [
        credit(3000, "2026-07-05", sku="XS-400", quantity=12),
        credit(1250, "2026-07-06", sku="XS-400", quantity=10, share="0.5"),
        credit(2000, "2026-07-07", sku="XS-400", quantity=9),  # below the minimum quantity
        credit(5000, "2026-07-08", sku="OTHER", quantity=20),  # not a listed SKU
        credit(3000, "2026-06-30", sku="XS-400", quantity=12),  # before the SPIFF starts
        credit(
            3000,
            "2026-07-09",
            sku="XS-400",
            quantity=15,
            status="cancelled",
            status_date="2026-07-20",
        ),  # cancelled in the period
    ]


def test_spiff_every_time_pays_each_qualifying_line_times_the_share():
    p = plan(spiffs=(spiff(min_quantity=10, frequency="every_time"),))
    result = calc(p, _spiff_credits())
    # 250 x 1 for 12 units, 250 x 0.5 for 10 units; basis shows the quantity
    assert rows(result) == [
        ("spiff", D(12), None, D("250.00")),
        ("spiff", D(10), None, D("125.00")),
    ]
    assert result.total == D("375.00")


def test_spiff_once_per_period_pays_at_most_once():
    p = plan(spiffs=(spiff(min_quantity=10, frequency="once_per_period"),))
    result = calc(p, _spiff_credits())
    assert rows(result) == [("spiff", D(12), None, D("250.00"))]


def test_spiff_by_category():
    p = plan(spiffs=(spiff(skus=(), categories=("Scanners",), amount="50"),))
    result = calc(p, [credit(100, category="scanners"), credit(100, category="Software")])
    assert result.total == D("50.00")


# --- Override --------------------------------------------------------------------------------------------


def test_manager_override_on_the_team_revenue():
    # rate 2 %; team: 10,000 and 5,000 booked in July, a June line of 3,000 cancelled in July
    # (within 90 days), and a July line cancelled in July (never counted)
    p = plan(override_rate="0.02", clawback_days=90)
    team = [
        credit(10000, "2026-07-03"),
        credit(5000, "2026-07-15"),
        credit(3000, "2026-06-20", status="cancelled", status_date="2026-07-02"),
        credit(7000, "2026-07-04", status="cancelled", status_date="2026-07-09"),
    ]
    result = calc(p, [credit(99999)], manages_team=True, team_credits=tuple(team))
    # (10,000 + 5,000 - 3,000) x 2 % = 240.00; the manager's own 99,999 is not in it
    assert rows(result) == [("override", D(12000), D("0.02"), D("240.00"))]


def test_no_override_without_a_team():
    p = plan(override_rate="0.02")
    assert calc(p, [credit(1000)]).lines == ()


# --- Draws -----------------------------------------------------------------------------------------------


def test_non_recoverable_draw_tops_up_and_is_never_recovered():
    p = plan(comp((0, "0.10")), draw=("2000", False))
    # July: 15,000 x 10 % = 1,500 -> a draw of 500 makes 2,000.00
    july = calc(p, [credit(15000)])
    assert [(ln.kind, ln.amount) for ln in july.lines] == [
        ("tier", D("1500.00")),
        ("draw", D("500.00")),
    ]
    # August: 30,000 x 10 % = 3,000 -> above the draw; nothing recovered (a balance is ignored)
    august = calc(p, [credit(30000, "2026-08-10")], w=window("2026-08"), draw_balance=D(500))
    assert august.total == D("3000.00")


def test_recoverable_draw_over_three_months():
    p = plan(comp((0, "0.10")), draw=("2000", True))
    # month 1: earns 1,200 -> draw 800, total 2,000; balance 800
    m1 = calc(p, [credit(12000)])
    assert [(ln.kind, ln.amount) for ln in m1.lines][1:] == [("draw", D("800.00"))]
    assert m1.total == D("2000.00") and m1.draw_paid == D("800.00")
    # month 2: earns 2,500 -> 500 above the draw is recovered, total 2,000; balance 300
    m2 = calc(p, [credit(25000, "2026-08-10")], w=window("2026-08"), draw_balance=m1.draw_paid)
    assert [(ln.kind, ln.amount) for ln in m2.lines][1:] == [("draw_recovery", D("-500.00"))]
    assert m2.total == D("2000.00")
    # month 3: earns 4,000 -> the last 300 recovered, total 3,700; balance 0
    balance = m1.draw_paid + m2.draw_paid
    m3 = calc(p, [credit(40000, "2026-09-10")], w=window("2026-09"), draw_balance=balance)
    assert [(ln.kind, ln.amount) for ln in m3.lines][1:] == [("draw_recovery", D("-300.00"))]
    assert m3.total == D("3700.00")
    assert balance + m3.draw_paid == D("0.00")


# --- Clawbacks and months of a quarter ---------------------------------------------------------------


def test_clawback_takes_back_at_the_rate_the_line_was_paid():
    # a May line of 1,000 cancelled on 2026-07-10, paid at an effective 4 %
    p = plan(comp((0, "0.04")), clawback_days=90)
    cancelled = credit(1000, "2026-05-20", status="cancelled", status_date="2026-07-10")
    result = calc(p, [cancelled], clawback_rates={(cancelled.line_id, "Revenue"): D("0.04")})
    # basis -1,000 x 4 % = -40.00; the credit row shows -1,000
    assert rows(result) == [("clawback", D(-1000), D("0.04"), D("-40.00"))]
    assert [c.credited for c in result.credits] == [D(-1000)]
    # 51 days after booking; with clawback_days 30 nothing is taken back
    late = plan(comp((0, "0.04")), clawback_days=30)
    assert (
        calc(late, [cancelled], clawback_rates={(cancelled.line_id, "Revenue"): D("0.04")}).lines
        == ()
    )


def test_quarter_measured_month_pays_to_date_minus_paid_before():
    # measured on Q3, paid in August; 5,000 was paid in July
    p = plan(comp(*SPEC_TIERS, tiers_on="attainment", quota=100000))
    w = window("2026-08", measure="quarter")
    result = calc(
        p,
        [credit(70000, "2026-07-20"), credit(50000, "2026-08-12")],
        w=w,
        paid_before={"Revenue": D("5000.00")},
    )
    # QTD 120,000 -> 8,000 to date; minus 5,000 paid in July = 3,000.00
    assert [(ln.kind, ln.amount, ln.rate, ln.note) for ln in result.lines] == [
        ("tier", D("5000.00"), D("0.10"), ""),
        ("tier", D("3000.00"), D("0.15"), ""),
        ("tier", D("-5000.00"), None, "paid in earlier months of 2026-Q3"),
    ]
    assert result.total == D("3000.00")


def test_adjustments_are_added_after_the_draw():
    p = plan(comp((0, "0.10")), draw=("100", False))
    adj = Line("adjustment", "Revenue", D("-50.00"), note="2026-06 recalculated")
    result = calc(p, [credit(500)], adjustments=(adj,))
    # earns 50 -> draw 50 (the adjustment of another period does not count), then -50
    assert [(ln.kind, ln.amount) for ln in result.lines] == [
        ("tier", D("50.00")),
        ("draw", D("50.00")),
        ("adjustment", D("-50.00")),
    ]
    assert result.total == D("50.00")


# --- Split allocation ------------------------------------------------------------------------------------


def test_sixty_forty_split_with_odd_cents():
    # 1,000.01 at 60/40: 600.006 and 400.004 -> floors 600.00 and 400.00, the cent left goes
    # to the larger remainder (0.006): 600.01 and 400.00
    assert allocate(D("1000.01"), [(7, D("0.6")), (8, D("0.4"))], 2) == {
        7: D("600.01"),
        8: D("400.00"),
    }
    # 0.05 at 60/40: 0.03 and 0.02
    assert allocate(D("0.05"), [(7, D("0.6")), (8, D("0.4"))], 2) == {7: D("0.03"), 8: D("0.02")}


def test_equal_remainders_go_to_the_lowest_member_id():
    # 100.00 in thirds: 33.33 each and one cent to member 2 (lowest id), listed in any order
    thirds = [(9, D("0.3333")), (2, D("0.3333")), (5, D("0.3334"))]
    got = allocate(D("100.00"), thirds, 2)
    assert sum(got.values()) == D("100.00")
    # exact: 33.33, 33.33, 33.34 -> member 5 has the largest share and remainder
    assert got == {9: D("33.33"), 2: D("33.33"), 5: D("33.34")}
    equal = [(9, D("0.5")), (2, D("0.5"))]
    assert allocate(D("0.01"), equal, 2) == {2: D("0.01"), 9: D("0.00")}
    # negative amounts mirror positive ones
    assert allocate(D("-0.01"), equal, 2) == {2: D("-0.01"), 9: D("0.00")}


def test_vnd_split_allocates_whole_dong():
    got = allocate(D("1000001"), [(1, D("0.6")), (2, D("0.4"))], 0)
    # 600,000.6 and 400,000.4 -> 600,000 and 400,000; one dong to the larger remainder (0.6)
    assert got == {1: D("600001"), 2: D("400000")}


def test_component_filters_select_lines():
    p = plan(
        comp((0, "0.10"), filters={"product_categories": ["Software"]}),
        comp((0, "0.50"), name="Scanner units", basis="units", filters={"skus": ["XS-400"]}),
    )
    result = calc(
        p,
        [
            credit(1000, category="software"),
            credit(500, category="Hardware", sku="XS-400", quantity=4),
        ],
    )
    # 10 % of the 1,000 of Software; 0.50 per unit on 4 XS-400 units = 2.00
    assert rows(result) == [
        ("tier", D(1000), D("0.10"), D("100.00")),
        ("tier", D(4), D("0.50"), D("2.00")),
    ]
    assert result.lines[1].basis_is_quantity


def test_missing_quota_pays_nothing_and_warns():
    p = plan(comp(*SPEC_TIERS, tiers_on="attainment", quota="target"))
    result = calc(p, [credit(120000)], quotas={"Revenue": None})
    assert result.lines == ()
    assert result.warnings and "no quota" in result.warnings[0]
    assert result.components["Revenue"].basis == Decimal(120000)

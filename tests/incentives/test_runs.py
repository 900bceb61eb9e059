"""Runs and statements through the services and the database (SPEC §7, §11.3–4)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.crm.models import ExchangeRate, OrderLine
from saleshelm.incentives import services
from saleshelm.incentives.models import CreditLine, PayoutLine, RunStatus, Statement
from saleshelm.tenancy.models import AuditEntry
from tests.incentives.factories import (
    D,
    amounts,
    close,
    component,
    import_plan,
    lines_of,
    order,
    run,
    statement,
    system,
)
from tests.tenancy.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SPEC_TIERS = [
    {"from": "0", "rate": "0"},
    {"from": "0.5", "rate": "0.10"},
    {"from": "1.0", "rate": "0.15"},
]


def _cancel(o, day: str, status: str = "cancelled") -> None:
    line = o.lines.get()
    line.status = status
    line.status_date = day
    line.save()


# --- A plain month ---------------------------------------------------------------------------------


def test_returns_net_in_the_period_and_credits_are_listed(world):
    # given a flat 4 % plan; 1,000 sold and 200 credited back in July
    import_plan(world.org, [world.rep])
    sold = order(world.rep, "2026-07-05", {"amount": 1000, "sku": "SW-100"})
    order(
        world.rep,
        "2026-07-20",
        {"amount": -200, "quantity": -1, "status": "returned", "status_date": "2026-07-20"},
    )
    # when July is calculated
    r = run(world.org, "2026-07")
    # then 800 x 4 % = 32.00, and the two source lines are behind it
    s = statement(world.rep, "2026-07")
    assert lines_of(s) == [("tier", "Revenue", D(800), D("0.04"), D("32.00"))]
    assert s.total == D("32.00") and s.status == RunStatus.CALCULATED
    credits = list(s.credits.values_list("order_ref", "line_no", "credited", "share"))
    assert credits[0] == (sold.external_id, 1, D(1000), D(1))
    assert credits[1][2] == D(-200)
    assert r.status == RunStatus.CALCULATED and r.summary["statements"] == 1


def test_recalculating_a_draft_gives_identical_statements(world):
    import_plan(world.org, [world.rep, world.peer])
    order(world.rep, "2026-07-05", {"amount": 1234.56})
    order(world.peer, "2026-07-06", {"amount": 99.99})
    r = run(world.org, "2026-07")

    def snapshot():
        return sorted(
            (
                s.pk,
                s.member_id,
                s.total,
                tuple(lines_of(s)),
                tuple(s.credits.values_list("source_line_id", "credited", "share")),
            )
            for s in Statement.objects.filter(run=r)
        )

    first = snapshot()
    # when calculated again with the same data
    run(world.org, "2026-07")
    # then the very same statements (same ids), lines and credits
    assert snapshot() == first
    assert Statement.objects.filter(run=r).count() == 2
    assert AuditEntry.objects.filter(action="commission_run.calculate").count() == 2


def test_a_sixty_forty_split_with_odd_cents(world):
    # given a line of 1,000.01 split 60/40 between rep and peer
    import_plan(world.org, [world.rep, world.peer])
    order(
        world.rep,
        "2026-07-05",
        {"amount": "1000.01", "splits": [(world.rep, "0.6"), (world.peer, "0.4")]},
    )
    run(world.org, "2026-07")
    rep, peer = statement(world.rep, "2026-07"), statement(world.peer, "2026-07")
    # then 600.006 / 400.004 -> 600.01 (largest remainder) and 400.00, summing to the line
    assert rep.credits.get().credited == D("600.01")
    assert peer.credits.get().credited == D("400.00")
    assert (rep.credits.get().share, peer.credits.get().share) == (D("0.6"), D("0.4"))
    # 600.01 x 4 % = 24.0004 -> 24.00; 400.00 x 4 % = 16.00
    assert (rep.total, peer.total) == (D("24.00"), D("16.00"))


def test_vnd_statements_round_to_whole_dong(world):
    other = world.other_org
    import_plan(
        other,
        [world.other_org_rep],
        currency="VND",
        components=[component(tiers=[{"from": "0", "rate": "0.035"}])],
    )
    order(world.other_org_rep, "2026-07-05", {"amount": 1234567})
    run(other, "2026-07")
    # 1,234,567 x 3.5 % = 43,209.845 -> 43,210
    s = statement(world.other_org_rep, "2026-07")
    assert str(s.lines.get().amount.quantize(D(1))) == "43210" and s.total == D(43210)


def test_plan_currency_other_than_the_line_converts_with_dated_rates(world):
    # given a EUR plan in a USD organisation; 1 EUR = 1.10 USD from July 1st
    ExchangeRate.objects.create(
        organisation=world.org, currency="EUR", rate_date="2026-07-01", rate=D("1.10")
    )
    import_plan(world.org, [world.rep], currency="EUR")
    order(world.rep, "2026-07-05", {"amount": 1100})  # a USD order
    run(world.org, "2026-07")
    s = statement(world.rep, "2026-07")
    # then 1,100 USD / 1.10 = 1,000 EUR credited, x 4 % = 40.00 EUR
    assert s.currency == "EUR" and s.credits.get().credited == D(1000) and s.total == D(40)


def test_a_eur_order_is_credited_in_the_reporting_currency(world):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000, "reporting": 1100}, currency="EUR")
    run(world.org, "2026-07")
    assert statement(world.rep, "2026-07").credits.get().credited == D(1100)


# --- Quotas from targets ---------------------------------------------------------------------------


def test_quota_target_comes_from_the_member_target(world):
    from saleshelm.performance.services.targets import target_create

    target_create(
        actor=system(world.org), metric="revenue", period="2026-07", value=100000, member=world.rep
    )
    import_plan(
        world.org,
        [world.rep, world.peer],
        components=[component(tiers_on="attainment", quota="target", tiers=SPEC_TIERS)],
    )
    order(world.rep, "2026-07-05", {"amount": 120000})
    order(world.peer, "2026-07-05", {"amount": 120000})
    r = run(world.org, "2026-07")
    # rep: quota 100,000, 120,000 credited -> 5,000 + 3,000 = 8,000.00
    assert statement(world.rep, "2026-07").total == D("8000.00")
    summary = statement(world.rep, "2026-07").summary["components"]["Revenue"]
    assert summary["quota"] == "100000.0000" and summary["attainment"] == "1.2000"
    # peer has no target: the component pays nothing and the run warns
    assert statement(world.peer, "2026-07").total == D(0)
    assert any("no quota" in w for w in r.summary["warnings"])


# --- Quarter measured, paid monthly ---------------------------------------------------------------


def _quarter_plan(world, **extra):
    return import_plan(
        world.org,
        [world.rep],
        measure="quarter",
        pay="month",
        components=[component(tiers_on="attainment", quota="100000", tiers=SPEC_TIERS, **extra)],
    )


def test_quarter_measured_paid_monthly_over_three_months(world):
    # given quota 100,000 on Q3, tiers 0 / 0.5 -> 10 % / 1.0 -> 15 %, paid each month
    _quarter_plan(world)
    order(world.rep, "2026-07-10", {"amount": 40000})
    order(world.rep, "2026-08-10", {"amount": 30000})
    order(world.rep, "2026-09-10", {"amount": 50000})
    # when the quarter is run (one run, three monthly statements)
    r = run(world.org, "2026-Q3")
    assert sorted(Statement.objects.filter(run=r).values_list("period", flat=True)) == [
        "2026-07",
        "2026-08",
        "2026-09",
    ]
    # July: QTD 40,000, attainment 0.4: all in the 0 % tier -> 0.00
    assert statement(world.rep, "2026-07").total == D(0)
    # August: QTD 70,000 -> 20,000 x 10 % = 2,000.00; nothing paid before
    assert lines_of(statement(world.rep, "2026-08")) == [
        ("tier", "Revenue", D(20000), D("0.10"), D("2000.00"))
    ]
    # September: QTD 120,000 -> 5,000 + 3,000 = 8,000 to date, minus 2,000 paid in August
    sept = statement(world.rep, "2026-09")
    assert lines_of(sept) == [
        ("tier", "Revenue", D(50000), D("0.10"), D("5000.00")),
        ("tier", "Revenue", D(20000), D("0.15"), D("3000.00")),
        ("tier", "Revenue", None, None, D("-2000.00")),
    ]
    assert sept.lines.last().note == "paid in earlier months of 2026-Q3"
    assert sept.total == D("6000.00")


def test_monthly_runs_of_a_quarter_plan_give_the_same_as_one_quarter_run(world):
    _quarter_plan(world)
    order(world.rep, "2026-07-10", {"amount": 60000})
    order(world.rep, "2026-08-10", {"amount": 60000})
    for month in ("2026-07", "2026-08"):
        run(world.org, month)
    # July: 10,000 x 10 % = 1,000; August: QTD 120,000 -> 8,000 - 1,000 = 7,000
    assert statement(world.rep, "2026-07").total == D("1000.00")
    assert statement(world.rep, "2026-08").total == D("7000.00")


def test_a_cancellation_inside_the_quarter_reduces_the_quarter_to_date(world):
    _quarter_plan(world)
    deal = order(world.rep, "2026-07-10", {"amount": 80000})
    run(world.org, "2026-07")
    # July: 30,000 x 10 % = 3,000 paid
    assert statement(world.rep, "2026-07").total == D("3000.00")
    # the July deal is cancelled on August 5th: not a clawback, the quarter-to-date drops
    _cancel(deal, "2026-08-05")
    run(world.org, "2026-08")
    aug = statement(world.rep, "2026-08")
    assert amounts(aug) == [("tier", D("-3000.00"))]
    assert not aug.lines.filter(kind="clawback").exists()
    # July recalculated later still counts the deal: its status is judged as of July's end
    run(world.org, "2026-07")
    assert statement(world.rep, "2026-07").total == D("3000.00")


def test_bonus_cap_and_threshold_apply_to_the_quarter_to_date(world):
    _quarter_plan(world, threshold="0.6", cap="9000", bonuses=[{"at": "1.0", "amount": "2000"}])
    order(world.rep, "2026-07-10", {"amount": 55000})
    order(world.rep, "2026-08-10", {"amount": 65000})
    run(world.org, "2026-Q3")
    # July: attainment 0.55 < 0.6: nothing
    assert statement(world.rep, "2026-07").total == D(0)
    # August: QTD 120,000: 5,000 + 3,000 + bonus 2,000 = 10,000, capped at 9,000 (-1,000)
    assert amounts(statement(world.rep, "2026-08")) == [
        ("tier", D("5000.00")),
        ("tier", D("3000.00")),
        ("bonus", D("2000.00")),
        ("tier", D("-1000.00")),
    ]
    # September: nothing new: 9,000 to date minus 9,000 paid
    assert statement(world.rep, "2026-09").total == D(0)


# --- Clawbacks --------------------------------------------------------------------------------------


def test_clawback_inside_and_outside_clawback_days(world):
    # given a flat 4 % plan with clawback_days 30; June business paid in June
    import_plan(world.org, [world.rep], clawback_days=30)
    recent = order(world.rep, "2026-06-20", {"amount": 1000})
    old = order(world.rep, "2026-06-01", {"amount": 2000})
    close(world.org, run(world.org, "2026-06"))
    june = statement(world.rep, "2026-06")
    assert june.total == D("120.00")
    # when both are cancelled in July: 15 days and 39 days after booking
    _cancel(recent, "2026-07-05")
    _cancel(old, "2026-07-10")
    run(world.org, "2026-07")
    # then only the first is clawed back: -1,000 x 4 % = -40.00; June is untouched
    july = statement(world.rep, "2026-07")
    assert lines_of(july) == [("clawback", "Revenue", D(-1000), D("0.04"), D("-40.00"))]
    assert list(july.credits.values_list("credited", flat=True)) == [D(-1000)]
    june.refresh_from_db()
    assert june.total == D("120.00") and june.status == RunStatus.LOCKED


def test_clawback_rate_is_the_effective_rate_of_the_period_paid(world):
    # quota 100,000, SPEC tiers; June 120,000 paid 8,000: effective 6.6666666667 %
    import_plan(
        world.org,
        [world.rep],
        clawback_days=90,
        components=[component(tiers_on="attainment", quota="100000", tiers=SPEC_TIERS)],
    )
    deal = order(world.rep, "2026-06-10", {"amount": 30000})
    order(world.rep, "2026-06-11", {"amount": 90000})
    run(world.org, "2026-06")
    assert statement(world.rep, "2026-06").total == D("8000.00")
    _cancel(deal, "2026-07-01")
    run(world.org, "2026-07")
    # -30,000 x 0.0666666667 = -2,000.000001 -> -2,000.00
    assert lines_of(statement(world.rep, "2026-07")) == [
        ("clawback", "Revenue", D(-30000), D("0.0666666667"), D("-2000.00"))
    ]


def test_a_line_and_its_clawback_net_to_zero(world):
    import_plan(world.org, [world.rep, world.peer], clawback_days=365)
    deal = order(
        world.rep,
        "2026-06-10",
        {"amount": "333.33", "splits": [(world.rep, "0.5"), (world.peer, "0.5")]},
    )
    run(world.org, "2026-06")
    _cancel(deal, "2026-08-01")
    run(world.org, "2026-08")
    for m in (world.rep, world.peer):
        paid = statement(m, "2026-06").total
        clawed = sum(
            statement(m, "2026-08").lines.filter(kind="clawback").values_list("amount", flat=True)
        )
        assert paid + clawed == 0
    # 333.33 split 50/50: 166.665 each -> 166.66 and 166.66, one cent left for the lower id
    credited = {
        m.pk: statement(m, "2026-06").credits.get().credited for m in (world.rep, world.peer)
    }
    assert sum(credited.values()) == D("333.33")
    assert credited[min(credited)] == D("166.67")


# --- Manager override, SPIFFs, draws ---------------------------------------------------------------


def test_manager_override_on_the_managed_subtree(world):
    # the manager (Sales > North: rep, peer) is on a plan with a 2 % override
    import_plan(world.org, [world.manager, world.rep], manager_override={"rate": "0.02"})
    order(world.rep, "2026-07-05", {"amount": 10000})
    order(world.peer, "2026-07-06", {"amount": 5000})  # peer is not on the plan: still team
    order(world.other_rep, "2026-07-07", {"amount": 7000})  # another manager's team
    order(world.manager, "2026-07-08", {"amount": 4000})  # the manager's own deal
    run(world.org, "2026-07")
    mgr = statement(world.manager, "2026-07")
    # own 4,000 x 4 % = 160; override (10,000 + 5,000) x 2 % = 300
    assert lines_of(mgr) == [
        ("tier", "Revenue", D(4000), D("0.04"), D("160.00")),
        ("override", "", D(15000), D("0.02"), D("300.00")),
    ]
    # the rep manages nobody: no override line
    assert not statement(world.rep, "2026-07").lines.filter(kind="override").exists()


def test_spiffs_every_time_and_once_per_period(world):
    spiffs = [
        {
            "name": "Scanner push",
            "skus": ["XS-400"],
            "min_quantity": 10,
            "from": "2026-07-01",
            "to": "2026-09-30",
            "amount": "250",
            "frequency": "every_time",
        },
        {
            "name": "First scanner",
            "skus": ["XS-400"],
            "min_quantity": 1,
            "from": "2026-07-01",
            "to": "2026-09-30",
            "amount": "100",
            "frequency": "once_per_period",
        },
    ]
    import_plan(world.org, [world.rep], spiffs=spiffs, components=[])
    order(world.rep, "2026-07-05", {"amount": 3000, "sku": "XS-400", "quantity": 10})
    order(world.rep, "2026-07-06", {"amount": 3600, "sku": "XS-400", "quantity": 12})
    order(world.rep, "2026-07-07", {"amount": 300, "sku": "XS-400", "quantity": 1})
    run(world.org, "2026-07")
    s = statement(world.rep, "2026-07")
    # every_time: 250 for 10 units and 250 for 12 (not for 1); once_per_period: 100 once
    assert lines_of(s) == [
        ("spiff", "Scanner push", D(10), None, D("250.00")),
        ("spiff", "Scanner push", D(12), None, D("250.00")),
        ("spiff", "First scanner", D(10), None, D("100.00")),
    ]
    assert s.total == D("600.00")


def test_recoverable_draw_over_three_months(world):
    import_plan(
        world.org,
        [world.rep],
        draw={"amount": "2000", "recoverable": True},
        components=[component(tiers=[{"from": "0", "rate": "0.10"}])],
    )
    order(world.rep, "2026-07-10", {"amount": 12000})
    order(world.rep, "2026-08-10", {"amount": 25000})
    order(world.rep, "2026-09-10", {"amount": 40000})
    run(world.org, "2026-Q3")
    # July: earns 1,200 -> draw 800 (total 2,000; 800 outstanding)
    assert amounts(statement(world.rep, "2026-07")) == [
        ("tier", D("1200.00")),
        ("draw", D("800.00")),
    ]
    # August: earns 2,500 -> recovers 500, keeping the pay at the draw (300 outstanding)
    assert amounts(statement(world.rep, "2026-08")) == [
        ("tier", D("2500.00")),
        ("draw_recovery", D("-500.00")),
    ]
    # September: earns 4,000 -> recovers the last 300: 3,700.00
    sept = statement(world.rep, "2026-09")
    assert amounts(sept) == [("tier", D("4000.00")), ("draw_recovery", D("-300.00"))]
    assert sept.total == D("3700.00")


def test_non_recoverable_draw(world):
    import_plan(
        world.org,
        [world.rep],
        draw={"amount": "2000", "recoverable": False},
        components=[component(tiers=[{"from": "0", "rate": "0.10"}])],
    )
    order(world.rep, "2026-07-10", {"amount": 12000})
    order(world.rep, "2026-08-10", {"amount": 25000})
    run(world.org, "2026-07")
    run(world.org, "2026-08")
    assert statement(world.rep, "2026-07").total == D("2000.00")
    assert amounts(statement(world.rep, "2026-08")) == [("tier", D("2500.00"))]


# --- Versions ---------------------------------------------------------------------------------------


def test_a_new_version_governs_later_periods_only(world):
    import_plan(world.org, [world.rep])
    import_plan(
        world.org,
        [world.rep],
        effective_from="2026-07-01",
        components=[component(tiers=[{"from": "0", "rate": "0.05"}])],
    )
    order(world.rep, "2026-06-10", {"amount": 1000})
    order(world.rep, "2026-07-10", {"amount": 1000})
    run(world.org, "2026-06")
    run(world.org, "2026-07")
    assert statement(world.rep, "2026-06").total == D("40.00")
    assert statement(world.rep, "2026-07").total == D("50.00")
    assert statement(world.rep, "2026-07").plan_version.version == 2


def test_a_version_covers_only_its_members_and_dates(world):
    import_plan(world.org, [world.rep], effective_to="2026-06-30")
    order(world.rep, "2026-07-10", {"amount": 1000})
    r = run(world.org, "2026-07")
    assert r.summary["statements"] == 0


def test_a_month_run_of_a_quarterly_paid_plan_is_refused(world):
    version = import_plan(world.org, [world.rep], measure="quarter", pay="quarter")
    with pytest.raises(ApplicationError) as exc:
        run(world.org, "2026-07", plan=version.plan)
    assert exc.value.code == "no_pay_period"


# --- Lifecycle and locking --------------------------------------------------------------------------


def test_approved_and_locked_runs_refuse_recalculation(world):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    r = run(world.org, "2026-07")
    r = services.commission_run_approve(actor=world.finance, run=r)
    assert statement(world.rep, "2026-07").status == RunStatus.APPROVED
    with pytest.raises(Conflict):
        services.commission_run_calculate(actor=world.finance, run=r)
    r = services.commission_run_lock(actor=world.finance, run=r)
    with pytest.raises(Conflict) as exc:
        services.commission_run_calculate(actor=world.admin, run=r)
    assert exc.value.code == "run_closed"
    assert statement(world.rep, "2026-07").status == RunStatus.LOCKED


def test_only_finance_and_admins_run(world):
    for member in (world.rep, world.manager, world.director, world.viewer):
        with pytest.raises(PermissionDenied):
            services.commission_run_create(actor=member, period="2026-07")
    assert services.commission_run_create(actor=world.finance, period="2026-07").status == "draft"


def test_locked_statements_never_change(world):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    close(world.org, run(world.org, "2026-07"))
    s = statement(world.rep, "2026-07")
    line = s.lines.get()
    credit = s.credits.get()
    # instance writes
    s.total = D(1)
    for attempt in (s.save, s.delete, line.save, line.delete, credit.save, credit.delete):
        with pytest.raises(Conflict):
            attempt()
    # queryset writes
    for qs in (
        Statement.objects.filter(pk=s.pk),
        PayoutLine.objects.filter(statement=s),
        CreditLine.objects.filter(statement=s),
    ):
        with pytest.raises(Conflict):
            qs.update(updated_at=s.updated_at)
        with pytest.raises(Conflict):
            qs.delete()
    fresh = statement(world.rep, "2026-07")
    assert fresh.total == D("40.00") and fresh.lines.get().amount == D("40.00")


def test_unlock_needs_an_admin_a_reason_and_writes_an_audit_row(world):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    r = close(world.org, run(world.org, "2026-07"))
    with pytest.raises(PermissionDenied):
        services.commission_run_unlock(actor=world.finance, run=r, reason="fix")
    with pytest.raises(ApplicationError) as exc:
        services.commission_run_unlock(actor=world.admin, run=r, reason="  ")
    assert exc.value.field == "reason"
    r.refresh_from_db()
    assert r.status == RunStatus.LOCKED
    r = services.commission_run_unlock(actor=world.admin, run=r, reason="Missed a cancellation")
    assert r.status == RunStatus.CALCULATED
    assert statement(world.rep, "2026-07").status == RunStatus.CALCULATED
    entry = AuditEntry.objects.get(action="commission_run.unlock")
    assert entry.reason == "Missed a cancellation" and entry.actor == world.admin
    assert entry.before["status"] == "locked" and entry.after["status"] == "calculated"
    # now it may be recalculated
    services.commission_run_calculate(actor=world.finance, run=r)


def test_lock_then_a_backdated_order_becomes_an_adjustment_next_period(world):
    # given July calculated, approved and locked: 1,000 x 4 % = 40
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    close(world.org, run(world.org, "2026-07"))
    july = statement(world.rep, "2026-07")
    # when a July order of 500 is entered afterwards, and August is calculated
    order(world.rep, "2026-07-28", {"amount": 500})
    order(world.rep, "2026-08-05", {"amount": 2000})
    run(world.org, "2026-08")
    # then August pays its own 80 and an adjustment of 500 x 4 % = 20 referencing July
    aug = statement(world.rep, "2026-08")
    assert lines_of(aug) == [
        ("tier", "Revenue", D(2000), D("0.04"), D("80.00")),
        ("adjustment", "Revenue", None, None, D("20.00")),
    ]
    adj = aug.lines.get(kind="adjustment")
    assert adj.ref_statement_id == july.pk and adj.adjusts_kind == "tier"
    assert adj.note.startswith("2026-07 recalculated")
    # July itself never changed
    july.refresh_from_db()
    assert july.total == D("40.00") and july.lines.count() == 1
    # recalculating August issues it once, not twice
    run(world.org, "2026-08")
    assert statement(world.rep, "2026-08").total == D("100.00")
    # once August is locked, September owes nothing more for July
    close(world.org, Statement.objects.get(pk=aug.pk).run)
    order(world.rep, "2026-09-05", {"amount": 100})
    run(world.org, "2026-09")
    assert lines_of(statement(world.rep, "2026-09")) == [
        ("tier", "Revenue", D(100), D("0.04"), D("4.00"))
    ]


def test_a_later_cancellation_dated_in_a_locked_period_is_adjusted(world):
    import_plan(world.org, [world.rep], clawback_days=90)
    deal = order(world.rep, "2026-06-05", {"amount": 1000})
    close(world.org, run(world.org, "2026-06"))
    close(world.org, run(world.org, "2026-07"))
    # a cancellation entered late, dated July 3rd (July is locked)
    _cancel(deal, "2026-07-03")
    run(world.org, "2026-08")
    aug = statement(world.rep, "2026-08")
    # July recomputed would claw back 40: it comes as an adjustment of the clawback in August
    assert [(ln.kind, ln.adjusts_kind, ln.amount) for ln in aug.lines.all()] == [
        ("adjustment", "clawback", D("-40.00"))
    ]
    assert aug.lines.get().ref_statement_id == statement(world.rep, "2026-07").pk


def test_statements_of_another_open_run_are_a_conflict(world):
    version = import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    run(world.org, "2026-07", plan=version.plan)
    with pytest.raises(Conflict) as exc:
        run(world.org, "2026-Q3")
    assert exc.value.code == "statement_in_other_run"


def test_closed_months_are_skipped_by_a_quarter_run(world):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    order(world.rep, "2026-08-05", {"amount": 2000})
    close(world.org, run(world.org, "2026-07"))
    r = run(world.org, "2026-Q3")
    assert sorted(Statement.objects.filter(run=r).values_list("period", flat=True)) == [
        "2026-08",
        "2026-09",
    ]
    assert r.summary["skipped"]


# --- Speed --------------------------------------------------------------------------------------------


def _prepared_run(n: int):
    """A fresh organisation with a manager and ``n`` reps in one team, on a plan with target
    quotas, splits, a units component, an override and a recoverable draw; June locked,
    then a source line changed (so July recomputes June for adjustments), and July lines
    cancelled. Returns the organisation and its July run, ready to calculate."""
    from saleshelm.performance.services.targets import target_create
    from saleshelm.tenancy.models import Organisation
    from tests.people.factories import TeamFactory

    org = Organisation.objects.create(slug=f"speed-{n}", name=f"Speed {n}", currency="USD")
    team = TeamFactory(organisation=org, name="Speed team")
    manager = MembershipFactory(
        organisation=org, role="manager", user=UserFactory(email=f"mgr{n}@speed.test")
    )
    team.manager = manager
    team.save()
    reps = []
    for i in range(n):
        m = MembershipFactory(organisation=org, user=UserFactory(email=f"rep{i}-{n}@speed.test"))
        m.profile.team = team
        m.profile.save()
        reps.append(m)
        target_create(actor=system(org), metric="revenue", period="2026-07", value=1000, member=m)
    import_plan(
        org,
        [*reps, manager],
        name=f"Speed {n}",
        manager_override={"rate": "0.01"},
        draw={"amount": "10", "recoverable": True},
        components=[
            component(tiers_on="attainment", quota="target", tiers=SPEC_TIERS),
            component(name="Units", basis="units", tiers=[{"from": "0", "rate": "1"}]),
        ],
    )
    for i, m in enumerate(reps):
        partner = reps[(i + 1) % n]
        order(m, "2026-06-05", {"amount": 500, "splits": [(m, "0.5"), (partner, "0.5")]})
        order(m, "2026-07-05", {"amount": 1000, "status": "cancelled", "status_date": "2026-07-20"})
        order(m, "2026-07-06", {"amount": 700})
    close(org, run(org, "2026-06"))
    for line in OrderLine.objects.filter(organisation=org, order_date="2026-06-05"):
        line.net_amount = D(600)
        line.net_amount_reporting = D(600)
        line.save()
    return org, services.commission_run_create(actor=system(org), period="2026-07")


def test_a_run_uses_the_same_number_of_queries_for_3_and_30_members(db, django_assert_num_queries):
    org, r = _prepared_run(3)
    with CaptureQueriesContext(connection) as few:
        services.commission_run_calculate(actor=system(org), run=r)
    org, r = _prepared_run(30)
    with django_assert_num_queries(len(few.captured_queries)):
        services.commission_run_calculate(actor=system(org), run=r)
    # 30 reps and their manager, with adjustments for the changed June
    assert Statement.objects.filter(run=r).count() == 31
    assert PayoutLine.objects.filter(statement__run=r, kind="adjustment").exists()


def test_the_admin_cannot_write_commission_records():
    from django.contrib import admin
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from saleshelm.incentives.models import CommissionRun, Dispute, Plan, PlanVersion

    request = RequestFactory().get("/admin/")
    request.user = AnonymousUser()
    for model in (Statement, CommissionRun, Plan, PlanVersion, Dispute):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)
        for inline in model_admin.get_inline_instances(request):
            assert not inline.has_change_permission(request)


def test_an_unlocked_and_recalculated_period_takes_back_its_earlier_adjustment(world):
    # July locked at 40; a backdated 500 was adjusted (+20) in August, locked too
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    july_run = close(world.org, run(world.org, "2026-07"))
    order(world.rep, "2026-07-28", {"amount": 500})
    close(world.org, run(world.org, "2026-08"))
    assert statement(world.rep, "2026-08").total == D("20.00")
    # an admin unlocks July and recalculates it: July now pays 60 itself
    july_run = services.commission_run_unlock(actor=world.admin, run=july_run, reason="Redo")
    close(world.org, services.commission_run_calculate(actor=world.finance, run=july_run))
    assert statement(world.rep, "2026-07").total == D("60.00")
    # September takes the August adjustment back: July is paid 60 + 20 - 20 = 60 in all
    run(world.org, "2026-09")
    assert amounts(statement(world.rep, "2026-09")) == [("adjustment", D("-20.00"))]


def test_orders_booked_returned_and_cancelled_through_the_crm_services(world):
    """The crm's own writes: a return is a credit-note order with a negative line; a
    cancellation sets the status and its date."""
    import datetime as dt

    from saleshelm.crm.services.orders import order_create, order_line_cancel, order_line_return

    import_plan(world.org, [world.rep], clawback_days=90)
    sale = order_create(
        actor=world.admin,
        owner=world.rep,
        order_date=dt.date(2026, 7, 3),
        lines=[{"sku": "SW-100", "quantity": D(10), "unit_price": D(100)}],
    )
    # 2 of the 10 units come back on July 20: 1,000 - 200 = 800 x 4 % = 32.00
    order_line_return(
        actor=world.admin, line=sale.lines.get(), quantity=D(2), return_date=dt.date(2026, 7, 20)
    )
    run(world.org, "2026-07")
    assert statement(world.rep, "2026-07").total == D("32.00")
    # a June sale cancelled on August 4th is clawed back in August
    june = order_create(
        actor=world.admin,
        owner=world.rep,
        order_date=dt.date(2026, 6, 15),
        lines=[{"sku": "SW-100", "quantity": D(5), "unit_price": D(100)}],
    )
    run(world.org, "2026-06")
    order_line_cancel(actor=world.admin, line=june.lines.get(), status_date=dt.date(2026, 8, 4))
    run(world.org, "2026-08")
    assert lines_of(statement(world.rep, "2026-08")) == [
        ("clawback", "Revenue", D(-500), D("0.04"), D("-20.00"))
    ]

"""Forecasts: weighted pipeline, submissions with history, overrides, accuracy; scorecards."""

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.performance.metrics import all_metrics
from saleshelm.performance.models import ForecastSubmission
from saleshelm.performance.scorecards import ScorecardSection, register_section, unregister_section
from saleshelm.performance.selectors.forecasts import forecast_accuracy, forecast_rollup
from saleshelm.performance.selectors.pipeline import forecast_pipeline, pipeline_by_stage
from saleshelm.performance.selectors.scorecards import scorecards
from saleshelm.performance.services.forecasts import forecast_override, forecast_submit
from saleshelm.tenancy.models import AuditEntry
from tests.crm.factories import OpportunityFactory, stage
from tests.performance.factories import TargetFactory, order_line

AUG16 = dt.date(2026, 8, 16)


def deal(
    world,
    owner,
    stage_name,
    amount,
    *,
    category="pipeline",
    probability=None,
    close=dt.date(2026, 9, 1),
):
    return OpportunityFactory(
        owner=owner,
        stage=stage(world.org, stage_name),
        amount=Decimal(amount),
        amount_reporting=Decimal(amount),
        close_date=close,
        forecast_category=category,
        probability=probability,
        closed_at=dt.datetime(2026, 7, 15, tzinfo=dt.UTC)
        if stage_name.startswith("Closed")
        else None,
    )


def test_weighted_pipeline_by_forecast_category(world):
    # Proposal (50%) 10,000 commit -> 5,000; Discovery (25%) 1,000.01 pipeline -> 250.0025;
    # Negotiation with its own 0.33 on 3,000 best case -> 990; won 2,000 -> closed 2,000;
    # lost and next-quarter deals are out.
    deal(world, world.rep, "Proposal", "10000", category="commit")
    deal(world, world.rep, "Discovery", "1000.01")
    deal(
        world, world.peer, "Negotiation", "3000", category="best_case", probability=Decimal("0.33")
    )
    deal(world, world.rep, "Closed won", "2000", category="closed")
    deal(world, world.rep, "Closed lost", "777")
    deal(world, world.rep, "Proposal", "5555", close=dt.date(2026, 10, 2))
    data = forecast_pipeline(actor=world.manager, period="2026-Q3", today=AUG16)
    t = data["totals"]
    assert (t["commit"]["amount"], t["commit"]["weighted"]) == (Decimal("10000"), Decimal("5000"))
    assert t["pipeline"]["weighted"] == Decimal("250.0025")
    assert t["best_case"]["weighted"] == Decimal("990")
    assert (t["closed"]["count"], t["closed"]["weighted"]) == (1, Decimal("2000"))
    assert data["weighted_total"] == Decimal("8240.0025")
    assert data["members"][world.peer.pk]["best_case"]["amount"] == Decimal("3000")
    # The rep sees only their own deals.
    mine = forecast_pipeline(actor=world.rep, period="2026-Q3", today=AUG16)
    assert set(mine["members"]) == {world.rep.pk}


def test_pipeline_by_stage(world):
    deal(world, world.rep, "Proposal", "100")
    deal(world, world.peer, "Proposal", "300")
    deal(world, world.rep, "Discovery", "40")
    deal(world, world.other_rep, "Proposal", "999")
    rows = pipeline_by_stage(actor=world.manager, today=AUG16)
    assert [(r["stage"]["name"], r["count"], r["amount"], r["weighted"]) for r in rows] == [
        ("Discovery", 1, Decimal("40"), Decimal("10")),
        ("Proposal", 2, Decimal("400"), Decimal("200")),
    ]


def test_submissions_keep_history_and_the_latest_counts(world):
    forecast_submit(
        actor=world.rep, period="2026-Q3", amount="50000", breakdown={"commit": "30000"}
    )
    forecast_submit(actor=world.rep, period="2026-Q3", amount="60000", note="big deal moved in")
    forecast_submit(actor=world.peer, period="2026-Q3", amount="20000")
    assert ForecastSubmission.objects.filter(member=world.rep).count() == 2
    rollup = forecast_rollup(actor=world.manager, period="2026-Q3", today=AUG16)
    rows = {r["member"].id: r for r in rollup["rows"]}
    assert rows[world.rep.pk]["forecast"] == Decimal("60000")
    assert rollup["total"] == Decimal("80000")
    assert rollup["team"].name == "Sales"


def test_manager_override_with_reason_is_audited_and_counts(world):
    forecast_submit(actor=world.rep, period="2026-Q3", amount="60000")
    forecast_submit(actor=world.peer, period="2026-Q3", amount="20000")
    forecast_override(
        actor=world.manager, period="2026-Q3", member=world.rep, amount="45000", reason="slipping"
    )
    sales = world.manager.profile.team
    forecast_override(
        actor=world.manager, period="2026-Q3", team=sales, amount="70000", reason="call"
    )
    rollup = forecast_rollup(actor=world.manager, period="2026-Q3", today=AUG16)
    rows = {r["member"].id: r for r in rollup["rows"]}
    # rep counts at the override (45,000), peer at their own (20,000): 65,000;
    # the team's own override (70,000) is the team's forecast.
    assert rows[world.rep.pk]["forecast"] == Decimal("45000")
    assert rows[world.rep.pk]["submission"].amount == Decimal("60000")
    assert (rollup["total"], rollup["forecast"]) == (Decimal("65000"), Decimal("70000"))
    entries = AuditEntry.objects.filter(action="forecast.override")
    assert entries.count() == 2 and entries.filter(reason="slipping").exists()


def test_override_rules(world):
    with pytest.raises(ApplicationError) as err:
        forecast_override(
            actor=world.manager, period="2026-Q3", member=world.rep, amount=1, reason=" "
        )
    assert err.value.code == "required"
    with pytest.raises(PermissionDenied):
        forecast_override(
            actor=world.manager, period="2026-Q3", member=world.other_rep, amount=1, reason="x"
        )
    with pytest.raises(PermissionDenied):
        forecast_override(
            actor=world.rep, period="2026-Q3", member=world.peer, amount=1, reason="x"
        )
    with pytest.raises(PermissionDenied):
        forecast_submit(actor=world.finance, period="2026-Q3", amount=1)


def test_accuracy_after_the_period(world):
    forecast_submit(actor=world.rep, period="2026-07", amount="1200")
    forecast_submit(actor=world.peer, period="2026-07", amount="500")
    # Both submitted on 10 July; a late one in August does not count for July.
    ForecastSubmission.objects.update(submitted_at=dt.datetime(2026, 7, 10, tzinfo=dt.UTC))
    late = forecast_submit(actor=world.rep, period="2026-07", amount="999999")
    late.submitted_at = dt.datetime(2026, 8, 5, tzinfo=dt.UTC)
    late.save()
    order_line(world.rep, dt.date(2026, 7, 3), "1000")
    order_line(world.peer, dt.date(2026, 7, 3), "500")
    during = forecast_accuracy(actor=world.manager, period="2026-07", today=dt.date(2026, 7, 20))
    assert not during["closed"] and during["rows"][0]["accuracy"] is None
    after = forecast_accuracy(actor=world.manager, period="2026-07", today=dt.date(2026, 8, 2))
    rows = {r["member"].id: r for r in after["rows"]}
    # rep: 1 - |1,200 - 1,000| / 1,000 = 0.8000; peer exact: 1.0000.
    assert rows[world.rep.pk]["accuracy"] == Decimal("0.8000")
    assert rows[world.rep.pk]["variance"] == Decimal("-200")
    assert rows[world.peer.pk]["accuracy"] == Decimal("1.0000")


def test_scorecard_puts_outcomes_and_behaviours_side_by_side(world):
    TargetFactory(member=world.rep, period="2026-07", value=Decimal("2000"))
    TargetFactory(member=world.rep, period="2026-07", metric="calls", value=Decimal("40"))
    order_line(world.rep, dt.date(2026, 7, 3), "500")
    _, cards = scorecards(actor=world.rep, period="2026-07", member_id=world.rep.pk, today=AUG16)
    (card,) = cards
    outcomes = {line["metric"].key: line["figures"] for line in card["outcomes"]}
    behaviours = {line["metric"].key: line["figures"] for line in card["behaviours"]}
    assert outcomes["revenue"].attainment == Decimal("0.2500")
    assert behaviours["calls"].target == Decimal("40.0000")
    assert behaviours["calls"].actual == Decimal("0.0000")
    assert "test_ratings" not in card["sections"]
    # Visibility: the rep cannot open the peer's card; the manager lists their people.
    with pytest.raises(ApplicationError):
        scorecards(actor=world.rep, period="2026-07", member_id=world.peer.pk, today=AUG16)
    _, cards = scorecards(actor=world.manager, period="2026-07", today=AUG16)
    assert {c["member"].id for c in cards} == {world.manager.pk, world.rep.pk, world.peer.pk}


def test_scorecard_sections_come_from_the_registry(world):
    def ratings(*, actor, member_ids, period):
        return {mid: {"closing": 4} for mid in member_ids if mid == world.rep.pk}

    register_section(ScorecardSection(key="test_ratings", label="Ratings", build=ratings))
    try:
        _, cards = scorecards(actor=world.manager, period="2026-07", today=AUG16)
        by_member = {c["member"].id: c for c in cards}
        assert by_member[world.rep.pk]["sections"]["test_ratings"] == {
            "label": "Ratings",
            "data": {"closing": 4},
        }
        assert "test_ratings" not in by_member[world.peer.pk]["sections"]
    finally:
        unregister_section("test_ratings")


def _count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_scorecard_list_costs_the_same_queries_for_more_members(world, monkeypatch):
    from saleshelm.performance import scorecards as registry
    from tests.tenancy.factories import MembershipFactory

    monkeypatch.setattr(registry, "_SECTIONS", {})  # other apps' sections are theirs to count
    order_line(world.rep, dt.date(2026, 7, 3), "500")
    scorecards(actor=world.admin, period="2026-07", today=AUG16)  # builds the rollup
    few = _count_queries(lambda: scorecards(actor=world.admin, period="2026-07", today=AUG16))
    for i in range(40):
        m = MembershipFactory(organisation=world.org, role="rep")
        order_line(m, dt.date(2026, 7, 1 + i % 28), "10")
        TargetFactory(member=m, period="2026-07", value=Decimal(100))
    scorecards(actor=world.admin, period="2026-07", today=AUG16)
    many = _count_queries(lambda: scorecards(actor=world.admin, period="2026-07", today=AUG16))
    # refresh check + directory + targets of every metric + one aggregate per metric
    # (+ the coverage metric's own target read)
    assert few == many <= 4 + len(all_metrics())
    _, cards = scorecards(actor=world.admin, period="2026-07", today=AUG16)
    assert len(cards) == 45

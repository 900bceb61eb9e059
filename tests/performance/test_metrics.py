"""The metric catalogue over the crm tables, with figures worked by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.core.errors import ApplicationError
from saleshelm.performance import metrics
from saleshelm.performance.metrics import Metric, MetricQuery, get_metric, register, unregister
from saleshelm.performance.selectors import attainment as sel
from tests.crm.factories import AccountFactory, ActivityFactory, OpportunityFactory, stage
from tests.performance.factories import TargetFactory

AUG16 = dt.date(2026, 8, 16)
UTC = dt.UTC


def q(world, **kw):
    return MetricQuery(
        organisation_id=world.org.pk,
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        **kw,
    )


def at(day: int, month: int = 7, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


def deal(
    world,
    owner,
    stage_name,
    amount,
    *,
    closed=None,
    created=dt.date(2026, 6, 1),
    close=None,
    probability=None,
):
    return OpportunityFactory(
        owner=owner,
        stage=stage(world.org, stage_name),
        amount=Decimal(amount),
        amount_reporting=Decimal(amount),
        created_date=created,
        close_date=close or dt.date(2026, 8, 31),
        closed_at=closed,
        probability=probability,
    )


def test_the_catalogue_has_the_spec_metrics():
    keys = {m.key for m in metrics.all_metrics()}
    assert {
        "revenue",
        "gross_margin",
        "units",
        "new_accounts",
        "won_deals",
        "win_rate",
        "avg_deal_size",
        "sales_cycle_days",
        "pipeline_created",
        "pipeline_coverage",
    } <= {m.key for m in metrics.metrics_of_kind("outcome")}
    assert {"calls", "meetings", "demos", "activities_per_deal", "follow_up_within_n_days"} <= {
        m.key for m in metrics.metrics_of_kind("behaviour")
    }
    assert len(keys) == len(metrics.all_metrics())
    with pytest.raises(ApplicationError) as err:
        get_metric("nope")
    assert (err.value.code, err.value.status) == ("unknown_metric", 422)


def test_the_catalogue_is_extensible(world):
    def compute(query):
        return {world.rep.pk: (Decimal(7), None)}

    register(Metric("referrals", "Referrals", "behaviour", "count", compute))
    try:
        _, _, rows = sel.attainment_rows(
            actor=world.rep, period="2026-Q3", metric="referrals", today=AUG16
        )
        assert rows[0].actual == Decimal("7.0000")
        with pytest.raises(ApplicationError):
            register(Metric("referrals", "Again", "behaviour", "count", lambda query: {}))
    finally:
        unregister("referrals")


def test_deal_metrics(world):
    # rep: won 1,000 (created 1 June, won 11 July: 40 days) and 3,000 (created 1 July,
    # closed-at unset, close date 31 July: 30 days); lost one in August; one still open.
    deal(world, world.rep, "Closed won", "1000", closed=at(11))
    deal(
        world,
        world.rep,
        "Closed won",
        "3000",
        created=dt.date(2026, 7, 1),
        close=dt.date(2026, 7, 31),
    )
    deal(world, world.rep, "Closed lost", "500", closed=at(3, 8))
    deal(world, world.rep, "Proposal", "800", created=dt.date(2026, 7, 20))
    # peer: one deal won before the quarter (not counted).
    deal(world, world.peer, "Closed won", "9999", closed=at(30, 6))
    query = q(world)
    assert metrics.won_deals(query) == {world.rep.pk: (Decimal(2), None)}
    # win rate 2 won / 3 closed = 0.6667
    assert metrics.win_rate(query)[world.rep.pk] == (Decimal(2), Decimal(3))
    assert get_metric("win_rate").value((Decimal(2), Decimal(3))).quantize(
        Decimal("0.0001")
    ) == Decimal("0.6667")
    # average deal size (1,000 + 3,000) / 2 = 2,000
    assert metrics.avg_deal_size(query)[world.rep.pk] == (Decimal("4000.0000"), Decimal(2))
    # sales cycle (40 + 30) / 2 = 35 days
    assert metrics.sales_cycle_days(query)[world.rep.pk] == (Decimal(70), Decimal(2))
    # pipeline created in Q3: the 3,000 deal and the open 800 one
    assert metrics.pipeline_created(query)[world.rep.pk] == (Decimal("3800.0000"), None)


def test_pipeline_coverage_is_open_pipeline_over_the_revenue_target(world):
    deal(world, world.rep, "Proposal", "45000", close=dt.date(2026, 9, 1))
    deal(world, world.rep, "Negotiation", "15000", close=dt.date(2026, 8, 1))
    TargetFactory(member=world.rep, value=Decimal("20000"))
    # (45,000 + 15,000) / 20,000 = 3.0000
    _, _, rows = sel.attainment_rows(
        actor=world.rep, period="2026-Q3", metric="pipeline_coverage", today=AUG16
    )
    assert rows[0].actual == Decimal("3.0000")


def test_team_ratio_is_the_ratio_of_sums(world):
    # rep wins 1 of 1, peer 1 of 3: North's win rate is 2 / 4 = 0.5, not (1 + 0.3333) / 2.
    deal(world, world.rep, "Closed won", "1", closed=at(2))
    deal(world, world.peer, "Closed won", "1", closed=at(2))
    deal(world, world.peer, "Closed lost", "1", closed=at(3))
    deal(world, world.peer, "Closed lost", "1", closed=at(4))
    _, _, rows = sel.attainment_rows(
        actor=world.admin, period="2026-Q3", metric="win_rate", group="team", today=AUG16
    )
    north = next(r for r in rows if r.name == "North")
    assert north.actual == Decimal("0.5000")


def test_new_accounts(world):
    AccountFactory(owner=world.rep, created_date=dt.date(2026, 7, 2))
    AccountFactory(owner=world.rep, created_date=dt.date(2026, 9, 30))
    AccountFactory(owner=world.rep, created_date=dt.date(2026, 10, 1))
    assert metrics.new_accounts(q(world)) == {world.rep.pk: (Decimal(2), None)}


def test_activity_metrics(world):
    account = AccountFactory(owner=world.rep)
    opp = deal(world, world.rep, "Proposal", "100")
    ActivityFactory(owner=world.rep, type="call", occurred_at=at(1))
    ActivityFactory(owner=world.rep, type="call", occurred_at=at(2))
    ActivityFactory(owner=world.rep, type="call", occurred_at=at(2), done=False)  # planned
    ActivityFactory(owner=world.rep, type="call", occurred_at=at(30, 6))  # June
    # A meeting on the deal followed by a call on the same deal 1 day later (followed up);
    # a demo on the account never followed up.
    ActivityFactory(owner=world.rep, type="meeting", occurred_at=at(10), opportunity=opp)
    ActivityFactory(owner=world.rep, type="email", occurred_at=at(11), opportunity=opp)
    ActivityFactory(owner=world.rep, type="demo", occurred_at=at(20), account=account)
    query = q(world)
    assert metrics.all_metrics()  # registry loaded
    assert get_metric("calls").compute(query) == {world.rep.pk: (Decimal(2), None)}
    assert get_metric("meetings").compute(query) == {world.rep.pk: (Decimal(1), None)}
    assert get_metric("demos").compute(query) == {world.rep.pk: (Decimal(1), None)}
    # activities on deals: the meeting and the email, on one deal -> 2 / 1
    assert get_metric("activities_per_deal").compute(query) == {
        world.rep.pk: (Decimal(2), Decimal(1))
    }
    # follow-up within 2 days: 1 of the 2 meetings/demos -> 0.5
    assert get_metric("follow_up_within_n_days").compute(query) == {
        world.rep.pk: (Decimal(1), Decimal(2))
    }


def test_time_zone_decides_the_day_of_an_activity(world):
    # 23:30 UTC on 30 June is already 1 July in Ho Chi Minh City (UTC+7).
    ActivityFactory(
        owner=world.rep, type="call", occurred_at=dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    )
    assert get_metric("calls").compute(q(world)) == {}
    assert get_metric("calls").compute(q(world, time_zone="Asia/Ho_Chi_Minh")) == {
        world.rep.pk: (Decimal(1), None)
    }

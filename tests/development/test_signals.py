"""Early signals: constructed cases for every rule, with controls that must stay quiet;
duplicates suppressed; escalation after the delay; resolution when the condition clears."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from saleshelm.crm.models import StageKind
from saleshelm.development import providers, signals_engine
from saleshelm.development.models import Signal, SignalSettings, SignalStatus
from saleshelm.development.providers import SignalRow, SignalSource
from saleshelm.development.services import signal_dismiss, signal_settings_update
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.roles import Role
from tests.crm.factories import ActivityFactory, OpportunityFactory, default_pipeline
from tests.people.factories import TeamFactory
from tests.performance.factories import TargetFactory, order_line
from tests.tenancy.factories import MembershipFactory, UserFactory

TODAY = dt.date(2026, 7, 20)
NOW = dt.datetime(2026, 7, 20, 6, 0, tzinfo=dt.UTC)


def at(days_ago: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days_ago)


def stage_of(org, kind=StageKind.OPEN):
    return default_pipeline(org).stages.filter(kind=kind).order_by("position").first()


def deal(owner, **fields):
    defaults = {
        "close_date": dt.date(2026, 8, 30),
        "next_step": "Send proposal",
        "next_step_date": TODAY + dt.timedelta(days=3),
        "created_date": TODAY - dt.timedelta(days=40),
        "stage_entered_at": at(5),
    }
    defaults.update(fields)
    return OpportunityFactory(owner=owner, **defaults)


def activities(owner, per_week_trailing: int, last_week: int):
    for week in range(1, 5):
        for i in range(per_week_trailing):
            ActivityFactory(owner=owner, occurred_at=at(7 * week + 0.1 + i * 0.01))
    for i in range(last_week):
        ActivityFactory(owner=owner, occurred_at=at(1 + i * 0.01))


@pytest.fixture
def only_test_sources(monkeypatch):
    """Signal sources of the test only (the incentives app registers its own as well)."""
    providers.signal_sources()  # let the apps register theirs first
    monkeypatch.setattr(providers, "_signal_sources", {})


@pytest.fixture
def commitments(only_test_sources):
    """A test commitments source, as the incentives app registers one."""
    rows: list[SignalRow] = []

    def overdue(*, organisation, today, settings):
        return [r for r in rows if r.detail.get("org") == organisation.pk]

    providers.register_signal_source(
        SignalSource(key="tests.commitments", rule="commitment_overdue", rows=overdue)
    )
    yield rows
    providers.unregister("tests.commitments")


@pytest.fixture
def scene(world, commitments):
    """The rep is behind on every front; the peer and the other rep are the controls."""
    org = world.org
    rep, peer, other = world.rep, world.peer, world.other_rep
    # Pace: a July target of 31,000 (1,000 a day); on day 20 the rep has 5,000 (25 %), the
    # peer 19,000 (95 %).
    for member, sold in ((rep, "5000"), (peer, "19000")):
        TargetFactory(member=member, period="2026-07", value=Decimal("31000"))
        order_line(member, dt.date(2026, 7, 5), sold)
    # Coverage (July, what is left of the target): the rep 10,000 open against 26,000 left;
    # the peer 50,000 open against 12,000 left.
    deal(rep, name="Small July deal", amount=Decimal("10000"), close_date=dt.date(2026, 7, 28))
    deal(peer, name="Big July deal", amount=Decimal("50000"), close_date=dt.date(2026, 7, 30))
    # Stalled: 30 days in stage fires, 5 days does not, a won deal never does.
    stalled = deal(rep, name="Stuck deal", stage_entered_at=at(30))
    deal(peer, name="Moving deal", stage_entered_at=at(5))
    deal(other, name="Old won deal", stage=stage_of(org, StageKind.WON), stage_entered_at=at(60))
    # No next step: missing (created 10 days ago) fires; created today is in its grace days.
    no_step = deal(
        rep, name="Deal without step", next_step="", created_date=TODAY - dt.timedelta(days=10)
    )
    deal(peer, name="Fresh deal", next_step="", created_date=TODAY)
    # Activity: the rep fell from 20 a week to 3; the peer is steady at 10; the other rep
    # averages 2 a week (too few to compare) and did nothing last week.
    activities(rep, 20, 3)
    activities(peer, 10, 10)
    activities(other, 2, 0)
    # Commitments: one overdue for the rep (from the registered source).
    commitments.append(
        SignalRow(subject_id=rep.pk, object_type="commitment", object_id=7, detail={"org": org.pk})
    )
    return {"stalled": stalled, "no_step": no_step, "commitments": commitments}


def evaluate(world, now=NOW, today=TODAY):
    return signals_engine.evaluate(organisation=world.org, today=today, now=now)


def open_keys(world):
    return set(
        Signal.objects.filter(organisation=world.org, status=SignalStatus.OPEN).values_list(
            "rule", "subject__user__email", "object_type"
        )
    )


@pytest.mark.django_db
def test_the_daily_run_raises_the_expected_signals_and_none_for_the_controls(world, scene):
    result = evaluate(world)

    assert open_keys(world) == {
        ("behind_pace", "rep@acme.test", ""),
        ("low_coverage", "rep@acme.test", ""),
        ("stalled_deal", "rep@acme.test", "opportunity"),
        ("no_next_step", "rep@acme.test", "opportunity"),
        ("activity_drop", "rep@acme.test", ""),
        ("commitment_overdue", "rep@acme.test", "commitment"),
    }
    assert result.raised == 6 and result.resolved == 0 and result.escalated == 0
    stalled = Signal.objects.get(rule="stalled_deal")
    assert stalled.object_id == scene["stalled"].pk
    assert stalled.detail["since"] == "2026-06-20"
    pace = Signal.objects.get(rule="behind_pace")
    assert pace.detail["pacing"] == "0.2500" and pace.detail["period"] == "2026-07"
    drop = Signal.objects.get(rule="activity_drop")
    assert drop.detail["recent"] == 3 and drop.detail["weekly_average"] == "20.0"
    assert Signal.objects.get(rule="no_next_step").object_id == scene["no_step"].pk


@pytest.mark.django_db
def test_behind_pace_waits_for_the_day_of_the_period_set_by_the_organisation(world, scene):
    signal_settings_update(actor=SystemActor(world.org), behind_pace_from_day=25)

    evaluate(world)

    assert not Signal.objects.filter(rule="behind_pace").exists()


@pytest.mark.django_db
def test_a_second_run_suppresses_duplicates(world, scene):
    evaluate(world)
    before = list(Signal.objects.order_by("pk").values_list("pk", "rule", "status"))

    again = evaluate(world, now=NOW + dt.timedelta(hours=6))

    assert again.raised == 0 and again.resolved == 0
    assert list(Signal.objects.order_by("pk").values_list("pk", "rule", "status")) == before


@pytest.mark.django_db
def test_one_open_signal_per_rule_subject_and_object_is_a_database_rule(world):
    Signal.objects.create(
        organisation=world.org, rule="activity_drop", subject=world.rep, raised_at=NOW,
        last_seen_at=NOW,
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Signal.objects.create(
            organisation=world.org, rule="activity_drop", subject=world.rep, raised_at=NOW,
            last_seen_at=NOW,
        )  # fmt: skip


@pytest.mark.django_db
def test_signals_escalate_to_the_manager_after_the_delay(world, scene):
    evaluate(world)

    one_day = evaluate(world, now=NOW + dt.timedelta(days=1), today=TODAY + dt.timedelta(days=1))
    assert one_day.escalated == 0
    assert not Signal.objects.filter(escalated_at__isnull=False).exists()

    later = evaluate(
        world, now=NOW + dt.timedelta(days=2, minutes=1), today=TODAY + dt.timedelta(days=2)
    )

    # Those raised two days ago go to Mai, who manages the rep's team; the peer's deal that
    # left its grace days today is raised now and waits its turn.
    first = Signal.objects.filter(status=SignalStatus.OPEN, raised_at=NOW)
    assert later.escalated == first.count() == 6
    assert set(first.values_list("escalated_to__user__email", flat=True)) == {"manager@acme.test"}
    fresh = Signal.objects.get(status=SignalStatus.OPEN, raised_at__gt=NOW)
    assert fresh.subject == world.peer and fresh.escalated_at is None


@pytest.mark.django_db
def test_a_managers_own_signal_escalates_to_the_manager_above(world):
    # Given a team lead who manages their own team under a division led by a director.
    org = world.org
    division = TeamFactory(organisation=org, name="Division", manager=world.director)
    team = TeamFactory(organisation=org, name="Lead team", parent=division)
    lead = MembershipFactory(
        organisation=org, role=Role.MANAGER, user=UserFactory(email="lead@acme.test")
    )
    lead.profile.team = team
    lead.profile.save()
    team.manager = lead
    team.save()
    deal(lead, name="Lead's stuck deal", stage_entered_at=at(40))

    evaluate(world)
    evaluate(world, now=NOW + dt.timedelta(days=3), today=TODAY + dt.timedelta(days=3))

    signal = Signal.objects.get(subject=lead, rule="stalled_deal")
    assert signal.escalated_to == world.director


@pytest.mark.django_db
def test_signals_resolve_themselves_when_the_condition_clears(world, scene):
    evaluate(world)
    no_step = scene["no_step"]
    no_step.next_step = "Call the CFO"
    no_step.next_step_date = TODAY + dt.timedelta(days=2)
    no_step.save()
    scene["commitments"].clear()

    result = evaluate(world, now=NOW + dt.timedelta(hours=1))

    assert result.resolved == 2
    for rule in ("no_next_step", "commitment_overdue"):
        signal = Signal.objects.get(rule=rule)
        assert signal.status == SignalStatus.RESOLVED and signal.resolution == "cleared"
    assert Signal.objects.filter(rule="stalled_deal", status=SignalStatus.OPEN).exists()


@pytest.mark.django_db
def test_a_dismissed_signal_stays_quiet_while_its_condition_holds(world, scene):
    evaluate(world)
    stalled = Signal.objects.get(rule="stalled_deal")
    signal_dismiss(actor=world.rep, signal=stalled)

    evaluate(world, now=NOW + dt.timedelta(hours=1))
    assert not Signal.objects.filter(rule="stalled_deal", status=SignalStatus.OPEN).exists()

    # When the deal moves and later stalls again, the signal comes back.
    deal_ = scene["stalled"]
    deal_.stage_entered_at = NOW
    deal_.save()
    evaluate(world, now=NOW + dt.timedelta(hours=2))
    deal_.stage_entered_at = at(30)
    deal_.save()
    evaluate(world, now=NOW + dt.timedelta(hours=3))
    assert Signal.objects.filter(rule="stalled_deal", status=SignalStatus.OPEN).count() == 1


@pytest.mark.django_db
def test_a_disabled_rule_resolves_its_open_signals(world, scene):
    evaluate(world)

    signal_settings_update(actor=SystemActor(world.org), stalled_enabled=False)
    evaluate(world, now=NOW + dt.timedelta(hours=1))

    assert Signal.objects.get(rule="stalled_deal").resolution == "disabled"


@pytest.mark.django_db
def test_without_a_commitments_source_the_rule_is_skipped_not_resolved(world, only_test_sources):
    Signal.objects.create(
        organisation=world.org, rule="commitment_overdue", subject=world.rep,
        object_type="commitment", object_id=1, raised_at=NOW, last_seen_at=NOW,
    )  # fmt: skip

    result = evaluate(world)

    outcome = next(r for r in result.rules if r.rule == "commitment_overdue")
    assert not outcome.evaluated and outcome.reason == "no source"
    assert Signal.objects.get(rule="commitment_overdue").status == SignalStatus.OPEN


def _team_with_reps(org, n, name):
    team = TeamFactory(organisation=org, name=name)
    for i in range(n):
        m = MembershipFactory(
            organisation=org, role=Role.REP, user=UserFactory(email=f"{name}{i}@acme.test")
        )
        m.profile.team = team
        m.profile.save()
        TargetFactory(member=m, period="2026-07", value=Decimal("31000"))
        deal(m, name=f"{name} stuck {i}", stage_entered_at=at(30), next_step="")
        activities(m, 6, 0)
    return team


@pytest.mark.django_db
def test_every_rule_is_set_based_the_query_count_does_not_grow_with_members(world, commitments):
    def measured_run():
        evaluate(world)  # warms the performance rollup, as the previous day's run would
        Signal.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            evaluate(world)
        return len(queries.captured_queries)

    _team_with_reps(world.org, 2, "small")
    few = measured_run()
    _team_with_reps(world.org, 20, "large")
    many = measured_run()

    assert Signal.objects.filter(rule="stalled_deal").count() == 22
    assert many == few


@pytest.mark.django_db
def test_settings_default_until_saved_and_validate_ranges(world):
    from saleshelm.core.errors import ApplicationError

    assert signals_engine.settings_for(world.org.pk).stalled_days == 21
    assert not SignalSettings.objects.exists()
    with pytest.raises(ApplicationError):
        signal_settings_update(actor=world.admin, behind_pace_by=Decimal("1.5"))
    saved = signal_settings_update(actor=world.admin, stalled_days=30)
    assert saved.stalled_days == 30 and SignalSettings.objects.count() == 1


@pytest.mark.django_db
def test_evaluate_on_demand_through_the_api(world, scene, api_client):
    response = api_client(world.manager).post("/api/v1/signals/evaluate")

    # (The API runs on the real clock, so which rules fire depends on today's date; the
    # stalled deal and the overdue commitment fire on any date.)
    assert response.status_code == 200, response.content
    raised = response.json()["raised"]
    assert raised >= 2
    # The signals go to the rep first: the manager sees none of them yet.
    mine = api_client(world.rep).get("/api/v1/signals").json()
    assert mine["count"] == Signal.objects.filter(subject=world.rep).count() >= 2
    assert {"stalled_deal", "commitment_overdue"} <= {s["rule"] for s in mine["items"]}
    assert api_client(world.manager).get("/api/v1/signals").json()["count"] == 0


@pytest.mark.django_db
def test_the_incentives_commitments_feed_the_overdue_rule(world):
    """The incentives app plugs its commitments in through the provider registry."""
    from saleshelm.incentives.models.contract import Commitment

    def commitment(member, due, side="member"):
        return Commitment.objects.create(
            organisation=world.org, member=member, period="2026-07", period_start=dt.date(2026, 7, 1),
            period_end=dt.date(2026, 7, 31), side=side, kind="effort" if side == "member" else "leads",
            title="Ten customer visits a week", owner=member if side == "member" else world.manager,
            due_date=due,
        )  # fmt: skip

    late = commitment(world.rep, TODAY - dt.timedelta(days=3))
    commitment(world.peer, TODAY + dt.timedelta(days=3))  # not yet due
    commitment(world.other_rep, TODAY - dt.timedelta(days=3), side="organisation")  # ours to keep

    evaluate(world)

    signal = Signal.objects.get(rule="commitment_overdue")
    assert (signal.subject, signal.object_type, signal.object_id) == (
        world.rep,
        "commitment",
        late.pk,
    )
    assert signal.detail == {"title": "Ten customer visits a week", "due": "2026-07-17"}


@pytest.mark.django_db
def test_a_failing_source_skips_its_rule_and_the_others_still_run(world, scene, only_test_sources):
    def broken(*, organisation, today, settings):
        raise RuntimeError("the source is down")

    providers.register_signal_source(
        SignalSource(key="tests.commitments", rule="commitment_overdue", rows=broken)
    )

    result = evaluate(world)

    outcome = next(r for r in result.rules if r.rule == "commitment_overdue")
    assert not outcome.evaluated and outcome.reason == "error"
    assert Signal.objects.filter(rule="stalled_deal").exists()


@pytest.mark.django_db
def test_a_deal_moving_to_another_stalled_stage_refreshes_its_signal(world, scene):
    evaluate(world)
    stalled = scene["stalled"]
    later_stage = (
        default_pipeline(world.org).stages.filter(kind=StageKind.OPEN).order_by("-position").first()
    )
    stalled.stage = later_stage
    stalled.save()  # moved, yet still in place for 30 days (an import kept the old date)

    result = evaluate(world, now=NOW + dt.timedelta(hours=1))

    outcome = next(r for r in result.rules if r.rule == "stalled_deal")
    assert outcome.refreshed == 1 and outcome.raised == 0
    assert Signal.objects.get(rule="stalled_deal").detail["stage"] == later_stage.name

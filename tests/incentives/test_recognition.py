"""Recognition and competition: kudos tied to a value, badges (manual and metric-based) and
contests with live standings worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleshelm.core import scheduler
from saleshelm.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from saleshelm.direction.services.mission import value_create
from saleshelm.incentives.models.recognition import (
    BadgeAward,
    ContestResult,
    ContestStatus,
    Kudos,
    Notice,
)
from saleshelm.incentives.selectors import recognition as sel
from saleshelm.incentives.services import recognition as svc
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.models import AuditEntry
from tests.crm.factories import ActivityFactory
from tests.people.factories import TeamFactory
from tests.performance.factories import order_line

pytestmark = pytest.mark.django_db

JUL = dt.date(2026, 7, 1)


def values(org):
    system = SystemActor(org)
    return (
        value_create(actor=system, name="Customer first"),
        value_create(actor=system, name="Own the outcome"),
        value_create(actor=system, name="Win together"),
    )


def calls(member, n: int, day: dt.date) -> None:
    for i in range(n):
        ActivityFactory(
            owner=member,
            type="call",
            occurred_at=dt.datetime(day.year, day.month, day.day, 9 + i, tzinfo=dt.UTC),
        )


# --- kudos --------------------------------------------------------------------------------


def test_a_rep_thanks_a_colleague_for_a_value_and_the_colleague_is_told(
    world, django_capture_on_commit_callbacks
):
    # given the company's values
    customer, _own, _win = values(world.org)
    world.peer.user.language = "vi"
    world.peer.user.save()

    # when the rep gives kudos to a teammate for "Customer first"
    with django_capture_on_commit_callbacks(execute=True):
        kudos = svc.kudos_give(
            actor=world.rep, receiver=world.peer, value=customer, message="Saved the Lotus deal"
        )

    # then the kudos is in the organisation's feed and in the team's feed
    assert list(sel.kudos_list(actor=world.director)) == [kudos]
    assert list(sel.kudos_list(actor=world.peer, feed="team")) == [kudos]
    # and the receiver has an unread in-app notice and an email in their language
    notice = Notice.objects.get(recipient=world.peer)
    assert notice.kudos == kudos and notice.read_at is None
    assert sel.unread_notice_count(actor=world.peer) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["peer@acme.test"]
    assert "Saved the Lotus deal" in message.body
    assert "Nguyễn Văn An" in message.subject
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    # and the gift is audited
    assert AuditEntry.objects.filter(action="kudos.give", object_id=str(kudos.pk)).exists()


def test_the_email_of_a_notice_is_sent_once(world, django_capture_on_commit_callbacks):
    from saleshelm.incentives.tasks import notice_email_send

    customer, *_ = values(world.org)
    with django_capture_on_commit_callbacks(execute=True):
        svc.kudos_give(actor=world.rep, receiver=world.peer, value=customer, message="Thanks")
    notice = Notice.objects.get()

    # when the task runs again (a retry, a second worker)
    notice_email_send.call(notice.pk)

    # then nobody gets a second email
    assert len(mail.outbox) == 1


def test_kudos_are_for_someone_else_in_the_organisation_with_a_value_and_a_message(world):
    customer, *_ = values(world.org)
    (beta_value,) = (value_create(actor=SystemActor(world.other_org), name="Beta value"),)
    with pytest.raises(ApplicationError) as self_kudos:
        svc.kudos_give(actor=world.rep, receiver=world.rep, value=customer, message="Me")
    assert self_kudos.value.code == "self_kudos"
    with pytest.raises(ApplicationError):
        svc.kudos_give(actor=world.rep, receiver=world.peer, value=beta_value, message="x")
    with pytest.raises(ApplicationError):
        svc.kudos_give(actor=world.rep, receiver=world.other_org_rep, value=customer, message="x")
    with pytest.raises(ApplicationError):
        svc.kudos_give(actor=world.rep, receiver=world.peer, value=customer, message="   ")
    with pytest.raises(ApplicationError):
        svc.kudos_give(
            actor=SystemActor(world.org), receiver=world.peer, value=customer, message="x"
        )
    assert not Kudos.objects.exists()


def test_anyone_gives_kudos_even_finance_and_viewers(world):
    customer, *_ = values(world.org)
    for giver in (world.finance, world.viewer, world.admin, world.other_rep):
        svc.kudos_give(actor=giver, receiver=world.rep, value=customer, message="Thank you")
    assert Kudos.objects.filter(receiver=world.rep).count() == 4


def test_the_team_feed_holds_kudos_given_or_received_in_my_team(world):
    customer, own, win = values(world.org)
    inside = svc.kudos_give(actor=world.peer, receiver=world.rep, value=own, message="a")
    from_outside = svc.kudos_give(
        actor=world.other_rep, receiver=world.peer, value=win, message="b"
    )
    elsewhere = svc.kudos_give(
        actor=world.other_rep, receiver=world.other_manager, value=customer, message="c"
    )

    rep_team = set(sel.kudos_list(actor=world.rep, feed="team"))
    manager_team = set(sel.kudos_list(actor=world.manager, feed="team"))
    org = set(sel.kudos_list(actor=world.rep, feed="org"))

    assert rep_team == {inside, from_outside}
    assert manager_team == {inside, from_outside}
    assert org == {inside, from_outside, elsewhere}
    assert set(sel.kudos_list(actor=world.rep, feed="mine")) == {inside}


def test_counts_per_value_include_the_values_nobody_was_thanked_for(world):
    customer, _own, win = values(world.org)
    svc.kudos_give(actor=world.rep, receiver=world.peer, value=customer, message="a")
    svc.kudos_give(actor=world.peer, receiver=world.rep, value=customer, message="b")
    svc.kudos_give(actor=world.manager, receiver=world.rep, value=win, message="c")

    with CaptureQueriesContext(connection) as queries:
        counts = {v.name: v.kudos_count for v in sel.kudos_counts_by_value(actor=world.rep)}

    assert counts == {"Customer first": 2, "Own the outcome": 0, "Win together": 1}
    assert len(queries) == 1


def test_the_giver_or_an_admin_withdraws_kudos_and_nobody_else(world):
    customer, *_ = values(world.org)
    kudos = svc.kudos_give(actor=world.rep, receiver=world.peer, value=customer, message="a")
    with pytest.raises(PermissionDenied):
        svc.kudos_withdraw(actor=world.peer, kudos=kudos)
    with pytest.raises(PermissionDenied):
        svc.kudos_withdraw(actor=world.director, kudos=kudos)
    svc.kudos_withdraw(actor=world.rep, kudos=kudos)
    assert not Kudos.objects.exists() and not Notice.objects.exists()
    other = svc.kudos_give(actor=world.rep, receiver=world.peer, value=customer, message="b")
    svc.kudos_withdraw(actor=world.admin, kudos=other)
    assert AuditEntry.objects.filter(action="kudos.withdraw").count() == 2


def test_a_value_given_as_kudos_cannot_be_deleted(world):
    from saleshelm.direction.services.mission import value_delete

    customer, *_ = values(world.org)
    svc.kudos_give(actor=world.rep, receiver=world.peer, value=customer, message="a")
    with pytest.raises(Conflict):
        value_delete(actor=world.admin, value=customer)


# --- badges -------------------------------------------------------------------------------


def test_leaders_define_badges_and_a_metric_badge_needs_its_rule(world):
    with pytest.raises(PermissionDenied):
        svc.badge_create(actor=world.manager, name="Closer", criteria="manual")
    badge = svc.badge_create(actor=world.director, name="Closer", criteria="manual")
    assert badge.metric == "" and badge.threshold is None
    with pytest.raises(Conflict):
        svc.badge_create(actor=world.admin, name="Closer", criteria="manual")
    with pytest.raises(ApplicationError) as unknown:
        svc.badge_create(
            actor=world.admin, name="X", criteria="metric", metric="karma", threshold="1",
            period_kind="month",
        )  # fmt: skip
    assert unknown.value.code == "unknown_metric"
    with pytest.raises(ApplicationError):
        svc.badge_create(actor=world.admin, name="Y", criteria="metric", metric="revenue")
    ten_k = svc.badge_create(
        actor=world.admin, name="10K month", criteria="metric", metric="revenue",
        threshold="10000", period_kind="month", symbol="trophy",
    )  # fmt: skip
    assert ten_k.threshold == Decimal("10000") and ten_k.symbol == "trophy"


def test_a_manager_awards_a_manual_badge_to_their_own_team_with_a_reason(
    world, django_capture_on_commit_callbacks
):
    badge = svc.badge_create(actor=world.director, name="Team player", criteria="manual")

    with django_capture_on_commit_callbacks(execute=True):
        award = svc.badge_award(
            actor=world.manager, badge=badge, member=world.rep, reason="Covered Bình's accounts"
        )

    assert award.awarded_by == world.manager and award.period == ""
    assert list(sel.award_list(actor=world.viewer, member_id=world.rep.pk)) == [award]
    assert Notice.objects.get(recipient=world.rep).award == award
    assert len(mail.outbox) == 1
    # the same badge may be given again for another deed
    svc.badge_award(actor=world.director, badge=badge, member=world.rep, reason="Again")
    # but not outside the manager's team, not to oneself, not without a reason
    with pytest.raises(PermissionDenied):
        svc.badge_award(actor=world.manager, badge=badge, member=world.other_rep, reason="x")
    with pytest.raises(ApplicationError):
        svc.badge_award(actor=world.director, badge=badge, member=world.director, reason="x")
    with pytest.raises(ApplicationError):
        svc.badge_award(actor=world.manager, badge=badge, member=world.peer, reason=" ")
    with pytest.raises(PermissionDenied):
        svc.badge_award(actor=world.rep, badge=badge, member=world.peer, reason="x")
    assert BadgeAward.objects.count() == 2


def test_a_metric_badge_is_earned_not_given(world):
    badge = svc.badge_create(
        actor=world.admin, name="10K", criteria="metric", metric="revenue", threshold="10000",
        period_kind="month",
    )  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        svc.badge_award(actor=world.admin, badge=badge, member=world.rep, reason="x")
    assert refused.value.code == "metric_badge"


def test_awards_are_revoked_by_leaders_or_the_manager_who_gave_them(world):
    badge = svc.badge_create(actor=world.admin, name="Hero", criteria="manual")
    by_manager = svc.badge_award(actor=world.manager, badge=badge, member=world.rep, reason="a")
    by_director = svc.badge_award(actor=world.director, badge=badge, member=world.rep, reason="b")
    with pytest.raises(PermissionDenied):
        svc.award_revoke(actor=world.manager, award=by_director)
    with pytest.raises(PermissionDenied):
        svc.award_revoke(actor=world.rep, award=by_manager)
    svc.award_revoke(actor=world.manager, award=by_manager)
    svc.award_revoke(actor=world.admin, award=by_director, reason="duplicate")
    assert not BadgeAward.objects.exists()
    assert AuditEntry.objects.filter(action="badge.revoke").count() == 2


def test_metric_badges_are_awarded_once_per_member_and_period_however_often_evaluated(world):
    # given a badge for 10,000 of revenue in a month
    badge = svc.badge_create(
        actor=world.admin, name="10K month", criteria="metric", metric="revenue",
        threshold="10000", period_kind="month",
    )  # fmt: skip
    # and July: the rep sells 6,000 + 4,000 = 10,000 (on the threshold), the peer 9,999.99,
    # a manager (who also sells) 12,000; the other org's rep 50,000
    order_line(world.rep, dt.date(2026, 7, 3), "6000")
    order_line(world.rep, dt.date(2026, 7, 20), "4000")
    order_line(world.peer, dt.date(2026, 7, 21), "9999.99")
    order_line(world.manager, dt.date(2026, 7, 22), "12000")
    order_line(world.other_org_rep, dt.date(2026, 7, 22), "50000")

    # when the daily evaluation runs on 31 July, twice
    first = svc.badges_evaluate(organisation=world.org, today=dt.date(2026, 7, 31))
    second = svc.badges_evaluate(organisation=world.org, today=dt.date(2026, 7, 31))
    # and again on 1 August (July is evaluated once more: it just ended)
    third = svc.badges_evaluate(organisation=world.org, today=dt.date(2026, 8, 1))

    # then the rep and the manager hold the July badge, once each
    awards = BadgeAward.objects.filter(badge=badge).order_by("member__user__full_name")
    assert [(a.member, a.period, a.figure) for a in awards] == [
        (world.manager, "2026-07", Decimal("12000.0000")),
        (world.rep, "2026-07", Decimal("10000.0000")),
    ]
    assert (first, second, third) == (2, 0, 0)
    # and each was told
    assert Notice.objects.filter(kind="badge").count() == 2
    assert not BadgeAward.objects.filter(organisation=world.other_org).exists()


def test_the_daily_jobs_are_registered_with_the_scheduler():
    names = {job.name: job for job in scheduler.jobs()}
    for name in (
        "incentives.badges_evaluate",
        "incentives.contests_finish",
        "incentives.pulse_surveys_roll",
    ):
        assert names[name].schedule.kind == "daily"
        assert callable(names[name].task().enqueue)


# --- contests -----------------------------------------------------------------------------


def _call_contest(world, actor=None, **kw):
    defaults = {
        "name": "July call blitz",
        "metric": "calls",
        "starts_on": dt.date(2026, 7, 6),
        "ends_on": dt.date(2026, 7, 17),
        "participant_kind": "member",
        "members": [world.rep, world.peer, world.other_rep],
        "prizes": [
            {"rank": 1, "description": "Dinner for two", "amount": "150"},
            {"rank": 2, "description": "Movie tickets", "amount": "40.005"},
        ],
    }
    defaults.update(kw)
    return svc.contest_create(actor=actor or world.director, **defaults)


def test_live_standings_worked_by_hand_ties_share_a_rank_and_its_prize(world):
    # given a call contest from 6 to 17 July between three reps
    contest = _call_contest(world)
    # and their calls: the rep 5 (one on 5 July, before the contest, does not count),
    # the other rep 5, the peer 3; a call of someone outside the contest is ignored
    calls(world.rep, 5, dt.date(2026, 7, 8))
    calls(world.rep, 1, dt.date(2026, 7, 5))
    calls(world.other_rep, 5, dt.date(2026, 7, 17))
    calls(world.peer, 3, dt.date(2026, 7, 10))
    calls(world.manager, 9, dt.date(2026, 7, 10))

    # when anyone in the organisation opens the contest and its standings
    contest = sel.access_contest(actor=world.viewer, id=contest.pk)
    with CaptureQueriesContext(connection) as queries:
        rows = sel.contest_standings(actor=world.viewer, contest=contest)

    # then the two reps with 5 calls share first place (and the dinner), the peer is third
    # (rank 3, not 2: nobody is second) and wins nothing
    assert [(r.rank, r.name, r.shown, r.prize and r.prize.description) for r in rows] == [
        (1, "Lê Văn Cường", Decimal(5), "Dinner for two"),
        (1, "Nguyễn Văn An", Decimal(5), "Dinner for two"),
        (3, "Trần Thị Bình", Decimal(3), None),
    ]
    # and prizes are money of the organisation's currency, rounded half-up to the cent
    assert contest.prizes.get(rank=2).amount == Decimal("40.01")
    # set-based: the participants in one query, every figure in one aggregate query
    assert len(queries) == 2


def test_team_standings_add_up_the_members_of_each_team_subtree(world):
    # given a contest between North (rep, peer) and South (other rep), on calls
    north, south = world.rep.profile.team, world.other_rep.profile.team
    contest = _call_contest(world, participant_kind="team", members=[], teams=[north, south])
    calls(world.rep, 2, dt.date(2026, 7, 8))
    calls(world.peer, 3, dt.date(2026, 7, 8))
    calls(world.other_rep, 4, dt.date(2026, 7, 8))

    rows = sel.contest_standings(actor=world.rep, contest=contest)

    assert [(r.rank, r.name, r.shown) for r in rows] == [
        (1, "North", Decimal(5)),
        (2, "South", Decimal(4)),
    ]


def test_ratio_standings_are_ratios_of_sums_and_no_figure_ranks_last(world):
    from tests.crm.factories import OpportunityFactory, stage

    def deal(owner, kind):
        OpportunityFactory(
            owner=owner,
            stage=stage(world.org, "Closed won" if kind == "won" else "Closed lost"),
            amount=Decimal(100),
            amount_reporting=Decimal(100),
            close_date=dt.date(2026, 7, 10),
        )

    contest = _call_contest(world, metric="win_rate")
    deal(world.rep, "won")
    deal(world.rep, "lost")
    deal(world.peer, "won")

    rows = sel.contest_standings(actor=world.rep, contest=contest)

    assert [(r.rank, r.name, r.shown) for r in rows] == [
        (1, "Trần Thị Bình", Decimal("1.0000")),
        (2, "Nguyễn Văn An", Decimal("0.5000")),
        (None, "Lê Văn Cường", None),
    ]


def test_a_manager_runs_contests_inside_their_team_only(world):
    contest = _call_contest(world, actor=world.manager, members=[world.rep, world.peer])
    assert contest.team == world.manager.managed_teams.get()
    with pytest.raises(ApplicationError) as outside:
        _call_contest(world, actor=world.manager)
    assert outside.value.code == "outside_team"
    with pytest.raises(PermissionDenied):
        _call_contest(world, actor=world.rep, members=[world.rep, world.peer])
    with pytest.raises(PermissionDenied):
        svc.contest_cancel(actor=world.other_manager, contest=contest)
    with pytest.raises(ApplicationError):
        _call_contest(world, actor=world.other_manager, members=[world.other_rep, world.peer])


def test_a_contest_needs_two_participants_and_whole_months_on_monthly_metrics(world):
    with pytest.raises(ApplicationError) as few:
        _call_contest(world, members=[world.rep])
    assert few.value.code == "too_few"
    with pytest.raises(ApplicationError) as months:
        _call_contest(world, metric="revenue")
    assert months.value.code == "whole_months"
    revenue = _call_contest(
        world, metric="revenue", starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 9, 30)
    )
    assert revenue.metric == "revenue"
    with pytest.raises(ApplicationError):
        _call_contest(world, ends_on=dt.date(2026, 7, 1))


def test_a_finished_contest_freezes_its_winners_once(world, django_capture_on_commit_callbacks):
    contest = _call_contest(world)
    calls(world.rep, 4, dt.date(2026, 7, 8))
    calls(world.peer, 2, dt.date(2026, 7, 8))

    # while it runs, nothing is frozen
    assert svc.contests_finish(organisation=world.org, today=dt.date(2026, 7, 17)) == 0
    # the day after its end the results are written and the winners told
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.contests_finish(organisation=world.org, today=dt.date(2026, 7, 18)) == 1
    assert svc.contests_finish(organisation=world.org, today=dt.date(2026, 7, 19)) == 0

    contest.refresh_from_db()
    assert contest.status == ContestStatus.FINISHED
    results = ContestResult.objects.filter(contest=contest).order_by("rank", "pk")
    assert [(r.rank, r.member, r.figure, r.prize_id is not None) for r in results] == [
        (1, world.rep, Decimal("4.0000"), True),
        (2, world.peer, Decimal("2.0000"), True),
        (3, world.other_rep, Decimal("0.0000"), False),
    ]
    assert set(Notice.objects.filter(kind="contest").values_list("recipient", flat=True)) == {
        world.rep.pk,
        world.peer.pk,
    }
    assert len(mail.outbox) == 2
    # and a finished contest cannot be changed any more
    with pytest.raises(Conflict):
        svc.contest_update(actor=world.director, contest=contest, name="Renamed")


def test_contests_of_another_organisation_are_not_found(world):
    contest = _call_contest(world)
    with pytest.raises(NotFound):
        sel.access_contest(actor=world.other_org_admin, id=contest.pk)
    with pytest.raises(NotFound):
        sel.contest_standings(actor=world.other_org_admin, contest=contest)


def test_a_team_of_another_organisation_cannot_take_part(world):
    beta_team = TeamFactory(organisation=world.other_org, name="Beta North")
    with pytest.raises(ApplicationError):
        _call_contest(
            world, participant_kind="team", members=[], teams=[world.rep.profile.team, beta_team]
        )


def test_contest_dates_out_of_range_are_refused(world):
    with pytest.raises(ApplicationError):
        _call_contest(world, starts_on=dt.date(9999, 12, 1), ends_on=dt.date(9999, 12, 31))


# --- admin --------------------------------------------------------------------------------


def test_staff_see_the_motivation_records_in_the_admin_read_only(world, client):
    from saleshelm.tenancy.models import User

    staff = User.objects.create_superuser("root@acme.test", "pw-correct-horse-42", full_name="Root")
    client.force_login(staff)
    kudos = svc.kudos_give(
        actor=world.rep, receiver=world.peer, value=values(world.org)[0], message="Thanks!"
    )
    for model in ("kudos", "badge", "contest", "commitment", "pulsesurvey"):
        assert client.get(f"/admin/incentives/{model}/").status_code == 200, model
        assert client.get(f"/admin/incentives/{model}/add/").status_code == 403, model
    r = client.get(f"/admin/incentives/kudos/{kudos.pk}/change/")
    assert r.status_code == 200 and b"Thanks!" in r.content
    assert client.post(f"/admin/incentives/kudos/{kudos.pk}/delete/").status_code == 403
    assert Kudos.objects.filter(pk=kudos.pk).exists()
    # pulse answers are never listed, not even to staff
    assert client.get("/admin/incentives/pulseresponse/").status_code == 404

"""Key results read live from performance; alignment of deals and targets to goals;
contribution of members and teams; the line of sight."""

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.core.errors import ApplicationError, NotFound, PermissionDenied
from saleshelm.core.periods import parse_period
from saleshelm.crm.models import OpportunitySplit, StageKind
from saleshelm.direction import services
from saleshelm.direction.models import GoalLevel, GoalLink
from saleshelm.direction.selectors.alignment import alignment_report, goal_contribution
from saleshelm.direction.selectors.line_of_sight import (
    access_line_of_sight_member,
    line_of_sight,
)
from saleshelm.direction.selectors.progress import goal_forest
from tests.direction.factories import GoalFactory, KeyResultFactory, activity, deal, link
from tests.performance.factories import TargetFactory, order_line

Q3 = parse_period("2026-Q3")
AUG_15 = dt.date(2026, 8, 15)


@pytest.fixture
def sales_goal(world):
    return GoalFactory(
        owner=world.director, level=GoalLevel.SALES, period="2026-Q3", title="Grow SMB"
    )


def test_metric_key_results_read_actual_and_target_from_performance(world, sales_goal):
    # given revenue credited in July and August, a member target, and calls by the team
    order_line(world.rep, dt.date(2026, 7, 10), "2500")
    order_line(world.rep, dt.date(2026, 8, 2), "1500")
    order_line(world.other_rep, dt.date(2026, 8, 3), "1000")
    order_line(world.rep, dt.date(2026, 10, 1), "9999")  # next quarter: not counted
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("10000"))
    north = world.rep.profile.team
    for who in (world.rep, world.peer, world.peer):
        activity(who, dt.datetime(2026, 7, 20, 10, tzinfo=dt.UTC))
    mine = services.key_result_create(
        actor=world.director,
        goal=sales_goal,
        name="An's revenue",
        source="metric",
        metric="revenue",
        scope="member",
        scope_member=world.rep,
    )
    calls = services.key_result_create(
        actor=world.director,
        goal=sales_goal,
        name="North calls",
        source="metric",
        metric="calls",
        scope="team",
        scope_team=north,
        target_value=Decimal(10),
    )
    whole = services.key_result_create(
        actor=world.director,
        goal=sales_goal,
        name="All revenue",
        source="metric",
        metric="revenue",
        target_value=Decimal(20000),
    )
    # when
    node = goal_forest(actor=world.rep, today=AUG_15).nodes[sales_goal.pk]
    views = {v.kr.pk: v for v in node.key_results}
    # then: the member target comes from performance when none is written on the key result
    assert (views[mine.pk].current, views[mine.pk].target) == (Decimal("4000"), Decimal("10000"))
    assert views[mine.pk].progress == Decimal("0.4000")
    assert (views[calls.pk].current, views[calls.pk].progress) == (Decimal(3), Decimal("0.3000"))
    assert (views[whole.pk].current, views[whole.pk].progress) == (
        Decimal("5000"),
        Decimal("0.2500"),
    )
    # goal = mean of 0.4, 0.3, 0.25 (equal weights)
    assert node.progress == Decimal("0.3167")


def test_unknown_metric_is_refused(world, sales_goal):
    with pytest.raises(ApplicationError) as exc:
        services.key_result_create(
            actor=world.director, goal=sales_goal, name="x", source="metric", metric="vibes"
        )
    assert exc.value.code == "unknown_metric"


def test_manual_key_result_check_ins(world, sales_goal):
    kr = KeyResultFactory(goal=sales_goal, start_value=0, target_value=40, name="Case studies")
    # the goal's owner (director) and editors check in; a rep who does not own it may not
    services.check_in_create(
        actor=world.director, key_result=kr, value=10, date=dt.date(2026, 7, 5)
    )
    services.check_in_create(
        actor=world.director, key_result=kr, value=30, note="Two more", date=dt.date(2026, 8, 1)
    )
    with pytest.raises(PermissionDenied):
        services.check_in_create(actor=world.rep, key_result=kr, value=35)
    node = goal_forest(actor=world.rep, today=AUG_15).nodes[sales_goal.pk]
    view = node.key_results[0]
    assert (view.current, view.as_of, view.progress) == (
        Decimal(30),
        dt.date(2026, 8, 1),
        Decimal("0.7500"),
    )
    # a rep checks in on their own member goal's key result
    own = GoalFactory(parent=sales_goal, owner=world.rep, level=GoalLevel.MEMBER, period="2026-Q3")
    own_kr = KeyResultFactory(goal=own, start_value=0, target_value=4)
    services.check_in_create(actor=world.rep, key_result=own_kr, value=1)
    # and so does their manager; another team's manager may not
    services.check_in_create(actor=world.manager, key_result=own_kr, value=2)
    with pytest.raises(PermissionDenied):
        services.check_in_create(actor=world.other_manager, key_result=own_kr, value=3)
    with pytest.raises(ApplicationError):
        services.check_in_create(
            actor=world.rep, key_result=own_kr, value=3, date=dt.date.today() + dt.timedelta(days=2)
        )


def test_alignment_shares_of_pipeline_revenue_and_effort(world, sales_goal):
    """
    Sales goal S with member goal M (An) below it; Q3 deals:
      open 3000 -> M, open 1000 -> S, open 4000 unaligned      pipeline 8000, S subtree 4000
      won 2000 -> M, won 500 unaligned                          revenue 2500, S subtree 2000
      activities: 3 on the M deal, 1 on an unaligned deal, 1 on no deal
    """
    member_goal = GoalFactory(
        parent=sales_goal, owner=world.rep, level=GoalLevel.MEMBER, period="2026-Q3", title="M"
    )
    day = dt.date(2026, 8, 20)
    m_open = deal(world.rep, "3000", close_date=day)
    link(member_goal, m_open)
    link(sales_goal, deal(world.peer, "1000", close_date=day))
    loose = deal(world.other_rep, "4000", close_date=day)
    link(member_goal, deal(world.rep, "2000", kind=StageKind.WON, close_date=day))
    deal(world.rep, "500", kind=StageKind.WON, close_date=day)
    deal(world.rep, "7000", close_date=dt.date(2026, 11, 2))  # Q4: outside the period
    when = dt.datetime(2026, 8, 3, 9, tzinfo=dt.UTC)
    for _ in range(3):
        activity(world.rep, when, opportunity=m_open)
    activity(world.other_rep, when, opportunity=loose)
    activity(world.rep, when)
    # when
    report = alignment_report(actor=world.director, period=Q3)
    rows = {r.node.goal.pk: r for r in report.rows}
    # then
    assert report.overall.pipeline == Decimal("8000")
    assert report.overall.revenue == Decimal("2500")
    assert report.overall.activities == 5
    assert rows[member_goal.pk].own.pipeline == Decimal("3000")
    assert rows[sales_goal.pk].own.pipeline == Decimal("1000")
    assert rows[sales_goal.pk].total.pipeline == Decimal("4000")
    assert rows[sales_goal.pk].pipeline_share == Decimal("0.5000")
    assert rows[sales_goal.pk].revenue_share == Decimal("0.8000")
    assert rows[sales_goal.pk].effort_share == Decimal("0.6000")
    assert report.unaligned.pipeline == Decimal("4000")
    assert report.unaligned.revenue == Decimal("500")
    assert report.unaligned.activities == 2
    assert report.aligned_pipeline_share == Decimal("0.5000")
    # the same report for a rep covers only their own deals
    mine = alignment_report(actor=world.rep, period=Q3)
    assert mine.overall.pipeline == Decimal("3000") and mine.aligned_pipeline_share == 1


def test_linked_targets_show_credited_revenue(world, sales_goal):
    target = TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("8000"))
    order_line(world.rep, dt.date(2026, 7, 10), "2000")
    services.goal_link_target(actor=world.director, goal=sales_goal, target=target)
    report = alignment_report(actor=world.director, period=Q3)
    row = next(r for r in report.rows if r.node.goal.pk == sales_goal.pk)
    assert (row.own.targets, row.own.revenue_target, row.own.credited) == (
        1,
        Decimal("8000"),
        Decimal("2000"),
    )
    # a manager may link only targets they may set: not their own
    own_target = TargetFactory(member=world.manager, period="2026-Q3", value=Decimal("1"))
    with pytest.raises(PermissionDenied):
        services.goal_link_target(actor=world.manager, goal=sales_goal, target=own_target)


def test_a_deal_serves_one_goal_and_links_follow_crm_edit_rights(world, sales_goal):
    other_goal = GoalFactory(owner=world.director, level=GoalLevel.SALES, period="2026-Q3")
    mine = deal(world.rep, "100", close_date=AUG_15)
    services.goal_link_opportunity(actor=world.rep, goal=sales_goal, opportunity=mine)
    services.goal_link_opportunity(actor=world.rep, goal=other_goal, opportunity=mine)
    assert list(GoalLink.objects.filter(opportunity=mine).values_list("goal_id", flat=True)) == [
        other_goal.pk
    ]
    theirs = deal(world.peer, "100", close_date=AUG_15)
    with pytest.raises(PermissionDenied):
        services.goal_link_opportunity(actor=world.rep, goal=sales_goal, opportunity=theirs)
    with pytest.raises(PermissionDenied):
        services.goal_link_opportunity(actor=world.viewer, goal=sales_goal, opportunity=mine)
    services.goal_link_opportunity(actor=world.manager, goal=sales_goal, opportunity=theirs)


def test_contribution_shares_and_trend(world, sales_goal):
    # An wins 3000 in July and 1000 in August; Binh 1000 in August; Cuong (South) 5000 in Sept
    for who, amount, day in [
        (world.rep, "3000", dt.date(2026, 7, 10)),
        (world.rep, "1000", dt.date(2026, 8, 10)),
        (world.peer, "1000", dt.date(2026, 8, 12)),
        (world.other_rep, "5000", dt.date(2026, 9, 1)),
    ]:
        link(sales_goal, deal(who, amount, kind=StageKind.WON, close_date=day))
    node = goal_forest(actor=world.rep, today=AUG_15).nodes[sales_goal.pk]
    # when a rep looks: they see themselves, the others are summed
    c = goal_contribution(actor=world.rep, node=node, visible_member_ids={world.rep.pk})
    # then
    assert c.total == Decimal("10000")
    me, others = c.members
    assert (me.id, me.amount, me.share) == (world.rep.pk, Decimal("4000"), Decimal("0.4000"))
    assert me.trend == [
        ("2026-07", Decimal("1.0000")),
        ("2026-08", Decimal("0.5000")),
        ("2026-09", Decimal("0.0000")),
    ]
    assert others.kind == "others" and others.amount == Decimal("6000") and not others.label
    teams = {t.label: t.share for t in c.teams}
    assert teams == {"North": Decimal("0.5000"), "South": Decimal("0.5000")}


def test_a_split_deal_credits_each_member_their_share_to_the_cent(world, sales_goal):
    # An and Binh won 1,000.01 together, split 2/3 : 1/3; Cuong (South) won 500 alone
    shared = deal(world.rep, "1000.01", kind=StageKind.WON, close_date=dt.date(2026, 7, 10))
    for member, part in ((world.rep, "0.6667"), (world.peer, "0.3333")):
        OpportunitySplit.objects.create(
            organisation=world.org, opportunity=shared, member=member, share=Decimal(part)
        )
    link(sales_goal, shared)
    link(sales_goal, deal(world.other_rep, "500", kind=StageKind.WON, close_date=AUG_15))
    node = goal_forest(actor=world.director, today=AUG_15).nodes[sales_goal.pk]
    visible = {world.rep.pk, world.peer.pk, world.other_rep.pk}
    # when the director reads the contribution
    c = goal_contribution(actor=world.director, node=node, visible_member_ids=visible)
    # then the split deal is credited 666.71 + 333.30 (every cent, largest remainder)
    amounts = {m.id: m.amount for m in c.members}
    assert amounts == {
        world.rep.pk: Decimal("666.71"),
        world.peer.pk: Decimal("333.30"),
        world.other_rep.pk: Decimal("500"),
    }
    assert c.total == Decimal("1500.01")
    teams = {t.label: t.amount for t in c.teams}
    assert teams == {"North": Decimal("1000.01"), "South": Decimal("500")}


def test_line_of_sight_from_vision_to_this_weeks_work(world):
    services.vision_save(actor=world.director, statement="The trusted partner of SMB retail")
    org_goal = GoalFactory(owner=world.director, title="Win SMB retail")
    sales = GoalFactory(parent=org_goal, level=GoalLevel.SALES, title="Double SMB revenue")
    north_goal = GoalFactory(
        parent=sales, level=GoalLevel.TEAM, team=world.rep.profile.team, title="North: 40 stores"
    )
    own = GoalFactory(
        parent=north_goal, level=GoalLevel.MEMBER, owner=world.rep, title="An: 12 stores"
    )
    GoalFactory(
        parent=sales, level=GoalLevel.TEAM, team=world.other_rep.profile.team, title="South"
    )
    today = dt.date.today()
    open_deal = deal(world.rep, "1200", close_date=today + dt.timedelta(days=20))
    link(own, open_deal)
    deal(world.peer, "800", close_date=today + dt.timedelta(days=20))
    activity(world.rep, opportunity=open_deal)
    # when
    los = line_of_sight(actor=world.rep, member=world.rep)
    # then: vision -> org goal -> sales -> team -> own goal, and only An's work
    assert los.vision.statement.startswith("The trusted partner")
    assert [c.goal.goal.title for c in los.served] == ["An: 12 stores"]
    assert [n.goal.title for n in los.served[0].above] == [
        "Win SMB retail",
        "Double SMB revenue",
        "North: 40 stores",
    ]
    titles = [n.goal.title for root in los.served_tree for n in root.walk()]
    assert "South" not in titles
    assert [d.pk for d in los.deals] == [open_deal.pk]
    assert len(los.activities) == 1
    # who may open it
    assert access_line_of_sight_member(actor=world.manager, id=world.rep.pk) == world.rep
    assert access_line_of_sight_member(actor=world.viewer, id=world.rep.pk) == world.rep
    with pytest.raises(NotFound):
        access_line_of_sight_member(actor=world.peer, id=world.rep.pk)
    with pytest.raises(NotFound):
        access_line_of_sight_member(actor=world.other_manager, id=world.rep.pk)
    with pytest.raises(NotFound):
        access_line_of_sight_member(actor=world.other_org_admin, id=world.rep.pk)


def test_targets_in_sight_with_my_part_of_the_team_target(world):
    # given An's and the North team's revenue targets for Q3, and sales in July and August
    from saleshelm.direction.selectors.line_of_sight import targets_in_sight

    north = world.rep.profile.team
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("10000"))
    TargetFactory(team=north, period="2026-Q3", value=Decimal("30000"))
    order_line(world.rep, dt.date(2026, 7, 10), "3000")
    order_line(world.peer, dt.date(2026, 7, 12), "1000")
    order_line(world.peer, dt.date(2026, 8, 3), "2000")
    # when An looks on 15 August
    sight = targets_in_sight(actor=world.rep, member=world.rep, today=AUG_15)
    # then their own target with its actual, and their part of the team's
    (mine,) = sight.mine
    assert (mine.actual, mine.progress) == (Decimal("3000.0000"), Decimal("0.3000"))
    (team,) = sight.team
    assert team.actual == Decimal("6000.0000") and team.progress == Decimal("0.2000")
    assert team.my_share == Decimal("0.5000")
    assert team.trend == [("2026-07", Decimal("0.7500")), ("2026-08", Decimal("0.0000"))]

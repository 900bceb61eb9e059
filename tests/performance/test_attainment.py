"""Attainment, pacing, leaderboard, team and territory roll-ups, visibility — by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.performance.rollups import rollups_refresh
from saleshelm.performance.selectors import attainment as sel
from saleshelm.performance.selectors.board import Board
from saleshelm.tenancy.roles import Role
from tests.people.factories import TeamFactory, TerritoryFactory
from tests.performance.factories import TargetFactory, category, order_line
from tests.tenancy.factories import MembershipFactory, UserFactory

AUG16 = dt.date(2026, 8, 16)


def member(org, role, name, team=None, territory=None):
    m = MembershipFactory(
        organisation=org,
        role=role,
        user=UserFactory(full_name=name, email=f"{name.lower()}@t.test"),
    )
    m.profile.team = team
    m.profile.territory = territory
    m.profile.save()
    return m


def by_id(rows):
    return {r.id: r for r in rows}


def test_attainment_pacing_and_run_rate_mid_quarter(world):
    # Given rep's Q3 revenue target of 90,000 (even) and 45,000 booked: 30,000 in July and
    # 15,000 in August.
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("90000"))
    order_line(world.rep, dt.date(2026, 7, 5), "30000")
    order_line(world.rep, dt.date(2026, 8, 10), "15000")
    # When rep looks at Q3 on 16 August.
    _, _, rows = sel.attainment_rows(actor=world.rep, period="2026-Q3", today=AUG16)
    row = by_id(rows)[world.rep.pk]
    # Then: attainment 45,000 / 90,000 = 0.5000;
    # expected to date 30,000 + 30,000 x 16/31 = 45,483.8710;
    # pacing 45,000 / 45,483.8710 = 0.98936... -> 0.9894;
    # run rate 45,000 / 47 days elapsed x 92 days = 88,085.1064 (88,085.106382...).
    assert row.actual == Decimal("45000.0000")
    assert row.target == Decimal("90000.0000")
    assert row.attainment == Decimal("0.5000")
    assert row.expected_to_date == Decimal("45483.8710")
    assert row.pacing == Decimal("0.9894")
    assert row.projection == Decimal("88085.1064")
    assert row.variance == Decimal("-45000.0000")


def test_no_target_means_null_attainment_and_pacing(world):
    order_line(world.rep, dt.date(2026, 7, 5), "100")
    _, _, rows = sel.attainment_rows(actor=world.rep, period="2026-Q3", today=AUG16)
    row = by_id(rows)[world.rep.pk]
    assert (row.target, row.attainment, row.expected_to_date, row.pacing) == (None,) * 4
    assert row.actual == Decimal("100.0000")


def test_zero_target_and_zero_expected_give_null_ratios(world):
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("0"))
    order_line(world.rep, dt.date(2026, 7, 5), "100")
    _, _, rows = sel.attainment_rows(actor=world.rep, period="2026-Q3", today=AUG16)
    assert by_id(rows)[world.rep.pk].attainment is None
    # Before the period starts nothing is expected yet: pacing is null, attainment is not.
    TargetFactory(member=world.peer, period="2026-Q4", value=Decimal("1000"))
    _, _, rows = sel.attainment_rows(actor=world.manager, period="2026-Q4", today=AUG16)
    peer = by_id(rows)[world.peer.pk]
    assert peer.expected_to_date == 0 and peer.pacing is None and peer.attainment == 0


def test_team_actuals_roll_up_through_three_levels(world):
    # Sales (manager: 100) > North (rep: 200) > Squad (new rep: 300); Key Accounts > South
    # (other rep: 1,000).
    north = world.rep.profile.team
    squad = TeamFactory(organisation=world.org, name="Squad", parent=north)
    squad_rep = member(world.org, Role.REP, "Squad", team=squad)
    order_line(world.manager, dt.date(2026, 7, 1), "100")
    order_line(world.rep, dt.date(2026, 7, 1), "200")
    order_line(squad_rep, dt.date(2026, 7, 1), "300")
    order_line(world.other_rep, dt.date(2026, 7, 1), "1000")
    TargetFactory(team=north, period="2026-Q3", value=Decimal("1000"))
    _, _, rows = sel.attainment_rows(actor=world.admin, period="2026-Q3", group="team", today=AUG16)
    actual = {r.name: r.actual for r in rows}
    # Squad 300; North 200 + 300 = 500; Sales 100 + 500 = 600; South and Key Accounts 1,000.
    assert actual == {
        "Squad": Decimal("300.0000"),
        "North": Decimal("500.0000"),
        "Sales": Decimal("600.0000"),
        "South": Decimal("1000.0000"),
        "Key Accounts": Decimal("1000.0000"),
    }
    assert by_id(rows)[north.pk].attainment == Decimal("0.5000")
    # The manager sees their subtree's teams only.
    _, _, rows = sel.attainment_rows(
        actor=world.manager, period="2026-Q3", group="team", today=AUG16
    )
    assert {r.name for r in rows} == {"Sales", "North", "Squad"}
    # A rep sees no team totals on attainment (themselves only).
    _, _, rows = sel.attainment_rows(actor=world.rep, period="2026-Q3", group="team", today=AUG16)
    assert rows == []


def test_territory_actuals_sum_the_territory_subtree(world):
    # North VN (rep: 200) > Hanoi (peer: 50); "Elsewhere" (other rep: 7).
    north_vn = world.rep.profile.territory
    hanoi = TerritoryFactory(organisation=world.org, name="Hanoi", parent=north_vn)
    elsewhere = TerritoryFactory(organisation=world.org, name="Elsewhere")
    world.peer.profile.territory = hanoi
    world.peer.profile.save()
    world.other_rep.profile.territory = elsewhere
    world.other_rep.profile.save()
    order_line(world.rep, dt.date(2026, 7, 1), "200")
    order_line(world.peer, dt.date(2026, 7, 2), "50")
    order_line(world.other_rep, dt.date(2026, 7, 2), "7")
    _, _, rows = sel.attainment_rows(
        actor=world.director, period="2026-Q3", group="territory", today=AUG16
    )
    assert {r.name: r.actual for r in rows} == {
        "North VN": Decimal("250.0000"),
        "Hanoi": Decimal("50.0000"),
        "Elsewhere": Decimal("7.0000"),
    }
    # The manager sees the territories whose every member they see: North VN and Hanoi
    # (rep and peer are theirs), not Elsewhere.
    _, _, rows = sel.attainment_rows(
        actor=world.manager, period="2026-Q3", group="territory", today=AUG16
    )
    assert {r.name for r in rows} == {"North VN", "Hanoi"}


def test_category_variance_includes_sub_categories(world):
    hardware = category(world.org, "Hardware")
    scanners = category(world.org, "Scanners", parent=hardware)
    order_line(world.rep, dt.date(2026, 7, 1), "100", category=scanners)
    order_line(world.peer, dt.date(2026, 7, 1), "30", category=hardware)
    TargetFactory(product_category=hardware, period="2026-Q3", value=Decimal("200"))
    _, _, rows = sel.variance(
        actor=world.admin, period="2026-Q3", group="product_category", today=AUG16
    )
    # Hardware = 30 + 100 from Scanners; target 200: variance -70, attainment 0.65.
    (row,) = rows
    assert (row.name, row.actual, row.variance, row.attainment) == (
        "Hardware",
        Decimal("130.0000"),
        Decimal("-70.0000"),
        Decimal("0.6500"),
    )


def test_fiscal_year_starting_in_april_shapes_the_quarters(world):
    world.org.fiscal_year_start_month = 4
    world.org.save()
    world.rep.organisation.refresh_from_db()
    # 2026-Q1 of an April fiscal year is April-June: the May line counts, the July one not.
    order_line(world.rep, dt.date(2026, 5, 10), "400")
    order_line(world.rep, dt.date(2026, 7, 10), "900")
    TargetFactory(member=world.rep, period="2026-Q1", value=Decimal("800"))
    p, _, rows = sel.attainment_rows(actor=world.rep, period="2026-Q1", today=AUG16)
    assert (p.start, p.end) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    row = by_id(rows)[world.rep.pk]
    assert (row.actual, row.target, row.attainment) == (
        Decimal("400.0000"),
        Decimal("800.0000"),
        Decimal("0.5000"),
    )


def test_leaderboard_ranks_by_actual_then_attainment_then_name(world):
    # Three of the North team on 1,000 each: An (target 1,000: 1.0), Bình (2,000: 0.5), and
    # Chi (1,000: 1.0); Dung has 5,000 and no target; Em nothing.
    north = world.rep.profile.team
    names = {}
    for name in ("Chi", "Binh", "An", "Dung", "Em"):
        names[name] = member(world.org, Role.REP, name, team=north)
    for name in ("An", "Binh", "Chi"):
        order_line(names[name], dt.date(2026, 7, 1), "1000")
    order_line(names["Dung"], dt.date(2026, 7, 1), "5000")
    TargetFactory(member=names["An"], value=Decimal("1000"))
    TargetFactory(member=names["Binh"], value=Decimal("2000"))
    TargetFactory(member=names["Chi"], value=Decimal("1000"))
    _, _, rows = sel.leaderboard(actor=world.rep, period="2026-Q3", today=AUG16)
    order = [r.name for r in rows]
    # Dung (5,000) first; An and Chi tie on actual and attainment -> by name; then Bình
    # (lower attainment); then the zeros (rep, peer, Em), no attainment, by name.
    assert order[:4] == ["Dung", "An", "Chi", "Binh"]
    assert order[4:] == sorted(order[4:], key=str.casefold)
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))


def test_visibility_per_role(world):
    for m in (world.rep, world.peer, world.other_rep, world.manager):
        order_line(m, dt.date(2026, 7, 1), "10")
    order_line(world.other_org_rep, dt.date(2026, 7, 1), "10")
    everyone = {
        world.rep.pk,
        world.peer.pk,
        world.other_rep.pk,
        world.manager.pk,
        world.other_manager.pk,
    }

    def seen(actor, fn=sel.attainment_rows):
        return {r.id for r in fn(actor=actor, period="2026-Q3", today=AUG16)[2]}

    for role in ("admin", "director", "finance", "viewer"):
        assert seen(world.by_role(role)) == everyone
    assert seen(world.manager) == {world.manager.pk, world.rep.pk, world.peer.pk}
    assert seen(world.rep) == {world.rep.pk}
    # The leaderboard is team-shared: the rep sees their team (North: rep and peer).
    assert seen(world.rep, sel.leaderboard) == {world.rep.pk, world.peer.pk}
    assert seen(world.manager, sel.leaderboard) == {world.manager.pk, world.rep.pk, world.peer.pk}
    assert seen(world.other_org_admin) == {world.other_org_rep.pk}


def test_member_summary_and_team_table(world):
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("1000"))
    order_line(world.rep, dt.date(2026, 7, 1), "250")
    summary = sel.member_period_summary(
        actor=world.manager, member_id=world.rep.pk, period="2026-Q3", today=AUG16
    )
    revenue = summary["metrics"][0]
    assert revenue["metric"].key == "revenue"
    assert revenue["row"].attainment == Decimal("0.2500")
    with pytest.raises(sel.NotFound):
        sel.member_period_summary(
            actor=world.rep, member_id=world.peer.pk, period="2026-Q3", today=AUG16
        )
    table = sel.team_table(actor=world.manager, period="2026-Q3", today=AUG16)
    assert [r.name for r in table["teams"]] == ["Sales"]
    north = world.rep.profile.team
    table = sel.team_table(actor=world.manager, period="2026-Q3", team_id=north.pk, today=AUG16)
    assert table["team"].actual == Decimal("250.0000")
    assert {r.id for r in table["members"]} == {world.rep.pk, world.peer.pk}


def test_kpis_and_trend(world):
    order_line(world.rep, dt.date(2026, 7, 1), "250")
    order_line(world.peer, dt.date(2026, 8, 1), "100")
    order_line(world.other_rep, dt.date(2026, 8, 1), "1")
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("1000"))
    k = sel.kpis(actor=world.manager, period="2026-Q3", today=AUG16)
    revenue = k["kpis"][0]
    assert (revenue["actual"], revenue["target"], revenue["attainment"]) == (
        Decimal("350.0000"),
        Decimal("1000.0000"),
        Decimal("0.3500"),
    )
    series = sel.trend(actor=world.manager, months=3, today=AUG16)
    assert [(p["month"], p["actual"]) for p in series] == [
        (dt.date(2026, 6, 1), Decimal("0.0000")),
        (dt.date(2026, 7, 1), Decimal("250.0000")),
        (dt.date(2026, 8, 1), Decimal("100.0000")),
    ]


def test_one_board_serves_several_panels_with_few_queries(world, django_assert_max_num_queries):
    order_line(world.rep, dt.date(2026, 7, 1), "250")
    rollups_refresh(world.org.pk)  # steady state: the rollup is up to date
    board = Board(actor=world.manager, today=AUG16)
    # refresh check, directory, teams, revenue aggregate, member targets = 5
    with django_assert_max_num_queries(5):
        sel.leaderboard(actor=world.manager, period="2026-Q3", board=board, limit=20)
        sel.member_period_summary(
            actor=world.manager,
            member_id=world.manager.pk,
            period="2026-Q3",
            metrics=("revenue",),
            board=board,
        )
        sel.kpis(actor=world.manager, period="2026-Q3", metrics=("revenue",), board=board)


def test_the_fast_report_path_equals_rows_ranked_and_formatted(world):
    # Given members with lines, split credit, seasonal, even and partial targets.
    from saleshelm.performance.metrics import get_metric

    order_line(
        world.rep,
        dt.date(2026, 7, 5),
        "1234.5678",
        splits=[(world.rep, "0.3333"), (world.peer, "0.6667")],
    )
    order_line(
        world.peer,
        dt.date(2026, 8, 9),
        "-20.005",
        quantity="-1",
        status="returned",
        status_date=dt.date(2026, 8, 9),
    )
    order_line(world.other_rep, dt.date(2026, 9, 1), "999.9999")
    TargetFactory(
        member=world.rep,
        value=Decimal("3000"),
        distribution="pattern",
        weights=["0.2", "0.3", "0.5"],
    )
    TargetFactory(member=world.peer, period="2026-08", value=Decimal("777.7777"))
    TargetFactory(member=world.other_rep, value=Decimal("0"))
    for metric in ("revenue", "gross_margin", "units"):
        board = Board(actor=world.admin, today=AUG16)
        m = get_metric(metric)
        p = board.period("2026-Q3")
        slow = [sel.row_json(r, m) for r in sel.rank_rows(sel.member_rows(board, m, p), m)]
        assert sel.member_report_rows(board, m, p) == slow

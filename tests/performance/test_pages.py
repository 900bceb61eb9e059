"""The performance pages: dashboards, leaderboard, targets, forecasts, scorecards.

The dashboards must show the API's figures (SPEC §6: "the same figures are on the
dashboards") and cost a constant, small number of queries (SPEC §10: "My period" ≤ 8 with
the session, user and membership, the same at 20 and 2,000 members).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from saleshelm.crm.models import Activity, Opportunity, Order, OrderLine
from saleshelm.people.models import MemberProfile
from saleshelm.performance import charts
from saleshelm.performance.models import ForecastOverride, ForecastSubmission, Target
from saleshelm.performance.rollups import rollups_refresh
from saleshelm.performance.selectors import board as board_module
from saleshelm.performance.selectors import dashboards
from saleshelm.performance.selectors.attainment import leaderboard
from saleshelm.performance.selectors.board import Board
from saleshelm.tenancy.models import AuditEntry, Membership, User
from saleshelm.tenancy.roles import Role
from tests.crm.factories import OpportunityFactory, default_pipeline
from tests.people.factories import TeamFactory
from tests.performance.factories import TargetFactory, order_line

AUG16 = dt.date(2026, 8, 16)


@pytest.fixture
def on_aug16(monkeypatch):
    monkeypatch.setattr(board_module, "local_today", lambda organisation: AUG16)


def _text(response) -> str:
    """The page's text with tags dropped and spaces folded (no-break spaces kept)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def _q3_sales(world):
    """Rep: Q3 target 100,000, 85,000 booked; peer 10,000.555 without a target."""
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("100000"))
    order_line(world.rep, dt.date(2026, 7, 5), "85000")
    order_line(world.peer, dt.date(2026, 7, 6), "10000.555")


# --- the same figures as the API --------------------------------------------------------------


def test_my_period_shows_the_apis_attainment_figures(world, web_client, api_client, on_aug16):
    # Given a rep with a Q3 target and sales
    _q3_sales(world)
    api = api_client(world.rep).get("/api/v1/performance/attainment?period=2026-Q3").json()
    row = api["rows"][0]
    # When the rep opens "My period" for Q3
    r = web_client(world.rep).get("/performance/my/?period=2026-Q3")
    # Then the page shows the API's target, actual, expected-to-date, attainment and pacing
    assert r.status_code == 200
    text = _text(r)
    with translation.override("en"):
        assert charts.money(Decimal(row["target"]), "USD") in text  # $100,000.00
        assert charts.money(Decimal(row["actual"]), "USD") in text  # $85,000.00
        assert charts.money(Decimal(row["expected_to_date"]), "USD") in text
        assert charts.percent(Decimal(row["attainment"])) in text  # 85.0%
        assert charts.percent(Decimal(row["pacing"])) in text  # 168.2%
    assert "$100,000.00" in text and "85.0%" in text and "168.2%" in text
    # and what is left, and the run rate to the end of the quarter (85,000 / 47 days x 92),
    # in whole dollars on the cards with the exact figure in their title
    assert "$15,000 " in text and 'title="$15,000.00"' in r.content.decode()
    assert "$166,383 " in text and 'title="$166,382.98"' in r.content.decode()


def test_the_leaderboard_page_ranks_like_the_api(world, web_client, api_client, on_aug16):
    # Given two reps of the same team with sales
    _q3_sales(world)
    api = api_client(world.manager).get("/api/v1/performance/leaderboard?period=2026-Q3").json()
    # When the manager opens the leaderboard
    text = _text(web_client(world.manager).get("/performance/leaderboard/?period=2026-Q3"))
    # Then the rows come in the API's order with the API's amounts
    names = [row["assignee"]["name"] for row in api["rows"] if Decimal(row["actual"]) > 0]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert text.index("Nguyễn Văn An") < text.index("Trần Thị Bình")
    with translation.override("en"):
        for row in api["rows"]:
            assert charts.money(Decimal(row["actual"]), "USD") in text


def test_dashboard_top_twenty_is_the_leaderboards_first_twenty(world, on_aug16):
    # Given 30 reps in North with different sales (some tied) and targets for some
    team = world.rep.profile.team
    for i in range(30):
        m = _member(world, f"lb{i}", team)
        order_line(m, dt.date(2026, 7, 1 + i % 20), str(1000 + (i // 3) * 100))
        if i % 2:
            TargetFactory(member=m, period="2026-Q3", value=Decimal(2000 + i * 10))
    rollups_refresh(world.org.pk)
    for actor in (world.rep, world.manager, world.director):
        # When the dashboard ranks its top 20
        data = dashboards.my_period(actor=actor, period="2026-Q3")
        _p, _m, full = leaderboard(actor=actor, period="2026-Q3", board=Board(actor=actor))
        # Then it is exactly the leaderboard's first 20, with the same ranks and figures
        got = [(r.id, r.rank, r.actual, r.attainment) for r in data["leaderboard"].rows]
        want = [(r.id, r.rank, r.actual, r.attainment) for r in full[:20]]
        assert got == want
        mine = next((r for r in full if r.id == actor.pk), None)
        assert (data["leaderboard"].me.rank if data["leaderboard"].me else None) == (
            mine.rank if mine else None
        )


def test_a_rep_outside_the_top_twenty_sees_their_own_rank(world, web_client, on_aug16):
    # Given 25 teammates who all sold more than the rep
    team = world.rep.profile.team
    for i in range(25):
        order_line(_member(world, f"top{i}", team), dt.date(2026, 7, 2), str(5000 + i))
    order_line(world.rep, dt.date(2026, 7, 2), "10")
    rollups_refresh(world.org.pk)
    # When the rep opens My period
    r = web_client(world.rep).get("/performance/my/?period=2026-Q3")
    # Then the top 20 is shown and, below it, the rep's own line with its rank (26th)
    html = r.content.decode()
    assert html.count('class="rank"') == 21
    assert re.search(
        r'<td class="rank">26</td>\s*<td><span class="who"><span class="who-name">Nguyễn Văn An',
        html,
    )


def test_grouped_target_sums_equal_the_per_assignee_spread():
    # Given many assignees with month, quarter and year targets, even and seasonal
    import random

    from saleshelm.core.periods import parse_period
    from saleshelm.performance import distribution
    from saleshelm.performance.selectors.dashboards import TargetRow, target_month_sums

    rng = random.Random(5)
    spans = ["2026", "2026-Q3", "2026-Q4", "2026-07", "2026-08", "2026-11"]
    targets = {}
    for assignee in range(300):
        rows = []
        for key in rng.sample(spans, rng.randint(1, 4)):
            p = parse_period(key)
            n = len(p.months)
            pattern = rng.random() < 0.5 and n > 1
            weights = []
            if pattern:
                cuts = sorted(rng.sample(range(1, 100), n - 1))
                shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
                weights = [str(Decimal(w) / 100) for w in shares]
            value = Decimal(rng.randint(1, 10**6)) / 100
            rows.append(
                TargetRow(
                    "revenue",
                    "member",
                    assignee,
                    p.key,
                    p.start,
                    p.end,
                    value,
                    "pattern" if weights else "even",
                    weights,
                )
            )
        targets[assignee] = rows
    for key in ("2026-Q3", "2026-08", "2026", "2026-Q4"):
        p = parse_period(key)
        # When they are summed month by month, grouped by kind of target
        fast = target_month_sums(targets, p.months, period=p)
        # Then each month equals the sum of each assignee's own spread, exactly
        slow: dict = {}
        for ts in targets.values():
            months = distribution.period_months(ts, p.start, p.end) or {}
            for m, v in months.items():
                slow[m] = slow.get(m, 0) + v
        assert fast == slow, key


def test_organisation_kpis_are_the_kpis_selectors(world, on_aug16):
    # Given members with month, quarter and seasonal targets and sales, won and lost deals
    from saleshelm.crm.models import Stage
    from saleshelm.performance.selectors.attainment import kpis

    _q3_sales(world)
    TargetFactory(member=world.peer, period="2026-07", value=Decimal("4000"))
    TargetFactory(
        member=world.other_rep,
        period="2026-Q3",
        value=Decimal("30000"),
        distribution="pattern",
        weights=["0.2", "0.3", "0.5"],
    )
    TargetFactory(member=world.rep, period="2026-Q3", metric="won_deals", value=Decimal("6"))
    won = Stage.objects.filter(organisation=world.org, kind="won").first() or (
        default_pipeline(world.org).stages.get(kind="won")
    )
    OpportunityFactory(owner=world.rep, stage=won, close_date=dt.date(2026, 7, 20))
    rollups_refresh(world.org.pk)
    metrics = ("revenue", "gross_margin", "won_deals", "win_rate")
    for actor in (world.director, world.manager):
        board = dashboards.DashboardBoard(actor=actor)
        period = board.period("2026-Q3")
        # When the dashboard adds the figures up its own way
        fast = dashboards.organisation_kpis(board, period, metrics)
        # Then they are the kpis selector's, figure for figure
        slow = kpis(actor=actor, period="2026-Q3", metrics=metrics)["kpis"]
        keys = ("actual", "target", "expected_to_date", "attainment", "pacing")
        assert [{k: f[k] for k in keys} for f in fast] == [{k: f[k] for k in keys} for f in slow]


def test_stage_pipeline_is_pipeline_by_stage(world, on_aug16):
    # Given open, won and lost deals at several stages, with and without their own probability
    from saleshelm.performance.selectors.pipeline import pipeline_by_stage

    pipeline = default_pipeline(world.org)
    stages = list(pipeline.stages.order_by("position"))
    for i, stage in enumerate(stages):
        for owner in (world.rep, world.peer, world.other_rep):
            OpportunityFactory(
                owner=owner,
                stage=stage,
                amount=Decimal("1234.5678") * (i + 1),
                probability=None if i % 2 else Decimal("0.3333"),
                close_date=dt.date(2026, 8, 1 + i),
            )
    OpportunityFactory(owner=world.rep, close_date=dt.date(2027, 1, 5))  # another period
    for actor, focus in ((world.rep, {world.rep.pk}), (world.manager, None), (world.admin, None)):
        board = dashboards.DashboardBoard(
            actor=actor, focus=None if focus is None else frozenset(focus)
        )
        period = board.period("2026-Q3")
        # When the dashboard reads the pipeline by stage with its own query
        fast = dashboards.stage_pipeline(board, period)
        # Then it is pipeline_by_stage's answer for the same people
        slow = pipeline_by_stage(actor=actor, period=period, board=board)
        assert fast == slow
        assert fast


def test_dashboards_read_money_exactly_without_floats(world, on_aug16, monkeypatch):
    from saleshelm.crm.models import Stage

    # Given targets whose values are no binary fraction (SQLite keeps decimals as REAL), up to
    # 15 significant digits, and open deals with a probability of their own
    values = {
        world.rep: "0.0001",
        world.peer: "33333.3333",
        world.other_rep: "1234567.8901",
        world.manager: "98765432109.8765",
    }
    for member, value in values.items():
        TargetFactory(member=member, period="2026-Q3", value=Decimal(value))
    OpportunityFactory(
        owner=world.rep,
        amount=Decimal("1234.5678"),
        probability=Decimal("0.3333"),
        close_date=dt.date(2026, 8, 20),
    )
    # and a database answer is checked for floats on its way to Python
    read = dashboards._rows

    def no_floats(sql, params):
        rows = read(sql, params)
        assert not [v for row in rows for v in row if isinstance(v, float)], sql
        return rows

    monkeypatch.setattr(dashboards, "_rows", no_floats)
    board = dashboards.DashboardBoard(actor=world.director)
    period = board.period("2026-Q3")
    # When the dashboard reads the targets and the pipeline with its own queries
    board.load_targets(("revenue",), period, members=None, series=None, months=[period])
    pipeline = dashboards.stage_pipeline(board, period)
    # Then every target is the stored Decimal exactly, in ten-thousandths as well
    read_back = {
        m: ts[0] for m, ts in board.targets(board.metric("revenue"), period, "member").items()
    }
    assert {m: (t.value, t.units) for m, t in read_back.items()} == {
        m.pk: (Decimal(v), int(Decimal(v) * 10_000)) for m, v in values.items()
    }
    # and so are the deal's probability and amounts
    (row,) = [row for row in pipeline if row["count"]]
    stage = Stage.objects.get(pk=row["stage"]["id"])
    assert row["stage"]["probability"] == stage.probability
    assert row["amount"] == Decimal("1234.5678")
    deal = Opportunity.objects.get(owner=world.rep, close_date=dt.date(2026, 8, 20))
    share = deal.probability if deal.probability is not None else stage.probability
    weighted = (deal.amount_reporting * share).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    assert row["weighted"] == weighted


# --- privacy ----------------------------------------------------------------------------------


def test_progress_only_hides_others_amounts_but_not_mine(world, web_client, on_aug16):
    # Given a team with sales
    _q3_sales(world)
    TargetFactory(member=world.peer, period="2026-Q3", value=Decimal("20000"))
    client = web_client(world.rep)
    # When the board is shown "progress only"
    text = _text(client.get("/performance/leaderboard/?period=2026-Q3&view=progress"))
    # Then the peer's amounts are hidden, their attainment shown; the rep still sees theirs
    assert "$10,000.56" not in text and "$20,000.00" not in text
    assert "50.0%" in text  # the peer's attainment
    assert "$85,000.00" in text
    # and without the toggle everything is shown
    assert "$10,000.56" in _text(client.get("/performance/leaderboard/?period=2026-Q3"))


def test_progress_only_ranks_by_attainment(world, web_client, on_aug16):
    # Given the rep at 85 % of a large target and the peer at 100 % of a small one
    _q3_sales(world)
    TargetFactory(member=world.peer, period="2026-Q3", value=Decimal("10000"))
    client = web_client(world.manager)
    # When the board is shown by amounts, the rep leads; by progress, the peer does
    by_amount = _text(client.get("/performance/leaderboard/?period=2026-Q3"))
    by_progress = _text(client.get("/performance/leaderboard/?period=2026-Q3&view=progress"))
    assert by_amount.index("Nguyễn Văn An") < by_amount.index("Trần Thị Bình")
    assert by_progress.index("Trần Thị Bình") < by_progress.index("Nguyễn Văn An")
    assert "ranked by attainment" in by_progress


def test_only_admins_and_directors_get_the_privacy_toggle(world, web_client, on_aug16):
    for member, shown in ((world.admin, True), (world.director, True), (world.rep, False)):
        html = web_client(member).get("/performance/leaderboard/").content.decode()
        assert ("Progress only</a>" in html) is shown


# --- query counts (SPEC §10) ------------------------------------------------------------------


def _member(world, slug: str, team, role: str = Role.REP) -> Membership:
    user = User.objects.create(email=f"{slug}@acme.test", full_name=f"Member {slug}")
    m = Membership.objects.create(organisation=world.org, user=user, role=role)
    MemberProfile.objects.create(organisation=world.org, membership=m, team=team)
    return m


def _grow(world, n: int) -> None:
    """n more reps in teams of ten under North and South (bulk), each with a Q3 target, an
    order line, an open deal and an activity; the rollup brought up to date."""
    org = world.org
    north, south = world.rep.profile.team, world.other_rep.profile.team
    start = User.objects.count()
    teams = [
        TeamFactory(organisation=org, name=f"Pod {start}-{i}", parent=north if i % 2 else south)
        for i in range(max(n // 10, 1))
    ]
    users = User.objects.bulk_create(
        User(email=f"bulk{start + i}@acme.test", full_name=f"Bulk {start + i}", password="!")
        for i in range(n)
    )
    members = Membership.objects.bulk_create(
        Membership(organisation=org, user=u, role=Role.REP) for u in users
    )
    MemberProfile.objects.bulk_create(
        MemberProfile(organisation=org, membership=m, team=teams[i % len(teams)])
        for i, m in enumerate(members)
    )
    Target.objects.bulk_create(
        TargetFactory.build(member=m, period="2026-Q3", value=Decimal(50000 + i))
        for i, m in enumerate(members)
    )
    orders = Order.objects.bulk_create(
        Order(
            organisation=org,
            external_id=f"BULK-{m.pk}",
            order_date=dt.date(2026, 7, 10),
            owner=m,
            currency="USD",
        )
        for m in members
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            organisation=org,
            order=o,
            line=1,
            sku="SKU",
            quantity=Decimal(1),
            unit_price=Decimal(1000 + i),
            net_amount=Decimal(1000 + i),
            currency="USD",
            net_amount_reporting=Decimal(1000 + i),
            order_date=o.order_date,
            owner=o.owner,
        )
        for i, o in enumerate(orders)
    )
    pipeline = default_pipeline(org)
    stage = pipeline.stages.filter(kind="open").order_by("position").first()
    Opportunity.objects.bulk_create(
        Opportunity(
            organisation=org,
            owner=m,
            name=f"Deal {m.pk}",
            external_id=f"BD-{m.pk}",
            pipeline=pipeline,
            stage=stage,
            amount=Decimal(5000),
            currency="USD",
            amount_reporting=Decimal(5000),
            close_date=dt.date(2026, 9, 15),
            created_date=dt.date(2026, 7, 1),
        )
        for m in members
    )
    Activity.objects.bulk_create(
        Activity(
            organisation=org,
            owner=m,
            type="call",
            subject="Call",
            external_id=f"BA-{m.pk}",
            occurred_at=dt.datetime(2026, 8, 3, 10, tzinfo=dt.UTC),
            done=True,
        )
        for m in members
    )
    rollups_refresh(org.pk)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, url
    return len(ctx.captured_queries)


PAGES = {
    "rep": ["/performance/my/?period=2026-Q3"],
    "manager": ["/performance/my/?period=2026-Q3", "/performance/team/?period=2026-Q3"],
    "director": [
        "/performance/my/?period=2026-Q3",
        "/performance/team/?period=2026-Q3",
        "/performance/organisation/?period=2026-Q3",
    ],
}


@pytest.mark.parametrize("role", ["rep", "manager", "director"])
def test_dashboards_cost_the_same_queries_at_20_and_2000_members(world, web_client, on_aug16, role):
    # Given an organisation of 20 members, the rollup up to date
    _q3_sales(world)
    _grow(world, 12)
    client = web_client(world.by_role(role))
    for url in PAGES[role]:
        client.get(url)  # warm: rollup and session settled
    small = {url: _count(client, url) for url in PAGES[role]}
    # When it grows to 2,000 members
    _grow(world, 1988 - Membership.objects.filter(organisation=world.org).count() + 20)
    assert Membership.objects.filter(organisation=world.org).count() >= 2000
    for url in PAGES[role]:
        client.get(url)
    large = {url: _count(client, url) for url in PAGES[role]}
    # Then every dashboard costs the same number of queries, and "My period" at most 8
    # (session, user, membership, rollup check, people, rollup figures, targets, pipeline)
    assert large == small
    assert small["/performance/my/?period=2026-Q3"] <= 8


def test_my_period_is_eight_queries_with_the_shell(world, web_client, on_aug16):
    _q3_sales(world)
    client = web_client(world.rep)
    client.get("/performance/my/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/performance/my/").status_code == 200
    tables = [re.search(r"FROM\s+\"?(\w+)", q["sql"]).group(1) for q in ctx.captured_queries]
    assert len(tables) <= 8, tables
    assert tables[:3] == ["django_session", "tenancy_user", "tenancy_membership"]


def test_the_organisation_switcher_comes_from_the_dashboards_people_query(world, web_client):
    # Given a rep who is also a member of organisation "beta"
    Membership.objects.create(organisation=world.other_org, user=world.rep.user, role=Role.VIEWER)
    # When they open My period
    html = web_client(world.rep).get("/performance/my/").content.decode()
    # Then the switcher offers both organisations, and nothing else of beta shows
    switcher = html[html.index('class="menu org-switcher"') : html.index("</details>")]
    assert "Acme" in switcher and "Beta" in switcher
    assert "Beta Rep" not in html and "rep@beta.test" not in html


# --- numbers in the reader's language ---------------------------------------------------------


def test_vietnamese_readers_get_vietnamese_numbers_and_dong(world, web_client, on_aug16):
    # Given an organisation that reports in VND
    world.org.currency = "VND"
    world.org.save()
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("1500000000"))
    order_line(world.rep, dt.date(2026, 7, 5), "1234567890")
    client = web_client(world.rep)
    # When the rep reads My period in Vietnamese, then in English
    client.cookies["django_language"] = "vi"
    vi = _text(client.get("/performance/my/?period=2026-Q3"))
    client.cookies["django_language"] = "en"
    en = _text(client.get("/performance/my/?period=2026-Q3"))
    # Then the amounts are grouped the reader's way, with the đồng sign after them
    assert "1.234.567.890\u00a0₫" in vi and "82,3%" in vi
    assert "1,234,567,890\u00a0₫" in en and "82.3%" in en


# --- pages by role ----------------------------------------------------------------------------


def test_performance_sends_each_role_to_its_dashboard(world, web_client):
    for member, target in (
        (world.rep, "/performance/my/"),
        (world.manager, "/performance/team/"),
        (world.director, "/performance/organisation/"),
        (world.finance, "/performance/organisation/"),
    ):
        r = web_client(member).get("/performance/")
        assert r.status_code == 302 and r["Location"] == target


def test_manager_dashboard_lists_the_team_and_who_needs_help(world, web_client, on_aug16):
    # Given the rep on pace and the peer far behind, with no pipeline and no activity
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("90000"))
    TargetFactory(member=world.peer, period="2026-Q3", value=Decimal("90000"))
    order_line(world.rep, dt.date(2026, 7, 5), "60000")
    order_line(world.peer, dt.date(2026, 7, 5), "5000")
    OpportunityFactory(owner=world.rep, amount=Decimal("40000"), close_date=dt.date(2026, 9, 1))
    Activity.objects.create(
        organisation=world.org,
        owner=world.rep,
        type="meeting",
        subject="Review",
        occurred_at=dt.datetime(2026, 8, 3, 10, tzinfo=dt.UTC),
        done=True,
    )
    # When the manager opens the team page of North
    north = world.rep.profile.team
    r = web_client(world.manager).get(f"/performance/team/{north.pk}/?period=2026-Q3")
    # Then both members are listed, and the peer is flagged with the reasons in words
    assert r.status_code == 200
    html = r.content.decode()
    help_part = html[html.index('id="help-heading"') :]
    assert "Trần Thị Bình" in help_part and "Nguyễn Văn An" not in help_part.split("</ul>")[0]
    for reason in ("Behind pace", "Pipeline short of what is left", "No activity logged"):
        assert reason in help_part
    assert "Lê Văn Cường" not in html  # another manager's rep


def test_manager_cannot_open_another_managers_team(world, web_client):
    south = world.other_rep.profile.team
    assert web_client(world.manager).get(f"/performance/team/{south.pk}/").status_code == 404
    assert web_client(world.director).get(f"/performance/team/{south.pk}/").status_code == 200


def test_organisation_dashboard_has_variance_tables_charts_and_top_twenty(
    world, web_client, on_aug16
):
    _q3_sales(world)
    north = world.rep.profile.team
    TargetFactory(team=north, period="2026-Q3", value=Decimal("150000"))
    OpportunityFactory(owner=world.rep, amount=Decimal("40000"), close_date=dt.date(2026, 9, 1))
    r = web_client(world.director).get("/performance/organisation/?period=2026-Q3")
    assert r.status_code == 200
    html = r.content.decode()
    # the charts are inline SVG with a title and a description, and no inline style
    assert html.count('role="img"') >= 4
    assert '<title id="org-trend-title">' in html and '<desc id="org-trend-desc">' in html
    assert 'style="' not in html
    # the team variance: North 95,000.555 against 150,000 -> -54,999.445, shown -54,999.45
    text = _text(r)
    assert "-$54,999.45" in text
    assert "Top 20" in text and "Sales funnel" in text


def test_pages_carry_no_inline_script_or_style(world, web_client, on_aug16):
    _q3_sales(world)
    client = web_client(world.admin)
    for url in (
        "/performance/my/",
        "/performance/team/",
        "/performance/organisation/",
        "/performance/leaderboard/",
        "/performance/targets/",
        "/performance/targets/new/",
        "/performance/forecast/",
        "/performance/scorecards/",
        f"/performance/scorecards/{world.rep.pk}/",
    ):
        html = client.get(url).content.decode()
        assert 'style="' not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url


def test_a_name_with_markup_is_shown_as_text_in_charts_and_tables(world, web_client, on_aug16):
    world.peer.user.full_name = '<script>alert(1)</script>"><svg onload=alert(2)>'
    world.peer.user.save()
    order_line(world.peer, dt.date(2026, 7, 6), "100")
    html = web_client(world.manager).get("/performance/team/?period=2026-Q3").content.decode()
    assert "<script>alert(1)" not in html and "<svg onload" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- targets ----------------------------------------------------------------------------------


def _this_quarter(world) -> str:
    from saleshelm.core.periods import period_of

    return period_of(board_module.local_today(world.org), "quarter").key


def test_a_director_sets_a_seasonal_target_that_must_total_100(world, web_client):
    client = web_client(world.director)
    quarter = _this_quarter(world)
    data = {
        "metric": "revenue",
        "period": quarter,
        "assignee_type": "member",
        "member": world.rep.pk,
        "value": "90,000",
        "distribution": "pattern",
        "w1": "30",
        "w2": "30",
        "w3": "30",
    }
    # When the weights add up to 90 %
    r = client.post("/performance/targets/new/", data)
    # Then the form says so and nothing is saved
    assert r.status_code == 200
    assert "add up to 90.00 %; they must total exactly 100 %" in r.content.decode()
    assert not Target.objects.filter(member=world.rep).exists()
    # When they total 100 %
    r = client.post("/performance/targets/new/", {**data, "w3": "40"})
    # Then the target is saved with its pattern, and audited
    target = Target.objects.get(member=world.rep, period_key=quarter)
    assert r.status_code == 302 and r["Location"] == f"/performance/targets/{target.pk}/"
    assert target.value == Decimal("90000") and target.weights == ["0.3", "0.3", "0.4"]
    assert AuditEntry.objects.filter(action="target.create", object_id=str(target.pk)).exists()
    # and its page shows the month by month spread
    text = _text(client.get(f"/performance/targets/{target.pk}/"))
    assert "$27,000.00" in text and "$36,000.00" in text


def test_a_manager_sets_targets_only_inside_their_teams(world, web_client):
    client = web_client(world.manager)
    quarter = _this_quarter(world)
    form = client.get("/performance/targets/new/").content.decode()
    assert "Trần Thị Bình" in form and "Lê Văn Cường" not in form
    r = client.post(
        "/performance/targets/new/",
        {
            "metric": "revenue",
            "period": quarter,
            "assignee_type": "member",
            "member": world.other_rep.pk,
            "value": "1000",
            "distribution": "even",
        },
    )
    assert r.status_code == 200
    assert not Target.objects.filter(member=world.other_rep).exists()
    # and a rep cannot open the form at all
    assert web_client(world.rep).get("/performance/targets/new/").status_code == 403


def test_editing_a_target_that_changed_meanwhile_is_refused(world, web_client):
    target = TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("1000"))
    client = web_client(world.admin)
    page = client.get(f"/performance/targets/{target.pk}/edit/")
    assert page.status_code == 200
    Target.objects.filter(pk=target.pk).update(version=2)  # someone else saved
    r = client.post(
        f"/performance/targets/{target.pk}/edit/",
        {"value": "2000", "distribution": "even", "version": "1"},
    )
    assert r.status_code == 200 and "changed since you opened it" in r.content.decode()
    target.refresh_from_db()
    assert target.value == Decimal("1000")


def test_allocating_a_team_target_shows_the_over_under_check(world, web_client):
    north = world.rep.profile.team
    target = TargetFactory(team=north, period="2026-Q3", value=Decimal("100000"))
    client = web_client(world.manager)
    # Given an allocation that leaves 10,000 out
    r = client.post(
        f"/performance/targets/{target.pk}/allocate/",
        {f"m{world.rep.pk}": "50000", f"m{world.peer.pk}": "40000"},
    )
    assert r.status_code == 302
    text = _text(client.get(f"/performance/targets/{target.pk}/allocate/"))
    # Then the check says under-allocated, by how much
    assert "Under-allocated" in text and "$10,000.00 still to allocate" in text
    # When it is split evenly among the reps
    client.post(f"/performance/targets/{target.pk}/allocate/", {"mode": "even"})
    text = _text(client.get(f"/performance/targets/{target.pk}/"))
    assert "Fully allocated" in text
    assert Target.objects.get(member=world.rep, period_key="2026-Q3").value == Decimal("50000")


# --- forecasts --------------------------------------------------------------------------------


def test_rep_submits_a_forecast_and_sees_the_history(world, web_client, on_aug16):
    client = web_client(world.rep)
    for amount in ("80000", "82,500"):
        r = client.post(
            "/performance/forecast/submit/",
            {"period": "2026-Q3", "amount": amount, "commit": "60000", "note": "Two deals left"},
        )
        assert r.status_code == 302
    assert ForecastSubmission.objects.filter(member=world.rep).count() == 2
    text = _text(client.get("/performance/forecast/?period=2026-Q3"))
    assert "$82,500.00" in text and "$80,000.00" in text and "Two deals left" in text
    assert "Roll-up" not in text  # a rep has no roll-up


def test_manager_overrides_a_forecast_only_with_a_reason(world, web_client, on_aug16):
    ForecastSubmission.objects.create(
        organisation=world.org,
        member=world.rep,
        period_key="2026-Q3",
        start=dt.date(2026, 7, 1),
        end=dt.date(2026, 9, 30),
        amount=Decimal("80000"),
    )
    client = web_client(world.manager)
    page = _text(client.get("/performance/forecast/?period=2026-Q3"))
    assert "Nguyễn Văn An" in page and "$80,000.00" in page
    data = {"period": "2026-Q3", "member": world.rep.pk, "amount": "70000"}
    client.post("/performance/forecast/override/", data)
    assert not ForecastOverride.objects.exists()
    client.post("/performance/forecast/override/", {**data, "reason": "Big deal slipped"})
    override = ForecastOverride.objects.get()
    assert override.amount == Decimal("70000") and override.reason == "Big deal slipped"
    page = _text(client.get("/performance/forecast/?period=2026-Q3"))
    assert "$70,000.00" in page and "Big deal slipped" in page


# --- scorecards -------------------------------------------------------------------------------


def test_scorecard_shows_outcomes_and_behaviours_side_by_side(world, web_client, on_aug16):
    TargetFactory(member=world.rep, period="2026-08", value=Decimal("30000"))
    order_line(world.rep, dt.date(2026, 8, 5), "15000")
    Activity.objects.create(
        organisation=world.org,
        owner=world.rep,
        type="call",
        subject="Intro",
        occurred_at=dt.datetime(2026, 8, 3, 10, tzinfo=dt.UTC),
        done=True,
    )
    r = web_client(world.manager).get(f"/performance/scorecards/{world.rep.pk}/?period=2026-08")
    text = _text(r)
    assert "Outcomes" in text and "Behaviours" in text
    assert "$15,000.00" in text and "$30,000.00" in text and "50.0%" in text
    assert "Calls" in text and "Win rate" in text
    # a rep opening a teammate's scorecard gets "not found"
    assert web_client(world.rep).get(f"/performance/scorecards/{world.peer.pk}/").status_code == 404

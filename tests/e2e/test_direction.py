"""What a director and a rep click in Vision (Playwright).

The director writes the vision and builds a three-level goal tree: an organisation goal and
a Sales goal measured by hand (check-ins), and the North team's goal measured live by two
key results bound to performance metrics, revenue (against the team's target set in
Performance) and calls (a behaviour). On the team goal's page she links An's revenue target
to it, and from An's and Bình's lines of sight links their deals to it, then records
Bình's win. An signs in: his line of sight runs from the vision to the team goal, his
target and his part of the team's; he links his own deal and wins it, and sees his share of
what was won for the goal.

Every figure read on the pages is compared with what the performance API answers for the
same member, team and period (with the browser's own session), and with the direction API
for the contribution. Screenshots land in var/screenshots/ (gitignored) for a person to
look at.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from saleshelm.people.models import Team
from tests.conftest import build_world
from tests.direction.factories import account, activity, deal
from tests.e2e.conftest import shot, sign_in
from tests.performance.factories import TargetFactory, order_line

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TODAY = dt.date.today()
YEAR = str(TODAY.year)
TEAM_GOAL = "North: grow SMB revenue"


def _this_year(days_ago: int) -> dt.date:
    """A day ``days_ago`` before today, kept inside this year (the goals' period)."""
    return max(dt.date(TODAY.year, 1, 1), TODAY - dt.timedelta(days=days_ago))


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def page_options():
    """The window this journey was written for, a little taller than the default."""
    return {"viewport": {"width": 1280, "height": 900}}


def _named(opportunity, name: str):
    opportunity.name = name
    opportunity.save(update_fields=["name"])
    return opportunity


@pytest.fixture
def e2e_world(transactional_db):
    """The North team (An and Bình) and the South team (Cường) at work this year: orders
    (revenue), calls (a behaviour), open deals, and revenue targets set in Performance."""
    world = build_world()
    shop = account(world.org, name="Bách Hóa Xanh Hà Đông", industry="Retail")
    year_end = dt.date(TODAY.year, 12, 31)
    later = min(TODAY + dt.timedelta(days=21), year_end)
    # An's deals: one closing in three weeks, one he closes today; Bình's closes today
    world.open_deal = _named(
        deal(world.rep, "48000", close_date=later, account=shop), "POS rollout Hà Đông"
    )
    world.an_win = _named(
        deal(world.rep, "30000", close_date=TODAY, account=shop), "Label printers Long Biên"
    )
    world.binh_win = _named(deal(world.peer, "20000", close_date=TODAY), "Scanners Cầu Giấy")
    # calls this year: An 4, Bình 2 (North: 6), Cường 1
    activity(world.rep, timezone.now(), opportunity=world.open_deal)
    for days in (3, 30, 60):
        activity(world.rep, _at(_this_year(days)), account=shop)
    for days in (5, 12):
        activity(world.peer, _at(_this_year(days)))
    activity(world.other_rep, _at(_this_year(8)))
    # revenue this year: An 24,750.75, Bình 15,000 (North: 39,750.75), Cường 9,999
    order_line(world.rep, _this_year(40), "12000.00")
    order_line(world.rep, _this_year(10), "8500.50")
    order_line(world.rep, TODAY, "4250.25")
    order_line(world.peer, _this_year(20), "15000.00")
    order_line(world.other_rep, _this_year(5), "9999.00")
    # revenue targets of the year, set in Performance
    north = Team.objects.get(organisation=world.org, name="North")
    TargetFactory(member=world.rep, period=YEAR, value=Decimal("100000"))
    TargetFactory(member=world.peer, period=YEAR, value=Decimal("80000"))
    TargetFactory(team=north, period=YEAR, value=Decimal("250000"))
    return world


def _sign_out(page) -> None:
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")


def _goal(page, *, title: str, level: str | None = None, team: str | None = None) -> None:
    page.locator("#id_title").fill(title)
    if level:
        page.locator("#id_level").select_option(level)
    page.locator("#id_period").fill(YEAR)
    if team:
        page.locator("#id_team").select_option(label=team)
    page.get_by_role("button", name="Create goal").click()
    page.wait_for_selector(f"h1:has-text('{title}')")


def _key_result(page, *, name: str, start: str, target: str, unit: str) -> None:
    """A key result updated by hand."""
    page.get_by_role("link", name="Add a key result").click()
    page.locator("#id_name").fill(name)
    page.locator("#id_start_value").fill(start)
    page.locator("#id_target_value").fill(target)
    page.locator("#id_unit").fill(unit)
    page.get_by_role("button", name="Add key result", exact=True).click()
    page.wait_for_selector(f"#key-results :text('{name}')")


def _live_key_result(
    page, *, name: str, metric: str, team: str, target: str = "", unit: str = ""
) -> None:
    """A key result bound to a performance metric for a team; without a target value it
    reads the team's target from Performance."""
    page.get_by_role("link", name="Add a key result").click()
    page.locator("#id_name").fill(name)
    page.get_by_label("Live metric").check()
    page.locator("#id_metric").select_option(label=metric)
    page.locator("#id_scope").select_option(label="Team")
    page.locator("#id_scope_team").select_option(label=team)
    page.locator("#id_target_value").fill(target)
    page.locator("#id_unit").fill(unit)
    page.get_by_role("button", name="Add key result", exact=True).click()
    page.wait_for_selector(f"#key-results :text('{name}')")


def _check_in(page, value: str, note: str) -> None:
    """The check-in form on the goal page posts with htmx and swaps the key results in place."""
    form = page.locator("form.dir-check-in").first
    form.locator("input[name=value]").fill(value)
    form.locator("input[name=note]").fill(note)
    form.get_by_role("button", name="Check in").click()
    page.wait_for_selector("#key-results .dir-saved")


def _link_deal(page, deal_name: str, goal: str, deal_id: int) -> None:
    """The goal select of a deal on a line of sight saves by itself (htmx)."""
    page.get_by_label(f"Goal served by {deal_name}").select_option(label=goal)
    page.wait_for_selector(f"#deal-goal-{deal_id} .dir-saved")


def _api(page, url: str, path: str) -> dict:
    """The API, called with the browser's session (as the person signed in)."""
    response = page.request.get(url + path)
    assert response.ok, (path, response.status, response.text()[:300])
    return response.json()


def _attainment(page, url: str, metric: str, group: str, name: str) -> dict:
    """The performance API's attainment row of one member or team for this year."""
    data = _api(
        page, url, f"/api/v1/performance/attainment?metric={metric}&period={YEAR}&group={group}"
    )
    assert data["period"] == YEAR
    return next(r for r in data["rows"] if r["assignee"]["name"] == name)


def _data(locator) -> Decimal:
    """The exact figure behind a compact one (``<data value="39750.75">39.8K</data>``)."""
    return Decimal(locator.get_attribute("value"))


def _pct(fraction: str | Decimal) -> str:
    return f"{(Decimal(fraction) * 100).quantize(Decimal(1))}%"


def _kr_row(page, name: str):
    return page.locator("#key-results tr", has_text=name)


def _win(page, deal_name: str) -> None:
    """From a line of sight, open the deal and move it to Closed won (crm's deal page)."""
    page.get_by_role("link", name=deal_name, exact=True).click()
    page.wait_for_selector(f"h1:has-text('{deal_name}')")
    form = page.locator("form.move-form")
    form.get_by_label("Move to").select_option(label="Closed won")
    form.get_by_role("button").click()
    page.wait_for_selector(f"text=“{deal_name}” moved to Closed won.")


def test_director_builds_a_goal_tree_and_a_rep_sees_their_line_of_sight(
    e2e_world, live_server, browser_page
):
    page, url = browser_page, live_server.url
    w = e2e_world
    an, binh = "Nguyễn Văn An", "Trần Thị Bình"

    # the director writes the vision
    sign_in(page, url, "director@acme.test")
    page.locator("#sidebar").get_by_role("link", name="Vision and goals").click()
    page.wait_for_url(url + "/direction/vision/")
    assert page.get_by_text("The vision has not been written yet.").is_visible()
    page.get_by_role("link", name="Edit vision").click()
    page.locator("#id_statement").fill(
        "By 2029, the partner every growing retailer in Vietnam trusts to sell more."
    )
    page.locator("#id_horizon").fill("2029")
    page.get_by_role("button", name="Save vision").click()
    page.wait_for_url(url + "/direction/vision/")
    assert page.get_by_text("the partner every growing retailer").is_visible()

    # level 1: an organisation goal with a key result updated by hand
    page.get_by_role("link", name="New goal").click()
    _goal(page, title="Lead SMB retail in Vietnam")
    _key_result(page, name="Customer NPS", start="30", target="50", unit="points")
    _check_in(page, "40", "Survey of March")
    assert page.locator("#key-results").get_by_text("50%").first.is_visible()
    shot(page, "direction-01-organisation-goal")

    # level 2: the Sales goal that serves it (level and period come from the parent)
    page.get_by_role("link", name="Add a goal below").click()
    assert page.locator("#id_level").input_value() == "sales"
    _goal(page, title="Open 40 new stores")
    _key_result(page, name="Stores opened", start="0", target="40", unit="stores")
    _check_in(page, "10", "Hải Phòng and Huế live")

    # level 3: the North team's goal, measured live: revenue against the team's target set
    # in Performance, and calls (a behaviour) against 12
    page.get_by_role("link", name="Add a goal below").click()
    _goal(page, title=TEAM_GOAL, level="team", team="— North")
    _live_key_result(page, name="North revenue", metric="Revenue", team="— North")
    _live_key_result(page, name="North customer calls", metric="Calls", team="— North", target="12")
    assert page.get_by_role("link", name="Open 40 new stores").first.is_visible()  # breadcrumb
    revenue_row = _kr_row(page, "North revenue")
    calls_row = _kr_row(page, "North customer calls")
    assert f"live revenue · north · {YEAR}" in revenue_row.inner_text().lower()
    assert f"live calls · north · {YEAR}" in calls_row.inner_text().lower()

    # ... the figures are performance's: the team's attainment rows of the year
    north_revenue = _attainment(page, url, "revenue", "team", "North")
    north_calls = _attainment(page, url, "calls", "team", "North")
    assert Decimal(north_revenue["actual"]) == Decimal("39750.75")
    assert Decimal(north_revenue["target"]) == Decimal("250000")
    assert Decimal(north_calls["actual"]) == 6
    now, target = revenue_row.locator("data").nth(0), revenue_row.locator("data").nth(1)
    assert _data(now) == Decimal(north_revenue["actual"]) and now.inner_text() == "39.8K"
    assert _data(target) == Decimal(north_revenue["target"]) and target.inner_text() == "250K"
    assert revenue_row.locator(".dir-progress-value").inner_text() == _pct(
        north_revenue["attainment"]
    )
    now, target = calls_row.locator("data").nth(0), calls_row.locator("data").nth(1)
    assert _data(now) == Decimal(north_calls["actual"]) and now.inner_text() == "6"
    assert _data(target) == 12
    assert calls_row.locator(".dir-progress-value").inner_text() == "50%"

    # she links An's revenue target to the team goal (htmx: the card swaps in place and the
    # alignment figures follow)
    targets_card = page.locator("#goal-targets")
    assert targets_card.get_by_text("No target serves this goal yet.").is_visible()
    page.get_by_label("Link a target of this period").select_option(
        label=f"Revenue · {an} · 100,000"
    )
    targets_card.get_by_role("button", name="Link", exact=True).click()
    page.wait_for_selector("#goal-targets .dir-saved")
    assert targets_card.get_by_text("The target now serves this goal.").is_visible()
    linked = targets_card.locator(".dir-target-links li")
    assert linked.count() == 1
    assert f"Revenue · {YEAR} · {an}" in linked.inner_text()
    an_revenue = _attainment(page, url, "revenue", "member", an)
    assert Decimal(an_revenue["actual"]) == Decimal("24750.75")
    aligned = page.locator("#goal-aligned")
    assert aligned.get_by_text("$24,750.75 credited of $100,000.00").is_visible()
    shot(page, "direction-02-team-goal-live-key-results-and-target")

    # she links An's open deal, and Bình's, from their lines of sight, and records
    # Bình's win
    page.goto(f"{url}/direction/line-of-sight/{w.rep.pk}/")
    page.wait_for_selector(f"h1:has-text('How {an}’s work serves the vision')")
    _link_deal(page, w.open_deal.name, TEAM_GOAL, w.open_deal.pk)
    page.locator("summary", has_text="See a teammate").click()
    page.get_by_role("link", name=binh).click()
    page.wait_for_selector(f"h1:has-text('How {binh}’s work serves the vision')")
    _link_deal(page, w.binh_win.name, TEAM_GOAL, w.binh_win.pk)
    _win(page, w.binh_win.name)

    # the team goal lists the deals serving it and who contributes
    page.locator("#sidebar").get_by_role("link", name="Vision and goals").click()
    page.wait_for_url(url + "/direction/vision/")
    tree = page.locator(".dir-tree")
    for title in ("Lead SMB retail in Vietnam", "Open 40 new stores", TEAM_GOAL):
        assert tree.get_by_role("link", name=title).is_visible()
    shot(page, "direction-03-vision-tree")
    tree.get_by_role("link", name=TEAM_GOAL).click()
    # is_visible() does not wait: wait for the goal page before reading it (CI is busy)
    page.wait_for_selector(f"h1:has-text('{TEAM_GOAL}')")
    deals = page.locator("section[aria-labelledby=deals-heading]")
    for name in (w.open_deal.name, w.binh_win.name):
        assert deals.get_by_role("link", name=name).is_visible()
    contribution = page.locator("section[aria-labelledby=contribution-heading]")
    assert contribution.get_by_text("100% · $20,000.00").is_visible()
    team_goal_id = int(page.url.rstrip("/").split("/")[-1])
    _sign_out(page)

    # An signs in: his line of sight, from the vision down to his team's goal
    sign_in(page, url, "rep@acme.test")
    page.locator("#sidebar").get_by_role("link", name="My line of sight").click()
    page.wait_for_url(url + "/direction/line-of-sight/")
    assert page.get_by_text("the partner every growing retailer").is_visible()
    sight = page.locator(".dir-sight")
    for title in ("Lead SMB retail in Vietnam", "Open 40 new stores", TEAM_GOAL):
        assert sight.get_by_role("link", name=title).is_visible()
    assert sight.get_by_text("My team’s goal").is_visible()
    # the team goal's live key results, as performance counts them
    krs = sight.locator(".dir-krs li")
    assert _data(krs.filter(has_text="North revenue").locator("data").first) == Decimal(
        north_revenue["actual"]
    )
    assert _data(krs.filter(has_text="North customer calls").locator("data").first) == Decimal(
        north_calls["actual"]
    )
    # the deal the director linked, and the one he has not linked yet
    assert (
        page.get_by_label(f"Goal served by {w.open_deal.name}")
        .locator("option:checked")
        .inner_text()
        == TEAM_GOAL
    )

    # his target and his part of the team's: the performance API, asked with his session
    mine = _attainment(page, url, "revenue", "member", an)
    assert mine["assignee"]["id"] == w.rep.pk
    targets = page.locator("section[aria-labelledby=targets-heading]")
    own = targets.locator(".dir-targets").first.locator("li", has_text="Revenue")
    actual, target = own.locator("data").nth(0), own.locator("data").nth(1)
    assert _data(actual) == Decimal(mine["actual"]) and actual.inner_text() == "24.8K"
    assert _data(target) == Decimal(mine["target"]) and target.inner_text() == "100K"
    assert own.locator(".dir-progress-value").inner_text() == _pct(mine["attainment"])
    assert f"serves {TEAM_GOAL}" in own.inner_text()
    team = targets.locator(".dir-targets").nth(1).locator("li", has_text="Revenue")
    team_actual = team.locator("data").first
    assert _data(team_actual) == Decimal(north_revenue["actual"])
    part = team.locator(".dir-my-part")
    assert _data(part.locator("data")) == Decimal(mine["actual"])
    share = Decimal(mine["actual"]) / Decimal(north_revenue["actual"])
    assert f"My part: {_pct(share)} (24.8K)" in part.inner_text()  # 62%
    shot(page, "direction-04-rep-line-of-sight")

    # he links his other deal and wins it
    _link_deal(page, w.an_win.name, TEAM_GOAL, w.an_win.pk)
    shot(page, "direction-05-rep-deal-linked")
    _win(page, w.an_win.name)
    page.locator("#sidebar").get_by_role("link", name="My line of sight").click()
    page.wait_for_url(url + "/direction/line-of-sight/")

    # how his number feeds the team's: 30,000 of the 50,000 won for the team goal
    feeds = page.locator("section[aria-labelledby=contribution-heading]")
    assert feeds.get_by_role("heading", name="How my number feeds the team’s").is_visible()
    assert feeds.locator(".dir-share").first.inner_text() == "60%"
    assert feeds.get_by_text(
        "$30,000.00 of the $50,000.00 won on deals serving this goal"
    ).is_visible()
    api = _api(page, url, f"/api/v1/goals/{team_goal_id}/contribution")
    assert Decimal(api["total"]) == Decimal("50000")
    me = next(r for r in api["members"] if r["id"] == w.rep.pk)
    assert Decimal(me["amount"]) == Decimal("30000") and _pct(me["share"]) == "60%"
    ladder = feeds.locator(".dir-ladder li")
    assert ladder.count() == 3  # the team goal, the Sales goal, the organisation goal
    for i in range(3):
        assert "me 60% · North 100%" in ladder.nth(i).inner_text()
    shot(page, "direction-06-rep-contribution")

    # he reads the team goal: the target linked to it, no form to link one
    page.locator(".dir-sight").get_by_role("link", name=TEAM_GOAL).click()
    page.wait_for_selector(f"h1:has-text('{TEAM_GOAL}')")
    card = page.locator("#goal-targets")
    assert f"Revenue · {YEAR} · {an}" in card.inner_text()
    assert card.locator("form").count() == 0
    assert page.locator("#goal-aligned").get_by_text("credited of $100,000.00").is_visible()
    shot(page, "direction-07-rep-team-goal")
    assert page.console_errors == []  # no CSP violation, no script error

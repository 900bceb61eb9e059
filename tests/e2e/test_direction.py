"""What a director and a rep click in Vision: the director writes the vision and builds a
three-level goal tree with key results and check-ins; the rep opens their line of sight and
says which goal their deal serves (Playwright).

Screenshots land in var/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, build_world
from tests.direction.factories import account, activity, deal

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path("var") / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
YEAR = str(dt.date.today().year)


@pytest.fixture
def browser_page(live_server, settings, transactional_db):
    """A Chromium page. Request it after the fixtures that write data: while Playwright's
    sync API runs, the main thread counts as async and the ORM refuses to run there."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("no chromium at /usr/bin/chromium")
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.console_errors = []  # type: ignore[attr-defined]
        page.on(
            "console",
            lambda msg: page.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
        try:
            yield page
        finally:
            context.close()
            browser.close()


@pytest.fixture
def e2e_world(transactional_db):
    world = build_world()
    shop = account(world.org, name="Bách Hóa Xanh Hà Đông", industry="Retail")
    world.open_deal = deal(
        world.rep,
        "48000",
        close_date=dt.date.today() + dt.timedelta(days=21),
        account=shop,
    )
    activity(world.rep, timezone.now(), opportunity=world.open_deal)
    return world


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"direction-{name}.png"), full_page=True)


def _sign_in(page, url: str, email: str) -> None:
    page.goto(url + "/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")


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
    page.get_by_role("link", name="Add a key result").click()
    page.locator("#id_name").fill(name)
    page.locator("#id_start_value").fill(start)
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


def test_director_builds_a_goal_tree_and_a_rep_sees_their_line_of_sight(
    e2e_world, live_server, browser_page
):
    page, url = browser_page, live_server.url

    # the director writes the vision
    _sign_in(page, url, "director@acme.test")
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
    _shot(page, "01-organisation-goal")

    # level 2: the Sales goal that serves it (level and period come from the parent)
    page.get_by_role("link", name="Add a goal below").click()
    assert page.locator("#id_level").input_value() == "sales"
    _goal(page, title="Open 40 new stores")
    _key_result(page, name="Stores opened", start="0", target="40", unit="stores")
    _check_in(page, "10", "Hải Phòng and Huế live")

    # level 3: the North team's goal
    page.get_by_role("link", name="Add a goal below").click()
    _goal(page, title="North: 15 stores", level="team", team="— North")
    _key_result(page, name="North stores live", start="0", target="15", unit="stores")
    _check_in(page, "6", "Two chains signed")
    assert page.get_by_role("link", name="Open 40 new stores").first.is_visible()  # breadcrumb
    _shot(page, "02-team-goal")

    # the tree on the vision page, with roll-up progress
    page.locator("#sidebar").get_by_role("link", name="Vision and goals").click()
    tree = page.locator(".dir-tree")
    for title in ("Lead SMB retail in Vietnam", "Open 40 new stores", "North: 15 stores"):
        assert tree.get_by_role("link", name=title).is_visible()
    _shot(page, "03-vision-tree")

    # the director signs out; the rep signs in
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")
    _sign_in(page, url, "rep@acme.test")

    # the rep's line of sight: vision -> organisation -> Sales -> their team's goal
    page.locator("#sidebar").get_by_role("link", name="My line of sight").click()
    page.wait_for_url(url + "/direction/line-of-sight/")
    assert page.get_by_text("the partner every growing retailer").is_visible()
    sight = page.locator(".dir-sight")
    for title in ("Lead SMB retail in Vietnam", "Open 40 new stores", "North: 15 stores"):
        assert sight.get_by_role("link", name=title).is_visible()
    assert sight.get_by_text("My team’s goal").is_visible()
    assert page.get_by_role("link", name=e2e_world.open_deal.name).is_visible()
    _shot(page, "04-rep-line-of-sight")

    # the rep says which goal the deal serves: the select saves by itself (htmx)
    page.get_by_label(f"Goal served by {e2e_world.open_deal.name}").select_option(
        label="North: 15 stores"
    )
    page.wait_for_selector(f"#deal-goal-{e2e_world.open_deal.pk} .dir-saved")
    _shot(page, "05-rep-deal-linked")
    page.reload()
    assert (
        page.get_by_label(f"Goal served by {e2e_world.open_deal.name}")
        .locator("option:checked")
        .inner_text()
        == "North: 15 stores"
    )
    assert page.console_errors == []  # no CSP violation, no script error

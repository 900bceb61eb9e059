"""What a rep, a manager and a director see of their performance (Playwright).

A seeded organisation (the demo seeders at a small size) gives realistic figures. Screenshots
land in var/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import pytest

from saleshelm.core.seeding import SeedOptions, seed_organisation
from tests.conftest import PASSWORD
from tests.e2e.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGINS = {role: f"{role}@perf.saleshelm.test" for role in ("admin", "director", "manager", "rep")}


@pytest.fixture
def seeded(transactional_db):
    report = seed_organisation(
        SeedOptions(
            org="perf",
            name="Helm Trading Co.",
            currency="USD",
            reps=16,
            months=12,
            orders=5_000,
            activities=3_000,
            seed=11,
            logins=dict(LOGINS),
            password=PASSWORD,
        )
    )
    return report.organisation


def _charts(page) -> int:
    return page.locator("main svg.chart[role=img]").count()


def test_rep_sees_my_period_with_charts(seeded, live_server, browser_page):
    page = browser_page
    base = live_server.url
    sign_in(page, base, LOGINS["rep"])
    # Performance opens on the rep's own period
    page.locator("#sidebar").get_by_role("link", name="My period").click()
    page.wait_for_url(base + "/performance/my/")
    assert page.get_by_role("heading", name="My period").is_visible()
    for label in ("Attainment", "Pacing", "Left to target", "Run-rate projection"):
        assert page.locator(".kpi-label", has_text=label).is_visible()
    assert _charts(page) >= 2  # pacing and trend (and the funnel when there are deals)
    assert page.locator("tr.is-me").count() >= 1  # the rep on the team's board
    shot(page, "perf-01-rep-my-period")
    # the previous quarter, by the picker's arrow
    page.get_by_role("link", name="Previous period").click()
    page.wait_for_load_state()
    assert "period=" in page.url
    shot(page, "perf-02-rep-previous-quarter")
    # the leaderboard, then in progress-only mode as a rep sees it when shared
    page.locator("#sidebar").get_by_role("link", name="Leaderboard").click()
    page.wait_for_url(base + "/performance/leaderboard/")
    shot(page, "perf-03-rep-leaderboard")
    # the rep's scorecard
    page.locator("#sidebar").get_by_role("link", name="Scorecards").click()
    page.get_by_role("heading", name="My scorecard").wait_for()  # the page the click opens
    assert page.get_by_role("heading", name="My scorecard").is_visible()
    shot(page, "perf-04-rep-scorecard")
    # the forecast page: submit a call
    page.locator("#sidebar").get_by_role("link", name="Forecast").click()
    page.get_by_label("I expect to close").fill("125000")
    page.get_by_role("button", name="Submit forecast").click()
    page.get_by_text("Forecast submitted.").wait_for()  # the page the click opens
    assert page.get_by_text("Forecast submitted.").is_visible()
    shot(page, "perf-05-rep-forecast")
    assert not page.console_errors


def test_manager_sees_the_team_and_who_needs_help(seeded, live_server, browser_page):
    page = browser_page
    base = live_server.url
    sign_in(page, base, LOGINS["manager"])
    page.goto(base + "/performance/")
    page.wait_for_url(base + "/performance/team/")
    assert page.get_by_role("heading", name="Who needs help").is_visible()
    assert page.get_by_role("heading", name="Members").is_visible()
    assert _charts(page) >= 2
    shot(page, "perf-06-manager-team")
    page.locator("#sidebar").get_by_role("link", name="Targets").click()
    shot(page, "perf-07-manager-targets")
    page.get_by_role("link", name="New target").click()
    page.get_by_label("Seasonality pattern").check()
    shot(page, "perf-08-manager-new-target")
    page.locator("#sidebar").get_by_role("link", name="Forecast").click()
    shot(page, "perf-09-manager-forecast")
    assert not page.console_errors


def test_director_sees_the_organisation(seeded, live_server, browser_page):
    page = browser_page
    base = live_server.url
    sign_in(page, base, LOGINS["director"])
    page.goto(base + "/performance/")
    page.wait_for_url(base + "/performance/organisation/")
    assert page.get_by_role("heading", name="Organisation dashboard").is_visible()
    assert page.get_by_role("heading", name="Top 20").is_visible()
    assert _charts(page) >= 3  # pacing, trend, funnel
    shot(page, "perf-10-director-organisation")
    page.get_by_role("link", name="Progress only").click()
    page.wait_for_url("**/performance/organisation/?view=progress")
    assert page.locator(".hidden-amount").count() >= 1
    shot(page, "perf-11-director-progress-only")
    # a team page from the variance table
    page.locator("#teams-heading").locator("xpath=../..").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert "/performance/team/" in page.url
    shot(page, "perf-12-director-team")
    assert not page.console_errors


def test_vietnamese_and_small_screen(seeded, live_server, browser_page):
    page = browser_page
    base = live_server.url
    sign_in(page, base, LOGINS["rep"])
    page.get_by_role("button", name="Tiếng Việt").click()
    page.goto(base + "/performance/my/")
    assert page.locator("html").get_attribute("lang") == "vi"
    shot(page, "perf-13-rep-my-period-vi")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/performance/my/")
    shot(page, "perf-14-rep-my-period-phone")
    assert not page.console_errors


def test_dashboard_reads_without_javascript(seeded, live_server, browser_page):
    page = browser_page
    base = live_server.url
    sign_in(page, base, LOGINS["director"])
    nojs = new_page(page.context.browser, java_script_enabled=False)
    nojs.context.add_cookies(page.context.cookies())
    nojs.goto(base + "/performance/organisation/")
    assert nojs.get_by_role("heading", name="Organisation dashboard").is_visible()
    assert nojs.locator("main svg.chart").count() >= 3
    # the period picker still works: its "Show" button submits the form
    nojs.get_by_role("button", name="Show").first.click()
    nojs.wait_for_load_state()
    assert "period=" in nojs.url
    shot(nojs, "perf-15-director-no-javascript")
    nojs.context.close()

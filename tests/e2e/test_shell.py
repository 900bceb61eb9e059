"""What a rep clicks: sign in, home, team tree, my role, switch to Vietnamese (Playwright).

Screenshots land in var/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import datetime as dt

import pytest

from saleshelm.people.services import member_profile_update, role_profile_save
from saleshelm.tenancy.actors import SystemActor
from tests.conftest import PASSWORD, build_world
from tests.e2e.conftest import shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def e2e_world(transactional_db):
    world = build_world()
    system = SystemActor(world.org)
    profile = role_profile_save(
        actor=system,
        name="Account Executive",
        purpose="Win and grow mid-market accounts in your territory.",
        key_tasks=[
            "Build a qualified pipeline of three times your quarterly target",
            "Run discovery and demos that tie our offering to the customer's goals",
            "Close deals at a healthy margin",
        ],
        responsibilities=["Forecast every Friday", "Share win stories with the team"],
        kpis=[
            {"name": "Revenue", "metric": "revenue", "measure": "Net order amount vs target"},
            {"name": "Meetings", "metric": "meetings", "measure": "8 a week"},
        ],
    )
    member_profile_update(
        actor=system,
        membership=world.rep,
        title="Account Executive",
        role_profile=profile,
        start_date=dt.date(2024, 3, 4),
    )
    return world


def test_rep_signs_in_and_finds_their_place_then_switches_to_vietnamese(
    e2e_world, live_server, browser_page
):
    page = browser_page
    url = live_server.url

    # a rep opens SalesHelm and is asked to sign in
    page.goto(url + "/")
    assert "/login/" in page.url
    shot(page, "01-login")
    page.get_by_label("Email").fill("rep@acme.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # home: who they are, their role profile and their manager
    page.wait_for_url(url + "/")
    assert page.get_by_role("heading", name="Welcome back, Nguyễn Văn An").is_visible()
    assert page.get_by_text("Close deals at a healthy margin").is_visible()
    assert page.locator("main").get_by_text("Mai Manager").first.is_visible()
    shot(page, "02-home")

    # the team tree, from the menu
    page.locator("#sidebar").get_by_role("link", name="Team tree").click()
    page.wait_for_url(url + "/people/teams/")
    assert page.get_by_role("link", name="North", exact=True).is_visible()
    shot(page, "03-team-tree")

    # a team page
    page.get_by_role("link", name="North", exact=True).click()
    page.get_by_role("heading", name="North").wait_for()  # the page the click opens
    assert page.get_by_role("heading", name="North").is_visible()
    assert page.get_by_text("Trần Thị Bình").first.is_visible()
    shot(page, "04-team")

    # members: live search narrows the list without a page load
    page.locator("#sidebar").get_by_role("link", name="Members").click()
    page.get_by_label("Search").fill("Bình")
    page.wait_for_function(
        "() => !document.querySelector('#member-results').textContent.includes('Lê Văn Cường')"
    )
    assert "q=B" in page.url  # hx-push-url keeps the search in the address
    assert page.locator("#member-results").get_by_text("Trần Thị Bình").is_visible()
    shot(page, "05-members-search")

    # my role: what is expected of me
    page.locator("#sidebar").get_by_role("link", name="My role").click()
    page.wait_for_url(url + "/people/my-role/")
    assert page.get_by_role("heading", name="What is expected of me").is_visible()
    assert page.get_by_text("Forecast every Friday").is_visible()
    assert page.get_by_role("cell", name="Meetings", exact=True).is_visible()
    shot(page, "06-my-role")

    # switch to Vietnamese with the language switch in the header
    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_url(url + "/people/my-role/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Kỳ vọng đối với tôi").is_visible()
    assert page.locator("#sidebar").get_by_role("link", name="Cây nhóm").is_visible()
    shot(page, "07-my-role-vi")
    page.goto(url + "/")
    assert page.get_by_text("Chào mừng trở lại").is_visible()
    shot(page, "08-home-vi")

    # the account menu opens and signs out (POST)
    page.locator(".user-menu summary").click()
    shot(page, "09-account-menu-vi")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/login/")

    assert page.console_errors == []  # no CSP violation, no script error


def test_small_screen_menu_opens_from_the_menu_button(e2e_world, live_server, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "rep@acme.test")
    sidebar = page.locator("#sidebar")
    assert not sidebar.is_visible()
    shot(page, "10-mobile-home")
    page.get_by_role("button", name="Menu").click()
    sidebar.wait_for()  # the page the click opens
    assert sidebar.is_visible()
    shot(page, "11-mobile-menu")
    sidebar.get_by_role("link", name="My role").click()
    page.wait_for_url(live_server.url + "/people/my-role/")
    shot(page, "12-mobile-my-role")
    assert page.console_errors == []

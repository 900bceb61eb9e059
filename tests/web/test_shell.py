"""The shell: home page, organisation switcher, navigation, language, security headers."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from saleshelm.tenancy.middleware import SESSION_KEY
from saleshelm.web import navigation
from tests.tenancy.factories import MembershipFactory, OrganisationFactory, UserFactory


def _sidebar(html: str) -> str:
    match = re.search(r'<nav id="sidebar".*?</nav>', html, re.S)
    return match.group(0) if match else ""


# --- home -------------------------------------------------------------------------------


def test_anonymous_home_redirects_to_login(db):
    r = Client().get("/")
    assert r.status_code == 302
    assert r["Location"].startswith("/login/?next=/")


def test_home_shows_the_members_place_role_profile_and_manager_chain(world, web_client):
    # given a rep in North (under Sales, managed by Mai) with a role profile
    from saleshelm.people.services import member_profile_update, role_profile_save
    from saleshelm.tenancy.actors import SystemActor

    system = SystemActor(world.org)
    profile = role_profile_save(
        actor=system,
        name="Account Executive",
        key_tasks=["Prospect new logos", "Close the quarter"],
    )
    member_profile_update(actor=system, membership=world.rep, role_profile=profile, title="AE")
    # when the rep opens home
    r = web_client(world.rep).get("/")
    body = r.content.decode()
    # then it shows who and where they are, and what is expected of them
    assert r.status_code == 200
    assert "Nguyễn Văn An" in body
    assert "Acme" in body
    assert "Sales rep" in body
    assert "North" in body
    assert "Mai Manager" in body  # manager chain
    assert "Prospect new logos" in body and "Close the quarter" in body
    assert f'href="/people/members/{world.peer.pk}/"' in body  # teammate
    assert "/people/my-role/" in body


def test_home_for_a_user_without_membership_says_so(db):
    user = UserFactory(email="lonely@example.com", full_name="Lonely Person")
    client = Client()
    client.force_login(user)
    r = client.get("/")
    assert r.status_code == 200
    assert "not a member of any organisation" in r.content.decode()
    # and the people pages refuse to show an organisation
    assert client.get("/people/members/").status_code == 403


def test_admin_home_points_at_members_without_a_team(world, web_client):
    body = web_client(world.admin).get("/").content.decode()
    assert "/people/members/?team=none" in body
    assert "Without a team" in body
    rep_body = web_client(world.rep).get("/").content.decode()
    assert "Without a team" not in rep_body


# --- organisation switcher --------------------------------------------------------------------


@pytest.fixture
def two_org_rep(world):
    """The rep also belongs to Beta, as a viewer."""
    MembershipFactory(organisation=world.other_org, user=world.rep.user, role="viewer")
    return world.rep


def test_switcher_lists_the_users_organisations(world, two_org_rep, web_client):
    body = web_client(two_org_rep).get("/").content.decode()
    assert "Switch organisation" in body
    assert "Beta" in body


def test_single_organisation_user_sees_no_switcher(world, web_client):
    body = web_client(world.peer).get("/").content.decode()
    assert "Switch organisation" not in body


def test_switching_to_an_organisation_of_the_user(world, two_org_rep, web_client):
    client = web_client(two_org_rep)
    r = client.post("/organisation/switch/", {"organisation": world.other_org.pk})
    assert r.status_code == 302
    assert client.session[SESSION_KEY] == world.other_org.pk
    body = client.get("/").content.decode()
    assert "Viewer" in body
    assert "Beta" in body


@pytest.mark.parametrize("target", ["other_org", "new_org", "garbage"])
def test_switcher_refuses_organisations_the_user_is_not_a_member_of(world, web_client, target):
    client = web_client(world.rep)
    value = {
        "other_org": lambda: world.other_org.pk,
        "new_org": lambda: OrganisationFactory(slug="gamma").pk,
        "garbage": lambda: "1 OR 1=1",
    }[target]()
    r = client.post("/organisation/switch/", {"organisation": value})
    assert r.status_code == 404
    assert client.session[SESSION_KEY] == world.org.pk


def test_switcher_refuses_an_inactive_membership(world, web_client):
    MembershipFactory(
        organisation=world.other_org, user=world.rep.user, role="rep", is_active=False
    )
    client = web_client(world.rep)
    assert (
        client.post("/organisation/switch/", {"organisation": world.other_org.pk}).status_code
        == 404
    )
    assert client.session[SESSION_KEY] == world.org.pk


def test_switcher_is_post_only(world, web_client):
    assert web_client(world.rep).get("/organisation/switch/").status_code == 405


# --- navigation ---------------------------------------------------------------------------------


ALL_ROLES = ["admin", "director", "finance", "viewer", "manager", "rep"]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_navigation_shows_the_people_pages_to_every_role(world, web_client, role):
    sidebar = _sidebar(web_client(world.by_role(role)).get("/").content.decode())
    for href, label in [
        ("/", "Home"),
        ("/people/teams/", "Team tree"),
        ("/people/members/", "Members"),
        ("/people/my-role/", "My role"),
    ]:
        assert f'href="{href}"' in sidebar
        assert label in sidebar


@pytest.mark.parametrize("role", ALL_ROLES)
def test_navigation_is_exactly_the_registry_for_the_role(world, web_client, role):
    # given whatever the apps have registered so far
    expected = navigation.build(role=role, current_url_name=None)
    # when the member opens a page
    sidebar = _sidebar(web_client(world.by_role(role)).get("/").content.decode())
    # then the menu links are exactly the entries that resolve and that the role may open
    hrefs = re.findall(r'<li><a href="([^"]+)"', sidebar)
    assert hrefs == [link.url for section in expected for link in section.links]
    # and sections with no page for this role are not drawn
    shown = {section.key for section in expected}
    for key, label in navigation.SECTIONS.items():
        if key not in shown and key != "home":
            assert f'<h2 class="nav-heading">{label}</h2>' not in sidebar


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_menu_link_opens_for_its_role(world, web_client, role):
    """A menu entry must never lead a member to a refusal or a missing page."""
    client = web_client(world.by_role(role))
    for section in navigation.build(role=role, current_url_name=None):
        for link in section.links:
            status = client.get(link.url).status_code
            assert status not in (403, 404), (role, link.url, status)


def test_navigation_marks_the_current_page(world, web_client):
    sidebar = _sidebar(web_client(world.rep).get("/people/members/").content.decode())
    assert 'href="/people/members/" class="is-current" aria-current="page"' in sidebar
    member_page = web_client(world.rep).get(f"/people/members/{world.peer.pk}/")
    assert 'href="/people/members/" class="is-current"' in _sidebar(member_page.content.decode())


@pytest.fixture
def extra_entries():
    keys = []

    def add(**kwargs):
        keys.append(kwargs["key"])
        return navigation.register(**kwargs)

    yield add
    for key in keys:
        navigation.unregister(key)


def test_entry_whose_url_does_not_resolve_is_not_shown(world, web_client, extra_entries):
    extra_entries(
        key="test.missing",
        section="performance",
        label="Unbuilt page test",
        url_name="performance:nope",
    )
    sidebar = _sidebar(web_client(world.admin).get("/").content.decode())
    assert "Unbuilt page test" not in sidebar
    assert "performance:nope" not in sidebar


def test_entries_respect_roles(world, web_client, extra_entries):
    # given an entry for admins and directors only, on a page that exists
    extra_entries(
        key="test.admin_only",
        section="vision",
        label="Org settings test",
        url_name="people:teams",
        roles={"admin", "director"},
    )
    for role, visible in [
        ("admin", True),
        ("director", True),
        ("manager", False),
        ("rep", False),
        ("finance", False),
        ("viewer", False),
    ]:
        sidebar = _sidebar(web_client(world.by_role(role)).get("/").content.decode())
        assert ("Org settings test" in sidebar) is visible, role


def test_registry_rejects_unknown_sections_and_roles():
    with pytest.raises(ValueError):
        navigation.register(key="x", section="nowhere", label="X", url_name="web:home")
    with pytest.raises(ValueError):
        navigation.register(key="x", section="sales", label="X", url_name="web:home", roles={"ceo"})


def test_registry_build_groups_by_key_task_in_order(db, extra_entries):
    extra_entries(key="t.sales", section="sales", label="Deals", url_name="web:home")
    extra_entries(key="t.vision", section="vision", label="Goals", url_name="web:home")
    sections = navigation.build(role="rep", current_url_name=None)
    keys = [s.key for s in sections]
    assert {"home", "vision", "people", "sales"} <= set(keys)
    order = list(navigation.SECTIONS)
    assert keys == sorted(keys, key=order.index)
    assert keys[0] == "home"
    vision = next(s for s in sections if s.key == "vision")
    assert "Goals" in [str(link.label) for link in vision.links]


# --- language, headers ------------------------------------------------------------------------


def test_vietnamese_shell_from_accept_language(world, web_client):
    body = web_client(world.rep).get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="vi">' in body
    assert "Trang chủ" in body  # Home
    assert "Cây nhóm" in body  # Team tree
    assert "Đăng xuất" in body  # Sign out
    assert "Nhân viên kinh doanh" in body  # role "Sales rep"


def test_language_switch_sets_the_language_cookie(world, web_client):
    client = web_client(world.rep)
    r = client.post("/i18n/setlang/", {"language": "vi", "next": "/people/teams/"})
    assert r.status_code == 302
    assert r["Location"] == "/people/teams/"
    body = client.get("/people/teams/").content.decode()
    assert "Cây nhóm" in body


def test_pages_carry_a_strict_csp_and_no_inline_script_or_style(world, web_client):
    r = web_client(world.admin).get("/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    body = r.content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body) is None, "inline <script>"
    assert " style=" not in body, "inline style attribute"
    assert "<style" not in body
    assert "/static/django_htmx/htmx-2" in body
    assert "/static/web/app.css" in body


def test_skip_link_and_landmarks(world, web_client):
    body = web_client(world.rep).get("/").content.decode()
    assert 'class="skip-link" href="#main"' in body
    assert '<main id="main"' in body
    assert 'aria-label="Main navigation"' in body


def test_login_page_has_no_inline_script(db):
    body = Client().get("/login/").content.decode()
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body) is None
    assert " style=" not in body


def test_not_found_page_uses_the_shell(world, web_client, settings):
    settings.DEBUG = False
    r = web_client(world.rep).get("/people/teams/999999/")
    assert r.status_code == 404
    assert "We could not find that page" in r.content.decode()

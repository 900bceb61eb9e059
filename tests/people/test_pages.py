"""People pages: every member reads the directory; only admins and directors shape it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from saleshelm.people.models import MemberProfile, Team
from saleshelm.people.selectors import access_team
from saleshelm.tenancy.models import AuditEntry, Membership
from tests.people.factories import RoleProfileFactory, TeamFactory, TerritoryFactory
from tests.tenancy.factories import MembershipFactory, UserFactory

ROLES = ["admin", "director", "finance", "viewer", "manager", "rep"]
WRITERS = ["admin", "director"]
NON_WRITERS = ["finance", "viewer", "manager", "rep"]


def _team(world, name: str) -> Team:
    return Team.objects.get(organisation=world.org, name=name)


def _pages(world) -> dict[str, str]:
    north = _team(world, "North")
    return {
        "teams": "/people/teams/",
        "team": f"/people/teams/{north.pk}/",
        "members": "/people/members/",
        "member": f"/people/members/{world.peer.pk}/",
        "my_role": "/people/my-role/",
    }


def _snapshot(world) -> tuple:
    """Everything a refused form could have changed."""
    return (
        list(
            Team.objects.order_by("pk").values_list("pk", "name", "parent_id", "manager_id", "path")
        ),
        list(
            MemberProfile.objects.order_by("pk").values_list(
                "pk",
                "title",
                "team_id",
                "territory_id",
                "role_profile_id",
                "start_date",
                "strengths",
            )
        ),
        AuditEntry.objects.count(),
    )


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["teams", "team", "members", "member", "my_role"])
def test_every_people_page_renders_for_every_role(world, web_client, role, page):
    r = web_client(world.by_role(role)).get(_pages(world)[page])
    assert r.status_code == 200, r.content[:500]
    assert "<main" in r.content.decode()


@pytest.mark.parametrize("page", ["teams", "team", "members", "member", "my_role"])
def test_anonymous_visitors_are_sent_to_login(world, page):
    url = _pages(world)[page]
    r = Client().get(url)
    assert r.status_code == 302
    assert r["Location"].startswith("/login/?next=")


def test_team_tree_nests_teams_with_manager_and_member_count(world, web_client):
    body = web_client(world.rep).get("/people/teams/").content.decode()
    sales, north = _team(world, "Sales"), _team(world, "North")
    # North is drawn inside Sales' list item, with its two reps
    sales_at = body.index(f'href="/people/teams/{sales.pk}/"')
    north_at = body.index(f'href="/people/teams/{north.pk}/"')
    assert sales_at < north_at
    assert "Mai Manager" in body
    assert "2 members" in body
    assert "Beta Team" not in body


def test_team_page_lists_its_members_sub_teams_and_breadcrumb(world, web_client):
    sales, north = _team(world, "Sales"), _team(world, "North")
    body = web_client(world.viewer).get(f"/people/teams/{sales.pk}/").content.decode()
    assert "Mai Manager" in body
    assert f'href="/people/teams/{north.pk}/"' in body  # sub-team
    body = web_client(world.viewer).get(f"/people/teams/{north.pk}/").content.decode()
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" in body
    assert "Lê Văn Cường" not in body  # South
    assert f'<li><a href="/people/teams/{sales.pk}/">Sales</a></li>' in body  # breadcrumb


def test_the_member_page_offers_an_invitation_to_those_who_may_send_it(world, web_client):
    from saleshelm.tenancy.models import User

    User.objects.filter(pk=world.rep.user_id).update(password="!", last_login=None)
    url = f"/people/members/{world.rep.pk}/"
    assert "Send invitation" in web_client(world.admin).get(url).content.decode()
    assert "Send invitation" in web_client(world.manager).get(url).content.decode()
    assert "Send invitation" not in web_client(world.peer).get(url).content.decode()


def test_member_page_shows_placement_strengths_and_manager_chain(world, web_client):
    from saleshelm.people.services import member_profile_update
    from saleshelm.tenancy.actors import SystemActor

    system = SystemActor(world.org)
    role_profile = RoleProfileFactory(organisation=world.org, name="Field AE")
    member_profile_update(
        actor=system,
        membership=world.rep,
        title="Senior AE",
        role_profile=role_profile,
        start_date=dt.date(2024, 3, 4),
        strengths=["Negotiation", "Demos to CFOs"],
    )
    body = web_client(world.other_rep).get(f"/people/members/{world.rep.pk}/").content.decode()
    for text in [
        "Nguyễn Văn An",
        "Senior AE",
        "North",
        "North VN",
        "Field AE",
        "Negotiation",
        "Demos to CFOs",
        "Mai Manager",
        "March 4, 2024",
    ]:
        assert text in body, text


def test_my_role_shows_the_role_profile_team_and_manager(world, web_client):
    from saleshelm.people.services import member_profile_update, role_profile_save
    from saleshelm.tenancy.actors import SystemActor

    system = SystemActor(world.org)
    role_profile = role_profile_save(
        actor=system,
        name="Inside Sales",
        purpose="Turn inbound interest into qualified pipeline.",
        key_tasks=["Call every new lead within a day"],
        responsibilities=["Keep lead status current"],
        kpis=[{"name": "Meetings booked", "metric": "meetings", "measure": "10 a week"}],
    )
    member_profile_update(actor=system, membership=world.rep, role_profile=role_profile)
    body = web_client(world.rep).get("/people/my-role/").content.decode()
    for text in [
        "Inside Sales",
        "Turn inbound interest",
        "Call every new lead within a day",
        "Keep lead status current",
        "Meetings booked",
        "meetings",
        "10 a week",
        "North",
        "Mai Manager",
    ]:
        assert text in body, text


def test_my_role_without_a_role_profile_explains_what_it_is(world, web_client):
    body = web_client(world.peer).get("/people/my-role/").content.decode()
    assert "No role profile yet" in body


# --- members directory ------------------------------------------------------------------------------


def test_members_search_by_name_or_email(world, web_client):
    client = web_client(world.rep)
    body = client.get("/people/members/?q=bình").content.decode()
    assert "Trần Thị Bình" in body
    assert "Lê Văn Cường" not in body
    body = client.get("/people/members/?q=other@acme").content.decode()
    assert "Lê Văn Cường" in body and "Trần Thị Bình" not in body


def test_members_never_lists_another_organisation(world, web_client):
    body = web_client(world.admin).get("/people/members/?q=beta").content.decode()
    assert "rep@beta.test" not in body
    assert "No one matches these filters." in body


def test_members_filters_by_team_role_and_missing_team(world, web_client):
    client = web_client(world.director)
    north = _team(world, "North")
    body = client.get(f"/people/members/?team={north.pk}").content.decode()
    assert "Trần Thị Bình" in body and "Lê Văn Cường" not in body
    body = client.get("/people/members/?role=finance").content.decode()
    assert "Phuong Finance" in body and "Trần Thị Bình" not in body
    body = client.get("/people/members/?team=none").content.decode()
    assert "Ada Admin" in body and "Trần Thị Bình" not in body


def test_members_filter_ignores_a_team_of_another_organisation(world, web_client):
    beta_team = Team.objects.get(organisation=world.other_org)
    r = web_client(world.director).get(f"/people/members/?team={beta_team.pk}")
    assert r.status_code == 200
    assert "rep@beta.test" not in r.content.decode()


def test_htmx_live_search_returns_only_the_results(world, web_client):
    r = web_client(world.rep).get(
        "/people/members/?q=Bình", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="member-results"
    )
    body = r.content.decode()
    assert r.status_code == 200
    assert "<html" not in body
    assert "Trần Thị Bình" in body
    assert 'class="results-summary"' in body


def test_members_are_paginated(world, web_client):
    for i in range(30):
        MembershipFactory(
            organisation=world.org,
            user=UserFactory(email=f"bulk{i:02d}@acme.test", full_name=f"Bulk Person {i:02d}"),
        )
    client = web_client(world.rep)
    first = client.get("/people/members/").content.decode()
    assert "Page 1 of 2" in first
    total = Membership.objects.filter(organisation=world.org, is_active=True).count()
    assert total > 25
    assert f"of {total}" in first
    second = client.get("/people/members/?page=2").content.decode()
    assert "Page 2 of 2" in second
    assert client.get("/people/members/?page=999").status_code == 200


def _grow(world, count: int) -> None:
    north = _team(world, "North")
    territory = TerritoryFactory(organisation=world.org, name=f"T{count}")
    role_profile = RoleProfileFactory(organisation=world.org)
    for i in range(count):
        m = MembershipFactory(
            organisation=world.org,
            user=UserFactory(email=f"grow{count}-{i}@acme.test", full_name=f"Grow {i:03d}"),
        )
        MemberProfile.objects.filter(pk=m.pk).update(
            team=north, territory=territory, role_profile=role_profile, title="AE"
        )
        if i % 5 == 0:
            TeamFactory(organisation=world.org, name=f"Team {count}-{i}", parent=north, manager=m)


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/people/members/", "/people/teams/", "/"])
def test_query_count_does_not_grow_with_members(
    world, web_client, django_assert_max_num_queries, url
):
    # given an organisation with 5 more members, then with 50 more (and more teams)
    client = web_client(world.director)
    _grow(world, 5)
    small = _count_queries(client, url)
    _grow(world, 45)
    # when the page is drawn again, then it costs the same number of queries
    with django_assert_max_num_queries(small):
        large = _count_queries(client, url)
    assert large == small
    assert small <= 12


# --- writing: admins and directors ---------------------------------------------------------------


@pytest.mark.parametrize("role", WRITERS)
def test_admin_and_director_create_a_team_with_parent_and_manager(world, web_client, role):
    client = web_client(world.by_role(role))
    sales = _team(world, "Sales")
    assert client.get("/people/teams/new/").status_code == 200
    r = client.post(
        "/people/teams/new/",
        {"name": "Hanoi SMB", "parent": sales.pk, "manager": world.manager.pk},
    )
    team = Team.objects.get(organisation=world.org, name="Hanoi SMB")
    assert r.status_code == 302
    assert r["Location"] == f"/people/teams/{team.pk}/"
    assert team.parent_id == sales.pk
    assert team.manager_id == world.manager.pk
    assert team.path == f"{sales.path}{team.pk}/"
    assert AuditEntry.objects.filter(action="team.create", object_id=str(team.pk)).exists()


def test_team_create_form_preselects_the_parent(world, web_client):
    sales = _team(world, "Sales")
    body = web_client(world.admin).get(f"/people/teams/new/?parent={sales.pk}").content.decode()
    assert f'<option value="{sales.pk}" selected>' in body


def test_duplicate_team_name_becomes_a_form_error(world, web_client):
    before = _snapshot(world)
    r = web_client(world.admin).post("/people/teams/new/", {"name": "North"})
    assert r.status_code == 200
    assert "already exists" in r.content.decode()
    assert _snapshot(world) == before


def test_team_form_refuses_a_manager_or_parent_of_another_organisation(world, web_client):
    beta_team = Team.objects.get(organisation=world.other_org)
    before = _snapshot(world)
    r = web_client(world.admin).post(
        "/people/teams/new/",
        {"name": "Sneaky", "parent": beta_team.pk, "manager": world.other_org_rep.pk},
    )
    assert r.status_code == 200
    assert r.content.decode().count("Select a valid choice") == 2
    assert _snapshot(world) == before


def test_director_edits_a_team_and_cannot_move_it_under_itself(world, web_client):
    client = web_client(world.director)
    sales, north = _team(world, "Sales"), _team(world, "North")
    # the form offers neither the team itself nor its descendants as parent
    body = client.get(f"/people/teams/{sales.pk}/edit/").content.decode()
    parent_select = re.search(r'<select name="parent".*?</select>', body, re.S).group(0)
    assert f'<option value="{north.pk}"' not in parent_select
    assert f'<option value="{sales.pk}"' not in parent_select
    r = client.post(f"/people/teams/{sales.pk}/edit/", {"name": "Sales", "parent": north.pk})
    assert r.status_code == 200
    assert _team(world, "Sales").parent_id is None
    # a valid move is saved, with the subtree's paths rewritten
    key_accounts = _team(world, "Key Accounts")
    r = client.post(
        f"/people/teams/{sales.pk}/edit/",
        {"name": "Sales VN", "parent": key_accounts.pk, "manager": world.manager.pk},
    )
    assert r.status_code == 302
    moved = Team.objects.get(pk=sales.pk)
    assert moved.name == "Sales VN" and moved.parent_id == key_accounts.pk
    assert Team.objects.get(pk=north.pk).path.startswith(moved.path)


@pytest.mark.parametrize("role", WRITERS)
def test_admin_and_director_edit_a_members_placement(world, web_client, role):
    client = web_client(world.by_role(role))
    south = _team(world, "South")
    territory = TerritoryFactory(organisation=world.org, name="South VN")
    role_profile = RoleProfileFactory(organisation=world.org, name="Hunter")
    assert client.get(f"/people/members/{world.rep.pk}/placement/").status_code == 200
    r = client.post(
        f"/people/members/{world.rep.pk}/placement/",
        {
            "title": "Key Account Executive",
            "team": south.pk,
            "territory": territory.pk,
            "role_profile": role_profile.pk,
            "start_date": "2025-01-06",
        },
    )
    assert r.status_code == 302
    profile = MemberProfile.objects.get(pk=world.rep.pk)
    assert profile.title == "Key Account Executive"
    assert profile.team_id == south.pk
    assert profile.territory_id == territory.pk
    assert profile.role_profile_id == role_profile.pk
    assert profile.start_date == dt.date(2025, 1, 6)
    assert AuditEntry.objects.filter(
        action="member_profile.update", object_id=str(world.rep.pk)
    ).exists()


def test_placement_form_refuses_another_organisations_team(world, web_client):
    beta_team = Team.objects.get(organisation=world.other_org)
    before = _snapshot(world)
    r = web_client(world.admin).post(
        f"/people/members/{world.rep.pk}/placement/", {"title": "X", "team": beta_team.pk}
    )
    assert r.status_code == 200
    assert "Select a valid choice" in r.content.decode()
    assert _snapshot(world) == before


# --- refusals: direct URLs answer 403 and change nothing -----------------------------------------------


def _form_urls(world) -> list[tuple[str, dict]]:
    north = _team(world, "North")
    return [
        ("/people/teams/new/", {"name": "Intruders"}),
        (f"/people/teams/{north.pk}/edit/", {"name": "Renamed", "manager": world.rep.pk}),
        (f"/people/members/{world.rep.pk}/placement/", {"title": "CEO", "team": north.pk}),
        (f"/people/members/{world.peer.pk}/placement/", {"title": "CEO"}),
    ]


@pytest.mark.parametrize("role", NON_WRITERS)
def test_structure_forms_answer_403_to_other_roles_and_change_nothing(world, web_client, role):
    client = web_client(world.by_role(role))
    before = _snapshot(world)
    for url, data in _form_urls(world):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url
    assert _snapshot(world) == before


@pytest.mark.parametrize("role", NON_WRITERS)
def test_pages_do_not_offer_structure_forms_to_other_roles(world, web_client, role):
    client = web_client(world.by_role(role))
    assert "/people/teams/new/" not in client.get("/people/teams/").content.decode()
    body = client.get(f"/people/members/{world.peer.pk}/").content.decode()
    assert "/placement/" not in body


# --- strengths: the member themself ------------------------------------------------------------------


def test_member_edits_their_own_strengths(world, web_client):
    client = web_client(world.rep)
    r = client.post(
        f"/people/members/{world.rep.pk}/about/",
        {"strengths": "Negotiation\n\n  Cold calling  \n", "bio": "Ask me about tenders."},
    )
    assert r.status_code == 302
    profile = MemberProfile.objects.get(pk=world.rep.pk)
    assert profile.strengths == ["Negotiation", "Cold calling"]
    assert profile.bio == "Ask me about tenders."


@pytest.mark.parametrize("role", ["peer", "manager", "viewer", "finance"])
def test_others_cannot_edit_someone_elses_strengths(world, web_client, role):
    client = web_client(getattr(world, role))
    before = _snapshot(world)
    url = f"/people/members/{world.rep.pk}/about/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"strengths": "Hacked"}).status_code == 403
    assert _snapshot(world) == before


# --- other organisation: 404 everywhere --------------------------------------------------------------------


def test_other_organisation_ids_answer_404(world, web_client):
    beta_team = Team.objects.get(organisation=world.other_org)
    beta_member = world.other_org_rep
    for role in ROLES:
        client = web_client(world.by_role(role))
        assert client.get(f"/people/teams/{beta_team.pk}/").status_code == 404, role
        assert client.get(f"/people/members/{beta_member.pk}/").status_code == 404, role
    admin = web_client(world.admin)
    before = _snapshot(world)
    for url in [
        f"/people/teams/{beta_team.pk}/edit/",
        f"/people/members/{beta_member.pk}/placement/",
        f"/people/members/{beta_member.pk}/about/",
    ]:
        assert admin.get(url).status_code == 404, url
        assert admin.post(url, {"name": "x", "title": "x", "strengths": "x"}).status_code == 404, (
            url
        )
    assert _snapshot(world) == before
    # missing ids answer the same
    assert admin.get("/people/teams/999999/").status_code == 404
    assert admin.get("/people/members/999999/").status_code == 404


def test_access_team_is_what_the_team_page_uses(world):
    beta_team = Team.objects.get(organisation=world.other_org)
    from saleshelm.core.errors import NotFound

    with pytest.raises(NotFound):
        access_team(actor=world.admin, id=beta_team.pk)


# --- Vietnamese ---------------------------------------------------------------------------------------------


def test_people_pages_in_vietnamese(world, web_client):
    client = web_client(world.admin)
    teams = client.get("/people/teams/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Cây nhóm" in teams
    assert "Nhóm mới" in teams  # New team
    assert "2 thành viên" in teams
    members = client.get("/people/members/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Thành viên" in members
    assert "Tìm kiếm" in members
    my_role = client.get("/people/my-role/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Kỳ vọng đối với tôi" in my_role


def test_vietnamese_dates_use_the_locale(world, web_client):
    MemberProfile.objects.filter(pk=world.rep.pk).update(start_date=dt.date(2024, 3, 4))
    body = (
        web_client(world.rep)
        .get(f"/people/members/{world.rep.pk}/", HTTP_ACCEPT_LANGUAGE="vi")
        .content.decode()
    )
    assert "March 4, 2024" not in body
    assert "2024" in body and "tháng 3" in body

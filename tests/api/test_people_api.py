import pytest
from django.test import Client

from saleshelm.tenancy.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_missing_or_bad_token_is_401_json(world):
    assert Client().get("/api/v1/members").json()["code"] == "unauthenticated"
    r = Client(headers={"Authorization": "Bearer shk_nope"}).get("/api/v1/members")
    assert r.status_code == 401 and r.json()["code"] == "unauthenticated"


def test_validation_errors_name_the_field(world, api_client):
    r = api_client(world.admin).post(
        "/api/v1/members", data={"email": "x@acme.test"}, content_type="application/json"
    )
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "invalid" and body["errors"][0]["field"] == "name"


def test_admin_creates_a_member_placed_in_a_team(world, api_client):
    team = world.rep.profile.team
    r = api_client(world.admin).post(
        "/api/v1/members",
        data={
            "email": "hoa@acme.test",
            "name": "Phạm Thị Hoa",
            "role": "rep",
            "team_id": team.pk,
            "title": "Account Executive",
            "start_date": "2026-01-05",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["team"] == {"id": team.pk, "name": team.name}
    assert body["name"] == "Phạm Thị Hoa" and body["start_date"] == "2026-01-05"


def test_placing_a_member_in_another_organisations_team_is_404_and_changes_nothing(
    world, api_client
):
    client = api_client(world.admin)
    before = AuditEntry.objects.count()
    beta_team = world.other_org_rep.profile.team
    r = client.patch(
        f"/api/v1/members/{world.rep.pk}",
        data={"team_id": beta_team.pk},
        content_type="application/json",
    )
    assert r.status_code == 404
    world.rep.profile.refresh_from_db()
    assert world.rep.profile.team.organisation_id == world.org.pk
    assert AuditEntry.objects.count() == before


def test_pagination_uses_limit_and_offset(world, api_client):
    client = api_client(world.director)
    first = client.get("/api/v1/members?limit=3&offset=0").json()
    second = client.get("/api/v1/members?limit=3&offset=3").json()
    assert first["count"] == second["count"] == 9
    assert len(first["items"]) == 3
    assert not {m["id"] for m in first["items"]} & {m["id"] for m in second["items"]}
    assert client.get("/api/v1/members?limit=0").status_code == 422


def test_member_list_query_count_does_not_grow_with_members(
    world, api_client, django_assert_max_num_queries
):
    from tests.tenancy.factories import MembershipFactory

    client = api_client(world.director)
    with django_assert_max_num_queries(4):
        client.get("/api/v1/members?limit=100")
    for _ in range(30):
        MembershipFactory(organisation=world.org)
    with django_assert_max_num_queries(4):
        assert len(client.get("/api/v1/members?limit=100").json()["items"]) == 39


def test_session_auth_needs_csrf_for_writes(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin.user)
    assert client.get("/api/v1/teams").status_code == 200
    r = client.post("/api/v1/teams", data={"name": "X"}, content_type="application/json")
    assert r.status_code in (401, 403)


def test_openapi_schema_is_served(world):
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert "/api/v1/members" in r.json()["paths"]

def test_members_list_is_scoped_to_the_callers_organisation(world, api_client):
    # given a director of Acme
    client = api_client(world.director)
    # when they list members
    r = client.get("/api/v1/members?limit=100")
    # then only Acme's members come back
    assert r.status_code == 200, r.content
    emails = {m["email"] for m in r.json()["items"]}
    assert "rep@acme.test" in emails
    assert not any(e.endswith("@beta.test") for e in emails)
    assert r.json()["count"] == len(emails)


def test_other_organisation_member_is_not_found(world, api_client):
    r = api_client(world.director).get(f"/api/v1/members/{world.other_org_rep.pk}")
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"

"""Values the database cannot hold answer 422 with the shared error shape, never 500."""

from django.db import connection


def test_an_offset_beyond_64_bits_is_invalid_input(world, api_client):
    r = api_client(world.admin).get(f"/api/v1/badges?offset={2**80}")
    assert r.status_code == 422
    assert r.json()["code"] == "invalid" and r.json()["errors"]


def test_text_with_a_nul_character(world, api_client):
    r = api_client(world.admin).post(
        "/api/v1/accounts", {"name": "Sông\x00Hồng"}, content_type="application/json"
    )
    if connection.vendor == "postgresql":  # PostgreSQL text cannot hold NUL
        assert r.status_code == 422 and "cannot be stored" in r.json()["message"]
    else:
        assert r.status_code == 201 and r.json()["name"] == "Sông\x00Hồng"

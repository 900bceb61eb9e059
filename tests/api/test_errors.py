"""Values the database cannot hold answer 422 with the shared error shape, never 500."""

import pytest
from django.db import connection


def _paginated_lists() -> list[str]:
    from saleshelm.api.urls import api

    schema = api.get_openapi_schema()
    return sorted(
        path
        for path, operations in schema["paths"].items()
        if "{" not in path
        and any(p["name"] == "offset" for p in operations.get("get", {}).get("parameters", []))
    )


@pytest.mark.parametrize("path", _paginated_lists())
def test_an_offset_beyond_64_bits_is_invalid_input_on_every_list(world, api_client, path):
    r = api_client(world.admin).get(f"{path}?offset={2**66}")
    assert r.status_code in (403, 422), (path, r.status_code)
    if r.status_code == 422:
        assert r.json()["code"] == "invalid" and r.json()["errors"]


def test_text_with_a_nul_character(world, api_client):
    r = api_client(world.admin).post(
        "/api/v1/accounts", {"name": "Sông\x00Hồng"}, content_type="application/json"
    )
    if connection.vendor == "postgresql":  # PostgreSQL text cannot hold NUL
        assert r.status_code == 422 and "cannot be stored" in r.json()["message"]
    else:
        assert r.status_code == 201 and r.json()["name"] == "Sông\x00Hồng"

"""SPEC §11.1: server-owned fields (organisation, owner where the server decides it, computed
amounts, run and statement status, locks, timestamps) cannot be written by a client.

Two ways: no write operation of the OpenAPI schema accepts such a field (a new one fails this
test), and a body that sends them anyway is read without them."""

from __future__ import annotations

import pytest

from saleshelm.api.urls import api
from saleshelm.crm.models import Account, Opportunity

pytestmark = pytest.mark.django_db

SERVER_OWNED = {
    "organisation",
    "organisation_id",
    "locked",
    "locked_at",
    "locked_by",
    "locked_by_id",
    "created_at",
    "updated_at",
    "created_by",
    "net_amount",  # an order's total: the sum of its lines
    "amount_reporting",  # converted by the server at the day's rate
    "total",  # a statement's total: the sum of its lines
    "audit",
}
# Status is the client's to set only where it is the record's own business state.
CLIENT_STATUS = {
    "PATCH /api/v1/goals/{id}",
    "POST /api/v1/leads",
    "PATCH /api/v1/leads/{id}",
    "POST /api/v1/commitments/{id}/status",
    "PATCH /api/v1/action-items/{id}",
    "PATCH /api/v1/development-plans/{id}",
    "PATCH /api/v1/development-goals/{id}",
}


def _properties(schema: dict, components: dict, seen: set[str]) -> set[str]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return set()
        return _properties(components[name], components, seen | {name})
    found = set(schema.get("properties", {}))
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            found |= _properties(sub, components, seen)
    for sub in schema.get("properties", {}).values():
        found |= _properties(sub.get("items", sub), components, seen)
    return found


def _write_bodies():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in {"post", "put", "patch"}:
                continue
            for content in operation.get("requestBody", {}).get("content", {}).values():
                yield (
                    f"{method.upper()} {path}",
                    _properties(content.get("schema", {}), components, set()),
                )


def test_no_write_operation_accepts_a_server_owned_field():
    offending = {
        op: sorted(fields & SERVER_OWNED) for op, fields in _write_bodies() if fields & SERVER_OWNED
    }
    assert offending == {}
    with_status = {op for op, fields in _write_bodies() if "status" in fields}
    assert with_status <= CLIENT_STATUS, with_status - CLIENT_STATUS


def test_server_owned_fields_sent_anyway_are_ignored(world, api_client):
    rep = api_client(world.rep)
    created = rep.post(
        "/api/v1/accounts",
        {
            "name": "Sao Mai Retail",
            "organisation_id": world.other_org.pk,
            "organisation": world.other_org.pk,
            "id": 999_999,
            "created_at": "2001-01-01T00:00:00Z",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    account = Account.objects.get(pk=created.json()["id"])
    assert account.organisation_id == world.org.pk and account.pk != 999_999
    assert account.created_at.year != 2001

    deal = rep.post(
        "/api/v1/opportunities",
        {
            "name": "Kiosk pilot",
            "account_id": account.pk,
            "amount": "1000",
            "close_date": "2026-12-31",
            "amount_reporting": "99999999",
            "organisation_id": world.other_org.pk,
        },
        content_type="application/json",
    )
    assert deal.status_code == 201, deal.content
    stored = Opportunity.objects.get(pk=deal.json()["id"])
    assert stored.organisation_id == world.org.pk
    assert stored.amount_reporting == stored.amount  # the server converted it, not the client

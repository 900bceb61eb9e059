"""Regressions for defects the reliability suite found (SPEC §11), each pinned here so it
stays fixed even when the fuzzer's random examples miss it."""

from __future__ import annotations

import pytest

from tests.crm.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sort", ["type", "-type", "owner", "-owner", "-occurred_at"])
def test_activities_sort_descending_by_a_field_with_a_descending_tie_breaker(
    world, api_client, sort
):
    """schemathesis: ``GET /api/v1/activities?sort=-owner`` answered 500 (the tie-breaker
    ``-occurred_at`` was negated into ``--occurred_at``)."""
    ActivityFactory(owner=world.rep, organisation=world.org)
    ActivityFactory(owner=world.peer, organisation=world.org)
    response = api_client(world.admin).get("/api/v1/activities", {"sort": sort})
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 2

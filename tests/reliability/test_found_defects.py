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


def test_a_plan_tier_with_an_exponent_beyond_the_decimal_context_is_a_validation_error():
    """atheris (make fuzz-plan): ``"from": "0000887848e0299464931"`` raised decimal.Overflow
    (``abs()`` rounds in the context) instead of naming the field."""
    from saleshelm.core.errors import ApplicationError
    from saleshelm.incentives import plans

    data = plans.loads(
        '{"name": "X", "currency": "USD", "components": [{"name": "C", "kind": "tiered",'
        ' "basis": "revenue", "tiers": [{"from": "0000887848e0299464931", "rate": "0.1"}]}]}'
    )
    with pytest.raises(ApplicationError) as error:
        plans.parse_plan(data)
    fields = [e["field"] for e in error.value.extra["errors"]]
    assert "components[0].tiers[0].from" in fields


@pytest.mark.parametrize("amount", ["1e999999999", "-887848e299464931", "1e-999999999"])
def test_a_dispute_adjustment_far_out_of_range_is_a_400(world, api_client, amount):
    """The same Overflow reached the API through a dispute's adjustment amount."""
    from tests.incentives.factories import close, import_plan, order, run

    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    close(world.org, run(world.org, "2026-07"))
    dispute = api_client(world.rep).post(
        "/api/v1/disputes",
        {"plan": "Flat 4", "period": "2026-07", "line": 1, "comment": "A deal is missing"},
        content_type="application/json",
    )
    assert dispute.status_code == 201, dispute.content
    response = api_client(world.finance).post(
        f"/api/v1/disputes/{dispute.json()['id']}/resolve",
        {"action": "adjust", "amount": amount, "reason": "Agreed"},
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert response.json()["field"] == "amount"

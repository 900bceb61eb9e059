"""The targets, forecasts and scorecards collections of the API, and the scheduled jobs."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from saleshelm.core.scheduler import jobs
from saleshelm.performance.models import MemberMonthFact, Target
from saleshelm.performance.selectors import board as board_module
from saleshelm.performance.tasks import rollups_rebuild_all, rollups_refresh_all
from tests.performance.factories import TargetFactory, order_line


@pytest.fixture
def on_aug16(monkeypatch):
    monkeypatch.setattr(board_module, "local_today", lambda organisation: dt.date(2026, 8, 16))


def post(client, path, body):
    return client.post(path, data=json.dumps(body), content_type="application/json")


def patch(client, path, body):
    return client.patch(path, data=json.dumps(body), content_type="application/json")


def test_target_create_read_update_delete(world, api_client):
    client = api_client(world.manager)
    r = post(
        client,
        "/api/v1/targets",
        {
            "metric": "revenue",
            "period": "2026-Q3",
            "value": "90000",
            "member_id": world.rep.pk,
            "distribution": "pattern",
            "weights": ["20", "30", "50"],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["assignee"] == {
        "type": "member",
        "id": world.rep.pk,
        "name": "Nguyễn Văn An",
        "email": "rep@acme.test",
    }
    assert (body["period"], body["value"], body["weights"], body["version"]) == (
        "2026-Q3",
        "90000.00",
        ["0.2", "0.3", "0.5"],
        1,
    )
    target_id = body["id"]
    r = patch(client, f"/api/v1/targets/{target_id}", {"value": "95000.5", "version": 1})
    assert (r.status_code, r.json()["value"], r.json()["version"]) == (200, "95000.50", 2)
    stale = patch(client, f"/api/v1/targets/{target_id}", {"value": "1", "version": 1})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    listed = client.get("/api/v1/targets?period=2026-Q3&metric=revenue").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == target_id
    assert client.delete(f"/api/v1/targets/{target_id}").status_code == 204
    assert not Target.objects.exists()


def test_target_errors_have_codes(world, api_client):
    client = api_client(world.admin)
    bad_period = post(
        client,
        "/api/v1/targets",
        {"metric": "revenue", "period": "2026-Q7", "value": "1", "member_id": world.rep.pk},
    )
    assert (bad_period.status_code, bad_period.json()["code"]) == (422, "invalid_period")
    bad_metric = post(
        client,
        "/api/v1/targets",
        {"metric": "joy", "period": "2026-Q3", "value": "1", "member_id": world.rep.pk},
    )
    assert (bad_metric.status_code, bad_metric.json()["code"]) == (422, "unknown_metric")
    other_org = post(
        client,
        "/api/v1/targets",
        {
            "metric": "revenue",
            "period": "2026-Q3",
            "value": "1",
            "member_id": world.other_org_rep.pk,
        },
    )
    assert other_org.status_code == 404
    assert not Target.objects.exists()


def test_allocate_and_check_through_the_api(world, api_client):
    team_target = TargetFactory(team=world.rep.profile.team, value=Decimal("1000"))
    client = api_client(world.manager)
    r = post(client, f"/api/v1/targets/{team_target.pk}/allocate", {})
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["allocated"], body["difference"], body["status"]) == (
        "1000.0000",
        "0.0000",
        "exact",
    )
    assert sorted(m["value"] for m in body["members"]) == ["500.0000", "500.0000"]
    r = post(
        client,
        f"/api/v1/targets/{team_target.pk}/allocate",
        {"allocations": [{"member_id": world.rep.pk, "value": "800"}]},
    )
    assert r.json()["status"] == "over"  # 800 + 500 (peer kept) = 1,300 > 1,000
    check = client.get(f"/api/v1/targets/{team_target.pk}/allocation").json()
    assert check["difference"] == "300.0000"


def test_forecast_submit_list_and_rollup(world, api_client, on_aug16):
    rep = api_client(world.rep)
    r = post(
        rep,
        "/api/v1/forecasts",
        {"period": "2026-Q3", "amount": "40000", "breakdown": {"commit": "30000"}, "note": "ok"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["breakdown"] == {"commit": "30000"}
    post(rep, "/api/v1/forecasts", {"period": "2026-Q3", "amount": "42000"})
    manager = api_client(world.manager)
    assert manager.get("/api/v1/forecasts?period=2026-Q3").json()["count"] == 2
    r = post(
        manager,
        "/api/v1/forecasts/overrides",
        {"period": "2026-Q3", "member_id": world.rep.pk, "amount": "35000", "reason": "slip"},
    )
    assert r.status_code == 201
    rollup = manager.get("/api/v1/forecasts/rollup?period=2026-Q3").json()
    row = next(x for x in rollup["rows"] if x["member"]["id"] == world.rep.pk)
    assert (row["submitted"], row["override"], row["forecast"]) == (
        "42000.00",
        "35000.00",
        "35000.00",
    )
    assert rollup["team"]["name"] == "Sales"
    assert manager.get("/api/v1/forecasts/pipeline?period=2026-Q3").status_code == 200
    accuracy = manager.get("/api/v1/forecasts/accuracy?period=2026-Q3").json()
    assert accuracy["closed"] is False


def test_scorecard_detail(world, api_client, on_aug16):
    TargetFactory(member=world.rep, period="2026-07", value=Decimal("1000"))
    order_line(world.rep, dt.date(2026, 7, 3), "250")
    r = api_client(world.manager).get(f"/api/v1/scorecards/{world.rep.pk}?period=2026-07")
    assert r.status_code == 200
    card = r.json()
    revenue = next(line for line in card["outcomes"] if line["metric"] == "revenue")
    assert (revenue["target"], revenue["actual"], revenue["attainment"]) == (
        "1000.00",
        "250.00",
        "0.2500",
    )
    assert {line["metric"] for line in card["behaviours"]} >= {"calls", "meetings", "demos"}
    assert api_client(world.rep).get(f"/api/v1/scorecards/{world.peer.pk}").status_code == 404


def test_rollup_jobs_are_scheduled_and_run(world):
    names = {job.name: job for job in jobs()}
    assert names["performance.rollups_refresh"].schedule.describe() == "every 5 min"
    assert names["performance.rollups_rebuild"].schedule.describe() == "daily at 02:30"
    order_line(world.rep, dt.date(2026, 7, 3), "250")
    assert rollups_refresh_all.call() >= 1
    assert MemberMonthFact.objects.filter(member=world.rep).exists()
    assert rollups_rebuild_all.call() >= 2

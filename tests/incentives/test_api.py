"""The commission API: SPEC §7's statement JSON, scoping, runs, plans, disputes, payroll."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleshelm.incentives.models import CommissionRun, RunStatus, Statement
from saleshelm.performance.services.targets import target_create
from saleshelm.tenancy.models import AuditEntry
from tests.incentives.factories import (
    D,
    close,
    import_plan,
    order,
    plan_data,
    run,
    statement,
    system,
)
from tests.incentives.test_plans import SPEC_PLAN

pytestmark = pytest.mark.django_db


def _spec_world(world):
    """SPEC §7's plan for rep and peer; rep's Q3 target 200,000; in July a 10-unit XS-400
    order (3,000, category Scanners) and 150,000 of Software."""
    from saleshelm.incentives import services
    from saleshelm.incentives.plans import loads

    services.plan_import(actor=world.finance, data=loads(SPEC_PLAN))
    target_create(
        actor=system(world.org), metric="revenue", period="2026-Q3", value=200000, member=world.rep
    )
    order(
        world.rep,
        "2026-07-01",
        {"amount": 3000, "sku": "XS-400", "quantity": 10, "category": "Scanners"},
        external_id="SO-1001",
    )
    order(world.rep, "2026-07-02", {"amount": 150000, "sku": "SW-100"}, external_id="SO-1002")
    run(world.org, "2026-07")


def test_statements_answer_exactly_the_spec_json(world, api_client):
    _spec_world(world)
    response = api_client(world.finance).get("/api/v1/commission-statements?period=2026-07")
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == "2026-07"
    rep = next(s for s in body["statements"] if s["member"]["email"] == "rep@acme.test")
    # attainment 150,000 / 200,000 = 0.75: 0.5–0.75 of the quota (50,000) at 10 % = 5,000;
    # the SPIFF pays 250 for 10 XS-400; 5,250 is above the 2,000 draw
    assert rep == {
        "member": {"email": "rep@acme.test", "name": "Nguyễn Văn An"},
        "plan": "AE 2026",
        "currency": "USD",
        "status": "calculated",
        "total": "5250.00",
        "lines": [
            {
                "kind": "tier",
                "component": "New revenue",
                "basis": "50000.00",
                "rate": "0.10",
                "amount": "5000.00",
            },
            {
                "kind": "spiff",
                "component": "Scanner push",
                "basis": "10",
                "rate": None,
                "amount": "250.00",
            },
        ],
        "credits": [
            {
                "order": "SO-1001",
                "line": 1,
                "sku": "XS-400",
                "credited": "3000.00",
                "share": "1.00",
            },
            {
                "order": "SO-1002",
                "line": 1,
                "sku": "SW-100",
                "credited": "150000.00",
                "share": "1.00",
            },
        ],
    }
    # peer earned nothing and has no target: the 2,000 draw is paid
    peer = next(s for s in body["statements"] if s["member"]["email"] == "peer@acme.test")
    assert peer["lines"] == [
        {"kind": "draw", "component": None, "basis": "0.00", "rate": None, "amount": "2000.00"}
    ]


def test_each_role_sees_the_statements_it_may(world, api_client):
    import_plan(world.org, [world.rep, world.peer, world.other_rep, world.manager])
    for m in (world.rep, world.peer, world.other_rep, world.manager):
        order(m, "2026-07-05", {"amount": 1000})
    run(world.org, "2026-07")

    def emails(member):
        r = api_client(member).get("/api/v1/commission-statements?period=2026-07")
        return r.status_code, sorted(s["member"]["email"] for s in r.json().get("statements", []))

    everyone = sorted(["rep@acme.test", "peer@acme.test", "other@acme.test", "manager@acme.test"])
    assert emails(world.rep) == (200, ["rep@acme.test"])
    assert emails(world.manager) == (
        200,
        sorted(["rep@acme.test", "peer@acme.test", "manager@acme.test"]),
    )
    for m in (world.finance, world.admin, world.director):
        assert emails(m) == (200, everyone)
    assert api_client(world.viewer).get("/api/v1/commission-statements").status_code == 403
    # no period: the latest one with a statement
    assert api_client(world.rep).get("/api/v1/commission-statements").json()["period"] == "2026-07"


def test_statement_detail_has_ids_notes_and_the_summary(world, api_client):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    run(world.org, "2026-07")
    s = statement(world.rep, "2026-07")
    body = api_client(world.rep).get(f"/api/v1/commission-statements/{s.pk}").json()
    assert body["id"] == s.pk and body["period"] == "2026-07"
    assert body["lines"][0]["id"] == s.lines.get().pk
    assert body["summary"]["components"]["Revenue"]["basis"] == "1000.00"
    assert api_client(world.peer).get(f"/api/v1/commission-statements/{s.pk}").status_code == 404


def test_the_statement_list_costs_the_same_queries_for_few_and_many(world, api_client):
    import_plan(world.org, [world.rep, world.peer, world.other_rep, world.manager])
    client = api_client(world.finance)
    order(world.rep, "2026-07-05", {"amount": 1000})
    run(world.org, "2026-07")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/commission-statements?period=2026-07").status_code == 200
        return len(ctx.captured_queries)

    count()  # the first call of a token also records its use
    few = count()
    for m in (world.peer, world.other_rep, world.manager):
        order(m, "2026-07-06", {"amount": 500}, external_id=None)
        order(m, "2026-07-07", {"amount": 700})
    run(world.org, "2026-07")
    assert Statement.objects.filter(period="2026-07").count() == 4
    assert count() == few


def test_run_lifecycle_through_the_api(world, api_client):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    finance = api_client(world.finance)
    created = finance.post(
        "/api/v1/commission-runs",
        {"period": "2026-07", "status": "locked"},  # status is the server's
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["status"] == "draft"
    rid = created.json()["id"]
    assert finance.post(f"/api/v1/commission-runs/{rid}/approve").status_code == 409
    calculated = finance.post(f"/api/v1/commission-runs/{rid}/calculate")
    assert calculated.status_code == 200 and calculated.json()["status"] == "calculated"
    assert calculated.json()["summary"]["totals"] == {"USD": "40.00"}
    assert finance.post(f"/api/v1/commission-runs/{rid}/approve").json()["status"] == "approved"
    assert finance.post(f"/api/v1/commission-runs/{rid}/lock").json()["status"] == "locked"
    again = finance.post(f"/api/v1/commission-runs/{rid}/calculate")
    assert again.status_code == 409 and again.json()["code"] == "run_closed"
    # unlocking: an admin, with a reason
    assert (
        finance.post(
            f"/api/v1/commission-runs/{rid}/unlock",
            {"reason": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    admin = api_client(world.admin)
    blank = admin.post(
        f"/api/v1/commission-runs/{rid}/unlock", {"reason": " "}, content_type="application/json"
    )
    assert blank.status_code == 400 and blank.json()["field"] == "reason"
    assert CommissionRun.objects.get(pk=rid).status == RunStatus.LOCKED
    unlocked = admin.post(
        f"/api/v1/commission-runs/{rid}/unlock",
        {"reason": "Late cancellation"},
        content_type="application/json",
    )
    assert unlocked.status_code == 200 and unlocked.json()["status"] == "calculated"
    assert AuditEntry.objects.filter(action="commission_run.unlock", reason="Late cancellation")
    # a second run of the same period and plan is refused
    dup = finance.post(
        "/api/v1/commission-runs", {"period": "2026-07"}, content_type="application/json"
    )
    assert dup.status_code == 409


def test_no_api_write_reaches_a_locked_statement(world, api_client):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    r = close(world.org, run(world.org, "2026-07"))
    s = statement(world.rep, "2026-07")
    before = (s.total, s.updated_at, list(s.lines.values_list("amount", flat=True)))
    admin = api_client(world.admin)
    for method in ("put", "patch", "delete"):
        response = getattr(admin, method)(
            f"/api/v1/commission-statements/{s.pk}", {"total": "1"}, content_type="application/json"
        )
        assert response.status_code == 405
    assert admin.post(f"/api/v1/commission-runs/{r.pk}/calculate").status_code == 409
    s.refresh_from_db()
    assert (s.total, s.updated_at, list(s.lines.values_list("amount", flat=True))) == before


def test_plans_through_the_api(world, api_client):
    finance = api_client(world.finance)
    body = SPEC_PLAN.replace('"0.10"', "0.10")  # a JSON number is read as a decimal
    created = finance.post("/api/v1/commission-plans", body, content_type="application/json")
    assert created.status_code == 201
    plan = created.json()
    assert plan["name"] == "AE 2026" and plan["version"] == 1
    assert plan["definition"]["components"][0]["tiers"][1] == {"from": "0.5", "rate": "0.10"}
    exported = finance.get(f"/api/v1/commission-plans/{plan['id']}/export").json()
    assert exported == json.loads(SPEC_PLAN)
    # validation errors name the path
    bad = json.loads(SPEC_PLAN)
    bad["components"][0]["tiers"][2]["from"] = "0.2"
    refused = finance.post("/api/v1/commission-plans", bad, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["message"] == "components[0].tiers[2].from: tiers must ascend"
    assert refused.json()["errors"][0]["field"] == "components[0].tiers[2].from"
    # the rep covered by the plan reads it; a viewer reads no plan
    assert api_client(world.rep).get("/api/v1/commission-plans").json()["count"] == 1
    assert api_client(world.other_rep).get("/api/v1/commission-plans").json()["count"] == 0
    assert api_client(world.viewer).get("/api/v1/commission-plans").status_code == 403
    listed = finance.get("/api/v1/commission-plans").json()["items"][0]
    assert listed["versions"][0]["effective_from"] == "2026-01-01"


def test_disputes_through_the_api(world, api_client):
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    close(world.org, run(world.org, "2026-07"))
    rep = api_client(world.rep)
    created = rep.post(
        "/api/v1/disputes",
        {"plan": "Flat 4", "period": "2026-07", "line": 1, "comment": "A deal is missing"},
        content_type="application/json",
    )
    assert created.status_code == 201
    dispute = created.json()
    assert dispute["status"] == "open" and dispute["line"]["amount"] == "40.00"
    assert rep.get("/api/v1/disputes").json()["count"] == 1
    assert api_client(world.peer).get(f"/api/v1/disputes/{dispute['id']}").status_code == 404
    assert (
        rep.post(
            f"/api/v1/disputes/{dispute['id']}/resolve",
            {"action": "reject", "reason": "x"},
            content_type="application/json",
        ).status_code
        == 403
    )
    resolved = api_client(world.finance).post(
        f"/api/v1/disputes/{dispute['id']}/resolve",
        {"action": "adjust", "amount": "12.5", "reason": "Agreed"},
        content_type="application/json",
    )
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "adjusted"
    assert resolved.json()["adjustment_amount"] == "12.50"


def test_payroll_export_neutralises_formulas(world, api_client):
    world.rep.user.full_name = '=HYPERLINK("http://x")'
    world.rep.user.save()
    import_plan(world.org, [world.rep, world.peer], clawback_days=90)
    deal = order(world.peer, "2026-06-05", {"amount": 1000})
    order(world.rep, "2026-07-05", {"amount": 1000})
    run(world.org, "2026-06")
    line = deal.lines.get()
    line.status, line.status_date = "cancelled", "2026-07-02"
    line.save()
    r = run(world.org, "2026-07")
    finance = api_client(world.finance)
    csv_response = finance.get(f"/api/v1/commission-runs/{r.pk}/payroll")
    assert csv_response.status_code == 200
    assert csv_response["Content-Type"].startswith("text/csv")
    text = csv_response.content.decode()
    assert text.splitlines()[0] == "member_email,member_name,plan,period,currency,total,status"
    assert "'=HYPERLINK" in text
    assert ",-40.00," in text  # a negative amount stays a number
    xlsx = finance.get(f"/api/v1/commission-runs/{r.pk}/payroll?format=xlsx")
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, str) and c.value.startswith("'=HYPERLINK") for c in cells)
    assert D(
        str(next(c.value for c in cells if c.value is not None and str(c.value) == "-40"))
    ) == D(-40)
    assert api_client(world.rep).get(f"/api/v1/commission-runs/{r.pk}/payroll").status_code == 403


def test_a_plan_is_imported_with_its_members_only_from_this_organisation(world, api_client):
    data = plan_data([world.rep])
    data["members"].append("admin@beta.test")
    response = api_client(world.admin).post(
        "/api/v1/commission-plans", data, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["field"] == "members[1]"


def test_out_of_range_input_is_a_clear_400(world, api_client):
    finance = api_client(world.finance)
    for period in ("9999-Q4", "2026-13", "July"):
        r = finance.post(
            "/api/v1/commission-runs", {"period": period}, content_type="application/json"
        )
        assert r.status_code == 400 and r.json()["code"] == "invalid_period", period
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    close(world.org, run(world.org, "2026-07"))
    line = statement(world.rep, "2026-07").lines.get()
    dispute = (
        api_client(world.rep)
        .post(
            "/api/v1/disputes",
            {"line_id": line.pk, "comment": "x"},
            content_type="application/json",
        )
        .json()
    )
    for amount in ("1e30", "abc", "0"):
        r = finance.post(
            f"/api/v1/disputes/{dispute['id']}/resolve",
            {"action": "adjust", "amount": amount, "reason": "r"},
            content_type="application/json",
        )
        assert r.status_code == 400, amount

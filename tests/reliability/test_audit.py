"""SPEC §11.9: every change to plans, assignments, targets, runs, statements, adjustments,
payouts, roles and memberships writes one audit row (that the rows are append-only:
tests/tenancy/test_services.py); a refused request is logged.

One walk through the API as the people who do these things, counting the audit rows each
call adds: one per change, with the action that names it, and none for a refusal."""

from __future__ import annotations

import logging

import pytest

from saleshelm.tenancy.models import AuditEntry
from tests.incentives.factories import import_plan, order
from tests.incentives.test_plans import SPEC_PLAN

pytestmark = pytest.mark.django_db


class Ledger:
    """The audit rows a call adds."""

    def __init__(self, org):
        self.org = org
        self.seen = self._last()

    def _last(self) -> int:
        last = AuditEntry.objects.filter(organisation=self.org).order_by("-pk").first()
        return last.pk if last else 0

    def added(self) -> list[str]:
        rows = list(
            AuditEntry.objects.filter(organisation=self.org, pk__gt=self.seen)
            .order_by("pk")
            .values_list("action", flat=True)
        )
        self.seen = self._last()
        return rows


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def test_each_change_writes_one_audit_row_and_a_refusal_writes_none(world, api_client):
    finance, admin, director, rep = (
        api_client(world.finance),
        api_client(world.admin),
        api_client(world.director),
        api_client(world.rep),
    )
    ledger = Ledger(world.org)  # from here: the clients' tokens are made
    J = "application/json"

    # plans and their assignments
    _ok(finance.post("/api/v1/commission-plans", SPEC_PLAN, content_type=J), 201)
    added = ledger.added()
    assert added[0] == "commission_plan.import", added
    assert set(added[1:]) <= {"commission_assignment.create"}, added

    # targets: set, change, remove
    target = _ok(
        director.post(
            "/api/v1/targets",
            {"metric": "revenue", "period": "2026-Q3", "value": "90000", "member_id": world.rep.pk},
            content_type=J,
        ),
        201,
    )
    assert ledger.added() == ["target.create"]
    _ok(director.patch(f"/api/v1/targets/{target['id']}", {"value": "95000"}, content_type=J))
    assert ledger.added() == ["target.update"]
    _ok(director.delete(f"/api/v1/targets/{target['id']}"), 204)
    assert ledger.added() == ["target.delete"]

    # a run: create, calculate (statements), approve, lock, unlock with a reason
    import_plan(world.org, [world.rep])
    order(world.rep, "2026-07-05", {"amount": 1000})
    ledger.added()
    run = _ok(finance.post("/api/v1/commission-runs", {"period": "2026-07"}, content_type=J), 201)
    assert ledger.added() == ["commission_run.create"]
    for step in ("calculate", "approve", "lock"):
        _ok(finance.post(f"/api/v1/commission-runs/{run['id']}/{step}"))
        assert ledger.added() == [f"commission_run.{step}"], step
    _ok(
        admin.post(
            f"/api/v1/commission-runs/{run['id']}/unlock",
            {"reason": "Late cancellation"},
            content_type=J,
        )
    )
    assert ledger.added() == ["commission_run.unlock"]
    unlock = AuditEntry.objects.filter(action="commission_run.unlock").get()
    assert unlock.reason == "Late cancellation" and unlock.actor_id == world.admin.pk

    # a statement line disputed, then adjusted (the correction of a payout)
    for step in ("calculate", "approve", "lock"):
        _ok(finance.post(f"/api/v1/commission-runs/{run['id']}/{step}"))
    ledger.added()
    dispute = _ok(
        rep.post(
            "/api/v1/disputes",
            {"plan": "Flat 4", "period": "2026-07", "line": 1, "comment": "A deal is missing"},
            content_type=J,
        ),
        201,
    )
    assert ledger.added() == ["commission_dispute.create"]
    _ok(
        finance.post(
            f"/api/v1/disputes/{dispute['id']}/resolve",
            {"action": "adjust", "amount": "12.5", "reason": "Agreed"},
            content_type=J,
        )
    )
    assert ledger.added() == ["commission_dispute.adjust"]

    # the payroll file of the locked run (what is paid out)
    payroll = finance.get(f"/api/v1/commission-runs/{run['id']}/payroll")
    assert payroll.status_code == 200
    assert ledger.added() == ["commission_run.payroll_export"]

    # memberships and roles
    member = _ok(
        admin.post(
            "/api/v1/members",
            {"email": "new.rep@acme.test", "name": "New Rep", "role": "rep"},
            content_type=J,
        ),
        201,
    )
    assert ledger.added() == ["membership.create"]
    _ok(admin.patch(f"/api/v1/members/{member['id']}", {"role": "manager"}, content_type=J))
    assert ledger.added() == ["membership.role_change"]
    _ok(admin.patch(f"/api/v1/members/{member['id']}", {"is_active": False}, content_type=J))
    assert len(ledger.added()) == 1

    # refusals change nothing and write no row
    assert finance.patch(
        f"/api/v1/members/{member['id']}", {"role": "admin"}, content_type=J
    ).status_code in (403, 404)
    assert (
        rep.post("/api/v1/commission-runs", {"period": "2026-08"}, content_type=J).status_code
        == 403
    )
    assert ledger.added() == []


@pytest.mark.parametrize(
    ("role", "method", "path", "body"),
    [
        ("rep", "post", "/api/v1/commission-runs", {"period": "2026-08"}),  # the API: 403
        ("viewer", "get", "/api/v1/commission-plans", None),
        ("rep", "get", "/performance/team/", None),  # a page: 403
        ("rep", "get", "/development/team/", None),
    ],
)
def test_a_refused_request_is_logged_with_its_path_and_actor(
    world, api_client, web_client, caplog, role, method, path, body
):
    member = getattr(world, role)
    client = api_client(member) if path.startswith("/api/") else web_client(member)
    with caplog.at_level(logging.WARNING, logger="saleshelm.security"):
        if body is None:
            response = getattr(client, method)(path)
        else:
            response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code == 403
    records = [r.getMessage() for r in caplog.records if r.name == "saleshelm.security"]
    assert any(path in m and str(member.pk) in m for m in records), records

"""The pay desk pages: finance creates, calculates, approves and locks runs and takes the
payroll file; a rep disputes a line of their own statement; finance settles the dispute.
Every write goes through the services (the audit rows prove it), bad input changes nothing,
and a locked run refuses every write."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from saleshelm.incentives.models import CommissionRun, Dispute, RunStatus, Statement
from saleshelm.tenancy.models import AuditEntry
from tests.incentives.factories import D, close, import_plan, order, run, statement

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _july(world) -> CommissionRun:
    """A flat 4% plan: the rep sells 1,000 + 500 (60.00), the peer 2,000 (80.00)."""
    import_plan(world.org, [world.rep, world.peer], name="AE 2026")
    order(world.rep, "2026-07-05", {"amount": 1000}, external_id="SO-7001")
    order(world.rep, "2026-07-20", {"amount": 500}, external_id="SO-7002")
    order(world.peer, "2026-07-09", {"amount": 2000}, external_id="SO-7003")
    return run(world.org, "2026-07")


def statement_of(email: str) -> Statement:
    return Statement.objects.get(member__user__email=email, period="2026-07")


def _audits(org, action: str) -> int:
    return AuditEntry.objects.filter(organisation=org, action=action).count()


def _state(org) -> list:
    """What a refused write must leave as it was: runs, statements, disputes."""
    return [
        list(CommissionRun.objects.filter(organisation=org).values_list("pk", "status")),
        list(
            Statement.objects.filter(organisation=org).values_list(
                "pk", "status", "total", "updated_at"
            )
        ),
        list(Dispute.objects.filter(organisation=org).values_list("pk", "status")),
        AuditEntry.objects.filter(organisation=org).count(),
    ]


# --- runs -----------------------------------------------------------------------------------


def test_finance_sees_the_runs_with_status_totals_and_who_approved(world, web_client):
    r = _july(world)
    close(world.org, r, lock=False)
    body = web_client(world.finance).get(reverse("motivation:runs")).content.decode()
    assert "2026-07" in body and "Approved" in body
    assert "140.00" in body  # 60 + 80
    assert "New run" in body
    director = web_client(world.director).get(reverse("motivation:runs"))
    assert director.status_code == 200 and "New run" not in director.content.decode()
    for role in ("rep", "manager", "viewer"):
        assert web_client(world.by_role(role)).get(reverse("motivation:runs")).status_code == 403


def test_the_run_page_lists_statements_and_the_steps_its_status_allows(world, web_client):
    r = _july(world)
    body = web_client(world.finance).get(reverse("motivation:run", args=[r.pk])).content.decode()
    assert "Nguyễn Văn An" in body and "Trần Thị Bình" in body
    assert "60.00" in body and "80.00" in body and "140.00" in body
    assert ">Recalculate<" in body and ">Approve<" in body and ">Lock<" not in body
    assert "Payroll CSV" in body
    for email in ("rep@acme.test", "peer@acme.test"):
        row = re.search(rf'data-member="{email}">(.*?)</tr>', body, re.S)
        assert row is not None
        counted = re.findall(r'<td class="num">(\d+)</td>', row.group(1))
        assert counted == [str(statement_of(email).lines.count())]
    director = web_client(world.director).get(reverse("motivation:run", args=[r.pk]))
    assert director.status_code == 200
    assert ">Approve<" not in director.content.decode()


def test_new_run_calculate_approve_lock_through_the_pages(world, web_client):
    import_plan(world.org, [world.rep], name="AE 2026")
    order(world.rep, "2026-08-03", {"amount": 2500})
    client = web_client(world.finance)
    response = client.post(reverse("motivation:run_create"), {"period": "2026-08", "plan": ""})
    created = CommissionRun.objects.get(organisation=world.org, period="2026-08")
    assert response.status_code == 302 and response["Location"].endswith(f"/runs/{created.pk}/")
    assert created.status == RunStatus.DRAFT and _audits(world.org, "commission_run.create") == 1

    for action, status in (
        ("calculate", RunStatus.CALCULATED),
        ("approve", RunStatus.APPROVED),
        ("lock", RunStatus.LOCKED),
    ):
        url = reverse("motivation:run_action", args=[created.pk, action])
        assert client.post(url).status_code == 302
        created.refresh_from_db()
        assert created.status == status
        assert _audits(world.org, f"commission_run.{action}") == 1
    assert statement(world.rep, "2026-08").total == D("100.00")
    page = client.get(reverse("motivation:run", args=[created.pk])).content.decode()
    assert "Phuong Finance" in page  # approved and locked by
    assert "This run is locked" in page


def test_a_run_for_one_plan(world, web_client):
    version = import_plan(world.org, [world.rep], name="AE 2026")
    client = web_client(world.finance)
    client.post(
        reverse("motivation:run_create"), {"period": "2026-q3", "plan": str(version.plan_id)}
    )
    created = CommissionRun.objects.get(organisation=world.org)
    assert created.period == "2026-Q3" and created.plan_id == version.plan_id


@pytest.mark.parametrize(
    "data",
    [
        {"period": "not a period"},
        {"period": ""},
        {"period": "99999-13"},
        {"period": "2026-07", "plan": "999999"},
    ],
)
def test_bad_run_input_changes_nothing(world, web_client, data):
    _july(world)
    before = _state(world.org)
    response = web_client(world.finance).post(reverse("motivation:run_create"), data)
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert _state(world.org) == before


def test_a_second_run_of_the_same_period_is_refused_on_the_form(world, web_client):
    _july(world)
    before = _state(world.org)
    response = web_client(world.finance).post(
        reverse("motivation:run_create"), {"period": "2026-07"}
    )
    assert "A run of this period and plan already exists." in response.content.decode()
    assert _state(world.org) == before


def test_a_locked_run_refuses_every_write_and_says_so(world, web_client):
    r = close(world.org, _july(world), lock=True)
    client = web_client(world.finance)
    before = _state(world.org)
    for action in ("calculate", "approve", "lock"):
        response = client.post(reverse("motivation:run_action", args=[r.pk, action]), follow=True)
        assert response.status_code == 200
        assert "message-error" in response.content.decode()
    assert _state(world.org) == before
    body = client.get(reverse("motivation:run", args=[r.pk])).content.decode()
    assert "Recalculate" not in body and ">Approve<" not in body


def test_calculating_an_approved_run_shows_why_not(world, web_client):
    r = close(world.org, _july(world), lock=False)
    response = web_client(world.finance).post(
        reverse("motivation:run_action", args=[r.pk, "calculate"]), follow=True
    )
    assert "is not recalculated" in response.content.decode()


def test_only_an_admin_unlocks_and_only_with_a_reason(world, web_client):
    r = close(world.org, _july(world), lock=True)
    url = reverse("motivation:run_unlock", args=[r.pk])
    before = _state(world.org)
    assert web_client(world.finance).post(url, {"reason": "Missed order"}).status_code == 403
    response = web_client(world.admin).post(url, {"reason": "   "}, follow=True)
    assert "Say why the run is unlocked." in response.content.decode()
    assert _state(world.org) == before
    admin_page = web_client(world.admin).get(reverse("motivation:run", args=[r.pk]))
    assert "Unlock this run" in admin_page.content.decode()
    web_client(world.admin).post(url, {"reason": "A cancelled order was missed"})
    r.refresh_from_db()
    assert r.status == RunStatus.CALCULATED
    entry = AuditEntry.objects.get(organisation=world.org, action="commission_run.unlock")
    assert entry.reason == "A cancelled order was missed"


def test_payroll_download_is_the_api_file_and_is_audited(world, web_client, api_client):
    r = close(world.org, _july(world), lock=True)
    response = web_client(world.finance).get(reverse("motivation:run_payroll", args=[r.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="payroll-2026-07.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(row["member_email"], row["total"], row["status"]) for row in rows} == {
        ("rep@acme.test", "60.00", "locked"),
        ("peer@acme.test", "80.00", "locked"),
    }
    api = api_client(world.finance).get(f"/api/v1/commission-runs/{r.pk}/payroll")
    assert api.content == response.content
    assert _audits(world.org, "commission_run.payroll_export") == 2
    xlsx = web_client(world.director).get(
        reverse("motivation:run_payroll", args=[r.pk]) + "?format=xlsx"
    )
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")
    assert (
        web_client(world.rep).get(reverse("motivation:run_payroll", args=[r.pk])).status_code == 403
    )


def test_another_organisations_run_and_dispute_answer_404(world, web_client):
    import_plan(world.other_org, [world.other_org_rep], currency="VND")
    order(world.other_org_rep, "2026-07-05", {"amount": 1000})
    theirs = run(world.other_org, "2026-07")
    line = statement(world.other_org_rep, "2026-07").lines.first()
    from saleshelm.incentives.services import dispute_create

    dispute = dispute_create(actor=world.other_org_rep, line=line, comment="mine")
    client = web_client(world.finance)
    before = _state(world.other_org)
    assert client.get(reverse("motivation:run", args=[theirs.pk])).status_code == 404
    for action in ("calculate", "approve", "lock"):
        url = reverse("motivation:run_action", args=[theirs.pk, action])
        assert client.post(url).status_code == 404
    assert client.get(reverse("motivation:run_payroll", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("motivation:dispute", args=[dispute.pk])).status_code == 404
    resolve = {"action": "reject", "reason": "no"}
    assert client.post(reverse("motivation:dispute", args=[dispute.pk]), resolve).status_code == 404
    rep = web_client(world.rep)
    url = reverse("motivation:line_dispute", args=[line.pk])
    assert rep.post(url, {f"line{line.pk}-comment": "x"}).status_code == 404
    assert _state(world.other_org) == before


# --- disputes -------------------------------------------------------------------------------


def _rep_line(world):
    _july(world)
    s = statement(world.rep, "2026-07")
    return s, s.lines.order_by("position").first()


def test_a_rep_disputes_a_line_of_their_own_statement(world, web_client):
    s, line = _rep_line(world)
    client = web_client(world.rep)
    page = client.get(reverse("motivation:statement", args=[s.pk])).content.decode()
    assert "Dispute this line" in page
    url = reverse("motivation:line_dispute", args=[line.pk])
    response = client.post(url, {f"line{line.pk}-comment": "SO-7009 was mine too"})
    assert response.status_code == 302
    d = Dispute.objects.get(line=line)
    assert d.status == "open" and d.comment == "SO-7009 was mine too" and d.member == world.rep
    assert _audits(world.org, "commission_dispute.create") == 1
    page = client.get(reverse("motivation:statement", args=[s.pk])).content.decode()
    assert "SO-7009 was mine too" in page and "Open" in page
    assert "Dispute this line" not in page  # the only line has an open dispute


def test_disputing_with_htmx_answers_the_line_in_place(world, web_client):
    _s, line = _rep_line(world)
    url = reverse("motivation:line_dispute", args=[line.pk])
    response = web_client(world.rep).post(url, {f"line{line.pk}-comment": "Too low"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and f'id="dispute-cell-{line.pk}"' in body
    assert "Sent to finance." in body and "<html" not in body
    empty = web_client(world.rep).post(url, {f"line{line.pk}-comment": " "}, **HTMX)
    assert "field-error" in empty.content.decode()
    assert Dispute.objects.count() == 1


@pytest.mark.parametrize("comment", ["", "   ", "x" * 2001])
def test_a_dispute_without_a_usable_comment_changes_nothing(world, web_client, comment):
    _s, line = _rep_line(world)
    before = _state(world.org)
    url = reverse("motivation:line_dispute", args=[line.pk])
    response = web_client(world.rep).post(url, {f"line{line.pk}-comment": comment}, follow=True)
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    assert _state(world.org) == before


def test_a_second_open_dispute_on_one_line_is_refused(world, web_client):
    _s, line = _rep_line(world)
    url = reverse("motivation:line_dispute", args=[line.pk])
    client = web_client(world.rep)
    client.post(url, {f"line{line.pk}-comment": "first"})
    before = _state(world.org)
    response = client.post(url, {f"line{line.pk}-comment": "again"}, follow=True)
    assert "This line already has an open dispute." in response.content.decode()
    assert _state(world.org) == before


def test_only_the_member_paid_disputes_a_line(world, web_client):
    s, line = _rep_line(world)
    url = reverse("motivation:line_dispute", args=[line.pk])
    data = {f"line{line.pk}-comment": "not yours"}
    before = _state(world.org)
    assert web_client(world.manager).post(url, data).status_code == 403
    assert web_client(world.finance).post(url, data).status_code == 403
    assert web_client(world.peer).post(url, data).status_code == 404
    assert web_client(world.viewer).post(url, data).status_code == 403
    assert _state(world.org) == before
    manager_page = web_client(world.manager).get(reverse("motivation:statement", args=[s.pk]))
    assert "Dispute this line" not in manager_page.content.decode()


def _open_dispute(world) -> Dispute:
    _s, line = _rep_line(world)
    from saleshelm.incentives.services import dispute_create

    return dispute_create(actor=world.rep, line=line, comment="SO-7009 was mine too")


def test_finance_sees_open_disputes_first(world, web_client):
    first = _open_dispute(world)
    peer_line = statement(world.peer, "2026-07").lines.first()
    from saleshelm.incentives.services import dispute_create, dispute_resolve

    second = dispute_create(actor=world.peer, line=peer_line, comment="Split missing")
    dispute_resolve(actor=world.finance, dispute=second, action="reject", reason="No split")
    body = web_client(world.finance).get(reverse("motivation:disputes")).content.decode()
    assert body.index(f"#{first.pk}<") < body.index(f"#{second.pk}<")
    only_open = web_client(world.finance).get(reverse("motivation:disputes") + "?status=open")
    assert f"#{second.pk}<" not in only_open.content.decode()
    mine = web_client(world.rep).get(reverse("motivation:disputes")).content.decode()
    assert f"#{first.pk}<" in mine and f"#{second.pk}<" not in mine
    assert web_client(world.viewer).get(reverse("motivation:disputes")).status_code == 403


def test_finance_settles_with_an_adjustment_paid_in_the_next_period(world, web_client):
    d = _open_dispute(world)
    client = web_client(world.finance)
    page = client.get(reverse("motivation:dispute", args=[d.pk])).content.decode()
    assert "Settle this dispute" in page and "SO-7009 was mine too" in page
    response = client.post(
        reverse("motivation:dispute", args=[d.pk]),
        {"action": "adjust", "amount": "1,250.50", "reason": "SO-7009 credited to you"},
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == "adjusted" and d.adjustment_amount == D("1250.50")
    assert d.resolved_by == world.finance
    assert _audits(world.org, "commission_dispute.adjust") == 1
    # the rep reads the answer on their statement
    s = statement(world.rep, "2026-07")
    page = web_client(world.rep).get(reverse("motivation:statement", args=[s.pk])).content.decode()
    assert "Resolved with an adjustment" in page and "SO-7009 credited to you" in page
    assert "1,250.50" in page
    # and the next period's run pays it
    run(world.org, "2026-08")
    august = statement(world.rep, "2026-08")
    assert august.total == D("1250.50")
    d.refresh_from_db()
    assert d.placed_statement_id == august.pk
    page = web_client(world.rep).get(reverse("motivation:dispute", args=[d.pk])).content.decode()
    assert "Paid as an adjustment in 2026-08." in page


def test_finance_rejects_with_a_note(world, web_client):
    d = _open_dispute(world)
    web_client(world.admin).post(
        reverse("motivation:dispute", args=[d.pk]),
        {"action": "reject", "amount": "", "reason": "SO-7009 belongs to Bình"},
    )
    d.refresh_from_db()
    assert d.status == "rejected" and d.adjustment_amount is None
    assert _audits(world.org, "commission_dispute.reject") == 1
    page = web_client(world.finance).get(reverse("motivation:dispute", args=[d.pk]))
    assert "Settle this dispute" not in page.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "adjust", "amount": "", "reason": "no amount"},
        {"action": "adjust", "amount": "abc", "reason": "not a number"},
        {"action": "adjust", "amount": "887848e299464931", "reason": "absurd"},
        {"action": "adjust", "amount": "0", "reason": "zero"},
        {"action": "adjust", "amount": "10", "reason": ""},
        {"action": "pay", "amount": "10", "reason": "bad action"},
        {"action": "reject", "reason": "x" * 2001},
    ],
)
def test_bad_settlement_input_changes_nothing(world, web_client, data):
    d = _open_dispute(world)
    before = _state(world.org)
    response = web_client(world.finance).post(reverse("motivation:dispute", args=[d.pk]), data)
    assert response.status_code == 200
    assert "field-error" in response.content.decode() or "alert-error" in (
        response.content.decode()
    )
    assert _state(world.org) == before


def test_only_finance_and_admins_settle(world, web_client):
    d = _open_dispute(world)
    url = reverse("motivation:dispute", args=[d.pk])
    data = {"action": "reject", "reason": "no"}
    before = _state(world.org)
    for role in ("director", "manager", "rep", "viewer"):
        assert web_client(world.by_role(role)).post(url, data).status_code == 403, role
    assert _state(world.org) == before
    # the rep and their manager read it, without the form
    for role in ("rep", "manager"):
        page = web_client(world.by_role(role)).get(url)
        assert page.status_code == 200 and "Settle this dispute" not in page.content.decode()
    assert web_client(world.peer).get(url).status_code == 404


def test_settling_twice_says_it_was_settled(world, web_client):
    d = _open_dispute(world)
    url = reverse("motivation:dispute", args=[d.pk])
    client = web_client(world.finance)
    client.post(url, {"action": "reject", "reason": "no"})
    before = _state(world.org)
    response = client.post(url, {"action": "adjust", "amount": "5", "reason": "yes"}, follow=True)
    assert "This dispute was already settled." in response.content.decode()
    assert _state(world.org) == before


def test_pages_in_vietnamese(world, web_client):
    d = _open_dispute(world)
    client = web_client(world.finance)
    client.cookies["django_language"] = "vi"
    runs_page = client.get(reverse("motivation:runs"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Các đợt tính hoa hồng" in runs_page and "Đợt tính mới" in runs_page
    july = CommissionRun.objects.get(organisation=world.org, period="2026-07")
    run_page = client.get(reverse("motivation:run", args=[july.pk])).content.decode()
    assert ">Tính lại<" in run_page and ">Duyệt<" in run_page and "Bảng lương CSV" in run_page
    dispute_page = client.get(reverse("motivation:dispute", args=[d.pk])).content.decode()
    assert "Giải quyết khiếu nại này" in dispute_page and "Số tiền điều chỉnh" in dispute_page
    response = client.post(
        reverse("motivation:dispute", args=[d.pk]),
        {"action": "adjust", "amount": "1.250,5", "reason": "Đúng"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.adjustment_amount == D("1250.50")


# --- query counts ---------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_pay_desk_lists_do_not_grow_queries_with_rows(world, web_client):
    from saleshelm.incentives.services import dispute_create

    first = _july(world)
    client = web_client(world.finance)
    line = statement(world.rep, "2026-07").lines.first()
    dispute_create(actor=world.rep, line=line, comment="one")
    urls = {
        "runs": reverse("motivation:runs"),
        "disputes": reverse("motivation:disputes"),
        "run": reverse("motivation:run", args=[first.pk]),
    }
    before = {name: _queries(client, url) for name, url in urls.items()}
    # more runs, more statements in the run, more disputes
    import_plan(world.org, [world.other_rep], name="South 2026")
    order(world.other_rep, "2026-07-11", {"amount": 900})
    run(world.org, "2026-07")  # recalculated: three statements now
    close(world.org, run(world.org, "2026-06"), lock=True)
    close(world.org, run(world.org, "2026-05"), lock=False)
    for member in (world.peer, world.other_rep):
        other = statement(member, "2026-07").lines.first()
        dispute_create(actor=member, line=other, comment="two")
    after = {name: _queries(client, url) for name, url in urls.items()}
    assert after == before

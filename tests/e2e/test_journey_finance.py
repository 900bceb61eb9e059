"""Finance's pay desk, end to end in the browser (Playwright).

A plan paid by quarter (4% up to 10,000 credited, 6% above, marginal); the second quarter is
calculated, approved and locked, the third has its orders. The rep reads their Q2 statement,
disputes the 6% line (an order of 1,500 was missed) and thanks a colleague with kudos. Finance
opens the runs and the dispute, settles it with an adjustment of 90.00, creates and calculates
the Q3 run (the adjustment lands there), approves and locks it and downloads the payroll file;
the rep then reads the answer on their statement. Every amount the pages show is checked to the
cent against the API (the same services), and the payroll file against both.

Screenshots: var/screenshots/journey-finance-NN-<step>.png.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal

import pytest

from saleshelm.direction.services.mission import value_create
from saleshelm.incentives.models import CommissionRun, Dispute, Statement
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.models import AuditEntry
from tests.conftest import api_client_for, build_world
from tests.e2e.conftest import money_shown, new_page, shot, sign_in, squash
from tests.incentives.factories import close, import_plan, order, run, statement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUARTERLY = {
    "name": "AE 2026",
    "measure": "quarter",
    "pay": "quarter",
    "components": [
        {
            "name": "New revenue",
            "basis": "revenue",
            "tiers_on": "amount",
            "mode": "marginal",
            "tiers": [{"from": "0", "rate": "0.04"}, {"from": "10000", "rate": "0.06"}],
        }
    ],
}
COMMENT = "SO-2099 (1,500 on 28 June) is missing from my credit lines."
ANSWER = "SO-2099 was booked late: 1,500 at 6% is paid with Q3."
KUDOS = "Covered my Đà Nẵng visits while I was at the trade fair."


@pytest.fixture
def desk(transactional_db):
    world = build_world()
    value_create(actor=SystemActor(world.org), name="Win together")
    import_plan(world.org, [world.rep, world.peer], **QUARTERLY)
    order(world.rep, "2026-04-14", {"amount": 8000}, external_id="SO-2001")
    order(world.rep, "2026-05-20", {"amount": 4000}, external_id="SO-2002")
    order(world.peer, "2026-06-03", {"amount": 5000}, external_id="SO-2003")
    close(world.org, run(world.org, "2026-Q2"), lock=True)
    order(world.rep, "2026-07-08", {"amount": 7500}, external_id="SO-3001")
    order(world.peer, "2026-08-19", {"amount": 3000}, external_id="SO-3002")
    q2 = statement(world.rep, "2026-Q2")
    lines = list(q2.lines.order_by("position"))
    # 10,000 × 4% + 2,000 × 6% = 520.00
    assert [ln.amount for ln in lines] == [Decimal("400.00"), Decimal("120.00")]
    world.q2 = q2
    world.disputed = lines[1]
    return world


def test_finance_runs_the_pay_desk_and_settles_a_dispute(desk, browser, live_server, monkeypatch):
    # Between clicks the test reads the API in-process: the ORM must run beside Playwright.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base = live_server.url
    api = api_client_for(desk.finance)

    # --- the rep reads their Q2 statement and disputes the 6% line ---------------------------
    rep = new_page(browser)
    sign_in(rep, base, "rep@acme.test")
    rep.locator("#sidebar").get_by_role("link", name="Pay statements").click()
    rep.wait_for_url(re.compile(r".*/motivation/pay/$"))
    rep.get_by_role("link", name="2026-Q2").click()
    rep.wait_for_url(re.compile(r".*period=2026-Q2$"))
    rep.get_by_role("link", name="Nguyễn Văn An").click()
    rep.wait_for_url(re.compile(rf".*/motivation/pay/statements/{desk.q2.pk}/$"))
    stated = api.get(f"/api/v1/commission-statements/{desk.q2.pk}").json()
    assert stated["total"] == "520.00" and stated["status"] == "locked"
    total_cell = rep.locator("tfoot .pay-total td.num").first
    assert money_shown(total_cell.inner_text()) == Decimal(stated["total"])
    row = rep.locator(f"#line-{desk.disputed.pk}")
    assert money_shown(row.locator("td.num").nth(3).inner_text()) == Decimal(
        stated["lines"][1]["amount"]
    )
    shot(rep, "journey-finance-01-rep-statement")

    row.get_by_text("Dispute this line").click()
    row.get_by_label("What is wrong with this line?").fill(COMMENT)
    shot(rep, "journey-finance-02-rep-dispute-form")
    row.get_by_role("button", name="Send dispute").click()
    row.get_by_text("Sent to finance.").wait_for()
    assert "Open" in row.inner_text()
    assert rep.url.endswith(f"/motivation/pay/statements/{desk.q2.pk}/")  # answered in place
    dispute = Dispute.objects.get(line_id=desk.disputed.pk)
    assert dispute.status == "open" and dispute.comment == COMMENT
    shot(rep, "journey-finance-03-rep-disputed")

    # --- and thanks a colleague ------------------------------------------------------------
    rep.locator("#sidebar").get_by_role("link", name="Kudos").click()
    rep.wait_for_url(base + "/motivation/kudos/")
    rep.get_by_label("Who do you want to thank?").select_option(label="Trần Thị Bình · North")
    rep.get_by_label("For which of our values?").select_option(label="Win together")
    rep.get_by_label("What they did").fill(KUDOS)
    rep.get_by_role("button", name="Send kudos").click()
    rep.get_by_text("Your kudos to Trần Thị Bình is in the feed.").wait_for()
    assert KUDOS in squash(rep.locator("#kudos-feed .kudos").first.inner_text())
    shot(rep, "journey-finance-04-rep-kudos")

    # --- finance: the runs, the dispute, the adjustment -----------------------------------
    fin = new_page(browser)
    sign_in(fin, base, "finance@acme.test")
    fin.locator("#sidebar").get_by_role("link", name="Commission runs").click()
    fin.wait_for_url(base + "/motivation/pay/runs/")
    q2_row = fin.locator("tbody tr", has_text="2026-Q2")
    assert "Locked" in q2_row.inner_text() and "Phuong Finance" not in q2_row.inner_text()
    assert money_shown(q2_row.locator("td.num").nth(1).inner_text()) == Decimal("720.00")
    shot(fin, "journey-finance-05-runs")

    fin.locator("#sidebar").get_by_role("link", name="Disputes").click()
    fin.wait_for_url(base + "/motivation/pay/disputes/")
    first = fin.locator("tbody tr").first
    assert "Nguyễn Văn An" in first.inner_text() and "Open" in first.inner_text()
    shot(fin, "journey-finance-06-disputes")
    first.get_by_role("link").first.click()
    fin.wait_for_url(base + f"/motivation/pay/disputes/{dispute.pk}/")
    assert COMMENT in squash(fin.locator("main").inner_text())
    # a bad amount changes nothing and says why
    fin.get_by_label("Accept: pay an adjustment").check()
    fin.get_by_label("Adjustment amount").fill("ninety")
    fin.get_by_label("Note to the member").fill(ANSWER)
    fin.get_by_role("button", name="Settle").click()
    fin.locator(".field-error").first.wait_for()
    assert Dispute.objects.get(pk=dispute.pk).status == "open"
    shot(fin, "journey-finance-07-dispute-bad-amount")
    fin.get_by_label("Adjustment amount").fill("90.00")
    fin.get_by_role("button", name="Settle").click()
    fin.get_by_text("Dispute settled").wait_for()
    settled = api.get(f"/api/v1/disputes/{dispute.pk}").json()
    assert settled["status"] == "adjusted" and settled["adjustment_amount"] == "90.00"
    assert money_shown(fin.locator("[data-adjustment]").inner_text()) == Decimal("90.00")
    shot(fin, "journey-finance-08-dispute-settled")

    # --- finance: a new Q3 run, calculated (the adjustment lands there), approved, locked ----
    fin.locator("#sidebar").get_by_role("link", name="Commission runs").click()
    fin.wait_for_url(base + "/motivation/pay/runs/")
    fin.get_by_role("link", name="New run").click()
    fin.wait_for_url(base + "/motivation/pay/runs/new/")
    fin.get_by_label("Period").fill("2026-Q3")
    shot(fin, "journey-finance-09-new-run")
    fin.get_by_role("button", name="Create run").click()
    q3 = CommissionRun.objects.get(organisation=desk.org, period="2026-Q3")
    fin.wait_for_url(base + f"/motivation/pay/runs/{q3.pk}/")
    fin.get_by_role("button", name="Calculate", exact=True).click()
    fin.get_by_text("Run 2026-Q3 calculated: 2 statements.").wait_for()
    shot(fin, "journey-finance-10-run-calculated")

    figures = api.get(f"/api/v1/commission-statements?run={q3.pk}").json()["statements"]
    by_email = {s["member"]["email"]: s for s in figures}
    # the rep: 7,500 × 4% = 300.00, plus the 90.00 adjustment of the dispute
    assert by_email["rep@acme.test"]["total"] == "390.00"
    assert {"kind": "adjustment", "amount": "90.00"}.items() <= next(
        ln for ln in by_email["rep@acme.test"]["lines"] if ln["kind"] == "adjustment"
    ).items()
    assert by_email["peer@acme.test"]["total"] == "120.00"
    for email, figure in by_email.items():
        shown = fin.locator(f"tr[data-member='{email}'] td.payout").inner_text()
        assert money_shown(shown) == Decimal(figure["total"]), email
        lines = fin.locator(f"tr[data-member='{email}'] td.num").first.inner_text()
        assert int(lines) == len(figure["lines"]), email
    run_figure = api.get(f"/api/v1/commission-runs/{q3.pk}").json()
    assert {k: Decimal(v) for k, v in run_figure["summary"]["totals"].items()} == {
        "USD": Decimal("510.00")
    }
    assert money_shown(fin.locator("[data-total='USD']").inner_text()) == Decimal("510.00")

    fin.get_by_role("button", name="Approve").click()
    fin.get_by_text("Run 2026-Q3 approved.").wait_for()
    fin.get_by_role("button", name="Lock").click()
    fin.get_by_text("Run 2026-Q3 locked").wait_for()
    assert api.get(f"/api/v1/commission-runs/{q3.pk}").json()["status"] == "locked"
    assert fin.get_by_role("button", name="Calculate").count() == 0
    assert fin.get_by_role("button", name="Recalculate").count() == 0
    shot(fin, "journey-finance-11-run-locked")

    with fin.expect_download() as download:
        fin.get_by_role("link", name="Payroll CSV").click()
    assert download.value.suggested_filename == "payroll-2026-Q3.csv"
    with open(download.value.path(), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["member_email"], r["total"], r["status"]) for r in rows] == [
        ("peer@acme.test", "120.00", "locked"),
        ("rep@acme.test", "390.00", "locked"),  # 300.00 + the 90.00 adjustment
    ]
    assert {r["period"] for r in rows} == {"2026-Q3"}
    assert AuditEntry.objects.filter(
        organisation=desk.org, action="commission_run.payroll_export", object_id=str(q3.pk)
    ).exists()
    # the rep's Q3 statement shows the adjustment line, as finance sees it
    q3_rep = Statement.objects.get(run=q3, member=desk.rep)
    fin.goto(base + f"/motivation/pay/statements/{q3_rep.pk}/")
    corrections = squash(fin.locator("tbody", has_text="Clawbacks and adjustments").inner_text())
    assert "90.00" in corrections and f"dispute #{dispute.pk}" in corrections
    shot(fin, "journey-finance-12-q3-statement")

    # --- the rep reads the answer ------------------------------------------------------------
    rep.goto(base + f"/motivation/pay/statements/{desk.q2.pk}/")
    answers = squash(rep.locator("#disputes").inner_text())
    assert "Resolved with an adjustment" in answers and ANSWER in answers
    assert "90.00" in answers
    assert "Dispute this line" in rep.locator(f"#line-{desk.disputed.pk}").inner_text()
    shot(rep, "journey-finance-13-rep-answer")
    rep.locator("#disputes").get_by_role("link").first.click()
    rep.wait_for_url(base + f"/motivation/pay/disputes/{dispute.pk}/")
    assert "Paid as an adjustment in 2026-Q3." in squash(rep.locator("main").inner_text())
    shot(rep, "journey-finance-14-rep-dispute")

    assert rep.console_errors == []
    assert fin.console_errors == []
    rep.context.close()
    fin.context.close()

"""Pay pages in a real browser (Playwright): a rep reads their statement; finance edits a
plan's tiers and watches the payout curve redraw; the deal-time fragment.

Screenshots land in var/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.conftest import build_world
from tests.crm.factories import OpportunityFactory
from tests.e2e.conftest import browser, browser_page, page_options  # noqa: F401
from tests.e2e.conftest import shot as _shot
from tests.e2e.conftest import sign_in as _sign_in
from tests.incentives.factories import D, component, import_plan, order, run, statement

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pay_world(transactional_db):
    world = build_world()
    today = dt.date.today()
    import_plan(
        world.org,
        [world.rep, world.peer],
        name="AE 2026",
        measure="quarter",
        pay="month",
        effective_from="2026-01-01",
        clawback_days=90,
        components=[
            component(
                name="New revenue",
                tiers_on="attainment",
                quota="100000",
                tiers=[
                    {"from": "0", "rate": "0.02"},
                    {"from": "0.5", "rate": "0.10"},
                    {"from": "1.0", "rate": "0.15"},
                ],
                bonuses=[{"at": "1.0", "amount": "1000"}],
            )
        ],
        spiffs=[
            {
                "name": "Scanner push",
                "skus": ["XS-400"],
                "min_quantity": 10,
                "from": "2026-07-01",
                "to": "2026-09-30",
                "amount": "250",
                "frequency": "every_time",
            }
        ],
    )
    order(
        world.rep,
        "2026-06-20",
        {"amount": 8000, "sku": "SW-100", "status": "cancelled", "status_date": "2026-07-08"},
        external_id="SO-0999",
    )
    run(world.org, "2026-06")
    order(world.rep, "2026-07-03", {"amount": 42000, "sku": "SW-100"}, external_id="SO-1001")
    order(
        world.rep,
        "2026-07-11",
        {"amount": 12000, "sku": "XS-400", "quantity": 12, "category": "Hardware"},
        external_id="SO-1002",
    )
    order(
        world.rep,
        "2026-07-21",
        {"amount": 18000, "splits": [(world.rep, "0.6"), (world.peer, "0.4")]},
        external_id="SO-1003",
    )
    run(world.org, "2026-07")
    deal = OpportunityFactory(
        owner=world.rep, name="Lotus Mart scanners", amount=D(25000), close_date=today
    )
    order(world.rep, today, {"amount": 30000}, external_id="SO-TODAY")
    return world, statement(world.rep, "2026-07"), deal


def test_a_rep_reads_the_statement_and_finance_edits_a_plan(pay_world, browser_page, live_server):  # noqa: F811
    world, stmt, deal = pay_world
    page = browser_page
    _sign_in(page, live_server.url, world.rep.user.email)
    page.goto(live_server.url + reverse("motivation:statement", args=[stmt.pk]))
    page.get_by_role("heading", name="Payout lines").wait_for()
    assert page.get_by_text("SO-1003").count() >= 1
    _shot(page, "pay-statement")
    page.emulate_media(media="print")
    _shot(page, "pay-statement-print")
    page.emulate_media(media="screen")
    page.goto(live_server.url + reverse("motivation:deal_earnings", args=[deal.pk]))
    _shot(page, "pay-deal-earnings")
    assert "This deal would earn you" in page.content()
    page.console_errors.clear()  # a bare fragment has no icon link: the browser asks /favicon.ico

    page.context.clear_cookies()
    _sign_in(page, live_server.url, world.finance.user.email)
    plan_id = stmt.plan_id
    page.goto(live_server.url + reverse("motivation:plan_edit", args=[plan_id]))
    page.locator("svg.payout-curve").wait_for()
    _shot(page, "pay-plan-form")
    page.locator("input[name='tier-2-rate']").fill("0.25")
    page.locator("input[name='tier-2-rate']").dispatch_event("change")
    page.locator("#plan-preview li").get_by_text("25% of each part").wait_for()
    page.locator("input[name='tier-1-from']").fill("2")
    page.get_by_role("button", name="Save plan").click()
    page.get_by_text("tiers must ascend").wait_for()
    _shot(page, "pay-plan-form-error")
    assert not page.console_errors

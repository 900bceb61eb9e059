"""What a rep does on the pipeline board: drag a deal to the next stage, move another with
the keyboard, and find the move in the deal's stage history (Playwright).

Screenshots land in var/screenshots/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.crm import services
from tests.conftest import build_world
from tests.e2e.conftest import shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sales_world(transactional_db):
    world = build_world()
    hoa_phat = services.account_create(actor=world.rep, name="Hòa Phát Retail", industry="Retail")
    mekong = services.account_create(actor=world.rep, name="Mekong Foods", industry="Food")
    close = dt.date.today() + dt.timedelta(days=40)
    for name, account, amount in (
        ("Fleet scanners XS-400", hoa_phat, "48000"),
        ("POS upgrade 12 stores", hoa_phat, "22500"),
        ("Cold-chain labels", mekong, "9800"),
    ):
        services.opportunity_create(
            actor=world.rep, name=name, account=account, amount=Decimal(amount), close_date=close
        )
    services.opportunity_create(
        actor=world.peer, name="Peer's deal", amount=Decimal(5000), close_date=close
    )
    order = services.order_create(
        actor=world.rep,
        order_date=dt.date.today() - dt.timedelta(days=3),
        account=hoa_phat,
        external_id="SO-2026-0042",
        lines=[
            {
                "sku": "XS-400",
                "quantity": Decimal(12),
                "unit_price": Decimal(249),
                "discount": Decimal("0.1"),
                "unit_cost": Decimal(137),
            },
            {"sku": "SV-INST", "quantity": Decimal(2), "unit_price": Decimal(350)},
        ],
    )
    services.order_line_return(
        actor=world.rep,
        line=order.lines.get(line=1),
        quantity=Decimal(2),
        return_date=dt.date.today(),
    )
    return world


@pytest.fixture
def page_options():
    """A wide window: the board shows all its columns side by side."""
    return {"viewport": {"width": 1440, "height": 900}}


def _column(page, stage: str):
    return page.locator(f'.board-column[data-stage-name="{stage}"]')


def _card(page, name: str):
    return page.locator(".board-card", has_text=name)


def test_rep_drags_a_deal_and_moves_another_with_the_keyboard(
    sales_world, live_server, browser_page
):
    page = browser_page
    url = live_server.url

    # The rep signs in and opens the board from the menu
    sign_in(page, url, "rep@acme.test")
    page.locator("#sidebar").get_by_role("link", name="Pipeline board").click()
    page.wait_for_url(url + "/sales/board/")
    qualification = _column(page, "Qualification")
    assert qualification.locator(".board-card").count() == 3  # the peer's deal is not shown
    assert page.get_by_text("Peer's deal").count() == 0
    assert "$80.3K" in qualification.inner_text() and "$8K weighted" in qualification.inner_text()
    shot(page, "crm-01-board")

    # She drags "Fleet scanners XS-400" to Discovery
    _card(page, "Fleet scanners XS-400").drag_to(_column(page, "Discovery").locator(".board-cards"))
    discovery = _column(page, "Discovery")
    discovery.locator(".board-card", has_text="Fleet scanners XS-400").wait_for()
    assert page.get_by_text("“Fleet scanners XS-400” moved to Discovery.").is_visible()
    assert qualification.locator(".board-card").count() == 2
    shot(page, "crm-02-after-drag")

    # She focuses "Cold-chain labels" and presses the right arrow: it moves one stage on
    card = _card(page, "Cold-chain labels")
    card.focus()
    page.keyboard.press("ArrowRight")
    discovery.locator(".board-card", has_text="Cold-chain labels").wait_for()
    # Focus stays on the moved card so she can keep going
    page.wait_for_function(
        "document.activeElement && document.activeElement.textContent.includes('Cold-chain labels')"
    )
    page.keyboard.press("ArrowRight")
    _column(page, "Proposal").locator(".board-card", has_text="Cold-chain labels").wait_for()

    # And moves "POS upgrade 12 stores" with its "Move to" form, keyboard only
    select = _card(page, "POS upgrade 12 stores").get_by_label("Move to")
    select.focus()
    select.select_option(label="Negotiation")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    _column(page, "Negotiation").locator(".board-card", has_text="POS upgrade 12 stores").wait_for()
    shot(page, "crm-03-after-keyboard")

    # A reload shows the same board: the moves were saved
    page.reload()
    assert _column(page, "Discovery").locator(".board-card", has_text="Fleet scanners").count() == 1
    assert _column(page, "Proposal").locator(".board-card", has_text="Cold-chain").count() == 1
    assert _column(page, "Negotiation").locator(".board-card", has_text="POS upgrade").count() == 1
    assert qualification.locator(".board-card").count() == 0

    # The deal page shows the stage history
    _card(page, "Cold-chain labels").get_by_role("link", name="Cold-chain labels").click()
    page.wait_for_url(url + "/sales/opportunities/*/")
    history = page.locator("section", has=page.get_by_role("heading", name="Stage history"))
    assert history.get_by_text("Proposal").first.is_visible()
    assert history.get_by_text("from Discovery").is_visible()
    shot(page, "crm-04-deal")

    # She logs the call she just had, from the deal page (htmx quick-add, no page load)
    page.get_by_label("Type").select_option(label="Call")
    page.get_by_label("Subject").fill("Call with the warehouse lead")
    page.get_by_label("Outcome").fill("Wants 40 labels printers quoted")
    page.get_by_role("button", name="Log activity").click()
    timeline = page.locator("#activities .timeline")
    timeline.get_by_text("Call with the warehouse lead").wait_for()
    assert page.get_by_label("Subject").input_value() == ""  # a fresh form for the next one
    page.get_by_label("Type").select_option(label="Email")
    page.get_by_label("Subject").fill("Sent the quote")
    page.get_by_role("button", name="Log activity").click()
    timeline.get_by_text("Sent the quote").wait_for()
    shot(page, "crm-05-activity-logged")

    # The account page shows the deals and the activity
    page.get_by_role("link", name="Mekong Foods").first.click()
    page.get_by_role("heading", name="Mekong Foods").wait_for()
    assert page.get_by_text("Call with the warehouse lead").is_visible()
    shot(page, "crm-06-account")

    # Orders: the list with the credit note, then the order with its lines
    page.goto(url + "/sales/orders/")
    shot(page, "crm-08-orders")
    page.get_by_role("link", name="SO-2026-0042", exact=True).wait_for()
    shot(page, "crm-08-orders")
    page.get_by_role("link", name="SO-2026-0042", exact=True).click()
    page.get_by_role("heading", name="SO-2026-0042").wait_for()
    shot(page, "crm-09-order")
    assert page.console_errors == []  # no CSP violation, no script error


def test_the_board_works_without_javascript(sales_world, live_server, browser_page):
    page = browser_page
    url = live_server.url
    sign_in(page, url, "rep@acme.test")
    # Block our own script: the plain form still moves the deal
    page.route("**/static/crm/board.js*", lambda route: route.abort())
    page.goto(url + "/sales/board/")
    card = _card(page, "Fleet scanners XS-400")
    card.get_by_label("Move to").select_option(label="Closed won")
    card.get_by_role("button", name="Move Fleet scanners XS-400").click()
    page.wait_for_url(url + "/sales/board/")
    assert (
        _column(page, "Closed won").locator(".board-card", has_text="Fleet scanners").count() == 1
    )
    shot(page, "crm-07-no-js-won")

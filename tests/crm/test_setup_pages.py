"""Set-up and booking pages: exchange rates, price lists, pipelines and stages, a deal's credit
split, and booking an order with lines. Bad input is a form error and changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from saleshelm.crm import services
from saleshelm.crm.models import (
    ExchangeRate,
    Order,
    OrderLine,
    Pipeline,
    PriceList,
    PriceListItem,
    Stage,
)
from tests.crm.factories import (
    OpportunityFactory,
    ProductFactory,
    RateFactory,
    default_pipeline,
    stage,
)

D = Decimal
pytestmark = pytest.mark.django_db
ROLES = ("admin", "director", "manager", "rep", "finance", "viewer")


def _counts():
    models = (ExchangeRate, Order, OrderLine, Pipeline, Stage, PriceList, PriceListItem)
    return {m.__name__: m.objects.count() for m in models}


# --- exchange rates -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_rates_page_is_for_admins_directors_and_finance(world, web_client, role):
    RateFactory(organisation=world.org, rate_date=dt.date(2026, 1, 1), rate=D("0.00004"))
    r = web_client(world.by_role(role)).get(reverse("crm:rates"))
    if role in ("admin", "director", "finance"):
        assert r.status_code == 200
        body = r.content.decode()
        assert "VND" in body and "0.00004" in body and "25,000.00" in body  # 1 USD buys 25,000
    else:
        assert r.status_code == 403


def test_finance_adds_and_corrects_a_rate(world, web_client):
    client = web_client(world.finance)
    url = reverse("crm:rate_add")
    r = client.post(url, {"currency": "VND", "rate_date": "2026-05-01", "rate": "0.0000401"})
    assert r.status_code == 302 and r["Location"] == reverse("crm:rates")
    r = client.post(url, {"currency": "VND", "rate_date": "2026-05-01", "rate": "0.0000402"})
    assert r.status_code == 302
    assert ExchangeRate.objects.get(organisation=world.org).rate == D("0.0000402")


@pytest.mark.parametrize(
    "data",
    [
        {"currency": "VND", "rate_date": "2026-05-01", "rate": "0"},
        {"currency": "VND", "rate_date": "2026-05-01", "rate": "-1"},
        {"currency": "VND", "rate_date": "2026-05-01", "rate": "abc"},
        {"currency": "VND", "rate_date": "2026-05-01", "rate": "1e400"},
        {"currency": "VND", "rate_date": "2026-05-01", "rate": "0.00000000001"},
        {"currency": "VND", "rate_date": "not a date", "rate": "1"},
        {"currency": "USD", "rate_date": "2026-05-01", "rate": "1"},  # the reporting currency
        {"currency": "XXX", "rate_date": "2026-05-01", "rate": "1"},
        {},
    ],
)
def test_a_bad_rate_is_a_form_error_and_changes_nothing(world, web_client, data):
    before = _counts()
    r = web_client(world.admin).post(reverse("crm:rate_add"), data)
    assert r.status_code == 200 and 'class="field-error"' in r.content.decode()
    assert _counts() == before


# --- price lists ----------------------------------------------------------------------------


def test_price_lists_are_read_by_all_and_shaped_by_admins_and_directors(world, web_client):
    product = ProductFactory(organisation=world.org, sku="XS-400", name="Handheld scanner")
    admin = web_client(world.admin)
    r = admin.post(reverse("crm:price_list_new"), {"name": "Distributors VN", "currency": "VND"})
    assert r.status_code == 302
    price_list = PriceList.objects.get(name="Distributors VN")
    url = reverse("crm:price_list_set_price", kwargs={"pk": price_list.pk})
    r = admin.post(url, {"sku": "xs-400", "unit_price": "2500000"})
    assert r.status_code == 302
    assert PriceListItem.objects.get(price_list=price_list, product=product).unit_price == D(
        "2500000"
    )
    # Every member reads the list and its prices; only admins and directors see the form
    for role in ROLES:
        client = web_client(world.by_role(role))
        assert client.get(reverse("crm:price_lists")).status_code == 200
        r = client.get(reverse("crm:price_list", kwargs={"pk": price_list.pk}))
        body = r.content.decode()
        assert r.status_code == 200 and "XS-400" in body and "2,500,000\u00a0₫" in body
        assert ("Set a price" in body) == (role in ("admin", "director"))
    assert web_client(world.rep).get(reverse("crm:price_list_new")).status_code == 403
    r = web_client(world.rep).post(url, {"sku": "XS-400", "unit_price": "1"})
    assert r.status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {"sku": "NOPE-1", "unit_price": "10"},
        {"sku": "XS-400", "unit_price": "-5"},
        {"sku": "XS-400", "unit_price": "NaN"},
        {"sku": "XS-400", "unit_price": "123456789012345678901234"},
        {"sku": "", "unit_price": "10"},
    ],
)
def test_a_bad_price_is_a_form_error_and_changes_nothing(world, web_client, data):
    ProductFactory(organisation=world.org, sku="XS-400")
    price_list = services.price_list_create(actor=world.admin, name="Export", currency="USD")
    before = _counts()
    r = web_client(world.admin).post(
        reverse("crm:price_list_set_price", kwargs={"pk": price_list.pk}), data
    )
    assert r.status_code == 200 and 'class="field-error"' in r.content.decode()
    assert _counts() == before


def test_a_duplicate_price_list_name_is_a_form_error(world, web_client):
    services.price_list_create(actor=world.admin, name="Export")
    r = web_client(world.admin).post(
        reverse("crm:price_list_new"), {"name": "export", "currency": "USD"}
    )
    assert r.status_code == 200 and "already exists" in r.content.decode()


# --- pipelines and stages -------------------------------------------------------------------


def _stages_post(rows, *, initial=0, **extra):
    data = {
        "stages-TOTAL_FORMS": str(len(rows)),
        "stages-INITIAL_FORMS": str(initial),
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "30",
        **extra,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"stages-{i}-{key}"] = value
    return data


def test_creating_a_pipeline_with_probabilities_and_forecast_categories(world, web_client):
    client = web_client(world.director)
    assert client.get(reverse("crm:pipeline_new")).status_code == 200
    r = client.post(
        reverse("crm:pipeline_new"),
        _stages_post(
            [
                {"name": "Tender announced", "kind": "open", "probability": "15"},
                {
                    "name": "Bid submitted",
                    "kind": "open",
                    "probability": "35",
                    "forecast_category": "commit",
                },
                {"name": "Awarded", "kind": "won"},
                {"name": "Not awarded", "kind": "lost"},
                {"kind": "open"},  # an untouched extra row (its select posts "open") is skipped
            ],
            name="Public tenders",
        ),
    )
    assert r.status_code == 302, r.content.decode()[-3000:]
    pipeline = Pipeline.objects.get(name="Public tenders")
    stages = list(pipeline.stages.order_by("position"))
    assert [s.name for s in stages] == [
        "Tender announced",
        "Bid submitted",
        "Awarded",
        "Not awarded",
    ]
    assert [s.probability for s in stages] == [D("0.15"), D("0.35"), D("1"), D("0")]
    assert stages[1].forecast_category == "commit"
    # A deal entering a stage takes the stage's category, else the one of its probability
    assert services.default_forecast_category(stages[1]) == "commit"
    assert services.default_forecast_category(stages[0]) == "pipeline"
    # And the list shows them
    body = client.get(reverse("crm:pipelines")).content.decode()
    assert "Public tenders" in body and "Bid submitted" in body and "35%" in body


def test_editing_stages_renames_reorders_and_refuses_removing_a_used_one(world, web_client):
    pipeline = default_pipeline(world.org)
    OpportunityFactory(owner=world.rep)  # in Qualification
    client = web_client(world.admin)
    url = reverse("crm:pipeline_edit", kwargs={"pk": pipeline.pk})
    assert client.get(url).status_code == 200
    stages = list(pipeline.stages.order_by("position"))
    rows = [
        {
            "id": str(s.pk),
            "name": s.name,
            "kind": s.kind,
            "probability": str((s.probability * 100).quantize(D("0.01"))),
        }
        for s in stages
    ]
    rows[1]["name"] = "Needs analysis"
    rows[1]["forecast_category"] = "best_case"
    rows[0]["DELETE"] = "on"  # Qualification holds a deal
    before = _counts()
    r = client.post(url, _stages_post(rows, initial=len(rows), name=pipeline.name))
    assert r.status_code == 200 and "cannot be removed" in r.content.decode()
    assert _counts() == before and stage(world.org, "Discovery")
    del rows[0]["DELETE"]
    r = client.post(url, _stages_post(rows, initial=len(rows), name=pipeline.name))
    assert r.status_code == 302
    renamed = Stage.objects.get(pk=stages[1].pk)
    assert renamed.name == "Needs analysis" and renamed.forecast_category == "best_case"


@pytest.mark.parametrize(
    "rows",
    [
        [{"name": "Open", "kind": "open"}, {"name": "Won", "kind": "won"}],  # no lost stage
        [
            {"name": "Open", "kind": "open"},
            {"name": "open", "kind": "open"},
            {"name": "Won", "kind": "won"},
            {"name": "Lost", "kind": "lost"},
        ],
        [
            {"name": "Open", "kind": "open", "probability": "120"},
            {"name": "Won", "kind": "won"},
            {"name": "Lost", "kind": "lost"},
        ],
        [
            {"name": "Open", "kind": "open"},
            {"name": "Won", "kind": "won", "forecast_category": "commit"},
            {"name": "Lost", "kind": "lost"},
        ],
        [
            {"name": "Open", "kind": "bogus"},
            {"name": "Won", "kind": "won"},
            {"name": "Lost", "kind": "lost"},
        ],
        [{"name": "", "kind": "open", "probability": "10"}],
    ],
)
def test_a_bad_pipeline_is_a_form_error_and_changes_nothing(world, web_client, rows):
    before = _counts()
    r = web_client(world.admin).post(reverse("crm:pipeline_new"), _stages_post(rows, name="Broken"))
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()
    assert _counts() == before


def test_a_broken_management_form_is_not_a_crash(world, web_client):
    r = web_client(world.admin).post(reverse("crm:pipeline_new"), {"name": "X"})
    assert r.status_code == 200 and not Pipeline.objects.filter(name="X").exists()


def test_pipelines_are_for_admins_and_directors(world, web_client):
    pipeline = default_pipeline(world.org)
    for role in ("manager", "rep", "finance", "viewer"):
        client = web_client(world.by_role(role))
        assert client.get(reverse("crm:pipelines")).status_code == 403
        assert (
            client.get(reverse("crm:pipeline_edit", kwargs={"pk": pipeline.pk})).status_code == 403
        )


# --- credit splits --------------------------------------------------------------------------


def _splits_post(rows, version):
    data = {
        "version": str(version),
        "splits-TOTAL_FORMS": str(max(len(rows), 2)),
        "splits-INITIAL_FORMS": "0",
        "splits-MIN_NUM_FORMS": "0",
        "splits-MAX_NUM_FORMS": "20",
    }
    for i, (member, share) in enumerate(rows):
        data[f"splits-{i}-member"] = str(member.pk) if member else ""
        data[f"splits-{i}-share"] = share
    return data


def test_a_manager_splits_a_deal_from_its_page(world, web_client):
    opp = OpportunityFactory(owner=world.rep)
    client = web_client(world.manager)
    page = client.get(reverse("crm:opportunity", kwargs={"pk": opp.pk})).content.decode()
    assert "Edit the split" in page
    url = reverse("crm:opportunity_splits", kwargs={"pk": opp.pk})
    r = client.post(url, _splits_post([(world.rep, "60"), (world.peer, "40")], opp.version))
    assert r.status_code == 302
    assert sorted(opp.splits.values_list("share", flat=True)) == [D("0.4"), D("0.6")]
    page = client.get(r["Location"]).content.decode()
    assert "60%" in page and "40%" in page
    # Clearing every row gives all the credit back to the owner
    opp.refresh_from_db()
    r = client.post(url, _splits_post([(None, ""), (None, "")], opp.version))
    assert r.status_code == 302 and opp.splits.count() == 0


@pytest.mark.parametrize(
    "rows",
    [
        [("rep", "60"), ("peer", "30")],  # 90 %
        [("rep", "60"), ("rep", "40")],  # twice
        [("rep", "100.5")],
        [("rep", "0")],
        [("rep", "abc")],
        [("rep", "")],
        [(None, "50"), ("peer", "50")],
        [("rep", "50"), ("other_org_rep", "50")],  # not a member of this organisation
    ],
)
def test_bad_splits_are_form_errors_and_change_nothing(world, web_client, rows):
    opp = OpportunityFactory(owner=world.rep)
    services.opportunity_set_splits(
        actor=world.admin, opportunity=opp, splits=[(world.rep, D("0.5")), (world.peer, D("0.5"))]
    )
    opp.refresh_from_db()
    members = [(getattr(world, who) if who else None, share) for who, share in rows]
    r = web_client(world.rep).post(
        reverse("crm:opportunity_splits", kwargs={"pk": opp.pk}), _splits_post(members, opp.version)
    )
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()
    assert sorted(opp.splits.values_list("share", flat=True)) == [D("0.5"), D("0.5")]


def test_a_stale_split_form_is_refused_with_a_message(world, web_client):
    opp = OpportunityFactory(owner=world.rep)
    client = web_client(world.rep)
    r = client.post(
        reverse("crm:opportunity_splits", kwargs={"pk": opp.pk}),
        _splits_post([(world.rep, "100")], opp.version + 1),
    )
    assert r.status_code == 302 and opp.splits.count() == 0
    assert "changed by someone else" in client.get(r["Location"]).content.decode()


def test_read_only_roles_see_the_split_but_no_form(world, web_client):
    opp = OpportunityFactory(owner=world.rep)
    page = web_client(world.viewer).get(reverse("crm:opportunity", kwargs={"pk": opp.pk}))
    assert "Credit split" in page.content.decode()
    assert "Edit the split" not in page.content.decode()


# --- booking an order -----------------------------------------------------------------------


def _order_post(lines, **header):
    data = {
        "order_date": "2026-07-15",
        "currency": "USD",
        "lines-TOTAL_FORMS": str(max(len(lines), 5)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        **header,
    }
    for i, line in enumerate(lines):
        for key, value in line.items():
            data[f"lines-{i}-{key}"] = value
    return data


def test_a_rep_books_an_order_with_lines(world, web_client):
    ProductFactory(organisation=world.org, sku="XS-400", unit_price=D("250"), unit_cost=D("150"))
    client = web_client(world.rep)
    page = client.get(reverse("crm:order_new")).content.decode()
    assert 'name="lines-0-sku"' in page and "XS-400" in page  # the SKU suggestions
    r = client.post(
        reverse("crm:order_new"),
        _order_post(
            [
                {"sku": "xs-400", "quantity": "4", "discount": "10"},
                {"sku": "SVC-INSTALL", "quantity": "1", "unit_price": "99.99"},
            ]
        ),
    )
    assert r.status_code == 302
    order = Order.objects.get()
    assert r["Location"] == reverse("crm:order", kwargs={"pk": order.pk})
    assert order.owner == world.rep and order.order_date == dt.date(2026, 7, 15)
    first, second = order.lines.order_by("line")
    assert first.net_amount == D("900.0000") and first.cost_amount == D("600.0000")
    assert second.net_amount == D("99.9900")
    # The orders list offers the page to writers only
    assert "New order" in client.get(reverse("crm:orders")).content.decode()
    assert "New order" not in web_client(world.viewer).get(reverse("crm:orders")).content.decode()


@pytest.mark.parametrize(
    "lines, header",
    [
        ([], {}),  # no line
        ([{"sku": "A-1", "quantity": "0", "unit_price": "1"}], {}),
        ([{"sku": "A-1", "quantity": "x", "unit_price": "1"}], {}),
        ([{"sku": "A-1", "quantity": "1"}], {}),  # no price and no product to take it from
        ([{"sku": "", "quantity": "1", "unit_price": "1"}], {}),
        ([{"sku": "A-1", "quantity": "1", "unit_price": "1", "discount": "150"}], {}),
        ([{"sku": "A-1", "quantity": "1e20", "unit_price": "1"}], {}),
        ([{"sku": "A-1", "quantity": "99999999999999", "unit_price": "9999999999"}], {}),
        ([{"sku": "A-1", "quantity": "1", "unit_price": "1"}], {"order_date": "31/31/2026"}),
        ([{"sku": "A-1", "quantity": "1", "unit_price": "1"}], {"currency": "VND"}),  # no rate
        ([{"sku": "A-1", "quantity": "1", "unit_price": "1"}], {"external_id": "SO-TAKEN"}),
    ],
)
def test_a_bad_order_is_a_form_error_and_nothing_is_booked(world, web_client, lines, header):
    services.order_create(
        actor=world.admin,
        external_id="SO-TAKEN",
        order_date=dt.date(2026, 7, 1),
        owner=world.peer,
        lines=[{"sku": "B", "quantity": D(1), "unit_price": D(1)}],
    )
    before = _counts()
    r = web_client(world.rep).post(reverse("crm:order_new"), _order_post(lines, **header))
    assert r.status_code == 200 and 'role="alert"' in r.content.decode()
    assert _counts() == before


def test_a_rep_cannot_book_for_someone_else_and_read_only_roles_cannot_book(world, web_client):
    r = web_client(world.rep).post(
        reverse("crm:order_new"),
        _order_post([{"sku": "A", "quantity": "1", "unit_price": "1"}], owner=str(world.peer.pk)),
    )
    # A rep has no owner field: the order is theirs whatever the post says
    assert r.status_code == 302 and Order.objects.get().owner == world.rep
    for role in ("finance", "viewer"):
        assert web_client(world.by_role(role)).get(reverse("crm:order_new")).status_code == 403


def test_new_pages_are_in_the_sales_menu_for_the_roles_that_use_them(world, web_client):
    admin = web_client(world.admin).get(reverse("crm:orders")).content.decode()
    for label in ("Price lists", "Pipelines", "Exchange rates"):
        assert label in admin
    finance = web_client(world.finance).get(reverse("crm:orders")).content.decode()
    assert "Exchange rates" in finance and "Pipelines" not in finance
    rep = web_client(world.rep).get(reverse("crm:orders")).content.decode()
    assert "Price lists" in rep and "Exchange rates" not in rep and "Pipelines" not in rep


def test_a_split_short_of_100_percent_says_by_how_much(world, web_client):
    opp = OpportunityFactory(owner=world.rep)
    r = web_client(world.rep).post(
        reverse("crm:opportunity_splits", kwargs={"pk": opp.pk}),
        _splits_post([(world.rep, "30"), (world.peer, "30")], opp.version),
    )
    assert "these total 60 %" in r.content.decode()  # not "6E+1"

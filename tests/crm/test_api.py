"""The sales-core API: CRUD, filters, whitelisted sort, money as strings, tenancy."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from saleshelm.crm.models import Account, Opportunity, Order, OrderLine, OrderLineStatus
from tests.crm.factories import (
    AccountFactory,
    LeadFactory,
    OpportunityFactory,
    OrderFactory,
    ProductFactory,
    RateFactory,
    stage,
)

pytestmark = pytest.mark.django_db


def _post(client, path, body, method="post"):
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def test_a_rep_creates_an_account_owned_by_themselves_and_reads_it_back(world, api_client):
    client = api_client(world.rep)
    r = _post(
        client,
        "/api/v1/accounts",
        {"name": "Công ty Hòa Phát", "industry": "Steel", "employees": 1200, "country": "VN"},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["owner"]["email"] == "rep@acme.test" and body["external_id"].startswith("ACC-")
    r = client.get(f"/api/v1/accounts/{body['id']}")
    assert r.status_code == 200 and r.json()["name"] == "Công ty Hòa Phát"
    r = _post(client, f"/api/v1/accounts/{body['id']}", {"region": "North"}, method="patch")
    assert r.status_code == 200 and r.json()["region"] == "North"


def test_lists_filter_search_and_sort_by_whitelisted_fields(world, api_client):
    AccountFactory(owner=world.rep, organisation=world.org, name="Alpha Steel", industry="Steel")
    AccountFactory(owner=world.rep, organisation=world.org, name="Beta Foods", industry="Food")
    AccountFactory(owner=world.rep, organisation=world.org, name="Gamma Steel", industry="Steel")
    client = api_client(world.admin)
    r = client.get("/api/v1/accounts?industry=steel&sort=-name")
    assert r.status_code == 200
    assert [a["name"] for a in r.json()["items"]] == ["Gamma Steel", "Alpha Steel"]
    assert r.json()["count"] == 2
    r = client.get("/api/v1/accounts?search=foods")
    assert [a["name"] for a in r.json()["items"]] == ["Beta Foods"]
    r = client.get("/api/v1/accounts?limit=1&offset=1&sort=name")
    assert [a["name"] for a in r.json()["items"]] == ["Beta Foods"]


@pytest.mark.parametrize(
    "path", ["accounts", "contacts", "leads", "opportunities", "products", "orders", "activities"]
)
def test_an_unknown_sort_field_is_a_json_validation_error(world, api_client, path):
    r = api_client(world.admin).get(f"/api/v1/{path}?sort=password")
    assert r.status_code == 422
    assert r.json()["code"] == "invalid" and r.json()["errors"][0]["field"] == "sort"


def test_a_record_of_another_organisation_is_not_found(world, api_client):
    theirs = OpportunityFactory(owner=world.other_org_rep)
    account = AccountFactory(owner=world.other_org_rep)
    client = api_client(world.admin)
    for path in (f"/api/v1/opportunities/{theirs.pk}", f"/api/v1/accounts/{account.pk}"):
        r = client.get(path)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = _post(client, f"/api/v1/accounts/{account.pk}", {"name": "Mine now"}, method="patch")
    assert r.status_code == 404
    account.refresh_from_db()
    assert account.name != "Mine now"
    # Nor can it be referenced from a record of ours
    r = _post(client, "/api/v1/contacts", {"name": "X", "account_id": account.pk})
    assert r.status_code == 404


def test_opportunity_money_goes_out_as_strings_with_currency(world, api_client):
    RateFactory(organisation=world.org, rate_date=dt.date(2026, 1, 1), rate=Decimal("0.00004"))
    client = api_client(world.rep)
    r = _post(
        client,
        "/api/v1/opportunities",
        {
            "name": "Scanner fleet",
            "amount": "250000000",
            "currency": "VND",
            "close_date": "2026-10-31",
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["amount"] == "250000000.0000" and body["currency"] == "VND"
    assert body["amount_reporting"] == "10000.0000" and body["reporting_currency"] == "USD"
    assert body["stage"]["name"] == "Qualification" and body["stage"]["probability"] == "0.1000"
    assert body["version"] == 1 and body["splits"] == []


def test_moving_a_deal_checks_the_version(world, api_client):
    opp = OpportunityFactory(owner=world.rep)
    client = api_client(world.rep)
    proposal = stage(world.org, "Proposal")
    r = _post(
        client, f"/api/v1/opportunities/{opp.pk}/move", {"stage_id": proposal.pk, "version": 1}
    )
    assert r.status_code == 200, r.content
    assert r.json()["stage"]["name"] == "Proposal" and r.json()["version"] == 2
    r = _post(
        client,
        f"/api/v1/opportunities/{opp.pk}/move",
        {"stage_id": stage(world.org, "Closed won").pk, "version": 1},
    )
    assert r.status_code == 409
    assert r.json()["code"] == "version_conflict" and r.json()["version"] == 2
    opp.refresh_from_db()
    assert opp.stage == proposal


def test_patching_a_deal_with_a_stale_version_is_409(world, api_client):
    opp = OpportunityFactory(owner=world.rep)
    client = api_client(world.rep)
    r = _post(
        client, f"/api/v1/opportunities/{opp.pk}", {"version": 1, "amount": "1500"}, method="patch"
    )
    assert r.status_code == 200 and r.json()["amount"] == "1500.0000" and r.json()["version"] == 2
    r = _post(
        client, f"/api/v1/opportunities/{opp.pk}", {"version": 1, "amount": "1"}, method="patch"
    )
    assert r.status_code == 409
    opp.refresh_from_db()
    assert opp.amount == Decimal("1500")


def test_splits_through_the_api_must_sum_to_one(world, api_client):
    opp = OpportunityFactory(owner=world.rep)
    client = api_client(world.manager)
    bad = [
        {"member_id": world.rep.pk, "share": "0.5"},
        {"member_id": world.peer.pk, "share": "0.4"},
    ]
    r = _post(client, f"/api/v1/opportunities/{opp.pk}", {"splits": bad}, method="patch")
    assert r.status_code == 400 and r.json()["code"] == "splits_sum"
    good = [
        {"member_id": world.rep.pk, "share": "0.5"},
        {"member_id": world.peer.pk, "share": "0.5"},
    ]
    r = _post(client, f"/api/v1/opportunities/{opp.pk}", {"splits": good}, method="patch")
    assert r.status_code == 200
    assert sorted(s["share"] for s in r.json()["splits"]) == ["0.5000", "0.5000"]


def test_converting_a_lead_through_the_api(world, api_client):
    lead = LeadFactory(owner=world.rep, company="Thiên Long Group")
    r = _post(
        api_client(world.rep),
        f"/api/v1/leads/{lead.pk}/convert",
        {"amount": "8000", "close_date": "2026-11-30"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["lead"]["status"] == "converted" and body["account"]["name"] == "Thiên Long Group"
    assert Opportunity.objects.get(pk=body["opportunity"]["id"]).amount == Decimal("8000")
    r = _post(api_client(world.rep), f"/api/v1/leads/{lead.pk}/convert", {})
    assert r.status_code == 409 and r.json()["code"] == "already_converted"


def test_products_are_shaped_by_admins_and_read_by_everyone(world, api_client):
    r = _post(
        api_client(world.rep),
        "/api/v1/products",
        {"sku": "XS-400", "name": "Scanner", "unit_price": "250"},
    )
    assert r.status_code == 403
    r = _post(
        api_client(world.admin),
        "/api/v1/products",
        {"sku": "xs-400", "name": "Scanner", "unit_price": "250", "unit_cost": "150.5"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["sku"] == "XS-400" and r.json()["unit_cost"] == "150.5000"
    r = api_client(world.viewer).get("/api/v1/products?search=xs")
    assert r.json()["count"] == 1


def test_an_order_with_lines_and_splits_round_trips(world, api_client):
    product = ProductFactory(organisation=world.org, sku="XS-400")
    client = api_client(world.manager)
    r = _post(
        client,
        "/api/v1/orders",
        {
            "order_date": "2026-07-15",
            "owner_id": world.rep.pk,
            "external_id": "SO-1001",
            "lines": [
                {"product_id": product.pk, "quantity": "3", "discount": "0.05"},
                {
                    "sku": "SVC-1",
                    "quantity": "-1",
                    "unit_price": "100",
                    "unit_cost": "40",
                    "splits": [
                        {"member_id": world.rep.pk, "share": "0.6"},
                        {"member_id": world.peer.pk, "share": "0.4"},
                    ],
                },
            ],
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["owner"]["id"] == world.rep.pk and body["line_count"] == 2
    first, second = body["lines"]
    assert first["net_amount"] == "712.5000" and first["margin"] == "262.5000"
    assert second["net_amount"] == "-100.0000" and second["cost_amount"] == "-40.0000"
    assert [s["share"] for s in second["splits"]] == ["0.6000", "0.4000"]
    assert body["net_amount"] == "612.5000"
    # Status is server-owned: cancelling is its own operation
    r = _post(
        client, f"/api/v1/orders/{body['id']}/cancel-line", {"line": 1, "status_date": "2026-08-01"}
    )
    assert r.status_code == 200 and r.json()["lines"][0]["status"] == "cancelled"
    r = _post(client, f"/api/v1/orders/{body['id']}/return-line", {"line": 1})
    assert r.status_code == 409


def test_a_return_through_the_api_answers_the_credit_note(world, api_client):
    order = OrderFactory(owner=world.rep, lines=[{"quantity": Decimal(5)}])
    r = _post(
        api_client(world.rep),
        f"/api/v1/orders/{order.pk}/return-line",
        {"line": 1, "quantity": "2", "return_date": dt.date.today().isoformat()},
    )
    assert r.status_code == 201, r.content
    credit = r.json()
    assert credit["external_id"] == f"{order.external_id}-R1"
    assert credit["lines"][0]["quantity"] == "-2.0000"
    assert credit["lines"][0]["status"] == OrderLineStatus.RETURNED


def test_a_page_of_100_orders_with_owner_and_account_takes_at_most_4_queries(
    world, api_client, django_assert_max_num_queries
):
    account = AccountFactory(owner=world.rep)
    orders = Order.objects.bulk_create(
        Order(
            organisation=world.org,
            external_id=f"SO-{i}",
            order_date=dt.date(2026, 7, 1),
            owner=world.rep if i % 2 else world.peer,
            account=account,
            currency="USD",
        )
        for i in range(120)
    )
    OrderLine.objects.bulk_create(
        OrderLine(
            organisation=world.org,
            order=o,
            line=1,
            sku="A",
            quantity=1,
            unit_price=10,
            net_amount=10,
            currency="USD",
            order_date=o.order_date,
            owner=o.owner_id and o.owner,
        )
        for o in orders
    )
    for member in (world.admin, world.rep, world.manager):
        client = api_client(member)
        if member == world.manager:
            client.get("/api/v1/orders?limit=1")  # first use of a token records its use
        with django_assert_max_num_queries(4):
            r = client.get("/api/v1/orders?limit=100")
        assert r.status_code == 200
        items = r.json()["items"]
        assert len(items) == (60 if member == world.rep else 100)
        assert items[0]["account"]["name"] == account.name and items[0]["net_amount"] == "10.0000"
        assert items[0]["owner"]["name"]


def test_activities_are_logged_against_a_deal(world, api_client):
    account = AccountFactory(owner=world.rep)
    opp = OpportunityFactory(owner=world.rep, account=account)
    client = api_client(world.rep)
    r = _post(
        client,
        "/api/v1/activities",
        {"type": "call", "opportunity_id": opp.pk, "subject": "Follow-up", "duration_minutes": 15},
    )
    assert r.status_code == 201, r.content
    assert r.json()["account"]["id"] == account.pk and r.json()["owner"]["id"] == world.rep.pk
    r = client.get(f"/api/v1/activities?opportunity_id={opp.pk}&type=call")
    assert r.json()["count"] == 1
    r = _post(client, "/api/v1/activities", {"type": "lunch"})
    assert r.status_code == 422


def test_pipeline_totals_by_stage(world, api_client):
    OpportunityFactory(owner=world.rep, amount=Decimal("100"), amount_reporting=Decimal("100"))
    OpportunityFactory(owner=world.peer, amount=Decimal("300"), amount_reporting=Decimal("300"))
    OpportunityFactory(
        owner=world.other_rep, amount=Decimal("500"), amount_reporting=Decimal("500")
    )
    pipeline = Opportunity.objects.first().pipeline
    rows = api_client(world.manager).get(f"/api/v1/pipelines/{pipeline.pk}/by-stage").json()
    qualification = rows[0]
    assert qualification["stage"]["name"] == "Qualification"
    assert qualification["count"] == 2 and qualification["amount"] == "400.0000"
    assert qualification["weighted_amount"] == "40.0000" and qualification["currency"] == "USD"
    rows = api_client(world.rep).get(f"/api/v1/pipelines/{pipeline.pk}/by-stage").json()
    assert rows[0]["count"] == 1


def test_finance_reads_but_does_not_write(world, api_client):
    account = AccountFactory(owner=world.rep)
    client = api_client(world.finance)
    assert client.get(f"/api/v1/accounts/{account.pk}").status_code == 200
    r = _post(client, f"/api/v1/accounts/{account.pk}", {"name": "Changed"}, method="patch")
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    assert Account.objects.get(pk=account.pk).name == account.name


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/accounts?owner_id=99999999999999999999999",
        "/api/v1/orders?account_id=99999999999999999999999",
        "/api/v1/activities?opportunity_id=-5",
        "/api/v1/opportunities?stage_id=99999999999999999999999",
    ],
)
def test_an_id_out_of_range_is_a_validation_error_not_a_crash(world, api_client, path):
    r = api_client(world.admin).get(path)
    assert r.status_code == 422 and r.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=10001", "offset=-1", f"offset={2**63}", "limit=abc"]
)
def test_orders_paging_out_of_bounds_is_a_validation_error(world, api_client, query):
    r = api_client(world.admin).get(f"/api/v1/orders?{query}")
    assert r.status_code in (400, 422) and "code" in r.json()


def test_an_order_without_account_lists_with_a_null_account(world, api_client):
    order = OrderFactory(owner=world.rep, external_id="SO-NOACC")
    r = api_client(world.rep).get("/api/v1/orders?limit=5&offset=0")
    assert r.status_code == 200 and r.json()["count"] == 1
    item = r.json()["items"][0]
    assert item["id"] == order.pk and item["account"] is None and item["line_count"] == 1
    assert item["owner"] == {"id": world.rep.pk, "name": "Nguyễn Văn An", "email": "rep@acme.test"}
    assert item["net_amount"] == "200.0000" and item["order_date"] == order.order_date.isoformat()

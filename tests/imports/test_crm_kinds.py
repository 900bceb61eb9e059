"""The crm kinds: accounts, contacts, leads, opportunities, orders, activities (SPEC §4).

Each imports in its native columns, re-imports as "unchanged", names the bad cells of a bad
file, writes nothing when any row is bad, and never reaches another organisation's records.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Max

from saleshelm.crm.models import (
    Account,
    Activity,
    Contact,
    Lead,
    Opportunity,
    Order,
    OrderLine,
    OrderLineSplit,
    Pipeline,
    Product,
    ProductCategory,
    StageChange,
)
from saleshelm.tenancy.models import AuditEntry
from tests.crm.factories import AccountFactory
from tests.imports.helpers import csv_text, errors_of, run

ACCOUNTS = "external_id,name,owner_email,industry,employees,region,country,website,created_date"
ORDERS = (
    "external_id,line,order_date,owner_email,sku,quantity,unit_price,product_name,"
    "product_category,account_external_id,discount,unit_cost,currency,status,status_date,split"
)
OPPS = "external_id,name,owner_email,amount,close_date,stage,account_external_id,currency,probability,forecast_category"


def _accounts(world):
    return csv_text(
        ACCOUNTS,
        "ACC-1,Minh Phát,rep@acme.test,Retail,120,North,VN,minhphat.vn,2025-11-03",
        "ACC-2,Saigon Logistics,other@acme.test,Logistics,800,South,VN,,",
    )


# --- accounts, contacts, leads ---------------------------------------------------------------


def test_given_accounts_when_imported_twice_then_the_second_time_changes_nothing(world):
    first = run(world.admin, "accounts", _accounts(world))
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    account = Account.objects.get(organisation=world.org, external_id="ACC-1")
    assert account.owner == world.rep and account.employees == 120
    assert str(account.created_date) == "2025-11-03"
    stamp = Account.objects.aggregate(Max("updated_at"))
    second = run(world.admin, "accounts", _accounts(world))
    assert (second.created, second.updated, second.unchanged) == (0, 0, 2)
    assert Account.objects.filter(organisation=world.org).count() == 2
    assert Account.objects.aggregate(Max("updated_at")) == stamp


def test_given_a_changed_cell_when_reimported_then_that_row_is_updated_and_empty_cells_keep_values(
    world,
):
    run(world.admin, "accounts", _accounts(world))
    changed = csv_text(
        "external_id,name,industry", "ACC-1,Minh Phát Group,", "ACC-2,Saigon Logistics,"
    )
    result = run(world.admin, "accounts", changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    account = Account.objects.get(organisation=world.org, external_id="ACC-1")
    assert account.name == "Minh Phát Group" and account.industry == "Retail"


def test_given_an_import_when_written_then_one_summary_audit_row_is_written_by_the_service(world):
    from saleshelm.imports.services import import_file
    from tests.imports.helpers import data

    job = import_file(
        actor=world.admin, file=data(_accounts(world)), filename="a.csv", kind="accounts"
    )
    entry = AuditEntry.objects.get(action="import.run", object_id=str(job.pk))
    assert entry.after["created"] == 2 and entry.after["kind"] == "accounts"


def test_given_contacts_when_imported_then_they_link_to_accounts_of_this_organisation_only(world):
    run(world.admin, "accounts", _accounts(world))
    AccountFactory(owner=world.other_org_rep, external_id="BETA-1")
    text = csv_text(
        "external_id,name,account_external_id,email,phone,title,owner_email",
        "CON-1,Trần Mai,ACC-1,mai@minhphat.vn,+84 90 123 4567,Buyer,rep@acme.test",
        "CON-2,Spy,BETA-1,spy@x.vn,,,rep@acme.test",
        "CON-3,Nobody,ACC-404,,,,",
    )
    result = run(world.admin, "contacts", text)
    assert errors_of(result) == [
        (3, "account_external_id", "no account with this external_id in the organisation"),
        (4, "account_external_id", "no account with this external_id in the organisation"),
    ]
    assert not Contact.objects.exists()
    ok = run(world.admin, "contacts", "\n".join(text.splitlines()[:2]) + "\n")
    contact = Contact.objects.get(external_id="CON-1")
    assert ok.created == 1 and contact.account.external_id == "ACC-1"
    assert contact.phone == "+84 90 123 4567"


def test_given_an_owner_of_another_organisation_when_imported_then_it_is_unknown(world):
    result = run(
        world.admin, "accounts", csv_text("external_id,name,owner_email", "X-1,X,rep@beta.test")
    )
    assert errors_of(result) == [
        (2, "owner_email", "no active member of this organisation has this email")
    ]


def test_given_leads_when_imported_then_statuses_are_checked_and_converted_stays_converted(world):
    text = csv_text(
        "external_id,name,company,email,source,status,owner_email",
        "L-1,Tuấn,Tuấn Phát,tuan@tp.vn,Trade show,contacted,rep@acme.test",
        "L-2,Nga,,nga@x.vn,,converted,",
    )
    result = run(world.admin, "leads", text)
    assert errors_of(result) == [
        (
            3,
            "status",
            "a lead is converted in SalesHelm (that creates its account, contact and deal)",
        )
    ]
    assert run(world.admin, "leads", "\n".join(text.splitlines()[:2]) + "\n").created == 1
    assert Lead.objects.get(external_id="L-1").status == "contacted"


def test_given_a_manager_when_importing_then_owners_outside_their_teams_are_errors(world):
    # rep and peer are in North under the manager's Sales team; other_rep is in South.
    run(world.admin, "accounts", csv_text(ACCOUNTS, "ACC-9,Other team's,other@acme.test,,,,,,"))
    text = csv_text(
        "external_id,name,owner_email",
        "M-1,Mine,rep@acme.test",
        "M-2,Not mine,other@acme.test",
        "ACC-9,Taking it over,rep@acme.test",
        "M-3,Unowned,",
    )
    result = run(world.manager, "accounts", text)
    assert errors_of(result) == [
        (3, "owner_email", "this member is outside the teams you manage"),
        (4, "external_id", "this record belongs to a member outside the teams you manage"),
    ]
    assert not Account.objects.filter(external_id__in=["M-1", "M-3"]).exists()


# --- opportunities ---------------------------------------------------------------------------


def test_given_deals_into_an_organisation_without_pipeline_when_imported_then_the_default_one_is_made(
    world,
):
    run(world.admin, "accounts", _accounts(world))
    text = csv_text(
        OPPS,
        "OPP-1,Scanners,rep@acme.test,12500.00,2026-07-15,Proposal,ACC-1,USD,,",
        "OPP-2,Handhelds,other@acme.test,86000,2026-06-28,Closed won,ACC-2,,,",
    )
    result = run(world.admin, "opportunities", text)
    assert result.ok and result.created == 2
    assert Pipeline.objects.filter(organisation=world.org, is_default=True).count() == 1
    won = Opportunity.objects.get(external_id="OPP-2")
    assert won.stage.name == "Closed won" and won.forecast_category == "closed"
    assert won.closed_at is not None and won.closed_at.date() == dt.date(2026, 6, 28)
    assert won.currency == "USD" and won.amount_reporting == Decimal("86000")
    proposal = Opportunity.objects.get(external_id="OPP-1")
    assert proposal.forecast_category == "best_case" and proposal.closed_at is None
    assert StageChange.objects.filter(opportunity__organisation=world.org).count() == 2
    again = run(world.admin, "opportunities", text)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_given_a_stage_move_when_reimported_then_history_and_version_follow(world):
    run(
        world.admin,
        "opportunities",
        csv_text(OPPS, "OPP-1,Scanners,rep@acme.test,100,2026-07-15,Proposal,,,,"),
    )
    result = run(
        world.admin,
        "opportunities",
        csv_text(OPPS, "OPP-1,Scanners,rep@acme.test,100,2026-07-15,Negotiation,,,,"),
    )
    assert result.updated == 1
    deal = Opportunity.objects.get(external_id="OPP-1")
    assert (
        deal.stage.name == "Negotiation"
        and deal.version == 2
        and deal.forecast_category == "commit"
    )
    moves = list(
        StageChange.objects.filter(opportunity=deal)
        .order_by("pk")
        .values_list("from_stage__name", "to_stage__name")
    )
    assert moves == [(None, "Proposal"), ("Proposal", "Negotiation")]


def test_given_bad_deal_rows_when_imported_then_stage_category_and_rate_errors_are_listed(world):
    run(
        world.admin,
        "opportunities",
        csv_text(OPPS, "OPP-0,Seed,rep@acme.test,1,2026-07-15,Proposal,,,,"),
    )
    text = csv_text(
        OPPS,
        "OPP-1,A,rep@acme.test,100,2026-07-15,Imagination,,,,",
        "OPP-2,B,rep@acme.test,100,2026-07-15,Proposal,,,,closed",
        "OPP-3,C,rep@acme.test,100,2026-07-15,Proposal,,VND,,",
        "OPP-4,D,rep@acme.test,-5,2026-07-15,Proposal,,,1.5,",
    )
    result = run(world.admin, "opportunities", text)
    assert (
        errors_of(result)[0][:2] == (2, "stage")
        and "not a stage of Sales pipeline" in errors_of(result)[0][2]
    )
    assert errors_of(result)[1:] == [
        (3, "forecast_category", "closed belongs to won and lost stages only"),
        (4, "currency", "No exchange rate from VND to USD on or before 2026-07-15."),
        (5, "amount", "must be at least 0"),
        (5, "probability", "must be a fraction between 0 and 1 (or a percentage like 25%)"),
    ]
    assert Opportunity.objects.filter(organisation=world.org).count() == 1


# --- orders ---------------------------------------------------------------------------------


def _orders():
    return csv_text(
        ORDERS,
        "SO-1,1,2026-07-03,rep@acme.test,xs-400,10,250.00,Scanner,Hardware,,0.05,160,USD,,,rep@acme.test:60;peer@acme.test:40",
        "SO-1,2,2026-07-03,rep@acme.test,SUP-1Y,1,500,Support,Services,,,,USD,cancelled,2026-08-01,",
        "SO-2,1,2026-07-05,peer@acme.test,XS-400,-2,250,,,,,,,returned,,",
    )


def test_given_order_lines_when_imported_then_orders_lines_products_and_splits_are_written(world):
    result = run(world.admin, "orders", _orders())
    assert result.ok and result.created == 3
    assert Order.objects.filter(organisation=world.org).count() == 2
    line = OrderLine.objects.get(order__external_id="SO-1", line=1)
    assert line.sku == "XS-400" and line.net_amount == Decimal("2375.0000")
    assert line.cost_amount == Decimal("1600") and line.net_amount_reporting == Decimal("2375")
    assert line.product_category.name == "Hardware" and line.owner == world.rep
    assert sorted(
        OrderLineSplit.objects.filter(line=line).values_list("member__user__email", "share")
    ) == [("peer@acme.test", Decimal("0.4")), ("rep@acme.test", Decimal("0.6"))]
    cancelled = OrderLine.objects.get(order__external_id="SO-1", line=2)
    assert cancelled.status == "cancelled" and cancelled.status_date == dt.date(2026, 8, 1)
    ret = OrderLine.objects.get(order__external_id="SO-2")
    assert (
        ret.quantity == -2
        and ret.net_amount == Decimal("-500")
        and ret.status_date == dt.date(2026, 7, 5)
    )
    assert Product.objects.filter(organisation=world.org).count() == 2
    assert ProductCategory.objects.filter(organisation=world.org).count() == 2


def test_given_the_same_order_file_twice_when_imported_then_nothing_changes(world):
    run(world.admin, "orders", _orders())
    stamp = OrderLine.objects.aggregate(Max("updated_at"))
    again = run(world.admin, "orders", _orders())
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert OrderLine.objects.count() == 3 and OrderLineSplit.objects.count() == 2
    assert OrderLine.objects.aggregate(Max("updated_at")) == stamp


def test_given_a_changed_line_and_a_new_split_when_reimported_then_only_they_change(world):
    run(world.admin, "orders", _orders())
    text = _orders().replace(
        "rep@acme.test:60;peer@acme.test:40", "rep@acme.test:50;peer@acme.test:50"
    )
    text = text.replace(
        "SO-2,1,2026-07-05,peer@acme.test,XS-400,-2,", "SO-2,1,2026-07-05,peer@acme.test,XS-400,-3,"
    )
    result = run(world.admin, "orders", text)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert set(OrderLineSplit.objects.values_list("share", flat=True)) == {Decimal("0.5")}
    assert OrderLine.objects.get(order__external_id="SO-2").quantity == -3


def test_given_lines_of_one_order_that_disagree_when_imported_then_the_later_line_is_an_error(
    world,
):
    text = csv_text(
        ORDERS,
        "SO-1,1,2026-07-03,rep@acme.test,A,1,1,,,,,,,,,",
        "SO-1,2,2026-07-04,rep@acme.test,A,1,1,,,,,,,,,",
        "SO-1,2,2026-07-03,rep@acme.test,A,1,1,,,,,,,,,",
        "SO-3,1,2026-07-03,rep@acme.test,A,0,1,,,,,,,cancelled,2026-07-01,",
    )
    result = run(world.admin, "orders", text)
    assert errors_of(result) == [
        (3, "order_date", "differs from row 2 of the same order"),
        (4, "line", "duplicate of row 3 (same order and line)"),
        (5, "quantity", "must not be zero"),
        (5, "status_date", "before the order date"),
    ]


def test_given_a_manager_when_importing_orders_then_unknown_skus_and_other_teams_are_errors(world):
    run(world.admin, "orders", csv_text(ORDERS, "SO-9,1,2026-07-03,other@acme.test,A,1,1,,,,,,,,,"))
    text = csv_text(
        ORDERS,
        "SO-1,1,2026-07-03,rep@acme.test,A,1,1,,,,,,,,,",
        "SO-2,1,2026-07-03,rep@acme.test,NEW-SKU,1,1,,,,,,,,,",
        "SO-9,2,2026-07-03,rep@acme.test,A,1,1,,,,,,,,,",
    )
    result = run(world.manager, "orders", text)
    assert errors_of(result) == [
        (
            3,
            "sku",
            "no product with this SKU; an admin or director can import the file to create it",
        ),
        (4, "external_id", "this order belongs to a member outside the teams you manage"),
    ]


def test_given_a_10000_row_file_with_500_bad_rows_when_imported_then_500_errors_and_0_rows(world):
    AccountFactory(owner=world.other_org_rep, external_id="BETA-ACC")
    bad = [
        ("2026-07-03", "rep@acme.test", "A", "abc", ""),  # a type
        ("2026-07-03", "rep@beta.test", "A", "1", ""),  # another organisation's member
        ("2026-07-03", "rep@acme.test", "=cmd()", "1", ""),  # a formula
        ("2026-07-03", "rep@acme.test", "A", "1", "BETA-ACC"),  # another organisation's account
        ("2026/07/03", "rep@acme.test", "A", "1", ""),  # a date
    ]
    rows = []
    for i in range(10_000):
        if i % 20 == 19:
            day, owner, sku, qty, acc = bad[(i // 20) % len(bad)]
        else:
            day, owner, sku, qty, acc = "2026-07-03", "rep@acme.test", "A", "1", ""
        rows.append(f"SO-{i},1,{day},{owner},{sku},{qty},10,,,{acc},,,,,,")
    rows.append("SO-0,1,2026-07-03,rep@acme.test,A,1,10,,,,,,,,,")  # a duplicate: error 501
    result = run(world.admin, "orders", csv_text(ORDERS, *rows))
    assert result.error_count == 501
    assert {e["column"] for e in result.errors} == {
        "quantity",
        "owner_email",
        "sku",
        "account_external_id",
        "order_date",
        "line",
    }
    assert all(e["row"] >= 2 and e["reason"] for e in result.errors)
    assert (
        OrderLine.objects.count() == 0
        and Order.objects.count() == 0
        and Product.objects.count() == 0
    )


# --- activities -----------------------------------------------------------------------------


def test_given_activities_when_imported_then_times_are_in_the_organisation_zone_and_deals_give_accounts(
    world,
):
    world.org.time_zone = "Asia/Ho_Chi_Minh"
    world.org.save()
    run(world.admin, "accounts", _accounts(world))
    run(
        world.admin,
        "opportunities",
        csv_text(OPPS, "OPP-1,Scanners,rep@acme.test,1,2026-07-15,Proposal,ACC-1,,,"),
    )
    text = csv_text(
        "external_id,type,date,owner_email,opportunity_external_id,outcome,duration_minutes,done",
        "ACT-1,call,2026-07-15 09:30,rep@acme.test,OPP-1,Interested,30,",
        "ACT-2,task,2026-07-16,peer@acme.test,,,,no",
    )
    result = run(world.admin, "activities", text)
    assert result.created == 2
    call = Activity.objects.get(external_id="ACT-1")
    assert call.occurred_at == dt.datetime(2026, 7, 15, 2, 30, tzinfo=dt.UTC)
    assert call.account.external_id == "ACC-1" and call.done is True
    assert Activity.objects.get(external_id="ACT-2").done is False
    assert run(world.admin, "activities", text).unchanged == 2


@pytest.mark.parametrize(
    "kind", ["accounts", "contacts", "leads", "opportunities", "orders", "activities"]
)
def test_given_a_viewer_when_importing_any_crm_kind_then_it_is_refused(world, kind):
    from saleshelm.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(world.viewer, kind, "external_id\nX\n")

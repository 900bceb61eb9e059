"""HubSpot and Salesforce exports, and the sample files of docs/samples (SPEC §4)."""

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.core.errors import ApplicationError
from saleshelm.crm.models import Account, Contact, Opportunity, Pipeline, Stage
from tests.imports.helpers import csv_text, errors_of, run, run_sample


@pytest.fixture
def sample_org(db):
    """A new organisation with the people of docs/samples/members.csv (acting as the CLI)."""
    from saleshelm.crm.models import ExchangeRate
    from saleshelm.tenancy.actors import SystemActor
    from tests.tenancy.factories import OrganisationFactory

    org = OrganisationFactory(slug="vietsales", name="Viet Sales", currency="USD")
    ExchangeRate.objects.create(
        organisation=org, currency="VND", rate_date=dt.date(2020, 1, 1), rate=Decimal("0.00004")
    )
    actor = SystemActor(org, label="cli")
    result = run_sample(actor, "members", "members.csv")
    assert result.ok, result.errors
    return actor


def test_given_the_native_samples_when_imported_in_order_then_each_imports_and_reimports_unchanged(
    sample_org,
):
    system = sample_org
    for kind in ("accounts", "contacts", "leads", "opportunities", "orders", "activities"):
        first = run_sample(system, kind, f"{kind}.csv")
        assert first.ok, (kind, first.errors)
        assert first.created == first.rows > 0
        again = run_sample(system, kind, f"{kind}.csv")
        assert (again.created, again.updated, again.unchanged) == (0, 0, first.rows), kind


def test_given_hubspot_exports_when_imported_then_owners_are_matched_by_name_and_stages_created(
    sample_org,
):
    system, org = sample_org, sample_org.organisation
    companies = run_sample(system, "accounts", "hubspot-companies.csv", format="hubspot")
    assert companies.ok, companies.errors
    assert companies.detected == "Read as a HubSpot companies export."
    blue = Account.objects.get(organisation=org, external_id="8400123459")
    assert blue.employees == 1500 and blue.owner is None
    assert Account.objects.get(external_id="8400123456").owner.user.email == "an.nguyen@example.com"
    contacts = run_sample(system, "contacts", "hubspot-contacts.csv", format="hubspot")
    assert contacts.ok, contacts.errors
    mai = Contact.objects.get(external_id="101")
    assert mai.name == "Thị Mai Trần" and mai.account.external_id == "8400123456"
    deals = run_sample(system, "opportunities", "hubspot-deals.csv", format="hubspot")
    assert deals.ok, deals.errors
    pipeline = Pipeline.objects.get(organisation=org, name="Sales Pipeline")
    stages = {s.name: (s.probability, s.kind) for s in Stage.objects.filter(pipeline=pipeline)}
    assert stages["Contract Sent"] == (Decimal("0.9"), "open")
    assert stages["Closed Won"] == (Decimal("1"), "won") and stages["Closed Lost"][1] == "lost"
    deal = Opportunity.objects.get(external_id="15923456789")
    assert deal.owner.user.email == "an.nguyen@example.com"  # "Nguyễn Văn An" in the file
    assert deal.close_date == dt.date(2026, 7, 15) and deal.amount == Decimal("12500")
    assert deal.created_date == dt.date(2026, 3, 2) and deal.account.external_id == "8400123456"
    assert Opportunity.objects.get(external_id="15923456793").amount == 0  # no amount in HubSpot
    again = run_sample(system, "opportunities", "hubspot-deals.csv", format="hubspot")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)


def test_given_salesforce_reports_when_imported_then_amounts_dates_stages_and_footer_are_read(
    sample_org,
):
    system = sample_org
    for kind in ("accounts", "contacts", "opportunities"):
        result = run_sample(system, kind, f"salesforce-{kind}.csv", format="salesforce")
        assert result.ok, (kind, result.errors)
        assert (
            result.rows == 5 if kind != "contacts" else result.rows == 3
        )  # the footer is not data
    deal = Opportunity.objects.get(external_id="0068d00000ABcdEAAT")
    assert deal.amount == Decimal("48200.00") and deal.currency == "USD"
    assert deal.close_date == dt.date(2026, 7, 15) and deal.probability == Decimal("0.75")
    assert deal.stage.name == "Proposal/Price Quote" and deal.stage.pipeline.name == "Salesforce"
    assert deal.owner.user.email == "sarah.jones@example.com"
    assert deal.account.name == "Mekong Pharma"
    won = Opportunity.objects.get(external_id="0068d00000ABcdFAAT")
    assert won.stage.kind == "won" and won.forecast_category == "closed"
    assert Stage.objects.filter(pipeline__name="Salesforce").count() == 10
    again = run_sample(system, "opportunities", "salesforce-opportunities.csv", format="salesforce")
    assert again.unchanged == 5


def test_given_owner_names_without_accents_or_in_capitals_when_imported_then_they_still_match(
    world,
):
    text = csv_text(
        '"Opportunity ID","Opportunity Name","Opportunity Owner","Amount","Close Date","Stage"',
        '"006A","Deal A","nguyen van an","1,000.00","7/1/2026","Prospecting"',
        '"006B","Deal B","TRẦN THỊ BÌNH","2,000.00","7/2/2026","Closed Won"',
        '"006C","Deal C","Nobody Here","3,000.00","7/3/2026","Prospecting"',
    )
    result = run(world.admin, "opportunities", text, format="salesforce")
    assert errors_of(result) == [
        (4, "Opportunity Owner", "no active member of this organisation has this name")
    ]


def test_given_two_members_with_the_same_name_when_matched_by_name_then_it_is_an_error(world):
    from tests.tenancy.factories import MembershipFactory, UserFactory

    MembershipFactory(
        organisation=world.org, user=UserFactory(email="an2@acme.test", full_name="Nguyen Van An")
    )
    text = csv_text('"Record ID","Company name","Company owner"', '"1","Acme Co","Nguyễn Văn An"')
    result = run(world.admin, "accounts", text, format="hubspot")
    assert errors_of(result) == [
        (2, "Company owner", "2 members have this name; give the owner's email instead")
    ]


def test_given_a_hubspot_deals_file_imported_as_accounts_when_read_then_the_kind_is_named(world):
    text = csv_text('"Record ID","Deal Name","Deal Stage"', '"1","A","Closed Won"')
    with pytest.raises(ApplicationError, match="import it as opportunities"):
        run(world.admin, "accounts", text, format="hubspot")


def test_given_a_native_file_read_as_hubspot_when_read_then_it_is_refused_clearly(world):
    with pytest.raises(ApplicationError, match="does not look like a HubSpot export"):
        run(world.admin, "accounts", "external_id,name\nA,B\n", format="hubspot")


def test_given_a_manager_and_a_new_tool_pipeline_when_imported_then_an_admin_must_create_it(world):
    text = csv_text(
        '"Record ID","Deal Name","Deal Stage","Close Date","Deal owner","Amount"',
        '"1","A","Contract Sent","2026-07-15 00:00","Nguyễn Văn An","10"',
    )
    result = run(world.manager, "opportunities", text, format="hubspot")
    assert errors_of(result) == [
        (
            2,
            "Deal Stage",
            "pipeline Sales Pipeline does not exist; an admin or "
            "director must import this file once to create it",
        )
    ]
    assert not Pipeline.objects.filter(name="Sales Pipeline").exists()
    assert run(world.admin, "opportunities", text, format="hubspot").ok
    assert run(world.manager, "opportunities", text, format="hubspot").unchanged == 1


def test_given_a_custom_hubspot_stage_when_imported_then_it_is_added_before_the_closed_stages(
    world,
):
    text = csv_text(
        '"Record ID","Deal Name","Deal Stage","Close Date","Deal owner","Amount","Deal probability"',
        '"1","A","Pilot Running","2026-07-15 00:00","Nguyễn Văn An","10","0.7"',
    )
    result = run(world.admin, "opportunities", text, format="hubspot")
    assert result.ok, result.errors
    names = list(
        Stage.objects.filter(pipeline__name="Sales Pipeline")
        .order_by("position")
        .values_list("name", flat=True)
    )
    assert names.index("Pilot Running") < names.index("Closed Won")
    assert Stage.objects.get(name="Pilot Running").probability == Decimal("0.7")

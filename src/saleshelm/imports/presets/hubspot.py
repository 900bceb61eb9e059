"""HubSpot: the CSV/XLSX written by "Export" on the deals, companies and contacts views.

HubSpot writes each property under its label ("Deal Name", "Deal Stage", "Close Date"),
dates as ``2026-07-15 00:00``, the owner as a full name, and the associated company by its
Record ID ("Associated Company IDs", several separated by ``;``). Deals of the default
"Sales Pipeline" use HubSpot's default stages and probabilities, created in SalesHelm if
absent; custom stages are added to the pipeline the first time they appear.
"""

from __future__ import annotations

from decimal import Decimal

from saleshelm.crm.models import StageKind
from saleshelm.imports.kinds.opportunities import StageCatalog, StageSpec
from saleshelm.imports.presets.base import (
    Map,
    Preset,
    PresetObject,
    choice,
    email_only,
    first_id,
    first_name_in_list,
    fraction_or_percent,
    full_name,
    iso_or_us_date,
    money_amount_or_zero,
    money_currency,
    name_only,
    plain_number,
)

HUBSPOT_PIPELINE = StageCatalog(
    tool="HubSpot",
    pipeline="Sales Pipeline",
    stages=(
        StageSpec("Appointment Scheduled", Decimal("0.2")),
        StageSpec("Qualified To Buy", Decimal("0.4")),
        StageSpec("Presentation Scheduled", Decimal("0.6")),
        StageSpec("Decision Maker Bought-In", Decimal("0.8")),
        StageSpec("Contract Sent", Decimal("0.9")),
        StageSpec("Closed Won", Decimal("1"), StageKind.WON),
        StageSpec("Closed Lost", Decimal("0"), StageKind.LOST),
    ),
    # The internal names HubSpot uses in API-made exports.
    aliases={
        "appointmentscheduled": "Appointment Scheduled",
        "qualifiedtobuy": "Qualified To Buy",
        "presentationscheduled": "Presentation Scheduled",
        "decisionmakerboughtin": "Decision Maker Bought-In",
        "contractsent": "Contract Sent",
        "closedwon": "Closed Won",
        "closedlost": "Closed Lost",
    },
)

FORECAST = choice(
    {
        "pipeline": "pipeline",
        "best case": "best_case",
        "commit": "commit",
        "closed": "closed",
        "closed won": "closed",
        "omit": "",
        "omitted": "",
    }
)
RECORD_ID = ("Record ID", "Deal ID", "Company ID", "Contact ID")
COMPANY_IDS = (
    "Associated Company IDs (Primary)",
    "Associated Company IDs",
    "Associated Company ID",
    "Associated Company IDs (Companies)",
)

DEALS = PresetObject(
    name="deals",
    kind="opportunities",
    signature=("Deal Name", "Deal Stage"),
    maps=(
        Map("external_id", ("Record ID", "Deal ID")),
        Map("name", ("Deal Name",)),
        Map("owner_email", ("Deal owner", "Deal Owner"), email_only),
        Map("owner_name", ("Deal owner", "Deal Owner"), name_only),
        Map("amount", ("Amount", "Amount in company currency"), money_amount_or_zero),
        Map(
            "currency",
            ("Amount", "Amount in company currency"),
            money_currency,
            also=(("Currency", "Deal currency code"),),
        ),
        Map("close_date", ("Close Date",), iso_or_us_date),
        Map("stage", ("Deal Stage",)),
        Map("pipeline", ("Pipeline",)),
        Map("account_external_id", COMPANY_IDS, first_id),
        Map(
            "account_name",
            ("Associated Company", "Associated Company (Primary)"),
            first_name_in_list,
        ),
        Map("probability", ("Deal probability", "Deal Probability"), fraction_or_percent),
        Map("forecast_category", ("Forecast category",), FORECAST),
        Map("created_date", ("Create Date",), iso_or_us_date),
        Map("next_step", ("Next step", "Next Step")),
        Map("lost_reason", ("Closed Lost Reason", "Closed lost reason")),
    ),
    quiet=(
        "Deal Type",
        "Last Activity Date",
        "Last Modified Date",
        "Deal Description",
        "Priority",
        "Number of Associated Contacts",
        "Associated Contact",
        "Associated Contact IDs",
        "Currency",
        "Deal currency code",
        "Closed Won Reason",
        "Weighted amount",
        "Forecast amount",
        "Days to close",
        "Original Source Type",
        "Associated Company IDs",
        "Associated Company ID",
        "Associated Company IDs (Companies)",
    ),
    options={"stage_catalog": HUBSPOT_PIPELINE},
)

COMPANIES = PresetObject(
    name="companies",
    kind="accounts",
    signature=("Company name",),
    maps=(
        Map("external_id", ("Record ID", "Company ID")),
        Map("name", ("Company name", "Name")),
        Map("owner_email", ("Company owner",), email_only),
        Map("owner_name", ("Company owner",), name_only),
        Map("industry", ("Industry",)),
        Map("employees", ("Number of Employees",), plain_number),
        Map("region", ("State/Region", "State")),
        Map("country", ("Country/Region", "Country")),
        Map("website", ("Website URL", "Company Domain Name")),
        Map("created_date", ("Create Date",), iso_or_us_date),
    ),
    quiet=(
        "Phone Number",
        "City",
        "Postal Code",
        "Street Address",
        "Lifecycle Stage",
        "Lead Status",
        "Last Activity Date",
        "Annual Revenue",
        "Type",
        "Time Zone",
        "Company Domain Name",
        "Associated Contact",
        "Associated Deal",
        "Number of Associated Contacts",
        "Number of Associated Deals",
        "Description",
        "LinkedIn Company Page",
        "Last Modified Date",
        "Total Revenue",
    ),
)

CONTACTS = PresetObject(
    name="contacts",
    kind="contacts",
    signature=("First Name", "Last Name"),
    maps=(
        Map("external_id", ("Record ID", "Contact ID")),
        Map("name", ("First Name",), full_name, also=("Last Name",)),
        Map("email", ("Email",)),
        Map("phone", ("Phone Number", "Mobile Phone Number")),
        Map("title", ("Job Title",)),
        Map("owner_email", ("Contact owner", "Contact Owner"), email_only),
        Map("owner_name", ("Contact owner", "Contact Owner"), name_only),
        Map("account_external_id", ("Associated Company ID", *COMPANY_IDS), first_id),
    ),
    quiet=(
        "Last Name",
        "Lifecycle Stage",
        "Lead Status",
        "Create Date",
        "Last Activity Date",
        "Company Name",
        "Associated Company",
        "Associated Company (Primary)",
        "Country/Region",
        "City",
        "State/Region",
        "Mobile Phone Number",
        "Marketing contact status",
        "Original Source",
        "Last Modified Date",
        "Associated Deals",
        "Number of Associated Deals",
    ),
)


class HubSpot(Preset):
    name = "hubspot"
    tool = "HubSpot"
    objects = (DEALS, COMPANIES, CONTACTS)

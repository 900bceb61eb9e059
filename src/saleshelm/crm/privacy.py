"""The crm part of a person's data (SPEC §11.11): the records they own or are credited on.

Ids and key fields only, not the world: an account's contacts, an order's lines and the
customers' own details belong to the organisation's customers, not to the member.

Erasure leaves every crm record as it is: accounts, deals, orders and their splits are
business and financial records. They keep pointing at the member, whose name becomes the
pseudonym; nothing here is a private note about the person.
"""

from __future__ import annotations

from typing import Any

from saleshelm.core.sql import ExactMoneySum, from_units
from saleshelm.crm.models import (
    Account,
    Activity,
    Contact,
    Lead,
    Opportunity,
    OpportunitySplit,
    Order,
    OrderLineSplit,
)
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership


def _with_net_amount(row: dict[str, Any]) -> dict[str, Any]:
    """An order's row with its exact total (ten-thousandths summed in SQL, core.sql)."""
    units = row.pop("net_units")
    return {**row, "net_amount": None if units is None else from_units(units)}


def export_member(*, actor: Actor, member: Membership) -> dict[str, Any]:
    # Only an admin or the member themself exports (people.permissions); both read every
    # record the member owns, so ownership is the whole scope here.
    org = {"organisation_id": member.organisation_id}
    return {
        "accounts": list(
            Account.objects.filter(**org, owner=member)
            .order_by("pk")
            .values("id", "external_id", "name", "industry", "country", "created_date")
        ),
        "contacts": list(
            Contact.objects.filter(**org, owner=member)
            .order_by("pk")
            .values("id", "external_id", "name", "account_id")
        ),
        "leads": list(
            Lead.objects.filter(**org, owner=member)
            .order_by("pk")
            .values("id", "external_id", "name", "company", "status", "created_at")
        ),
        "opportunities": list(
            Opportunity.objects.filter(**org, owner=member)
            .order_by("pk")
            .values(
                "id",
                "external_id",
                "name",
                "account_id",
                "stage__name",
                "amount",
                "currency",
                "close_date",
                "forecast_category",
                "closed_at",
            )
        ),
        "opportunity_splits": list(
            OpportunitySplit.objects.filter(**org, member=member)
            .order_by("opportunity_id", "pk")
            .values("opportunity_id", "share")
        ),
        "orders": [
            _with_net_amount(o)
            for o in Order.objects.filter(**org, owner=member)
            .order_by("order_date", "pk")
            .annotate(net_units=ExactMoneySum("lines__net_amount"))
            .values("id", "external_id", "order_date", "account_id", "currency", "net_units")
        ],
        "order_line_splits": list(
            OrderLineSplit.objects.filter(**org, member=member)
            .order_by("line__order_id", "line__line", "pk")
            .values("line_id", "line__order_id", "line__line", "share")
        ),
        "activities": list(
            Activity.objects.filter(**org, owner=member)
            .order_by("occurred_at", "pk")
            .values(
                "id",
                "external_id",
                "type",
                "occurred_at",
                "subject",
                "account_id",
                "opportunity_id",
                "done",
            )
        ),
    }


def register_privacy() -> None:
    from saleshelm.people.privacy import PrivacyProvider, register_privacy_provider

    register_privacy_provider(PrivacyProvider(key="crm", export=export_member, order=20))

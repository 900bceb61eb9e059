"""Reads of accounts, contacts and leads, scoped by the actor (see ``scope``)."""

from __future__ import annotations

from django.db.models import QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.crm.models import Account, Contact, Lead
from saleshelm.crm.selectors import scope
from saleshelm.crm.selectors.common import apply_sort, search_q
from saleshelm.tenancy.actors import Actor

ACCOUNT_SORTS = {
    "name": ["name"],
    "created_date": ["created_date"],
    "employees": ["employees"],
    "industry": ["industry", "name"],
    "region": ["region", "name"],
    "country": ["country", "name"],
}
CONTACT_SORTS = {
    "name": ["name"],
    "email": ["email"],
    "created_at": ["created_at"],
    "account": ["account__name", "name"],
}
LEAD_SORTS = {
    "name": ["name"],
    "company": ["company", "name"],
    "status": ["status", "name"],
    "source": ["source", "name"],
    "created_at": ["created_at"],
}


def account_qs(*, actor: Actor) -> QuerySet[Account]:
    return (
        Account.objects.filter(organisation_id=actor.organisation_id)
        .filter(scope.account_q(actor))
        .select_related("owner__user")
    )


def account_list(
    *,
    actor: Actor,
    search: str | None = None,
    owner_id: int | None = None,
    industry: str | None = None,
    region: str | None = None,
    country: str | None = None,
    sort: str | None = None,
) -> QuerySet[Account]:
    qs = account_qs(actor=actor).filter(
        search_q(search, ["name", "external_id", "industry", "website"])
    )
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if industry:
        qs = qs.filter(industry__iexact=industry)
    if region:
        qs = qs.filter(region__iexact=region)
    if country:
        qs = qs.filter(country__iexact=country)
    return apply_sort(qs, sort, ACCOUNT_SORTS, "name")


def access_account(*, actor: Actor, id: int, for_update: bool = False) -> Account:
    qs = account_qs(actor=actor)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    obj = qs.filter(pk=id).first()
    if obj is None:
        raise NotFound("Account")
    return obj


def account_facets(*, actor: Actor) -> dict[str, list[str]]:
    """Distinct industries and regions for filter drop-downs."""
    qs = account_qs(actor=actor).order_by()
    return {
        "industries": sorted(i for i in qs.values_list("industry", flat=True).distinct() if i),
        "regions": sorted(r for r in qs.values_list("region", flat=True).distinct() if r),
    }


def contact_qs(*, actor: Actor) -> QuerySet[Contact]:
    return (
        Contact.objects.filter(organisation_id=actor.organisation_id)
        .filter(scope.contact_q(actor))
        .select_related("owner__user", "account")
    )


def contact_list(
    *,
    actor: Actor,
    search: str | None = None,
    account_id: int | None = None,
    owner_id: int | None = None,
    sort: str | None = None,
) -> QuerySet[Contact]:
    qs = contact_qs(actor=actor).filter(
        search_q(search, ["name", "email", "phone", "title", "account__name"])
    )
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return apply_sort(qs, sort, CONTACT_SORTS, "name")


def access_contact(*, actor: Actor, id: int) -> Contact:
    obj = contact_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Contact")
    return obj


def lead_qs(*, actor: Actor) -> QuerySet[Lead]:
    return (
        Lead.objects.filter(organisation_id=actor.organisation_id)
        .filter(scope.lead_q(actor))
        .select_related("owner__user", "converted_account", "converted_opportunity")
    )


def lead_list(
    *,
    actor: Actor,
    search: str | None = None,
    status: str | None = None,
    source: str | None = None,
    owner_id: int | None = None,
    sort: str | None = None,
) -> QuerySet[Lead]:
    qs = lead_qs(actor=actor).filter(search_q(search, ["name", "company", "email", "phone"]))
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source__iexact=source)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    return apply_sort(qs, sort, LEAD_SORTS, "-created_at")


def access_lead(*, actor: Actor, id: int) -> Lead:
    obj = lead_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Lead")
    return obj

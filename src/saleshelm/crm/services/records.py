"""Accounts, contacts and leads: create, update, and lead conversion (SPEC §3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict
from saleshelm.crm.models import Account, Contact, Lead, LeadStatus, Opportunity, Pipeline
from saleshelm.crm.services.common import (
    apply_changes,
    check_owner_change,
    clean_text,
    new_external_id,
    require_edit,
    require_text,
    require_writer,
    resolve_owner,
    same_org,
    save_validated,
)
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record

ACCOUNT_FIELDS = {
    "external_id",
    "name",
    "owner",
    "industry",
    "employees",
    "region",
    "country",
    "website",
    "created_date",
}
CONTACT_FIELDS = {"external_id", "name", "account", "email", "phone", "title", "owner"}
LEAD_FIELDS = {"external_id", "name", "company", "email", "phone", "source", "status", "owner"}
TEXT_FIELDS = {
    "name",
    "industry",
    "region",
    "country",
    "website",
    "email",
    "phone",
    "title",
    "company",
    "source",
    "external_id",
}
REQUIRED_TEXT = {"name", "external_id"}


def _clean(changes: dict, allowed: set[str]) -> dict:
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(
            f"cannot change {', '.join(sorted(unknown))}",
            code="read_only",
            field=sorted(unknown)[0],
        )
    out = {}
    for key, value in changes.items():
        if key in REQUIRED_TEXT:
            value = require_text(value, key)
        elif key in TEXT_FIELDS:
            value = clean_text(value)
        out[key] = value
    if "email" in out:
        out["email"] = out["email"].lower()
    if "employees" in out and out["employees"] is not None and out["employees"] < 0:
        raise ApplicationError("employees cannot be negative", field="employees", code="negative")
    return out


def _owner_changed_audit(actor, obj, before_owner, kind: str) -> None:
    if obj.owner_id != before_owner:
        audit_record(
            actor=actor,
            action=f"{kind}.owner_change",
            obj=obj,
            before={"owner": before_owner},
            after={"owner": obj.owner_id},
        )


# --- accounts -------------------------------------------------------------------------------


@transaction.atomic
def account_create(
    *,
    actor: Actor,
    name: str,
    owner: Membership | None = None,
    external_id: str | None = None,
    industry: str = "",
    employees: int | None = None,
    region: str = "",
    country: str = "",
    website: str = "",
    created_date: dt.date | None = None,
) -> Account:
    require_writer(actor)
    owner = resolve_owner(actor, owner, required=False)
    data = _clean(
        {
            "name": name,
            "industry": industry,
            "employees": employees,
            "region": region,
            "country": country,
            "website": website,
        },
        ACCOUNT_FIELDS,
    )
    account = Account(
        organisation_id=actor.organisation_id,
        external_id=clean_text(external_id) or new_external_id("ACC"),
        owner=owner,
        created_date=created_date or timezone.localdate(),
        **data,
    )
    save_validated(account, exclude=["organisation", "owner"], what="account")
    return account


@transaction.atomic
def account_update(*, actor: Actor, account: Account, **changes) -> Account:
    require_edit(actor, account)
    changes = _clean(changes, ACCOUNT_FIELDS)
    account = Account.objects.select_for_update().get(pk=account.pk)
    require_edit(actor, account)
    if "owner" in changes:
        check_owner_change(actor, account, changes["owner"], required=False)
    if changes.get("created_date", False) is None:
        changes.pop("created_date")
    before_owner = account.owner_id
    changed = apply_changes(account, changes)
    if changed:
        save_validated(
            account, exclude=["organisation", "owner"], what="account", update_fields=changed
        )
        _owner_changed_audit(actor, account, before_owner, "account")
    return account


# --- contacts -------------------------------------------------------------------------------


@transaction.atomic
def contact_create(
    *,
    actor: Actor,
    name: str,
    account: Account | None = None,
    owner: Membership | None = None,
    external_id: str | None = None,
    email: str = "",
    phone: str = "",
    title: str = "",
) -> Contact:
    require_writer(actor)
    same_org(actor, account, "account")
    if owner is None and account is not None and account.owner_id is not None:
        # A contact follows its account's owner unless told otherwise.
        owner = account.owner if actor.role != "rep" else None
    owner = resolve_owner(actor, owner, required=False)
    data = _clean({"name": name, "email": email, "phone": phone, "title": title}, CONTACT_FIELDS)
    contact = Contact(
        organisation_id=actor.organisation_id,
        external_id=clean_text(external_id) or new_external_id("CON"),
        account=account,
        owner=owner,
        **data,
    )
    save_validated(contact, exclude=["organisation", "owner", "account"], what="contact")
    return contact


@transaction.atomic
def contact_update(*, actor: Actor, contact: Contact, **changes) -> Contact:
    require_edit(actor, contact)
    changes = _clean(changes, CONTACT_FIELDS)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    require_edit(actor, contact)
    if "owner" in changes:
        check_owner_change(actor, contact, changes["owner"], required=False)
    if "account" in changes:
        same_org(actor, changes["account"], "account")
    before_owner = contact.owner_id
    changed = apply_changes(contact, changes)
    if changed:
        save_validated(
            contact,
            exclude=["organisation", "owner", "account"],
            what="contact",
            update_fields=changed,
        )
        _owner_changed_audit(actor, contact, before_owner, "contact")
    return contact


# --- leads ----------------------------------------------------------------------------------


def _check_lead_status(status: str) -> None:
    if status not in LeadStatus.values:
        raise ApplicationError(
            f"status must be one of {', '.join(LeadStatus.values)}",
            field="status",
            code="invalid_choice",
        )
    if status == LeadStatus.CONVERTED:
        raise ApplicationError(
            "a lead becomes converted by converting it", field="status", code="use_convert"
        )


@transaction.atomic
def lead_create(
    *,
    actor: Actor,
    name: str,
    company: str = "",
    email: str = "",
    phone: str = "",
    source: str = "",
    status: str = LeadStatus.NEW,
    owner: Membership | None = None,
    external_id: str | None = None,
) -> Lead:
    require_writer(actor)
    owner = resolve_owner(actor, owner, required=False)
    _check_lead_status(status)
    data = _clean(
        {"name": name, "company": company, "email": email, "phone": phone, "source": source},
        LEAD_FIELDS,
    )
    lead = Lead(
        organisation_id=actor.organisation_id,
        external_id=clean_text(external_id) or new_external_id("LEAD"),
        owner=owner,
        status=status,
        **data,
    )
    save_validated(lead, exclude=["organisation", "owner"], what="lead")
    return lead


@transaction.atomic
def lead_update(*, actor: Actor, lead: Lead, **changes) -> Lead:
    require_edit(actor, lead)
    changes = _clean(changes, LEAD_FIELDS)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    require_edit(actor, lead)
    if lead.status == LeadStatus.CONVERTED and set(changes) - {"owner"}:
        raise Conflict(
            "A converted lead is history; change its account or deal instead.",
            code="already_converted",
        )
    if "status" in changes:
        _check_lead_status(changes["status"])
    if "owner" in changes:
        check_owner_change(actor, lead, changes["owner"], required=False)
    before_owner = lead.owner_id
    changed = apply_changes(lead, changes)
    if changed:
        save_validated(lead, exclude=["organisation", "owner"], what="lead", update_fields=changed)
        _owner_changed_audit(actor, lead, before_owner, "lead")
    return lead


@transaction.atomic
def lead_convert(
    *,
    actor: Actor,
    lead: Lead,
    account: Account | None = None,
    account_name: str | None = None,
    create_opportunity: bool = True,
    opportunity_name: str | None = None,
    amount: Decimal = Decimal(0),
    currency: str | None = None,
    close_date: dt.date | None = None,
    pipeline: Pipeline | None = None,
) -> tuple[Account, Contact, Opportunity | None]:
    """Qualify a lead into an account (new, or an existing one), a contact and a deal.

    The new records belong to the lead's owner (or the converting member when it has none)."""
    from saleshelm.crm.services.opportunities import opportunity_create

    require_edit(actor, lead)
    lead = Lead.objects.select_for_update(of=("self",)).select_related("owner").get(pk=lead.pk)
    require_edit(actor, lead)
    if lead.status == LeadStatus.CONVERTED:
        raise Conflict("This lead is already converted.", code="already_converted")
    if lead.status == LeadStatus.DISQUALIFIED:
        raise Conflict(
            "A disqualified lead cannot be converted; requalify it first.", code="disqualified"
        )
    same_org(actor, account, "account")
    owner = lead.owner
    if owner is None and actor.pk is not None:
        owner = actor
    if account is None:
        account = account_create(
            actor=actor, name=clean_text(account_name) or lead.company or lead.name, owner=owner
        )
    contact = contact_create(
        actor=actor,
        name=lead.name,
        account=account,
        owner=owner,
        email=lead.email,
        phone=lead.phone,
    )
    opportunity = None
    if create_opportunity:
        opportunity = opportunity_create(
            actor=actor,
            name=clean_text(opportunity_name) or f"{account.name}: {lead.name}",
            account=account,
            owner=owner,
            amount=amount,
            currency=currency,
            close_date=close_date or (timezone.localdate() + dt.timedelta(days=30)),
            pipeline=pipeline,
        )
    lead.status = LeadStatus.CONVERTED
    lead.converted_account = account
    lead.converted_contact = contact
    lead.converted_opportunity = opportunity
    lead.converted_at = timezone.now()
    lead.save(
        update_fields=[
            "status",
            "converted_account",
            "converted_contact",
            "converted_opportunity",
            "converted_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="lead.convert",
        obj=lead,
        after={
            "account": account.pk,
            "contact": contact.pk,
            "opportunity": opportunity.pk if opportunity else None,
        },
    )
    return account, contact, opportunity

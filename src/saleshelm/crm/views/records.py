"""Pages of accounts, contacts and leads: lists with search and filters, details, forms."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.crm import selectors, services
from saleshelm.crm.forms import (
    AccountFilterForm,
    AccountForm,
    ActivityForm,
    ContactFilterForm,
    ContactForm,
    LeadConvertForm,
    LeadFilterForm,
    LeadForm,
)
from saleshelm.crm.models import LeadStatus
from saleshelm.crm.permissions import can_edit_record, can_write_records
from saleshelm.crm.views.common import (
    filters_kwargs,
    list_page,
    paginate,
    require_edit_page,
    require_writer_page,
)
from saleshelm.web.access import member_required

RECENT = 10


def _owner_from(form, actor):
    return form.cleaned_data.get("owner") if "owner" in form.fields else None


# --- accounts -------------------------------------------------------------------------------


@member_required
def account_list(request):
    actor = request.membership
    form = AccountFilterForm(request.GET or None, actor=actor)
    qs = selectors.account_list(
        actor=actor,
        **filters_kwargs(
            form,
            {
                "q": "search",
                "industry": "industry",
                "region": "region",
                "owner": "owner_id",
                "sort": "sort",
            },
        ),
    )
    page = paginate(request, qs)
    return list_page(
        request,
        template="crm/accounts.html",
        partial="crm/_account_results.html",
        target="results",
        context={"filters": form, "page_obj": page, "can_create": can_write_records(actor=actor)},
    )


@member_required
def account_create(request):
    require_writer_page(request)
    actor = request.membership
    form = AccountForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        try:
            account = services.account_create(actor=actor, owner=_owner_from(form, actor), **data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Account “%(name)s” created.") % {"name": account.name})
            return redirect("crm:account", pk=account.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("New account"),
            "back": ("crm:accounts", None),
            "section": _("Accounts"),
        },
    )


@member_required
def account_detail(request, pk: int):
    actor = request.membership
    account = selectors.access_account(actor=actor, id=pk)
    deals = selectors.opportunity_list(actor=actor, account_id=account.pk, sort="close_date")
    context = {
        "account": account,
        "can_edit": can_edit_record(actor=actor, owner_id=account.owner_id),
        "can_write": can_write_records(actor=actor),
        "contacts": list(selectors.contact_list(actor=actor, account_id=account.pk)[:50]),
        "open_deals": list(deals.filter(stage__kind="open")[:50]),
        "closed_deals": list(deals.exclude(stage__kind="open").order_by("-closed_at")[:RECENT]),
        "orders": list(selectors.order_list(actor=actor, account_id=account.pk)[:RECENT]),
        "activities": list(selectors.activity_list(actor=actor, account_id=account.pk)[:20]),
        "qa_id": secrets.token_hex(3),
        "activity_form": ActivityForm(initial={"account": account.pk, "type": "call"}),
        "activity_link": {"account": account.pk},
    }
    return render(request, "crm/account.html", context)


@member_required
def account_edit(request, pk: int):
    actor = request.membership
    account = selectors.access_account(actor=actor, id=pk)
    require_edit_page(request, account)
    initial = {
        f: getattr(account, f)
        for f in ("name", "industry", "employees", "region", "country", "website")
    }
    initial["owner"] = account.owner_id
    form = AccountForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if "owner" not in form.fields:
            changes.pop("owner", None)
        try:
            services.account_update(actor=actor, account=account, **changes)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Account saved."))
            return redirect("crm:account", pk=account.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": account.name},
            "back": ("crm:account", account.pk),
            "section": _("Accounts"),
            "record": account,
        },
    )


# --- contacts -------------------------------------------------------------------------------


@member_required
def contact_list(request):
    actor = request.membership
    form = ContactFilterForm(request.GET or None, actor=actor)
    qs = selectors.contact_list(
        actor=actor, **filters_kwargs(form, {"q": "search", "sort": "sort"})
    )
    page = paginate(request, qs)
    return list_page(
        request,
        template="crm/contacts.html",
        partial="crm/_contact_results.html",
        target="results",
        context={"filters": form, "page_obj": page, "can_create": can_write_records(actor=actor)},
    )


@member_required
def contact_create(request):
    require_writer_page(request)
    actor = request.membership
    initial = {}
    if (account_id := request.GET.get("account", "")).isdigit():
        initial["account"] = int(account_id)
    form = ContactForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        try:
            contact = services.contact_create(actor=actor, owner=_owner_from(form, actor), **data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Contact “%(name)s” created.") % {"name": contact.name})
            return redirect("crm:contact", pk=contact.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("New contact"),
            "back": ("crm:contacts", None),
            "section": _("Contacts"),
        },
    )


@member_required
def contact_detail(request, pk: int):
    actor = request.membership
    contact = selectors.access_contact(actor=actor, id=pk)
    return render(
        request,
        "crm/contact.html",
        {
            "contact": contact,
            "can_edit": can_edit_record(actor=actor, owner_id=contact.owner_id),
            "can_write": can_write_records(actor=actor),
            "activities": list(selectors.activity_list(actor=actor, contact_id=contact.pk)[:20]),
            "qa_id": secrets.token_hex(3),
            "activity_form": ActivityForm(
                initial={"contact": contact.pk, "account": contact.account_id, "type": "call"}
            ),
            "activity_link": {"contact": contact.pk},
        },
    )


@member_required
def contact_edit(request, pk: int):
    actor = request.membership
    contact = selectors.access_contact(actor=actor, id=pk)
    require_edit_page(request, contact)
    initial = {f: getattr(contact, f) for f in ("name", "title", "email", "phone")}
    initial.update(owner=contact.owner_id, account=contact.account)
    form = ContactForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if "owner" not in form.fields:
            changes.pop("owner", None)
        try:
            services.contact_update(actor=actor, contact=contact, **changes)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("crm:contact", pk=contact.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": contact.name},
            "back": ("crm:contact", contact.pk),
            "section": _("Contacts"),
            "record": contact,
        },
    )


# --- leads ----------------------------------------------------------------------------------


@member_required
def lead_list(request):
    actor = request.membership
    form = LeadFilterForm(request.GET or None, actor=actor)
    qs = selectors.lead_list(
        actor=actor,
        **filters_kwargs(
            form, {"q": "search", "status": "status", "owner": "owner_id", "sort": "sort"}
        ),
    )
    page = paginate(request, qs)
    return list_page(
        request,
        template="crm/leads.html",
        partial="crm/_lead_results.html",
        target="results",
        context={"filters": form, "page_obj": page, "can_create": can_write_records(actor=actor)},
    )


@member_required
def lead_create(request):
    require_writer_page(request)
    actor = request.membership
    form = LeadForm(request.POST or None, actor=actor, initial={"status": LeadStatus.NEW})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        try:
            lead = services.lead_create(actor=actor, owner=_owner_from(form, actor), **data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Lead “%(name)s” created.") % {"name": lead.name})
            return redirect("crm:lead", pk=lead.pk)
    return render(
        request,
        "crm/record_form.html",
        {"form": form, "title": _("New lead"), "back": ("crm:leads", None), "section": _("Leads")},
    )


@member_required
def lead_detail(request, pk: int):
    actor = request.membership
    lead = selectors.access_lead(actor=actor, id=pk)
    can_edit = can_edit_record(actor=actor, owner_id=lead.owner_id)
    convertible = can_edit and lead.status not in (LeadStatus.CONVERTED, LeadStatus.DISQUALIFIED)
    return render(
        request,
        "crm/lead.html",
        {
            "lead": lead,
            "can_edit": can_edit and lead.status != LeadStatus.CONVERTED,
            "convertible": convertible,
        },
    )


@member_required
def lead_edit(request, pk: int):
    actor = request.membership
    lead = selectors.access_lead(actor=actor, id=pk)
    require_edit_page(request, lead)
    initial = {
        f: getattr(lead, f) for f in ("name", "company", "email", "phone", "source", "status")
    }
    initial["owner"] = lead.owner_id
    form = LeadForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = dict(form.cleaned_data)
        if "owner" not in form.fields:
            changes.pop("owner", None)
        try:
            services.lead_update(actor=actor, lead=lead, **changes)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Lead saved."))
            return redirect("crm:lead", pk=lead.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": lead.name},
            "back": ("crm:lead", lead.pk),
            "section": _("Leads"),
            "record": lead,
        },
    )


@member_required
def lead_convert(request, pk: int):
    actor = request.membership
    lead = selectors.access_lead(actor=actor, id=pk)
    require_edit_page(request, lead)
    form = LeadConvertForm(
        request.POST or None, actor=actor, initial={"account_name": lead.company or lead.name}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account, _contact, opp = services.lead_convert(
                actor=actor,
                lead=lead,
                account=data["account"],
                account_name=data["account_name"],
                create_opportunity=data["create_opportunity"],
                opportunity_name=data["opportunity_name"],
                amount=data["amount"] or Decimal(0),
                currency=data["currency"],
                close_date=data["close_date"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Lead converted."))
            if opp is not None:
                return redirect("crm:opportunity", pk=opp.pk)
            return redirect("crm:account", pk=account.pk)
    return render(request, "crm/lead_convert.html", {"lead": lead, "form": form})

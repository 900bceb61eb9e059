"""Pages of accounts, contacts and leads: lists with search and filters, details, forms."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
    RecordForm,
    filters_kwargs,
    list_page,
    paginate,
    record_form_page,
    require_edit_page,
)
from saleshelm.web.access import member_required

RECENT = 10


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


ACCOUNT = RecordForm(
    form=AccountForm,
    create=services.account_create,
    update=services.account_update,
    kind="account",
    list_url="crm:accounts",
    section=gettext_lazy("Accounts"),
    new_title=gettext_lazy("New account"),
    created=gettext_lazy("Account “%(name)s” created."),
    saved=gettext_lazy("Account saved."),
    fields=("name", "industry", "employees", "region", "country", "website"),
)


@member_required
def account_create(request):
    return record_form_page(request, ACCOUNT)


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
    account = selectors.access_account(actor=request.membership, id=pk)
    return record_form_page(request, ACCOUNT, account)


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


def _contact_new_initial(request) -> dict:
    account_id = request.GET.get("account", "")
    return {"account": int(account_id)} if account_id.isdigit() else {}


CONTACT = RecordForm(
    form=ContactForm,
    create=services.contact_create,
    update=services.contact_update,
    kind="contact",
    list_url="crm:contacts",
    section=gettext_lazy("Contacts"),
    new_title=gettext_lazy("New contact"),
    created=gettext_lazy("Contact “%(name)s” created."),
    saved=gettext_lazy("Contact saved."),
    fields=("name", "title", "email", "phone"),
    new_initial=_contact_new_initial,
    edit_initial=lambda contact: {"account": contact.account},
)


@member_required
def contact_create(request):
    return record_form_page(request, CONTACT)


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
    contact = selectors.access_contact(actor=request.membership, id=pk)
    return record_form_page(request, CONTACT, contact)


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


LEAD = RecordForm(
    form=LeadForm,
    create=services.lead_create,
    update=services.lead_update,
    kind="lead",
    list_url="crm:leads",
    section=gettext_lazy("Leads"),
    new_title=gettext_lazy("New lead"),
    created=gettext_lazy("Lead “%(name)s” created."),
    saved=gettext_lazy("Lead saved."),
    fields=("name", "company", "email", "phone", "source", "status"),
    new_initial=lambda request: {"status": LeadStatus.NEW},
)


@member_required
def lead_create(request):
    return record_form_page(request, LEAD)


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
    lead = selectors.access_lead(actor=request.membership, id=pk)
    return record_form_page(request, LEAD, lead)


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

"""Pages of activities and the quick-add form used on account, contact and deal pages."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError, NotFound
from saleshelm.crm import selectors, services
from saleshelm.crm.forms import ActivityFilterForm, ActivityForm
from saleshelm.crm.views.common import (
    filters_kwargs,
    list_page,
    paginate,
    require_writer_page,
    safe_next,
)
from saleshelm.web.access import member_required


@member_required
def activity_list(request):
    actor = request.membership
    form = ActivityFilterForm(request.GET or None, actor=actor)
    qs = selectors.activity_list(
        actor=actor,
        **filters_kwargs(
            form,
            {
                "q": "search",
                "type": "type",
                "date_from": "date_from",
                "date_to": "date_to",
                "owner": "owner_id",
                "sort": "sort",
            },
        ),
    )
    page = paginate(request, qs)
    return list_page(
        request,
        template="crm/activities.html",
        partial="crm/_activity_results.html",
        target="results",
        context={"filters": form, "page_obj": page},
    )


@member_required
def activity_detail(request, pk: int):
    activity = selectors.access_activity(actor=request.membership, id=pk)
    return render(request, "crm/activity.html", {"activity": activity})


def _links(actor, data) -> dict:
    """The records a quick-added activity belongs to, each checked against what the actor sees."""
    out: dict[str, Any] = {}
    if data.get("opportunity"):
        out["opportunity"] = selectors.access_opportunity(actor=actor, id=data["opportunity"])
    if data.get("contact"):
        out["contact"] = selectors.access_contact(actor=actor, id=data["contact"])
    if data.get("account"):
        out["account"] = selectors.access_account(actor=actor, id=data["account"])
    return out


@require_POST
@member_required
def activity_quick_add(request):
    """Log an activity against an account, contact or deal. With htmx the answer is the
    refreshed timeline (and a fresh form); without, a redirect back to the record."""
    require_writer_page(request)
    actor = request.membership
    form = ActivityForm(request.POST)
    links: dict = {}
    if form.is_valid():
        data = form.cleaned_data
        try:
            links = _links(actor, data)
            services.activity_create(
                actor=actor,
                type=data["type"],
                occurred_at=data["occurred_at"],
                subject=data["subject"],
                outcome=data["outcome"],
                duration_minutes=data["duration_minutes"],
                done=data["done"],
                **links,
            )
        except NotFound:
            form.add_error(None, _("That record does not exist."))
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            if not request.htmx:
                messages.success(request, _("Activity logged."))
            form = ActivityForm(
                initial={k: v.pk for k, v in links.items()} | {"type": data["type"]}
            )
    link = {
        k: request.POST.get(k)
        for k in ("opportunity", "contact", "account")
        if request.POST.get(k, "").isdigit()
    }
    if request.htmx:
        filters = {f"{k}_id": int(v) for k, v in link.items()}
        # The narrowest record decides the timeline shown (deal, then contact, then account).
        for key in ("opportunity_id", "contact_id", "account_id"):
            if key in filters:
                filters = {key: filters[key]}
                break
        activities = list(selectors.activity_list(actor=actor, **filters)[:20]) if filters else []
        return render(
            request,
            "crm/_activity_panel.html",
            {
                "activities": activities,
                "activity_form": form,
                "can_write": True,
                "activity_link": link,
                # Fresh ids each time: htmx would otherwise copy the old inputs' attributes.
                "qa_id": secrets.token_hex(3),
                "next_url": safe_next(request, reverse("crm:activities")),
            },
        )
    for error in form.errors.values() if form.is_bound else ():
        messages.error(request, " ".join(error))
    return redirect(safe_next(request, reverse("crm:activities")))

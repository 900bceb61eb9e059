"""Feedback pages: the list, one note, giving feedback, asking for it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.crm.selectors import access_opportunity
from saleshelm.development import selectors, services
from saleshelm.development.forms import FeedbackForm, FeedbackRequestForm
from saleshelm.development.models import FeedbackRequestStatus
from saleshelm.development.permissions import FEEDBACK_WRITERS
from saleshelm.development.views.common import back, page, report

PER_PAGE = 20
WRITER_ROLES = frozenset(str(r) for r in FEEDBACK_WRITERS)
TABS = ("received", "given", "about_team")


@page
def feedback_list(request):
    actor = request.membership
    tab = request.GET.get("tab") or "received"
    if tab not in TABS:
        tab = "received"
    items = selectors.feedback_list(actor=actor, direction=tab)
    page_obj = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "tab": tab,
        "page_obj": page_obj,
        "items": page_obj.object_list,
        "requests": list(
            selectors.feedback_request_list(
                actor=actor, status=FeedbackRequestStatus.OPEN, to_me=True
            )
        ),
        "asked": list(selectors.feedback_request_list(actor=actor, to_me=False)[:5]),
        "can_write": actor.role in WRITER_ROLES,
        "htmx_target": "#feedback-results",
    }
    if request.htmx and request.htmx.target == "feedback-results":
        return render(request, "development/_feedback_results.html", context)
    return render(request, "development/feedback_list.html", context)


@page
def feedback_detail(request, pk: int):
    feedback = selectors.access_feedback(actor=request.membership, id=pk)
    return render(request, "development/feedback.html", {"feedback": feedback})


@page(roles=WRITER_ROLES)
def feedback_give(request):
    actor = request.membership
    initial = {}
    for name in ("subject", "competency", "opportunity"):
        value = request.GET.get(name, "")
        if value.isdigit():
            initial[name] = int(value)
    request_obj = None
    if (rid := request.GET.get("request") or request.POST.get("request", "")).isdigit():
        request_obj = selectors.access_feedback_request(actor=actor, id=int(rid))
        initial["subject"] = request_obj.subject_id
        initial["competency"] = request_obj.competency_id
    form = FeedbackForm(request.POST or None, actor=actor, initial=initial)
    deal_id = (form.data.get("opportunity") if form.is_bound else initial.get("opportunity")) or ""
    deal = access_opportunity(actor=actor, id=int(deal_id)) if str(deal_id).isdigit() else None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feedback = services.feedback_give(
                actor=actor,
                subject=data["subject"],
                kind=data["kind"],
                body=data["body"],
                visibility=data["visibility"],
                competency=data["competency"],
                opportunity=deal,
                request=request_obj,
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request,
                _("Feedback for %(name)s saved.") % {"name": feedback.subject.user.get_full_name()},
            )
            return back(request, "development:feedback_list")
    return render(
        request,
        "development/feedback_form.html",
        {"form": form, "deal": deal, "feedback_request": request_obj},
    )


@page(roles=WRITER_ROLES)
def feedback_request_create(request):
    actor = request.membership
    form = FeedbackRequestForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.feedback_request_create(
                actor=actor,
                recipient=data["recipient"],
                subject=data["subject"],
                message=data["message"],
                competency=data["competency"],
                due_date=data["due_date"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request,
                _("We asked %(name)s for feedback.")
                % {"name": data["recipient"].user.get_full_name()},
            )
            return redirect("development:feedback_list")
    return render(request, "development/feedback_request_form.html", {"form": form})


@page(post_only=True)
def feedback_request_decline(request, pk: int):
    actor = request.membership
    req = selectors.access_feedback_request(actor=actor, id=pk)
    try:
        services.feedback_request_decline(actor=actor, request=req)
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        report(request, exc)
    else:
        messages.success(request, _("Request declined."))
    return redirect("development:feedback_list")

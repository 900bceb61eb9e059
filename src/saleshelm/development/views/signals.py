"""Signal pages: the list (htmx filters), one signal, dismissing, running the rules, and the
organisation's thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.development import selectors, services
from saleshelm.development.forms import SignalFilterForm, SignalSettingsForm
from saleshelm.development.models import SignalStatus
from saleshelm.development.permissions import (
    SETTINGS_READERS,
    SIGNAL_EVALUATORS,
    can_edit_framework,
)
from saleshelm.development.views.common import back, page, report

PER_PAGE = 25
EVALUATOR_ROLES = frozenset(str(r) for r in SIGNAL_EVALUATORS)
SETTINGS_ROLES = frozenset(str(r) for r in SETTINGS_READERS)


def deal_url(signal) -> str:
    if signal.object_type != "opportunity":
        return ""
    try:
        return reverse("crm:opportunity", kwargs={"pk": signal.object_id})
    except Exception:  # the crm pages may not be there
        return ""


@page
def signal_list(request):
    actor = request.membership
    filters = SignalFilterForm(request.GET or None, initial={"status": "open"})
    status = filters.value("status") if request.GET else SignalStatus.OPEN
    scope = filters.value("scope")
    items = selectors.signal_list(
        actor=actor,
        status=status or None,
        rule=filters.value("rule") or None,
        mine=True if scope == "mine" else False if scope == "team" else None,
    )
    page_obj = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page_obj": page_obj,
        "items": page_obj.object_list,
        "can_evaluate": actor.role in EVALUATOR_ROLES,
        "htmx_target": "#signal-results",
    }
    if request.htmx and request.htmx.target == "signal-results":
        return render(request, "development/_signal_results.html", context)
    return render(request, "development/signals.html", context)


@page
def signal_detail(request, pk: int):
    signal = selectors.access_signal(actor=request.membership, id=pk)
    return render(
        request, "development/signal.html", {"signal": signal, "deal_url": deal_url(signal)}
    )


@page(post_only=True)
def signal_dismiss(request, pk: int):
    actor = request.membership
    signal = selectors.access_signal(actor=actor, id=pk)
    try:
        services.signal_dismiss(actor=actor, signal=signal)
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        report(request, exc)
    else:
        messages.success(request, _("Signal dismissed: it stays quiet while nothing changes."))
    if request.htmx:
        signal = selectors.access_signal(actor=actor, id=pk)
        return render(request, "development/_signal_row.html", {"signal": signal})
    return back(request, "development:signals")


@page(roles=EVALUATOR_ROLES, post_only=True)
def signals_evaluate(request):
    result = services.signals_evaluate(actor=request.membership)
    messages.success(
        request,
        _("Signals checked: %(raised)s new, %(resolved)s resolved, %(open)s open.")
        % {"raised": result.raised, "resolved": result.resolved, "open": result.open_signals},
    )
    return back(request, "development:signals")


@page(roles=SETTINGS_ROLES)
def signal_settings(request):
    actor = request.membership
    current = selectors.signal_settings(actor=actor)
    editable = can_edit_framework(actor=actor)
    if request.method == "POST" and not editable:
        from saleshelm.web.access import deny

        deny(request, reason="settings")
    form = SignalSettingsForm(
        request.POST or None, initial=SignalSettingsForm.initial_from(current)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.signal_settings_update(actor=actor, **form.values())
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Signal settings saved."))
            return redirect("development:signal_settings")
    return render(request, "development/signal_settings.html", {"form": form, "editable": editable})

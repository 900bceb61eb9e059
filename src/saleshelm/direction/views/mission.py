"""Mission and values, and the sales strategy: offerings and competitors (SPEC §5)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError
from saleshelm.direction import services
from saleshelm.direction.forms import CompetitorForm, MissionForm, OfferingForm, ValueForm
from saleshelm.direction.permissions import can_edit_direction
from saleshelm.direction.selectors import strategy as strategy_selectors
from saleshelm.direction.services.common import organisation_of
from saleshelm.direction.views.common import EDITORS, form_page, period_from, require_editor_page
from saleshelm.web.access import member_required, role_required


@member_required
def mission(request):
    actor = request.membership
    return render(
        request,
        "direction/mission.html",
        {
            "mission": strategy_selectors.mission_get(actor=actor),
            "values": list(strategy_selectors.value_list(actor=actor)),
            "can_edit": can_edit_direction(actor=actor),
        },
    )


@role_required(EDITORS)
def mission_edit(request):
    actor = request.membership
    current = strategy_selectors.mission_get(actor=actor)
    initial = {"statement": current.statement, "culture": current.culture} if current else {}
    form = MissionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.mission_save(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Mission saved."))
            return redirect("direction:mission")
    url = reverse("direction:mission")
    return form_page(
        request,
        form,
        title=_("Edit the mission"),
        cancel_url=url,
        submit_label=_("Save mission"),
        crumbs=[(_("Mission and values"), url)],
    )


@role_required(EDITORS)
def value_create(request):
    actor = request.membership
    form = ValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.value_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Value added."))
            return redirect("direction:mission")
    url = reverse("direction:mission")
    return form_page(
        request,
        form,
        title=_("New value"),
        lead=_("Values are what recognition is given for: name the behaviours that show them."),
        cancel_url=url,
        submit_label=_("Add value"),
        crumbs=[(_("Mission and values"), url)],
    )


@member_required
def value_edit(request, pk: int):
    actor = request.membership
    value = strategy_selectors.access_value(actor=actor, id=pk)
    require_editor_page(request)
    initial = {
        "name": value.name,
        "description": value.description,
        "behaviours": value.behaviours,
    }
    form = ValueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.value_update(actor=actor, value=value, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Value saved."))
            return redirect("direction:mission")
    url = reverse("direction:mission")
    return form_page(
        request,
        form,
        title=_("Edit value"),
        cancel_url=url,
        submit_label=_("Save value"),
        delete_url=reverse("direction:value_delete", args=[value.pk]),
        crumbs=[(_("Mission and values"), url), (value.name, url)],
    )


@require_POST
@member_required
def value_delete(request, pk: int):
    actor = request.membership
    value = strategy_selectors.access_value(actor=actor, id=pk)
    require_editor_page(request)
    try:
        services.value_delete(actor=actor, value=value)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Value removed."))
    return redirect("direction:mission")


@member_required
def strategy(request):
    """The competitive offering: offerings, competitors and how we do against each."""
    actor = request.membership
    period, period_error = period_from(request, actor)
    return render(
        request,
        "direction/strategy.html",
        {
            "offerings": list(strategy_selectors.offering_list(actor=actor)),
            "competitors": list(strategy_selectors.competitor_list(actor=actor)),
            "win_loss": strategy_selectors.win_loss_by_competitor(
                actor=actor, date_from=period.start, date_to=period.end
            ),
            "period": period,
            "period_error": period_error,
            "currency": organisation_of(actor).currency,
            "can_edit": can_edit_direction(actor=actor),
        },
    )


def _strategy_url() -> str:
    return reverse("direction:strategy")


@role_required(EDITORS)
def offering_create(request):
    actor = request.membership
    form = OfferingForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Offering added."))
            return redirect("direction:strategy")
    return form_page(
        request,
        form,
        title=_("New offering"),
        cancel_url=_strategy_url(),
        submit_label=_("Add offering"),
        crumbs=[(_("Sales strategy"), _strategy_url())],
    )


@member_required
def offering_edit(request, pk: int):
    actor = request.membership
    offering = strategy_selectors.access_offering(actor=actor, id=pk)
    require_editor_page(request)
    initial = {
        "name": offering.name,
        "value_proposition": offering.value_proposition,
        "differentiators": offering.differentiators,
        "product_categories": list(offering.product_categories.all()),
    }
    form = OfferingForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.offering_update(actor=actor, offering=offering, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Offering saved."))
            return redirect("direction:strategy")
    return form_page(
        request,
        form,
        title=_("Edit offering"),
        cancel_url=_strategy_url(),
        submit_label=_("Save offering"),
        delete_url=reverse("direction:offering_delete", args=[offering.pk]),
        crumbs=[(_("Sales strategy"), _strategy_url()), (offering.name, _strategy_url())],
    )


@require_POST
@member_required
def offering_delete(request, pk: int):
    actor = request.membership
    offering = strategy_selectors.access_offering(actor=actor, id=pk)
    require_editor_page(request)
    services.offering_delete(actor=actor, offering=offering)
    messages.success(request, _("Offering removed."))
    return redirect("direction:strategy")


@role_required(EDITORS)
def competitor_create(request):
    actor = request.membership
    form = CompetitorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.competitor_create(actor=actor, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Competitor added."))
            return redirect("direction:strategy")
    return form_page(
        request,
        form,
        title=_("New competitor"),
        cancel_url=_strategy_url(),
        submit_label=_("Add competitor"),
        crumbs=[(_("Sales strategy"), _strategy_url())],
    )


@member_required
def competitor_edit(request, pk: int):
    actor = request.membership
    competitor = strategy_selectors.access_competitor(actor=actor, id=pk)
    require_editor_page(request)
    initial = {
        "name": competitor.name,
        "website": competitor.website,
        "strengths": competitor.strengths,
        "weaknesses": competitor.weaknesses,
        "how_we_win": competitor.how_we_win,
    }
    form = CompetitorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.competitor_update(actor=actor, competitor=competitor, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Competitor saved."))
            return redirect("direction:strategy")
    return form_page(
        request,
        form,
        title=_("Edit competitor"),
        cancel_url=_strategy_url(),
        submit_label=_("Save competitor"),
        delete_url=reverse("direction:competitor_delete", args=[competitor.pk]),
        crumbs=[(_("Sales strategy"), _strategy_url()), (competitor.name, _strategy_url())],
    )


@require_POST
@member_required
def competitor_delete(request, pk: int):
    actor = request.membership
    competitor = strategy_selectors.access_competitor(actor=actor, id=pk)
    require_editor_page(request)
    services.competitor_delete(actor=actor, competitor=competitor)
    messages.success(request, _("Competitor removed."))
    return redirect("direction:strategy")

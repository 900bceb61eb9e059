"""Target segments: the rules editor and the reports by segment (SPEC §5)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError
from saleshelm.direction import services
from saleshelm.direction.forms import SegmentForm
from saleshelm.direction.permissions import can_edit_direction
from saleshelm.direction.segments import compile_rules
from saleshelm.direction.selectors import segments as segment_selectors
from saleshelm.direction.services.common import organisation_of
from saleshelm.direction.views.common import EDITORS, form_page, period_from, require_editor_page
from saleshelm.web.access import member_required, role_required


@member_required
def segments(request):
    actor = request.membership
    period, period_error = period_from(request, actor)
    rules = list(segment_selectors.segment_list(actor=actor))
    grades = {r.segment_id: r.grade for r in compile_rules(rules)}
    report = segment_selectors.segment_report(actor=actor, period=period)
    return render(
        request,
        "direction/segments.html",
        {
            "segments": [(s, grades.get(s.pk, "")) for s in rules],
            "report": report,
            "period": period,
            "period_error": period_error,
            "currency": organisation_of(actor).currency,
            "can_edit": can_edit_direction(actor=actor),
        },
    )


def _fields(form) -> dict:
    data = dict(form.cleaned_data)
    return data


@role_required(EDITORS)
def segment_create(request):
    actor = request.membership
    form = SegmentForm(request.POST or None, initial={"priority": 1, "is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            segment = services.segment_create(actor=actor, **_fields(form))
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request,
                _("Segment “%(name)s” added; accounts and leads were reclassified.")
                % {"name": segment.name},
            )
            return redirect("direction:segments")
    url = reverse("direction:segments")
    return form_page(
        request,
        form,
        title=_("New segment"),
        lead=_(
            "An ideal customer profile: every condition filled in must hold. Accounts and "
            "leads take the first segment they match, in priority order."
        ),
        cancel_url=url,
        submit_label=_("Add segment"),
        crumbs=[(_("Target segments"), url)],
    )


@member_required
def segment_edit(request, pk: int):
    actor = request.membership
    segment = segment_selectors.access_segment(actor=actor, id=pk)
    require_editor_page(request)
    initial = {
        "name": segment.name,
        "description": segment.description,
        "priority": segment.priority,
        "is_active": segment.is_active,
        "industries": segment.industries,
        "employees_min": segment.employees_min,
        "employees_max": segment.employees_max,
        "regions": segment.regions,
        "countries": segment.countries,
        "custom": SegmentForm.custom_text(segment.custom),
    }
    form = SegmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.segment_update(actor=actor, segment=segment, **_fields(form))
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Segment saved; accounts and leads were reclassified."))
            return redirect("direction:segments")
    url = reverse("direction:segments")
    return form_page(
        request,
        form,
        title=_("Edit segment"),
        cancel_url=url,
        submit_label=_("Save segment"),
        delete_url=reverse("direction:segment_delete", args=[segment.pk]),
        crumbs=[(_("Target segments"), url), (segment.name, url)],
    )


@require_POST
@member_required
def segment_delete(request, pk: int):
    actor = request.membership
    segment = segment_selectors.access_segment(actor=actor, id=pk)
    require_editor_page(request)
    services.segment_delete(actor=actor, segment=segment)
    messages.success(request, _("Segment removed; accounts and leads were reclassified."))
    return redirect("direction:segments")


@require_POST
@role_required(EDITORS)
def segments_reclassify(request):
    result = services.segments_reclassify(actor=request.membership)
    messages.success(
        request,
        _("%(accounts)s accounts and %(leads)s leads classified; %(changed)s fits changed.")
        % {
            "accounts": result.accounts,
            "leads": result.leads,
            "changed": result.accounts_changed + result.leads_changed,
        },
    )
    return redirect("direction:segments")

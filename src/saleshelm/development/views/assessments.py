"""Assessment pages: the list, one assessment with its gap chart, the self and manager forms,
and opening a cycle."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.development import selectors, services
from saleshelm.development.charts import gap_chart
from saleshelm.development.forms import AssessmentForm, CycleForm
from saleshelm.development.models import AssessmentStatus
from saleshelm.development.permissions import may_coach
from saleshelm.development.views.common import COACH_ROLES, READER_ROLES, page

PER_PAGE = 25


@page(roles=READER_ROLES)
def assessment_list(request):
    actor = request.membership
    mine = list(selectors.assessment_list(actor=actor, subject_id=actor.pk))
    others = selectors.assessment_list(actor=actor).exclude(subject_id=actor.pk)
    status = request.GET.get("status") or ""
    if status in AssessmentStatus.values:
        others = others.filter(status=status)
    page_obj = Paginator(others, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/assessments.html",
        {
            "mine": mine,
            "page_obj": page_obj,
            "others": page_obj.object_list,
            "cycles": list(selectors.cycle_list(actor=actor)[:6]),
            "status": status,
            "statuses": AssessmentStatus.choices,
            "can_open_cycle": actor.role in COACH_ROLES,
        },
    )


@page(roles=READER_ROLES, access=selectors.access_assessment)
def assessment_detail(request, pk: int):
    actor = request.membership
    assessment = selectors.access_assessment(actor=actor, id=pk)
    rows = selectors.rating_rows(actor=actor, assessment=assessment)
    is_subject = actor.pk == assessment.subject_id
    return render(
        request,
        "development/assessment.html",
        {
            "assessment": assessment,
            "rows": rows,
            "chart": gap_chart(
                rows,
                title=_("%(name)s: expected level, self-assessment and manager")
                % {"name": assessment.subject.user.get_full_name()},
            ),
            "is_subject": is_subject,
            "can_self": is_subject and assessment.status == AssessmentStatus.SELF_PENDING,
            "can_manage": not is_subject
            and assessment.status != AssessmentStatus.COMPLETED
            and may_coach(actor=actor, member=assessment.subject),
            "show_summary": not is_subject or assessment.completed,
        },
    )


def _save(request, assessment, form, *, side: str):
    actor = request.membership
    submit = "submit" in request.POST
    if side == "self":
        services.assessment_self_save(
            actor=actor, assessment=assessment, ratings=form.ratings(), submit=submit
        )
    else:
        services.assessment_manager_save(
            actor=actor,
            assessment=assessment,
            ratings=form.ratings(),
            summary=form.cleaned_data.get("summary"),
            submit=submit,
        )
    return submit


def _assessment_form(request, pk: int, *, side: str):
    actor = request.membership
    assessment = selectors.access_assessment(actor=actor, id=pk)
    if side == "self" and actor.pk != assessment.subject_id:
        raise PermissionDenied("Only the person assessed writes their self-assessment.")
    if side == "manager" and not may_coach(actor=actor, member=assessment.subject):
        raise PermissionDenied("You assess only the members of the teams you manage.")
    rows = selectors.rating_rows(actor=actor, assessment=assessment)
    initial = {"summary": assessment.manager_summary} if side == "manager" else None
    form = AssessmentForm(request.POST or None, rows=rows, side=side, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            submitted = _save(request, assessment, form, side=side)
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            form.add_application_error(exc)
        else:
            if submitted:
                messages.success(request, _("Assessment submitted."))
            else:
                messages.success(request, _("Draft saved."))
            return redirect("development:assessment", pk=assessment.pk)
    return render(
        request,
        "development/assessment_form.html",
        {
            "assessment": assessment,
            "form": form,
            "side": side,
        },
    )


@page(roles={"rep", "manager", "director", "admin"}, access=selectors.access_assessment)
def assessment_self(request, pk: int):
    return _assessment_form(request, pk, side="self")


@page(roles=COACH_ROLES, access=selectors.access_assessment)
def assessment_manager(request, pk: int):
    return _assessment_form(request, pk, side="manager")


@page(roles=COACH_ROLES)
def cycle_create(request):
    actor = request.membership
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.assessment_cycle_create(actor=actor, **data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(
                request,
                _("Cycle “%(name)s” opened: everyone in scope can now assess themself.")
                % {"name": cycle.name},
            )
            return redirect("development:assessments")
    return render(request, "development/cycle_form.html", {"form": form})

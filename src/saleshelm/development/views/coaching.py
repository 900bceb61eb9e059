"""Coaching sessions and development plans."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.development import selectors, services
from saleshelm.development.charts import progress_bar
from saleshelm.development.forms import CoachingSessionForm, GoalForm, GoalProgressForm, PlanForm
from saleshelm.development.services.coaching import may_edit_plan
from saleshelm.development.views.common import (
    COACH_ROLES,
    READER_ROLES,
    page,
    report,
    today_for,
)

PER_PAGE = 25


@page(roles=READER_ROLES)
def coaching_list(request):
    actor = request.membership
    page_obj = Paginator(selectors.coaching_session_list(actor=actor), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "development/coaching_sessions.html",
        {
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "can_record": actor.role in COACH_ROLES,
            "today": today_for(request),
        },
    )


@page(roles=READER_ROLES, access=selectors.access_coaching_session)
def coaching_detail(request, pk: int):
    session = selectors.access_coaching_session(actor=request.membership, id=pk)
    return render(
        request,
        "development/coaching_session.html",
        {"session": session, "today": today_for(request)},
    )


@page(roles=COACH_ROLES)
def coaching_record(request):
    actor = request.membership
    initial = {"held_on": today_for(request)}
    for name in ("member", "focus_competency"):
        if (value := request.GET.get(name, "")).isdigit():
            initial[name] = int(value)
    form = CoachingSessionForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.coaching_session_record(
                actor=actor,
                member=data["member"],
                held_on=data["held_on"],
                observation_type=data["observation_type"],
                observations=data["observations"],
                focus_competency=data["focus_competency"],
                agreed_actions=data["agreed_actions"],
                follow_up_on=data["follow_up_on"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Coaching session recorded."))
            return redirect("development:coaching_session", pk=session.pk)
    return render(request, "development/coaching_form.html", {"form": form})


@page(roles=READER_ROLES)
def plan_list(request):
    actor = request.membership
    page_obj = Paginator(selectors.plan_list(actor=actor), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "development/plans.html",
        {"page_obj": page_obj, "items": page_obj.object_list},
    )


def _goal_rows(plan):
    return [
        {
            "goal": g,
            "bar": progress_bar(g.progress, label=_("%(n)s %% done") % {"n": g.progress}),
            "form": GoalProgressForm(
                initial={"progress": g.progress, "status": g.status}, prefix=f"g{g.pk}"
            ),
        }
        for g in plan.goals.all()
    ]


@page(roles=READER_ROLES, access=selectors.access_plan)
def plan_detail(request, pk: int):
    actor = request.membership
    plan = selectors.access_plan(actor=actor, id=pk)
    return render(
        request,
        "development/plan.html",
        {
            "plan": plan,
            "goals": _goal_rows(plan),
            "can_edit": may_edit_plan(actor=actor, member=plan.member),
            "goal_form": GoalForm(actor=actor),
            "today": today_for(request),
        },
    )


@page(roles=READER_ROLES)
def plan_create(request):
    actor = request.membership
    form = PlanForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.development_plan_create(
                actor=actor, member=form.cleaned_data["member"], title=form.cleaned_data["title"]
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            form.add_application_error(exc)
        else:
            messages.success(request, _("Plan created: add its goals."))
            return redirect("development:plan", pk=plan.pk)
    return render(request, "development/plan_form.html", {"form": form})


@page(roles=READER_ROLES, post_only=True, access=selectors.access_plan)
def goal_add(request, pk: int):
    actor = request.membership
    plan = selectors.access_plan(actor=actor, id=pk)
    form = GoalForm(request.POST, actor=actor)
    if form.is_valid():
        try:
            services.development_goal_add(actor=actor, plan=plan, **form.cleaned_data)
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            report(request, exc)
        else:
            messages.success(request, _("Goal added."))
    else:
        messages.error(request, _("Give the goal a title."))
    return redirect("development:plan", pk=plan.pk)


@page(roles=READER_ROLES, post_only=True, access=selectors.access_goal)
def goal_update(request, pk: int):
    actor = request.membership
    goal = selectors.access_goal(actor=actor, id=pk)
    form = GoalProgressForm(request.POST, prefix=f"g{goal.pk}")
    if form.is_valid():
        try:
            services.development_goal_update(
                actor=actor,
                goal=goal,
                progress=form.cleaned_data["progress"],
                status=form.cleaned_data["status"],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            report(request, exc)
    else:
        messages.error(request, _("Progress is a percentage from 0 to 100."))
    if request.htmx:
        plan = selectors.access_plan(actor=actor, id=goal.plan_id)
        row = next(r for r in _goal_rows(plan) if r["goal"].pk == goal.pk)
        return render(
            request,
            "development/_goal.html",
            {"row": row, "plan": plan, "can_edit": True, "today": today_for(request)},
        )
    return redirect("development:plan", pk=goal.plan_id)

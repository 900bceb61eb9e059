"""Vision pages: the goal tree, a goal, key results and check-ins, the line of sight, and
alignment. Every member reads them; admins and directors shape them (SPEC §5)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError
from saleshelm.core.periods import Period
from saleshelm.crm.selectors import access_opportunity, opportunity_list
from saleshelm.direction import services
from saleshelm.direction.forms import (
    CheckInForm,
    DealGoalForm,
    GoalForm,
    KeyResultForm,
    TargetLinkForm,
    VisionForm,
    goal_choices,
)
from saleshelm.direction.models import LEVEL_ORDER, GoalLevel, GoalStatus, KeyResultSource
from saleshelm.direction.permissions import (
    can_check_in,
    can_edit_direction,
    can_link_target,
    can_link_targets,
    can_work_deal,
)
from saleshelm.direction.selectors import alignment as alignment_selectors
from saleshelm.direction.selectors import line_of_sight as los_selectors
from saleshelm.direction.selectors import progress as progress_selectors
from saleshelm.direction.selectors import vision as vision_selectors
from saleshelm.direction.services.common import organisation_of
from saleshelm.direction.views.common import (
    EDITORS,
    form_page,
    period_from,
    require_editor_page,
    safe_next,
)
from saleshelm.people.selectors import visible_member_ids
from saleshelm.web.access import deny, member_required, role_required


@member_required
def vision(request):
    """The vision and the goal tree of a period, with progress and at-risk flags."""
    actor = request.membership
    show_all = request.GET.get("period") == "all"
    period, period_error = period_from(request, actor)
    forest = progress_selectors.goal_forest(actor=actor, period=None if show_all else period)
    nodes = list(forest.walk())
    top = [n for n in forest.roots if n.progress is not None]
    return render(
        request,
        "direction/vision.html",
        {
            "vision": vision_selectors.vision_get(actor=actor),
            "forest": forest,
            "period": period,
            "show_all": show_all,
            "period_error": period_error,
            "goal_count": len(nodes),
            "at_risk": [n for n in nodes if n.at_risk],
            "top_progress": (sum((n.progress for n in top), start=0) / len(top) if top else None),
            "can_edit": can_edit_direction(actor=actor),
        },
    )


@role_required(EDITORS)
def vision_edit(request):
    actor = request.membership
    current = vision_selectors.vision_get(actor=actor)
    initial = {"at_risk_points": 10}
    if current is not None:
        initial = {
            "statement": current.statement,
            "horizon": current.horizon,
            "at_risk_points": int(current.at_risk_threshold * 100),
        }
    form = VisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.vision_save(
                actor=actor,
                statement=form.cleaned_data["statement"],
                horizon=form.cleaned_data["horizon"],
                at_risk_threshold=form.threshold,
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Vision saved."))
            return redirect("direction:vision")
    return form_page(
        request,
        form,
        title=_("Edit the vision"),
        lead=_("Everyone in the organisation sees it at the top of their line of sight."),
        cancel_url=reverse("direction:vision"),
        submit_label=_("Save vision"),
        crumbs=[(_("Vision"), reverse("direction:vision"))],
    )


def _goal_context(request, goal):
    actor = request.membership
    forest = progress_selectors.goal_forest(actor=actor)
    node = forest.nodes[goal.pk]
    period = Period(goal.period_start, goal.period_end, goal.period, "goal")
    report = alignment_selectors.alignment_report(actor=actor, period=period, forest=forest)
    row = next(r for r in report.rows if r.node.goal.pk == goal.pk)
    visible = set(visible_member_ids(actor=actor).values_list("pk", flat=True))
    links = vision_selectors.goal_link_list(actor=actor, goal_id=goal.pk)
    target_links = [link for link in links if link.target_id]
    return {
        "goal": goal,
        "node": node,
        "ancestors": forest.ancestors(goal.pk),
        "alignment": row,
        "overall": report.overall,
        "contribution": alignment_selectors.goal_contribution(
            actor=actor, node=node, visible_member_ids=visible, period=period
        ),
        "deal_links": [link for link in links if link.opportunity_id],
        "target_links": target_links,
        "can_link_targets": can_link_targets(actor=actor),
        "unlinkable_ids": {
            link.pk for link in target_links if can_link_target(actor=actor, target=link.target)
        },
        "linkable_targets": vision_selectors.linkable_targets(actor=actor, goal=goal),
        "currency": organisation_of(actor).currency,
        "can_edit": can_edit_direction(actor=actor),
        "check_in_ids": {
            v.kr.pk
            for v in node.key_results
            if v.kr.source == KeyResultSource.MANUAL and can_check_in(actor=actor, key_result=v.kr)
        },
        "check_in_form": CheckInForm(),
    }


@member_required
def goal_detail(request, pk: int):
    goal = vision_selectors.access_goal(actor=request.membership, id=pk)
    return render(request, "direction/goal.html", _goal_context(request, goal))


def _targets_answer(request, goal, *, error: str = "", saved: str = ""):
    """After linking or unlinking a target: with htmx the targets card in place and the
    alignment figures out of band; otherwise back to the goal page with a message."""
    if request.htmx:
        context = _goal_context(request, goal)
        return render(
            request,
            "direction/_goal_targets_saved.html",
            {**context, "target_error": error, "target_saved": saved},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, saved)
    return redirect("direction:goal", pk=goal.pk)


@require_POST
@member_required
def goal_target_link(request, pk: int):
    """Say that a target serves this goal (whoever may set the target: performance's rule)."""
    actor = request.membership
    goal = vision_selectors.access_goal(actor=actor, id=pk)
    if not can_link_targets(actor=actor):
        deny(request, reason="cannot set targets")
    form = TargetLinkForm(
        request.POST, targets=vision_selectors.linkable_targets(actor=actor, goal=goal)
    )
    if not form.is_valid():
        return _targets_answer(request, goal, error=" ".join(str(e) for e in form.errors["target"]))
    try:
        services.goal_link_target(actor=actor, goal=goal, target=form.cleaned_data["target"])
    except ApplicationError as exc:
        return _targets_answer(request, goal, error=exc.message)
    return _targets_answer(request, goal, saved=_("The target now serves this goal."))


@require_POST
@member_required
def target_link_delete(request, pk: int):
    """Say that a target serves no goal any more."""
    actor = request.membership
    link = vision_selectors.access_goal_link(actor=actor, id=pk, kind="target")
    if not can_link_target(actor=actor, target=link.target):
        deny(request, reason="cannot set this target")
    goal = link.goal
    try:
        services.goal_link_delete(actor=actor, link=link)
    except ApplicationError as exc:
        return _targets_answer(request, goal, error=exc.message)
    return _targets_answer(request, goal, saved=_("The target no longer serves this goal."))


def _goal_initial(request, actor) -> dict:
    parent_id = request.GET.get("parent", "")
    if not parent_id.isdigit():
        return {"level": GoalLevel.ORGANISATION, "status": GoalStatus.ACTIVE}
    parent = vision_selectors.access_goal(actor=actor, id=int(parent_id))
    levels = GoalLevel.values
    below = levels[min(LEVEL_ORDER[parent.level] + 1, len(levels) - 1)]
    return {
        "parent": parent.pk,
        "level": below,
        "period": parent.period,
        "team": parent.team_id,
        "status": GoalStatus.ACTIVE,
        "weight": 1,
    }


def _goal_fields(form) -> dict:
    data = dict(form.cleaned_data)
    return {
        "title": data["title"],
        "level": data["level"],
        "parent": data["parent"],
        "period": data["period"],
        "owner": data["owner"],
        "team": data["team"],
        "weight": data["weight"],
        "status": data["status"],
        "description": data["description"],
    }


@role_required(EDITORS)
def goal_create(request):
    actor = request.membership
    form = GoalForm(request.POST or None, actor=actor, initial=_goal_initial(request, actor))
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(actor=actor, **_goal_fields(form))
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Goal “%(title)s” created.") % {"title": goal.title})
            return redirect("direction:goal", pk=goal.pk)
    return form_page(
        request,
        form,
        title=_("New goal"),
        lead=_(
            "Organisation goals, the Sales goals that serve them, team goals and member goals "
            "form one tree; progress rolls up it by weight."
        ),
        cancel_url=reverse("direction:vision"),
        submit_label=_("Create goal"),
        crumbs=[(_("Vision"), reverse("direction:vision"))],
    )


@member_required
def goal_edit(request, pk: int):
    actor = request.membership
    goal = vision_selectors.access_goal(actor=actor, id=pk)
    require_editor_page(request)
    initial = {
        "title": goal.title,
        "level": goal.level,
        "parent": goal.parent_id,
        "period": goal.period,
        "owner": goal.owner_id,
        "team": goal.team_id,
        "weight": goal.weight,
        "status": goal.status,
        "description": goal.description,
    }
    form = GoalForm(request.POST or None, actor=actor, goal=goal, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(actor=actor, goal=goal, **_goal_fields(form))
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Goal saved."))
            return redirect("direction:goal", pk=goal.pk)
    url = reverse("direction:goal", args=[goal.pk])
    return form_page(
        request,
        form,
        title=_("Edit goal"),
        cancel_url=url,
        submit_label=_("Save goal"),
        crumbs=[(_("Vision"), reverse("direction:vision")), (goal.title, url)],
    )


def _kr_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "source": data["source"],
        "metric": data["metric"] or "",
        "period": data["period"] or "",
        "scope": data["scope"],
        "scope_team": data["scope_team"],
        "scope_member": data["scope_member"],
        "start_value": data["start_value"],
        "target_value": data["target_value"],
        "unit": data["unit"],
        "weight": data["weight"],
    }


@member_required
def key_result_create(request, pk: int):
    actor = request.membership
    goal = vision_selectors.access_goal(actor=actor, id=pk)
    require_editor_page(request)
    form = KeyResultForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_result_create(actor=actor, goal=goal, **_kr_fields(form))
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Key result added."))
            if "add_another" in request.POST:
                return redirect("direction:key_result_create", pk=goal.pk)
            return redirect("direction:goal", pk=goal.pk)
    url = reverse("direction:goal", args=[goal.pk])
    return form_page(
        request,
        form,
        title=_("New key result"),
        lead=_(
            "Bind it to a live metric (read from Performance for a period and a team or "
            "member), or update it by hand with dated check-ins."
        ),
        cancel_url=url,
        submit_label=_("Add key result"),
        add_another=True,
        crumbs=[(_("Vision"), reverse("direction:vision")), (goal.title, url)],
        template_hint="key_result",
    )


@member_required
def key_result_edit(request, pk: int):
    actor = request.membership
    kr = vision_selectors.access_key_result(actor=actor, id=pk)
    require_editor_page(request)
    initial = {
        "name": kr.name,
        "source": kr.source,
        "metric": kr.metric,
        "scope": kr.scope,
        "scope_team": kr.scope_team_id,
        "scope_member": kr.scope_member_id,
        "period": kr.period,
        "start_value": kr.start_value,
        "target_value": kr.target_value,
        "unit": kr.unit,
        "weight": kr.weight,
    }
    form = KeyResultForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_result_update(actor=actor, key_result=kr, **_kr_fields(form))
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Key result saved."))
            return redirect("direction:goal", pk=kr.goal_id)
    url = reverse("direction:goal", args=[kr.goal_id])
    return form_page(
        request,
        form,
        title=_("Edit key result"),
        cancel_url=url,
        submit_label=_("Save key result"),
        delete_url=reverse("direction:key_result_delete", args=[kr.pk]),
        crumbs=[(_("Vision"), reverse("direction:vision")), (kr.goal.title, url)],
        template_hint="key_result",
    )


@require_POST
@member_required
def key_result_delete(request, pk: int):
    actor = request.membership
    kr = vision_selectors.access_key_result(actor=actor, id=pk)
    require_editor_page(request)
    goal_id = kr.goal_id
    services.key_result_delete(actor=actor, key_result=kr)
    messages.success(request, _("Key result removed."))
    return redirect("direction:goal", pk=goal_id)


@member_required
def check_in(request, pk: int):
    """A new reading of a key result updated by hand (goal owner, their managers, editors)."""
    actor = request.membership
    kr = vision_selectors.access_key_result(actor=actor, id=pk)
    if not can_check_in(actor=actor, key_result=kr):
        deny(request, reason="not answerable for this goal")
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_in_create(
                actor=actor,
                key_result=kr,
                value=form.cleaned_data["value"],
                note=form.cleaned_data["note"],
                date=form.cleaned_data["date"],
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            if request.htmx:
                context = _goal_context(request, kr.goal)
                view = next(v for v in context["node"].key_results if v.kr.pk == kr.pk)
                # The key results in place, and the goal's progress out of band.
                return render(
                    request,
                    "direction/_check_in_saved.html",
                    {**context, "saved": view.kr.pk, "oob": True},
                )
            messages.success(request, _("Check-in saved."))
            return redirect("direction:goal", pk=kr.goal_id)
    url = reverse("direction:goal", args=[kr.goal_id])
    return form_page(
        request,
        form,
        title=_("Check in: %(name)s") % {"name": kr.name},
        lead=_("Where does this key result stand today?"),
        cancel_url=url,
        submit_label=_("Save check-in"),
        crumbs=[(_("Vision"), reverse("direction:vision")), (kr.goal.title, url)],
        history=vision_selectors.check_in_list(actor=actor, key_result=kr)[:10],
    )


@member_required
def line_of_sight(request, pk: int | None = None):
    """From the vision down to this week's work, for oneself or a member one may see."""
    actor = request.membership
    member = actor if pk is None else los_selectors.access_line_of_sight_member(actor=actor, id=pk)
    los = los_selectors.line_of_sight(actor=actor, member=member)
    editable = {d.pk for d in los.deals if can_work_deal(actor=actor, opportunity=d)}
    return render(
        request,
        "direction/line_of_sight.html",
        {
            "los": los,
            "member": member,
            "is_self": member.pk == actor.pk,
            "goal_choices": goal_choices(actor=actor),
            "editable_deals": editable,
            "currency": organisation_of(actor).currency,
            "targets": los_selectors.targets_in_sight(actor=actor, member=member),
            "team_members": _team_members(actor, member),
        },
    )


def _team_members(actor, member):
    """Teammates whose line of sight the actor may open (managers and org-wide roles)."""
    from saleshelm.people.selectors import member_list

    if member.profile.team_id is None:
        return []
    return [
        m
        for m in member_list(actor=actor, team_id=member.profile.team_id).filter(
            pk__in=visible_member_ids(actor=actor)
        )
        if m.pk != member.pk
    ]


@require_POST
@member_required
def deal_goal(request, pk: int):
    """Say which goal one of one's deals serves (or none)."""
    actor = request.membership
    opportunity = access_opportunity(actor=actor, id=pk)
    if not can_work_deal(actor=actor, opportunity=opportunity):
        deny(request, reason="cannot edit this deal")
    form = DealGoalForm(request.POST, actor=actor)
    error = ""
    if form.is_valid():
        goal = form.cleaned_data["goal"]
        try:
            if goal is not None:
                services.goal_link_opportunity(actor=actor, goal=goal, opportunity=opportunity)
            else:
                link = vision_selectors.goal_link_list(actor=actor).filter(opportunity=opportunity)
                for existing in link:
                    services.goal_link_delete(actor=actor, link=existing)
        except ApplicationError as exc:
            error = exc.message
    else:
        error = _("Choose a goal from the list.")
    if request.htmx:
        deal = opportunity_list(actor=actor).select_related("goal_link__goal").get(pk=pk)
        return render(
            request,
            "direction/_deal_goal.html",
            {
                "deal": deal,
                "goal_choices": goal_choices(actor=actor),
                "saved": not error,
                "error": error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The deal now traces to its goal."))
    return redirect(safe_next(request, reverse("direction:line_of_sight")))


@member_required
def alignment(request):
    """How much of the pipeline, revenue and effort serves each goal, and what serves none."""
    actor = request.membership
    period, period_error = period_from(request, actor)
    report = alignment_selectors.alignment_report(actor=actor, period=period)
    with_members = request.GET.get("members") == "1"
    rows = [r for r in report.rows if with_members or r.node.goal.level != GoalLevel.MEMBER]
    return render(
        request,
        "direction/alignment.html",
        {
            "report": report,
            "rows": rows,
            "with_members": with_members,
            "hidden": len(report.rows) - len(rows),
            "period": period,
            "period_error": period_error,
            "currency": organisation_of(actor).currency,
        },
    )

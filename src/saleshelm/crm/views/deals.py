"""Pages of opportunities and the pipeline board.

The board is a plain page: each card carries a small "Move to" form that works without
JavaScript (and with the keyboard); ``static/crm/board.js`` adds drag and drop on top, posting
the very same form. Every move goes through ``opportunity_move_stage`` with the version the
page showed, so two people moving one card cannot silently overwrite each other.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError, Conflict, NotFound
from saleshelm.crm import selectors, services
from saleshelm.crm.forms import ActivityForm, MoveForm, OpportunityFilterForm, OpportunityForm
from saleshelm.crm.forms.deals import SplitFormSet, split_initial
from saleshelm.crm.models import StageKind
from saleshelm.crm.permissions import ALL_RECORDS_WRITERS, can_edit_record, can_write_records
from saleshelm.crm.views.common import (
    filters_kwargs,
    list_page,
    paginate,
    require_edit_page,
    require_writer_page,
    safe_next,
)
from saleshelm.people.selectors import member_list, visible_members_q
from saleshelm.tenancy.roles import Role
from saleshelm.web.access import deny, member_required


@member_required
def opportunity_list(request):
    actor = request.membership
    form = OpportunityFilterForm(request.GET or None, actor=actor)
    qs = selectors.opportunity_list(
        actor=actor,
        **filters_kwargs(
            form,
            {
                "q": "search",
                "state": "state",
                "forecast_category": "forecast_category",
                "owner": "owner_id",
                "sort": "sort",
            },
        ),
    )
    page = paginate(request, qs)
    return list_page(
        request,
        template="crm/opportunities.html",
        partial="crm/_opportunity_results.html",
        target="results",
        context={"filters": form, "page_obj": page, "can_create": can_write_records(actor=actor)},
    )


def _opportunity_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["forecast_category"] = data.get("forecast_category") or None
    return data


@member_required
def opportunity_create(request):
    require_writer_page(request)
    actor = request.membership
    initial = {}
    if (account_id := request.GET.get("account", "")).isdigit():
        initial["account"] = int(account_id)
    form = OpportunityForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _opportunity_data(form)
        try:
            opp = services.opportunity_create(actor=actor, **data)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Deal “%(name)s” created.") % {"name": opp.name})
            return redirect("crm:opportunity", pk=opp.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("New deal"),
            "back": ("crm:opportunities", None),
            "section": _("Opportunities"),
        },
    )


def _opportunity_page(request, opp, splits_form=None):
    actor = request.membership
    stages = list(opp.pipeline.stages.order_by("position", "pk"))
    splits = list(selectors.opportunity_splits(opportunity=opp))
    can_edit = can_edit_record(actor=actor, owner_id=opp.owner_id)
    if splits_form is None and can_edit:
        splits_form = SplitFormSet(prefix="splits", actor=actor, initial=split_initial(splits))
    return render(
        request,
        "crm/opportunity.html",
        {
            "opp": opp,
            "stages": stages,
            "can_edit": can_edit,
            "can_write": can_write_records(actor=actor),
            "history": list(selectors.stage_history(opportunity=opp)),
            "splits": splits,
            "splits_form": splits_form,
            "activities": list(selectors.activity_list(actor=actor, opportunity_id=opp.pk)[:20]),
            "qa_id": secrets.token_hex(3),
            "activity_form": ActivityForm(
                initial={"opportunity": opp.pk, "account": opp.account_id, "type": "call"}
            ),
            "activity_link": {"opportunity": opp.pk},
            "reporting_currency": actor.organisation.currency,
        },
    )


@member_required
def opportunity_detail(request, pk: int):
    opp = selectors.access_opportunity(actor=request.membership, id=pk)
    return _opportunity_page(request, opp)


@require_POST
@member_required
def opportunity_splits(request, pk: int):
    """Replace the deal's credit split from the form on its page (shares total 100 %)."""
    actor = request.membership
    opp = selectors.access_opportunity(actor=actor, id=pk)
    require_edit_page(request, opp)
    form = SplitFormSet(request.POST, prefix="splits", actor=actor)
    version = request.POST.get("version", "")
    if form.is_valid():
        try:
            services.opportunity_set_splits(
                actor=actor,
                opportunity=opp,
                splits=form.splits(),
                version=int(version) if version.isdigit() else None,
            )
        except ApplicationError as exc:
            if exc.code != "version_conflict":
                form.add_application_error(exc)
                return _opportunity_page(request, opp, splits_form=form)
            messages.error(
                request,
                _(
                    "“%(name)s” was changed by someone else meanwhile; this is its latest "
                    "state. Enter the split again if you still want to."
                )
                % {"name": opp.name},
            )
            return redirect("crm:opportunity", pk=opp.pk)
        else:
            messages.success(request, _("Credit split saved."))
            return redirect("crm:opportunity", pk=opp.pk)
    return _opportunity_page(request, opp, splits_form=form)


@member_required
def opportunity_edit(request, pk: int):
    actor = request.membership
    opp = selectors.access_opportunity(actor=actor, id=pk)
    require_edit_page(request, opp)
    initial = {
        f: getattr(opp, f)
        for f in ("name", "amount", "currency", "close_date", "next_step", "next_step_date")
    }
    initial.update(
        account=opp.account,
        owner=opp.owner_id,
        probability=None if opp.probability is None else opp.probability * 100,
        forecast_category="" if opp.stage.kind != StageKind.OPEN else opp.forecast_category,
    )
    form = OpportunityForm(request.POST or None, actor=actor, opportunity=opp, initial=initial)
    version = request.POST.get("version") if request.method == "POST" else opp.version
    if request.method == "POST" and form.is_valid():
        changes = _opportunity_data(form)
        if changes["forecast_category"] is None:
            changes.pop("forecast_category")
        if "owner" not in form.fields:
            changes.pop("owner", None)
        try:
            services.opportunity_update(
                actor=actor,
                opportunity=opp,
                # the page always sends the version it showed; a post without one is
                # refused as stale rather than overwriting someone else's change
                version=int(version) if str(version).isdigit() else 0,
                **changes,
            )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Deal saved."))
            return redirect("crm:opportunity", pk=opp.pk)
    return render(
        request,
        "crm/record_form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": opp.name},
            "back": ("crm:opportunity", opp.pk),
            "section": _("Opportunities"),
            "record": opp,
            "version": version,
        },
    )


@require_POST
@member_required
def opportunity_move(request, pk: int):
    """Move a deal to a stage (from the board or the deal page); answers with a redirect."""
    actor = request.membership
    opp = selectors.access_opportunity(actor=actor, id=pk)
    require_edit_page(request, opp)
    form = MoveForm(request.POST)
    default = reverse("crm:opportunity", kwargs={"pk": opp.pk})
    target = safe_next(request, default)
    if not form.is_valid():
        messages.error(request, _("Choose a stage to move the deal to."))
        return redirect(target)
    try:
        stage = selectors.access_stage(actor=actor, id=form.cleaned_data["stage"])
        moved = services.opportunity_move_stage(
            actor=actor,
            opportunity=opp,
            stage=stage,
            version=form.cleaned_data["version"],
            lost_reason=form.cleaned_data["lost_reason"] or None,
        )
    except Conflict as exc:
        if exc.code == "version_conflict":
            messages.error(
                request,
                _(
                    "“%(name)s” was changed by someone else meanwhile; this is "
                    "its latest state. Move it again if you still want to."
                )
                % {"name": opp.name},
            )
        else:
            messages.error(request, exc.message)
    except NotFound:
        messages.error(request, _("That stage does not exist."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("“%(name)s” moved to %(stage)s.") % {"name": moved.name, "stage": moved.stage.name},
        )
    return redirect(target)


@member_required
def pipeline_board(request):
    actor = request.membership
    pipelines = list(selectors.pipeline_list(actor=actor))
    pipeline = None
    if (wanted := request.GET.get("pipeline", "")).isdigit():
        pipeline = next((p for p in pipelines if p.pk == int(wanted)), None)
        if pipeline is None:
            raise NotFound("Pipeline")
    if pipeline is None:
        pipeline = next((p for p in pipelines if p.is_default), pipelines[0] if pipelines else None)
    owner_id = None
    owners = []
    if actor.role != Role.REP:
        owners = list(member_list(actor=actor).filter(visible_members_q(actor=actor)))
        if (wanted := request.GET.get("owner", "")).isdigit():
            owner_id = int(wanted) if any(m.pk == int(wanted) for m in owners) else None
    columns = []
    if pipeline is not None:
        columns = selectors.pipeline_board(actor=actor, pipeline=pipeline, owner_id=owner_id)
    editable = set()
    cards = [card for col in columns for card in col.cards]
    if can_write_records(actor=actor):
        if actor.role in ALL_RECORDS_WRITERS:
            editable = {c.pk for c in cards}
        elif actor.role == Role.MANAGER:
            team = {m.pk for m in owners}
            editable = {c.pk for c in cards if c.owner_id in team}
        else:
            editable = {c.pk for c in cards if c.owner_id == actor.pk}
    open_columns = [c for c in columns if c.stage.kind == StageKind.OPEN]
    return render(
        request,
        "crm/board.html",
        {
            "pipelines": pipelines,
            "pipeline": pipeline,
            "columns": columns,
            "owners": owners,
            "owner_id": owner_id,
            "editable": editable,
            "reporting_currency": actor.organisation.currency,
            "open_count": sum(c.count for c in open_columns),
            "open_amount": sum((c.amount for c in open_columns), 0),
            "open_weighted": sum((c.weighted for c in open_columns), 0),
            "can_write": can_write_records(actor=actor),
            "can_set_up": actor.role in (Role.ADMIN, Role.DIRECTOR),
            "board_url": request.get_full_path(),
        },
    )


@require_POST
@member_required
def pipeline_setup(request):
    """Create the default pipeline (admins and directors) when the organisation has none."""
    actor = request.membership
    if actor.role not in (Role.ADMIN, Role.DIRECTOR):
        deny(request, "role")
    services.pipeline_ensure_default(actor=actor)
    messages.success(request, _("The default pipeline is ready."))
    return redirect("crm:board")

"""Check-in pages: the list, scheduling, and the check-in itself — prepared from its live
agenda, with notes and action items (htmx partials, plain forms without JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.development import selectors, services
from saleshelm.development.forms import ActionItemForm, CheckInNotesForm, CheckInScheduleForm
from saleshelm.development.models import CheckInStatus
from saleshelm.development.permissions import may_coach
from saleshelm.development.services.checkins import may_edit_check_in
from saleshelm.development.views.common import (
    COACH_ROLES,
    READER_ROLES,
    page,
    report,
    today_for,
)

PER_PAGE = 25


@page(roles=READER_ROLES)
def check_in_list(request):
    actor = request.membership
    status = request.GET.get("status") or ""
    if status not in CheckInStatus.values:
        status = ""
    items = selectors.check_in_list(actor=actor, status=status or None)
    page_obj = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "development/check_ins.html",
        {
            "page_obj": page_obj,
            "items": page_obj.object_list,
            "status": status,
            "statuses": CheckInStatus.choices,
            "can_schedule": actor.role in COACH_ROLES,
            "today": today_for(request),
        },
    )


@page(roles=COACH_ROLES)
def check_in_schedule(request):
    actor = request.membership
    initial = {"scheduled_for": today_for(request)}
    if (member_id := request.GET.get("member", "")).isdigit():
        initial["member"] = int(member_id)
    form = CheckInScheduleForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["every_days"]:
                services.check_in_cadence_set(
                    actor=actor,
                    member=data["member"],
                    every_days=data["every_days"],
                    next_on=data["scheduled_for"],
                )
                check_in = selectors.next_check_in(actor=actor, member_id=data["member"].pk)
            else:
                check_in = services.check_in_schedule(
                    actor=actor, member=data["member"], scheduled_for=data["scheduled_for"]
                )
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Check-in planned."))
            if check_in is not None:
                return redirect("development:check_in", pk=check_in.pk)
            return redirect("development:check_ins")
    return render(request, "development/check_in_form.html", {"form": form})


def _context(request, check_in, **extra):
    actor = request.membership
    raised, carried = selectors.action_items_of(check_in=check_in)
    editable = may_edit_check_in(actor=actor, check_in=check_in)
    return {
        "check_in": check_in,
        "raised": raised,
        "carried": carried,
        "can_edit": editable and check_in.status != CheckInStatus.CANCELLED,
        "can_complete": check_in.status == CheckInStatus.PLANNED
        and may_coach(actor=actor, member=check_in.member),
        "is_member": actor.pk == check_in.member_id,
        "item_form": ActionItemForm(check_in=check_in),
        "today": today_for(request),
        **extra,
    }


@page(roles=READER_ROLES, access=selectors.access_check_in)
def check_in_detail(request, pk: int):
    """The check-in, with its agenda built now from live data (as the viewer sees it)."""
    actor = request.membership
    check_in = selectors.access_check_in(actor=actor, id=pk)
    agenda = selectors.check_in_agenda(actor=actor, check_in=check_in, today=today_for(request))
    if request.htmx and request.htmx.target == "agenda":
        return render(request, "development/_agenda.html", {"agenda": agenda, "check_in": check_in})
    notes = CheckInNotesForm(initial={"notes": check_in.notes})
    return render(
        request,
        "development/check_in.html",
        _context(request, check_in, agenda=agenda, notes_form=notes),
    )


@page(roles=READER_ROLES, post_only=True, access=selectors.access_check_in)
def check_in_notes(request, pk: int):
    actor = request.membership
    check_in = selectors.access_check_in(actor=actor, id=pk)
    form = CheckInNotesForm(request.POST)
    if form.is_valid():
        try:
            services.check_in_update(
                actor=actor, check_in=check_in, notes=form.cleaned_data["notes"]
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            report(request, exc)
        else:
            if request.htmx:
                check_in.refresh_from_db()
                return render(
                    request,
                    "development/_notes_saved.html",
                    {"check_in": check_in},
                )
            messages.success(request, _("Notes saved."))
    return redirect("development:check_in", pk=pk)


@page(roles=COACH_ROLES, post_only=True, access=selectors.access_check_in)
def check_in_complete(request, pk: int):
    actor = request.membership
    check_in = selectors.access_check_in(actor=actor, id=pk)
    notes = request.POST.get("notes")
    try:
        _done, next_one = services.check_in_complete(actor=actor, check_in=check_in, notes=notes)
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        report(request, exc)
        return redirect("development:check_in", pk=pk)
    if next_one is not None:
        messages.success(
            request,
            _("Check-in done. The next one is planned for %(day)s; open action items move to it.")
            % {"day": next_one.scheduled_for.isoformat()},
        )
    else:
        messages.success(request, _("Check-in done."))
    return redirect("development:check_in", pk=pk)


def _items_response(request, check_in, form=None):
    if request.htmx:
        context = _context(request, check_in)
        if form is not None:
            context["item_form"] = form
        return render(request, "development/_action_items.html", context)
    return redirect("development:check_in", pk=check_in.pk)


@page(roles=READER_ROLES, post_only=True, access=selectors.access_check_in)
def action_item_add(request, pk: int):
    actor = request.membership
    check_in = selectors.access_check_in(actor=actor, id=pk)
    form = ActionItemForm(request.POST, check_in=check_in)
    if form.is_valid():
        try:
            services.action_item_add(
                actor=actor,
                check_in=check_in,
                text=form.cleaned_data["text"],
                owner=form.owner_member(),
                due_date=form.cleaned_data["due_date"],
            )
        except ApplicationError as exc:
            if exc.status == 403:
                raise
            form.add_application_error(exc)
            return _items_response(request, check_in, form)
        return _items_response(request, check_in)
    if not request.htmx:
        messages.error(request, _("Write the action before adding it."))
    return _items_response(request, check_in, form)


@page(roles=READER_ROLES, post_only=True, access=selectors.access_action_item)
def action_item_status(request, pk: int):
    actor = request.membership
    item = selectors.access_action_item(actor=actor, id=pk)
    status = request.POST.get("status", "")
    try:
        services.action_item_set_status(actor=actor, item=item, status=status)
    except ApplicationError as exc:
        if exc.status == 403:
            raise
        report(request, exc)
    view_id = request.POST.get("check_in", "")
    check_in = item.raised_in
    if view_id.isdigit() and int(view_id) != check_in.pk:
        check_in = selectors.access_check_in(actor=actor, id=int(view_id))
    return _items_response(request, check_in)

"""Helpers shared by the sales pages."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.crm.permissions import can_edit_record, can_write_records
from saleshelm.web.access import deny

PER_PAGE = 25


def paginate(request, qs, per_page: int = PER_PAGE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def list_page(request, *, template: str, partial: str, target: str, context: dict):
    """A list page, or only its results when htmx asks for them (search, filter, paging)."""
    context = {**context, "htmx_target": f"#{target}"}
    if request.htmx and request.htmx.target == target:
        return render(request, partial, context)
    return render(request, template, context)


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def require_writer_page(request) -> None:
    if not can_write_records(actor=request.membership):
        deny(request, "read_only_role")


def require_edit_page(request, record) -> None:
    if not can_edit_record(actor=request.membership, owner_id=getattr(record, "owner_id", None)):
        deny(request, "not_owner")


def filters_kwargs(form, mapping: dict[str, str]) -> dict:
    """Selector keyword arguments from a filter form: ``{"q": "search", "owner": "owner_id"}``."""
    out = {}
    for field, key in mapping.items():
        if field not in form.fields:
            continue
        value = form.value(field)
        if value in (None, ""):
            continue
        if key.endswith("_id"):
            value = int(value) if str(value).isdigit() else None
            if value is None:
                continue
        out[key] = value
    return out


@dataclass(frozen=True)
class RecordForm:
    """How one kind of record is created and edited from a page: which form, which services,
    where to go back to, and what to say. ``record_form_page`` does the rest, the same way for
    every kind (accounts, contacts, leads)."""

    form: type
    create: Callable[..., Any]  # services.<kind>_create(actor=, owner=, **fields)
    update: Callable[..., Any]  # services.<kind>_update(actor=, <kind>=record, **changes)
    kind: str  # "account": the update keyword and the URL names crm:<kind> and crm:<list>
    list_url: str
    section: Promise
    new_title: Promise
    created: Promise  # "Account “%(name)s” created."
    saved: Promise
    fields: tuple[str, ...]  # copied from the record into the edit form
    new_initial: Callable[[Any], dict] = dataclasses.field(default=lambda request: {})
    edit_initial: Callable[[Any], dict] = dataclasses.field(default=lambda record: {})


def record_form_page(request, spec: RecordForm, record=None):
    """The create page (``record`` None) or edit page of a record, through its services."""
    actor = request.membership
    if record is None:
        require_writer_page(request)
        initial = spec.new_initial(request)
    else:
        require_edit_page(request, record)
        initial = {f: getattr(record, f) for f in spec.fields}
        initial["owner"] = record.owner_id
        initial.update(spec.edit_initial(record))
    form = spec.form(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if record is None:
                owner = data.pop("owner", None)
                saved = spec.create(actor=actor, owner=owner, **data)
                message = spec.created % {"name": saved.name}
            else:
                saved = spec.update(actor=actor, **{spec.kind: record}, **data)
                message = str(spec.saved)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, message)
            return redirect(f"crm:{spec.kind}", pk=saved.pk)
    context = {"form": form, "section": spec.section}
    if record is None:
        context.update(title=spec.new_title, back=(spec.list_url, None))
    else:
        context.update(
            title=_("Edit %(name)s") % {"name": record.name},
            back=(f"crm:{spec.kind}", record.pk),
            record=record,
        )
    return render(request, "crm/record_form.html", context)

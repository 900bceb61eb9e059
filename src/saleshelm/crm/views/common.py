"""Helpers shared by the sales pages."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

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

"""Helpers shared by the direction pages."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from saleshelm.core.errors import ApplicationError
from saleshelm.core.periods import Period, period_of
from saleshelm.direction.permissions import EDITORS, can_edit_direction
from saleshelm.direction.services.common import organisation_of, resolve_period
from saleshelm.web.access import deny

__all__ = [
    "EDITORS",
    "current_year",
    "form_page",
    "period_from",
    "require_editor_page",
    "safe_next",
]


def require_editor_page(request) -> None:
    """After the object was found (404 first): 403 for anyone but admins and directors."""
    if not can_edit_direction(actor=request.membership):
        deny(request)


def current_year(actor, today: dt.date | None = None) -> Period:
    org = organisation_of(actor)
    return period_of(
        today or timezone.localdate(), "year", fiscal_start_month=org.fiscal_year_start_month
    )


def period_from(request, actor) -> tuple[Period, str]:
    """The period of the ``period`` query parameter (default: this fiscal year), and an error
    message when what was typed is not a period."""
    raw = (request.GET.get("period") or "").strip()
    if not raw:
        return current_year(actor), ""
    try:
        return resolve_period(actor, raw), ""
    except ApplicationError as exc:
        return current_year(actor), exc.message


def safe_next(request, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return default


def form_page(request, form, *, title, cancel_url, submit_label, crumbs=(), lead="", **extra):
    """The one template for the simple edit forms of the app."""
    return render(
        request,
        "direction/form.html",
        {
            "form": form,
            "title": title,
            "lead": lead,
            "cancel_url": cancel_url,
            "submit_label": submit_label,
            "crumbs": crumbs,
            **extra,
        },
    )

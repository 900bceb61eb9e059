"""Reads of commission runs: finance, admins and directors."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.incentives.models import CommissionRun
from saleshelm.incentives.permissions import require_run_viewer
from saleshelm.tenancy.actors import Actor


def run_list(*, actor: Actor, period: str | None = None) -> QuerySet[CommissionRun, Any]:
    require_run_viewer(actor)
    qs = CommissionRun.objects.filter(organisation_id=actor.organisation_id).select_related(
        "plan", "created_by__user", "approved_by__user", "locked_by__user"
    )
    if period:
        qs = qs.filter(period=period)
    return qs.order_by("-period_start", "-pk")


def access_run(*, actor: Actor, id: int) -> CommissionRun:
    run = (
        CommissionRun.objects.filter(organisation_id=actor.organisation_id, pk=id)
        .select_related("plan", "created_by__user", "approved_by__user", "locked_by__user")
        .first()
    )
    if run is None:
        raise NotFound("Run")
    require_run_viewer(actor)
    return run

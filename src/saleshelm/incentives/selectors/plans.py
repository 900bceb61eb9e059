"""Reads of commission plans, scoped by the actor.

Finance, admins and directors see every plan; a manager the plans covering them or a member
of their team subtrees; a rep the plans covering them; a viewer none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.incentives.models import Plan, PlanAssignment, PlanVersion
from saleshelm.incentives.permissions import require_pay_viewer, sees_all_pay
from saleshelm.incentives.plans import export_definition
from saleshelm.people.selectors import visible_members_q
from saleshelm.tenancy.actors import Actor


def _visible(qs: QuerySet[Plan, Any], actor: Actor) -> QuerySet[Plan, Any]:
    if sees_all_pay(actor=actor):
        return qs
    covered = PlanAssignment.objects.filter(version__plan=OuterRef("pk")).filter(
        visible_members_q(actor=actor, prefix="member__")
    )
    return qs.filter(Exists(covered))


def plan_list(*, actor: Actor) -> QuerySet[Plan, Any]:
    require_pay_viewer(actor)
    qs = Plan.objects.filter(organisation_id=actor.organisation_id)
    return (
        _visible(qs, actor)
        .prefetch_related(Prefetch("versions", queryset=PlanVersion.objects.order_by("-version")))
        .order_by("name", "pk")
    )


def access_plan(*, actor: Actor, id: int) -> Plan:
    """404 for another organisation's plan or one the actor cannot see; 403 for a viewer."""
    base = Plan.objects.filter(organisation_id=actor.organisation_id, pk=id)
    if not base.exists():
        raise NotFound("Plan")
    require_pay_viewer(actor)
    plan = (
        _visible(base, actor)
        .prefetch_related(Prefetch("versions", queryset=PlanVersion.objects.order_by("-version")))
        .first()
    )
    if plan is None:
        raise NotFound("Plan")
    return plan


def plan_by_name(*, actor: Actor, name: str) -> Plan:
    plan = Plan.objects.filter(organisation_id=actor.organisation_id, name=name).first()
    if plan is None:
        raise NotFound(f"Plan {name!r}")
    return plan


def latest_version(plan: Plan) -> PlanVersion | None:
    versions = list(plan.versions.all())
    return max(versions, key=lambda v: v.version) if versions else None


def version_members(version: PlanVersion) -> list[str]:
    """The member emails of a version, in the order they were imported."""
    return list(
        PlanAssignment.objects.filter(version=version)
        .order_by("pk")
        .values_list("member__user__email", flat=True)
    )


def plan_export(*, actor: Actor, plan: Plan, version: int | None = None) -> dict:
    """The plan's JSON, as imported (the latest version unless one is named)."""
    versions = {v.version: v for v in plan.versions.all()}
    chosen = versions.get(version) if version is not None else latest_version(plan)
    if chosen is None:
        raise NotFound("Plan version")
    return export_definition(chosen.definition, version_members(chosen))

"""Importing commission plans (``saleshelm commissions plan import``, ``POST /commission-plans``).

Importing a plan whose name exists adds a new version effective from its ``effective_from``;
earlier versions keep governing earlier periods. Each version's members are assigned for
its effective dates; the import and every assignment are audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from saleshelm.core.errors import ApplicationError
from saleshelm.incentives.models import Plan, PlanAssignment, PlanVersion
from saleshelm.incentives.permissions import require_commission_writer
from saleshelm.incentives.plans import parse_plan
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record


def _unknown_segments(org_id: int, definition: dict) -> list[dict[str, str]]:
    """A segment filter names one of the organisation's target segments (direction), so a
    component never silently matches nothing."""
    from saleshelm.direction.models import Segment

    wanted = {
        (i, j, name)
        for i, comp in enumerate(definition.get("components", []))
        for j, name in enumerate((comp.get("filters") or {}).get("segments", []))
    }
    if not wanted:
        return []
    known = {
        n.casefold()
        for n in Segment.objects.filter(organisation_id=org_id).values_list("name", flat=True)
    }
    return [
        {
            "field": f"components[{i}].filters.segments[{j}]",
            "message": f"components[{i}].filters.segments[{j}]: no target segment {name!r}",
        }
        for i, j, name in sorted(wanted)
        if name.casefold() not in known
    ]


@transaction.atomic
def plan_import(*, actor: Actor, data: Any) -> PlanVersion:
    """Validate the plan JSON (already loaded, numbers as Decimal or text) and store it."""
    require_commission_writer(actor)
    parsed = parse_plan(data)
    org_id = actor.organisation_id
    found = {
        email.lower(): m
        for m, email in (
            (m, m.user.email)
            for m in Membership.objects.filter(
                organisation_id=org_id, user__email__in=parsed.members
            ).select_related("user")
        )
    }
    errors = [
        {
            "field": f"members[{i}]",
            "message": f"members[{i}]: no member {email} in this organisation",
        }
        for i, email in enumerate(parsed.members)
        if email not in found
    ]
    errors += _unknown_segments(org_id, parsed.definition)
    if errors:
        raise ApplicationError(
            errors[0]["message"],
            code="invalid_plan",
            field=errors[0]["field"],
            extra={"errors": errors},
        )
    plan, created = Plan.objects.get_or_create(organisation_id=org_id, name=parsed.name)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    last = plan.versions.order_by("-version").values_list("version", flat=True).first() or 0
    definition = {k: v for k, v in parsed.definition.items() if k != "members"}
    version = PlanVersion.objects.create(
        organisation_id=org_id,
        plan=plan,
        version=last + 1,
        effective_from=parsed.effective_from,
        effective_to=parsed.effective_to,
        currency=parsed.plan.currency,
        measure=parsed.plan.measure,
        pay=parsed.plan.pay,
        clawback_days=parsed.plan.clawback_days,
        definition=definition,
        created_by=None if isinstance(actor, SystemActor) else actor,
    )
    assignments = PlanAssignment.objects.bulk_create(
        [
            PlanAssignment(
                organisation_id=org_id,
                version=version,
                member=found[email],
                effective_from=version.effective_from,
                effective_to=version.effective_to,
            )
            for email in parsed.members
        ]
    )
    audit_record(
        actor=actor,
        action="commission_plan.import",
        obj=version,
        after={
            "plan": plan.name,
            "version": version.version,
            "effective_from": version.effective_from.isoformat(),
            "effective_to": version.effective_to.isoformat() if version.effective_to else None,
            "members": len(assignments),
            "new_plan": created,
        },
    )
    for a in assignments:
        audit_record(
            actor=actor,
            action="commission_assignment.create",
            object_type="planassignment",
            object_id=a.pk or "",
            after={
                "plan": plan.name,
                "version": version.version,
                "member": a.member.user.email,
                "from": a.effective_from.isoformat(),
                "to": a.effective_to.isoformat() if a.effective_to else None,
            },
        )
    return version

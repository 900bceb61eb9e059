"""Writes of target segments. Every change of the rules reclassifies the organisation's
accounts and leads in the same transaction, so fits never disagree with the rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from saleshelm.core.errors import ApplicationError
from saleshelm.direction.models import Segment
from saleshelm.direction.permissions import require_editor
from saleshelm.direction.segments import CUSTOM_KEYS, ClassifyResult, classify_organisation
from saleshelm.direction.services.common import (
    clean_list,
    clean_text,
    require_text,
    save_validated,
    snapshot,
    unique_name,
)
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.services import audit_record

SEGMENT_FIELDS = (
    "name",
    "description",
    "priority",
    "is_active",
    "industries",
    "employees_min",
    "employees_max",
    "regions",
    "countries",
    "custom",
)
MAX_PRIORITY = 1000
MAX_EMPLOYEES = 10_000_000


def _employees(raw: Any, field: str) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        number = int(raw)
    except (TypeError, ValueError):
        raise ApplicationError(f"{field} must be a whole number", field=field) from None
    if not 0 <= number <= MAX_EMPLOYEES:
        raise ApplicationError(f"{field} must be between 0 and {MAX_EMPLOYEES:,}", field=field)
    return number


def clean_custom(raw: Any) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for item in raw or []:
        if not isinstance(item, dict):
            raise ApplicationError("custom: each condition is a key and a value", field="custom")
        key = str(item.get("key") or "").strip().lower()
        value = str(item.get("value") or "").strip()
        if not key and not value:
            continue
        if key not in CUSTOM_KEYS:
            raise ApplicationError(
                f"custom: {key!r} is not a field a segment can look at "
                f"({', '.join(sorted(CUSTOM_KEYS))})",
                field="custom",
                code="unknown_field",
            )
        if not value or len(value) > 120:
            raise ApplicationError(
                f"custom: the value for {key} must have 1 to 120 characters", field="custom"
            )
        out.append({"key": key, "value": value})
    if len(out) > 10:
        raise ApplicationError("custom: at most 10 conditions", field="custom")
    return out


def _apply(segment: Segment, data: dict[str, Any]) -> None:
    for name, raw in data.items():
        if name == "name":
            segment.name = require_text(raw, "name", max_length=120)
        elif name == "description":
            segment.description = clean_text(raw, "description", max_length=2000)
        elif name == "priority":
            try:
                priority = int(raw)
            except (TypeError, ValueError):
                raise ApplicationError(
                    "priority must be a whole number", field="priority"
                ) from None
            if not 1 <= priority <= MAX_PRIORITY:
                raise ApplicationError(
                    f"priority must be between 1 (first) and {MAX_PRIORITY}", field="priority"
                )
            segment.priority = priority
        elif name == "is_active":
            segment.is_active = bool(raw)
        elif name in ("industries", "regions", "countries"):
            setattr(segment, name, clean_list(raw, name, max_items=50, max_length=100))
        elif name in ("employees_min", "employees_max"):
            setattr(segment, name, _employees(raw, name))
        elif name == "custom":
            segment.custom = clean_custom(raw)
        else:
            raise ApplicationError(f"cannot change {name}")


def _validate(segment: Segment) -> None:
    if (
        segment.employees_min is not None
        and segment.employees_max is not None
        and segment.employees_min > segment.employees_max
    ):
        raise ApplicationError(
            "employees from must not be above employees up to", field="employees_min"
        )
    has_condition = (
        segment.industries
        or segment.regions
        or segment.countries
        or segment.custom
        or segment.employees_min is not None
        or segment.employees_max is not None
    )
    if not has_condition:
        raise ApplicationError(
            "a segment needs at least one condition (industry, size, region, country or "
            "another field)",
            field="industries",
            code="no_condition",
        )


def _reclassify(actor: Actor, reason: str) -> ClassifyResult:
    result = classify_organisation(actor=actor)
    audit_record(
        actor=actor,
        action="segments.reclassify",
        object_type="segment",
        after=result.as_dict(),
        reason=reason,
    )
    return result


@transaction.atomic
def segment_create(*, actor: Actor, name: str, **data: Any) -> Segment:
    require_editor(actor)
    segment = Segment(organisation_id=actor.organisation_id)
    _apply(segment, {"name": name, **data})
    _validate(segment)
    unique_name(Segment, actor, segment.name)
    save_validated(segment, exclude=["organisation"], what="segment")
    audit_record(
        actor=actor, action="segment.create", obj=segment, after=snapshot(segment, SEGMENT_FIELDS)
    )
    _reclassify(actor, f"segment {segment.name} created")
    return segment


@transaction.atomic
def segment_update(*, actor: Actor, segment: Segment, **changes: Any) -> Segment:
    require_editor(actor)
    segment = Segment.objects.select_for_update().get(
        pk=segment.pk, organisation_id=actor.organisation_id
    )
    before = snapshot(segment, SEGMENT_FIELDS)
    _apply(segment, changes)
    _validate(segment)
    unique_name(Segment, actor, segment.name, exclude_pk=segment.pk)
    save_validated(segment, exclude=["organisation"], what="segment")
    after = snapshot(segment, SEGMENT_FIELDS)
    if after != before:
        audit_record(actor=actor, action="segment.update", obj=segment, before=before, after=after)
        _reclassify(actor, f"segment {segment.name} changed")
    return segment


@transaction.atomic
def segment_delete(*, actor: Actor, segment: Segment) -> None:
    require_editor(actor)
    before = snapshot(segment, SEGMENT_FIELDS)
    pk, name = segment.pk, segment.name
    segment.delete()
    audit_record(
        actor=actor, action="segment.delete", object_type="segment", object_id=pk, before=before
    )
    _reclassify(actor, f"segment {name} deleted")


@transaction.atomic
def segments_reclassify(*, actor: Actor) -> ClassifyResult:
    """Recompute every fit now (after an import of accounts or leads, say)."""
    require_editor(actor)
    return _reclassify(actor, "requested")

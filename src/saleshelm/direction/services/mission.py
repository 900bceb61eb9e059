"""Writes of the mission and values."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError

from saleshelm.core.errors import Conflict
from saleshelm.direction.models import CompanyValue, Mission
from saleshelm.direction.permissions import require_editor
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

MISSION_FIELDS = ("statement", "culture")
VALUE_FIELDS = ("name", "description", "behaviours", "position")


@transaction.atomic
def mission_save(*, actor: Actor, statement: str, culture: str = "") -> Mission:
    """Replace the organisation's one mission (created on first save)."""
    require_editor(actor)
    mission, created = Mission.objects.select_for_update().get_or_create(
        organisation_id=actor.organisation_id
    )
    before = None if created else snapshot(mission, MISSION_FIELDS)
    mission.statement = clean_text(statement, "statement", max_length=2000)
    mission.culture = clean_text(culture, "culture", max_length=10000)
    save_validated(mission, exclude=["organisation"], what="mission")
    audit_record(
        actor=actor,
        action="mission.update",
        obj=mission,
        before=before,
        after=snapshot(mission, MISSION_FIELDS),
    )
    return mission


def _apply_value(value: CompanyValue, data: dict[str, Any]) -> None:
    for name, raw in data.items():
        if name == "name":
            value.name = require_text(raw, "name", max_length=120)
        elif name == "description":
            value.description = clean_text(raw, "description", max_length=2000)
        elif name == "behaviours":
            value.behaviours = clean_list(raw, "behaviours", max_items=20)
        elif name == "position":
            value.position = max(0, int(raw))


@transaction.atomic
def value_create(
    *,
    actor: Actor,
    name: str,
    description: str = "",
    behaviours: list[str] | None = None,
    position: int | None = None,
) -> CompanyValue:
    require_editor(actor)
    value = CompanyValue(organisation_id=actor.organisation_id)
    _apply_value(value, {"name": name, "description": description, "behaviours": behaviours})
    unique_name(CompanyValue, actor, value.name)
    value.position = (
        position
        if position is not None
        else CompanyValue.objects.filter(organisation_id=actor.organisation_id).count()
    )
    save_validated(value, exclude=["organisation"], what="value")
    audit_record(actor=actor, action="value.create", obj=value, after=snapshot(value, VALUE_FIELDS))
    return value


@transaction.atomic
def value_update(*, actor: Actor, value: CompanyValue, **changes: Any) -> CompanyValue:
    require_editor(actor)
    before = snapshot(value, VALUE_FIELDS)
    _apply_value(value, changes)
    unique_name(CompanyValue, actor, value.name, exclude_pk=value.pk)
    save_validated(value, exclude=["organisation"], what="value")
    after = snapshot(value, VALUE_FIELDS)
    if after != before:
        audit_record(actor=actor, action="value.update", obj=value, before=before, after=after)
    return value


@transaction.atomic
def value_delete(*, actor: Actor, value: CompanyValue) -> None:
    """Remove a value; one that recognition already refers to is kept (409)."""
    require_editor(actor)
    before = snapshot(value, VALUE_FIELDS)
    pk = value.pk
    try:
        with transaction.atomic():
            value.delete()
    except ProtectedError:
        raise Conflict(
            "this value has been given as recognition; rename it instead of deleting it",
            code="in_use",
        ) from None
    audit_record(
        actor=actor, action="value.delete", object_type="companyvalue", object_id=pk, before=before
    )

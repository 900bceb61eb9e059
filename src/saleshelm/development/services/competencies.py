"""Writes of the competency framework, and loading a starter framework (SPEC §8)."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from saleshelm.core.errors import ApplicationError
from saleshelm.development.models import (
    LEVELS,
    Competency,
    CompetencyGroup,
    CompetencyKind,
    ExpectedLevel,
)
from saleshelm.development.permissions import require_framework_editor
from saleshelm.development.services.common import check_level, clean_text, same_org
from saleshelm.people.models import RoleProfile
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.services import audit_record, full_clean_or_raise


def _check_levels(levels: list[str]) -> list[str]:
    if not isinstance(levels, list) or len(levels) != len(LEVELS):
        raise ApplicationError(
            f"levels: give exactly {len(LEVELS)} descriptors, level 1 first", field="levels"
        )
    cleaned = [clean_text(str(x), field="levels", required=True, limit=500) for x in levels]
    return cleaned


def _unique_key(model, actor: Actor, base: str) -> str:
    key = slugify(base)[:70] or "item"
    taken = set(
        model.objects.filter(
            organisation_id=actor.organisation_id, key__startswith=key
        ).values_list("key", flat=True)
    )
    if key not in taken:
        return key
    n = 2
    while f"{key}-{n}" in taken:
        n += 1
    return f"{key}-{n}"


@transaction.atomic
def competency_group_create(
    *, actor: Actor, name: str, description: str = "", framework: str = "", key: str = ""
) -> CompetencyGroup:
    require_framework_editor(actor)
    name = clean_text(name, field="name", required=True, limit=120)
    group = CompetencyGroup(
        organisation_id=actor.organisation_id,
        key=key or _unique_key(CompetencyGroup, actor, name),
        name=name,
        description=clean_text(description, field="description", limit=2000),
        framework=framework[:40],
        position=CompetencyGroup.objects.filter(organisation_id=actor.organisation_id).count(),
    )
    full_clean_or_raise(group, exclude=["organisation"])
    group.save()
    audit_record(actor=actor, action="competency_group.create", obj=group, after={"name": name})
    return group


@transaction.atomic
def competency_create(
    *,
    actor: Actor,
    group: CompetencyGroup,
    name: str,
    kind: str = CompetencyKind.SKILL,
    description: str = "",
    levels: list[str],
    key: str = "",
) -> Competency:
    require_framework_editor(actor)
    same_org(actor, group, "Competency group")
    if kind not in CompetencyKind.values:
        raise ApplicationError("kind must be skill or behaviour", field="kind")
    name = clean_text(name, field="name", required=True, limit=120)
    competency = Competency(
        organisation_id=actor.organisation_id,
        key=key or _unique_key(Competency, actor, name),
        group=group,
        kind=kind,
        name=name,
        description=clean_text(description, field="description", limit=2000),
        levels=_check_levels(levels),
        position=group.competencies.count(),
    )
    full_clean_or_raise(competency, exclude=["organisation", "group"])
    competency.save()
    audit_record(
        actor=actor,
        action="competency.create",
        obj=competency,
        after={"name": name, "kind": kind, "group": group.pk},
    )
    return competency


@transaction.atomic
def competency_update(*, actor: Actor, competency: Competency, **changes) -> Competency:
    require_framework_editor(actor)
    competency = Competency.objects.select_for_update().get(pk=competency.pk)
    before = {"name": competency.name, "kind": competency.kind, "is_active": competency.is_active}
    if "name" in changes and changes["name"] is not None:
        competency.name = clean_text(changes["name"], field="name", required=True, limit=120)
    if "description" in changes and changes["description"] is not None:
        competency.description = clean_text(changes["description"], field="description", limit=2000)
    if "kind" in changes and changes["kind"] is not None:
        if changes["kind"] not in CompetencyKind.values:
            raise ApplicationError("kind must be skill or behaviour", field="kind")
        competency.kind = changes["kind"]
    if "levels" in changes and changes["levels"] is not None:
        competency.levels = _check_levels(changes["levels"])
    if "is_active" in changes and changes["is_active"] is not None:
        competency.is_active = bool(changes["is_active"])
    if "group" in changes and changes["group"] is not None:
        same_org(actor, changes["group"], "Competency group")
        competency.group = changes["group"]
    full_clean_or_raise(competency, exclude=["organisation", "group"])
    competency.save()
    after = {"name": competency.name, "kind": competency.kind, "is_active": competency.is_active}
    audit_record(
        actor=actor, action="competency.update", obj=competency, before=before, after=after
    )
    return competency


@transaction.atomic
def expected_levels_set(
    *, actor: Actor, competency: Competency, levels: dict[RoleProfile, int | None]
) -> list[ExpectedLevel]:
    """Set (or, with None, clear) the level each role profile expects of a competency."""
    require_framework_editor(actor)
    same_org(actor, competency, "Competency")
    out = []
    changes: dict[int, int | None] = {}
    for profile, level in levels.items():
        same_org(actor, profile, "Role profile")
        check_level(level, field="level")
        if level is None:
            ExpectedLevel.objects.filter(competency=competency, role_profile=profile).delete()
            changes[profile.pk] = None
            continue
        obj, _ = ExpectedLevel.objects.update_or_create(
            competency=competency,
            role_profile=profile,
            defaults={"level": level, "organisation_id": actor.organisation_id},
        )
        changes[profile.pk] = level
        out.append(obj)
    audit_record(
        actor=actor,
        action="competency.expected_levels",
        obj=competency,
        after={str(k): v for k, v in changes.items()},
    )
    return out

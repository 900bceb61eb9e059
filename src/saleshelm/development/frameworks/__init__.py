"""Starter competency frameworks, as data, and the service that loads one.

``framework_load(actor=..., framework="b2b", language="vi")`` creates the groups and
competencies of a framework in the actor's organisation (or updates them: keys are stable,
so loading twice changes nothing) and sets the expected level of each role profile whose
name matches one of the framework's roles. ``saleshelm manage development_load_framework``
and the seeder use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from saleshelm.core.errors import ApplicationError
from saleshelm.development.frameworks.b2b import FRAMEWORK as B2B
from saleshelm.development.frameworks.retail import FRAMEWORK as RETAIL
from saleshelm.development.models import Competency, CompetencyGroup, ExpectedLevel
from saleshelm.development.permissions import require_framework_editor
from saleshelm.people.models import RoleProfile
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.services import audit_record

FRAMEWORKS: dict[str, dict[str, Any]] = {"b2b": B2B, "retail": RETAIL}
LANGUAGES = ("en", "vi")


@dataclass
class LoadResult:
    framework: str
    groups_created: int = 0
    competencies_created: int = 0
    competencies_updated: int = 0
    expected_levels: int = 0
    matched_roles: dict[str, str] = field(default_factory=dict)  # role key -> profile name

    def line(self) -> str:
        roles = ", ".join(sorted(self.matched_roles.values())) or "no matching role profiles"
        return (
            f"framework {self.framework}: {self.groups_created} groups and "
            f"{self.competencies_created} competencies created, {self.competencies_updated} "
            f"updated, {self.expected_levels} expected levels ({roles})"
        )


def framework_choices() -> list[tuple[str, str]]:
    return [(key, data["name"]["en"]) for key, data in FRAMEWORKS.items()]


def _match_roles(actor: Actor, roles: dict[str, list[str]]) -> dict[str, RoleProfile]:
    profiles = {
        p.name.strip().lower(): p
        for p in RoleProfile.objects.filter(organisation_id=actor.organisation_id)
    }
    out = {}
    for key, names in roles.items():
        for name in names:
            profile = profiles.get(name.strip().lower())
            if profile is not None:
                out[key] = profile
                break
    return out


@transaction.atomic
def framework_load(
    *,
    actor: Actor,
    framework: str,
    language: str = "en",
    role_profiles: dict[str, RoleProfile] | None = None,
) -> LoadResult:
    require_framework_editor(actor)
    data = FRAMEWORKS.get(framework)
    if data is None:
        raise ApplicationError(
            f"framework must be one of {', '.join(FRAMEWORKS)}", field="framework"
        )
    if language not in LANGUAGES:
        raise ApplicationError("language must be en or vi", field="language")
    org_id = actor.organisation_id
    result = LoadResult(framework=framework)
    roles = _match_roles(actor, data["roles"])
    if role_profiles:
        roles.update({k: v for k, v in role_profiles.items() if k in data["roles"]})
    result.matched_roles = {k: p.name for k, p in roles.items()}

    base_position = CompetencyGroup.objects.filter(organisation_id=org_id).count()
    existing_groups = {g.key: g for g in CompetencyGroup.objects.filter(organisation_id=org_id)}
    existing = {c.key: c for c in Competency.objects.filter(organisation_id=org_id)}
    for gi, g in enumerate(data["groups"]):
        group = existing_groups.get(g["key"])
        if group is None:
            group = CompetencyGroup.objects.create(
                organisation_id=org_id,
                key=g["key"],
                name=g["name"][language],
                description=g["description"][language],
                framework=framework,
                position=base_position + gi,
            )
            result.groups_created += 1
        for ci, c in enumerate(g["competencies"]):
            values = {
                "group": group,
                "kind": c["kind"],
                "name": c["name"][language],
                "description": c["description"][language],
                "levels": list(c["levels"][language]),
                "position": ci,
            }
            competency = existing.get(c["key"])
            if competency is None:
                competency = Competency.objects.create(
                    organisation_id=org_id, key=c["key"], **values
                )
                result.competencies_created += 1
            elif any(getattr(competency, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(competency, k, v)
                competency.save()
                result.competencies_updated += 1
            for role_key, level in c.get("expected", {}).items():
                profile = roles.get(role_key)
                if profile is None:
                    continue
                ExpectedLevel.objects.update_or_create(
                    competency=competency,
                    role_profile=profile,
                    defaults={"level": level, "organisation_id": org_id},
                )
                result.expected_levels += 1
    audit_record(
        actor=actor,
        action="competency_framework.load",
        object_type="competencyframework",
        object_id=framework,
        after={
            "framework": framework,
            "language": language,
            "groups_created": result.groups_created,
            "competencies_created": result.competencies_created,
            "competencies_updated": result.competencies_updated,
            "expected_levels": result.expected_levels,
        },
    )
    return result

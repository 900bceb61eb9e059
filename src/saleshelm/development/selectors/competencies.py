"""Reads of the competency framework: open to every member of the organisation."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.development.models import Competency, CompetencyGroup, ExpectedLevel
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership


def competency_list(
    *,
    actor: Actor,
    group_id: int | None = None,
    kind: str | None = None,
    include_inactive: bool = False,
    search: str | None = None,
) -> QuerySet[Competency]:
    qs = Competency.objects.filter(organisation_id=actor.organisation_id).select_related("group")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if group_id is not None:
        qs = qs.filter(group_id=group_id)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.prefetch_related(
        Prefetch(
            "expected_levels",
            queryset=ExpectedLevel.objects.select_related("role_profile").order_by(
                "role_profile__name"
            ),
        )
    ).order_by("group__position", "group_id", "position", "pk")


def access_competency(*, actor: Actor, id: int) -> Competency:
    obj = competency_list(actor=actor, include_inactive=True).filter(pk=id).first()
    if obj is None:
        raise NotFound("Competency")
    return obj


def group_list(*, actor: Actor) -> QuerySet[CompetencyGroup]:
    return CompetencyGroup.objects.filter(organisation_id=actor.organisation_id)


def access_group(*, actor: Actor, id: int) -> CompetencyGroup:
    obj = group_list(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Competency group")
    return obj


def framework(*, actor: Actor, include_inactive: bool = False) -> list[CompetencyGroup]:
    """Groups with their competencies and expected levels, from three queries."""
    competencies = Competency.objects.order_by("position", "pk")
    if not include_inactive:
        competencies = competencies.filter(is_active=True)
    competencies = competencies.prefetch_related(
        Prefetch(
            "expected_levels",
            queryset=ExpectedLevel.objects.select_related("role_profile").order_by(
                "role_profile__name"
            ),
        )
    )
    return list(
        group_list(actor=actor).prefetch_related(Prefetch("competencies", queryset=competencies))
    )


def expected_levels_for(*, member: Membership) -> dict[int, int]:
    """Competency id -> the level the member's role profile expects."""
    role_id = (
        Membership.objects.filter(pk=member.pk).values_list("profile__role_profile_id", flat=True)
    ).first()
    if role_id is None:
        return {}
    return dict(
        ExpectedLevel.objects.filter(role_profile_id=role_id).values_list("competency_id", "level")
    )

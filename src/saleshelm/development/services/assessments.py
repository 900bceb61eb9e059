"""Writes of assessment cycles and assessments: self first, then the manager (SPEC §8).

Evidence is coaching text: audit rows record levels and who, never the evidence itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.development.models import (
    Assessment,
    AssessmentCycle,
    AssessmentRating,
    AssessmentStatus,
    Competency,
    CycleStatus,
    ExpectedLevel,
)
from saleshelm.development.permissions import COACHES, is_system, may_coach
from saleshelm.development.services.common import check_level, clean_text, same_org
from saleshelm.people.models import MemberProfile, Team
from saleshelm.people.selectors import visible_members_q
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.roles import Role
from saleshelm.tenancy.services import audit_record

BATCH = 1000


@dataclass(frozen=True)
class RatingInput:
    competency_id: int
    level: int | None = None
    evidence: str = ""


def nearest_managers(member_ids: Iterable[int], organisation_id: int) -> dict[int, int | None]:
    """Each member's nearest manager: their team's manager, or above when they lead it.

    Two queries whatever the number of members (profiles, then the teams on their paths).
    """
    profiles = list(
        MemberProfile.objects.filter(
            organisation_id=organisation_id, membership_id__in=list(member_ids)
        ).values_list("membership_id", "team__path")
    )
    team_ids = {int(x) for _, path in profiles if path for x in path.strip("/").split("/") if x}
    managers = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "manager_id"))
    out: dict[int, int | None] = {}
    for member_id, path in profiles:
        out[member_id] = None
        if not path:
            continue
        for tid in reversed([int(x) for x in path.strip("/").split("/") if x]):
            mgr = managers.get(tid)
            if mgr and mgr != member_id:
                out[member_id] = mgr
                break
    return out


def competencies_for_roles(
    organisation_id: int,
) -> tuple[dict[int, list[tuple[int, int]]], list[int]]:
    """Expected levels by role profile, and every active competency (for members whose role
    expects nothing in particular)."""
    by_role: dict[int, list[tuple[int, int]]] = {}
    for role_id, comp_id, level in ExpectedLevel.objects.filter(
        organisation_id=organisation_id, competency__is_active=True
    ).values_list("role_profile_id", "competency_id", "level"):
        by_role.setdefault(role_id, []).append((comp_id, level))
    active = list(
        Competency.objects.filter(organisation_id=organisation_id, is_active=True).values_list(
            "pk", flat=True
        )
    )
    return by_role, active


@transaction.atomic
def assessment_cycle_create(
    *,
    actor: Actor,
    name: str,
    opens_on: dt.date,
    self_due: dt.date,
    manager_due: dt.date,
    team: Team | None = None,
    include_managers: bool = False,
) -> AssessmentCycle:
    """Open a cycle for the active reps the actor coaches (in ``team``'s subtree if given)."""
    if not is_system(actor) and actor.role not in COACHES:
        raise PermissionDenied("Only managers, directors and admins open assessment cycles.")
    name = clean_text(name, field="name", required=True, limit=120)
    if not opens_on <= self_due <= manager_due:
        raise ApplicationError(
            "dates must run: opens, then self-assessment due, then manager assessment due",
            field="self_due",
        )
    same_org(actor, team, "Team")
    roles = [Role.REP, Role.MANAGER] if include_managers else [Role.REP]
    members = Membership.objects.filter(
        organisation_id=actor.organisation_id, is_active=True, role__in=roles
    ).filter(visible_members_q(actor=actor))
    if not is_system(actor):
        members = members.exclude(pk=actor.pk)
    if team is not None:
        members = members.filter(profile__team__path__startswith=team.path)
    people = list(members.values_list("pk", "profile__role_profile_id"))
    if not people:
        raise ApplicationError("nobody to assess in this scope", code="empty", field="team")
    if AssessmentCycle.objects.filter(organisation_id=actor.organisation_id, name=name).exists():
        raise Conflict(f"a cycle named {name!r} already exists", code="exists")
    by_role, active = competencies_for_roles(actor.organisation_id)
    if not active:
        raise ApplicationError(
            "the competency framework is empty: load or add competencies first",
            code="no_competencies",
        )
    try:
        with transaction.atomic():
            cycle = AssessmentCycle.objects.create(
                organisation_id=actor.organisation_id,
                name=name,
                opens_on=opens_on,
                self_due=self_due,
                manager_due=manager_due,
                created_by=None if is_system(actor) else actor,
            )
    except IntegrityError:
        raise Conflict(f"a cycle named {name!r} already exists", code="exists") from None
    managers = nearest_managers([pk for pk, _ in people], actor.organisation_id)
    assessments = [
        Assessment(
            organisation_id=actor.organisation_id,
            cycle=cycle,
            subject_id=pk,
            assessor_id=managers.get(pk),
        )
        for pk, _ in people
    ]
    Assessment.objects.bulk_create(assessments, batch_size=BATCH)
    ratings: list[AssessmentRating] = []
    for assessment, (_, role_id) in zip(assessments, people, strict=True):
        expected = by_role.get(role_id) if role_id else None
        pairs = expected if expected else [(cid, None) for cid in active]
        ratings.extend(
            AssessmentRating(
                organisation_id=actor.organisation_id,
                assessment=assessment,
                competency_id=cid,
                expected_level=level,
            )
            for cid, level in pairs
        )
    AssessmentRating.objects.bulk_create(ratings, batch_size=BATCH)
    audit_record(
        actor=actor,
        action="assessment_cycle.create",
        obj=cycle,
        after={"name": name, "assessments": len(assessments), "team": team.pk if team else None},
    )
    return cycle


@transaction.atomic
def assessment_cycle_close(*, actor: Actor, cycle: AssessmentCycle) -> AssessmentCycle:
    is_creator = actor.role == Role.MANAGER and cycle.created_by_id == actor.pk
    if not is_system(actor) and actor.role not in {Role.ADMIN, Role.DIRECTOR} and not is_creator:
        raise PermissionDenied("Only admins, directors and the cycle's creator close it.")
    if cycle.status == CycleStatus.CLOSED:
        return cycle
    cycle.status = CycleStatus.CLOSED
    cycle.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action="assessment_cycle.close", obj=cycle, after={"status": "closed"}
    )
    return cycle


def _lock(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("cycle", "subject")
        .get(pk=assessment.pk)
    )


def _apply(
    assessment: Assessment, ratings: list[RatingInput], *, side: str
) -> list[AssessmentRating]:
    rows = {r.competency_id: r for r in assessment.ratings.select_related("competency")}
    changed = []
    seen = set()
    for item in ratings:
        if item.competency_id in seen:
            raise ApplicationError("a competency is rated twice", field="ratings")
        seen.add(item.competency_id)
        row = rows.get(item.competency_id)
        if row is None:
            raise ApplicationError(
                "a rated competency is not part of this assessment",
                field="ratings",
                code="not_found",
            )
        level = check_level(item.level, field="level")
        evidence = clean_text(item.evidence, field="evidence", limit=4000)
        setattr(row, f"{side}_level", level)
        setattr(row, f"{side}_evidence", evidence)
        changed.append(row)
    AssessmentRating.objects.bulk_update(
        changed, [f"{side}_level", f"{side}_evidence", "updated_at"]
    )
    return list(rows.values())


@transaction.atomic
def assessment_self_save(
    *, actor: Actor, assessment: Assessment, ratings: list[RatingInput], submit: bool = False
) -> Assessment:
    if actor.pk != assessment.subject_id:
        raise PermissionDenied("Only the person assessed writes their self-assessment.")
    assessment = _lock(assessment)
    if assessment.cycle.status == CycleStatus.CLOSED:
        raise Conflict("this assessment cycle is closed", code="closed")
    if assessment.status != AssessmentStatus.SELF_PENDING:
        raise Conflict("the self-assessment is already submitted", code="submitted")
    rows = _apply(assessment, ratings, side="self")
    if submit:
        if any(r.self_level is None for r in rows):
            raise ApplicationError(
                "rate every competency before submitting", field="ratings", code="incomplete"
            )
        assessment.status = AssessmentStatus.MANAGER_PENDING
        assessment.self_submitted_at = timezone.now()
        assessment.save(update_fields=["status", "self_submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="assessment.self_submit" if submit else "assessment.self_save",
        obj=assessment,
        after={"levels": {str(r.competency_id): r.self_level for r in rows}},
    )
    return assessment


@transaction.atomic
def assessment_manager_save(
    *,
    actor: Actor,
    assessment: Assessment,
    ratings: list[RatingInput],
    summary: str | None = None,
    submit: bool = False,
) -> Assessment:
    if not is_system(actor) and actor.role not in COACHES:
        raise PermissionDenied("Only managers, directors and admins assess.")
    if not may_coach(actor=actor, member=assessment.subject):
        raise PermissionDenied("You assess only the members of the teams you manage.")
    assessment = _lock(assessment)
    if assessment.cycle.status == CycleStatus.CLOSED:
        raise Conflict("this assessment cycle is closed", code="closed")
    if assessment.status == AssessmentStatus.COMPLETED:
        raise Conflict("this assessment is already completed", code="submitted")
    rows = _apply(assessment, ratings, side="manager")
    fields = ["updated_at"]
    if summary is not None:
        assessment.manager_summary = clean_text(summary, field="summary", limit=4000)
        fields.append("manager_summary")
    if submit:
        if assessment.status != AssessmentStatus.MANAGER_PENDING:
            raise Conflict(
                "wait for the self-assessment before submitting yours", code="self_pending"
            )
        if any(r.manager_level is None for r in rows):
            raise ApplicationError(
                "rate every competency before submitting", field="ratings", code="incomplete"
            )
        assessment.status = AssessmentStatus.COMPLETED
        assessment.manager_submitted_at = timezone.now()
        if not is_system(actor):
            assessment.assessor = actor
        fields += ["status", "manager_submitted_at", "assessor"]
    assessment.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="assessment.manager_submit" if submit else "assessment.manager_save",
        obj=assessment,
        after={"levels": {str(r.competency_id): r.manager_level for r in rows}},
    )
    return assessment


def pending_for(*, actor: Actor) -> Q:
    """Assessments waiting on the actor: their own self-assessment, or their team's."""
    return Q(subject_id=actor.pk, status=AssessmentStatus.SELF_PENDING) | Q(
        assessor_id=actor.pk, status=AssessmentStatus.MANAGER_PENDING
    )

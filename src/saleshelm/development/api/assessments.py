"""API: assessment cycles and assessments (self, then manager; the gap side by side)."""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.development import selectors, services
from saleshelm.development.api.common import MemberRef
from saleshelm.people.selectors import access_team

router = Router(tags=["assessments"])


class CycleOut(Schema):
    id: int
    name: str
    opens_on: dt.date
    self_due: dt.date
    manager_due: dt.date
    status: str
    total: int = 0
    completed: int = 0


class CycleIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    opens_on: dt.date
    self_due: dt.date
    manager_due: dt.date
    team_id: int | None = None
    include_managers: bool = False


class RatingOut(Schema):
    competency_id: int
    competency: str
    group: str
    kind: str
    expected: int | None
    self_level: int | None
    self_evidence: str
    manager_level: int | None
    manager_evidence: str
    gap: int | None
    to_expected: int | None

    @staticmethod
    def resolve_competency(row) -> str:
        return row.name


class CycleRef(Schema):
    id: int
    name: str


class AssessmentSummaryOut(Schema):
    id: int
    cycle: CycleRef
    subject: MemberRef
    assessor: MemberRef | None
    status: str
    self_submitted_at: dt.datetime | None
    manager_submitted_at: dt.datetime | None


class AssessmentDetailOut(AssessmentSummaryOut):
    manager_summary: str
    ratings: list[RatingOut]


class AssessmentFilters(Schema):
    subject_id: int | None = None
    cycle_id: int | None = None
    status: Literal["self_pending", "manager_pending", "completed"] | None = None


class RatingIn(Schema):
    competency_id: int
    level: int | None = Field(None, ge=1, le=5)
    evidence: str = Field("", max_length=4000)


class SelfIn(Schema):
    ratings: list[RatingIn] = Field(default_factory=list, max_length=100)
    submit: bool = False


class ManagerIn(Schema):
    ratings: list[RatingIn] = Field(default_factory=list, max_length=100)
    summary: str | None = Field(None, max_length=4000)
    submit: bool = False


def _detail(actor, assessment):
    rows = selectors.rating_rows(actor=actor, assessment=assessment)
    summary = assessment.manager_summary
    if actor.pk == assessment.subject_id and not assessment.completed:
        summary = ""
    return {
        "id": assessment.pk,
        "cycle": assessment.cycle,
        "subject": assessment.subject,
        "assessor": assessment.assessor,
        "status": assessment.status,
        "self_submitted_at": assessment.self_submitted_at,
        "manager_submitted_at": assessment.manager_submitted_at,
        "manager_summary": summary,
        "ratings": rows,
    }


def _inputs(items: list[RatingIn]) -> list[services.RatingInput]:
    return [
        services.RatingInput(competency_id=i.competency_id, level=i.level, evidence=i.evidence)
        for i in items
    ]


@router.get("/assessment-cycles", response=list[CycleOut])
@paginate(LimitOffsetPagination)
def list_cycles(request):
    return selectors.cycle_list(actor=request.auth)


@router.get("/assessment-cycles/{id}", response={200: CycleOut, **ERRORS})
def get_cycle(request, id: int):
    return selectors.access_cycle(actor=request.auth, id=id)


@router.post("/assessment-cycles", response={201: CycleOut, **ERRORS})
def create_cycle(request, payload: CycleIn):
    actor = request.auth
    team = None if payload.team_id is None else access_team(actor=actor, id=payload.team_id)
    cycle = services.assessment_cycle_create(
        actor=actor,
        name=payload.name,
        opens_on=payload.opens_on,
        self_due=payload.self_due,
        manager_due=payload.manager_due,
        team=team,
        include_managers=payload.include_managers,
    )
    return Status(201, selectors.access_cycle(actor=actor, id=cycle.pk))


@router.post("/assessment-cycles/{id}/close", response={200: CycleOut, **ERRORS})
def close_cycle(request, id: int):
    actor = request.auth
    cycle = selectors.access_cycle(actor=actor, id=id)
    services.assessment_cycle_close(actor=actor, cycle=cycle)
    return selectors.access_cycle(actor=actor, id=id)


@router.get("/assessments", response=list[AssessmentSummaryOut])
@paginate(LimitOffsetPagination)
def list_assessments(request, filters: Query[AssessmentFilters]):
    return selectors.assessment_list(
        actor=request.auth,
        subject_id=filters.subject_id,
        cycle_id=filters.cycle_id,
        status=filters.status,
    )


@router.get("/assessments/{id}", response={200: AssessmentDetailOut, **ERRORS})
def get_assessment(request, id: int):
    actor = request.auth
    return _detail(actor, selectors.access_assessment(actor=actor, id=id))


@router.put("/assessments/{id}/self", response={200: AssessmentDetailOut, **ERRORS})
def save_self_assessment(request, id: int, payload: SelfIn):
    actor = request.auth
    assessment = selectors.access_assessment(actor=actor, id=id)
    services.assessment_self_save(
        actor=actor, assessment=assessment, ratings=_inputs(payload.ratings), submit=payload.submit
    )
    return _detail(actor, selectors.access_assessment(actor=actor, id=id))


@router.put("/assessments/{id}/manager", response={200: AssessmentDetailOut, **ERRORS})
def save_manager_assessment(request, id: int, payload: ManagerIn):
    actor = request.auth
    assessment = selectors.access_assessment(actor=actor, id=id)
    services.assessment_manager_save(
        actor=actor,
        assessment=assessment,
        ratings=_inputs(payload.ratings),
        summary=payload.summary,
        submit=payload.submit,
    )
    return _detail(actor, selectors.access_assessment(actor=actor, id=id))

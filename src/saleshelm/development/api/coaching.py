"""API: coaching sessions and development plans with their goals."""

import datetime as dt
from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.development import selectors, services
from saleshelm.development.api.common import (
    CompetencyRef,
    DealRef,
    MemberRef,
    competency_or_none,
    opportunity_or_none,
)
from saleshelm.people.selectors import access_member

router = Router(tags=["coaching"])

ObservationType = Literal["call_review", "ride_along", "store_visit", "deal_review", "role_play"]


class AgreedAction(Schema):
    text: str = Field(..., min_length=1, max_length=300)
    done: bool = False


class CoachingSessionOut(Schema):
    id: int
    coach: MemberRef
    member: MemberRef
    held_on: dt.date
    observation_type: str
    focus_competency: CompetencyRef | None
    opportunity: DealRef | None
    observations: str
    agreed_actions: list[AgreedAction]
    follow_up_on: dt.date | None
    follow_up_done: bool


class CoachingFilters(Schema):
    member_id: int | None = None
    observation_type: ObservationType | None = None


class CoachingSessionIn(Schema):
    member_id: int
    held_on: dt.date
    observation_type: ObservationType
    focus_competency_id: int | None = None
    opportunity_id: int | None = None
    observations: str = Field("", max_length=10_000)
    agreed_actions: list[AgreedAction] = Field(default_factory=list, max_length=20)
    follow_up_on: dt.date | None = None


class CoachingSessionPatch(Schema):
    observations: str | None = Field(None, max_length=10_000)
    agreed_actions: list[AgreedAction] | None = Field(None, max_length=20)
    follow_up_on: dt.date | None = None
    follow_up_done: bool | None = None


class GoalOut(Schema):
    id: int
    title: str
    competency: CompetencyRef | None
    target_level: int | None
    due_date: dt.date | None
    progress: int
    actions: str
    status: str


class PlanOut(Schema):
    id: int
    member: MemberRef
    title: str
    status: str
    created_by: MemberRef | None
    created_at: dt.datetime
    goals: list[GoalOut]

    @staticmethod
    def resolve_goals(plan) -> list:
        return list(plan.goals.all())


class PlanFilters(Schema):
    member_id: int | None = None
    status: Literal["active", "closed"] | None = None


class PlanIn(Schema):
    member_id: int
    title: str = Field(..., min_length=1, max_length=200)


class PlanPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    status: Literal["active", "closed"] | None = None


class GoalIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    competency_id: int | None = None
    target_level: int | None = Field(None, ge=1, le=5)
    due_date: dt.date | None = None
    actions: str = Field("", max_length=4000)


class GoalPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    progress: int | None = Field(None, ge=0, le=100)
    status: Literal["open", "done", "dropped"] | None = None
    due_date: dt.date | None = None
    target_level: int | None = Field(None, ge=1, le=5)


@router.get("/coaching-sessions", response=list[CoachingSessionOut])
@paginate(LimitOffsetPagination)
def list_coaching_sessions(request, filters: Query[CoachingFilters]):
    return selectors.coaching_session_list(
        actor=request.auth, member_id=filters.member_id, observation_type=filters.observation_type
    )


@router.get("/coaching-sessions/{id}", response={200: CoachingSessionOut, **ERRORS})
def get_coaching_session(request, id: int):
    return selectors.access_coaching_session(actor=request.auth, id=id)


@router.post("/coaching-sessions", response={201: CoachingSessionOut, **ERRORS})
def record_coaching_session(request, payload: CoachingSessionIn):
    actor = request.auth
    session = services.coaching_session_record(
        actor=actor,
        member=access_member(actor=actor, id=payload.member_id),
        held_on=payload.held_on,
        observation_type=payload.observation_type,
        focus_competency=competency_or_none(actor, payload.focus_competency_id),
        opportunity=opportunity_or_none(actor, payload.opportunity_id),
        observations=payload.observations,
        agreed_actions=[a.dict() for a in payload.agreed_actions],
        follow_up_on=payload.follow_up_on,
    )
    return Status(201, selectors.access_coaching_session(actor=actor, id=session.pk))


@router.patch("/coaching-sessions/{id}", response={200: CoachingSessionOut, **ERRORS})
def update_coaching_session(request, id: int, payload: CoachingSessionPatch):
    actor = request.auth
    session = selectors.access_coaching_session(actor=actor, id=id)
    changes = payload.dict(exclude_unset=True)
    services.coaching_session_update(actor=actor, session=session, **changes)
    return selectors.access_coaching_session(actor=actor, id=id)


@router.get("/development-plans", response=list[PlanOut])
@paginate(LimitOffsetPagination)
def list_plans(request, filters: Query[PlanFilters]):
    return selectors.plan_list(
        actor=request.auth, member_id=filters.member_id, status=filters.status
    )


@router.get("/development-plans/{id}", response={200: PlanOut, **ERRORS})
def get_plan(request, id: int):
    return selectors.access_plan(actor=request.auth, id=id)


@router.post("/development-plans", response={201: PlanOut, **ERRORS})
def create_plan(request, payload: PlanIn):
    actor = request.auth
    plan = services.development_plan_create(
        actor=actor, member=access_member(actor=actor, id=payload.member_id), title=payload.title
    )
    return Status(201, selectors.access_plan(actor=actor, id=plan.pk))


@router.patch("/development-plans/{id}", response={200: PlanOut, **ERRORS})
def update_plan(request, id: int, payload: PlanPatch):
    actor = request.auth
    plan = selectors.access_plan(actor=actor, id=id)
    services.development_plan_update(
        actor=actor, plan=plan, title=payload.title, status=payload.status
    )
    return selectors.access_plan(actor=actor, id=id)


@router.post("/development-plans/{id}/goals", response={201: GoalOut, **ERRORS})
def add_goal(request, id: int, payload: GoalIn):
    actor = request.auth
    plan = selectors.access_plan(actor=actor, id=id)
    goal = services.development_goal_add(
        actor=actor,
        plan=plan,
        title=payload.title,
        competency=competency_or_none(actor, payload.competency_id),
        target_level=payload.target_level,
        due_date=payload.due_date,
        actions=payload.actions,
    )
    return Status(201, selectors.access_goal(actor=actor, id=goal.pk))


@router.patch("/development-goals/{id}", response={200: GoalOut, **ERRORS})
def update_goal(request, id: int, payload: GoalPatch):
    actor = request.auth
    goal = selectors.access_goal(actor=actor, id=id)
    services.development_goal_update(actor=actor, goal=goal, **payload.dict(exclude_unset=True))
    return selectors.access_goal(actor=actor, id=id)

"""API: win stories, playbook notes and "who is strong at this"."""

import datetime as dt
from decimal import Decimal
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

router = Router(tags=["stories"])


class StoryOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    author: MemberRef
    opportunity: DealRef | None
    industry: str
    segment: str
    segment_id: int | None
    competencies: list[CompetencyRef]
    created_at: dt.datetime

    @staticmethod
    def resolve_segment(story) -> str:
        return story.segment_name

    @staticmethod
    def resolve_competencies(story) -> list:
        return list(story.competencies.all())


class StoryFilters(Schema):
    kind: Literal["win", "playbook"] | None = None
    competency_id: int | None = None
    industry: str | None = Field(None, max_length=100)
    segment: str | None = Field(None, max_length=120)
    search: str | None = Field(None, max_length=100)


class StoryIn(Schema):
    kind: Literal["win", "playbook"]
    title: str = Field(..., min_length=1, max_length=200)
    body: str = Field(..., min_length=1, max_length=20_000)
    opportunity_id: int | None = None
    industry: str = Field("", max_length=100)
    segment: str = Field("", max_length=120)
    competency_ids: list[int] = Field(default_factory=list, max_length=10)


class StoryPatch(Schema):
    kind: Literal["win", "playbook"] | None = None
    title: str | None = Field(None, min_length=1, max_length=200)
    body: str | None = Field(None, min_length=1, max_length=20_000)
    industry: str | None = Field(None, max_length=100)
    segment: str | None = Field(None, max_length=120)
    competency_ids: list[int] | None = Field(None, max_length=10)


class ExpertOut(Schema):
    member: MemberRef
    reason: str
    level: int | None
    industry: str
    won: int
    closed: int
    win_rate: Decimal | None


class ExpertFilters(Schema):
    competency_id: int | None = None
    industry: str | None = Field(None, max_length=100)


def _competencies(actor, ids):
    return [competency_or_none(actor, i) for i in ids]


@router.get("/stories", response=list[StoryOut])
@paginate(LimitOffsetPagination)
def list_stories(request, filters: Query[StoryFilters]):
    return selectors.story_list(
        actor=request.auth,
        kind=filters.kind,
        competency_id=filters.competency_id,
        industry=filters.industry,
        segment=filters.segment,
        search=filters.search,
    )


@router.get("/stories/{id}", response={200: StoryOut, **ERRORS})
def get_story(request, id: int):
    return selectors.access_story(actor=request.auth, id=id)


@router.post("/stories", response={201: StoryOut, **ERRORS})
def create_story(request, payload: StoryIn):
    actor = request.auth
    story = services.story_create(
        actor=actor,
        kind=payload.kind,
        title=payload.title,
        body=payload.body,
        opportunity=opportunity_or_none(actor, payload.opportunity_id),
        industry=payload.industry,
        segment=payload.segment,
        competencies=_competencies(actor, payload.competency_ids),
    )
    return Status(201, selectors.access_story(actor=actor, id=story.pk))


@router.patch("/stories/{id}", response={200: StoryOut, **ERRORS})
def update_story(request, id: int, payload: StoryPatch):
    actor = request.auth
    story = selectors.access_story(actor=actor, id=id)
    changes = payload.dict(exclude_unset=True)
    ids = changes.pop("competency_ids", None)
    if ids is not None:
        changes["competencies"] = _competencies(actor, ids)
    services.story_update(actor=actor, story=story, **changes)
    return selectors.access_story(actor=actor, id=id)


@router.get("/experts", response=list[ExpertOut])
def list_experts(request, filters: Query[ExpertFilters]):
    """Who is strong at this: members rated 4+ at a competency by their manager, and the
    best win rate per account industry."""
    actor = request.auth
    out = []
    if filters.competency_id is not None:
        competency = selectors.access_competency(actor=actor, id=filters.competency_id)
        out.extend(selectors.strong_at_competency(actor=actor, competency_id=competency.pk))
    if filters.industry or filters.competency_id is None:
        out.extend(selectors.best_win_rates(actor=actor, industry=filters.industry))
    return out

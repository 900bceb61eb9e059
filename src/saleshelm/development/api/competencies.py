"""API: the competency framework."""

from typing import Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.development import selectors, services
from saleshelm.development.frameworks import framework_load
from saleshelm.people.selectors import access_role_profile

router = Router(tags=["competencies"])


class ExpectedLevelOut(Schema):
    role_profile_id: int
    role_profile: str
    level: int

    @staticmethod
    def resolve_role_profile(obj) -> str:
        return obj.role_profile.name


class GroupOut(Schema):
    id: int
    key: str
    name: str
    description: str
    framework: str


class CompetencyOut(Schema):
    id: int
    key: str
    name: str
    kind: str
    description: str
    levels: list[str]
    is_active: bool
    group: GroupOut
    expected_levels: list[ExpectedLevelOut]

    @staticmethod
    def resolve_expected_levels(obj) -> list:
        return list(obj.expected_levels.all())


class CompetencyFilters(Schema):
    group_id: int | None = None
    kind: Literal["skill", "behaviour"] | None = None
    search: str | None = Field(None, max_length=100)
    include_inactive: bool = False


class CompetencyIn(Schema):
    group_id: int
    name: str = Field(..., min_length=1, max_length=120)
    kind: Literal["skill", "behaviour"] = "skill"
    description: str = Field("", max_length=2000)
    levels: list[str] = Field(..., min_length=5, max_length=5)


class CompetencyPatch(Schema):
    group_id: int | None = None
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: Literal["skill", "behaviour"] | None = None
    description: str | None = Field(None, max_length=2000)
    levels: list[str] | None = Field(None, min_length=5, max_length=5)
    is_active: bool | None = None


class ExpectedLevelIn(Schema):
    role_profile_id: int
    level: int | None = Field(None, ge=1, le=5)


class GroupIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=2000)


class FrameworkIn(Schema):
    framework: Literal["b2b", "retail"]
    language: Literal["en", "vi"] = "en"


class FrameworkOut(Schema):
    framework: str
    groups_created: int
    competencies_created: int
    competencies_updated: int
    expected_levels: int
    matched_roles: dict[str, str]


@router.get("/competencies", response=list[CompetencyOut])
@paginate(LimitOffsetPagination)
def list_competencies(request, filters: Query[CompetencyFilters]):
    return selectors.competency_list(
        actor=request.auth,
        group_id=filters.group_id,
        kind=filters.kind,
        search=filters.search,
        include_inactive=filters.include_inactive,
    )


@router.get("/competencies/{id}", response={200: CompetencyOut, **ERRORS})
def get_competency(request, id: int):
    return selectors.access_competency(actor=request.auth, id=id)


@router.post("/competencies", response={201: CompetencyOut, **ERRORS})
def create_competency(request, payload: CompetencyIn):
    actor = request.auth
    group = selectors.access_group(actor=actor, id=payload.group_id)
    competency = services.competency_create(
        actor=actor,
        group=group,
        name=payload.name,
        kind=payload.kind,
        description=payload.description,
        levels=payload.levels,
    )
    return Status(201, selectors.access_competency(actor=actor, id=competency.pk))


@router.patch("/competencies/{id}", response={200: CompetencyOut, **ERRORS})
def update_competency(request, id: int, payload: CompetencyPatch):
    actor = request.auth
    competency = selectors.access_competency(actor=actor, id=id)
    changes = payload.dict(exclude_unset=True)
    group_id = changes.pop("group_id", None)
    if group_id is not None:
        changes["group"] = selectors.access_group(actor=actor, id=group_id)
    services.competency_update(actor=actor, competency=competency, **changes)
    return selectors.access_competency(actor=actor, id=id)


@router.put("/competencies/{id}/expected-levels", response={200: CompetencyOut, **ERRORS})
def set_expected_levels(request, id: int, payload: list[ExpectedLevelIn]):
    actor = request.auth
    competency = selectors.access_competency(actor=actor, id=id)
    levels = {
        access_role_profile(actor=actor, id=item.role_profile_id): item.level for item in payload
    }
    services.expected_levels_set(actor=actor, competency=competency, levels=levels)
    return selectors.access_competency(actor=actor, id=id)


@router.get("/competency-groups", response=list[GroupOut])
@paginate(LimitOffsetPagination)
def list_groups(request):
    return selectors.group_list(actor=request.auth)


@router.post("/competency-groups", response={201: GroupOut, **ERRORS})
def create_group(request, payload: GroupIn):
    group = services.competency_group_create(
        actor=request.auth, name=payload.name, description=payload.description
    )
    return Status(201, group)


@router.post("/competency-frameworks/load", response={200: FrameworkOut, **ERRORS})
def load_framework(request, payload: FrameworkIn):
    """Load a starter framework (B2B or retail/field sales) in English or Vietnamese."""
    return framework_load(
        actor=request.auth, framework=payload.framework, language=payload.language
    )

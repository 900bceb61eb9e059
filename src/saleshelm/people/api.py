"""API: teams, territories and role profiles; a member's data export and erasure."""

from typing import Any

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.people import privacy, selectors, services
from saleshelm.people.models import Team, Territory

router = Router(tags=["people"])


class MemberRef(Schema):
    id: int
    name: str
    email: str

    @staticmethod
    def resolve_name(m) -> str:
        return m.user.get_full_name()

    @staticmethod
    def resolve_email(m) -> str:
        return m.user.email


class TeamOut(Schema):
    id: int
    name: str
    parent_id: int | None
    manager: MemberRef | None
    depth: int


class TeamIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    parent_id: int | None = None
    manager_id: int | None = None


class TeamPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    parent_id: int | None = None
    manager_id: int | None = None


class TerritoryOut(Schema):
    id: int
    name: str
    parent_id: int | None
    depth: int


class TerritoryIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    parent_id: int | None = None


class TerritoryPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    parent_id: int | None = None


class KpiSchema(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    metric: str = Field("", max_length=64)
    measure: str = Field("", max_length=200)


class RoleProfileOut(Schema):
    id: int
    name: str
    purpose: str
    key_tasks: list[str]
    responsibilities: list[str]
    kpis: list[KpiSchema]


class RoleProfileIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    purpose: str = Field("", max_length=2000)
    key_tasks: list[str] = Field(default_factory=list, max_length=50)
    responsibilities: list[str] = Field(default_factory=list, max_length=50)
    kpis: list[KpiSchema] = Field(default_factory=list, max_length=50)


def _team_or_none(actor, id_: int | None) -> Team | None:
    return None if id_ is None else selectors.access_team(actor=actor, id=id_)


def _territory_or_none(actor, id_: int | None) -> Territory | None:
    return None if id_ is None else selectors.access_territory(actor=actor, id=id_)


def _member_or_none(actor, id_: int | None):
    return None if id_ is None else selectors.access_member(actor=actor, id=id_)


@router.get("/teams", response=list[TeamOut])
@paginate(LimitOffsetPagination)
def list_teams(request):
    return selectors.team_list(actor=request.auth)


@router.get("/teams/{id}", response={200: TeamOut, **ERRORS})
def get_team(request, id: int):
    return selectors.access_team(actor=request.auth, id=id)


@router.post("/teams", response={201: TeamOut, **ERRORS})
def create_team(request, payload: TeamIn):
    actor = request.auth
    team = services.team_create(
        actor=actor,
        name=payload.name,
        parent=_team_or_none(actor, payload.parent_id),
        manager=_member_or_none(actor, payload.manager_id),
    )
    return Status(201, selectors.access_team(actor=actor, id=team.pk))


@router.patch("/teams/{id}", response={200: TeamOut, **ERRORS})
def update_team(request, id: int, payload: TeamPatch):
    actor = request.auth
    team = selectors.access_team(actor=actor, id=id)
    changes: dict[str, Any] = {}
    fields = payload.model_fields_set
    if "name" in fields and payload.name is not None:
        changes["name"] = payload.name
    if "parent_id" in fields:
        changes["parent"] = _team_or_none(actor, payload.parent_id)
    if "manager_id" in fields:
        changes["manager"] = _member_or_none(actor, payload.manager_id)
    services.team_update(actor=actor, team=team, **changes)
    return selectors.access_team(actor=actor, id=id)


@router.get("/territories", response=list[TerritoryOut])
@paginate(LimitOffsetPagination)
def list_territories(request):
    return selectors.territory_list(actor=request.auth)


@router.get("/territories/{id}", response={200: TerritoryOut, **ERRORS})
def get_territory(request, id: int):
    return selectors.access_territory(actor=request.auth, id=id)


@router.post("/territories", response={201: TerritoryOut, **ERRORS})
def create_territory(request, payload: TerritoryIn):
    actor = request.auth
    territory = services.territory_create(
        actor=actor, name=payload.name, parent=_territory_or_none(actor, payload.parent_id)
    )
    return Status(201, territory)


@router.patch("/territories/{id}", response={200: TerritoryOut, **ERRORS})
def update_territory(request, id: int, payload: TerritoryPatch):
    actor = request.auth
    territory = selectors.access_territory(actor=actor, id=id)
    changes: dict[str, Any] = {}
    if "name" in payload.model_fields_set and payload.name is not None:
        changes["name"] = payload.name
    if "parent_id" in payload.model_fields_set:
        changes["parent"] = _territory_or_none(actor, payload.parent_id)
    return services.territory_update(actor=actor, territory=territory, **changes)


@router.get("/role-profiles", response=list[RoleProfileOut])
@paginate(LimitOffsetPagination)
def list_role_profiles(request):
    return selectors.role_profile_list(actor=request.auth)


@router.get("/role-profiles/{id}", response={200: RoleProfileOut, **ERRORS})
def get_role_profile(request, id: int):
    return selectors.access_role_profile(actor=request.auth, id=id)


@router.post("/role-profiles", response={201: RoleProfileOut, **ERRORS})
def create_role_profile(request, payload: RoleProfileIn):
    data = payload.dict()
    return Status(201, services.role_profile_save(actor=request.auth, **data))


@router.put("/role-profiles/{id}", response={200: RoleProfileOut, **ERRORS})
def replace_role_profile(request, id: int, payload: RoleProfileIn):
    profile = selectors.access_role_profile(actor=request.auth, id=id)
    return services.role_profile_save(actor=request.auth, profile=profile, **payload.dict())


# --- a person's data (SPEC §11.11) ------------------------------------------------------------


class ExportOrganisation(Schema):
    id: int
    slug: str
    name: str


class ExportRequester(Schema):
    member_id: int | None
    is_self: bool


class MemberExportOut(Schema):
    format: str = Field(..., description="saleshelm.member-export.v1")
    generated_at: str
    organisation: ExportOrganisation
    member_id: int
    requested_by: ExportRequester
    notes: list[str]
    sections: dict[str, dict[str, Any]] = Field(
        ..., description="One section per app (tenancy, people, crm, performance, ...)."
    )


class MemberEraseIn(Schema):
    confirm: str = Field(..., max_length=254, description="The member's email address, typed.")
    reason: str = Field(
        ..., min_length=1, max_length=500, description="Kept in the audit log; no personal data."
    )


class MemberErasedOut(Schema):
    id: int
    name: str
    email: str
    is_active: bool
    erased: dict[str, dict[str, int]]


@router.get("/members/{id}/export", response={200: MemberExportOut, **ERRORS})
def export_member(request, id: int):
    """Everything the organisation holds about the member, as the caller may read it: for
    an admin, or for the member themself. Audited as ``member.export``."""
    member = selectors.access_member(actor=request.auth, id=id)
    return privacy.member_export(actor=request.auth, member=member)


@router.post("/members/{id}/erase", response={200: MemberErasedOut, **ERRORS})
def erase_member(request, id: int, payload: MemberEraseIn):
    """Pseudonymise the member and erase their private notes; pay records stay. Admins
    only, never themselves or the last admin. Audited as ``member.erase`` with the reason."""
    member = selectors.access_member(actor=request.auth, id=id)
    result = privacy.member_erase(
        actor=request.auth, member=member, confirm=payload.confirm, reason=payload.reason
    )
    erased = result.member
    return {
        "id": erased.pk,
        "name": erased.user.full_name,
        "email": erased.user.email,
        "is_active": erased.is_active,
        "erased": result.counts,
    }

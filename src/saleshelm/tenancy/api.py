"""API: members (memberships with their profile) and the audit log."""

import datetime as dt
from typing import Any

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.core.errors import PermissionDenied
from saleshelm.people import selectors as people_selectors
from saleshelm.people.services import member_profile_update
from saleshelm.tenancy import invitations, selectors
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.roles import Role
from saleshelm.tenancy.services import membership_create, membership_update

router = Router(tags=["people"])
audit_router = Router(tags=["audit"])


class RefOut(Schema):
    id: int
    name: str


class MemberOut(Schema):
    id: int
    email: str
    name: str
    role: str
    is_active: bool
    title: str = ""
    team: RefOut | None = None
    territory: RefOut | None = None
    role_profile: RefOut | None = None
    start_date: dt.date | None = None
    strengths: list[str] = []

    # Resolved from the membership and its profile (selected in one query by member_list).
    @staticmethod
    def resolve_email(m: Membership) -> str:
        return m.user.email

    @staticmethod
    def resolve_name(m: Membership) -> str:
        return m.user.get_full_name()

    @staticmethod
    def resolve_title(m: Membership) -> str:
        return m.profile.title

    @staticmethod
    def resolve_team(m: Membership):
        return m.profile.team

    @staticmethod
    def resolve_territory(m: Membership):
        return m.profile.territory

    @staticmethod
    def resolve_role_profile(m: Membership):
        return m.profile.role_profile

    @staticmethod
    def resolve_start_date(m: Membership):
        return m.profile.start_date

    @staticmethod
    def resolve_strengths(m: Membership):
        return m.profile.strengths


class MemberFilters(Schema):
    team: int | None = None
    role: Role | None = None
    search: str | None = Field(None, max_length=100)


class MemberIn(Schema):
    email: str = Field(..., max_length=254)
    name: str = Field(..., min_length=1, max_length=200)
    role: Role = Role.REP
    title: str | None = Field(None, max_length=120)
    team_id: int | None = None
    territory_id: int | None = None
    role_profile_id: int | None = None
    start_date: dt.date | None = None


class MemberPatch(Schema):
    role: Role | None = None
    is_active: bool | None = None
    title: str | None = Field(None, max_length=120)
    team_id: int | None = None
    territory_id: int | None = None
    role_profile_id: int | None = None
    start_date: dt.date | None = None
    strengths: list[str] | None = None


def _profile_changes(actor, payload: Schema, fields_set: set[str]) -> dict[str, Any]:
    """Turn ids in a payload into the actor's own objects (404 for anything else)."""
    changes: dict[str, Any] = {}
    lookups: dict[str, tuple[str, Any]] = {
        "team_id": ("team", people_selectors.access_team),
        "territory_id": ("territory", people_selectors.access_territory),
        "role_profile_id": ("role_profile", people_selectors.access_role_profile),
    }
    for key, (name, access) in lookups.items():
        if key in fields_set:
            value = getattr(payload, key)
            changes[name] = None if value is None else access(actor=actor, id=value)
    for key in ("title", "start_date", "strengths"):
        if key in fields_set:
            changes[key] = getattr(payload, key)
    return changes


@router.get("/members", response=list[MemberOut])
@paginate(LimitOffsetPagination)
def list_members(request, filters: Query[MemberFilters]):
    return people_selectors.member_list(
        actor=request.auth, team_id=filters.team, role=filters.role, search=filters.search
    )


@router.get("/members/{id}", response={200: MemberOut, **ERRORS})
def get_member(request, id: int):
    return people_selectors.access_member(actor=request.auth, id=id)


@router.post("/members", response={201: MemberOut, **ERRORS})
def create_member(request, payload: MemberIn):
    actor = request.auth
    changes = _profile_changes(actor, payload, payload.model_fields_set)
    membership = membership_create(
        actor=actor, email=payload.email, name=payload.name, role=payload.role
    )
    if changes:
        member_profile_update(actor=actor, membership=membership, **changes)
    return Status(201, people_selectors.access_member(actor=actor, id=membership.pk))


@router.patch("/members/{id}", response={200: MemberOut, **ERRORS})
def update_member(request, id: int, payload: MemberPatch):
    actor = request.auth
    membership = people_selectors.access_member(actor=actor, id=id)
    fields = payload.model_fields_set
    changes = _profile_changes(actor, payload, fields)
    if "role" in fields or "is_active" in fields:
        membership_update(
            actor=actor, membership=membership, role=payload.role, is_active=payload.is_active
        )
    if changes:
        member_profile_update(actor=actor, membership=membership, **changes)
    return people_selectors.access_member(actor=actor, id=id)


class InviteOut(Schema):
    id: int
    email: str
    kind: str  # "invite" (no password yet) or "reset" (a link to set a new one)


@router.post("/members/{id}/invite", response={200: InviteOut, **ERRORS})
def invite_member(request, id: int):
    """Email the member a one-time link to set their password (an invitation if they have
    none yet). Admins and directors: anyone; a manager: the members of their teams."""
    actor = request.auth
    membership = people_selectors.access_member(actor=actor, id=id)
    if not invitations.can_invite(actor=actor, member=membership):
        raise PermissionDenied("You can invite only the members of the teams you manage.")
    kind = invitations.member_invite(
        actor=actor, membership=membership, base_url=request.build_absolute_uri("/")
    )
    return {"id": membership.pk, "email": membership.user.email, "kind": kind}


class AuditOut(Schema):
    id: int
    actor: str
    action: str
    object_type: str
    object_id: str
    before: dict | None
    after: dict | None
    reason: str
    created_at: dt.datetime

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_label


class AuditFilters(Schema):
    object_type: str | None = Field(None, max_length=64)
    object_id: str | None = Field(None, max_length=64)
    action: str | None = Field(None, max_length=64)


@audit_router.get("/audit-log", response=list[AuditOut])
@paginate(LimitOffsetPagination)
def list_audit(request, filters: Query[AuditFilters]):
    qs = selectors.audit_log_list(actor=request.auth)
    for key in ("object_type", "object_id", "action"):
        value = getattr(filters, key)
        if value:
            qs = qs.filter(**{key: value})
    return qs


@audit_router.get("/audit-log/{id}", response={200: AuditOut, **ERRORS})
def get_audit(request, id: int):
    return selectors.access_audit_entry(actor=request.auth, id=id)

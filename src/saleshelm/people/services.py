"""Writes of teams, territories, role profiles and member profiles; each audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.people.models import MemberProfile, RoleProfile, Team, Territory, TreeNode
from saleshelm.people.permissions import can_manage_structure
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record, full_clean_or_raise

MAX_DEPTH = 8


def _require_structure(actor: Actor) -> None:
    if not can_manage_structure(actor=actor):
        raise PermissionDenied("Only admins and directors change teams, territories and roles.")


def _set_path(node: TreeNode, parent: TreeNode | None) -> None:
    node.path = f"{parent.path if parent else '/'}{node.pk}/"
    node.depth = parent.depth + 1 if parent else 0
    if node.depth >= MAX_DEPTH:
        raise ApplicationError(f"A tree is at most {MAX_DEPTH} levels deep.", code="too_deep")


def _check_parent(actor: Actor, model: type[TreeNode], node: TreeNode | None, parent):
    if parent is None:
        return None
    if parent.organisation_id != actor.organisation_id:
        raise ApplicationError("parent not found", field="parent", code="not_found")
    if node is not None and node.pk and parent.path.startswith(node.path):
        raise ApplicationError(
            "A node cannot be moved under itself or its own descendants.",
            field="parent",
            code="cycle",
        )
    return parent


def _save_tree_node(actor: Actor, node: TreeNode, parent, what: str) -> TreeNode:
    node.name = (node.name or "").strip()
    if not node.name:
        raise ApplicationError("name is required", field="name")
    full_clean_or_raise(
        node, exclude=["path", "parent", "manager", "organisation"], validate_unique=False
    )
    try:
        with transaction.atomic():
            old_path = node.path
            if node.pk is None:
                node.path = "/pending/"
                node.save()
            _set_path(node, parent)
            node.save()
            if old_path and old_path != node.path:
                _rewrite_subtree(type(node), actor, old_path, node.path, node.depth)
    except IntegrityError:
        raise Conflict(f"A {what} named {node.name!r} already exists.", code="exists") from None
    return node


def _rewrite_subtree(model, actor: Actor, old_path: str, new_path: str, new_depth: int) -> None:
    descendants = list(
        model.objects.filter(organisation_id=actor.organisation_id, path__startswith=old_path)
        .exclude(path=new_path)
        .exclude(path=old_path)
    )
    old_depth = old_path.count("/") - 2
    for d in descendants:
        d.path = new_path + d.path[len(old_path) :]
        d.depth = d.depth - old_depth + new_depth
        if d.depth >= MAX_DEPTH:
            raise ApplicationError(f"A tree is at most {MAX_DEPTH} levels deep.", code="too_deep")
    model.objects.bulk_update(descendants, ["path", "depth"])


def _check_manager(actor: Actor, manager: Membership | None) -> Membership | None:
    if manager is not None and manager.organisation_id != actor.organisation_id:
        raise ApplicationError("manager not found", field="manager", code="not_found")
    return manager


def _team_snapshot(team: Team) -> dict:
    return {"name": team.name, "parent": team.parent_id, "manager": team.manager_id}


@transaction.atomic
def team_create(
    *, actor: Actor, name: str, parent: Team | None = None, manager: Membership | None = None
) -> Team:
    _require_structure(actor)
    team = Team(
        organisation_id=actor.organisation_id,
        name=name,
        parent=_check_parent(actor, Team, None, parent),
        manager=_check_manager(actor, manager),
    )
    _save_tree_node(actor, team, team.parent, "team")
    audit_record(actor=actor, action="team.create", obj=team, after=_team_snapshot(team))
    return team


_UNSET = object()


@transaction.atomic
def team_update(
    *, actor: Actor, team: Team, name: str | None = None, parent=_UNSET, manager=_UNSET
) -> Team:
    _require_structure(actor)
    team = Team.objects.select_for_update().get(pk=team.pk, organisation_id=actor.organisation_id)
    before = _team_snapshot(team)
    if name is not None:
        team.name = name
    if parent is not _UNSET:
        team.parent = _check_parent(actor, Team, team, parent)
    if manager is not _UNSET:
        team.manager = _check_manager(actor, manager)  # type: ignore[arg-type]
    _save_tree_node(actor, team, team.parent, "team")
    after = _team_snapshot(team)
    if after != before:
        audit_record(actor=actor, action="team.update", obj=team, before=before, after=after)
    return team


@transaction.atomic
def territory_create(*, actor: Actor, name: str, parent: Territory | None = None) -> Territory:
    _require_structure(actor)
    territory = Territory(
        organisation_id=actor.organisation_id,
        name=name,
        parent=_check_parent(actor, Territory, None, parent),
    )
    _save_tree_node(actor, territory, territory.parent, "territory")
    audit_record(
        actor=actor, action="territory.create", obj=territory, after={"name": territory.name}
    )
    return territory


@transaction.atomic
def territory_update(
    *, actor: Actor, territory: Territory, name: str | None = None, parent=_UNSET
) -> Territory:
    _require_structure(actor)
    territory = Territory.objects.select_for_update().get(
        pk=territory.pk, organisation_id=actor.organisation_id
    )
    before = {"name": territory.name, "parent": territory.parent_id}
    if name is not None:
        territory.name = name
    if parent is not _UNSET:
        territory.parent = _check_parent(actor, Territory, territory, parent)
    _save_tree_node(actor, territory, territory.parent, "territory")
    after = {"name": territory.name, "parent": territory.parent_id}
    if after != before:
        audit_record(
            actor=actor, action="territory.update", obj=territory, before=before, after=after
        )
    return territory


def _clean_list(values, field: str) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ApplicationError(f"{field} must be a list of texts", field=field)
    return [v.strip() for v in values if v.strip()]


def _clean_kpis(values) -> list[dict]:
    if values is None:
        return []
    out = []
    if not isinstance(values, list):
        raise ApplicationError("kpis must be a list", field="kpis")
    for item in values:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise ApplicationError("each KPI needs a name", field="kpis")
        out.append(
            {
                "name": str(item["name"]).strip(),
                "metric": str(item.get("metric", "") or ""),
                "measure": str(item.get("measure", "") or ""),
            }
        )
    return out


@transaction.atomic
def role_profile_save(
    *,
    actor: Actor,
    profile: RoleProfile | None = None,
    name: str,
    purpose: str = "",
    key_tasks: list[str] | None = None,
    responsibilities: list[str] | None = None,
    kpis: list | None = None,
) -> RoleProfile:
    _require_structure(actor)
    creating = profile is None
    if profile is None:
        profile = RoleProfile(organisation_id=actor.organisation_id)
    before = (
        None
        if creating
        else {"name": profile.name, "key_tasks": profile.key_tasks, "kpis": profile.kpis}
    )
    profile.name = (name or "").strip()
    profile.purpose = purpose or ""
    profile.key_tasks = _clean_list(key_tasks, "key_tasks")
    profile.responsibilities = _clean_list(responsibilities, "responsibilities")
    profile.kpis = _clean_kpis(kpis)
    full_clean_or_raise(profile, exclude=["organisation"], validate_unique=False)
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise Conflict(
            f"A role profile named {profile.name!r} already exists.", code="exists"
        ) from None
    audit_record(
        actor=actor,
        action="role_profile.create" if creating else "role_profile.update",
        obj=profile,
        before=before,
        after={"name": profile.name, "key_tasks": profile.key_tasks, "kpis": profile.kpis},
    )
    return profile


def member_profile_ensure(*, membership: Membership) -> MemberProfile:
    profile, _ = MemberProfile.objects.get_or_create(
        membership=membership, defaults={"organisation_id": membership.organisation_id}
    )
    return profile


MAX_STRENGTHS = 20
MAX_STRENGTH_LENGTH = 120
MAX_BIO_LENGTH = 2000


def _profile_snapshot(p: MemberProfile) -> dict:
    # Strengths and "how I contribute" are the person's own words: the append-only log keeps
    # that they changed (a digest), not the words, which an erasure must be able to remove.
    return {
        "title": p.title,
        "team": p.team_id,
        "territory": p.territory_id,
        "role_profile": p.role_profile_id,
        "start_date": p.start_date.isoformat() if p.start_date else None,
        "strengths": len(p.strengths or []),
        "about": hashlib.sha256(
            json.dumps([p.strengths or [], p.bio or ""], ensure_ascii=False).encode()
        ).hexdigest()[:12],
    }


@transaction.atomic
def member_profile_update(
    *,
    actor: Actor,
    membership: Membership,
    title=_UNSET,
    team=_UNSET,
    territory=_UNSET,
    role_profile=_UNSET,
    start_date=_UNSET,
    strengths=_UNSET,
    bio=_UNSET,
) -> MemberProfile:
    """Admins and directors place anyone; a member may edit their own strengths and bio."""
    is_self = getattr(actor, "pk", None) == membership.pk
    structural = any(v is not _UNSET for v in (title, team, territory, role_profile, start_date))
    if structural and not can_manage_structure(actor=actor):
        raise PermissionDenied("Only admins and directors change titles, teams and territories.")
    if not structural and not (is_self or can_manage_structure(actor=actor)):
        raise PermissionDenied()
    profile = member_profile_ensure(membership=membership)
    profile = MemberProfile.objects.select_for_update().get(pk=profile.pk)
    before = _profile_snapshot(profile)
    for field, value in (("team", team), ("territory", territory), ("role_profile", role_profile)):
        if value is _UNSET:
            continue
        if value is not None and value.organisation_id != actor.organisation_id:
            raise ApplicationError(f"{field} not found", field=field, code="not_found")
        setattr(profile, field, value)
    if title is not _UNSET:
        profile.title = (title or "").strip()
    if start_date is not _UNSET:
        if start_date is not None and not isinstance(start_date, dt.date):
            raise ApplicationError("start_date must be a date", field="start_date")
        profile.start_date = start_date
    if strengths is not _UNSET:
        profile.strengths = _clean_list(strengths, "strengths")
        if len(profile.strengths) > MAX_STRENGTHS:
            raise ApplicationError(
                f"strengths: at most {MAX_STRENGTHS}", field="strengths", code="too_many"
            )
        if any(len(s) > MAX_STRENGTH_LENGTH for s in profile.strengths):
            raise ApplicationError(
                f"strengths: each at most {MAX_STRENGTH_LENGTH} characters",
                field="strengths",
                code="too_long",
            )
    if bio is not _UNSET:
        profile.bio = bio or ""
        if len(profile.bio) > MAX_BIO_LENGTH:
            raise ApplicationError(
                f"bio: at most {MAX_BIO_LENGTH} characters", field="bio", code="too_long"
            )
    full_clean_or_raise(
        profile, exclude=["membership", "organisation", "team", "territory", "role_profile"]
    )
    profile.save()
    after = _profile_snapshot(profile)
    if after != before:
        audit_record(
            actor=actor,
            action="member_profile.update",
            object_type="membership",
            object_id=membership.pk,
            before=before,
            after=after,
        )
    return profile

"""Who may see and set targets, forecasts and figures (SPEC §2, §6).

Figures and targets follow the team tree:
- admin, director, finance and viewer (and the system) see every member, team and territory;
- a manager sees themselves and the members and teams of the subtrees they manage;
- a rep sees themselves; the leaderboard is team-shared, so there a rep sees the members of
  their own team (and its sub-teams).
A team or territory total is shown only to someone who may see every member in it. Targets of
one's own team and territory (and those above them) are readable by their members: they say
what the team must reach.

Targets are written by admins and directors (any assignee) and by managers, for the members
of their subtrees (not themselves) and for the teams strictly below the ones they manage.
Forecasts are submitted by the people who sell (admin, director, manager, rep), for
themselves; managers override the forecasts of the people and teams below them.
"""

from __future__ import annotations

from django.db.models import Q

from saleshelm.core.errors import PermissionDenied
from saleshelm.people.models import MemberProfile, Team
from saleshelm.people.permissions import sees_whole_organisation
from saleshelm.people.selectors import managed_team_paths, visible_members_q
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.roles import Role

TARGET_WRITERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})
ALL_TARGETS_WRITERS = frozenset({Role.ADMIN, Role.DIRECTOR})
FORECASTERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER, Role.REP})


def sees_all(actor: Actor) -> bool:
    return isinstance(actor, SystemActor) or sees_whole_organisation(actor=actor)


def _own_paths(actor: Actor) -> tuple[str, str]:
    """(team path, territory path) of the actor's own profile; empty when none."""
    if isinstance(actor, SystemActor):
        return "", ""
    row = (
        MemberProfile.objects.filter(membership_id=actor.pk)
        .values_list("team__path", "territory__path")
        .first()
    )
    if row is None:
        return "", ""
    return row[0] or "", row[1] or ""


def _ids_of(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def visible_target_q(*, actor: Actor) -> Q:
    """A filter on Target for the targets the actor may read."""
    if sees_all(actor):
        return Q()
    team_path, territory_path = _own_paths(actor)
    q = Q(assignee_type="member") & visible_members_q(actor=actor, prefix="member__")
    q |= Q(assignee_type="team", team_id__in=_ids_of(team_path))
    q |= Q(assignee_type="territory", territory_id__in=_ids_of(territory_path))
    if actor.role == Role.MANAGER:
        for path in managed_team_paths(actor=actor):
            q |= Q(assignee_type="team", team__path__startswith=path)
    return q


def can_write_targets(*, actor: Actor) -> bool:
    return isinstance(actor, SystemActor) or actor.role in TARGET_WRITERS


def require_target_writer(actor: Actor) -> None:
    if not can_write_targets(actor=actor):
        raise PermissionDenied("Only admins, directors and managers set targets.")


def may_set_target(
    *,
    actor: Actor,
    assignee_type: str,
    member_id: int | None = None,
    team: Team | None = None,
) -> bool:
    """May the actor set a target for this assignee?"""
    if isinstance(actor, SystemActor) or actor.role in ALL_TARGETS_WRITERS:
        return True
    if actor.role != Role.MANAGER:
        return False
    paths = managed_team_paths(actor=actor)
    if assignee_type == "member":
        if member_id is None or member_id == actor.pk:
            return False
        team_path = (
            MemberProfile.objects.filter(membership_id=member_id)
            .values_list("team__path", flat=True)
            .first()
        )
        if not team_path:
            return False
        return any(team_path.startswith(p) for p in paths)
    if assignee_type == "team" and team is not None:
        return any(team.path.startswith(p) and team.path != p for p in paths)
    return False


def require_may_set_target(
    actor: Actor, *, assignee_type: str, member_id: int | None = None, team: Team | None = None
) -> None:
    require_target_writer(actor)
    if not may_set_target(actor=actor, assignee_type=assignee_type, member_id=member_id, team=team):
        raise PermissionDenied(
            "You can set targets only for the members and sub-teams of the teams you manage."
        )


def require_forecaster(actor: Actor) -> None:
    if isinstance(actor, SystemActor) or actor.role not in FORECASTERS:
        raise PermissionDenied("Only people who sell submit forecasts.")


def may_override_member(*, actor: Actor, member_id: int) -> bool:
    if isinstance(actor, SystemActor) or actor.role in ALL_TARGETS_WRITERS:
        return True
    return may_set_target(actor=actor, assignee_type="member", member_id=member_id)


def may_override_team(*, actor: Actor, team: Team) -> bool:
    if isinstance(actor, SystemActor) or actor.role in ALL_TARGETS_WRITERS:
        return True
    if actor.role != Role.MANAGER:
        return False
    return any(team.path.startswith(p) for p in managed_team_paths(actor=actor))

"""Who may shape and who may read the direction of the organisation (SPEC §5).

- Everything here is read by every member: the vision, the goals and how they progress, the
  mission and values, the strategy. It is how each person sees where they fit.
- Admins and directors shape it: vision, goals, key results, mission, values, offerings,
  competitors, segments.
- A key result updated by hand also takes check-ins from the people answerable for its goal:
  the goal's owner, a manager who sees that owner, and the manager of the goal's team.
- Linking a deal to the goal it serves, or naming the competitors met on it, is part of
  working the deal: whoever may edit the opportunity may do it (crm's rule).
- Saying which goal a target serves follows performance's rule for setting that target:
  admins and directors for any target, managers for the members and sub-teams below them.
- A member's line of sight is seen by that member, the managers above them and the
  organisation-wide roles (``visible_member_ids``).
"""

from __future__ import annotations

from saleshelm.core.errors import PermissionDenied
from saleshelm.crm.permissions import can_edit_record
from saleshelm.people.selectors import managed_team_paths, visible_member_ids
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.roles import Role

EDITORS = frozenset({Role.ADMIN, Role.DIRECTOR})


def can_edit_direction(*, actor: Actor) -> bool:
    return actor.role in EDITORS


def require_editor(actor: Actor) -> None:
    if not can_edit_direction(actor=actor):
        raise PermissionDenied("Only admins and directors shape the vision, mission and strategy.")


def can_check_in(*, actor: Actor, key_result) -> bool:
    if can_edit_direction(actor=actor):
        return True
    if isinstance(actor, SystemActor) or actor.role not in {Role.MANAGER, Role.REP}:
        return False
    goal = key_result.goal
    if goal.owner_id is not None and goal.owner_id == actor.pk:
        return True
    if actor.role != Role.MANAGER:
        return False
    if goal.owner_id is not None and (
        visible_member_ids(actor=actor).filter(pk=goal.owner_id).exists()
    ):
        return True
    if goal.team_id is not None:
        team_path = goal.team.path
        return any(team_path.startswith(path) for path in managed_team_paths(actor=actor))
    return False


def require_check_in(actor: Actor, key_result) -> None:
    if not can_check_in(actor=actor, key_result=key_result):
        raise PermissionDenied(
            "Check-ins are written by the goal's owner, their manager, admins and directors."
        )


def can_work_deal(*, actor: Actor, opportunity) -> bool:
    return can_edit_record(actor=actor, owner_id=opportunity.owner_id)


def require_work_deal(actor: Actor, opportunity) -> None:
    if not can_work_deal(actor=actor, opportunity=opportunity):
        raise PermissionDenied("You can link only the deals you may edit.")


def can_link_targets(*, actor: Actor) -> bool:
    """May the actor link some target to a goal (whoever may set targets at all)?"""
    from saleshelm.performance.permissions import can_write_targets

    return can_write_targets(actor=actor)


def can_link_target(*, actor: Actor, target) -> bool:
    """May the actor say which goal this target serves (whoever may set it)?"""
    from saleshelm.performance.permissions import may_set_target

    return can_link_targets(actor=actor) and may_set_target(
        actor=actor,
        assignee_type=target.assignee_type,
        member_id=target.member_id,
        team=target.team,
    )

"""Who may do what with sales records (SPEC §2, §3).

- admin and director: read and write every record of the organisation;
- manager: read and write the records owned by the members they see (themselves and the
  teams they manage, with sub-teams), and records with no owner;
- rep: read and write their own records; what they create is owned by themselves;
- finance and viewer: read everything, write nothing.

The catalogue (pipelines and stages, products, price lists) is read by everyone and shaped
by admins and directors. Exchange rates are kept by admins, directors and finance, and are
their page alone: finance closes the books at those rates.

Which records each role *sees* is in ``saleshelm.crm.selectors.scope``; a record the actor
cannot see is "not found", one they see but may not change is "forbidden".
"""

from __future__ import annotations

from saleshelm.core.errors import PermissionDenied
from saleshelm.people.selectors import visible_members_q
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.roles import Role

RECORD_WRITERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER, Role.REP})
ALL_RECORDS_WRITERS = frozenset({Role.ADMIN, Role.DIRECTOR})
CATALOGUE_WRITERS = frozenset({Role.ADMIN, Role.DIRECTOR})
RATE_KEEPERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.FINANCE})


def is_system(actor: Actor) -> bool:
    return isinstance(actor, SystemActor)


def can_write_records(*, actor: Actor) -> bool:
    return actor.role in RECORD_WRITERS


def can_write_catalogue(*, actor: Actor) -> bool:
    return actor.role in CATALOGUE_WRITERS


def can_keep_rates(*, actor: Actor) -> bool:
    return actor.role in RATE_KEEPERS


def require_record_writer(actor: Actor) -> None:
    if not can_write_records(actor=actor):
        raise PermissionDenied("Your role can read sales records but not change them.")


def require_catalogue_writer(actor: Actor) -> None:
    if not can_write_catalogue(actor=actor):
        raise PermissionDenied("Only admins and directors change pipelines, products and rates.")


def require_rate_keeper(actor: Actor) -> None:
    if not can_keep_rates(actor=actor):
        raise PermissionDenied("Only admins, directors and finance set exchange rates.")


def may_act_for(*, actor: Actor, member_id: int | None) -> bool:
    """May the actor edit a record owned by ``member_id`` (None: unowned), or give one to them?"""
    if actor.role in ALL_RECORDS_WRITERS:
        return True
    if actor.role == Role.REP:
        return member_id is not None and member_id == actor.pk
    if actor.role == Role.MANAGER:
        if member_id is None or member_id == actor.pk:
            return True
        return (
            Membership.objects.filter(organisation_id=actor.organisation_id, pk=member_id)
            .filter(visible_members_q(actor=actor))
            .exists()
        )
    return False


def can_edit_record(*, actor: Actor, owner_id: int | None) -> bool:
    return can_write_records(actor=actor) and may_act_for(actor=actor, member_id=owner_id)


def require_can_edit(actor: Actor, owner_id: int | None) -> None:
    require_record_writer(actor)
    if not may_act_for(actor=actor, member_id=owner_id):
        raise PermissionDenied("You can change only your own records and your team's.")

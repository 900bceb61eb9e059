"""Who may see and change people records. Visibility follows the team tree (SPEC §2)."""

from __future__ import annotations

from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.roles import ORG_WIDE_ROLES, STRUCTURE_ROLES, Role


def can_manage_structure(*, actor: Actor) -> bool:
    """Teams, territories, role profiles and member profiles are shaped by admins and directors."""
    return actor.role in STRUCTURE_ROLES


def sees_whole_organisation(*, actor: Actor) -> bool:
    return actor.role in ORG_WIDE_ROLES


def is_manager(*, actor: Actor) -> bool:
    return actor.role == Role.MANAGER


def can_export_member(*, actor: Actor, member) -> bool:
    """A person's data export: an admin (for anyone of the organisation) or the person."""
    return actor.role == Role.ADMIN or (actor.pk is not None and actor.pk == member.pk)


def can_erase_member(*, actor: Actor, member) -> bool:
    """Erasure is an admin's, never of themself (the service checks the rest)."""
    return actor.role == Role.ADMIN and actor.pk != member.pk

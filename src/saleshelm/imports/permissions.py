"""Who may import, export and read the import history (SPEC §4).

- members and targets: admins and directors;
- crm kinds: admins, directors and managers (a manager only for owners in their teams,
  checked row by row);
- exports: every role, of the records it can see (kinds may narrow this);
- the history of imports: admins and directors all of it, a manager the imports run by
  themselves and the members of their teams.
"""

from __future__ import annotations

from saleshelm.imports.kinds.base import Kind
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.roles import Role

JOB_READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})


def can_import(*, actor: Actor, kind: Kind) -> bool:
    return actor.role in kind.import_roles


def can_import_anything(*, actor: Actor) -> bool:
    from saleshelm.imports.kinds import all_kinds

    return any(can_import(actor=actor, kind=k) for k in all_kinds().values())


def can_export(*, actor: Actor, kind: Kind) -> bool:
    return actor.role in kind.export_roles


def can_read_jobs(*, actor: Actor) -> bool:
    return actor.role in JOB_READERS

"""Who may do what with commissions (SPEC §2, §7).

- finance and admin write plans, create, calculate, approve and lock runs, resolve disputes;
- only an admin unlocks a locked run (with a reason, audited);
- a director views plans, runs and every statement, but changes nothing;
- a manager sees the statements (and plans, disputes) of their team subtrees and their own;
- a rep sees their own, and disputes lines of their own statements;
- a viewer sees no pay at all.
"""

from __future__ import annotations

from saleshelm.core.errors import PermissionDenied
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.roles import Role

COMMISSION_WRITERS = frozenset({Role.ADMIN, Role.FINANCE})
RUN_VIEWERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.FINANCE})
ALL_PAY = frozenset({Role.ADMIN, Role.DIRECTOR, Role.FINANCE})
NO_PAY = frozenset({Role.VIEWER})


def can_manage_commissions(*, actor: Actor) -> bool:
    return actor.role in COMMISSION_WRITERS


def can_view_runs(*, actor: Actor) -> bool:
    return actor.role in RUN_VIEWERS


def can_unlock(*, actor: Actor) -> bool:
    return actor.role == Role.ADMIN


def sees_pay(*, actor: Actor) -> bool:
    """Whether the actor may see any statement, plan or dispute at all."""
    return actor.role not in NO_PAY


def sees_all_pay(*, actor: Actor) -> bool:
    return actor.role in ALL_PAY


def require_commission_writer(actor: Actor) -> None:
    if not can_manage_commissions(actor=actor):
        raise PermissionDenied("Only finance and admins manage commission plans and runs.")


def require_run_viewer(actor: Actor) -> None:
    if not can_view_runs(actor=actor):
        raise PermissionDenied("Only finance, admins and directors see commission runs.")


def require_pay_viewer(actor: Actor) -> None:
    if not sees_pay(actor=actor):
        raise PermissionDenied("Your role does not see commission pay.")


def require_unlocker(actor: Actor) -> None:
    if not can_unlock(actor=actor):
        raise PermissionDenied("Only an admin can unlock a locked commission run.")

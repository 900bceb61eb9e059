"""Who sees and does what in development (SPEC §2, §8). The rules live here, once.

Coaching records (assessments, check-ins, coaching sessions, development plans) follow the
team tree: admins and directors see all, a manager their subtree (and records they lead), a
rep their own. Finance and viewers read no coaching records at all (SPEC §2: "finance ...
no coaching notes"); they get 403, not an empty page.

Feedback is narrower: ``private`` is seen by author and subject only, whoever else asks
(admins included); ``shared`` also by the subject's managers — the members who manage a
team on the subject's path in the team tree. Signals go first to the salesperson: a
manager, director or admin sees someone else's signal only once it has been escalated.

The competency framework and stories are read by everyone in the organisation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from saleshelm.core.errors import PermissionDenied
from saleshelm.people.models import Team
from saleshelm.people.selectors import managed_team_paths, visible_members_q
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.roles import Role

if TYPE_CHECKING:
    from typing_extensions import TypeIs

COACHING_READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER, Role.REP})
COACHES = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})
FEEDBACK_WRITERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER, Role.REP})
FRAMEWORK_EDITORS = frozenset({Role.ADMIN, Role.DIRECTOR})
SETTINGS_READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})
SIGNAL_EVALUATORS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})
STORY_WRITERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER, Role.REP})
ALL_COACHING = frozenset({Role.ADMIN, Role.DIRECTOR})


def is_system(actor: Actor) -> TypeIs[SystemActor]:
    return isinstance(actor, SystemActor)


# --- coaching records -------------------------------------------------------------------


def can_read_coaching(*, actor: Actor) -> bool:
    return is_system(actor) or actor.role in COACHING_READERS


def require_coaching_reader(actor: Actor) -> None:
    if not can_read_coaching(actor=actor):
        raise PermissionDenied("Your role does not read coaching records.")


def coaching_q(actor: Actor, *, member: str = "member", lead: str | None = "manager") -> Q:
    """Coaching records the actor may see, on a model whose person field is ``member`` and
    whose leading manager/coach field is ``lead``. Finance and viewers see the whole
    organisation here so that a visible record answers 403 (not 404) to them."""
    if is_system(actor) or actor.role not in {Role.MANAGER, Role.REP}:
        return Q()
    if actor.role == Role.REP:
        return Q(**{f"{member}_id": actor.pk})
    q = visible_members_q(actor=actor, prefix=f"{member}__")
    if lead:
        q |= Q(**{f"{lead}_id": actor.pk})
    return q


def manages_member(*, actor: Actor, member: Membership) -> bool:
    """Is the actor one of the member's managers (manages a team on the member's path)?"""
    if is_system(actor) or actor.pk == member.pk:
        return False
    paths = managed_team_paths(actor=actor)
    if not paths:
        return False
    team_path = (
        Team.objects.filter(members__membership=member).values_list("path", flat=True).first()
    )
    if not team_path:
        return False
    return any(team_path.startswith(p) for p in paths)


def may_coach(*, actor: Actor, member: Membership) -> bool:
    """Admins and directors coach anyone; a manager the members of their subtree."""
    if member.organisation_id != actor.organisation_id or (
        not is_system(actor) and member.pk == actor.pk
    ):
        return False
    if is_system(actor) or actor.role in ALL_COACHING:
        return True
    if actor.role != Role.MANAGER:
        return False
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id, pk=member.pk)
        .filter(visible_members_q(actor=actor))
        .exists()
    )


def require_coach_of(actor: Actor, member: Membership) -> None:
    if actor.role not in COACHES and not is_system(actor):
        raise PermissionDenied("Only managers, directors and admins coach.")
    if not may_coach(actor=actor, member=member):
        raise PermissionDenied("You coach only the members of the teams you manage.")


# --- feedback ---------------------------------------------------------------------------


def subject_managed_q(actor: Actor, prefix: str = "subject__") -> Q:
    """Subjects sitting in a team the actor manages (at any depth below it)."""
    paths = managed_team_paths(actor=actor)
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}profile__team__path__startswith": path})
    return q


def feedback_q(actor: Actor) -> Q:
    """Feedback the actor may read: their own (given or received), plus shared feedback
    about the members they manage. Nobody else — not admins, not the system."""
    if is_system(actor):
        return Q(visibility="shared") & Q(pk__in=[])
    own = Q(author_id=actor.pk) | Q(subject_id=actor.pk)
    return own | (Q(visibility="shared") & subject_managed_q(actor))


def feedback_request_q(actor: Actor) -> Q:
    if is_system(actor):
        return Q(pk__in=[])
    return Q(requester_id=actor.pk) | Q(recipient_id=actor.pk)


def require_feedback_writer(actor: Actor) -> None:
    if actor.role not in FEEDBACK_WRITERS:
        raise PermissionDenied("Your role does not give coaching feedback.")


# --- signals ----------------------------------------------------------------------------


def signal_q(actor: Actor) -> Q:
    """A signal is the salesperson's first; managers see it once escalated."""
    if is_system(actor):
        return Q()
    own = Q(subject_id=actor.pk)
    if actor.role in ALL_COACHING:
        return own | Q(escalated_at__isnull=False)
    if actor.role == Role.MANAGER:
        return own | (
            Q(escalated_at__isnull=False) & visible_members_q(actor=actor, prefix="subject__")
        )
    return own


def require_signal_evaluator(actor: Actor) -> None:
    if not is_system(actor) and actor.role not in SIGNAL_EVALUATORS:
        raise PermissionDenied("Only managers, directors and admins run the signal rules.")


def require_settings_reader(actor: Actor) -> None:
    if not is_system(actor) and actor.role not in SETTINGS_READERS:
        raise PermissionDenied("Only managers, directors and admins read the signal settings.")


# --- framework and stories ---------------------------------------------------------------


def can_edit_framework(*, actor: Actor) -> bool:
    return is_system(actor) or actor.role in FRAMEWORK_EDITORS


def require_framework_editor(actor: Actor) -> None:
    if not can_edit_framework(actor=actor):
        raise PermissionDenied("Only admins and directors shape the competency framework.")


def require_story_writer(actor: Actor) -> None:
    if not is_system(actor) and actor.role not in STORY_WRITERS:
        raise PermissionDenied("Your role does not write stories.")


def can_edit_story(*, actor: Actor, author_id: int) -> bool:
    return is_system(actor) or actor.role in ALL_COACHING or actor.pk == author_id

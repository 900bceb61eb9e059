"""Reads of organisations, memberships and the audit log, always scoped by the actor."""

from __future__ import annotations

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from saleshelm.core.errors import NotFound, PermissionDenied
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import AuditEntry, Membership, Organisation
from saleshelm.tenancy.roles import SECOND_FACTOR_ROLES, Role


def memberships_of_user(user) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def organisation_by_slug(slug: str) -> Organisation:
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound("Organisation")
    return org


AUDIT_READERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.FINANCE})


def _require_audit_reader(actor: Actor) -> None:
    if actor.role not in AUDIT_READERS:
        raise PermissionDenied("Only admins, directors and finance read the audit log.")


def audit_log_list(*, actor: Actor) -> QuerySet[AuditEntry]:
    """The audit log is for admins, directors and finance (who audit money)."""
    _require_audit_reader(actor)
    return AuditEntry.objects.filter(organisation_id=actor.organisation_id).select_related(
        "actor__user"
    )


def access_audit_entry(*, actor: Actor, id: int) -> AuditEntry:
    # Fetch within the organisation first: another organisation's id is "not found" for
    # everyone, whatever their role, so a 403 never confirms that it exists.
    entry = AuditEntry.objects.filter(organisation_id=actor.organisation_id, pk=id).first()
    if entry is None:
        raise NotFound("Audit entry")
    _require_audit_reader(actor)
    return entry


def membership_by_email(*, actor: Actor, email: str) -> Membership:
    m = (
        Membership.objects.filter(organisation_id=actor.organisation_id, user__email=email.lower())
        .select_related("user")
        .first()
    )
    if m is None:
        raise NotFound("Member")
    return m


# --- Second factor (SPEC §11.8) --------------------------------------------------------------


def second_factor_on(*, user) -> bool:
    """Whether signing in as ``user`` asks for a code after the password."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_in_setup(*, actor: Membership) -> TOTPDevice | None:
    """The secret the actor is adding to their app, not yet confirmed with a code."""
    return (
        TOTPDevice.objects.filter(user=actor.user, confirmed=False)
        .select_related("user")
        .order_by("-pk")
        .first()
    )


def can_manage_second_factor(*, actor: Actor, is_on: bool) -> bool:
    """Admins and finance may turn it on; anyone who has one (say, moved to another role since)
    may still turn it off."""
    return actor.role in SECOND_FACTOR_ROLES or is_on


def second_factor_required(*, actor: Actor) -> bool:
    """Whether the actor's organisation requires a second factor of them."""
    return actor.role in SECOND_FACTOR_ROLES and actor.organisation.require_second_factor


# --- Invitations -------------------------------------------------------------------------------


def invitation_pending_list(*, actor: Actor) -> QuerySet[Membership]:
    """Active members who never signed in and whom the actor may invite (see
    ``saleshelm.tenancy.invitations.can_invite``), with when they were last invited."""
    from django.db.models import CharField, OuterRef, Subquery
    from django.db.models.functions import Cast

    from saleshelm.people.selectors import member_list, visible_members_q

    qs = member_list(actor=actor).filter(user__is_active=True, user__last_login__isnull=True)
    if actor.role == Role.MANAGER:
        qs = qs.filter(visible_members_q(actor=actor)).exclude(pk=actor.pk or 0)
    elif actor.role not in (Role.ADMIN, Role.DIRECTOR):
        raise PermissionDenied("Only admins, directors and managers invite members.")
    last_invite = AuditEntry.objects.filter(
        organisation_id=actor.organisation_id,
        action="member.invite",
        object_type="membership",
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-created_at", "-id")
    return qs.annotate(last_invited_at=Subquery(last_invite.values("created_at")[:1]))

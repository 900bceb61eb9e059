"""Reads of organisations, memberships and the audit log, always scoped by the actor."""

from __future__ import annotations

from django.db.models import QuerySet

from saleshelm.core.errors import NotFound, PermissionDenied
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import AuditEntry, Membership, Organisation
from saleshelm.tenancy.roles import Role


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

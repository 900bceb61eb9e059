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


def audit_log_list(*, actor: Actor) -> QuerySet[AuditEntry]:
    """The audit log is for admins, directors and finance (who audit money)."""
    if actor.role not in {Role.ADMIN, Role.DIRECTOR, Role.FINANCE}:
        raise PermissionDenied("Only admins, directors and finance read the audit log.")
    return AuditEntry.objects.filter(organisation_id=actor.organisation_id).select_related(
        "actor__user"
    )


def access_audit_entry(*, actor: Actor, id: int) -> AuditEntry:
    entry = audit_log_list(actor=actor).filter(pk=id).first()
    if entry is None:
        raise NotFound("Audit entry")
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

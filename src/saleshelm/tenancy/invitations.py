"""Invitations and password resets: one-time links to set a password.

Members added by an import, the members page or ``POST /api/v1/members`` have no usable
password; an invitation emails them a link to choose one. "Forgot password" sends the same
kind of link. The link is Django's own (``PasswordResetTokenGenerator``): it carries no
stored secret, is signed with SECRET_KEY, expires after ``PASSWORD_RESET_TIMEOUT`` and stops
working once used, because setting the password (and signing in) changes what it was signed
over. The page behind it is ``saleshelm.web.passwords`` (Django's ``PasswordResetConfirmView``).

Who may invite whom: admins and directors anyone of the organisation, a manager the members
of the teams they manage (their subtree) — the people they onboard. Nobody else.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Membership, Organisation, User
from saleshelm.tenancy.roles import Role
from saleshelm.tenancy.services import audit_record

logger = logging.getLogger("saleshelm.security")

INVITERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})
KIND_INVITE = "invite"  # no usable password yet: "X invited you to Y"
KIND_RESET = "reset"  # a password already: "set a new password"


def can_invite(*, actor: Actor, member: Membership) -> bool:
    """Admins and directors: anyone of their organisation; a manager: their teams' members."""
    if member.organisation_id != actor.organisation_id:
        return False
    if actor.role in (Role.ADMIN, Role.DIRECTOR):
        return True
    if actor.role == Role.MANAGER and member.pk != actor.pk:
        from saleshelm.people.selectors import visible_members_q

        return (
            Membership.objects.filter(pk=member.pk, organisation_id=actor.organisation_id)
            .filter(visible_members_q(actor=actor))
            .exists()
        )
    return False


def invitation_kind(user: User) -> str:
    return KIND_RESET if user.has_usable_password() else KIND_INVITE


def set_password_url(*, user: User, base_url: str) -> str:
    """The one-time link (absolute) to the set-password page for ``user``."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("web:password_set", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def _language(user: User, organisation: Organisation | None) -> str:
    """The person's own language if they chose one, else their organisation's."""
    languages = {code for code, _name in settings.LANGUAGES}
    for candidate in (user.language, getattr(organisation, "locale", None)):
        if candidate in languages:
            return candidate
    return settings.LANGUAGE_CODE


def _send(*, template: str, user: User, organisation: Organisation | None, context: dict) -> None:
    with translation.override(_language(user, organisation)):
        context = {
            "user": user,
            "organisation": organisation,
            "expiry_days": max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400)),
            **context,
        }
        subject = " ".join(render_to_string(f"web/email/{template}_subject.txt", context).split())
        body = render_to_string(f"web/email/{template}_body.txt", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    try:
        message.send()
    except Exception:  # SMTP down, refused address: say so instead of a 500
        logger.exception("email %s to user=%s could not be sent", template, user.pk)
        raise ApplicationError(
            _("The email could not be sent. Try again later or ask your administrator."),
            code="email_failed",
            status=503,
        ) from None


@transaction.atomic
def member_invite(*, actor: Actor, membership: Membership, base_url: str) -> str:
    """Email ``membership``'s person a link to set their password; returns the kind sent
    (``invite`` for someone without a password yet, ``reset`` otherwise)."""
    if not can_invite(actor=actor, member=membership):
        raise PermissionDenied(_("You can invite only the members of the teams you manage."))
    user = membership.user
    if not (membership.is_active and user.is_active):
        raise ApplicationError(
            _("%(name)s is deactivated: reactivate them before inviting them.")
            % {"name": user.get_full_name()},
            code="inactive",
        )
    kind = invitation_kind(user)
    inviter = "" if isinstance(actor, SystemActor) else actor.user.get_full_name()
    _send(
        template=kind,
        user=user,
        organisation=membership.organisation,
        context={
            "inviter": inviter,
            "link": set_password_url(user=user, base_url=base_url),
            "invited": True,
        },
    )
    audit_record(
        actor=actor,
        action="member.invite",
        obj=membership,
        after={"email": user.email, "kind": kind},
    )
    return kind


def members_invite(*, actor: Actor, memberships, base_url: str) -> int:
    """Invite each of ``memberships`` the actor may invite; returns how many were sent."""
    sent = 0
    for membership in memberships:
        if can_invite(actor=actor, member=membership):
            member_invite(actor=actor, membership=membership, base_url=base_url)
            sent += 1
    return sent


@transaction.atomic
def password_reset_request(*, email: str, base_url: str) -> bool:
    """Email a set-password link to the account with this address, if there is one.

    The caller answers the same either way (the page must not tell who has an account);
    the return value is for logs and tests. Audited in each organisation of the person."""
    email = (email or "").strip().lower()
    user = User.objects.filter(email__iexact=email, is_active=True).first() if email else None
    if user is None:
        logger.info("password reset requested for an unknown address")
        return False
    memberships = list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("user", "organisation")
        .order_by("pk")
    )
    if not memberships and not user.is_staff:
        # Removed from every organisation: a password would open nothing.
        logger.info("password reset requested for user=%s without a membership", user.pk)
        return False
    organisation = memberships[0].organisation if memberships else None
    _send(
        template=KIND_RESET,
        user=user,
        organisation=organisation,
        context={"link": set_password_url(user=user, base_url=base_url), "invited": False},
    )
    for membership in memberships:
        audit_record(
            actor=membership,
            action="password.reset_requested",
            object_type="user",
            object_id=user.pk,
        )
    return True


@transaction.atomic
def password_set_with_link(*, user: User, password: str) -> User:
    """Set the password chosen on the page behind a one-time link (already validated there
    by Django's ``SetPasswordForm``); audited in each organisation of the person."""
    first = not user.has_usable_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    for membership in Membership.objects.filter(user=user, is_active=True).select_related("user"):
        audit_record(
            actor=membership,
            action="password.set",
            object_type="user",
            object_id=user.pk,
            after={"via": "link", "first": first},
        )
    return user

"""Export of one person's data, and erasure of it (SPEC §11.11).

**Export** — a JSON document of what the organisation holds about one member, one section
per app (see ``registry``). Each section holds what the *requester* may read: an admin's
export of a rep leaves out private feedback between the rep and a colleague (only the two
of them read it, anywhere in the app); the rep's own export has it. Audited as
``member.export``.

**Erasure** — by an admin, with a reason and the member's email typed as confirmation:

- the person's account is pseudonymised: name "Former member #<id>", email
  ``former-member-<id>@erased.invalid`` (a reserved domain, RFC 2606), password unusable,
  second-factor devices removed, signed out everywhere, the membership deactivated and its
  API tokens revoked. A person who also belongs to another organisation (or operates the
  deployment) keeps their account there: this organisation's membership moves to a
  stand-in account that carries the pseudonym instead;
- each app blanks or deletes the private free text *about* the person (its provider says
  what: feedback about them, coaching observations, check-in notes, assessment evidence...);
- financial records stay as they are: statements, payout and credit lines, orders and
  splits, with their amounts and links, so locked commission periods do not change;
- the audit row ``member.erase`` holds the reason, the pseudonym and counts only.

The audit log itself is append-only (SPEC §11.9) and is not rewritten: its rows keep the
label of whoever acted, and remain readable by admins and finance only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from saleshelm.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from saleshelm.people.permissions import can_export_member
from saleshelm.people.privacy.registry import privacy_providers
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import ERASED_EMAIL_DOMAIN, ApiToken, Membership, User
from saleshelm.tenancy.roles import Role
from saleshelm.tenancy.services import audit_record

EXPORT_FORMAT = "saleshelm.member-export.v1"
ERASED_DOMAIN = ERASED_EMAIL_DOMAIN
REASON_MAX = 500
EXPORT_NOTES = [
    "Each section holds what the requester may read in SalesHelm. Private feedback is read "
    "by its author and its subject only: it is in the member's own export, not in one made "
    "by an admin.",
    "Other people appear by their member id only; amounts are decimal strings.",
]


def placeholder_email(member_id: int) -> str:
    return f"former-member-{member_id}@{ERASED_DOMAIN}"


def pseudonym(member: Membership) -> str:
    """Stored once, in the organisation's language, like any name a person would type."""
    with translation.override(member.organisation.locale or "en"):
        return gettext("Former member #%(id)s") % {"id": member.pk}


def is_erased(member: Membership) -> bool:
    return member.user.email.endswith("@" + ERASED_DOMAIN)


# --- export -------------------------------------------------------------------------------


@transaction.atomic
def member_export(*, actor: Actor, member: Membership) -> dict[str, Any]:
    """The member's data as a JSON-ready dict (Decimals as strings, dates in ISO 8601)."""
    if member.organisation_id != actor.organisation_id:
        raise NotFound("Member")
    if not can_export_member(actor=actor, member=member):
        raise PermissionDenied(
            gettext("Only an admin, or the member themself, exports a member's data.")
        )
    sections = {p.key: p.export(actor=actor, member=member) for p in privacy_providers()}
    organisation = member.organisation
    document = {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now(),
        "organisation": {
            "id": organisation.pk,
            "slug": organisation.slug,
            "name": organisation.name,
        },
        "member_id": member.pk,
        "requested_by": {"member_id": actor.pk, "is_self": actor.pk == member.pk},
        "notes": EXPORT_NOTES,
        "sections": sections,
    }
    audit_record(
        actor=actor,
        action="member.export",
        object_type="membership",
        object_id=member.pk,
        after={"sections": sorted(sections), "self": actor.pk == member.pk},
    )
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


# --- erasure ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Erasure:
    member: Membership
    counts: dict[str, dict[str, int]]


def _check_reason(reason: str, member: Membership) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(gettext("Give the reason for the erasure."), field="reason")
    if len(reason) > REASON_MAX:
        raise ApplicationError(
            gettext("The reason is at most %(max)s characters.") % {"max": REASON_MAX},
            field="reason",
            code="too_long",
        )
    folded = reason.casefold()
    user = member.user
    named = [user.email.casefold()]
    if len(user.full_name.strip()) >= 3:
        named.append(user.full_name.strip().casefold())
    if any(n and n in folded for n in named):
        raise ApplicationError(
            gettext(
                "The reason stays in the audit log after the erasure: leave the person's name "
                "and email out of it."
            ),
            field="reason",
            code="personal_data_in_reason",
        )
    return reason


def _check_erasable(actor: Actor, member: Membership) -> None:
    if actor.pk is not None and member.pk == actor.pk:
        raise ApplicationError(
            gettext("You cannot erase yourself: another admin does it."), code="erase_self"
        )
    if is_erased(member):
        raise Conflict(
            gettext("This member's personal data is already erased."), code="already_erased"
        )
    if (
        member.role == Role.ADMIN
        and member.is_active
        and not Membership.objects.filter(
            organisation_id=member.organisation_id, role=Role.ADMIN, is_active=True
        )
        .exclude(pk=member.pk)
        .exists()
    ):
        raise ApplicationError(
            gettext("An organisation keeps at least one active admin."), code="last_admin"
        )


def _remove_second_factor(user: User) -> int:
    from django.apps import apps

    if not apps.is_installed("django_otp"):
        return 0
    from django_otp import devices_for_user

    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    return len(devices)


def _end_sessions(user_id: int) -> int:
    """Delete every stored session of the user. With a session engine that cannot be listed
    (signed cookies, plain cache) the unusable password and the inactive account already
    end them: Django drops a session whose password hash no longer matches."""
    if not settings.SESSION_ENGINE.endswith((".db", ".cached_db")):
        return 0
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user_id):
            store(session_key=session.session_key).delete()
            ended += 1
    return ended


def _erase_account(member: Membership) -> dict[str, int]:
    """Revoke tokens, then pseudonymise the account (or move the membership to a stand-in
    account when the person's account serves elsewhere too). Tenancy has no service for
    this; it lives here, next to the only caller."""
    now = timezone.now()
    revoked = ApiToken.objects.filter(membership=member, revoked_at__isnull=True).update(
        revoked_at=now
    )
    user = member.user
    name, email = pseudonym(member), placeholder_email(member.pk)
    shared = (
        user.is_staff
        or user.is_superuser
        or Membership.objects.filter(user=user).exclude(pk=member.pk).exists()
    )
    sessions = devices = 0
    if shared:
        stand_in = User(email=email, full_name=name, is_active=False)
        stand_in.set_unusable_password()
        stand_in.save()
        member.user = stand_in
    else:
        user.full_name, user.email = name, email
        user.first_name = user.last_name = user.language = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        devices = _remove_second_factor(user)
        sessions = _end_sessions(user.pk)
    member.is_active = False
    member.save(update_fields=["user", "is_active", "updated_at"])
    return {
        "tokens_revoked": revoked,
        "sessions_ended": sessions,
        "second_factor_devices_removed": devices,
        "account_kept_for_other_organisations": int(shared),
    }


@transaction.atomic
def member_erase(*, actor: Actor, member: Membership, confirm: str, reason: str) -> Erasure:
    """Erase a member's personal data (see the module's docstring for what that means)."""
    if actor.role != Role.ADMIN:
        raise PermissionDenied(gettext("Only an admin erases a member's personal data."))
    locked = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "organisation")
        .filter(pk=member.pk, organisation_id=actor.organisation_id)
        .first()
    )
    if locked is None:
        raise NotFound("Member")
    member = locked
    _check_erasable(actor, member)
    if (confirm or "").strip().casefold() != member.user.email.casefold():
        raise ApplicationError(
            gettext("Type the member's email address to confirm the erasure."),
            field="confirm",
            code="confirmation_mismatch",
        )
    reason = _check_reason(reason, member)
    counts: dict[str, dict[str, int]] = {}
    for provider in privacy_providers():
        if provider.erase is not None:
            counts[provider.key] = provider.erase(actor=actor, member=member)
    counts["tenancy"] = _erase_account(member)
    audit_record(
        actor=actor,
        action="member.erase",
        object_type="membership",
        object_id=member.pk,
        after={"pseudonym": member.user.full_name, "erased": counts},
        reason=reason,
    )
    return Erasure(member=member, counts=counts)

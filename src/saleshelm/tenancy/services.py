"""Writes of organisations, memberships, tokens and the audit log (STYLE: do_* with an actor)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from saleshelm.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import (
    ERASED_EMAIL_DOMAIN,
    ApiToken,
    AuditEntry,
    Membership,
    Organisation,
    User,
)
from saleshelm.tenancy.roles import SECOND_FACTOR_ROLES, Role


def _validation_to_app_error(exc: ValidationError) -> ApplicationError:
    if hasattr(exc, "message_dict"):
        field, messages = next(iter(exc.message_dict.items()))
        return ApplicationError(f"{field}: {' '.join(messages)}", field=field)
    return ApplicationError(" ".join(exc.messages))


def full_clean_or_raise(obj, **kwargs) -> None:
    """Validate a model instance, turning Django's errors into one ApplicationError."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as exc:
        raise _validation_to_app_error(exc) from None


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: Any = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or obj.pk
    return AuditEntry.objects.create(
        organisation_id=actor.organisation_id,
        actor=None if isinstance(actor, SystemActor) else actor,
        actor_label=actor.email,
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        before=before,
        after=after,
        reason=reason,
    )


def _require_admin(actor: Actor) -> None:
    if actor.role != Role.ADMIN:
        raise PermissionDenied("Only an admin can manage memberships and roles.")


def _membership_snapshot(m: Membership) -> dict:
    return {"email": m.user.email, "role": m.role, "is_active": m.is_active}


@transaction.atomic
def organisation_create(
    *,
    slug: str,
    name: str,
    currency: str,
    admin_email: str | None = None,
    admin_name: str = "",
    locale: str = "en",
    time_zone: str = "UTC",
    fiscal_year_start_month: int = 1,
    audit_label: str = "cli",
) -> tuple[Organisation, Membership | None, str | None]:
    """Create an organisation and, if asked, its first admin with a one-time password.

    ``audit_label`` names where the request came from in the audit rows (the command line,
    or the sign-up page)."""
    org = Organisation(
        slug=(slug or "").strip(),
        name=(name or "").strip(),
        currency=(currency or "").strip().upper(),
        locale=locale,
        time_zone=time_zone,
        fiscal_year_start_month=fiscal_year_start_month,
    )
    full_clean_or_raise(org, validate_unique=False)
    if Organisation.objects.filter(slug=org.slug).exists():
        raise Conflict(f"An organisation with slug {org.slug!r} already exists.", code="exists")
    org.save()
    system = SystemActor(org, label=audit_label)
    audit_record(actor=system, action="organisation.create", obj=org, after={"slug": org.slug})
    if not admin_email:
        return org, None, None
    password = secrets.token_urlsafe(12)
    membership = membership_create(
        actor=system,
        email=admin_email,
        name=admin_name or admin_email.split("@")[0],
        role=Role.ADMIN,
        password=password,
    )
    return org, membership, password


def signup_open() -> bool:
    """Whether /signup/ may create an organisation: on the first run (none exists yet), or
    when the operator opened it (``SALESHELM_SIGNUP=open``)."""
    from django.conf import settings

    return bool(getattr(settings, "SIGNUP_OPEN", False)) or not Organisation.objects.exists()


@transaction.atomic
def organisation_sign_up(
    *,
    slug: str,
    name: str,
    currency: str,
    locale: str,
    admin_name: str,
    admin_email: str,
    password: str,
) -> Membership:
    """The first-run path of ``org create --admin``, from the browser: the organisation, the
    person's account with the password they chose, and their admin membership, all or nothing.

    The email must be new: a sign-up never attaches a membership to an account whose password
    the visitor has not proved (an existing person signs in and is invited instead)."""
    if not signup_open():
        raise PermissionDenied("Sign-up is closed on this installation.")
    admin_email = (admin_email or "").strip().lower()
    admin_name = (admin_name or "").strip()
    if not admin_name:
        raise ApplicationError(_("Enter your name."), field="name")
    if User.objects.filter(email=admin_email).exists():
        raise ApplicationError(
            _("An account with this email exists already: sign in, or use another email."),
            code="email_taken",
            field="email",
            status=409,
        )
    try:
        validate_password(password, User(email=admin_email, full_name=admin_name))
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from None
    _org, membership, _one_time = organisation_create(
        slug=slug,
        name=name,
        currency=currency,
        admin_email=admin_email,
        admin_name=admin_name,
        locale=locale,
        audit_label="signup",
    )
    assert membership is not None
    # The one-time password organisation_create made is replaced by the one the person chose.
    user = membership.user
    user.set_password(password)
    user.save(update_fields=["password"])
    return membership


@transaction.atomic
def membership_create(
    *,
    actor: Actor,
    email: str,
    name: str,
    role: str,
    password: str | None = None,
) -> Membership:
    """Add a person to the actor's organisation (creating the user if new)."""
    _require_admin(actor)
    email = (email or "").strip().lower()
    name = (name or "").strip()
    if role not in Role.values:
        raise ApplicationError(
            f"role {role!r} is not one of {', '.join(Role.values)}",
            code="invalid_role",
            field="role",
        )
    try:
        from django.core.validators import validate_email

        validate_email(email)
    except ValidationError:
        raise ApplicationError(f"{email!r} is not an email address", field="email") from None
    if not name:
        raise ApplicationError("name is required", field="name")
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    if Membership.objects.filter(organisation_id=actor.organisation_id, user=user).exists():
        raise Conflict(f"{email} is already a member of this organisation.", code="exists")
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                organisation_id=actor.organisation_id, user=user, role=role
            )
    except IntegrityError:
        raise Conflict(
            f"{email} is already a member of this organisation.", code="exists"
        ) from None
    from saleshelm.people.services import member_profile_ensure

    member_profile_ensure(membership=membership)
    audit_record(
        actor=actor,
        action="membership.create",
        obj=membership,
        after=_membership_snapshot(membership),
    )
    return membership


def _is_erased(user: User) -> bool:
    return user.email.endswith("@" + ERASED_EMAIL_DOMAIN)


@transaction.atomic
def membership_update(
    *, actor: Actor, membership: Membership, role: str | None = None, is_active: bool | None = None
) -> Membership:
    _require_admin(actor)
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    before = _membership_snapshot(membership)
    if role is not None:
        if role not in Role.values:
            raise ApplicationError(
                f"role {role!r} is not one of {', '.join(Role.values)}",
                code="invalid_role",
                field="role",
            )
        membership.role = role
    if is_active is not None:
        if is_active and not membership.is_active and _is_erased(membership.user):
            raise Conflict(
                _(
                    "This member's personal data was erased, so the membership cannot be "
                    "active again; invite the person as a new member."
                ),
                code="erased",
            )
        membership.is_active = is_active
    if (
        before["role"] == Role.ADMIN
        and (membership.role != Role.ADMIN or not membership.is_active)
        and not Membership.objects.filter(
            organisation_id=membership.organisation_id, role=Role.ADMIN, is_active=True
        )
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ApplicationError(
            "An organisation keeps at least one active admin.", code="last_admin"
        )
    after = _membership_snapshot(membership)
    if after == before:
        return membership
    membership.save(update_fields=["role", "is_active", "updated_at"])
    action = "membership.role_change" if after["role"] != before["role"] else "membership.update"
    audit_record(actor=actor, action=action, obj=membership, before=before, after=after)
    return membership


@transaction.atomic
def token_create(*, membership: Membership, name: str = "cli") -> str:
    """Create a personal API token; the raw token is returned once and never stored."""
    raw, key_hash = ApiToken.generate()
    ApiToken.objects.create(membership=membership, name=name[:100], key_hash=key_hash, hint=raw[:8])
    audit_record(
        actor=membership, action="token.create", object_type="apitoken", object_id=membership.pk
    )
    return raw


def token_authenticate(raw: str) -> Membership | None:
    token = (
        ApiToken.objects.select_related("membership__user", "membership__organisation")
        .filter(key_hash=ApiToken.hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    membership = token.membership
    if not (membership.is_active and membership.user.is_active):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return membership


def user_set_password(*, user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from None
    user.set_password(password)
    user.save(update_fields=["password"])


# --- Second factor (SPEC §11.8) --------------------------------------------------------------
# A TOTP device (django-otp) belongs to the user, not to a membership: one authenticator app
# signs a person in to every organisation they belong to. Admins and finance may turn it on;
# an organisation may require it of them. API tokens are not affected.


def _require_second_factor_role(actor: Actor) -> None:
    if actor.role not in SECOND_FACTOR_ROLES:
        raise PermissionDenied(_("Only admins and finance can turn on a second factor."))


def _check_code(device: TOTPDevice, code: str) -> None:
    """Raise unless ``code`` is the device's current code (a used code is not accepted twice)."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == device.digits) or not device.verify_token(code):
        raise ApplicationError(
            _("That code is not right. Enter the 6-digit code your authenticator app shows now."),
            code="invalid_code",
            field="code",
        )


@transaction.atomic
def second_factor_start(*, actor: Membership) -> TOTPDevice:
    """A new secret for the actor to add to an authenticator app; off until confirmed."""
    _require_second_factor_role(actor)
    user = actor.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise Conflict(_("Your second factor is already on."), code="second_factor_on")
    # One secret in the making at a time: starting again replaces an unconfirmed one.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="SalesHelm", confirmed=False)


@transaction.atomic
def second_factor_confirm(*, actor: Membership, code: str) -> TOTPDevice:
    """Turn the second factor on once the actor proves their app shows the right code."""
    _require_second_factor_role(actor)
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=actor.user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if device is None:
        raise ApplicationError(
            _("Start again: there is no secret waiting to be confirmed."), code="not_started"
        )
    _check_code(device, code)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=actor,
        action="second_factor.enable",
        object_type="user",
        object_id=actor.user_id,
        after={"second_factor": True},
    )
    return device


@transaction.atomic
def second_factor_disable(*, actor: Membership, code: str) -> None:
    """Turn the second factor off; the current code proves the person holds the device."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=actor.user, confirmed=True)
        .order_by("-pk")
        .first()
    )
    if device is None:
        raise ApplicationError(_("Your second factor is not on."), code="second_factor_off")
    organisation = actor.organisation
    if organisation.require_second_factor and actor.role in SECOND_FACTOR_ROLES:
        raise ApplicationError(
            _("%(organisation)s requires a second factor for admins and finance.")
            % {"organisation": organisation.name},
            code="second_factor_required",
        )
    _check_code(device, code)
    TOTPDevice.objects.filter(user=actor.user).delete()
    audit_record(
        actor=actor,
        action="second_factor.disable",
        object_type="user",
        object_id=actor.user_id,
        before={"second_factor": True},
        after={"second_factor": False},
    )


def second_factor_verify(*, user: User, code: str) -> TOTPDevice:
    """The sign-in step after the password. A wrong code is audited as a failed sign-in in
    every organisation the person belongs to (the caller counts it for login throttling)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise ApplicationError(_("Your second factor is not on."), code="second_factor_off")
        try:
            _check_code(device, code)
        except ApplicationError as exc:
            refused = exc
        else:
            return device
    # Outside the block above: the refusal raised below must not roll the audit rows back.
    with transaction.atomic():
        for membership in Membership.objects.filter(user=user, is_active=True).select_related(
            "user"
        ):
            audit_record(
                actor=membership,
                action="login.failed",
                object_type="user",
                object_id=user.pk,
                reason="wrong second-factor code",
            )
    raise refused


@transaction.atomic
def second_factor_reset(*, actor: Actor, membership: Membership, reason: str) -> bool:
    """Turn off a member's second factor without its code: for a lost phone. Run by the
    operator (``saleshelm manage second_factor_off``), with a reason, and audited."""
    _require_admin(actor)
    if membership.organisation_id != actor.organisation_id:
        raise NotFound("Member")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("A reason is required.", field="reason")
    removed, _counts = TOTPDevice.objects.filter(user_id=membership.user_id).delete()
    if not removed:
        return False
    audit_record(
        actor=actor,
        action="second_factor.reset",
        object_type="user",
        object_id=membership.user_id,
        before={"second_factor": True},
        after={"second_factor": False},
        reason=reason,
    )
    return True


@transaction.atomic
def organisation_set_second_factor_policy(*, actor: Membership, required: bool) -> Organisation:
    """Require (or stop requiring) a second factor of the organisation's admins and finance.

    The admin who requires it must have one: they would otherwise lock themselves out of
    every page but the one that turns it on."""
    _require_admin(actor)
    organisation = Organisation.objects.select_for_update().get(pk=actor.organisation_id)
    before = {"require_second_factor": organisation.require_second_factor}
    if required and not TOTPDevice.objects.filter(user=actor.user, confirmed=True).exists():
        raise ApplicationError(
            _("Turn on your own second factor before requiring it of others."),
            code="second_factor_off",
        )
    if organisation.require_second_factor == required:
        return organisation
    organisation.require_second_factor = required
    organisation.save(update_fields=["require_second_factor", "updated_at"])
    audit_record(
        actor=actor,
        action="organisation.update",
        obj=organisation,
        before=before,
        after={"require_second_factor": required},
    )
    return organisation

"""The member's sign-in security page: turn a second factor on or off (SPEC §11.8), and, for
an organisation's admin, require it of admins and finance."""

from __future__ import annotations

import base64
import io

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError
from saleshelm.tenancy import selectors, services, throttle
from saleshelm.tenancy.roles import SECOND_FACTOR_ROLES, Role
from saleshelm.web import second_factor
from saleshelm.web.access import deny, member_required, role_required
from saleshelm.web.forms import SecondFactorCodeForm, SecondFactorPolicyForm


def _qr_data_uri(text: str) -> str:
    """An SVG QR code of ``text`` made here (no third-party service sees the secret), as a data
    URI the CSP allows in an <img>."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _grouped_secret(device) -> str:
    # The base32 secret an app asks for when typed by hand, in groups of four.
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _security_page(request, *, disable_form=None, status: int = 200):
    actor = request.membership
    is_on = selectors.second_factor_on(user=request.user)
    if not selectors.can_manage_second_factor(actor=actor, is_on=is_on):
        deny(request)
    organisation = actor.organisation
    context = {
        "is_on": is_on,
        "can_turn_on": actor.role in SECOND_FACTOR_ROLES and not is_on,
        "required": selectors.second_factor_required(actor=actor),
        "enrolment_pending": request.second_factor_hold == second_factor.HOLD_ENROL,
        "disable_form": disable_form or (SecondFactorCodeForm(prefix="off") if is_on else None),
        "organisation": organisation,
    }
    if actor.role == Role.ADMIN:
        context["policy_form"] = SecondFactorPolicyForm(
            initial={"require_second_factor": organisation.require_second_factor}
        )
    return render(request, "web/account_security.html", context, status=status)


@never_cache
@member_required
def account_security(request):
    return _security_page(request)


@require_POST
@role_required(SECOND_FACTOR_ROLES)
def second_factor_start(request):
    try:
        services.second_factor_start(actor=request.membership)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("web:account_security")
    return redirect("web:second_factor_setup")


@never_cache
@sensitive_post_parameters("code")
@role_required(SECOND_FACTOR_ROLES)
def second_factor_setup(request):
    """Scan (or type) the secret, then prove it works with a code. The secret is shown only
    here, while it is being set up; once on, no page shows it again."""
    actor = request.membership
    device = selectors.second_factor_in_setup(actor=actor)
    if device is None:
        return redirect("web:account_security")
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.second_factor_confirm(actor=actor, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", exc.message)
        else:
            second_factor.mark_verified(request, confirmed)
            messages.success(
                request,
                _("Your second factor is on. From now on, signing in asks for a code."),
            )
            return redirect("web:account_security")
    uri = device.config_url
    return render(
        request,
        "web/second_factor_setup.html",
        {"form": form, "uri": uri, "qr": _qr_data_uri(uri), "secret": _grouped_secret(device)},
    )


@require_POST
@sensitive_post_parameters("off-code")
@member_required
def second_factor_disable(request):
    """Turning it off takes the current code, and wrong codes count toward the sign-in
    throttle: a borrowed session cannot guess its way to removing the second factor."""
    actor = request.membership
    form = SecondFactorCodeForm(request.POST, prefix="off")
    if not selectors.can_manage_second_factor(
        actor=actor, is_on=selectors.second_factor_on(user=request.user)
    ):
        deny(request)
    email, ip = request.user.email, throttle.client_ip(request)
    lock = throttle.check(email=email, ip=ip)
    if lock is not None:
        throttle.record_refusal(email=email, ip=ip, lock=lock)
        minutes = lock.retry_after_minutes
        form.add_error(
            None,
            ngettext(
                "Too many wrong attempts. Try again in %(minutes)d minute.",
                "Too many wrong attempts. Try again in %(minutes)d minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        return _security_page(request, disable_form=form, status=429)
    if form.is_valid():
        try:
            services.second_factor_disable(actor=actor, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            if exc.code == "invalid_code":
                throttle.record_failure(email=email, ip=ip)
            form.add_error("code" if exc.field else None, exc.message)
        else:
            second_factor.mark_off(request)
            messages.success(
                request, _("Your second factor is off. Signing in asks only for your password.")
            )
            return redirect("web:account_security")
    return _security_page(request, disable_form=form)


@require_POST
@role_required({Role.ADMIN})
def second_factor_policy(request):
    form = SecondFactorPolicyForm(request.POST)
    form.is_valid()  # a checkbox: always valid
    required = bool(form.cleaned_data.get("require_second_factor"))
    try:
        services.organisation_set_second_factor_policy(actor=request.membership, required=required)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if required:
            messages.success(request, _("Admins and finance now need a second factor."))
        else:
            messages.success(request, _("A second factor is now optional for everyone."))
    return redirect("web:account_security")

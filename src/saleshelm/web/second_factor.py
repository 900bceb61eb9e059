"""The second sign-in step (SPEC §11.8): what a session knows about its person's second factor.

Every sign-in (this site's form, Django's admin login, a test client's ``force_login``) goes
through ``django.contrib.auth.login()``, which sends ``user_logged_in``: there, once per
sign-in, the session notes whether the person has a second factor and starts unverified. A
signal because it is the one hook that every way of signing in passes through; a sign-in path
added later cannot skip it. ``SecondFactorMiddleware`` then holds such a session at the code
prompt until a code is entered (and, where the organisation requires a second factor of
admins and finance, holds one without it at the page that turns it on).

Bearer-token API calls carry no session and are not affected.
"""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login

from saleshelm.tenancy.selectors import second_factor_on, second_factor_required

SESSION_KEY = "saleshelm_2fa"

# What ``request.second_factor_hold`` says while a session is held (None otherwise).
HOLD_CODE = "code"
HOLD_ENROL = "enrol"


def note_sign_in(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: a new sign-in starts unverified."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session[SESSION_KEY] = {"user": user.pk, "on": second_factor_on(user=user)}


def _state(request) -> dict:
    user = request.user
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, dict) or state.get("user") != user.pk:
        # A session signed in before this code was deployed: look once.
        state = {"user": user.pk, "on": second_factor_on(user=user)}
        request.session[SESSION_KEY] = state
    return state


def is_on(request) -> bool:
    """The signed-in person has a second factor (as of this session's sign-in)."""
    return request.user.is_authenticated and bool(_state(request)["on"])


def is_verified(request) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def code_pending(request) -> bool:
    """Signed in with the password of someone who has a second factor; no code entered yet."""
    return is_on(request) and not is_verified(request)


def enrolment_pending(request) -> bool:
    """An admin or finance member of an organisation that requires a second factor, without one."""
    membership = getattr(request, "membership", None)
    if membership is None or not request.user.is_authenticated:
        return False
    return not _state(request)["on"] and second_factor_required(actor=membership)


def mark_verified(request, device) -> None:
    """The person entered a right code (at sign-in, or confirming a new second factor)."""
    otp_login(request, device)
    request.session[SESSION_KEY] = {"user": request.user.pk, "on": True}


def mark_off(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[SESSION_KEY] = {"user": request.user.pk, "on": False}

"""What every development page shares: the access decorator and small helpers."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from saleshelm.core.errors import ApplicationError
from saleshelm.core.errors import PermissionDenied as CorePermissionDenied
from saleshelm.development.permissions import COACHES, COACHING_READERS
from saleshelm.development.services.common import org_today
from saleshelm.web.access import deny, member_required

COACH_ROLES = frozenset(str(r) for r in COACHES)
READER_ROLES = frozenset(str(r) for r in COACHING_READERS)
LEADER_ROLES = frozenset({"admin", "director"})


def page(
    view: Callable | None = None,
    *,
    roles: Iterable[str] | None = None,
    post_only: bool = False,
    access: Callable | None = None,
):
    """Signed in, a member, the right role; a service's refusal is a 403 page (logged), an
    object the member cannot see a 404 (``member_required``).

    With ``access`` (the ``access_<entity>`` selector), a page about one object (``pk``)
    looks the object up before the role is looked at: an object the member cannot see
    answers 404 to every role, like one of another organisation, so a 403 never confirms
    that a record exists (SPEC §11.1)."""
    allowed = None if roles is None else frozenset(str(r) for r in roles)

    def decorator(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(request, *args, **kwargs):
            if post_only and request.method != "POST":
                from django.http import HttpResponseNotAllowed

                return HttpResponseNotAllowed(["POST"])
            if allowed is not None and request.membership.role not in allowed:
                pk = kwargs.get("pk")
                if access is not None and pk is not None:
                    with contextlib.suppress(CorePermissionDenied):
                        access(actor=request.membership, id=pk)
                deny(request)
            try:
                return fn(request, *args, **kwargs)
            except CorePermissionDenied as exc:
                deny(request, reason=exc.code)

        return member_required(wrapper)

    return decorator(view) if view is not None else decorator


def today_for(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return timezone.localdate()
    return org_today(membership.organisation)


def back(request, fallback: str, *args, **kwargs):
    """Redirect to ``next`` when it is one of our own pages, else to ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback, *args, **kwargs)


def report(request, exc: ApplicationError) -> None:
    messages.error(request, exc.message)

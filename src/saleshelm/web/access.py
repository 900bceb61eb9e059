"""Access checks shared by every page: signed in, a member of the current organisation,
and the role the page needs. A hidden link is not access control; these are."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import render

from saleshelm.core.errors import NotFound

security_log = logging.getLogger("saleshelm.security")


def member_required(view: Callable) -> Callable:
    """Signed in and holding an active membership in the current organisation.

    Without a membership the page says so (403) instead of showing an empty organisation."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "membership", None) is None:
            return render(request, "web/no_membership.html", status=403)
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            # Same answer for "missing" and "another organisation's" (SPEC §11.1).
            raise Http404(exc.message) from None

    return wrapper


def role_required(roles: Iterable[str]) -> Callable[[Callable], Callable]:
    """Only these roles; any other member gets 403 (and the refusal is logged)."""
    allowed = frozenset(str(r) for r in roles)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.membership.role not in allowed:
                deny(request)
            return view(request, *args, **kwargs)

        return member_required(wrapper)

    return decorator


def deny(request, reason: str = "role") -> None:
    membership = getattr(request, "membership", None)
    security_log.warning(
        "permission denied path=%s membership=%s role=%s reason=%s",
        request.path,
        getattr(membership, "pk", None),
        getattr(membership, "role", None),
        reason,
    )
    raise DjangoPermissionDenied

"""Content-Security-Policy: everything from our own origin, no inline script (SPEC §11.8);
and the hold on a session whose second factor is pending."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django_htmx.http import HttpResponseClientRedirect

from saleshelm.web import second_factor

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # The interactive API docs page ships its own inline bootstrap script.
        if not request.path.startswith("/api/v1/docs"):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response


class SecondFactorMiddleware:
    """Holds a session whose second factor is pending (see ``saleshelm.web.second_factor``).

    While the code is pending the session reaches only the code prompt, signing out, the
    language switch and the health check: every other page redirects to the prompt, and the
    API (which accepts the session as well as bearer tokens) sees no signed-in member, so it
    answers 401 to the session while a bearer token still works. Where the organisation
    requires a second factor of the member's role and they have none, only the pages that
    turn it on are open."""

    OPEN_WHILE_CODE_PENDING = frozenset(
        {"web:login_code", "web:logout", "web:health", "set_language"}
    )
    OPEN_WHILE_ENROLMENT_PENDING = frozenset(
        {
            "web:account_security",
            "web:second_factor_start",
            "web:second_factor_setup",
            "web:switch_organisation",
            "web:logout",
            "web:health",
            "set_language",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.second_factor_hold = None
        if request.user.is_authenticated:
            if second_factor.code_pending(request):
                request.second_factor_hold = second_factor.HOLD_CODE
                # Not a member of anything until the code is in: nothing can be read or written.
                request.membership = None
                return self._hold(request, "web:login_code", self.OPEN_WHILE_CODE_PENDING)
            if second_factor.enrolment_pending(request):
                request.second_factor_hold = second_factor.HOLD_ENROL
                return self._hold(
                    request, "web:account_security", self.OPEN_WHILE_ENROLMENT_PENDING
                )
        return self.get_response(request)

    def _hold(self, request, target: str, open_views: frozenset[str]):
        try:
            view_name = resolve(request.path_info).view_name
        except Resolver404:
            view_name = None
        if view_name in open_views:
            return self.get_response(request)
        if view_name and view_name.startswith("api:"):
            # The session does not count; the API authenticates a bearer token on its own.
            request.user = AnonymousUser()
            request.membership = None
            return self.get_response(request)
        url = reverse(target)
        if request.method == "GET" and target == "web:login_code":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)

"""Puts the signed-in user's current membership on the request as ``request.membership``,
and shows times in its organisation's time zone."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone

SESSION_KEY = "saleshelm_org"


def current_membership(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from saleshelm.tenancy.selectors import memberships_of_user

    memberships = memberships_of_user(user).select_related("user")
    wanted = request.session.get(SESSION_KEY)
    chosen = None
    if wanted is not None:
        chosen = memberships.filter(organisation_id=wanted).first()
    if chosen is None:
        chosen = memberships.first()
        if chosen is not None:
            request.session[SESSION_KEY] = chosen.organisation_id
    return chosen


class MembershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a request with a session cookie can carry a signed-in user; API calls with a
        # bearer token skip the lookup and get their membership from the token.
        request.membership = current_membership(request)
        if request.membership is None:
            return self.get_response(request)
        # A deal created at 08:00 in Hà Nội is shown at 08:00 on that day, not at 01:00 UTC.
        try:
            zone = zoneinfo.ZoneInfo(request.membership.organisation.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

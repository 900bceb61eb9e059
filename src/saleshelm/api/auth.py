"""API authentication: personal bearer tokens, or the web session (with CSRF) for htmx pages."""

import logging

from django.conf import settings
from ninja.security import APIKeyCookie, HttpBearer

from saleshelm.tenancy.services import token_authenticate

security_log = logging.getLogger("saleshelm.security")


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token: str):
        membership = token_authenticate(token)
        if membership is None:
            security_log.warning("api token rejected path=%s", request.path)
            return None
        request.membership = membership
        return membership


class SessionAuth(APIKeyCookie):
    """The signed-in web user acting in their current organisation; CSRF is checked."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request, key):
        membership = getattr(request, "membership", None)
        if request.user.is_authenticated and membership is not None:
            return membership
        return None


api_auth = [TokenAuth(), SessionAuth()]

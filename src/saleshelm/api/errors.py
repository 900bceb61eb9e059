"""One error shape for the whole API: ``{"code": ..., "message": ...}`` with a stable code."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DataError, IntegrityError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from saleshelm.core.errors import ApplicationError

log = logging.getLogger("saleshelm.api")
security_log = logging.getLogger("saleshelm.security")


def _field_of(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "filters")]
    return ".".join(parts)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApplicationError)
    def application_error(request, exc: ApplicationError):
        if exc.status == 403:
            security_log.warning(
                "forbidden path=%s method=%s actor=%s",
                request.path,
                request.method,
                getattr(getattr(request, "auth", None), "pk", None),
            )
        body = exc.as_dict()
        if exc.status == 422:
            # The same shape as a schema validation error: one entry per field.
            body.setdefault("errors", [{"field": exc.field or "", "message": exc.message}])
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(OverflowError)
    @api.exception_handler(DataError)
    def cannot_be_stored(request, exc):
        # A value the database cannot hold: a number beyond 64 bits (an id of 30 digits, an
        # offset of 2**80) or, on PostgreSQL, text with a NUL character. Nothing was written.
        log.info("value cannot be stored path=%s: %s", request.path, exc)
        message = (
            "A value in the request cannot be stored: a number out of range "
            "or a character that is not allowed."
        )
        return api.create_response(
            request,
            {"code": "invalid", "message": message, "errors": [{"field": "", "message": message}]},
            status=422,
        )

    @api.exception_handler(IntegrityError)
    def integrity_error(request, exc):
        # Two requests raced for the same unique key (or SQLite refused a value's type):
        # the transaction was rolled back; the client may read again and retry.
        if "datatype mismatch" in str(exc):  # SQLite's word for an integer beyond 64 bits
            return cannot_be_stored(request, exc)
        log.info("integrity error path=%s: %s", request.path, exc)
        return api.create_response(
            request,
            {
                "code": "conflict",
                "message": "The request conflicts with the data as it is now; nothing was changed.",
            },
            status=409,
        )

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        errors = [
            {"field": _field_of(e.get("loc", ())), "message": str(e.get("msg", "invalid"))}
            for e in exc.errors
        ]
        first = errors[0] if errors else {"field": "", "message": "invalid"}
        message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
        return api.create_response(
            request, {"code": "invalid", "message": message, "errors": errors}, status=422
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return api.create_response(
            request,
            {"code": "unauthenticated", "message": "Sign in or send a valid API token."},
            status=401,
        )

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(
            request, {"code": "not_found", "message": "Not found."}, status=404
        )

    @api.exception_handler(DjangoPermissionDenied)
    def forbidden(request, exc):
        security_log.warning("forbidden path=%s method=%s", request.path, request.method)
        return api.create_response(
            request,
            {"code": "forbidden", "message": "You do not have permission to do this."},
            status=403,
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code = {
            400: "bad_request",
            401: "unauthenticated",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
            409: "conflict",
        }.get(exc.status_code, "error")
        return api.create_response(
            request, {"code": code, "message": str(exc)}, status=exc.status_code
        )

    @api.exception_handler(Exception)
    def server_error(request, exc):
        log.exception("unhandled API error path=%s", request.path)
        return api.create_response(
            request,
            {"code": "server_error", "message": "Something went wrong on our side."},
            status=500,
        )

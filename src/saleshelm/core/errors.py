"""One error type for business rules, mapped to JSON by the API and to form errors on pages."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A rule was broken; ``code`` is stable and documented, ``message`` is for people."""

    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        field: str | None = None,
        extra: dict[str, Any] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
        self.extra = extra or {}
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            data["field"] = self.field
        data.update(self.extra)
        return data


class NotFound(ApplicationError):
    """Same answer for "does not exist" and "belongs to another organisation"."""

    status = 404

    def __init__(self, what: str = "Object") -> None:
        super().__init__(f"{what} not found.", code="not_found")


class PermissionDenied(ApplicationError):
    status = 403

    def __init__(self, message: str = "You do not have permission to do this.") -> None:
        super().__init__(message, code="forbidden")


class Conflict(ApplicationError):
    status = 409

    def __init__(self, message: str, *, code: str = "conflict") -> None:
        super().__init__(message, code=code)

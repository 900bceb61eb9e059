"""Shared API schema pieces."""

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str


class FieldError(Schema):
    field: str
    message: str


class ValidationErrorOut(Schema):
    code: str
    message: str
    errors: list[FieldError]


class Ref(Schema):
    id: int
    name: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


# What any operation may answer besides its own success: the shared error handlers
# (saleshelm.api.errors) produce these whatever the router declares.
COMMON_ERRORS = {
    400: ("Bad request", ErrorOut),
    401: ("No valid session or API token", ErrorOut),
    403: ("The role may not do this", ErrorOut),
    404: ("Not found (or another organisation's)", ErrorOut),
    409: ("Conflicts with the current state", ErrorOut),
    422: ("Invalid input, one entry per field", ValidationErrorOut),
}

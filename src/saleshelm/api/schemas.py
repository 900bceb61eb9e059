"""Shared API schema pieces."""

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str


class Ref(Schema):
    id: int
    name: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}

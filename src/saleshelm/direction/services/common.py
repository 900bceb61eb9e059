"""Validation and audit helpers shared by the direction services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, models, transaction

from saleshelm.core.errors import ApplicationError, Conflict
from saleshelm.core.periods import Period, parse_period
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Organisation
from saleshelm.tenancy.services import full_clean_or_raise

VALUE_LIMIT = Decimal(10) ** 16  # DecimalField(max_digits=20, decimal_places=4)
MAX_LIST_ITEMS = 30
MAX_ITEM_LENGTH = 300


def clean_text(value: str | None, field: str, *, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if max_length is not None and len(text) > max_length:
        raise ApplicationError(
            f"{field} is longer than {max_length} characters", field=field, code="too_long"
        )
    return text


def require_text(value: str | None, field: str, *, max_length: int | None = None) -> str:
    text = clean_text(value, field, max_length=max_length)
    if not text:
        raise ApplicationError(f"{field} is required", field=field, code="required")
    return text


def clean_list(
    values: Iterable[Any] | None,
    field: str,
    *,
    max_items: int = MAX_LIST_ITEMS,
    max_length: int = MAX_ITEM_LENGTH,
) -> list[str]:
    """A list of short texts: trimmed, blanks and repeats dropped, order kept."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in values or []:
        if not isinstance(raw, str):
            raise ApplicationError(f"{field} must be a list of texts", field=field)
        item = raw.strip()
        if not item or item.casefold() in seen:
            continue
        if len(item) > max_length:
            raise ApplicationError(
                f"{field}: keep each item under {max_length} characters",
                field=field,
                code="too_long",
            )
        seen.add(item.casefold())
        out.append(item)
    if len(out) > max_items:
        raise ApplicationError(f"{field}: at most {max_items} items", field=field, code="too_many")
    return out


def clean_decimal(
    value: Decimal | int | str | None, field: str, *, positive: bool = False
) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except ArithmeticError:
        raise ApplicationError(
            f"{field} must be a number", field=field, code="invalid_number"
        ) from None
    if not number.is_finite():
        raise ApplicationError(f"{field} must be a number", field=field, code="invalid_number")
    if abs(number) >= VALUE_LIMIT:
        raise ApplicationError(f"{field} is too large", field=field, code="too_large")
    if positive and number <= 0:
        raise ApplicationError(f"{field} must be above zero", field=field, code="not_positive")
    return number.quantize(Decimal("0.0001"))


def organisation_of(actor: Actor) -> Organisation:
    org = getattr(actor, "organisation", None)
    if isinstance(org, Organisation):
        return org
    return Organisation.objects.get(pk=actor.organisation_id)


def resolve_period(actor: Actor, text: str, field: str = "period") -> Period:
    org = organisation_of(actor)
    try:
        return parse_period(text, fiscal_start_month=org.fiscal_year_start_month)
    except ApplicationError as exc:
        raise ApplicationError(exc.message, field=field, code="invalid_period") from None


def same_org(actor: Actor, obj: models.Model | None, field: str) -> None:
    """A related object of another organisation is "not found", never a hint it exists."""
    if obj is not None and getattr(obj, "organisation_id", None) != actor.organisation_id:
        raise ApplicationError(f"{field} not found", field=field, code="not_found")


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attr = field.attname if isinstance(field, models.ForeignKey) else name
        out[name] = jsonable(getattr(obj, attr))
    return out


def save_validated(obj: models.Model, *, exclude: Iterable[str] = (), what: str) -> None:
    """full_clean, then save; a unique clash found by the database is a 409, not a 500."""
    full_clean_or_raise(obj, exclude=list(exclude), validate_unique=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        raise Conflict(f"this {what} clashes with an existing one", code="exists") from None


def unique_name(model, actor: Actor, name: str, *, exclude_pk: int | None = None) -> None:
    qs = model.objects.filter(organisation_id=actor.organisation_id, name__iexact=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise Conflict(f"{name!r} already exists", code="exists")

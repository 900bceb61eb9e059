"""Helpers shared by the crm services: ids, validation, owner checks, audit snapshots."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Literal, cast, overload

from django.db import IntegrityError, models, transaction

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.core.money import is_currency
from saleshelm.crm.permissions import may_act_for, require_can_edit, require_record_writer
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import full_clean_or_raise

FOUR_PLACES = Decimal("0.0001")
MONEY_LIMIT = Decimal(10) ** 16  # DecimalField(max_digits=20, decimal_places=4)


def new_external_id(prefix: str) -> str:
    """An id for records created in the app (imports bring their own)."""
    return f"{prefix}-{secrets.token_hex(5).upper()}"


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def require_text(value: str | None, field: str) -> str:
    text = clean_text(value)
    if not text:
        raise ApplicationError(f"{field} is required", field=field, code="required")
    return text


def clean_currency(value: str | None, *, default: str, field: str = "currency") -> str:
    code = clean_text(value).upper() or default
    if not is_currency(code):
        raise ApplicationError(
            f"{field}: {value!r} is not an ISO 4217 currency code such as USD or VND",
            field=field,
            code="invalid_currency",
        )
    return code


def check_money(value: Decimal | None, field: str, *, allow_negative: bool = False) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ApplicationError(
            f"{field} must be a decimal number", field=field, code="invalid_number"
        )
    if value.copy_abs() >= MONEY_LIMIT:  # copy_abs: no context, no Overflow
        raise ApplicationError(f"{field} is too large", field=field, code="too_large")
    if not allow_negative and value < 0:
        raise ApplicationError(f"{field} cannot be negative", field=field, code="negative")


def check_fraction(value: Decimal | None, field: str) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal) or not value.is_finite() or not (0 <= value <= 1):
        raise ApplicationError(
            f"{field} must be a fraction between 0 and 1", field=field, code="invalid_fraction"
        )


def same_org(actor: Actor, obj: models.Model | None, field: str) -> None:
    """A related object of another organisation is "not found", never a hint it exists."""
    if obj is not None and getattr(obj, "organisation_id", None) != actor.organisation_id:
        raise ApplicationError(f"{field} not found", field=field, code="not_found")


@overload
def resolve_owner(
    actor: Actor, owner: Membership | None, *, required: Literal[True]
) -> Membership: ...
@overload
def resolve_owner(
    actor: Actor, owner: Membership | None, *, required: bool
) -> Membership | None: ...
def resolve_owner(actor: Actor, owner: Membership | None, *, required: bool) -> Membership | None:
    """The owner of a new record: given (if the actor may give records to them) or the actor."""
    if owner is None:
        if isinstance(actor, SystemActor):
            if required:
                raise ApplicationError("owner is required", field="owner", code="required")
            return None
        if actor.role == "rep" or required:
            return actor
        return None
    same_org(actor, owner, "owner")
    if not owner.is_active:
        raise ApplicationError("owner is not an active member", field="owner", code="inactive")
    if not may_act_for(actor=actor, member_id=owner.pk):
        raise PermissionDenied("You can give records only to yourself or your team.")
    return owner


def check_owner_change(
    actor: Actor, record: models.Model, new_owner: Membership | None, *, required: bool
) -> None:
    if new_owner is None and required:
        raise ApplicationError("owner is required", field="owner", code="required")
    if new_owner is None:
        return
    same_org(actor, new_owner, "owner")
    if not new_owner.is_active:
        raise ApplicationError("owner is not an active member", field="owner", code="inactive")
    if not may_act_for(actor=actor, member_id=new_owner.pk):
        raise PermissionDenied("You can give records only to yourself or your team.")


def require_edit(actor: Actor, record: models.Model) -> None:
    require_can_edit(actor, getattr(record, "owner_id", None))


def require_writer(actor: Actor) -> None:
    require_record_writer(actor)


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    out = {}
    for name in fields:
        field = cast(models.Field, obj._meta.get_field(name))  # concrete fields only
        if field.is_relation and field.many_to_one:
            out[name] = getattr(obj, field.attname)
        else:
            out[name] = jsonable(getattr(obj, name))
    return out


def apply_changes(obj: models.Model, changes: dict[str, Any]) -> list[str]:
    """Set the given fields; answer the names of those whose value really changed."""
    changed = []
    for name, value in changes.items():
        field = cast(models.Field, obj._meta.get_field(name))  # concrete fields only
        current = getattr(obj, field.attname) if field.is_relation else getattr(obj, name)
        new = value.pk if field.is_relation and isinstance(value, models.Model) else value
        if current != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def save_validated(
    obj: models.Model,
    *,
    exclude: Iterable[str] = (),
    what: str = "record",
    update_fields: Iterable[str] | None = None,
) -> None:
    """full_clean (without uniqueness; the database checks it) then save; a unique clash is 409."""
    full_clean_or_raise(
        obj, exclude=list(exclude), validate_unique=False, validate_constraints=False
    )
    try:
        with transaction.atomic():
            if update_fields is not None:
                obj.save(update_fields=[*update_fields, "updated_at"])
            else:
                obj.save()
    except IntegrityError as exc:
        text = str(exc).lower()
        if "external_id" in text or "unique" in text:
            raise Conflict(
                f"This {what} clashes with an existing one (same id or name).", code="exists"
            ) from None
        raise ApplicationError(
            f"This {what} breaks a rule of the database.", code="invalid"
        ) from None


def check_shares(
    shares: list[tuple[Membership, Decimal]], *, actor: Actor, field: str = "splits"
) -> None:
    """Credit splits: distinct active members of the organisation, fractions summing to exactly 1."""
    seen = set()
    total = Decimal(0)
    for member, share in shares:
        same_org(actor, member, field)
        if not member.is_active:
            raise ApplicationError(
                f"{member.email} is not an active member", field=field, code="inactive"
            )
        if member.pk in seen:
            raise ApplicationError(f"{member.email} appears twice", field=field, code="duplicate")
        seen.add(member.pk)
        if not isinstance(share, Decimal) or not share.is_finite() or not (0 < share <= 1):
            raise ApplicationError(
                "each share is a fraction above 0 and at most 1",
                field=field,
                code="invalid_fraction",
            )
        if share != share.quantize(FOUR_PLACES):
            raise ApplicationError(
                "shares have at most 4 decimal places", field=field, code="invalid_fraction"
            )
        total += share
    if shares and total != 1:
        raise ApplicationError(
            f"split shares must sum to 1 (100%), not {total}", field=field, code="splits_sum"
        )

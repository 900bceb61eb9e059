"""Helpers shared by the development services."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.db import models
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, NotFound
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership, Organisation

MAX_TEXT = 10_000


def clean_text(
    value: str | None, *, field: str, required: bool = False, limit: int = MAX_TEXT
) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(f"{field} is required", field=field, code="required")
    if len(text) > limit:
        # The message never repeats the text itself: it may be a coaching note.
        raise ApplicationError(
            f"{field} is longer than {limit:,} characters", field=field, code="too_long"
        )
    return text


def check_level(value: int | None, *, field: str, required: bool = False) -> int | None:
    if value is None:
        if required:
            raise ApplicationError(f"{field} is required", field=field, code="required")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ApplicationError(f"{field} must be a level from 1 to 5", field=field)
    return value


def same_org(actor: Actor, obj: models.Model | None, what: str) -> None:
    """An object of another organisation is "not found", like a missing one."""
    if obj is not None and getattr(obj, "organisation_id", None) != actor.organisation_id:
        raise NotFound(what)


def active_member(actor: Actor, member: Membership | None, *, field: str) -> Membership:
    if member is None:
        raise ApplicationError(f"{field} is required", field=field, code="required")
    same_org(actor, member, "Member")
    if not member.is_active:
        raise ApplicationError(f"{field}: this member is no longer active", field=field)
    return member


def actor_membership(actor: Actor) -> Membership | None:
    return actor if isinstance(actor, Membership) else None


def organisation_of(actor: Actor) -> Organisation:
    org = getattr(actor, "organisation", None)
    if isinstance(org, Organisation):
        return org
    return Organisation.objects.get(pk=actor.organisation_id)


def org_today(organisation: Organisation) -> dt.date:
    """Today in the organisation's time zone: a signal day starts at the team's midnight."""
    try:
        tz = zoneinfo.ZoneInfo(organisation.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return timezone.localtime(timezone.now(), tz).date()

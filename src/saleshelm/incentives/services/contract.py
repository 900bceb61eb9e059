"""Writes of the psychological contract (SPEC §7): commitments of both sides, their status,
and renegotiation that keeps the history. Every change is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from saleshelm.core.periods import Period, parse_period
from saleshelm.incentives.models.contract import (
    KINDS_BY_SIDE,
    Commitment,
    CommitmentStatus,
    Side,
)
from saleshelm.incentives.selectors import contract as sel
from saleshelm.incentives.selectors.recognition import is_person, organisation_of
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record

DECIDED = (CommitmentStatus.KEPT, CommitmentStatus.MISSED)
FIRST_YEAR, LAST_YEAR = 2000, 2999


def _text(value: str | None, *, field: str, required: bool, max_length: int) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(f"{field}: write something", code="required", field=field)
    if len(text) > max_length:
        raise ApplicationError(
            f"{field}: at most {max_length} characters", code="too_long", field=field
        )
    return text


def _period(actor: Actor, text: str | Period) -> Period:
    if isinstance(text, Period):
        return text
    org = organisation_of(actor)
    try:
        period = parse_period(str(text or ""), fiscal_start_month=org.fiscal_year_start_month)
    except ApplicationError as exc:
        raise ApplicationError(exc.message, code="invalid_period", field="period") from None
    except (ValueError, OverflowError):  # "9999-12" ends in a year no calendar has
        raise ApplicationError(
            "period: out of range", code="invalid_period", field="period"
        ) from None
    if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
        raise ApplicationError(
            f"period: between {FIRST_YEAR} and {LAST_YEAR}", code="invalid_period", field="period"
        )
    return period


def _require_party(actor: Actor, member: Membership) -> None:
    if member.organisation_id != actor.organisation_id:
        raise NotFound("Member")
    if not sel.can_write_commitments(actor=actor, member=member):
        raise PermissionDenied(
            "The member and their managers write the member's commitments; others read them."
        )


def _owner(actor: Actor, member: Membership, side: str, owner: Membership | None) -> Membership:
    """The salesperson owns their side; the organisation's side is owned by someone else
    in the organisation (by default the person writing it down, when that is not the member)."""
    if side == Side.MEMBER:
        if owner is not None and owner.pk != member.pk:
            raise ApplicationError(
                "owner: the salesperson owns their own commitments", code="invalid", field="owner"
            )
        return member
    if owner is None:
        if not is_person(actor) or actor.pk == member.pk:
            raise ApplicationError(
                "owner: say who in the organisation keeps this commitment",
                code="required",
                field="owner",
            )
        owner = actor  # type: ignore[assignment]
    assert owner is not None
    if owner.organisation_id != actor.organisation_id or not owner.is_active:
        raise ApplicationError("owner not found", code="not_found", field="owner")
    if owner.pk == member.pk:
        raise ApplicationError(
            "owner: the organisation's commitments are kept by someone else",
            code="invalid",
            field="owner",
        )
    return owner


def _check_due(period: Period, due_date: dt.date) -> None:
    if not period.contains(due_date):
        raise ApplicationError(
            f"due_date: falls within {period.key} ({period.start} to {period.end})",
            code="invalid",
            field="due_date",
        )


def snapshot(c: Commitment) -> dict[str, Any]:
    return {
        "member": c.member_id,
        "period": c.period,
        "side": c.side,
        "kind": c.kind,
        "title": c.title,
        "description": c.description,
        "owner": c.owner_id,
        "due_date": c.due_date.isoformat(),
        "status": c.status,
        "status_note": c.status_note,
        "replaces": c.replaces_id,
    }


@transaction.atomic
def commitment_create(
    *,
    actor: Actor,
    member: Membership,
    period: str | Period,
    side: str,
    kind: str,
    title: str,
    due_date: dt.date,
    description: str = "",
    owner: Membership | None = None,
    replaces: Commitment | None = None,
) -> Commitment:
    _require_party(actor, member)
    if not member.is_active:
        raise ApplicationError("member: this member has left", code="inactive", field="member")
    if side not in Side.values:
        raise ApplicationError("side must be member or organisation", field="side")
    if kind not in KINDS_BY_SIDE[side]:
        raise ApplicationError(
            f"kind: one of {', '.join(KINDS_BY_SIDE[side])} for this side",
            code="invalid",
            field="kind",
        )
    p = _period(actor, period)
    _check_due(p, due_date)
    commitment = Commitment.objects.create(
        organisation_id=actor.organisation_id,
        member=member,
        period=p.key,
        period_start=p.start,
        period_end=p.end,
        side=side,
        kind=kind,
        title=_text(title, field="title", required=True, max_length=200),
        description=_text(description, field="description", required=False, max_length=2000),
        owner=_owner(actor, member, side, owner),
        due_date=due_date,
        replaces=replaces,
        created_by=actor if is_person(actor) else None,
    )
    audit_record(
        actor=actor, action="commitment.create", obj=commitment, after=snapshot(commitment)
    )
    return commitment


def _lock(actor: Actor, commitment: Commitment) -> Commitment:
    if commitment.organisation_id != actor.organisation_id:
        raise NotFound("Commitment")
    locked = (
        Commitment.objects.select_for_update()
        .select_related("member", "owner")
        .get(pk=commitment.pk)
    )
    _require_party(actor, locked.member)
    return locked


@transaction.atomic
def commitment_update(
    *,
    actor: Actor,
    commitment: Commitment,
    title: str | None = None,
    description: str | None = None,
    due_date: dt.date | None = None,
    owner: Membership | None = None,
) -> Commitment:
    """Fix the wording of an open commitment. Changing what was promised after the fact is a
    renegotiation (``commitment_renegotiate``), which keeps the old terms."""
    c = _lock(actor, commitment)
    if c.status != CommitmentStatus.OPEN:
        raise Conflict("Only an open commitment can be edited.", code="not_open")
    before = snapshot(c)
    if title is not None:
        c.title = _text(title, field="title", required=True, max_length=200)
    if description is not None:
        c.description = _text(description, field="description", required=False, max_length=2000)
    if due_date is not None:
        _check_due(Period(c.period_start, c.period_end, c.period, ""), due_date)
        c.due_date = due_date
    if owner is not None:
        c.owner = _owner(actor, c.member, c.side, owner)
    c.save()
    audit_record(actor=actor, action="commitment.update", obj=c, before=before, after=snapshot(c))
    return c


@transaction.atomic
def commitment_set_status(
    *, actor: Actor, commitment: Commitment, status: str, note: str = ""
) -> Commitment:
    """Record whether a commitment was kept or missed (usually at a check-in), or reopen a
    decision taken by mistake. A renegotiated commitment stays renegotiated."""
    c = _lock(actor, commitment)
    allowed = (*DECIDED, CommitmentStatus.OPEN)
    if status not in allowed:
        raise ApplicationError(
            "status: kept, missed or open (renegotiate to change the terms)",
            code="invalid",
            field="status",
        )
    if c.status == CommitmentStatus.RENEGOTIATED:
        raise Conflict(
            "This commitment was renegotiated: its replacement is what counts.",
            code="renegotiated",
        )
    if c.status == status:
        raise Conflict(f"This commitment is {status} already.", code="unchanged")
    before = snapshot(c)
    c.status = status
    c.status_note = _text(note, field="note", required=False, max_length=1000)
    c.status_changed_at = timezone.now()
    c.status_changed_by = actor if is_person(actor) else None
    c.save()
    audit_record(
        actor=actor,
        action="commitment.status",
        obj=c,
        before=before,
        after=snapshot(c),
        reason=c.status_note,
    )
    return c


@transaction.atomic
def commitment_renegotiate(
    *,
    actor: Actor,
    commitment: Commitment,
    title: str | None = None,
    due_date: dt.date,
    note: str,
    period: str | Period | None = None,
    description: str | None = None,
    owner: Membership | None = None,
) -> Commitment:
    """New terms for an open commitment: the old one keeps its words and becomes
    ``renegotiated``; the new terms are a new commitment that ``replaces`` it."""
    c = _lock(actor, commitment)
    if c.status != CommitmentStatus.OPEN:
        raise Conflict("Only an open commitment can be renegotiated.", code="not_open")
    why = _text(note, field="note", required=True, max_length=1000)
    before = snapshot(c)
    c.status = CommitmentStatus.RENEGOTIATED
    c.status_note = why
    c.status_changed_at = timezone.now()
    c.status_changed_by = actor if is_person(actor) else None
    c.save()
    audit_record(
        actor=actor,
        action="commitment.renegotiate",
        obj=c,
        before=before,
        after=snapshot(c),
        reason=why,
    )
    return commitment_create(
        actor=actor,
        member=c.member,
        period=period or Period(c.period_start, c.period_end, c.period, ""),
        side=c.side,
        kind=c.kind,
        title=title if title is not None else c.title,
        description=description if description is not None else c.description,
        due_date=due_date,
        owner=owner or c.owner,
        replaces=c,
    )

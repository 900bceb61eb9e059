"""Writes of forecasts: a member's submission (a new row each time) and a manager's override."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django.db import transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.core.money import parse_decimal
from saleshelm.core.periods import Period
from saleshelm.crm.models import ForecastCategory
from saleshelm.performance.models import ForecastOverride, ForecastSubmission
from saleshelm.performance.permissions import (
    may_override_member,
    may_override_team,
    require_forecaster,
)
from saleshelm.performance.services.targets import VALUE_LIMIT, _period
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record

FOUR = Decimal("0.0001")
MAX_NOTE = 2000


def _amount(raw: Any, field: str = "amount") -> Decimal:
    value = parse_decimal(raw, field=field)
    if value < 0:
        raise ApplicationError(f"{field} cannot be negative", code="negative", field=field)
    if value >= VALUE_LIMIT:
        raise ApplicationError(f"{field} is too large", code="too_large", field=field)
    if value != value.quantize(FOUR):
        raise ApplicationError(
            f"{field} has at most 4 decimal places", code="invalid_number", field=field
        )
    return value


def _breakdown(raw: dict[str, Any] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in (raw or {}).items():
        if key not in ForecastCategory.values:
            raise ApplicationError(
                f"{key!r} is not a forecast category; one of {', '.join(ForecastCategory.values)}",
                code="invalid_choice",
                field="breakdown",
            )
        out[key] = str(_amount(value, f"breakdown.{key}"))
    return out


@transaction.atomic
def forecast_submit(
    *,
    actor: Actor,
    period: str | Period,
    amount: Decimal | str | int,
    breakdown: dict[str, Any] | None = None,
    note: str = "",
) -> ForecastSubmission:
    """The actor's own call for a period; earlier submissions stay as history."""
    require_forecaster(actor)
    p = _period(actor, period)
    member = cast(Membership, actor)  # require_forecaster refuses the system
    submission = ForecastSubmission.objects.create(
        organisation_id=actor.organisation_id,
        member=member,
        period_key=p.key,
        start=p.start,
        end=p.end,
        amount=_amount(amount),
        breakdown=_breakdown(breakdown),
        note=(note or "").strip()[:MAX_NOTE],
        submitted_at=timezone.now(),
        submitted_by=member,
    )
    audit_record(
        actor=actor,
        action="forecast.submit",
        obj=submission,
        after={
            "period": p.key,
            "amount": str(submission.amount),
            "breakdown": submission.breakdown,
        },
    )
    return submission


@transaction.atomic
def forecast_override(
    *,
    actor: Actor,
    period: str | Period,
    amount: Decimal | str | int,
    reason: str,
    member: Any = None,
    team: Any = None,
) -> ForecastOverride:
    """A manager's call on a member's forecast or on a team's roll-up, with the reason."""
    p = _period(actor, period)
    if (member is None) == (team is None):
        raise ApplicationError(
            "override either a member's forecast or a team's", code="one_subject", field="member"
        )
    subject = member or team
    if subject.organisation_id != actor.organisation_id:
        raise ApplicationError("not found", code="not_found", field="member" if member else "team")
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("say why you override the forecast", code="required", field="reason")
    allowed = (
        may_override_member(actor=actor, member_id=member.pk)
        if member is not None
        else may_override_team(actor=actor, team=team)
    )
    if not allowed:
        raise PermissionDenied("You can override the forecasts of your teams' members and teams.")
    previous = (
        ForecastOverride.objects.filter(
            organisation_id=actor.organisation_id,
            period_key=p.key,
            member=member,
            team=team,
        )
        .order_by("-overridden_at", "-pk")
        .first()
    )
    override = ForecastOverride.objects.create(
        organisation_id=actor.organisation_id,
        period_key=p.key,
        start=p.start,
        end=p.end,
        member=member,
        team=team,
        amount=_amount(amount),
        reason=reason[:MAX_NOTE],
        author=None if isinstance(actor, SystemActor) else actor,
        overridden_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="forecast.override",
        obj=override,
        before=None if previous is None else {"amount": str(previous.amount)},
        after={
            "period": p.key,
            "member": getattr(member, "pk", None),
            "team": getattr(team, "pk", None),
            "amount": str(override.amount),
        },
        reason=reason[:MAX_NOTE],
    )
    return override

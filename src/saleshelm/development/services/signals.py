"""Writes around early signals: evaluate on demand, dismiss, and the thresholds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.development import signals_engine
from saleshelm.development.models import Signal, SignalSettings, SignalStatus
from saleshelm.development.permissions import (
    is_system,
    require_framework_editor,
    require_signal_evaluator,
    signal_q,
)
from saleshelm.development.services.common import organisation_of
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.services import audit_record, full_clean_or_raise

SETTING_FIELDS = {
    "behind_pace_enabled": bool,
    "behind_pace_by": Decimal,
    "behind_pace_from_day": int,
    "pace_period": str,
    "low_coverage_enabled": bool,
    "coverage_below": Decimal,
    "activity_drop_enabled": bool,
    "activity_drop_by": Decimal,
    "activity_min_weekly": int,
    "stalled_enabled": bool,
    "stalled_days": int,
    "no_next_step_enabled": bool,
    "no_next_step_grace_days": int,
    "commitments_enabled": bool,
    "escalate_after_days": int,
}
LIMITS = {
    "behind_pace_by": (Decimal(0), Decimal(1)),
    "activity_drop_by": (Decimal(0), Decimal(1)),
    "coverage_below": (Decimal(0), Decimal(100)),
    "behind_pace_from_day": (1, 92),
    "activity_min_weekly": (0, 1000),
    "stalled_days": (1, 365),
    "no_next_step_grace_days": (0, 90),
    "escalate_after_days": (0, 60),
}


def _snapshot(s: SignalSettings) -> dict[str, Any]:
    return {name: str(getattr(s, name)) for name in SETTING_FIELDS}


@transaction.atomic
def signal_settings_update(*, actor: Actor, **values: Any) -> SignalSettings:
    require_framework_editor(actor)
    settings, _ = SignalSettings.objects.select_for_update().get_or_create(
        organisation_id=actor.organisation_id
    )
    before = _snapshot(settings)
    for name, value in values.items():
        if value is None:
            continue
        kind = SETTING_FIELDS.get(name)
        if kind is None:
            raise ApplicationError(f"{name} is not a signal setting", field=name)
        if kind is bool:
            value = bool(value)
        elif kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ApplicationError(f"{name} must be a whole number", field=name)
        elif kind is Decimal:
            try:
                value = Decimal(str(value))
            except ArithmeticError:
                raise ApplicationError(f"{name} must be a number", field=name) from None
            if not value.is_finite():
                raise ApplicationError(f"{name} must be a number", field=name)
        elif name == "pace_period" and value not in {"month", "quarter"}:
            raise ApplicationError("pace_period must be month or quarter", field=name)
        if name in LIMITS:
            low, high = LIMITS[name]
            if not low <= value <= high:
                raise ApplicationError(f"{name} must be between {low} and {high}", field=name)
        setattr(settings, name, value)
    full_clean_or_raise(settings, exclude=["organisation"])
    settings.save()
    after = _snapshot(settings)
    if after != before:
        audit_record(
            actor=actor, action="signal_settings.update", obj=settings, before=before, after=after
        )
    return settings


def signals_evaluate(
    *, actor: Actor, today: dt.date | None = None, now: dt.datetime | None = None
) -> signals_engine.EvaluationResult:
    """Run every rule for the actor's organisation now (idempotent)."""
    require_signal_evaluator(actor)
    result = signals_engine.evaluate(organisation=organisation_of(actor), today=today, now=now)
    audit_record(
        actor=actor,
        action="signals.evaluate",
        object_type="organisation",
        object_id=actor.organisation_id,
        after={"raised": result.raised, "resolved": result.resolved, "escalated": result.escalated},
    )
    return result


@transaction.atomic
def signal_dismiss(*, actor: Actor, signal: Signal) -> Signal:
    """Quieten an open signal; it stays quiet while its condition holds."""
    if (
        not is_system(actor)
        and not Signal.objects.filter(pk=signal.pk).filter(signal_q(actor)).exists()
    ):
        raise PermissionDenied("You cannot dismiss this signal.")
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status != SignalStatus.OPEN:
        raise Conflict("this signal is not open", code="closed")
    signal.status = SignalStatus.DISMISSED
    signal.resolution = "dismissed"
    signal.resolved_at = timezone.now()
    signal.dismissed_by = None if is_system(actor) else actor
    signal.save(update_fields=["status", "resolution", "resolved_at", "dismissed_by", "updated_at"])
    audit_record(actor=actor, action="signal.dismiss", obj=signal, after={"rule": signal.rule})
    return signal

"""API: early signals, evaluating them on demand, and the organisation's thresholds."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.development import selectors, services
from saleshelm.development.api.common import MemberRef

router = Router(tags=["signals"])

RuleName = Literal[
    "behind_pace",
    "low_coverage",
    "activity_drop",
    "stalled_deal",
    "no_next_step",
    "commitment_overdue",
]


class SignalOut(Schema):
    id: int
    rule: str
    subject: MemberRef
    object_type: str
    object_id: int
    status: str
    detail: dict[str, Any]
    raised_at: dt.datetime
    escalated_at: dt.datetime | None
    escalated_to: MemberRef | None
    resolved_at: dt.datetime | None
    resolution: str


class SignalFilters(Schema):
    status: Literal["open", "resolved", "dismissed"] | None = "open"
    rule: RuleName | None = None
    subject_id: int | None = None
    mine: bool | None = None
    escalated: bool | None = None


class RuleOutcomeOut(Schema):
    evaluated: bool
    firing: int
    raised: int
    resolved: int
    reason: str


class EvaluationOut(Schema):
    today: dt.date
    raised: int
    resolved: int
    escalated: int
    open: int
    rules: dict[str, RuleOutcomeOut]


class SettingsOut(Schema):
    behind_pace_enabled: bool
    behind_pace_by: Decimal
    behind_pace_from_day: int
    pace_period: str
    low_coverage_enabled: bool
    coverage_below: Decimal
    activity_drop_enabled: bool
    activity_drop_by: Decimal
    activity_min_weekly: int
    stalled_enabled: bool
    stalled_days: int
    no_next_step_enabled: bool
    no_next_step_grace_days: int
    commitments_enabled: bool
    escalate_after_days: int


class SettingsIn(Schema):
    behind_pace_enabled: bool | None = None
    behind_pace_by: Decimal | None = Field(None, ge=0, le=1, decimal_places=4)
    behind_pace_from_day: int | None = Field(None, ge=1, le=92)
    pace_period: Literal["month", "quarter"] | None = None
    low_coverage_enabled: bool | None = None
    coverage_below: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    activity_drop_enabled: bool | None = None
    activity_drop_by: Decimal | None = Field(None, ge=0, le=1, decimal_places=4)
    activity_min_weekly: int | None = Field(None, ge=0, le=1000)
    stalled_enabled: bool | None = None
    stalled_days: int | None = Field(None, ge=1, le=365)
    no_next_step_enabled: bool | None = None
    no_next_step_grace_days: int | None = Field(None, ge=0, le=90)
    commitments_enabled: bool | None = None
    escalate_after_days: int | None = Field(None, ge=0, le=60)


@router.get("/signals", response=list[SignalOut])
@paginate(LimitOffsetPagination)
def list_signals(request, filters: Query[SignalFilters]):
    """Your signals, and your team's once escalated to you (open ones by default)."""
    return selectors.signal_list(
        actor=request.auth,
        status=filters.status,
        rule=filters.rule,
        subject_id=filters.subject_id,
        mine=filters.mine,
        escalated=filters.escalated,
    )


@router.post("/signals/evaluate", response={200: EvaluationOut, **ERRORS})
def evaluate_signals(request):
    """Run every signal rule for the organisation now (the daily run does the same)."""
    return services.signals_evaluate(actor=request.auth).as_dict()


@router.get("/signals/{id}", response={200: SignalOut, **ERRORS})
def get_signal(request, id: int):
    return selectors.access_signal(actor=request.auth, id=id)


@router.post("/signals/{id}/dismiss", response={200: SignalOut, **ERRORS})
def dismiss_signal(request, id: int):
    actor = request.auth
    signal = selectors.access_signal(actor=actor, id=id)
    services.signal_dismiss(actor=actor, signal=signal)
    return selectors.access_signal(actor=actor, id=id)


@router.get("/signal-settings", response={200: SettingsOut, **ERRORS})
def get_signal_settings(request):
    return selectors.signal_settings(actor=request.auth)


@router.put("/signal-settings", response={200: SettingsOut, **ERRORS})
def update_signal_settings(request, payload: SettingsIn):
    return services.signal_settings_update(actor=request.auth, **payload.dict(exclude_unset=True))

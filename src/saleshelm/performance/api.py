"""API of performance: attainment and leaderboard (SPEC §6), targets, forecasts, scorecards.

Attainment and the leaderboard answer large tables fast: the rows are built as plain dicts
with pre-formatted decimal strings and sent as one JSON response (the schemas below document
them; they are not re-validated row by row). Everything else goes through the usual schemas.
"""

import datetime as dt
import json
from decimal import Decimal
from typing import Any, Literal, cast

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS, ErrorOut
from saleshelm.performance.metrics import get_metric
from saleshelm.performance.models import Target
from saleshelm.performance.selectors import attainment as attainment_selectors
from saleshelm.performance.selectors import forecasts as forecast_selectors
from saleshelm.performance.selectors import scorecards as scorecard_selectors
from saleshelm.performance.selectors import targets as target_selectors
from saleshelm.performance.selectors.attainment import fmt
from saleshelm.performance.selectors.board import Board, MemberInfo
from saleshelm.performance.services import forecasts as forecast_services
from saleshelm.performance.services import targets as target_services

router = Router()

REPORT_ERRORS = {**ERRORS, 422: ErrorOut}
PeriodField = Field(None, max_length=16, description="2026-07, 2026-Q3 or 2026 (fiscal calendar)")
MetricKey = Field("revenue", max_length=64)


def _json(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        content_type="application/json",
        status=status,
    )


# --- attainment and leaderboard ---------------------------------------------------------------


class AssigneeOut(Schema):
    type: Literal["member", "team", "territory"]
    id: int
    name: str
    email: str | None = Field(None, description="members only")
    team: str | None = Field(None, description="members only")


class ReportRowOut(Schema):
    assignee: AssigneeOut
    target: str | None
    actual: str | None
    attainment: str | None
    expected_to_date: str | None
    pacing: str | None
    rank: int


class ReportOut(Schema):
    period: str
    metric: str
    currency: str
    rows: list[ReportRowOut]


class AttainmentQuery(Schema):
    period: str | None = PeriodField
    metric: str = MetricKey
    group: str = Field("member", max_length=16, description="member, team or territory")


class LeaderboardQuery(Schema):
    period: str | None = PeriodField
    metric: str = MetricKey


@router.get(
    "/performance/attainment", response={200: ReportOut, **REPORT_ERRORS}, tags=["performance"]
)
def attainment(request, filters: Query[AttainmentQuery]):
    """Target, actual, attainment and pacing of the assignees the caller may see."""
    data = attainment_selectors.attainment_report(
        actor=request.auth, period=filters.period, metric=filters.metric, group=filters.group
    )
    return _json(data)


@router.get(
    "/performance/leaderboard", response={200: ReportOut, **REPORT_ERRORS}, tags=["performance"]
)
def leaderboard(request, filters: Query[LeaderboardQuery]):
    """Members ranked by actual, then attainment (a rep sees their team's board)."""
    data = attainment_selectors.leaderboard_report(
        actor=request.auth, period=filters.period, metric=filters.metric
    )
    return _json(data)


# --- targets ----------------------------------------------------------------------------------


class RefOut(Schema):
    type: str
    id: int
    name: str
    email: str | None = None


class CategoryRef(Schema):
    id: int
    name: str


class TargetOut(Schema):
    id: int
    metric: str
    period: str
    period_kind: str
    start: dt.date
    end: dt.date
    assignee: RefOut
    product_category: CategoryRef | None
    value: str
    distribution: str
    weights: list[str]
    allocated_from_id: int | None
    version: int

    @staticmethod
    def resolve_period(t: Target) -> str:
        return t.period_key

    @staticmethod
    def resolve_value(t: Target) -> str:
        return _target_value(t)

    @staticmethod
    def resolve_assignee(t: Target) -> dict[str, Any]:
        a = t.assignee
        if t.assignee_type == "member":
            return {
                "type": "member",
                "id": a.pk,
                "name": a.user.get_full_name(),
                "email": a.user.email,
            }
        return {"type": t.assignee_type, "id": a.pk, "name": a.name}

    @staticmethod
    def resolve_product_category(t: Target) -> dict[str, Any] | None:
        c = t.product_category
        return None if c is None else {"id": c.pk, "name": c.name}

    @staticmethod
    def resolve_weights(t: Target) -> list[str]:
        return [str(w) for w in t.weights or []]


def _target_value(t: Target) -> str:
    """The value at the metric's places when that is exact, else all 4 places."""
    places = get_metric(t.metric).places
    shown = fmt(t.value, places)
    return shown if shown is not None and Decimal(shown) == t.value else str(t.value)


class TargetFilters(Schema):
    period: str | None = PeriodField
    metric: str | None = Field(None, max_length=64)
    assignee_type: Literal["member", "team", "territory", "product_category"] | None = None
    member_id: int | None = None
    team_id: int | None = None
    territory_id: int | None = None


class TargetIn(Schema):
    metric: str = Field(..., min_length=1, max_length=64)
    period: str = Field(..., min_length=4, max_length=16)
    value: Decimal = Field(..., ge=0, max_digits=20, decimal_places=4)
    member_id: int | None = None
    team_id: int | None = None
    territory_id: int | None = None
    product_category_id: int | None = None
    distribution: Literal["even", "pattern"] = "even"
    weights: list[Decimal] | None = Field(None, max_length=12)


class TargetPatch(Schema):
    value: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=4)
    distribution: Literal["even", "pattern"] | None = None
    weights: list[Decimal] | None = Field(None, max_length=12)
    version: int | None = Field(None, ge=1)
    reason: str = Field("", max_length=500)


class AllocationIn(Schema):
    member_id: int
    value: Decimal = Field(..., ge=0, max_digits=20, decimal_places=4)


class AllocateIn(Schema):
    allocations: list[AllocationIn] | None = Field(None, max_length=5000)


class AllocatedOut(Schema):
    member_id: int
    value: str


class AllocationOut(Schema):
    target: TargetOut
    allocated: str
    difference: str
    status: Literal["over", "under", "exact", "not_additive"]
    members: list[AllocatedOut]


def _allocation(check: target_services.AllocationCheck) -> dict[str, Any]:
    return {
        "target": check.target,
        "allocated": str(check.allocated),
        "difference": str(check.difference),
        "status": check.status,
        "members": [{"member_id": m, "value": str(v)} for m, v in check.members],
    }


def _resolve_assignees(actor, payload: TargetIn) -> dict[str, Any]:
    from saleshelm.crm.models import ProductCategory
    from saleshelm.people.selectors import access_member, access_team, access_territory

    out: dict[str, Any] = {}
    if payload.member_id is not None:
        out["member"] = access_member(actor=actor, id=payload.member_id)
    if payload.team_id is not None:
        out["team"] = access_team(actor=actor, id=payload.team_id)
    if payload.territory_id is not None:
        out["territory"] = access_territory(actor=actor, id=payload.territory_id)
    if payload.product_category_id is not None:
        category = ProductCategory.objects.filter(
            organisation_id=actor.organisation_id, pk=payload.product_category_id
        ).first()
        if category is None:
            from saleshelm.core.errors import NotFound

            raise NotFound("Product category")
        out["product_category"] = category
    return out


@router.get("/targets", response=list[TargetOut], tags=["targets"])
@paginate(LimitOffsetPagination)
def list_targets(request, filters: Query[TargetFilters]):
    actor = request.auth
    period = Board(actor=actor, refresh=False).period(filters.period) if filters.period else None
    return target_selectors.target_list(
        actor=actor,
        period=period,
        metric=filters.metric,
        assignee_type=filters.assignee_type,
        member_id=filters.member_id,
        team_id=filters.team_id,
        territory_id=filters.territory_id,
    )


@router.get("/targets/{id}", response={200: TargetOut, **ERRORS}, tags=["targets"])
def get_target(request, id: int):
    return target_selectors.access_target(actor=request.auth, id=id)


@router.post("/targets", response={201: TargetOut, **REPORT_ERRORS}, tags=["targets"])
def create_target(request, payload: TargetIn):
    actor = request.auth
    target = target_services.target_create(
        actor=actor,
        metric=payload.metric,
        period=payload.period,
        value=payload.value,
        distribution=payload.distribution,
        weights=payload.weights,
        **_resolve_assignees(actor, payload),
    )
    return Status(201, target_selectors.access_target(actor=actor, id=target.pk))


@router.patch("/targets/{id}", response={200: TargetOut, **REPORT_ERRORS}, tags=["targets"])
def update_target(request, id: int, payload: TargetPatch):
    actor = request.auth
    target = target_selectors.access_target(actor=actor, id=id)
    target_services.target_update(
        actor=actor,
        target=target,
        value=payload.value,
        distribution=payload.distribution,
        weights=payload.weights,
        version=payload.version,
        reason=payload.reason,
    )
    return target_selectors.access_target(actor=actor, id=id)


@router.delete("/targets/{id}", response={204: None, **ERRORS}, tags=["targets"])
def delete_target(request, id: int):
    actor = request.auth
    target = target_selectors.access_target(actor=actor, id=id)
    target_services.target_delete(actor=actor, target=target)
    return Status(204, None)


@router.post(
    "/targets/{id}/allocate", response={200: AllocationOut, **REPORT_ERRORS}, tags=["targets"]
)
def allocate_target(request, id: int, payload: AllocateIn):
    """Share a team target out to its members (evenly among the team's reps by default)."""
    from saleshelm.people.selectors import access_member

    actor = request.auth
    target = target_selectors.access_target(actor=actor, id=id)
    allocations = None
    if payload.allocations is not None:
        allocations = [
            (access_member(actor=actor, id=a.member_id), a.value) for a in payload.allocations
        ]
    check = target_services.target_allocate(actor=actor, target=target, allocations=allocations)
    return _allocation(check)


@router.get("/targets/{id}/allocation", response={200: AllocationOut, **ERRORS}, tags=["targets"])
def target_allocation(request, id: int):
    """Over/under-allocation: the team target against its members' targets."""
    target = target_selectors.access_target(actor=request.auth, id=id)
    return _allocation(target_services.allocation_check(target=target))


# --- forecasts --------------------------------------------------------------------------------


class MemberOut(Schema):
    id: int
    name: str
    email: str


def _member_ref(m) -> dict[str, Any]:
    if isinstance(m, MemberInfo):
        return {"id": m.id, "name": m.name, "email": m.email}
    return {"id": m.pk, "name": m.user.get_full_name(), "email": m.user.email}


class ForecastOut(Schema):
    id: int
    member: MemberOut
    period: str
    amount: str
    breakdown: dict[str, str]
    note: str
    submitted_at: dt.datetime

    @staticmethod
    def resolve_member(s) -> dict[str, Any]:
        return _member_ref(s.member)

    @staticmethod
    def resolve_period(s) -> str:
        return s.period_key

    @staticmethod
    def resolve_amount(s) -> str:
        return str(s.amount)


class ForecastFilters(Schema):
    period: str | None = PeriodField
    member_id: int | None = None


class ForecastIn(Schema):
    period: str = Field(..., min_length=4, max_length=16)
    amount: Decimal = Field(..., ge=0, max_digits=20, decimal_places=4)
    breakdown: dict[Literal["pipeline", "best_case", "commit", "closed"], Decimal] = Field(
        default_factory=dict
    )
    note: str = Field("", max_length=2000)


class OverrideIn(Schema):
    period: str = Field(..., min_length=4, max_length=16)
    amount: Decimal = Field(..., ge=0, max_digits=20, decimal_places=4)
    reason: str = Field(..., min_length=1, max_length=2000)
    member_id: int | None = None
    team_id: int | None = None


class OverrideOut(Schema):
    id: int
    period: str
    member_id: int | None
    team_id: int | None
    amount: str
    reason: str
    overridden_at: dt.datetime

    @staticmethod
    def resolve_period(o) -> str:
        return o.period_key

    @staticmethod
    def resolve_amount(o) -> str:
        return str(o.amount)


class CategoryFigures(Schema):
    count: int
    amount: str
    weighted: str


class PipelineOut(Schema):
    period: str
    currency: str
    totals: dict[str, CategoryFigures]
    weighted_total: str
    members: list[dict[str, Any]]


class RollupRowOut(Schema):
    member: MemberOut
    submitted: str | None
    submitted_at: dt.datetime | None
    override: str | None
    override_reason: str | None
    forecast: str | None
    weighted_pipeline: str


class RollupOut(Schema):
    period: str
    currency: str
    team: dict[str, Any] | None
    rows: list[RollupRowOut]
    total: str
    team_override: str | None
    forecast: str


class AccuracyRowOut(Schema):
    member: MemberOut
    forecast: str
    actual: str
    variance: str
    accuracy: str | None


class AccuracyOut(Schema):
    period: str
    closed: bool
    currency: str
    rows: list[AccuracyRowOut]


class RollupQuery(Schema):
    period: str | None = PeriodField
    team_id: int | None = None


class PeriodQuery(Schema):
    period: str | None = PeriodField


def _money(value: Decimal | None) -> str | None:
    return fmt(value, 2)


def _figures_json(f: dict[str, Any]) -> dict[str, Any]:
    return {"count": f["count"], "amount": _money(f["amount"]), "weighted": _money(f["weighted"])}


@router.get("/forecasts", response=list[ForecastOut], tags=["forecasts"])
@paginate(LimitOffsetPagination)
def list_forecasts(request, filters: Query[ForecastFilters]):
    actor = request.auth
    period = Board(actor=actor, refresh=False).period(filters.period) if filters.period else None
    return forecast_selectors.forecast_list(actor=actor, period=period, member_id=filters.member_id)


@router.get("/forecasts/pipeline", response={200: PipelineOut, **REPORT_ERRORS}, tags=["forecasts"])
def forecast_pipeline(request, filters: Query[PeriodQuery]):
    """Weighted pipeline and totals by forecast category for the period."""
    from saleshelm.performance.selectors.pipeline import forecast_pipeline as pipeline

    data = pipeline(actor=request.auth, period=filters.period)
    return {
        "period": data["period"].key,
        "currency": data["currency"],
        "totals": {k: _figures_json(v) for k, v in data["totals"].items()},
        "weighted_total": _money(data["weighted_total"]),
        "members": [
            {"member_id": mid, **{k: _figures_json(v) for k, v in cats.items()}}
            for mid, cats in sorted(data["members"].items())
        ],
    }


@router.get("/forecasts/rollup", response={200: RollupOut, **REPORT_ERRORS}, tags=["forecasts"])
def forecast_rollup(request, filters: Query[RollupQuery]):
    """A team's latest submissions, overrides and total (the manager's view)."""
    data = forecast_selectors.forecast_rollup(
        actor=request.auth, period=filters.period, team_id=filters.team_id
    )
    team = data["team"]
    return {
        "period": data["period"].key,
        "currency": data["currency"],
        "team": None if team is None else {"id": team.id, "name": team.name},
        "rows": [
            {
                "member": _member_ref(r["member"]),
                "submitted": None if r["submission"] is None else _money(r["submission"].amount),
                "submitted_at": None if r["submission"] is None else r["submission"].submitted_at,
                "override": None if r["override"] is None else _money(r["override"].amount),
                "override_reason": None if r["override"] is None else r["override"].reason,
                "forecast": _money(r["forecast"]),
                "weighted_pipeline": _money(r["weighted_pipeline"]),
            }
            for r in data["rows"]
        ],
        "total": _money(data["total"]),
        "team_override": None
        if data["team_override"] is None
        else _money(data["team_override"].amount),
        "forecast": _money(data["forecast"]),
    }


@router.get("/forecasts/accuracy", response={200: AccuracyOut, **REPORT_ERRORS}, tags=["forecasts"])
def forecast_accuracy(request, filters: Query[PeriodQuery]):
    """After the period: each member's last forecast against their revenue."""
    data = forecast_selectors.forecast_accuracy(actor=request.auth, period=filters.period)
    return {
        "period": data["period"].key,
        "closed": data["closed"],
        "currency": data["currency"],
        "rows": [
            {
                "member": _member_ref(r["member"]),
                "forecast": _money(r["forecast"]),
                "actual": _money(r["actual"]),
                "variance": _money(r["variance"]),
                "accuracy": fmt(r["accuracy"], 4),
            }
            for r in data["rows"]
            if r["member"] is not None
        ],
    }


@router.post(
    "/forecasts/overrides", response={201: OverrideOut, **REPORT_ERRORS}, tags=["forecasts"]
)
def override_forecast(request, payload: OverrideIn):
    """A manager's own figure for a member's forecast or a team's roll-up, with the reason."""
    from saleshelm.people.selectors import access_member, access_team

    actor = request.auth
    member = None if payload.member_id is None else access_member(actor=actor, id=payload.member_id)
    team = None if payload.team_id is None else access_team(actor=actor, id=payload.team_id)
    override = forecast_services.forecast_override(
        actor=actor,
        period=payload.period,
        amount=payload.amount,
        reason=payload.reason,
        member=member,
        team=team,
    )
    return Status(201, override)


@router.get("/forecasts/{id}", response={200: ForecastOut, **ERRORS}, tags=["forecasts"])
def get_forecast(request, id: int):
    return forecast_selectors.access_forecast(actor=request.auth, id=id)


@router.post("/forecasts", response={201: ForecastOut, **REPORT_ERRORS}, tags=["forecasts"])
def submit_forecast(request, payload: ForecastIn):
    """Submit your own forecast for a period (each submission is kept)."""
    actor = request.auth
    submission = forecast_services.forecast_submit(
        actor=actor,
        period=payload.period,
        amount=payload.amount,
        breakdown=dict(cast("dict[str, Any]", payload.breakdown)),
        note=payload.note,
    )
    return Status(201, forecast_selectors.access_forecast(actor=actor, id=submission.pk))


# --- scorecards -------------------------------------------------------------------------------


class ScoreLineOut(Schema):
    metric: str
    label: str
    unit: str
    target: str | None
    actual: str | None
    attainment: str | None
    expected_to_date: str | None
    pacing: str | None


class ScorecardOut(Schema):
    member: MemberOut
    team: str | None
    period: str
    outcomes: list[ScoreLineOut]
    behaviours: list[ScoreLineOut]
    sections: dict[str, Any]


def _line(entry: dict[str, Any]) -> dict[str, Any]:
    m, f = entry["metric"], entry["figures"]
    return {
        "metric": m.key,
        "label": str(m.label),
        "unit": m.unit,
        "target": fmt(f.target, m.places),
        "actual": fmt(f.actual, m.places),
        "attainment": fmt(f.attainment, 4),
        "expected_to_date": fmt(f.expected_to_date, max(m.places, 2)),
        "pacing": fmt(f.pacing, 4),
    }


def _card(card: dict[str, Any]) -> dict[str, Any]:
    m: MemberInfo = card["member"]
    return {
        "member": _member_ref(m),
        "team": m.team_name,
        "period": card["period"].key,
        "outcomes": [_line(e) for e in card["outcomes"]],
        "behaviours": [_line(e) for e in card["behaviours"]],
        "sections": {
            k: {"label": str(v["label"]), "data": v["data"]} for k, v in card["sections"].items()
        },
    }


@router.get("/scorecards", response=list[ScorecardOut], tags=["scorecards"])
@paginate(LimitOffsetPagination)
def list_scorecards(request, filters: Query[PeriodQuery]):
    """Scorecards of the selling members you see, for a period (default: this month)."""
    _, cards = scorecard_selectors.scorecards(actor=request.auth, period=filters.period)
    return [_card(c) for c in cards]


@router.get("/scorecards/{id}", response={200: ScorecardOut, **REPORT_ERRORS}, tags=["scorecards"])
def get_scorecard(request, id: int, filters: Query[PeriodQuery]):
    """One member's scorecard (``id`` is the member's id)."""
    _, cards = scorecard_selectors.scorecards(
        actor=request.auth, period=filters.period, member_id=id
    )
    return _card(cards[0])

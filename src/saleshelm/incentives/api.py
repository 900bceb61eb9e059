"""API: commission plans, runs, statements and disputes (SPEC §7, §9)."""

import datetime as dt
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.core.errors import ApplicationError, NotFound
from saleshelm.incentives import services
from saleshelm.incentives.models import CommissionRun, Dispute, Plan, PlanVersion
from saleshelm.incentives.permissions import (
    require_commission_writer,
    require_pay_viewer,
    require_run_viewer,
)
from saleshelm.incentives.plans import loads
from saleshelm.incentives.selectors import disputes as dispute_selectors
from saleshelm.incentives.selectors import payroll
from saleshelm.incentives.selectors import plans as plan_selectors
from saleshelm.incentives.selectors import runs as run_selectors
from saleshelm.incentives.selectors import statements as statement_selectors

router = Router(tags=["commissions"])


# --- Plans --------------------------------------------------------------------------------------


class VersionOut(Schema):
    version: int
    effective_from: dt.date
    effective_to: dt.date | None
    currency: str
    measure: str
    pay: str


class PlanOut(Schema):
    id: int
    name: str
    version: int | None
    currency: str | None
    measure: str | None
    pay: str | None
    versions: list[VersionOut]

    @staticmethod
    def resolve_version(plan: Plan) -> int | None:
        v = plan_selectors.latest_version(plan)
        return v.version if v else None

    @staticmethod
    def resolve_currency(plan: Plan) -> str | None:
        v = plan_selectors.latest_version(plan)
        return v.currency if v else None

    @staticmethod
    def resolve_measure(plan: Plan) -> str | None:
        v = plan_selectors.latest_version(plan)
        return v.measure if v else None

    @staticmethod
    def resolve_pay(plan: Plan) -> str | None:
        v = plan_selectors.latest_version(plan)
        return v.pay if v else None

    @staticmethod
    def resolve_versions(plan: Plan) -> list[PlanVersion]:
        return sorted(plan.versions.all(), key=lambda v: v.version)


class PlanDetailOut(PlanOut):
    definition: dict[str, Any]


def _plan_detail(actor, plan: Plan) -> Plan:
    plan.definition = plan_selectors.plan_export(actor=actor, plan=plan)  # type: ignore[attr-defined]
    return plan


@router.get("/commission-plans", response=list[PlanOut])
@paginate(LimitOffsetPagination)
def list_plans(request):
    return plan_selectors.plan_list(actor=request.auth)


@router.get("/commission-plans/{id}", response={200: PlanDetailOut, **ERRORS})
def get_plan(request, id: int):
    plan = plan_selectors.access_plan(actor=request.auth, id=id)
    return _plan_detail(request.auth, plan)


@router.get("/commission-plans/{id}/export", response={200: dict[str, Any], **ERRORS})
def export_plan(request, id: int, version: int | None = None):
    """The plan's JSON exactly as it is imported (the latest version unless ``version``)."""
    plan = plan_selectors.access_plan(actor=request.auth, id=id)
    return plan_selectors.plan_export(actor=request.auth, plan=plan, version=version)


@router.post("/commission-plans", response={201: PlanDetailOut, **ERRORS})
def import_plan(request, payload: Body[dict[str, Any]]):
    """Create a plan, or a new version of the plan with that name, from its JSON (SPEC §7).
    Numbers may be strings or JSON numbers; they are read as decimals, never as floats."""
    actor = request.auth
    data = loads(request.body) if request.body else payload
    version = services.plan_import(actor=actor, data=data)
    plan = plan_selectors.access_plan(actor=actor, id=version.plan_id)
    return Status(201, _plan_detail(actor, plan))


# --- Runs ---------------------------------------------------------------------------------------


class RunOut(Schema):
    id: int
    period: str
    period_start: dt.date
    period_end: dt.date
    plan: str | None
    status: str
    calculated_at: dt.datetime | None
    approved_at: dt.datetime | None
    locked_at: dt.datetime | None
    summary: dict[str, Any]

    @staticmethod
    def resolve_plan(run: CommissionRun) -> str | None:
        return run.plan.name if run.plan is not None else None


class RunIn(Schema):
    period: str = Field(..., min_length=4, max_length=16)
    plan: str | None = Field(None, max_length=120)


class UnlockIn(Schema):
    reason: str = Field(..., max_length=2000)


@router.get("/commission-runs", response=list[RunOut])
@paginate(LimitOffsetPagination)
def list_runs(request, period: str | None = Query(None, max_length=16)):
    return run_selectors.run_list(actor=request.auth, period=period)


@router.get("/commission-runs/{id}", response={200: RunOut, **ERRORS})
def get_run(request, id: int):
    return run_selectors.access_run(actor=request.auth, id=id)


@router.post("/commission-runs", response={201: RunOut, **ERRORS})
def create_run(request, payload: RunIn):
    actor = request.auth
    require_commission_writer(actor)
    plan = None
    if payload.plan:
        try:
            plan = plan_selectors.plan_by_name(actor=actor, name=payload.plan)
        except NotFound:
            raise ApplicationError(
                f"plan: no plan named {payload.plan!r}", code="not_found", field="plan"
            ) from None
    run = services.commission_run_create(actor=actor, period=payload.period, plan=plan)
    return Status(201, run_selectors.access_run(actor=actor, id=run.pk))


def _run_action(request, id: int, action) -> CommissionRun:
    actor = request.auth
    run = run_selectors.access_run(actor=actor, id=id)
    action(actor=actor, run=run)
    return run_selectors.access_run(actor=actor, id=id)


@router.post("/commission-runs/{id}/calculate", response={200: RunOut, **ERRORS})
def calculate_run(request, id: int):
    """Calculate (or recalculate) a draft or calculated run: its statements are replaced."""
    return _run_action(request, id, services.commission_run_calculate)


@router.post("/commission-runs/{id}/approve", response={200: RunOut, **ERRORS})
def approve_run(request, id: int):
    return _run_action(request, id, services.commission_run_approve)


@router.post("/commission-runs/{id}/lock", response={200: RunOut, **ERRORS})
def lock_run(request, id: int):
    return _run_action(request, id, services.commission_run_lock)


@router.post("/commission-runs/{id}/unlock", response={200: RunOut, **ERRORS})
def unlock_run(request, id: int, payload: UnlockIn):
    """Admins only, with a reason (audited)."""
    actor = request.auth
    run = run_selectors.access_run(actor=actor, id=id)
    services.commission_run_unlock(actor=actor, run=run, reason=payload.reason)
    return run_selectors.access_run(actor=actor, id=id)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/commission-runs/{id}/payroll",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            "200": {
                "description": "One row per statement: member, plan, period, currency, total.",
                "content": {"text/csv": {"schema": {"type": "string"}}, XLSX: {}},
            }
        }
    },
)
def payroll_export(request, id: int, format: Literal["csv", "xlsx"] = "csv"):
    """The run's totals for payroll, as CSV or XLSX (no cell runs as a formula)."""
    actor = request.auth
    run = run_selectors.access_run(actor=actor, id=id)
    rows = payroll.payroll_rows(actor=actor, run=run)
    services.commission_run_payroll_exported(
        actor=actor, run=run, file_format=format, rows=len(rows)
    )
    name = f"payroll-{run.period}{'-' + run.plan.name if run.plan is not None else ''}"
    safe_name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    if format == "xlsx":
        response = HttpResponse(payroll.to_xlsx(payroll.PAYROLL_COLUMNS, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{safe_name}.xlsx"'
        return response
    response = HttpResponse(
        payroll.to_csv(payroll.PAYROLL_COLUMNS, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.csv"'
    return response


# --- Statements ---------------------------------------------------------------------------------


class StatementMemberOut(Schema):
    email: str
    name: str


class LineOut(Schema):
    kind: str
    component: str | None
    basis: str | None
    rate: str | None
    amount: str


class CreditOut(Schema):
    order: str
    line: int
    sku: str
    credited: str
    share: str


class StatementOut(Schema):
    member: StatementMemberOut
    plan: str
    currency: str
    status: str
    total: str
    lines: list[LineOut]
    credits: list[CreditOut]


class StatementsOut(Schema):
    period: str | None
    statements: list[StatementOut]


class LineDetailOut(LineOut):
    id: int
    note: str


class StatementDetailOut(StatementOut):
    id: int
    period: str
    measure_period: str
    lines: list[LineDetailOut]  # type: ignore[assignment]
    summary: dict[str, Any]


@router.get("/commission-statements", response={200: StatementsOut, **ERRORS})
def list_statements(
    request,
    period: str | None = Query(None, max_length=16),
    plan: str | None = Query(None, max_length=120),
    run: int | None = None,
):
    """``{"period": P, "statements": [...]}`` for the statements the caller may see; without
    ``period``, the latest pay period that has one."""
    actor = request.auth
    require_pay_viewer(actor)
    if run is not None:
        require_run_viewer(actor)
    if not period and run is None:
        period = statement_selectors.latest_period(actor=actor)
    statements = statement_selectors.statement_list(
        actor=actor, period=period, plan=plan, run_id=run
    )
    return statement_selectors.statements_document(period, statements)


@router.get("/commission-statements/{id}", response={200: StatementDetailOut, **ERRORS})
def get_statement(request, id: int):
    statement = statement_selectors.access_statement(actor=request.auth, id=id)
    return statement_selectors.statement_json(statement, detail=True)


# --- Disputes -----------------------------------------------------------------------------------


class DisputeLineOut(Schema):
    id: int | None
    kind: str
    component: str | None
    amount: str


class DisputeOut(Schema):
    id: int
    member: StatementMemberOut
    plan: str
    period: str
    statement_id: int | None
    line: DisputeLineOut
    comment: str
    status: str
    resolution: str
    adjustment_amount: str | None
    created_at: dt.datetime
    resolved_at: dt.datetime | None

    @staticmethod
    def resolve_member(d: Dispute) -> dict:
        return {"email": d.member.user.email, "name": d.member.name}

    @staticmethod
    def resolve_plan(d: Dispute) -> str:
        return d.plan.name

    @staticmethod
    def resolve_line(d: Dispute) -> dict:
        return {
            "id": d.line_id,
            "kind": d.line_kind,
            "component": d.line_component or None,
            "amount": str(d.line_amount.quantize(_cent(d))),
        }

    @staticmethod
    def resolve_adjustment_amount(d: Dispute) -> str | None:
        return None if d.adjustment_amount is None else str(d.adjustment_amount.quantize(_cent(d)))


def _cent(d: Dispute):
    from decimal import Decimal

    from saleshelm.core.money import minor_unit

    currency = d.statement.currency if d.statement_id and d.statement else "USD"
    return Decimal(1).scaleb(-minor_unit(currency))


class DisputeIn(Schema):
    """The line: ``line_id``, or ``plan`` + ``period`` + ``line`` (1-based, as listed)."""

    line_id: int | None = None
    plan: str | None = Field(None, max_length=120)
    period: str | None = Field(None, max_length=16)
    line: int | None = Field(None, ge=1, le=100000)
    comment: str = Field(..., min_length=1, max_length=2000)


class ResolveIn(Schema):
    action: Literal["adjust", "reject"]
    reason: str = Field(..., min_length=1, max_length=2000)
    amount: str | None = Field(None, max_length=32)


@router.get("/disputes", response=list[DisputeOut])
@paginate(LimitOffsetPagination)
def list_disputes(
    request,
    status: Literal["open", "adjusted", "rejected"] | None = None,
):
    return dispute_selectors.dispute_list(actor=request.auth, status=status).select_related(
        "statement"
    )


@router.get("/disputes/{id}", response={200: DisputeOut, **ERRORS})
def get_dispute(request, id: int):
    return dispute_selectors.access_dispute(actor=request.auth, id=id)


@router.post("/disputes", response={201: DisputeOut, **ERRORS})
def create_dispute(request, payload: DisputeIn):
    """Only the member paid by the statement disputes one of its lines."""
    actor = request.auth
    if payload.line_id is not None:
        line = statement_selectors.access_payout_line(actor=actor, id=payload.line_id)
    elif payload.plan and payload.period and payload.line:
        line = statement_selectors.own_payout_line(
            actor=actor, plan=payload.plan, period=payload.period, position=payload.line
        )
    else:
        raise ApplicationError(
            "give line_id, or plan, period and line", code="required", field="line_id"
        )
    dispute = services.dispute_create(actor=actor, line=line, comment=payload.comment)
    return Status(201, dispute_selectors.access_dispute(actor=actor, id=dispute.pk))


@router.post("/disputes/{id}/resolve", response={200: DisputeOut, **ERRORS})
def resolve_dispute(request, id: int, payload: ResolveIn):
    """Finance or an admin: ``adjust`` (the amount is paid in the next open period) or
    ``reject`` (with the reason)."""
    actor = request.auth
    dispute = dispute_selectors.access_dispute(actor=actor, id=id)
    services.dispute_resolve(
        actor=actor,
        dispute=dispute,
        action=payload.action,
        reason=payload.reason,
        amount=payload.amount,
    )
    return dispute_selectors.access_dispute(actor=actor, id=id)

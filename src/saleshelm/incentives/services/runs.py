"""Commission runs: create, calculate, approve, lock, unlock (SPEC §7, §11.4–5).

``draft → calculated → approved → locked``. Calculating (and recalculating) a draft or
calculated run replaces its statements and gives identical results on identical data; the
run row is locked (``select_for_update``) for the whole calculation so two calculations of
one run follow each other, and the unique (plan, member, period) constraint on statements
turns a clash between two different runs into a clear ``Conflict``. Approved and locked
runs refuse recalculation; only an admin unlocks a locked run, with a reason, audited.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict
from saleshelm.core.periods import parse_period
from saleshelm.incentives.models import CommissionRun, Plan, RunStatus, Statement
from saleshelm.incentives.permissions import require_commission_writer, require_unlocker
from saleshelm.incentives.services.calculation import RunCalculation, write
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Organisation
from saleshelm.tenancy.services import audit_record


def _snapshot(run: CommissionRun) -> dict:
    return {
        "period": run.period,
        "plan": run.plan.name if run.plan is not None else None,
        "status": run.status,
    }


def _organisation(actor: Actor) -> Organisation:
    if isinstance(actor, SystemActor):
        return actor.organisation
    return Organisation.objects.get(pk=actor.organisation_id)


def _period(org: Organisation, text: str):
    try:
        return parse_period(text, fiscal_start_month=org.fiscal_year_start_month)
    except (ValueError, OverflowError):  # a year past 9999
        raise ApplicationError(
            f"{text!r} is out of range", code="invalid_period", field="period"
        ) from None


def _membership(actor: Actor):
    return None if isinstance(actor, SystemActor) else actor


@transaction.atomic
def commission_run_create(*, actor: Actor, period: str, plan: Plan | None = None) -> CommissionRun:
    """A draft run of a period (month, quarter or year), for one plan or for all."""
    require_commission_writer(actor)
    org = _organisation(actor)
    parsed = _period(org, period)
    if plan is not None and plan.organisation_id != org.pk:
        raise ApplicationError("Unknown plan.", code="not_found", field="plan")
    existing = CommissionRun.objects.filter(
        organisation_id=org.pk, period=parsed.key, plan=plan
    ).first()
    if existing is not None:
        raise Conflict(
            f"A run of {parsed.key} for {'plan ' + plan.name if plan else 'all plans'} "
            f"already exists (#{existing.pk}, {existing.status}).",
            code="run_exists",
        )
    try:
        with transaction.atomic():
            run = CommissionRun.objects.create(
                organisation_id=org.pk,
                period=parsed.key,
                period_start=parsed.start,
                period_end=parsed.end,
                plan=plan,
                created_by=_membership(actor),
            )
    except IntegrityError:
        raise Conflict(f"A run of {parsed.key} already exists.", code="run_exists") from None
    audit_record(actor=actor, action="commission_run.create", obj=run, after=_snapshot(run))
    return run


def commission_run_get_or_create(
    *, actor: Actor, period: str, plan: Plan | None = None
) -> CommissionRun:
    """The run of that period and plan, created if absent (the CLI runs a period this way)."""
    require_commission_writer(actor)
    org = _organisation(actor)
    parsed = _period(org, period)
    run = CommissionRun.objects.filter(organisation_id=org.pk, period=parsed.key, plan=plan).first()
    if run is not None:
        return run
    try:
        return commission_run_create(actor=actor, period=period, plan=plan)
    except Conflict:
        # Created meanwhile by a concurrent call: the same run serves both.
        return CommissionRun.objects.get(organisation_id=org.pk, period=parsed.key, plan=plan)


def _lock(actor: Actor, run: CommissionRun) -> CommissionRun:
    return (
        CommissionRun.objects.select_for_update(of=("self",))
        .select_related("plan")
        .get(pk=run.pk, organisation_id=actor.organisation_id)
    )


@transaction.atomic
def commission_run_calculate(*, actor: Actor, run: CommissionRun) -> CommissionRun:
    require_commission_writer(actor)
    run = _lock(actor, run)
    if run.status not in (RunStatus.DRAFT, RunStatus.CALCULATED):
        raise Conflict(
            f"Run {run.period} is {run.status}: approved and locked runs are not "
            "recalculated. Later changes become adjustments in the next open period.",
            code="run_closed",
        )
    before = _snapshot(run)
    started = timezone.now()
    calculation = RunCalculation(run, _organisation(actor), started)
    computed = calculation.compute()
    summary = write(run, computed, started)
    summary["warnings"] = calculation.warnings[:200]
    summary["skipped"] = calculation.skipped[:200]
    run.status = RunStatus.CALCULATED
    run.calculated_at = started
    run.summary = summary
    run.save(update_fields=["status", "calculated_at", "summary", "updated_at"])
    audit_record(
        actor=actor,
        action="commission_run.calculate",
        obj=run,
        before=before,
        after={**_snapshot(run), "statements": summary["statements"], "totals": summary["totals"]},
    )
    return run


@transaction.atomic
def commission_run_approve(*, actor: Actor, run: CommissionRun) -> CommissionRun:
    require_commission_writer(actor)
    run = _lock(actor, run)
    if run.status != RunStatus.CALCULATED:
        raise Conflict(
            f"Only a calculated run can be approved; this one is {run.status}.",
            code="invalid_status",
        )
    before = _snapshot(run)
    now = timezone.now()
    Statement.objects.filter(run=run).update(status=RunStatus.APPROVED, updated_at=now)
    run.status = RunStatus.APPROVED
    run.approved_at = now
    run.approved_by = _membership(actor)
    run.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    audit_record(
        actor=actor, action="commission_run.approve", obj=run, before=before, after=_snapshot(run)
    )
    return run


@transaction.atomic
def commission_run_lock(*, actor: Actor, run: CommissionRun) -> CommissionRun:
    require_commission_writer(actor)
    run = _lock(actor, run)
    if run.status != RunStatus.APPROVED:
        raise Conflict(
            f"Only an approved run can be locked; this one is {run.status}.", code="invalid_status"
        )
    before = _snapshot(run)
    now = timezone.now()
    Statement.objects.filter(run=run).update(status=RunStatus.LOCKED, updated_at=now)
    run.status = RunStatus.LOCKED
    run.locked_at = now
    run.locked_by = _membership(actor)
    run.save(update_fields=["status", "locked_at", "locked_by", "updated_at"])
    audit_record(
        actor=actor, action="commission_run.lock", obj=run, before=before, after=_snapshot(run)
    )
    return run


@transaction.atomic
def commission_run_unlock(*, actor: Actor, run: CommissionRun, reason: str) -> CommissionRun:
    """Back to ``calculated`` so the run can be recalculated: an admin, with a reason."""
    require_unlocker(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("Say why the run is unlocked.", code="required", field="reason")
    if len(reason) > 2000:
        raise ApplicationError("reason: at most 2000 characters", code="too_long", field="reason")
    run = _lock(actor, run)
    if run.status != RunStatus.LOCKED:
        raise Conflict(
            f"Only a locked run can be unlocked; this one is {run.status}.", code="invalid_status"
        )
    before = _snapshot(run)
    Statement.objects.filter(run=run).release(
        status=RunStatus.CALCULATED, updated_at=timezone.now()
    )
    run.status = RunStatus.CALCULATED
    run.locked_at = None
    run.locked_by = None
    run.approved_at = None
    run.approved_by = None
    run.save(
        update_fields=[
            "status",
            "locked_at",
            "locked_by",
            "approved_at",
            "approved_by",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="commission_run.unlock",
        obj=run,
        before=before,
        after=_snapshot(run),
        reason=reason,
    )
    return run


def commission_run_payroll_exported(
    *, actor: Actor, run: CommissionRun, file_format: str, rows: int
) -> None:
    """Pay data left SalesHelm: who took which run's payroll file, in which format (audited
    like every other step of a run, SPEC §11.9)."""
    audit_record(
        actor=actor,
        action="commission_run.payroll_export",
        obj=run,
        after={"format": file_format, "rows": rows, "status": run.status},
    )

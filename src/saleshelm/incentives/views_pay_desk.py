"""The pay desk (SPEC §7): finance creates, calculates, approves and locks commission runs,
takes the payroll file, and settles the disputes reps raise on their statement lines.

Every write is the service the API and the CLI call (``commission_run_*``, ``dispute_*``), so
the rules (a locked run accepts no write, only an admin unlocks, only the member paid by a
statement disputes its lines) live once; a refusal is shown on the page, never a 500. As on
the other pay pages, an object of another organisation (or out of the member's sight) is a
404 before any 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.incentives import services
from saleshelm.incentives.forms import DisputeForm, ResolveForm, RunCreateForm, UnlockForm
from saleshelm.incentives.models import DisputeStatus, RunStatus
from saleshelm.incentives.permissions import can_manage_commissions, can_unlock
from saleshelm.incentives.selectors import disputes as dispute_sel
from saleshelm.incentives.selectors import payroll
from saleshelm.incentives.selectors import plans as plan_sel
from saleshelm.incentives.selectors import runs as run_sel
from saleshelm.incentives.selectors import statements as statement_sel
from saleshelm.incentives.views_motivation import page, require
from saleshelm.tenancy.roles import Role

RUN_VIEWERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.FINANCE})
WRITERS = frozenset({Role.ADMIN, Role.FINANCE})
PAY_ROLES = frozenset(r for r in Role.values if r != Role.VIEWER)
ACTIONS = {
    "calculate": services.commission_run_calculate,
    "approve": services.commission_run_approve,
    "lock": services.commission_run_lock,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def error_text(exc: ApplicationError) -> str:
    """The service's refusal in the reader's language (the service speaks English to logs and
    the API); an unknown code shows the service's own words."""
    known = {
        "run_closed": _(
            "This run is approved or locked: it is not recalculated. Later changes become "
            "adjustments in the next open period."
        ),
        "locked": _(
            "This run is locked: locked periods never change. Corrections become adjustments "
            "in the next open period."
        ),
        "run_exists": _("A run of this period and plan already exists."),
        "invalid_period": _("This is not a period: write a month, a quarter or a year."),
        "dispute_open": _("This line already has an open dispute."),
        "forbidden": _("You may not do this."),
    }
    return str(known.get(exc.code, exc.message))


def _status_error(run, action: str) -> str:
    return _("A %(status)s run cannot be %(action)s.") % {
        "status": run.get_status_display().lower(),
        "action": {
            "calculate": _("calculated"),
            "approve": _("approved"),
            "lock": _("locked"),
            "unlock": _("unlocked"),
        }[action],
    }


# --- runs ---------------------------------------------------------------------------------


@page(roles=RUN_VIEWERS)
def runs(request):
    """Every run of the organisation, newest period first: its plan, status and totals."""
    actor = request.membership
    items = list(run_sel.run_list(actor=actor)[:200])
    return render(
        request,
        "incentives/pay/runs.html",
        {"runs": items, "can_manage": can_manage_commissions(actor=actor)},
    )


@page(roles=WRITERS)
def run_create(request):
    actor = request.membership
    plans = list(plan_sel.plan_list(actor=actor))
    form = RunCreateForm(request.POST or None, plans=plans)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.commission_run_create(
                actor=actor,
                period=form.cleaned_data["period"],
                plan=form.cleaned_data["plan"],
            )
        except ApplicationError as exc:
            form.add_error("period" if exc.field in (None, "period") else None, error_text(exc))
        else:
            messages.success(
                request,
                _("Run %(period)s created. Calculate it to write the statements.")
                % {"period": created.period},
            )
            return redirect("motivation:run", pk=created.pk)
    return render(request, "incentives/pay/run_form.html", {"form": form})


@page
def run(request, pk: int):
    """A run, its statements (member, payout, lines) and the steps its status allows."""
    actor = request.membership
    item = run_sel.access_run(actor=actor, id=pk)
    statements = list(statement_sel.run_statement_rows(actor=actor, run_id=item.pk))
    totals = (item.summary or {}).get("totals", {})
    return render(
        request,
        "incentives/pay/run.html",
        {
            "run": item,
            "statements": statements,
            "totals": sorted(totals.items()),
            "warnings": (item.summary or {}).get("warnings", [])[:20],
            "can_manage": can_manage_commissions(actor=actor),
            "can_unlock": can_unlock(actor=actor),
            "can_calculate": item.status in (RunStatus.DRAFT, RunStatus.CALCULATED),
            "unlock_form": UnlockForm(),
            "open_disputes": dispute_sel.dispute_list(
                actor=actor, status=DisputeStatus.OPEN
            ).count(),
        },
    )


@page(post_only=True)
def run_action(request, pk, action: str):
    """Calculate, approve or lock: the service decides whether the run's status allows it."""
    actor = request.membership
    item = run_sel.access_run(actor=actor, id=int(pk))
    require(request, can_manage_commissions(actor=actor))
    step = ACTIONS.get(action)
    if step is None:
        return redirect("motivation:run", pk=item.pk)
    try:
        done = step(actor=actor, run=item)
    except ApplicationError as exc:
        if exc.code == "invalid_status":
            messages.error(request, _status_error(item, action))
        else:
            messages.error(request, error_text(exc))
    else:
        text = {
            "calculate": _("Run %(period)s calculated: %(n)s statements."),
            "approve": _("Run %(period)s approved."),
            "lock": _("Run %(period)s locked: its statements never change now."),
        }[action]
        messages.success(
            request,
            text % {"period": done.period, "n": (done.summary or {}).get("statements", 0)},
        )
    return redirect("motivation:run", pk=item.pk)


@page(post_only=True)
def run_unlock(request, pk: int):
    """Only an admin, with a reason (audited)."""
    actor = request.membership
    item = run_sel.access_run(actor=actor, id=pk)
    require(request, can_unlock(actor=actor))
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the run is unlocked."))
        return redirect("motivation:run", pk=item.pk)
    try:
        services.commission_run_unlock(actor=actor, run=item, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        if exc.code == "invalid_status":
            messages.error(request, _status_error(item, "unlock"))
        elif exc.code == "required":
            messages.error(request, _("Say why the run is unlocked."))
        else:
            messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Run %(period)s unlocked: it is calculated again and may be recalculated.")
            % {"period": item.period},
        )
    return redirect("motivation:run", pk=item.pk)


@page
def run_payroll(request, pk: int):
    """The payroll file of a run (CSV, or XLSX with ``?format=xlsx``), the same rows as
    ``GET /api/v1/commission-runs/{id}/payroll``; audited as commission_run.payroll_export."""
    actor = request.membership
    item = run_sel.access_run(actor=actor, id=pk)
    file_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    rows = payroll.payroll_rows(actor=actor, run=item)
    services.commission_run_payroll_exported(
        actor=actor, run=item, file_format=file_format, rows=len(rows)
    )
    name = f"payroll-{item.period}{'-' + item.plan.name if item.plan is not None else ''}"
    safe_name = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
    if file_format == "xlsx":
        response = HttpResponse(payroll.to_xlsx(payroll.PAYROLL_COLUMNS, rows), content_type=XLSX)
    else:
        response = HttpResponse(
            payroll.to_csv(payroll.PAYROLL_COLUMNS, rows), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{file_format}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- disputes -----------------------------------------------------------------------------


@page(post_only=True)
def line_dispute(request, pk: int):
    """A rep disputes one line of their own statement. With htmx the line's dispute cell
    answers in place; without, back to the statement with a message."""
    actor = request.membership
    line = statement_sel.access_payout_line(actor=actor, id=pk)
    require(request, line.statement.member_id == actor.pk, reason="not_own_statement")
    form = DisputeForm(request.POST, prefix=f"line{line.pk}")
    dispute = None
    if form.is_valid():
        try:
            dispute = services.dispute_create(
                actor=actor, line=line, comment=form.cleaned_data["comment"]
            )
        except ApplicationError as exc:
            form.add_error("comment", error_text(exc))
    if request.htmx:
        disputes = [dispute] if dispute is not None else []
        return render(
            request,
            "incentives/pay/_line_dispute.html",
            {
                "ln": line,
                "form": form,
                "line_disputes": disputes,
                "can_dispute": dispute is None,
                "just_sent": dispute is not None,
            },
        )
    if dispute is not None:
        messages.success(request, _("Your dispute was sent to finance."))
    else:
        errors = form.errors.get("comment") or [_("Say what is wrong with this line.")]
        messages.error(request, str(errors[0]))
    return redirect(reverse("motivation:statement", args=[line.statement_id]) + f"#line-{line.pk}")


@page(roles=PAY_ROLES)
def disputes(request):
    """Disputes the member may see, open ones first (finance and admins settle them)."""
    actor = request.membership
    status = request.GET.get("status") or ""
    if status not in DisputeStatus.values:
        status = ""
    qs = dispute_sel.dispute_list(actor=actor, status=status or None).select_related("statement")
    items = list(dispute_sel.open_first(qs)[:300])
    return render(
        request,
        "incentives/pay/disputes.html",
        {
            "disputes": items,
            "status": status,
            "statuses": DisputeStatus.choices,
            "can_manage": can_manage_commissions(actor=actor),
        },
    )


@page
def dispute(request, pk: int):
    """One dispute: the line as it was disputed, the member's words, and finance's answer."""
    actor = request.membership
    item = dispute_sel.access_dispute(actor=actor, id=pk)
    can_resolve = can_manage_commissions(actor=actor) and item.status == DisputeStatus.OPEN
    form = None
    if request.method == "POST":
        require(request, can_manage_commissions(actor=actor))
        form = ResolveForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                settled = services.dispute_resolve(
                    actor=actor,
                    dispute=item,
                    action=data["action"],
                    reason=data["reason"],
                    amount=data["amount"] if data["action"] == "adjust" else None,
                )
            except ApplicationError as exc:
                if exc.code == "invalid_status":
                    messages.error(request, _("This dispute was already settled."))
                    return redirect("motivation:dispute", pk=item.pk)
                form.add_application_error(exc)
            else:
                if settled.status == DisputeStatus.ADJUSTED:
                    messages.success(
                        request,
                        _(
                            "Dispute settled: the adjustment is paid in the next open period "
                            "calculated."
                        ),
                    )
                else:
                    messages.success(request, _("Dispute rejected; the member sees your note."))
                return redirect("motivation:dispute", pk=item.pk)
    elif can_resolve:
        form = ResolveForm(initial={"action": "adjust"})
    currency = item.statement.currency if item.statement is not None else None
    return render(
        request,
        "incentives/pay/dispute.html",
        {
            "dispute": item,
            "form": form if can_resolve else None,
            "currency": currency or actor.organisation.currency,
        },
    )

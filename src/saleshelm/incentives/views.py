"""Pay pages (SPEC §7): a rep's statements and the statement itself (every payout line, the
credit lines behind it, adjustments and clawbacks, print-friendly); the plan form with its
payout curve; and the "this deal would earn you X" fragment for an opportunity.

Same selectors and services as the API; every view checks (a hidden link is not access
control): a viewer sees no pay (403), a rep their own, a manager their subtree, finance,
directors and admins all of it; plans are written by finance and admins.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError
from saleshelm.incentives.charts import curve_svg, explain
from saleshelm.incentives.forms import NEW_PLAN_INITIAL, PlanForm, initial_from
from saleshelm.incentives.models import DisputeStatus, LineKind, RunStatus
from saleshelm.incentives.permissions import can_manage_commissions
from saleshelm.incentives.selectors import disputes as dispute_sel
from saleshelm.incentives.selectors import plans as plan_sel
from saleshelm.incentives.selectors import statements as statement_sel
from saleshelm.incentives.selectors.deal_preview import deal_preview
from saleshelm.incentives.selectors.recognition import org_today
from saleshelm.incentives.services import plan_import
from saleshelm.incentives.views_motivation import page, require
from saleshelm.tenancy.roles import Role

PAY_ROLES = frozenset(r for r in Role.values if r != Role.VIEWER)
PLAN_WRITERS = frozenset({Role.ADMIN, Role.FINANCE})
ADJUSTING = (LineKind.ADJUSTMENT, LineKind.CLAWBACK)


# --- statements ---------------------------------------------------------------------------


@page(roles=PAY_ROLES)
def pay(request):
    """The statements of a pay period the member may see (their own for a rep)."""
    actor = request.membership
    period = (request.GET.get("period") or "").strip()[:16] or statement_sel.latest_period(
        actor=actor
    )
    statements = list(statement_sel.statement_list(actor=actor, period=period)) if period else []
    periods = statement_sel.visible_periods(actor=actor)
    return render(
        request,
        "incentives/pay/statements.html",
        {
            "period": period,
            "periods": periods,
            "statements": statements,
            "own_only": actor.role == Role.REP,
            "can_manage": can_manage_commissions(actor=actor),
        },
    )


@page
def statement(request, pk: int):
    s = statement_sel.access_statement(actor=request.membership, id=pk)
    lines = list(s.lines.all())
    credits = list(s.credits.all())
    components = (s.summary or {}).get("components", {})
    own = s.member_id == request.membership.pk
    disputes = dispute_sel.statement_disputes(actor=request.membership, statement_id=s.pk)
    by_line: dict[int, list] = {}
    for d in disputes:
        if d.line_id is not None:
            by_line.setdefault(d.line_id, []).append(d)
    for ln in lines:
        mine = by_line.get(ln.pk, [])
        ln.line_disputes = mine  # type: ignore[attr-defined]
        ln.can_dispute = (  # type: ignore[attr-defined]
            own
            and s.status != RunStatus.DRAFT
            and not any(d.status == DisputeStatus.OPEN for d in mine)
        )
    return render(
        request,
        "incentives/pay/statement.html",
        {
            "statement": s,
            "lines": [ln for ln in lines if ln.kind not in ADJUSTING],
            "corrections": [ln for ln in lines if ln.kind in ADJUSTING],
            "credits": credits,
            "credited_total": sum((c.credited for c in credits), start=0),
            "components": components,
            "warnings": (s.summary or {}).get("warnings", []),
            "own": own,
            "disputes": disputes,
            "show_disputes": own or bool(disputes),
        },
    )


# --- plans --------------------------------------------------------------------------------


@page(roles=PAY_ROLES)
def plans(request):
    actor = request.membership
    items = []
    for plan in plan_sel.plan_list(actor=actor):
        version = plan_sel.latest_version(plan)
        items.append({"plan": plan, "version": version})
    return render(
        request,
        "incentives/pay/plans.html",
        {"items": items, "can_manage": can_manage_commissions(actor=actor)},
    )


def _plan_form_page(request, *, plan=None):
    actor = request.membership
    version = plan_sel.latest_version(plan) if plan is not None else None
    base = dict(version.definition) if version is not None else {}
    if request.method == "POST":
        form = PlanForm(request.POST, actor=actor, base=base)
        previewing = "preview" in request.POST
        if form.is_valid() and not previewing:
            try:
                saved = plan_import(actor=actor, data=form.definition)
            except ApplicationError as exc:  # e.g. a member of another organisation
                form.add_application_error(exc)
            else:
                messages.success(
                    request,
                    _("%(plan)s saved as version %(v)s.")
                    % {"plan": saved.plan.name, "v": saved.version},
                )
                return redirect("motivation:plan_edit", pk=saved.plan_id)
    else:
        if version is not None:
            members = [a.member_id for a in version.assignments.all()]
            initial = initial_from(base, members)
            initial["effective_from"] = org_today(actor.organisation).isoformat()
        else:
            initial = {**NEW_PLAN_INITIAL, "currency": actor.organisation.currency}
            initial["effective_from"] = org_today(actor.organisation).isoformat()
        form = PlanForm(initial=initial, actor=actor, base=base)
    component = form.preview_component()
    currency = (form.data.get("currency") if form.is_bound else None) or base.get(
        "currency", actor.organisation.currency
    )
    context = {
        "form": form,
        "plan": plan,
        "version": version,
        "tier_rows": form.tier_rows(),
        "curve": curve_svg(component, currency.upper()[:3]) if component else None,
        "explanation": explain(component, currency.upper()[:3]) if component else [],
        "kept": _kept(base),
        "title": _("Edit %(plan)s") % {"plan": plan.name} if plan else _("New commission plan"),
    }
    template = "incentives/pay/plan_form.html"
    if request.htmx and request.htmx.target == "plan-preview":
        template = "incentives/pay/_plan_preview.html"
    return render(request, template, context)


def _kept(base: dict) -> list[str]:
    out = []
    extra = (base.get("components") or [])[1:]
    if extra:
        out.append(
            _("Other components: %(names)s") % {"names": ", ".join(c["name"] for c in extra)}
        )
    first = (base.get("components") or [{}])[0]
    if first.get("bonuses"):
        out.append(_("Bonuses of the first component: %(n)s") % {"n": len(first["bonuses"])})
    if first.get("filters"):
        out.append(_("Filters of the first component"))
    if base.get("spiffs"):
        out.append(_("SPIFFs: %(names)s") % {"names": ", ".join(s["name"] for s in base["spiffs"])})
    if base.get("manager_override"):
        out.append(_("Manager override %(rate)s") % {"rate": base["manager_override"]["rate"]})
    if base.get("draw"):
        out.append(_("Draw %(amount)s") % {"amount": base["draw"]["amount"]})
    return out


@page(roles=PLAN_WRITERS)
def plan_create(request):
    return _plan_form_page(request)


@page
def plan_edit(request, pk: int):
    plan = plan_sel.access_plan(actor=request.membership, id=pk)
    require(request, can_manage_commissions(actor=request.membership))
    return _plan_form_page(request, plan=plan)


# --- feedback at deal time ----------------------------------------------------------------


@page
def deal_earnings(request, pk: int):
    """A small fragment for the opportunity page: what this deal would earn and where it
    takes the member's attainment (404 for a deal the member cannot see, then 403 for a
    role that sees no pay)."""
    actor = request.membership
    preview = deal_preview(actor=actor, opportunity_id=pk, today=org_today(actor.organisation))
    return render(
        request,
        "incentives/pay/_deal_earnings.html",
        {"preview": preview, "own": preview.member.pk == actor.pk},
    )

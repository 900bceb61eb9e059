"""Reads of statements and their JSON (SPEC §7), shared by the API and the CLI.

A rep sees their own statements, a manager those of their team subtrees and their own,
finance, admins and directors all of them, a viewer none. Decimals are strings: amounts and
money bases at the currency's minor unit, quantities as written, rates and shares with at
least two decimals (``"0.10"``, ``"1.00"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.core.money import quantize_money
from saleshelm.incentives.models import CreditLine, PayoutLine, Statement
from saleshelm.incentives.permissions import require_pay_viewer, sees_all_pay
from saleshelm.people.selectors import visible_members_q
from saleshelm.tenancy.actors import Actor


def _scoped(qs: QuerySet[Statement, Any], actor: Actor) -> QuerySet[Statement, Any]:
    if sees_all_pay(actor=actor):
        return qs
    return qs.filter(visible_members_q(actor=actor, prefix="member__"))


def _with_parts(qs: QuerySet[Statement, Any]) -> QuerySet[Statement, Any]:
    return qs.select_related("member__user", "plan").prefetch_related(
        Prefetch("lines", queryset=PayoutLine.objects.order_by("position")),
        Prefetch(
            "credits",
            queryset=CreditLine.objects.order_by("order_date", "order_ref", "line_no", "pk"),
        ),
    )


def statement_list(
    *,
    actor: Actor,
    period: str | None = None,
    plan: str | None = None,
    run_id: int | None = None,
) -> QuerySet[Statement, Any]:
    require_pay_viewer(actor)
    qs = Statement.objects.filter(organisation_id=actor.organisation_id)
    if period:
        qs = qs.filter(period=period)
    if plan:
        qs = qs.filter(plan__name=plan)
    if run_id is not None:
        qs = qs.filter(run_id=run_id)
    return _with_parts(_scoped(qs, actor)).order_by("plan__name", "member__user__email", "pk")


def run_statement_rows(*, actor: Actor, run_id: int) -> QuerySet[Statement, Any]:
    """A run's statements for its page: member, plan, total and the number of payout lines,
    counted in SQL (the lines and credits themselves are not loaded)."""
    require_pay_viewer(actor)
    qs = Statement.objects.filter(organisation_id=actor.organisation_id, run_id=run_id)
    return (
        _scoped(qs, actor)
        .select_related("member__user", "plan")
        .annotate(line_count=Count("lines"))
        .order_by("plan__name", "member__user__email", "pk")
    )


def latest_period(*, actor: Actor) -> str | None:
    """The most recent pay period with a statement the actor may see."""
    require_pay_viewer(actor)
    qs = _scoped(Statement.objects.filter(organisation_id=actor.organisation_id), actor)
    return qs.order_by("-period_end", "period").values_list("period", flat=True).first()


def visible_periods(*, actor: Actor, limit: int = 24) -> list[str]:
    """The latest pay periods with a statement the actor may see, newest first."""
    require_pay_viewer(actor)
    qs = _scoped(Statement.objects.filter(organisation_id=actor.organisation_id), actor)
    rows = qs.order_by("-period_end", "period").values_list("period", flat=True).distinct()
    return list(dict.fromkeys(rows[: limit * 4]))[:limit]


def access_statement(*, actor: Actor, id: int) -> Statement:
    base = Statement.objects.filter(organisation_id=actor.organisation_id, pk=id)
    if not base.exists():
        raise NotFound("Statement")
    require_pay_viewer(actor)
    statement = _with_parts(_scoped(base, actor)).first()
    if statement is None:
        raise NotFound("Statement")
    return statement


def access_payout_line(*, actor: Actor, id: int) -> PayoutLine:
    line = (
        PayoutLine.objects.filter(organisation_id=actor.organisation_id, pk=id)
        .select_related("statement")
        .first()
    )
    if line is None:
        raise NotFound("Statement line")
    require_pay_viewer(actor)
    if not _scoped(Statement.objects.filter(pk=line.statement_id), actor).exists():
        raise NotFound("Statement line")
    return line


def own_payout_line(*, actor: Actor, plan: str, period: str, position: int) -> PayoutLine:
    """Line ``position`` (1-based, as listed) of the actor's own statement of a plan and period."""
    line = (
        PayoutLine.objects.filter(
            organisation_id=actor.organisation_id,
            statement__member_id=actor.pk,
            statement__plan__name=plan,
            statement__period=period,
            position=position,
        )
        .select_related("statement")
        .first()
    )
    if line is None:
        raise NotFound("Statement line")
    return line


# --- JSON ---------------------------------------------------------------------------------------


def money_text(amount: Decimal | None, currency: str) -> str | None:
    return None if amount is None else str(quantize_money(amount, currency))


def fraction_text(value: Decimal | None) -> str | None:
    """A rate or share with no trailing zeros beyond two decimals: 0.1 -> "0.10"."""
    if value is None:
        return None
    text = format(value.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def quantity_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def line_json(line: PayoutLine, currency: str) -> dict:
    if line.basis is None:
        basis = None
    elif line.basis_is_quantity:
        basis = quantity_text(line.basis)
    else:
        basis = money_text(line.basis, currency)
    return {
        "kind": line.kind,
        "component": line.component or None,
        "basis": basis,
        "rate": fraction_text(line.rate),
        "amount": money_text(line.amount, currency),
    }


def credit_json(credit: CreditLine, currency: str) -> dict:
    return {
        "order": credit.order_ref,
        "line": credit.line_no,
        "sku": credit.sku,
        "credited": money_text(credit.credited, currency),
        "share": fraction_text(credit.share),
    }


def statement_json(statement: Statement, *, detail: bool = False) -> dict:
    currency = statement.currency
    out: dict[str, Any] = {
        "member": {"email": statement.member.user.email, "name": statement.member.name},
        "plan": statement.plan.name,
        "currency": currency,
        "status": statement.status,
        "total": money_text(statement.total, currency),
        "lines": [line_json(ln, currency) for ln in statement.lines.all()],
        "credits": [credit_json(c, currency) for c in statement.credits.all()],
    }
    if detail:
        out = {
            "id": statement.pk,
            "period": statement.period,
            "measure_period": statement.measure_period,
            **out,
        }
        for data, ln in zip(out["lines"], statement.lines.all(), strict=True):
            data["id"] = ln.pk
            data["note"] = ln.note
        out["summary"] = statement.summary
    return out


def statements_document(period: str | None, statements: Iterable[Statement]) -> dict:
    """``{"period": P, "statements": [...]}`` exactly as SPEC §7 shows it."""
    return {"period": period, "statements": [statement_json(s) for s in statements]}

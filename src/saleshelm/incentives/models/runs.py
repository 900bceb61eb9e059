"""Commission runs and the statements they produce (SPEC §7 "Runs and statements").

A locked statement never changes (SPEC §11.4). The services refuse it first; these models
refuse it again, whoever calls: ``save()``/``delete()`` on an instance and ``update()``/
``delete()`` on a queryset raise ``Conflict`` (code ``locked``) when a locked statement, or a
line of one, would be touched. Only ``commission_run_unlock`` (an admin, with a reason and
an audit row) releases them, through ``StatementQuerySet.release``.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saleshelm.core.errors import Conflict
from saleshelm.core.models import OrgOwned


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CALCULATED = "calculated", _("Calculated")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked")


OPEN_STATUSES = (RunStatus.DRAFT, RunStatus.CALCULATED)
CLOSED_STATUSES = (RunStatus.APPROVED, RunStatus.LOCKED)


def locked_error() -> Conflict:
    return Conflict(
        "This statement is locked: locked periods never change. Corrections become "
        "adjustments in the next open period.",
        code="locked",
    )


MONEY: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}
RATE: dict[str, Any] = {"max_digits": 20, "decimal_places": 10}
SHARE: dict[str, Any] = {"max_digits": 7, "decimal_places": 4}


class CommissionRun(OrgOwned):
    """Calculating one period (of one plan, or of all plans) for the organisation."""

    period = models.CharField(_("period"), max_length=16)
    period_start = models.DateField()
    period_end = models.DateField()
    plan = models.ForeignKey(
        "incentives.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="runs"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    calculated_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # {"statements": n, "totals": {"USD": "…"}, "warnings": [...], "skipped": [...]}
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "period", "plan"],
                condition=models.Q(plan__isnull=False),
                name="incentives_run_one_per_plan_period",
            ),
            models.UniqueConstraint(
                fields=["organisation", "period"],
                condition=models.Q(plan__isnull=True),
                name="incentives_run_one_all_plans_period",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values), name="incentives_run_status"
            ),
        ]

    def __str__(self) -> str:
        return f"run {self.period} ({self.status})"


class StatementQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(status=RunStatus.LOCKED).exists():
            raise locked_error()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=RunStatus.LOCKED).exists():
            raise locked_error()
        return super().delete()

    def release(self, **kwargs) -> int:
        """Update locked statements too: only for ``commission_run_unlock``."""
        return super().update(**kwargs)


class Statement(OrgOwned):
    """One member's pay for one pay period of one plan: exactly one per (plan, member, period)."""

    run = models.ForeignKey(CommissionRun, on_delete=models.PROTECT, related_name="statements")
    plan = models.ForeignKey("incentives.Plan", on_delete=models.PROTECT, related_name="+")
    plan_version = models.ForeignKey(
        "incentives.PlanVersion", on_delete=models.PROTECT, related_name="statements"
    )
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="commission_statements"
    )
    period = models.CharField(_("period"), max_length=16)  # the pay period, e.g. 2026-07
    period_start = models.DateField()
    period_end = models.DateField()
    measure_period = models.CharField(max_length=16)  # e.g. 2026-Q3
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(
        _("status"), max_length=12, choices=RunStatus.choices, default=RunStatus.CALCULATED
    )
    total = models.DecimalField(_("total"), **MONEY)
    # Per component: basis, quota, attainment, payout to date, paid, effective rate; the
    # earnings per (kind, component) and the draw paid: what later periods read back.
    summary = models.JSONField(default=dict, blank=True)
    calculated_at = models.DateTimeField()

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["period_start", "plan_id", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "member", "period"], name="incentives_one_statement"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RunStatus.values),
                name="incentives_statement_status",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "period"], name="incentives_stmt_org_period"),
            models.Index(fields=["plan", "member", "period_start"], name="incentives_stmt_hist"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.period} {self.total}"

    def _stored_locked(self) -> bool:
        return (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, status=RunStatus.LOCKED).exists()
        )

    def save(self, *args, **kwargs):
        if self._stored_locked():
            raise locked_error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._stored_locked():
            raise locked_error()
        return super().delete(*args, **kwargs)


class StatementPartQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(statement__status=RunStatus.LOCKED).exists():
            raise locked_error()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(statement__status=RunStatus.LOCKED).exists():
            raise locked_error()
        return super().delete()


class _StatementPart(OrgOwned):
    class Meta:
        abstract = True

    def _statement_locked(self) -> bool:
        return Statement.objects.filter(
            pk=self.statement_id,  # type: ignore[attr-defined]
            status=RunStatus.LOCKED,
        ).exists()

    def save(self, *args, **kwargs):
        if self._statement_locked():
            raise locked_error()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._statement_locked():
            raise locked_error()
        return super().delete(*args, **kwargs)


class LineKind(models.TextChoices):
    TIER = "tier", _("Tier")
    BONUS = "bonus", _("Bonus")
    SPIFF = "spiff", _("SPIFF")
    OVERRIDE = "override", pgettext_lazy("commission line", "Override")
    CLAWBACK = "clawback", _("Clawback")
    DRAW = "draw", _("Draw")
    DRAW_RECOVERY = "draw_recovery", _("Draw recovery")
    ADJUSTMENT = "adjustment", _("Adjustment")


class PayoutLine(_StatementPart):
    """One line of pay: a tier slice, bonus, SPIFF, override, clawback, draw or adjustment."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(_("kind"), max_length=16, choices=LineKind.choices)
    component = models.CharField(_("component"), max_length=120, blank=True)
    basis = models.DecimalField(_("basis"), null=True, blank=True, **MONEY)
    basis_is_quantity = models.BooleanField(default=False)
    rate = models.DecimalField(pgettext_lazy("commission", "rate"), null=True, blank=True, **RATE)
    amount = models.DecimalField(_("amount"), **MONEY)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # Adjustments: the kind of line they correct, and where they come from.
    adjusts_kind = models.CharField(max_length=16, blank=True)
    source = models.CharField(max_length=16, blank=True)
    ref_statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The disputed line an adjustment settles: an id only (lines of open statements are
    # rewritten on recalculation; the dispute keeps its own copy of the line).
    ref_line_id = models.BigIntegerField(null=True, blank=True)
    dispute = models.ForeignKey(
        "incentives.Dispute", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = StatementPartQuerySet.as_manager()

    class Meta:
        ordering = ["statement_id", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=LineKind.values), name="incentives_line_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.component} {self.amount}"


class CreditLine(_StatementPart):
    """A source order line and the credit it gave the member (negative when clawed back)."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="credits")
    source_line_id = models.BigIntegerField()  # crm OrderLine id (kept if the line goes)
    order_ref = models.CharField(_("order"), max_length=100)
    line_no = models.PositiveIntegerField(_("line"))
    sku = models.CharField(_("SKU"), max_length=64)
    order_date = models.DateField(_("order date"))
    credited = models.DecimalField(_("credited"), **MONEY)
    share = models.DecimalField(_("share"), **SHARE)

    objects = StatementPartQuerySet.as_manager()

    class Meta:
        ordering = ["statement_id", "order_date", "order_ref", "line_no", "pk"]

    def __str__(self) -> str:
        return f"{self.order_ref}/{self.line_no} {self.credited}"

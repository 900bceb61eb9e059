"""A rep's dispute of one statement line, and how finance settled it (SPEC §7)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned
from saleshelm.incentives.models.runs import MONEY


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ADJUSTED = "adjusted", _("Resolved with an adjustment")
    REJECTED = "rejected", _("Rejected")


class Dispute(OrgOwned):
    """The disputed line is copied (kind, component, amount) so the dispute still reads right
    if an open statement is recalculated; the statement link is restored after each
    recalculation. An ``adjusted`` dispute becomes an ``adjustment`` line in the next open
    period calculated after it (``placed_statement``)."""

    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="commission_disputes"
    )
    plan = models.ForeignKey("incentives.Plan", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=16)
    period_start = models.DateField()
    statement = models.ForeignKey(
        "incentives.Statement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disputes",
    )
    line = models.ForeignKey(
        "incentives.PayoutLine",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disputes",
    )
    line_kind = models.CharField(max_length=16)
    line_component = models.CharField(max_length=120, blank=True)
    line_amount = models.DecimalField(**MONEY)
    comment = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=12, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    adjustment_amount = models.DecimalField(null=True, blank=True, **MONEY)
    resolved_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    placed_statement = models.ForeignKey(
        "incentives.Statement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DisputeStatus.values),
                name="incentives_dispute_status",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "member"], name="incentives_dispute_member"),
            models.Index(fields=["organisation", "status"], name="incentives_dispute_status"),
        ]

    def __str__(self) -> str:
        return f"dispute {self.pk} {self.status}"

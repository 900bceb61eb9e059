"""Forecast submissions and managers' overrides; history is kept (SPEC §6)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned

MONEY: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}


class ForecastSubmission(OrgOwned):
    """What a member expects to close in a period. Every submission is a new row: the latest
    one counts, the earlier ones show how the call moved."""

    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="forecast_submissions"
    )
    period_key = models.CharField(_("period"), max_length=16)
    start = models.DateField()
    end = models.DateField()
    amount = models.DecimalField(_("amount"), **MONEY)  # reporting currency
    # {"commit": "…", "best_case": "…", "pipeline": "…"}: decimal strings per forecast category.
    breakdown = models.JSONField(_("by forecast category"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(
                fields=["organisation", "period_key", "member", "submitted_at"],
                name="perf_forecast_latest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.period_key} {self.amount}"


class ForecastOverride(OrgOwned):
    """A manager's own call on a member's forecast or on a team's roll-up, with the reason.

    Exactly one of ``member`` and ``team``; the latest override of the same subject wins."""

    period_key = models.CharField(_("period"), max_length=16)
    start = models.DateField()
    end = models.DateField()
    member = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forecast_overrides",
    )
    team = models.ForeignKey(
        "people.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forecast_overrides",
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.TextField(_("reason"))
    author = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overridden_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-overridden_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, team__isnull=True)
                | models.Q(member__isnull=True, team__isnull=False),
                name="perf_override_one_subject",
            )
        ]
        indexes = [models.Index(fields=["organisation", "period_key"], name="perf_override_period")]

    def __str__(self) -> str:
        return f"override {self.period_key} {self.amount}"

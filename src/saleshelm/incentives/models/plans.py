"""Commission plans: a name, its versions (effective-dated JSON), and who each version covers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class Plan(OrgOwned):
    """A plan by name; what it pays is in its versions."""

    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="incentives_plan_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PlanVersion(OrgOwned):
    """One import of a plan. The version in force on a pay period's last day governs that
    period; earlier versions keep governing the periods before."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3)
    measure = models.CharField(_("measured per"), max_length=8, choices=PeriodKind.choices)
    pay = models.CharField(_("paid per"), max_length=8, choices=PeriodKind.choices)
    clawback_days = models.PositiveIntegerField(_("clawback days"), default=0)
    # The canonical plan JSON (saleshelm.incentives.plans), without its members.
    definition = models.JSONField(_("definition"))
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="incentives_plan_version"),
        ]
        indexes = [
            models.Index(fields=["organisation", "effective_from"], name="incentives_version_from"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} v{self.version}"


class PlanAssignment(OrgOwned):
    """A member covered by a plan version over its effective dates (audited on import)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="assignments")
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="commission_assignments"
    )
    effective_from = models.DateField(_("from"))
    effective_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        ordering = ["version_id", "member_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "member"], name="incentives_assignment_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "member"], name="incentives_assign_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} on {self.version}"

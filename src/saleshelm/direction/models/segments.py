"""Target segments (ideal customer profiles) and the fit of each account and lead.

A segment is a conjunction of conditions over account fields; segments are tried in
priority order (1 first) and the first that matches is a record's segment. The grade says
how much the organisation wants that customer: A for a match of the top priority, B for
the next, C below, "" (none) for no match. Fits are stored, recomputed in bulk when rules
change (``saleshelm.direction.segments``), so reports group by them in SQL.

Fits carry no index beyond their keys: reports reach them from the record side (a join on
the unique record column), and every extra index slows the bulk rewrite of 50,000 rows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class Grade(models.TextChoices):
    A = "A", _("A: top-priority segment")
    B = "B", _("B: second-priority segment")
    C = "C", _("C: lower-priority segment")
    NONE = "", _("No segment")


class Segment(OrgOwned):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    # Conditions (all must hold; an empty one is not checked).
    industries = models.JSONField(_("industries"), default=list, blank=True)
    employees_min = models.PositiveIntegerField(_("employees from"), null=True, blank=True)
    employees_max = models.PositiveIntegerField(_("employees up to"), null=True, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    # [{"key": "source", "value": "Partner"}]: other fields of the account or lead.
    custom = models.JSONField(_("other conditions"), default=list, blank=True)

    class Meta:
        ordering = ["priority", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="direction_segment_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(priority__gte=1), name="direction_segment_priority_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(employees_min__isnull=True)
                | models.Q(employees_max__isnull=True)
                | models.Q(employees_min__lte=models.F("employees_max")),
                name="direction_segment_employee_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AccountSegmentFit(OrgOwned):
    account = models.OneToOneField(
        "crm.Account", on_delete=models.CASCADE, related_name="segment_fit"
    )
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="account_fits"
    )
    grade = models.CharField(_("fit"), max_length=1, choices=Grade.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__in=Grade.values), name="direction_account_fit_grade"
            ),
        ]


class LeadSegmentFit(OrgOwned):
    lead = models.OneToOneField("crm.Lead", on_delete=models.CASCADE, related_name="segment_fit")
    segment = models.ForeignKey(
        Segment, null=True, blank=True, on_delete=models.SET_NULL, related_name="lead_fits"
    )
    grade = models.CharField(_("fit"), max_length=1, choices=Grade.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__in=Grade.values), name="direction_lead_fit_grade"
            ),
        ]

"""Assessment cycles: a self-assessment, then the manager's, per competency (SPEC §8).

The subject sees the manager's ratings once the manager submits; the manager sees the
self-assessment once the subject submits. The gap (manager - self, and manager - expected)
is shown side by side.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class AssessmentCycle(OrgOwned):
    name = models.CharField(_("name"), max_length=120)
    opens_on = models.DateField(_("opens on"))
    self_due = models.DateField(_("self-assessment due"))
    manager_due = models.DateField(_("manager assessment due"))
    status = models.CharField(
        _("status"), max_length=8, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="dev_cycle_name_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=CycleStatus.values), name="dev_cycle_status"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AssessmentStatus(models.TextChoices):
    SELF_PENDING = "self_pending", _("Waiting for the self-assessment")
    MANAGER_PENDING = "manager_pending", _("Waiting for the manager")
    COMPLETED = "completed", _("Completed")


class Assessment(OrgOwned):
    cycle = models.ForeignKey(AssessmentCycle, on_delete=models.CASCADE, related_name="assessments")
    subject = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_assessments"
    )
    # The manager expected to assess (nearest manager when the cycle opened); any manager of
    # the subject, a director or an admin may do it.
    assessor = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dev_assessments_to_give",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.SELF_PENDING,
    )
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    manager_submitted_at = models.DateTimeField(null=True, blank=True)
    manager_summary = models.TextField(_("manager's summary"), blank=True)

    class Meta:
        ordering = ["-cycle__opens_on", "subject_id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "subject"], name="dev_assessment_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=AssessmentStatus.values),
                name="dev_assessment_status",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "subject", "status"])]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.subject_id}"

    @property
    def self_submitted(self) -> bool:
        return self.self_submitted_at is not None

    @property
    def completed(self) -> bool:
        return self.status == AssessmentStatus.COMPLETED


class AssessmentRating(OrgOwned):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(
        "development.Competency", on_delete=models.PROTECT, related_name="ratings"
    )
    expected_level = models.PositiveSmallIntegerField(null=True, blank=True)
    self_level = models.PositiveSmallIntegerField(null=True, blank=True)
    self_evidence = models.TextField(_("evidence (self)"), blank=True)
    manager_level = models.PositiveSmallIntegerField(null=True, blank=True)
    manager_evidence = models.TextField(_("evidence (manager)"), blank=True)

    class Meta:
        ordering = ["assessment_id", "competency__group__position", "competency__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="dev_rating_unique"),
            models.CheckConstraint(
                condition=(
                    (models.Q(self_level__isnull=True) | models.Q(self_level__range=(1, 5)))
                    & (models.Q(manager_level__isnull=True) | models.Q(manager_level__range=(1, 5)))
                    & (
                        models.Q(expected_level__isnull=True)
                        | models.Q(expected_level__range=(1, 5))
                    )
                ),
                name="dev_rating_levels_range",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "competency", "manager_level"])]

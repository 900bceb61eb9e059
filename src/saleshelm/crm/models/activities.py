"""Activities: the selling behaviours (calls, meetings, demos) that performance counts (SPEC §3, §6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned
from saleshelm.crm.models.common import (
    external_id_field,
    organisation_without_index,
    owner_field,
    unique_external_id,
)


class ActivityType(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("Email")
    DEMO = "demo", _("Demo")
    TASK = "task", _("Task")


class Activity(OrgOwned):
    organisation = organisation_without_index()  # every index below starts with it
    external_id = external_id_field()
    type = models.CharField(_("type"), max_length=16, choices=ActivityType.choices)
    occurred_at = models.DateTimeField(_("when"))
    owner = owner_field("crm_activities", null=False, db_index=False)
    account = models.ForeignKey(
        "crm.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    contact = models.ForeignKey(
        "crm.Contact", null=True, blank=True, on_delete=models.PROTECT, related_name="activities"
    )
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name_plural = "activities"
        constraints = [
            unique_external_id("crm_activity_external_id_unique"),
            models.CheckConstraint(
                condition=models.Q(type__in=ActivityType.values), name="crm_activity_type_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "owner", "occurred_at"], name="crm_act_org_owner_at"
            ),
            models.Index(fields=["organisation", "occurred_at"], name="crm_act_org_at"),
        ]

    def __str__(self) -> str:
        return self.subject or self.get_type_display()

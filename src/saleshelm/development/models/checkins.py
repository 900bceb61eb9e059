"""One-to-ones on a cadence, with notes and action items carried forward (SPEC §8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class CheckInCadence(OrgOwned):
    """How often a manager meets one member; completing a check-in schedules the next."""

    manager = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_cadences_led"
    )
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_cadences"
    )
    every_days = models.PositiveSmallIntegerField(_("every (days)"), default=14)
    next_on = models.DateField(_("next check-in"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["next_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["manager", "member"], name="dev_cadence_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(every_days__gte=1, every_days__lte=92),
                name="dev_cadence_days_range",
            ),
        ]


class CheckInStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CheckIn(OrgOwned):
    manager = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_check_ins_led"
    )
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_check_ins"
    )
    scheduled_for = models.DateField(_("date"))
    status = models.CharField(
        _("status"), max_length=10, choices=CheckInStatus.choices, default=CheckInStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-scheduled_for", "-pk"]
        verbose_name = "check-in"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CheckInStatus.values), name="dev_check_in_status"
            ),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("member")), name="dev_check_in_two_people"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "member", "scheduled_for"]),
            models.Index(fields=["organisation", "manager", "scheduled_for"]),
        ]

    def __str__(self) -> str:
        return f"Check-in {self.scheduled_for:%Y-%m-%d}"


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(OrgOwned):
    """Agreed in a check-in; while open it is carried into each next check-in of the pair."""

    raised_in = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="action_items")
    # The latest check-in it was carried into (null while it has not been carried yet).
    carried_to = models.ForeignKey(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_items"
    )
    carry_count = models.PositiveSmallIntegerField(default=0)
    owner = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_action_items"
    )
    text = models.CharField(_("action"), max_length=300)
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ActionItemStatus.values), name="dev_action_status"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "owner", "status"])]

    def __str__(self) -> str:
        return f"Action item #{self.pk}"

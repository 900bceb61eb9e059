"""Managers as coaches: coaching sessions and development plans (SPEC §8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saleshelm.core.models import OrgOwned


class ObservationType(models.TextChoices):
    CALL_REVIEW = "call_review", _("Call review")
    RIDE_ALONG = "ride_along", _("Ride-along")
    STORE_VISIT = "store_visit", _("Store visit")
    DEAL_REVIEW = "deal_review", _("Deal review")
    ROLE_PLAY = "role_play", _("Role play")


class CoachingSession(OrgOwned):
    coach = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_coaching_given"
    )
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_coaching_received"
    )
    held_on = models.DateField(_("date"))
    observation_type = models.CharField(
        _("observation"), max_length=16, choices=ObservationType.choices
    )
    focus_competency = models.ForeignKey(
        "development.Competency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("focus competency"),
    )
    opportunity = models.ForeignKey(
        "crm.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    observations = models.TextField(_("what I observed"), blank=True)
    # [{"text": "...", "done": false}, ...]
    agreed_actions = models.JSONField(_("agreed actions"), default=list, blank=True)
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    follow_up_done = models.BooleanField(_("followed up"), default=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(observation_type__in=ObservationType.values),
                name="dev_coaching_observation_type",
            ),
            models.CheckConstraint(
                condition=~models.Q(coach=models.F("member")), name="dev_coaching_two_people"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "member", "held_on"])]

    def __str__(self) -> str:
        return f"Coaching session #{self.pk}"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("plan status", "Active")
    CLOSED = "closed", _("Closed")


class DevelopmentPlan(OrgOwned):
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_plans"
    )
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )

    class Meta:
        ordering = ["status", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=PlanStatus.values), name="dev_plan_status"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "member", "status"])]

    def __str__(self) -> str:
        return self.title


class GoalStatus(models.TextChoices):
    OPEN = "open", _("In progress")
    DONE = "done", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class DevelopmentGoal(OrgOwned):
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(_("goal"), max_length=200)
    competency = models.ForeignKey(
        "development.Competency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("competency"),
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    actions = models.TextField(_("how"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )

    class Meta:
        ordering = ["status", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100),
                name="dev_goal_progress_range",
            ),
            models.CheckConstraint(
                condition=models.Q(target_level__isnull=True)
                | models.Q(target_level__range=(1, 5)),
                name="dev_goal_target_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=GoalStatus.values), name="dev_goal_status"
            ),
        ]

    def __str__(self) -> str:
        return self.title

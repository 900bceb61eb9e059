"""Vision and the goal tree: organisation goals, the Sales goals that serve them, team goals and
member goals, each measured by key results (SPEC §5 "Vision")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned

VALUE: dict[str, Any] = {"max_digits": 20, "decimal_places": 4}
WEIGHT: dict[str, Any] = {"max_digits": 9, "decimal_places": 4}


class Vision(OrgOwned):
    """One per organisation: where it is going and by when. It also carries the organisation's
    at-risk threshold, the tolerance a goal may fall behind the clock before it is flagged."""

    statement = models.TextField(_("vision statement"), blank=True)
    horizon = models.PositiveSmallIntegerField(_("horizon (year)"), null=True, blank=True)
    at_risk_threshold = models.DecimalField(
        _("at-risk threshold"), max_digits=5, decimal_places=4, default=Decimal("0.1000")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="direction_one_vision_per_org"),
            models.CheckConstraint(
                condition=models.Q(at_risk_threshold__gte=0, at_risk_threshold__lte=1),
                name="direction_vision_threshold_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.statement[:60] or "Vision"


class GoalLevel(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    SALES = "sales", _("Sales")
    TEAM = "team", _("Team")
    MEMBER = "member", _("Member")


LEVEL_ORDER = {level: i for i, level in enumerate(GoalLevel.values)}


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Goal(OrgOwned):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=16, choices=GoalLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("serves"),
    )
    owner = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direction_goals",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "people.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direction_goals",
        verbose_name=_("team"),
    )
    # A period key of the fiscal calendar ("2026", "2026-Q3", "2026-07") and its dates,
    # resolved once by the service so that reports filter on indexed dates.
    period = models.CharField(_("period"), max_length=16)
    period_start = models.DateField(editable=False)
    period_end = models.DateField(editable=False)
    weight = models.DecimalField(_("weight"), **WEIGHT, default=Decimal(1))
    status = models.CharField(
        _("status"), max_length=16, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=GoalLevel.values), name="direction_goal_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=GoalStatus.values),
                name="direction_goal_status_valid",
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="direction_goal_weight"),
            models.CheckConstraint(
                condition=~models.Q(level=GoalLevel.MEMBER) | models.Q(owner__isnull=False),
                name="direction_member_goal_has_owner",
            ),
            models.CheckConstraint(
                condition=~models.Q(level=GoalLevel.TEAM) | models.Q(team__isnull=False),
                name="direction_team_goal_has_team",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "parent"], name="direction_goal_org_parent"),
            models.Index(fields=["organisation", "period_end"], name="direction_goal_org_end"),
            models.Index(fields=["organisation", "owner"], name="direction_goal_org_owner"),
            models.Index(fields=["organisation", "team"], name="direction_goal_org_team"),
        ]

    def __str__(self) -> str:
        return self.title


class KeyResultSource(models.TextChoices):
    METRIC = "metric", _("Live metric")
    MANUAL = "manual", _("Updated by hand")


class KeyResultScope(models.TextChoices):
    ORGANISATION = "organisation", _("Whole organisation")
    TEAM = "team", _("Team")
    MEMBER = "member", _("Member")


class KeyResult(OrgOwned):
    """How a goal is measured. Bound to a metric of the performance catalogue (actual and, when
    no target value is written here, target read live for a period and an assignee), or
    updated by hand through dated check-ins."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="key_results")
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(
        _("measured by"),
        max_length=8,
        choices=KeyResultSource.choices,
        default=KeyResultSource.MANUAL,
    )
    metric = models.CharField(_("metric"), max_length=64, blank=True)
    period = models.CharField(_("period"), max_length=16, blank=True)  # "" = the goal's period
    scope = models.CharField(
        _("assignee scope"),
        max_length=16,
        choices=KeyResultScope.choices,
        default=KeyResultScope.ORGANISATION,
    )
    scope_team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    scope_member = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    start_value = models.DecimalField(_("start value"), **VALUE, default=Decimal(0))
    # Null on a metric key result: the performance target of that metric, period and assignee.
    target_value = models.DecimalField(_("target value"), **VALUE, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=24, blank=True)
    weight = models.DecimalField(_("weight"), **WEIGHT, default=Decimal(1))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["goal_id", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=KeyResultSource.values),
                name="direction_kr_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=KeyResultScope.values),
                name="direction_kr_scope_valid",
            ),
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="direction_kr_weight"),
            models.CheckConstraint(
                condition=models.Q(source=KeyResultSource.METRIC)
                | models.Q(target_value__isnull=False),
                name="direction_manual_kr_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(source=KeyResultSource.METRIC) | ~models.Q(metric=""),
                name="direction_metric_kr_has_metric",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class KeyResultCheckIn(OrgOwned):
    """A dated reading of a key result updated by hand: its value then, and what happened."""

    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="check_ins")
    value = models.DecimalField(_("value"), **VALUE)
    note = models.TextField(_("note"), blank=True)
    date = models.DateField(_("date"))
    author = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["key_result_id", "-date", "-pk"]
        indexes = [
            models.Index(fields=["key_result", "date"], name="direction_checkin_kr_date"),
        ]

    def __str__(self) -> str:
        return f"{self.key_result_id} {self.date}: {self.value}"


class GoalLink(OrgOwned):
    """Which goal an opportunity (or a target) serves: at most one goal per object.

    Kept in direction so that crm and performance need not know about goals; the reverse
    accessor ``opportunity.goal_link`` lets reports group deals by goal in one query."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="links")
    opportunity = models.OneToOneField(
        "crm.Opportunity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goal_link",
    )
    target = models.OneToOneField(
        "performance.Target",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="goal_link",
    )
    linked_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["goal_id", "pk"]
        indexes = [models.Index(fields=["organisation", "goal"], name="direction_link_org_goal")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opportunity__isnull=False, target__isnull=True)
                | models.Q(opportunity__isnull=True, target__isnull=False),
                name="direction_link_one_object",
            ),
        ]

    def __str__(self) -> str:
        what = (
            f"opportunity {self.opportunity_id}"
            if self.opportunity_id
            else f"target {self.target_id}"
        )
        return f"goal {self.goal_id} <- {what}"

"""Early signals: regular, early feedback so salespeople can judge their own performance.

A signal is raised by a rule for a subject (the salesperson) and, for deal rules, an object
(the opportunity). It goes first to the salesperson; if still open after the organisation's
escalation delay it is escalated to their manager. At most one *open* signal exists per
(rule, subject, object): a partial unique constraint, so duplicates are impossible even with
two evaluations running together. When the condition clears the signal resolves itself.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class SignalRule(models.TextChoices):
    BEHIND_PACE = "behind_pace", _("Behind pace")
    LOW_COVERAGE = "low_coverage", _("Pipeline coverage low")
    ACTIVITY_DROP = "activity_drop", _("Activity dropped")
    STALLED_DEAL = "stalled_deal", _("Deal stalled")
    NO_NEXT_STEP = "no_next_step", _("No next step")
    COMMITMENT_OVERDUE = "commitment_overdue", _("Commitment overdue")


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


class SignalSettings(OrgOwned):
    """Thresholds of the signal rules, one row per organisation (defaults until saved)."""

    behind_pace_enabled = models.BooleanField(_("behind pace"), default=True)
    # "Behind pace by more than X at day Y": pacing below 1 - X, from day Y of the period.
    behind_pace_by = models.DecimalField(
        _("behind pace by more than"), max_digits=5, decimal_places=4, default=Decimal("0.15")
    )
    behind_pace_from_day = models.PositiveSmallIntegerField(_("from day"), default=10)
    pace_period = models.CharField(
        _("pace period"),
        max_length=8,
        choices=[("month", _("Month")), ("quarter", _("Quarter"))],
        default="month",
    )
    pace_metric = models.CharField(_("pace metric"), max_length=40, default="revenue")

    low_coverage_enabled = models.BooleanField(_("pipeline coverage"), default=True)
    coverage_below = models.DecimalField(
        _("coverage below (×)"), max_digits=6, decimal_places=2, default=Decimal("3.00")
    )

    activity_drop_enabled = models.BooleanField(_("activity drop"), default=True)
    activity_drop_by = models.DecimalField(
        _("activity down by more than"), max_digits=5, decimal_places=4, default=Decimal("0.30")
    )
    # Below this weekly average over the trailing weeks, a drop is noise, not a signal.
    activity_min_weekly = models.PositiveSmallIntegerField(
        _("minimum weekly activities to compare"), default=5
    )

    stalled_enabled = models.BooleanField(_("stalled deals"), default=True)
    stalled_days = models.PositiveSmallIntegerField(_("stalled after (days)"), default=21)

    no_next_step_enabled = models.BooleanField(_("deals without next step"), default=True)
    # A deal created less than this many days ago may not have a next step yet.
    no_next_step_grace_days = models.PositiveSmallIntegerField(_("grace (days)"), default=2)

    commitments_enabled = models.BooleanField(_("overdue commitments"), default=True)

    escalate_after_days = models.PositiveSmallIntegerField(_("escalate after (days)"), default=2)

    class Meta:
        verbose_name_plural = "signal settings"
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="dev_signal_settings_one"),
            models.CheckConstraint(
                condition=models.Q(behind_pace_by__gte=0, behind_pace_by__lte=1)
                & models.Q(activity_drop_by__gte=0, activity_drop_by__lte=1)
                & models.Q(coverage_below__gte=0),
                name="dev_signal_settings_ranges",
            ),
        ]


class Signal(OrgOwned):
    rule = models.CharField(_("rule"), max_length=24, choices=SignalRule.choices)
    subject = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_signals"
    )
    # "" and 0 for member-level rules; e.g. "opportunity" and its id for deal rules.
    object_type = models.CharField(max_length=40, blank=True, default="")
    object_id = models.BigIntegerField(default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=SignalStatus.choices, default=SignalStatus.OPEN
    )
    # Figures behind the signal (pacing, coverage, counts, the deal's name and stage...).
    detail = models.JSONField(default=dict, blank=True)
    # A short fingerprint of what the figures depend on (the deal's stage, the reason...):
    # the daily run reloads the details only of the signals whose fingerprint changed.
    version = models.CharField(max_length=32, blank=True, default="")
    raised_at = models.DateTimeField(_("raised"))
    last_seen_at = models.DateTimeField()
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dev_signals_escalated",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=16, blank=True)  # "cleared" | "dismissed"
    dismissed_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "rule", "subject", "object_type", "object_id"],
                condition=models.Q(status="open"),
                name="dev_signal_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SignalStatus.values), name="dev_signal_status"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "rule", "status"], name="dev_signal_org_rule"),
            models.Index(fields=["organisation", "subject", "status"], name="dev_signal_subject"),
            models.Index(
                fields=["organisation", "status", "raised_at"], name="dev_signal_escalation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == SignalStatus.OPEN

    @property
    def key(self) -> tuple[int, str, int]:
        return (self.subject_id, self.object_type, self.object_id)


class DigestDelivery(OrgOwned):
    """One weekly digest per person and week: a rerun of the task sends nothing twice."""

    membership = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_digests"
    )
    week_start = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "week_start"], name="dev_digest_once_a_week"
            ),
        ]

"""Continuous feedback: praise or improvement, private or shared (SPEC §2, §8).

``private`` feedback is seen by its author and its subject only: not the subject's manager,
not an admin, not an export made for someone else. ``shared`` feedback is also seen by the
managers of the subject (those who manage a team the subject sits in, up the tree). The body
is coaching text: it never goes to logs or audit rows.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class FeedbackKind(models.TextChoices):
    PRAISE = "praise", _("Praise")
    IMPROVEMENT = "improvement", _("Improvement")


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: the two of us")
    SHARED = "shared", _("Shared with their managers")


class FeedbackRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")


class FeedbackRequest(OrgOwned):
    """Someone asks a colleague for feedback (about themself, or a manager about a rep)."""

    requester = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_feedback_asked"
    )
    recipient = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_feedback_requests"
    )
    subject = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_feedback_requests_about"
    )
    message = models.TextField(_("what would help"), blank=True)
    competency = models.ForeignKey(
        "development.Competency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=FeedbackRequestStatus.choices,
        default=FeedbackRequestStatus.OPEN,
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=FeedbackRequestStatus.values),
                name="dev_feedback_request_status",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "recipient", "status"])]


class Feedback(OrgOwned):
    author = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_feedback_given"
    )
    subject = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_feedback_received"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=FeedbackKind.choices)
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.SHARED
    )
    body = models.TextField(_("feedback"))
    opportunity = models.ForeignKey(
        "crm.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity = models.ForeignKey(
        "crm.Activity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    competency = models.ForeignKey(
        "development.Competency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request = models.ForeignKey(
        FeedbackRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=FeedbackKind.values), name="dev_feedback_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="dev_feedback_visibility",
            ),
            models.CheckConstraint(
                condition=~models.Q(author=models.F("subject")), name="dev_feedback_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "subject", "created_at"]),
            models.Index(fields=["organisation", "author", "created_at"]),
        ]

    def __str__(self) -> str:
        # Never the body: str() ends up in logs and admin lists.
        return f"{self.get_kind_display()} #{self.pk}"

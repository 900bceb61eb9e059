"""The psychological contract (SPEC §7): for each member and period, what the salesperson
commits and what the organisation commits back, and whether each side kept its word."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class Side(models.TextChoices):
    MEMBER = "member", _("Salesperson")
    ORGANISATION = "organisation", _("Organisation")


class CommitmentKind(models.TextChoices):
    # what the salesperson commits
    EFFORT = "effort", _("Effort")
    BEHAVIOUR = "behaviour", _("Behaviour")
    RESULT = "result", _("Result")
    # what the organisation commits back
    TRAINING = "training", _("Training")
    LEADS = "leads", _("Leads")
    TERRITORY = "territory", _("Territory")
    TOOLS = "tools", _("Tools")
    SUPPORT = "support", _("Support")
    PAYOUT_TIMING = "payout_timing", _("Payout timing")
    RECOGNITION = "recognition", _("Recognition")


KINDS_BY_SIDE: dict[str, tuple[str, ...]] = {
    Side.MEMBER: (CommitmentKind.EFFORT, CommitmentKind.BEHAVIOUR, CommitmentKind.RESULT),
    Side.ORGANISATION: (
        CommitmentKind.TRAINING,
        CommitmentKind.LEADS,
        CommitmentKind.TERRITORY,
        CommitmentKind.TOOLS,
        CommitmentKind.SUPPORT,
        CommitmentKind.PAYOUT_TIMING,
        CommitmentKind.RECOGNITION,
    ),
}


class CommitmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    MISSED = "missed", _("Missed")
    RENEGOTIATED = "renegotiated", _("Renegotiated")


class Commitment(OrgOwned):
    """One promise of one side of a member's contract for one period.

    ``member`` is whose contract it is (the pair: this salesperson and the organisation);
    ``owner`` is the person accountable for keeping it — the salesperson for their own side,
    a manager or another colleague for the organisation's. A renegotiated commitment is never
    rewritten: it keeps its text and dates, its status becomes ``renegotiated``, and the new
    terms are a new commitment that ``replaces`` it."""

    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="commitments"
    )
    period = models.CharField(_("period"), max_length=16)
    period_start = models.DateField()
    period_end = models.DateField()
    side = models.CharField(_("side"), max_length=12, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=CommitmentKind.choices)
    title = models.CharField(_("commitment"), max_length=200)
    description = models.TextField(_("details"), blank=True, max_length=2000)
    owner = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="owned_commitments"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=14, choices=CommitmentStatus.choices, default=CommitmentStatus.OPEN
    )
    status_note = models.TextField(_("note"), blank=True, max_length=1000)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommitmentStatus.values),
                name="incentives_commitment_status",
            ),
            models.CheckConstraint(
                condition=Q(side="member", kind__in=KINDS_BY_SIDE[Side.MEMBER])
                | Q(side="organisation", kind__in=KINDS_BY_SIDE[Side.ORGANISATION]),
                name="incentives_commitment_kind",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "member", "period_start"], name="incentives_commit_member"
            ),
            models.Index(
                fields=["organisation", "status", "due_date"], name="incentives_commit_due"
            ),
        ]

    def __str__(self) -> str:
        return self.title

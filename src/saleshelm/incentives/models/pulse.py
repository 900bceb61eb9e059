"""Pulse surveys (SPEC §7): three short questions, answered anonymously.

Anonymity is a property of the tables, not only of the pages:
- a response has no respondent, no timestamp and a random id, so neither its id nor its
  time orders it against the "has responded" markers;
- a participation marker has the survey and the member and nothing else (no time either):
  it only stops a second answer;
- results are shown per group of at least ``MIN_GROUP`` responses, after the survey closed.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned

MIN_GROUP = 5
SCORES = (1, 2, 3, 4, 5)
QUESTIONS = ("motivation", "support", "clarity")


class PulseSurvey(OrgOwned):
    title = models.CharField(_("title"), max_length=120)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    closed_at = models.DateTimeField(null=True, blank=True)
    # A survey that repeats opens its successor (same length) every ``repeat_days`` days.
    repeat_days = models.PositiveSmallIntegerField(_("repeat every (days)"), default=0)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_survey"
    )
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="incentives_pulse_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PulseParticipation(OrgOwned):
    """The "has responded" marker: the only trace of who answered. No answers, no time."""

    created_at = None  # type: ignore[assignment]
    updated_at = None  # type: ignore[assignment]
    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="pulse_participations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "member"], name="incentives_pulse_once"),
        ]


class PulseResponse(OrgOwned):
    """One anonymous answer: scores 1-5 and an optional comment, with the team the respondent
    was in (for team-level results) and nothing that leads back to them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = None  # type: ignore[assignment]
    updated_at = None  # type: ignore[assignment]
    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    motivation = models.PositiveSmallIntegerField(_("motivation"))
    support = models.PositiveSmallIntegerField(_("support"))
    clarity = models.PositiveSmallIntegerField(_("clarity"))
    comment = models.TextField(_("comment"), blank=True, max_length=1000)

    class Meta:
        # Never ordered by anything that follows the order of answering.
        ordering = ["comment", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(motivation__gte=1, motivation__lte=5)
                & Q(support__gte=1, support__lte=5)
                & Q(clarity__gte=1, clarity__lte=5),
                name="incentives_pulse_scores",
            ),
        ]

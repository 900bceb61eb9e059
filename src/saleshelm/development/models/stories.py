"""Knowledge sharing: win stories and playbook notes (SPEC §8).

A story may point at a deal, a customer segment and competencies. Segments live in the
direction app; a story keeps the segment's name (and its id when the direction app is
installed) so it reads well even before that app exists.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class StoryKind(models.TextChoices):
    WIN = "win", _("Win story")
    PLAYBOOK = "playbook", _("Playbook note")


class Story(OrgOwned):
    author = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="dev_stories"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=StoryKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("story"))
    opportunity = models.ForeignKey(
        "crm.Opportunity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deal"),
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    segment_name = models.CharField(_("segment"), max_length=120, blank=True)
    segment_id = models.BigIntegerField(null=True, blank=True)
    competencies = models.ManyToManyField(
        "development.Competency", blank=True, related_name="stories"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "stories"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=StoryKind.values), name="dev_story_kind"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "kind", "created_at"])]

    def __str__(self) -> str:
        return self.title

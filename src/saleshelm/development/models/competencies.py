"""The competency framework: the skills and behaviours behind the numbers (SPEC §8).

A competency has five level descriptors (1 = learning the basics ... 5 = teaches others) and,
per role profile, the level the role expects. Assessments, feedback, coaching and plans all
point at competencies, so one framework speaks the same language everywhere.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned

LEVELS = (1, 2, 3, 4, 5)
LEVEL_COUNT = len(LEVELS)


class CompetencyKind(models.TextChoices):
    SKILL = "skill", _("Skill")
    BEHAVIOUR = "behaviour", _("Behaviour")


class CompetencyGroup(OrgOwned):
    """A family of competencies ("Prospecting", "Closing", "Store execution")."""

    key = models.SlugField(_("key"), max_length=80)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    framework = models.CharField(_("framework"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="dev_group_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Competency(OrgOwned):
    key = models.SlugField(_("key"), max_length=80)
    group = models.ForeignKey(
        CompetencyGroup, on_delete=models.PROTECT, related_name="competencies"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CompetencyKind.choices, default=CompetencyKind.SKILL
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    # Five descriptors, level 1 first: what someone at that level does.
    levels = models.JSONField(_("level descriptors"), default=list)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group__position", "position", "name", "pk"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="dev_competency_key_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=CompetencyKind.values), name="dev_competency_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def descriptor(self, level: int | None) -> str:
        if level is None or not 1 <= level <= len(self.levels):
            return ""
        return str(self.levels[level - 1])


class ExpectedLevel(OrgOwned):
    """The level a role expects of a competency ("an Account Executive negotiates at 4")."""

    competency = models.ForeignKey(
        Competency, on_delete=models.CASCADE, related_name="expected_levels"
    )
    role_profile = models.ForeignKey(
        "people.RoleProfile", on_delete=models.CASCADE, related_name="expected_levels"
    )
    level = models.PositiveSmallIntegerField(_("expected level"))

    class Meta:
        ordering = ["role_profile_id", "competency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["competency", "role_profile"], name="dev_expected_level_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="dev_expected_level_range"
            ),
        ]

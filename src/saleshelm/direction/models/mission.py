"""Mission and values: what the organisation believes in (SPEC §5 "Mission and values").

Values are also what recognition is given for (kudos, SPEC §7), so each carries the concrete
behaviours that show it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class Mission(OrgOwned):
    """One per organisation."""

    statement = models.TextField(_("mission statement"), blank=True)
    culture = models.TextField(_("culture"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="direction_one_mission_per_org"),
        ]

    def __str__(self) -> str:
        return self.statement[:60] or "Mission"


class CompanyValue(OrgOwned):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    behaviours = models.JSONField(_("behaviours that show it"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name", "pk"]
        verbose_name = _("value")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="direction_value_unique"),
        ]

    def __str__(self) -> str:
        return self.name

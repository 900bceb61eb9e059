"""Sales strategy: the competitive offering and the customers to target (SPEC §5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class Offering(OrgOwned):
    name = models.CharField(_("name"), max_length=120)
    value_proposition = models.TextField(_("value proposition"), blank=True)
    differentiators = models.JSONField(_("differentiators"), default=list, blank=True)
    product_categories = models.ManyToManyField(
        "crm.ProductCategory",
        blank=True,
        related_name="direction_offerings",
        verbose_name=_("product categories"),
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="direction_offering_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Competitor(OrgOwned):
    name = models.CharField(_("name"), max_length=120)
    website = models.CharField(_("website"), max_length=200, blank=True)
    strengths = models.JSONField(_("strengths"), default=list, blank=True)
    weaknesses = models.JSONField(_("weaknesses"), default=list, blank=True)
    how_we_win = models.TextField(_("how we win"), blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="direction_competitor_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OpportunityCompetitor(OrgOwned):
    """A competitor met on a deal; win/loss by competitor is read from these links."""

    opportunity = models.ForeignKey(
        "crm.Opportunity", on_delete=models.CASCADE, related_name="direction_competitors"
    )
    competitor = models.ForeignKey(
        Competitor, on_delete=models.CASCADE, related_name="opportunity_links"
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["opportunity_id", "competitor__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "competitor"], name="direction_opp_competitor_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "competitor"], name="direction_oppcomp_org_comp"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id} vs {self.competitor_id}"

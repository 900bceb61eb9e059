"""Pipelines with ordered stages, opportunities moving through them, credit splits, history."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned
from saleshelm.crm.models.common import (
    PROBABILITY,
    SHARE,
    currency_field,
    external_id_field,
    money_field,
    owner_field,
    unique_external_id,
)


class Pipeline(OrgOwned):
    name = models.CharField(_("name"), max_length=120)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="crm_pipeline_name_unique"
            ),
            # At most one default pipeline per organisation.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_default=True),
                name="crm_pipeline_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StageKind(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class ForecastCategory(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    BEST_CASE = "best_case", _("Best case")
    COMMIT = "commit", _("Commit")
    CLOSED = "closed", _("Closed")


class Stage(OrgOwned):
    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Default win probability of a deal in this stage, a fraction 0..1.
    probability = models.DecimalField(_("probability"), **PROBABILITY, default=Decimal("0"))
    kind = models.CharField(
        _("kind"), max_length=8, choices=StageKind.choices, default=StageKind.OPEN
    )
    # The forecast category a deal takes on entering this stage; empty: from the probability
    # (``services.default_forecast_category``). Won and lost stages are always "closed".
    forecast_category = models.CharField(
        _("forecast category"),
        max_length=16,
        blank=True,
        default="",
        choices=[c for c in ForecastCategory.choices if c[0] != ForecastCategory.CLOSED],
    )

    class Meta:
        ordering = ["pipeline_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="crm_stage_name_unique"),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=1),
                name="crm_stage_probability_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=StageKind.values), name="crm_stage_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(forecast_category__in=["", "pipeline", "best_case", "commit"]),
                name="crm_stage_forecast_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.kind != StageKind.OPEN


class Opportunity(OrgOwned):
    external_id = external_id_field()
    name = models.CharField(_("name"), max_length=200)
    account = models.ForeignKey(
        "crm.Account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("account"),
    )
    owner = owner_field("crm_opportunities", null=False)
    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="opportunities")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="opportunities")
    amount = money_field(_("amount"), default=Decimal("0"))
    currency = currency_field()
    # ``amount`` in the organisation's reporting currency at the latest rate on or before the
    # close date (services recompute it when amount, currency or close date change).
    amount_reporting = money_field(_("amount (reporting currency)"), default=Decimal("0"))
    close_date = models.DateField(_("expected close"))
    created_date = models.DateField(_("created"), default=timezone.localdate)
    # Null means "the stage's default probability".
    probability = models.DecimalField(_("probability"), **PROBABILITY, null=True, blank=True)
    forecast_category = models.CharField(
        _("forecast category"),
        max_length=16,
        choices=ForecastCategory.choices,
        default=ForecastCategory.PIPELINE,
    )
    next_step = models.CharField(_("next step"), max_length=255, blank=True)
    next_step_date = models.DateField(_("next step date"), null=True, blank=True)
    lost_reason = models.CharField(_("lost reason"), max_length=255, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Optimistic concurrency: every write bumps it; a write carrying an older one is a conflict.
    version = models.PositiveIntegerField(default=1)
    stage_entered_at = models.DateTimeField(_("in stage since"), default=timezone.now)

    class Meta:
        ordering = ["close_date", "pk"]
        verbose_name_plural = "opportunities"
        constraints = [
            unique_external_id("crm_opportunity_external_id_unique"),
            models.CheckConstraint(
                condition=models.Q(probability__isnull=True)
                | models.Q(probability__gte=0, probability__lte=1),
                name="crm_opportunity_probability_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(forecast_category__in=ForecastCategory.values),
                name="crm_opportunity_forecast_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "owner", "close_date"], name="crm_opp_org_owner_close"
            ),
            models.Index(fields=["organisation", "close_date"], name="crm_opp_org_close"),
            models.Index(fields=["organisation", "stage"], name="crm_opp_org_stage"),
            models.Index(fields=["organisation", "created_date"], name="crm_opp_org_created"),
            models.Index(fields=["organisation", "account"], name="crm_opp_org_account"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_probability(self) -> Decimal:
        return self.probability if self.probability is not None else self.stage.probability


class OpportunitySplit(OrgOwned):
    """Credit split of a deal between members; the shares of one deal sum to 1."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="splits")
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="crm_opportunity_splits"
    )
    share = models.DecimalField(_("share"), **SHARE)

    class Meta:
        ordering = ["opportunity_id", "-share", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "member"], name="crm_opp_split_unique"),
            models.CheckConstraint(
                condition=models.Q(share__gt=0, share__lte=1), name="crm_opp_split_share_fraction"
            ),
        ]


class StageChange(OrgOwned):
    """Stage history: one row per move, the first with no ``from_stage``."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    actor = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["opportunity_id", "changed_at", "pk"]
        indexes = [
            models.Index(fields=["opportunity", "changed_at"], name="crm_stagechange_opp_at"),
            models.Index(fields=["organisation", "changed_at"], name="crm_stagechange_org_at"),
        ]

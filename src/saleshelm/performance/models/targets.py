"""Targets per metric, period and assignee, spread over the months of the period (SPEC §6)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class AssigneeType(models.TextChoices):
    MEMBER = "member", _("Member")
    TEAM = "team", _("Team")
    TERRITORY = "territory", _("Territory")
    PRODUCT_CATEGORY = "product_category", _("Product category")


class Distribution(models.TextChoices):
    EVEN = "even", _("Even")
    PATTERN = "pattern", _("Seasonality pattern")


class Target(OrgOwned):
    """A number to reach: ``value`` of ``metric`` over ``period`` for one assignee.

    The assignee is exactly one member, team or territory; or, with none of them, the
    ``product_category`` itself. With an assignee, ``product_category`` narrows the target to
    that category's sales. ``weights`` (fractions, one per month of the period, summing to
    exactly 1) spread a pattern target over its months; an even target splits equally.
    ``assignee_key`` spells the assignee and category out so that "one target per metric,
    period, assignee and category" is a plain unique constraint, NULLs included.
    """

    metric = models.CharField(_("metric"), max_length=64)
    period_key = models.CharField(_("period"), max_length=16)
    period_kind = models.CharField(max_length=8)  # month | quarter | year
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    assignee_type = models.CharField(
        _("assignee type"), max_length=16, choices=AssigneeType.choices
    )
    member = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="performance_targets",
    )
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    territory = models.ForeignKey(
        "people.Territory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    product_category = models.ForeignKey(
        "crm.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee_key = models.CharField(max_length=64, editable=False)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    distribution = models.CharField(
        _("distribution"), max_length=8, choices=Distribution.choices, default=Distribution.EVEN
    )
    weights = models.JSONField(_("month weights"), default=list, blank=True)
    # Allocated down from this team target (target_allocate), for the over/under check.
    allocated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="allocations"
    )
    created_by = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["start", "metric", "assignee_type", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "metric", "period_key", "assignee_key"],
                name="perf_target_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        assignee_type="member",
                        member__isnull=False,
                        team__isnull=True,
                        territory__isnull=True,
                    )
                    | models.Q(
                        assignee_type="team",
                        member__isnull=True,
                        team__isnull=False,
                        territory__isnull=True,
                    )
                    | models.Q(
                        assignee_type="territory",
                        member__isnull=True,
                        team__isnull=True,
                        territory__isnull=False,
                    )
                    | models.Q(
                        assignee_type="product_category",
                        member__isnull=True,
                        team__isnull=True,
                        territory__isnull=True,
                        product_category__isnull=False,
                    )
                ),
                name="perf_target_exactly_one_assignee",
            ),
            models.CheckConstraint(
                condition=models.Q(distribution__in=Distribution.values),
                name="perf_target_distribution_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")), name="perf_target_span"
            ),
        ]
        indexes = [
            # Targets overlapping a period (start <= its end AND end >= its start): by end,
            # since the past piles up — asking for this quarter reads this quarter's and later
            # targets, not every earlier one (2,000 of 18,000 on dataset M).
            models.Index(
                fields=["organisation", "metric", "assignee_type", "end"],
                name="perf_target_lookup_end",
            ),
            models.Index(fields=["organisation", "member"], name="perf_target_member"),
            models.Index(fields=["organisation", "team"], name="perf_target_team"),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.period_key} {self.assignee_key} {self.value}"

    @property
    def assignee(self):
        return {
            AssigneeType.MEMBER: self.member,
            AssigneeType.TEAM: self.team,
            AssigneeType.TERRITORY: self.territory,
            AssigneeType.PRODUCT_CATEGORY: self.product_category,
        }[AssigneeType(self.assignee_type)]


def assignee_key(
    *,
    member_id: int | None = None,
    team_id: int | None = None,
    territory_id: int | None = None,
    category_id: int | None = None,
) -> str:
    """``member:17``, ``team:3|cat:5``, ``product_category:5``: the target's identity."""
    for kind, pk in (("member", member_id), ("team", team_id), ("territory", territory_id)):
        if pk is not None:
            return f"{kind}:{pk}" + (f"|cat:{category_id}" if category_id is not None else "")
    return f"product_category:{category_id}"

"""The revenue rollup: credited order lines summed per member, month and product category.

Data flows crm -> performance: crm never calls into this app. ``rollups.rollups_refresh``
notices changed order lines through a watermark on ``OrderLine.updated_at`` and recomputes
the touched months in one set-based statement (see ``saleshelm.performance.rollups``).
"""

from __future__ import annotations

from django.db import models

from saleshelm.core.models import OrgOwned

# Money and quantities are stored as whole ten-thousandths (4 decimal places) in 64-bit
# integers: sums of integers are exact on SQLite (which keeps DecimalField values as REAL)
# and on PostgreSQL alike. ``saleshelm.core.sql.from_units`` turns them back.
UNITS_PER_ONE = 10_000


class MemberMonthFact(models.Model):
    """One member's credited revenue, margin and units in one calendar month and category.

    Derived data, rebuilt from the raw lines at will: no timestamps, no audit. Not an
    ``OrgOwned`` model on purpose (it carries the organisation, but the two timestamp columns
    would only slow the set-based rebuild down).
    """

    # No database constraints on these keys: the rows are derived from valid order lines,
    # and checking three foreign keys per inserted row (deferred to the commit on PostgreSQL)
    # costs more than the rebuild itself. Deleting an organisation, member or category
    # still deletes their rows (Django's on_delete).
    organisation = models.ForeignKey(
        "tenancy.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    member = models.ForeignKey(
        "tenancy.Membership",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField()  # first day of the calendar month
    product_category = models.ForeignKey(
        "crm.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    revenue = models.BigIntegerField(default=0)  # ten-thousandths of the reporting currency
    gross_margin = models.BigIntegerField(default=0)
    units = models.BigIntegerField(default=0)  # ten-thousandths of a unit
    line_count = models.IntegerField(default=0)  # lines credited, net of cancellations

    class Meta:
        indexes = [
            # Period answers: a range of months for the whole organisation, grouped by member;
            # the value columns make it a covering index on SQLite.
            models.Index(
                fields=["organisation", "month", "member", "revenue", "gross_margin", "units"],
                name="perf_fact_org_month_member",
            ),
            models.Index(fields=["organisation", "member", "month"], name="perf_fact_org_member"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.revenue}"


class RollupState(OrgOwned):
    """Per organisation: the newest change of the raw lines already folded into the rollup.

    The row is also the lock that serialises refreshes of one organisation
    (``select_for_update``), so two refreshes never delete and insert the same month at once.
    """

    lines_watermark = models.DateTimeField(null=True, blank=True)
    splits_watermark = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="perf_rollup_state_one_per_org")
        ]

    def __str__(self) -> str:
        return f"rollup {self.organisation_id} @ {self.lines_watermark}"

"""Orders and their lines: the booked revenue that performance and commissions credit (SPEC §3, §6).

Order lines carry denormalised copies of the order's date and owner (and the product's
category) so that revenue per member, period and category is one indexed aggregate over one
table. Services keep the copies equal to the order; nothing else writes them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned
from saleshelm.core.sql import from_units
from saleshelm.crm.models.common import (
    SHARE,
    currency_field,
    external_id_field,
    money_field,
    organisation_without_index,
    owner_field,
    unique_external_id,
)


class Order(OrgOwned):
    external_id = external_id_field()
    order_date = models.DateField(_("order date"))
    owner = owner_field("crm_orders", null=False)
    account = models.ForeignKey(
        "crm.Account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("account"),
    )
    currency = currency_field()

    class Meta:
        ordering = ["-order_date", "-pk"]
        constraints = [unique_external_id("crm_order_external_id_unique")]
        indexes = [
            models.Index(fields=["organisation", "order_date"], name="crm_order_org_date"),
            models.Index(
                fields=["organisation", "owner", "order_date"], name="crm_order_org_owner_date"
            ),
            models.Index(fields=["organisation", "account"], name="crm_order_org_account"),
        ]

    def __str__(self) -> str:
        return self.external_id

    @property
    def net_amount(self) -> Decimal:
        """The sum of the lines' net amounts, on an order read through crm's order selectors
        (``order_list``, ``access_order``), which annotate it in exact ten-thousandths."""
        return from_units(self.net_units)  # type: ignore[attr-defined]


class OrderCount(models.Model):
    """How many orders an organisation has, kept by the database (``crm.tallies``).

    The unfiltered orders list of a director answers its total from here instead of counting
    every order on every page: a count that costs the same at 2,000 orders as at 2 million.
    Triggers on ``crm_order`` keep it, in the transaction that inserts or deletes the orders,
    whatever writes them (services, imports' bulk writes and ``COPY``, the seed, a cascade)."""

    organisation = models.OneToOneField(
        "tenancy.Organisation", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    orders = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.orders}"


class OrderLineStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    RETURNED = "returned", _("Returned")


class OrderLine(OrgOwned):
    # Indexes are chosen for millions of lines: each serves a query, none duplicates another
    # (the order's lines use the unique (order, line) index).
    organisation = organisation_without_index()
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines", db_index=False)
    line = models.PositiveIntegerField(_("line"))
    product = models.ForeignKey(
        "crm.Product", null=True, blank=True, on_delete=models.PROTECT, related_name="order_lines"
    )
    sku = models.CharField(_("SKU"), max_length=64)
    product_category = models.ForeignKey(
        "crm.ProductCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Negative quantity: a return or credit note.
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=4)
    unit_price = money_field(_("unit price"))
    discount = models.DecimalField(
        _("discount"), max_digits=7, decimal_places=6, default=Decimal("0")
    )
    unit_cost = money_field(_("unit cost"), null=True, blank=True)
    # quantity * unit_price * (1 - discount), quantised to 4 places (services.orders.line_amounts).
    net_amount = money_field(_("net amount"))
    cost_amount = money_field(_("cost"), null=True, blank=True)  # quantity * unit_cost
    currency = currency_field()
    # The same two amounts in the organisation's reporting currency at the order date's rate
    # (null only for rows written without conversion); revenue reports sum these.
    net_amount_reporting = money_field(_("net amount (reporting)"), null=True, blank=True)
    cost_amount_reporting = money_field(_("cost (reporting)"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OrderLineStatus.choices,
        default=OrderLineStatus.CONFIRMED,
    )
    status_date = models.DateField(_("status date"), null=True, blank=True)
    # On a credit line (negative quantity, status ``returned``): the sold line it gives back.
    returns_line = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_lines",
        db_index=False,
    )
    # Denormalised from the order for fast aggregation.
    order_date = models.DateField(_("order date"))
    owner = owner_field("crm_order_lines", null=False, db_index=False)

    class Meta:
        ordering = ["order_id", "line"]
        constraints = [
            models.UniqueConstraint(fields=["order", "line"], name="crm_orderline_line_unique"),
            models.CheckConstraint(
                condition=models.Q(discount__gte=0, discount__lte=1),
                name="crm_orderline_discount_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=OrderLineStatus.values),
                name="crm_orderline_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "order_date"], name="crm_line_org_date"),
            models.Index(
                fields=["organisation", "owner", "order_date"], name="crm_line_org_owner_date"
            ),
            models.Index(
                fields=["organisation", "status_date"],
                name="crm_line_org_status_date",
                condition=models.Q(status_date__isnull=False),
            ),
            models.Index(
                fields=["returns_line"],
                name="crm_line_returns_line",
                condition=models.Q(returns_line__isnull=False),
            ),
            models.Index(
                fields=["organisation", "product_category", "order_date"],
                name="crm_line_org_cat_date",
            ),
            # The rollup freshness check: MAX(updated_at) and "changed since" per organisation.
            models.Index(fields=["organisation", "updated_at"], name="crm_line_org_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line} {self.sku}"

    @property
    def margin(self) -> Decimal | None:
        return None if self.cost_amount is None else self.net_amount - self.cost_amount


class OrderLineSplit(OrgOwned):
    """Credit split of an order line; the shares of one line sum to 1."""

    line = models.ForeignKey(OrderLine, on_delete=models.CASCADE, related_name="splits")
    member = models.ForeignKey(
        "tenancy.Membership", on_delete=models.PROTECT, related_name="crm_order_line_splits"
    )
    share = models.DecimalField(_("share"), **SHARE)

    class Meta:
        ordering = ["line_id", "-share", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["line", "member"], name="crm_line_split_unique"),
            models.CheckConstraint(
                condition=models.Q(share__gt=0, share__lte=1), name="crm_line_split_share_fraction"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "member"], name="crm_line_split_org_member"),
            models.Index(fields=["organisation", "updated_at"], name="crm_line_split_org_updated"),
        ]

"""Products in categories, and price lists (SPEC §3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned
from saleshelm.crm.models.common import currency_field, money_field


class ProductCategory(OrgOwned):
    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name_plural = "product categories"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="crm_category_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Product(OrgOwned):
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        ProductCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("category"),
    )
    unit_price = money_field(_("unit price"))
    unit_cost = money_field(_("unit cost"), null=True, blank=True)
    currency = currency_field()
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sku", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sku"], name="crm_product_sku_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "name"], name="crm_product_org_name")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class PriceList(OrgOwned):
    name = models.CharField(_("name"), max_length=120)
    currency = currency_field()
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        ordering = ["-is_default", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="crm_pricelist_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PriceListItem(OrgOwned):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="price_list_items")
    unit_price = money_field(_("unit price"))

    class Meta:
        ordering = ["price_list_id", "product_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product"], name="crm_pricelist_item_unique"
            ),
        ]

"""Reads of the catalogue (products, categories, price lists) and exchange rates: open to
every member of the organisation."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.crm.models import ExchangeRate, PriceList, PriceListItem, Product, ProductCategory
from saleshelm.crm.selectors.common import apply_sort, search_q
from saleshelm.tenancy.actors import Actor

PRODUCT_SORTS = {
    "sku": ["sku"],
    "name": ["name"],
    "unit_price": ["unit_price"],
    "category": ["category__name", "sku"],
}


def product_qs(*, actor: Actor) -> QuerySet[Product]:
    return Product.objects.filter(organisation_id=actor.organisation_id).select_related("category")


def product_list(
    *,
    actor: Actor,
    search: str | None = None,
    category_id: int | None = None,
    is_active: bool | None = None,
    sort: str | None = None,
) -> QuerySet[Product]:
    qs = product_qs(actor=actor).filter(search_q(search, ["sku", "name", "category__name"]))
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return apply_sort(qs, sort, PRODUCT_SORTS, "sku")


def access_product(*, actor: Actor, id: int) -> Product:
    prices = Prefetch(
        "price_list_items", queryset=PriceListItem.objects.select_related("price_list")
    )
    obj = product_qs(actor=actor).prefetch_related(prices).filter(pk=id).first()
    if obj is None:
        raise NotFound("Product")
    return obj


def product_by_sku(*, actor: Actor, sku: str) -> Product | None:
    return product_qs(actor=actor).filter(sku=sku.strip().upper()).first()


def category_list(*, actor: Actor) -> QuerySet[ProductCategory]:
    return ProductCategory.objects.filter(organisation_id=actor.organisation_id).select_related(
        "parent"
    )


def access_category(*, actor: Actor, id: int) -> ProductCategory:
    obj = category_list(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Product category")
    return obj


def price_list_list(*, actor: Actor) -> QuerySet[PriceList]:
    return PriceList.objects.filter(organisation_id=actor.organisation_id).annotate(
        item_count=Count("items")
    )


def access_price_list(*, actor: Actor, id: int) -> PriceList:
    obj = price_list_list(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Price list")
    return obj


def price_list_items(*, actor: Actor, price_list: PriceList) -> QuerySet[PriceListItem]:
    """The entries of a price list with their product (and its list price), by SKU."""
    return (
        PriceListItem.objects.filter(
            organisation_id=actor.organisation_id, price_list_id=price_list.pk
        )
        .select_related("product__category")
        .order_by("product__sku", "pk")
    )


def exchange_rate_list(*, actor: Actor, currency: str | None = None) -> QuerySet[ExchangeRate]:
    qs = ExchangeRate.objects.filter(organisation_id=actor.organisation_id)
    if currency:
        qs = qs.filter(currency=currency.upper())
    return qs.order_by("currency", "-rate_date")

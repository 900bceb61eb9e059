"""The catalogue: product categories, products and price lists (admins and directors)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from saleshelm.core.errors import ApplicationError, Conflict
from saleshelm.crm.models import PriceList, PriceListItem, Product, ProductCategory
from saleshelm.crm.permissions import require_catalogue_writer
from saleshelm.crm.services.common import (
    apply_changes,
    check_money,
    clean_currency,
    require_text,
    same_org,
    save_validated,
    snapshot,
)
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Organisation
from saleshelm.tenancy.services import audit_record

PRODUCT_FIELDS = {"sku", "name", "category", "unit_price", "unit_cost", "currency", "is_active"}


@transaction.atomic
def product_category_ensure(
    *, actor: Actor, name: str, parent: ProductCategory | None = None
) -> ProductCategory:
    """The category with this name (case-insensitive), created if absent."""
    require_catalogue_writer(actor)
    name = require_text(name, "name")
    same_org(actor, parent, "parent")
    existing = ProductCategory.objects.filter(
        organisation_id=actor.organisation_id, name__iexact=name
    ).first()
    if existing is not None:
        return existing
    category = ProductCategory(organisation_id=actor.organisation_id, name=name, parent=parent)
    save_validated(category, exclude=["organisation", "parent"], what="category")
    return category


def _check_sku(sku: str) -> str:
    sku = require_text(sku, "sku").upper()
    if any(c.isspace() for c in sku):
        raise ApplicationError("a SKU has no spaces", field="sku", code="invalid")
    return sku


@transaction.atomic
def product_create(
    *,
    actor: Actor,
    sku: str,
    name: str,
    unit_price: Decimal,
    currency: str | None = None,
    category: ProductCategory | None = None,
    unit_cost: Decimal | None = None,
    is_active: bool = True,
) -> Product:
    require_catalogue_writer(actor)
    same_org(actor, category, "category")
    check_money(unit_price, "unit_price")
    check_money(unit_cost, "unit_cost")
    org = Organisation.objects.get(pk=actor.organisation_id)
    sku = _check_sku(sku)
    if Product.objects.filter(organisation_id=actor.organisation_id, sku=sku).exists():
        raise Conflict(f"A product with SKU {sku} already exists.", code="exists")
    product = Product(
        organisation_id=actor.organisation_id,
        sku=sku,
        name=require_text(name, "name"),
        category=category,
        unit_price=unit_price,
        unit_cost=unit_cost,
        currency=clean_currency(currency, default=org.currency),
        is_active=is_active,
    )
    save_validated(product, exclude=["organisation", "category"], what="product")
    return product


@transaction.atomic
def product_update(*, actor: Actor, product: Product, **changes) -> Product:
    require_catalogue_writer(actor)
    unknown = set(changes) - PRODUCT_FIELDS
    if unknown:
        raise ApplicationError(f"cannot change {', '.join(sorted(unknown))}", code="read_only")
    product = Product.objects.select_for_update().get(pk=product.pk)
    if "sku" in changes:
        changes["sku"] = _check_sku(changes["sku"])
        if (
            Product.objects.filter(organisation_id=actor.organisation_id, sku=changes["sku"])
            .exclude(pk=product.pk)
            .exists()
        ):
            raise Conflict(f"A product with SKU {changes['sku']} already exists.", code="exists")
    if "name" in changes:
        changes["name"] = require_text(changes["name"], "name")
    if "category" in changes:
        same_org(actor, changes["category"], "category")
    if "unit_price" in changes:
        if changes["unit_price"] is None:
            raise ApplicationError("unit_price is required", field="unit_price", code="required")
        check_money(changes["unit_price"], "unit_price")
    if "unit_cost" in changes:
        check_money(changes["unit_cost"], "unit_cost")
    if "currency" in changes:
        changes["currency"] = clean_currency(changes["currency"], default=product.currency)
    before = snapshot(product, ("unit_price", "unit_cost", "currency"))
    changed = apply_changes(product, changes)
    if changed:
        save_validated(
            product, exclude=["organisation", "category"], what="product", update_fields=changed
        )
        after = snapshot(product, ("unit_price", "unit_cost", "currency"))
        if after != before:
            audit_record(
                actor=actor, action="product.price_change", obj=product, before=before, after=after
            )
    return product


@transaction.atomic
def price_list_create(
    *, actor: Actor, name: str, currency: str | None = None, is_default: bool = False
) -> PriceList:
    require_catalogue_writer(actor)
    org = Organisation.objects.get(pk=actor.organisation_id)
    name = require_text(name, "name")
    if PriceList.objects.filter(organisation_id=actor.organisation_id, name__iexact=name).exists():
        raise Conflict(f"A price list named {name!r} already exists.", code="exists")
    if is_default:
        PriceList.objects.filter(organisation_id=actor.organisation_id).update(is_default=False)
    price_list = PriceList(
        organisation_id=actor.organisation_id,
        name=name,
        is_default=is_default,
        currency=clean_currency(currency, default=org.currency),
    )
    save_validated(price_list, exclude=["organisation"], what="price list")
    return price_list


@transaction.atomic
def price_list_set_price(
    *, actor: Actor, price_list: PriceList, product: Product, unit_price: Decimal
) -> PriceListItem:
    require_catalogue_writer(actor)
    same_org(actor, price_list, "price_list")
    same_org(actor, product, "product")
    check_money(unit_price, "unit_price")
    item, _ = PriceListItem.objects.update_or_create(
        price_list=price_list,
        product=product,
        defaults={"unit_price": unit_price, "organisation_id": actor.organisation_id},
    )
    return item

"""Orders and order lines: the booked revenue (SPEC §3, §6).

How a line counts, for the apps that credit revenue (performance, incentives):
- a ``confirmed`` line counts its ``net_amount`` in the period of its ``order_date``;
- a ``cancelled`` line counted in its order's period and is taken back in the period of its
  ``status_date`` (the cancellation), so closed periods are never rewritten;
- a return is a *credit line*: a negative quantity on a credit-note order dated the day of the
  return, with status ``returned``, ``status_date`` = that day and ``returns_line`` pointing at
  the sold line (which stays ``confirmed``); it counts, negative, in its own period like any
  line. Imported negative lines are credit notes the same way.
- credit goes to the line's ``owner`` (the order's owner), or by its ``splits`` (shares sum
  to 1).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict
from saleshelm.crm.models import (
    Account,
    Order,
    OrderLine,
    OrderLineSplit,
    OrderLineStatus,
    Product,
)
from saleshelm.crm.services.common import (
    FOUR_PLACES,
    MONEY_LIMIT,
    apply_changes,
    check_fraction,
    check_money,
    check_owner_change,
    check_shares,
    clean_currency,
    clean_text,
    new_external_id,
    require_edit,
    require_text,
    require_writer,
    resolve_owner,
    same_org,
    save_validated,
)
from saleshelm.crm.services.rates import RateBook
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership, Organisation
from saleshelm.tenancy.services import audit_record

QUANTITY_LIMIT = Decimal(10) ** 14  # DecimalField(max_digits=18, decimal_places=4)


def line_amounts(
    quantity: Decimal, unit_price: Decimal, discount: Decimal, unit_cost: Decimal | None
) -> tuple[Decimal, Decimal | None]:
    """Net amount = quantity x unit price x (1 - discount); cost = quantity x unit cost.

    Both quantised half-up to 4 decimal places; negative for a return or credit note."""
    net = (quantity * unit_price * (1 - discount)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    cost = None
    if unit_cost is not None:
        cost = (quantity * unit_cost).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
    return net, cost


def _check_places(value: Decimal, field: str, places: int) -> None:
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise ApplicationError(
            f"{field} has at most {places} decimal places", field=field, code="invalid_number"
        )


def _build_line(
    *,
    actor: Actor,
    order: Order,
    raw: dict[str, Any],
    number: int,
    products: dict[str, Product],
    rates: RateBook,
) -> tuple[OrderLine, list[tuple[Membership, Decimal]]]:
    field = f"lines[{number}]"
    product = raw.get("product")
    same_org(actor, product, f"{field}.product")
    sku = clean_text(raw.get("sku")).upper()
    if product is None and sku:
        product = products.get(sku)
    if product is not None and not sku:
        sku = product.sku
    if not sku:
        raise ApplicationError(f"{field}.sku is required", field=f"{field}.sku", code="required")
    quantity = raw.get("quantity")
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity == 0:
        raise ApplicationError(
            f"{field}.quantity must be a non-zero number",
            field=f"{field}.quantity",
            code="invalid_number",
        )
    if abs(quantity) >= QUANTITY_LIMIT:
        raise ApplicationError(
            f"{field}.quantity is too large", field=f"{field}.quantity", code="too_large"
        )
    _check_places(quantity, f"{field}.quantity", 4)
    unit_price = raw.get("unit_price")
    if unit_price is None and product is not None and product.currency == order.currency:
        unit_price = product.unit_price
    if unit_price is None:
        raise ApplicationError(
            f"{field}.unit_price is required", field=f"{field}.unit_price", code="required"
        )
    check_money(unit_price, f"{field}.unit_price")
    _check_places(unit_price, f"{field}.unit_price", 4)
    discount = raw.get("discount") or Decimal(0)
    check_fraction(discount, f"{field}.discount")
    _check_places(discount, f"{field}.discount", 6)
    unit_cost = raw.get("unit_cost")
    if unit_cost is None and product is not None and product.currency == order.currency:
        unit_cost = product.unit_cost
    check_money(unit_cost, f"{field}.unit_cost")
    if unit_cost is not None:
        _check_places(unit_cost, f"{field}.unit_cost", 4)
    status = raw.get("status") or OrderLineStatus.CONFIRMED
    if status not in OrderLineStatus.values:
        raise ApplicationError(
            f"{field}.status must be one of {', '.join(OrderLineStatus.values)}",
            field=f"{field}.status",
            code="invalid_choice",
        )
    status_date = raw.get("status_date")
    if status == OrderLineStatus.CONFIRMED:
        status_date = None
    elif status_date is None:
        status_date = order.order_date
    if status_date is not None and status_date < order.order_date:
        raise ApplicationError(
            f"{field}.status_date cannot be before the order date",
            field=f"{field}.status_date",
            code="invalid_date",
        )
    net, cost = line_amounts(quantity, unit_price, discount, unit_cost)
    if abs(net) >= MONEY_LIMIT or (cost is not None and abs(cost) >= MONEY_LIMIT):
        raise ApplicationError(f"{field} amount is too large", field=field, code="too_large")
    line = OrderLine(
        organisation_id=actor.organisation_id,
        order=order,
        line=raw.get("line") or number,
        product=product,
        sku=sku,
        product_category_id=product.category_id if product is not None else None,
        quantity=quantity,
        unit_price=unit_price,
        discount=discount,
        unit_cost=unit_cost,
        net_amount=net,
        cost_amount=cost,
        currency=order.currency,
        net_amount_reporting=rates.convert(net, order.currency, order.order_date),
        cost_amount_reporting=None
        if cost is None
        else rates.convert(cost, order.currency, order.order_date),
        status=status,
        status_date=status_date,
        order_date=order.order_date,
        owner_id=order.owner_id,
        returns_line=raw.get("returns_line"),
    )
    splits = list(raw.get("splits") or [])
    if splits:
        check_shares(splits, actor=actor, field=f"{field}.splits")
    return line, splits


@transaction.atomic
def order_create(
    *,
    actor: Actor,
    order_date: dt.date,
    lines: list[dict[str, Any]],
    owner: Membership | None = None,
    account: Account | None = None,
    currency: str | None = None,
    external_id: str | None = None,
) -> Order:
    """Book an order with its lines (and each line's credit split, if any)."""
    require_writer(actor)
    owner = resolve_owner(actor, owner, required=True)
    same_org(actor, account, "account")
    if not lines:
        raise ApplicationError("an order needs at least one line", field="lines", code="required")
    org = Organisation.objects.get(pk=actor.organisation_id)
    currency = clean_currency(currency, default=org.currency)
    rates = RateBook(org, [currency])
    order = Order(
        organisation_id=actor.organisation_id,
        external_id=clean_text(external_id) or new_external_id("ORD"),
        order_date=order_date,
        owner=owner,
        account=account,
        currency=currency,
    )
    save_validated(order, exclude=["organisation", "owner", "account"], what="order")
    skus = {clean_text(r.get("sku")).upper() for r in lines if r.get("product") is None}
    products = {
        p.sku: p
        for p in Product.objects.filter(organisation_id=actor.organisation_id, sku__in=skus)
    }
    built = [
        _build_line(actor=actor, order=order, raw=raw, number=i, products=products, rates=rates)
        for i, raw in enumerate(lines, start=1)
    ]
    numbers = [line.line for line, _ in built]
    if len(set(numbers)) != len(numbers):
        raise ApplicationError(
            "line numbers must be unique within an order", field="lines", code="duplicate"
        )
    created = OrderLine.objects.bulk_create([line for line, _ in built])
    OrderLineSplit.objects.bulk_create(
        OrderLineSplit(organisation_id=actor.organisation_id, line=line, member=m, share=s)
        for line, (_, splits) in zip(created, built, strict=True)
        for m, s in splits
    )
    audit_record(
        actor=actor,
        action="order.create",
        obj=order,
        after={
            "external_id": order.external_id,
            "owner": owner.pk,
            "order_date": order_date.isoformat(),
            "lines": len(created),
            "net_amount": str(sum((ln.net_amount for ln in created), Decimal(0))),
            "currency": currency,
        },
    )
    return order


@transaction.atomic
def order_update(*, actor: Actor, order: Order, **changes) -> Order:
    """Change an order's header; its lines follow (owner and date are copied onto them)."""
    allowed = {"order_date", "owner", "account", "external_id"}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(
            f"cannot change {', '.join(sorted(unknown))}",
            code="read_only",
            field=sorted(unknown)[0],
        )
    require_edit(actor, order)
    order = Order.objects.select_for_update().get(pk=order.pk)
    require_edit(actor, order)
    if "owner" in changes:
        check_owner_change(actor, order, changes["owner"], required=True)
    if "account" in changes:
        same_org(actor, changes["account"], "account")
    if "order_date" in changes:
        if changes["order_date"] is None:
            raise ApplicationError("order_date is required", field="order_date", code="required")
        first_status = order.lines.exclude(status_date=None).order_by("status_date").first()
        if first_status is not None and first_status.status_date < changes["order_date"]:
            raise ApplicationError(
                "a line was cancelled or returned before that date",
                field="order_date",
                code="invalid_date",
            )
    if "external_id" in changes:
        changes["external_id"] = require_text(changes["external_id"], "external_id")
    before = {"owner": order.owner_id, "order_date": order.order_date.isoformat()}
    changed = apply_changes(order, changes)
    if not changed:
        return order
    save_validated(
        order, exclude=["organisation", "owner", "account"], what="order", update_fields=changed
    )
    if "owner" in changed or "order_date" in changed:
        lines = list(order.lines.all())
        org = Organisation.objects.get(pk=actor.organisation_id)
        rates = RateBook(org, [order.currency])
        # bulk_update skips auto_now: stamp the lines so the revenue rollup sees them change.
        now = timezone.now()
        for line in lines:
            line.updated_at = now
            line.owner_id = order.owner_id
            line.order_date = order.order_date
            line.net_amount_reporting = rates.convert(
                line.net_amount, line.currency, order.order_date
            )
            if line.cost_amount is not None:
                line.cost_amount_reporting = rates.convert(
                    line.cost_amount, line.currency, order.order_date
                )
        OrderLine.objects.bulk_update(
            lines,
            ["owner", "order_date", "net_amount_reporting", "cost_amount_reporting", "updated_at"],
        )
        after = {"owner": order.owner_id, "order_date": order.order_date.isoformat()}
        action = "order.owner_change" if after["owner"] != before["owner"] else "order.update"
        audit_record(actor=actor, action=action, obj=order, before=before, after=after)
    return order


def _lock_line(actor: Actor, line: OrderLine) -> OrderLine:
    require_edit(actor, line)
    locked = (
        OrderLine.objects.select_for_update(of=("self",)).select_related("order").get(pk=line.pk)
    )
    require_edit(actor, locked)
    return locked


@transaction.atomic
def order_line_cancel(
    *, actor: Actor, line: OrderLine, status_date: dt.date | None = None
) -> OrderLine:
    """Cancel a confirmed line; it is taken back from revenue in the period of ``status_date``."""
    line = _lock_line(actor, line)
    if line.status != OrderLineStatus.CONFIRMED:
        raise Conflict(
            f"Only a confirmed line can be cancelled; this one is {line.status}.",
            code="not_confirmed",
        )
    if line.credit_lines.exists():
        raise Conflict(
            "This line has returns; cancel those credit lines first.", code="has_returns"
        )
    status_date = status_date or timezone.localdate()
    if status_date < line.order_date:
        raise ApplicationError(
            "the cancellation cannot be before the order date",
            field="status_date",
            code="invalid_date",
        )
    line.status = OrderLineStatus.CANCELLED
    line.status_date = status_date
    line.save(update_fields=["status", "status_date", "updated_at"])
    audit_record(
        actor=actor,
        action="order_line.status",
        obj=line,
        before={"status": OrderLineStatus.CONFIRMED},
        after={
            "status": line.status,
            "status_date": status_date.isoformat(),
            "net_amount": str(line.net_amount),
        },
    )
    return line


@transaction.atomic
def order_line_return(
    *,
    actor: Actor,
    line: OrderLine,
    quantity: Decimal | None = None,
    return_date: dt.date | None = None,
) -> OrderLine:
    """Take back some or all of a sold line: a credit-note order dated the return with one
    negative line (same price, discount, cost and split). Answers the credit line."""
    line = _lock_line(actor, line)
    if line.status != OrderLineStatus.CONFIRMED or line.quantity <= 0:
        raise Conflict("Only a confirmed sale line can be returned.", code="not_returnable")
    returned = -(
        line.credit_lines.filter(status=OrderLineStatus.RETURNED).aggregate(q=Sum("quantity"))["q"]
        or Decimal(0)
    )
    remaining = line.quantity - returned
    if quantity is None:
        quantity = remaining
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
        raise ApplicationError(
            "quantity must be a positive number", field="quantity", code="invalid_number"
        )
    if quantity > remaining:
        raise ApplicationError(
            f"only {remaining.normalize()} left to return", field="quantity", code="too_many"
        )
    return_date = return_date or timezone.localdate()
    if return_date < line.order_date:
        raise ApplicationError(
            "the return cannot be before the order date", field="return_date", code="invalid_date"
        )
    order = line.order
    n = (
        Order.objects.filter(
            organisation_id=actor.organisation_id, external_id__startswith=f"{order.external_id}-R"
        ).count()
        + 1
    )
    external_id = f"{order.external_id}-R{n}"
    while Order.objects.filter(
        organisation_id=actor.organisation_id, external_id=external_id
    ).exists():
        n += 1
        external_id = f"{order.external_id}-R{n}"
    splits = [(s.member, s.share) for s in line.splits.select_related("member")]
    credit_order = Order(
        organisation_id=actor.organisation_id,
        external_id=external_id[:100],
        order_date=return_date,
        owner_id=order.owner_id,
        account_id=order.account_id,
        currency=order.currency,
    )
    save_validated(credit_order, exclude=["organisation", "owner", "account"], what="order")
    org = Organisation.objects.get(pk=actor.organisation_id)
    credit, _ = _build_line(
        actor=actor,
        order=credit_order,
        raw={
            "product": line.product,
            "sku": line.sku,
            "quantity": -quantity,
            "unit_price": line.unit_price,
            "discount": line.discount,
            "unit_cost": line.unit_cost,
            "status": OrderLineStatus.RETURNED,
            "status_date": return_date,
            "line": 1,
            "returns_line": line,
        },
        number=1,
        products={},
        rates=RateBook(org, [order.currency]),
    )
    credit.product_category_id = line.product_category_id
    credit.save()
    OrderLineSplit.objects.bulk_create(
        OrderLineSplit(organisation_id=actor.organisation_id, line=credit, member=m, share=s)
        for m, s in splits
    )
    audit_record(
        actor=actor,
        action="order_line.return",
        obj=line,
        after={
            "credit_order": credit_order.external_id,
            "quantity": str(-quantity),
            "net_amount": str(credit.net_amount),
            "status_date": return_date.isoformat(),
        },
    )
    return credit


@transaction.atomic
def order_line_set_splits(
    *, actor: Actor, line: OrderLine, splits: list[tuple[Membership, Decimal]]
) -> list[OrderLineSplit]:
    """Replace a line's credit split; shares sum to 1. An empty list: all to the owner."""
    line = _lock_line(actor, line)
    check_shares(splits, actor=actor)
    before = {str(m): str(s) for m, s in line.splits.values_list("member_id", "share")}
    after = {str(m.pk): str(s.quantize(FOUR_PLACES)) for m, s in splits}
    if before == after:
        return list(line.splits.all())
    line.splits.all().delete()
    # Deleted splits leave no trace in the splits table: the line's own stamp tells the revenue
    # rollup that its credit moved (back to the owner, or to the new members).
    line.save(update_fields=["updated_at"])
    rows = OrderLineSplit.objects.bulk_create(
        OrderLineSplit(organisation_id=actor.organisation_id, line=line, member=m, share=s)
        for m, s in splits
    )
    audit_record(actor=actor, action="order_line.splits", obj=line, before=before, after=after)
    return rows

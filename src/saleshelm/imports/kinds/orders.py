"""orders: one row per order line, keyed by the order's external id and the line number
(SPEC §4). The fastest path of the engine: a million lines are checked and written with a
handful of queries per 5,000-line batch and no model instance.

The order's own values (date, owner, account, currency) repeat on each of its lines and must
agree. Line values follow the crm services (``saleshelm.crm.services.orders``): SKUs in
capitals, net amount = quantity × unit price × (1 − discount) and cost = quantity × unit cost,
both rounded half-up to 4 places, amounts in the reporting currency at the order date's rate
(a missing rate is an error), ``status_date`` only for cancelled and returned lines
(defaulting to the order date), a negative quantity for a return or credit note.

Unknown SKUs and product categories are created (admins and directors; a manager's file must
use existing products). The line's category is its product's. Lines are never deleted by an
import: a line missing from the file stays as it is (cancel it with ``status``).
"""

from __future__ import annotations

import operator
import re
from decimal import ROUND_HALF_UP, Decimal

from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleshelm.core.errors import ApplicationError
from saleshelm.crm.models import OrderLineStatus
from saleshelm.imports.columns import Column
from saleshelm.imports.kinds import base
from saleshelm.imports.kinds._records import owner_lookup_columns
from saleshelm.imports.kinds.base import (
    FOUR_PLACES,
    ImportContext,
    Kind,
    Row,
    has_none,
    register,
)
from saleshelm.imports.writing import (
    BulkUpdate,
    BulkWriter,
    adapt_datetime,
    delete_where_in,
    select_in,
)
from saleshelm.tenancy.actors import Actor

MONEY_LIMIT = Decimal(10) ** 16
_WHITESPACE = re.compile(r"\s")
_BAD = operator.attrgetter("bad")
LINE_FIELDS = (
    "product_id",
    "sku",
    "product_category_id",
    "quantity",
    "unit_price",
    "discount",
    "unit_cost",
    "net_amount",
    "cost_amount",
    "currency",
    "net_amount_reporting",
    "cost_amount_reporting",
    "status",
    "status_date",
    "order_date",
    "owner_id",
)
ORDER_FIELDS = ("order_date", "owner_id", "account_id", "currency")


class OrdersKind(Kind):
    name = "orders"
    label = gettext_lazy("Orders (one row per line)")
    description = gettext_lazy(
        "Booked orders, one row per order line: the revenue that targets and commissions credit."
    )
    key = ("external_id", "line")
    batch_size = 5000
    columns = (
        Column(
            "external_id",
            "text",
            required=True,
            max_length=100,
            example="SO-1001",
            help=gettext_lazy("The order's id; repeated on each of its lines."),
        ),
        Column(
            "line",
            "int",
            required=True,
            minimum=1,
            example="1",
            help=gettext_lazy("Line number within the order (1, 2, …)."),
        ),
        Column(
            "order_date",
            "date",
            required=True,
            example="2026-07-03",
            help=gettext_lazy("Booking date: the period the line counts in."),
        ),
        *owner_lookup_columns(),
        Column(
            "sku",
            "text",
            required=True,
            max_length=64,
            example="XS-400",
            help=gettext_lazy("Product code (capitals); a new SKU creates the product."),
        ),
        Column(
            "quantity",
            "decimal",
            required=True,
            example="10",
            help=gettext_lazy("Negative for a return or credit note; not zero."),
        ),
        Column("unit_price", "decimal", required=True, minimum=Decimal(0), example="250.00"),
        Column(
            "product_name",
            "text",
            max_length=200,
            example="Barcode scanner XS-400",
            help=gettext_lazy("Name of a new product (default: the SKU)."),
        ),
        Column(
            "product_category",
            "text",
            max_length=120,
            example="Hardware",
            help=gettext_lazy("Category of a new product; created if absent."),
        ),
        Column("account_external_id", "text", max_length=100, example="ACC-1001"),
        Column(
            "discount",
            "decimal",
            places=6,
            minimum=Decimal(0),
            maximum=Decimal(1),
            example="0.05",
            help=gettext_lazy("A fraction: 0.05 is 5 %."),
        ),
        Column("unit_cost", "decimal", minimum=Decimal(0), example="160.00"),
        Column(
            "currency",
            "currency",
            example="USD",
            help=gettext_lazy("ISO code; default: the organisation's reporting currency."),
        ),
        Column(
            "status",
            "choice",
            choices=tuple(OrderLineStatus.values),
            example="confirmed",
            help=gettext_lazy("confirmed (default), cancelled or returned."),
        ),
        Column(
            "status_date",
            "date",
            example="2026-08-20",
            help=gettext_lazy("When a line was cancelled or returned (default: the order date)."),
        ),
        Column(
            "split",
            "split",
            max_length=500,
            example="an@example.com:60;binh@example.com:40",
            help=gettext_lazy("Credit split: member emails and percentages summing to 100."),
        ),
    )
    required_one_of = (("owner_email", "owner_name"),)

    # --- checking --------------------------------------------------------------------------
    def begin(self, ctx: ImportContext) -> None:
        from saleshelm.crm.permissions import can_write_catalogue

        st = ctx.state
        st["lines"] = {}  # (external_id, line) -> row number
        st["orders"] = {}  # external_id -> (row number, header)
        st["accounts"] = {}  # account external_id -> id
        st["products"] = {}  # SKU -> (product id, category id)
        st["categories"] = {}  # category name key -> id
        st["new_products"] = {}  # SKU -> dict
        st["new_categories"] = {}  # name key -> name
        st["owners"] = {}  # email or name -> (id, problem)
        st["owner_ids"] = ({}, {})  # [by_name] email or name -> id, for owners without problem
        st["written_orders"] = {}  # external_id -> order id (written in this import)
        st["may_shape"] = can_write_catalogue(actor=ctx.actor)
        st["currency"] = ctx.organisation.currency

    def _owner(self, ctx: ImportContext, key: str, by_name: bool) -> tuple[int | None, str | None]:
        cache = ctx.state["owners"]
        found = cache.get((by_name, key))
        if found is None:
            members = ctx.members
            found = members.by_name_or_error(key) if by_name else members.by_email_or_error(key)
            if found[0] is not None and not members.in_scope(found[0]):
                found = (None, _("this member is outside the teams you manage"))
            cache[(by_name, key)] = found
        return found

    def _lookups(self, ctx: ImportContext, rows: list[Row]) -> None:
        """One query per referenced table for what this batch names and we have not seen."""
        from saleshelm.crm.models import Account, Product, ProductCategory

        st, ix, org_id = ctx.state, self.index, ctx.organisation_id
        i_acc, i_sku, i_cat = ix["account_external_id"], ix["sku"], ix["product_category"]
        accounts, products, categories = st["accounts"], st["products"], st["categories"]
        want_acc, want_sku, want_cat = set(), set(), set()
        for r in rows:
            v = r.values
            if v[i_acc] is not None and v[i_acc] not in accounts:
                want_acc.add(v[i_acc])
            if v[i_sku] is not None:
                v[i_sku] = v[i_sku].upper()
                if v[i_sku] not in products:
                    want_sku.add(v[i_sku])
            if v[i_cat] is not None and v[i_cat].casefold() not in categories:
                want_cat.add(v[i_cat].casefold())
        if want_acc:
            accounts.update(
                select_in(
                    Account, ["external_id", "id"], "external_id", want_acc, organisation_id=org_id
                )
            )
        if want_sku:
            for sku, pk, category_id in select_in(
                Product, ["sku", "id", "category_id"], "sku", want_sku, organisation_id=org_id
            ):
                products[sku] = (pk, category_id)
        if want_cat:
            for pk, lname in (
                ProductCategory.objects.filter(organisation_id=org_id)
                .order_by()
                .annotate(lname=Lower("name"))
                .filter(lname__in=list(want_cat))
                .values_list("pk", "lname")
            ):
                categories[lname.casefold()] = pk

    def _pass1_fast(self, ctx: ImportContext, rows: list[Row]) -> bool:
        """Pass 1 of ``check`` column by column, for a batch that is clean: every cell parsed,
        no duplicate line, known owners, accounts and products, orders that agree with
        themselves, amounts in range with a rate. Answers False, having recorded nothing,
        as soon as one row is not; the row-by-row pass then finds and words the errors.
        Both give each row the same ``extra``."""
        if not rows or not base.COLUMN_BY_COLUMN or any(map(_BAD, rows)):
            return False
        st, ix = ctx.state, self.index
        cols = list(zip(*[r.values for r in rows], strict=True))
        ext, line, day = cols[ix["external_id"]], cols[ix["line"]], cols[ix["order_date"]]
        numbers = [r.number for r in rows]
        # Each (order, line) once in the file.
        keys = list(zip(ext, line, strict=True))
        seen_lines = st["lines"]
        if len(set(keys)) != len(keys) or not seen_lines.keys().isdisjoint(keys):
            return False
        # Owners: by email on every row, or by name on every row.
        emails = cols[ix["owner_email"]]
        by_name = has_none(emails)
        if by_name and any(e is not None for e in emails):
            return False
        named = cols[ix["owner_name"]] if by_name else emails
        known = st["owner_ids"][by_name]
        missing = set(named).difference(known)
        for key in missing:
            owner_id, problem = self._owner(ctx, key, by_name)
            if problem:
                return False
            known[key] = owner_id
        owner_ids = list(map(known.__getitem__, named))
        # Accounts and products named exist (``_lookups`` loaded them); SKUs have no spaces.
        accounts = st["accounts"]
        acc = cols[ix["account_external_id"]]
        if has_none(acc):
            account_ids = [None if a is None else accounts.get(a) for a in acc]
            if any(i is None for a, i in zip(acc, account_ids, strict=True) if a is not None):
                return False
        else:
            try:
                account_ids = list(map(accounts.__getitem__, acc))
            except KeyError:
                return False
        skus = cols[ix["sku"]]
        if any(_WHITESPACE.search(sku) for sku in set(skus)):
            return False
        try:
            products = list(map(st["products"].__getitem__, skus))
        except KeyError:
            return False
        # The order's values agree on all its lines, here and in earlier batches.
        default_currency = st["currency"]
        cur = cols[ix["currency"]]
        currency = [c or default_currency for c in cur] if has_none(cur) else list(cur)
        headers = list(zip(day, owner_ids, acc, currency, strict=True))
        firsts = dict(
            zip(reversed(ext), zip(reversed(numbers), reversed(headers), strict=True), strict=True)
        )
        if len(set(zip(ext, headers, strict=True))) != len(firsts):
            return False
        orders = st["orders"]
        if any(orders[e][1] != firsts[e][1] for e in firsts.keys() & orders.keys()):
            return False
        # Quantities, statuses and splits.
        qty = cols[ix["quantity"]]
        if 0 in qty:
            return False
        confirmed = OrderLineStatus.CONFIRMED
        given_status, given_dates = cols[ix["status"]], cols[ix["status_date"]]
        n = len(rows)
        statuses = [s or confirmed for s in given_status] if any(given_status) else [confirmed] * n
        if statuses.count(confirmed) == n:
            status_dates: list = [None] * n
        else:
            status_dates = [
                None if s == confirmed else (d if d is not None else o)
                for s, d, o in zip(statuses, given_dates, day, strict=True)
            ]
            if any(d is not None and d < o for d, o in zip(status_dates, day, strict=True)):
                return False
        given_splits = cols[ix["split"]]
        splits: list[tuple | None] = [None] * n
        if any(given_splits):
            members = ctx.members
            for i, given in enumerate(given_splits):
                if given is None:
                    continue
                split = []
                for email, share in given:
                    member_id, problem = members.by_email_or_error(email)
                    if problem:
                        return False
                    split.append((member_id, share))
                splits[i] = tuple(sorted(split))
        # Amounts, as ``line_amounts`` and the rate book give them.
        zero, one = Decimal(0), Decimal(1)
        price, unit_cost = cols[ix["unit_price"]], cols[ix["unit_cost"]]
        disc = cols[ix["discount"]]
        discounts = [zero if d is None else d for d in disc] if has_none(disc) else disc
        nets = [
            (q * p * (one - d)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
            for q, p, d in zip(qty, price, discounts, strict=True)
        ]
        costs = [
            None if c is None else (q * c).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
            for q, c in zip(qty, unit_cost, strict=True)
        ]
        given_costs: list[Decimal] = [c for c in costs if c is not None]
        if max(map(abs, nets)) >= MONEY_LIMIT or (
            given_costs and max(map(abs, given_costs)) >= MONEY_LIMIT
        ):
            return False
        rates = ctx.rates
        reporting = rates.reporting
        if all(c == reporting for c in currency):
            nets_rep, costs_rep = nets, costs
        else:
            convert = rates.convert
            try:
                nets_rep = [
                    n if c == reporting else convert(n, c, d)
                    for n, c, d in zip(nets, currency, day, strict=True)
                ]
                costs_rep = [
                    n if n is None or c == reporting else convert(n, c, d)
                    for n, c, d in zip(costs, currency, day, strict=True)
                ]
            except ApplicationError:
                return False
        # All clean: record the batch.
        seen_lines.update(zip(keys, numbers, strict=True))
        for e, first in firsts.items():
            orders.setdefault(e, first)
        lines = zip(
            [p[0] for p in products],
            skus,
            [p[1] for p in products],
            qty,
            price,
            discounts,
            unit_cost,
            nets,
            costs,
            currency,
            nets_rep,
            costs_rep,
            statuses,
            status_dates,
            day,
            owner_ids,
            strict=True,
        )
        for row, order, values, shares in zip(
            rows,
            zip(day, owner_ids, account_ids, currency, strict=True),
            lines,
            splits,
            strict=True,
        ):
            row.extra = {"order": order, "line": list(values), "split": shares}
        return True

    def check(self, ctx: ImportContext, rows: list[Row]) -> None:
        from saleshelm.crm.models import Order, OrderLine, OrderLineSplit

        st, ix, org_id = ctx.state, self.index, ctx.organisation_id
        self._lookups(ctx, rows)
        (
            i_ext,
            i_line,
            i_date,
            i_email,
            i_name,
            i_sku,
            i_qty,
            i_price,
            i_pname,
            i_cat,
            i_acc,
            i_disc,
            i_cost,
            i_cur,
            i_status,
            i_sdate,
            i_split,
        ) = (
            ix[c]
            for c in (
                "external_id",
                "line",
                "order_date",
                "owner_email",
                "owner_name",
                "sku",
                "quantity",
                "unit_price",
                "product_name",
                "product_category",
                "account_external_id",
                "discount",
                "unit_cost",
                "currency",
                "status",
                "status_date",
                "split",
            )
        )
        seen_lines, orders = st["lines"], st["orders"]
        accounts, products, categories = st["accounts"], st["products"], st["categories"]
        new_products, new_categories = st["new_products"], st["new_categories"]
        may_shape = st["may_shape"]
        default_currency = st["currency"]
        members = ctx.members
        rates = ctx.rates
        confirmed = OrderLineStatus.CONFIRMED
        zero = Decimal(0)
        one = Decimal(1)

        # Pass 1: each row on its own and against the rows before it (column by column when
        # the batch is clean, else row by row to name every problem).
        fast = self._pass1_fast(ctx, rows)
        for row in () if fast else rows:
            v = row.values
            ext, line = v[i_ext], v[i_line]
            if ext is not None and line is not None:
                key = (ext, line)
                first = seen_lines.get(key)
                if first is not None:
                    ctx.error(
                        row,
                        "line",
                        line,
                        _("duplicate of row %(n)s (same order and line)") % {"n": first},
                    )
                else:
                    seen_lines[key] = row.number
            # Owner.
            owner_id = None
            if v[i_email] is not None:
                owner_id, problem = self._owner(ctx, v[i_email], False)
                if problem:
                    ctx.error(row, "owner_email", v[i_email], problem)
            elif v[i_name] is not None:
                owner_id, problem = self._owner(ctx, v[i_name], True)
                if problem:
                    ctx.error(row, "owner_name", v[i_name], problem)
            # Account.
            account_id = None
            if v[i_acc] is not None:
                account_id = accounts.get(v[i_acc])
                if account_id is None:
                    ctx.error(
                        row,
                        "account_external_id",
                        v[i_acc],
                        _("no account with this external_id in the organisation"),
                    )
            currency = v[i_cur] or default_currency
            # The order's values must agree on all its lines.
            if ext is not None and v[i_date] is not None:
                header = (v[i_date], owner_id, v[i_acc], currency)
                seen = orders.get(ext)
                if seen is None:
                    orders[ext] = (row.number, header)
                elif seen[1] != header and not row.bad:
                    for name, a, b in zip(
                        ("order_date", "owner_email", "account_external_id", "currency"),
                        seen[1],
                        header,
                        strict=True,
                    ):
                        if a != b:
                            shown = {
                                "order_date": v[i_date],
                                "owner_email": v[i_email] or v[i_name],
                                "account_external_id": v[i_acc],
                                "currency": v[i_cur],
                            }[name]
                            ctx.error(
                                row,
                                name if name != "owner_email" or v[i_email] else "owner_name",
                                shown,
                                _("differs from row %(n)s of the same order") % {"n": seen[0]},
                            )
                            break
            # Product and category.
            sku = v[i_sku]
            product = None
            if sku is not None:
                if _WHITESPACE.search(sku):
                    ctx.error(row, "sku", sku, _("a SKU has no spaces"))
                else:
                    product = products.get(sku)
                    if product is None:
                        if not may_shape:
                            ctx.error(
                                row,
                                "sku",
                                sku,
                                _(
                                    "no product with this SKU; an admin or director "
                                    "can import the file to create it"
                                ),
                            )
                        else:
                            cat = v[i_cat]
                            if cat is not None and cat.casefold() not in categories:
                                new_categories.setdefault(cat.casefold(), cat)
                            if sku not in new_products:
                                new_products[sku] = {
                                    "name": v[i_pname] or sku,
                                    "category": cat.casefold() if cat else None,
                                    "unit_price": v[i_price] if v[i_price] is not None else zero,
                                    "unit_cost": v[i_cost],
                                    "currency": currency,
                                }
            # Amounts.
            quantity, price = v[i_qty], v[i_price]
            if quantity is not None and quantity == 0:
                ctx.error(row, "quantity", "0", _("must not be zero"))
            status = v[i_status] or confirmed
            status_date = v[i_sdate] if status != confirmed else None
            if status != confirmed and status_date is None:
                status_date = v[i_date]
            if status_date is not None and v[i_date] is not None and status_date < v[i_date]:
                ctx.error(row, "status_date", status_date, _("before the order date"))
            split: list[tuple[int | None, Decimal]] | None = None
            if v[i_split] is not None:
                split = []
                for email, share in v[i_split]:
                    member_id, problem = members.by_email_or_error(email)
                    if problem:
                        ctx.error(row, "split", email, problem)
                        split = None
                        break
                    split.append((member_id, share))
            if row.bad:
                continue
            discount = v[i_disc] if v[i_disc] is not None else zero
            net = (quantity * price * (one - discount)).quantize(
                FOUR_PLACES, rounding=ROUND_HALF_UP
            )
            cost = None
            if v[i_cost] is not None:
                cost = (quantity * v[i_cost]).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
            if abs(net) >= MONEY_LIMIT or (cost is not None and abs(cost) >= MONEY_LIMIT):
                ctx.error(row, "quantity", quantity, _("the line amount is too large"))
                continue
            try:
                net_rep = rates.convert(net, currency, v[i_date])
                cost_rep = None if cost is None else rates.convert(cost, currency, v[i_date])
            except ApplicationError as exc:
                ctx.error(row, "currency", currency, exc.message)
                continue
            row.extra = {
                "order": (v[i_date], owner_id, account_id, currency),
                "line": [
                    product[0] if product else sku,  # resolved at write for a new product
                    sku,
                    product[1] if product else ("sku", sku),
                    quantity,
                    price,
                    discount,
                    v[i_cost],
                    net,
                    cost,
                    currency,
                    net_rep,
                    cost_rep,
                    status,
                    status_date,
                    v[i_date],
                    owner_id,
                ],
                "split": None if split is None else tuple(sorted(split)),
            }

        # Pass 2: against the database (existing orders, their lines and splits).
        exts = list({r.values[i_ext] for r in rows if r.extra})
        existing_orders = {}
        # Which of them exist, without the ORM's cost per value; then their values, if any.
        known = [
            e
            for (e,) in select_in(
                Order, ["external_id"], "external_id", exts, organisation_id=org_id
            )
        ]
        if known:
            for ext, pk, *header in (
                Order.objects.filter(organisation_id=org_id, external_id__in=known)
                .order_by()
                .values_list("external_id", "pk", *ORDER_FIELDS)
            ):
                existing_orders[ext] = (pk, tuple(header))
        order_ids = [o[0] for o in existing_orders.values()]
        existing_lines: dict[tuple[int, int], tuple] = {}
        splits: dict[int, tuple] = {}
        if order_ids:
            wanted = {
                (existing_orders[r.values[i_ext]][0], r.values[i_line])
                for r in rows
                if r.extra and r.values[i_ext] in existing_orders
            }
            for order_id, line, pk, *values in (
                OrderLine.objects.filter(order_id__in=order_ids)
                .order_by()
                .values_list("order_id", "line", "pk", *LINE_FIELDS)
            ):
                if (order_id, line) in wanted:
                    existing_lines[(order_id, line)] = (pk, values)
            line_ids = [v[0] for v in existing_lines.values()]
            if line_ids:
                found: dict[int, list] = {}
                for line_id, member_id, share in (
                    OrderLineSplit.objects.filter(line_id__in=line_ids)
                    .order_by()
                    .values_list("line_id", "member_id", "share")
                ):
                    found.setdefault(line_id, []).append((member_id, share))
                splits = {k: tuple(sorted(v)) for k, v in found.items()}
        scoped = members.scope is not None
        written = st["written_orders"]
        for row in rows:
            extra = row.extra
            if not extra:
                continue
            ext = row.values[i_ext]
            old_order = existing_orders.get(ext)
            if old_order is None:
                extra["order_status"] = "known" if ext in written else "new"
                extra["status"] = "created"
                ctx.created += 1
                continue
            order_id, old_header = old_order
            if scoped and not members.in_scope(old_header[1]):
                ctx.error(
                    row,
                    "external_id",
                    ext,
                    _("this order belongs to a member outside the teams you manage"),
                )
                continue
            extra["order_id"] = order_id
            new_header = extra["order"]
            extra["order_status"] = (
                "same" if new_header == old_header or ext in written else "changed"
            )
            old_line = existing_lines.get((order_id, row.values[i_line]))
            if old_line is None:
                extra["status"] = "created"
                ctx.created += 1
                continue
            line_id, old_values = old_line
            extra["line_id"] = line_id
            new_values = extra["line"]
            same = all(a == b for a, b in zip(new_values, old_values, strict=True))
            new_split = extra["split"]
            if new_split is not None and new_split != splits.get(line_id, ()):
                extra["split_changed"] = True
                same = False
            if same and extra["order_status"] == "same":
                extra["status"] = "unchanged"
                ctx.unchanged += 1
            else:
                extra["status"] = "updated"
                ctx.updated += 1

    # --- writing ---------------------------------------------------------------------------
    def _catalogue(self, ctx: ImportContext) -> None:
        from saleshelm.crm.models import Product, ProductCategory

        st, org_id = ctx.state, ctx.organisation_id
        now = adapt_datetime(ctx.now)
        if st["new_categories"]:
            BulkWriter(
                ProductCategory, ["organisation_id", "name", "created_at", "updated_at"]
            ).write([(org_id, name, now, now) for name in st["new_categories"].values()])
            wanted = list(st["new_categories"])
            for pk, lname in (
                ProductCategory.objects.filter(organisation_id=org_id)
                .order_by()
                .annotate(lname=Lower("name"))
                .filter(lname__in=wanted)
                .values_list("pk", "lname")
            ):
                st["categories"][lname.casefold()] = pk
            st["new_categories"] = {}
        if st["new_products"]:
            rows = []
            for sku, p in st["new_products"].items():
                category_id = st["categories"].get(p["category"]) if p["category"] else None
                rows.append(
                    (
                        org_id,
                        sku,
                        p["name"],
                        category_id,
                        p["unit_price"],
                        p["unit_cost"],
                        p["currency"],
                        True,
                        now,
                        now,
                    )
                )
            BulkWriter(
                Product,
                [
                    "organisation_id",
                    "sku",
                    "name",
                    "category_id",
                    "unit_price",
                    "unit_cost",
                    "currency",
                    "is_active",
                    "created_at",
                    "updated_at",
                ],
                conflict=["organisation_id", "sku"],
                update=[],
            ).write(rows)
            for sku, pk, category_id in (
                Product.objects.filter(organisation_id=org_id, sku__in=list(st["new_products"]))
                .order_by()
                .values_list("sku", "pk", "category_id")
            ):
                st["products"][sku] = (pk, category_id)
            ctx.warn(
                _("%(n)s products created: %(skus)s")
                % {
                    "n": len(st["new_products"]),
                    "skus": ", ".join(list(st["new_products"])[:10])
                    + (" …" if len(st["new_products"]) > 10 else ""),
                }
            )
            st["new_products"] = {}

    def write(self, ctx: ImportContext, rows: list[Row]) -> None:
        from saleshelm.crm.models import Order, OrderLine, OrderLineSplit

        st, ix, org_id = ctx.state, self.index, ctx.organisation_id
        i_ext, i_line = ix["external_id"], ix["line"]
        now = adapt_datetime(ctx.now)
        self._catalogue(ctx)
        products = st["products"]
        written = st["written_orders"]

        # Orders: new ones and changed ones (their values repeat on each line: once is enough).
        headers: dict[str, tuple] = {}
        changed_orders: set[str] = set()
        for row in rows:
            extra = row.extra
            if not extra or extra.get("status") in (None, "unchanged"):
                continue
            ext = row.values[i_ext]
            if (
                extra["order_status"] in ("new", "changed")
                and ext not in written
                and ext not in headers
            ):
                headers[ext] = extra["order"]
                if extra["order_status"] == "changed":
                    changed_orders.add(ext)
        if headers:
            orders = BulkWriter(
                Order,
                ["organisation_id", "external_id", *ORDER_FIELDS, "created_at", "updated_at"],
                conflict=["organisation_id", "external_id"],
                update=[*ORDER_FIELDS, "updated_at"],
            )
            orders.write_new(
                [(org_id, e, *h, now, now) for e, h in headers.items() if e not in changed_orders]
            )
            orders.write([(org_id, e, *headers[e], now, now) for e in changed_orders])
            ids = dict(
                select_in(
                    Order, ["external_id", "id"], "external_id", headers, organisation_id=org_id
                )
            )
            written.update(ids)
            changed = [(headers[ext][0], headers[ext][1], ids[ext]) for ext in changed_orders]
            if changed:
                # Lines of a changed order not in this file keep in step with it.
                BulkUpdate(OrderLine, ["order_date", "owner_id"], key="order_id").write(changed)

        # Lines: new ones (COPY on PostgreSQL) and changed ones (upserted).
        new: list[tuple] = []
        changed_lines: list[tuple] = []
        split_lines: list[tuple[int, int, tuple]] = []
        for row in rows:
            extra = row.extra
            if not extra:
                continue
            status = extra.get("status")
            if status is None or status == "unchanged":
                continue
            ext = row.values[i_ext]
            order_id = extra.get("order_id") or written[ext]
            values = extra["line"]
            if not isinstance(values[0], int):
                values[0], values[2] = products[values[1]]
            line = row.values[i_line]
            (new if status == "created" else changed_lines).append(
                (org_id, order_id, line, *values, now, now)
            )
            split = extra["split"]
            if (split is not None and status == "created") or extra.get("split_changed"):
                split_lines.append((order_id, line, split))
        if new or changed_lines:
            lines = BulkWriter(
                OrderLine,
                ["organisation_id", "order_id", "line", *LINE_FIELDS, "created_at", "updated_at"],
                conflict=["order_id", "line"],
                update=[*LINE_FIELDS, "updated_at"],
            )
            lines.write_new(new)
            lines.write(changed_lines)

        # Splits of the lines that got a new one.
        if split_lines:
            order_ids = list({o for o, _l, _s in split_lines})
            wanted = {(o, n) for o, n, _s in split_lines}
            line_ids = {
                (o, n): pk
                for o, n, pk in OrderLine.objects.filter(order_id__in=order_ids)
                .order_by()
                .values_list("order_id", "line", "pk")
                if (o, n) in wanted
            }
            delete_where_in(OrderLineSplit, "line_id", list(line_ids.values()))
            BulkWriter(
                OrderLineSplit,
                ["organisation_id", "line_id", "member_id", "share", "created_at", "updated_at"],
            ).write(
                [
                    (org_id, line_ids[(o, n)], member_id, share, now, now)
                    for o, n, split in split_lines
                    for member_id, share in split
                ]
            )

    # --- export ------------------------------------------------------------------------------
    def export_rows(self, actor: Actor):
        from saleshelm.crm.models import OrderLineSplit
        from saleshelm.crm.selectors.orders import order_line_list

        qs = (
            order_line_list(actor=actor)
            .order_by("order__external_id", "line")
            .values_list(
                "pk",
                "order__external_id",
                "line",
                "order_date",
                "owner__user__email",
                "sku",
                "quantity",
                "unit_price",
                "product__name",
                "product_category__name",
                "order__account__external_id",
                "discount",
                "unit_cost",
                "currency",
                "status",
                "status_date",
            )
        )
        batch: list[tuple] = []

        def flush():
            shares: dict[int, list[str]] = {}
            for line_id, email, share in (
                OrderLineSplit.objects.filter(line_id__in=[r[0] for r in batch])
                .order_by("-share", "member__user__email")
                .values_list("line_id", "member__user__email", "share")
            ):
                pct = (share * 100).quantize(Decimal("0.01")).normalize()
                shares.setdefault(line_id, []).append(f"{email}:{format(pct, 'f')}")
            for r in batch:
                yield [*r[1:], ";".join(shares.get(r[0], [])) or None]
            batch.clear()

        for r in qs.iterator(chunk_size=5000):
            batch.append(r)
            if len(batch) >= 5000:
                yield from flush()
        if batch:
            yield from flush()


register(OrdersKind())

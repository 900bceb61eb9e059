"""Import of order lines (SPEC §10: "import of 1,000,000 order lines (CSV, validated, atomic)
≥ 100,000 rows/s; ≥ 5× a save() loop in one transaction; ≥ 25 % of raw executemany/COPY of
the same pre-parsed rows").

A CSV of N order lines in the native ``orders`` columns (SPEC §4) is written against the bench
organisation's own members, accounts and products: orders of one to five lines, some in the
other currency, some discounted, cancelled (with a status date), returned (negative
quantity) or split between two members. The same lines, pre-parsed into the database's
values, feed the two references. Measured in one run, on the same data:

- ours: ``saleshelm import orders FILE --org …``'s code path (``services.import_file``: read,
  validate every cell and reference, upsert in one transaction, job and audit rows);
- a ``save()`` loop of model instances in one transaction (on a sample of whole orders);
- raw ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) of the pre-parsed rows into the same
  tables (orders, their ids read back, lines, their ids read back, splits).

Each writer's answer (line count, sums of quantity and reporting amounts, split count) must
equal the pre-parsed data's; what each one wrote is deleted afterwards, so a rerun measures
the same thing. N is 10,000 (XS), 50,000 (S) or 1,000,000 (M, L); ``BENCH_IMPORT_LINES``
overrides it. On its own, against an existing bench database (or a private copy of the SQLite one)::

    python -m bench.imports S --db sqlite --lines 1000000 [--sqlite var/copy-of-bench-S.sqlite3]
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import sys
import time
from dataclasses import dataclass
from decimal import Decimal

GOAL_RATE = 100_000
GOAL_LINES = 1_000_000
GOAL_VS_SAVE = 5.0
GOAL_VS_RAW = 0.25
LINES = {"XS": 10_000, "S": 50_000, "M": 1_000_000, "L": 1_000_000}
SAVE_SAMPLE = 20_000
PREFIX = "BENCHIMP-"
HEADER = [
    "external_id",
    "line",
    "order_date",
    "owner_email",
    "sku",
    "quantity",
    "unit_price",
    "account_external_id",
    "discount",
    "unit_cost",
    "currency",
    "status",
    "status_date",
    "split",
]
LINE_COLUMNS = [
    "organisation_id",
    "order_id",
    "line",
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
    "created_at",
    "updated_at",
]
ORDER_COLUMNS = [
    "organisation_id",
    "external_id",
    "order_date",
    "owner_id",
    "account_id",
    "currency",
    "created_at",
    "updated_at",
]
SPLIT_COLUMNS = ["organisation_id", "line_id", "member_id", "share", "created_at", "updated_at"]


@dataclass
class Order:
    external_id: str
    order_date: dt.date
    owner_id: int
    account_id: int
    currency: str
    lines: list[tuple]  # (line, product_id, sku, category_id, qty, price, disc, cost, net,
    #                    cost_amount, net_rep, cost_rep, status, status_date)
    split: tuple[tuple[int, Decimal], ...] | None


@dataclass
class Answer:
    lines: int
    quantity: Decimal
    net_reporting: Decimal
    cost_reporting: Decimal
    splits: int

    def text(self) -> str:
        return (
            f"{self.lines:,} lines, Σ quantity {self.quantity}, Σ net (reporting) "
            f"{self.net_reporting}, Σ cost (reporting) {self.cost_reporting}, "
            f"{self.splits:,} split rows"
        )


def lines_for(size: str) -> int:
    return int(os.environ.get("BENCH_IMPORT_LINES") or LINES.get(size, 50_000))


# --- the data ---------------------------------------------------------------------------


def build(org, n: int, path: str, seed: int = 5) -> list[Order]:
    """Write the CSV of ``n`` lines to ``path``; answer the same lines pre-parsed."""
    from saleshelm.crm.models import Account, ExchangeRate, Product
    from saleshelm.crm.services.orders import line_amounts
    from saleshelm.crm.services.rates import RateBook
    from saleshelm.tenancy.models import Membership

    rng = random.Random(seed)
    members = list(
        Membership.objects.filter(organisation=org, is_active=True)
        .order_by("pk")
        .values_list("pk", "user__email")
    )
    members = [(pk, email.lower()) for pk, email in members]
    accounts = list(
        Account.objects.filter(organisation=org).order_by("pk").values_list("external_id", "pk")
    )
    accounts = [a for a in accounts if a[0]][:20_000]
    products = list(
        Product.objects.filter(organisation=org, is_active=True)
        .order_by("pk")
        .values_list("pk", "sku", "category_id", "unit_price", "unit_cost")
    )
    reporting = org.currency
    other = "VND" if reporting == "USD" else "USD"
    rates = RateBook(org)
    first_rate = (
        ExchangeRate.objects.filter(organisation=org, currency=other)
        .order_by("rate_date")
        .values_list("rate_date", flat=True)
        .first()
    )
    today = dt.date.today()
    start = max(first_rate or today, today - dt.timedelta(days=330))
    days = [start + dt.timedelta(days=i) for i in range((today - start).days + 1)]
    day_text = {d: d.isoformat() for d in days}
    discounts = ["0", "0", "0", "0.05", "0.1", "0.125"]
    two = Decimal("0.01")
    # Prices in each currency (the other one at a round factor), as text and as Decimal.
    prices: dict[tuple[int, str], tuple[str, str]] = {}
    for i, (_pk, _sku, _cat, price, cost) in enumerate(products):
        base = price if price > 0 else Decimal("100")
        cost = cost if cost is not None else (base * Decimal("0.6")).quantize(two)
        for currency in (reporting, other):
            factor = Decimal(1) if currency == reporting else Decimal("1.5")
            prices[(i, currency)] = (
                format((base * factor).quantize(two), "f"),
                format((cost * factor).quantize(two), "f"),
            )
    memo: dict = {}

    def parsed(text: str) -> Decimal:
        d = memo.get(text)
        if d is None:
            d = memo[text] = Decimal(text)
        return d

    amounts: dict = {}
    orders: list[Order] = []
    written = 0
    number = 0
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(HEADER)
        while written < n:
            number += 1
            ext = f"{PREFIX}{number:08d}"
            owner_id, owner_email = members[rng.randrange(len(members))]
            account_ext, account_id = accounts[rng.randrange(len(accounts))]
            currency = other if rng.random() < 0.12 else reporting
            day = days[rng.randrange(len(days))]
            split = None
            split_text = ""
            if rng.random() < 0.06 and len(members) > 1:
                peer_id, peer_email = members[rng.randrange(len(members))]
                if peer_id != owner_id:
                    pct = rng.choice((50, 60, 70))
                    split = tuple(
                        sorted(
                            ((owner_id, Decimal(pct) / 100), (peer_id, Decimal(100 - pct) / 100))
                        )
                    )
                    split_text = f"{owner_email}:{pct};{peer_email}:{100 - pct}"
            size = min(rng.choice((1, 1, 2, 2, 3, 4, 5)), n - written)
            returned = rng.random() < 0.03
            lines = []
            for line in range(1, size + 1):
                pi = rng.randrange(len(products))
                pk, sku, category_id, _p, _c = products[pi]
                price_text, cost_text = prices[(pi, currency)]
                qty = rng.randint(1, 20) * (-1 if returned else 1)
                disc_text = discounts[rng.randrange(len(discounts))]
                status, status_text, status_date = "confirmed", "", None
                r = rng.random()
                if returned:
                    status, status_date = "returned", day
                elif r < 0.035:
                    status = "cancelled"
                    status_date = min(day + dt.timedelta(days=rng.randint(2, 60)), today)
                    status_text = status_date.isoformat()
                key = (pi, currency, qty, disc_text, day if currency != reporting else None)
                hit = amounts.get(key)
                if hit is None:
                    q, price, disc, cost = (
                        Decimal(qty),
                        parsed(price_text),
                        parsed(disc_text),
                        parsed(cost_text),
                    )
                    net, cost_amount = line_amounts(q, price, disc, cost)
                    hit = amounts[key] = (
                        q,
                        price,
                        disc,
                        cost,
                        net,
                        cost_amount,
                        rates.convert(net, currency, day),
                        rates.convert(cost_amount, currency, day),  # type: ignore[arg-type]
                    )
                lines.append((line, pk, sku, category_id, *hit, status, status_date))
                out.writerow(
                    [
                        ext,
                        line,
                        day_text[day],
                        owner_email,
                        sku,
                        qty,
                        price_text,
                        account_ext,
                        disc_text,
                        cost_text,
                        currency,
                        status if status != "confirmed" or r < 0.5 else "",
                        status_text,
                        split_text,
                    ]
                )
            orders.append(Order(ext, day, owner_id, account_id, currency, lines, split))
            written += size
    return orders


def expected(orders: list[Order]) -> Answer:
    lines = [line for o in orders for line in o.lines]
    return Answer(
        lines=len(lines),
        quantity=sum((line[4] for line in lines), Decimal(0)),
        net_reporting=sum((line[10] for line in lines), Decimal(0)),
        cost_reporting=sum((line[11] for line in lines), Decimal(0)),
        splits=sum(len(o.split) * len(o.lines) for o in orders if o.split),
    )


def written(org) -> Answer:
    from django.db.models import Count, Sum

    from saleshelm.crm.models import OrderLine, OrderLineSplit

    lines = OrderLine.objects.filter(organisation=org, order__external_id__startswith=PREFIX)
    agg = lines.aggregate(
        n=Count("pk"),
        q=Sum("quantity"),
        net=Sum("net_amount_reporting"),
        cost=Sum("cost_amount_reporting"),
    )
    splits = OrderLineSplit.objects.filter(
        organisation=org, line__order__external_id__startswith=PREFIX
    ).count()
    return Answer(
        lines=agg["n"],
        quantity=Decimal(agg["q"] or 0).normalize(),
        net_reporting=Decimal(agg["net"] or 0).normalize(),
        cost_reporting=Decimal(agg["cost"] or 0).normalize(),
        splits=splits,
    )


def same(a: Answer, b: Answer) -> bool:
    """Equal counts and sums (to the cent: SQLite sums decimals as floating point)."""

    def key(x: Answer) -> tuple:
        cent = Decimal("0.01")
        sums = (x.quantity, x.net_reporting, x.cost_reporting)
        return (x.lines, x.splits, *(s.quantize(cent) for s in sums))

    return key(a) == key(b)


def purge(org) -> None:
    """Delete every order (lines, splits) this benchmark wrote, with set-based deletes."""
    from django.db import connection, transaction

    from saleshelm.crm.models import Order, OrderLine, OrderLineSplit

    with transaction.atomic():
        mine = Order.objects.filter(organisation=org, external_id__startswith=PREFIX)
        OrderLineSplit.objects.filter(
            organisation=org, line__order__external_id__startswith=PREFIX
        )._raw_delete(connection.alias)
        OrderLine.objects.filter(organisation=org, order_id__in=mine.values("pk"))._raw_delete(
            connection.alias
        )
        mine._raw_delete(connection.alias)


# --- the three writers ------------------------------------------------------------------


def ours(org, path: str):
    from saleshelm.imports.services import import_file
    from saleshelm.tenancy.actors import SystemActor

    with open(path, "rb") as fh:
        return import_file(
            actor=SystemActor(org, label="bench"),
            file=fh,
            filename=os.path.basename(path),
            kind="orders",
        )


def save_loop(org, orders: list[Order]) -> int:
    """The peers' way: one model instance and one ``save()`` per order, line and split."""
    from django.db import transaction

    from saleshelm.crm.models import Order as OrderModel
    from saleshelm.crm.models import OrderLine, OrderLineSplit

    n = 0
    with transaction.atomic():
        for o in orders:
            order = OrderModel(
                organisation=org,
                external_id=o.external_id,
                order_date=o.order_date,
                owner_id=o.owner_id,
                account_id=o.account_id,
                currency=o.currency,
            )
            order.save()
            for (
                line,
                product_id,
                sku,
                category_id,
                qty,
                price,
                disc,
                cost,
                net,
                cost_amount,
                net_rep,
                cost_rep,
                status,
                status_date,
            ) in o.lines:
                ol = OrderLine(
                    organisation=org,
                    order=order,
                    line=line,
                    product_id=product_id,
                    sku=sku,
                    product_category_id=category_id,
                    quantity=qty,
                    unit_price=price,
                    discount=disc,
                    unit_cost=cost,
                    net_amount=net,
                    cost_amount=cost_amount,
                    currency=o.currency,
                    net_amount_reporting=net_rep,
                    cost_amount_reporting=cost_rep,
                    status=status,
                    status_date=status_date,
                    order_date=o.order_date,
                    owner_id=o.owner_id,
                )
                ol.save()
                n += 1
                for member_id, share in o.split or ():
                    OrderLineSplit(
                        organisation=org, line=ol, member_id=member_id, share=share
                    ).save()
    return n


def bulk_put(cursor, table: str, columns: list[str], rows, *, postgres: bool) -> None:
    """The driver's own bulk path (``cursor`` is the driver's cursor): ``COPY … FROM STDIN``
    on PostgreSQL, ``executemany`` on SQLite."""
    if postgres:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def raw_write(org, orders: list[Order]) -> int:
    """The same rows with the driver's bulk path and nothing else: ``executemany`` of
    prepared tuples on SQLite, ``COPY … FROM STDIN`` on PostgreSQL."""
    from django.db import connection, transaction
    from django.utils import timezone

    org_id = org.pk
    now = timezone.now()
    postgres = connection.vendor == "postgresql"
    stamp = now if postgres else connection.ops.adapt_datetimefield_value(now)
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the driver's own cursor

        def put(table: str, columns: list[str], rows) -> None:
            bulk_put(cursor, table, columns, rows, postgres=postgres)

        def ids(sql: str) -> dict:
            cursor.execute(sql, (org_id, PREFIX + "%"))
            return {tuple(r[:-1]) if len(r) > 2 else r[0]: r[-1] for r in cursor.fetchall()}

        put(
            "crm_order",
            ORDER_COLUMNS,
            [
                (
                    org_id,
                    o.external_id,
                    o.order_date,
                    o.owner_id,
                    o.account_id,
                    o.currency,
                    stamp,
                    stamp,
                )
                for o in orders
            ],
        )
        mark = "%s" if postgres else "?"
        order_ids = ids(
            f"SELECT external_id, id FROM crm_order WHERE organisation_id = {mark} "
            f"AND external_id LIKE {mark}"
        )
        n = 0
        rows = []
        for o in orders:
            order_id = order_ids[o.external_id]
            for line in o.lines:
                rows.append(
                    (
                        org_id,
                        order_id,
                        *line[:10],
                        o.currency,
                        *line[10:14],
                        o.order_date,
                        o.owner_id,
                        stamp,
                        stamp,
                    )
                )
                n += 1
        put("crm_orderline", LINE_COLUMNS, rows)
        del rows
        split_orders = [o for o in orders if o.split]
        if split_orders:
            line_ids = ids(
                "SELECT o.external_id, l.line, l.id FROM crm_orderline l "
                "JOIN crm_order o ON o.id = l.order_id "
                f"WHERE o.organisation_id = {mark} AND o.external_id LIKE {mark}"
            )
            put(
                "crm_orderlinesplit",
                SPLIT_COLUMNS,
                [
                    (org_id, line_ids[(o.external_id, line[0])], member_id, share, stamp, stamp)
                    for o in split_orders
                    for line in o.lines
                    for member_id, share in o.split  # type: ignore[union-attr]
                ],
            )
    return n


def _sample(orders: list[Order], lines: int) -> list[Order]:
    out, n = [], 0
    for o in orders:
        if n >= lines:
            break
        out.append(o)
        n += len(o.lines)
    return out


# --- the benchmark ----------------------------------------------------------------------


def run(ctx):
    from bench.harness import Result

    org = ctx.organisation
    n = lines_for(ctx.size)
    os.makedirs("var", exist_ok=True)
    path = os.path.abspath(f"var/bench-imports-{ctx.size}-{n}.csv")
    purge(org)
    start = time.perf_counter()
    orders = build(org, n, path)
    want = expected(orders)
    built = time.perf_counter() - start
    mb = os.path.getsize(path) / 1e6

    # Ours: the CLI's path, committed, then removed.
    start, cpu = time.perf_counter(), time.process_time()
    job = ours(org, path)
    ours_s, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
    got_ours = written(org)
    ours_ok = job.status == "done" and job.created == n and same(want, got_ours)
    problems = [] if job.status == "done" else [f"{e}" for e in job.errors[:3]]
    purge(org)

    # The save() loop, on a sample of whole orders.
    sample = _sample(orders, min(SAVE_SAMPLE, n))
    sample_want = expected(sample)
    start, cpu = time.perf_counter(), time.process_time()
    save_n = save_loop(org, sample)
    save_s, save_cpu = time.perf_counter() - start, time.process_time() - cpu
    save_ok = same(sample_want, written(org))
    purge(org)

    # Raw executemany / COPY of the same pre-parsed rows.
    start, cpu = time.perf_counter(), time.process_time()
    raw_n = raw_write(org, orders)
    raw_s, raw_cpu = time.perf_counter() - start, time.process_time() - cpu
    raw_ok = same(want, written(org))
    purge(org)
    os.remove(path)  # generated data: rebuilt on the next run

    ours_rate = n / ours_s
    save_rate = save_n / save_s
    raw_rate = raw_n / raw_s
    agree = ours_ok and save_ok and raw_ok
    raw_name = "COPY FROM STDIN" if ctx.database == "postgres" else "executemany"
    # On a shared machine the wall clock also counts waiting for a core: the CPU time of
    # this process is shown beside it (on PostgreSQL it leaves out the server's work).
    whose = "client process only" if ctx.database == "postgres" else "this process"
    cpu_rates = (
        f"CPU time ({whose}): ours {n / ours_cpu:,.0f} rows/s, save() loop "
        f"{save_n / save_cpu:,.0f} rows/s, raw {raw_n / raw_cpu:,.0f} rows/s"
    )
    verdicts = [
        f"ours {'ok' if ours_ok else 'WRONG'}: {job.status}, {job.created:,} created; "
        + got_ours.text(),
        f"save() sample {'ok' if save_ok else 'WRONG'}, raw {'ok' if raw_ok else 'WRONG'}; "
        f"expected {want.text()}",
        *problems,
    ]
    at_scale = n >= GOAL_LINES
    return [
        Result(
            f"imports: {n:,} order lines, CSV → validated, atomic",
            ours_rate,
            "r/s",
            goal=f">= {GOAL_RATE:,} rows/s at {GOAL_LINES:,} lines",
            ok=(ours_rate >= GOAL_RATE and agree) if at_scale else (None if agree else False),
            notes=[
                f"{ours_s:.2f} s for a {mb:.1f} MB file ({len(orders):,} orders); "
                f"built in {built:.1f} s",
                cpu_rates,
                *verdicts,
            ],
        ),
        Result(
            "imports: vs save() loop in one transaction",
            ours_rate,
            "r/s",
            reference=save_rate,
            reference_name=f"Model.save() per order, line and split ({save_n:,} lines sample, "
            f"{save_s:.2f} s)",
            goal=f">= {GOAL_VS_SAVE:g}x the save() loop",
            ok=ours_rate >= GOAL_VS_SAVE * save_rate and agree,
        ),
        Result(
            f"imports: vs raw {raw_name}",
            ours_rate,
            "r/s",
            reference=raw_rate,
            reference_name=f"{raw_name} of the pre-parsed rows ({raw_n:,} lines, {raw_s:.2f} s)",
            goal=f">= {GOAL_VS_RAW:.0%} of raw {raw_name}",
            ok=ours_rate >= GOAL_VS_RAW * raw_rate and agree,
        ),
    ]


def _standalone(size: str, database: str, lines: int | None, sqlite: str | None) -> int:
    from bench.harness import BENCH_ORG, Context, env_for

    os.environ.update(env_for(database, size))
    if sqlite and database == "sqlite":
        os.environ["SALESHELM_DATABASE_URL"] = "sqlite:///" + os.path.abspath(sqlite)
    if lines:
        os.environ["BENCH_IMPORT_LINES"] = str(lines)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleshelm.config.settings")
    import django

    django.setup()
    from bench.harness import database_label, print_table
    from saleshelm.tenancy.models import Organisation

    org = Organisation.objects.filter(slug=BENCH_ORG).first()
    if org is None:
        print(
            f"no bench dataset {size} on {database}: run `python -m bench {size} --db {database}`"
        )
        return 2
    ctx = Context(size=size, database=database_label(), organisation=org)
    results = run(ctx)
    print_table(results, title=f"imports on dataset {size} ({database})")
    return 1 if any(r.ok is False for r in results) else 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="bench.imports")
    parser.add_argument("size", nargs="?", default="S")
    parser.add_argument("--db", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--lines", type=int, default=None, help="order lines in the file")
    parser.add_argument(
        "--sqlite",
        default=None,
        help="another SQLite file holding the dataset (a private copy of var/bench-SIZE.sqlite3, "
        "so that nobody else's writes hold the lock while this one measures)",
    )
    args = parser.parse_args()
    sys.exit(_standalone(args.size, args.db, args.lines, args.sqlite))

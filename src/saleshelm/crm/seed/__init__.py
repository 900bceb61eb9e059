"""Seeding of the sales core (``saleshelm seed``; see ``saleshelm.core.seeding``).

For the seeded sellers (the organisation's reps) over the seeded months:

- a catalogue: categories (Hardware > Scanners, Software, Services), 20 products with SKUs
  such as XS-400, list and partner price lists, and one in the other currency;
- monthly exchange rates between USD and VND (whichever is not the reporting currency);
- the default pipeline;
- accounts with Vietnamese and English company names, industries, sizes and the region of
  their rep, a pool of unowned accounts, contacts, and leads in every status;
- opportunities created across the span with a realistic cycle: most closed ones won or lost
  (with a reason), open ones spread over the stages, each with its full stage history, a few
  with credit splits and overdue close dates;
- ``--orders`` order lines in orders of one to five lines, in USD and VND, some orders split
  between two reps of a team, some lines cancelled later (status date), some returned as
  credit notes (negative lines on their own order, dated the return);
- ``--activities`` calls, emails, meetings, demos and tasks on the sellers' accounts, deals
  and contacts, a few planned in the coming days.

Rows are generated as tuples and written in batches of 5,000 (``writer.TableWriter``), with
the amounts computed by the same helpers as the services (``line_amounts``, ``RateBook``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, cast

from django.db import connection

from saleshelm.core.money import quantize_money
from saleshelm.core.seeding import SeedContext
from saleshelm.crm.models import (
    Account,
    Activity,
    Contact,
    ExchangeRate,
    Lead,
    Opportunity,
    OpportunitySplit,
    Order,
    OrderLine,
    OrderLineSplit,
    Pipeline,
    PriceList,
    PriceListItem,
    Product,
    ProductCategory,
    StageChange,
    StageKind,
)
from saleshelm.crm.seed import catalogue as cat
from saleshelm.crm.seed.writer import Adapters, TableWriter
from saleshelm.crm.services.opportunities import default_forecast_category
from saleshelm.crm.services.orders import line_amounts
from saleshelm.crm.services.pipelines import (
    DEFAULT_STAGES,
    pipeline_create,
    pipeline_ensure_default,
)
from saleshelm.crm.services.rates import RateBook, convert
from saleshelm.people.seed.catalogue import (
    VI_FAMILY,
    VI_GIVEN_FEMALE,
    VI_GIVEN_MALE,
    VI_MIDDLE_FEMALE,
    VI_MIDDLE_MALE,
)
from saleshelm.tenancy.roles import Role

D = Decimal
ACCOUNTS_PER_SELLER = 25
DEALS_PER_SELLER_MONTH = 8
LEADS_PER_SELLER_MONTH = 2
USD_VND = D("25400")  # around the 2025-2026 rate
# Relative sales by calendar month: a slow Tết (January-February), a strong year end.
SEASON = {
    1: 0.8,
    2: 0.7,
    3: 1.0,
    4: 1.0,
    5: 1.0,
    6: 1.05,
    7: 0.95,
    8: 1.0,
    9: 1.05,
    10: 1.05,
    11: 1.1,
    12: 1.25,
}


def _weighted(pairs):
    values = [v for v, _ in pairs]
    cum = list(itertools.accumulate(w for _, w in pairs))
    return values, cum


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


def _stream(rng, population, cum_weights, chunk: int = 8192):
    """Weighted draws, made a chunk at a time (one call per 8,192 draws instead of one each)."""
    population = list(population)
    while True:
        yield from rng.choices(population, cum_weights=cum_weights, k=chunk)


def _prefix(model, organisation, base: str) -> str:
    """An external-id prefix no record of this organisation uses yet."""
    prefix = base
    while model.objects.filter(
        organisation=organisation, external_id__startswith=f"{prefix}-"
    ).exists():
        prefix += "X"
    return prefix


class Book:
    """What the seeder builds up and hands from one step to the next."""

    def __init__(self, ctx: SeedContext):
        self.ctx = ctx
        self.org = ctx.organisation
        self.rng = ctx.random
        self.reporting = self.org.currency
        self.other = "VND" if self.reporting == "USD" else "USD"
        self.days = [
            ctx.start + dt.timedelta(days=i) for i in range((ctx.today - ctx.start).days + 1)
        ]
        self.day_weights = list(
            itertools.accumulate(
                SEASON[d.month] * (0.35 if d.weekday() >= 5 else 1.0) for d in self.days
            )
        )
        self.tag = "" if ctx.generation == 0 else f"G{ctx.generation}"
        self.sellers: list = []
        self.strength: dict[int, float] = {}
        self.peers: dict[int, list[int]] = {}
        self.region: dict[int, tuple[str, str]] = {}
        self.accounts_of: dict[int, list[int]] = defaultdict(list)
        self.all_accounts: list[int] = []
        self.account_owner: dict[int, int | None] = {}
        self.account_short: dict[int, str] = {}
        self.contacts_of: dict[int, list[int]] = defaultdict(list)
        self.deals_of: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
        self.rates: RateBook | None = None
        self.a = Adapters()
        self.pg = connection.vendor == "postgresql"
        self._rate_memo: dict = {}
        self.words = cat.words(self.org.locale)
        self.vi_names = self._vi_names(400)
        self.en_names = [
            f"{ctx.fake_en.first_name()} {ctx.fake_en.last_name()}" for _ in range(300)
        ]

    def _vi_names(self, n: int) -> list[str]:
        rng = self.rng
        fam, fam_cum = _weighted(VI_FAMILY)
        out = []
        for _ in range(n):
            family = rng.choices(fam, cum_weights=fam_cum)[0]
            if rng.random() < 0.5:
                out.append(f"{family} {rng.choice(VI_MIDDLE_MALE)} {rng.choice(VI_GIVEN_MALE)}")
            else:
                out.append(f"{family} {rng.choice(VI_MIDDLE_FEMALE)} {rng.choice(VI_GIVEN_FEMALE)}")
        return out

    def day(self) -> dt.date:
        return self.rng.choices(self.days, cum_weights=self.day_weights)[0]

    def moment(self, day: dt.date) -> dt.datetime:
        """A working-hours moment of a day in Vietnam (UTC+7), as an aware UTC datetime."""
        minutes = self.rng.randint(60, 10 * 60)  # 08:00-17:00 local = 01:00-10:00 UTC
        return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(
            minutes=minutes
        )

    def moment_value(self, day: dt.date):
        """``moment`` as the backend stores it, built cheaply (activities need millions)."""
        minutes = self.rng.randint(60, 10 * 60)
        if self.pg:
            return dt.datetime(
                day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=dt.UTC
            )
        return f"{day.isoformat()} {minutes // 60:02d}:{minutes % 60:02d}:00"

    def rate(self, currency: str, day: dt.date) -> Decimal:
        key = (currency, day)
        rate = self._rate_memo.get(key)
        if rate is None:
            # the rate book is loaded before any order is priced
            rate = self._rate_memo[key] = cast(RateBook, self.rates).rate(currency, day)
        return rate

    def to_reporting(self, amount: Decimal, currency: str, day: dt.date) -> Decimal:
        if currency == self.reporting:
            return amount
        return convert(amount, self.rate(currency, day))

    def in_currency(self, usd: Decimal, currency: str) -> Decimal:
        """A USD list amount expressed in ``currency`` at the seeding rate, rounded sensibly."""
        if currency == "USD":
            return usd
        return (usd * USD_VND).quantize(D("1000"))


# --- reference data -------------------------------------------------------------------------


def _exchange_rates(book: Book) -> int:
    """One rate per month for the non-reporting currency, from the month before the span."""
    ctx = book.ctx
    first = (ctx.start - dt.timedelta(days=1)).replace(day=1)
    existing = set(
        ExchangeRate.objects.filter(organisation=book.org, currency=book.other).values_list(
            "rate_date", flat=True
        )
    )
    rows = []
    month = first
    i = 0
    while month <= ctx.today:
        vnd_per_usd = USD_VND + D(i * 45) + D(book.rng.randint(-120, 120))
        rate = (1 / vnd_per_usd).quantize(D("1e-10")) if book.reporting == "USD" else vnd_per_usd
        if month not in existing:
            rows.append(
                ExchangeRate(organisation=book.org, currency=book.other, rate_date=month, rate=rate)
            )
        i += 1
        month = (month + dt.timedelta(days=32)).replace(day=1)
    ExchangeRate.objects.bulk_create(rows, batch_size=1000)
    book.rates = RateBook(book.org, [book.other])
    return len(rows)


def _catalogue(book: Book) -> list[dict]:
    org = book.org
    categories = {c.name: c for c in ProductCategory.objects.filter(organisation=org)}
    for name, parent in cat.CATEGORIES:
        if name not in categories:
            categories[name] = ProductCategory.objects.create(
                organisation=org, name=name, parent=categories.get(parent) if parent else None
            )
    existing = {p.sku: p for p in Product.objects.filter(organisation=org)}
    new = []
    for sku, name, category, usd, cost_share, _qty, _w in cat.PRODUCTS:
        if sku not in existing:
            price = book.in_currency(usd, book.reporting)
            new.append(
                Product(
                    organisation=org,
                    sku=sku,
                    name=book.words["product_names"].get(sku, name),
                    category=categories[category],
                    unit_price=price,
                    currency=book.reporting,
                    unit_cost=quantize_money(price * cost_share, book.reporting),
                )
            )
    Product.objects.bulk_create(new)
    products = {p.sku: p for p in Product.objects.filter(organisation=org)}
    lists = {pl.name: pl for pl in PriceList.objects.filter(organisation=org)}
    named = book.words["price_lists"]
    wanted = (
        (named.get("Standard", "Standard"), book.reporting, D(1), True),
        (named.get("Partner", "Partner"), book.reporting, D("0.85"), False),
        (f"{named.get('Export', 'Export')} {book.other}", book.other, D(1), False),
    )
    for name, currency, factor, default in wanted:
        if name in lists:
            continue
        pl = PriceList.objects.create(
            organisation=org,
            name=name,
            currency=currency,
            is_default=default
            and not PriceList.objects.filter(organisation=org, is_default=True).exists(),
        )
        PriceListItem.objects.bulk_create(
            PriceListItem(
                organisation=org,
                price_list=pl,
                product=products[sku],
                unit_price=quantize_money(book.in_currency(usd, currency) * factor, currency),
            )
            for sku, _n, _c, usd, _s, _q, _w in cat.PRODUCTS
        )
    out = []
    for sku, _name, _category, usd, cost_share, quantities, weight in cat.PRODUCTS:
        p = products[sku]
        prices = {}
        for currency in (book.reporting, book.other):
            price = book.in_currency(usd, currency)
            prices[currency] = (price, quantize_money(price * cost_share, currency))
        out.append(
            {
                "id": p.pk,
                "sku": sku,
                "category_id": p.category_id,
                "prices": prices,
                "quantities": quantities,
                "weight": weight,
            }
        )
    book.ctx.counts["products"] = len(products)
    return out


def _sellers(book: Book) -> None:
    ctx = book.ctx
    sellers = [m for m in ctx.reps if m.is_active] or [
        m for m in ctx.members if m.role in (Role.REP, Role.MANAGER)
    ]
    book.sellers = sellers
    teams: dict[int | None, list[int]] = defaultdict(list)
    for m in sellers:
        profile = ctx.profiles.get(m.pk)
        team_id = profile.team_id if profile else None
        teams[team_id].append(m.pk)
        # Some sell a lot more than others: the leaderboard needs a spread.
        book.strength[m.pk] = min(max(book.rng.lognormvariate(0, 0.35), 0.4), 2.5)
        territory = profile.territory if profile and profile.territory_id else None
        if territory is not None:
            country = cat.COUNTRY_OF.get(territory.name, "VN")
            book.region[m.pk] = (territory.name, country)
        else:
            book.region[m.pk] = book.rng.choice(cat.FALLBACK_REGIONS)
    for m in sellers:
        profile = ctx.profiles.get(m.pk)
        team = teams[profile.team_id if profile else None]
        book.peers[m.pk] = [pk for pk in team if pk != m.pk]


# --- records --------------------------------------------------------------------------------


def _company_name(book: Book, vietnamese: bool, region: str, used: set[str]) -> str:
    rng = book.rng
    for attempt in range(6):
        if vietnamese:
            name = (
                f"{rng.choice(cat.VI_COMPANY_FORMS)} {rng.choice(cat.VI_COMPANY_TRADES)} "
                f"{rng.choice(cat.VI_COMPANY_NAMES)}"
            )
        else:
            name = f"{rng.choice(cat.EN_COMPANY_HEADS)} {rng.choice(cat.EN_COMPANY_TAILS)}"
        if attempt >= 3:
            name = f"{name} {region}"
        if attempt == 5:
            name = f"{name} {len(used) + 1}"
        if name not in used:
            used.add(name)
            return name
    return name


def _accounts(book: Book) -> int:
    ctx, rng = book.ctx, book.rng
    industries, ind_cum = _weighted(cat.INDUSTRIES)
    industries = [book.words["industries"].get(name, name) for name in industries]
    prefix = _prefix(Account, book.org, f"ACC{book.tag}")
    used = set(Account.objects.filter(organisation=book.org).values_list("name", flat=True))
    per_seller = max(8, ACCOUNTS_PER_SELLER)
    owners: list[int | None] = [m.pk for m in book.sellers for _ in range(per_seller)]
    owners += [None] * max(5, len(owners) // 12)  # the unowned pool managers hand out
    writer = TableWriter(
        Account,
        [
            "external_id",
            "name",
            "owner",
            "industry",
            "employees",
            "region",
            "country",
            "website",
            "created_date",
        ],
        organisation_id=book.org.pk,
    )
    for n, owner in enumerate(owners, start=1):
        region, country = (
            cast("tuple[str, str]", book.region.get(owner))  # every owner has a region
            if owner
            else rng.choice(cat.FALLBACK_REGIONS)
        )
        vietnamese = rng.random() < (0.85 if country == "VN" else 0.15)
        name = _company_name(book, vietnamese, region, used)
        employees = int(min(max(rng.lognormvariate(4.2, 1.3), 5), 40000))
        domain = _ascii(name.split(" ", 2)[-1] if vietnamese else name)[:24] or "company"
        tld = ".vn" if country == "VN" else ".com"
        if rng.random() < 0.6:
            created = ctx.start - dt.timedelta(days=rng.randint(1, 3 * 365))
        else:
            created = book.day()
        pk = writer.add(
            (
                f"{prefix}-{n:06d}",
                name,
                owner,
                rng.choices(industries, cum_weights=ind_cum)[0],
                employees,
                region,
                country,
                f"www.{domain}{tld}",
                book.a.date(created),
            )
        )
        book.all_accounts.append(pk)
        book.account_owner[pk] = owner
        book.account_short[pk] = _short_name(name)
        if owner is not None:
            book.accounts_of[owner].append(pk)
    writer.close()
    return writer.written


def _short_name(name: str) -> str:
    """ "Công ty TNHH Thương mại Minh Phát" -> "Minh Phát"; "Blue Harbor Logistics" as is."""
    for trade in cat.VI_COMPANY_TRADES:
        if f" {trade} " in name:
            return name.split(f" {trade} ", 1)[1]
    return name


def _phone(book: Book) -> str:
    rng = book.rng
    return f"09{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"


def _contacts(book: Book) -> int:
    rng = book.rng
    prefix = _prefix(Contact, book.org, f"CON{book.tag}")
    writer = TableWriter(
        Contact,
        ["external_id", "name", "account", "email", "phone", "title", "owner"],
        organisation_id=book.org.pk,
    )
    n = 0
    for account_id in book.all_accounts:
        for _ in range(rng.choices((0, 1, 2, 3), weights=(10, 40, 35, 15))[0]):
            n += 1
            vietnamese = rng.random() < 0.75
            name = rng.choice(book.vi_names if vietnamese else book.en_names)
            parts = _ascii(name.split()[-1]) + "." + _ascii(name.split()[0])
            pk = writer.add(
                (
                    f"{prefix}-{n:07d}",
                    name,
                    account_id,
                    f"{parts}{n}@example.{'vn' if vietnamese else 'com'}",
                    _phone(book),
                    rng.choice(book.words["contact_titles"]),
                    book.account_owner[account_id],
                )
            )
            book.contacts_of[account_id].append(pk)
    writer.close()
    return writer.written


def _leads(book: Book) -> int:
    ctx, rng = book.ctx, book.rng
    sources, src_cum = _weighted(cat.LEAD_SOURCES)
    sources = [book.words["lead_sources"].get(name, name) for name in sources]
    statuses, st_cum = _weighted(cat.LEAD_STATUSES)
    prefix = _prefix(Lead, book.org, f"LEAD{book.tag}")
    total = max(30, len(book.sellers) * ctx.options.months * LEADS_PER_SELLER_MONTH)
    writer = TableWriter(
        Lead,
        [
            "external_id",
            "name",
            "company",
            "email",
            "phone",
            "source",
            "status",
            "owner",
            "converted_account",
            "converted_contact",
            "converted_opportunity",
            "converted_at",
        ],
        organisation_id=book.org.pk,
    )
    used: set[str] = set()
    for n in range(1, total + 1):
        owner = rng.choice(book.sellers).pk if rng.random() > 0.1 else None
        status = rng.choices(statuses, cum_weights=st_cum)[0]
        name = rng.choice(book.vi_names if rng.random() < 0.7 else book.en_names)
        account = contact = converted_at = None
        if status == "converted" and owner is not None and book.accounts_of[owner]:
            account = rng.choice(book.accounts_of[owner])
            contact = rng.choice(book.contacts_of[account]) if book.contacts_of[account] else None
            converted_at = book.a.datetime(book.moment(book.day()))
        elif status == "converted":
            status = "qualified"
        company = _company_name(book, rng.random() < 0.7, "", used)
        writer.add(
            (
                f"{prefix}-{n:07d}",
                name,
                company,
                f"{_ascii(name)}{n}@example.com",
                _phone(book),
                rng.choices(sources, cum_weights=src_cum)[0],
                status,
                owner,
                account,
                contact,
                None,
                converted_at,
            )
        )
    writer.close()
    return writer.written


def _pipeline(book: Book) -> Pipeline:
    """The organisation's default pipeline; a new one in the organisation's language."""
    ctx = book.ctx
    own = book.words["pipeline"]
    if own is None or Pipeline.objects.filter(organisation=book.org).exists():
        return pipeline_ensure_default(actor=ctx.actor)
    name, stage_names = own
    return pipeline_create(
        actor=ctx.actor,
        name=name,
        stages=[
            {"name": stage_names[stage], "probability": probability, "kind": kind}
            for stage, probability, kind in DEFAULT_STAGES
        ],
        is_default=True,
    )


def _deals(book: Book) -> tuple[int, int]:
    ctx, rng = book.ctx, book.rng
    pipeline = _pipeline(book)
    stages = list(pipeline.stages.order_by("position"))
    open_stages = [s for s in stages if s.kind == StageKind.OPEN]
    won = next(s for s in stages if s.kind == StageKind.WON)
    lost = next(s for s in stages if s.kind == StageKind.LOST)
    prefix = _prefix(Opportunity, book.org, f"OPP{book.tag}")
    months = ctx.options.months
    total = max(20, round(len(book.sellers) * months * DEALS_PER_SELLER_MONTH))
    deals = TableWriter(
        Opportunity,
        [
            "external_id",
            "name",
            "account",
            "owner",
            "pipeline",
            "stage",
            "amount",
            "currency",
            "amount_reporting",
            "close_date",
            "created_date",
            "probability",
            "forecast_category",
            "next_step",
            "next_step_date",
            "lost_reason",
            "closed_at",
            "version",
            "stage_entered_at",
        ],
        organisation_id=book.org.pk,
    )
    changes = TableWriter(
        StageChange,
        ["opportunity", "from_stage", "to_stage", "changed_at", "actor"],
        organisation_id=book.org.pk,
    )
    splits = TableWriter(
        OpportunitySplit, ["opportunity", "member", "share"], organisation_id=book.org.pk
    )
    owners = [m.pk for m in book.sellers]
    owner_cum = list(itertools.accumulate(book.strength[pk] for pk in owners))
    today = ctx.today
    for n in range(1, total + 1):
        owner = rng.choices(owners, cum_weights=owner_cum)[0]
        mine = book.accounts_of[owner]
        account = rng.choice(mine) if mine and rng.random() < 0.9 else rng.choice(book.all_accounts)
        created = book.day()
        cycle = rng.randint(14, 120)
        close = created + dt.timedelta(days=cycle)
        usd = D(int(min(max(rng.lognormvariate(math.log(12000), 0.9), 800), 400000) // 100 * 100))
        currency = book.other if rng.random() < 0.12 else book.reporting
        amount = book.in_currency(usd, currency)
        created_at = book.moment(created)
        if close <= today and rng.random() < 0.9:
            win_rate = min(max(0.3 * book.strength[owner], 0.1), 0.6)
            final = won if rng.random() < win_rate else lost
            reached = len(open_stages) if final is won else rng.randint(1, len(open_stages))
            path = [*open_stages[:reached], final]
            end_at = book.moment(close)
        else:
            if close <= today:  # overdue but still open: the deals coaching looks for
                reached = rng.randint(1, len(open_stages))
            else:
                progress = (today - created).days / cycle
                reached = min(
                    len(open_stages),
                    max(1, int(progress * len(open_stages)) + rng.choice((0, 0, 1))),
                )
            path = open_stages[:reached]
            final = path[-1]
            end_at = book.moment(today) - dt.timedelta(days=rng.randint(0, 10))
        end_at = max(end_at, created_at)
        step = (end_at - created_at) / max(len(path) - 1, 1)
        times = [created_at + step * i for i in range(len(path))]
        is_open = final.kind == StageKind.OPEN
        category = default_forecast_category(final)
        if is_open and rng.random() < 0.15:
            category = rng.choice(("best_case", "commit"))
        next_step = next_date = None
        if is_open and rng.random() < 0.8:
            next_step = rng.choice(book.words["next_steps"])
            next_date = book.a.date(today + dt.timedelta(days=rng.randint(-5, 21)))
        deal_id = deals.add(
            (
                f"{prefix}-{n:07d}",
                f"{book.account_short[account]}: {rng.choice(book.words['deal_kinds'])}",
                account,
                owner,
                pipeline.pk,
                final.pk,
                book.a.decimal(amount),
                currency,
                book.a.decimal(book.to_reporting(amount, currency, close)),
                book.a.date(close),
                book.a.date(created),
                None,
                category,
                next_step or "",
                next_date,
                rng.choice(book.words["lost_reasons"]) if final is lost else "",
                None if is_open else book.a.datetime(end_at),
                len(path),
                book.a.datetime(times[-1]),
            )
        )
        previous = None
        for stage, when in zip(path, times, strict=True):
            changes.add((deal_id, previous, stage.pk, book.a.datetime(when), owner))
            previous = stage.pk
        peers = book.peers.get(owner) or []
        if peers and rng.random() < 0.04:
            share = rng.choice((D("0.5"), D("0.6"), D("0.7")))
            splits.add((deal_id, owner, book.a.decimal(share)))
            splits.add((deal_id, rng.choice(peers), book.a.decimal(1 - share)))
        book.deals_of[owner].append((deal_id, account))
    for w in (deals, changes, splits):
        w.close()
    ctx.shared["crm.pipeline_id"] = pipeline.pk
    return deals.written, changes.written


# --- orders ---------------------------------------------------------------------------------


def _orders(book: Book, products: list[dict]) -> tuple[int, int]:
    """``--orders`` order lines (credit-note lines included) in orders of one to five lines."""
    ctx, rng = book.ctx, book.rng
    budget = ctx.options.orders
    if budget <= 0 or not book.sellers:
        return 0, 0
    prefix = _prefix(Order, book.org, f"SO{book.tag}")
    orders = TableWriter(
        Order,
        ["external_id", "order_date", "owner", "account", "currency"],
        organisation_id=book.org.pk,
    )
    with ctx.progress.stage("order lines", budget) as advance:
        lines = TableWriter(
            OrderLine,
            [
                "order",
                "line",
                "product",
                "sku",
                "product_category",
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
                "returns_line",
                "order_date",
                "owner",
            ],
            organisation_id=book.org.pk,
            on_flush=advance,
        )
        splits = TableWriter(
            OrderLineSplit, ["line", "member", "share"], organisation_id=book.org.pk
        )
        owners = [m.pk for m in book.sellers]
        owner_cum = list(itertools.accumulate(book.strength[pk] for pk in owners))
        prod_cum = list(itertools.accumulate(p["weight"] for p in products))
        discounts, disc_cum = _weighted(cat.DISCOUNTS)
        sizes, size_cum = _weighted(cat.LINES_PER_ORDER)
        amounts: dict = {}
        dates: dict = {}
        today = ctx.today
        rand = rng.random
        randint = rng.randint
        choice = rng.choice

        def date_value(day):
            v = dates.get(day)
            if v is None:
                v = dates[day] = book.a.date(day)
            return v

        def priced(pi: int, qty: int, disc: Decimal, currency: str, day: dt.date):
            """Adapted (quantity, price, discount, cost, net, cost total, net rep., cost rep.)."""
            rate = None if currency == book.reporting else book.rate(currency, day)
            key = (pi, qty, disc, currency, rate)
            hit = amounts.get(key)
            if hit is None:
                price, cost = products[pi]["prices"][currency]
                q = D(qty)
                net, cost_total = line_amounts(q, price, disc, cost)
                net_r, cost_r = net, cost_total
                if rate is not None:
                    # seeded products always carry a cost
                    net_r, cost_r = convert(net, rate), convert(cast(Decimal, cost_total), rate)
                hit = amounts[key] = tuple(
                    book.a.decimal(v)
                    for v in (q, price, disc, cost, net, cost_total, net_r, cost_r)
                )
            return hit

        owner_stream = _stream(rng, owners, owner_cum)
        # Orders are booked day after day: drawing every order's size and day up front and
        # writing them in date order keeps the date indexes filling at their end.
        order_sizes = []
        drawn = 0
        size_stream = _stream(rng, sizes, size_cum)
        while drawn < budget:
            size = min(next(size_stream), budget - drawn)
            order_sizes.append(size)
            drawn += size
        order_days = sorted(
            rng.choices(book.days, cum_weights=book.day_weights, k=len(order_sizes))
        )
        product_stream = _stream(rng, range(len(products)), prod_cum)
        disc_stream = _stream(rng, discounts, disc_cum)
        heads = [(p["id"], p["sku"], p["category_id"]) for p in products]
        written = 0
        n_orders = 0
        credit_n = 0
        for n_orders, (size, day) in enumerate(zip(order_sizes, order_days, strict=True), start=1):
            if written >= budget:
                break
            owner = next(owner_stream)
            mine = book.accounts_of[owner]
            account = choice(mine) if mine and rand() < 0.75 else choice(book.all_accounts)
            currency = book.other if rand() < 0.12 else book.reporting
            order_day = date_value(day)
            external_id = f"{prefix}-{n_orders:08d}"
            order_id = orders.add((external_id, order_day, owner, account, currency))
            peers = book.peers.get(owner) or []
            split = None
            if peers and rand() < 0.06:
                share = choice((D("0.5"), D("0.6"), D("0.7")))
                split = ((owner, book.a.decimal(share)), (choice(peers), book.a.decimal(1 - share)))
            size = min(size, budget - written)
            returns: list[tuple[int, Any, Any, Any]] = []
            for number in range(1, size + 1):
                pi = next(product_stream)
                qty = choice(products[pi]["quantities"])
                disc = next(disc_stream)
                vals = priced(pi, qty, disc, currency, day)
                r = rand()
                status, status_date = "confirmed", None
                if r < 0.035:
                    status = "cancelled"
                    status_date = date_value(min(day + dt.timedelta(days=randint(2, 60)), today))
                line_id = lines.add(
                    (
                        order_id,
                        number,
                        *heads[pi],
                        *vals[:6],
                        currency,
                        vals[6],
                        vals[7],
                        status,
                        status_date,
                        None,
                        order_day,
                        owner,
                    )
                )
                if split:
                    for member, share in split:
                        splits.add((line_id, member, share))
                written += 1
                if status == "confirmed" and 0.035 <= r < 0.055 and written + len(returns) < budget:
                    returns.append((line_id, pi, qty, disc))
            for k, (line_id, pi, qty, disc) in enumerate(returns, start=1):
                if written >= budget:
                    break
                credit_n += 1
                back = min(day + dt.timedelta(days=randint(5, 90)), today)
                q = randint(1, qty)
                credit_id = orders.add(
                    (f"{external_id}-R{k}", date_value(back), owner, account, currency)
                )
                vals = priced(pi, -q, disc, currency, back)
                product = products[pi]
                credit_line = lines.add(
                    (
                        credit_id,
                        1,
                        product["id"],
                        product["sku"],
                        product["category_id"],
                        *vals[:5],
                        vals[5],
                        currency,
                        vals[6],
                        vals[7],
                        "returned",
                        date_value(back),
                        line_id,
                        date_value(back),
                        owner,
                    )
                )
                if split:
                    for member, share in split:
                        splits.add((credit_line, member, share))
                written += 1
        for w in (orders, lines, splits):
            w.close()
    ctx.counts["order_lines"] = ctx.counts.get("order_lines", 0) + lines.written
    ctx.counts["credit_notes"] = ctx.counts.get("credit_notes", 0) + credit_n
    return orders.written, lines.written


# --- activities -----------------------------------------------------------------------------


def _activities(book: Book) -> int:
    ctx, rng = book.ctx, book.rng
    total = ctx.options.activities
    if total <= 0 or not book.sellers:
        return 0
    types, type_cum = _weighted(cat.ACTIVITY_TYPES)
    prefix = _prefix(Activity, book.org, f"ACT{book.tag}")
    owners = [m.pk for m in book.sellers]
    # Busy sellers log more; activity and results go together, loosely.
    owner_cum = list(itertools.accumulate(0.5 + book.strength[pk] for pk in owners))
    rand, choice = rng.random, rng.choice
    future_days = [ctx.today + dt.timedelta(days=i) for i in range(1, 15)]
    subjects, outcomes = book.words["activity_subjects"], book.words["activity_outcomes"]
    with ctx.progress.stage("activities", total) as advance:
        writer = TableWriter(
            Activity,
            [
                "external_id",
                "type",
                "occurred_at",
                "owner",
                "account",
                "contact",
                "opportunity",
                "subject",
                "outcome",
                "duration_minutes",
                "done",
            ],
            organisation_id=book.org.pk,
            on_flush=advance,
        )
        owner_stream = _stream(rng, owners, owner_cum)
        type_stream = _stream(rng, types, type_cum)
        # In date order, as they were logged (see _orders).
        days = sorted(rng.choices(book.days, cum_weights=book.day_weights, k=total))
        for n, drawn_day in enumerate(days, start=1):
            owner = next(owner_stream)
            kind = next(type_stream)
            planned = rand() < 0.03
            day = choice(future_days) if planned else drawn_day
            account = opportunity = contact = None
            deals = book.deals_of.get(owner)
            if deals and rand() < 0.35:
                opportunity, account = choice(deals)
            elif book.accounts_of[owner] and rand() < 0.85:
                account = choice(book.accounts_of[owner])
            if account is not None and book.contacts_of[account] and rand() < 0.3:
                contact = choice(book.contacts_of[account])
            outcome = (
                choice(outcomes) if kind in ("call", "meeting", "demo") and not planned else ""
            )
            writer.add(
                (
                    f"{prefix}-{n:08d}",
                    kind,
                    book.moment_value(day),
                    owner,
                    account,
                    contact,
                    opportunity,
                    choice(subjects[kind]),
                    outcome,
                    choice(cat.DURATIONS[kind]),
                    not planned,
                )
            )
        writer.close()
    return writer.written


def seed(ctx: SeedContext) -> None:
    with _big_page_cache():
        _seed(ctx)


@contextmanager
def _big_page_cache():
    """SQLite keeps 2 MB of pages by default; indexes of millions of rows need more while
    they are being filled. Per connection, restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _seed(ctx: SeedContext) -> None:
    book = Book(ctx)
    rates = _exchange_rates(book)
    products = _catalogue(book)
    _sellers(book)
    if not book.sellers:
        ctx.summary.append(f"a catalogue of {len(products)} products")
        return
    accounts = _accounts(book)
    contacts = _contacts(book)
    leads = _leads(book)
    deals, history = _deals(book)
    orders, lines = _orders(book, products)
    activities = _activities(book)
    for key, value in (
        ("accounts", accounts),
        ("contacts", contacts),
        ("leads", leads),
        ("opportunities", deals),
        ("stage_changes", history),
        ("orders", orders),
        ("activities", activities),
        ("exchange_rates", rates),
    ):
        ctx.counts[key] = ctx.counts.get(key, 0) + value
    ctx.summary.append(
        f"{accounts:,} accounts, {deals:,} deals, {lines:,} order lines, {activities:,} activities"
    )
    # Sellers whose records were seeded, for the seeders that follow.
    ctx.shared["crm.sellers"] = [m.pk for m in book.sellers]

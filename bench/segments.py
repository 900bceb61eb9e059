"""Segment fit of every account, recomputed in bulk when the rules change (SPEC §5).

One pass reads the fields of every account with ``values_list`` (no model instances), finds
each one's best segment in Python, and writes the fits that changed with a bulk upsert. Goal:
50,000 accounts in under 5 s on SQLite. Measured here:

- the cold run (no fit stored yet: every account is written),
- a rule change that moves part of the accounts (only those are written),
- the steady run (nothing changed: one read, no write),
- beside a reference that does what the peers do — a ``save()`` per account, in one
  transaction — over a sample, whose answers must equal ours.

Run with the harness (``python -m bench L --only segments``: dataset L has 50,000 accounts)
or on its own, which creates an organisation of plain accounts and four segments::

    python -m bench.segments [--accounts 50000] [--db var/bench-segments.sqlite3]
"""

from __future__ import annotations

import os
import random
import sys
import time

GOAL_SECONDS = 5.0
GOAL_ACCOUNTS = 50_000
REFERENCE_SAMPLE = 5_000

SEGMENTS = [
    # name, priority, conditions
    (
        "Mid-market retail & F&B",
        1,
        {
            "industries": ["Retail", "Food & Beverage", "E-commerce"],
            "employees_min": 50,
            "employees_max": 2000,
        },
    ),
    ("Pharmacy & healthcare", 2, {"industries": ["Pharmacy", "Healthcare"]}),
    (
        "Logistics & manufacturing",
        2,
        {"industries": ["Logistics", "Manufacturing"], "employees_min": 200},
    ),
    ("Singapore", 3, {"countries": ["SG", "Singapore"]}),
]
INDUSTRIES = [
    "Retail",
    "Logistics",
    "Manufacturing",
    "Food & Beverage",
    "Healthcare",
    "Pharmacy",
    "Hospitality",
    "E-commerce",
    "Education",
    "Banking",
]
COUNTRIES = ["VN", "VN", "VN", "SG", "TH", "MY"]


def reference_classify(org, account_ids: list[int]) -> dict[int, tuple[int | None, str]]:
    """What the peers do: load each account as a model, test each rule, save its fit."""
    from saleshelm.crm.models import Account
    from saleshelm.direction.models import AccountSegmentFit, Segment
    from saleshelm.direction.segments import grade_for_priorities

    segments = sorted(
        (s for s in Segment.objects.filter(organisation=org) if s.is_active),
        key=lambda s: (s.priority, s.name.casefold(), s.pk),
    )
    grades = grade_for_priorities(s.priority for s in segments)

    def norm(v):
        return str(v or "").strip().casefold()

    out = {}
    for account in Account.objects.filter(pk__in=account_ids):
        match = None
        for s in segments:
            if s.industries and norm(account.industry) not in {norm(i) for i in s.industries}:
                continue
            if s.regions and norm(account.region) not in {norm(i) for i in s.regions}:
                continue
            if s.countries and norm(account.country) not in {norm(i) for i in s.countries}:
                continue
            if s.employees_min is not None or s.employees_max is not None:
                n = account.employees
                if n is None:
                    continue
                if s.employees_min is not None and n < s.employees_min:
                    continue
                if s.employees_max is not None and n > s.employees_max:
                    continue
            if s.custom:
                continue  # the bench segments have none
            match = s
            break
        fit = (match.pk, grades[match.priority]) if match else (None, "")
        AccountSegmentFit.objects.update_or_create(
            account=account,
            defaults={"organisation": org, "segment_id": fit[0], "grade": fit[1]},
        )
        out[account.pk] = fit
    return out


def _ensure_segments(org) -> None:
    from saleshelm.direction.models import Segment

    for name, priority, rules in SEGMENTS:
        Segment.objects.get_or_create(
            organisation=org, name=f"bench: {name}", defaults={"priority": priority, **rules}
        )


def run(ctx):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench.harness import Result, median, timed
    from saleshelm.crm.models import Account
    from saleshelm.direction.models import AccountSegmentFit, Segment
    from saleshelm.direction.segments import classify_organisation
    from saleshelm.tenancy.actors import SystemActor

    org = ctx.organisation
    actor = SystemActor(org, label="bench")
    _ensure_segments(org)
    accounts = Account.objects.filter(organisation=org).count()

    def classify():
        with transaction.atomic():
            return classify_organisation(actor=actor, leads=False)

    AccountSegmentFit.objects.filter(organisation=org).delete()
    cpu = time.process_time()
    with CaptureQueriesContext(connection) as queries:
        cold_samples, cold = timed(classify)
    cold_cpu = time.process_time() - cpu
    steady_samples, steady = timed(classify, repeat=3)
    # A rule change: the top segment widens to every size; then back.
    top = Segment.objects.get(organisation=org, name=f"bench: {SEGMENTS[0][0]}")
    top.employees_max = None
    top.save()
    change_samples, changed = timed(classify)
    top.employees_max = SEGMENTS[0][2]["employees_max"]
    top.save()
    classify()

    sample = list(
        Account.objects.filter(organisation=org)
        .order_by("pk")
        .values_list("pk", flat=True)[:REFERENCE_SAMPLE]
    )
    ours = {
        a: (s, g)
        for a, s, g in AccountSegmentFit.objects.filter(account_id__in=sample).values_list(
            "account_id", "segment_id", "grade"
        )
    }
    AccountSegmentFit.objects.filter(account_id__in=sample).delete()
    with transaction.atomic():
        ref_samples, ref = timed(lambda: reference_classify(org, sample))
    identical = ours == ref
    classify()

    cold_s = median(cold_samples)
    at_scale = accounts >= GOAL_ACCOUNTS
    rate = accounts / cold_s if cold_s else 0
    ref_rate = len(sample) / median(ref_samples) if ref_samples and median(ref_samples) else 0
    return [
        Result(
            f"segments: classify {accounts:,} accounts, cold",
            cold_s,
            "s",
            goal=f"<= {GOAL_SECONDS:g} s at {GOAL_ACCOUNTS:,} accounts (SQLite)",
            ok=(cold_s <= GOAL_SECONDS) if at_scale else None,
            notes=[
                f"{rate:,.0f} accounts/s; {cold.accounts_changed:,} fits written; "
                f"{len(queries.captured_queries)} SQL statements; {cold_cpu:.2f} s of CPU "
                f"(load average {os.getloadavg()[0]:.1f})",
            ],
        ),
        Result(
            "segments: reclassify after a rule change",
            median(change_samples),
            "s",
            goal=f"<= {GOAL_SECONDS:g} s",
            ok=(median(change_samples) <= GOAL_SECONDS) if at_scale else None,
            notes=[f"{changed.accounts_changed:,} fits moved"],
        ),
        Result(
            "segments: reclassify, nothing changed",
            median(steady_samples),
            "s",
            notes=[f"{steady.accounts_changed:,} fits written"],
        ),
        Result(
            f"segments: bulk pass vs save() per account ({len(sample):,})",
            rate,
            "a/s",
            reference=ref_rate,
            reference_name="update_or_create per account, in one transaction",
            goal="identical fits",
            ok=identical,
            notes=[] if identical else ["FITS DIFFER"],
        ),
    ]


def _standalone(accounts: int, database: str) -> int:
    os.environ.setdefault("SALESHELM_DEBUG", "1")
    os.environ["SALESHELM_DATABASE_URL"] = "sqlite:///" + os.path.abspath(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleshelm.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from bench.harness import Context, database_label, print_table
    from saleshelm.crm.models import Account
    from saleshelm.tenancy.models import Organisation
    from saleshelm.tenancy.services import organisation_create

    call_command("migrate", verbosity=0, skip_checks=True)
    slug = f"bench-segments-{accounts}"
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        start = time.perf_counter()
        org, _, _ = organisation_create(slug=slug, name="Bench segments", currency="USD")
        rng = random.Random(5)
        rows = [
            Account(
                organisation=org,
                external_id=f"ACC-{i:06d}",
                name=f"Company {i}",
                industry=rng.choice(INDUSTRIES),
                employees=rng.choice([None, rng.randint(5, 5000)]),
                region=rng.choice(["North", "Central", "South"]),
                country=rng.choice(COUNTRIES),
            )
            for i in range(accounts)
        ]
        with transaction.atomic():
            Account.objects.bulk_create(rows, batch_size=2000)
        print(f"created {accounts:,} accounts in {time.perf_counter() - start:.1f} s")
    ctx = Context(size=f"{accounts:,} accounts", database=database_label(), organisation=org)
    results = run(ctx)
    print_table(results, title=f"segments over {ctx.size} on {ctx.database}")
    return 1 if any(r.ok is False for r in results) else 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=GOAL_ACCOUNTS)
    parser.add_argument("--db", default="var/bench-segments.sqlite3")
    args = parser.parse_args()
    sys.exit(_standalone(args.accounts, args.db))

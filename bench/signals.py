"""Early signals over a whole organisation (SPEC §8: "rules evaluated daily").

Every rule is one SQL aggregate for the organisation, never a query per member, so the daily
run over 2,000 members must take at most 10 s. Measured here:

- the cold run (no signal yet: every firing key is raised),
- the steady run (the next morning: nothing new, figures refreshed, escalations),
- beside a reference that does what the peers do — the same rules member by member, one
  query each — whose answers must be identical to ours.

Run with the harness (``python -m bench M --only signals``: the dataset of SPEC §10 has
2,000 members) or on its own, which seeds a lighter organisation of 2,000 reps::

    python -m bench.signals [--members 2000] [--db var/bench-signals.sqlite3]
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time

GOAL_SECONDS = 10.0
GOAL_MEMBERS = 2_000


def _members(org) -> int:
    from saleshelm.tenancy.models import Membership

    return Membership.objects.filter(organisation=org, is_active=True).count()


def reference_firing(org, ctx) -> dict[str, set]:
    """The same three crm rules, member by member (a query per member and rule)."""
    from django.db.models import Q

    from saleshelm.crm.models import Activity, Opportunity, StageKind
    from saleshelm.development.signals_engine import BASIS_POINTS, TRAILING_WEEKS, _bp
    from saleshelm.tenancy.models import Membership

    s = ctx.settings
    out: dict[str, set] = {"stalled_deal": set(), "no_next_step": set(), "activity_drop": set()}
    cutoff = ctx.now - dt.timedelta(days=s.stalled_days)
    grace = ctx.today - dt.timedelta(days=s.no_next_step_grace_days)
    recent_start = ctx.day_start(ctx.today - dt.timedelta(days=6))
    trailing_start = recent_start - dt.timedelta(weeks=TRAILING_WEEKS)
    end = ctx.day_start(ctx.today + dt.timedelta(days=1))
    keep_bp = BASIS_POINTS - _bp(s.activity_drop_by)
    for member_id in Membership.objects.filter(organisation=org, is_active=True).values_list(
        "pk", flat=True
    ):
        deals = Opportunity.objects.filter(
            organisation=org, owner_id=member_id, stage__kind=StageKind.OPEN
        )
        for pk in deals.filter(stage_entered_at__lt=cutoff).values_list("pk", flat=True):
            out["stalled_deal"].add((member_id, "opportunity", pk))
        for pk in (
            deals.filter(created_date__lte=grace)
            .filter(Q(next_step="") | Q(next_step_date__lt=ctx.today))
            .values_list("pk", flat=True)
        ):
            out["no_next_step"].add((member_id, "opportunity", pk))
        acts = Activity.objects.filter(organisation=org, owner_id=member_id, done=True)
        recent = acts.filter(occurred_at__gte=recent_start, occurred_at__lt=end).count()
        trailing = acts.filter(
            occurred_at__gte=trailing_start, occurred_at__lt=recent_start
        ).count()
        if (
            trailing >= TRAILING_WEEKS * s.activity_min_weekly
            and recent * TRAILING_WEEKS * BASIS_POINTS < trailing * keep_bp
        ):
            out["activity_drop"].add((member_id, "", 0))
    return out


def run(ctx):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.harness import Result, median, timed
    from saleshelm.development import signals_engine
    from saleshelm.development.models import Signal

    org = ctx.organisation
    members = _members(org)
    Signal.objects.filter(organisation=org).delete()
    now = signals_engine.timezone.now()

    with CaptureQueriesContext(connection) as queries:
        cold_samples, cold = timed(lambda: signals_engine.evaluate(organisation=org, now=now))
    steady_samples, steady = timed(
        lambda: signals_engine.evaluate(organisation=org, now=now + dt.timedelta(hours=24)),
        repeat=3,
    )

    # Our firing sets and the member-by-member reference's, on the same clock.
    rctx = signals_engine.RuleContext(
        organisation=org,
        settings=signals_engine.settings_for(org.pk),
        today=cold.today,
        now=now,
        tz=signals_engine._tz(org),
    )
    ours = {
        "stalled_deal": set(signals_engine.rule_stalled_deal(rctx)),
        "no_next_step": set(signals_engine.rule_no_next_step(rctx)),
        "activity_drop": set(signals_engine.rule_activity_drop(rctx)),
    }
    ours_samples, _ = timed(
        lambda: [
            signals_engine.rule_stalled_deal(rctx),
            signals_engine.rule_no_next_step(rctx),
            signals_engine.rule_activity_drop(rctx),
        ]
    )
    ref_samples, ref = timed(lambda: reference_firing(org, rctx))
    identical = ours == ref

    per_rule = ", ".join(
        f"{r.rule}={r.raised}" if r.evaluated else f"{r.rule}=skipped ({r.reason})"
        for r in cold.rules
    )
    cold_s = median(cold_samples)
    at_scale = members >= GOAL_MEMBERS
    return [
        Result(
            f"signals: daily run, cold, {members:,} members",
            cold_s,
            "s",
            goal=f"<= {GOAL_SECONDS:g} s at {GOAL_MEMBERS:,} members",
            ok=(cold_s <= GOAL_SECONDS) if at_scale else None,
            notes=[
                f"{cold.raised:,} signals raised ({per_rule}); {len(queries.captured_queries)} "
                "SQL statements",
            ],
        ),
        Result(
            f"signals: daily run, next day, {members:,} members",
            median(steady_samples),
            "s",
            goal=f"<= {GOAL_SECONDS:g} s at {GOAL_MEMBERS:,} members",
            ok=(median(steady_samples) <= GOAL_SECONDS) if at_scale else None,
            notes=[f"{steady.open_signals:,} open, {steady.escalated:,} escalated"],
        ),
        Result(
            "signals: 3 crm rules, set-based vs per member",
            median(ours_samples),
            "s",
            reference=median(ref_samples),
            reference_name="the same rules member by member (a query per member and rule)",
            goal="identical answers",
            ok=identical,
            notes=[
                "firing: "
                + ", ".join(f"{k}={len(v):,}" for k, v in ours.items())
                + ("" if identical else "  ANSWERS DIFFER")
            ],
        ),
    ]


def _standalone(members: int, database: str) -> int:
    # Production settings, as the harness runs them (no SQL logging, no debug overhead).
    os.environ.setdefault("SALESHELM_DEBUG", "0")
    os.environ.setdefault(
        "SALESHELM_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
    os.environ["SALESHELM_DATABASE_URL"] = "sqlite:///" + os.path.abspath(database)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saleshelm.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.harness import Context, database_label, print_table
    from saleshelm.core.seeding import SeedOptions, seed_organisation
    from saleshelm.tenancy.models import Organisation

    call_command("migrate", verbosity=0, skip_checks=True)
    slug = f"bench-signals-{members}"
    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        start = time.perf_counter()
        report = seed_organisation(
            SeedOptions(
                org=slug,
                reps=members,
                months=3,
                orders=members * 50,
                activities=members * 100,
                seed=11,
            ),
            seeders=["saleshelm.people.seed", "saleshelm.crm.seed", "saleshelm.performance.seed"],
        )
        print(f"{report.line()} (seeding took {time.perf_counter() - start:.1f} s)")
        org = Organisation.objects.get(slug=slug)
    ctx = Context(size=f"{members} reps", database=database_label(), organisation=org)
    results = run(ctx)
    print_table(results, title=f"signals over {ctx.size} on {ctx.database}")
    return 1 if any(r.ok is False for r in results) else 0


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="bench.signals")
    parser.add_argument("--members", type=int, default=GOAL_MEMBERS, help="reps to seed")
    parser.add_argument("--db", default="var/bench-signals.sqlite3")
    args = parser.parse_args()
    sys.exit(_standalone(args.members, args.db))

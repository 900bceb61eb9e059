"""The pay seeder: a commission plan for the reps and, for a small organisation, three
monthly runs (two locked, the latest calculated) whose statements pay real money."""

import datetime as dt
from decimal import Decimal

from saleshelm.core.seeding import SeedOptions, seed_organisation
from saleshelm.incentives.models import CommissionRun, Plan, PlanAssignment, Statement
from saleshelm.tenancy.models import Membership

SEEDERS = [
    "saleshelm.people.seed",
    "saleshelm.crm.seed",
    "saleshelm.performance.seed",
    "saleshelm.incentives.seed",
]
TODAY = dt.date(2026, 8, 20)


def test_seed_writes_a_plan_for_the_reps_and_runs_the_last_three_months(db):
    options = SeedOptions(
        org="seed-pay", reps=6, months=6, orders=1200, activities=100, seed=3, today=TODAY
    )
    org = seed_organisation(options, seeders=SEEDERS).organisation

    plan = Plan.objects.get(organisation=org)
    reps = set(Membership.objects.filter(organisation=org, role="rep").values_list("pk", flat=True))
    assigned = set(
        PlanAssignment.objects.filter(version__plan=plan).values_list("member_id", flat=True)
    )
    assert assigned == reps
    runs = list(CommissionRun.objects.filter(organisation=org).order_by("period"))
    assert [(r.period, r.status) for r in runs] == [
        ("2026-05", "locked"),
        ("2026-06", "locked"),
        ("2026-07", "calculated"),
    ]
    for run in runs:
        statements = Statement.objects.filter(run=run)
        assert statements.count() == len(reps)
        assert sum((s.total for s in statements), Decimal(0)) > 0

    # seeding again keeps the plan and its runs as they are
    seed_organisation(options, seeders=SEEDERS)
    assert Plan.objects.filter(organisation=org).count() == 1
    assert CommissionRun.objects.filter(organisation=org).count() == 3

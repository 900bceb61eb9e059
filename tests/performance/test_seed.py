"""The performance seeder: targets with seasonality for members, teams and territories."""

import datetime as dt
from decimal import Decimal

from saleshelm.core.periods import parse_period
from saleshelm.core.seeding import SeedOptions, seed_organisation
from saleshelm.performance.models import ForecastSubmission, Target
from saleshelm.performance.seed import pattern

SEEDERS = ["saleshelm.people.seed", "saleshelm.performance.seed"]


def test_seasonal_pattern_sums_to_exactly_one():
    for key in ("2026-Q1", "2026-Q4", "2026-Q3"):
        weights = pattern(parse_period(key))
        assert sum(weights) == 1 and len(weights) == 3
    # Q1 is Tết: January 0.80, February 0.70, March 1.00 -> 0.32, 0.28, 0.40.
    assert pattern(parse_period("2026-Q1")) == [Decimal("0.32"), Decimal("0.28"), Decimal("0.40")]


def test_seed_sets_targets_for_members_teams_and_territories(db):
    options = SeedOptions(org="seeded", reps=8, months=6, seed=3, today=dt.date(2026, 8, 16))
    report = seed_organisation(options, seeders=SEEDERS)
    assert "saleshelm.performance.seed" in report.ran
    org = report.organisation
    revenue = Target.objects.filter(organisation=org, metric="revenue")
    # March to August 2026 touches Q1, Q2 and Q3.
    assert set(revenue.values_list("period_key", flat=True)) == {"2026-Q1", "2026-Q2", "2026-Q3"}
    members = revenue.filter(assignee_type="member")
    assert members.count() == 8 * 3
    assert all(
        t.distribution == "pattern" and sum(Decimal(w) for w in t.weights) == 1 for t in members
    )
    # A team's target is the sum of its members' (sub-teams included).
    for team_target in revenue.filter(assignee_type="team", period_key="2026-Q3"):
        inside = members.filter(
            period_key="2026-Q3", member__profile__team__path__startswith=team_target.team.path
        )
        assert team_target.value == sum(t.value for t in inside)
    assert revenue.filter(assignee_type="territory").exists()
    assert (
        Target.objects.filter(organisation=org, metric="calls", period_kind="month").count()
        == 8 * 6
    )
    assert ForecastSubmission.objects.filter(organisation=org).count() >= 8
    # Seeding again adds the new people's targets and keeps the old ones.
    before = Target.objects.filter(organisation=org).count()
    seed_organisation(options, seeders=SEEDERS)
    assert Target.objects.filter(organisation=org).count() > before

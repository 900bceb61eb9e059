"""The direction seeder: a realistic vision, a three-level goal tree bound to revenue and
calls, values, offerings, competitors, segments, and deals and targets aligned to goals."""

import datetime as dt

from saleshelm.core.seeding import SeedOptions, seed_organisation
from saleshelm.direction.models import (
    AccountSegmentFit,
    CompanyValue,
    Competitor,
    Goal,
    GoalLink,
    KeyResult,
    KeyResultCheckIn,
    Offering,
    OpportunityCompetitor,
    Segment,
    Vision,
)
from saleshelm.direction.selectors.progress import goal_forest
from saleshelm.tenancy.actors import SystemActor

SEEDERS = [
    "saleshelm.people.seed",
    "saleshelm.crm.seed",
    "saleshelm.performance.seed",
    "saleshelm.direction.seed",
]
TODAY = dt.date(2026, 8, 20)


def test_seed_builds_direction_and_a_second_run_adds_to_it(db):
    # when a Vietnamese organisation is seeded
    options = SeedOptions(
        org="seed-dir",
        reps=8,
        months=4,
        orders=400,
        activities=800,
        seed=5,
        locale="vi",
        today=TODAY,
    )
    report = seed_organisation(options, seeders=SEEDERS)
    org = report.organisation
    # then the organisation-level content is there, in Vietnamese
    assert Vision.objects.get(organisation=org).statement.startswith("Đến năm 2029")
    assert CompanyValue.objects.filter(organisation=org).count() == 4
    assert all(v.behaviours for v in CompanyValue.objects.filter(organisation=org))
    assert Offering.objects.filter(organisation=org, product_categories__isnull=False).exists()
    assert Competitor.objects.filter(organisation=org).count() == 4
    assert Segment.objects.filter(organisation=org).count() == 4
    assert AccountSegmentFit.objects.filter(organisation=org).exclude(grade="").exists()
    assert OpportunityCompetitor.objects.filter(organisation=org).exists()
    # a goal tree organisation -> sales -> team -> member, measured by revenue and calls
    forest = goal_forest(actor=SystemActor(org), today=TODAY)
    levels = {n.goal.level: n.depth for n in forest.walk()}
    assert levels == {"organisation": 0, "sales": 1, "team": 2, "member": 3}
    metrics = set(KeyResult.objects.filter(organisation=org).values_list("metric", flat=True))
    assert {"revenue", "calls", "pipeline_created", ""} <= metrics
    assert KeyResultCheckIn.objects.filter(organisation=org).exists()
    member = next(n for n in forest.walk() if n.goal.level == "member")
    assert member.progress is not None  # live revenue and calls from performance
    # deals and targets serve goals
    links = GoalLink.objects.filter(organisation=org)
    assert links.filter(opportunity__isnull=False).count() > 10
    assert links.filter(target__isnull=False).exists()

    # when the organisation is seeded again, new reps get goals under their team's goal
    goals_before = Goal.objects.filter(organisation=org).count()
    again = seed_organisation(
        SeedOptions(
            org="seed-dir",
            reps=3,
            months=4,
            orders=50,
            activities=50,
            seed=6,
            locale="vi",
            today=TODAY,
        ),
        seeders=SEEDERS,
    )
    assert Vision.objects.filter(organisation=org).count() == 1
    added = Goal.objects.filter(organisation=org).count() - goals_before
    assert added >= 3
    orphans = Goal.objects.filter(organisation=org, parent__isnull=True).exclude(
        level="organisation"
    )
    assert not orphans.exists()
    assert "goals" in again.line()

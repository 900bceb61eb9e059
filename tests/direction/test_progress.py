"""Goal progress rolls up by weight; key results measure from start to target; at-risk."""

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.direction.models import GoalLevel, GoalStatus, Vision
from saleshelm.direction.selectors.progress import (
    elapsed_fraction,
    goal_forest,
    kr_progress,
)
from tests.direction.factories import GoalFactory, KeyResultFactory, check_in

JULY_1 = dt.date(2026, 7, 1)  # day 182 of 365: 182/365 = 0.4986 of 2026 has gone by


def test_key_result_progress_from_start_to_target():
    # rising: 0 -> 200, now 150
    assert kr_progress(start=Decimal(0), target=Decimal(200), current=Decimal(150)) == Decimal(
        "0.7500"
    )
    # falling: churn from 100 down to 50, now 85 -> 15 of the 50 to go
    assert kr_progress(start=Decimal(100), target=Decimal(50), current=Decimal(85)) == Decimal(
        "0.3000"
    )
    # overshoot and backslide are clamped to 0..1
    assert kr_progress(start=Decimal(0), target=Decimal(10), current=Decimal(12)) == 1
    assert kr_progress(start=Decimal(10), target=Decimal(20), current=Decimal(5)) == 0
    # nothing measured yet
    assert kr_progress(start=Decimal(0), target=Decimal(10), current=None) is None


def test_elapsed_fraction_of_a_period():
    assert elapsed_fraction(dt.date(2026, 1, 1), dt.date(2026, 12, 31), JULY_1) == Decimal("0.4986")
    assert elapsed_fraction(dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2025, 12, 1)) == 0
    assert elapsed_fraction(dt.date(2026, 1, 1), dt.date(2026, 12, 31), dt.date(2027, 1, 1)) == 1


@pytest.fixture
def tree(world):
    """
    O  organisation goal, KR k0 (w1): 0 -> 100, latest check-in 50           -> 0.5
    ├─ S  sales goal (w3): KR a (w2) 0 -> 200 at 150 = 0.75; KR b (w1) 10 -> 20 at 12 = 0.2
    │                      S = (2 x 0.75 + 1 x 0.2) / 3 = 0.5667
    ├─ X  sales goal (w1): KR c 100 -> 50 (falling) at 85 = 0.3                -> 0.3
    └─ Z  cancelled (w10): KR at 100% — left out of the roll-up
    O = (3 x 0.5667 + 1 x 0.3 + 1 x 0.5) / 5 = 2.5001 / 5 = 0.5000
    """
    org_goal = GoalFactory(owner=world.director, level=GoalLevel.ORGANISATION, title="O")
    k0 = KeyResultFactory(goal=org_goal, start_value=0, target_value=100)
    check_in(k0, 50, dt.date(2026, 6, 1))
    s = GoalFactory(parent=org_goal, level=GoalLevel.SALES, title="S", weight=3)
    a = KeyResultFactory(goal=s, start_value=0, target_value=200, weight=2)
    check_in(a, 40, dt.date(2026, 3, 1))
    check_in(a, 150, dt.date(2026, 6, 1))
    check_in(a, 10, dt.date(2026, 2, 1))  # older reading entered late: not the latest
    b = KeyResultFactory(goal=s, start_value=10, target_value=20, weight=1)
    check_in(b, 12, dt.date(2026, 6, 15))
    x = GoalFactory(parent=org_goal, level=GoalLevel.SALES, title="X", weight=1)
    c = KeyResultFactory(goal=x, start_value=100, target_value=50)
    check_in(c, 85, dt.date(2026, 6, 20))
    z = GoalFactory(
        parent=org_goal, level=GoalLevel.SALES, title="Z", weight=10, status=GoalStatus.CANCELLED
    )
    kz = KeyResultFactory(goal=z, start_value=0, target_value=1)
    check_in(kz, 1, dt.date(2026, 6, 1))
    return {"O": org_goal, "S": s, "X": x, "Z": z}


def test_goal_progress_rolls_up_by_weight_worked_by_hand(world, tree):
    # when
    forest = goal_forest(actor=world.rep, today=JULY_1)
    # then
    node = forest.nodes
    assert node[tree["S"].pk].progress == Decimal("0.5667")
    assert node[tree["X"].pk].progress == Decimal("0.3000")
    assert node[tree["Z"].pk].progress == Decimal("1.0000")  # measured, but cancelled
    assert node[tree["O"].pk].progress == Decimal("0.5000")
    assert [r.goal.title for r in forest.roots] == ["O"]


def test_at_risk_when_behind_the_clock_by_more_than_the_threshold(world, tree):
    # given: 0.4986 of the year gone, threshold 0.10 -> at risk below 0.3986
    forest = goal_forest(actor=world.rep, today=JULY_1)
    node = forest.nodes
    assert node[tree["X"].pk].at_risk  # 0.30
    assert not node[tree["S"].pk].at_risk  # 0.5667
    assert not node[tree["O"].pk].at_risk  # 0.50
    assert not node[tree["Z"].pk].at_risk  # cancelled goals are never at risk
    x_kr = node[tree["X"].pk].key_results[0]
    assert x_kr.at_risk and x_kr.expected == Decimal("0.4986")

    # when the organisation tolerates 25 points: at risk only below 0.2486
    Vision.objects.create(organisation=world.org, at_risk_threshold=Decimal("0.25"))
    forest = goal_forest(actor=world.rep, today=JULY_1)
    # then
    assert not forest.nodes[tree["X"].pk].at_risk
    assert forest.at_risk_count == 0


def test_nothing_is_at_risk_before_the_period_starts(world, tree):
    forest = goal_forest(actor=world.rep, today=dt.date(2025, 12, 31))
    assert forest.at_risk_count == 0


def test_unmeasured_goal_has_no_progress_unless_achieved(world):
    empty = GoalFactory(owner=world.director, title="Empty")
    done = GoalFactory(owner=world.director, title="Done", status=GoalStatus.ACHIEVED)
    forest = goal_forest(actor=world.rep, today=JULY_1)
    assert forest.nodes[empty.pk].progress is None
    assert not forest.nodes[empty.pk].at_risk
    assert forest.nodes[done.pk].progress == 1


def test_goals_of_another_organisation_are_not_in_the_tree(world):
    mine = GoalFactory(owner=world.director, title="Ours")
    GoalFactory(owner=world.other_org_admin, title="Theirs")
    forest = goal_forest(actor=world.rep, today=JULY_1)
    assert set(forest.nodes) == {mine.pk}


def test_a_goal_is_held_to_the_clock_of_what_measures_it(world):
    # given a year goal measured by a Q3 key result, on 1 July (0.4986 of the year gone,
    # 0.0109 of Q3 gone)
    goal = GoalFactory(owner=world.director, title="Year goal, quarter measure")
    kr = KeyResultFactory(goal=goal, period="2026-Q3", start_value=0, target_value=100)
    check_in(kr, 5, dt.date(2026, 7, 1))
    # when
    node = goal_forest(actor=world.rep, today=JULY_1).nodes[goal.pk]
    # then it is compared with the quarter's clock, not the year's
    assert node.key_results[0].expected == Decimal("0.0109")
    assert node.expected == Decimal("0.0109")
    assert node.progress == Decimal("0.0500") and not node.at_risk

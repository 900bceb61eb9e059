"""Lists and reports cost the same number of queries whatever their size (STYLE: a
query-count test for every dashboard and list)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saleshelm.crm.models import StageKind
from saleshelm.direction.models import GoalLevel
from tests.direction.factories import (
    GoalFactory,
    KeyResultFactory,
    SegmentFactory,
    account,
    check_in,
    deal,
    link,
)

YEAR = str(dt.date.today().year)


def grow(world, n: int) -> None:
    """n Sales goals under one organisation goal, each with two key results, check-ins and
    a linked deal."""
    root = GoalFactory(owner=world.director, period=YEAR, title=f"Root {n}")
    for i in range(n):
        goal = GoalFactory(parent=root, level=GoalLevel.SALES, period=YEAR, title=f"G{n}-{i}")
        for _ in range(2):
            kr = KeyResultFactory(goal=goal, start_value=0, target_value=10)
            check_in(kr, i % 10, dt.date.today())
        link(goal, deal(world.rep, "100", kind=StageKind.WON, close_date=dt.date.today()))
        SegmentFactory(organisation=world.org, name=f"S{n}-{i}", industries=[f"I{i}"])
        account(world.org, industry=f"I{i}")


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries)


def test_goal_list_api_and_pages_do_not_grow_with_the_tree(world, api_client, web_client):
    api = api_client(world.director)
    web = web_client(world.director)
    pages = {
        "api goals": lambda: api.get("/api/v1/goals?limit=100"),
        "api alignment": lambda: api.get(f"/api/v1/goal-alignment?period={YEAR}"),
        "api segments": lambda: api.get("/api/v1/segments?limit=100"),
        "vision": lambda: web.get(reverse("direction:vision")),
        "alignment": lambda: web.get(reverse("direction:alignment")),
        "segments": lambda: web.get(reverse("direction:segments")),
        "strategy": lambda: web.get(reverse("direction:strategy")),
    }
    grow(world, 2)
    for fn in pages.values():  # warm up: the token's first use of the minute is recorded
        fn()
    small = {name: count(fn) for name, fn in pages.items()}
    grow(world, 12)
    large = {name: count(fn) for name, fn in pages.items()}
    assert large == small
    assert small["api goals"] <= 8 and small["vision"] <= 20

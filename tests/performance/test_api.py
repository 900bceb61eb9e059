"""The performance API: the exact JSON of SPEC §6, errors, query counts."""

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.performance.rollups import rollups_refresh
from saleshelm.performance.selectors import board as board_module
from saleshelm.tenancy.roles import Role
from tests.people.factories import TeamFactory
from tests.performance.factories import TargetFactory, order_line
from tests.tenancy.factories import MembershipFactory, UserFactory


@pytest.fixture
def on_aug16(monkeypatch):
    monkeypatch.setattr(board_module, "local_today", lambda organisation: dt.date(2026, 8, 16))


def test_attainment_answers_the_documented_shape(world, api_client, on_aug16):
    # Given rep with a Q3 target of 100,000 and 85,000 booked, and peer with 10,000.
    TargetFactory(member=world.rep, period="2026-Q3", value=Decimal("100000"))
    order_line(world.rep, dt.date(2026, 7, 5), "85000")
    order_line(world.peer, dt.date(2026, 7, 6), "10000.555")
    # When the manager asks for Q3 revenue attainment by member.
    r = api_client(world.manager).get(
        "/api/v1/performance/attainment?period=2026-Q3&metric=revenue&group=member"
    )
    # Then the answer is exactly this (expected to date on 16 August: 100,000 x (1 + 16/31)
    # / 3 = 50,537.6344; pacing 85,000 / 50,537.6344 = 1.68191... -> 1.6819).
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    assert r.json() == {
        "period": "2026-Q3",
        "metric": "revenue",
        "currency": "USD",
        "rows": [
            {
                "assignee": {
                    "type": "member",
                    "id": world.rep.pk,
                    "email": "rep@acme.test",
                    "name": "Nguyễn Văn An",
                    "team": "North",
                },
                "target": "100000.00",
                "actual": "85000.00",
                "attainment": "0.8500",
                "expected_to_date": "50537.63",
                "pacing": "1.6819",
                "rank": 1,
            },
            {
                "assignee": {
                    "type": "member",
                    "id": world.peer.pk,
                    "email": "peer@acme.test",
                    "name": "Trần Thị Bình",
                    "team": "North",
                },
                "target": None,
                "actual": "10000.56",  # 10,000.555 rounds half-up
                "attainment": None,
                "expected_to_date": None,
                "pacing": None,
                "rank": 2,
            },
            {
                "assignee": {
                    "type": "member",
                    "id": world.manager.pk,
                    "email": "manager@acme.test",
                    "name": "Mai Manager",
                    "team": "Sales",
                },
                "target": None,
                "actual": "0.00",
                "attainment": None,
                "expected_to_date": None,
                "pacing": None,
                "rank": 3,
            },
        ],
    }


def test_team_rows_name_the_team_without_email(world, api_client, on_aug16):
    order_line(world.rep, dt.date(2026, 7, 5), "10")
    r = api_client(world.manager).get("/api/v1/performance/attainment?period=2026-Q3&group=team")
    rows = {row["assignee"]["name"]: row for row in r.json()["rows"]}
    assert rows["North"]["assignee"] == {
        "type": "team",
        "id": world.rep.profile.team_id,
        "name": "North",
    }
    assert rows["Sales"]["actual"] == "10.00"


def test_leaderboard_for_a_rep_is_their_team(world, api_client, on_aug16):
    order_line(world.peer, dt.date(2026, 7, 5), "300")
    order_line(world.rep, dt.date(2026, 7, 5), "200")
    order_line(world.other_rep, dt.date(2026, 7, 5), "999")
    r = api_client(world.rep).get("/api/v1/performance/leaderboard?period=2026-Q3")
    assert [(row["assignee"]["email"], row["rank"]) for row in r.json()["rows"]] == [
        ("peer@acme.test", 1),
        ("rep@acme.test", 2),
    ]


def test_defaults_are_revenue_by_member_for_the_current_quarter(world, api_client, on_aug16):
    body = api_client(world.rep).get("/api/v1/performance/attainment").json()
    assert (body["period"], body["metric"]) == ("2026-Q3", "revenue")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("period=2026-13", "invalid_period"),
        ("period=2026-Q5", "invalid_period"),
        ("period=yesterday", "invalid_period"),
        ("metric=happiness", "unknown_metric"),
        ("group=region", "invalid_group"),
    ],
)
def test_bad_parameters_answer_422_with_a_code(world, api_client, query, code):
    for path in ("attainment", "leaderboard"):
        if path == "leaderboard" and code == "invalid_group":
            continue
        r = api_client(world.admin).get(f"/api/v1/performance/{path}?{query}")
        assert r.status_code == 422, r.content
        assert r.json()["code"] == code


def _org_with_members(world, n: int) -> None:
    team = TeamFactory(organisation=world.org, name=f"Big {n}")
    for i in range(n):
        m = MembershipFactory(
            organisation=world.org,
            role=Role.REP,
            user=UserFactory(email=f"m{n}-{i}@acme.test", full_name=f"Member {i}"),
        )
        m.profile.team = team
        m.profile.save()
        order_line(m, dt.date(2026, 7, 1 + i % 28), str(100 + i))
        order_line(m, dt.date(2026, 8, 1 + i % 28), "50", splits=[(m, "0.5"), (world.rep, "0.5")])
        TargetFactory(member=m, value=Decimal(1000 + i))
    rollups_refresh(world.org.pk)


@pytest.mark.parametrize("n", [5, 50])
@pytest.mark.parametrize("role", ["admin", "manager", "rep"])
def test_query_count_does_not_grow_with_members(
    world, api_client, django_assert_max_num_queries, on_aug16, n, role
):
    # Given n members with lines, splits and targets, and the rollup up to date.
    _org_with_members(world, n)
    client = api_client(world.by_role(role))
    # Then each answer costs the same handful of queries at 5 and at 50 members:
    # token, refresh check, directory, (teams for a manager), aggregate, targets.
    for path in ("attainment?period=2026-Q3", "leaderboard?period=2026-Q3"):
        with django_assert_max_num_queries(7):
            r = client.get(f"/api/v1/performance/{path}")
        assert r.status_code == 200
    with django_assert_max_num_queries(8):
        r = client.get("/api/v1/performance/attainment?period=2026-Q3&group=team")
    assert r.status_code == 200
    if role == "admin":
        assert len(r.json()["rows"]) >= 1
        rows = client.get("/api/v1/performance/attainment?period=2026-Q3").json()["rows"]
        assert len(rows) >= n

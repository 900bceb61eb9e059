"""SPEC §10: a paginated API list of 100 orders with owner and account, under gunicorn.

``GET /api/v1/orders?limit=100`` (limit/offset pagination, newest first: each item carries its
owner, account, line count and net total; the answer carries the total count) asked with a
personal API token (``Authorization: Bearer …``) under gunicorn with 2 workers and 8
concurrent wrk connections. The reference is the "hello" view of the same server in the same
run (``/healthz``: a tiny Django view, no database).

Asked as a director (every order of the organisation: the largest count to take) and as a
manager (the orders of their team's members). SQL queries are counted in-process on the same
request, token lookup included; ``tests/crm/test_api.py`` asserts the same bound.

Goals: ≥ 250 requests/s; ≤ 4 SQL queries.
"""

from __future__ import annotations

from bench.harness import Context, Result, Server, wrk

PATH = "/api/v1/orders?limit=100"
DEEP = "/api/v1/orders?limit=100&offset=5000"
HELLO = "/healthz"
SECONDS = 10
MAX_QUERIES = 4
GOAL_RATE = 250


def _member(org, role: str):
    from saleshelm.tenancy.models import Membership

    return (
        Membership.objects.filter(organisation=org, role=role, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )


def _token(member) -> str:
    from saleshelm.tenancy.services import token_create

    return token_create(membership=member, name="bench api_list")


def _count_queries(token: str, path: str) -> tuple[int, int, int]:
    """(status, SQL queries, items) of one request, in-process, after a warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    client.get(path, secure=True)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True)
    items = len(response.json().get("items", [])) if response.status_code == 200 else 0
    return response.status_code, len(ctx.captured_queries), items


def run(ctx: Context) -> list[Result]:
    from saleshelm.crm.models import Order

    org = ctx.organisation
    director = _member(org, "director") or _member(org, "admin")
    manager = _member(org, "manager")
    if director is None:
        return [Result("API orders list", 0, "r/s", goal="a director or admin", ok=False)]
    tokens = {"director": _token(director)}
    if manager is not None:
        tokens["manager"] = _token(manager)
    total = Order.objects.filter(organisation=org).count()
    counts = {role: _count_queries(token, PATH) for role, token in tokens.items()}
    deep = _count_queries(tokens["director"], DEEP)
    if any(status != 200 or items != 100 for status, _, items in counts.values()):
        return [
            Result(
                "API orders list (100 with owner and account)",
                0,
                "r/s",
                goal="200 with 100 items",
                ok=False,
                notes=[f"{role}: {c}" for role, c in counts.items()],
            )
        ]
    auth = {role: {"Authorization": f"Bearer {t}"} for role, t in tokens.items()}
    with Server(workers=2) as server:
        wrk(server.base + PATH, seconds=2, headers=auth["director"])  # warm both workers
        hello = wrk(server.base + HELLO, seconds=SECONDS)
        page = wrk(server.base + PATH, seconds=SECONDS, headers=auth["director"])
        team = None
        if "manager" in auth:
            team = wrk(server.base + PATH, seconds=SECONDS, headers=auth["manager"])
    share = page.rate / hello.rate if hello.rate else 0.0
    results = [
        Result(
            "API orders list, 100 + owner + account, director",
            page.rate,
            "r/s",
            reference=hello.rate,
            reference_name=f"hello view {HELLO} in the same run ({hello.p95_ms:.1f} ms p95)",
            goal=f"≥ {GOAL_RATE} r/s",
            ok=page.rate >= GOAL_RATE and page.errors == 0,
            notes=[
                f"GET {PATH}, gunicorn 2 workers, wrk 8 connections, {SECONDS} s; "
                f"{page.requests:,} requests, {page.errors} errors; {share:.0%} of hello",
                f"{total:,} orders in the organisation (the answer's count)",
            ],
        ),
        Result(
            "API orders list p95 latency (director)",
            page.p95_ms,
            "ms",
            notes=[f"p50 {page.p50_ms:.1f} ms"],
        ),
    ]
    if team is not None:
        results.append(
            Result(
                "API orders list, 100 + owner + account, manager",
                team.rate,
                "r/s",
                reference=hello.rate,
                reference_name="the same hello run",
                goal=f"≥ {GOAL_RATE} r/s",
                ok=team.rate >= GOAL_RATE and team.errors == 0,
                notes=[
                    f"p50 {team.p50_ms:.1f} ms, p95 {team.p95_ms:.1f} ms; "
                    f"{team.requests:,} requests, {team.errors} errors"
                ],
            )
        )
    worst = max(q for _, q, _ in counts.values())
    results.append(
        Result(
            "API orders list SQL queries",
            worst,
            "q",
            goal=f"≤ {MAX_QUERIES} (token lookup included)",
            ok=worst <= MAX_QUERIES and deep[1] <= MAX_QUERIES,
            notes=[
                ", ".join(f"{role} {q}" for role, (_, q, _) in counts.items())
                + f"; offset 5,000: {deep[1]}",
                "asserted for admin, manager and rep in tests/crm/test_api.py",
            ],
        )
    )
    return results

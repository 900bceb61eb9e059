"""SPEC §10: the dashboard page under gunicorn (2 workers, 8 concurrent clients).

The page is a rep's "My period" (KPIs, the top-20 leaderboard of their team, their attainment,
their open deals by stage), asked as a signed-in rep: a session is created programmatically
(``SessionStore``) and its cookie handed to wrk. The reference is the "hello" view of the
same server in the same run (``/healthz``: a tiny Django view, no database).

Goals: ≥ 500 requests/s, p95 < 50 ms, ≥ 25 % of the hello view's rate; ≤ 8 SQL queries,
counted here on the same request in-process (session, user and membership included).
"""

from __future__ import annotations

import urllib.request

from bench.harness import PROXY_HEADERS, Context, Result, Server, wrk

PAGE = "/performance/my/"
HELLO = "/healthz"
PLAIN = "/people/my-role/"
SECONDS = 10
MAX_QUERIES = 8


def _bench_rep(org):
    """The rep of the organisation whose team is the largest (the biggest board to rank)."""
    from django.db.models import Count

    from saleshelm.tenancy.models import Membership
    from saleshelm.tenancy.roles import Role

    reps = Membership.objects.filter(
        organisation=org, role=Role.REP, is_active=True, profile__team__isnull=False
    )
    team = (
        reps.values("profile__team_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "profile__team_id")
        .values_list("profile__team_id", flat=True)
        .first()
    )
    return reps.filter(profile__team_id=team).select_related("user").order_by("pk").first()


def _session_cookie(member) -> str:
    """A signed-in session for ``member`` in its organisation, as a Cookie header value."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from saleshelm.tenancy.middleware import SESSION_KEY as ORG_KEY

    store = SessionStore()
    store[SESSION_KEY] = str(member.user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = member.user.get_session_auth_hash()
    store[ORG_KEY] = member.organisation_id
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _count_queries(cookie: str) -> tuple[int, int]:
    """(status, SQL queries) of one request of the page, in-process, steady state."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    name, value = cookie.split("=", 1)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.cookies[name] = value
    client.get(PAGE, secure=True)  # warm: the rollup is brought up to date once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(PAGE, secure=True)
    return response.status_code, len(ctx.captured_queries)


def _fetch(url: str, cookie: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={**PROXY_HEADERS, "Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode("utf-8", "replace")


def run(ctx: Context) -> list[Result]:
    from saleshelm.performance.rollups import rollups_refresh
    from saleshelm.tenancy.models import Membership

    org = ctx.organisation
    rollups_refresh(org.pk)
    rep = _bench_rep(org)
    if rep is None:
        return [Result("dashboard page", 0, "req/s", goal="a rep with a team", ok=False)]
    cookie = _session_cookie(rep)
    members = Membership.objects.filter(organisation=org).count()
    team_size = Membership.objects.filter(profile__team_id=rep.profile.team_id).count()
    notes = [f"rep {rep.user.email}: team of {team_size}, organisation of {members} members"]
    with Server(workers=2) as server:
        # In-process, once the server has collected the static files the page links to.
        status, queries = _count_queries(cookie)
        status_live, body = _fetch(server.base + PAGE, cookie)
        if status_live != 200 or 'class="kpis"' not in body:
            return [
                Result(
                    "dashboard page (My period, rep)",
                    0,
                    "req/s",
                    goal="the page answers 200 to the rep",
                    ok=False,
                    notes=[f"got {status_live}"],
                )
            ]
        # Warm both workers, then measure the reference and the page in the same run.
        wrk(server.base + PAGE, seconds=2, headers={"Cookie": cookie})
        hello = wrk(server.base + HELLO, seconds=SECONDS)
        page = wrk(server.base + PAGE, seconds=SECONDS, headers={"Cookie": cookie})
        # Context, not a goal: a plain signed-in page of the same shell (no figures).
        plain = wrk(server.base + PLAIN, seconds=SECONDS, headers={"Cookie": cookie})
    share = page.rate / hello.rate if hello.rate else 0.0
    rate_ok = page.rate >= 500 and page.p95_ms < 50 and share >= 0.25 and page.errors == 0
    return [
        Result(
            "dashboard page (My period, rep), gunicorn 2w",
            page.rate,
            "r/s",
            reference=hello.rate,
            reference_name=f"hello view {HELLO} in the same run ({hello.p95_ms:.1f} ms p95)",
            goal="≥ 500 r/s, ≥ 25 % of hello",
            ok=page.rate >= 500 and share >= 0.25 and page.errors == 0,
            notes=[
                *notes,
                f"{page.requests:,} requests in {page.seconds:.1f} s, {page.errors} errors; "
                f"{share:.0%} of hello",
            ],
        ),
        Result(
            "dashboard page p95 latency",
            page.p95_ms,
            "ms",
            goal="< 50 ms",
            ok=page.p95_ms < 50,
            notes=[f"p50 {page.p50_ms:.1f} ms; all goals {'met' if rate_ok else 'not all met'}"],
        ),
        Result(
            "plain signed-in page (shell only), for context",
            plain.rate,
            "r/s",
            reference=hello.rate,
            reference_name=f"{PLAIN}: the same session, user, membership and menu",
            notes=[
                f"p95 {plain.p95_ms:.1f} ms; the dashboard does {page.rate / plain.rate:.0%} "
                "of its rate"
                if plain.rate
                else "no answer"
            ],
        ),
        Result(
            "dashboard page SQL queries",
            queries,
            "q",
            goal=f"≤ {MAX_QUERIES} (session, user, membership included)",
            ok=status == 200 and queries <= MAX_QUERIES,
            notes=["the same count at 20 and 2,000 members: tests/performance/test_pages.py"],
        ),
    ]

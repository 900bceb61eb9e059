"""The authorization matrix: see framework.py for how routes are declared."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from saleshelm.api.urls import api
from tests.authz.framework import (
    PUBLIC,
    RELATIONS,
    ROLES,
    Rule,
    expected_status,
    fingerprint,
    in_savepoint,
    load_rules,
)
from tests.conftest import api_client_for, build_world, web_client_for

RULES, OBJECTS = load_rules()
# Namespaces that are not ours to classify route by route: Django's admin is staff-only
# (tested separately below) and the API's pages are enumerated from its OpenAPI schema.
SKIPPED_NAMESPACES = {"admin", "api"}
# Leak markers: text that only organisation "beta" has.
LEAKS = (b"@beta.test", b"Beta Team", b"Beta Rep", b"Beta Admin")


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    ops = set()
    for path, methods in schema["paths"].items():
        for method in methods:
            ops.add(f"{method.upper()} {path}")
    return ops


def _walk(patterns, prefix_ns: str = ""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _walk(p.url_patterns, f"{prefix_ns}{ns}:" if ns else prefix_ns)
        elif isinstance(p, URLPattern):
            if str(p.pattern).startswith(settings.STATIC_URL.lstrip("/")):
                continue
            yield f"{prefix_ns}{p.name}" if p.name else f"<unnamed {p.pattern}>"


def web_routes() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def test_every_route_is_classified():
    declared = {r.route for r in RULES}
    existing = api_operations() | web_routes()
    missing = sorted(existing - declared)
    stale = sorted(declared - existing)
    assert not missing, f"classify these routes in tests/authz/rules/: {missing}"
    assert not stale, f"these rules name routes that no longer exist: {stale}"
    assert not [r for r in existing if r.startswith("<unnamed")], "every page needs a URL name"


def _request(client: Client, rule: Rule, obj, world):
    body = rule.payload(world, obj) if rule.payload else None
    if rule.is_api:
        method, path = rule.route.split(" ", 1)
        if "{id}" in path:
            path = path.replace("{id}", str(obj.pk if obj is not None else 0))
        data = json.dumps(body) if body is not None else None
        return client.generic(method, path, data=data or "", content_type="application/json")
    url = reverse(rule.route, kwargs=rule.kwargs(obj) if rule.kwargs else None)
    if rule.method == "POST":
        return client.post(url, data=body or {})
    return client.get(url)


def _check(rule: Rule, response, outcome: str) -> str | None:
    status = response.status_code
    if outcome == "ok":
        if status not in rule.ok:
            return f"expected {rule.ok}, got {status}: {response.content[:200]!r}"
        for marker in LEAKS:
            if marker in response.content:
                return f"leaks another organisation's data ({marker!r})"
        return None
    if outcome == "anonymous":
        if rule.is_api:
            return None if status == 401 else f"anonymous expected 401, got {status}"
        login = reverse(settings.LOGIN_URL)
        if status == 302 and response["Location"].startswith(login):
            return None
        return f"anonymous expected a redirect to {login}, got {status}"
    want = 403 if outcome == "forbidden" else 404
    if status != want:
        return f"expected {want}, got {status}: {response.content[:200]!r}"
    if b"@beta.test" in response.content:
        return "a refusal names another organisation's data"
    return None


@pytest.mark.parametrize("rule", RULES, ids=[r.route for r in RULES])
@pytest.mark.django_db
def test_matrix(rule: Rule):
    world = build_world()
    objects = OBJECTS[rule.obj](world) if rule.obj else None
    relations = RELATIONS if objects else (None,)
    clients: dict[str | None, Client] = {None: Client()}
    for role in ROLES:
        member = world.by_role(role)
        clients[role] = api_client_for(member) if rule.is_api else web_client_for(member)
    failures = []
    cells = 0
    for actor in (None, *ROLES):
        for relation in relations:
            obj = objects[relation] if objects else None
            outcome = expected_status(rule, actor, relation)

            def cell(client=clients[actor], obj=obj):
                before = fingerprint()
                response = _request(client, rule, obj, world)
                changed = fingerprint() != before
                return response, changed

            response, changed = in_savepoint(cell)
            cells += 1
            problem = _check(rule, response, outcome)
            if problem is None and outcome != "ok" and changed and rule.http_method != "GET":
                problem = "a refused request changed data"
            if problem is None and rule.http_method == "GET" and changed and outcome != "ok":
                problem = "a refused read changed data"
            if problem:
                failures.append(f"{actor or 'anonymous'} × {relation or '-'}: {problem}")
    assert cells >= 1
    assert not failures, f"{rule.route}:\n  " + "\n  ".join(failures)


@pytest.mark.django_db
def test_django_admin_is_for_staff_only():
    world = build_world()
    for role in ROLES:
        r = web_client_for(world.by_role(role)).get("/admin/")
        assert r.status_code == 302 and "/admin/login/" in r["Location"], role
    assert PUBLIC  # the public scope exists for login pages and API docs

"""The authorization matrix (SPEC §11.1): every API operation and page × anonymous and each
role × the object of the rep under test (own), of a teammate (same_team), of another team
(other_team) and of another organisation (other_org).

Each app declares its routes in ``tests/authz/rules/<app>.py``:

    OBJECTS = {"team": lambda w: {"own": ..., "same_team": ..., "other_team": ..., "other_org": ...}}
    RULES = [
        Rule("GET /api/v1/teams/{id}", obj="team", scope=ORG, roles=ALL),
        Rule("people:team", obj="team", scope=ORG, roles=ALL, kwargs=lambda o: {"pk": o.pk}),
        ...
    ]

``scope`` says which objects a role can *see*: ORG — any object of its own organisation;
RECORDS — visibility follows the team tree (org-wide roles all, a manager their subtree, a
rep their own); an object the actor cannot see answers 404, exactly like one of another
organisation. ``roles`` says which roles may perform the operation on an object they see;
anyone else gets 403. Refusals must change nothing (a fingerprint of every SalesHelm table
before and after). Anonymous callers get 401 from the API and a redirect to the login page
from pages.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import transaction

ROLES = ("admin", "director", "manager", "rep", "finance", "viewer")
ALL = frozenset(ROLES)
STRUCTURE = frozenset({"admin", "director"})
ADMIN = frozenset({"admin"})
NONE: frozenset[str] = frozenset()
RELATIONS = ("own", "same_team", "other_team", "other_org")
ORG = "org"
RECORDS = "records"
PUBLIC = "public"  # reachable without signing in (login page, API docs)
ORG_WIDE = frozenset({"admin", "director", "finance", "viewer"})


@dataclass(frozen=True)
class Rule:
    route: str  # "METHOD /api/v1/path/{id}" or a URL name "app:name"
    obj: str | None = None
    scope: str = ORG
    roles: frozenset[str] = ALL
    payload: Callable[[Any, Any], dict] | None = None  # (world, obj) -> body for writes
    kwargs: Callable[[Any], dict] | None = None  # obj -> URL kwargs for pages
    ok: tuple[int, ...] = (200, 201, 204)
    method: str = "GET"  # pages: GET or POST
    notes: str = ""
    # Relations an actor may *see* under RECORDS scope, keyed by role; defaults below.
    visible: dict[str, frozenset[str]] = field(default_factory=dict)
    # For rules a role set cannot say (e.g. "the member themself"): (role, relation) -> allowed.
    allow: Callable[[str, str | None], bool] | None = None

    @property
    def is_api(self) -> bool:
        return " /api/" in self.route

    @property
    def http_method(self) -> str:
        return self.route.split(" ", 1)[0] if self.is_api else self.method


RECORD_VISIBILITY = {
    "admin": frozenset({"own", "same_team", "other_team"}),
    "director": frozenset({"own", "same_team", "other_team"}),
    "finance": frozenset({"own", "same_team", "other_team"}),
    "viewer": frozenset({"own", "same_team", "other_team"}),
    "manager": frozenset({"own", "same_team"}),  # manages the rep's team, not the other team
    "rep": frozenset({"own"}),
}


def expected_status(rule: Rule, actor: str | None, relation: str | None) -> str:
    """'ok', 'forbidden', 'not_found', or 'anonymous' for one cell of the matrix."""
    if rule.scope == PUBLIC:
        return "ok"
    if actor is None:
        return "anonymous"
    if relation == "other_org":
        return "not_found"
    if relation is not None and rule.scope == RECORDS:
        visible = rule.visible.get(actor, RECORD_VISIBILITY[actor])
        if relation not in visible:
            return "not_found"
    if rule.allow is not None:
        return "ok" if rule.allow(actor, relation) else "forbidden"
    return "ok" if actor in rule.roles else "forbidden"


def load_rules() -> tuple[list[Rule], dict[str, Callable]]:
    from tests.authz import rules as rules_pkg

    all_rules: list[Rule] = []
    objects: dict[str, Callable] = {}
    for mod in pkgutil.iter_modules(rules_pkg.__path__):
        module = importlib.import_module(f"tests.authz.rules.{mod.name}")
        all_rules.extend(getattr(module, "RULES", []))
        objects.update(getattr(module, "OBJECTS", {}))
    return all_rules, objects


_FINGERPRINT_SQL: str | None = None


def _fingerprint_sql() -> str:
    """One UNION ALL over every SalesHelm table: row count and latest change of each."""
    global _FINGERPRINT_SQL
    if _FINGERPRINT_SQL is None:
        from django.db import connection

        q = connection.ops.quote_name
        parts = []
        for model in apps.get_models():
            if not model.__module__.startswith("saleshelm."):
                continue
            names = {f.name: f.column for f in model._meta.concrete_fields}
            stamp = next((names[f] for f in ("updated_at", "created_at") if f in names), None)
            latest = f"CAST(MAX({q(stamp)}) AS VARCHAR(64))" if stamp else "NULL"
            table = q(model._meta.db_table)
            parts.append(f"SELECT '{model._meta.label}', COUNT(*), {latest} FROM {table}")
        _FINGERPRINT_SQL = " UNION ALL ".join(parts)
    return _FINGERPRINT_SQL


def fingerprint() -> list[tuple]:
    """Counts and latest change of every SalesHelm table: refusals must leave it unchanged."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
        return sorted(cursor.fetchall())


class Rollback(Exception):
    pass


def in_savepoint(fn: Callable[[], Any]) -> Any:
    """Run one matrix cell and undo whatever it did, so cells never see each other's writes."""
    result: list[Any] = []
    try:
        with transaction.atomic():
            result.append(fn())
            raise Rollback
    except Rollback:
        pass
    return result[0]

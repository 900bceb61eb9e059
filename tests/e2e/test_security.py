"""SPEC §11.10 in a real browser (Playwright, Debian chromium, headless).

(a) **A hidden menu is not access control.** Per role — anonymous, viewer, rep, manager,
    finance, director, admin — pages the role may not see, opened by typing their URL:
    settings pages (pipelines, exchange rates, team and member editing, the vision, plans,
    account security, imports), another member's pay statement, another team's deal,
    another organisation's account, team and statement. Each answers 403 or 404 (anonymous:
    the sign-in page) and shows none of the object's data: no text of it on the page beyond
    what the role's own layout shows on any page.

(b) **A stored script payload never runs.** Every free-text field of every SalesHelm model
    (``CharField``/``TextField`` without choices, and the text inside JSON lists such as
    key tasks, mission behaviours, segment industries, agreed actions, a plan's component
    names and an import's error list) — enumerated from the models, so a new field is
    covered without editing this file — holds a payload: ``<script>``, an attribute
    break-out ``"><img onerror>``, ``'><svg onload>``, ``</textarea></title><img
    onerror>``; URL fields also a ``javascript:`` URL. The records are made by the same
    builders as the authorization matrix (tests/authz/rules), then the payloads are written
    straight to the database, as if typed through any path (input is not stripped: the
    pages must escape). Then every page of the matrix's page routes is opened (as the first
    role allowed, and as a rep and a manager where they are allowed too), twice:
    with the CSP as served — no violation may be reported (an escaped payload triggers
    none) — and with the CSP bypassed, so that escaping alone is tested: ``window.__xss``
    stays undefined, no dialog opens, no element of a payload (``[data-xss]``) exists in the
    DOM, and no link, form or image points at ``javascript:``.

Each payload ends with a marker ``xss<field>r<row>``; the pages' HTML tells which fields
each page shows, so the test reports fields × pages and fails if one of the main records'
fields is shown on no page.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from tests.authz.framework import (
    PUBLIC,
    RELATIONS,
    ROLES,
    expected_status,
    load_rules,
)
from tests.authz.rules import incentives as incentive_rules
from tests.conftest import build_world
from tests.e2e.conftest import SCREENSHOTS, new_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RULES, OBJECTS = load_rules()
PAGE_RULES = [r for r in RULES if not r.is_api and r.method == "GET" and r.scope != PUBLIC]

# --- payloads ---------------------------------------------------------------------------------

HTML_PAYLOADS = [
    "<script data-xss>window.__xss=1</script>",
    '"><img src=x data-xss onerror="window.__xss=1">',
    "'><svg data-xss onload=window.__xss=1>",
    "</textarea></title><img src=x data-xss onerror=window.__xss=1>",
]
SHORT_PAYLOAD = "<i data-xss>"
URL_PAYLOAD = "javascript:window.__xss=1//"
MARKER = re.compile(r"xss(\d+)r(\d+)")

# Text fields that are keys, codes or machine values, not text a person writes: changing
# them would not test escaping, it would break lookups (a currency, a metric key, a period).
STRUCTURAL = {
    "password",
    "language",
    "slug",
    "currency",
    "locale",
    "time_zone",
    "path",
    "key_hash",
    "hint",
    "period",
    "period_key",
    "period_kind",
    "measure_period",
    "metric",
    "pace_metric",
    "assignee_key",
    "key",
    "framework",
    "version",
    "object_type",
    "object_id",
    "action",
    "adjusts_kind",
    "source",
    "line_kind",
    "file_type",
    "encoding",
    "delimiter",
    "resolution",
    "kind",
    "weights",
}
# Inside JSON objects, the keys whose string values are text a person wrote.
TEXT_KEYS = {
    "name",
    "description",
    "label",
    "text",
    "title",
    "reason",
    "comment",
    "value",
    "column",
}
# In lists of objects (a role profile's KPIs) "measure" is text too; in a plan it is a key.
LIST_TEXT_KEYS = TEXT_KEYS | {"measure"}
# An empty JSON list gets one item before it is poisoned: a string, or for these fields an
# object of their shape (the text in it is then poisoned).
JSON_SEEDS: dict[str, list] = {
    "development.CoachingSession.agreed_actions": [{"text": "x", "done": False}],
    "direction.Segment.custom": [{"key": "name", "value": "x"}],
    "imports.ImportJob.errors": [{"row": 2, "column": "name", "value": "x", "reason": "x"}],
    "people.RoleProfile.kpis": [{"name": "x", "metric": "revenue", "measure": "x"}],
}
# Fields of the main records that must be shown (escaped) by at least one page.
MUST_BE_SHOWN = [
    "crm.Account.name",
    "crm.Contact.name",
    "crm.Lead.name",
    "crm.Opportunity.name",
    "crm.Product.name",
    "crm.Activity.subject",
    "direction.Goal.title",
    "direction.CompanyValue.name",
    "development.Feedback.body",
    "incentives.Kudos.message",
    "incentives.Plan.name",
    "people.Team.name",
    "people.MemberProfile.title",
    "tenancy.User.full_name",
]


@dataclass
class Poisoned:
    fields: list[str] = field(default_factory=list)  # index -> "app.Model.field"
    rows: int = 0

    def marker(self, label: str, pk: int) -> str:
        return f"xss{self.fields.index(label)}r{pk}"

    def field_of(self, marker_match: re.Match) -> str:
        return self.fields[int(marker_match.group(1))]


def text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
        and not f.choices
        and f.name not in STRUCTURAL
    ]


def _payload(variants: list[str], n: int, marker: str, limit: int | None) -> str | None:
    tail = f" {marker}"
    for i in range(len(variants)):
        text = variants[(n + i) % len(variants)] + tail
        if limit is None or len(text) <= limit:
            return text
    text = SHORT_PAYLOAD + tail
    return text if limit is None or len(text) <= limit else None


def _poison_json(value: Any, make, keys: set[str]) -> Any:
    if isinstance(value, str):
        return make()
    if isinstance(value, list):
        return [_poison_json(v, make, keys) for v in value]
    if isinstance(value, dict):
        return {
            k: (
                make()
                if k in keys and isinstance(v, str)
                else _poison_json(v, make, keys)
                if isinstance(v, list | dict)
                else v
            )
            for k, v in value.items()
        }
    return value


def poison_everything() -> Poisoned:
    """Overwrite every free-text field of every SalesHelm row with a payload + marker."""
    poisoned = Poisoned()
    saleshelm_models = [
        m
        for m in apps.get_models()
        if m.__module__.startswith("saleshelm.") and not m._meta.proxy and m._meta.managed
    ]
    for model in sorted(saleshelm_models, key=lambda m: m._meta.label):
        fields = text_fields(model)
        for f in fields:
            poisoned.fields.append(f"{model._meta.label}.{f.name}")
        if not fields:
            continue
        for n, obj in enumerate(model.objects.order_by("pk")):
            values: dict[str, Any] = {}
            for j, f in enumerate(fields):
                marker = poisoned.marker(f"{model._meta.label}.{f.name}", obj.pk)
                is_url = isinstance(f, models.URLField) or f.name == "website"
                # A URL field holds a javascript: URL on every other row, markup on the rest.
                variants = [URL_PAYLOAD] if is_url and n % 2 == 0 else HTML_PAYLOADS
                if isinstance(f, models.JSONField):
                    current = getattr(obj, f.attname)
                    if current == [] or (current is None and f.default is list):
                        current = JSON_SEEDS.get(f"{model._meta.label}.{f.name}", ["x"])
                    if not current or not isinstance(current, list | dict):
                        continue
                    counter = iter(range(10**6))
                    values[f.attname] = _poison_json(
                        current,
                        lambda counter=counter, marker=marker, n=n: _payload(
                            HTML_PAYLOADS, n + next(counter), marker, None
                        ),
                        LIST_TEXT_KEYS if isinstance(current, list) else TEXT_KEYS,
                    )
                    continue
                text = _payload(variants, n + j, marker, f.max_length)
                if text is not None:
                    values[f.attname] = text
            if values:
                model.objects.filter(pk=obj.pk).update(**values)
                poisoned.rows += 1
    return poisoned


# --- the world --------------------------------------------------------------------------------

# Builders run first, in this order (later ones would collide with what these make).
FIRST = ["commission_statement", "perf_member_target"]
# Builders of records no page route is keyed on, run for the text they add to pages.
EXTRA = [
    "mot_kudos",
    "mot_award",
    "dev_feedback_shared",
    "dev_feedback_request",
    "dev_goal",
    "dev_action_item",
    "direction_deal",
    "direction_goal_link",
    "direction_competitor_link",
    "direction_kr_of_other",
    "role_profile",
    "territory",
    "audit_entry",
]


def _mission_and_profiles(world) -> None:
    """Text that lives outside the matrix's objects: the mission and a role profile."""
    from saleshelm.direction.services.mission import mission_save, value_create
    from saleshelm.people.services import member_profile_update, role_profile_save
    from saleshelm.tenancy.actors import SystemActor

    system = SystemActor(world.org)
    mission_save(actor=system, statement="Help shops sell more", culture="Straight talk")
    value_create(actor=system, name="Ownership", description="We own it", behaviours=["Call back"])
    profile = role_profile_save(
        actor=system,
        name="Field Seller",
        purpose="Win accounts",
        key_tasks=["Build pipeline"],
        responsibilities=["Forecast every Friday"],
        kpis=[{"name": "Revenue", "metric": "revenue", "measure": "Net order amount"}],
    )
    for member in (world.rep, world.manager):
        member_profile_update(actor=system, membership=member, title="AE", role_profile=profile)


def _more_text(world, built) -> None:
    """Records no matrix builder makes but pages show: the vision, a forecast call with its
    note, a pulse answer's comment, a dispute's comment, a key-result check-in's note."""
    import datetime as dt

    from saleshelm.direction.services.vision import check_in_create, vision_save
    from saleshelm.incentives.services.disputes import dispute_create
    from saleshelm.incentives.services.pulse import pulse_respond
    from saleshelm.performance.services.forecasts import forecast_submit
    from saleshelm.tenancy.actors import SystemActor

    vision_save(actor=SystemActor(world.org), statement="Be the partner of every shop")
    today = dt.date.today()
    forecast_submit(
        actor=world.rep,
        period=f"{today.year}-Q{(today.month - 1) // 3 + 1}",
        amount="5000",
        note="Two deals at proposal",
    )
    pulse_respond(
        actor=world.rep,
        survey=built["mot_survey"]["own"],
        motivation=4,
        support=3,
        clarity=4,
        comment="More coaching please",
    )
    if "commission_dispute" not in built:  # the matrix's pay desk rules build one already
        line = built["commission_statement"]["own"].lines.order_by("position").first()
        dispute_create(actor=world.rep, line=line, comment="A deal is missing")
    check_in_create(
        actor=world.rep, key_result=built["direction_kr_of_rep"]["own"], value=3, note="Going"
    )


@dataclass
class Visit:
    role: str
    route: str
    url: str
    first: bool  # the first role allowed (also visited with the CSP bypassed)


@dataclass
class Probe:
    role: str | None
    route: str
    relation: str | None
    url: str
    outcome: str  # forbidden | not_found | anonymous
    markers: list[str]  # the object's own markers, which the page must not show


@dataclass
class Stage:
    world: Any
    poisoned: Poisoned
    cookies: dict[str, str]
    visits: list[Visit]
    shown: dict[str, set[str]]  # page url -> fields it shows
    probes: list[Probe]
    server_errors: list[str]


VISITORS = ("admin", "director", "manager", "finance", "viewer", "rep")
PROBE_ROUTES = [
    # settings and admin-only pages
    "crm:pipelines",
    "crm:rates",
    "crm:product_new",
    "people:team_create",
    "people:member_edit",
    "direction:vision_edit",
    "motivation:plan_create",
    "web:account_security",
    "imports:index",
    "performance:organisation",
    "development:overview",
    "motivation:pay",
    # another member's pay, another team's or organisation's records
    "motivation:statement",
    "crm:opportunity",
    "crm:account",
    "people:team",
    "development:feedback",
]


def _session_cookie(member) -> str:
    client = Client()
    client.force_login(member.user)
    session = client.session
    session["saleshelm_org"] = member.organisation_id
    session.save()
    return session.session_key


def _object_markers(poisoned: Poisoned, obj) -> list[str]:
    if obj is None:
        return []
    label = obj._meta.label
    return [
        poisoned.marker(name, obj.pk) for name in poisoned.fields if name.startswith(label + ".")
    ]


def build_stage() -> Stage:
    world = build_world()
    built: dict[str, dict] = {}
    page_objs = list(dict.fromkeys(r.obj for r in PAGE_RULES if r.obj))
    order = FIRST + [o for o in page_objs if o not in FIRST]
    # The pay builders (statement, line, dispute) each make July's statements anew: in this one
    # world a second run would meet the USD plan the plan builder gives Beta's rep (no USD to
    # VND rate). Here they make them once and share them.
    original = incentive_rules._statements
    statements: dict = {}

    def statements_once(w):
        if not statements:
            statements.update(original(w))
        return statements

    with mock.patch.object(incentive_rules, "_statements", statements_once):
        for name in order:
            builder = statements_once if OBJECTS[name] is original else OBJECTS[name]
            with transaction.atomic():
                built[name] = builder(world)
    for name in EXTRA:
        with transaction.atomic():
            OBJECTS[name](world)
    _mission_and_profiles(world)
    _more_text(world, built)
    poisoned = poison_everything()

    cookies = {role: _session_cookie(world.by_role(role)) for role in ROLES}
    clients = {role: Client(raise_request_exception=False) for role in ROLES}
    for role, client in clients.items():
        client.cookies[django_settings.SESSION_COOKIE_NAME] = cookies[role]

    visits: list[Visit] = []
    shown: dict[str, set[str]] = {}
    server_errors: list[str] = []
    for rule in PAGE_RULES:
        relation = "own" if rule.obj else None
        obj = built[rule.obj][relation] if rule.obj else None
        allowed = [r for r in VISITORS if expected_status(rule, r, relation) == "ok"]
        if not allowed:
            continue
        url = reverse(rule.route, kwargs=rule.kwargs(obj) if rule.kwargs else None)
        roles = dict.fromkeys([allowed[0], *[r for r in ("rep", "manager") if r in allowed]])
        for role in roles:
            response = clients[role].get(url)
            if response.status_code >= 500:
                server_errors.append(f"{role} {url}: {response.status_code}")
                continue
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue  # a download (the import templates) or a redirect
            html = response.content.decode()
            shown.setdefault(url, set()).update(poisoned.field_of(m) for m in MARKER.finditer(html))
            visits.append(Visit(role, rule.route, url, first=role == allowed[0]))

    probes: list[Probe] = []
    by_route = {r.route: r for r in PAGE_RULES}
    for route in PROBE_ROUTES:
        rule = by_route[route]
        relations = RELATIONS if rule.obj else (None,)
        for actor in (None, *ROLES):
            for relation in relations:
                outcome = expected_status(rule, actor, relation)
                if outcome == "ok":
                    continue
                obj = built[rule.obj][relation] if rule.obj else None
                url = reverse(rule.route, kwargs=rule.kwargs(obj) if rule.kwargs else None)
                probes.append(
                    Probe(actor, route, relation, url, outcome, _object_markers(poisoned, obj))
                )
    return Stage(world, poisoned, cookies, visits, shown, probes, server_errors)


@pytest.fixture
def stage(transactional_db) -> Stage:
    return build_stage()


# --- the browser ------------------------------------------------------------------------------

WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' +
                           (e.sample || ''));
});
"""

INSPECT = """() => {
  const attrs = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster'];
  const jsLinks = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of attrs) {
      const v = el.getAttribute(a);
      if (v && /^\\s*javascript:/i.test(v)) jsLinks.push(el.outerHTML.slice(0, 120));
    }
  }
  return {
    ran: typeof window.__xss !== 'undefined',
    live: Array.from(document.querySelectorAll('[data-xss]')).map(e => e.outerHTML.slice(0, 120)),
    jsLinks: jsLinks,
    violations: window.__violations || [],
  };
}"""


def _context(browser, live_server, cookie: str | None, *, bypass_csp: bool = False):
    """A page signed in by its session cookie, watching for CSP violations from the first
    script on, and recording (and dismissing) any dialog a payload would open."""
    page = new_page(browser, viewport={"width": 1280, "height": 900}, bypass_csp=bypass_csp)
    context = page.context
    if cookie:
        context.add_cookies(
            [
                {
                    "name": django_settings.SESSION_COOKIE_NAME,
                    "value": cookie,
                    "url": live_server.url,
                }
            ]
        )
    page.add_init_script(WATCH)
    page.dialogs = []  # type: ignore[attr-defined]

    def on_dialog(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return context, page


def _settle(page) -> None:
    # A page that keeps polling still gets inspected.
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=2000)


def _inspect(page, where: str) -> list[str]:
    found = page.evaluate(INSPECT)
    problems = []
    if found["ran"]:
        problems.append(f"{where}: a payload ran (window.__xss is set)")
    if found["live"]:
        problems.append(f"{where}: payload elements in the DOM {found['live']}")
    if found["jsLinks"]:
        problems.append(f"{where}: javascript: URLs {found['jsLinks']}")
    if found["violations"]:
        problems.append(f"{where}: CSP violations {found['violations']}")
    if page.dialogs:
        problems.append(f"{where}: dialogs {page.dialogs}")
        page.dialogs.clear()
    return problems


def test_a_stored_script_payload_in_any_text_field_never_runs(stage, browser, live_server):
    assert not stage.server_errors, stage.server_errors
    only = os.environ.get("SALESHELM_XSS_ONLY", "")  # a route substring, to debug one page
    visits = [v for v in stage.visits if only in v.route]
    # Pass 1, CSP as served: every visit. Pass 2, CSP bypassed (escaping alone): every page
    # once, as the first role allowed.
    passes = [(False, visits), (True, [v for v in visits if v.first])]
    problems: list[str] = []
    navigations = 0
    for bypass_csp, chosen in passes:
        by_role: dict[str, list[Visit]] = defaultdict(list)
        for visit in chosen:
            by_role[visit.role].append(visit)
        for role, role_visits in by_role.items():
            context, page = _context(
                browser, live_server, stage.cookies[role], bypass_csp=bypass_csp
            )
            try:
                for visit in role_visits:
                    response = page.goto(live_server.url + visit.url, wait_until="load")
                    _settle(page)
                    navigations += 1
                    where = f"{role} {visit.url} (CSP {'bypassed' if bypass_csp else 'on'})"
                    if response is None or response.status >= 400:
                        problems.append(f"{where}: {response and response.status}")
                        continue
                    problems += _inspect(page, where)
                if role == "admin" and not bypass_csp and not only:
                    page.goto(live_server.url + "/sales/accounts/", wait_until="load")
                    page.screenshot(path=str(SCREENSHOTS / "security-xss-accounts.png"))
            finally:
                context.close()
    assert not problems, "\n".join(problems[:40])
    if only:
        return

    # Coverage: fields x pages, and every main record's text shown somewhere.
    pages_of: dict[str, int] = defaultdict(int)
    for fields in stage.shown.values():
        for name in fields:
            pages_of[name] += 1
    never = [name for name in MUST_BE_SHOWN if not pages_of.get(name)]
    assert not never, f"fields no page showed: {never}"
    cells = sum(len(f) for f in stage.shown.values())
    print(
        f"\nXSS: {len(stage.poisoned.fields)} text fields poisoned in {stage.poisoned.rows} rows;"
        f" {len(pages_of)} fields shown on {len(stage.shown)} pages; {cells} field x page"
        f" cells; {len(visits)} visits with the CSP on, {navigations} navigations in all."
        f"\nNot shown on any page: {sorted(set(stage.poisoned.fields) - set(pages_of))}"
    )


def test_pages_a_role_may_not_see_answer_403_or_404_and_show_nothing(stage, browser, live_server):
    problems: list[str] = []
    by_role: dict[str | None, list[Probe]] = defaultdict(list)
    for probe in stage.probes:
        by_role[probe.role].append(probe)
    assert set(by_role) == {None, *ROLES}
    counts = {}
    for role, probes in by_role.items():
        counts[role or "anonymous"] = len(probes)
        context, page = _context(browser, live_server, stage.cookies.get(role or ""))
        try:
            # What this role's layout shows on any page (its own name, its organisation).
            page.goto(live_server.url + "/this-page-does-not-exist/", wait_until="load")
            baseline = set(MARKER.findall(page.content()))
            for probe in probes:
                where = f"{role or 'anonymous'} {probe.route} [{probe.relation or '-'}]"
                response = page.goto(live_server.url + probe.url, wait_until="load")
                html = page.content()
                if probe.outcome == "anonymous":
                    if "/login/" not in page.url:
                        problems.append(f"{where}: not sent to sign in ({page.url})")
                else:
                    want = 403 if probe.outcome == "forbidden" else 404
                    status = response.status if response else None
                    if status != want:
                        problems.append(f"{where}: expected {want}, got {status}")
                leaked = [m for m in probe.markers if m in html]
                extra = set(MARKER.findall(html)) - baseline
                if leaked or extra:
                    problems.append(f"{where}: shows data {leaked or sorted(extra)[:5]}")
                if "@beta.test" in html and probe.relation == "other_org":
                    problems.append(f"{where}: shows the other organisation's emails")
            if role == "rep":
                probe = next(p for p in probes if p.route == "motivation:statement")
                page.goto(live_server.url + probe.url, wait_until="load")
                page.screenshot(path=str(SCREENSHOTS / "security-rep-other-statement.png"))
        finally:
            context.close()
    assert not problems, "\n".join(problems[:40])
    assert all(n >= 3 for n in counts.values()), counts
    print(f"\nforbidden probes per role: {counts}")

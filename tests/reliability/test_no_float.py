"""SPEC §11.3 (first half): no float in models or money code.

Money is ``Decimal`` end to end. This file proves it three ways.

1. **Source scan (AST)** of the modules in scope, failing on any of:
   - the name ``float`` (a call ``float(x)``, an annotation, an ``isinstance`` check), also
     inside quoted annotations;
   - a float literal (``0.62``, ``1e6``): a figure written in money code is ``Decimal("…")``;
   - ``FloatField`` (model field, form field, ``output_field=FloatField()``,
     ``Cast(…, FloatField())``) — this one in *every* module of ``src/saleshelm``, migrations
     included;
   - ``math`` functions that return floats (anything but ``floor ceil trunc gcd lcm isqrt
     comb perm factorial``), ``statistics.fmean``/``geometric_mean``/``harmonic_mean``/
     ``NormalDist``;
   - Django database functions whose result is a float (``StdDev``, ``Variance``, ``Sqrt``,
     ``Exp``, ``Ln``, ``Log``, ``Power``, trigonometry, ``Random``…);
   - ``json.load``/``json.loads`` without ``parse_float=`` (a JSON number would come back
     a float);
   - SQL text (string constants that are not docstrings) that casts to
     ``REAL``/``FLOAT``/``DOUBLE`` or multiplies by ``1.0``;
   - a true division whose two sides are plainly integers (``len(x) / 4``,
     ``qs.count() / n``, ``7 / 2``): that is a float, even though no float is written.

   **Scope** (``MONEY_APPS`` and ``models_module`` below): every module of the apps that
   hold, compute, move or show money — ``core`` (money and period helpers), ``crm``
   (amounts, prices, orders, rates), ``performance`` (facts, rollups, targets, attainment,
   forecasts, charts), ``incentives`` (plans, the engine, runs, statements, payroll,
   SPIFFs, prizes), ``imports`` (parsing, kinds, writing, exports), ``api`` (the JSON
   contract) and ``direction`` (revenue goals, key results, line of sight) — plus the
   models of every other app (``tenancy``, ``people``, ``development``, ``web``) and
   ``development/performance_link.py`` (where development reads performance figures).
   **Out of scope, named in ``EXCLUDED``**: the demo-data generators (``seed*``: random
   draws and probabilities are floats by nature; the amounts they write are built from
   ints and ``Decimal``) and process plumbing (the scheduler's and worker's polling
   intervals). Development's and people's pages and services hold no money.
   **Allowed, one entry per definition in ``ALLOWED`` with its reason**: clock readings
   and durations (how long an import took, a progress bar's refresh interval) and
   ``difflib``'s similarity cutoff. An entry that no longer matches anything fails too, so
   the list stays as short as the code allows.

   Not provable by a scan and covered elsewhere: a float that arrives at run time from a
   library (SQLite's REAL columns are read through ``MoneyUnits``/ten-thousandths, see
   core/sql.py) and ``int / int`` between two variables (the hypothesis properties
   of §11.3 check the figures). The browser-side sum of month-weight percentages in
   performance.js is a typing aid only; the server checks the weights in ``Decimal``.

2. **Models at run time**: no concrete field of any SalesHelm model is a ``FloatField``.

3. **JSON**: the OpenAPI schema declares no bare ``number`` (a float): every number is a
   ``Decimal`` (number-or-string) or an integer; and a money amount sent as a JSON
   *number* with 17 significant digits reaches the database digit for digit (the API
   parses request bodies with ``parse_float=Decimal``, never through a float).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

import saleshelm

SRC = Path(saleshelm.__file__).resolve().parent

MONEY_APPS = ("core", "crm", "performance", "incentives", "imports", "api", "direction")
EXTRA_MODULES = ("development/performance_link.py",)

# Modules of the money apps that are not money code (relative to src/saleshelm).
EXCLUDED = {
    "core/seeding.py": "the demo-data framework: progress timing and random draws",
    "core/management/commands/scheduler.py": "polling interval of the scheduler process",
    "core/management/commands/worker.py": "polling interval of the worker process",
    "crm/seed": "demo data: random draws (amounts are built from ints and Decimal)",
    "performance/seed.py": "demo data: random draws",
    "incentives/seed.py": "demo data: random draws",
    "incentives/seed_motivation.py": "demo data: random draws and shares",
    "direction/seed.py": "demo data: random draws",
}

# (module, definition) -> why a float is right there. The definition is the qualified name
# of the innermost class or function holding the float ("<module>" at the top level).
ALLOWED = {
    ("imports/engine.py", "ImportResult"): "seconds an import took (a clock reading)",
    ("imports/kinds/base.py", "ImportContext"): "time.monotonic() when an import started",
    ("imports/models.py", "ImportJob.duration_seconds"): "seconds an import took",
    ("imports/services.py", "_ProgressSaver"): "seconds between two progress saves",
    ("imports/management/commands/import_data.py", "ProgressBar.__init__"): "a clock reading",
    ("imports/management/commands/import_data.py", "ProgressBar.__call__"): "redraw interval",
    ("imports/management/commands/import_data.py", "Command.run"): "seconds, printed",
    ("imports/forms.py", "suggest_mapping"): "difflib's similarity cutoff for column names",
    ("direction/selectors/segments.py", "_days"): "a sales cycle's length, not money",
}

INT_MATH = {"floor", "ceil", "trunc", "gcd", "lcm", "isqrt", "comb", "perm", "factorial"}
FLOAT_STATISTICS = {"fmean", "geometric_mean", "harmonic_mean", "NormalDist"}
FLOAT_DB_FUNCTIONS = {
    "StdDev",
    "Variance",
    "Sqrt",
    "Exp",
    "Ln",
    "Log",
    "Power",
    "Radians",
    "Degrees",
    "Pi",
    "Cos",
    "Cot",
    "Sin",
    "Tan",
    "ACos",
    "ASin",
    "ATan",
    "ATan2",
    "Random",
}
FLOAT_SQL = re.compile(
    r"(?i)\bAS\s+(REAL|FLOAT|DOUBLE)\b|::\s*(float|real|double)\b|\*\s*1\.0\b|\b1\.0\s*\*"
)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line} in {self.where}: {self.what}"


def rel(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def models_module(relpath: str) -> bool:
    parts = relpath.split("/")
    return parts[-1] == "models.py" or (len(parts) > 2 and parts[-2] == "models")


def excluded(relpath: str) -> bool:
    return any(relpath == e or relpath.startswith(e + "/") for e in EXCLUDED)


def in_scope(relpath: str) -> bool:
    if "/migrations/" in relpath or excluded(relpath):
        return False
    app = relpath.split("/")[0]
    return app in MONEY_APPS or models_module(relpath) or relpath in EXTRA_MODULES


def all_modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def scoped_modules() -> list[Path]:
    return [p for p in all_modules() if in_scope(rel(p))]


def _int_like(node: ast.AST) -> bool:
    """An expression that is plainly an integer: a literal, ``len()``/``int()``, ``.count()``."""
    if isinstance(node, ast.Constant):
        return type(node.value) is int
    if isinstance(node, ast.Call):
        f = node.func
        if isinstance(f, ast.Name) and f.id in {"len", "int"}:
            return True
        if isinstance(f, ast.Attribute) and f.attr == "count" and not node.args:
            return True
    return False


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


class Scanner(ast.NodeVisitor):
    """Collects the float findings of one module, each with its enclosing definition."""

    def __init__(self, relpath: str, *, money_code: bool) -> None:
        self.relpath = relpath
        self.money_code = money_code
        self.stack: list[str] = []
        self.findings: list[Finding] = []
        self.json_loads_names: set[str] = set()
        self.float_imports: set[str] = set()
        self.docstrings: set[int] = set()

    # -- helpers --
    def add(self, node: ast.AST, what: str) -> None:
        where = ".".join(self.stack) or "<module>"
        self.findings.append(Finding(self.relpath, getattr(node, "lineno", 0), where, what))

    def scan(self, tree: ast.Module) -> list[Finding]:
        self.docstrings = _docstring_nodes(tree)
        self.visit(tree)
        return self.findings

    def _scoped(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_ClassDef = _scoped
    visit_FunctionDef = _scoped
    visit_AsyncFunctionDef = _scoped

    def _string_annotation(self, node: ast.AST | None) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            try:
                parsed = ast.parse(node.value, mode="eval")
            except SyntaxError:
                return
            for sub in ast.walk(parsed):
                if isinstance(sub, ast.Name) and sub.id == "float":
                    self.add(node, "float in a quoted annotation")

    # -- everywhere (FloatField) --
    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "FloatField":
            self.add(node, "FloatField")
        elif self.money_code:
            if node.id == "float":
                self.add(node, "float (a call, an annotation or a type check)")
            elif node.id in self.float_imports:
                self.add(node, f"{node.id} returns a float")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "FloatField":
            self.add(node, "FloatField")
        elif self.money_code and isinstance(node.value, ast.Name):
            owner = node.value.id
            if owner == "math" and node.attr not in INT_MATH:
                self.add(node, f"math.{node.attr} returns a float")
            elif owner == "statistics" and node.attr in FLOAT_STATISTICS:
                self.add(node, f"statistics.{node.attr} returns a float")
            elif owner in {"models", "functions"} and node.attr in FLOAT_DB_FUNCTIONS:
                self.add(node, f"{node.attr}() is a float in the database")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            name = alias.asname or alias.name
            if alias.name == "FloatField":
                self.add(node, "FloatField imported")
            if not self.money_code:
                continue
            returns_float = (
                (module == "math" and alias.name not in INT_MATH)
                or (module == "statistics" and alias.name in FLOAT_STATISTICS)
                or (module.startswith("django.db.models") and alias.name in FLOAT_DB_FUNCTIONS)
            )
            if returns_float:
                self.float_imports.add(name)
            elif module == "json" and alias.name in {"load", "loads"}:
                self.json_loads_names.add(name)
        self.generic_visit(node)

    # -- money code only --
    def visit_Constant(self, node: ast.Constant) -> None:
        if not self.money_code:
            return
        if isinstance(node.value, float | complex):
            self.add(node, f"float literal {node.value!r}")
        elif (
            isinstance(node.value, str)
            and id(node) not in self.docstrings
            and FLOAT_SQL.search(node.value)
        ):
            self.add(node, "SQL that computes in floating point")

    def visit_Call(self, node: ast.Call) -> None:
        if self.money_code:
            f = node.func
            is_json_load = (
                isinstance(f, ast.Attribute)
                and f.attr in {"load", "loads"}
                and isinstance(f.value, ast.Name)
                and f.value.id == "json"
            ) or (isinstance(f, ast.Name) and f.id in self.json_loads_names)
            if is_json_load and not any(k.arg == "parse_float" for k in node.keywords):
                self.add(node, "json.loads without parse_float=Decimal")
        self.generic_visit(node)

    def visit_BinOp(self, node: ast.BinOp) -> None:
        div = isinstance(node.op, ast.Div)
        if self.money_code and div and _int_like(node.left) and _int_like(node.right):
            self.add(node, "int / int is a float")
        self.generic_visit(node)

    def visit_arg(self, node: ast.arg) -> None:
        if self.money_code:
            self._string_annotation(node.annotation)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if self.money_code:
            self._string_annotation(node.annotation)
        self.generic_visit(node)


def scan_source(text: str, relpath: str, *, money_code: bool) -> list[Finding]:
    return Scanner(relpath, money_code=money_code).scan(ast.parse(text))


def scan_module(path: Path) -> list[Finding]:
    relpath = rel(path)
    return scan_source(path.read_text(encoding="utf-8"), relpath, money_code=in_scope(relpath))


def _all_findings() -> list[Finding]:
    return [f for p in all_modules() for f in scan_module(p)]


# --- 1. the source ----------------------------------------------------------------------------


def test_the_scope_covers_the_money_code_and_every_model_module():
    scoped = {rel(p) for p in scoped_modules()}
    for must in (
        "core/money.py",
        "crm/models/opportunities.py",
        "crm/services/orders.py",
        "incentives/engine/calculate.py",
        "incentives/engine/tiers.py",
        "incentives/selectors/statements.py",
        "incentives/selectors/payroll.py",
        "incentives/plans.py",
        "performance/rollups.py",
        "performance/selectors/attainment.py",
        "performance/charts.py",
        "imports/columns.py",
        "imports/reading.py",
        "imports/exporting.py",
        "imports/kinds/orders.py",
        "tenancy/models.py",
        "people/models.py",
        "development/models/signals.py",
        "direction/models/vision.py",
        "development/performance_link.py",
    ):
        assert must in scoped, must
    assert not [p for p in scoped if "/migrations/" in p or excluded(p)]
    assert len(scoped) > 150, len(scoped)
    for entry in EXCLUDED:
        assert (SRC / entry).exists(), f"EXCLUDED names a module that is gone: {entry}"


def test_no_float_in_models_or_money_code():
    findings = _all_findings()
    unexpected = [f for f in findings if (f.path, f.where) not in ALLOWED]
    assert not unexpected, "floats in money code:\n" + "\n".join(map(str, unexpected))


def test_every_allowed_float_is_still_there():
    """An allowance whose float is gone is removed, so the list never outgrows the code."""
    used = {(f.path, f.where) for f in _all_findings()}
    stale = [key for key in ALLOWED if key not in used]
    assert not stale, f"ALLOWED entries that match nothing any more: {stale}"


@pytest.mark.parametrize(
    "snippet, what",
    [
        ("def f(amount):\n    return float(amount) * 2\n", "float ("),
        ("RATE = 0.1\n", "float literal"),
        ("def f(x):\n    return x * 1.5\n", "float literal"),
        ("def f(x) -> float:\n    return x\n", "float ("),
        ("def f(x: 'float | None'):\n    return x\n", "quoted annotation"),
        ("from django.db import models\nclass M:\n    a = models.FloatField()\n", "FloatField"),
        (
            "from django.db.models import FloatField\nfrom django.db.models.functions import Cast"
            "\nq = Cast('amount', FloatField())\n",
            "FloatField",
        ),
        ("import json\ndef f(t):\n    return json.loads(t)\n", "parse_float"),
        ("from json import loads\ndef f(t):\n    return loads(t)\n", "parse_float"),
        ("import math\ndef f(x):\n    return math.sqrt(x)\n", "math.sqrt"),
        ("from math import log\ndef f(x):\n    return log(x)\n", "log returns a float"),
        ("import statistics\ndef f(xs):\n    return statistics.fmean(xs)\n", "fmean"),
        ("from django.db.models import StdDev\nq = StdDev('amount')\n", "StdDev"),
        ("def f(xs):\n    return len(xs) / 4\n", "int / int"),
        ("def f(qs, n):\n    return qs.count() / len(n)\n", "int / int"),
        ('SQL = "SELECT CAST(SUM(amount) AS REAL) FROM t"\n', "SQL"),
        ('SQL = f"SELECT SUM(x) * 1.0 / {n}"\n', "SQL"),
    ],
)
def test_the_scan_catches_each_kind_of_float(snippet, what):
    findings = scan_source(snippet, "crm/services/example.py", money_code=True)
    assert any(what in f.what for f in findings), (snippet, [str(f) for f in findings])


@pytest.mark.parametrize(
    "snippet",
    [
        'from decimal import Decimal\nRATE = Decimal("0.1")\n',
        "def f(x):\n    '''Not 1.0 * x: REAL AS REAL'''\n    return x / 2\n",
        "import math\ndef f(x):\n    return math.ceil(x)\n",
        "import json\nfrom decimal import Decimal\nv = json.loads('[]', parse_float=Decimal)\n",
        "def f(a, b):\n    return a / b\n",
        "def f(amount):\n    return amount / len('ab')\n",
    ],
)
def test_the_scan_lets_decimal_code_through(snippet):
    assert scan_source(snippet, "crm/services/example.py", money_code=True) == []


def test_outside_money_code_only_float_fields_count():
    snippet = "import time\nSTARTED = time.time() * 1.0\nfrom django.forms import FloatField\n"
    found = scan_source(snippet, "people/views.py", money_code=False)
    assert [f.what for f in found] == ["FloatField imported"]


# --- 2. models at run time --------------------------------------------------------------------


def test_no_model_field_is_a_float_field():
    from django.apps import apps
    from django.db.models import FloatField

    fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("saleshelm.")
        for field in model._meta.get_fields()
        if isinstance(field, FloatField)
    ]
    assert fields == []


# --- 3. JSON ----------------------------------------------------------------------------------


def _bare_numbers(node, path=()):
    """Paths of schemas that are ``{"type": "number"}`` with no string alternative beside
    them (a Decimal is documented as number-or-string; a float as a bare number)."""
    found = []
    if isinstance(node, dict):
        for key in ("anyOf", "oneOf"):
            options = node.get(key)
            if isinstance(options, list) and any(
                isinstance(o, dict) and o.get("type") == "string" for o in options
            ):
                options = [o for o in options if not (isinstance(o, dict) and o.get("type"))]
                for i, o in enumerate(options):
                    found += _bare_numbers(o, (*path, key, str(i)))
                rest = {k: v for k, v in node.items() if k != key}
                found += _bare_numbers(rest, path)
                return found
        if node.get("type") == "number":
            found.append("/".join(path))
        for key, value in node.items():
            found += _bare_numbers(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _bare_numbers(value, (*path, str(i)))
    return found


def test_the_api_schema_declares_no_float():
    from saleshelm.api.urls import api

    schema = api.get_openapi_schema()
    assert _bare_numbers(schema) == []
    assert _bare_numbers({"properties": {"x": {"type": "number"}}}) == ["properties/x"]


def test_the_api_reads_json_numbers_as_decimals_and_refuses_absurd_exponents(rf):
    from saleshelm.api.urls import api

    def parse(body: str):
        return api.parser.parse_body(rf.post("/", data=body, content_type="application/json"))

    data = parse('{"amount": 1234567890123.4567, "rate": 0.1, "n": 3, "big": 1e+3}')
    assert data == {
        "amount": Decimal("1234567890123.4567"),
        "rate": Decimal("0.1"),
        "n": 3,
        "big": Decimal("1E+3"),
    }
    assert type(data["amount"]) is Decimal and type(data["n"]) is int
    with pytest.raises(ValueError):
        parse('{"n": 1e999999999}')  # an int field would build a billion-digit number


@pytest.mark.django_db
def test_an_absurd_exponent_is_a_bad_request_not_a_hang(world, api_client):
    r = api_client(world.admin).post(
        "/api/v1/accounts",
        data='{"name": "X", "employees": 1e999999999}',
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["code"]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_money_amount_sent_as_a_json_number_arrives_digit_for_digit(world, api_client):
    """On PostgreSQL (numeric): SQLite's REAL keeps 15 digits whatever the API does."""
    from saleshelm.crm.models import Opportunity, Product

    client = api_client(world.rep)
    # 17 significant digits: through a float this one came back ...4568.
    body = '{"name": "Exact", "amount": 1234567890123.4567, "close_date": "2026-10-31"}'
    r = client.post("/api/v1/opportunities", data=body, content_type="application/json")
    assert r.status_code == 201, r.content
    assert Opportunity.objects.get(pk=r.json()["id"]).amount == Decimal("1234567890123.4567")
    assert r.json()["amount"] == "1234567890123.4567"

    admin = api_client(world.admin)
    body = json.dumps({"sku": "EXACT-1", "name": "Exact", "category": "Test"})[:-1]
    body += ', "unit_price": 9876543210987.6543, "unit_cost": 0.1}'
    r = admin.post("/api/v1/products", data=body, content_type="application/json")
    assert r.status_code == 201, r.content
    product = Product.objects.get(pk=r.json()["id"])
    assert product.unit_price == Decimal("9876543210987.6543")
    assert product.unit_cost == Decimal("0.1")

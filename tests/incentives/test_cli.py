"""``saleshelm commissions plan import | run | statements`` (SPEC §1, §7)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command

from saleshelm.cli import _resolve
from saleshelm.incentives.models import Statement
from tests.incentives.factories import D, order
from tests.incentives.test_plans import SPEC_PLAN

pytestmark = pytest.mark.django_db


def _call(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_saleshelm_command_maps_onto_the_management_commands():
    assert _resolve(["commissions", "run", "--org", "acme", "--period", "2026-Q3"]) == (
        "commissions_run",
        ["--org", "acme", "--period", "2026-Q3"],
    )
    assert _resolve(["commissions", "plan", "import", "p.json", "--org", "acme"])[0] == (
        "commissions_plan_import"
    )
    assert _resolve(["commissions", "statements", "--org", "acme", "--period", "2026-07"])[0] == (
        "commissions_statements"
    )


def test_import_run_and_print_statements(world, tmp_path, api_client):
    path = tmp_path / "plan.json"
    path.write_text(SPEC_PLAN.replace('"quota": "target"', '"quota": "200000"'), encoding="utf-8")
    out, _ = _call("commissions_plan_import", str(path), "--org", "acme")
    assert out.strip() == "plan 'AE 2026' version 1 effective from 2026-01-01: 2 members"
    order(world.rep, "2026-07-02", {"amount": 150000})
    order(world.rep, "2026-08-02", {"amount": 50000})
    # a quarter run of a monthly-paid plan calculates its three months
    out, _ = _call("commissions_run", "--org", "acme", "--period", "2026-Q3")
    assert "6 statements calculated" in out
    assert sorted(set(Statement.objects.values_list("period", flat=True))) == [
        "2026-07",
        "2026-08",
        "2026-09",
    ]
    # JSON is exactly the API's answer
    out, _ = _call("commissions_statements", "--org", "acme", "--period", "2026-08")
    api = api_client(world.finance).get("/api/v1/commission-statements?period=2026-08").json()
    assert json.loads(out) == api
    rep = next(s for s in api["statements"] if s["member"]["email"] == "rep@acme.test")
    # August: QTD 200,000 = attainment 1.0: 5,000 to date + bonus 1,000, minus 5,000 paid in July
    assert [(ln["kind"], ln["amount"]) for ln in rep["lines"]] == [
        ("tier", "10000.00"),
        ("bonus", "1000.00"),
        ("tier", "-5000.00"),
    ]
    # CSV: one row per line
    out, _ = _call(
        "commissions_statements", "--org", "acme", "--period", "2026-08", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    mine = [r for r in rows if r["member_email"] == "rep@acme.test"]
    assert [(r["kind"], r["amount"]) for r in mine] == [
        ("tier", "10000.00"),
        ("bonus", "1000.00"),
        ("tier", "-5000.00"),
    ]
    assert D(mine[0]["total"]) == D("6000.00")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["commissions_run", "--org", "nope", "--period", "2026-07"], "no organisation"),
        (["commissions_run", "--org", "acme", "--period", "July"], "is not a period"),
        (
            ["commissions_run", "--org", "acme", "--period", "2026-07", "--plan", "Ghost"],
            "no plan named 'Ghost'",
        ),
        (["commissions_plan_import", "/no/such/file.json", "--org", "acme"], "cannot read"),
    ],
)
def test_bad_input_exits_non_zero_with_one_line(world, capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        call_command(*args)
    assert exc.value.code != 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err


def test_an_invalid_plan_file_names_the_path(world, tmp_path, capsys):
    data = json.loads(SPEC_PLAN)
    data["components"][0]["tiers"][2]["from"] = "0.1"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command("commissions_plan_import", str(path), "--org", "acme")
    assert "components[0].tiers[2].from: tiers must ascend" in capsys.readouterr().err

"""Importing and exporting targets (SPEC §4 ``targets`` kind)."""

import io
from decimal import Decimal

from saleshelm.imports.engine import run_import
from saleshelm.imports.exporting import export_rows
from saleshelm.performance.models import Target
from saleshelm.tenancy.models import AuditEntry
from tests.performance.factories import category

HEADER = "metric,period,value,member_email,team,territory,product_category,distribution,weights\n"


def csv(*lines: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(lines) + "\n").encode())


def test_a_good_file_creates_targets_with_audit_and_reimport_changes_nothing(world):
    category(world.org, "Scanners")
    data = (
        "revenue,2026-Q3,90000,rep@acme.test,,,,pattern,20;30;50",
        "revenue,2026-Q3,150000,,North,,,,",
        "units,2026-07,40,,,North VN,,,",
        "revenue,2026-Q3,5000,,,,Scanners,,",
        "revenue,2026-Q3,2000,peer@acme.test,,,Scanners,,",
    )
    result = run_import(actor=world.director, file=csv(*data), kind="targets", filename="t.csv")
    assert (result.status, result.created, result.error_count) == ("done", 5, 0), result.errors
    rep_target = Target.objects.get(member=world.rep)
    assert rep_target.weights == ["0.2", "0.3", "0.5"] and rep_target.value == Decimal("90000")
    assert Target.objects.get(assignee_type="product_category").product_category.name == "Scanners"
    assert AuditEntry.objects.filter(action="target.create").count() == 5
    again = run_import(actor=world.director, file=csv(*data), kind="targets", filename="t.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    changed = run_import(
        actor=world.director,
        file=csv("revenue,2026-Q3,95000,rep@acme.test,,,,pattern,20;30;50"),
        kind="targets",
        filename="t.csv",
    )
    assert changed.updated == 1
    assert Target.objects.get(member=world.rep).value == Decimal("95000")


def test_a_bad_file_is_rejected_whole_with_one_error_per_bad_cell(world):
    data = (
        "revenue,2026-Q3,100,rep@acme.test,,,,,",  # fine
        "happiness,2026-Q3,1,rep@acme.test,,,,,",  # unknown metric
        "revenue,2026-Q9,1,rep@acme.test,,,,,",  # bad period
        "revenue,2026-Q4,1,nobody@acme.test,,,,,",  # unknown member
        "revenue,2026-Q4,1,rep@acme.test,North,,,,",  # two assignees
        "revenue,2026-Q4,1,,Atlantis,,,,",  # unknown team
        "revenue,2026-Q4,1,peer@acme.test,,,,pattern,50;60;10",  # weights sum to 120
        "revenue,2026-Q3,7,rep@acme.test,,,,,",  # duplicate of row 2
        "win_rate,2026-Q4,1,peer@acme.test,,,Scanners,,",  # unknown category
    )
    result = run_import(actor=world.admin, file=csv(*data), kind="targets", filename="t.csv")
    assert result.status == "rejected"
    assert [(e["row"], e["column"]) for e in result.errors] == [
        (3, "metric"),
        (4, "period"),
        (5, "member_email"),
        (6, "team"),
        (7, "team"),
        (8, "weights"),
        (9, "metric"),
        (10, "product_category"),
    ]
    assert not Target.objects.exists()


def test_a_manager_imports_for_their_people_only(world):
    result = run_import(
        actor=world.manager,
        file=csv("revenue,2026-Q3,1,rep@acme.test,,,,,", "revenue,2026-Q3,1,other@acme.test,,,,,"),
        kind="targets",
        filename="t.csv",
    )
    assert result.status == "rejected"
    assert [(e["row"], e["column"]) for e in result.errors] == [(3, "member_email")]


def test_export_lists_the_targets_the_actor_sees(world):
    run_import(
        actor=world.admin,
        file=csv(
            "revenue,2026-Q3,100,rep@acme.test,,,,,", "revenue,2026-Q3,5,other@acme.test,,,,,"
        ),
        kind="targets",
        filename="t.csv",
    )
    header, rows = export_rows(actor=world.manager, kind="targets")
    assert header[:3] == ["metric", "period", "value"]
    assert [r[3] for r in rows] == ["rep@acme.test"]

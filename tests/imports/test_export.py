"""Exports: native columns that import back unchanged, scoped to what the member sees, and
no cell a spreadsheet would run as a formula (SPEC §4, §11.7)."""

import csv
import io

import pytest
from openpyxl import load_workbook

from saleshelm.crm.models import Account
from saleshelm.imports.columns import FORMULA_START
from saleshelm.imports.exporting import export_bytes
from tests.crm.factories import AccountFactory, ContactFactory
from tests.imports.helpers import csv_text, run

PAYLOADS = [
    '=HYPERLINK("http://evil.example/","click")',
    "+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
]


def _csv_rows(raw: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx_rows(raw: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(raw)).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()], sheet


@pytest.fixture
def hostile_accounts(world):
    """Accounts whose text was typed in the app (not imported): formula payloads everywhere."""
    for i, payload in enumerate(PAYLOADS):
        AccountFactory(
            owner=world.rep,
            external_id=f"H-{i}",
            name=payload,
            industry=payload,
            region="North",
            employees=None,
        )
    return PAYLOADS


def test_given_formula_text_when_exported_to_csv_then_no_cell_starts_a_formula(
    world, hostile_accounts
):
    rows = _csv_rows(export_bytes(actor=world.admin, kind="accounts", format="csv"))
    cells = [c for row in rows for c in row]
    assert cells and not [c for c in cells if c and c[0] in FORMULA_START]
    assert '\'=HYPERLINK("http://evil.example/","click")' in cells and "'+1" in cells
    assert "'\t=1" in cells and "'@SUM(A1:A9)" in cells


def test_given_formula_text_when_exported_to_xlsx_then_no_cell_is_a_formula(
    world, hostile_accounts
):
    rows, sheet = _xlsx_rows(export_bytes(actor=world.admin, kind="accounts", format="xlsx"))
    cells = [c for row in rows for c in row if isinstance(c, str)]
    assert cells and not [c for c in cells if c[0] in FORMULA_START]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_given_negative_numbers_when_exported_then_they_stay_numbers(world):
    run(
        world.admin,
        "orders",
        csv_text(
            "external_id,line,order_date,owner_email,sku,quantity,unit_price",
            "SO-1,1,2026-07-03,rep@acme.test,A,-3,10.5",
        ),
    )
    rows = _csv_rows(export_bytes(actor=world.admin, kind="orders", format="csv"))
    header, line = rows[0], rows[1]
    assert line[header.index("quantity")] == "-3"  # a negative number, not neutralised
    xrows, _sheet = _xlsx_rows(export_bytes(actor=world.admin, kind="orders", format="xlsx"))
    assert xrows[1][header.index("quantity")] == -3  # a number cell in XLSX


def test_given_neutralised_text_when_the_export_is_imported_back_then_the_text_is_unchanged(
    world, hostile_accounts
):
    for fmt in ("csv", "xlsx"):
        raw = export_bytes(actor=world.admin, kind="accounts", format=fmt)
        from saleshelm.imports.engine import run_import

        result = run_import(actor=world.admin, file=io.BytesIO(raw), kind="accounts")
        assert result.ok, result.errors
        # XLSX is XML, which stores a carriage return as a line feed: that one text changes.
        changed = 1 if fmt == "xlsx" else 0
        assert (result.created, result.updated, result.unchanged) == (
            0,
            changed,
            len(PAYLOADS) - changed,
        ), fmt
    assert Account.objects.get(external_id="H-0").name == PAYLOADS[0]


@pytest.mark.parametrize(
    "kind", ["members", "accounts", "contacts", "leads", "opportunities", "orders", "activities"]
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_given_each_kind_when_exported_and_reimported_then_nothing_changes(world, kind, fmt):
    from saleshelm.imports.engine import run_import
    from tests.imports.helpers import SAMPLES

    # Given records of every kind in acme (from the samples, owned by world's members)
    sample_owner = {
        "an.nguyen@example.com": "rep@acme.test",
        "binh.le@example.com": "peer@acme.test",
        "duc.hoang@example.com": "other@acme.test",
        "sarah.jones@example.com": "other@acme.test",
        "hoa.vo@example.com": "manager2@acme.test",
    }
    for name in ("accounts", "contacts", "leads", "opportunities", "orders", "activities"):
        text = (SAMPLES / f"{name}.csv").read_text(encoding="utf-8")
        for old, new in sample_owner.items():
            text = text.replace(old, new)
        text = "\n".join(
            line for line in text.splitlines() if "VND" not in line and "OPP-5002" not in line
        )
        result = run(world.admin, name, text + "\n")
        assert result.ok, (name, result.errors)
    # When exported and imported back
    raw = export_bytes(actor=world.admin, kind=kind, format=fmt)
    result = run_import(actor=world.admin, file=io.BytesIO(raw), kind=kind)
    # Then every row is unchanged
    assert result.ok, result.errors
    assert result.rows > 0 and result.unchanged == result.rows


def test_given_a_rep_when_exporting_then_only_their_records_and_nothing_of_another_organisation(
    world,
):
    mine = AccountFactory(owner=world.rep, external_id="MINE")
    AccountFactory(owner=world.other_rep, external_id="THEIRS")
    AccountFactory(owner=world.other_org_rep, external_id="BETA")
    ContactFactory(owner=world.rep, account=mine, external_id="C-MINE")
    rows = _csv_rows(export_bytes(actor=world.rep, kind="accounts"))
    assert [r[0] for r in rows[1:]] == ["MINE"]
    admin_rows = _csv_rows(export_bytes(actor=world.admin, kind="accounts"))
    assert sorted(r[0] for r in admin_rows[1:]) == ["MINE", "THEIRS"]
    members = export_bytes(actor=world.rep, kind="members")
    assert b"@beta.test" not in members and b"rep@acme.test" in members

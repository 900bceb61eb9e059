"""``saleshelm import`` and ``saleshelm export``: summary line, errors one per line, exit codes."""

import pytest
from django.core.management import call_command

from saleshelm.crm.models import Account
from saleshelm.imports.models import ImportJob


def _import(*args, **options):
    call_command("import_data", *args, **options)


def test_given_a_good_file_when_imported_then_a_summary_line_is_printed_and_a_job_recorded(
    world, tmp_path, capsys
):
    path = tmp_path / "accounts.csv"
    path.write_text(
        "external_id,name,owner_email\nA-1,Acme,rep@acme.test\nA-2,Beta Co,\n", encoding="utf-8"
    )
    _import("accounts", str(path), org="acme")
    out = capsys.readouterr().out
    assert out.startswith("Imported 2 accounts: 2 created, 0 updated, 0 unchanged in ")
    _import("accounts", str(path), org="acme")
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    job = ImportJob.objects.filter(organisation=world.org).first()
    assert (
        job.actor is None
        and job.actor_label == "cli"
        and job.status == "done"
        and job.unchanged == 2
    )


def test_given_order_lines_when_imported_then_the_summary_speaks_of_order_lines(
    world, tmp_path, capsys
):
    path = tmp_path / "orders.csv"
    path.write_text(
        "external_id,line,order_date,owner_email,sku,quantity,unit_price\n"
        "SO-1,1,2026-07-03,rep@acme.test,A,1,10\nSO-1,2,2026-07-03,rep@acme.test,B,1,10\n"
    )
    _import("orders", str(path), org="acme")
    assert capsys.readouterr().out.startswith("Imported 2 order lines: 2 created")


def test_given_a_bad_file_when_imported_then_errors_are_printed_one_per_line_and_exit_is_1(
    world, tmp_path, capsys
):
    path = tmp_path / "bad.csv"
    rows = "".join(f"A-{i},Name {i},nobody{i}@acme.test\n" for i in range(60))
    path.write_text("external_id,name,owner_email\n" + rows + "B-1,=cmd,\n")
    with pytest.raises(SystemExit) as exit_info:
        _import("accounts", str(path), org="acme", max_errors=3)
    assert exit_info.value.code == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "row 2, column owner_email, value 'nobody0@acme.test': "
        "no active member of this organisation has this email"
    )
    assert err[3] == "… and 58 more errors"
    assert err[-1] == "saleshelm: bad.csv rejected: 61 errors in 61 rows; nothing was written"
    assert not Account.objects.exists()


def test_given_one_bad_row_when_imported_then_the_line_says_1_error_in_1_row(
    world, tmp_path, capsys
):
    path = tmp_path / "one.csv"
    path.write_text("external_id,name,owner_email\nA-1,Acme,nobody@acme.test\n")
    with pytest.raises(SystemExit):
        _import("accounts", str(path), org="acme")
    assert capsys.readouterr().err.splitlines()[-1] == (
        "saleshelm: one.csv rejected: 1 error in 1 row; nothing was written"
    )


def test_given_a_dry_run_when_imported_then_nothing_is_written_and_the_line_says_so(
    world, tmp_path, capsys
):
    path = tmp_path / "a.csv"
    path.write_text("external_id,name\nA-1,Acme\n")
    _import("accounts", str(path), org="acme", dry_run=True)
    assert capsys.readouterr().out.startswith("Dry run: 1 accounts checked, no errors (1 created")
    assert not Account.objects.exists()


@pytest.mark.parametrize(
    "args,options,message,code",
    [
        (("accounts", "missing.csv"), {"org": "acme"}, "no such file", 1),
        (("accounts", "FILE"), {"org": "nowhere"}, "no organisation with slug 'nowhere'", 1),
        (("deals", "FILE"), {"org": "acme"}, "unknown kind 'deals'", 2),
    ],
)
def test_given_bad_arguments_when_run_then_one_line_and_a_non_zero_exit(
    world, tmp_path, capsys, args, options, message, code
):
    path = tmp_path / "a.csv"
    path.write_text("external_id,name\nA-1,Acme\n")
    args = tuple(str(path) if a == "FILE" else a for a in args)
    with pytest.raises(SystemExit) as exit_info:
        _import(*args, **options)
    assert exit_info.value.code == code
    assert message in capsys.readouterr().err


def test_given_an_unreadable_file_when_imported_then_one_line_and_exit_1(world, tmp_path, capsys):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    with pytest.raises(SystemExit) as exit_info:
        _import("accounts", str(path), org="acme")
    assert exit_info.value.code == 1
    assert "save the file as XLSX or CSV" in capsys.readouterr().err


def test_given_records_when_exported_to_a_file_then_it_has_the_native_columns(
    world, tmp_path, capsys
):
    Account.objects.create(organisation=world.org, external_id="A-1", name="=1+1", owner=world.rep)
    out = tmp_path / "accounts.csv"
    call_command("export_data", "accounts", org="acme", output=str(out))
    text = out.read_text(encoding="utf-8-sig").splitlines()
    assert (
        text[0]
        == "external_id,name,owner_email,industry,employees,region,country,website,created_date"
    )
    assert text[1].startswith("A-1,'=1+1,rep@acme.test")
    assert "Exported 1 accounts" in capsys.readouterr().err
    xlsx = tmp_path / "accounts.xlsx"
    call_command("export_data", "accounts", org="acme", output=str(xlsx))
    assert xlsx.read_bytes()[:2] == b"PK"

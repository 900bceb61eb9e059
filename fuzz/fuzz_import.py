"""atheris target: the CSV/XLSX importer's reading and checking of cells, for every kind
and file format, without a database (SPEC §11, issue 8).

The bytes are read as a file (encoding and delimiter detection, XLSX when they start like
one), matched to the kind's columns (native, or a HubSpot / Salesforce export) and every cell
of every row parsed by the column's parser, exactly as ``run_import`` does before it looks
anything up. The documented outcomes are a result with errors per cell, or
``ApplicationError`` for a file that cannot be read at all (``UnreadableFile``); anything
else is a crash.

    python fuzz/fuzz_import.py -max_total_time=600 fuzz/corpus/import
"""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports(include=["saleshelm", "openpyxl", "charset_normalizer"]):
    from _setup import django_setup

    django_setup()
    from saleshelm.core.errors import ApplicationError
    from saleshelm.imports import engine
    from saleshelm.imports.kinds import all_kinds
    from saleshelm.imports.kinds.base import ImportContext
    from saleshelm.imports.reading import open_table

KINDS = sorted(all_kinds())
FORMATS = ("native", "hubspot", "salesforce", "mapped")


class _Org:
    pk = 0
    currency = "USD"


def check(kind_name: str, fmt: str, raw: bytes, mapping: dict[str, str] | None) -> int:
    kind = all_kinds()[kind_name]
    try:
        table = open_table(io.BytesIO(raw), "fuzz.xlsx" if raw[:2] == b"PK" else "fuzz.csv")
    except ApplicationError:
        return 0
    try:
        try:
            plan = engine.build_plan(kind, table, fmt, mapping if fmt == "mapped" else None)
        except ApplicationError:
            return 0  # e.g. a preset that does not import this kind
        ctx = ImportContext(actor=None, organisation=_Org(), dry_run=True, format=fmt)  # type: ignore[arg-type]
        for column, reason in plan.file_errors:
            ctx.error(1, column, column, reason)
        if ctx.error_count:
            return ctx.error_count
        rows = 0
        for batch in engine._rows(kind, table, plan, ctx):
            rows += len(batch)
        ctx.sorted_errors([c.name for c in kind.columns])
        return rows
    except ApplicationError:
        return 0  # a file that turns out unreadable further in (bad bytes, a broken XLSX)
    finally:
        table.close()


def TestOneInput(data: bytes) -> None:
    # byte 0 picks the kind, byte 1 the format, byte 2 (mapped only) how many columns are
    # mapped, then one byte per mapped column; the rest is the file (see make_seeds).
    if len(data) < 2:
        return
    kind = KINDS[data[0] % len(KINDS)]
    fmt = FORMATS[data[1] % len(FORMATS)]
    rest = data[2:]
    mapping = None
    if fmt == "mapped" and rest:
        columns = [c.name for c in all_kinds()[kind].columns] + ["", "nonsense"]
        n, rest = rest[0] % 8, rest[1:]
        picks, rest = rest[:n], rest[n:]
        mapping = {str(i): columns[b % len(columns)] for i, b in enumerate(picks)}
    check(kind, fmt, rest, mapping)


def make_seeds(samples: str, out: str) -> None:
    """A seed per sample file of docs/samples, for its kind, in each format."""
    from pathlib import Path

    Path(out).mkdir(parents=True, exist_ok=True)
    for path in sorted(Path(samples).glob("*.csv")):
        stem = path.stem.split("-")[-1]
        kind = {"companies": "accounts", "deals": "opportunities"}.get(stem, stem)
        if kind not in KINDS:
            continue
        fmt = path.stem.split("-")[0] if "-" in path.stem else "native"
        prefix = bytes([KINDS.index(kind), FORMATS.index(fmt)])
        (Path(out) / path.name).write_bytes(prefix + path.read_bytes())


def main() -> None:
    if sys.argv[1:2] == ["--make-seeds"]:
        make_seeds(sys.argv[2], sys.argv[3])
        return
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""The import engine: read → map columns → parse every cell → check references → write.

One pass over the file, in batches. Every error is collected (row, column, value, reason);
as soon as there is one, nothing more is written and at the end the transaction is rolled
back, so a file with a bad row writes nothing, and a process killed mid-way leaves nothing
half-written (one database transaction). ``dry_run`` runs the same checks and counts without
opening a write transaction.
"""

from __future__ import annotations

import contextlib
import itertools
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.imports.columns import CellError, parser_for
from saleshelm.imports.kinds import base as kinds_base
from saleshelm.imports.kinds import get_kind
from saleshelm.imports.kinds.base import ImportContext, Kind, Row, has_none
from saleshelm.imports.reading import Table, header_key, open_table
from saleshelm.tenancy.actors import Actor

Progress = Callable[[int, int], None]


@dataclass
class Source:
    """Where a native column's text comes from: one file column, or several combined by
    ``convert`` (a preset turning "USD 12,500.00" into "12500.00", say)."""

    column: str
    indexes: tuple[int, ...]
    label: str
    convert: Callable[..., str] | None = None


@dataclass
class Plan:
    sources: list[Source]
    ignored: list[str] = field(default_factory=list)
    file_errors: list[tuple[str, str]] = field(default_factory=list)  # (column, reason)
    options: dict[str, Any] = field(default_factory=dict)
    # Rows for which this returns True are not data (a report's footer lines).
    skip_row: Callable[[list[str]], bool] | None = None
    detected: str = ""  # what a preset recognised ("HubSpot deals export")


@dataclass
class ImportResult:
    kind: str
    format: str
    dry_run: bool
    status: str  # done | rejected
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    file_type: str = ""
    encoding: str = ""
    delimiter: str = ""
    detected: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "done"


class _Rejected(Exception):
    """Raised inside the write transaction to roll it back."""


def require_import_permission(actor: Actor, kind: Kind) -> None:
    if actor.role not in kind.import_roles:
        raise PermissionDenied(_("Your role may not import %(kind)s.") % {"kind": kind.name})


def native_plan(kind: Kind, headers: list[str], mapping: dict[str, str] | None = None) -> Plan:
    """Match file headers to native columns: by name (case and spaces ignored) or by the
    explicit ``mapping`` {column index: native column} chosen in the UI."""
    known: dict[str, str] = {}
    for col in kind.columns:
        known[header_key(col.name)] = col.name
        for alias in col.aliases:
            known[header_key(alias)] = col.name
    plan = Plan(sources=[])
    used: dict[str, str] = {}
    for i, header in enumerate(headers):
        if mapping is not None:
            target = (mapping.get(str(i)) or "").strip()
            if target and target not in kind.index:
                plan.file_errors.append(
                    (header, _("%(c)s is not a column of %(k)s") % {"c": target, "k": kind.name})
                )
                continue
        else:
            target = known.get(header_key(header), "")
        if not target:
            if header:
                plan.ignored.append(header)
            continue
        if target in used:
            plan.file_errors.append(
                (
                    header,
                    _("both %(a)r and %(b)r give the column %(c)s")
                    % {"a": used[target], "b": header, "c": target},
                )
            )
            continue
        used[target] = header
        plan.sources.append(Source(column=target, indexes=(i,), label=header or target))
    return plan


def check_required_columns(kind: Kind, plan: Plan) -> None:
    present = {s.column for s in plan.sources}
    for name in kind.required_columns():
        if name not in present:
            plan.file_errors.append((name, _("required column is missing")))
    for group in getattr(kind, "required_one_of", ()):
        if not present.intersection(group):
            plan.file_errors.append(
                (
                    group[0],
                    _("required column is missing (or give %(alt)s)")
                    % {"alt": ", ".join(group[1:])},
                )
            )


def build_plan(kind: Kind, table: Table, fmt: str, mapping: dict[str, str] | None) -> Plan:
    if fmt in ("native", "mapped", "", None):
        plan = native_plan(kind, table.headers, mapping if fmt == "mapped" or mapping else None)
    else:
        from saleshelm.imports.presets import get_preset

        plan = get_preset(fmt).plan(kind, table.headers)
    if not plan.file_errors:
        check_required_columns(kind, plan)
    return plan


MEMO_LIMIT = 50_000  # distinct cell texts remembered per column


def _rows(kind: Kind, table: Table, plan: Plan, ctx: ImportContext):
    """Parse every cell of every row; yields batches of Rows (``bad`` set when a cell was wrong).

    Each batch first goes through ``_fast_batch``, which parses column by column and
    remembers the value of each distinct cell text (a file of order lines repeats its
    prices, dates, owners and SKUs on every line). At the first sign of a problem in the
    batch (a bad or missing cell, a row too wide) the batch is parsed again row by row by
    ``parse_row``, which finds and reports every error in the order a person reads them."""
    ncols = len(kind.columns)
    simple, converted = [], []
    for source in plan.sources:
        column = kind.column_by_name[source.column]
        at = kind.index[source.column]
        if source.convert is None:
            simple.append(
                (source.indexes[0], at, parser_for(column), source.label, column.required)
            )
        else:
            converted.append(
                (
                    source.indexes,
                    at,
                    parser_for(column),
                    source.label,
                    column.required,
                    source.convert,
                )
            )
    groups = [tuple(kind.index[c] for c in group) for group in getattr(kind, "required_one_of", ())]
    width = len(table.headers)
    skip = plan.skip_row
    required_reason = _("required")
    too_wide = _("this row has more cells than the header has columns")

    def parse_row(number: int, cells: list[str]) -> Row:
        values: list[Any] = [None] * ncols
        row = Row(number, values)
        failed: set[int] | None = None
        # Parsers answer None for an empty or blank cell.
        for first, at, parse, label, required in simple:
            raw = cells[first]
            if raw:
                try:
                    value = parse(raw)
                except CellError as exc:
                    ctx.error(row, label, raw, exc.reason)
                    failed = (failed or set()) | {at}
                    continue
                if value is not None:
                    values[at] = value
                    continue
            if required:
                ctx.error(row, label, raw, required_reason)
        for indexes, at, parse, label, required, convert in converted:
            try:
                raw = convert(*[cells[j] for j in indexes])
                value = parse(raw) if raw else None
            except CellError as exc:
                ctx.error(row, label, cells[indexes[0]], exc.reason)
                failed = (failed or set()) | {at}
                continue
            if value is None:
                if required:
                    ctx.error(row, label, raw, required_reason)
                continue
            values[at] = value
        for group in groups:
            if all(values[i] is None for i in group) and not (
                failed and failed.intersection(group)
            ):
                name = kind.columns[group[0]].name
                others = ", ".join(kind.columns[i].name for i in group[1:])
                ctx.error(row, name, "", _("required (or give %(alt)s)") % {"alt": others})
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            ctx.error(row, "-", "", too_wide)
        return row

    # Column by column: (where the text comes from, where the value goes, parser, memo).
    fast_columns = [
        ((first,), None, at, parse, required, {"": None, None: None}, _mutable(kind.columns[at]))
        for first, at, parse, _label, required in simple
    ] + [
        (indexes, convert, at, parse, required, {"": None, None: None}, _mutable(kind.columns[at]))
        for indexes, at, parse, _label, required, convert in converted
    ]
    absent = [i for i in range(ncols) if i not in {c[2] for c in fast_columns}]
    all_none = [(None,) * len(group) for group in groups]

    def fast_batch(chunk: list[tuple[int, list[str]]]) -> list[Row] | None:
        """The batch's Rows, or None when some row needs ``parse_row`` (it has an error)."""
        n = len(chunk)
        numbers = [number for number, _cells in chunk]
        rows = [cells for _number, cells in chunk]
        if max(map(len, rows)) > width:
            return None
        texts = list(zip(*rows, strict=True)) if rows else []
        out: list[Any] = [None] * ncols
        for i in absent:
            out[i] = [None] * n
        for indexes, convert, at, parse, required, memo, mutable in fast_columns:
            column: Sequence[Any]
            if convert is None:
                column = texts[indexes[0]]
            else:
                try:
                    column = list(map(convert, *[texts[j] for j in indexes]))
                except CellError:
                    return None
            get = memo.__getitem__
            try:
                parsed = list(map(get, column))
            except KeyError:
                if len(memo) > MEMO_LIMIT:
                    memo.clear()
                    memo[""] = memo[None] = None
                for raw in set(column).difference(memo):
                    try:
                        memo[raw] = parse(raw)
                    except CellError:
                        return None
                parsed = list(map(get, column))
            if mutable:  # each row gets its own copy of a list value
                parsed = [None if v is None else list(v) for v in parsed]
            if required and has_none(parsed):
                return None
            out[at] = parsed
        for group, nothing in zip(groups, all_none, strict=True):
            if nothing in zip(*[out[i] for i in group], strict=True):
                return None
        return list(map(Row, numbers, map(list, zip(*out, strict=True))))

    size = kind.batch_size
    waiting = iter(table.rows)
    while True:
        chunk = list(itertools.islice(waiting, size))
        if not chunk:
            return
        if skip is not None:
            chunk = [(number, cells) for number, cells in chunk if not skip(cells)]
            if not chunk:
                continue
        batch = fast_batch(chunk) if kinds_base.COLUMN_BY_COLUMN else None
        if batch is None:
            batch = [parse_row(number, cells) for number, cells in chunk]
        yield batch


def _mutable(column) -> bool:
    """Are this column's values lists (each row must have its own)?"""
    return column.type == "split"


def _process(kind: Kind, table: Table, plan: Plan, ctx: ImportContext, progress: Progress | None):
    kind.begin(ctx)
    total = table.estimated_rows
    for batch in _rows(kind, table, plan, ctx):
        kind.check(ctx, batch)
        if not ctx.error_count and not ctx.dry_run:
            kind.write(ctx, batch)
        ctx.rows += len(batch)
        if progress is not None:
            progress(ctx.rows, total)
    kind.finish(ctx)


def run_import(
    *,
    actor: Actor,
    file: IO[bytes],
    kind: str,
    format: str = "native",
    dry_run: bool = False,
    mapping: dict[str, str] | None = None,
    filename: str = "",
    progress: Progress | None = None,
    on_success: Callable[[ImportContext], None] | None = None,
) -> ImportResult:
    """Import one file. Raises ApplicationError for a file that cannot be read at all and
    PermissionDenied for a role that may not import this kind; bad rows are in the result.

    ``on_success`` runs inside the write transaction after the last row (the caller's audit
    row), so it is committed, or rolled back, with the data."""
    the_kind = get_kind(kind)
    require_import_permission(actor, the_kind)
    started = time.monotonic()
    table = open_table(file, filename)
    organisation = _organisation(actor)
    try:
        plan = build_plan(the_kind, table, format or "native", mapping)
        ctx = ImportContext(
            actor=actor,
            organisation=organisation,
            dry_run=dry_run,
            format=format or "native",
            labels={s.column: s.label for s in plan.sources},
            options=dict(plan.options),
        )
        if plan.ignored:
            ctx.warn(_("Ignored columns: %(columns)s") % {"columns": ", ".join(plan.ignored)})
        for column, reason in plan.file_errors:
            ctx.error(1, column, column, reason)
        if not ctx.error_count:
            if dry_run:
                _process(the_kind, table, plan, ctx, progress)
            else:
                try:
                    with transaction.atomic(), _large_page_cache():
                        _one_writer(organisation.pk, the_kind.name)
                        _process(the_kind, table, plan, ctx, progress)
                        if ctx.error_count:
                            raise _Rejected
                        if on_success is not None:
                            on_success(ctx)
                except _Rejected:
                    pass
    finally:
        table.close()
    rejected = ctx.error_count > 0
    return ImportResult(
        kind=the_kind.name,
        format=format or "native",
        dry_run=dry_run,
        status="rejected" if rejected else "done",
        rows=ctx.rows,
        created=0 if rejected else ctx.created,
        updated=0 if rejected else ctx.updated,
        unchanged=0 if rejected else ctx.unchanged,
        errors=ctx.sorted_errors([c.name for c in the_kind.columns]),
        error_count=ctx.error_count,
        warnings=ctx.warnings,
        seconds=time.monotonic() - started,
        file_type=table.file_type,
        encoding=table.encoding,
        delimiter=table.delimiter,
        detected=plan.detected,
    )


def _one_writer(organisation_id: int, kind: str) -> None:
    """Imports of one kind into one organisation write one after the other (SPEC §11.5).

    Two imports of the same file at once would each find a key free (a new order, SKU or
    category) and both insert it: the second failed on the unique constraint. On PostgreSQL
    the write transaction takes an advisory lock held until it commits or rolls back (a
    killed process releases it with its connection): the second import waits, then checks
    its rows against what the first wrote and finds them unchanged. SQLite has one writer
    at a time already."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [zlib.crc32(kind.encode()) >> 1, organisation_id & 0x7FFFFFFF],
        )


@contextlib.contextmanager
def _large_page_cache():
    """SQLite keeps 2 MB of pages by default; a bulk write into tables with many indexes
    runs a third faster with more, and a million order lines touch some hundreds of MB of
    index pages. Durability is untouched (journal and synchronous stay as they are); the
    connection's setting is restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MB, allocated as used
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


def _organisation(actor: Actor):
    org = getattr(actor, "organisation", None)
    if org is None:
        raise ApplicationError("actor without organisation")
    return org

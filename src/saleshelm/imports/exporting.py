"""Exports in the native columns of each kind, as CSV or XLSX (SPEC §4, §11.7).

An export of a kind imports back unchanged. No cell may start a spreadsheet formula: a text
cell starting with ``= + - @``, a tab or a carriage return gets a leading single quote
(which the importer reads back as text). Numbers stay numbers: numeric cells in XLSX, and
in CSV a negative number in a numeric column is written as it is (``-5``).

Rows are streamed from ``.iterator(chunk_size=…)`` querysets, so a million order lines are
written without holding them in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.utils.translation import gettext as _

from saleshelm.core.errors import PermissionDenied
from saleshelm.imports.columns import FORMULA_START
from saleshelm.imports.kinds import get_kind
from saleshelm.imports.permissions import can_export
from saleshelm.tenancy.actors import Actor

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def neutralise(text: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading quote."""
    if text and text[0] in FORMULA_START:
        return "'" + text
    return text


def decimal_text(value: Decimal) -> str:
    if value == 0:
        return "0"
    text = format(value.normalize(), "f")
    return text


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.microsecond:
            return value.strftime("%Y-%m-%d %H:%M:%S.%f")
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def xlsx_cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal | int):
        return value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    return neutralise(str(value))


def export_rows(*, actor: Actor, kind: str) -> tuple[list[str], Iterator[list[Any]]]:
    """The native header and the rows of ``kind`` the actor may see."""
    the_kind = get_kind(kind)
    if not can_export(actor=actor, kind=the_kind):
        raise PermissionDenied(_("Your role may not export %(kind)s.") % {"kind": the_kind.name})
    return the_kind.export_columns(), the_kind.export_rows(actor)


class _Line:
    """A file-like object that hands back what csv.writer wrote, one row at a time."""

    def __init__(self) -> None:
        self.value = ""

    def write(self, text: str) -> int:
        self.value = text
        return len(text)


def csv_chunks(
    header: list[str], rows: Iterable[list[Any]], *, bom: bool = True
) -> Iterator[bytes]:
    """Encoded CSV, a few hundred rows per chunk (for a streaming HTTP response)."""
    line = _Line()
    writer = csv.writer(line, lineterminator="\r\n")
    buffer: list[str] = ["\ufeff"] if bom else []
    writer.writerow([neutralise(h) for h in header])
    buffer.append(line.value)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        buffer.append(line.value)
        if len(buffer) >= 500:
            yield "".join(buffer).encode("utf-8")
            buffer.clear()
    if buffer:
        yield "".join(buffer).encode("utf-8")


SMALL_EXPORT_ROWS = 5000


def csv_response(header: list[str], rows: Iterable[list[Any]], filename: str):
    """An HTTP response with the CSV: a plain one (with its length) for a small export, a
    streamed one for a large export, so a million rows never sit in memory."""
    from itertools import chain, islice

    from django.http import HttpResponse, StreamingHttpResponse

    rows = iter(rows)
    head = list(islice(rows, SMALL_EXPORT_ROWS))
    response: HttpResponse | StreamingHttpResponse
    if len(head) < SMALL_EXPORT_ROWS:
        response = HttpResponse(
            b"".join(csv_chunks(header, head)), content_type=CONTENT_TYPES["csv"]
        )
    else:
        response = StreamingHttpResponse(
            csv_chunks(header, chain(head, rows)), content_type=CONTENT_TYPES["csv"]
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(header: list[str], rows: Iterable[list[Any]], filename: str, title: str):
    from django.http import HttpResponse

    buffer = io.BytesIO()
    write_xlsx(buffer, header, rows, title=title)
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_csv(out: IO[bytes], header: list[str], rows: Iterable[list[Any]]) -> int:
    n = 0
    for chunk in csv_chunks(header, rows):
        out.write(chunk)
        n += 1
    return n


def write_xlsx(
    out: IO[bytes], header: list[str], rows: Iterable[list[Any]], *, title: str = ""
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "export")[:31])
    sheet.append([neutralise(h) for h in header])
    n = 0
    for row in rows:
        cells = []
        for value in row:
            v = xlsx_cell(value)
            if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
                cell = WriteOnlyCell(sheet, value=v)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            elif isinstance(v, dt.datetime):
                cell = WriteOnlyCell(sheet, value=v)
                cell.number_format = "yyyy-mm-dd hh:mm"
                cells.append(cell)
            elif isinstance(v, str):
                # Written as an explicit string cell: openpyxl would otherwise take "=…" for
                # a formula (and the quote above already keeps spreadsheets from running it).
                cell = WriteOnlyCell(sheet, value=v)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(v)
        sheet.append(cells)
        n += 1
    workbook.save(out)
    return n


def export_to(out: IO[bytes], *, actor: Actor, kind: str, format: str = "csv") -> int:
    """Write the export to a binary stream; returns the number of data rows."""
    if format not in FORMATS:
        from saleshelm.core.errors import ApplicationError

        raise ApplicationError(_("format must be csv or xlsx"), field="format")
    header, rows = export_rows(actor=actor, kind=kind)
    counted = _Counter(rows)
    if format == "xlsx":
        write_xlsx(out, header, counted, title=kind)
    else:
        write_csv(out, header, counted)
    return counted.n


class _Counter:
    def __init__(self, rows: Iterable[list[Any]]) -> None:
        self.rows = iter(rows)
        self.n = 0

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self.rows)
        self.n += 1
        return row


def export_bytes(*, actor: Actor, kind: str, format: str = "csv") -> bytes:
    buffer = io.BytesIO()
    export_to(buffer, actor=actor, kind=kind, format=format)
    return buffer.getvalue()

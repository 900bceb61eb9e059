"""Reading CSV and XLSX files into rows of text cells (SPEC §4).

CSV: the encoding is UTF-8 (with or without a byte-order mark) or cp1258 (Vietnamese
Windows), tried strictly in that order over the whole file; charset-normalizer only breaks
the tie when neither decodes. The delimiter is sniffed among ``, ; tab |``. Text is
normalised to NFC, because cp1258 (and macOS) write Vietnamese letters as a base letter plus
combining marks and names must compare equal to what is in the database.

XLSX: the first sheet, read with openpyxl in read-only mode; formula cells give the value
the spreadsheet last computed. Cell values are turned into the same text a CSV would carry
(dates as ``YYYY-MM-DD``, whole numbers without ``.0``).

Row numbers are the ones a person sees in a spreadsheet: the header is row 1, the first data
row is row 2. Blank rows are skipped but still counted.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import numbers
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError

DELIMITERS = (",", ";", "\t", "|")
CHUNK = 1 << 20
SNIFF_BYTES = 64 * 1024
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
csv.field_size_limit(10 * 1024 * 1024)


class UnreadableFile(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="unreadable_file")


@dataclass
class Table:
    """A file opened for reading: its header cells and an iterator of ``(row_number, cells)``."""

    file_type: str
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = ""
    delimiter: str = ""
    estimated_rows: int = 0
    _closers: list = field(default_factory=list)

    def close(self) -> None:
        for closer in self._closers:
            # Closing a read-only handle must not hide the import's result.
            with contextlib.suppress(Exception):
                closer()


_HEADER_SEPARATORS = re.compile(r"[\s\-]+")


def header_key(text: str) -> str:
    """The comparable form of a header: case, spaces and dashes do not matter."""
    text = unicodedata.normalize("NFC", text or "").replace("\ufeff", "").strip().casefold()
    return _HEADER_SEPARATORS.sub("_", text)


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


# --- encoding -------------------------------------------------------------------------


def _decodes(f: IO[bytes], encoding: str) -> tuple[bool, int]:
    """Does the whole stream decode strictly? Also counts line feeds for progress."""
    f.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    lines = 0
    ok = True
    while True:
        chunk = f.read(CHUNK)
        if not chunk:
            break
        lines += chunk.count(b"\n")
        if ok:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                ok = False
    if ok:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            ok = False
    f.seek(0)
    return ok, lines


def detect_encoding(f: IO[bytes]) -> tuple[str, int]:
    """``(encoding, line_count)`` of a CSV stream; raises UnreadableFile if nothing fits."""
    f.seek(0)
    head = f.read(4)
    f.seek(0)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        ok, lines = _decodes(f, "utf-16")
        if ok:
            return "utf-16", lines
    ok, lines = _decodes(f, "utf-8-sig")
    if ok:
        return "utf-8-sig", lines
    ok, lines = _decodes(f, "cp1258")
    if ok:
        return "cp1258", lines
    from charset_normalizer import from_bytes

    f.seek(0)
    best = from_bytes(f.read(8 * CHUNK)).best()
    f.seek(0)
    if best is None or not best.encoding:
        raise UnreadableFile(
            _("Cannot tell the file's text encoding; save it as CSV UTF-8 and try again.")
        )
    encoding = codecs.lookup(best.encoding).name
    ok, lines = _decodes(f, encoding)
    if not ok:
        raise UnreadableFile(
            _("Cannot tell the file's text encoding; save it as CSV UTF-8 and try again.")
        )
    return encoding, lines


# --- delimiter ------------------------------------------------------------------------


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines into the same, largest number of cells."""
    lines = sample.splitlines(keepends=True)
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the last line may be cut in the middle
    text = "".join(lines[:50])
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if any(r)]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        consistent = sum(1 for r in rows if len(r) == width)
        score = (consistent * 1000 // len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- readers --------------------------------------------------------------------------


def _is_blank(cells: list[str]) -> bool:
    return all(not c or c.isspace() for c in cells)


def _csv_rows(reader, width: int) -> Iterator[tuple[int, list[str]]]:
    number = 1
    for cells in reader:
        number += 1
        # One string per row answers "blank?" and "all ASCII?" without a loop over cells.
        text = "".join(cells)
        if not text or text.isspace():
            continue
        if len(cells) < width:
            cells.extend([""] * (width - len(cells)))
        if not text.isascii():
            for i, c in enumerate(cells):
                if not c.isascii():
                    cells[i] = unicodedata.normalize("NFC", c)
        yield number, cells


def read_csv(f: IO[bytes]) -> Table:
    encoding, lines = detect_encoding(f)
    f.seek(0)
    sample = f.read(SNIFF_BYTES)
    f.seek(0)
    sample_text = sample.decode(encoding, errors="ignore")
    if not sample_text.strip():
        raise UnreadableFile(_("The file is empty."))
    delimiter = sniff_delimiter(sample_text)
    text = io.TextIOWrapper(f, encoding=encoding, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise UnreadableFile(_("The file is empty.")) from None
    except csv.Error as exc:
        raise UnreadableFile(_("The file is not valid CSV: %(error)s") % {"error": exc}) from None
    headers = [nfc(h).replace("\ufeff", "").strip() for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        raise UnreadableFile(_("The first row must hold the column names."))

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from _csv_rows(reader, len(headers))
        except csv.Error as exc:
            raise UnreadableFile(
                _("The file is not valid CSV near line %(line)s: %(error)s")
                % {"line": reader.line_num, "error": exc}
            ) from None

    return Table(
        file_type="csv",
        headers=headers,
        rows=rows(),
        encoding="utf-8" if encoding == "utf-8-sig" else encoding,
        delimiter=delimiter,
        estimated_rows=max(lines - 1, 0),
        _closers=[text.detach],
    )


def xlsx_cell_text(value) -> str:
    """The text a CSV export of this cell would carry."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, numbers.Real):
        # A spreadsheet number: its shortest exact decimal text, without a trailing ".0".
        number = Decimal(repr(value))
        if not number.is_finite():
            return str(value)
        if number == number.to_integral_value() and abs(number) < 10**15:
            return str(int(number))
        return format(number, "f")
    return str(value)


def read_xlsx(f: IO[bytes]) -> Table:
    from openpyxl import load_workbook

    f.seek(0)
    try:
        workbook = load_workbook(f, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise UnreadableFile(
            _("The file is not a readable XLSX workbook (%(error)s).")
            % {"error": type(exc).__name__}
        ) from None
    if not workbook.worksheets:
        raise UnreadableFile(_("The workbook has no sheet."))
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        first = next(values)
    except StopIteration:
        workbook.close()
        raise UnreadableFile(_("The file is empty.")) from None
    headers = [xlsx_cell_text(v).strip() for v in first]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        workbook.close()
        raise UnreadableFile(_("The first row must hold the column names."))
    width = len(headers)

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 1
        for raw in values:
            number += 1
            cells = [xlsx_cell_text(v) for v in raw]
            if _is_blank(cells):
                continue
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            yield number, cells

    max_row = sheet.max_row or 0
    return Table(
        file_type="xlsx",
        headers=headers,
        rows=rows(),
        estimated_rows=max(max_row - 1, 0),
        _closers=[workbook.close],
    )


def open_table(f: IO[bytes], filename: str = "") -> Table:
    """Open a CSV or XLSX stream (told apart by content, not by the file name)."""
    f.seek(0)
    head = f.read(8)
    f.seek(0)
    if head.startswith(XLSX_MAGIC):
        return read_xlsx(f)
    if head.startswith(OLE_MAGIC) or filename.lower().endswith(".xls"):
        raise UnreadableFile(_("Old .xls workbooks are not read; save the file as XLSX or CSV."))
    return read_csv(f)

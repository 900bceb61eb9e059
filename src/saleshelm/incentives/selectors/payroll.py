"""Payroll export of a run's totals (CSV or XLSX), and the statements as CSV for the CLI.

No cell is ever something a spreadsheet would run as a formula (SPEC §11.7): text starting
with ``= + - @``, a tab or a carriage return is prefixed with an apostrophe. Amounts are
written as decimal numbers, never through float.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from saleshelm.core.money import quantize_money
from saleshelm.incentives.models import CommissionRun, Statement
from saleshelm.incentives.selectors.statements import line_json, statement_list

FORMULA_START = frozenset("=+-@\t\r")
PAYROLL_COLUMNS = ["member_email", "member_name", "plan", "period", "currency", "total", "status"]
STATEMENT_COLUMNS = [
    "period",
    "member_email",
    "member_name",
    "plan",
    "currency",
    "status",
    "total",
    "kind",
    "component",
    "basis",
    "rate",
    "amount",
]


def safe_text(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula; numbers pass unchanged."""
    if isinstance(value, str) and value and value[0] in FORMULA_START:
        try:
            Decimal(value)
            return value  # a plain negative number such as "-200.00"
        except ArithmeticError:
            return "'" + value
    return value


def payroll_rows(*, actor, run: CommissionRun) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for s in statement_list(actor=actor, run_id=run.pk):
        rows.append(
            [
                s.member.user.email,
                s.member.name,
                s.plan.name,
                s.period,
                s.currency,
                quantize_money(s.total, s.currency),
                s.status,
            ]
        )
    return rows


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_text(v if not isinstance(v, Decimal) else str(v)) for v in row])
    return buf.getvalue()


def to_xlsx(header: list[str], rows: Iterable[list[Any]], title: str = "Payroll") -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(header)
    for row in rows:
        ws.append([safe_text(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def statement_rows(statements: Iterable[Statement]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for s in statements:
        total = str(quantize_money(s.total, s.currency))
        head = [
            s.period,
            s.member.user.email,
            s.member.name,
            s.plan.name,
            s.currency,
            s.status,
            total,
        ]
        lines = [line_json(ln, s.currency) for ln in s.lines.all()]
        if not lines:
            rows.append([*head, "", "", "", "", ""])
        for ln in lines:
            rows.append(
                [
                    *head,
                    ln["kind"],
                    ln["component"] or "",
                    ln["basis"] or "",
                    ln["rate"] or "",
                    ln["amount"],
                ]
            )
    return rows

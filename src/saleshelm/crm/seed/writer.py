"""Fast bulk writing for the seeder: rows as plain tuples, written 5,000 at a time with one
``executemany`` (SQLite) or ``COPY`` (PostgreSQL) per batch, ids assigned here so that child
rows can point at their parents without reading anything back.

This bypasses model ``save()`` and services on purpose: seeding is an infrastructure load of
millions of rows. Values are computed with the same helpers the services use
(``line_amounts``, the exchange-rate book), so what is written is what a service would write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import cast

from django.db import connection
from django.db.models import Field, Max, Model
from django.utils import timezone

BATCH = 5000


def next_id(model: type[Model]) -> int:
    # every model here has ``objects``; the ``Model`` base stub does not declare it
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1  # type: ignore[attr-defined]


class TableWriter:
    """Collects rows for one table and flushes them in batches.

    ``fields`` are model field names (``"owner"`` for a foreign key); each row gives a value
    for every one of them, in order. ``id``, ``created_at``, ``updated_at`` and
    ``organisation_id`` are filled in here."""

    def __init__(
        self,
        model: type[Model],
        fields: Sequence[str],
        *,
        organisation_id: int,
        on_flush: Callable[[int], None] | None = None,
    ) -> None:
        meta = model._meta
        self.model = model
        self.columns = [
            "id",
            "created_at",
            "updated_at",
            "organisation_id",
            *(cast(Field, meta.get_field(f)).column for f in fields),
        ]
        self.table = meta.db_table
        self.rows: list[tuple] = []
        self.written = 0
        self.next = next_id(model)
        self.first = self.next
        self.on_flush = on_flush
        now = Adapters().datetime(timezone.now())
        self.prefix = (now, now, organisation_id)
        self.vendor = connection.vendor

    def add(self, values: tuple) -> int:
        """Queue one row; answers the id it will have."""
        pk = self.next
        self.next += 1
        self.rows.append((pk, *self.prefix, *values))
        if len(self.rows) >= BATCH:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.rows:
            return
        rows, self.rows = self.rows, []
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
                raw = cursor.cursor
                with raw.copy(
                    f"COPY {connection.ops.quote_name(self.table)} ({cols}) FROM STDIN"
                ) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {connection.ops.quote_name(self.table)} ({cols}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
        self.written += len(rows)
        if self.on_flush is not None:
            self.on_flush(len(rows))

    def close(self) -> None:
        self.flush()
        if self.vendor == "postgresql" and self.next > self.first:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
                    [self.table, self.next - 1],
                )


class Adapters:
    """Values as the backend stores them, chosen once per run (these run millions of times).

    SQLite gets what Django itself writes there: ISO dates, naive UTC datetimes and decimals
    as text; PostgreSQL takes the Python objects."""

    def __init__(self) -> None:
        if connection.vendor == "postgresql":
            self.date = self.datetime = self.decimal = _same
        else:
            self.date = _iso_date
            self.datetime = _naive_utc
            self.decimal = _text


def _same(value):
    return value


def _iso_date(value: dt.date | None):
    return None if value is None else value.isoformat()


def _naive_utc(value: dt.datetime | None):
    return None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))


def _text(value):
    return None if value is None else str(value)

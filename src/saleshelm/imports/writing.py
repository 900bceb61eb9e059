"""Bulk writes for imports: ``executemany`` over prepared rows, no model instances.

A million order lines cannot afford a ``save()`` each (or even a model instance each), so
kinds hand tuples of database-ready values to these helpers. Values are plain Python types
that both drivers adapt (``str``, ``int``, ``Decimal``, ``date``, ``bool``, ``None``);
datetimes go through ``adapt_datetime`` because SQLite stores them naive in UTC.

Upserts use ``INSERT … ON CONFLICT (…) DO UPDATE`` (SQLite ≥ 3.24 and PostgreSQL), so two
imports racing on the same keys cannot create duplicates. Rows the import found new go
through ``COPY`` on PostgreSQL (``BulkWriter.write_new``), with the upsert as the fallback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import IntegrityError, connection, models, transaction

from saleshelm.imports.kinds.base import chunks

ROWS_PER_STATEMENT = 5000


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    meta = model._meta
    return [meta.get_field(f).column for f in fields]  # type: ignore[union-attr,misc]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def adapt_datetime(value):
    return connection.ops.adapt_datetimefield_value(value)


class BulkWriter:
    """Prepared INSERT / UPSERT / UPDATE statements for one model."""

    def __init__(
        self,
        model: type[models.Model],
        fields: Sequence[str],
        *,
        conflict: Sequence[str] = (),
        update: Sequence[str] | None = None,
    ) -> None:
        self.model = model
        self.fields = list(fields)
        table = _q(model._meta.db_table)
        cols = _columns(model, self.fields)
        placeholders = ", ".join(["%s"] * len(cols))
        # Identifiers come from the model's metadata, quoted; values are always parameters.
        insert = f"INSERT INTO {table} ({', '.join(_q(c) for c in cols)}) VALUES ({placeholders})"  # noqa: S608
        if conflict:
            targets = ", ".join(_q(c) for c in _columns(model, conflict))
            updated = [
                f for f in (update if update is not None else self.fields) if f not in conflict
            ]
            sets = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in _columns(model, updated))
            insert += (
                f" ON CONFLICT ({targets}) DO UPDATE SET {sets}"
                if sets
                else (f" ON CONFLICT ({targets}) DO NOTHING")
            )
        self.sql = insert
        self.copy_sql = f"COPY {table} ({', '.join(_q(c) for c in cols)}) FROM STDIN"

    def write(self, rows: Iterable[tuple]) -> int:
        n = 0
        with connection.cursor() as cursor:
            for batch in chunks(rows, ROWS_PER_STATEMENT):
                cursor.executemany(self.sql, batch)
                n += len(batch)
        return n

    def write_new(self, rows: Sequence[tuple]) -> int:
        """Rows whose keys the import found free: on PostgreSQL ``COPY … FROM STDIN``, several
        times faster than INSERTs. Should another transaction have written one of the keys
        since, the COPY fails inside its savepoint and the upsert writes the rows instead."""
        if not rows:
            return 0
        if connection.vendor != "postgresql":
            return self.write(rows)
        try:
            # The driver's own cursor (psycopg 3) for COPY.
            with (
                transaction.atomic(),
                connection.cursor() as wrapper,
                connection.wrap_database_errors,  # the driver's errors as Django's
                wrapper.cursor.copy(self.copy_sql) as copy,
            ):
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
        except IntegrityError:
            return self.write(rows)
        return len(rows)


class BulkUpdate:
    """``UPDATE table SET a = %s, b = %s WHERE <key> = %s`` for many rows (key last)."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], key: str = "pk") -> None:
        table = _q(model._meta.db_table)
        sets = ", ".join(f"{_q(c)} = %s" for c in _columns(model, fields))
        key_column = model._meta.pk.column if key == "pk" else _columns(model, [key])[0]
        self.sql = f"UPDATE {table} SET {sets} WHERE {_q(key_column)} = %s"  # noqa: S608

    def write(self, rows: Iterable[tuple]) -> int:
        n = 0
        with connection.cursor() as cursor:
            for batch in chunks(rows, ROWS_PER_STATEMENT):
                cursor.executemany(self.sql, batch)
                n += len(batch)
        return n


IN_LIST = 5000


def select_in(
    model: type[models.Model],
    columns: Sequence[str],
    field: str,
    values: Iterable,
    *,
    organisation_id: int,
) -> list[tuple]:
    """``SELECT columns FROM table WHERE organisation_id = %s AND field IN (…)``, in chunks,
    without the ORM's preparation of each value (a million-line import names hundreds of
    thousands of orders). The driver's values come back as they are: use it for text and
    integer columns only (no date or decimal conversion happens here)."""
    table = _q(model._meta.db_table)
    cols = ", ".join(_q(c) for c in _columns(model, columns))
    org, key = (_q(c) for c in _columns(model, ["organisation_id", field]))
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for batch in chunks(values, IN_LIST):
            marks = ", ".join(["%s"] * len(batch))
            # Identifiers come from the model's metadata; values are parameters.
            cursor.execute(
                f"SELECT {cols} FROM {table} WHERE {org} = %s AND {key} IN ({marks})",  # noqa: S608
                [organisation_id, *batch],
            )
            out.extend(cursor.fetchall())
    return out


def delete_where_in(model: type[models.Model], field: str, values: Sequence) -> None:
    """``DELETE FROM table WHERE field IN (…)`` in chunks, without loading rows."""
    if not values:
        return
    for batch in chunks(values, 900):
        model._base_manager.filter(**{f"{field}__in": batch})._raw_delete(connection.alias)

"""Bulk writes for imports: ``executemany`` over prepared rows, no model instances.

A million order lines cannot afford a ``save()`` each (or even a model instance each), so
kinds hand tuples of database-ready values to these helpers. Values are plain Python types
that both drivers adapt (``str``, ``int``, ``Decimal``, ``date``, ``bool``, ``None``);
datetimes go through ``adapt_datetime`` because SQLite stores them naive in UTC.

Upserts use ``INSERT … ON CONFLICT (…) DO UPDATE`` (SQLite ≥ 3.24 and PostgreSQL), so two
imports racing on the same keys cannot create duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection, models

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

    def write(self, rows: Iterable[tuple]) -> int:
        n = 0
        with connection.cursor() as cursor:
            for batch in chunks(rows, ROWS_PER_STATEMENT):
                cursor.executemany(self.sql, batch)
                n += len(batch)
        return n


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


def delete_where_in(model: type[models.Model], field: str, values: Sequence) -> None:
    """``DELETE FROM table WHERE field IN (…)`` in chunks, without loading rows."""
    if not values:
        return
    for batch in chunks(values, 900):
        model._base_manager.filter(**{f"{field}__in": batch})._raw_delete(connection.alias)

"""What every kind of import has in common: its columns, the rows being checked, the
context that collects errors and counts, and the lookups shared by several kinds.

A kind is one module in ``saleshelm.imports.kinds`` that calls ``register(SomeKind())``.
The engine hands it rows in batches: ``check`` validates a batch (all errors, one query per
referenced table), ``write`` writes it in bulk when the file has no error so far (inside the
import's single transaction), and ``finish`` runs once at the end.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from saleshelm.imports.columns import Column
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.roles import Role

STRUCTURE_IMPORTERS = frozenset({Role.ADMIN, Role.DIRECTOR})
CRM_IMPORTERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})
ALL_ROLES = frozenset(Role.values)
MAX_ERRORS_KEPT = 10_000
# Clean batches are parsed and checked column by column (engine, orders); the row-by-row
# code, which words every error, does the same work otherwise. Tests turn this off to compare.
COLUMN_BY_COLUMN = True
FOUR_PLACES = Decimal("0.0001")


class Row:
    """One data row: its number as the person sees it, the parsed values (aligned with the
    kind's columns) and whether any cell of it was bad."""

    __slots__ = ("bad", "extra", "number", "values")

    def __init__(self, number: int, values: list[Any]) -> None:
        self.number = number
        self.values = values
        self.bad = False
        self.extra: Any = None


@dataclass
class ImportContext:
    actor: Actor
    organisation: Any
    dry_run: bool
    format: str = "native"
    labels: dict[str, str] = field(default_factory=dict)  # native column -> file header
    errors: list[dict] = field(default_factory=list)
    error_count: int = 0
    warnings: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0
    options: dict[str, Any] = field(default_factory=dict)
    now: dt.datetime = field(default_factory=timezone.now)
    started: float = field(default_factory=time.monotonic)
    _members: MemberIndex | None = None
    _rates: Any = None
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk

    def label(self, column: str) -> str:
        return self.labels.get(column, column)

    def error(self, row: Row | int, column: str, value: Any, reason: str) -> None:
        if isinstance(row, Row):
            row.bad = True
            number = row.number
        else:
            number = row
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            text = "" if value is None else str(value)
            self.errors.append(
                {
                    "row": number,
                    "column": self.label(column),
                    "value": text if len(text) <= 100 else text[:99] + "…",
                    "reason": reason,
                }
            )

    def warn(self, message: str) -> None:
        if message not in self.warnings and len(self.warnings) < 100:
            self.warnings.append(message)

    @property
    def members(self) -> MemberIndex:
        if self._members is None:
            self._members = MemberIndex.load(self.actor)
        return self._members

    @property
    def rates(self):
        """The organisation's exchange rates in memory (crm's RateBook: same answers as the
        services give, one query for the whole import)."""
        if self._rates is None:
            from saleshelm.crm.services.rates import RateBook

            self._rates = RateBook(self.organisation)
        return self._rates

    def sorted_errors(self, order: Sequence[str] = ()) -> list[dict]:
        rank = {self.label(c): i for i, c in enumerate(order)}
        return sorted(self.errors, key=lambda e: (e["row"], rank.get(e["column"], 999)))


def name_key(text: str) -> str:
    """Compare people's names ignoring case, accents and spacing: "Nguyễn Văn An" ~ "nguyen van an"."""
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


@dataclass
class MemberIndex:
    """The organisation's members, looked up by email or full name, and the actor's scope.

    ``scope`` is None for roles that see the whole organisation, else the ids a manager
    (their own and their teams' members) may give records to."""

    by_email: dict[str, tuple[int, bool]]
    by_name: dict[str, list[int]]
    emails: dict[int, str]
    scope: frozenset[int] | None

    @classmethod
    def load(cls, actor: Actor) -> MemberIndex:
        from saleshelm.people.permissions import sees_whole_organisation
        from saleshelm.people.selectors import visible_member_ids
        from saleshelm.tenancy.models import Membership

        by_email: dict[str, tuple[int, bool]] = {}
        by_name: dict[str, list[int]] = defaultdict(list)
        emails: dict[int, str] = {}
        rows = Membership.objects.filter(organisation_id=actor.organisation_id).values_list(
            "pk", "user__email", "user__full_name", "is_active"
        )
        for pk, email, full_name, active in rows:
            by_email[email.lower()] = (pk, active)
            emails[pk] = email.lower()
            if active and full_name:
                by_name[name_key(full_name)].append(pk)
        scope = None
        if not sees_whole_organisation(actor=actor):
            scope = frozenset(visible_member_ids(actor=actor).values_list("pk", flat=True))
        return cls(by_email, dict(by_name), emails, scope)

    def by_email_or_error(self, email: str) -> tuple[int | None, str | None]:
        found = self.by_email.get(email)
        if found is None or not found[1]:
            return None, _("no active member of this organisation has this email")
        return found[0], None

    def by_name_or_error(self, name: str) -> tuple[int | None, str | None]:
        ids = self.by_name.get(name_key(name), [])
        if not ids:
            return None, _("no active member of this organisation has this name")
        if len(ids) > 1:
            return None, _("%(n)s members have this name; give the owner's email instead") % {
                "n": len(ids)
            }
        return ids[0], None

    def in_scope(self, member_id: int | None) -> bool:
        return self.scope is None or (member_id is not None and member_id in self.scope)


class Kind:
    """Base of every kind of import. Subclasses set the class attributes and implement
    ``check``/``write`` (and ``export_rows``)."""

    name: str = ""
    label: Any = ""
    description: Any = ""
    columns: tuple[Column, ...] = ()
    # Columns that together identify a row for the upsert ("external_id", "line").
    key: tuple[str, ...] = ("external_id",)
    import_roles: frozenset[str] = CRM_IMPORTERS
    export_roles: frozenset[str] = ALL_ROLES
    batch_size: int = 2000
    # Columns a file must have; defaults to the required ones.
    sample_file: str = ""

    def __init__(self) -> None:
        self.index = {c.name: i for i, c in enumerate(self.columns)}
        self.column_by_name = {c.name: c for c in self.columns}

    # --- import ---
    def begin(self, ctx: ImportContext) -> None:
        """Load what the whole import needs (member index, stage catalogue...)."""

    def check(self, ctx: ImportContext, rows: list[Row]) -> None:
        raise NotImplementedError

    def write(self, ctx: ImportContext, rows: list[Row]) -> None:
        raise NotImplementedError

    def finish(self, ctx: ImportContext) -> None:
        """After the last batch (still inside the transaction when writing)."""

    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def header_alternatives(self) -> dict[str, tuple[str, ...]]:
        """Required columns that another column may stand in for (owner_email ← owner_name)."""
        return {}

    # --- export ---
    def export_columns(self) -> list[str]:
        return [c.name for c in self.columns if not c.extra.get("import_only")]

    def export_rows(self, actor: Actor) -> Iterator[list[Any]]:
        raise NotImplementedError

    # helpers for subclasses
    def col(self, name: str) -> int:
        return self.index[name]


_REGISTRY: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _REGISTRY[kind.name] = kind
    return kind


def registry() -> dict[str, Kind]:
    return _REGISTRY


def has_none(values: Sequence[Any]) -> bool:
    """``None in values`` by identity (comparing a Decimal with None is slow)."""
    return any(map(operator.is_, values, itertools.repeat(None)))


def chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch

"""The shape shared by the crm kinds: rows keyed by ``external_id``, an owner given by email
(or full name), references to other records by their external id, and a bulk upsert.

Per batch: one query per referenced table (dicts of external_id → id, kept for the rest of
the file) and one for the rows that already exist, whose values decide whether a row is
created, updated or unchanged. An empty optional cell means "not given": an existing record
keeps its value, a new one gets the default.

Managers import only for owners in their teams (SPEC §4): an owner outside their scope, or an
existing record owned by someone outside it, is an error on that row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.translation import gettext as _

from saleshelm.imports.kinds.base import ImportContext, Kind, Row
from saleshelm.imports.writing import BulkWriter, adapt_datetime

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass(frozen=True)
class Ref:
    """A column naming another record by its external id."""

    column: str  # "account_external_id"
    model: str  # "crm.Account"
    attname: str  # "account_id"
    what: str  # "account", for messages
    # Extra values read with the reference, e.g. ("account_id",) of a contact.
    carry: tuple[str, ...] = ()


class RecordKind(Kind):
    model_label: str = ""
    # Model attributes written besides organisation, external_id and the timestamps, in order.
    fields: tuple[str, ...] = ()
    defaults: dict[str, Any] = {}
    refs: tuple[Ref, ...] = ()
    owner_required: bool = False
    # Fields stored as datetimes (adapted for the database on raw writes).
    datetime_fields: tuple[str, ...] = ()
    # Compared to decide created / updated / unchanged (default: every field).
    compared: tuple[str, ...] | None = None
    required_one_of: tuple[tuple[str, ...], ...] = ()

    @property
    def model(self):
        return apps.get_model(self.model_label)

    def __init__(self) -> None:
        super().__init__()
        self.field_index = {f: i for i, f in enumerate(self.fields)}

    # --- hooks ------------------------------------------------------------------------
    def given(self, ctx: ImportContext, row: Row) -> dict[str, Any]:
        """The model values this row gives (None: not given). ``row.extra`` holds the
        resolved ``owner_id`` and reference ids."""
        raise NotImplementedError

    def validate(self, ctx: ImportContext, row: Row, new: dict[str, Any], old: dict | None) -> None:
        """Rules over the merged values (after references are known)."""

    def defaults_for(self, ctx: ImportContext) -> dict[str, Any]:
        return self.defaults

    def prepare(self, ctx: ImportContext, rows: list[Row]) -> None:
        """Batch-level lookups a kind needs before ``given`` (stages, say)."""

    def on_update(self, ctx: ImportContext, row: Row, new: dict[str, Any], old: dict) -> None:
        """A row that changes an existing record (bump a version, say)."""

    def after_write(self, ctx: ImportContext, rows: list[Row]) -> None:
        """Writes that follow the rows (stage history, say)."""

    # --- checking ---------------------------------------------------------------------
    def begin(self, ctx: ImportContext) -> None:
        ctx.state["seen"] = {}
        ctx.state["refs"] = {ref.column: {} for ref in self.refs}

    def _owner(self, ctx: ImportContext, row: Row) -> None:
        v = row.values
        email = v[self.index["owner_email"]] if "owner_email" in self.index else None
        name = v[self.index["owner_name"]] if "owner_name" in self.index else None
        owner_id = None
        members = ctx.members
        if email is not None:
            owner_id, problem = members.by_email_or_error(email)
            if problem:
                ctx.error(row, "owner_email", email, problem)
                return
        elif name is not None:
            owner_id, problem = members.by_name_or_error(name)
            if problem:
                ctx.error(row, "owner_name", name, problem)
                return
        if owner_id is not None and not members.in_scope(owner_id):
            column = "owner_email" if email is not None else "owner_name"
            ctx.error(row, column, email or name, _("this member is outside the teams you manage"))
            return
        row.extra["owner_id"] = owner_id

    def _resolve_refs(self, ctx: ImportContext, rows: list[Row]) -> None:
        org_id = ctx.organisation_id
        for ref in self.refs:
            if ref.column not in self.index:
                continue
            at = self.index[ref.column]
            cache: dict[str, tuple] = ctx.state["refs"][ref.column]
            wanted = {r.values[at] for r in rows if r.values[at] is not None} - cache.keys()
            if wanted:
                model = apps.get_model(ref.model)
                for found in model.objects.filter(
                    organisation_id=org_id, external_id__in=list(wanted)
                ).values_list("external_id", "pk", *ref.carry):
                    cache[found[0]] = found[1:]
            for row in rows:
                key = row.values[at]
                if key is None:
                    continue
                hit = cache.get(key)
                if hit is None:
                    ctx.error(
                        row,
                        ref.column,
                        key,
                        _("no %(what)s with this external_id in the organisation")
                        % {"what": ref.what},
                    )
                else:
                    row.extra[ref.attname] = hit[0]
                    for name, value in zip(ref.carry, hit[1:], strict=True):
                        row.extra[f"{ref.attname}.{name}"] = value

    def check(self, ctx: ImportContext, rows: list[Row]) -> None:
        seen: dict[str, int] = ctx.state["seen"]
        i_ext = self.index["external_id"]
        for row in rows:
            row.extra = {}
            ext = row.values[i_ext]
            if ext is None:
                continue
            first = seen.get(ext)
            if first is not None:
                ctx.error(row, "external_id", ext, _("duplicate of row %(n)s") % {"n": first})
            else:
                seen[ext] = row.number
            self._owner(ctx, row)
        self._resolve_refs(ctx, rows)
        self.prepare(ctx, rows)
        keys = [r.values[i_ext] for r in rows if r.values[i_ext] is not None]
        existing: dict[str, tuple] = {}
        for found in self.model.objects.filter(
            organisation_id=ctx.organisation_id, external_id__in=keys
        ).values_list("external_id", "pk", *self.fields):
            existing[found[0]] = found[1:]
        scoped = ctx.members.scope is not None
        defaults = self.defaults_for(ctx)
        compared = self.compared if self.compared is not None else self.fields
        owner_at = self.field_index.get("owner_id")
        for row in rows:
            if row.bad:
                continue
            ext = row.values[i_ext]
            old_row = existing.get(ext)
            old = None if old_row is None else dict(zip(self.fields, old_row[1:], strict=True))
            if old is not None and scoped and owner_at is not None:
                old_owner = old["owner_id"]
                if old_owner is not None and not ctx.members.in_scope(old_owner):
                    ctx.error(
                        row,
                        "external_id",
                        ext,
                        _("this record belongs to a member outside the teams you manage"),
                    )
                    continue
            given = self.given(ctx, row)
            if old is None:
                new = {
                    f: (given.get(f) if given.get(f) is not None else defaults.get(f))
                    for f in self.fields
                }
            else:
                new = {
                    f: (given.get(f) if given.get(f) is not None else old[f]) for f in self.fields
                }
            self.validate(ctx, row, new, old)
            if row.bad:
                continue
            row.extra["new"] = new
            row.extra["old"] = old
            row.extra["pk"] = None if old_row is None else old_row[0]
            if old is None:
                row.extra["status"] = CREATED
                ctx.created += 1
            elif all(new[f] == old[f] for f in compared):
                row.extra["status"] = UNCHANGED
                ctx.unchanged += 1
            else:
                row.extra["status"] = UPDATED
                ctx.updated += 1
                self.on_update(ctx, row, new, old)

    # --- writing ------------------------------------------------------------------------
    def _writer(self) -> BulkWriter:
        writer = getattr(self, "_bulk_writer", None)
        if writer is None:
            writer = BulkWriter(
                self.model,
                ["organisation_id", "external_id", *self.fields, "created_at", "updated_at"],
                conflict=["organisation_id", "external_id"],
                update=[*self.fields, "updated_at"],
            )
            self._bulk_writer = writer
        return writer

    def write(self, ctx: ImportContext, rows: list[Row]) -> None:
        org_id = ctx.organisation_id
        now = adapt_datetime(ctx.now)
        i_ext = self.index["external_id"]
        out = []
        adapt = [f in self.datetime_fields for f in self.fields]
        for row in rows:
            if row.extra.get("status") in (CREATED, UPDATED):
                new = row.extra["new"]
                values = [
                    adapt_datetime(new[f]) if a and new[f] is not None else new[f]
                    for f, a in zip(self.fields, adapt, strict=True)
                ]
                out.append((org_id, row.values[i_ext], *values, now, now))
        if out:
            self._writer().write(out)
        self.after_write(ctx, rows)

    def ids_of(self, ctx: ImportContext, external_ids: Iterable[str]) -> dict[str, int]:
        return dict(
            self.model.objects.filter(
                organisation_id=ctx.organisation_id, external_id__in=list(external_ids)
            ).values_list("external_id", "pk")
        )


def owner_lookup_columns() -> tuple:
    from django.utils.translation import gettext_lazy

    from saleshelm.imports.columns import Column

    return (
        Column(
            "owner_email",
            "email",
            help=gettext_lazy("Owner's email: an active member of the organisation."),
            example="an.nguyen@example.com",
        ),
        Column(
            "owner_name",
            "text",
            help=gettext_lazy(
                "Owner's full name, used when owner_email is empty (case and accents "
                "ignored; must match exactly one active member)."
            ),
            example="Nguyễn Văn An",
            extra={"import_only": True},
        ),
    )

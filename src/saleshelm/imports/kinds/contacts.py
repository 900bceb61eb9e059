"""contacts: people at accounts, by external id (SPEC §4)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from saleshelm.imports.columns import Column
from saleshelm.imports.kinds._records import RecordKind, Ref, owner_lookup_columns
from saleshelm.imports.kinds.base import ImportContext, Row, register
from saleshelm.tenancy.actors import Actor


class ContactsKind(RecordKind):
    name = "contacts"
    label = gettext_lazy("Contacts")
    description = gettext_lazy("People at your accounts.")
    model_label = "crm.Contact"
    columns = (
        Column(
            "external_id",
            "text",
            required=True,
            max_length=100,
            example="CON-2001",
            help=gettext_lazy("Your id for the contact; identifies the row."),
        ),
        Column("name", "text", required=True, max_length=200, example="Trần Thị Mai"),
        Column(
            "account_external_id",
            "text",
            max_length=100,
            example="ACC-1001",
            help=gettext_lazy("external_id of an account of this organisation."),
        ),
        Column("email", "email", example="mai.tran@minhphat.vn"),
        Column("phone", "phone", max_length=50, example="+84 90 123 4567"),
        Column("title", "text", max_length=120, example="Purchasing Manager"),
        *owner_lookup_columns(),
    )
    refs = (Ref("account_external_id", "crm.Account", "account_id", "account"),)
    fields = ("name", "account_id", "email", "phone", "title", "owner_id")
    defaults = {"email": "", "phone": "", "title": ""}

    def given(self, ctx: ImportContext, row: Row) -> dict[str, Any]:
        v, ix = row.values, self.index
        return {
            "name": v[ix["name"]],
            "account_id": row.extra.get("account_id"),
            "email": v[ix["email"]],
            "phone": v[ix["phone"]],
            "title": v[ix["title"]],
            "owner_id": row.extra.get("owner_id"),
        }

    def export_rows(self, actor: Actor):
        from saleshelm.crm.selectors.records import contact_qs

        qs = (
            contact_qs(actor=actor)
            .order_by("external_id")
            .values_list(
                "external_id",
                "name",
                "account__external_id",
                "email",
                "phone",
                "title",
                "owner__user__email",
            )
        )
        for row in qs.iterator(chunk_size=2000):
            yield list(row)


register(ContactsKind())

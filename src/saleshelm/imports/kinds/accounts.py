"""accounts: companies, by external id (SPEC §4)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from saleshelm.imports.columns import Column
from saleshelm.imports.kinds._records import RecordKind, owner_lookup_columns
from saleshelm.imports.kinds.base import ImportContext, Row, register
from saleshelm.tenancy.actors import Actor


class AccountsKind(RecordKind):
    name = "accounts"
    label = gettext_lazy("Accounts")
    description = gettext_lazy("Companies you sell to.")
    model_label = "crm.Account"
    columns = (
        Column(
            "external_id",
            "text",
            required=True,
            max_length=100,
            help=gettext_lazy(
                "Your id for the account (from your ERP or CRM); identifies the row."
            ),
            example="ACC-1001",
        ),
        Column(
            "name",
            "text",
            required=True,
            max_length=200,
            help=gettext_lazy("Company name."),
            example="Công ty TNHH Minh Phát",
        ),
        *owner_lookup_columns(),
        Column("industry", "text", max_length=100, example="Retail"),
        Column(
            "employees", "int", minimum=0, help=gettext_lazy("Number of employees."), example="120"
        ),
        Column("region", "text", max_length=100, example="North"),
        Column(
            "country", "text", max_length=100, help=gettext_lazy("ISO code or name."), example="VN"
        ),
        Column("website", "text", max_length=200, example="minhphat.vn"),
        Column(
            "created_date",
            "date",
            help=gettext_lazy("When the account was created (default: today)."),
            example="2025-11-03",
        ),
    )
    fields = (
        "name",
        "owner_id",
        "industry",
        "employees",
        "region",
        "country",
        "website",
        "created_date",
    )
    defaults = {"industry": "", "region": "", "country": "", "website": ""}

    def defaults_for(self, ctx: ImportContext) -> dict[str, Any]:
        return {**self.defaults, "created_date": ctx.now.date()}

    def given(self, ctx: ImportContext, row: Row) -> dict[str, Any]:
        v, ix = row.values, self.index
        return {
            "name": v[ix["name"]],
            "owner_id": row.extra.get("owner_id"),
            "industry": v[ix["industry"]],
            "employees": v[ix["employees"]],
            "region": v[ix["region"]],
            "country": v[ix["country"]],
            "website": v[ix["website"]],
            "created_date": v[ix["created_date"]],
        }

    def export_rows(self, actor: Actor):
        from saleshelm.crm.selectors.records import account_qs

        qs = (
            account_qs(actor=actor)
            .order_by("external_id")
            .values_list(
                "external_id",
                "name",
                "owner__user__email",
                "industry",
                "employees",
                "region",
                "country",
                "website",
                "created_date",
            )
        )
        for row in qs.iterator(chunk_size=2000):
            yield list(row)


register(AccountsKind())

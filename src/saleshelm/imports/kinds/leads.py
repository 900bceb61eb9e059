"""leads: people or companies not yet qualified, by external id (SPEC §4)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from saleshelm.crm.models import LeadStatus
from saleshelm.imports.columns import Column
from saleshelm.imports.kinds._records import RecordKind, owner_lookup_columns
from saleshelm.imports.kinds.base import ImportContext, Row, register
from saleshelm.tenancy.actors import Actor


class LeadsKind(RecordKind):
    name = "leads"
    label = gettext_lazy("Leads")
    description = gettext_lazy("Prospects not yet qualified into an account and a deal.")
    model_label = "crm.Lead"
    columns = (
        Column(
            "external_id",
            "text",
            required=True,
            max_length=100,
            example="LEAD-301",
            help=gettext_lazy("Your id for the lead; identifies the row."),
        ),
        Column("name", "text", required=True, max_length=200, example="Hoàng Minh Tuấn"),
        Column("company", "text", max_length=200, example="Tuấn Phát Trading"),
        Column("email", "email", example="tuan@tuanphat.vn"),
        Column("phone", "phone", max_length=50, example="+84 91 555 0101"),
        Column("source", "text", max_length=100, example="Trade show"),
        Column(
            "status",
            "choice",
            choices=tuple(LeadStatus.values),
            help=gettext_lazy(
                "new (default), contacted, qualified or disqualified; converted only for "
                "a lead already converted in SalesHelm."
            ),
            example="new",
        ),
        *owner_lookup_columns(),
    )
    fields = ("name", "company", "email", "phone", "source", "status", "owner_id")
    defaults = {"company": "", "email": "", "phone": "", "source": "", "status": LeadStatus.NEW}

    def given(self, ctx: ImportContext, row: Row) -> dict[str, Any]:
        v, ix = row.values, self.index
        return {
            "name": v[ix["name"]],
            "company": v[ix["company"]],
            "email": v[ix["email"]],
            "phone": v[ix["phone"]],
            "source": v[ix["source"]],
            "status": v[ix["status"]],
            "owner_id": row.extra.get("owner_id"),
        }

    def validate(self, ctx: ImportContext, row: Row, new: dict, old: dict | None) -> None:
        from django.utils.translation import gettext as _

        converted = old is not None and old["status"] == LeadStatus.CONVERTED
        if converted and new["status"] != LeadStatus.CONVERTED:
            ctx.error(
                row,
                "status",
                new["status"],
                _("this lead was converted; its status stays converted"),
            )
        elif not converted and new["status"] == LeadStatus.CONVERTED:
            ctx.error(
                row,
                "status",
                new["status"],
                _("a lead is converted in SalesHelm (that creates its account, contact and deal)"),
            )

    def export_rows(self, actor: Actor):
        from saleshelm.crm.selectors.records import lead_qs

        qs = (
            lead_qs(actor=actor)
            .order_by("external_id")
            .values_list(
                "external_id",
                "name",
                "company",
                "email",
                "phone",
                "source",
                "status",
                "owner__user__email",
            )
        )
        for row in qs.iterator(chunk_size=2000):
            yield list(row)


register(LeadsKind())

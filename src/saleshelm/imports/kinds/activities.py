"""activities: calls, meetings, emails, demos and tasks, by external id (SPEC §4)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleshelm.crm.models import ActivityType
from saleshelm.imports.columns import Column
from saleshelm.imports.kinds._records import RecordKind, Ref, owner_lookup_columns
from saleshelm.imports.kinds.base import ImportContext, Row, register
from saleshelm.tenancy.actors import Actor


class ActivitiesKind(RecordKind):
    name = "activities"
    label = gettext_lazy("Activities")
    description = gettext_lazy("Calls, meetings, emails, demos and tasks: the selling behaviours.")
    model_label = "crm.Activity"
    columns = (
        Column(
            "external_id",
            "text",
            required=True,
            max_length=100,
            example="ACT-90001",
            help=gettext_lazy("Your id for the activity; identifies the row."),
        ),
        Column(
            "type",
            "choice",
            required=True,
            choices=tuple(ActivityType.values),
            help=gettext_lazy("call, meeting, email, demo or task."),
            example="call",
        ),
        Column(
            "date",
            "datetime",
            required=True,
            help=gettext_lazy(
                "When it happened: YYYY-MM-DD or YYYY-MM-DD HH:MM, in the organisation's time zone."
            ),
            example="2026-07-15 09:30",
        ),
        *owner_lookup_columns(),
        Column("account_external_id", "text", max_length=100, example="ACC-1001"),
        Column("contact_external_id", "text", max_length=100, example="CON-2001"),
        Column("opportunity_external_id", "text", max_length=100, example="OPP-5001"),
        Column("subject", "text", max_length=200, example="Discovery call"),
        Column("outcome", "text", max_length=500, example="Interested; send a quote"),
        Column("duration_minutes", "int", minimum=0, maximum=24 * 60, example="30"),
        Column(
            "done",
            "bool",
            help=gettext_lazy("yes (default) or no for a planned activity."),
            example="yes",
        ),
    )
    required_one_of = (("owner_email", "owner_name"),)
    refs = (
        Ref("account_external_id", "crm.Account", "account_id", "account"),
        Ref("contact_external_id", "crm.Contact", "contact_id", "contact", carry=("account_id",)),
        Ref(
            "opportunity_external_id",
            "crm.Opportunity",
            "opportunity_id",
            "opportunity",
            carry=("account_id",),
        ),
    )
    fields = (
        "type",
        "occurred_at",
        "owner_id",
        "account_id",
        "contact_id",
        "opportunity_id",
        "subject",
        "outcome",
        "duration_minutes",
        "done",
    )
    defaults = {"subject": "", "outcome": "", "done": True}
    datetime_fields = ("occurred_at",)

    def given(self, ctx: ImportContext, row: Row) -> dict[str, Any]:
        v, ix, extra = row.values, self.index, row.extra
        when = v[ix["date"]]
        if when is not None:
            tz = ctx.state.get("tz")
            if tz is None:
                tz = ctx.state["tz"] = zoneinfo.ZoneInfo(ctx.organisation.time_zone)
            when = when.replace(tzinfo=tz).astimezone(dt.UTC)
        account_id = extra.get("account_id")
        if account_id is None:
            # An activity on a deal or a contact also counts for its account.
            account_id = extra.get("opportunity_id.account_id") or extra.get(
                "contact_id.account_id"
            )
        return {
            "type": v[ix["type"]],
            "occurred_at": when,
            "owner_id": extra.get("owner_id"),
            "account_id": account_id,
            "contact_id": extra.get("contact_id"),
            "opportunity_id": extra.get("opportunity_id"),
            "subject": v[ix["subject"]],
            "outcome": v[ix["outcome"]],
            "duration_minutes": v[ix["duration_minutes"]],
            "done": v[ix["done"]],
        }

    def validate(self, ctx: ImportContext, row: Row, new: dict, old: dict | None) -> None:
        if new["owner_id"] is None:
            ctx.error(row, "owner_email", "", _("required"))

    def export_rows(self, actor: Actor):
        from saleshelm.crm.selectors.activities import activity_qs

        tz = zoneinfo.ZoneInfo(actor.organisation.time_zone)
        qs = (
            activity_qs(actor=actor)
            .order_by("external_id")
            .values_list(
                "external_id",
                "type",
                "occurred_at",
                "owner__user__email",
                "account__external_id",
                "contact__external_id",
                "opportunity__external_id",
                "subject",
                "outcome",
                "duration_minutes",
                "done",
            )
        )
        for found in qs.iterator(chunk_size=2000):
            row: list = list(found)
            local = row[2].astimezone(tz).replace(tzinfo=None)
            row[2] = local.date() if local.time() == dt.time(0) else local
            yield row


register(ActivitiesKind())

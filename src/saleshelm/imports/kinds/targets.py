"""targets: a number per metric, period and assignee (SPEC §4, §6).

One row per target: ``metric``, ``period`` (``2026-07``, ``2026-Q3`` or ``2026`` in the
organisation's fiscal calendar), ``value``, and who it is for — ``member_email``, or
``team``, or ``territory`` (by name), optionally narrowed to a ``product_category``; a row
naming only a product category sets that category's own target. ``distribution`` is
``even`` (default) or ``pattern`` with ``weights`` per month (``20;30;50`` or
``0.2;0.3;0.5``, summing to exactly 100% / 1).

A row is keyed by metric, period, assignee and category: importing the same file twice
changes nothing; a row with another value updates the target. Who may set what follows
``saleshelm.performance.permissions`` (managers: the members and sub-teams of the teams they
manage). Every created or changed target writes its audit row, as the target services do.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from saleshelm.core.errors import ApplicationError
from saleshelm.imports.columns import Column
from saleshelm.imports.kinds.base import ImportContext, Kind, Row, register
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.roles import Role

TARGET_IMPORTERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})
VALUE_LIMIT = Decimal(10) ** 15


def _weights_text(weights: list) -> str:
    return ";".join(str(w) for w in weights or [])


class TargetsKind(Kind):
    name = "targets"
    label = _l("Targets")
    description = _l("Targets per metric, period and member, team, territory or product category.")
    key = ("metric", "period", "member_email", "team", "territory", "product_category")
    import_roles = TARGET_IMPORTERS
    batch_size = 100_000  # a targets file is small: checked and written together
    columns = (
        Column(
            "metric",
            "text",
            required=True,
            max_length=64,
            help=_l("revenue, gross_margin, units, won_deals, calls… (the metric catalogue)."),
            example="revenue",
        ),
        Column(
            "period",
            "text",
            required=True,
            max_length=16,
            help=_l("A month 2026-07, a quarter 2026-Q3 or a year 2026 (fiscal calendar)."),
            example="2026-Q3",
        ),
        Column(
            "value",
            "decimal",
            required=True,
            minimum=Decimal(0),
            help=_l("The number to reach, in the reporting currency for money metrics."),
            example="90000",
        ),
        Column(
            "member_email",
            "email",
            help=_l("The member the target is for (or give team, or territory)."),
            example="an.nguyen@example.com",
        ),
        Column("team", "text", max_length=120, help=_l("Team name."), example="Hanoi SMB"),
        Column("territory", "text", max_length=120, help=_l("Territory name."), example="Hanoi"),
        Column(
            "product_category",
            "text",
            max_length=120,
            help=_l("Narrows the target to a product category; alone, the category's own target."),
            example="Scanners",
        ),
        Column(
            "distribution",
            "choice",
            choices=("even", "pattern"),
            help=_l("even (default) or pattern: how the target spreads over its months."),
            example="pattern",
        ),
        Column(
            "weights",
            "text",
            max_length=200,
            help=_l("For a pattern: one weight per month, e.g. 20;30;50 (summing to 100)."),
            example="20;30;50",
        ),
    )

    def begin(self, ctx: ImportContext) -> None:
        from saleshelm.crm.models import ProductCategory
        from saleshelm.people.models import Team, Territory
        from saleshelm.performance.models import Target

        org_id = ctx.organisation_id
        ctx.state["teams"] = {
            t.name.casefold(): t for t in Team.objects.filter(organisation_id=org_id)
        }
        ctx.state["territories"] = {
            t.name.casefold(): t for t in Territory.objects.filter(organisation_id=org_id)
        }
        ctx.state["categories"] = {
            c.name.casefold(): c for c in ProductCategory.objects.filter(organisation_id=org_id)
        }
        ctx.state["existing"] = {
            (t.metric, t.period_key, t.assignee_key): t
            for t in Target.objects.filter(organisation_id=org_id)
        }
        ctx.state["seen"] = {}
        ctx.state["plans"] = []

    def check(self, ctx: ImportContext, rows: list[Row]) -> None:
        from saleshelm.core.periods import parse_period
        from saleshelm.performance.distribution import normalise_weights
        from saleshelm.performance.metrics import get_metric
        from saleshelm.performance.models import assignee_key
        from saleshelm.performance.permissions import may_set_target

        ix = self.index
        fiscal = ctx.organisation.fiscal_year_start_month
        teams, territories = ctx.state["teams"], ctx.state["territories"]
        categories = ctx.state["categories"]
        for row in rows:
            v = row.values
            if row.bad:
                continue
            try:
                metric = get_metric(v[ix["metric"]])
            except ApplicationError:
                ctx.error(row, "metric", v[ix["metric"]], _("not a metric of the catalogue"))
                continue
            try:
                period = parse_period(v[ix["period"]], fiscal_start_month=fiscal)
            except ApplicationError:
                ctx.error(
                    row,
                    "period",
                    v[ix["period"]],
                    _("not a period: write 2026-07, 2026-Q3 or 2026"),
                )
                continue
            value = v[ix["value"]]
            if value >= VALUE_LIMIT:
                ctx.error(row, "value", value, _("too large"))
                continue
            given = [c for c in ("member_email", "team", "territory") if v[ix[c]] is not None]
            if len(given) > 1:
                ctx.error(
                    row, given[1], v[ix[given[1]]], _("give one of member_email, team or territory")
                )
                continue
            member_id = team = territory = category = None
            if v[ix["product_category"]] is not None:
                category = categories.get(v[ix["product_category"]].casefold())
                if category is None:
                    ctx.error(
                        row,
                        "product_category",
                        v[ix["product_category"]],
                        _("no product category with this name"),
                    )
                    continue
                if not metric.supports_category:
                    ctx.error(
                        row,
                        "product_category",
                        v[ix["product_category"]],
                        _("this metric cannot be narrowed to a product category"),
                    )
                    continue
            if not given and category is None:
                ctx.error(
                    row,
                    "member_email",
                    "",
                    _("required (or give team, territory or product_category)"),
                )
                continue
            kind = "product_category"
            if v[ix["member_email"]] is not None:
                kind = "member"
                member_id, problem = ctx.members.by_email_or_error(v[ix["member_email"]])
                if problem:
                    ctx.error(row, "member_email", v[ix["member_email"]], problem)
                    continue
            elif v[ix["team"]] is not None:
                kind = "team"
                team = teams.get(v[ix["team"]].casefold())
                if team is None:
                    ctx.error(row, "team", v[ix["team"]], _("no team with this name"))
                    continue
            elif v[ix["territory"]] is not None:
                kind = "territory"
                territory = territories.get(v[ix["territory"]].casefold())
                if territory is None:
                    ctx.error(
                        row, "territory", v[ix["territory"]], _("no territory with this name")
                    )
                    continue
            if not may_set_target(
                actor=ctx.actor, assignee_type=kind, member_id=member_id, team=team
            ):
                column = {"member": "member_email", "product_category": "product_category"}.get(
                    kind, kind
                )
                ctx.error(
                    row,
                    column,
                    v[ix[column]],
                    _("you cannot set targets for this assignee"),
                )
                continue
            distribution = v[ix["distribution"]] or "even"
            weights: list[str] = []
            raw_weights = v[ix["weights"]]
            if distribution == "pattern" or raw_weights is not None:
                if distribution != "pattern":
                    ctx.error(row, "weights", raw_weights, _("weights need distribution pattern"))
                    continue
                parts = [p.strip().rstrip("%") for p in (raw_weights or "").split(";") if p.strip()]
                try:
                    weights = [str(w) for w in normalise_weights(parts, len(period.months))]
                except ApplicationError as exc:
                    ctx.error(row, "weights", raw_weights or "", exc.message)
                    continue
            key = assignee_key(
                member_id=member_id,
                team_id=getattr(team, "pk", None),
                territory_id=getattr(territory, "pk", None),
                category_id=getattr(category, "pk", None),
            )
            ident = (metric.key, period.key, key)
            seen = ctx.state["seen"]
            if ident in seen:
                ctx.error(
                    row,
                    "metric",
                    metric.key,
                    _("duplicate of row %(n)s") % {"n": seen[ident]},
                )
                continue
            seen[ident] = row.number
            ctx.state["plans"].append(
                {
                    "ident": ident,
                    "metric": metric.key,
                    "period": period,
                    "kind": kind,
                    "member_id": member_id,
                    "team_id": getattr(team, "pk", None),
                    "territory_id": getattr(territory, "pk", None),
                    "category_id": getattr(category, "pk", None),
                    "assignee_key": key,
                    "value": value,
                    "distribution": distribution,
                    "weights": weights,
                }
            )

    def write(self, ctx: ImportContext, rows: list[Row]) -> None:
        """Written in ``finish``, once the whole file is known to be good."""

    def finish(self, ctx: ImportContext) -> None:
        from saleshelm.performance.models import Target
        from saleshelm.performance.services.targets import snapshot
        from saleshelm.tenancy.models import AuditEntry

        plans: list[dict[str, Any]] = ctx.state["plans"]
        existing: dict = ctx.state["existing"]
        creating: list[Target] = []
        updating: list[tuple[Target, dict]] = []
        for p in plans:
            current = existing.get(p["ident"])
            if current is None:
                ctx.created += 1
                creating.append(
                    Target(
                        organisation_id=ctx.organisation_id,
                        metric=p["metric"],
                        period_key=p["period"].key,
                        period_kind=p["period"].kind,
                        start=p["period"].start,
                        end=p["period"].end,
                        assignee_type=p["kind"],
                        member_id=p["member_id"],
                        team_id=p["team_id"],
                        territory_id=p["territory_id"],
                        product_category_id=p["category_id"],
                        assignee_key=p["assignee_key"],
                        value=p["value"],
                        distribution=p["distribution"],
                        weights=p["weights"],
                        created_by=None if isinstance(ctx.actor, SystemActor) else ctx.actor,
                    )
                )
                continue
            same = (
                current.value == p["value"]
                and current.distribution == p["distribution"]
                and list(current.weights or []) == p["weights"]
            )
            if same:
                ctx.unchanged += 1
                continue
            ctx.updated += 1
            before = snapshot(current)
            current.value = p["value"]
            current.distribution = p["distribution"]
            current.weights = p["weights"]
            current.version += 1
            updating.append((current, before))
        if ctx.dry_run:
            return
        now = timezone.now()
        created = Target.objects.bulk_create(creating, batch_size=2000)
        for t, _before in updating:
            t.updated_at = now
        Target.objects.bulk_update(
            [t for t, _b in updating],
            ["value", "distribution", "weights", "version", "updated_at"],
            batch_size=2000,
        )
        actor = ctx.actor
        actor_fk = None if isinstance(actor, SystemActor) else actor
        audit = [
            AuditEntry(
                organisation_id=ctx.organisation_id,
                actor=actor_fk,
                actor_label=actor.email,
                action="target.create",
                object_type="target",
                object_id=str(t.pk),
                after=snapshot(t),
                reason="import",
            )
            for t in created
        ] + [
            AuditEntry(
                organisation_id=ctx.organisation_id,
                actor=actor_fk,
                actor_label=actor.email,
                action="target.update",
                object_type="target",
                object_id=str(t.pk),
                before=before,
                after=snapshot(t),
                reason="import",
            )
            for t, before in updating
        ]
        AuditEntry.objects.bulk_create(audit, batch_size=2000)

    # --- export ---
    def export_rows(self, actor: Actor):
        from saleshelm.performance.selectors.targets import target_list

        for t in target_list(actor=actor).order_by("start", "metric", "assignee_key"):
            yield [
                t.metric,
                t.period_key,
                t.value,
                t.member.user.email if t.member is not None else None,
                t.team.name if t.team is not None else None,
                t.territory.name if t.territory is not None else None,
                t.product_category.name if t.product_category is not None else None,
                t.distribution,
                _weights_text(t.weights) or None,
            ]


register(TargetsKind())

"""opportunities: deals in a pipeline stage, by external id (SPEC §4).

Stages are named as in the organisation's pipeline (``pipeline`` column, else the default
pipeline). A native file must use existing stage names; into an organisation with no
pipeline yet, the default pipeline is created first (crm's ``pipeline_ensure_default``).
A HubSpot or Salesforce file brings its tool's pipeline: created if absent with the tool's
default stages and probabilities, and a stage the pipeline lacks is added (admins and
directors; a manager's file must use stages that exist).

Derived values follow the crm services: the reporting-currency amount at the close date's
rate, the forecast category from the stage when not given (``closed`` exactly for won and
lost stages), a stage history row for each new deal and each stage move, ``version`` bumped
on every change. A deal imported in a won or lost stage is closed on its close date.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saleshelm.core.errors import ApplicationError
from saleshelm.crm.models import ForecastCategory, StageKind
from saleshelm.imports.columns import Column
from saleshelm.imports.kinds._records import CREATED, UPDATED, RecordKind, Ref, owner_lookup_columns
from saleshelm.imports.kinds.base import ImportContext, Row, register
from saleshelm.imports.writing import BulkWriter, adapt_datetime
from saleshelm.tenancy.actors import Actor


@dataclass(frozen=True)
class StageSpec:
    name: str
    probability: Decimal
    kind: str = StageKind.OPEN


@dataclass(frozen=True)
class StageCatalog:
    """A tool's pipeline (from a preset): its name and default stages."""

    tool: str
    pipeline: str
    stages: tuple[StageSpec, ...]
    aliases: dict[str, str] = field(default_factory=dict)  # other spellings -> stage name

    def spec(self, name: str) -> StageSpec | None:
        key = self.aliases.get(name.casefold(), name).casefold()
        for s in self.stages:
            if s.name.casefold() == key:
                return s
        return None


@dataclass(frozen=True)
class Pending:
    """A pipeline or stage the import will create before writing its deals."""

    pipeline: str  # casefolded pipeline name
    stage: str | None  # casefolded stage name (None: the pipeline itself)
    kind: str = StageKind.OPEN
    probability: Decimal = Decimal(0)
    forecast_category: str = ""  # a new stage has no default of its own


def _guess_kind(name: str) -> str:
    key = name.casefold()
    if "won" in key or "thắng" in key:
        return StageKind.WON
    if "lost" in key or "thua" in key:
        return StageKind.LOST
    return StageKind.OPEN


class OpportunitiesKind(RecordKind):
    name = "opportunities"
    label = gettext_lazy("Opportunities")
    description = gettext_lazy("Deals in your pipelines.")
    model_label = "crm.Opportunity"
    columns = (
        Column(
            "external_id",
            "text",
            required=True,
            max_length=100,
            example="OPP-5001",
            help=gettext_lazy("Your id for the deal; identifies the row."),
        ),
        Column("name", "text", required=True, max_length=200, example="Minh Phát – 40 scanners"),
        *owner_lookup_columns(),
        Column(
            "amount",
            "decimal",
            required=True,
            minimum=Decimal(0),
            example="12500.00",
            help=gettext_lazy("Deal value in its currency."),
        ),
        Column(
            "close_date",
            "date",
            required=True,
            example="2026-07-15",
            help=gettext_lazy("Expected (or actual) close date."),
        ),
        Column(
            "stage",
            "text",
            required=True,
            max_length=120,
            example="Proposal",
            help=gettext_lazy("A stage of the pipeline (names as in SalesHelm, case ignored)."),
        ),
        Column("account_external_id", "text", max_length=100, example="ACC-1001"),
        Column(
            "account_name",
            "text",
            max_length=200,
            example="Công ty TNHH Minh Phát",
            extra={"import_only": True},
            help=gettext_lazy(
                "Used when account_external_id is empty: the account with this name "
                "(case ignored), created if absent."
            ),
        ),
        Column(
            "currency",
            "currency",
            example="VND",
            help=gettext_lazy("ISO code; default: the organisation's reporting currency."),
        ),
        Column(
            "pipeline",
            "text",
            max_length=120,
            example="Sales pipeline",
            help=gettext_lazy("Pipeline name; default: the organisation's default pipeline."),
        ),
        Column(
            "probability",
            "fraction",
            example="0.4",
            help=gettext_lazy("Win probability, 0–1 or 40%; empty: the stage's default."),
        ),
        Column(
            "forecast_category",
            "choice",
            choices=tuple(ForecastCategory.values),
            example="best_case",
            help=gettext_lazy(
                "pipeline, best_case, commit or closed (closed only for won and lost "
                "stages); default: from the stage."
            ),
        ),
        Column(
            "created_date",
            "date",
            example="2026-03-02",
            help=gettext_lazy("When the deal was opened (default: today)."),
        ),
        Column("next_step", "text", max_length=255, example="Send revised quote"),
        Column("lost_reason", "text", max_length=255, example="Price"),
    )
    required_one_of = (("owner_email", "owner_name"),)
    refs = (Ref("account_external_id", "crm.Account", "account_id", "account"),)
    fields = (
        "name",
        "account_id",
        "owner_id",
        "pipeline_id",
        "stage_id",
        "amount",
        "currency",
        "amount_reporting",
        "close_date",
        "created_date",
        "probability",
        "forecast_category",
        "next_step",
        "lost_reason",
        "closed_at",
        "stage_entered_at",
        "version",
    )
    compared = (
        "name",
        "account_id",
        "owner_id",
        "pipeline_id",
        "stage_id",
        "amount",
        "currency",
        "amount_reporting",
        "close_date",
        "created_date",
        "probability",
        "forecast_category",
        "next_step",
        "lost_reason",
    )
    datetime_fields = ("closed_at", "stage_entered_at")
    defaults = {"next_step": "", "lost_reason": "", "version": 1}

    # --- the pipelines --------------------------------------------------------------------
    def _load_catalogue(self, ctx: ImportContext) -> None:
        from saleshelm.crm.models import Pipeline, Stage

        pipes: dict[str, dict] = {}
        by_id: dict[int, dict] = {}
        default = first = None
        for pk, name, is_default in (
            Pipeline.objects.filter(organisation_id=ctx.organisation_id)
            .order_by("pk")
            .values_list("pk", "name", "is_default")
        ):
            key = name.casefold()
            pipes[key] = by_id[pk] = {"id": pk, "name": name, "stages": {}}
            first = first or key
            if is_default:
                default = key
        for pipeline_id, pk, name, kind, probability, category in (
            Stage.objects.filter(organisation_id=ctx.organisation_id)
            .order_by("position", "pk")
            .values_list("pipeline_id", "pk", "name", "kind", "probability", "forecast_category")
        ):
            if pipeline_id in by_id:
                by_id[pipeline_id]["stages"][name.casefold()] = SimpleNamespace(
                    id=pk,
                    pipeline_id=pipeline_id,
                    name=name,
                    kind=kind,
                    probability=probability,
                    forecast_category=category,
                )
        ctx.state["pipes"] = pipes
        ctx.state["default_pipe"] = default or first

    def defaults_for(self, ctx: ImportContext) -> dict[str, Any]:
        return {
            **self.defaults,
            "currency": ctx.organisation.currency,
            "created_date": ctx.now.date(),
            "stage_entered_at": ctx.now,
        }

    def begin(self, ctx: ImportContext) -> None:
        super().begin(ctx)
        self._load_catalogue(ctx)
        ctx.state[
            "pending"
        ] = {}  # pipeline key -> {"name", "stages": {key: StageSpec}, "new": bool}
        ctx.state["names"] = {}  # account name key -> [ids]
        ctx.state["new_accounts"] = {}  # account name key -> {"name", "owner_id", "external_id"}
        from saleshelm.crm.permissions import can_write_catalogue

        ctx.state["may_shape"] = can_write_catalogue(actor=ctx.actor)
        ctx.state["tz"] = zoneinfo.ZoneInfo(ctx.organisation.time_zone)

    def _stage(self, ctx: ImportContext, row: Row) -> Any:
        """The stage of a row: an existing stage, a Pending one, or None (error reported)."""
        from saleshelm.crm.services.pipelines import DEFAULT_PIPELINE_NAME, DEFAULT_STAGES

        v, ix = row.values, self.index
        stage_name, pipeline_name = v[ix["stage"]], v[ix["pipeline"]]
        catalog: StageCatalog | None = ctx.options.get("stage_catalog")
        allow_new_stages = catalog is not None  # a preset brings its tool's stages
        pipes, pending = ctx.state["pipes"], ctx.state["pending"]
        creating_default = False
        if pipeline_name is None:
            if catalog is not None:
                pipeline_name = catalog.pipeline
            elif ctx.state["default_pipe"] is not None:
                pipeline_name = pipes[ctx.state["default_pipe"]]["name"]
            else:
                # A first deal into an organisation without a pipeline: the crm default one.
                pipeline_name = DEFAULT_PIPELINE_NAME
                catalog = StageCatalog(
                    "SalesHelm",
                    DEFAULT_PIPELINE_NAME,
                    tuple(StageSpec(n, p, k) for n, p, k in DEFAULT_STAGES),
                )
                creating_default = True
        pkey = pipeline_name.casefold()
        if catalog is not None:
            spec = catalog.spec(stage_name)
            if spec is not None:
                stage_name = spec.name
        skey = stage_name.casefold()
        pipe = pipes.get(pkey)
        if pipe is not None and skey in pipe["stages"]:
            return pipe["stages"][skey]
        if catalog is None:
            if pipe is None:
                ctx.error(
                    row,
                    "pipeline",
                    pipeline_name,
                    _("no pipeline named %(p)s") % {"p": pipeline_name},
                )
            else:
                names = ", ".join(s.name for s in list(pipe["stages"].values())[:12])
                ctx.error(
                    row,
                    "stage",
                    stage_name,
                    _("not a stage of %(p)s (one of: %(names)s)")
                    % {"p": pipe["name"], "names": names},
                )
            return None
        spec = catalog.spec(stage_name)
        if spec is None and not allow_new_stages:
            names = ", ".join(s.name for s in catalog.stages)
            ctx.error(
                row,
                "stage",
                stage_name,
                _("not a stage of %(p)s (one of: %(names)s)")
                % {"p": pipeline_name, "names": names},
            )
            return None
        if not ctx.state["may_shape"] and not creating_default:
            what = _("has no stage %(s)s") % {"s": stage_name} if pipe else _("does not exist")
            ctx.error(
                row,
                "stage",
                stage_name,
                _(
                    "pipeline %(p)s %(what)s; an admin or director must import this file once "
                    "to create it"
                )
                % {"p": pipeline_name, "what": what},
            )
            return None
        if spec is None:
            probability = v[ix["probability"]]
            spec = StageSpec(
                stage_name,
                probability if probability is not None else Decimal("0.1"),
                _guess_kind(stage_name),
            )
        entry = pending.setdefault(
            pkey, {"name": pipeline_name, "stages": {}, "new": pipe is None, "catalog": catalog}
        )
        entry["stages"].setdefault(skey, spec)
        return Pending(pkey, skey, spec.kind, spec.probability)

    def _account_names(self, ctx: ImportContext, rows: list[Row]) -> None:
        from saleshelm.crm.models import Account

        i_name, i_ext = self.index["account_name"], self.index["account_external_id"]
        names: dict[str, list[int]] = ctx.state["names"]
        wanted = {
            r.values[i_name].casefold()
            for r in rows
            if r.values[i_name] is not None and r.values[i_ext] is None
        } - names.keys()
        if wanted:
            for pk, lname in (
                Account.objects.filter(organisation_id=ctx.organisation_id)
                .annotate(lname=Lower("name"))
                .filter(lname__in=list(wanted))
                .values_list("pk", "lname")
            ):
                names.setdefault(lname.casefold(), []).append(pk)
            for key in wanted:
                names.setdefault(key, [])
        for row in rows:
            name = row.values[i_name]
            if name is None or row.values[i_ext] is not None:
                continue
            found = names[name.casefold()]
            if len(found) > 1:
                ctx.error(
                    row,
                    "account_name",
                    name,
                    _("%(n)s accounts have this name; give account_external_id")
                    % {"n": len(found)},
                )
            elif found:
                row.extra["account_id"] = found[0]
            else:
                new = ctx.state["new_accounts"].setdefault(
                    name.casefold(),
                    {
                        "name": name,
                        "owner_id": row.extra.get("owner_id"),
                        "external_id": None,
                    },
                )
                row.extra["account_id"] = ("new", name.casefold())
                new["rows"] = new.get("rows", 0) + 1

    def prepare(self, ctx: ImportContext, rows: list[Row]) -> None:
        self._account_names(ctx, rows)
        for row in rows:
            if not row.bad and row.values[self.index["stage"]] is not None:
                row.extra["stage"] = self._stage(ctx, row)

    def given(self, ctx: ImportContext, row: Row) -> dict[str, Any]:
        v, ix = row.values, self.index
        stage = row.extra.get("stage")
        pipeline_id = None
        stage_id = None
        if isinstance(stage, Pending):
            pipeline_id = ctx.state["pipes"].get(stage.pipeline, {}).get("id") or Pending(
                stage.pipeline, None
            )
            stage_id = stage
        elif stage is not None:
            stage_id = stage.id
            pipeline_id = stage.pipeline_id
        return {
            "name": v[ix["name"]],
            "account_id": row.extra.get("account_id"),
            "owner_id": row.extra.get("owner_id"),
            "pipeline_id": pipeline_id,
            "stage_id": stage_id,
            "amount": v[ix["amount"]],
            "currency": v[ix["currency"]],
            "close_date": v[ix["close_date"]],
            "created_date": v[ix["created_date"]],
            "probability": v[ix["probability"]],
            "forecast_category": v[ix["forecast_category"]],
            "next_step": v[ix["next_step"]],
            "lost_reason": v[ix["lost_reason"]],
        }

    def validate(self, ctx: ImportContext, row: Row, new: dict, old: dict | None) -> None:
        from saleshelm.crm.services.opportunities import default_forecast_category

        stage = row.extra.get("stage")
        if stage is None:
            return
        if new["owner_id"] is None:
            ctx.error(row, "owner_email", "", _("required"))
            return
        moved = old is None or old["stage_id"] != new["stage_id"]
        given_category = row.values[self.index["forecast_category"]]
        closed = stage.kind != StageKind.OPEN
        if given_category is not None:
            if closed != (given_category == ForecastCategory.CLOSED):
                ctx.error(
                    row,
                    "forecast_category",
                    given_category,
                    _("closed belongs to won and lost stages only"),
                )
                return
        elif moved:
            new["forecast_category"] = default_forecast_category(stage)
        try:
            new["amount_reporting"] = ctx.rates.convert(
                new["amount"], new["currency"], new["close_date"]
            )
        except ApplicationError as exc:
            ctx.error(row, "currency", new["currency"], exc.message)
            return
        if moved:
            new["stage_entered_at"] = ctx.now
        if not closed:
            new["closed_at"] = None
        elif moved or old is None or old.get("closed_at") is None:
            day = new["close_date"]
            new["closed_at"] = dt.datetime(
                day.year, day.month, day.day, tzinfo=ctx.state["tz"]
            ).astimezone(dt.UTC)

    def on_update(self, ctx: ImportContext, row: Row, new: dict, old: dict) -> None:
        new["version"] = (old.get("version") or 1) + 1

    def finish(self, ctx: ImportContext) -> None:
        new_accounts = ctx.state["new_accounts"]
        if new_accounts:
            names = sorted(a["name"] for a in new_accounts.values())
            shown = ", ".join(names[:10]) + (" …" if len(names) > 10 else "")
            ctx.warn(
                _("%(n)s accounts %(verb)s from account names: %(names)s")
                % {
                    "n": len(names),
                    "verb": _("would be created") if ctx.dry_run else _("created"),
                    "names": shown,
                }
            )
        for entry in ctx.state["pending"].values():
            stages = ", ".join(s.name for s in entry["stages"].values())
            if entry["new"]:
                ctx.warn(
                    _("Pipeline %(p)s %(verb)s")
                    % {
                        "p": entry["name"],
                        "verb": _("would be created") if ctx.dry_run else _("created"),
                    }
                )
            else:
                ctx.warn(
                    _("Stages %(s)s %(verb)s in %(p)s")
                    % {
                        "s": stages,
                        "p": entry["name"],
                        "verb": _("would be added") if ctx.dry_run else _("added"),
                    }
                )

    # --- writing ----------------------------------------------------------------------------
    def _materialise(self, ctx: ImportContext) -> None:
        """Create the pending pipelines and stages (through the crm services, audited)."""
        from saleshelm.crm.models import Pipeline
        from saleshelm.crm.services.pipelines import (
            DEFAULT_PIPELINE_NAME,
            pipeline_create,
            pipeline_ensure_default,
        )

        pending = ctx.state["pending"]
        if not pending:
            return
        for key, entry in list(pending.items()):
            catalog: StageCatalog = entry["catalog"]
            if entry["new"]:
                if key == DEFAULT_PIPELINE_NAME.casefold() and catalog.tool == "SalesHelm":
                    pipeline_ensure_default(actor=ctx.actor)
                    pipeline = Pipeline.objects.get(
                        organisation_id=ctx.organisation_id, name__iexact=entry["name"]
                    )
                    have = {n.casefold() for n in pipeline.stages.values_list("name", flat=True)}
                    missing = [s for k, s in entry["stages"].items() if k not in have]
                    if missing:
                        self._add_stages(ctx, pipeline, missing)
                else:
                    specs = list(catalog.stages)
                    known = {s.name.casefold() for s in specs}
                    extra = [s for k, s in entry["stages"].items() if k not in known]
                    specs = _insert_open(specs, extra)
                    pipeline_create(
                        actor=ctx.actor,
                        name=entry["name"],
                        stages=[
                            {"name": s.name, "probability": s.probability, "kind": s.kind}
                            for s in specs
                        ],
                    )
            else:
                pipeline = Pipeline.objects.get(pk=ctx.state["pipes"][key]["id"])
                self._add_stages(ctx, pipeline, list(entry["stages"].values()))
        pending.clear()
        self._load_catalogue(ctx)

    def _add_stages(self, ctx: ImportContext, pipeline, specs: list[StageSpec]) -> None:
        from saleshelm.crm.services.pipelines import pipeline_update

        current = [
            StageSpec(s.name, s.probability, s.kind)
            for s in pipeline.stages.order_by("position", "pk")
        ]
        ids = {s.name.casefold(): s.pk for s in pipeline.stages.all()}
        have = {s.name.casefold() for s in current}
        merged = _insert_open(current, [s for s in specs if s.name.casefold() not in have])
        pipeline_update(
            actor=ctx.actor,
            pipeline=pipeline,
            stages=[
                {
                    "id": ids.get(s.name.casefold()),
                    "name": s.name,
                    "probability": s.probability,
                    "kind": s.kind,
                }
                for s in merged
            ],
        )

    def _create_accounts(self, ctx: ImportContext) -> None:
        from saleshelm.crm.models import Account
        from saleshelm.crm.services.common import new_external_id

        todo = {k: a for k, a in ctx.state["new_accounts"].items() if a["external_id"] is None}
        if not todo:
            return
        now = adapt_datetime(ctx.now)
        writer = BulkWriter(
            Account,
            [
                "organisation_id",
                "external_id",
                "name",
                "owner_id",
                "industry",
                "region",
                "country",
                "website",
                "created_date",
                "created_at",
                "updated_at",
            ],
        )
        for a in todo.values():
            a["external_id"] = new_external_id("ACC")
        writer.write(
            [
                (
                    ctx.organisation_id,
                    a["external_id"],
                    a["name"],
                    a["owner_id"],
                    "",
                    "",
                    "",
                    "",
                    ctx.now.date(),
                    now,
                    now,
                )
                for a in todo.values()
            ]
        )
        ids = dict(
            Account.objects.filter(
                organisation_id=ctx.organisation_id,
                external_id__in=[a["external_id"] for a in todo.values()],
            ).values_list("external_id", "pk")
        )
        for key, a in todo.items():
            ctx.state["names"][key] = [ids[a["external_id"]]]

    def write(self, ctx: ImportContext, rows: list[Row]) -> None:
        self._materialise(ctx)
        self._create_accounts(ctx)
        pipes = ctx.state["pipes"]
        for row in rows:
            new = row.extra.get("new")
            if new is None:
                continue
            stage = new["stage_id"]
            if isinstance(stage, Pending):
                resolved = pipes[stage.pipeline]["stages"][stage.stage]
                new["stage_id"] = resolved.id
                new["pipeline_id"] = pipes[stage.pipeline]["id"]
                row.extra["stage"] = resolved
            account = new["account_id"]
            if isinstance(account, tuple):
                new["account_id"] = ctx.state["names"][account[1]][0]
        super().write(ctx, rows)

    def after_write(self, ctx: ImportContext, rows: list[Row]) -> None:
        """Stage history: one row per new deal, one per stage move."""
        from saleshelm.crm.models import StageChange

        created = [r for r in rows if r.extra.get("status") == CREATED]
        moved = [
            r
            for r in rows
            if r.extra.get("status") == UPDATED
            and r.extra["old"]["stage_id"] != r.extra["new"]["stage_id"]
        ]
        if not created and not moved:
            return
        ids = self.ids_of(ctx, [r.values[self.index["external_id"]] for r in created])
        actor_id = getattr(ctx.actor, "pk", None)
        now = adapt_datetime(ctx.now)
        history = [
            (
                ctx.organisation_id,
                ids[r.values[self.index["external_id"]]],
                None,
                r.extra["new"]["stage_id"],
                now,
                actor_id,
                now,
                now,
            )
            for r in created
        ] + [
            (
                ctx.organisation_id,
                r.extra["pk"],
                r.extra["old"]["stage_id"],
                r.extra["new"]["stage_id"],
                now,
                actor_id,
                now,
                now,
            )
            for r in moved
        ]
        BulkWriter(
            StageChange,
            [
                "organisation_id",
                "opportunity_id",
                "from_stage_id",
                "to_stage_id",
                "changed_at",
                "actor_id",
                "created_at",
                "updated_at",
            ],
        ).write(history)

    # --- export -------------------------------------------------------------------------
    def export_rows(self, actor: Actor):
        from saleshelm.crm.selectors.deals import opportunity_qs

        qs = (
            opportunity_qs(actor=actor)
            .order_by("external_id")
            .values_list(
                "external_id",
                "name",
                "owner__user__email",
                "amount",
                "close_date",
                "stage__name",
                "account__external_id",
                "currency",
                "pipeline__name",
                "probability",
                "forecast_category",
                "created_date",
                "next_step",
                "lost_reason",
            )
        )
        for row in qs.iterator(chunk_size=2000):
            yield list(row)


def _insert_open(stages: list[StageSpec], extra: list[StageSpec]) -> list[StageSpec]:
    """New open stages go before the first closed stage; new closed stages at the end."""
    out = list(stages)
    for s in extra:
        if s.kind == StageKind.OPEN:
            at = next((i for i, x in enumerate(out) if x.kind != StageKind.OPEN), len(out))
            out.insert(at, s)
        else:
            out.append(s)
    return out


register(OpportunitiesKind())

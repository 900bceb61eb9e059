"""Pipelines and their stages (configurable per organisation, SPEC §3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from saleshelm.core.errors import ApplicationError, Conflict
from saleshelm.crm.models import (
    ForecastCategory,
    Opportunity,
    Pipeline,
    Stage,
    StageChange,
    StageKind,
)
from saleshelm.crm.permissions import require_catalogue_writer, require_record_writer
from saleshelm.crm.services.common import check_fraction, require_text
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.services import audit_record

DEFAULT_PIPELINE_NAME = "Sales pipeline"
OPEN_FORECASTS = frozenset(
    {ForecastCategory.PIPELINE, ForecastCategory.BEST_CASE, ForecastCategory.COMMIT}
)
# name, default probability, kind — a B2B cycle most sales leaders recognise.
DEFAULT_STAGES: list[tuple[str, Decimal, str]] = [
    ("Qualification", Decimal("0.10"), StageKind.OPEN),
    ("Discovery", Decimal("0.25"), StageKind.OPEN),
    ("Proposal", Decimal("0.50"), StageKind.OPEN),
    ("Negotiation", Decimal("0.75"), StageKind.OPEN),
    ("Closed won", Decimal("1"), StageKind.WON),
    ("Closed lost", Decimal("0"), StageKind.LOST),
]


def _stage_specs(stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not stages:
        raise ApplicationError("a pipeline needs stages", field="stages", code="required")
    specs, names = [], set()
    for i, raw in enumerate(stages):
        name = require_text(raw.get("name"), "stages.name")
        if name.lower() in names:
            raise ApplicationError(
                f"stage {name!r} appears twice", field="stages", code="duplicate"
            )
        names.add(name.lower())
        probability = raw.get("probability")
        kind = raw.get("kind") or StageKind.OPEN
        if kind not in StageKind.values:
            raise ApplicationError(
                f"stage kind {kind!r} is not open, won or lost",
                field="stages.kind",
                code="invalid_choice",
            )
        if probability is None:
            probability = {StageKind.WON: Decimal(1), StageKind.LOST: Decimal(0)}.get(
                kind, Decimal(0)
            )
        check_fraction(probability, "stages.probability")
        forecast = raw.get("forecast_category") or ""
        if forecast and (kind != StageKind.OPEN or forecast not in OPEN_FORECASTS):
            raise ApplicationError(
                f"stage {name!r}: forecast category {forecast!r} is not pipeline, best_case or "
                "commit (won and lost stages are always closed)",
                field="stages.forecast_category",
                code="invalid_choice",
            )
        specs.append(
            {
                "id": raw.get("id"),
                "name": name,
                "probability": probability,
                "kind": kind,
                "forecast_category": forecast,
                "position": i,
            }
        )
    kinds = {s["kind"] for s in specs}
    if StageKind.OPEN not in kinds or StageKind.WON not in kinds or StageKind.LOST not in kinds:
        raise ApplicationError(
            "a pipeline needs at least one open, one won and one lost stage",
            field="stages",
            code="stages_incomplete",
        )
    return specs


def _set_default(actor: Actor, pipeline: Pipeline) -> None:
    Pipeline.objects.filter(organisation_id=actor.organisation_id, is_default=True).exclude(
        pk=pipeline.pk
    ).update(is_default=False)


@transaction.atomic
def pipeline_ensure_default(*, actor: Actor) -> Pipeline:
    """The organisation's default pipeline, created with sensible stages if it has none.

    Any record writer may trigger it (a first deal needs a pipeline); it never changes an
    existing pipeline."""
    existing = Pipeline.objects.filter(
        organisation_id=actor.organisation_id, is_default=True
    ).first()
    if existing is not None:
        return existing
    require_record_writer(actor)
    first = Pipeline.objects.filter(organisation_id=actor.organisation_id).order_by("pk").first()
    if first is not None:
        Pipeline.objects.filter(pk=first.pk).update(is_default=True)
        first.is_default = True
        return first
    try:
        with transaction.atomic():
            pipeline = Pipeline.objects.create(
                organisation_id=actor.organisation_id, name=DEFAULT_PIPELINE_NAME, is_default=True
            )
    except IntegrityError:
        # Someone else created it at the same moment.
        return Pipeline.objects.get(organisation_id=actor.organisation_id, is_default=True)
    Stage.objects.bulk_create(
        Stage(
            organisation_id=actor.organisation_id,
            pipeline=pipeline,
            name=name,
            position=i,
            probability=p,
            kind=kind,
        )
        for i, (name, p, kind) in enumerate(DEFAULT_STAGES)
    )
    audit_record(
        actor=actor,
        action="pipeline.create",
        obj=pipeline,
        after={"name": pipeline.name, "default": True},
    )
    return pipeline


@transaction.atomic
def pipeline_create(
    *, actor: Actor, name: str, stages: list[dict[str, Any]], is_default: bool = False
) -> Pipeline:
    require_catalogue_writer(actor)
    name = require_text(name, "name")
    specs = _stage_specs(stages)
    if Pipeline.objects.filter(organisation_id=actor.organisation_id, name__iexact=name).exists():
        raise Conflict(f"A pipeline named {name!r} already exists.", code="exists")
    if not Pipeline.objects.filter(organisation_id=actor.organisation_id).exists():
        is_default = True
    pipeline = Pipeline(organisation_id=actor.organisation_id, name=name, is_default=False)
    pipeline.save()
    if is_default:
        _set_default(actor, pipeline)
        pipeline.is_default = True
        pipeline.save(update_fields=["is_default", "updated_at"])
    Stage.objects.bulk_create(
        Stage(
            organisation_id=actor.organisation_id,
            pipeline=pipeline,
            name=s["name"],
            position=s["position"],
            probability=s["probability"],
            kind=s["kind"],
            forecast_category=s["forecast_category"],
        )
        for s in specs
    )
    audit_record(
        actor=actor,
        action="pipeline.create",
        obj=pipeline,
        after={"name": name, "stages": [s["name"] for s in specs]},
    )
    return pipeline


@transaction.atomic
def pipeline_update(
    *,
    actor: Actor,
    pipeline: Pipeline,
    name: str | None = None,
    is_default: bool | None = None,
    stages: list[dict[str, Any]] | None = None,
) -> Pipeline:
    """Rename, make default, or reshape the stages: stages with an ``id`` are updated, new ones
    created, missing ones deleted unless a deal is or was in them (``stage_in_use``)."""
    require_catalogue_writer(actor)
    pipeline = Pipeline.objects.select_for_update().get(pk=pipeline.pk)
    before = {
        "name": pipeline.name,
        "is_default": pipeline.is_default,
        "stages": list(pipeline.stages.values_list("name", flat=True)),
    }
    if name is not None:
        name = require_text(name, "name")
        if (
            Pipeline.objects.filter(organisation_id=actor.organisation_id, name__iexact=name)
            .exclude(pk=pipeline.pk)
            .exists()
        ):
            raise Conflict(f"A pipeline named {name!r} already exists.", code="exists")
        pipeline.name = name
    if is_default is True and not pipeline.is_default:
        _set_default(actor, pipeline)
        pipeline.is_default = True
    elif is_default is False and pipeline.is_default:
        raise ApplicationError(
            "Make another pipeline the default instead.",
            field="is_default",
            code="default_required",
        )
    pipeline.save()
    if stages is not None:
        specs = _stage_specs(stages)
        current = {s.pk: s for s in pipeline.stages.all()}
        kept = set()
        # Park the positions and names first so that reordering never trips the unique name.
        for s in current.values():
            s.name = f"__{s.pk}"
            s.save(update_fields=["name"])
        for spec in specs:
            if spec["id"] is not None:
                stage = current.get(spec["id"])
                if stage is None:
                    raise ApplicationError(
                        f"stage {spec['id']} is not in this pipeline",
                        field="stages.id",
                        code="not_found",
                    )
                kept.add(stage.pk)
            else:
                stage = Stage(organisation_id=actor.organisation_id, pipeline=pipeline)
            stage.name = spec["name"]
            stage.position = spec["position"]
            stage.probability = spec["probability"]
            stage.kind = spec["kind"]
            stage.forecast_category = spec["forecast_category"]
            stage.save()
        for pk in set(current) - kept:
            in_use = (
                Opportunity.objects.filter(stage_id=pk).exists()
                or StageChange.objects.filter(to_stage_id=pk).exists()
                or StageChange.objects.filter(from_stage_id=pk).exists()
            )
            if in_use:
                raise ApplicationError(
                    "A stage that holds or held deals cannot be removed; rename it instead.",
                    field="stages",
                    code="stage_in_use",
                )
            Stage.objects.filter(pk=pk).delete()
    after = {
        "name": pipeline.name,
        "is_default": pipeline.is_default,
        "stages": list(pipeline.stages.values_list("name", flat=True)),
    }
    if after != before:
        audit_record(
            actor=actor, action="pipeline.update", obj=pipeline, before=before, after=after
        )
    return pipeline

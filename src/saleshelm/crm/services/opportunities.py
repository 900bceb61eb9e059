"""Opportunities: create, update, move between stages, credit splits (SPEC §3).

Every write bumps ``version``; a write that carries the version it read and finds another
one answers 409 ``version_conflict`` instead of silently overwriting someone's change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict
from saleshelm.crm.models import (
    Account,
    ForecastCategory,
    Opportunity,
    OpportunitySplit,
    Pipeline,
    Stage,
    StageChange,
    StageKind,
)
from saleshelm.crm.services.common import (
    FOUR_PLACES,
    apply_changes,
    check_fraction,
    check_money,
    check_owner_change,
    check_shares,
    clean_currency,
    clean_text,
    new_external_id,
    require_edit,
    require_text,
    require_writer,
    resolve_owner,
    same_org,
    save_validated,
    snapshot,
)
from saleshelm.crm.services.pipelines import pipeline_ensure_default
from saleshelm.crm.services.rates import to_reporting
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership, Organisation
from saleshelm.tenancy.services import audit_record

AUDITED = ("owner", "amount", "currency", "amount_reporting", "close_date", "forecast_category")


def default_forecast_category(stage: Stage) -> str:
    """The category a deal takes when it enters a stage (Salesforce-like): closed once won or
    lost; otherwise the stage's own default, or else by the stage's probability."""
    if stage.kind != StageKind.OPEN:
        return ForecastCategory.CLOSED
    if stage.forecast_category:
        return stage.forecast_category
    if stage.probability >= Decimal("0.7"):
        return ForecastCategory.COMMIT
    if stage.probability >= Decimal("0.4"):
        return ForecastCategory.BEST_CASE
    return ForecastCategory.PIPELINE


def _check_forecast(category: str, stage: Stage) -> None:
    if category not in ForecastCategory.values:
        raise ApplicationError(
            f"forecast_category must be one of {', '.join(ForecastCategory.values)}",
            field="forecast_category",
            code="invalid_choice",
        )
    closed = stage.kind != StageKind.OPEN
    if closed != (category == ForecastCategory.CLOSED):
        raise ApplicationError(
            "forecast category 'closed' belongs to won and lost deals only",
            field="forecast_category",
            code="invalid_choice",
        )


def _check_version(opportunity: Opportunity, version: int | None) -> None:
    if version is not None and version != opportunity.version:
        exc = Conflict(
            "This deal was changed by someone else since you opened it; reload and try again.",
            code="version_conflict",
        )
        exc.extra = {"version": opportunity.version}
        raise exc


def _lock(opportunity: Opportunity) -> Opportunity:
    return (
        Opportunity.objects.select_for_update(of=("self",))
        .select_related("stage", "pipeline")
        .get(pk=opportunity.pk)
    )


def _organisation(actor: Actor) -> Organisation:
    return Organisation.objects.get(pk=actor.organisation_id)


@transaction.atomic
def opportunity_create(
    *,
    actor: Actor,
    name: str,
    close_date: dt.date,
    amount: Decimal = Decimal(0),
    currency: str | None = None,
    account: Account | None = None,
    owner: Membership | None = None,
    pipeline: Pipeline | None = None,
    stage: Stage | None = None,
    probability: Decimal | None = None,
    forecast_category: str | None = None,
    next_step: str = "",
    next_step_date: dt.date | None = None,
    lost_reason: str = "",
    created_date: dt.date | None = None,
    external_id: str | None = None,
    splits: list[tuple[Membership, Decimal]] | None = None,
) -> Opportunity:
    require_writer(actor)
    owner = resolve_owner(actor, owner, required=True)
    same_org(actor, account, "account")
    same_org(actor, pipeline, "pipeline")
    same_org(actor, stage, "stage")
    org = _organisation(actor)
    if pipeline is None:
        pipeline = stage.pipeline if stage is not None else pipeline_ensure_default(actor=actor)
    if stage is None:
        stage = pipeline.stages.filter(kind=StageKind.OPEN).order_by("position").first()
        if stage is None:
            raise ApplicationError("this pipeline has no open stage", field="stage")
    elif stage.pipeline_id != pipeline.pk:
        raise ApplicationError("the stage is not in this pipeline", field="stage", code="not_found")
    check_money(amount, "amount")
    check_fraction(probability, "probability")
    currency = clean_currency(currency, default=org.currency)
    category = forecast_category or default_forecast_category(stage)
    _check_forecast(category, stage)
    now = timezone.now()
    opp = Opportunity(
        organisation_id=actor.organisation_id,
        external_id=clean_text(external_id) or new_external_id("OPP"),
        name=require_text(name, "name"),
        account=account,
        owner=owner,
        pipeline=pipeline,
        stage=stage,
        amount=amount,
        currency=currency,
        amount_reporting=to_reporting(
            organisation=org, amount=amount, currency=currency, on_date=close_date
        ),
        close_date=close_date,
        created_date=created_date or timezone.localdate(),
        probability=probability,
        forecast_category=category,
        next_step=clean_text(next_step),
        next_step_date=next_step_date,
        lost_reason=clean_text(lost_reason),
        closed_at=now if stage.kind != StageKind.OPEN else None,
        stage_entered_at=now,
        version=1,
    )
    save_validated(
        opp, exclude=["organisation", "owner", "pipeline", "stage", "account"], what="opportunity"
    )
    StageChange.objects.create(
        organisation_id=actor.organisation_id,
        opportunity=opp,
        from_stage=None,
        to_stage=stage,
        changed_at=now,
        actor=None if actor.pk is None else actor,
    )
    audit_record(
        actor=actor, action="opportunity.create", obj=opp, after=snapshot(opp, (*AUDITED, "stage"))
    )
    if splits:
        opportunity_set_splits(actor=actor, opportunity=opp, splits=splits)
        opp.refresh_from_db()
    return opp


@transaction.atomic
def opportunity_update(
    *, actor: Actor, opportunity: Opportunity, version: int | None = None, **changes
) -> Opportunity:
    """Change fields of a deal (not its stage: see ``opportunity_move_stage``)."""
    allowed = {
        "name",
        "account",
        "owner",
        "amount",
        "currency",
        "close_date",
        "probability",
        "forecast_category",
        "next_step",
        "next_step_date",
        "lost_reason",
        "external_id",
        "created_date",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(
            f"cannot change {', '.join(sorted(unknown))}",
            code="read_only",
            field=sorted(unknown)[0],
        )
    require_edit(actor, opportunity)
    opp = _lock(opportunity)
    require_edit(actor, opp)
    _check_version(opp, version)
    if "owner" in changes:
        check_owner_change(actor, opp, changes["owner"], required=True)
    if "account" in changes:
        same_org(actor, changes["account"], "account")
    if "amount" in changes:
        if changes["amount"] is None:
            raise ApplicationError("amount is required", field="amount", code="required")
        check_money(changes["amount"], "amount")
    if "probability" in changes:
        check_fraction(changes["probability"], "probability")
    if "close_date" in changes and changes["close_date"] is None:
        raise ApplicationError("close_date is required", field="close_date", code="required")
    for text in ("next_step", "lost_reason"):
        if text in changes:
            changes[text] = clean_text(changes[text])
    if "name" in changes:
        changes["name"] = require_text(changes["name"], "name")
    if "external_id" in changes:
        changes["external_id"] = require_text(changes["external_id"], "external_id")
    if "created_date" in changes and changes["created_date"] is None:
        changes.pop("created_date")
    org = _organisation(actor)
    if "currency" in changes:
        changes["currency"] = clean_currency(changes["currency"], default=opp.currency)
    if "forecast_category" in changes:
        _check_forecast(changes["forecast_category"], opp.stage)
    before = snapshot(opp, AUDITED)
    changed = apply_changes(opp, changes)
    if {"amount", "currency", "close_date"} & set(changed):
        opp.amount_reporting = to_reporting(
            organisation=org, amount=opp.amount, currency=opp.currency, on_date=opp.close_date
        )
        changed.append("amount_reporting")
    if not changed:
        return opp
    opp.version += 1
    save_validated(
        opp,
        exclude=["organisation", "owner", "pipeline", "stage", "account"],
        what="opportunity",
        update_fields=[*changed, "version"],
    )
    after = snapshot(opp, AUDITED)
    if after != before:
        action = (
            "opportunity.owner_change"
            if after["owner"] != before["owner"]
            else "opportunity.update"
        )
        diff_keys = [k for k in AUDITED if after[k] != before[k]]
        audit_record(
            actor=actor,
            action=action,
            obj=opp,
            before={k: before[k] for k in diff_keys},
            after={k: after[k] for k in diff_keys},
        )
    return opp


@transaction.atomic
def opportunity_move_stage(
    *,
    actor: Actor,
    opportunity: Opportunity,
    stage: Stage,
    version: int | None,
    lost_reason: str | None = None,
) -> Opportunity:
    """Move a deal to another stage of its pipeline, record the history, close it on won/lost."""
    require_edit(actor, opportunity)
    opp = _lock(opportunity)
    require_edit(actor, opp)
    _check_version(opp, version)
    same_org(actor, stage, "stage")
    if stage.pipeline_id != opp.pipeline_id:
        raise ApplicationError(
            "the stage is not in this deal's pipeline", field="stage", code="not_found"
        )
    if stage.pk == opp.stage_id:
        return opp
    now = timezone.now()
    from_stage = opp.stage
    opp.stage = stage
    opp.stage_entered_at = now
    opp.probability = None  # the new stage's default
    opp.forecast_category = default_forecast_category(stage)
    opp.closed_at = now if stage.kind != StageKind.OPEN else None
    if stage.kind == StageKind.LOST and lost_reason is not None:
        opp.lost_reason = clean_text(lost_reason)[:255]
    elif stage.kind != StageKind.LOST:
        opp.lost_reason = ""
    opp.version += 1
    opp.save(
        update_fields=[
            "stage",
            "stage_entered_at",
            "probability",
            "forecast_category",
            "closed_at",
            "lost_reason",
            "version",
            "updated_at",
        ]
    )
    StageChange.objects.create(
        organisation_id=actor.organisation_id,
        opportunity=opp,
        from_stage=from_stage,
        to_stage=stage,
        changed_at=now,
        actor=None if actor.pk is None else actor,
    )
    audit_record(
        actor=actor,
        action="opportunity.stage",
        obj=opp,
        before={"stage": from_stage.name},
        after={"stage": stage.name},
    )
    return opp


@transaction.atomic
def opportunity_set_splits(
    *,
    actor: Actor,
    opportunity: Opportunity,
    splits: list[tuple[Membership, Decimal]],
    version: int | None = None,
) -> list[OpportunitySplit]:
    """Replace the credit split of a deal; shares sum to 1. An empty list: all to the owner."""
    require_edit(actor, opportunity)
    opp = _lock(opportunity)
    require_edit(actor, opp)
    _check_version(opp, version)
    check_shares(splits, actor=actor)
    before = {str(m): str(s) for m, s in opp.splits.values_list("member_id", "share")}
    after = {str(m.pk): str(s.quantize(FOUR_PLACES)) for m, s in splits}
    if before == after:
        return list(opp.splits.all())
    opp.splits.all().delete()
    rows = OpportunitySplit.objects.bulk_create(
        OpportunitySplit(organisation_id=actor.organisation_id, opportunity=opp, member=m, share=s)
        for m, s in splits
    )
    opp.version += 1
    opp.save(update_fields=["version", "updated_at"])
    audit_record(actor=actor, action="opportunity.splits", obj=opp, before=before, after=after)
    return rows

"""Reads of pipelines, opportunities, stage history and the pipeline board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, NotFound
from saleshelm.crm.models import (
    Opportunity,
    OpportunitySplit,
    Pipeline,
    Stage,
    StageChange,
    StageKind,
)
from saleshelm.crm.selectors import scope
from saleshelm.crm.selectors.common import apply_sort, search_q
from saleshelm.tenancy.actors import Actor

OPPORTUNITY_SORTS = {
    "name": ["name"],
    "amount": ["amount_reporting"],
    "close_date": ["close_date"],
    "created_date": ["created_date"],
    "stage": ["stage__position"],
    "owner": ["owner__user__full_name"],
    "account": ["account__name"],
}
OPPORTUNITY_STATES = ("open", "won", "lost", "closed")
_MONEY: DecimalField = DecimalField(max_digits=24, decimal_places=4)


def pipeline_list(*, actor: Actor) -> QuerySet[Pipeline]:
    stages = Prefetch("stages", queryset=Stage.objects.order_by("position", "pk"))
    return Pipeline.objects.filter(organisation_id=actor.organisation_id).prefetch_related(stages)


def access_pipeline(*, actor: Actor, id: int) -> Pipeline:
    obj = pipeline_list(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Pipeline")
    return obj


def default_pipeline(*, actor: Actor) -> Pipeline | None:
    return pipeline_list(actor=actor).order_by("-is_default", "pk").first()


def opportunity_splits(*, opportunity: Opportunity) -> QuerySet[OpportunitySplit]:
    """The credit split of a deal the caller already accessed (largest share first)."""
    return OpportunitySplit.objects.filter(
        organisation_id=opportunity.organisation_id, opportunity_id=opportunity.pk
    ).select_related("member__user")


def opportunity_split_rows(*, organisation_id: int, opportunity_ids: list[int]) -> QuerySet:
    """The credit splits of many deals at once, as rows (member, their team, share): one
    query, for reports that credit deals to members."""
    return (
        OpportunitySplit.objects.filter(
            organisation_id=organisation_id, opportunity_id__in=opportunity_ids
        )
        .order_by()
        .values(
            "opportunity_id",
            "member_id",
            "member__user__full_name",
            "member__profile__team_id",
            "member__profile__team__name",
            "share",
        )
    )


def access_stage(*, actor: Actor, id: int) -> Stage:
    obj = Stage.objects.filter(organisation_id=actor.organisation_id, pk=id).first()
    if obj is None:
        raise NotFound("Stage")
    return obj


def opportunity_qs(*, actor: Actor) -> QuerySet[Opportunity]:
    return (
        Opportunity.objects.filter(organisation_id=actor.organisation_id)
        .filter(scope.opportunity_q(actor))
        .select_related("owner__user", "account", "stage", "pipeline")
    )


def opportunity_list(
    *,
    actor: Actor,
    search: str | None = None,
    owner_id: int | None = None,
    account_id: int | None = None,
    pipeline_id: int | None = None,
    stage_id: int | None = None,
    state: str | None = None,
    forecast_category: str | None = None,
    close_from: dt.date | None = None,
    close_to: dt.date | None = None,
    sort: str | None = None,
) -> QuerySet[Opportunity]:
    qs = opportunity_qs(actor=actor).filter(
        search_q(search, ["name", "external_id", "account__name"])
    )
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    if pipeline_id is not None:
        qs = qs.filter(pipeline_id=pipeline_id)
    if stage_id is not None:
        qs = qs.filter(stage_id=stage_id)
    if state:
        if state not in OPPORTUNITY_STATES:
            raise ApplicationError(
                f"state must be one of {', '.join(OPPORTUNITY_STATES)}",
                field="state",
                code="invalid_choice",
            )
        if state == "closed":
            qs = qs.exclude(stage__kind=StageKind.OPEN)
        else:
            qs = qs.filter(stage__kind=state)
    if forecast_category:
        qs = qs.filter(forecast_category=forecast_category)
    if close_from is not None:
        qs = qs.filter(close_date__gte=close_from)
    if close_to is not None:
        qs = qs.filter(close_date__lte=close_to)
    return apply_sort(qs, sort, OPPORTUNITY_SORTS, "close_date")


def access_opportunity(*, actor: Actor, id: int) -> Opportunity:
    obj = opportunity_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Opportunity")
    return obj


def stage_history(*, opportunity: Opportunity) -> QuerySet[StageChange]:
    return opportunity.stage_changes.select_related(
        "from_stage", "to_stage", "actor__user"
    ).order_by("changed_at", "pk")


@dataclass
class StageTotals:
    stage: Stage
    count: int = 0
    amount: Decimal = Decimal(0)  # reporting currency
    weighted: Decimal = Decimal(0)  # amount x probability
    cards: list[Opportunity] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(self.count - len(self.cards), 0)


def _board_qs(actor: Actor, pipeline: Pipeline, owner_id: int | None, closed_since: dt.date | None):
    qs = Opportunity.objects.filter(
        organisation_id=actor.organisation_id, pipeline=pipeline
    ).filter(scope.opportunity_q(actor))
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if closed_since is not None:
        # Won and lost columns show the recently closed deals, not all history.
        qs = qs.exclude(
            stage__kind__in=[StageKind.WON, StageKind.LOST], closed_at__date__lt=closed_since
        )
    return qs


def pipeline_by_stage(
    *,
    actor: Actor,
    pipeline: Pipeline,
    owner_id: int | None = None,
    closed_since: dt.date | None = None,
) -> list[StageTotals]:
    """Deals, amount and weighted amount (reporting currency) per stage, in one SQL aggregate."""
    stages = list(Stage.objects.filter(pipeline=pipeline).order_by("position", "pk"))
    rows = (
        _board_qs(actor, pipeline, owner_id, closed_since)
        .order_by()
        .values("stage_id")
        .annotate(
            n=Count("pk"),
            amount=Coalesce(Sum("amount_reporting"), Value(Decimal(0)), output_field=_MONEY),
            weighted=Coalesce(
                Sum(
                    F("amount_reporting") * Coalesce("probability", "stage__probability"),
                    output_field=_MONEY,
                ),
                Value(Decimal(0)),
                output_field=_MONEY,
            ),
        )
    )
    by_stage = {r["stage_id"]: r for r in rows}
    out = []
    for stage in stages:
        r = by_stage.get(stage.pk)
        totals = StageTotals(stage=stage)
        if r:
            totals.count = r["n"]
            totals.amount = Decimal(r["amount"]).quantize(Decimal("0.0001"))
            totals.weighted = Decimal(r["weighted"]).quantize(Decimal("0.0001"))
        out.append(totals)
    return out


BOARD_CARDS_PER_STAGE = 50
BOARD_CLOSED_DAYS = 90


def pipeline_board(
    *,
    actor: Actor,
    pipeline: Pipeline,
    owner_id: int | None = None,
    per_stage: int = BOARD_CARDS_PER_STAGE,
) -> list[StageTotals]:
    """Columns of the board: totals per stage and its first cards (soonest close first).

    Won and lost columns hold the deals closed in the last 90 days."""
    since = timezone.localdate() - dt.timedelta(days=BOARD_CLOSED_DAYS)
    columns = pipeline_by_stage(
        actor=actor, pipeline=pipeline, owner_id=owner_id, closed_since=since
    )
    base = _board_qs(actor, pipeline, owner_id, since).select_related("owner__user", "account")
    for col in columns:
        if col.count:
            col.cards = list(base.filter(stage=col.stage).order_by("close_date", "pk")[:per_stage])
    return columns

"""Reads of the mission, values, offerings and competitors (open to every member), and the
win/loss record against each competitor (over the deals the actor may see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.crm.models import StageKind
from saleshelm.crm.selectors.deals import opportunity_qs
from saleshelm.direction.models import (
    CompanyValue,
    Competitor,
    Mission,
    Offering,
    OpportunityCompetitor,
)
from saleshelm.direction.selectors.common import money_sum, share
from saleshelm.tenancy.actors import Actor


def mission_get(*, actor: Actor) -> Mission | None:
    return Mission.objects.filter(organisation_id=actor.organisation_id).first()


def value_list(*, actor: Actor) -> QuerySet[CompanyValue]:
    return CompanyValue.objects.filter(organisation_id=actor.organisation_id).order_by(
        "position", "name", "pk"
    )


def access_value(*, actor: Actor, id: int) -> CompanyValue:
    value = value_list(actor=actor).filter(pk=id).first()
    if value is None:
        raise NotFound("Value")
    return value


def offering_list(*, actor: Actor) -> QuerySet[Offering]:
    return (
        Offering.objects.filter(organisation_id=actor.organisation_id)
        .prefetch_related("product_categories")
        .order_by("position", "name", "pk")
    )


def access_offering(*, actor: Actor, id: int) -> Offering:
    offering = offering_list(actor=actor).filter(pk=id).first()
    if offering is None:
        raise NotFound("Offering")
    return offering


def competitor_list(*, actor: Actor) -> QuerySet[Competitor]:
    return Competitor.objects.filter(organisation_id=actor.organisation_id).order_by("name", "pk")


def access_competitor(*, actor: Actor, id: int) -> Competitor:
    competitor = competitor_list(actor=actor).filter(pk=id).first()
    if competitor is None:
        raise NotFound("Competitor")
    return competitor


def competitor_link_list(
    *, actor: Actor, opportunity_id: int | None = None, competitor_id: int | None = None
) -> QuerySet[OpportunityCompetitor]:
    """Links on the deals the actor sees."""
    qs = (
        OpportunityCompetitor.objects.filter(organisation_id=actor.organisation_id)
        .filter(opportunity_id__in=opportunity_qs(actor=actor).order_by().values("pk"))
        .select_related("competitor", "opportunity__stage", "opportunity__owner__user")
    )
    if opportunity_id is not None:
        qs = qs.filter(opportunity_id=opportunity_id)
    if competitor_id is not None:
        qs = qs.filter(competitor_id=competitor_id)
    return qs.order_by("opportunity_id", "competitor__name", "pk")


def access_competitor_link(*, actor: Actor, id: int) -> OpportunityCompetitor:
    link = competitor_link_list(actor=actor).filter(pk=id).first()
    if link is None:
        raise NotFound("Competitor link")
    return link


@dataclass
class WinLossRow:
    competitor: Competitor
    open: int
    won: int
    lost: int
    won_amount: Decimal
    lost_amount: Decimal

    @property
    def win_rate(self) -> Decimal | None:
        return share(self.won, self.won + self.lost)


def win_loss_by_competitor(
    *, actor: Actor, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> list[WinLossRow]:
    """Deals met against each competitor: open, won and lost (closing in the dates given),
    amounts in the reporting currency; one grouped aggregate."""
    deals = opportunity_qs(actor=actor).order_by()
    if date_from is not None:
        deals = deals.filter(close_date__gte=date_from)
    if date_to is not None:
        deals = deals.filter(close_date__lte=date_to)
    kind = "opportunity__stage__kind"
    rows = (
        OpportunityCompetitor.objects.filter(organisation_id=actor.organisation_id)
        .filter(opportunity_id__in=deals.values("pk"))
        .order_by()
        .values("competitor_id")
        .annotate(
            open=Count("pk", filter=Q(**{kind: StageKind.OPEN})),
            won=Count("pk", filter=Q(**{kind: StageKind.WON})),
            lost=Count("pk", filter=Q(**{kind: StageKind.LOST})),
            won_amount=money_sum("opportunity__amount_reporting", Q(**{kind: StageKind.WON})),
            lost_amount=money_sum("opportunity__amount_reporting", Q(**{kind: StageKind.LOST})),
        )
    )
    by_id = {r["competitor_id"]: r for r in rows}
    out = []
    for competitor in competitor_list(actor=actor):
        r = by_id.get(competitor.pk, {})
        out.append(
            WinLossRow(
                competitor=competitor,
                open=r.get("open", 0),
                won=r.get("won", 0),
                lost=r.get("lost", 0),
                won_amount=r.get("won_amount", Decimal(0)),
                lost_amount=r.get("lost_amount", Decimal(0)),
            )
        )
    return sorted(out, key=lambda r: (-(r.won + r.lost + r.open), r.competitor.name))

"""Reads of stories, and "who is strong at this" (SPEC §8, knowledge sharing).

Stories are for the whole organisation. The suggestions come from two SQL aggregates:
the latest completed manager ratings of a competency, and the win rate of closed deals per
owner and account industry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.crm.models import Opportunity, StageKind
from saleshelm.development.models import AssessmentRating, AssessmentStatus, Story
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership

STRONG_LEVEL = 4
MIN_CLOSED_DEALS = 3


def story_qs(*, actor: Actor) -> QuerySet[Story]:
    return (
        Story.objects.filter(organisation_id=actor.organisation_id)
        .select_related("author__user", "opportunity__account")
        .prefetch_related("competencies")
    )


def story_list(
    *,
    actor: Actor,
    kind: str | None = None,
    competency_id: int | None = None,
    industry: str | None = None,
    segment: str | None = None,
    search: str | None = None,
) -> QuerySet[Story]:
    qs = story_qs(actor=actor)
    if kind:
        qs = qs.filter(kind=kind)
    if competency_id is not None:
        qs = qs.filter(competencies__id=competency_id)
    if industry:
        qs = qs.filter(industry__iexact=industry)
    if segment:
        qs = qs.filter(segment_name__iexact=segment)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(body__icontains=search))
    return qs.order_by("-created_at", "-pk").distinct()


def access_story(*, actor: Actor, id: int) -> Story:
    obj = story_qs(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Story")
    return obj


@dataclass
class Expert:
    member: Membership
    reason: str  # "assessment" | "win_rate"
    level: int | None = None
    industry: str = ""
    won: int = 0
    closed: int = 0

    @property
    def win_rate(self) -> Decimal | None:
        if not self.closed:
            return None
        return (Decimal(self.won) / Decimal(self.closed)).quantize(Decimal("0.01"))


def _members(ids) -> dict[int, Membership]:
    return {
        m.pk: m
        for m in Membership.objects.filter(pk__in=list(ids), is_active=True).select_related(
            "user", "profile__team"
        )
    }


def strong_at_competency(*, actor: Actor, competency_id: int, limit: int = 5) -> list[Expert]:
    """Members their manager rated 4 or 5 at this competency in a completed assessment."""
    rows = list(
        AssessmentRating.objects.filter(
            organisation_id=actor.organisation_id,
            competency_id=competency_id,
            assessment__status=AssessmentStatus.COMPLETED,
            manager_level__gte=STRONG_LEVEL,
            assessment__subject__is_active=True,
        )
        .values("assessment__subject_id")
        .annotate(level=Max("manager_level"), last=Max("assessment__manager_submitted_at"))
        .order_by("-level", "-last")[:limit]
    )
    members = _members(r["assessment__subject_id"] for r in rows)
    return [
        Expert(member=members[r["assessment__subject_id"]], reason="assessment", level=r["level"])
        for r in rows
        if r["assessment__subject_id"] in members
    ]


def best_win_rates(
    *,
    actor: Actor,
    industry: str | None = None,
    min_closed: int = MIN_CLOSED_DEALS,
    per_industry: int = 1,
    limit: int = 20,
) -> list[Expert]:
    """The best win rate per account industry (closed deals of the last two years)."""
    qs = Opportunity.objects.filter(
        organisation_id=actor.organisation_id,
        stage__kind__in=[StageKind.WON, StageKind.LOST],
        owner__is_active=True,
        account__isnull=False,
    ).exclude(account__industry="")
    if industry:
        qs = qs.filter(account__industry__iexact=industry)
    rows = list(
        qs.values("owner_id", "account__industry")
        .annotate(closed=Count("pk"), won=Count("pk", filter=Q(stage__kind=StageKind.WON)))
        .filter(closed__gte=min_closed)
        .order_by("account__industry", "-won", "closed")
    )
    best: dict[str, list[dict]] = {}
    for r in rows:
        best.setdefault(r["account__industry"], []).append(r)
    chosen = []
    for _ind, items in best.items():
        items.sort(key=lambda r: (-Decimal(r["won"]) / Decimal(r["closed"]), -r["closed"]))
        chosen.extend(items[:per_industry])
    chosen.sort(key=lambda r: (-Decimal(r["won"]) / Decimal(r["closed"]), r["account__industry"]))
    chosen = chosen[:limit]
    members = _members(r["owner_id"] for r in chosen)
    return [
        Expert(
            member=members[r["owner_id"]],
            reason="win_rate",
            industry=r["account__industry"],
            won=r["won"],
            closed=r["closed"],
        )
        for r in chosen
        if r["owner_id"] in members
    ]


def industries(*, actor: Actor) -> list[str]:
    return list(
        Opportunity.objects.filter(organisation_id=actor.organisation_id, account__isnull=False)
        .exclude(account__industry="")
        .order_by("account__industry")
        .values_list("account__industry", flat=True)
        .distinct()
    )

"""Factories for direction records, and small crm records to align them with.

Goals get their period dates resolved like the service does. The crm helpers build deals in
the default pipeline with the stage kind asked for, without going through crm services
(those are tested in tests/crm)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from saleshelm.core.periods import parse_period
from saleshelm.crm.models import Account, Activity, Lead, Opportunity, Pipeline, Stage, StageKind
from saleshelm.crm.services.pipelines import DEFAULT_STAGES
from saleshelm.direction.models import (
    Competitor,
    Goal,
    GoalLevel,
    GoalLink,
    KeyResult,
    KeyResultCheckIn,
    Segment,
)


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    organisation = factory.LazyAttribute(
        lambda o: o.parent.organisation if o.parent else o.owner.organisation
    )
    owner = None
    parent = None
    team = None
    title = factory.Sequence(lambda n: f"Goal {n}")
    level = GoalLevel.ORGANISATION
    period = "2026"
    period_start = factory.LazyAttribute(lambda o: parse_period(o.period).start)
    period_end = factory.LazyAttribute(lambda o: parse_period(o.period).end)
    weight = Decimal(1)


class KeyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyResult

    goal = None  # required
    organisation = factory.LazyAttribute(lambda o: o.goal.organisation)
    name = factory.Sequence(lambda n: f"Key result {n}")
    source = "manual"
    start_value = Decimal(0)
    target_value = Decimal(100)
    weight = Decimal(1)


def check_in(kr: KeyResult, value, date: dt.date, note: str = "") -> KeyResultCheckIn:
    return KeyResultCheckIn.objects.create(
        organisation=kr.organisation, key_result=kr, value=Decimal(value), date=date, note=note
    )


class SegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n}")
    priority = 1


class CompetitorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competitor

    name = factory.Sequence(lambda n: f"Rival {n}")


def pipeline(org) -> Pipeline:
    pipe, created = Pipeline.objects.get_or_create(
        organisation=org, is_default=True, defaults={"name": "Sales pipeline"}
    )
    if created:
        for i, (name, probability, kind) in enumerate(DEFAULT_STAGES):
            Stage.objects.create(
                organisation=org,
                pipeline=pipe,
                name=name,
                position=i,
                probability=probability,
                kind=kind,
            )
    return pipe


def stage_of(org, kind: str) -> Stage:
    return pipeline(org).stages.filter(kind=kind).order_by("position").first()


_n = iter(range(10**9))


def account(org, **fields) -> Account:
    fields.setdefault("name", f"Company {next(_n)}")
    fields.setdefault("external_id", f"ACC-{next(_n)}")
    return Account.objects.create(organisation=org, **fields)


def lead(org, **fields) -> Lead:
    fields.setdefault("name", f"Lead {next(_n)}")
    fields.setdefault("external_id", f"LEAD-{next(_n)}")
    return Lead.objects.create(organisation=org, **fields)


def deal(
    owner,
    amount="1000",
    *,
    kind: str = StageKind.OPEN,
    close_date: dt.date,
    account=None,
    created_date: dt.date | None = None,
    closed_at: dt.datetime | None = None,
) -> Opportunity:
    org = owner.organisation
    stage = stage_of(org, kind)
    if kind != StageKind.OPEN and closed_at is None:
        closed_at = dt.datetime.combine(close_date, dt.time(12), tzinfo=dt.UTC)
    return Opportunity.objects.create(
        organisation=org,
        external_id=f"OPP-{next(_n)}",
        name=f"Deal {next(_n)}",
        owner=owner,
        account=account,
        pipeline=stage.pipeline,
        stage=stage,
        amount=Decimal(amount),
        currency=org.currency,
        amount_reporting=Decimal(amount),
        close_date=close_date,
        created_date=created_date or close_date - dt.timedelta(days=30),
        closed_at=closed_at,
    )


def activity(owner, when: dt.datetime | None = None, *, opportunity=None, account=None) -> Activity:
    return Activity.objects.create(
        organisation=owner.organisation,
        external_id=f"ACT-{next(_n)}",
        type="call",
        occurred_at=when or timezone.now(),
        owner=owner,
        opportunity=opportunity,
        account=account or (opportunity.account if opportunity else None),
    )


def link(goal: Goal, opportunity: Opportunity) -> GoalLink:
    return GoalLink.objects.create(
        organisation=goal.organisation, goal=goal, opportunity=opportunity
    )

"""Factories for development records (crm and performance ones come from their apps)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from saleshelm.development.models import (
    ActionItem,
    Assessment,
    AssessmentCycle,
    AssessmentRating,
    CheckIn,
    CoachingSession,
    Competency,
    CompetencyGroup,
    DevelopmentGoal,
    DevelopmentPlan,
    Feedback,
    FeedbackRequest,
    Signal,
    Story,
)

LEVELS = [
    "Learning the basics",
    "Does it with help",
    "Does it on their own",
    "Does it very well",
    "Teaches others",
]


class CompetencyGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencyGroup

    key = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(lambda n: f"Group {n}")


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    group = factory.SubFactory(
        CompetencyGroupFactory, organisation=factory.SelfAttribute("..organisation")
    )
    key = factory.Sequence(lambda n: f"competency-{n}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    kind = "skill"
    levels = factory.LazyFunction(lambda: list(LEVELS))


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    author = None
    subject = None
    organisation = factory.LazyAttribute(lambda o: o.subject.organisation)
    kind = "praise"
    visibility = "shared"
    body = factory.Sequence(lambda n: f"Good discovery call number {n}.")


class FeedbackRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackRequest

    requester = None
    recipient = None
    subject = factory.LazyAttribute(lambda o: o.requester)
    organisation = factory.LazyAttribute(lambda o: o.requester.organisation)
    message = "How did the demo land?"


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    manager = None
    member = None
    organisation = factory.LazyAttribute(lambda o: o.member.organisation)
    scheduled_for = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=3))


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    raised_in = None
    owner = factory.LazyAttribute(lambda o: o.raised_in.member)
    organisation = factory.LazyAttribute(lambda o: o.raised_in.organisation)
    text = factory.Sequence(lambda n: f"Send the proposal {n}")


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    coach = None
    member = None
    organisation = factory.LazyAttribute(lambda o: o.member.organisation)
    held_on = factory.LazyFunction(timezone.localdate)
    observation_type = "call_review"
    observations = "Opened well; rushed the pricing."


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    member = None
    organisation = factory.LazyAttribute(lambda o: o.member.organisation)
    title = factory.Sequence(lambda n: f"Plan {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentGoal

    plan = None
    organisation = factory.LazyAttribute(lambda o: o.plan.organisation)
    title = factory.Sequence(lambda n: f"Goal {n}")


class CycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentCycle

    name = factory.Sequence(lambda n: f"Cycle {n}")
    opens_on = factory.LazyFunction(timezone.localdate)
    self_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    manager_due = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))


def assessment_for(subject, competencies, *, cycle=None, assessor=None, **fields) -> Assessment:
    org = subject.organisation
    cycle = cycle or CycleFactory(organisation=org)
    a = Assessment.objects.create(
        organisation=org, cycle=cycle, subject=subject, assessor=assessor, **fields
    )
    for c in competencies:
        AssessmentRating.objects.create(
            organisation=org, assessment=a, competency=c, expected_level=3
        )
    return a


class SignalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signal

    subject = None
    organisation = factory.LazyAttribute(lambda o: o.subject.organisation)
    rule = "activity_drop"
    raised_at = factory.LazyFunction(timezone.now)
    last_seen_at = factory.LazyFunction(timezone.now)
    detail = factory.LazyFunction(lambda: {"recent": 1, "weekly_average": "10.0"})


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    author = None
    organisation = factory.LazyAttribute(lambda o: o.author.organisation)
    kind = "win"
    title = factory.Sequence(lambda n: f"How we won deal {n}")
    body = "We found the economic buyer early."

"""Feedback, feedback requests, plans and stories: the rules of who may write what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from saleshelm.core.errors import ApplicationError, Conflict, PermissionDenied
from saleshelm.crm.models import StageKind
from saleshelm.development.models import FeedbackRequestStatus
from saleshelm.development.selectors import best_win_rates
from saleshelm.development.services import (
    development_goal_add,
    development_goal_update,
    development_plan_create,
    feedback_give,
    feedback_request_create,
    feedback_request_decline,
    story_create,
    story_update,
)
from tests.crm.factories import AccountFactory, OpportunityFactory, default_pipeline


@pytest.mark.django_db
def test_feedback_is_for_someone_else_and_not_from_finance(world):
    with pytest.raises(ApplicationError):
        feedback_give(actor=world.rep, subject=world.rep, kind="praise", body="Me!")
    with pytest.raises(PermissionDenied):
        feedback_give(actor=world.finance, subject=world.rep, kind="praise", body="Nice")
    with pytest.raises(ApplicationError):
        feedback_give(actor=world.rep, subject=world.peer, kind="praise", body="   ")
    with pytest.raises(ApplicationError):
        feedback_give(actor=world.rep, subject=world.peer, kind="applause", body="Nice")


@pytest.mark.django_db
def test_a_request_is_answered_once_by_the_person_asked(world):
    request = feedback_request_create(
        actor=world.rep, recipient=world.peer, message="How did my demo land?"
    )
    with pytest.raises(PermissionDenied):
        feedback_give(
            actor=world.other_rep, subject=world.rep, kind="praise", body="x", request=request
        )

    answer = feedback_give(
        actor=world.peer, subject=world.rep, kind="improvement", body="Shorter intro.",
        request=request,
    )  # fmt: skip

    request.refresh_from_db()
    assert request.status == FeedbackRequestStatus.ANSWERED and answer.request == request
    with pytest.raises(Conflict):
        feedback_request_decline(actor=world.peer, request=request)


@pytest.mark.django_db
def test_a_manager_asks_peers_about_a_member_of_their_team_only(world):
    asked = feedback_request_create(actor=world.manager, recipient=world.peer, subject=world.rep)
    assert asked.subject == world.rep
    with pytest.raises(PermissionDenied):
        feedback_request_create(actor=world.rep, recipient=world.peer, subject=world.other_rep)
    with pytest.raises(ApplicationError):
        feedback_request_create(actor=world.rep, recipient=world.rep)


@pytest.mark.django_db
def test_feedback_through_the_api_links_deals_the_author_can_see(world, api_client):
    mine = OpportunityFactory(owner=world.rep, name="My deal")
    theirs = OpportunityFactory(owner=world.other_rep, name="Their deal")
    client = api_client(world.rep)

    ok = client.post(
        "/api/v1/feedback",
        data={"subject_id": world.peer.pk, "kind": "praise", "body": "Helped on my deal",
              "opportunity_id": mine.pk},
        content_type="application/json",
    )  # fmt: skip
    hidden = client.post(
        "/api/v1/feedback",
        data={"subject_id": world.peer.pk, "kind": "praise", "body": "x",
              "opportunity_id": theirs.pk},
        content_type="application/json",
    )  # fmt: skip

    assert ok.status_code == 201 and ok.json()["opportunity"]["name"] == "My deal"
    assert hidden.status_code == 404


@pytest.mark.django_db
def test_a_rep_plans_their_own_development_and_a_manager_their_teams(world):
    own = development_plan_create(actor=world.rep, member=world.rep, title="Negotiate better")
    goal = development_goal_add(actor=world.rep, plan=own, title="Two mock negotiations")
    development_goal_update(actor=world.manager, goal=goal, progress=100)
    goal.refresh_from_db()
    assert goal.status == "done"

    development_plan_create(actor=world.manager, member=world.peer, title="Prospecting")
    with pytest.raises(PermissionDenied):
        development_plan_create(actor=world.rep, member=world.peer, title="Not mine")
    with pytest.raises(PermissionDenied):
        development_plan_create(actor=world.other_manager, member=world.rep, title="Not theirs")
    with pytest.raises(ApplicationError):
        development_goal_update(actor=world.rep, goal=goal, progress=120)


@pytest.mark.django_db
def test_stories_are_edited_by_their_author_directors_and_admins(world):
    story = story_create(actor=world.rep, kind="win", title="Won Acme", body="We found the CFO.")
    story_update(actor=world.rep, story=story, title="Won Acme in 30 days")
    story_update(actor=world.director, story=story, segment="Enterprise")
    with pytest.raises(PermissionDenied):
        story_update(actor=world.peer, story=story, title="Mine now")
    with pytest.raises(PermissionDenied):
        story_create(actor=world.viewer, kind="win", title="x", body="y")
    story.refresh_from_db()
    assert story.title == "Won Acme in 30 days" and story.segment_name == "Enterprise"


@pytest.mark.django_db
def test_a_story_takes_the_industry_of_its_deal(world):
    account = AccountFactory(owner=world.rep, industry="Logistics")
    deal = OpportunityFactory(owner=world.rep, account=account)
    story = story_create(actor=world.rep, kind="win", title="T", body="B", opportunity=deal)
    assert story.industry == "Logistics"


@pytest.mark.django_db
def test_best_win_rate_per_industry_needs_three_closed_deals(world):
    pipeline = default_pipeline(world.org)
    won = pipeline.stages.get(kind=StageKind.WON)
    lost = pipeline.stages.get(kind=StageKind.LOST)
    retail = AccountFactory(owner=world.rep, industry="Retail")
    for owner, results in ((world.rep, "WWWL"), (world.peer, "WLL"), (world.other_rep, "WW")):
        for r in results:
            OpportunityFactory(
                owner=owner, account=retail, stage=won if r == "W" else lost,
                amount=Decimal("100"), close_date=dt.date(2026, 1, 1),
            )  # fmt: skip

    experts = best_win_rates(actor=world.viewer, industry="Retail")

    assert [(e.member, e.won, e.closed, str(e.win_rate)) for e in experts] == [
        (world.rep, 3, 4, "0.75")
    ]


@pytest.mark.django_db
def test_a_story_keeps_the_direction_segment_it_names(world):
    from saleshelm.direction.models import Segment

    segment = Segment.objects.create(organisation=world.org, name="Mid-market logistics")

    story = story_create(
        actor=world.rep, kind="playbook", title="T", body="B", segment="mid-market LOGISTICS"
    )
    other = story_create(actor=world.rep, kind="playbook", title="T", body="B", segment="Unknown")

    assert story.segment_id == segment.pk and story.segment_name == "mid-market LOGISTICS"
    assert other.segment_id is None and other.segment_name == "Unknown"

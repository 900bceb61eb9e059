"""Every development page renders with real data for the roles that may open it, with a
bounded number of queries for the dashboards, and in Vietnamese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from saleshelm.development.frameworks import framework_load
from saleshelm.development.models import Assessment, Competency
from saleshelm.development.services import (
    RatingInput,
    action_item_add,
    assessment_cycle_create,
    assessment_manager_save,
    assessment_self_save,
    check_in_cadence_set,
    coaching_session_record,
    development_goal_add,
    development_plan_create,
    feedback_give,
    feedback_request_create,
    story_create,
)
from saleshelm.development.signals_engine import evaluate
from saleshelm.tenancy.roles import Role
from tests.crm.factories import OpportunityFactory
from tests.people.factories import TeamFactory
from tests.tenancy.factories import MembershipFactory, UserFactory

TODAY = timezone.localdate()


def _scene(world):
    framework_load(actor=world.admin, framework="b2b", language="en")
    negotiation = Competency.objects.get(organisation=world.org, key="b2b-negotiation")
    cycle = assessment_cycle_create(
        actor=world.manager, name="H2", opens_on=TODAY, self_due=TODAY, manager_due=TODAY
    )
    a = Assessment.objects.get(cycle=cycle, subject=world.rep)
    ratings = [RatingInput(r.competency_id, 3, "Closed Acme") for r in a.ratings.all()]
    assessment_self_save(actor=world.rep, assessment=a, ratings=ratings, submit=True)
    assessment_manager_save(
        actor=world.manager,
        assessment=a,
        ratings=[RatingInput(r.competency_id, 4) for r in a.ratings.all()],
        submit=True,
    )
    feedback_give(actor=world.manager, subject=world.rep, kind="praise", body="Great call",
                  competency=negotiation)  # fmt: skip
    feedback_request_create(actor=world.peer, recipient=world.rep, message="Join my demo?")
    check_in_cadence_set(actor=world.manager, member=world.rep, every_days=14, next_on=TODAY)
    check_in = world.rep.dev_check_ins.get()
    action_item_add(actor=world.rep, check_in=check_in, text="Send proposal")
    coaching_session_record(
        actor=world.manager, member=world.rep, held_on=TODAY, observation_type="ride_along",
        observations="Strong opening", agreed_actions=["Ask for the order"],
        follow_up_on=TODAY + dt.timedelta(days=7), focus_competency=negotiation,
    )  # fmt: skip
    plan = development_plan_create(actor=world.rep, member=world.rep, title="Close better")
    development_goal_add(actor=world.rep, plan=plan, title="Mutual close plans",
                         competency=negotiation, target_level=4)  # fmt: skip
    story_create(actor=world.rep, kind="win", title="Won Acme", body="CFO early",
                 competencies=[negotiation])  # fmt: skip
    OpportunityFactory(
        owner=world.rep, name="Stuck deal", next_step="",
        stage_entered_at=timezone.now() - dt.timedelta(days=40),
    )  # fmt: skip
    evaluate(organisation=world.org, now=timezone.now() - dt.timedelta(days=3))
    evaluate(organisation=world.org)
    return {"check_in": check_in, "assessment": a, "plan": plan, "negotiation": negotiation}


PAGES = [
    "/development/",
    "/development/team/",
    "/development/overview/",
    "/development/signals/",
    "/development/signals/?scope=team&status=",
    "/development/signals/settings/",
    "/development/feedback/",
    "/development/feedback/?tab=given",
    "/development/feedback/give/",
    "/development/feedback/ask/",
    "/development/check-ins/",
    "/development/check-ins/new/",
    "/development/coaching/",
    "/development/coaching/new/",
    "/development/plans/",
    "/development/plans/new/",
    "/development/assessments/",
    "/development/assessments/cycles/new/",
    "/development/competencies/",
    "/development/stories/",
    "/development/stories/new/",
    "/development/experts/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "director", "manager", "rep", "finance", "viewer"])
def test_every_page_renders_with_data(world, web_client, role):
    scene = _scene(world)
    client = web_client(world.by_role(role))
    detail = [
        f"/development/check-ins/{scene['check_in'].pk}/",
        f"/development/assessments/{scene['assessment'].pk}/",
        f"/development/plans/{scene['plan'].pk}/",
        f"/development/competencies/{scene['negotiation'].pk}/",
        f"/development/experts/?competency={scene['negotiation'].pk}",
    ]
    for url in PAGES + detail:
        response = client.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if role in ("admin", "director") or (role == "manager" and "overview" not in url):
            assert response.status_code == 200, url


@pytest.mark.django_db
def test_the_rep_sees_their_development_at_a_glance(world, web_client):
    _scene(world)
    page = web_client(world.rep).get("/development/")
    body = page.content.decode()
    assert "My signals" in body and "Stuck deal" in body
    assert "<svg" in body and "gap-chart" in body  # the gap chart, server-rendered
    assert "Great call" in body
    assert "Mutual close plans" in body
    assert "Join my demo?" not in body and "asked you for feedback" in body


@pytest.mark.django_db
def test_pages_speak_vietnamese(world, web_client):
    _scene(world)
    client = web_client(world.rep)
    client.cookies["django_language"] = "vi"
    body = client.get("/development/", headers={"Accept-Language": "vi"}).content.decode()
    assert "Phát triển của tôi" in body
    assert "Tín hiệu của tôi" in body


def _more_reps(world, n, prefix):
    team = TeamFactory(organisation=world.org, name=f"{prefix} team", parent=world.rep.profile.team)
    for i in range(n):
        m = MembershipFactory(
            organisation=world.org, role=Role.REP, user=UserFactory(email=f"{prefix}{i}@acme.test")
        )
        m.profile.team = team
        m.profile.save()
        check_in_cadence_set(actor=world.manager, member=m, every_days=14, next_on=TODAY)


@pytest.mark.django_db
def test_the_coaching_queue_costs_the_same_queries_for_3_or_30_people(world, web_client):
    _scene(world)
    client = web_client(world.manager)
    _more_reps(world, 1, "few")
    client.get("/development/team/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/development/team/").status_code == 200
    _more_reps(world, 28, "many")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/development/team/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_the_director_overview_costs_the_same_queries_for_3_or_30_people(world, web_client):
    _scene(world)
    client = web_client(world.director)
    client.get("/development/overview/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/development/overview/").status_code == 200
    _more_reps(world, 27, "more")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/development/overview/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)

"""Pulse surveys: answering once, anonymity kept in the tables and in the API, and results only
for groups of five or more, never per person."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.utils import timezone

from saleshelm.core.errors import Conflict, NotFound, PermissionDenied
from saleshelm.incentives.models.pulse import PulseParticipation, PulseResponse, PulseSurvey
from saleshelm.incentives.selectors import pulse as sel
from saleshelm.incentives.services import pulse as svc
from saleshelm.tenancy.models import AuditEntry
from tests.people.factories import TeamFactory
from tests.tenancy.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def survey(world, **kw) -> PulseSurvey:
    return svc.pulse_survey_create(
        actor=world.director,
        title=kw.pop("title", "July pulse"),
        opens_on=kw.pop("opens_on", today() - dt.timedelta(days=2)),
        closes_on=kw.pop("closes_on", today() + dt.timedelta(days=5)),
        **kw,
    )


_people = iter(range(10**6))


def people(world, team, n: int) -> list:
    out = []
    for _ in range(n):
        i = next(_people)
        m = MembershipFactory(
            organisation=world.org,
            role="rep",
            user=UserFactory(email=f"p{i}@acme.test", full_name=f"Person {i}"),
        )
        m.profile.team = team
        m.profile.save()
        out.append(m)
    return out


def answer(s, member, m=4, su=4, c=4, comment=""):
    svc.pulse_respond(actor=member, survey=s, motivation=m, support=su, clarity=c, comment=comment)


def close(world, s) -> PulseSurvey:
    return svc.pulse_survey_close(actor=world.director, survey=s)


def test_everyone_answers_once_and_the_answer_is_stored_without_them(world):
    s = survey(world)
    answer(s, world.rep, 5, 3, 2, "More leads please")
    with pytest.raises(Conflict) as twice:
        answer(s, world.rep, 1, 1, 1)
    assert twice.value.code == "already_answered"

    # the marker says who answered, and nothing else
    marker = PulseParticipation.objects.get()
    assert marker.member == world.rep
    assert {f.name for f in PulseParticipation._meta.concrete_fields} == {
        "id", "organisation", "survey", "member"
    }  # fmt: skip
    # the response says what was answered, and nothing that leads back to who
    response = PulseResponse.objects.get()
    assert (response.motivation, response.support, response.clarity) == (5, 3, 2)
    assert response.team == world.rep.profile.team
    fields = {f.name for f in PulseResponse._meta.concrete_fields}
    assert fields == {
        "id", "organisation", "survey", "team", "motivation", "support", "clarity", "comment"
    }  # fmt: skip
    assert not isinstance(response.pk, int)  # a random id, not an order of answering
    # and no audit row carries the answer
    assert not AuditEntry.objects.filter(action__startswith="pulse.respond").exists()
    assert sel.has_responded(actor=world.rep, survey=s)
    assert not sel.has_responded(actor=world.peer, survey=s)


def test_scores_are_one_to_five_and_only_open_surveys_take_answers(world):
    s = survey(world)
    from saleshelm.core.errors import ApplicationError

    for bad in (0, 6, "x", None, True):
        with pytest.raises(ApplicationError):
            answer(s, world.rep, bad)
    assert not PulseParticipation.objects.exists()
    upcoming = survey(world, title="Next", opens_on=today() + dt.timedelta(days=1),
                      closes_on=today() + dt.timedelta(days=3))  # fmt: skip
    with pytest.raises(Conflict):
        answer(upcoming, world.rep)
    s = close(world, s)
    with pytest.raises(Conflict):
        answer(s, world.peer)


def test_admins_and_directors_run_surveys(world):
    for role in ("manager", "rep", "finance", "viewer"):
        with pytest.raises(PermissionDenied):
            svc.pulse_survey_create(
                actor=world.by_role(role), title="x", opens_on=today(), closes_on=today()
            )
    s = survey(world)
    with pytest.raises(PermissionDenied):
        svc.pulse_survey_close(actor=world.manager, survey=s)


def test_a_group_of_four_shows_nothing(world):
    # given a survey that four people of North answered, now closed
    s = survey(world)
    north = world.rep.profile.team
    for member in [world.rep, world.peer, *people(world, north, 2)]:
        answer(s, member, 5, 5, 5, "I love it here")
    s = close(world, s)

    # when the director and the manager ask for the results
    for actor in (world.director, world.manager):
        results = sel.pulse_results(actor=actor, survey=s, today=today())
        # then nothing is shown: no group, no overall, no comment; only that 4 were hidden
        assert (results.available, results.reason, results.groups, results.overall) == (
            False, "too_few", [], None
        )  # fmt: skip
        assert results.hidden == 4


def test_results_are_shown_for_groups_of_five_once_the_survey_closed(world):
    # given North with 5 answers and South with 2
    s = survey(world)
    north, south = world.rep.profile.team, world.other_rep.profile.team
    north_people = [world.rep, world.peer, *people(world, north, 3)]
    for member, (m, su, c) in zip(
        north_people, [(5, 4, 3), (4, 4, 3), (3, 2, 3), (5, 5, 4), (4, 3, 2)], strict=True
    ):
        answer(s, member, m, su, c)
    answer(s, world.other_rep, 1, 1, 1, "Nobody helps us")
    answer(s, people(world, south, 1)[0], 2, 1, 1)

    # while it is open, nobody sees anything (results that move tell who just answered)
    assert sel.pulse_results(actor=world.director, survey=s, today=today()).reason == "open"

    s = close(world, s)
    results = sel.pulse_results(actor=world.director, survey=s, today=today())

    # North: motivation (5+4+3+5+4)/5 = 4.2, support 18/5 = 3.6, clarity 15/5 = 3.0
    assert [g.name for g in results.groups] == ["North"]
    north_scores = results.groups[0].scores
    assert north_scores.n == 5
    assert north_scores.averages == {
        "motivation": Decimal("4.2"), "support": Decimal("3.6"), "clarity": Decimal("3.0")
    }  # fmt: skip
    assert north_scores.counts["motivation"] == {1: 0, 2: 0, 3: 1, 4: 2, 5: 2}
    # South's two answers are not shown, not even inside the overall figure
    assert results.overall.n == 5 and results.hidden == 2
    assert results.overall.averages == north_scores.averages
    assert all("Nobody helps us" not in g.comments for g in results.groups)


def test_small_teams_pool_into_their_parent_so_groups_never_overlap(world):
    # given North (3 answers) and North East (3 answers), both under Sales (1 answer, Mai)
    s = survey(world)
    north = world.rep.profile.team
    sales = north.parent
    east = TeamFactory(organisation=world.org, name="North East", parent=sales)
    for member in [world.rep, world.peer, *people(world, north, 1)]:
        answer(s, member, 4, 4, 4, "North comment")
    for member in people(world, east, 3):
        answer(s, member, 2, 2, 2)
    answer(s, world.manager, 3, 3, 3)
    s = close(world, s)

    # then the manager sees one group, Sales, holding all 7 answers (3 + 3 + 1)
    results = sel.pulse_results(actor=world.manager, survey=s, today=today())
    assert [(g.name, g.scores.n, sorted(g.teams)) for g in results.groups] == [
        ("Sales", 7, ["North", "North East"])
    ]
    # motivation (3*4 + 3*2 + 3) / 7 = 21 / 7 = 3.0
    assert results.groups[0].scores.average("motivation") == Decimal("3.0")
    assert results.groups[0].comments == ["North comment"] * 3
    assert results.hidden == 0


def test_a_manager_sees_their_subtree_a_director_the_organisation(world):
    s = survey(world)
    north, south = world.rep.profile.team, world.other_rep.profile.team
    for member in [world.rep, world.peer, *people(world, north, 3)]:
        answer(s, member)
    for member in [world.other_rep, *people(world, south, 4)]:
        answer(s, member, 2, 2, 2)
    s = close(world, s)

    mine = sel.pulse_results(actor=world.manager, survey=s, today=today())
    everyone = sel.pulse_results(actor=world.director, survey=s, today=today())

    assert [g.name for g in mine.groups] == ["North"]
    assert [g.name for g in everyone.groups] == ["North", "South"]
    assert everyone.overall.n == 10
    for role in ("rep", "finance", "viewer"):
        with pytest.raises(PermissionDenied):
            sel.pulse_results(actor=world.by_role(role), survey=s, today=today())
    with pytest.raises(NotFound):
        sel.pulse_results(actor=world.other_org_admin, survey=s, today=today())


def test_the_api_never_says_who_answered_what(world, api_client):
    # given a closed survey answered by five people of North through the API
    s = survey(world)
    north = world.rep.profile.team
    answerers = [world.rep, world.peer, *people(world, north, 3)]
    for i, member in enumerate(answerers):
        r = api_client(member).post(
            f"/api/v1/pulse-surveys/{s.pk}/responses",
            data={"motivation": 1 + i, "support": 3, "clarity": 4, "comment": f"note {i}"},
            content_type="application/json",
        )
        # answering returns nothing at all: no id, no echo
        assert r.status_code == 204 and r.content == b""
    s = close(world, s)

    # when every role reads every pulse operation
    bodies = []
    for role in ("admin", "director", "manager", "rep", "finance", "viewer"):
        client = api_client(world.by_role(role))
        for path in (
            "/api/v1/pulse-surveys",
            f"/api/v1/pulse-surveys/{s.pk}",
            f"/api/v1/pulse-surveys/{s.pk}/results",
        ):
            bodies.append(client.get(path).content.decode())

    # then no answer is ever next to a person: no answerer's id, name or email appears
    # (the members' own "responded" flag is about themselves only)
    text = "\n".join(bodies)
    for member in answerers:
        assert member.user.email not in text
        assert member.user.full_name not in text
        assert f'"member_id": {member.pk}' not in text
    # and the results are per group only
    results = api_client(world.director).get(f"/api/v1/pulse-surveys/{s.pk}/results").json()
    assert results["available"] is True and results["min_group"] == 5
    assert [g["name"] for g in results["groups"]] == ["North"]
    assert results["groups"][0]["scores"]["motivation"] == "3.0"  # (1+2+3+4+5)/5
    assert sorted(results["groups"][0]["comments"]) == [f"note {i}" for i in range(5)]
    assert set(results["groups"][0]) == {"name", "teams", "scores", "comments"}
    mine = api_client(world.rep).get(f"/api/v1/pulse-surveys/{s.pk}").json()
    assert mine["responded"] is True
    assert "responses" not in json.dumps(mine)


def test_a_repeating_survey_opens_its_successor_once(world):
    start = dt.date(2026, 7, 1)
    s = svc.pulse_survey_create(
        actor=world.director, title="Monthly pulse", opens_on=start,
        closes_on=dt.date(2026, 7, 7), repeat_days=28,
    )  # fmt: skip
    assert svc.pulse_surveys_roll(organisation=world.org, today=dt.date(2026, 7, 28)) == 0
    assert svc.pulse_surveys_roll(organisation=world.org, today=dt.date(2026, 7, 29)) == 1
    assert svc.pulse_surveys_roll(organisation=world.org, today=dt.date(2026, 7, 30)) == 0
    successor = PulseSurvey.objects.get(previous=s)
    assert (successor.opens_on, successor.closes_on) == (dt.date(2026, 7, 29), dt.date(2026, 8, 4))


def test_dates_out_of_range_are_refused(world):
    from saleshelm.core.errors import ApplicationError

    with pytest.raises(ApplicationError):
        survey(world, opens_on=dt.date(9999, 12, 30), closes_on=dt.date(9999, 12, 31))

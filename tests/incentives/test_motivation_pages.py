"""Motivation pages: the kudos feed and giving kudos with htmx, badges on the member page,
contest standings, our commitments, the pulse; query counts that do not grow with the data;
the menu; Vietnamese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saleshelm.direction.services.mission import value_create
from saleshelm.incentives.models.contract import Commitment
from saleshelm.incentives.models.pulse import PulseParticipation
from saleshelm.incentives.models.recognition import Kudos
from saleshelm.incentives.services import contract as contract_svc
from saleshelm.incentives.services import pulse as pulse_svc
from saleshelm.incentives.services import recognition as rec_svc
from saleshelm.tenancy.actors import SystemActor
from saleshelm.web import navigation
from tests.crm.factories import ActivityFactory
from tests.tenancy.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def values(world):
    system = SystemActor(world.org)
    return [value_create(actor=system, name=n) for n in ("Customer first", "Win together")]


_serial = iter(range(10**6))


def people(world, team, n):
    out = []
    for _ in range(n):
        i = next(_serial)
        m = MembershipFactory(
            organisation=world.org,
            role="rep",
            user=UserFactory(email=f"person{i}@acme.test", full_name=f"Person {i}"),
        )
        m.profile.team = team
        m.profile.save()
        out.append(m)
    return out


# --- kudos --------------------------------------------------------------------------------


def test_the_kudos_page_shows_the_feed_the_form_and_the_values(world, web_client):
    customer, _win = values(world)
    rec_svc.kudos_give(actor=world.peer, receiver=world.rep, value=customer, message="Great demo")

    html = web_client(world.rep).get(reverse("motivation:kudos")).content.decode()

    assert "Great demo" in html and "Customer first" in html
    assert 'hx-post="/motivation/kudos/give/"' in html
    assert 'id="kudos-values"' in html and "Win together" in html


def test_giving_kudos_with_htmx_answers_the_form_and_refreshes_the_feed(world, web_client):
    customer, _ = values(world)
    client = web_client(world.rep)

    response = client.post(
        reverse("motivation:kudos_give"),
        {"receiver": world.peer.pk, "value": customer.pk, "message": "Covered my demo"},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Your kudos to Trần Thị Bình is in the feed." in html
    assert 'id="kudos-feed"' in html and 'hx-swap-oob="true"' in html
    assert "Covered my demo" in html and "is-new" in html
    assert Kudos.objects.get().receiver == world.peer


def test_giving_kudos_without_javascript_redirects_to_the_feed(world, web_client):
    customer, _ = values(world)
    response = web_client(world.rep).post(
        reverse("motivation:kudos_give"),
        {"receiver": world.peer.pk, "value": customer.pk, "message": "Thanks"},
    )
    assert response.status_code == 302 and response["Location"] == "/motivation/kudos/"


def test_a_kudos_form_with_errors_says_so_and_gives_nothing(world, web_client):
    customer, _ = values(world)
    response = web_client(world.rep).post(
        reverse("motivation:kudos_give"),
        {"receiver": world.peer.pk, "value": customer.pk, "message": ""},
        **HTMX,
    )
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert not Kudos.objects.exists()


def test_the_feed_tabs_answer_a_fragment_to_htmx(world, web_client):
    customer, _ = values(world)
    rec_svc.kudos_give(actor=world.other_rep, receiver=world.other_manager, value=customer,
                       message="Far away")  # fmt: skip
    client = web_client(world.rep)
    team = client.get(
        reverse("motivation:kudos") + "?feed=team", HTTP_HX_TARGET="kudos-feed", **HTMX
    )
    assert "<html" not in team.content.decode()
    assert "Far away" not in team.content.decode()
    assert "Far away" in client.get(reverse("motivation:kudos")).content.decode()


def test_the_feed_costs_the_same_queries_for_3_or_30_kudos(world, web_client):
    customer, win = values(world)
    client = web_client(world.rep)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("motivation:kudos")).status_code == 200
        return len(queries)

    for _ in range(3):
        rec_svc.kudos_give(actor=world.peer, receiver=world.rep, value=customer, message="a")
    count()  # the session's first request does its one-off work
    few = count()
    for i in range(27):
        rec_svc.kudos_give(actor=world.manager, receiver=world.peer, value=win, message=f"b{i}")
    many = count()
    assert few == many


def test_the_kudos_api_list_costs_the_same_queries_for_3_or_30(world, api_client):
    customer, _ = values(world)
    client = api_client(world.rep)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/kudos").status_code == 200
        return len(queries)

    for _ in range(3):
        rec_svc.kudos_give(actor=world.peer, receiver=world.rep, value=customer, message="a")
    count()  # the first call of a token also records when it was last used
    few = count()
    for _ in range(27):
        rec_svc.kudos_give(actor=world.manager, receiver=world.peer, value=customer, message="b")
    assert count() == few
    assert client.get("/api/v1/kudos?limit=5").json()["count"] == 30


# --- badges -------------------------------------------------------------------------------


def test_a_manager_awards_a_badge_from_its_page_and_the_member_page_lists_it(world, web_client):
    badge = rec_svc.badge_create(actor=world.director, name="Team player", criteria="manual")
    response = web_client(world.manager).post(
        reverse("motivation:badge_award", args=[badge.pk]),
        {"member": world.rep.pk, "reason": "Covered the North accounts"},
    )
    assert response.status_code == 302

    html = (
        web_client(world.viewer)
        .get(reverse("motivation:member", args=[world.rep.pk]))
        .content.decode()
    )
    assert "Team player" in html and "Covered the North accounts" in html
    assert "Awarded by Mai Manager" in html


def test_the_award_form_offers_a_manager_only_their_team(world, web_client):
    badge = rec_svc.badge_create(actor=world.director, name="Team player", criteria="manual")
    html = (
        web_client(world.manager)
        .get(reverse("motivation:badge_award", args=[badge.pk]))
        .content.decode()
    )
    assert "Trần Thị Bình" in html and "Lê Văn Cường" not in html


# --- contests -----------------------------------------------------------------------------


def _contest(world, members):
    today = timezone.localdate()
    return rec_svc.contest_create(
        actor=world.director, name="Call sprint", metric="calls",
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=3),
        participant_kind="member", members=members,
        prizes=[{"rank": 1, "description": "Dinner for two", "amount": "200"}],
    )  # fmt: skip


def test_the_contest_page_shows_live_standings_that_refresh(world, web_client):
    contest = _contest(world, [world.rep, world.peer])
    ActivityFactory(owner=world.peer, type="call", occurred_at=timezone.now())
    html = web_client(world.rep).get(reverse("motivation:contest", args=[contest.pk])).content
    assert 'hx-trigger="every 60s"' in html.decode() and "Dinner for two" in html.decode()
    fragment = web_client(world.rep).get(reverse("motivation:contest_standings", args=[contest.pk]))
    table = fragment.content.decode()
    assert fragment["Cache-Control"] == "no-store" and "<html" not in table
    assert table.index("Trần Thị Bình") < table.index("Nguyễn Văn An")  # 1 call against 0


def test_standings_cost_the_same_queries_for_2_or_12_participants(world, api_client):
    small = _contest(world, [world.rep, world.peer])
    big = _contest(world, [world.rep, world.peer, *people(world, world.rep.profile.team, 10)])
    client = api_client(world.rep)

    def count(contest):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/contests/{contest.pk}/standings")
        assert response.status_code == 200
        return len(queries), len(response.json()["items"])

    assert count(small)[1] == 2 and count(big)[1] == 12
    assert count(small)[0] == count(big)[0]


# --- commitments --------------------------------------------------------------------------


def _period():
    from saleshelm.core.periods import period_of

    return period_of(timezone.localdate(), "year")


def test_the_rep_writes_a_commitment_and_marks_it_kept_from_the_page(world, web_client):
    client = web_client(world.rep)
    year = _period()
    response = client.post(
        reverse("motivation:commitment_create", args=[world.rep.pk]),
        {"period": year.key, "side": "member", "kind": "effort", "title": "Forty calls a week",
         "due_date": year.end.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    c = Commitment.objects.get()
    assert (c.owner, c.created_by) == (world.rep, world.rep)

    client.post(
        reverse("motivation:commitment_status", args=[c.pk]),
        {"status": "kept", "note": "Did 43", "next": "member"},
    )

    c.refresh_from_db()
    assert c.status == "kept"
    html = client.get(reverse("motivation:commitments")).content.decode()
    assert "Forty calls a week" in html and "100%" in html


def test_renegotiating_from_the_page_keeps_the_history(world, web_client):
    year = _period()
    c = contract_svc.commitment_create(
        actor=world.manager, member=world.rep, period=year.key, side="organisation",
        kind="training", title="Negotiation workshop", owner=world.manager, due_date=year.end,
    )  # fmt: skip
    response = web_client(world.manager).post(
        reverse("motivation:commitment_renegotiate", args=[c.pk]),
        {"title": "Negotiation workshop (online)", "due_date": year.end.isoformat(),
         "note": "Trainer ill"},
    )  # fmt: skip
    new = Commitment.objects.get(replaces=c)
    assert response["Location"] == reverse("motivation:commitment", args=[new.pk])
    html = web_client(world.rep).get(reverse("motivation:commitment", args=[new.pk])).content
    assert "Negotiation workshop (online)" in html.decode()
    assert "Trainer ill" in html.decode()


def test_the_managers_view_lists_their_team_only(world, web_client):
    year = _period()
    for member, actor in ((world.rep, world.manager), (world.other_rep, world.other_manager)):
        contract_svc.commitment_create(
            actor=actor, member=member, period=year.key, side="member", kind="effort",
            title="Calls", due_date=year.end,
        )  # fmt: skip
    html = web_client(world.manager).get(reverse("motivation:commitments_team")).content.decode()
    assert "Nguyễn Văn An" in html and "Lê Văn Cường" not in html
    html = web_client(world.director).get(reverse("motivation:commitments_team")).content
    assert "Lê Văn Cường" in html.decode()


# --- pulse --------------------------------------------------------------------------------


def _survey(world, **kw):
    today = timezone.localdate()
    return pulse_svc.pulse_survey_create(
        actor=world.director, title=kw.get("title", "Pulse"), opens_on=today,
        closes_on=today + dt.timedelta(days=3),
    )  # fmt: skip


def test_a_member_answers_the_pulse_once_from_the_page(world, web_client):
    survey = _survey(world)
    client = web_client(world.rep)
    url = reverse("motivation:pulse_answer", args=[survey.pk])
    response = client.post(url, {"motivation": "4", "support": "3", "clarity": "5"})
    assert response.status_code == 302
    assert PulseParticipation.objects.filter(member=world.rep).count() == 1
    again = client.get(url).content.decode()
    assert "You have answered this survey" in again and 'name="motivation"' not in again
    assert "Answered — thank you" in client.get(reverse("motivation:pulse")).content.decode()


def test_results_page_shows_nothing_for_four_and_groups_from_five_without_names(world, web_client):
    survey = _survey(world)
    north = world.rep.profile.team
    answerers = [world.rep, world.peer, *people(world, north, 2)]
    for m in answerers:
        pulse_svc.pulse_respond(actor=m, survey=survey, motivation=4, support=4, clarity=4,
                                comment=f"note from {m.user.full_name}")  # fmt: skip
    pulse_svc.pulse_survey_close(actor=world.director, survey=survey)
    url = reverse("motivation:pulse_results", args=[survey.pk])

    four = web_client(world.manager).get(url).content.decode()
    assert "Not enough answers to show" in four
    assert "note from" not in four

    fifth = people(world, north, 1)[0]
    survey.closed_at = None
    survey.save()
    pulse_svc.pulse_respond(actor=fifth, survey=survey, motivation=2, support=2, clarity=2)
    pulse_svc.pulse_survey_close(actor=world.director, survey=survey)
    five = web_client(world.manager).get(url).content.decode()
    assert "North" in five and "3.6" in five  # (4 * 4 + 2) / 5
    for m in [*answerers, fifth]:
        assert m.user.email not in five


# --- menu and language --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "team_view"),
    [("rep", False), ("manager", True), ("director", True), ("viewer", True)],
)
def test_the_menu_has_the_motivation_pages(world, web_client, role, team_view):
    sections = {s.key: s for s in navigation.build(role=role, current_url_name=None)}
    urls = [link.url for link in sections["motivation"].links]
    for name in ("kudos", "badges", "contests", "commitments", "pulse"):
        assert reverse(f"motivation:{name}") in urls
    assert (reverse("motivation:commitments_team") in urls) is team_view


def test_the_pages_speak_vietnamese(world, web_client):
    values(world)
    client = web_client(world.rep)
    client.post(reverse("set_language"), {"language": "vi"})
    html = client.get(reverse("motivation:kudos")).content.decode()
    assert "Gửi lời cảm ơn" in html
    html = client.get(reverse("motivation:commitments")).content.decode()
    assert "Cam kết của chúng ta" in html

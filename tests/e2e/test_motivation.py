"""What people click in Motivation (Playwright): a rep thanks a colleague for a company value
and sees it in the feed; the contest standings, our commitments, the pulse and its results.

Screenshots land in var/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saleshelm.core.periods import period_of
from saleshelm.direction.models import CompanyValue
from saleshelm.direction.services.mission import value_create
from saleshelm.incentives.services import contract as contract_svc
from saleshelm.incentives.services import pulse as pulse_svc
from saleshelm.incentives.services import recognition as rec_svc
from saleshelm.tenancy.actors import SystemActor
from tests.conftest import build_world
from tests.crm.factories import ActivityFactory
from tests.e2e.conftest import shot, sign_in
from tests.tenancy.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def motivation_world(transactional_db):
    world = build_world()
    system = SystemActor(world.org)
    for name in ("Customer first", "Own the outcome", "Win together"):
        value_create(actor=system, name=name)
    today = timezone.localdate()
    win = CompanyValue.objects.get(organisation=world.org, name="Win together")
    rec_svc.kudos_give(
        actor=world.manager,
        receiver=world.other_rep,
        value=win,
        message="Shared the Lotus playbook with the whole team.",
    )
    badge = rec_svc.badge_create(
        actor=world.director, name="Team player", criteria="manual", symbol="handshake"
    )
    rec_svc.badge_award(
        actor=world.manager, badge=badge, member=world.rep, reason="Covered Bình's accounts"
    )
    rec_svc.badge_create(
        actor=world.director, name="Phone warrior", criteria="metric", metric="calls",
        threshold="60", period_kind="month", symbol="phone",
    )  # fmt: skip
    start = today - dt.timedelta(days=5)
    contest = rec_svc.contest_create(
        actor=world.director, name="Call sprint", metric="calls", starts_on=start,
        ends_on=today + dt.timedelta(days=9), participant_kind="member",
        members=[world.rep, world.peer, world.other_rep],
        prizes=[{"rank": 1, "description": "Dinner for two", "amount": "200"},
                {"rank": 2, "description": "Movie tickets", "amount": "50"}],
    )  # fmt: skip
    for member, n in ((world.rep, 7), (world.peer, 9), (world.other_rep, 4)):
        for i in range(n):
            ActivityFactory(
                owner=member,
                type="call",
                occurred_at=timezone.now() - dt.timedelta(days=1, minutes=i),
            )
    year = period_of(today, "year")

    def due(days: int) -> dt.date:
        return min(year.end, max(year.start, today + dt.timedelta(days=days)))

    period = year.key
    kept = contract_svc.commitment_create(
        actor=world.manager, member=world.rep, period=period, side="member", kind="effort",
        title="Forty calls a week", due_date=due(-2),
    )  # fmt: skip
    contract_svc.commitment_set_status(actor=world.manager, commitment=kept, status="kept")
    contract_svc.commitment_create(
        actor=world.manager, member=world.rep, period=period, side="member", kind="result",
        title="Open three new accounts", due_date=due(10),
    )  # fmt: skip
    leads = contract_svc.commitment_create(
        actor=world.rep, member=world.rep, period=period, side="organisation", kind="leads",
        title="20 qualified leads a month", owner=world.manager,
        due_date=due(-1),
    )  # fmt: skip
    contract_svc.commitment_set_status(
        actor=world.rep, commitment=leads, status="missed", note="Only 12 arrived"
    )
    contract_svc.commitment_create(
        actor=world.manager, member=world.rep, period=period, side="organisation",
        kind="training", title="Negotiation workshop", owner=world.manager,
        due_date=due(15),
    )  # fmt: skip
    # a closed pulse answered by six people of North, and an open one for the rep
    north = world.rep.profile.team
    answered = pulse_svc.pulse_survey_create(
        actor=world.director, title="Last month's pulse", opens_on=today - dt.timedelta(days=3),
        closes_on=today,
    )  # fmt: skip
    people = [world.peer, world.manager]
    for i in range(4):
        m = MembershipFactory(
            organisation=world.org, role="rep",
            user=UserFactory(email=f"north{i}@acme.test", full_name=f"North {i}"),
        )  # fmt: skip
        m.profile.team = north
        m.profile.save()
        people.append(m)
    comments = ["More leads please", "", "Great coaching this month", "", "", "Clear targets"]
    for i, member in enumerate(people):
        pulse_svc.pulse_respond(
            actor=member, survey=answered, motivation=3 + i % 3, support=2 + i % 4,
            clarity=4, comment=comments[i],
        )  # fmt: skip
    pulse_svc.pulse_survey_close(actor=world.director, survey=answered)
    pulse_svc.pulse_survey_create(
        actor=world.director, title="This week's pulse", opens_on=today,
        closes_on=today + dt.timedelta(days=5),
    )  # fmt: skip
    world.contest = contest
    return world


def test_a_rep_thanks_a_colleague_for_a_value_and_sees_it_in_the_feed(
    motivation_world, live_server, browser_page
):
    page = browser_page
    url = live_server.url
    sign_in(page, url, "rep@acme.test")

    # the rep opens Kudos from the menu
    page.locator("#sidebar").get_by_role("link", name="Kudos").click()
    page.wait_for_url(url + "/motivation/kudos/")
    assert page.get_by_role("heading", name="Kudos", exact=True).is_visible()
    assert page.get_by_text("Shared the Lotus playbook with the whole team.").is_visible()
    shot(page, "m01-kudos-feed")

    # and thanks a teammate for "Customer first" — the form answers in place (htmx)
    page.get_by_label("Who do you want to thank?").select_option(label="Trần Thị Bình · North")
    page.get_by_label("For which of our values?").select_option(label="Customer first")
    page.get_by_label("What they did").fill("Drove to Thủ Đức to fix the scanner before opening.")
    page.get_by_role("button", name="Send kudos").click()
    page.get_by_text("Your kudos to Trần Thị Bình is in the feed.").wait_for()
    assert page.url == url + "/motivation/kudos/"  # no page load

    # the feed shows it at the top, with the value
    first = " ".join(page.locator("#kudos-feed .kudos").first.inner_text().split())
    assert "Drove to Thủ Đức to fix the scanner before opening." in first
    assert "Customer first" in first
    assert "Nguyễn Văn An thanked Trần Thị Bình" in first
    shot(page, "m02-kudos-given")

    # the team tab keeps it too (the two are in North)
    page.get_by_role("link", name="My team").click()
    page.wait_for_url(url + "/motivation/kudos/?feed=team")
    assert page.locator("#kudos-feed").get_by_text("Drove to Thủ Đức").is_visible()
    assert not page.locator("#kudos-feed").get_by_text("Shared the Lotus playbook").count()

    # the rep's own recognition: the badge the manager gave
    page.get_by_role("link", name="My recognition").click()
    page.get_by_text("Covered Bình's accounts").wait_for()  # the page the click opens
    assert page.get_by_text("Covered Bình's accounts").is_visible()
    shot(page, "m03-my-recognition")

    # the contest: live standings, the rep second behind the peer
    page.locator("#sidebar").get_by_role("link", name="Contests").click()
    page.get_by_role("link", name="Call sprint").click()
    page.wait_for_selector("h1:has-text('Call sprint')")  # count() does not wait
    rows = page.locator("#standings tbody tr")
    assert rows.count() == 3
    assert "Trần Thị Bình" in rows.nth(0).inner_text()
    assert "Nguyễn Văn An" in rows.nth(1).inner_text() and "You" in rows.nth(1).inner_text()
    shot(page, "m04-contest")

    # our commitments: both sides, with the record of each
    page.locator("#sidebar").get_by_role("link", name="Our commitments").click()
    page.get_by_text("Forty calls a week").wait_for()  # the page the click opens
    assert page.get_by_text("Forty calls a week").is_visible()
    assert page.get_by_text("Negotiation workshop").is_visible()
    shot(page, "m05-commitments")

    # the pulse: answer this week's, anonymously
    page.locator("#sidebar").get_by_role("link", name="Pulse").click()
    page.get_by_role("link", name="Answer (1 minute)").click()
    for legend, score in (("motivated", "4"), ("supported", "3"), ("clear", "5")):
        page.get_by_role("group", name=legend).get_by_text(score, exact=True).click()
    shot(page, "m06-pulse-answer")
    page.get_by_role("button", name="Send my answer").click()
    page.get_by_text("Your answer was stored without your name.").wait_for()
    assert page.get_by_text("Answered — thank you").is_visible()

    # the same pages in Vietnamese
    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_function("() => document.documentElement.lang === 'vi'")
    page.goto(url + "/motivation/kudos/")
    assert page.get_by_role("heading", name="Lời cảm ơn", exact=True).is_visible()
    shot(page, "m10-kudos-vi")
    page.goto(url + "/motivation/commitments/")
    assert page.get_by_role("heading", name="Cam kết của chúng ta").is_visible()
    shot(page, "m11-commitments-vi")
    assert not page.console_errors, page.console_errors


def test_badges_and_pulse_results_for_a_manager(motivation_world, live_server, browser_page):
    page = browser_page
    url = live_server.url
    sign_in(page, url, "manager@acme.test")

    page.locator("#sidebar").get_by_role("link", name="Badges").click()
    page.get_by_text("Team player").first.wait_for()  # the page the click opens
    assert page.get_by_text("Team player").first.is_visible()
    shot(page, "m07-badges")

    page.locator("#sidebar").get_by_role("link", name="Team commitments").click()
    page.get_by_role("link", name="Nguyễn Văn An").wait_for()  # the page the click opens
    assert page.get_by_role("link", name="Nguyễn Văn An").is_visible()
    shot(page, "m08-team-commitments")

    page.locator("#sidebar").get_by_role("link", name="Pulse").click()
    page.get_by_role("link", name="Results").first.click()
    page.get_by_text("Great coaching this month").wait_for()
    shot(page, "m09-pulse-results")
    assert page.locator("table").first.get_by_text("North", exact=True).is_visible()
    assert page.get_by_text("Great coaching this month").is_visible()
    shot(page, "m09-pulse-results")
    assert not page.console_errors, page.console_errors

"""What a manager and a rep click in development (Playwright, Debian chromium).

A manager prepares a check-in from its live agenda, agrees an action item, records a
coaching session and gives feedback; the rep then sees them on "My development" and
completes a self-assessment. Screenshots land in var/screenshots/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from saleshelm.development.frameworks import framework_load
from saleshelm.development.models import CheckIn, CoachingSession, Feedback
from saleshelm.development.services import assessment_cycle_create
from saleshelm.development.signals_engine import evaluate
from saleshelm.people.services import member_profile_update, role_profile_save
from saleshelm.tenancy.actors import SystemActor
from tests.conftest import build_world
from tests.crm.factories import OpportunityFactory
from tests.e2e.conftest import new_page, shot, sign_in
from tests.performance.factories import TargetFactory, order_line

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dev_world(transactional_db):
    world = build_world()
    system = SystemActor(world.org)
    ae = role_profile_save(
        actor=system,
        name="Account Executive",
        purpose="Win and grow mid-market accounts.",
        key_tasks=["Build pipeline", "Close deals"],
        responsibilities=[],
        kpis=[],
    )
    member_profile_update(
        actor=system, membership=world.rep, title="Account Executive", role_profile=ae
    )
    framework_load(actor=system, framework="b2b", language="en")
    today = timezone.localdate()
    assessment_cycle_create(
        actor=world.manager,
        name="Year-end review",
        opens_on=today,
        self_due=today + dt.timedelta(days=7),
        manager_due=today + dt.timedelta(days=14),
    )
    # live data for the agenda and the signals: a stuck deal and a deal without next step
    OpportunityFactory(
        owner=world.rep,
        name="Acme logistics rollout",
        next_step="Send revised proposal",
        next_step_date=today + dt.timedelta(days=2),
        stage_entered_at=timezone.now() - dt.timedelta(days=35),
    )
    OpportunityFactory(owner=world.rep, name="Bình Minh retail chain", next_step="")
    # this month's revenue target, and one order booked against it
    TargetFactory(member=world.rep, period=today.strftime("%Y-%m"), value="40000")
    order_line(world.rep, today.replace(day=1), "10000")
    evaluate(organisation=world.org, now=timezone.now() - dt.timedelta(days=3))
    evaluate(organisation=world.org)
    return world


def _page(browser):
    """A wider page than the default, and more patient: this journey is long and the machine
    may be busy (a shared CI runner)."""
    page = new_page(browser, viewport={"width": 1360, "height": 900})
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)
    return page


def test_manager_coaches_from_a_live_agenda_and_the_rep_follows_up(
    dev_world, live_server, browser, monkeypatch
):
    # The test reads the database between clicks (CheckIn, CoachingSession, Feedback): allow
    # the ORM on the main thread while Playwright's sync API runs.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    world, url = dev_world, live_server.url

    # --- the manager ------------------------------------------------------------------
    page = _page(browser)
    sign_in(page, url, "manager@acme.test")
    page.locator("#sidebar").get_by_role("link", name="My team's development").click()
    page.wait_for_url(url + "/development/team/")
    assert page.get_by_role("heading", name="Coaching queue").is_visible()
    assert page.locator("main").get_by_text("Nguyễn Văn An").first.is_visible()
    shot(page, "dev-01-manager-coaching-queue")

    # plan a fortnightly check-in with the rep
    page.get_by_role("link", name="Plan a check-in").first.click()
    page.get_by_label("With").select_option(label="Nguyễn Văn An · North")
    page.get_by_label("Repeat").select_option(label="Every two weeks")
    page.get_by_role("button", name="Plan", exact=True).click()
    page.wait_for_url(f"{url}/development/check-ins/*/")
    check_in = CheckIn.objects.get(member=world.rep)

    # the agenda is built from live data: results, signals, the stuck deal, no next step
    agenda = page.locator("#agenda")
    assert agenda.get_by_text("Acme logistics rollout").first.is_visible()
    assert agenda.get_by_text("Bình Minh retail chain").first.is_visible()
    assert agenda.get_by_role("heading", name="Results and pacing").is_visible()
    month = agenda.locator("li", has_text=f"Revenue, {timezone.localdate():%Y-%m}")
    assert "$10,000 of $40,000 (25%); pacing" in month.inner_text()
    shot(page, "dev-02-check-in-live-agenda")

    # agree an action item (htmx) and write notes
    page.get_by_label("Action", exact=True).fill("Book the CFO meeting at Acme")
    page.locator("#action-items").get_by_role("button", name="Add").click()
    page.locator("#action-items .item-text", has_text="Book the CFO meeting at Acme").wait_for()
    page.get_by_role("textbox", name="Notes").fill(
        "Focus on the two largest deals; pricing approach agreed."
    )
    page.get_by_role("button", name="Save notes").click()
    page.get_by_text("Notes saved at").wait_for()
    shot(page, "dev-03-check-in-action-item-and-notes")

    # record a coaching session from the check-in
    page.get_by_role("link", name="Record coaching").click()
    page.get_by_label("Observation", exact=True).select_option(label="Ride-along")
    page.get_by_label("Focus competency").select_option(label="Negotiation")
    page.get_by_label("What I observed").fill(
        "Strong opening with the buyer; conceded the discount before asking for the term."
    )
    page.get_by_label("Agreed actions").fill("Trade every concession\nPrepare a walk-away price")
    page.get_by_label("Follow up on").fill(
        (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    )
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(f"{url}/development/coaching/*/")
    assert page.get_by_text("Trade every concession").is_visible()
    shot(page, "dev-04-coaching-session")
    assert CoachingSession.objects.filter(member=world.rep, coach=world.manager).count() == 1

    # give shared feedback
    page.goto(f"{url}/development/feedback/give/?subject={world.rep.pk}")
    page.get_by_label("Praise").check()
    page.get_by_label("Feedback", exact=True).fill(
        "Your discovery call with Acme was excellent: you quantified the cost of the delays."
    )
    page.get_by_label("Shared with their managers").check()
    shot(page, "dev-05-give-feedback")
    page.get_by_role("button", name="Save feedback").click()
    page.get_by_text("Feedback for Nguyễn Văn An saved.").wait_for()
    assert Feedback.objects.filter(subject=world.rep, author=world.manager).count() == 1

    # complete the check-in: the next one is planned and the open item moves into it
    page.goto(f"{url}/development/check-ins/{check_in.pk}/")
    page.get_by_role("button", name="Mark as done").click()
    page.get_by_text("The next one is planned for").wait_for()
    nxt = CheckIn.objects.filter(member=world.rep, status="planned").get()
    page.goto(f"{url}/development/check-ins/{nxt.pk}/")
    assert page.locator("#action-items").get_by_text("Carried forward").is_visible()
    shot(page, "dev-06-next-check-in-carried-item")

    # --- the rep ----------------------------------------------------------------------
    rep = _page(browser)
    sign_in(rep, url, "rep@acme.test")
    rep.locator("#sidebar").get_by_role("link", name="My development").click()
    rep.wait_for_url(url + "/development/")
    main = rep.locator("main")
    assert main.get_by_role("heading", name="My signals").is_visible()
    assert main.get_by_text("Acme logistics rollout").first.is_visible()
    assert main.get_by_text("you quantified the cost of the delays").is_visible()
    assert main.get_by_role("link", name="Assess myself").is_visible()
    shot(rep, "dev-07-rep-my-development")

    # the coaching session is there for the rep too
    rep.get_by_role("link", name="Ride-along · Negotiation").click()
    rep.wait_for_url(f"{url}/development/coaching/*/")
    assert rep.get_by_text("conceded the discount").is_visible()

    # the self-assessment
    rep.goto(url + "/development/")
    rep.get_by_role("link", name="Assess myself").click()
    rep.wait_for_url(f"{url}/development/assessments/*/self/")
    selects = rep.locator("form select")
    for i in range(selects.count()):
        selects.nth(i).select_option(index=3 if i % 3 else 4)
    rep.locator("form textarea").first.fill("Led the Acme negotiation end to end.")
    shot(rep, "dev-08-rep-self-assessment-form")
    rep.get_by_role("button", name="Submit").click()
    rep.get_by_text("Assessment submitted.").wait_for()
    assert rep.locator("svg.gap-chart").is_visible()
    shot(rep, "dev-09-rep-assessment-gap-chart")

    # in Vietnamese
    rep.context.add_cookies([{"name": "django_language", "value": "vi", "url": url}])
    rep.goto(url + "/development/")
    assert rep.get_by_role("heading", name="Phát triển của tôi", exact=True).is_visible()
    shot(rep, "dev-10-rep-my-development-vi")

    errors = page.console_errors + rep.console_errors
    assert not errors, errors

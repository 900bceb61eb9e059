"""A rep's day, end to end in the browser (Playwright), on a seeded organisation.

My period (attainment, pacing); my deals on the pipeline board, one moved a stage on with the
keyboard; what that deal earns me; my commission statement, read to the cent against the
statement in the database; my development (competencies, plan, feedback); kudos to a colleague
for a company value, seen in the feed. Every figure asserted is computed here by the selectors
the pages use, and every action is checked again after a fresh page load. My period, the board
and the statement run a second time in Vietnamese, switched with the language switch.

Screenshots: var/screenshots/journey-rep-NN-<step>.png (and journey-rep-vi-NN-...).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import translation

from saleshelm.core.seeding import SeedOptions, seed_organisation
from saleshelm.crm import services as crm_services
from saleshelm.development.models import DevelopmentPlan, Feedback, PlanStatus
from saleshelm.development.services.common import org_today
from saleshelm.direction.models import CompanyValue
from saleshelm.incentives.models import Statement
from saleshelm.incentives.models.recognition import Kudos
from saleshelm.incentives.selectors.deal_preview import deal_preview
from saleshelm.performance import charts
from saleshelm.performance.selectors import dashboards
from saleshelm.tenancy.models import Membership
from tests.conftest import PASSWORD
from tests.e2e.conftest import money_shown, new_page, shot, sign_in, squash

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGINS = {
    role: f"{role}@journey.saleshelm.test" for role in ("admin", "director", "manager", "rep")
}
DEAL = "Hải Phòng Port: handheld scanners"
KUDOS = "Stayed late to rebuild the Sông Hồng quote so it went out before the deadline."


@pytest.fixture
def journey(transactional_db):
    """The seeded organisation, one more open deal of the rep's closing this quarter, and what
    each page must show, computed by the selectors."""
    report = seed_organisation(
        SeedOptions(
            org="journey",
            name="Helm Trading Co.",
            currency="USD",
            reps=10,
            months=6,
            orders=1_500,
            activities=1_000,
            seed=11,
            logins=dict(LOGINS),
            password=PASSWORD,
        )
    )
    org = report.organisation
    members = Membership.objects.filter(organisation=org).select_related("user", "profile__team")
    rep = members.get(user__email=LOGINS["rep"])
    today = org_today(org)
    close = min(today + dt.timedelta(days=10), dt.date(today.year, 12, 31))
    deal = crm_services.opportunity_create(
        actor=rep,
        name=DEAL,
        amount=Decimal("36500"),
        close_date=close,
        next_step="Demo the scanners at the port",
        next_step_date=close,
    )
    colleague = (
        members.filter(role="rep", profile__team=rep.profile.team, is_active=True)
        .exclude(pk=rep.pk)
        .order_by("user__full_name")
        .first()
    )
    statement = Statement.objects.filter(member=rep).order_by("-period_start", "-pk").first()
    assert colleague is not None and statement is not None, "the seed gives both"
    value = CompanyValue.objects.filter(organisation=org).order_by("pk").first()
    with translation.override("en"), charts.pinned_language():
        mine = dashboards.my_period(actor=rep, user_id=rep.user_id)["revenue"]
        expected = {
            "attainment": charts.percent(mine.attainment),
            "pacing": charts.percent(mine.pacing),
            "actual": charts.money(mine.actual, "USD"),
            "target": charts.money(mine.target, "USD"),
        }
    preview = deal_preview(actor=rep, opportunity_id=deal.pk, today=today)
    feedback = Feedback.objects.filter(subject=rep).order_by("-created_at", "-pk").first()
    plan = DevelopmentPlan.objects.filter(member=rep, status=PlanStatus.ACTIVE).first()
    return {
        "org": org,
        "rep": rep,
        "rep_name": rep.user.get_full_name(),
        "deal": deal,
        "first_stage": deal.stage.name,
        "preview": preview,
        "statement": statement,
        "lines": {ln.pk: ln.amount for ln in statement.lines.all()},
        "colleague": colleague,
        "colleague_label": f"{colleague.user.get_full_name()} · {colleague.profile.team.name}",
        "value": value.name,
        "feedback": feedback,
        "plan": plan,
        "expected": expected,
    }


def _column(page, stage: str):
    return page.locator(f'.board-column[data-stage-name="{stage}"]')


def test_a_rep_runs_the_day_from_my_period_to_kudos(journey, live_server, browser, monkeypatch):
    # The test reads the database between clicks to prove each action persisted.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base, exp, deal = live_server.url, journey["expected"], journey["deal"]
    page = new_page(browser)
    sign_in(page, base, LOGINS["rep"])

    # 1. My period: attainment and pacing as the selector computes them, with charts
    page.locator("#sidebar").get_by_role("link", name="My period").click()
    page.wait_for_url(base + "/performance/my/")
    kpis = page.locator("section.kpis")
    kpis.wait_for()
    attainment = squash(kpis.locator(".kpi", has_text="Attainment").inner_text())
    assert exp["attainment"] in attainment
    assert f"{exp['actual']} of {exp['target']}" in attainment
    assert exp["pacing"] in kpis.locator(".kpi", has_text="Pacing").inner_text()
    assert page.locator("main svg.chart[role=img]").count() >= 2
    # me, highlighted on the team's leaderboard
    assert page.locator("tr.is-me", has_text=journey["rep_name"]).first.is_visible()
    shot(page, "journey-rep-01-my-period")

    # 2. My deals on the board; the new deal moves one stage on with the keyboard
    page.locator("#sidebar").get_by_role("link", name="Pipeline board").click()
    page.wait_for_url(base + "/sales/board/")
    first = _column(page, journey["first_stage"])
    card = first.locator(".board-card", has_text=DEAL)
    card.wait_for()
    stages = page.locator(".board-column").evaluate_all(
        "cols => cols.map(c => c.dataset.stageName)"
    )
    following = stages[stages.index(journey["first_stage"]) + 1]
    shot(page, "journey-rep-02-board")
    card.focus()
    page.keyboard.press("ArrowRight")
    _column(page, following).locator(".board-card", has_text=DEAL).wait_for()
    assert page.get_by_text(f"“{DEAL}” moved to {following}.").is_visible()
    page.reload()  # persisted
    _column(page, following).locator(".board-card", has_text=DEAL).wait_for()
    assert first.locator(".board-card", has_text=DEAL).count() == 0
    deal.refresh_from_db()
    assert deal.stage.name == following
    shot(page, "journey-rep-03-board-moved")

    # 3. What this deal earns me, on the deal's page (loaded in place)
    _column(page, following).get_by_role("link", name=DEAL).click()
    page.wait_for_url(f"{base}/sales/opportunities/{deal.pk}/")
    earnings = page.locator("#deal-earnings")
    earnings.wait_for()
    preview = journey["preview"]
    if preview.plan:
        text = squash(earnings.inner_text())
        assert "This deal would earn you about" in text
        shown = re.search(r"about (-?\$?\d[\d,]*(?:\.\d+)?)", text)
        assert shown and money_shown(shown.group(1)) == preview.earns, text
        assert preview.plan in text
    else:
        assert "has no commission plan in force" in earnings.inner_text()
    history = page.locator("section", has=page.get_by_role("heading", name="Stage history"))
    assert history.get_by_text(following).first.is_visible()
    shot(page, "journey-rep-04-deal-earnings")

    # 4. My commission statement, read to the cent against the database
    statement = journey["statement"]
    page.locator("#sidebar").get_by_role("link", name="Pay statements").click()
    page.wait_for_url(base + "/motivation/pay/**")
    page.goto(f"{base}/motivation/pay/?period={statement.period}")
    page.locator(f"a[href='/motivation/pay/statements/{statement.pk}/']").first.click()
    page.wait_for_url(f"{base}/motivation/pay/statements/{statement.pk}/")
    total = page.locator("section[aria-labelledby=lines-heading] tr.pay-total td").first
    total.wait_for()
    assert money_shown(total.inner_text()) == statement.total
    for pk, amount in journey["lines"].items():
        cell = page.locator(f"#line-{pk} td").nth(5)
        assert money_shown(cell.inner_text()) == amount, (pk, cell.inner_text(), amount)
    assert sum(journey["lines"].values(), Decimal(0)) == statement.total
    shot(page, "journey-rep-05-statement")

    # 5. My development: competencies, plan, feedback
    page.locator("#sidebar").get_by_role("link", name="My development").click()
    page.wait_for_url(base + "/development/")
    main = page.locator("main")
    for heading in ("My signals", "Feedback I received", "My competencies"):
        assert main.get_by_role("heading", name=heading).first.is_visible(), heading
    assert main.get_by_role("heading", name="My development plan").is_visible()
    if journey["plan"] is not None:
        assert main.locator(".card-kicker", has_text=journey["plan"].title).is_visible()
    if journey["feedback"] is not None:
        assert main.get_by_text(journey["feedback"].body[:40]).first.is_visible()
    shot(page, "journey-rep-06-my-development")

    # 6. Kudos to a colleague for a company value; it is in the feed, and stays there
    page.locator("#sidebar").get_by_role("link", name="Kudos").click()
    page.wait_for_url(base + "/motivation/kudos/")
    page.get_by_label("Who do you want to thank?").select_option(label=journey["colleague_label"])
    page.get_by_label("For which of our values?").select_option(label=journey["value"])
    page.get_by_label("What they did").fill(KUDOS)
    page.get_by_role("button", name="Send kudos").click()
    colleague = journey["colleague"].user.get_full_name()
    page.get_by_text(f"Your kudos to {colleague} is in the feed.").wait_for()
    page.reload()
    # (found by its text: the seed stamps some of today's kudos later today, above it)
    mine = squash(page.locator("#kudos-feed .kudos", has_text=KUDOS).inner_text())
    assert journey["value"] in mine
    assert f"{journey['rep_name']} thanked {colleague}" in mine
    assert Kudos.objects.filter(giver=journey["rep"], message=KUDOS).count() == 1
    shot(page, "journey-rep-07-kudos")
    assert page.console_errors == []

    # 7. My period, the board and the statement in Vietnamese, switched in the page
    vi = new_page(browser, locale="vi")
    sign_in(vi, base, LOGINS["rep"])
    vi.get_by_role("button", name="Tiếng Việt").click()
    vi.wait_for_function("() => document.documentElement.lang === 'vi'")
    vi.goto(base + "/performance/my/")
    vi.locator("section.kpis").wait_for()
    shot(vi, "journey-rep-vi-01-my-period")
    vi.goto(base + "/sales/board/")
    _column(vi, following).locator(".board-card", has_text=DEAL).wait_for()
    shot(vi, "journey-rep-vi-02-board")
    vi.goto(f"{base}/sales/opportunities/{deal.pk}/")
    vi.locator("#deal-earnings").wait_for()
    shot(vi, "journey-rep-vi-03-deal-earnings")
    vi.goto(f"{base}/motivation/pay/statements/{statement.pk}/")
    total = vi.locator("section[aria-labelledby=lines-heading] tr.pay-total td").first
    assert money_shown(total.inner_text()) == statement.total
    shot(vi, "journey-rep-vi-04-statement")
    vi.goto(base + "/development/")
    # a link that opens a record reads "Xem" (view), not "Đang mở" (the status "open")
    assert vi.locator("main a.card-link", has_text="Xem").count() >= 1
    shot(vi, "journey-rep-vi-05-my-development")
    assert vi.console_errors == []

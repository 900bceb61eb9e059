"""A manager's week, end to end in the browser (Playwright), on a seeded organisation.

Signs in; reads the team dashboard (attainment, pacing, charts) and "who needs help"; opens the
development signals; prepares a check-in with a rep from the coaching queue (its live agenda),
holds it (notes, an action item, done); records a coaching session; reviews the team's
commitments; runs the forecast roll-up and submits the team's call from its reps' calls. Every
figure the test asserts is computed here by the same selectors the pages use, and every action
is checked again after a fresh page load. The dashboard and forecast steps run a second time in
Vietnamese, switched with the language switch in the page.

Screenshots: var/screenshots/journey-manager-NN-<step>.png (and journey-manager-vi-NN-...).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from saleshelm.core.seeding import SeedOptions, seed_organisation
from saleshelm.development.models import CheckIn, CheckInStatus, CoachingSession
from saleshelm.development.selectors.checkins import check_in_agenda
from saleshelm.development.services.common import org_today
from saleshelm.incentives.selectors import contract as contract_sel
from saleshelm.performance import charts
from saleshelm.performance.models import ForecastOverride
from saleshelm.performance.selectors import dashboards
from saleshelm.performance.selectors import forecasts as forecast_sel
from saleshelm.tenancy.models import Membership
from tests.conftest import PASSWORD
from tests.e2e.conftest import money_shown, new_page, shot, sign_in, squash

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LOGINS = {
    role: f"{role}@journey.saleshelm.test" for role in ("admin", "director", "manager", "rep")
}
NOTES = "Thủy is behind pace: we agreed to work the two largest open deals first."
ACTION = "Book the pricing call with Sông Hồng before Friday"
OBSERVED = "Clear discovery questions; moved to price before the buyer had agreed the value."
FORECAST_REASON = "The reps' calls, rolled up after the one-to-ones"


@pytest.fixture
def journey(transactional_db):
    """The seeded organisation, and what each page must show, computed by the selectors."""
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
    members = Membership.objects.filter(organisation=org).select_related("user")
    manager = members.get(user__email=LOGINS["manager"])
    rep = members.get(user__email=LOGINS["rep"])
    today = org_today(org)
    check_in = (
        CheckIn.objects.filter(member=rep, manager=manager, status=CheckInStatus.PLANNED)
        .order_by("scheduled_for")
        .first()
    )
    assert check_in is not None, "the seed plans the next check-in of every rep"
    with translation.override("en"), charts.pinned_language():
        team = dashboards.team_dashboard(actor=manager, user_id=manager.user_id)
        totals = team["totals"]
        rollup = forecast_sel.forecast_rollup(actor=manager)
        agenda = check_in_agenda(actor=manager, check_in=check_in, today=today)
        expected = {
            "team": team["team"].name,
            "attainment": charts.percent(totals.attainment),
            "pacing": charts.percent(totals.pacing),
            "actual": charts.money(totals.actual, team["currency"]),
            "target": charts.money(totals.target, team["currency"]),
            "help": [x.row.name for x in team["help"]],
            "members": {
                x.row.name: charts.money(x.row.actual, team["currency"]) for x in team["lines"]
            },
            "agenda": [
                (s.title, s.total, [(str(e.title), str(e.detail or "")) for e in s.entries])
                for s in agenda
            ],
            "calls": {
                r["member"].name: r["forecast"] for r in rollup["rows"] if r["forecast"] is not None
            },
            "rollup_total": rollup["total"],
            "words": {
                w.member.user.get_full_name(): (
                    w.member_side.kept,
                    w.member_side.decided,
                    w.organisation_side.kept,
                    w.organisation_side.decided,
                )
                for w in contract_sel.team_keeping_our_word(actor=manager, today=today)
            },
        }
    return {
        "org": org,
        "manager": manager,
        "rep": rep,
        "rep_name": rep.user.get_full_name(),
        "check_in": check_in,
        "today": today,
        "expected": expected,
    }


def test_a_manager_runs_the_week_from_dashboard_to_forecast(
    journey, live_server, browser, monkeypatch
):
    # The test reads the database between clicks to prove each action persisted.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    base, exp, rep_name = live_server.url, journey["expected"], journey["rep_name"]
    page = new_page(browser)
    sign_in(page, base, LOGINS["manager"])

    # 1. The team dashboard: attainment and pacing as the selector computes them, two charts
    page.locator("#sidebar").get_by_role("link", name="Team dashboard").click()
    page.wait_for_url(base + "/performance/team/")
    page.get_by_role("heading", name=exp["team"], level=1).wait_for()
    kpis = page.locator("section.kpis")
    attainment = squash(kpis.locator(".kpi", has_text="Attainment").inner_text())
    assert exp["attainment"] in attainment
    assert f"{exp['actual']} of {exp['target']}" in attainment
    assert exp["pacing"] in kpis.locator(".kpi", has_text="Pacing").inner_text()
    assert page.locator("main svg.chart[role=img]").count() >= 2  # pacing, trend (and funnel)
    members = page.locator("section[aria-labelledby=members-heading] tbody tr")
    assert members.count() == len(exp["members"])
    for name, actual in exp["members"].items():
        row = members.filter(has=page.locator(".who-name").get_by_text(name, exact=True))
        assert actual in row.inner_text(), name
    shot(page, "journey-manager-01-team-dashboard")

    # 2. Who needs help: the same people, in the same order, as the selector flags them
    help_names = page.locator(".help-list .who-name").all_inner_texts()
    assert help_names == exp["help"][: len(help_names)] and help_names
    assert page.locator(".help-list .help-item", has_text=rep_name).count() == 1
    page.locator("#help-heading").scroll_into_view_if_needed()
    shot(page, "journey-manager-02-who-needs-help")

    # 3. The development signals escalated to the manager, among them the rep's
    page.locator("#sidebar").get_by_role("link", name="Signals").click()
    page.wait_for_url(base + "/development/signals/")
    page.get_by_role("heading", name="Signals", level=1).wait_for()
    assert page.locator("main").get_by_text(rep_name).first.is_visible()
    shot(page, "journey-manager-03-signals")

    # 4. The coaching queue, then "Prepare" the rep's planned check-in: its agenda is built
    #    from live data, section by section as the selector builds it
    page.locator("#sidebar").get_by_role("link", name="My team's development").click()
    page.wait_for_url(base + "/development/team/")
    page.get_by_role("link", name=f"Prepare {rep_name}").click()
    check_in = journey["check_in"]
    page.wait_for_url(f"{base}/development/check-ins/{check_in.pk}/")
    agenda = page.locator("#agenda")
    agenda.wait_for()
    for title, total, entries in exp["agenda"]:
        section = agenda.locator(
            "section.agenda-section", has=page.get_by_role("heading", name=title)
        )
        text = squash(section.inner_text())
        if total:
            assert section.locator(".count-pill").inner_text() == str(total), title
        for entry_title, detail in entries:
            assert squash(entry_title) in text, (title, entry_title)
            if detail and title == "Results and pacing":
                assert squash(detail) in text, (title, detail)
    shot(page, "journey-manager-04-check-in-agenda")

    # 5. Hold it: an action item (htmx), notes, done; the next one is planned
    page.get_by_label("Action", exact=True).fill(ACTION)
    page.locator("#action-items").get_by_role("button", name="Add").click()
    page.locator("#action-items .item-text", has_text=ACTION).wait_for()
    page.get_by_role("textbox", name="Notes").fill(NOTES)
    page.get_by_role("button", name="Save notes").click()
    page.get_by_text("Notes saved at").wait_for()
    page.reload()  # persisted: a fresh page shows both
    assert page.get_by_role("textbox", name="Notes").input_value() == NOTES
    assert page.locator("#action-items .item-text", has_text=ACTION).count() == 1
    shot(page, "journey-manager-05-check-in-held")
    page.get_by_role("button", name="Mark as done").click()
    page.get_by_text("The next one is planned for").wait_for()
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.DONE and check_in.notes == NOTES
    nxt = CheckIn.objects.get(member=journey["rep"], status=CheckInStatus.PLANNED)
    page.goto(f"{base}/development/check-ins/{nxt.pk}/")
    carried = page.locator("#action-items .item-text", has_text=ACTION)
    assert carried.count() == 1  # the open action moves into the next check-in
    shot(page, "journey-manager-06-next-check-in")

    # 6. Record a coaching session from the check-in
    page.goto(f"{base}/development/check-ins/{check_in.pk}/")
    page.get_by_role("link", name="Record coaching").click()
    page.get_by_label("Observation", exact=True).select_option(label="Deal review")
    page.get_by_label("Focus competency").select_option(label="Negotiation")
    page.get_by_label("What I observed").fill(OBSERVED)
    page.get_by_label("Agreed actions").fill("State the value before the price\nAsk for the term")
    page.get_by_label("Follow up on").fill((journey["today"] + dt.timedelta(days=14)).isoformat())
    shot(page, "journey-manager-07-coaching-form")
    page.get_by_role("button", name="Save session").click()
    page.wait_for_url(f"{base}/development/coaching/*/")
    session = CoachingSession.objects.get(
        member=journey["rep"], coach=journey["manager"], observations=OBSERVED
    )
    assert page.url == f"{base}/development/coaching/{session.pk}/"
    page.reload()
    assert page.get_by_text("State the value before the price").is_visible()
    assert page.get_by_text(OBSERVED).is_visible()
    shot(page, "journey-manager-08-coaching-session")

    # 7. The team's commitments: each side's record, member by member, as the selector has it
    page.locator("#sidebar").get_by_role("link", name="Team commitments").click()
    page.wait_for_url(base + "/motivation/commitments/team/")
    rows = page.locator("main table tbody tr")
    rows.first.wait_for()
    assert rows.count() == len(exp["words"])
    for name, (mk, md, ok, od) in exp["words"].items():
        text = squash(rows.filter(has=page.get_by_role("link", name=name, exact=True)).inner_text())
        assert f"({mk}/{md})" in text and f"({ok}/{od})" in text, (name, text)
    shot(page, "journey-manager-09-team-commitments")

    # 8. The forecast roll-up: each rep's call as submitted; the manager submits the team's
    #    forecast as the sum of the reps' calls, with the reason
    page.locator("#sidebar").get_by_role("link", name="Forecast").click()
    page.wait_for_url(base + "/performance/forecast/")
    rollup = page.locator("section", has=page.locator("#rollup-heading"))
    rollup.wait_for()
    assert f"Roll-up: {exp['team']}" in rollup.locator("#rollup-heading").inner_text()
    shown = {}
    for row in rollup.locator("tbody tr").all():
        name = row.locator(".who-name").inner_text()
        counts = row.locator("td").nth(3).inner_text()
        if counts.strip() != "—":
            shown[name] = money_shown(counts)
    assert shown == exp["calls"]
    team_call = sum(shown.values(), Decimal(0))
    assert team_call == exp["rollup_total"]
    footer = rollup.locator("tfoot")
    assert money_shown(footer.locator("td").nth(2).inner_text()) == team_call
    shot(page, "journey-manager-10-forecast-rollup")
    footer.get_by_text("Override total").click()
    footer.get_by_label(f"Your call for {exp['team']}").fill(str(team_call))
    footer.get_by_label("Reason").fill(FORECAST_REASON)
    footer.get_by_role("button", name="Save override").click()
    page.get_by_text("Override saved.").wait_for()
    override = ForecastOverride.objects.get(organisation=journey["org"], team__isnull=False)
    assert override.amount == team_call and override.reason == FORECAST_REASON
    page.reload()  # persisted: the total now shows the team's own call and its reason
    footer = page.locator("#rollup-heading").locator("xpath=ancestor::section[1]").locator("tfoot")
    cell = footer.locator("td").nth(1)
    note = cell.locator(".override-note").inner_text()
    assert note.startswith(FORECAST_REASON[:30])
    assert money_shown(cell.inner_text().replace(note, "")) == team_call  # the team's own call
    assert money_shown(footer.locator("td").nth(2).inner_text()) == team_call  # and it counts
    shot(page, "journey-manager-11-forecast-submitted")
    assert page.console_errors == []

    # 9. The same pages in Vietnamese, switched the way a user does it
    vi = new_page(browser, locale="vi")
    sign_in(vi, base, LOGINS["manager"])
    vi.get_by_role("button", name="Tiếng Việt").click()
    vi.wait_for_function("() => document.documentElement.lang === 'vi'")
    vi.goto(base + "/performance/team/")
    vi.locator("section.kpis").wait_for()
    with translation.override("vi"), charts.pinned_language():
        vi_attainment = charts.percent(_decimal_from(exp["attainment"]))
    assert vi_attainment in vi.locator("section.kpis .kpi").first.inner_text()
    shot(vi, "journey-manager-vi-01-team-dashboard")
    vi.goto(f"{base}/development/check-ins/{nxt.pk}/")
    vi.locator("#agenda").wait_for()
    shot(vi, "journey-manager-vi-02-check-in")
    vi.goto(base + "/performance/forecast/")
    vi.locator("#rollup-heading").wait_for()
    shot(vi, "journey-manager-vi-03-forecast")
    assert vi.console_errors == []


def _decimal_from(percent_text: str) -> Decimal:
    """'45.9%' -> Decimal('0.459')."""
    return Decimal(percent_text.rstrip("%").replace(",", "")) / 100

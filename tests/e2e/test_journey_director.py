"""A new sales director's first hour, all by clicking (no command line, no ORM writes).

From an empty installation: open SalesHelm, create the organisation, land on Get started,
import the team (a members file in SalesHelm's columns), the deals (HubSpot's deals export,
owners matched by full name to the imported members) and the targets, write the vision, a
goal, the mission and the company values, build a commission plan, and read the director's
dashboard with the imported figures. Screenshots: var/screenshots/journey-director-NN-*.png
(docs/guide/getting-started.md tells the story with them).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import new_page, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
BUDGET_SECONDS = 10 * 60
PASSWORD = "Sông-Hồng-chảy-về-biển-2026"

# The team of Đại Nam Retail Systems in SalesHelm's native members columns (SPEC §4): two
# regions under the director, four account executives, finance. The deal owners of the
# HubSpot sample (Nguyễn Văn An, Hoàng Minh Đức, Sarah Jones, Võ Thị Hoa) are among them.
MEMBERS_CSV = """email,name,role,team,parent_team,manages_team,territory,title,start_date
minh.tran@dainam.vn,Trần Quang Minh,manager,North,,yes,Hanoi,Regional Sales Manager,2020-02-10
an.nguyen@dainam.vn,Nguyễn Văn An,rep,Hanoi SMB,North,no,Hanoi,Account Executive,2023-03-01
binh.le@dainam.vn,Lê Thị Bình,rep,Hanoi SMB,North,no,Hanoi,Account Executive,2024-01-08
hoa.vo@dainam.vn,Võ Thị Hoa,manager,South,,yes,Ho Chi Minh City,Regional Sales Manager,2021-06-14
duc.hoang@dainam.vn,Hoàng Minh Đức,rep,Saigon Enterprise,South,no,Ho Chi Minh City,Senior Account Executive,2022-09-19
sarah.jones@dainam.vn,Sarah Jones,rep,Saigon Enterprise,South,no,Ho Chi Minh City,Account Executive,2025-02-03
kim.ngo@dainam.vn,Ngô Thanh Kim,finance,,,,,Finance Controller,2020-01-06
"""
# Quarterly targets: revenue for each account executive and won deals for the quarter in
# which the HubSpot export has its won deal (Saigon Logistics, closed 2026-06-28).
TARGETS_CSV = """metric,period,value,member_email,team,territory,product_category
won_deals,2026-Q2,2,duc.hoang@dainam.vn,,,
won_deals,2026-Q2,2,an.nguyen@dainam.vn,,,
revenue,2026-Q2,120000,duc.hoang@dainam.vn,,,
revenue,2026-Q2,90000,an.nguyen@dainam.vn,,,
revenue,2026-Q2,60000,sarah.jones@dainam.vn,,,
revenue,2026-Q2,60000,binh.le@dainam.vn,,,
"""


class Journey:
    """Numbered screenshots and the steps' wall times."""

    def __init__(self, page):
        self.page = page
        self.n = 0
        self.start = time.monotonic()
        self.laps: list[tuple[str, float]] = []

    def shot(self, step: str) -> None:
        self.n += 1
        shot(self.page, f"journey-director-{self.n:02d}-{step}")
        self.laps.append((step, time.monotonic() - self.start))


def _step_done(page, key: str) -> bool:
    return page.locator(f"#step-{key}").get_attribute("data-done") == "true"


def _stat(page, label: str) -> str:
    stat = page.locator(".stat", has=page.locator(".stat-label", has_text=re.compile(f"^{label}$")))
    return stat.locator(".stat-value").inner_text().strip()


def _import(page, base, j, *, kind: str, file: Path, fmt: str, step: str, rows: int) -> None:
    """From Get started: the step's import button, the file, (columns), check, import."""
    page.goto(base + "/start/")
    page.locator(f'a[href="/imports/new/?kind={kind}"]').first.click()
    page.wait_for_url(re.compile(r"/imports/new/"))
    # Preselected by the link.
    assert page.locator("#id_kind").input_value() == kind
    page.locator(f'input[name="format"][value="{fmt}"]').check()
    page.locator("#id_file").set_input_files(str(file))
    page.get_by_role("button", name="Read the file").click()
    if fmt == "native":
        page.wait_for_url(re.compile(r"/imports/\d+/columns/"))
        j.shot(f"{step}-columns")
        page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/imports/\d+/preview/"))
    button = page.get_by_role("button", name=f"Import {rows} rows")
    try:
        button.wait_for(timeout=15_000)
    except Exception:
        shot(page, f"journey-director-debug-{step}")
        raise
    assert _stat(page, "Errors") == "0"
    assert _stat(page, "Would be created") == str(rows)
    j.shot(f"{step}-check")
    button.click()
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    page.locator(".stat-label", has_text="Created").first.wait_for()
    assert _stat(page, "Created") == str(rows)
    assert _stat(page, "Errors") == "0"
    j.shot(f"{step}-done")


def test_a_new_director_sets_up_the_organisation(live_server, browser, tmp_path):
    base = live_server.url
    members_file = tmp_path / "dai-nam-team.csv"
    members_file.write_text(MEMBERS_CSV, encoding="utf-8")
    targets_file = tmp_path / "targets-2026-q2.csv"
    targets_file.write_text(TARGETS_CSV, encoding="utf-8")
    deals_file = tmp_path / "hubspot-deals.csv"
    shutil.copy(SAMPLES / "hubspot-deals.csv", deals_file)
    companies_file = tmp_path / "hubspot-companies.csv"
    shutil.copy(SAMPLES / "hubspot-companies.csv", companies_file)

    page = new_page(browser)
    j = Journey(page)

    # 1. An empty installation: the sign-in page offers to create the organisation.
    page.goto(base + "/")
    page.wait_for_url(re.compile(r"/login/"))
    link = page.get_by_role("link", name="Create your organisation")
    link.wait_for()
    j.shot("sign-in")
    link.click()
    page.wait_for_url(base + "/signup/")

    # 2. Start your organisation; the short name is suggested from the name.
    page.locator("#id_organisation_name").fill("Đại Nam Retail Systems")
    assert page.locator("#id_slug").input_value() == "dai-nam-retail-systems"
    page.locator("#id_currency").fill("USD")
    page.locator("#id_language").select_option("en")
    page.locator("#id_name").fill("Phạm Thị Lan")
    page.locator("#id_email").fill("lan.pham@dainam.vn")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    j.shot("signup")
    page.locator("#id_password2").fill("not the same")
    page.get_by_role("button", name="Create the organisation").click()
    page.locator(".field-error", has_text="The two passwords differ").wait_for()
    # Nothing was created: the same page, the organisation's fields kept.
    assert page.locator("#id_organisation_name").input_value() == "Đại Nam Retail Systems"
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Create the organisation").click()

    # 3. Get started: signed in as the organisation's admin, nothing done yet.
    page.wait_for_url(base + "/start/")
    assert page.locator(".org-name").inner_text().strip() == "Đại Nam Retail Systems"
    assert "0 of 6 steps done" in page.locator(".onboarding-summary").inner_text()
    assert page.locator('.step[data-done="true"]').count() == 0
    assert "Next: Import your team" in page.locator(".onboarding-summary").inner_text()
    j.shot("get-started")

    # 4. The team: a members file in SalesHelm's own columns.
    _import(page, base, j, kind="members", file=members_file, fmt="native", step="team", rows=7)
    page.goto(base + "/people/teams/")
    for team in ("North", "Hanoi SMB", "South", "Saigon Enterprise"):
        page.get_by_role("link", name=team, exact=True).first.wait_for()
    j.shot("team-tree")

    # 5. The deals: HubSpot's companies, then its deals export; owners matched by full name.
    _import(
        page, base, j, kind="accounts", file=companies_file, fmt="hubspot", step="companies", rows=4
    )
    _import(
        page, base, j, kind="opportunities", file=deals_file, fmt="hubspot", step="deals", rows=5
    )
    page.goto(base + "/sales/opportunities/")
    table = page.locator("table")
    table.wait_for()
    text = table.inner_text()
    for deal, owner in (
        ("Saigon Logistics - handhelds", "Hoàng Minh Đức"),
        ("Minh Phát - scanners Q3", "Nguyễn Văn An"),
        ("Mekong Pharma - support renewal", "Sarah Jones"),
        ("Blue Lotus - kiosk pilot", "Võ Thị Hoa"),
    ):
        row = page.locator("tr", has=page.get_by_role("link", name=deal))
        assert owner in row.inner_text(), (deal, owner, text)
    j.shot("deals")

    # 6. The targets.
    _import(page, base, j, kind="targets", file=targets_file, fmt="native", step="targets", rows=6)
    page.goto(base + "/performance/targets/?period=2026-Q2")
    page.get_by_text("Hoàng Minh Đức").first.wait_for()
    j.shot("targets")

    # 7. Vision, a goal, the mission and the values, through the direction pages.
    page.goto(base + "/start/")
    page.locator("#step-direction").get_by_role("link", name="Write the vision").click()
    page.wait_for_url(re.compile(r"/direction/vision/edit/"))
    page.locator("#id_statement").fill(
        "Every shop in Vietnam sells faster with a Đại Nam counter by 2030."
    )
    page.locator("#id_horizon").fill("2030")
    page.locator("main form.stack button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/direction/vision/$"))
    page.get_by_text("Every shop in Vietnam sells faster").first.wait_for()

    page.goto(base + "/start/")
    page.locator("#step-direction").get_by_role("link", name="Add a goal").click()
    page.wait_for_url(re.compile(r"/direction/goals/new/"))
    page.locator("#id_title").fill("Grow retail revenue 30% in 2026")
    page.locator("#id_period").fill("2026")
    page.locator("main form.stack button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/direction/goals/\d+/$"))
    page.get_by_role("heading", name="Grow retail revenue 30% in 2026").wait_for()
    j.shot("goal")

    page.goto(base + "/start/")
    page.locator("#step-direction").get_by_role("link", name="Write the mission").click()
    page.wait_for_url(re.compile(r"/direction/mission/edit/"))
    page.locator("#id_statement").fill(
        "We help Vietnamese retailers serve every customer in under a minute."
    )
    page.locator("main form.stack button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/direction/mission/$"))
    for name, meaning in (
        ("Customer first", "We solve the shop's problem before we sell a product."),
        ("Keep our word", "What we promise a customer or a colleague, we do."),
    ):
        page.goto(base + "/start/")
        page.locator("#step-direction").get_by_role("link", name="Add a value").click()
        page.wait_for_url(re.compile(r"/direction/values/new/"))
        page.locator("#id_name").fill(name)
        page.locator("#id_description").fill(meaning)
        page.locator("main form.stack button[type=submit]").first.click()
        page.wait_for_url(re.compile(r"/direction/mission/$"))
    page.get_by_text("Keep our word").first.wait_for()
    assert "Customer first" in page.locator("main").inner_text()
    j.shot("mission-values")

    # 8. A commission plan through the plan form: the four account executives.
    page.goto(base + "/start/")
    page.locator("#step-plan").get_by_role("link", name="Create a plan").click()
    page.wait_for_url(re.compile(r"/motivation/pay/plans/new/"))
    page.locator("#id_name").fill("Account Executives 2026")
    for person in ("Nguyễn Văn An", "Lê Thị Bình", "Hoàng Minh Đức", "Sarah Jones"):
        page.get_by_label(person).check()
    j.shot("plan-form")
    page.get_by_role("button", name="Save plan").click()
    page.wait_for_url(re.compile(r"/motivation/pay/plans/\d+/$"))
    page.get_by_text("Account Executives 2026 saved as version 1.").wait_for()
    j.shot("plan-saved")

    # 9. Get started: every step but the invitations is done.
    page.goto(base + "/start/")
    summary = page.locator(".onboarding-summary").inner_text()
    assert "5 of 6 steps done" in summary and "Next: Invite people" in summary
    for key in ("team", "deals", "targets", "direction", "plan"):
        assert _step_done(page, key), key
    assert not _step_done(page, "invite")
    steps_text = page.locator(".steps").inner_text()
    assert "7 members besides you" in steps_text
    assert "5 deals" in steps_text and "6 targets" in steps_text
    assert "4 of 4 in place" in steps_text and "1 plan" in steps_text
    assert "7 members not invited yet" in steps_text
    j.shot("get-started-after")

    # Home reminds her of the step that remains.
    page.get_by_role("link", name="Home", exact=True).first.click()
    page.wait_for_url(base + "/")
    reminder = page.locator("section", has=page.get_by_role("heading", name="Get started"))
    reminder.wait_for()
    assert "1 step of the first-run checklist remains." in reminder.inner_text()
    assert (
        reminder.get_by_role("link", name="Continue setting up").get_attribute("href") == "/start/"
    )
    j.shot("home")

    # 10. The director's dashboard, for the quarter of the won and the lost deal: one won of
    # the four targeted, a win rate of one in two; the four account executives ranked.
    page.goto(base + "/performance/organisation/?period=2026-Q2")
    main = page.locator("main")
    main.get_by_text("Hoàng Minh Đức").first.wait_for()
    dashboard = main.inner_text()
    assert re.search(r"WON DEALS\s+1\s+25\.0% of 4", dashboard, re.IGNORECASE), dashboard
    assert re.search(r"WIN RATE\s+50\.0%", dashboard, re.IGNORECASE), dashboard
    j.shot("dashboard")
    # The next quarter: the open deals HubSpot expects to close then, in the sales funnel.
    main.get_by_role("link", name=re.compile("Next period")).first.click()
    page.wait_for_url(re.compile(r"period=2026-Q3"))
    funnel = page.locator(".card", has=page.get_by_role("heading", name="Sales funnel"))
    funnel.locator("svg").first.wait_for()
    funnel_text = funnel.text_content() or ""
    assert "Contract Sent: 1 deal, $12,500.00" in funnel_text, funnel_text
    assert "Decision Maker Bought-In: 1 deal, $9,800.50" in funnel_text, funnel_text
    j.shot("dashboard-next-quarter")

    elapsed = time.monotonic() - j.start
    print(f"\njourney-director: {elapsed:.1f} s wall time, {j.n} screenshots")
    for step, at in j.laps:
        print(f"  {at:7.1f} s  {step}")
    assert elapsed < BUDGET_SECONDS
    assert page.console_errors == []
    page.context.close()

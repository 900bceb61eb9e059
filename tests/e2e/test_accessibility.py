"""Accessibility of the main pages (Playwright + axe-core), in English and in Vietnamese.

axe-core (bundled by axe-playwright-python, so nothing is fetched at run time) checks each
page against the WCAG 2.0/2.1 level A and AA rules; a violation of impact "serious" or
"critical" fails the test with its rule, page and offending nodes. Lesser findings are
printed, not failed. The keyboard test tabs through the login form and the home page: focus
follows the visual order, every focused element shows a focus indicator, and the skip link
moves focus to the main content. (The pipeline board's keyboard moves are in test_crm.py.)
"""

from __future__ import annotations

import itertools
import re

import pytest

from saleshelm.core.seeding import SeedOptions, seed_organisation
from tests.conftest import PASSWORD
from tests.e2e.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROLES = ("admin", "director", "manager", "rep", "finance")
LOGINS = {role: f"{role}@a11y.saleshelm.test" for role in ROLES}
AXE_OPTIONS = {
    # WCAG 2.0/2.1 A and AA decide; the best-practice rules (landmarks, heading order) only
    # report.
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = {"serious", "critical"}
WCAG_TAGS = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

# Per role, the main pages it uses: a path, or (list path, link pattern) to open the first
# record the list links to (a deal, an account, a statement…), as a person would.
PAGES: dict[str, list[str | tuple[str, str]]] = {
    "rep": [
        "/",
        "/performance/my/",
        "/sales/board/",
        "/sales/opportunities/",
        ("/sales/opportunities/", r"/sales/opportunities/\d+/$"),
        "/sales/opportunities/new/",
        "/sales/accounts/",
        ("/sales/accounts/", r"/sales/accounts/\d+/$"),
        "/sales/orders/",
        "/direction/vision/",
        "/direction/mission/",
        "/people/teams/",
        ("/people/teams/", r"/people/members/\d+/$"),
        "/motivation/pay/",
        ("/motivation/pay/", r"/motivation/pay/statements/\d+/$"),
        "/motivation/kudos/",
        "/motivation/kudos/give/",
        "/motivation/contests/",
        ("/motivation/contests/", r"/motivation/contests/\d+/$"),
        "/development/",
        "/development/check-ins/",
        "/development/competencies/",
        "/development/plans/",
        ("/development/plans/", r"/development/plans/\d+/$"),
        # and the rest of what a rep opens
        "/performance/leaderboard/",
        "/performance/forecast/",
        "/performance/scorecards/",
        "/sales/leads/",
        "/sales/contacts/",
        "/sales/activities/",
        "/sales/products/",
        "/direction/strategy/",
        "/direction/line-of-sight/",
        "/people/my-role/",
        "/motivation/commitments/",
        "/motivation/pulse/",
        "/motivation/notices/",
        "/motivation/badges/",
        "/development/feedback/",
        "/development/feedback/give/",
        "/development/stories/",
    ],
    "manager": [
        "/",
        "/performance/team/",
        "/sales/board/",
        "/development/team/",
        "/development/signals/",
        "/development/check-ins/",
        ("/development/check-ins/", r"/development/check-ins/\d+/$"),
        "/development/check-ins/new/",
        "/performance/targets/new/",
        "/performance/targets/",
        "/performance/forecast/",
        "/development/coaching/",
        "/development/assessments/",
    ],
    "director": [
        "/",
        "/performance/organisation/",
        "/direction/vision/",
        ("/direction/vision/", r"/direction/goals/\d+/$"),
        "/people/teams/",
        "/people/members/",
        "/development/signals/",
        "/direction/segments/",
        "/direction/alignment/",
        "/motivation/pay/plans/",
    ],
    "finance": [
        "/",
        "/motivation/pay/",
        ("/motivation/pay/", r"/motivation/pay/statements/\d+/$"),
        "/sales/orders/",
    ],
    "admin": [
        "/imports/new/",
        "/imports/",
        "/people/invitations/",
        "/sales/pipelines/",
        "/sales/price-lists/",
    ],
}


@pytest.fixture
def seeded(transactional_db):
    """A small but realistic organisation with a fixed login per role."""
    report = seed_organisation(
        SeedOptions(
            org="a11y",
            name="Helm Trading Co.",
            currency="USD",
            reps=8,
            months=6,
            orders=1_200,
            activities=800,
            seed=7,
            logins=dict(LOGINS),
            password=PASSWORD,
        )
    )
    return report.organisation


def _axe():
    return pytest.importorskip("axe_playwright_python.sync_playwright").Axe()


def _scan(axe, page, label: str, findings: list[str], notes: list[str]) -> None:
    """Run axe on the page as it stands; serious or critical findings go to `findings`."""
    page.wait_for_load_state("networkidle")
    results = axe.run(page, options=AXE_OPTIONS)
    for violation in results.response["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        line = (
            f"[{violation['impact']}] {violation['id']} on {label} ({page.url}): "
            f"{violation['help']} — {len(targets)} node(s): {'; '.join(targets[:8])}"
        )
        failing = violation["impact"] in FAILING_IMPACTS and WCAG_TAGS & set(violation["tags"])
        (findings if failing else notes).append(line)


def _open(page, base: str, entry: str | tuple[str, str]) -> tuple[str, int]:
    """Go to the page (for a (list, pattern) entry, follow the list's first matching link);
    returns its path and HTTP status."""
    if isinstance(entry, str):
        return entry, page.goto(base + entry).status
    list_path, pattern = entry
    page.goto(base + list_path)
    hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.pathname)")
    target = next((h for h in hrefs if re.search(pattern, h)), None)
    assert target, f"no link matching {pattern} on {list_path}"
    return target, page.goto(base + target).status


@pytest.mark.parametrize("locale", ["en-GB", "vi-VN"])
def test_main_pages_have_no_serious_accessibility_violations(seeded, live_server, browser, locale):
    axe = _axe()
    base = live_server.url
    lang = locale.split("-")[0]
    findings: list[str] = []
    notes: list[str] = []
    visited = 0
    errors: list[str] = []

    page = new_page(browser, locale=locale)
    page.goto(base + "/login/")
    assert page.locator("html").get_attribute("lang") == lang
    _scan(axe, page, "login", findings, notes)
    # and with the error a wrong password shows
    sign_in(page, base, LOGINS["rep"], "not-the-password", home=False)
    page.locator("main .form-errors, main [role=alert], main .field-error").first.wait_for()
    _scan(axe, page, "login (wrong password)", findings, notes)
    visited += 2
    errors += page.console_errors
    page.context.close()

    for role, entries in PAGES.items():
        page = new_page(browser, locale=locale)
        sign_in(page, base, LOGINS[role])
        for entry in entries:
            path, status = _open(page, base, entry)
            if status != 200:
                errors.append(f"{role} {path} answered {status}")
                continue
            assert page.locator("html").get_attribute("lang") == lang
            _scan(axe, page, f"{role} {path}", findings, notes)
            visited += 1
        errors += page.console_errors
        if role == "rep":
            shot(page, f"a11y-{lang}-rep-last")
        page.context.close()

    print(
        f"\naxe ({locale}): {visited} pages, {len(findings)} serious/critical, {len(notes)} lesser"
    )
    for line in notes:
        print("  note:", line)
    for line in findings + errors:
        print("  FAIL:", line)
    assert not findings, "accessibility violations:\n" + "\n".join(findings)
    assert errors == []


def _focus_state(page) -> dict:
    """What is focused now: its description, position in its region (top bar, sidebar, main)
    and whether a focus ring shows."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return {tag: 'body'};
          const r = el.getBoundingClientRect();
          // Positions relative to the region (a sticky sidebar moves with the page's scroll).
          const region = el.closest('#sidebar, .topbar, main') || document.documentElement;
          const c = region.getBoundingClientRect();
          const cs = getComputedStyle(el);
          const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
          const shadow = cs.boxShadow && cs.boxShadow !== 'none';
          return {
            tag: el.tagName.toLowerCase(),
            id: el.id,
            text: (el.getAttribute('aria-label') || el.innerText || el.name || '').trim().slice(0, 40),
            top: r.top - c.top + region.scrollTop, left: r.left - c.left + region.scrollLeft,
            width: r.width, height: r.height,
            ring: outline || shadow,
            inSidebar: !!el.closest('#sidebar'), inTopbar: !!el.closest('.topbar'),
            inMain: !!el.closest('main'),
          };
        }"""
    )


SKIP = "Skip to main content"


def _tab_through(page, steps: int) -> list[dict]:
    """Press Tab up to `steps` times; what took focus, in order, until focus leaves the page."""
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        state = _focus_state(page)
        if state["tag"] == "body" or (seen and state["text"] == SKIP):
            break
        seen.append(state)
    return seen


def _back_to_skip_link(page) -> list[dict]:
    """Shift+Tab back to the skip link; what took focus on the way, in forward order."""
    seen = []
    for _ in range(20):
        state = _focus_state(page)
        if state.get("text") == SKIP:
            return seen[::-1]
        if state["tag"] != "body":
            seen.append(state)
        page.keyboard.press("Shift+Tab")
    raise AssertionError(f"no skip link before {seen}")


def _region(state: dict) -> str:
    for region in ("topbar", "sidebar", "main"):
        if state["in" + region.capitalize()]:
            return region
    return ""


def _assert_visual_order(states: list[dict]) -> None:
    """Reading order: each next element sits further down, on the same row further right, or
    at the top of a column further right; never above and back to the left."""
    for before, after in itertools.pairwise(states):
        row = max(before["height"], 1)
        down = after["top"] >= before["top"] + row / 2
        same_row_right = abs(after["top"] - before["top"]) < row and after["left"] >= before["left"]
        next_column = after["left"] >= before["left"] + before["width"]
        assert down or same_row_right or next_column, f"focus goes back: {before} -> {after}"


def test_keyboard_focus_order_focus_ring_and_skip_link(seeded, live_server, browser):
    base = live_server.url
    page = new_page(browser)

    # The login form opens with the email field focused; before it come the skip link and the
    # top of the card, after it the password and the button, top to bottom.
    page.goto(base + "/login/")
    assert _focus_state(page)["id"] == "id_email"
    before_email = _back_to_skip_link(page)
    skip = _focus_state(page)
    assert skip["ring"] and skip["height"] > 0 and skip["top"] >= 0  # shown when focused
    order = [skip, *_tab_through(page, 12)]
    assert order[1 : len(before_email) + 1] == before_email  # the same stops both ways
    ids = [s["id"] for s in order]
    submit = next(i for i, s in enumerate(order) if s["tag"] == "button" and s["inMain"])
    assert ids.index("id_email") < ids.index("id_password") < submit
    for state in order:
        assert state["ring"], f"no visible focus indicator on {state}"
    _assert_visual_order([s for s in order[1:] if s["inMain"]])

    # The skip link moves focus to the content: the next Tab lands in the form.
    _back_to_skip_link(page)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert _focus_state(page)["id"] == "id_email"

    # The home page: skip link, the top bar left to right, the sidebar top to bottom, then the
    # content in reading order; every stop shows its focus ring.
    sign_in(page, base, LOGINS["rep"])
    page.keyboard.press("Tab")
    assert _focus_state(page)["text"] == SKIP
    seen = _tab_through(page, 80)
    assert page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count() == 0
    for state in seen:
        assert state["ring"], f"no visible focus indicator on {state}"
    regions = [_region(s) for s in seen]
    ranks = [{"topbar": 0, "sidebar": 1, "main": 2}[r] for r in regions if r]
    assert ranks == sorted(ranks), f"focus jumps between regions: {regions}"
    topbar = [s for s in seen if s["inTopbar"]]
    assert topbar and [s["left"] for s in topbar] == sorted(s["left"] for s in topbar)
    sidebar = [s["top"] for s in seen if s["inSidebar"]]
    assert sidebar and sidebar == sorted(sidebar)
    main = [s for s in seen if s["inMain"] and s["width"] > 0]
    assert main
    _assert_visual_order(main)

    # The skip link on the home page jumps past the navigation into the content.
    page.goto(base + "/")
    page.keyboard.press("Tab")
    assert _focus_state(page)["text"] == SKIP
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert _focus_state(page) == main[0] | {"ring": True}
    shot(page, "a11y-keyboard-home")
    assert page.console_errors == []
    page.context.close()

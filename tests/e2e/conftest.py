"""What every browser test shares: Debian's chromium, a page that records console errors,
signing in, and screenshots in var/screenshots/ (gitignored) for a person to look at.

Request `browser_page` (or `browser`) after the fixtures that write data: while Playwright's
sync API runs, the main thread counts as async and the ORM refuses to run there.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 860}
# A busy machine (a shared CI runner) may serve a page slowly: wait rather than fail.
TIMEOUT_MS = 60_000


@pytest.fixture
def browser(live_server, settings):
    """One headless chromium for the test; open contexts with `new_page`."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("no chromium at /usr/bin/chromium")
    # The live server speaks plain HTTP: secure-only cookies would never come back.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def new_page(browser, *, locale: str = "en-GB", viewport: dict | None = None, **options):
    """A page in a fresh context (its own cookies) whose console errors and uncaught
    exceptions collect in `page.console_errors`."""
    context = browser.new_context(viewport=viewport or VIEWPORT, locale=locale, **options)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    page.console_errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda msg: (
            page.console_errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: page.console_errors.append(f"{page.url}: {exc}"))
    return page


@pytest.fixture
def page_options() -> dict:
    """What `browser_page` passes to `new_page`; a module overrides this fixture for its own
    viewport, say `{"viewport": {"width": 1440, "height": 900}}`."""
    return {}


@pytest.fixture
def browser_page(browser, transactional_db, page_options):
    """An English page in its own context."""
    page = new_page(browser, **page_options)
    try:
        yield page
    finally:
        page.context.close()


def sign_in(page, base: str, email: str, password: str = PASSWORD, *, home: bool = True) -> None:
    """Sign in through the login form; with `home`, wait until the home page has opened."""
    page.goto(base + "/login/")
    # By the fields' ids and the form's button, so it works in either language.
    page.locator("#id_email").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("form[action$='/login/'] button[type=submit]").click()
    if home:
        page.wait_for_url(base + "/")


def shot(page, name: str) -> None:
    """A full-page screenshot, from the top (the sticky bar stays where it belongs)."""
    page.mouse.wheel(0, -100_000)
    # The sidebar is as tall as the window and scrolls on its own: a full-page picture of a
    # long page would cut its menu at the window's height. The window is made as tall as the
    # page for the picture, so the whole menu shows, then put back.
    size = page.viewport_size
    height = page.evaluate("document.documentElement.scrollHeight")
    if size and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(height, 16_000)})
    try:
        # caret="initial": hiding the caret writes style="" on inputs, which htmx would then
        # copy while settling a swap, and the CSP (rightly) reports it.
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, caret="initial")
    finally:
        if size:
            page.set_viewport_size(size)


def money_shown(text: str) -> Decimal:
    """An amount as a page shows it: ``'$1,694,100.00'`` (en) or ``'1.694.100,00 US$'`` (vi)
    -> ``Decimal('1694100.00')``; ``'-$20.00'`` -> ``Decimal('-20.00')``."""
    digits = re.sub(r"[^\d,.\-]", "", text)
    if "," in digits and digits.rfind(",") > digits.rfind("."):
        digits = digits.replace(".", "").replace(",", ".")  # Vietnamese marks
    return Decimal(digits.replace(",", ""))


def squash(text: str) -> str:
    """Text with its runs of white space made single spaces."""
    return " ".join(text.split())

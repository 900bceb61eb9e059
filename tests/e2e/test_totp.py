"""What an admin clicks to turn on the second factor, then sign in with it (Playwright).

The code is computed from the secret the setup page shows, as an authenticator app would.
Screenshots land in var/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import base64
import time

import pytest
from django_otp.oath import totp

from tests.conftest import build_world
from tests.e2e.conftest import shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def e2e_world(transactional_db):
    return build_world()


def _code(key: bytes, after_step: int | None = None) -> tuple[str, int]:
    """The app's code now, or, if the code of this step was used, the next step's (accepted:
    one step of clock drift is allowed, and a used step is never accepted twice)."""
    now = int(time.time()) // 30
    step = now if after_step is None else max(now, after_step + 1)
    return f"{totp(key, drift=step - now):06d}", step


def test_admin_turns_on_the_second_factor_and_signs_in_with_a_code(
    e2e_world, live_server, browser_page
):
    page = browser_page
    url = live_server.url

    # an admin signs in with the password and opens Sign-in security from the account menu
    sign_in(page, url, "admin@acme.test")
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Sign-in security").click()
    page.wait_for_url(url + "/account/security/")
    assert page.get_by_text("Off", exact=True).is_visible()
    shot(page, "totp-01-security-off")

    # turns it on: a QR code and the key to type
    page.get_by_role("button", name="Turn on the second factor").click()
    page.wait_for_url(url + "/account/security/setup/")
    qr = page.get_by_role("img", name="QR code of your sign-in secret")
    assert qr.is_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # the SVG draws
    shot(page, "totp-02-setup")
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))

    # a wrong code is refused, the right one turns it on
    page.get_by_label("Code").fill("000000" if _code(key)[0] != "000000" else "111111")
    page.get_by_role("button", name="Confirm and turn on").click()
    page.get_by_text("That code is not right").wait_for()
    code, used = _code(key)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm and turn on").click()
    page.wait_for_url(url + "/account/security/")
    assert page.get_by_text("Your second factor is on").is_visible()
    assert page.get_by_text("On", exact=True).is_visible()
    assert secret[:8] not in page.content()
    shot(page, "totp-03-security-on")

    # signs out, and signing in now asks for the code after the password
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")
    sign_in(page, url, "admin@acme.test", home=False)
    page.wait_for_url(url + "/login/code/")
    assert page.get_by_role("heading", name="Enter your sign-in code").is_visible()
    assert not page.locator("#sidebar").count()
    shot(page, "totp-04-code-prompt")

    # another page by its address waits for the code too
    page.goto(url + "/people/members/")
    page.wait_for_url("**/login/code/?next=%2Fpeople%2Fmembers%2F")

    # a wrong code: a clear error
    page.get_by_label("Code").fill("000000" if _code(key, used)[0] != "000000" else "111111")
    page.get_by_role("button", name="Verify and sign in").click()
    page.get_by_text("That code is not right").wait_for()
    shot(page, "totp-05-code-wrong")

    # the prompt in Vietnamese
    page.get_by_role("button", name="Tiếng Việt").click()
    page.get_by_role("heading", name="Nhập mã đăng nhập").wait_for()
    shot(page, "totp-06-code-prompt-vi")

    # the right code opens the page first asked for
    code, used = _code(key, used)
    page.get_by_label("Mã").fill(code)
    page.get_by_role("button", name="Xác minh và đăng nhập").click()
    page.wait_for_url(url + "/people/members/")
    assert page.locator("#sidebar").is_visible()

    assert page.console_errors == []  # no CSP violation, no script error


@pytest.fixture
def required_world(transactional_db):
    world = build_world()
    world.org.require_second_factor = True
    world.org.save()
    return world


def test_where_required_finance_is_sent_to_turn_it_on(required_world, live_server, browser_page):
    page = browser_page
    url = live_server.url
    sign_in(page, url, "finance@acme.test", home=False)
    page.wait_for_url(url + "/account/security/")
    assert page.get_by_text("Acme requires a second factor for admins and finance").is_visible()
    assert not page.locator("#sidebar").count()
    shot(page, "totp-07-required")
    page.goto(url + "/performance/")
    page.wait_for_url(url + "/account/security/")
    assert page.console_errors == []

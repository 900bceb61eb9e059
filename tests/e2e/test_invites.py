"""What a director onboarding a team clicks: invite a new member, who opens the link in the
email, chooses a password and lands signed in; and "forgot password" (Playwright).

Screenshots land in var/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from saleshelm.tenancy.services import membership_create
from tests.conftest import build_world
from tests.e2e.conftest import new_page, shot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def e2e_world(transactional_db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = build_world()
    membership_create(actor=world.admin, email="hoa@acme.test", name="Hoa Nguyễn", role="rep")
    return world


def _link(live_server) -> str:
    body = mail.outbox[-1].body
    match = re.search(r"(/password/set/[^\s]+/)", body)
    assert match, body
    return live_server.url + match.group(1)


def test_invite_then_set_password(e2e_world, live_server, browser_page):
    page = browser_page
    sign_in(page, live_server.url, "director@acme.test")
    page.goto(f"{live_server.url}/people/invitations/")
    assert page.locator("text=Hoa Nguyễn").count() == 1
    shot(page, "invites-list")
    row = page.locator("tr", has_text="Hoa Nguyễn")
    row.get_by_role("button", name="Send invitation").click()
    page.wait_for_load_state()
    assert page.locator("text=Invitation sent to Hoa Nguyễn.").count() == 1
    shot(page, "invites-sent")
    assert "Dung Director invited you to Acme" in mail.outbox[-1].body

    # Hoa opens the link in a fresh browser context (not signed in).
    hoa = new_page(page.context.browser)
    hoa.goto(_link(live_server))
    assert hoa.locator("h1", has_text="Welcome! Choose your password").count() == 1
    shot(hoa, "invites-set-password")
    hoa.fill("input[name=new_password1]", "Tàu-ngầm-ven-biển-42")
    hoa.fill("input[name=new_password2]", "Tàu-ngầm-ven-biển-42")
    hoa.click("button[type=submit]")
    hoa.wait_for_url(f"{live_server.url}/")
    assert hoa.locator("text=Hoa Nguyễn").count() >= 1
    shot(hoa, "invites-landed")
    # The link works once.
    hoa.goto(_link(live_server))
    assert hoa.locator("h1", has_text="This link does not work").count() == 1
    shot(hoa, "invites-link-used")
    hoa.context.close()
    assert page.console_errors == []


def test_forgot_password(e2e_world, live_server, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.click("text=Forgot your password?")
    page.wait_for_url(f"{live_server.url}/password/forgot/")
    shot(page, "invites-forgot")
    page.fill("input[name=email]", "rep@acme.test")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/password/forgot/sent/")
    shot(page, "invites-forgot-sent")
    page.goto(_link(live_server))
    assert page.locator("h1", has_text="Choose a new password").count() == 1
    shot(page, "invites-reset-password")
    # In Vietnamese.
    page.goto(f"{live_server.url}/login/")
    page.click("button[value=vi]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/password/forgot/")
    assert page.locator("h1", has_text="Quên mật khẩu?").count() == 1
    shot(page, "invites-forgot-vi")
    assert page.console_errors == []

"""The optional TOTP second factor for admins and finance (SPEC §11.8).

Codes are computed from the device's secret with django_otp.oath.totp, as an authenticator
app would. A code is accepted once (django-otp remembers the last time step used), so a test
that signs in after enrolling moves the device on with ``_next_step``, as if half a minute
had passed.
"""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from saleshelm.tenancy.models import AuditEntry
from saleshelm.tenancy.services import token_create
from tests.conftest import PASSWORD

LOGIN = "/login/"
CODE = "/login/code/"
SECURITY = "/account/security/"


@pytest.fixture
def limit(settings):
    settings.LOGIN_THROTTLE_FAILURES = 5
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
    return 5


def _code(device: TOTPDevice, drift: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift)
    return f"{value:0{device.digits}d}"


def _wrong_code(device: TOTPDevice) -> str:
    """A code that no step in the accepted window (previous, current, next) shows."""
    valid = {_code(device, drift) for drift in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def _next_step(device: TOTPDevice) -> None:
    # The last code used is not accepted again; a new time step makes a new code usable.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    device.refresh_from_db()


def _enrolled(membership) -> TOTPDevice:
    """A confirmed second factor, as if set up on the security page."""
    return TOTPDevice.objects.create(user=membership.user, name="SalesHelm", confirmed=True)


def _login(client: Client, email: str, password: str = PASSWORD, ip: str = "10.0.0.1", **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra}, REMOTE_ADDR=ip)


def _enter(client: Client, code: str, ip: str = "10.0.0.1", **extra):
    return client.post(CODE, {"code": code, **extra}, REMOTE_ADDR=ip)


# --- Enrolling -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "finance"])
def test_admin_and_finance_turn_it_on_with_a_code_from_the_secret(world, web_client, role):
    member = world.by_role(role)
    client = web_client(member)
    # given the security page offers to turn it on
    page = client.get(SECURITY)
    assert page.status_code == 200
    assert reverse("web:second_factor_start") in page.content.decode()
    # when they start, a secret is made (off until confirmed) and shown with its QR code
    r = client.post(reverse("web:second_factor_start"))
    assert r.status_code == 302 and r["Location"] == reverse("web:second_factor_setup")
    device = TOTPDevice.objects.get(user=member.user)
    assert not device.confirmed
    setup = client.get(reverse("web:second_factor_setup")).content.decode()
    assert "otpauth://totp/SalesHelm%3A" in setup
    assert 'src="data:image/svg+xml;base64,' in setup
    assert "<script" not in setup.split("</head>", 1)[1]  # nothing inline (CSP)
    # a wrong code does not turn it on
    r = client.post(reverse("web:second_factor_setup"), {"code": _wrong_code(device)})
    assert r.status_code == 200
    assert "not right" in r.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    # then the code the app shows turns it on, once, with an audit row
    r = client.post(reverse("web:second_factor_setup"), {"code": _code(device)})
    assert r.status_code == 302 and r["Location"] == SECURITY
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    entry = AuditEntry.objects.get(action="second_factor.enable")
    assert entry.actor_id == member.pk and entry.object_id == str(member.user_id)
    # and the secret is never shown again
    secret_uri = setup.split("otpauth://", 1)[1].split("<", 1)[0]
    page = client.get(SECURITY).content.decode()
    assert "otpauth://" not in page and secret_uri not in page
    assert client.get(reverse("web:second_factor_setup"))["Location"] == SECURITY
    # the session that turned it on stays usable
    assert client.get("/").status_code == 200


def test_starting_again_replaces_an_unconfirmed_secret(world, web_client):
    client = web_client(world.admin)
    client.post(reverse("web:second_factor_start"))
    first = TOTPDevice.objects.get(user=world.admin.user)
    client.post(reverse("web:second_factor_start"))
    second = TOTPDevice.objects.get(user=world.admin.user)
    assert first.pk != second.pk and first.key != second.key


@pytest.mark.parametrize("role", ["rep", "manager", "director", "viewer"])
def test_other_roles_cannot_turn_it_on_or_see_the_option(world, web_client, role):
    client = web_client(world.by_role(role))
    assert client.get(SECURITY).status_code == 403
    assert client.post(reverse("web:second_factor_start")).status_code == 403
    assert client.get(reverse("web:second_factor_setup")).status_code == 403
    assert client.post(reverse("web:second_factor_setup"), {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.exists()
    # the account menu has no link to it
    assert SECURITY not in client.get("/").content.decode()


def test_the_account_menu_links_admins_to_the_security_page(world, web_client):
    assert SECURITY in web_client(world.finance).get("/").content.decode()


# --- Signing in ------------------------------------------------------------------------------


def test_signing_in_asks_for_the_code_after_the_password(world):
    device = _enrolled(world.admin)
    client = Client()
    # when the password is right
    r = _login(client, "admin@acme.test")
    # then the code is asked for
    assert r.status_code == 302 and r["Location"] == CODE
    page = client.get(CODE)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()
    # and the right code completes the sign-in
    r = _enter(client, _code(device))
    assert r.status_code == 302 and r["Location"] == reverse("web:home")
    assert client.get("/").status_code == 200
    assert client.get("/people/members/").status_code == 200
    # the code page, once through, just goes on
    assert client.get(CODE)["Location"] == reverse("web:home")


def test_the_page_asked_for_before_signing_in_is_opened_after_the_code(world):
    device = _enrolled(world.finance)
    client = Client()
    r = _login(client, "finance@acme.test", next="/people/teams/")
    assert r["Location"] == f"{CODE}?next=%2Fpeople%2Fteams%2F"
    r = _enter(client, _code(device), next="/people/teams/")
    assert r["Location"] == "/people/teams/"


def test_until_the_code_is_in_the_session_reaches_no_page(world):
    _enrolled(world.admin)
    client = Client()
    _login(client, "admin@acme.test")
    assert SESSION_KEY in client.session  # the password step is done ...
    for path in ("/", "/people/members/", "/people/teams/", SECURITY, "/admin/"):
        r = client.get(path)
        assert r.status_code == 302, path
        assert r["Location"].startswith(CODE), path  # ... but every page waits for the code
    assert client.get("/people/members/")["Location"] == f"{CODE}?next=%2Fpeople%2Fmembers%2F"
    # a write is turned away too, and so is an htmx request (told where to go)
    assert client.post(reverse("web:second_factor_start"))["Location"] == CODE
    r = client.get("/people/members/", headers={"HX-Request": "true"})
    assert r["HX-Redirect"].startswith(CODE)
    # the API, which accepts the session, sees no one signed in
    assert client.get("/api/v1/members").status_code == 401
    # signing out and the language switch still work
    assert client.post("/i18n/setlang/", {"language": "vi"}).status_code == 302
    assert client.post(reverse("web:logout")).status_code == 302
    assert SESSION_KEY not in client.session


def test_the_code_prompt_shows_no_menu_and_no_member_data(world):
    _enrolled(world.admin)
    client = Client()
    _login(client, "admin@acme.test")
    body = client.get(CODE).content.decode()
    assert 'id="sidebar"' not in body
    assert "Acme" not in body and "Nguyễn Văn An" not in body


def test_api_tokens_are_unaffected(world):
    _enrolled(world.admin)
    token = token_create(membership=world.admin, name="cli")
    r = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/members")
    assert r.status_code == 200
    # even when the same client also carries a session waiting for its code
    client = Client(headers={"Authorization": f"Bearer {token}"})
    _login(client, "admin@acme.test")
    assert client.get("/api/v1/members").status_code == 200


def test_every_way_of_signing_in_waits_for_the_code(world, web_client):
    # given a staff admin with a second factor, signed in through Django's admin login
    user = world.admin.user
    user.is_staff = user.is_superuser = True
    user.save()
    _enrolled(world.admin)
    client = Client()
    r = client.post("/admin/login/", {"username": "admin@acme.test", "password": PASSWORD})
    assert r.status_code == 302
    # then the admin site and the app wait for the code all the same
    assert client.get("/admin/")["Location"].startswith(CODE)
    assert client.get("/")["Location"].startswith(CODE)
    # and so does a session made by the test client
    assert web_client(world.admin).get("/")["Location"].startswith(CODE)


def test_members_without_a_second_factor_sign_in_with_the_password_only(world):
    client = Client()
    r = _login(client, "finance@acme.test")
    assert r["Location"] == reverse("web:home")
    assert client.get("/").status_code == 200


# --- Wrong codes -----------------------------------------------------------------------------


def test_a_wrong_code_is_refused_audited_and_logged(world, caplog):
    device = _enrolled(world.admin)
    client = Client()
    _login(client, "admin@acme.test")
    with caplog.at_level(logging.WARNING, logger="saleshelm.security"):
        r = _enter(client, _wrong_code(device))
    # then a clear error, and the session still waits for the code
    assert r.status_code == 200
    assert "That code is not right" in r.content.decode()
    assert client.get("/")["Location"].startswith(CODE)
    # audited as a failed sign-in in the person's organisation
    entry = AuditEntry.objects.get(action="login.failed")
    assert entry.organisation_id == world.org.pk
    assert entry.actor_id == world.admin.pk
    assert entry.object_type == "user" and entry.object_id == str(world.admin.user_id)
    # and counted by the login throttle's log (without the code)
    text = " ".join(rec.getMessage() for rec in caplog.records)
    assert "login failed email=admin@acme.test" in text
    assert _wrong_code(device) not in text


def test_a_code_is_accepted_only_once(world):
    device = _enrolled(world.admin)
    code = _code(device)
    client = Client()
    _login(client, "admin@acme.test")
    assert _enter(client, code).status_code == 302
    client.post(reverse("web:logout"))
    _login(client, "admin@acme.test")
    r = _enter(client, code)
    assert r.status_code == 200 and "not right" in r.content.decode()


def test_an_empty_submission_is_not_counted(world, limit):
    _enrolled(world.admin)
    client = Client()
    _login(client, "admin@acme.test")
    for _ in range(limit + 1):
        r = _enter(client, "")
        assert r.status_code == 200
    assert not AuditEntry.objects.filter(action="login.failed").exists()


def test_wrong_codes_count_toward_the_login_throttle(world, limit):
    device = _enrolled(world.admin)
    client = Client()
    _login(client, "admin@acme.test")
    for _ in range(limit):
        assert _enter(client, _wrong_code(device)).status_code == 200
    # then even the right code is refused, with the throttled page
    r = _enter(client, _code(device))
    assert r.status_code == 429
    assert int(r["Retry-After"]) > 0
    assert "Too many sign-in attempts" in r.content.decode()
    assert client.get("/")["Location"].startswith(CODE)
    # and the password step is locked for that email too
    assert _login(Client(), "admin@acme.test", ip="10.9.9.9").status_code == 429


def test_a_right_password_does_not_reset_the_count_of_wrong_codes(world, limit):
    # given someone who has the password but not the phone
    device = _enrolled(world.admin)
    for attempt in range(limit):
        client = Client()
        # each new sign-in with the right password, from a new address each time ...
        ip = f"10.0.1.{attempt}"
        assert _login(client, "admin@acme.test", ip=ip)["Location"] == CODE
        assert _enter(client, _wrong_code(device), ip=ip).status_code == 200
    # ... still ends at the lock on the email
    assert _login(Client(), "admin@acme.test", ip="10.0.2.1").status_code == 429


def test_password_and_code_failures_share_one_count(world, limit):
    device = _enrolled(world.admin)
    for _ in range(limit - 1):
        _login(Client(), "admin@acme.test", password="not-it-at-all-1")
    client = Client()
    assert _login(client, "admin@acme.test")["Location"] == CODE
    _enter(client, _wrong_code(device))
    assert _enter(client, _code(device)).status_code == 429


# --- Turning it off --------------------------------------------------------------------------


def _signed_in_with_code(world, member) -> tuple[Client, TOTPDevice]:
    device = _enrolled(member)
    client = Client()
    _login(client, member.user.email)
    assert _enter(client, _code(device)).status_code == 302
    _next_step(device)
    return client, device


def test_turning_it_off_needs_the_current_code(world):
    client, device = _signed_in_with_code(world, world.admin)
    disable = reverse("web:second_factor_disable")
    # a wrong code leaves it on
    r = client.post(disable, {"off-code": _wrong_code(device)})
    assert r.status_code == 200 and "not right" in r.content.decode()
    assert TOTPDevice.objects.filter(user=world.admin.user, confirmed=True).exists()
    # the right one turns it off, with an audit row
    r = client.post(disable, {"off-code": _code(device)})
    assert r.status_code == 302 and r["Location"] == SECURITY
    assert not TOTPDevice.objects.filter(user=world.admin.user).exists()
    assert AuditEntry.objects.filter(action="second_factor.disable").count() == 1
    assert client.get("/").status_code == 200
    # and the next sign-in asks only for the password
    fresh = Client()
    assert _login(fresh, "admin@acme.test")["Location"] == reverse("web:home")


def test_wrong_codes_when_turning_it_off_are_throttled(world, limit):
    client, device = _signed_in_with_code(world, world.finance)
    disable = reverse("web:second_factor_disable")
    for _ in range(limit):
        client.post(disable, {"off-code": _wrong_code(device)})
    r = client.post(disable, {"off-code": _code(device)})
    assert r.status_code == 429
    assert TOTPDevice.objects.filter(user=world.finance.user, confirmed=True).exists()


def test_someone_moved_to_another_role_can_still_turn_it_off(world, web_client):
    client, device = _signed_in_with_code(world, world.finance)
    world.finance.role = "rep"
    world.finance.save()
    assert client.get(SECURITY).status_code == 200
    assert client.post(reverse("web:second_factor_start")).status_code == 403
    r = client.post(reverse("web:second_factor_disable"), {"off-code": _code(device)})
    assert r.status_code == 302
    assert not TOTPDevice.objects.exists()
    assert client.get(SECURITY).status_code == 403


def test_a_session_whose_second_factor_was_turned_off_elsewhere_goes_on(world):
    device = _enrolled(world.admin)
    client = Client()
    _login(client, "admin@acme.test")
    device.delete()
    r = _enter(client, "123456")
    assert r.status_code == 302 and r["Location"] == reverse("web:home")
    assert client.get("/").status_code == 200


# --- The organisation's policy ---------------------------------------------------------------


def test_an_admin_requires_it_only_once_they_have_it(world, web_client):
    policy = reverse("web:second_factor_policy")
    client = web_client(world.admin)
    r = client.post(policy, {"require_second_factor": "on"}, follow=True)
    assert "Turn on your own second factor" in r.content.decode()
    world.org.refresh_from_db()
    assert not world.org.require_second_factor
    client, _device = _signed_in_with_code(world, world.admin)
    assert client.post(policy, {"require_second_factor": "on"}).status_code == 302
    world.org.refresh_from_db()
    assert world.org.require_second_factor
    entry = AuditEntry.objects.get(action="organisation.update")
    assert entry.before == {"require_second_factor": False}
    assert entry.after == {"require_second_factor": True}


@pytest.mark.parametrize("role", ["finance", "director", "rep"])
def test_only_the_admin_sets_the_policy(world, web_client, role):
    r = web_client(world.by_role(role)).post(
        reverse("web:second_factor_policy"), {"require_second_factor": "on"}
    )
    assert r.status_code == 403
    world.org.refresh_from_db()
    assert not world.org.require_second_factor


def test_when_required_admins_and_finance_without_it_must_turn_it_on(world):
    world.org.require_second_factor = True
    world.org.save()
    # given finance without a second factor signs in
    client = Client()
    assert _login(client, "finance@acme.test")["Location"] == reverse("web:home")
    # then every page leads to the security page, which says why
    for path in ("/", "/people/members/"):
        assert client.get(path)["Location"] == SECURITY, path
    page = client.get(SECURITY).content.decode()
    assert "requires a second factor" in page
    # when they turn it on
    client.post(reverse("web:second_factor_start"))
    device = TOTPDevice.objects.get(user=world.finance.user)
    client.post(reverse("web:second_factor_setup"), {"code": _code(device)})
    # then the pages open, and it cannot be turned off while required
    assert client.get("/").status_code == 200
    _next_step(device)
    r = client.post(reverse("web:second_factor_disable"), {"off-code": _code(device)})
    assert TOTPDevice.objects.filter(user=world.finance.user).exists()
    assert r.status_code == 200
    # other roles are not asked
    rep = Client()
    _login(rep, "rep@acme.test")
    assert rep.get("/").status_code == 200


# --- Language --------------------------------------------------------------------------------


def test_the_code_prompt_and_the_security_page_speak_vietnamese(world, web_client):
    _enrolled(world.admin)
    client = Client()
    client.cookies["django_language"] = "vi"
    _login(client, "admin@acme.test")
    body = client.get(CODE).content.decode()
    assert "Enter your sign-in code" not in body
    assert "mã" in body.lower()
    page = web_client(world.finance)
    page.cookies["django_language"] = "vi"
    body = page.get(SECURITY).content.decode()
    assert "Second factor" not in body and "Turn on the second factor" not in body


# --- A lost phone ----------------------------------------------------------------------------


def test_the_operator_turns_off_a_lost_second_factor_with_a_reason(world):
    from django.core.management import call_command

    _enrolled(world.finance)
    with pytest.raises(SystemExit):
        call_command(
            "second_factor_off", "--org", "acme", "--user", "finance@acme.test", "--reason", " "
        )
    assert TOTPDevice.objects.filter(user=world.finance.user).exists()
    call_command(
        "second_factor_off",
        "--org",
        "acme",
        "--user",
        "finance@acme.test",
        "--reason",
        "lost phone",
    )
    assert not TOTPDevice.objects.filter(user=world.finance.user).exists()
    entry = AuditEntry.objects.get(action="second_factor.reset")
    assert entry.reason == "lost phone" and entry.actor_label == "cli"
    client = Client()
    assert _login(client, "finance@acme.test")["Location"] == reverse("web:home")
    # another organisation's operator cannot reach this member
    _enrolled(world.finance)
    with pytest.raises(SystemExit):
        call_command(
            "second_factor_off", "--org", "beta", "--user", "finance@acme.test", "--reason", "x"
        )
    assert TOTPDevice.objects.filter(user=world.finance.user).exists()

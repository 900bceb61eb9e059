"""Sign in, sign out and login throttling (SPEC §2, §11.8)."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from saleshelm.tenancy import throttle
from tests.conftest import PASSWORD

LOGIN = "/login/"


def _login(client: Client, email: str, password: str, ip: str = "10.0.0.1", **extra):
    return client.post(LOGIN, {"email": email, "password": password, **extra}, REMOTE_ADDR=ip)


@pytest.fixture
def limit(settings):
    settings.LOGIN_THROTTLE_FAILURES = 5
    settings.LOGIN_THROTTLE_WINDOW_SECONDS = 900
    return 5


def test_login_page_renders_an_email_and_password_form(db):
    r = Client().get(LOGIN)
    assert r.status_code == 200
    body = r.content.decode()
    assert 'name="email"' in body
    assert 'type="password"' in body
    assert 'autocomplete="current-password"' in body


def test_login_with_the_right_password_signs_in_and_goes_home(world):
    # given a rep with a known password
    client = Client()
    # when they sign in (email in another case)
    r = _login(client, "REP@acme.test", PASSWORD)
    # then they are signed in and sent home
    assert r.status_code == 302
    assert r["Location"] == reverse("web:home")
    assert client.session[SESSION_KEY] == str(world.rep.user.pk)


def test_login_with_a_wrong_password_is_refused_and_logged_without_the_password(world, caplog):
    client = Client()
    with caplog.at_level(logging.WARNING, logger="saleshelm.security"):
        r = _login(client, "rep@acme.test", "not-the-password-123")
    assert r.status_code == 200
    assert "do not match an account" in r.content.decode()
    assert SESSION_KEY not in client.session
    records = [rec for rec in caplog.records if rec.name == "saleshelm.security"]
    assert records, "a failed login is logged"
    text = " ".join(rec.getMessage() for rec in records)
    assert "rep@acme.test" in text
    assert "not-the-password-123" not in text


def test_inactive_user_cannot_sign_in(world):
    world.rep.user.is_active = False
    world.rep.user.save()
    client = Client()
    r = _login(client, "rep@acme.test", PASSWORD)
    assert r.status_code == 200
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [
        ("/people/teams/", "/people/teams/"),
        ("https://evil.example/steal", "/"),
        ("//evil.example/steal", "/"),
        ("http://testserver/people/members/", "http://testserver/people/members/"),
    ],
)
def test_next_is_honoured_only_for_same_host_urls(world, next_url, expected):
    r = _login(Client(), "rep@acme.test", PASSWORD, next=next_url)
    assert r.status_code == 302
    assert r["Location"] == expected


def test_the_next_parameter_of_the_login_page_is_carried_in_the_form(db):
    r = Client().get(LOGIN + "?next=/people/my-role/")
    assert 'name="next" value="/people/my-role/"' in r.content.decode()
    r = Client().get(LOGIN + "?next=https://evil.example/")
    assert 'name="next" value="https://evil.example/"' not in r.content.decode()


def test_sixth_attempt_is_refused_even_with_the_right_password(world, limit):
    # given five failed attempts for one email
    client = Client()
    for _ in range(limit):
        assert _login(client, "rep@acme.test", "wrong-password-x").status_code == 200
    # when the sixth attempt carries the right password
    r = _login(client, "rep@acme.test", PASSWORD)
    # then it is refused without signing in, with a clear 429 page
    assert r.status_code == 429
    assert int(r["Retry-After"]) > 0
    assert "Too many sign-in attempts" in r.content.decode()
    assert SESSION_KEY not in client.session


def test_throttled_attempt_does_not_check_the_password(world, limit, monkeypatch):
    for _ in range(limit):
        _login(Client(), "rep@acme.test", "wrong-password-x")
    calls = []
    monkeypatch.setattr("saleshelm.web.forms.authenticate", lambda *a, **k: calls.append(1))
    r = _login(Client(), "rep@acme.test", PASSWORD)
    assert r.status_code == 429
    assert calls == []


def test_email_lock_applies_from_any_address(world, limit):
    for i in range(limit):
        _login(Client(), "rep@acme.test", "wrong-password-x", ip=f"10.0.1.{i}")
    r = _login(Client(), "rep@acme.test", PASSWORD, ip="192.0.2.77")
    assert r.status_code == 429


def test_address_lock_refuses_other_emails_from_the_same_address(world, limit):
    # given five failures from one address, each for a different email
    for i in range(limit):
        _login(Client(), f"nobody{i}@acme.test", "wrong-password-x", ip="203.0.113.9")
    # when a different, real account signs in with its right password from that address
    r = _login(Client(), "peer@acme.test", PASSWORD, ip="203.0.113.9")
    # then it is refused too
    assert r.status_code == 429
    # and the same account from another address is let in
    other = Client()
    assert _login(other, "peer@acme.test", PASSWORD, ip="198.51.100.4").status_code == 302
    assert other.session[SESSION_KEY] == str(world.peer.user.pk)


def test_failures_below_the_limit_do_not_lock_and_a_success_clears_the_email(world, limit):
    client = Client()
    for _ in range(limit - 1):
        _login(client, "rep@acme.test", "wrong-password-x", ip="10.0.2.1")
    assert _login(client, "rep@acme.test", PASSWORD, ip="10.0.2.2").status_code == 302
    # the email's failures were cleared: four more failures from a fresh address still allow a try
    for _ in range(limit - 1):
        _login(Client(), "rep@acme.test", "wrong-password-x", ip="10.0.2.3")
    assert _login(Client(), "rep@acme.test", PASSWORD, ip="10.0.2.4").status_code == 302


def test_lock_ends_when_the_window_has_passed(world, limit, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "_now", lambda: now[0])
    for _ in range(limit):
        _login(Client(), "rep@acme.test", "wrong-password-x")
    assert _login(Client(), "rep@acme.test", PASSWORD).status_code == 429
    now[0] += 901
    assert _login(Client(), "rep@acme.test", PASSWORD).status_code == 302


def test_refused_attempt_is_logged(world, limit, caplog):
    for _ in range(limit):
        _login(Client(), "rep@acme.test", "wrong-password-x")
    with caplog.at_level(logging.WARNING, logger="saleshelm.security"):
        _login(Client(), "rep@acme.test", PASSWORD)
    messages = [rec.getMessage() for rec in caplog.records if rec.name == "saleshelm.security"]
    assert any("throttled" in m for m in messages)
    assert not any(PASSWORD in m for m in messages)


def test_client_ip_ignores_forwarded_for_unless_proxies_are_trusted(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8")
    settings.LOGIN_THROTTLE_TRUSTED_PROXIES = 0
    assert throttle.client_ip(request) == "10.9.9.9"
    settings.LOGIN_THROTTLE_TRUSTED_PROXIES = 1
    assert throttle.client_ip(request) == "5.6.7.8"


def test_logout_is_post_only(world, web_client):
    client = web_client(world.rep)
    assert client.get("/logout/").status_code == 405
    assert SESSION_KEY in client.session
    r = client.post("/logout/")
    assert r.status_code == 302
    assert r["Location"] == reverse("web:login")
    assert SESSION_KEY not in client.session


def test_signed_in_user_visiting_login_goes_home(world, web_client):
    r = web_client(world.rep).get(LOGIN)
    assert r.status_code == 302
    assert r["Location"] == reverse("web:home")


def test_login_form_needs_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    r = client.post(LOGIN, {"email": "rep@acme.test", "password": PASSWORD})
    assert r.status_code == 403

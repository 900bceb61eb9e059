"""Deployment settings (SPEC §11.8): check --deploy, HSTS, secure cookies, CSP, framing, referrer."""

import os
import subprocess
import sys

import pytest
from django.test import Client


def test_production_settings_pass_check_deploy():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SALESHELM_", "PYTEST"))}
    env.update(
        SALESHELM_SECRET_KEY="a-very-long-random-secret-key-for-production-use-0123456789-xyz",
        SALESHELM_ALLOWED_HOSTS="sales.example.com",
    )
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "saleshelm",
            "manage",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SALESHELM_", "PYTEST"))}
    r = subprocess.run(
        [sys.executable, "-m", "saleshelm", "manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1
    assert r.stderr.strip().startswith("saleshelm: configuration error: SALESHELM_SECRET_KEY")
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.django_db
def test_security_headers_on_pages_and_api():
    for url in ("/login/", "/api/v1/openapi.json"):
        r = Client().get(url, secure=True)
        assert r["Strict-Transport-Security"].startswith("max-age=31536000")
        assert r["X-Frame-Options"] == "DENY"
        assert r["Referrer-Policy"] == "same-origin"
        assert r["X-Content-Type-Options"] == "nosniff"
        csp = r["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp


def test_session_and_csrf_cookies_are_secure_in_production(settings):
    from django.conf import settings as live

    assert live.SESSION_COOKIE_SECURE and live.CSRF_COOKIE_SECURE and live.SESSION_COOKIE_HTTPONLY

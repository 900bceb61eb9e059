"""The scale-out deployment of docs/deploy.md, on one machine: PostgreSQL, two app servers
(``saleshelm serve``, gunicorn) and one ``saleshelm worker`` on the Redis (RQ) backend.

Each process has a working folder of its own, as on its own host, and the production
environment (debug and test mode off, a secret key, ``SALESHELM_TASKS=redis``); they share
only what the guide says hosts share: the database, Redis (a database of its own, flushed
before and after) and the media folder (``SALESHELM_MEDIA_ROOT``). The test plays the proxy:
every request carries ``X-Forwarded-Proto: https`` and ``X-Forwarded-For``.

Through HTTP on both app servers: a member signs in on one and is signed in on the other; an
import too large to run in its request is uploaded to one app server, run by the worker, and
followed to its end, and its records read, through the other; ``saleshelm scheduler --once``
enqueues the periodic jobs and the worker runs them (expired sessions are cleared).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import secrets
import shutil
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from saleshelm.core.models import ScheduledRun
from saleshelm.core.scheduler import jobs
from saleshelm.crm.models import Account
from saleshelm.imports.models import ImportJob
from saleshelm.imports.services import INLINE_BYTES
from saleshelm.tenancy.services import token_create
from tests.core.helpers import env_for, run_process, start_process, stop_process

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REDIS_DB = 13  # a database of its own: flushed before and after
PASSWORD = "deploy-horse-battery-42"
ACCOUNTS = 1500
WAIT_SECONDS = 180


def _redis_url() -> str:
    parts = urllib.parse.urlsplit(settings.REDIS_URL)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{REDIS_DB}"))


def _flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url, socket_timeout=5).flushdb()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """HTTP to one app server, as the proxy forwards it (HTTPS, one client address)."""

    def __init__(self, port: int, log: Path) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.origin = f"https://127.0.0.1:{port}"
        self.log = log
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, data=None, headers=None, token=None):
        """``(status, headers, body)``; a redirect is answered, not followed."""
        all_headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        all_headers.update(headers or {})
        req = urllib.request.Request(
            self.base + path, data=data, headers=all_headers, method=method
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(req, timeout=60) as resp:
                status, got, body = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as err:
            status, got, body = err.code, err.headers, err.read()
        for cookie in got.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return status, got, body

    def api(self, method, path, *, token, data=None, headers=None):
        status, _, body = self.request(
            method, "/api/v1" + path, data=data, headers=headers, token=token
        )
        assert status in (200, 201), f"{method} {path} answered {status}: {body[:500]!r}"
        return json.loads(body)

    def wait_until_up(self, proc) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"the app server stopped:\n{self.log.read_text()[-3000:]}")
            try:
                if self.request("GET", "/login/")[0] == 200:
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        pytest.fail(f"the app server did not answer:\n{self.log.read_text()[-3000:]}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(fields: dict[str, str], filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(f"{value}\r\n".encode())
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
    )
    out.write(content + f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _accounts_csv() -> bytes:
    """Native account rows, padded with an ignored column to pass the in-request limit."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["external_id", "name", "industry", "country", "notes"])
    for i in range(ACCOUNTS):
        writer.writerow([f"DEP-{i:05d}", f"Deploy account {i:05d}", "Retail", "VN", "n" * 1600])
    return text.getvalue().encode()


def _sign_in(app: AppServer, email: str) -> None:
    status, _, body = app.request("GET", "/login/")
    assert status == 200
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert match, "the sign-in page has no CSRF token"
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "email": email, "password": PASSWORD}
    ).encode()
    status, headers, body = app.request(
        "POST",
        "/login/",
        data=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": app.origin,
            "Referer": f"{app.origin}/login/",
        },
    )
    assert status == 302, f"sign-in answered {status}: {body[:500]!r}"
    assert "/login" not in headers["Location"]
    assert "sessionid" in app.cookies


def _wait_for(what: str, check, procs_logs) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if check():
            return
        for proc, log in procs_logs:
            if proc.poll() is not None:
                pytest.fail(
                    f"a process stopped while waiting for {what}:\n{log.read_text()[-3000:]}"
                )
        time.sleep(0.5)
    logs = "\n".join(log.read_text()[-2000:] for _, log in procs_logs)
    pytest.fail(f"timed out waiting for {what}:\n{logs}")


@pytest.fixture
def deployment(tmp_path, world):
    """Two app servers and one RQ worker, each in its own working folder; killed at the end,
    whatever happens."""
    redis_url = _redis_url()
    _flush_redis(redis_url)
    media = tmp_path / "shared-media"  # stands for the NFS mount every host shares
    media.mkdir()
    env = env_for(
        connection.settings_dict["NAME"],
        SALESHELM_TESTING="0",
        SALESHELM_DEBUG="0",
        SALESHELM_SECRET_KEY=secrets.token_urlsafe(50),
        SALESHELM_ALLOWED_HOSTS="127.0.0.1,localhost",
        SALESHELM_TASKS="redis",
        SALESHELM_REDIS_URL=redis_url,
        SALESHELM_MEDIA_ROOT=str(media),
        SALESHELM_TRUSTED_PROXIES="1",
    )
    hosts = {name: tmp_path / name for name in ("app1", "app2", "worker")}
    for folder in hosts.values():
        folder.mkdir()
    procs: list = []
    try:
        # collectstatic on each app host: run once, its files copied to the second host
        done = run_process(
            ["manage", "collectstatic", "--noinput"], env, timeout=300, cwd=hosts["app1"]
        )
        assert done.returncode == 0, done.stderr
        shutil.copytree(hosts["app1"] / "var" / "static", hosts["app2"] / "var" / "static")
        apps = []
        for name in ("app1", "app2"):
            port = _free_port()
            log = tmp_path / f"{name}.log"
            proc = start_process(
                ["serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
                env,
                cwd=hosts[name],
                log=log,
            )
            procs.append((proc, log))
            apps.append(AppServer(port, log))
        worker_log = tmp_path / "worker.log"
        worker = start_process(["worker"], env, cwd=hosts["worker"], log=worker_log)
        procs.append((worker, worker_log))
        for app, (proc, _) in zip(apps, procs, strict=False):
            app.wait_until_up(proc)
        yield {
            "apps": apps,
            "env": env,
            "hosts": hosts,
            "media": media,
            "procs": procs,
            "worker_log": worker_log,
        }
    finally:
        for proc, _ in procs:
            stop_process(proc)
        _flush_redis(redis_url)


def test_two_app_servers_and_a_redis_worker_serve_one_deployment(deployment, world):
    app1, app2 = deployment["apps"]
    procs = deployment["procs"]
    admin = world.admin
    admin.user.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    admin.user.save(update_fields=["password"])
    token = token_create(membership=admin, name="deploy test")

    # a member signed in on app server 1 is signed in on app server 2 (sessions in the database)
    _sign_in(app1, admin.user.email)
    app2.cookies = dict(app1.cookies)
    status, headers, _ = app2.request("GET", "/")
    assert status == 200, headers.get("Location")
    signed_in_key = app1.cookies["sessionid"]

    # given an import too large to run in its request, uploaded to app server 1
    content = _accounts_csv()
    assert len(content) > INLINE_BYTES
    body, content_type = _multipart({"kind": "accounts"}, "accounts.csv", content)
    job = app1.api("POST", "/imports", token=token, data=body,
                   headers={"Content-Type": content_type})  # fmt: skip
    # then it is queued for a worker, its file in the shared media folder
    assert job["status"] == "queued", job
    assert any(deployment["media"].rglob("*.csv"))

    # when the worker (another working folder, as on another host) runs it, app server 2 sees
    # it finish
    seen: dict = {}

    def finished() -> bool:
        seen.update(app2.api("GET", f"/imports/{job['id']}", token=token))
        return seen["status"] not in ("queued", "running")

    _wait_for("the import to finish", finished, procs)
    assert seen["status"] == "done", seen
    assert (seen["rows"], seen["created"], seen["error_count"]) == (ACCOUNTS, ACCOUNTS, 0)
    assert seen["warnings"] == ["Ignored columns: notes"]
    # and both app servers read the records it wrote
    for app in (app1, app2):
        page = app.api("GET", "/accounts?limit=500", token=token)
        assert page["count"] == ACCOUNTS
        ids = {row["external_id"] for row in page["items"]}
        assert len(ids) == 500 and all(i.startswith("DEP-") for i in ids)
    assert Account.objects.filter(organisation=world.org).count() == ACCOUNTS
    assert Account.objects.filter(organisation=world.other_org).count() == 0
    assert ImportJob.objects.get(pk=job["id"]).upload.name == ""  # the file is gone
    worker_log = deployment["worker_log"].read_text()
    assert f"run_import_job({job['id']}, False)" in worker_log

    # given expired sessions, when the scheduler enqueues the periodic jobs once
    Session.objects.bulk_create(
        Session(session_key=f"expired-{i}", session_data="",
                expire_date=timezone.now() - dt.timedelta(days=1))
        for i in range(3)
    )  # fmt: skip
    done = run_process(
        ["scheduler", "--once"], deployment["env"], timeout=120, cwd=deployment["hosts"]["worker"]
    )
    assert done.returncode == 0, done.stderr
    enqueued = re.findall(r"^Enqueued (\S+) for ", done.stdout, re.MULTILINE)
    assert sorted(enqueued) == sorted(job.name for job in jobs())
    assert ScheduledRun.objects.count() == len(enqueued)

    # then the worker runs them: the expired sessions are cleared, the signed-in one is kept
    def cleared() -> bool:
        return not Session.objects.filter(session_key__startswith="expired-").exists()

    _wait_for("the session clean-up", cleared, procs)
    assert Session.objects.filter(session_key=signed_in_key).exists()
    assert app2.request("GET", "/")[0] == 200

    def all_ran() -> bool:
        text = deployment["worker_log"].read_text()
        return text.count("Successfully completed") >= 1 + len(enqueued)

    _wait_for("every periodic job to run", all_ran, procs)
    worker_log = deployment["worker_log"].read_text()
    assert "clear_expired_sessions() job" in worker_log
    assert "Traceback" not in worker_log

import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from django.core.management.base import CommandError
from django.db import connection

from saleshelm.core.management.commands.serve import check_free, check_workers, parse_bind
from tests.core.helpers import SALESHELM, env_for, one_line, run_cli


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:8000", ("127.0.0.1", 8000)),
        ("0.0.0.0:80", ("0.0.0.0", 80)),
        ("localhost:65535", ("localhost", 65535)),
        ("[::1]:8080", ("[::1]", 8080)),
    ],
)
def test_parse_bind_accepts_host_and_port(text, expected):
    assert parse_bind(text) == expected


@pytest.mark.parametrize(
    "text", ["", "8000", "localhost", ":8000", "host:0", "host:70000", "a b:80", "h:8x"]
)
def test_parse_bind_refuses_anything_else(text):
    with pytest.raises(CommandError):
        parse_bind(text)


def test_workers_are_bounded():
    assert check_workers(2) == 2
    for bad in (0, -1, 65):
        with pytest.raises(CommandError):
            check_workers(bad)


def test_a_busy_port_is_reported_in_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(CommandError, match="already in use"):
            check_free("127.0.0.1", port)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bind", "nope"], "--bind must be HOST:PORT"),
        (["--workers", "0"], "--workers must be between 1 and 64"),
        (["--workers", "many"], "invalid int value"),
    ],
)
def test_serve_refuses_bad_options_in_one_line(capsys, args, message):
    code, out, err = run_cli(capsys, "serve", *args)
    assert code != 0
    assert message in one_line(err)
    assert out == ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_serve_answers_http_with_gunicorn():
    # given `saleshelm serve` started as a real process on a free port
    port = _free_port()
    env = env_for(connection.settings_dict["NAME"])
    proc = subprocess.Popen(
        [str(SALESHELM), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # when the login page is requested
        status = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5) as r:
                    status = r.status
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None:
                    break
                time.sleep(0.2)
        # then gunicorn answers it
        assert status == 200, proc.stderr.read() if proc.poll() is not None else "no answer"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    # and stops cleanly on SIGTERM, having run 2 workers
    assert proc.returncode == 0, err
    assert "Serving SalesHelm on http://127.0.0.1" in out
    assert err.count("Booting worker") == 2

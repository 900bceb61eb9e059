"""Running the ``saleshelm`` command in-process and as a real process, for tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import connections

from saleshelm import cli

SALESHELM = Path(sys.executable).with_name("saleshelm")


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``saleshelm argv...`` in this process; return (exit code, stdout, stderr).

    Django closes every database connection when a command run from the command line ends;
    that would close the test's transaction, so it is held open here.
    """
    capsys.readouterr()
    code = 0
    try:
        with mock.patch.object(connections, "close_all"):
            cli.main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got {lines!r}"
    return lines[0]


def env_for(db_name: str, **extra: str) -> dict[str, str]:
    """The environment of a subprocess that works on this test's database: the SQLite file,
    or the PostgreSQL test database on the server the suite runs against."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SALESHELM_")}
    settings = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        user = settings.get("USER") or "postgres"
        password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        env["SALESHELM_DATABASE_URL"] = f"postgres://{user}{password}@{host}:{port}/{db_name}"
    else:
        env["SALESHELM_DATABASE_URL"] = f"sqlite:///{db_name}"
    env.update(extra)
    return env


def run_process(args: list[str], env: dict[str, str], timeout: float = 60, cwd: Path | None = None):
    if not SALESHELM.exists():
        pytest.fail(f"{SALESHELM} is missing: install the project (pip install -e .)")
    return subprocess.run(
        [str(SALESHELM), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
    )


def start_process(args: list[str], env: dict[str, str], *, cwd: Path, log: Path):
    """Start ``saleshelm args...`` in the background in ``cwd``, both output streams into
    ``log`` (a pipe nobody reads would fill and block a long-lived process). The process leads
    its own group, so ``stop_process`` also ends its children (gunicorn's workers)."""
    if not SALESHELM.exists():
        pytest.fail(f"{SALESHELM} is missing: install the project (pip install -e .)")
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(SALESHELM), *args],
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop_process(proc: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM the process's group, then SIGKILL what is still there after ``timeout``."""
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 10)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # children that outlived their leader
        os.killpg(proc.pid, signal.SIGKILL)

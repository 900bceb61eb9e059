"""Shared pieces of the benchmarks: datasets, timing, and the report table.

Every benchmark module in this package exposes ``run(ctx) -> list[Result]``. ``python -m bench``
builds (or reuses) the dataset of the requested size in a dedicated database, runs the modules
on SQLite and on PostgreSQL (each in its own process, since settings are read at start), and
prints one table with our figure, the reference's figure, the ratio and the goal.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Dataset sizes: "L" is SPEC §10's reference dataset; the smaller ones keep the same shape.
SIZES: dict[str, dict[str, int]] = {
    "XS": {"reps": 50, "months": 6, "orders": 20_000, "activities": 20_000},
    "S": {"reps": 200, "months": 12, "orders": 200_000, "activities": 200_000},
    "M": {"reps": 2_000, "months": 24, "orders": 1_000_000, "activities": 1_000_000},
    "L": {"reps": 2_000, "months": 24, "orders": 5_000_000, "activities": 5_000_000},
}
BENCH_ORG = "bench"


@dataclass
class Result:
    name: str
    ours: float
    unit: str
    reference: float | None = None
    reference_name: str = ""
    goal: str = ""
    ok: bool | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        if self.reference in (None, 0) or self.ours == 0:
            return None
        return self.ours / self.reference  # type: ignore[operator]


@dataclass
class Context:
    size: str
    database: str  # "sqlite" | "postgres"
    organisation: Any = None
    options: dict[str, Any] = field(default_factory=dict)


def timed(fn: Callable[[], Any], *, repeat: int = 1, warmup: int = 0) -> tuple[list[float], Any]:
    """Wall-clock seconds of each call, and the last call's answer."""
    answer = None
    for _ in range(warmup):
        answer = fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        answer = fn()
        samples.append(time.perf_counter() - start)
    return samples, answer


def p95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def database_label() -> str:
    from django.db import connection

    return "postgres" if connection.vendor == "postgresql" else connection.vendor


def print_table(results: list[Result], *, title: str) -> None:
    print(f"\n== {title}")
    header = f"{'benchmark':44} {'ours':>14} {'reference':>14} {'ratio':>7}  {'goal':32} verdict"
    print(header)
    print("-" * len(header))
    for r in results:
        ref = f"{r.reference:,.4g}" if r.reference is not None else "—"
        ratio = f"{r.ratio:.2f}" if r.ratio is not None else "—"
        verdict = {True: "MET", False: "MISSED", None: "info"}[r.ok]
        print(
            f"{r.name:44} {r.ours:>10,.4g} {r.unit:3} {ref:>14} {ratio:>7}  {r.goal:32} {verdict}"
        )
        if r.reference_name:
            print(f"{'':44}   reference: {r.reference_name}")
        for note in r.notes:
            print(f"{'':44}   {note}")


def env_for(database: str, size: str) -> dict[str, str]:
    # Production settings (DEBUG off), as a real deployment runs; requests carry
    # X-Forwarded-Proto: https as they would behind the TLS proxy.
    env = dict(os.environ)
    env["SALESHELM_DEBUG"] = "0"
    env.setdefault(
        "SALESHELM_SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
    )
    env["SALESHELM_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    if database == "postgres":
        env["SALESHELM_DATABASE_URL"] = (
            os.environ.get(
                "SALESHELM_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/saleshelm_bench"
            )
            + f"_{size.lower()}"
        )
    else:
        env["SALESHELM_DATABASE_URL"] = "sqlite:///" + os.path.abspath(f"var/bench-{size}.sqlite3")
    return env


# --- HTTP load against a real gunicorn ------------------------------------------------------

WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH %d %d %.3f %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3))
end
"""


PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class Load:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p95_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str:
    import shutil

    path = shutil.which("wrk")
    if path:
        return path
    subprocess_run(["apt-get", "install", "-y", "-qq", "wrk"])
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is needed for HTTP benchmarks (apt-get install wrk)")
    return path


def subprocess_run(cmd: list[str]) -> None:
    import subprocess

    subprocess.run(cmd, check=False, capture_output=True)


def wrk(
    url: str, *, connections: int = 8, seconds: int = 10, headers: dict[str, str] | None = None
) -> Load:
    """Drive ``url`` with wrk (8 concurrent connections, 2 threads) on loopback only."""
    import subprocess
    import tempfile

    assert url.startswith("http://127.0.0.1:"), "benchmarks only load this machine"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT)
        script = f.name
    cmd = [ensure_wrk(), "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script, url]
    for k, v in {**PROXY_HEADERS, **(headers or {})}.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    n, errors, secs, p50, p95_ = line.split()[1:]
    return Load(int(n), int(errors), float(secs), float(p50), float(p95_))


class Server:
    """``saleshelm serve`` (gunicorn) on a free loopback port, for the life of a ``with``."""

    def __init__(self, workers: int = 2):
        self.workers = workers

    def __enter__(self) -> Server:
        import socket
        import subprocess
        import sys
        import urllib.request

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ)
        subprocess.run(
            [sys.executable, "-m", "saleshelm", "manage", "collectstatic", "--noinput", "-v0"],
            env=env,
            check=True,
        )
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "saleshelm",
                "serve",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                req = urllib.request.Request(self.base + "/login/", headers=PROXY_HEADERS)
                urllib.request.urlopen(req, timeout=2)
                return self
            except OSError:
                time.sleep(0.3)
        self.proc.kill()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)

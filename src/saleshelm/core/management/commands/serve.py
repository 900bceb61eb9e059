"""``saleshelm serve``: the production web server (gunicorn), default 127.0.0.1:8000.

Run several of these behind a proxy to scale out; they share nothing but the database and
(optionally) Redis. Static files are served by whitenoise from ``collectstatic``'s output.
"""

from __future__ import annotations

import errno
import gc
import os
import re
import socket
from typing import Any

from django.core.management.base import CommandError
from django.db import connections

from saleshelm.core.management.base import SaleshelmCommand

DEFAULT_BIND = "127.0.0.1:8000"
MAX_WORKERS = 64
_BIND = re.compile(r"^(?P<host>\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(?P<port>\d{1,5})$")


def default_workers() -> int:
    # gunicorn's advice: (2 x cores) + 1, kept modest for small machines.
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def parse_bind(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) -> (host, port), or a one-line CommandError."""
    match = _BIND.match((text or "").strip())
    if not match:
        raise CommandError(f"--bind must be HOST:PORT such as 127.0.0.1:8000, not {text!r}")
    port = int(match.group("port"))
    if not 1 <= port <= 65535:
        raise CommandError(f"--bind port must be between 1 and 65535, not {port}")
    return match.group("host"), port


def check_workers(workers: int) -> int:
    if not 1 <= workers <= MAX_WORKERS:
        raise CommandError(f"--workers must be between 1 and {MAX_WORKERS}, not {workers}")
    return workers


def check_free(host: str, port: int) -> None:
    """Fail early, in one line, when the address cannot be bound (gunicorn would retry
    for several seconds and print a traceback-like log)."""
    bare = host.strip("[]")
    try:
        infos = socket.getaddrinfo(bare, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise CommandError(f"cannot bind to {host}:{port}: unknown host {bare!r}") from None
    family, _, _, _, address = infos[0]
    probe = socket.socket(family, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CommandError(
                f"{host}:{port} is already in use (is another server running?)"
            ) from None
        raise CommandError(f"cannot bind to {host}:{port}: {exc.strerror}") from None
    finally:
        probe.close()


def _worker_ready(worker) -> None:
    """The worker has loaded the application: its long-lived objects (Django, every module,
    the models' metadata) move to the collector's permanent generation (``gc.freeze``), so
    a collection during a request walks that request's objects, not the whole program. The
    orders API list (``bench/api_list.py``) served a third more requests a second."""
    gc.freeze()


def run_gunicorn(*, host: str, port: int, workers: int, options: dict[str, Any] | None = None):
    """Serve ``saleshelm.config.wsgi`` with gunicorn until stopped (SIGINT/SIGTERM)."""
    from gunicorn.app.base import BaseApplication

    config = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        "accesslog": "-",
        "errorlog": "-",
        "timeout": 60,
        "graceful_timeout": 20,
        "proc_name": "saleshelm",
        # gunicorn >= 24 opens a control socket at one fixed path per user; several servers
        # on one machine (app servers, the demo, tests) would fight over it.
        "control_socket_disable": True,
        "post_worker_init": _worker_ready,
        **(options or {}),
    }

    class SaleshelmApplication(BaseApplication):
        def load_config(self) -> None:
            for key, value in config.items():
                if key in self.cfg.settings:  # settings unknown to older gunicorns are moot
                    self.cfg.set(key, value)

        def load(self):
            from saleshelm.config.wsgi import application

            return application

    # Workers are forked from this process: they must not share its database connections.
    connections.close_all()
    SaleshelmApplication().run()


class Command(SaleshelmCommand):
    help = "Serve SalesHelm with gunicorn (production web server)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=DEFAULT_BIND, metavar="HOST:PORT",
                            help=f"address to listen on (default {DEFAULT_BIND})")  # fmt: skip
        parser.add_argument("--workers", type=int, default=default_workers(), metavar="N",
                            help="worker processes (default: 2 x CPU cores + 1, at most 8)")  # fmt: skip

    def run(self, *args, **opts):
        host, port = parse_bind(opts["bind"])
        workers = check_workers(opts["workers"])
        check_free(host, port)
        self.stdout.write(f"Serving SalesHelm on http://{host}:{port}/ with {workers} workers")
        self.stdout.flush()
        run_gunicorn(host=host, port=port, workers=workers)

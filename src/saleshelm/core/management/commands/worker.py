"""``saleshelm worker``: run background tasks with the configured backend (SALESHELM_TASKS).

- ``database``: django-tasks-db's ``db_worker`` polls the task table (one machine, no Redis).
- ``redis``: an RQ worker (django-rq's ``rqworker``) on the configured queues, with
  django-tasks-rq's own Job class, which is what turns an RQ job back into a django-tasks
  Task call (a plain RQ worker would refuse or mis-run these jobs).
- ``immediate``: tasks already run inside the web process; there is nothing to start.
"""

from __future__ import annotations

from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from saleshelm.core.management.base import SaleshelmCommand

RQ_JOB_CLASS = "django_tasks_rq.Job"


def backend_kind(alias: str = DEFAULT_TASK_BACKEND_ALIAS) -> str:
    """The kind of the configured backend: database, redis or immediate (or its class name)."""
    from django_tasks.backends.immediate import ImmediateBackend
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_rq.backend import RQBackend

    backend = task_backends[alias]
    if isinstance(backend, DatabaseBackend):
        return "database"
    if isinstance(backend, RQBackend):
        return "redis"
    if isinstance(backend, ImmediateBackend):
        return "immediate"
    return type(backend).__name__


class Command(SaleshelmCommand):
    help = "Run the background task worker for the configured backend (SALESHELM_TASKS)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="process the tasks waiting now, then exit")  # fmt: skip
        parser.add_argument("--queues", default=None, metavar="A,B",
                            help="queues to work on (default: every configured queue)")  # fmt: skip
        parser.add_argument("--max-tasks", type=int, default=None, metavar="N",
                            help="exit after N tasks")  # fmt: skip
        parser.add_argument("--interval", type=float, default=1.0, metavar="SECONDS",
                            help="database backend: how often to look for tasks (default 1)")  # fmt: skip

    def run(self, *args, **opts):
        kind = backend_kind()
        if opts["max_tasks"] is not None and opts["max_tasks"] < 1:
            raise CommandError("--max-tasks must be at least 1")
        if opts["interval"] <= 0:
            raise CommandError("--interval must be more than 0 seconds")
        if kind == "immediate":
            raise CommandError(
                "no worker is needed: SALESHELM_TASKS is immediate, so tasks run in-process; "
                "set SALESHELM_TASKS=database or redis to run them in a worker"
            )
        queues = self._queues(opts["queues"])
        verbosity = opts["verbosity"]
        if kind == "database":
            self.stdout.write(f"Database task worker on queues {', '.join(queues)}")
            call_command(
                "db_worker",
                queue_name=",".join(queues),
                batch=opts["batch"],
                max_tasks=opts["max_tasks"],
                interval=opts["interval"],
                reload=False,
                startup_delay=not opts["batch"],
                verbosity=verbosity,
            )
            return
        if kind == "redis":
            unknown = [q for q in queues if q not in getattr(settings, "RQ_QUEUES", {})]
            if unknown:
                raise CommandError(f"queue {unknown[0]!r} is not configured in RQ_QUEUES")
            self._check_redis(queues)
            self.stdout.write(f"Redis (RQ) task worker on queues {', '.join(queues)}")
            self.stdout.flush()
            call_command(
                "rqworker",
                *queues,
                job_class=RQ_JOB_CLASS,
                burst=opts["batch"],
                max_jobs=opts["max_tasks"],
                with_scheduler=True,  # runs tasks deferred with run_after when they are due
                verbosity=verbosity,
            )
            return
        raise CommandError(f"no worker is known for the task backend {kind}")

    def _check_redis(self, queues: list[str]) -> None:
        import django_rq
        from redis.exceptions import RedisError

        for queue in queues:
            try:
                django_rq.get_connection(queue).ping()
            except RedisError as exc:
                url = urlsplit(cast(str, settings.RQ_QUEUES[queue].get("URL", "")))
                where = url.hostname or "the configured server"  # never print a password
                where += f":{url.port}" if url.port else ""
                raise CommandError(f"cannot reach Redis at {where} ({exc})") from None

    def _queues(self, raw: str | None) -> list[str]:
        if raw:
            queues = [q.strip() for q in raw.split(",") if q.strip()]
            if not queues:
                raise CommandError("--queues needs at least one queue name")
            return queues
        configured = cast(list[str], settings.TASKS[DEFAULT_TASK_BACKEND_ALIAS].get("QUEUES"))
        return list(configured or []) or ["default"]

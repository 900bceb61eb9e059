"""Housekeeping of the background machinery itself. Every task is idempotent."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task, task_backends

from saleshelm.core.scheduler import daily, register, weekly

SCHEDULED_RUNS_KEPT_DAYS = 90
TASK_RESULTS_KEPT_DAYS = 14


@task()
def prune_scheduled_runs(days: int = SCHEDULED_RUNS_KEPT_DAYS) -> int:
    """Forget scheduler slots older than ``days``; only the recent ones guard against reruns."""
    from saleshelm.core.models import ScheduledRun

    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = ScheduledRun.objects.filter(slot__lt=cutoff).delete()
    return deleted


@task()
def prune_task_results(days: int = TASK_RESULTS_KEPT_DAYS) -> int:
    """Delete finished results of the database task backend older than ``days``.

    Results of the Redis backend expire in Redis itself; with the immediate backend nothing
    is stored. So this only touches the database backend's table.
    """
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    aliases = [
        alias for alias in settings.TASKS if isinstance(task_backends[alias], DatabaseBackend)
    ]
    if not aliases:
        return 0
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(backend_name__in=aliases, finished_at__lte=cutoff)
        .delete()
    )
    return deleted


register("core.prune_scheduled_runs", prune_scheduled_runs, weekly("sun", "04:10"))
register("core.prune_task_results", prune_task_results, daily("04:20"))

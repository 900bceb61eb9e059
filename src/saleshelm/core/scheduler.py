"""Periodic jobs: what runs when, and enqueuing each slot exactly once (SPEC §1).

Apps register their jobs at the top of their ``tasks.py`` (found by ``autodiscover``)::

    from saleshelm.core.scheduler import daily, register, weekly

    register("development.daily_signals", "saleshelm.development.tasks.signals_evaluate", daily("05:30"))
    register("development.weekly_digest", weekly_digest_send, weekly("mon", "07:00"))

A job only enqueues a task; the work runs in the worker (or in-process with the immediate
backend), so tasks must be idempotent. Times are wall-clock times in ``settings.TIME_ZONE``.
Each job has slots (every day at 03:10, every 15 minutes...). ``enqueue_due`` enqueues the
latest slot of each job that has not been enqueued yet: after a restart a missed nightly run
happens once, not once per missed night, and a second scheduler finds the slot taken.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules, import_string

from saleshelm.core.errors import ApplicationError

logger = logging.getLogger("saleshelm.scheduler")

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _parse_time(text: str) -> dt.time:
    match = _TIME.match(text.strip())
    if not match:
        raise ApplicationError(f"{text!r} is not a time of day (HH:MM)", code="invalid_schedule")
    return dt.time(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class Schedule:
    """When a job's slots fall. Build one with ``daily``, ``weekly`` or ``every``."""

    kind: str  # "daily" | "weekly" | "every"
    at: dt.time = dt.time(0, 0)
    weekday: int = 0  # Monday is 0, as in datetime.weekday()
    minutes: int = 0

    def latest_slot(self, now: dt.datetime) -> dt.datetime:
        """The start of the most recent slot at or before ``now`` (aware, in TIME_ZONE)."""
        local = timezone.localtime(now)
        tz = local.tzinfo
        if self.kind == "every":
            midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
            elapsed = int((local - midnight).total_seconds() // 60)
            return midnight + dt.timedelta(minutes=elapsed - elapsed % self.minutes)
        candidate = dt.datetime.combine(local.date(), self.at, tzinfo=tz)
        if self.kind == "daily":
            return candidate if candidate <= local else candidate - dt.timedelta(days=1)
        # weekly
        candidate -= dt.timedelta(days=(local.weekday() - self.weekday) % 7)
        return candidate if candidate <= local else candidate - dt.timedelta(days=7)

    def next_slot(self, now: dt.datetime) -> dt.datetime:
        latest = self.latest_slot(now)
        step = {
            "every": dt.timedelta(minutes=self.minutes),
            "daily": dt.timedelta(days=1),
            "weekly": dt.timedelta(days=7),
        }[self.kind]
        return latest + step

    def describe(self) -> str:
        if self.kind == "every":
            return f"every {self.minutes} min"
        if self.kind == "daily":
            return f"daily at {self.at:%H:%M}"
        return f"weekly on {WEEKDAYS[self.weekday]} at {self.at:%H:%M}"


def daily(at: str) -> Schedule:
    return Schedule("daily", at=_parse_time(at))


def weekly(weekday: str, at: str) -> Schedule:
    day = weekday.strip().lower()[:3]
    if day not in WEEKDAYS:
        raise ApplicationError(f"{weekday!r} is not a weekday", code="invalid_schedule")
    return Schedule("weekly", at=_parse_time(at), weekday=WEEKDAYS.index(day))


def every(*, minutes: int) -> Schedule:
    # Slots are counted from midnight, so the step must divide the day evenly.
    if not isinstance(minutes, int) or minutes <= 0 or (24 * 60) % minutes:
        raise ApplicationError(
            f"every {minutes} minutes does not divide a day evenly", code="invalid_schedule"
        )
    return Schedule("every", minutes=minutes)


@dataclass(frozen=True)
class Job:
    name: str
    task_path: str
    schedule: Schedule
    args: tuple[Any, ...] = field(default_factory=tuple)

    def task(self):
        return import_string(self.task_path)


_REGISTRY: dict[str, Job] = {}


def register(name: str, task: Any, schedule: Schedule, *, args: tuple[Any, ...] = ()) -> Job:
    """Add a periodic job. ``task`` is a django-tasks Task or its import path.

    Registering the same name twice with the same task is harmless (modules may be
    imported again); with a different task it is a mistake and raises.
    """
    if not isinstance(schedule, Schedule):
        raise ApplicationError("schedule must come from daily(), weekly() or every()")
    path = task if isinstance(task, str) else task.module_path
    job = Job(name=name, task_path=path, schedule=schedule, args=tuple(args))
    existing = _REGISTRY.get(name)
    if existing is not None and existing.task_path != path:
        raise ApplicationError(
            f"scheduled job {name!r} is already registered for {existing.task_path}",
            code="exists",
        )
    _REGISTRY[name] = job
    return job


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def autodiscover() -> None:
    """Import every installed app's ``tasks`` module so its ``register`` calls run."""
    autodiscover_modules("tasks")


def jobs() -> list[Job]:
    autodiscover()
    return sorted(_REGISTRY.values(), key=lambda j: j.name)


@dataclass(frozen=True)
class Enqueued:
    job: Job
    slot: dt.datetime
    task_result_id: str = ""
    error: str = ""


def enqueue_due(now: dt.datetime | None = None) -> list[Enqueued]:
    """Enqueue every job whose latest slot has not been enqueued yet; return what happened.

    The ScheduledRun row and the enqueue share one transaction: with the database task
    backend both commit or neither does; with Redis a failed commit after the enqueue can
    at worst run an idempotent task twice, never skip it. A job whose enqueue fails is
    reported (``error``) and retried at the next pass; the other jobs still run.
    """
    from saleshelm.core.models import ScheduledRun

    now = now or timezone.now()
    done: list[Enqueued] = []
    for job in jobs():
        slot = job.schedule.latest_slot(now)
        if ScheduledRun.objects.filter(job=job.name, slot=slot).exists():
            continue
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
                result = job.task().enqueue(*job.args)
                run.task_result_id = str(result.id)[:64]
                run.save(update_fields=["task_result_id"])
        except IntegrityError:
            # Another scheduler took this slot between our check and our insert.
            continue
        except Exception as exc:
            logger.exception("could not enqueue %s for slot %s", job.name, slot.isoformat())
            done.append(Enqueued(job=job, slot=slot, error=f"{type(exc).__name__}: {exc}"))
            continue
        logger.debug("enqueued %s for slot %s (task %s)", job.name, slot.isoformat(), result.id)
        done.append(Enqueued(job=job, slot=slot, task_result_id=str(result.id)))
    return done


def next_wakeup(now: dt.datetime | None = None) -> dt.datetime | None:
    """When the earliest next slot of any job starts (None when nothing is registered)."""
    now = now or timezone.now()
    slots = [job.schedule.next_slot(now) for job in jobs()]
    return min(slots) if slots else None

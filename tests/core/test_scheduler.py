import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models.query import QuerySet

from saleshelm.core import scheduler
from saleshelm.core.errors import ApplicationError
from saleshelm.core.models import ScheduledRun
from saleshelm.core.scheduler import daily, enqueue_due, every, register, weekly
from tests.core.sample_tasks import record_run

UTC = dt.UTC


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def registry(monkeypatch):
    """An empty job registry, so only the jobs a test registers run."""
    monkeypatch.setattr(scheduler, "_REGISTRY", {})
    monkeypatch.setattr(scheduler, "autodiscover", lambda: None)
    return scheduler._REGISTRY


def runs(label: str) -> int:
    return Session.objects.filter(session_key__startswith=f"sched-{label}-").count()


@pytest.mark.parametrize(
    ("schedule", "now", "slot"),
    [
        (daily("03:10"), "2026-07-15 02:00", "2026-07-14 03:10"),
        (daily("03:10"), "2026-07-15 03:10", "2026-07-15 03:10"),
        (daily("03:10"), "2026-07-15 23:59", "2026-07-15 03:10"),
        (weekly("mon", "07:00"), "2026-07-15 12:00", "2026-07-13 07:00"),  # a Wednesday
        (weekly("mon", "07:00"), "2026-07-13 06:59", "2026-07-06 07:00"),
        (weekly("wednesday", "07:00"), "2026-07-15 07:00", "2026-07-15 07:00"),
        (every(minutes=15), "2026-07-15 10:44", "2026-07-15 10:30"),
        (every(minutes=15), "2026-07-15 10:45", "2026-07-15 10:45"),
        (every(minutes=60), "2026-07-15 00:00", "2026-07-15 00:00"),
    ],
)
def test_latest_slot(schedule, now, slot):
    assert schedule.latest_slot(at(now)) == at(slot)


def test_next_slot_follows_the_latest():
    assert daily("03:10").next_slot(at("2026-07-15 02:00")) == at("2026-07-15 03:10")
    assert weekly("mon", "07:00").next_slot(at("2026-07-15 12:00")) == at("2026-07-20 07:00")


@pytest.mark.parametrize(
    "build",
    [
        lambda: daily("25:00"),
        lambda: daily("3pm"),
        lambda: weekly("someday", "07:00"),
        lambda: every(minutes=7),
        lambda: every(minutes=0),
    ],
)
def test_bad_schedules_are_refused(build):
    with pytest.raises(ApplicationError):
        build()


def test_the_real_jobs_are_registered():
    names = {job.name: job for job in scheduler.jobs()}
    job = names["tenancy.clear_expired_sessions"]
    assert job.task_path == "saleshelm.tenancy.tasks.clear_expired_sessions"
    assert job.schedule.kind == "daily"
    assert "core.prune_scheduled_runs" in names


def test_a_name_cannot_be_taken_by_another_task(registry):
    register("x.job", record_run, daily("01:00"))
    register("x.job", record_run, daily("01:00"))  # the same again is harmless
    with pytest.raises(ApplicationError, match="already registered"):
        register("x.job", "saleshelm.tenancy.tasks.clear_expired_sessions", daily("01:00"))


@pytest.mark.django_db
def test_a_slot_is_enqueued_once(registry):
    # given a daily job
    register("test.daily", record_run, daily("03:00"), args=("daily",))
    # when the scheduler passes twice in the same slot (a restart, or a second scheduler)
    first = enqueue_due(at("2026-07-15 03:00"))
    second = enqueue_due(at("2026-07-15 09:30"))
    # then the task ran once, and one run is recorded
    assert [e.job.name for e in first] == ["test.daily"] and second == []
    assert runs("daily") == 1
    assert ScheduledRun.objects.get().slot == at("2026-07-15 03:00")
    # when the next day's slot comes, it runs again
    enqueue_due(at("2026-07-16 03:01"))
    assert runs("daily") == 2


@pytest.mark.django_db
def test_two_schedulers_racing_for_a_slot_enqueue_it_once(registry, monkeypatch):
    # given both schedulers passed the "already done?" check before either inserted
    register("test.race", record_run, every(minutes=5), args=("race",))
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    # when both enqueue the same slot
    now = at("2026-07-15 10:02")
    enqueue_due(now)
    enqueue_due(now)
    # then the unique constraint let only one through
    assert runs("race") == 1
    assert ScheduledRun.objects.filter(job="test.race").count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_run_of_a_slot():
    ScheduledRun.objects.create(job="j", slot=at("2026-07-15 03:00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledRun.objects.create(job="j", slot=at("2026-07-15 03:00"))


@pytest.mark.django_db
def test_a_failing_enqueue_is_reported_and_retried(registry, monkeypatch):
    # given a job whose task cannot be found
    register("test.broken", "tests.core.sample_tasks.missing", daily("03:00"))
    register("test.fine", record_run, daily("03:00"), args=("fine",))
    # when the scheduler passes
    done = {e.job.name: e for e in enqueue_due(at("2026-07-15 04:00"))}
    # then the broken one is reported, not recorded (so the next pass retries), the other ran
    assert done["test.broken"].error
    assert not ScheduledRun.objects.filter(job="test.broken").exists()
    assert runs("fine") == 1


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_process_enqueues_then_stops_on_sigterm():
    import signal
    import subprocess
    import time

    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from tests.core.helpers import SALESHELM, env_for

    # given `saleshelm scheduler` running as its own process with the database backend
    env = env_for(connection.settings_dict["NAME"], SALESHELM_TASKS="database")
    proc = subprocess.Popen(
        [str(SALESHELM), "scheduler"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        # when it has had time to make its first pass
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if ScheduledRun.objects.filter(job="tenancy.clear_expired_sessions").exists():
                break
            time.sleep(0.3)
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    # then it queued the session clean-up for the worker, and stopped cleanly
    assert proc.returncode == 0, err.decode()
    assert "Scheduler stopped." in out.decode()
    queued = DBTaskResult.objects.filter(task_path="saleshelm.tenancy.tasks.clear_expired_sessions")
    assert queued.count() == 1 and queued.get().status == "READY"

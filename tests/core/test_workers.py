"""Real workers: a task enqueued here is executed by ``saleshelm worker`` in another process."""

import datetime as dt
import socket

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from saleshelm.tenancy.tasks import clear_expired_sessions
from tests.core.helpers import env_for, run_process

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/14"  # a database of its own


def _expired_sessions(n: int) -> None:
    Session.objects.bulk_create(
        Session(session_key=f"expired-{i}", session_data="", expire_date=timezone.now() - dt.timedelta(days=1))
        for i in range(n)
    )  # fmt: skip
    Session.objects.create(
        session_key="live", session_data="", expire_date=timezone.now() + dt.timedelta(days=1)
    )


def _redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_a_task_enqueued_here(settings):
    # given three expired sessions and a task enqueued on the database backend
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _expired_sessions(3)
    result = clear_expired_sessions.enqueue()
    assert result.status == "READY"
    # when `saleshelm worker --batch` runs as its own process on the same database
    env = env_for(connection.settings_dict["NAME"], SALESHELM_TASKS="database")
    done = run_process(["worker", "--batch"], env)
    # then it exits cleanly after running the task
    assert done.returncode == 0, done.stderr
    result.refresh()
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value == 3
    assert result.worker_ids
    # and the task's effect is in the database
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_redis_worker_runs_a_task_enqueued_here(settings):
    if not _redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    import django_rq

    # given two expired sessions and a task enqueued on the Redis (RQ) backend
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    django_rq.get_queue("default").empty()
    _expired_sessions(2)
    result = clear_expired_sessions.enqueue()
    assert result.status == "READY"
    # when `saleshelm worker --batch` runs as its own process with SALESHELM_TASKS=redis
    env = env_for(
        connection.settings_dict["NAME"], SALESHELM_TASKS="redis", SALESHELM_REDIS_URL=REDIS_URL
    )
    done = run_process(["worker", "--batch"], env)
    # then the RQ worker ran the task with django-tasks-rq's job class
    assert done.returncode == 0, done.stderr
    finished = clear_expired_sessions.get_result(result.id)
    assert finished.status == "SUCCESSFUL", finished.errors
    assert finished.return_value == 2
    # and the task's effect is in the database
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


def test_worker_with_the_immediate_backend_says_none_is_needed(capsys):
    from tests.core.helpers import one_line, run_cli

    code, _, err = run_cli(capsys, "worker")
    assert code == 1
    assert "no worker is needed" in one_line(err)


def test_redis_worker_reports_an_unreachable_server_in_one_line(tmp_path):
    from tests.core.helpers import one_line

    # given the Redis backend pointed at a port where nothing listens, with a password
    env = env_for(
        str(tmp_path / "unused.sqlite3"),
        SALESHELM_TASKS="redis",
        SALESHELM_REDIS_URL="redis://:hunter2@127.0.0.1:1/0",
    )
    # when the worker starts
    done = run_process(["worker", "--batch"], env)
    # then it stops with one line that names the server but not the password
    assert done.returncode == 1
    line = one_line(done.stderr)
    assert line.startswith("saleshelm: cannot reach Redis at 127.0.0.1:1")
    assert "hunter2" not in line

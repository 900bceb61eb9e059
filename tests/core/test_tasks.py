import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from saleshelm.core.models import ScheduledRun
from saleshelm.core.tasks import prune_scheduled_runs, prune_task_results
from saleshelm.tenancy.tasks import clear_expired_sessions
from tests.core.sample_tasks import record_run

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _session(key: str, expires_in: dt.timedelta) -> None:
    Session.objects.create(
        session_key=key, session_data="x", expire_date=timezone.now() + expires_in
    )


@pytest.mark.django_db
def test_clear_expired_sessions_keeps_live_ones_and_is_idempotent():
    _session("old", dt.timedelta(days=-1))
    _session("live", dt.timedelta(days=1))
    assert clear_expired_sessions.call() == 1
    assert clear_expired_sessions.call() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


@pytest.mark.django_db
def test_clear_expired_sessions_runs_through_the_configured_backend():
    _session("old", dt.timedelta(days=-1))
    result = clear_expired_sessions.enqueue()  # immediate backend: runs now
    assert result.return_value == 1
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_prune_scheduled_runs_forgets_only_old_slots():
    now = timezone.now()
    ScheduledRun.objects.create(job="a", slot=now - dt.timedelta(days=200))
    ScheduledRun.objects.create(job="a", slot=now - dt.timedelta(days=1))
    assert prune_scheduled_runs.call() == 1
    assert prune_scheduled_runs.call() == 0
    assert ScheduledRun.objects.count() == 1


@pytest.mark.django_db
def test_prune_task_results_deletes_old_finished_database_results(settings):
    settings.TASKS = DATABASE_TASKS
    old = record_run.enqueue("prune")
    fresh = record_run.enqueue("prune")
    DBTaskResult.objects.filter(pk=old.id).update(
        status="SUCCESSFUL", finished_at=timezone.now() - dt.timedelta(days=30)
    )
    DBTaskResult.objects.filter(pk=fresh.id).update(status="SUCCESSFUL", finished_at=timezone.now())
    assert prune_task_results.call() == 1
    assert [str(pk) for pk in DBTaskResult.objects.values_list("pk", flat=True)] == [fresh.id]


@pytest.mark.django_db
def test_prune_task_results_has_nothing_to_do_without_the_database_backend():
    assert prune_task_results.call() == 0

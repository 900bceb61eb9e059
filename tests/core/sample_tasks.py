"""Tasks used by the scheduler tests: they record each run in the database."""

from django_tasks import task


@task()
def record_run(label: str = "run") -> str:
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    # A row per run, so a test can count executions whatever process ran them.
    n = Session.objects.filter(session_key__startswith=f"sched-{label}-").count()
    Session.objects.create(
        session_key=f"sched-{label}-{n}", session_data="", expire_date=timezone.now()
    )
    return n + 1


@task()
def always_fails() -> None:
    raise RuntimeError("nope")

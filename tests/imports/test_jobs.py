"""Import jobs: progress kept on the job, large files through the task backend."""

import pytest

from saleshelm.crm.models import OrderLine
from saleshelm.imports import services
from saleshelm.imports.kinds.orders import OrdersKind
from saleshelm.imports.models import ImportJob
from tests.imports.helpers import csv_text, data

HEADER = "external_id,line,order_date,owner_email,sku,quantity,unit_price"


def _orders(n):
    return csv_text(HEADER, *(f"SO-{i},1,2026-07-03,rep@acme.test,A,1,10" for i in range(n)))


@pytest.mark.django_db(transaction=True)
def test_given_a_dry_run_when_it_runs_then_its_progress_is_on_the_job_row(monkeypatch):
    from tests.conftest import build_world

    world = build_world()
    monkeypatch.setattr(services._ProgressSaver, "interval", 0)
    monkeypatch.setattr(OrdersKind, "batch_size", 100)
    seen = []

    def progress(done, total):
        seen.append((done, ImportJob.objects.get().rows_processed))

    job = services.import_file(
        actor=world.admin,
        file=data(_orders(300)),
        filename="o.csv",
        kind="orders",
        dry_run=True,
        progress=progress,
    )
    assert seen == [(100, 100), (200, 200), (300, 300)]
    assert job.rows_processed == 300 and job.rows_total == 300


def test_given_a_large_upload_when_started_then_it_is_queued_and_the_task_runs_it(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_BYTES", 10)
    job = services.import_job_create(
        actor=world.admin, file=data(_orders(50)), filename="o.csv", kind="orders"
    )
    with django_capture_on_commit_callbacks(execute=True):
        started = services.import_job_start(actor=world.admin, job=job, dry_run=False)
        assert started.status == "queued"
    job.refresh_from_db()
    assert job.status == "done" and job.created == 50 and not job.upload
    assert OrderLine.objects.count() == 50
    # A retried task for a finished job does nothing
    from saleshelm.imports.tasks import run_import_job

    assert run_import_job.call(job.pk) == "done"
    assert OrderLine.objects.count() == 50


def test_given_an_unreadable_upload_when_run_then_the_job_fails_with_one_sentence(world):
    job = services.import_job_create(
        actor=world.admin,
        file=data(b"\xd0\xcf\x11\xe0" + b"\0" * 40),
        filename="old.xls",
        kind="accounts",
    )
    job = services.import_job_start(actor=world.admin, job=job, dry_run=False)
    assert job.status == "failed" and "XLSX or CSV" in job.message and not job.upload


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_given_a_real_import_on_postgresql_when_it_writes_then_others_see_its_progress(monkeypatch):
    from tests.conftest import build_world

    world = build_world()
    monkeypatch.setattr(services._ProgressSaver, "interval", 0)
    monkeypatch.setattr(OrdersKind, "batch_size", 100)
    seen = []

    def progress(done, total):
        # Read committed: what another connection wrote is visible inside the transaction.
        seen.append(ImportJob.objects.get().rows_processed)

    services.import_file(
        actor=world.admin,
        file=data(_orders(300)),
        filename="o.csv",
        kind="orders",
        progress=progress,
    )
    assert seen == [100, 200, 300]


def test_given_uploads_left_waiting_when_pruned_then_their_files_go_and_the_jobs_stay(world):
    import datetime as dt

    from django.utils import timezone

    from saleshelm.imports.tasks import prune_import_uploads

    job = services.import_job_create(
        actor=world.admin,
        file=data(_orders(2)),
        filename="o.csv",
        kind="orders",
        dry_run=True,
        draft=True,
    )
    path = job.upload.path
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    assert prune_import_uploads.call() == 1
    job.refresh_from_db()
    assert not job.upload and job.status == "draft"
    import os

    assert not os.path.exists(path)
    assert prune_import_uploads.call() == 0


def test_given_an_import_left_running_by_a_dead_process_when_pruned_then_it_is_marked_failed(world):
    import datetime as dt

    from django.utils import timezone

    from saleshelm.imports.tasks import prune_import_uploads

    stale = ImportJob.objects.create(
        organisation=world.org,
        kind="orders",
        status="running",
        started_at=timezone.now() - dt.timedelta(days=3),
    )
    fresh = ImportJob.objects.create(
        organisation=world.org, kind="orders", status="running", started_at=timezone.now()
    )
    prune_import_uploads.call()
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == "failed" and "nothing was written" in stale.message
    assert fresh.status == "running"


def test_given_an_import_no_worker_took_when_pruned_then_it_is_failed_and_its_file_goes(world):
    import datetime as dt
    import os

    from django.utils import timezone

    from saleshelm.imports.tasks import prune_import_uploads

    job = services.import_job_create(
        actor=world.admin, file=data(_orders(2)), filename="o.csv", kind="orders", dry_run=False
    )
    path = job.upload.path
    ImportJob.objects.filter(pk=job.pk).update(
        status="queued", updated_at=timezone.now() - dt.timedelta(days=3)
    )
    waiting = services.import_job_create(
        actor=world.admin, file=data(_orders(2)), filename="p.csv", kind="orders", dry_run=False
    )
    ImportJob.objects.filter(pk=waiting.pk).update(status="queued")
    prune_import_uploads.call()
    job.refresh_from_db()
    waiting.refresh_from_db()
    assert job.status == "failed" and "No worker ran this import" in job.message
    assert not job.upload and not os.path.exists(path)
    assert waiting.status == "queued" and waiting.upload
    assert OrderLine.objects.count() == 0


def test_given_a_worker_that_cannot_read_the_upload_when_it_runs_then_the_import_fails(world):
    import os

    job = services.import_job_create(
        actor=world.admin, file=data(_orders(2)), filename="o.csv", kind="orders", dry_run=False
    )
    os.remove(job.upload.path)  # a worker on a host that does not share the media folder
    job = services.import_job_run(job_id=job.pk)
    assert job.status == "failed" and "could not read the uploaded file" in job.message
    assert OrderLine.objects.count() == 0

"""Writes of the imports app: create an import job, run it, record how it went.

The web pages, the API and the CLI all go through here; the engine does the reading and
writing, these functions keep the ``ImportJob`` row and the audit row in step with it.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import zlib
from collections.abc import Callable
from typing import IO, Any

from django.core.files.base import File
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.imports.engine import ImportResult, Progress, run_import
from saleshelm.imports.kinds import get_kind
from saleshelm.imports.kinds.base import ImportContext
from saleshelm.imports.models import FileFormat, ImportJob, JobStatus
from saleshelm.imports.permissions import can_import
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.services import audit_record

log = logging.getLogger("saleshelm.imports")

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
# Files up to this size run in the request; larger ones go to the task backend.
INLINE_BYTES = 2 * 1024 * 1024


def _check_request(*, actor: Actor, kind: str, format: str) -> str:
    the_kind = get_kind(kind)
    if not can_import(actor=actor, kind=the_kind):
        raise PermissionDenied(_("Your role may not import %(kind)s.") % {"kind": the_kind.name})
    if format not in FileFormat.values:
        raise ApplicationError(
            _("format must be one of %(formats)s") % {"formats": ", ".join(FileFormat.values)},
            field="format",
        )
    return the_kind.name


def import_job_create(
    *,
    actor: Actor,
    file: IO[bytes] | None,
    filename: str,
    kind: str,
    format: str = FileFormat.NATIVE,
    dry_run: bool = False,
    draft: bool = False,
) -> ImportJob:
    """Record an import and keep its file until it runs (a draft waits for its mapping)."""
    kind = _check_request(actor=actor, kind=kind, format=format)
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ApplicationError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
            field="file",
        )
    if file is not None and size == 0:
        raise ApplicationError(_("The file is empty."), code="unreadable_file", field="file")
    job = ImportJob(
        organisation_id=actor.organisation_id,
        actor=None if isinstance(actor, SystemActor) else actor,
        actor_label=actor.email,
        kind=kind,
        format=format,
        filename=(filename or "")[-255:],
        dry_run=dry_run,
        status=JobStatus.DRAFT if draft else JobStatus.QUEUED,
    )
    if file is not None:
        job.upload.save(_storage_name(filename), File(file), save=False)
    job.save()
    return job


def _storage_name(filename: str) -> str:
    import secrets

    suffix = ".xlsx" if (filename or "").lower().endswith(".xlsx") else ".csv"
    return f"{secrets.token_hex(12)}{suffix}"


def import_job_set_mapping(*, actor: Actor, job: ImportJob, mapping: dict[str, str]) -> ImportJob:
    _check_request(actor=actor, kind=job.kind, format=job.format)
    if job.status not in (JobStatus.DRAFT, JobStatus.DONE, JobStatus.REJECTED) or not job.upload:
        raise ApplicationError(_("This import has already run."), code="already_run")
    job.mapping = {str(k): str(v) for k, v in mapping.items() if v}
    job.format = FileFormat.MAPPED
    job.status = JobStatus.DRAFT
    job.save(update_fields=["mapping", "format", "status", "updated_at"])
    return job


def import_job_start(
    *, actor: Actor, job: ImportJob, dry_run: bool, keep_file: bool = False
) -> ImportJob:
    """Run a recorded import: in this request for a small file, else as a background task.

    ``keep_file`` keeps the upload after a dry run, for the real run that follows (the
    import pages); the file is always deleted after a real run."""
    _check_request(actor=actor, kind=job.kind, format=job.format)
    if not job.upload:
        raise ApplicationError(_("This import has already run."), code="already_run")
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING) and job.started_at is not None:
        raise ApplicationError(_("This import is running."), code="running")
    job.dry_run = dry_run
    job.status = JobStatus.QUEUED
    job.save(update_fields=["dry_run", "status", "updated_at"])
    try:
        size = job.upload.size
    except OSError:
        size = 0
    if size <= INLINE_BYTES:
        import_job_run(job_id=job.pk, keep_file=keep_file)
    else:
        from saleshelm.imports.tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.enqueue(job.pk, keep_file))
    job.refresh_from_db()
    return job


def _actor_of(job: ImportJob) -> Actor:
    if job.actor is not None:
        return job.actor
    return SystemActor(job.organisation, label=job.actor_label or "system")


def import_job_run(
    *, job_id: int, progress: Progress | None = None, keep_file: bool = False
) -> ImportJob:
    """The task body: run the job's stored file through the engine and record the result."""
    job = ImportJob.objects.select_related(
        "organisation", "actor__user", "actor__organisation"
    ).get(pk=job_id)
    if job.is_finished and not job.upload:
        return job  # a retried task after success: nothing to do (idempotent)
    actor = _actor_of(job)
    if job.actor is not None and not job.actor.is_active:
        return _fail(job, _("The member who started this import is no longer active."))
    try:
        fh = job.upload.open("rb")
    except OSError:
        # A worker on another host that does not share SALESHELM_MEDIA_ROOT (docs/deploy.md).
        return _fail(job, _("The worker could not read the uploaded file: upload it again."))
    with fh:
        job = execute(job=job, actor=actor, file=fh, progress=progress)
    if job.upload and not keep_file:
        _drop_upload(job)
        job.save(update_fields=["upload", "updated_at"])
    return job


def execute(
    *, job: ImportJob, actor: Actor, file: IO[bytes], progress: Progress | None = None
) -> ImportJob:
    """Run ``file`` for ``job`` now and store counts, errors and timings on it."""
    import_jobs_close_dead(organisation_id=job.organisation_id)
    _claim(job)
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.finished_at = None
    job.runner = _RUNNER
    job.save(update_fields=["status", "started_at", "finished_at", "runner", "updated_at"])
    try:
        return _execute(job=job, actor=actor, file=file, progress=progress)
    finally:
        _release(job)


# --- who runs a job, and is it still alive? -------------------------------------------------
# A process killed in the middle of an import (kill -9, out of memory, the machine restarted)
# leaves its job "running": its write transaction was rolled back, so nothing was written. The
# next import in the organisation closes such jobs as failed (and the daily prune, for every
# organisation). On PostgreSQL the runner holds a session advisory lock keyed by the job for
# as long as it runs; the database drops it with the dead process's connection, so a running
# job whose lock is free has no runner. SQLite lives on one machine: there the job's "host
# pid" says whether its process still exists.
_JOB_LOCK_CLASS = zlib.crc32(b"saleshelm.imports.job") >> 1
_RUNNER = f"{socket.gethostname()} {os.getpid()}"[:300]


def _claim(job: ImportJob) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [_JOB_LOCK_CLASS, _lock_key(job.pk)])


def _release(job: ImportJob) -> None:
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_unlock(%s, %s)", [_JOB_LOCK_CLASS, _lock_key(job.pk)]
            )


def _lock_key(pk: int) -> int:
    return pk & 0x7FFFFFFF


def _runner_is_dead(job: ImportJob) -> bool:
    if connection.vendor == "postgresql":
        key = [_JOB_LOCK_CLASS, _lock_key(job.pk)]
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", key)
            free = bool(cursor.fetchone()[0])
            if free:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", key)
        return free
    host, _, pid = job.runner.rpartition(" ")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # not ours to judge (the daily prune closes it after a while)
    if int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False  # it exists (another user's process)
    return False


def import_jobs_close_dead(*, organisation_id: int | None = None) -> int:
    """Close the jobs left "running" by a process that no longer runs them (see above)."""
    running = ImportJob.objects.filter(status=JobStatus.RUNNING).exclude(runner="")
    if organisation_id is not None:
        running = running.filter(organisation_id=organisation_id)
    dead = [job.pk for job in running.only("pk", "runner") if _runner_is_dead(job)]
    if not dead:
        return 0
    return ImportJob.objects.filter(pk__in=dead, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED,
        message=_("The import stopped before it finished; nothing was written."),
        finished_at=timezone.now(),
    )


def _execute(
    *, job: ImportJob, actor: Actor, file: IO[bytes], progress: Progress | None = None
) -> ImportJob:
    saver = _ProgressSaver(job)

    def on_progress(done: int, total: int) -> None:
        job.rows_processed = done
        job.rows_total = max(total, done)
        saver(done, job.rows_total)
        if progress is not None:
            progress(done, total)

    def audit(ctx: ImportContext) -> None:
        audit_record(
            actor=actor,
            action="import.run",
            obj=job,
            after={
                "kind": job.kind,
                "format": job.format,
                "filename": job.filename,
                "rows": ctx.rows,
                "created": ctx.created,
                "updated": ctx.updated,
                "unchanged": ctx.unchanged,
            },
        )

    try:
        result = run_import(
            actor=actor,
            file=file,
            kind=job.kind,
            format=job.format if job.format != FileFormat.MAPPED else "mapped",
            dry_run=job.dry_run,
            mapping=job.mapping or None,
            filename=job.filename,
            progress=on_progress,
            on_success=audit,
        )
    except ApplicationError as exc:
        return _fail(job, exc.message)
    except Exception:
        log.exception("import job %s failed", job.pk)
        return _fail(job, _("The import stopped on an unexpected error; nothing was written."))
    finally:
        saver.close()
    return record_result(job, result)


class _ProgressSaver:
    """Keeps ``rows_processed`` on the job row while an import runs, at most once a second,
    so the pages and the API can show how far it got. Outside a transaction (a dry run) it is
    a plain update; inside the import's write transaction it goes through a second connection
    on PostgreSQL (committed at once, visible to others). SQLite allows one writer at a time:
    there the count is stored when the import ends."""

    interval = 1.0

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.last = time.monotonic()
        self.side: Any = None

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        values = {"rows_processed": done, "rows_total": total}
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(**values)
        elif connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection(DEFAULT_DB_ALIAS)
            with self.side.cursor() as cursor:
                cursor.execute(
                    "UPDATE imports_importjob SET rows_processed = %s, rows_total = %s WHERE id = %s",
                    [done, total, self.job.pk],
                )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None


def record_result(job: ImportJob, result: ImportResult) -> ImportJob:
    job.status = JobStatus.DONE if result.ok else JobStatus.REJECTED
    job.rows_total = max(job.rows_total, result.rows)
    job.rows_processed = result.rows
    job.created, job.updated, job.unchanged = result.created, result.updated, result.unchanged
    job.errors = result.errors[: ImportJob.MAX_STORED_ERRORS]
    job.error_count = result.error_count
    job.warnings = result.warnings
    job.file_type = result.file_type
    job.encoding = result.encoding
    job.delimiter = result.delimiter
    job.message = result.detected
    job.finished_at = timezone.now()
    if not job.dry_run and job.upload:
        _drop_upload(job)
    job.save()
    return job


def _fail(job: ImportJob, message: str) -> ImportJob:
    job.status = JobStatus.FAILED
    job.message = message[:1000]
    job.finished_at = timezone.now()
    if job.started_at is None:
        job.started_at = job.finished_at
    if job.upload and not job.dry_run:
        _drop_upload(job)
    job.save()
    return job


def _drop_upload(job: ImportJob) -> None:
    try:
        job.upload.delete(save=False)
    except OSError:
        log.warning("could not delete the upload of import job %s", job.pk)
    job.upload = ""  # type: ignore[assignment]


def import_upload_discard(*, older_than) -> int:
    """Forget the files of imports left waiting (a draft never mapped, a dry run never
    imported) since before ``older_than``; the jobs themselves stay in the history."""
    n = 0
    waiting = (
        ImportJob.objects.filter(updated_at__lt=older_than)
        .exclude(upload="")
        .exclude(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    )
    for job in waiting.iterator():
        _drop_upload(job)
        job.save(update_fields=["upload", "updated_at"])
        n += 1
    return n


def import_jobs_close_stale(*, started_before) -> int:
    """Jobs still "running" long after they started belong to a process that died (killed,
    or the machine restarted): their transaction was rolled back, so nothing was written.
    Jobs still queued as long after they were queued were never taken by a worker. Say so
    in the history."""
    now = timezone.now()
    stopped = ImportJob.objects.filter(
        status=JobStatus.RUNNING, started_at__lt=started_before
    ).update(
        status=JobStatus.FAILED,
        message=_("The import stopped before it finished; nothing was written."),
        finished_at=now,
    )
    # Queued and never started: no worker took it (none running, or its task failed first).
    never = ImportJob.objects.filter(status=JobStatus.QUEUED, updated_at__lt=started_before).update(
        status=JobStatus.FAILED,
        message=_("No worker ran this import; nothing was written. Start it again."),
        started_at=now,
        finished_at=now,
    )
    return stopped + never


def import_file(
    *,
    actor: Actor,
    file: IO[bytes],
    filename: str,
    kind: str,
    format: str = FileFormat.NATIVE,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportJob:
    """Import a local file now (the CLI): the job is recorded, the file is not stored."""
    job = import_job_create(
        actor=actor, file=None, filename=filename, kind=kind, format=format, dry_run=dry_run
    )
    return execute(job=job, actor=actor, file=file, progress=progress)

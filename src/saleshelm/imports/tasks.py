"""Background work of the imports app (django-tasks; runs in-process with the default
``immediate`` backend). Every task is idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from saleshelm.core.scheduler import daily, register

UPLOADS_KEPT_HOURS = 48


@task()
def run_import_job(job_id: int, keep_file: bool = False) -> str:
    """Run a recorded import; a retried task for a finished import does nothing."""
    from saleshelm.imports.services import import_job_run

    job = import_job_run(job_id=job_id, keep_file=keep_file)
    return job.status


@task()
def prune_import_uploads(hours: int = UPLOADS_KEPT_HOURS) -> int:
    """Delete the files of imports uploaded but never run (or checked and left): an upload
    is kept only for the import it was made for. Imports left "running" by a process that
    died are marked failed (their transaction rolled back: nothing was written)."""
    from saleshelm.imports.services import (
        import_jobs_close_dead,
        import_jobs_close_stale,
        import_upload_discard,
    )

    cutoff = timezone.now() - dt.timedelta(hours=hours)
    import_jobs_close_dead()
    import_jobs_close_stale(started_before=cutoff)
    return import_upload_discard(older_than=cutoff)


register("imports.prune_uploads", prune_import_uploads, daily("03:40"))

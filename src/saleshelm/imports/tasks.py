"""Background work of the imports app (django-tasks; runs in-process with the default
``immediate`` backend). Idempotent: a retried task for a finished job does nothing."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int, keep_file: bool = False) -> str:
    from saleshelm.imports.services import import_job_run

    job = import_job_run(job_id=job_id, keep_file=keep_file)
    return job.status

"""One row per import (and per upload waiting to be mapped): who, what, how it went (SPEC §4)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saleshelm.core.models import OrgOwned


class JobStatus(models.TextChoices):
    DRAFT = "draft", _("Waiting for column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected: the file has errors")
    FAILED = "failed", _("Failed")


class FileFormat(models.TextChoices):
    NATIVE = "native", _("SalesHelm columns")
    HUBSPOT = "hubspot", _("HubSpot export")
    SALESFORCE = "salesforce", _("Salesforce report export")
    MAPPED = "mapped", _("Columns mapped by hand")


class ImportJob(OrgOwned):
    """An import of one file. ``errors`` keeps the first ``MAX_STORED_ERRORS`` problems;
    ``error_count`` is the total, so a huge bad file still says how bad it is."""

    MAX_STORED_ERRORS = 1000

    actor = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    kind = models.CharField(_("kind"), max_length=32)
    format = models.CharField(
        _("format"), max_length=16, choices=FileFormat.choices, default=FileFormat.NATIVE
    )
    file_type = models.CharField(_("file type"), max_length=8, blank=True)  # csv | xlsx
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    encoding = models.CharField(max_length=32, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    # Column mapping chosen in the UI: {file header: native column}; empty = by name.
    mapping = models.JSONField(default=dict, blank=True)
    # The uploaded file, kept only until the import has run (then deleted).
    upload = models.FileField(upload_to="imports/%Y/%m/", blank=True, max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)  # one-line reason when failed
    started_at = models.DateTimeField(null=True, blank=True)
    # "host pid" of the process running it: a job left "running" by a process that died
    # (kill -9, a crash, a restart) is found and closed by the next import (services).
    runner = models.CharField(max_length=300, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "created_at"], name="imports_job_org_created"),
            models.Index(fields=["organisation", "actor"], name="imports_job_org_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def is_finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.REJECTED, JobStatus.FAILED}

"""Abstract building blocks shared by every app; no business rules here."""

from django.db import models


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OrgOwned(TimeStamped):
    """Every business record belongs to exactly one organisation (SPEC §2)."""

    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.CASCADE, related_name="+", db_index=True
    )

    class Meta:
        abstract = True


class ScheduledRun(models.Model):
    """One row per (job, slot) the scheduler has enqueued.

    The unique constraint is what makes a slot run exactly once, even when the scheduler
    restarts or two schedulers run side by side: the second insert fails and skips.
    """

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    task_result_id = models.CharField(max_length=64, blank=True)
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-slot", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.job} @ {self.slot:%Y-%m-%d %H:%M}"

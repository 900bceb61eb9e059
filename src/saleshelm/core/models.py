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

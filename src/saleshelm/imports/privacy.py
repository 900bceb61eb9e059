"""The imports part of a person's data (SPEC §11.11): the import jobs they ran.

An import job keeps the label of whoever ran it (their email when it ran); erasure replaces
it with the pseudonym. The job's counts, errors and file name stay: they describe the data
loaded, not the person.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from saleshelm.imports.models import ImportJob
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership


def export_member(*, actor: Actor, member: Membership) -> dict[str, Any]:
    return {
        "import_jobs": list(
            ImportJob.objects.filter(organisation_id=member.organisation_id, actor=member)
            .order_by("created_at", "pk")
            .values(
                "id",
                "kind",
                "filename",
                "status",
                "dry_run",
                "rows_total",
                "created",
                "updated",
                "error_count",
                "created_at",
            )
        )
    }


def erase_member(*, actor: Actor, member: Membership) -> dict[str, int]:
    from saleshelm.people.privacy.services import pseudonym

    relabelled = ImportJob.objects.filter(
        organisation_id=member.organisation_id, actor=member
    ).update(actor_label=pseudonym(member), updated_at=timezone.now())
    return {"import_jobs_relabelled": relabelled}


def register_privacy() -> None:
    from saleshelm.people.privacy import PrivacyProvider, register_privacy_provider

    register_privacy_provider(
        PrivacyProvider(key="imports", export=export_member, erase=erase_member, order=70)
    )

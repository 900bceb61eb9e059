"""Background work of direction. Every task is idempotent: running it twice changes nothing."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from saleshelm.core.scheduler import daily, register


@task()
def segments_reclassify_all() -> int:
    """Give the accounts and leads created or imported since the last rule change their
    segment fit (rule changes reclassify at once; new records wait for this nightly pass).
    Returns how many fits changed."""
    from saleshelm.direction.models import Segment
    from saleshelm.direction.segments import classify_organisation
    from saleshelm.tenancy.actors import SystemActor
    from saleshelm.tenancy.models import Organisation

    changed = 0
    with_segments = Segment.objects.values("organisation_id").distinct()
    for org in Organisation.objects.filter(pk__in=with_segments).order_by("pk"):
        with transaction.atomic():
            result = classify_organisation(actor=SystemActor(org, label="scheduler"))
        changed += result.accounts_changed + result.leads_changed
    return changed


register("direction.segments_reclassify", segments_reclassify_all, daily("03:40"))

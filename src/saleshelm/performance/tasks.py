"""Background work of performance: keeping the rollup fresh. Every task is idempotent.

- every 5 minutes: fold recent line changes into the rollup of every organisation (the
  selectors also do it before answering; this catches late commits and quiet hours);
- nightly: rebuild every organisation's rollup from the raw lines, which repairs what a
  watermark cannot see (deleted lines, lines moved to another month).
"""

from __future__ import annotations

from django_tasks import task

from saleshelm.core.scheduler import daily, every, register


def _organisation_ids() -> list[int]:
    from saleshelm.tenancy.models import Organisation

    return list(Organisation.objects.order_by("pk").values_list("pk", flat=True))


@task()
def rollups_refresh_all() -> int:
    """Refresh every organisation's rollup; answers how many had changes."""
    from saleshelm.performance.rollups import rollups_refresh

    return sum(rollups_refresh(org_id, sweep=True).changed for org_id in _organisation_ids())


@task()
def rollups_rebuild_all() -> int:
    """Rebuild every organisation's rollup from the raw lines; answers how many."""
    from saleshelm.performance.rollups import rollups_rebuild

    ids = _organisation_ids()
    for org_id in ids:
        rollups_rebuild(org_id)
    return len(ids)


register("performance.rollups_refresh", rollups_refresh_all, every(minutes=5))
register("performance.rollups_rebuild", rollups_rebuild_all, daily("02:30"))

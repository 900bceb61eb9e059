"""Reads of the import history, scoped by the actor."""

from __future__ import annotations

from django.db.models import QuerySet

from saleshelm.core.errors import NotFound, PermissionDenied
from saleshelm.imports.models import ImportJob
from saleshelm.imports.permissions import can_read_jobs
from saleshelm.people.permissions import sees_whole_organisation
from saleshelm.people.selectors import visible_member_ids
from saleshelm.tenancy.actors import Actor


def _visible(actor: Actor) -> QuerySet[ImportJob]:
    qs = ImportJob.objects.filter(organisation_id=actor.organisation_id)
    if not sees_whole_organisation(actor=actor):
        qs = qs.filter(actor_id__in=visible_member_ids(actor=actor))
    return qs


def import_job_list(*, actor: Actor, kind: str | None = None) -> QuerySet[ImportJob]:
    if not can_read_jobs(actor=actor):
        raise PermissionDenied("Only admins, directors and managers read the import history.")
    qs = _visible(actor).select_related("actor__user").order_by("-created_at", "-pk")
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def access_import_job(*, actor: Actor, id: int) -> ImportJob:
    """Another organisation's import, or one of a member the actor cannot see, is "not
    found"; a visible one the role may not read is "forbidden"."""
    job = _visible(actor).select_related("actor__user").filter(pk=id).first()
    if job is None:
        raise NotFound("Import")
    if not can_read_jobs(actor=actor):
        raise PermissionDenied("Only admins, directors and managers read the import history.")
    return job

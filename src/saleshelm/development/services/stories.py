"""Writes of win stories and playbook notes."""

from __future__ import annotations

from typing import cast

from django.apps import apps
from django.db import transaction

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.development.models import Competency, Story, StoryKind
from saleshelm.development.permissions import can_edit_story, require_story_writer
from saleshelm.development.services.common import clean_text, same_org
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record

MAX_COMPETENCIES = 10


def segment_id_for(*, organisation_id: int, name: str) -> int | None:
    """The direction app's segment of that name, when that app has segments (read only)."""
    if not name:
        return None
    try:
        model = apps.get_model("direction", "Segment")
    except LookupError:
        return None
    found = (
        model.objects.filter(organisation_id=organisation_id, name__iexact=name)
        .values_list("pk", flat=True)
        .first()
    )
    return found


def _competencies(actor: Actor, competencies: list[Competency] | None) -> list[Competency]:
    items = list(competencies or [])
    if len(items) > MAX_COMPETENCIES:
        raise ApplicationError(
            f"link at most {MAX_COMPETENCIES} competencies", field="competency_ids"
        )
    for c in items:
        same_org(actor, c, "Competency")
    return items


@transaction.atomic
def story_create(
    *,
    actor: Actor,
    kind: str,
    title: str,
    body: str,
    opportunity=None,
    segment: str = "",
    industry: str = "",
    competencies: list[Competency] | None = None,
) -> Story:
    require_story_writer(actor)
    if kind not in StoryKind.values:
        raise ApplicationError("kind must be win or playbook", field="kind")
    same_org(actor, opportunity, "Opportunity")
    segment = clean_text(segment, field="segment", limit=120)
    if not industry and opportunity is not None and opportunity.account_id:
        industry = opportunity.account.industry
    story = Story.objects.create(
        organisation_id=actor.organisation_id,
        author=cast(Membership, actor),  # the system writes no stories in practice
        kind=kind,
        title=clean_text(title, field="title", required=True, limit=200),
        body=clean_text(body, field="body", required=True, limit=20_000),
        opportunity=opportunity,
        industry=clean_text(industry, field="industry", limit=100),
        segment_name=segment,
        segment_id=segment_id_for(organisation_id=actor.organisation_id, name=segment),
    )
    story.competencies.set(_competencies(actor, competencies))
    audit_record(
        actor=actor,
        action="story.create",
        obj=story,
        after={"kind": kind, "title": story.title},
    )
    return story


@transaction.atomic
def story_update(*, actor: Actor, story: Story, **changes) -> Story:
    require_story_writer(actor)
    if not can_edit_story(actor=actor, author_id=story.author_id):
        raise PermissionDenied("Only the author, a director or an admin edits a story.")
    story = Story.objects.select_for_update().get(pk=story.pk)
    if changes.get("title") is not None:
        story.title = clean_text(changes["title"], field="title", required=True, limit=200)
    if changes.get("body") is not None:
        story.body = clean_text(changes["body"], field="body", required=True, limit=20_000)
    if changes.get("kind") is not None:
        if changes["kind"] not in StoryKind.values:
            raise ApplicationError("kind must be win or playbook", field="kind")
        story.kind = changes["kind"]
    if changes.get("segment") is not None:
        story.segment_name = clean_text(changes["segment"], field="segment", limit=120)
        story.segment_id = segment_id_for(
            organisation_id=actor.organisation_id, name=story.segment_name
        )
    if changes.get("industry") is not None:
        story.industry = clean_text(changes["industry"], field="industry", limit=100)
    story.save()
    if changes.get("competencies") is not None:
        story.competencies.set(_competencies(actor, changes["competencies"]))
    audit_record(actor=actor, action="story.update", obj=story, after={"title": story.title})
    return story

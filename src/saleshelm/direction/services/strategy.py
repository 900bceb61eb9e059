"""Writes of the competitive offering: offerings, competitors, competitors met on deals."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from saleshelm.core.errors import ApplicationError
from saleshelm.direction.models import Competitor, Offering, OpportunityCompetitor
from saleshelm.direction.permissions import require_editor, require_work_deal
from saleshelm.direction.services.common import (
    clean_list,
    clean_text,
    require_text,
    same_org,
    save_validated,
    snapshot,
    unique_name,
)
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.services import audit_record

OFFERING_FIELDS = ("name", "value_proposition", "differentiators", "position")
COMPETITOR_FIELDS = ("name", "website", "strengths", "weaknesses", "how_we_win")


def _offering_snapshot(offering: Offering) -> dict[str, Any]:
    data = snapshot(offering, OFFERING_FIELDS)
    data["product_categories"] = sorted(offering.product_categories.values_list("pk", flat=True))
    return data


def _check_categories(actor: Actor, categories) -> list:
    categories = list(categories or [])
    for category in categories:
        same_org(actor, category, "product_categories")
    return categories


def _apply_offering(offering: Offering, data: dict[str, Any]) -> None:
    for name, raw in data.items():
        if name == "name":
            offering.name = require_text(raw, "name", max_length=120)
        elif name == "value_proposition":
            offering.value_proposition = clean_text(raw, "value_proposition", max_length=4000)
        elif name == "differentiators":
            offering.differentiators = clean_list(raw, "differentiators", max_items=20)
        elif name == "position":
            offering.position = max(0, int(raw))


@transaction.atomic
def offering_create(
    *,
    actor: Actor,
    name: str,
    value_proposition: str = "",
    differentiators: list[str] | None = None,
    product_categories=None,
) -> Offering:
    require_editor(actor)
    offering = Offering(organisation_id=actor.organisation_id)
    _apply_offering(
        offering,
        {
            "name": name,
            "value_proposition": value_proposition,
            "differentiators": differentiators,
        },
    )
    categories = _check_categories(actor, product_categories)
    unique_name(Offering, actor, offering.name)
    offering.position = Offering.objects.filter(organisation_id=actor.organisation_id).count()
    save_validated(offering, exclude=["organisation"], what="offering")
    offering.product_categories.set(categories)
    audit_record(
        actor=actor, action="offering.create", obj=offering, after=_offering_snapshot(offering)
    )
    return offering


@transaction.atomic
def offering_update(*, actor: Actor, offering: Offering, **changes: Any) -> Offering:
    require_editor(actor)
    before = _offering_snapshot(offering)
    categories = changes.pop("product_categories", None)
    _apply_offering(offering, changes)
    unique_name(Offering, actor, offering.name, exclude_pk=offering.pk)
    save_validated(offering, exclude=["organisation"], what="offering")
    if categories is not None:
        offering.product_categories.set(_check_categories(actor, categories))
    after = _offering_snapshot(offering)
    if after != before:
        audit_record(
            actor=actor, action="offering.update", obj=offering, before=before, after=after
        )
    return offering


@transaction.atomic
def offering_delete(*, actor: Actor, offering: Offering) -> None:
    require_editor(actor)
    before = _offering_snapshot(offering)
    pk = offering.pk
    offering.delete()
    audit_record(
        actor=actor, action="offering.delete", object_type="offering", object_id=pk, before=before
    )


def _apply_competitor(competitor: Competitor, data: dict[str, Any]) -> None:
    for name, raw in data.items():
        if name == "name":
            competitor.name = require_text(raw, "name", max_length=120)
        elif name == "website":
            competitor.website = clean_text(raw, "website", max_length=200)
        elif name in ("strengths", "weaknesses"):
            setattr(competitor, name, clean_list(raw, name, max_items=20))
        elif name == "how_we_win":
            competitor.how_we_win = clean_text(raw, "how_we_win", max_length=4000)


@transaction.atomic
def competitor_create(
    *,
    actor: Actor,
    name: str,
    website: str = "",
    strengths: list[str] | None = None,
    weaknesses: list[str] | None = None,
    how_we_win: str = "",
) -> Competitor:
    require_editor(actor)
    competitor = Competitor(organisation_id=actor.organisation_id)
    _apply_competitor(
        competitor,
        {
            "name": name,
            "website": website,
            "strengths": strengths,
            "weaknesses": weaknesses,
            "how_we_win": how_we_win,
        },
    )
    unique_name(Competitor, actor, competitor.name)
    save_validated(competitor, exclude=["organisation"], what="competitor")
    audit_record(
        actor=actor,
        action="competitor.create",
        obj=competitor,
        after=snapshot(competitor, COMPETITOR_FIELDS),
    )
    return competitor


@transaction.atomic
def competitor_update(*, actor: Actor, competitor: Competitor, **changes: Any) -> Competitor:
    require_editor(actor)
    before = snapshot(competitor, COMPETITOR_FIELDS)
    _apply_competitor(competitor, changes)
    unique_name(Competitor, actor, competitor.name, exclude_pk=competitor.pk)
    save_validated(competitor, exclude=["organisation"], what="competitor")
    after = snapshot(competitor, COMPETITOR_FIELDS)
    if after != before:
        audit_record(
            actor=actor, action="competitor.update", obj=competitor, before=before, after=after
        )
    return competitor


@transaction.atomic
def competitor_delete(*, actor: Actor, competitor: Competitor) -> None:
    """Remove a competitor and the record of the deals met against it."""
    require_editor(actor)
    before = snapshot(competitor, COMPETITOR_FIELDS)
    before["deals"] = competitor.opportunity_links.count()
    pk = competitor.pk
    competitor.delete()
    audit_record(
        actor=actor,
        action="competitor.delete",
        object_type="competitor",
        object_id=pk,
        before=before,
    )


@transaction.atomic
def opportunity_competitor_add(
    *, actor: Actor, opportunity, competitor: Competitor, note: str = ""
) -> OpportunityCompetitor:
    """Record that a competitor is in a deal (idempotent: the note is updated)."""
    same_org(actor, opportunity, "opportunity")
    same_org(actor, competitor, "competitor")
    require_work_deal(actor, opportunity)
    link, created = OpportunityCompetitor.objects.get_or_create(
        organisation_id=actor.organisation_id,
        opportunity=opportunity,
        competitor=competitor,
    )
    text = clean_text(note, "note", max_length=255)
    if not created and link.note == text:
        return link
    link.note = text
    link.save(update_fields=["note", "updated_at"])
    audit_record(
        actor=actor,
        action="opportunity_competitor.add" if created else "opportunity_competitor.update",
        obj=link,
        after={"opportunity": opportunity.pk, "competitor": competitor.pk, "note": text},
    )
    return link


@transaction.atomic
def opportunity_competitor_remove(*, actor: Actor, link: OpportunityCompetitor) -> None:
    same_org(actor, link, "link")
    require_work_deal(actor, link.opportunity)
    if link.pk is None:
        raise ApplicationError("this link does not exist")
    audit_record(
        actor=actor,
        action="opportunity_competitor.remove",
        obj=link,
        before={"opportunity": link.opportunity_id, "competitor": link.competitor_id},
    )
    link.delete()

"""The performance part of a person's data (SPEC §11.11): their targets and forecasts.

Erasure keeps them: targets and forecasts are the figures past attainment, pacing and pay
were measured against. A manager's override of the member's forecast keeps its reason too
(it explains a number, like a pay adjustment's note).
"""

from __future__ import annotations

from typing import Any

from saleshelm.performance.models import ForecastOverride, ForecastSubmission, Target
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership


def export_member(*, actor: Actor, member: Membership) -> dict[str, Any]:
    org = {"organisation_id": member.organisation_id, "member": member}
    overrides = ForecastOverride.objects.filter(**org).order_by("overridden_at", "pk")
    override_fields = ["id", "period_key", "amount", "overridden_at", "author_id"]
    if actor.pk != member.pk:
        # The manager's reason is read by managers and the organisation-wide roles; the
        # member's own export gives the figure that replaced theirs.
        override_fields.append("reason")
    return {
        "targets": list(
            Target.objects.filter(**org)
            .order_by("start", "metric", "pk")
            .values(
                "id",
                "metric",
                "period_key",
                "start",
                "end",
                "value",
                "product_category_id",
                "distribution",
            )
        ),
        "forecast_submissions": list(
            ForecastSubmission.objects.filter(**org)
            .order_by("submitted_at", "pk")
            .values("id", "period_key", "amount", "breakdown", "note", "submitted_at")
        ),
        "forecast_overrides": list(overrides.values(*override_fields)),
    }


def register_privacy() -> None:
    from saleshelm.people.privacy import PrivacyProvider, register_privacy_provider

    register_privacy_provider(PrivacyProvider(key="performance", export=export_member, order=30))

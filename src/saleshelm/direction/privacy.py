"""The direction part of a person's data (SPEC §11.11): the goals they own, the key results
measured on them, and the key-result check-ins they wrote.

Erasure keeps them: goals and key results are the organisation's plan, and check-in notes
report progress on it; they read as written by the pseudonym.
"""

from __future__ import annotations

from typing import Any

from saleshelm.direction.models import Goal, KeyResult, KeyResultCheckIn
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership


def export_member(*, actor: Actor, member: Membership) -> dict[str, Any]:
    org = {"organisation_id": member.organisation_id}
    return {
        "goals_owned": list(
            Goal.objects.filter(**org, owner=member)
            .order_by("period_start", "pk")
            .values("id", "title", "level", "period", "status", "parent_id")
        ),
        "key_results_about_them": list(
            KeyResult.objects.filter(**org, scope_member=member)
            .order_by("pk")
            .values("id", "goal_id", "name", "metric", "target_value", "unit")
        ),
        "key_result_check_ins_written": list(
            KeyResultCheckIn.objects.filter(**org, author=member)
            .order_by("date", "pk")
            .values("id", "key_result_id", "value", "note", "date")
        ),
    }


def register_privacy() -> None:
    from saleshelm.people.privacy import PrivacyProvider, register_privacy_provider

    register_privacy_provider(PrivacyProvider(key="direction", export=export_member, order=40))

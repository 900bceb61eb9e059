"""The motivation part of a person's data (SPEC §11.11): plan assignments, commission
statements with their payout and credit lines, disputes, recognition, contest results,
commitments and pulse participation.

Erasure rule: every pay record stays byte for byte — statements, payout and credit lines,
assignments, disputes (their comment and resolution explain a payment) — so a locked period
never changes. Kudos and badges are public recognition and stay. What is blanked are the
free-text details of the member's psychological contract (a commitment's details and
status note), which are personal terms between the member and their managers; the titles,
dates and outcomes stay, so "keeping our word" still counts.

Pulse answers are anonymous and never linked to anyone: there is nothing to export or
erase beyond the "has responded" marker.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from saleshelm.incentives.models import Dispute, PlanAssignment
from saleshelm.incentives.models.contract import Commitment
from saleshelm.incentives.models.pulse import PulseParticipation
from saleshelm.incentives.models.recognition import BadgeAward, ContestResult, Kudos
from saleshelm.incentives.permissions import sees_pay
from saleshelm.incentives.selectors.statements import statement_json, statement_list
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership


def _statements(actor: Actor, member: Membership) -> list[dict[str, Any]]:
    if not sees_pay(actor=actor):
        return []
    statements = statement_list(actor=actor).filter(member=member).order_by("period_start", "pk")
    return [
        {"run_id": s.run_id, "status": s.status, **statement_json(s, detail=True)}
        for s in statements
    ]


def _kudos(**where: Any) -> list[Any]:
    return list(
        Kudos.objects.filter(**where)
        .order_by("created_at", "pk")
        .values("id", "giver_id", "receiver_id", "value__name", "message", "created_at")
    )


def export_member(*, actor: Actor, member: Membership) -> dict[str, Any]:
    org = {"organisation_id": member.organisation_id}
    return {
        "plan_assignments": list(
            PlanAssignment.objects.filter(**org, member=member)
            .order_by("effective_from", "pk")
            .values(
                "id", "version__plan__name", "version__version", "effective_from", "effective_to"
            )
        ),
        "statements": _statements(actor, member),
        "disputes": list(
            Dispute.objects.filter(**org, member=member)
            .order_by("created_at", "pk")
            .values(
                "id",
                "plan__name",
                "period",
                "statement_id",
                "line_kind",
                "line_component",
                "line_amount",
                "comment",
                "status",
                "resolution",
                "adjustment_amount",
                "resolved_at",
                "created_at",
            )
        ),
        "kudos_given": _kudos(**org, giver=member),
        "kudos_received": _kudos(**org, receiver=member),
        "badges": list(
            BadgeAward.objects.filter(**org, member=member)
            .order_by("created_at", "pk")
            .values("id", "badge__name", "reason", "period", "figure", "created_at")
        ),
        "contest_results": list(
            ContestResult.objects.filter(**org, member=member)
            .order_by("contest__ends_on", "pk")
            .values("contest_id", "contest__name", "rank", "figure")
        ),
        "commitments": list(
            Commitment.objects.filter(**org, member=member)
            .order_by("period_start", "due_date", "pk")
            .values(
                "id",
                "period",
                "side",
                "kind",
                "title",
                "description",
                "owner_id",
                "due_date",
                "status",
                "status_note",
            )
        ),
        "pulse_surveys_answered": list(
            PulseParticipation.objects.filter(**org, member=member)
            .order_by("survey__opens_on", "survey_id")
            .values("survey_id", "survey__title")
        ),
    }


def erase_member(*, actor: Actor, member: Membership) -> dict[str, int]:
    blanked = Commitment.objects.filter(
        organisation_id=member.organisation_id, member=member
    ).update(description="", status_note="", updated_at=timezone.now())
    return {"commitment_details_blanked": blanked}


def register_privacy() -> None:
    from saleshelm.people.privacy import PrivacyProvider, register_privacy_provider

    register_privacy_provider(
        PrivacyProvider(key="incentives", export=export_member, erase=erase_member, order=50)
    )

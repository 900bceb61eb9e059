"""The "competencies" section of the performance scorecard (SPEC §6: outcomes and behaviours
side by side with competency ratings).

For many members at once, from two queries: the latest completed assessment of each member
the actor may see, then the ratings of those assessments. Levels only — evidence is
coaching text and stays on the assessment page. Finance and viewers, who read no coaching
records, get no section.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saleshelm.development.models import Assessment, AssessmentRating, AssessmentStatus
from saleshelm.development.permissions import can_read_coaching, coaching_q


def competency_ratings_for(*, actor, member_ids, period=None) -> dict[int, Any]:
    if not member_ids or not can_read_coaching(actor=actor):
        return {}
    latest: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.filter(
            organisation_id=actor.organisation_id,
            subject_id__in=list(member_ids),
            status=AssessmentStatus.COMPLETED,
        )
        .filter(coaching_q(actor, member="subject", lead="assessor"))
        .select_related("cycle")
        .order_by("subject_id", "-manager_submitted_at", "-pk")
    ):
        latest.setdefault(a.subject_id, a)
    if not latest:
        return {}
    by_assessment: dict[int, list[dict[str, Any]]] = {a.pk: [] for a in latest.values()}
    for r in (
        AssessmentRating.objects.filter(assessment_id__in=list(by_assessment))
        .select_related("competency")
        .order_by("competency__group__position", "competency__position", "pk")
    ):
        gap = None
        if r.manager_level is not None and r.expected_level is not None:
            gap = r.manager_level - r.expected_level
        by_assessment[r.assessment_id].append(
            {
                "competency": r.competency.name,
                "kind": r.competency.kind,
                "expected": r.expected_level,
                "self": r.self_level,
                "manager": r.manager_level,
                "gap_to_expected": gap,
            }
        )
    return {
        subject_id: {
            "cycle": a.cycle.name,
            "assessed_on": a.manager_submitted_at.date().isoformat()
            if a.manager_submitted_at
            else None,
            "ratings": by_assessment[a.pk],
        }
        for subject_id, a in latest.items()
    }


def register() -> None:
    from django.apps import apps

    if not apps.is_installed("saleshelm.performance"):
        return
    from saleshelm.performance.scorecards import ScorecardSection, register_section

    register_section(
        ScorecardSection(
            key="competencies",
            label=_("Competency ratings"),
            build=competency_ratings_for,
            order=50,
        )
    )

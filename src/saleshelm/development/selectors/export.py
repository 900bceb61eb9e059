"""A person's development data, machine readable (SPEC §11.11), as seen by the actor.

Every part is read through the same scoped selectors as the pages: an admin exporting a
rep's data gets the rep's shared feedback only if the admin manages the rep, and never a
private note between two other people; the rep exporting their own data gets everything
they wrote or received.
"""

from __future__ import annotations

from typing import Any

from saleshelm.development.permissions import can_read_coaching
from saleshelm.development.selectors.assessments import assessment_list, rating_rows
from saleshelm.development.selectors.checkins import action_items_of, check_in_list
from saleshelm.development.selectors.coaching import coaching_session_list, plan_list
from saleshelm.development.selectors.feedback import feedback_qs
from saleshelm.development.selectors.signals import signal_list
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership


def member_development_export(*, actor: Actor, member: Membership) -> dict[str, Any]:
    from django.db.models import Q

    feedback = feedback_qs(actor=actor).filter(Q(subject_id=member.pk) | Q(author_id=member.pk))
    data: dict[str, Any] = {
        "member": {
            "id": member.pk,
            "email": member.user.email,
            "name": member.user.get_full_name(),
        },
        "feedback": [
            {
                "id": f.pk,
                "author": f.author.user.email,
                "subject": f.subject.user.email,
                "kind": f.kind,
                "visibility": f.visibility,
                "body": f.body,
                "created_at": f.created_at.isoformat(),
            }
            for f in feedback.order_by("created_at", "pk")
        ],
        "signals": [
            {
                "rule": s.rule,
                "status": s.status,
                "raised_at": s.raised_at.isoformat(),
                "detail": s.detail,
            }
            for s in signal_list(actor=actor, status=None, subject_id=member.pk)
        ],
    }
    if not can_read_coaching(actor=actor):
        return data
    data["assessments"] = [
        {
            "cycle": a.cycle.name,
            "status": a.status,
            "ratings": [
                {
                    "competency": r.name,
                    "expected": r.expected,
                    "self": r.self_level,
                    "self_evidence": r.self_evidence,
                    "manager": r.manager_level,
                    "manager_evidence": r.manager_evidence,
                }
                for r in rating_rows(actor=actor, assessment=a)
            ],
        }
        for a in assessment_list(actor=actor, subject_id=member.pk)
    ]
    check_ins = []
    for c in check_in_list(actor=actor, member_id=member.pk):
        raised, carried = action_items_of(check_in=c)
        check_ins.append(
            {
                "date": c.scheduled_for.isoformat(),
                "status": c.status,
                "manager": c.manager.user.email,
                "notes": c.notes,
                "action_items": [
                    {"text": i.text, "status": i.status, "carried": i in carried}
                    for i in raised + carried
                ],
            }
        )
    data["check_ins"] = check_ins
    data["coaching_sessions"] = [
        {
            "date": s.held_on.isoformat(),
            "coach": s.coach.user.email,
            "observation_type": s.observation_type,
            "observations": s.observations,
            "agreed_actions": s.agreed_actions,
        }
        for s in coaching_session_list(actor=actor, member_id=member.pk)
    ]
    data["development_plans"] = [
        {
            "title": p.title,
            "status": p.status,
            "goals": [
                {"title": g.title, "progress": g.progress, "status": g.status}
                for g in p.goals.all()
            ],
        }
        for p in plan_list(actor=actor, member_id=member.pk)
    ]
    return data

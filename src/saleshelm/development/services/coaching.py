"""Writes of coaching sessions and development plans.

Observations are coaching text: audit rows say who coached whom and when, not what was seen.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.db import transaction

from saleshelm.core.errors import ApplicationError, PermissionDenied
from saleshelm.development.models import (
    CoachingSession,
    Competency,
    DevelopmentGoal,
    DevelopmentPlan,
    GoalStatus,
    ObservationType,
    PlanStatus,
)
from saleshelm.development.permissions import (
    COACHING_READERS,
    is_system,
    may_coach,
    require_coach_of,
)
from saleshelm.development.services.common import (
    active_member,
    check_level,
    clean_text,
    same_org,
)
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.services import audit_record

MAX_ACTIONS = 20


def _actions(values: list) -> list[dict]:
    if not isinstance(values, list) or len(values) > MAX_ACTIONS:
        raise ApplicationError(f"give at most {MAX_ACTIONS} agreed actions", field="agreed_actions")
    out = []
    for v in values:
        if isinstance(v, dict):
            text, done = v.get("text", ""), bool(v.get("done", False))
        else:
            text, done = str(v), False
        text = clean_text(text, field="agreed_actions", limit=300)
        if text:
            out.append({"text": text, "done": done})
    return out


@transaction.atomic
def coaching_session_record(
    *,
    actor: Actor,
    member: Membership,
    held_on: dt.date,
    observation_type: str,
    observations: str = "",
    focus_competency: Competency | None = None,
    opportunity=None,
    agreed_actions: list | None = None,
    follow_up_on: dt.date | None = None,
) -> CoachingSession:
    member = active_member(actor, member, field="member")
    require_coach_of(actor, member)
    if observation_type not in ObservationType.values:
        raise ApplicationError(
            f"observation_type must be one of {', '.join(ObservationType.values)}",
            field="observation_type",
        )
    same_org(actor, focus_competency, "Competency")
    same_org(actor, opportunity, "Opportunity")
    if follow_up_on is not None and follow_up_on < held_on:
        raise ApplicationError("the follow-up comes after the session", field="follow_up_on")
    session = CoachingSession.objects.create(
        organisation_id=actor.organisation_id,
        coach=cast(Membership, actor),  # coaching sessions are held by people
        member=member,
        held_on=held_on,
        observation_type=observation_type,
        focus_competency=focus_competency,
        opportunity=opportunity,
        observations=clean_text(observations, field="observations", limit=10_000),
        agreed_actions=_actions(agreed_actions or []),
        follow_up_on=follow_up_on,
    )
    audit_record(
        actor=actor,
        action="coaching_session.record",
        obj=session,
        after={
            "member": member.pk,
            "type": observation_type,
            "competency": focus_competency.pk if focus_competency else None,
        },
    )
    return session


@transaction.atomic
def coaching_session_update(
    *, actor: Actor, session: CoachingSession, **changes
) -> CoachingSession:
    require_coach_of(actor, session.member)
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    if changes.get("observations") is not None:
        session.observations = clean_text(
            changes["observations"], field="observations", limit=10_000
        )
    if changes.get("agreed_actions") is not None:
        session.agreed_actions = _actions(changes["agreed_actions"])
    if "follow_up_on" in changes:
        session.follow_up_on = changes["follow_up_on"]
    if changes.get("follow_up_done") is not None:
        session.follow_up_done = bool(changes["follow_up_done"])
    if "focus_competency" in changes:
        same_org(actor, changes["focus_competency"], "Competency")
        session.focus_competency = changes["focus_competency"]
    if session.follow_up_on is not None and session.follow_up_on < session.held_on:
        raise ApplicationError("the follow-up comes after the session", field="follow_up_on")
    session.save()
    audit_record(
        actor=actor,
        action="coaching_session.update",
        obj=session,
        after={"follow_up_done": session.follow_up_done},
    )
    return session


def may_edit_plan(*, actor: Actor, member: Membership) -> bool:
    return actor.pk == member.pk or may_coach(actor=actor, member=member)


def require_plan_editor(actor: Actor, member: Membership) -> None:
    if not is_system(actor) and actor.role not in COACHING_READERS:
        raise PermissionDenied("Your role does not write development plans.")
    if not may_edit_plan(actor=actor, member=member):
        raise PermissionDenied("A plan is written by its member and their managers.")


@transaction.atomic
def development_plan_create(*, actor: Actor, member: Membership, title: str) -> DevelopmentPlan:
    member = active_member(actor, member, field="member")
    require_plan_editor(actor, member)
    plan = DevelopmentPlan.objects.create(
        organisation_id=actor.organisation_id,
        member=member,
        title=clean_text(title, field="title", required=True, limit=200),
        created_by=actor if isinstance(actor, Membership) else None,
    )
    audit_record(
        actor=actor, action="development_plan.create", obj=plan, after={"member": member.pk}
    )
    return plan


@transaction.atomic
def development_plan_update(
    *, actor: Actor, plan: DevelopmentPlan, title: str | None = None, status: str | None = None
) -> DevelopmentPlan:
    require_plan_editor(actor, plan.member)
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    if title is not None:
        plan.title = clean_text(title, field="title", required=True, limit=200)
    if status is not None:
        if status not in PlanStatus.values:
            raise ApplicationError("status must be active or closed", field="status")
        plan.status = status
    plan.save()
    audit_record(
        actor=actor, action="development_plan.update", obj=plan, after={"status": plan.status}
    )
    return plan


def _check_progress(progress: int | None) -> int | None:
    if progress is None:
        return None
    if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ApplicationError("progress is a percentage from 0 to 100", field="progress")
    return progress


@transaction.atomic
def development_goal_add(
    *,
    actor: Actor,
    plan: DevelopmentPlan,
    title: str,
    competency: Competency | None = None,
    target_level: int | None = None,
    due_date: dt.date | None = None,
    actions: str = "",
) -> DevelopmentGoal:
    require_plan_editor(actor, plan.member)
    same_org(actor, competency, "Competency")
    goal = DevelopmentGoal.objects.create(
        organisation_id=actor.organisation_id,
        plan=plan,
        title=clean_text(title, field="title", required=True, limit=200),
        competency=competency,
        target_level=check_level(target_level, field="target_level"),
        due_date=due_date,
        actions=clean_text(actions, field="actions", limit=4000),
    )
    audit_record(
        actor=actor,
        action="development_goal.add",
        obj=goal,
        after={"plan": plan.pk, "competency": competency.pk if competency else None},
    )
    return goal


@transaction.atomic
def development_goal_update(
    *,
    actor: Actor,
    goal: DevelopmentGoal,
    progress: int | None = None,
    status: str | None = None,
    title: str | None = None,
    due_date: dt.date | None = None,
    target_level: int | None = None,
) -> DevelopmentGoal:
    require_plan_editor(actor, goal.plan.member)
    goal = DevelopmentGoal.objects.select_for_update().get(pk=goal.pk)
    before = {"progress": goal.progress, "status": goal.status}
    if (p := _check_progress(progress)) is not None:
        goal.progress = p
        if p == 100 and status is None:
            goal.status = GoalStatus.DONE
    if status is not None:
        if status not in GoalStatus.values:
            raise ApplicationError("status must be open, done or dropped", field="status")
        goal.status = status
        if status == GoalStatus.DONE:
            goal.progress = 100
    if title is not None:
        goal.title = clean_text(title, field="title", required=True, limit=200)
    if due_date is not None:
        goal.due_date = due_date
    if target_level is not None:
        goal.target_level = check_level(target_level, field="target_level")
    goal.save()
    audit_record(
        actor=actor,
        action="development_goal.update",
        obj=goal,
        before=before,
        after={"progress": goal.progress, "status": goal.status},
    )
    return goal

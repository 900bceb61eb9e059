"""Development in the authorization matrix: every API operation and page of the app.

Coaching records (assessments, check-ins, coaching sessions, plans) follow the team tree and
are not for finance or viewers (403). Feedback has its own visibility: shared feedback is
seen by the subject and the managers of the subject's team (here: Mai), private feedback by
author and subject only — not even admins (``visible=`` below). Signals go to the
salesperson first; managers, directors and admins see them once escalated. The framework and
stories are the organisation's.

Creations that need a reference take it from the object (a group, a member to coach, a team):
the other organisation's reference answers 404. The objects to coach are all in Mai's
subtree, so that allowed roles are allowed on each of them; refusing a manager outside their
subtree is tested in tests/development.
"""

import datetime as dt

from tests.authz.framework import ALL, ORG, RECORDS, STRUCTURE, Rule
from tests.development.factories import (
    ActionItemFactory,
    CheckInFactory,
    CoachingSessionFactory,
    CompetencyFactory,
    CompetencyGroupFactory,
    CycleFactory,
    FeedbackFactory,
    FeedbackRequestFactory,
    GoalFactory,
    PlanFactory,
    SignalFactory,
    StoryFactory,
    assessment_for,
)
from tests.people.factories import RoleProfileFactory, TeamFactory
from tests.tenancy.factories import MembershipFactory, UserFactory

READERS = frozenset({"admin", "director", "manager", "rep"})  # coaching records
COACHES = frozenset({"admin", "director", "manager"})
WRITERS = READERS  # feedback, stories, plans
REP = frozenset({"rep"})
NOBODY_BUT_REP = {
    "admin": frozenset(),
    "director": frozenset(),
    "finance": frozenset(),
    "viewer": frozenset(),
    "manager": frozenset(),
    "rep": frozenset({"own"}),
}
SHARED_FEEDBACK = {**NOBODY_BUT_REP, "manager": frozenset({"own", "same_team"})}
ESCALATED_SIGNALS = {
    "admin": frozenset({"own", "same_team", "other_team"}),
    "director": frozenset({"own", "same_team", "other_team"}),
    "finance": frozenset(),
    "viewer": frozenset(),
    "manager": frozenset({"own", "same_team"}),
    "rep": frozenset({"own"}),
}
REDIRECT = (302,)
_n = iter(range(10**9))


def _people(w):
    return {
        "own": w.rep,
        "same_team": w.peer,
        "other_team": w.other_rep,
        "other_org": w.other_org_rep,
    }


def _leads(w):
    return {
        "own": w.manager,
        "same_team": w.manager,
        "other_team": w.other_manager,
        "other_org": w.other_org_admin,
    }


def _coachees(w):
    """Three members in Mai's subtree (so every coach may coach each), and one of Beta."""
    north = w.rep.profile.team
    east = TeamFactory(organisation=w.org, name="North East", parent=north.parent)
    hoa = MembershipFactory(
        organisation=w.org, role="rep", user=UserFactory(email="hoa@acme.test", full_name="Hoa")
    )
    hoa.profile.team = east
    hoa.profile.save()
    return {"own": w.rep, "same_team": w.peer, "other_team": hoa, "other_org": w.other_org_rep}


def _others_to_coach(w):
    """Members in Mai's subtree other than the rep under test (a rep may plan for themself)."""
    coachees = _coachees(w)
    lan = MembershipFactory(
        organisation=w.org, role="rep", user=UserFactory(email="lan@acme.test", full_name="Lan")
    )
    lan.profile.team = coachees["other_team"].profile.team
    lan.profile.save()
    return {
        "own": w.peer,
        "same_team": coachees["other_team"],
        "other_team": lan,
        "other_org": w.other_org_rep,
    }


def _feedback_subjects(w):
    """People none of the acting roles is: feedback about them is allowed to every writer."""
    return {
        "own": w.peer,
        "same_team": w.other_rep,
        "other_team": w.other_manager,
        "other_org": w.other_org_rep,
    }


def _framework(org):
    group = CompetencyGroupFactory(organisation=org)
    CompetencyFactory(organisation=org, group=group)
    return group


def _groups(w):
    _framework(w.org)
    return {
        "own": CompetencyGroupFactory(organisation=w.org),
        "same_team": CompetencyGroupFactory(organisation=w.org),
        "other_team": CompetencyGroupFactory(organisation=w.org),
        "other_org": CompetencyGroupFactory(organisation=w.other_org),
    }


def _competencies(w):
    RoleProfileFactory(organisation=w.org, name="Account Executive")
    return {
        rel: CompetencyFactory(organisation=org)
        for rel, org in (
            ("own", w.org),
            ("same_team", w.org),
            ("other_team", w.org),
            ("other_org", w.other_org),
        )
    }


def _cycle_teams(w):
    """Teams to open a cycle for, each with members every coach may assess."""
    _framework(w.org)
    coachees = _coachees(w)
    north = w.rep.profile.team
    return {
        "own": north.parent,
        "same_team": north,
        "other_team": coachees["other_team"].profile.team,
        "other_org": w.other_org_rep.profile.team,
    }


def _cycles(w):
    return {
        "own": CycleFactory(organisation=w.org),
        "same_team": CycleFactory(organisation=w.org),
        "other_team": CycleFactory(organisation=w.org),
        "other_org": CycleFactory(organisation=w.other_org),
    }


def _assessments(w):
    out = {}
    for rel, member in _people(w).items():
        org = member.organisation
        competency = CompetencyFactory(organisation=org)
        out[rel] = assessment_for(member, [competency])
        out[rel]._competency_id = competency.pk
    return out


def _feedback(visibility):
    authors = {"own": "other_rep", "same_team": "other_rep", "other_team": "peer"}

    def build(w):
        out = {
            rel: FeedbackFactory(
                subject=member,
                author=getattr(w, authors[rel]) if rel in authors else w.other_org_admin,
                visibility=visibility,
                body=f"{visibility} coaching note for {rel}",
            )
            for rel, member in _people(w).items()
        }
        return out

    return build


def _feedback_requests(w):
    """Requests answered by the rep (own) or by others; only requester and recipient see."""
    pairs = {
        "own": (w.peer, w.rep),
        "same_team": (w.other_rep, w.peer),
        "other_team": (w.peer, w.other_rep),
        "other_org": (w.other_org_admin, w.other_org_rep),
    }
    return {
        rel: FeedbackRequestFactory(requester=requester, recipient=recipient)
        for rel, (requester, recipient) in pairs.items()
    }


def _check_ins(w):
    leads = _leads(w)
    return {
        rel: CheckInFactory(manager=leads[rel], member=member) for rel, member in _people(w).items()
    }


def _action_items(w):
    return {rel: ActionItemFactory(raised_in=c) for rel, c in _check_ins(w).items()}


def _coaching(w):
    leads = _leads(w)
    return {
        rel: CoachingSessionFactory(coach=leads[rel], member=member)
        for rel, member in _people(w).items()
    }


def _plans(w):
    return {rel: PlanFactory(member=member) for rel, member in _people(w).items()}


def _goals(w):
    return {rel: GoalFactory(plan=plan) for rel, plan in _plans(w).items()}


def _signals(w):
    from django.utils import timezone

    return {
        rel: SignalFactory(subject=member, escalated_at=timezone.now())
        for rel, member in _people(w).items()
    }


def _stories(w):
    authors = {"own": w.other_manager, "same_team": w.other_manager, "other_team": w.other_rep}
    return {
        rel: StoryFactory(author=authors.get(rel, w.other_org_admin), organisation=org)
        for rel, org in (
            ("own", w.org),
            ("same_team", w.org),
            ("other_team", w.org),
            ("other_org", w.other_org),
        )
    }


OBJECTS = {
    "dev_group": _groups,
    "dev_competency": _competencies,
    "dev_cycle_team": _cycle_teams,
    "dev_cycle": _cycles,
    "dev_assessment": _assessments,
    "dev_feedback_subject": _feedback_subjects,
    "dev_feedback_shared": _feedback("shared"),
    "dev_feedback_private": _feedback("private"),
    "dev_feedback_request": _feedback_requests,
    "dev_coachee": _coachees,
    "dev_other_coachee": _others_to_coach,
    "dev_check_in": _check_ins,
    "dev_action_item": _action_items,
    "dev_coaching_session": _coaching,
    "dev_plan": _plans,
    "dev_goal": _goals,
    "dev_signal": _signals,
    "dev_story": _stories,
}


def _today(days=0):
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def _pk(o):
    return {"pk": o.pk}


def _role_profile_id(w):
    from saleshelm.people.models import RoleProfile

    return RoleProfile.objects.filter(organisation=w.org).values_list("pk", flat=True).first()


LEVELS = ["Learns", "With help", "Alone", "Very well", "Teaches"]

API_RULES = [
    # competencies
    Rule("GET /api/v1/competencies", roles=ALL),
    Rule("GET /api/v1/competencies/{id}", obj="dev_competency", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/competencies",
        obj="dev_group",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"group_id": o.pk, "name": f"Skill {next(_n)}", "levels": LEVELS},
        notes="the group is the reference: another organisation's group answers 404",
    ),
    Rule(
        "PATCH /api/v1/competencies/{id}",
        obj="dev_competency",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"name": f"Renamed {next(_n)}"},
    ),
    Rule(
        "PUT /api/v1/competencies/{id}/expected-levels",
        obj="dev_competency",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: [{"role_profile_id": _role_profile_id(w), "level": 4}],
    ),
    Rule("GET /api/v1/competency-groups", roles=ALL),
    Rule(
        "POST /api/v1/competency-groups",
        roles=STRUCTURE,
        payload=lambda w, o: {"name": f"Group {next(_n)}"},
    ),
    Rule(
        "POST /api/v1/competency-frameworks/load",
        roles=STRUCTURE,
        payload=lambda w, o: {"framework": "retail", "language": "vi"},
    ),
    # assessments
    Rule("GET /api/v1/assessment-cycles", roles=READERS),
    Rule("GET /api/v1/assessment-cycles/{id}", obj="dev_cycle", scope=ORG, roles=READERS),
    Rule(
        "POST /api/v1/assessment-cycles",
        obj="dev_cycle_team",
        scope=ORG,
        roles=COACHES,
        payload=lambda w, o: {
            "name": f"Cycle {next(_n)}",
            "opens_on": _today(),
            "self_due": _today(7),
            "manager_due": _today(14),
            "team_id": o.pk,
        },
    ),
    Rule(
        "POST /api/v1/assessment-cycles/{id}/close",
        obj="dev_cycle",
        scope=ORG,
        roles=STRUCTURE,
    ),
    Rule("GET /api/v1/assessments", roles=READERS),
    Rule("GET /api/v1/assessments/{id}", obj="dev_assessment", scope=RECORDS, roles=READERS),
    Rule(
        "PUT /api/v1/assessments/{id}/self",
        obj="dev_assessment",
        scope=RECORDS,
        roles=REP,
        payload=lambda w, o: {
            "ratings": [{"competency_id": o._competency_id, "level": 3, "evidence": "Won X"}]
        },
        notes="only the person assessed; managers and admins who see it get 403",
    ),
    Rule(
        "PUT /api/v1/assessments/{id}/manager",
        obj="dev_assessment",
        scope=RECORDS,
        roles=COACHES,
        payload=lambda w, o: {"ratings": [{"competency_id": o._competency_id, "level": 4}]},
    ),
    # feedback
    Rule("GET /api/v1/feedback", roles=ALL),
    Rule(
        "GET /api/v1/feedback/{id}",
        obj="dev_feedback_shared",
        scope=RECORDS,
        roles=ALL,
        visible=SHARED_FEEDBACK,
        notes="shared: the subject and the managers of the subject's team",
    ),
    Rule(
        "GET /api/v1/feedback/{id}",
        obj="dev_feedback_private",
        scope=RECORDS,
        roles=ALL,
        visible=NOBODY_BUT_REP,
        notes="private: author and subject only, not the manager, not an admin",
    ),
    Rule(
        "POST /api/v1/feedback",
        obj="dev_feedback_subject",
        scope=ORG,
        roles=WRITERS,
        payload=lambda w, o: {"subject_id": o.pk, "kind": "praise", "body": "Great demo."},
    ),
    Rule("GET /api/v1/feedback-requests", roles=ALL),
    Rule(
        "GET /api/v1/feedback-requests/{id}",
        obj="dev_feedback_request",
        scope=RECORDS,
        roles=ALL,
        visible=NOBODY_BUT_REP,
    ),
    Rule(
        "POST /api/v1/feedback-requests",
        obj="dev_feedback_subject",
        scope=ORG,
        roles=WRITERS,
        payload=lambda w, o: {"recipient_id": o.pk, "message": "How was my demo?"},
    ),
    Rule(
        "POST /api/v1/feedback-requests/{id}/decline",
        obj="dev_feedback_request",
        scope=RECORDS,
        roles=REP,
        visible=NOBODY_BUT_REP,
    ),
    # check-ins
    Rule("GET /api/v1/check-ins", roles=READERS),
    Rule("GET /api/v1/check-ins/{id}", obj="dev_check_in", scope=RECORDS, roles=READERS),
    Rule("GET /api/v1/check-ins/{id}/agenda", obj="dev_check_in", scope=RECORDS, roles=READERS),
    Rule(
        "POST /api/v1/check-ins",
        obj="dev_coachee",
        scope=ORG,
        roles=COACHES,
        payload=lambda w, o: {"member_id": o.pk, "scheduled_for": _today(3)},
    ),
    Rule(
        "PATCH /api/v1/check-ins/{id}",
        obj="dev_check_in",
        scope=RECORDS,
        roles=READERS,
        payload=lambda w, o: {"notes": "Talked about the pipeline."},
    ),
    Rule(
        "POST /api/v1/check-ins/{id}/complete",
        obj="dev_check_in",
        scope=RECORDS,
        roles=COACHES,
        payload=lambda w, o: {},
    ),
    Rule("POST /api/v1/check-ins/{id}/cancel", obj="dev_check_in", scope=RECORDS, roles=COACHES),
    Rule(
        "POST /api/v1/check-ins/{id}/action-items",
        obj="dev_check_in",
        scope=RECORDS,
        roles=READERS,
        payload=lambda w, o: {"text": "Send the proposal"},
    ),
    Rule(
        "PATCH /api/v1/action-items/{id}",
        obj="dev_action_item",
        scope=RECORDS,
        roles=READERS,
        payload=lambda w, o: {"status": "done"},
    ),
    Rule("GET /api/v1/check-in-cadences", roles=READERS),
    Rule(
        "PUT /api/v1/check-in-cadences",
        obj="dev_coachee",
        scope=ORG,
        roles=COACHES,
        payload=lambda w, o: {"member_id": o.pk, "every_days": 14, "next_on": _today(2)},
    ),
    # coaching sessions and plans
    Rule("GET /api/v1/coaching-sessions", roles=READERS),
    Rule(
        "GET /api/v1/coaching-sessions/{id}",
        obj="dev_coaching_session",
        scope=RECORDS,
        roles=READERS,
    ),
    Rule(
        "POST /api/v1/coaching-sessions",
        obj="dev_coachee",
        scope=ORG,
        roles=COACHES,
        payload=lambda w, o: {
            "member_id": o.pk,
            "held_on": _today(),
            "observation_type": "ride_along",
            "observations": "Good opening.",
            "agreed_actions": [{"text": "Ask for the order"}],
        },
    ),
    Rule(
        "PATCH /api/v1/coaching-sessions/{id}",
        obj="dev_coaching_session",
        scope=RECORDS,
        roles=COACHES,
        payload=lambda w, o: {"follow_up_done": True},
    ),
    Rule("GET /api/v1/development-plans", roles=READERS),
    Rule("GET /api/v1/development-plans/{id}", obj="dev_plan", scope=RECORDS, roles=READERS),
    Rule(
        "POST /api/v1/development-plans",
        obj="dev_other_coachee",
        scope=ORG,
        roles=COACHES,
        payload=lambda w, o: {"member_id": o.pk, "title": "Negotiation"},
        notes="for someone else: their coaches; a rep's own plan is tested in tests/development",
    ),
    Rule(
        "PATCH /api/v1/development-plans/{id}",
        obj="dev_plan",
        scope=RECORDS,
        roles=READERS,
        payload=lambda w, o: {"title": "Renamed plan"},
    ),
    Rule(
        "POST /api/v1/development-plans/{id}/goals",
        obj="dev_plan",
        scope=RECORDS,
        roles=READERS,
        payload=lambda w, o: {"title": "Run two mock negotiations"},
    ),
    Rule(
        "PATCH /api/v1/development-goals/{id}",
        obj="dev_goal",
        scope=RECORDS,
        roles=READERS,
        payload=lambda w, o: {"progress": 40},
    ),
    # signals
    Rule("GET /api/v1/signals", roles=ALL),
    Rule(
        "GET /api/v1/signals/{id}",
        obj="dev_signal",
        scope=RECORDS,
        roles=ALL,
        visible=ESCALATED_SIGNALS,
    ),
    Rule("POST /api/v1/signals/evaluate", roles=COACHES),
    Rule(
        "POST /api/v1/signals/{id}/dismiss",
        obj="dev_signal",
        scope=RECORDS,
        roles=READERS,
        visible=ESCALATED_SIGNALS,
    ),
    Rule("GET /api/v1/signal-settings", roles=COACHES),
    Rule(
        "PUT /api/v1/signal-settings",
        roles=STRUCTURE,
        payload=lambda w, o: {"stalled_days": 30, "behind_pace_by": "0.2"},
    ),
    # stories
    Rule("GET /api/v1/stories", roles=ALL),
    Rule("GET /api/v1/stories/{id}", obj="dev_story", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/stories",
        roles=WRITERS,
        payload=lambda w, o: {"kind": "win", "title": "Won Acme", "body": "Found the CFO early."},
    ),
    Rule(
        "PATCH /api/v1/stories/{id}",
        obj="dev_story",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"title": f"Retitled {next(_n)}"},
        notes="authors edit their own stories (tests/development); these are someone else's",
    ),
    Rule("GET /api/v1/experts", roles=ALL),
]


PAGE_RULES = [
    Rule("development:my", roles=ALL),
    Rule("development:team", roles=COACHES),
    Rule("development:overview", roles=STRUCTURE),
    # signals
    Rule("development:signals", roles=ALL),
    Rule(
        "development:signal",
        obj="dev_signal",
        scope=RECORDS,
        roles=ALL,
        visible=ESCALATED_SIGNALS,
        kwargs=_pk,
    ),
    Rule(
        "development:signal_dismiss",
        obj="dev_signal",
        scope=RECORDS,
        roles=READERS,
        visible=ESCALATED_SIGNALS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule("development:signals_evaluate", roles=COACHES, method="POST", ok=REDIRECT),
    Rule("development:signal_settings", roles=COACHES),
    # feedback
    Rule("development:feedback_list", roles=ALL),
    Rule(
        "development:feedback",
        obj="dev_feedback_private",
        scope=RECORDS,
        roles=ALL,
        visible=NOBODY_BUT_REP,
        kwargs=_pk,
    ),
    Rule("development:feedback_give", roles=WRITERS),
    Rule("development:feedback_ask", roles=WRITERS),
    Rule(
        "development:feedback_request_decline",
        obj="dev_feedback_request",
        scope=RECORDS,
        roles=REP,
        visible=NOBODY_BUT_REP,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    # check-ins
    Rule("development:check_ins", roles=READERS),
    Rule("development:check_in_schedule", roles=COACHES),
    Rule("development:check_in", obj="dev_check_in", scope=RECORDS, roles=READERS, kwargs=_pk),
    Rule(
        "development:check_in_notes",
        obj="dev_check_in",
        scope=RECORDS,
        roles=READERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"notes": "Agreed to focus on two deals."},
    ),
    Rule(
        "development:check_in_complete",
        obj="dev_check_in",
        scope=RECORDS,
        roles=COACHES,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule(
        "development:action_item_add",
        obj="dev_check_in",
        scope=RECORDS,
        roles=READERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"text": "Call the CFO", "owner": str(o.member_id)},
    ),
    Rule(
        "development:action_item_status",
        obj="dev_action_item",
        scope=RECORDS,
        roles=READERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"status": "done"},
    ),
    # coaching and plans
    Rule("development:coaching_sessions", roles=READERS),
    Rule("development:coaching_record", roles=COACHES),
    Rule(
        "development:coaching_session",
        obj="dev_coaching_session",
        scope=RECORDS,
        roles=READERS,
        kwargs=_pk,
    ),
    Rule("development:plans", roles=READERS),
    Rule("development:plan_create", roles=READERS),
    Rule("development:plan", obj="dev_plan", scope=RECORDS, roles=READERS, kwargs=_pk),
    Rule(
        "development:goal_add",
        obj="dev_plan",
        scope=RECORDS,
        roles=READERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"title": "Shadow a senior rep"},
    ),
    Rule(
        "development:goal_update",
        obj="dev_goal",
        scope=RECORDS,
        roles=READERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {f"g{o.pk}-progress": "50", f"g{o.pk}-status": "open"},
    ),
    # assessments
    Rule("development:assessments", roles=READERS),
    Rule("development:cycle_create", roles=COACHES),
    Rule("development:assessment", obj="dev_assessment", scope=RECORDS, roles=READERS, kwargs=_pk),
    Rule(
        "development:assessment_self",
        obj="dev_assessment",
        scope=RECORDS,
        roles=REP,
        kwargs=_pk,
    ),
    Rule(
        "development:assessment_manager",
        obj="dev_assessment",
        scope=RECORDS,
        roles=COACHES,
        kwargs=_pk,
    ),
    # knowledge
    Rule("development:competencies", roles=ALL),
    Rule("development:competency", obj="dev_competency", scope=ORG, roles=ALL, kwargs=_pk),
    Rule(
        "development:framework_load",
        roles=STRUCTURE,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"framework": "b2b", "language": "en"},
    ),
    Rule("development:stories", roles=ALL),
    Rule("development:story", obj="dev_story", scope=ORG, roles=ALL, kwargs=_pk),
    Rule("development:story_create", roles=WRITERS),
    Rule("development:experts", roles=ALL),
]

RULES = [*API_RULES, *PAGE_RULES]

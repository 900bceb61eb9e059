"""Direction in the authorization matrix: API operations and pages of the direction app.

Vision, goals, mission, values, offerings, competitors and segments are the organisation's:
every member reads them, admins and directors write them. Links of deals (to goals, to
competitors) follow the deal: whoever may edit it. Target links follow performance's rule
(admins, directors, managers for the members below them). A key result's check-ins are
written by editors, the goal's owner and the managers above the owner. A line of sight
follows the team tree.
"""

import datetime as dt
from decimal import Decimal

from saleshelm.direction.models import (
    CompanyValue,
    Competitor,
    GoalLevel,
    GoalLink,
    KeyResult,
    Offering,
    OpportunityCompetitor,
    Segment,
)
from tests.authz.framework import ALL, ORG, RECORDS, STRUCTURE, Rule
from tests.direction.factories import GoalFactory, deal

WRITERS = frozenset({"admin", "director", "manager", "rep"})
TARGET_SETTERS = frozenset({"admin", "director", "manager"})
_n = iter(range(10**9))


def _owners(w):
    return {
        "own": w.rep,
        "same_team": w.peer,
        "other_team": w.other_rep,
        "other_org": w.other_org_rep,
    }


def _goals(w):
    return {
        rel: GoalFactory(owner=m, level=GoalLevel.MEMBER, period="2026", title=f"Goal of {rel}")
        for rel, m in _owners(w).items()
    }


def _key_results(owner_of):
    """Key results on member goals owned by ``owner_of(w, relation)``."""

    def build(w):
        out = {}
        for rel, m in _owners(w).items():
            owner = m if rel == "other_org" else owner_of(w, rel)
            goal = GoalFactory(owner=owner, level=GoalLevel.MEMBER, period="2026")
            out[rel] = KeyResult.objects.create(
                organisation=owner.organisation,
                goal=goal,
                name=f"KR {rel}",
                target_value=Decimal(10),
            )
        return out

    return build


def _matrix_goal(w):
    """A goal of the organisation under test that link payloads point at."""
    if not hasattr(w, "direction_goal"):
        w.direction_goal = GoalFactory(owner=w.director, title="Matrix goal")
        w.direction_competitor = Competitor.objects.create(organisation=w.org, name="Rival")
    return w.direction_goal


def _deals(w):
    _matrix_goal(w)
    return {rel: deal(m, "100", close_date=dt.date(2026, 9, 30)) for rel, m in _owners(w).items()}


def _goal_links(w):
    goals = _goals(w)
    return {
        rel: GoalLink.objects.create(organisation=d.organisation, goal=goals[rel], opportunity=d)
        for rel, d in _deals(w).items()
    }


def _competitor_links(w):
    out = {}
    for rel, d in _deals(w).items():
        rival = Competitor.objects.create(organisation=d.organisation, name=f"Rival {rel}")
        out[rel] = OpportunityCompetitor.objects.create(
            organisation=d.organisation, opportunity=d, competitor=rival
        )
    return out


def _targets(w):
    from tests.performance.factories import TargetFactory

    _matrix_goal(w)
    return {
        rel: TargetFactory(member=m, period="2026-Q3", value=Decimal(1000))
        for rel, m in _owners(w).items()
    }


def _goals_for_targets(w):
    """Goals of each relation, and a target of the rep under test (which admins, directors
    and the rep's manager may set) that link payloads name."""
    from tests.performance.factories import TargetFactory

    w.direction_link_target = TargetFactory(member=w.rep, period="2026", value=Decimal(5000))
    return _goals(w)


def _target_links(w):
    goals = _goals(w)
    return {
        rel: GoalLink.objects.create(organisation=t.organisation, goal=goals[rel], target=t)
        for rel, t in _targets(w).items()
    }


def _members(w):
    return _owners(w)


def _named(model, **fields):
    def build(w):
        return {
            "own": model.objects.create(organisation=w.org, name="First", **fields),
            "same_team": model.objects.create(organisation=w.org, name="Second", **fields),
            "other_team": model.objects.create(organisation=w.org, name="Third", **fields),
            "other_org": model.objects.create(organisation=w.other_org, name="Theirs", **fields),
        }

    return build


OBJECTS = {
    "direction_goal": _goals,
    "direction_kr": _key_results(lambda w, rel: w.director),
    "direction_kr_of_rep": _key_results(lambda w, rel: w.rep),
    "direction_kr_of_other": _key_results(lambda w, rel: w.other_rep),
    "direction_deal": _deals,
    "direction_goal_link": _goal_links,
    "direction_competitor_link": _competitor_links,
    "direction_target": _targets,
    "direction_goal_for_target": _goals_for_targets,
    "direction_target_link": _target_links,
    "direction_member": _members,
    "direction_value": _named(CompanyValue),
    "direction_offering": _named(Offering),
    "direction_competitor": _named(Competitor),
    "direction_segment": _named(Segment, industries=["Retail"]),
}


def _goal_body(w, o):
    return {"title": f"Goal {next(_n)}", "level": "organisation", "period": "2026"}


def _named_body(w, o):
    return {"name": f"Name {next(_n)}"}


API = [
    # vision and goals
    Rule("GET /api/v1/vision", roles=ALL),
    Rule(
        "PUT /api/v1/vision",
        roles=STRUCTURE,
        payload=lambda w, o: {"statement": "Lead SMB retail", "horizon": 2030},
    ),
    Rule("GET /api/v1/goals", roles=ALL),
    Rule("GET /api/v1/goals/{id}", obj="direction_goal", scope=ORG, roles=ALL),
    Rule("POST /api/v1/goals", roles=STRUCTURE, payload=_goal_body),
    Rule(
        "PATCH /api/v1/goals/{id}",
        obj="direction_goal",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"title": f"Renamed {next(_n)}"},
    ),
    Rule("GET /api/v1/goals/{id}/contribution", obj="direction_goal", scope=ORG, roles=ALL),
    Rule("GET /api/v1/goal-alignment", roles=ALL),
    Rule(
        "POST /api/v1/goals/{id}/key-results",
        obj="direction_goal",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"name": "Stores opened", "target_value": "12"},
    ),
    Rule("GET /api/v1/key-results/{id}", obj="direction_kr", scope=ORG, roles=ALL),
    Rule(
        "PATCH /api/v1/key-results/{id}",
        obj="direction_kr",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"target_value": "20"},
    ),
    Rule("DELETE /api/v1/key-results/{id}", obj="direction_kr", scope=ORG, roles=STRUCTURE),
    Rule("GET /api/v1/key-results/{id}/check-ins", obj="direction_kr", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/key-results/{id}/check-ins",
        obj="direction_kr_of_rep",
        scope=ORG,
        roles=WRITERS,
        payload=lambda w, o: {"value": "4", "note": "Two new stores"},
        notes="the rep owns the goal; their manager may check in too",
    ),
    Rule(
        "POST /api/v1/key-results/{id}/check-ins",
        obj="direction_kr_of_other",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"value": "4"},
        notes="another team's goal: only admins and directors",
    ),
    # links and line of sight
    Rule("GET /api/v1/goal-links", roles=ALL),
    Rule(
        "POST /api/v1/goal-links",
        obj="direction_deal",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {"goal_id": _matrix_goal(w).pk, "opportunity_id": o.pk},
    ),
    Rule(
        "POST /api/v1/goal-links",
        obj="direction_target",
        scope=RECORDS,
        roles=TARGET_SETTERS,
        payload=lambda w, o: {"goal_id": _matrix_goal(w).pk, "target_id": o.pk},
        notes="targets: whoever may set them",
    ),
    Rule("DELETE /api/v1/goal-links/{id}", obj="direction_goal_link", scope=RECORDS, roles=WRITERS),
    Rule("GET /api/v1/line-of-sight/{id}", obj="direction_member", scope=RECORDS, roles=ALL),
    # mission and values
    Rule("GET /api/v1/mission", roles=ALL),
    Rule(
        "PUT /api/v1/mission",
        roles=STRUCTURE,
        payload=lambda w, o: {"statement": "Help shops sell", "culture": "Open"},
    ),
    Rule("GET /api/v1/values", roles=ALL),
    Rule("GET /api/v1/values/{id}", obj="direction_value", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/values",
        roles=STRUCTURE,
        payload=lambda w, o: {"name": f"Value {next(_n)}", "behaviours": ["Calls back"]},
    ),
    Rule(
        "PUT /api/v1/values/{id}",
        obj="direction_value",
        scope=ORG,
        roles=STRUCTURE,
        payload=_named_body,
    ),
    Rule("DELETE /api/v1/values/{id}", obj="direction_value", scope=ORG, roles=STRUCTURE),
    # offerings, competitors
    Rule("GET /api/v1/offerings", roles=ALL),
    Rule("GET /api/v1/offerings/{id}", obj="direction_offering", scope=ORG, roles=ALL),
    Rule("POST /api/v1/offerings", roles=STRUCTURE, payload=_named_body),
    Rule(
        "PUT /api/v1/offerings/{id}",
        obj="direction_offering",
        scope=ORG,
        roles=STRUCTURE,
        payload=_named_body,
    ),
    Rule("DELETE /api/v1/offerings/{id}", obj="direction_offering", scope=ORG, roles=STRUCTURE),
    Rule("GET /api/v1/competitors", roles=ALL),
    Rule("GET /api/v1/competitors/win-loss", roles=ALL),
    Rule("GET /api/v1/competitors/{id}", obj="direction_competitor", scope=ORG, roles=ALL),
    Rule("POST /api/v1/competitors", roles=STRUCTURE, payload=_named_body),
    Rule(
        "PUT /api/v1/competitors/{id}",
        obj="direction_competitor",
        scope=ORG,
        roles=STRUCTURE,
        payload=_named_body,
    ),
    Rule("DELETE /api/v1/competitors/{id}", obj="direction_competitor", scope=ORG, roles=STRUCTURE),
    Rule("GET /api/v1/competitor-links", roles=ALL),
    Rule(
        "POST /api/v1/competitor-links",
        obj="direction_deal",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {
            "opportunity_id": o.pk,
            "competitor_id": w.direction_competitor.pk,
        },
    ),
    Rule(
        "DELETE /api/v1/competitor-links/{id}",
        obj="direction_competitor_link",
        scope=RECORDS,
        roles=WRITERS,
    ),
    # segments
    Rule("GET /api/v1/segments", roles=ALL),
    Rule("GET /api/v1/segments/report", roles=ALL),
    Rule("POST /api/v1/segments/reclassify", roles=STRUCTURE),
    Rule("GET /api/v1/segments/{id}", obj="direction_segment", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/segments",
        roles=STRUCTURE,
        payload=lambda w, o: {"name": f"Segment {next(_n)}", "industries": ["Retail"]},
    ),
    Rule(
        "PATCH /api/v1/segments/{id}",
        obj="direction_segment",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"priority": 2},
    ),
    Rule("DELETE /api/v1/segments/{id}", obj="direction_segment", scope=ORG, roles=STRUCTURE),
]


def _pk(o):
    return {"pk": o.pk}


REDIRECT = (302,)

PAGES = [
    Rule("direction:vision", roles=ALL),
    Rule("direction:vision_edit", roles=STRUCTURE),
    Rule("direction:goal_create", roles=STRUCTURE),
    Rule("direction:goal", obj="direction_goal", scope=ORG, roles=ALL, kwargs=_pk),
    Rule("direction:goal_edit", obj="direction_goal", scope=ORG, roles=STRUCTURE, kwargs=_pk),
    Rule(
        "direction:key_result_create",
        obj="direction_goal",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
    ),
    Rule("direction:key_result_edit", obj="direction_kr", scope=ORG, roles=STRUCTURE, kwargs=_pk),
    Rule(
        "direction:key_result_delete",
        obj="direction_kr",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule("direction:check_in", obj="direction_kr_of_rep", scope=ORG, roles=WRITERS, kwargs=_pk),
    Rule(
        "direction:check_in",
        obj="direction_kr_of_rep",
        scope=ORG,
        roles=WRITERS,
        kwargs=_pk,
        method="POST",
        payload=lambda w, o: {"value": "3", "note": "On track"},
        ok=REDIRECT,
    ),
    Rule(
        "direction:check_in",
        obj="direction_kr_of_other",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        payload=lambda w, o: {"value": "3"},
        ok=REDIRECT,
    ),
    Rule("direction:line_of_sight", roles=ALL),
    Rule(
        "direction:line_of_sight_member",
        obj="direction_member",
        scope=RECORDS,
        roles=ALL,
        kwargs=_pk,
    ),
    Rule(
        "direction:deal_goal",
        obj="direction_deal",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=_pk,
        method="POST",
        payload=lambda w, o: {"goal": _matrix_goal(w).pk},
        ok=REDIRECT,
    ),
    Rule(
        "direction:goal_target_link",
        obj="direction_goal_for_target",
        scope=ORG,
        roles=TARGET_SETTERS,
        kwargs=_pk,
        method="POST",
        payload=lambda w, o: {"target": w.direction_link_target.pk},
        ok=REDIRECT,
        notes="whoever may set the target (the rep's): admins, directors, the rep's manager",
    ),
    Rule(
        "direction:target_link_delete",
        obj="direction_target_link",
        scope=RECORDS,
        roles=TARGET_SETTERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        notes="a target's link is seen with the target and removed by whoever may set it",
    ),
    Rule("direction:alignment", roles=ALL),
    Rule("direction:mission", roles=ALL),
    Rule("direction:mission_edit", roles=STRUCTURE),
    Rule("direction:value_create", roles=STRUCTURE),
    Rule("direction:value_edit", obj="direction_value", scope=ORG, roles=STRUCTURE, kwargs=_pk),
    Rule(
        "direction:value_delete",
        obj="direction_value",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule("direction:strategy", roles=ALL),
    Rule("direction:offering_create", roles=STRUCTURE),
    Rule(
        "direction:offering_edit", obj="direction_offering", scope=ORG, roles=STRUCTURE, kwargs=_pk
    ),
    Rule(
        "direction:offering_delete",
        obj="direction_offering",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule("direction:competitor_create", roles=STRUCTURE),
    Rule(
        "direction:competitor_edit",
        obj="direction_competitor",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
    ),
    Rule(
        "direction:competitor_delete",
        obj="direction_competitor",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule("direction:segments", roles=ALL),
    Rule("direction:segment_create", roles=STRUCTURE),
    Rule("direction:reclassify", roles=STRUCTURE, method="POST", ok=REDIRECT),
    Rule("direction:segment_edit", obj="direction_segment", scope=ORG, roles=STRUCTURE, kwargs=_pk),
    Rule(
        "direction:segment_delete",
        obj="direction_segment",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
]

RULES = API + PAGES

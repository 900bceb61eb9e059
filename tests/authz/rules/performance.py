"""Performance: attainment, leaderboard, targets, forecasts, scorecards (SPEC §6, §11.1).

Member targets, forecasts and scorecards follow the team tree (RECORDS). Team targets of the
rep's own team (North) are readable by its members, so the rep sees both North targets
("own" and "same_team") but not South's; the manager of Sales sees North, not South.
"""

import datetime as dt
from decimal import Decimal

from saleshelm.performance.models import ForecastSubmission
from tests.authz.framework import ALL, RECORDS, Rule
from tests.performance.factories import TargetFactory

TARGET_WRITERS = frozenset({"admin", "director", "manager"})
FORECASTERS = frozenset({"admin", "director", "manager", "rep"})


def _member_targets(w):
    return {
        "own": TargetFactory(member=w.rep, value=Decimal("1000")),
        "same_team": TargetFactory(member=w.peer, value=Decimal("1000")),
        "other_team": TargetFactory(member=w.other_rep, value=Decimal("1000")),
        "other_org": TargetFactory(member=w.other_org_rep, value=Decimal("1000")),
    }


def _team_targets(w):
    north = w.rep.profile.team
    return {
        "own": TargetFactory(team=north, value=Decimal("1000")),
        "same_team": TargetFactory(team=north, metric="units", value=Decimal("10")),
        "other_team": TargetFactory(team=w.other_rep.profile.team, value=Decimal("1000")),
        "other_org": TargetFactory(team=w.other_org_rep.profile.team, value=Decimal("1000")),
    }


def _forecasts(w):
    def submit(m):
        return ForecastSubmission.objects.create(
            organisation=m.organisation,
            member=m,
            period_key="2026-Q3",
            start=dt.date(2026, 7, 1),
            end=dt.date(2026, 9, 30),
            amount=Decimal("5000"),
        )

    return {
        "own": submit(w.rep),
        "same_team": submit(w.peer),
        "other_team": submit(w.other_rep),
        "other_org": submit(w.other_org_rep),
    }


def _members(w):
    return {
        "own": w.rep,
        "same_team": w.peer,
        "other_team": w.other_rep,
        "other_org": w.other_org_rep,
    }


NORTH_TARGETS_VISIBLE = {"rep": frozenset({"own", "same_team"})}

OBJECTS = {
    "perf_member_target": _member_targets,
    "perf_team_target": _team_targets,
    "perf_forecast": _forecasts,
    "perf_member": _members,
}

RULES = [
    Rule("GET /api/v1/performance/attainment", roles=ALL, notes="scoped rows: a rep sees self"),
    Rule("GET /api/v1/performance/leaderboard", roles=ALL, notes="a rep sees their team"),
    Rule("GET /api/v1/targets", roles=ALL),
    Rule("GET /api/v1/targets/{id}", obj="perf_member_target", scope=RECORDS, roles=ALL),
    Rule(
        "POST /api/v1/targets",
        roles=TARGET_WRITERS,
        payload=lambda w, o: {
            "metric": "revenue",
            "period": "2026-Q4",
            "value": "1000",
            "member_id": w.rep.pk,
        },
    ),
    Rule(
        "PATCH /api/v1/targets/{id}",
        obj="perf_member_target",
        scope=RECORDS,
        roles=TARGET_WRITERS,
        payload=lambda w, o: {"value": "2000"},
    ),
    Rule(
        "DELETE /api/v1/targets/{id}",
        obj="perf_member_target",
        scope=RECORDS,
        roles=TARGET_WRITERS,
    ),
    Rule(
        "POST /api/v1/targets/{id}/allocate",
        obj="perf_team_target",
        scope=RECORDS,
        roles=TARGET_WRITERS,
        payload=lambda w, o: {},
        visible=NORTH_TARGETS_VISIBLE,
    ),
    Rule(
        "GET /api/v1/targets/{id}/allocation",
        obj="perf_team_target",
        scope=RECORDS,
        roles=ALL,
        visible=NORTH_TARGETS_VISIBLE,
    ),
    Rule("GET /api/v1/forecasts", roles=ALL),
    Rule("GET /api/v1/forecasts/{id}", obj="perf_forecast", scope=RECORDS, roles=ALL),
    Rule(
        "POST /api/v1/forecasts",
        roles=FORECASTERS,
        payload=lambda w, o: {"period": "2026-Q3", "amount": "12000", "note": "steady"},
    ),
    Rule(
        "POST /api/v1/forecasts/overrides",
        roles=TARGET_WRITERS,
        payload=lambda w, o: {
            "period": "2026-Q3",
            "member_id": w.rep.pk,
            "amount": "9000",
            "reason": "deal slipping",
        },
    ),
    Rule("GET /api/v1/forecasts/pipeline", roles=ALL),
    Rule("GET /api/v1/forecasts/rollup", roles=ALL),
    Rule("GET /api/v1/forecasts/accuracy", roles=ALL),
    Rule("GET /api/v1/scorecards", roles=ALL),
    Rule("GET /api/v1/scorecards/{id}", obj="perf_member", scope=RECORDS, roles=ALL),
]

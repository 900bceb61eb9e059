"""Performance pages in the authorization matrix (SPEC §11.1, §6 dashboards).

- "My period", the leaderboard, targets, forecasts and scorecards open for every role, each
  showing only what the role may see (a rep: their own figures and their team's board);
- the team dashboard is for managers (their subtrees) and the organisation-wide roles;
  the organisation dashboard for the organisation-wide roles only;
- target forms: admins and directors for anyone, managers for the members and sub-teams of
  their subtrees; everyone else 403;
- forecasts are submitted by the people who sell and overridden by target writers.

Object rules reuse the performance API's objects (``tests/authz/rules/performance.py``).
"""

from tests.authz.framework import ALL, ORG_WIDE, RECORDS, Rule

TARGET_WRITERS = frozenset({"admin", "director", "manager"})
FORECASTERS = frozenset({"admin", "director", "manager", "rep"})
TEAM_READERS = ORG_WIDE | {"manager"}
REDIRECT = (302,)
NORTH_TARGETS_VISIBLE = {"rep": frozenset({"own", "same_team"})}


def _pk(o):
    return {"pk": o.pk}


def _teams(w):
    north = w.rep.profile.team
    return {
        "own": north,
        "same_team": north.parent,  # "Sales", which the manager manages
        "other_team": w.other_rep.profile.team,  # "South", under another manager
        "other_org": w.other_org_rep.profile.team,
    }


OBJECTS = {"perf_page_team": _teams}

RULES = [
    Rule("performance:index", roles=ALL, ok=REDIRECT),
    Rule("performance:my_period", roles=ALL),
    Rule("performance:team", roles=TEAM_READERS, notes="a manager's own team by default"),
    Rule(
        "performance:team_of",
        obj="perf_page_team",
        scope=RECORDS,
        roles=TEAM_READERS,
        kwargs=_pk,
        # A rep is refused by role before any team is looked at.
        visible={"rep": frozenset({"own", "same_team", "other_team"})},
    ),
    Rule("performance:organisation", roles=ORG_WIDE),
    Rule("performance:leaderboard", roles=ALL, notes="a rep sees their team's board"),
    Rule("performance:targets", roles=ALL, notes="rows scoped like the API"),
    Rule("performance:target_new", roles=TARGET_WRITERS),
    Rule(
        "performance:target_new",
        roles=TARGET_WRITERS,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {
            "metric": "revenue",
            "period": _this_quarter(w),
            "assignee_type": "member",
            "member": w.peer.pk,
            "value": "1000",
            "distribution": "even",
        },
    ),
    Rule("performance:target", obj="perf_member_target", scope=RECORDS, roles=ALL, kwargs=_pk),
    Rule(
        "performance:target_edit",
        obj="perf_member_target",
        scope=RECORDS,
        roles=TARGET_WRITERS,
        kwargs=_pk,
    ),
    Rule(
        "performance:target_edit",
        obj="perf_member_target",
        scope=RECORDS,
        roles=TARGET_WRITERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"value": "2500", "distribution": "even", "version": o.version},
    ),
    Rule(
        "performance:target_delete",
        obj="perf_member_target",
        scope=RECORDS,
        roles=TARGET_WRITERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule(
        "performance:target_allocate",
        obj="perf_team_target",
        scope=RECORDS,
        roles=TARGET_WRITERS,
        kwargs=_pk,
        visible=NORTH_TARGETS_VISIBLE,
    ),
    Rule(
        "performance:target_allocate",
        obj="perf_team_target",
        scope=RECORDS,
        roles=TARGET_WRITERS,
        kwargs=_pk,
        visible=NORTH_TARGETS_VISIBLE,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"mode": "even"},
    ),
    Rule("performance:forecast", roles=ALL),
    Rule(
        "performance:forecast_submit",
        roles=FORECASTERS,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"period": "2026-Q3", "amount": "12000", "note": "steady"},
    ),
    Rule(
        "performance:forecast_override",
        roles=TARGET_WRITERS,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {
            "period": "2026-Q3",
            "member": w.rep.pk,
            "amount": "9000",
            "reason": "deal slipping",
        },
    ),
    Rule("performance:scorecards", roles=ALL, ok=(200, 302), notes="a rep goes to their own"),
    Rule("performance:scorecard", obj="perf_member", scope=RECORDS, roles=ALL, kwargs=_pk),
]


def _this_quarter(w) -> str:
    from saleshelm.core.periods import period_of
    from saleshelm.performance.selectors.board import local_today

    return period_of(local_today(w.org), "quarter").key

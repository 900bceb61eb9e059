from tests.authz.framework import ADMIN, ALL, ORG, STRUCTURE, Rule
from tests.people.factories import RoleProfileFactory, TerritoryFactory


def _teams(w):
    return {
        "own": w.rep.profile.team,
        "same_team": w.peer.profile.team,
        "other_team": w.other_rep.profile.team,
        "other_org": w.other_org_rep.profile.team,
    }


def _territories(w):
    return {
        "own": w.rep.profile.territory,
        "same_team": TerritoryFactory(organisation=w.org, name="Peer land"),
        "other_team": TerritoryFactory(organisation=w.org, name="Other land"),
        "other_org": TerritoryFactory(organisation=w.other_org, name="Beta land"),
    }


def _role_profiles(w):
    return {
        "own": RoleProfileFactory(organisation=w.org, name="AE"),
        "same_team": RoleProfileFactory(organisation=w.org, name="SDR"),
        "other_team": RoleProfileFactory(organisation=w.org, name="KAM"),
        "other_org": RoleProfileFactory(organisation=w.other_org, name="Beta AE"),
    }


_n = iter(range(10**9))


def _own_data_or_admin(role: str, relation: str | None) -> bool:
    # A person's data export (SPEC §11.11): an admin, or the member themself (the rep's own).
    return role == "admin" or (role == "rep" and relation == "own")


def _erasure(w, o) -> dict:
    return {"confirm": o.user.email, "reason": "Left the company and asked for erasure."}


OBJECTS = {"team": _teams, "territory": _territories, "role_profile": _role_profiles}
RULES = [
    Rule("GET /api/v1/teams", roles=ALL),
    Rule("GET /api/v1/teams/{id}", obj="team", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/teams", roles=STRUCTURE, payload=lambda w, o: {"name": f"New team {next(_n)}"}
    ),
    Rule(
        "PATCH /api/v1/teams/{id}",
        obj="team",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"name": f"Renamed {next(_n)}"},
    ),
    Rule("GET /api/v1/territories", roles=ALL),
    Rule("GET /api/v1/territories/{id}", obj="territory", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/territories",
        roles=STRUCTURE,
        payload=lambda w, o: {"name": f"New territory {next(_n)}"},
    ),
    Rule(
        "PATCH /api/v1/territories/{id}",
        obj="territory",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"name": f"Renamed land {next(_n)}"},
    ),
    Rule("GET /api/v1/role-profiles", roles=ALL),
    Rule("GET /api/v1/role-profiles/{id}", obj="role_profile", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/role-profiles",
        roles=STRUCTURE,
        payload=lambda w, o: {
            "name": f"Role {next(_n)}",
            "key_tasks": ["Sell"],
            "kpis": [{"name": "Revenue"}],
        },
    ),
    Rule(
        "PUT /api/v1/role-profiles/{id}",
        obj="role_profile",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"name": f"Role {next(_n)}", "key_tasks": ["Sell more"]},
    ),
    # A person's data (SPEC §11.11); "member" objects are declared in rules/tenancy.py.
    Rule("GET /api/v1/members/{id}/export", obj="member", scope=ORG, allow=_own_data_or_admin),
    Rule("POST /api/v1/members/{id}/erase", obj="member", scope=ORG, roles=ADMIN, payload=_erasure),
    Rule(
        "people:member_export",
        obj="member",
        scope=ORG,
        allow=_own_data_or_admin,
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule(
        "people:member_erase", obj="member", scope=ORG, roles=ADMIN, kwargs=lambda o: {"pk": o.pk}
    ),
    Rule(
        "people:member_erase",
        obj="member",
        scope=ORG,
        roles=ADMIN,
        method="POST",
        ok=(302,),
        kwargs=lambda o: {"pk": o.pk},
        payload=_erasure,
    ),
]

"""The shell's pages and the people pages."""

from tests.authz.framework import ALL, ORG, PUBLIC, STRUCTURE, Rule
from tests.authz.rules.people import _teams
from tests.authz.rules.tenancy import _members

_n = iter(range(10**9))


def _own_profile_or_structure(role: str, relation: str | None) -> bool:
    # Strengths and "how I contribute": the member themself (the rep's own page), or the
    # admins and directors who shape the organisation.
    return role in STRUCTURE or (role == "rep" and relation == "own")


OBJECTS = {"member": _members, "team": _teams}
RULES = [
    Rule("web:home", roles=ALL),
    Rule("web:health", scope=PUBLIC),
    Rule("web:login", scope=PUBLIC, ok=(200, 302)),  # signed-in users go home
    Rule("web:logout", scope=PUBLIC, method="POST", ok=(302,)),
    Rule(
        "set_language",
        scope=PUBLIC,
        method="POST",
        ok=(302,),
        payload=lambda w, o: {"language": "vi"},
    ),
    Rule(
        "web:switch_organisation",
        roles=ALL,
        method="POST",
        ok=(302,),
        payload=lambda w, o: {"organisation": w.org.pk},
    ),
    Rule("people:teams", roles=ALL),
    Rule("people:members", roles=ALL),
    Rule("people:my_role", roles=ALL),
    Rule("people:team", obj="team", scope=ORG, roles=ALL, kwargs=lambda o: {"pk": o.pk}),
    Rule("people:member", obj="member", scope=ORG, roles=ALL, kwargs=lambda o: {"pk": o.pk}),
    Rule("people:team_create", roles=STRUCTURE),
    Rule(
        "people:team_create",
        roles=STRUCTURE,
        method="POST",
        ok=(302,),
        payload=lambda w, o: {"name": f"Matrix team {next(_n)}"},
    ),
    Rule("people:team_edit", obj="team", scope=ORG, roles=STRUCTURE, kwargs=lambda o: {"pk": o.pk}),
    Rule(
        "people:team_edit",
        obj="team",
        scope=ORG,
        roles=STRUCTURE,
        method="POST",
        ok=(302,),
        kwargs=lambda o: {"pk": o.pk},
        payload=lambda w, o: {"name": f"Renamed team {next(_n)}"},
    ),
    Rule(
        "people:member_edit",
        obj="member",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule(
        "people:member_edit",
        obj="member",
        scope=ORG,
        roles=STRUCTURE,
        method="POST",
        ok=(302,),
        kwargs=lambda o: {"pk": o.pk},
        payload=lambda w, o: {"title": "Senior Account Executive"},
    ),
    Rule(
        "people:member_about",
        obj="member",
        scope=ORG,
        allow=_own_profile_or_structure,
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule(
        "people:member_about",
        obj="member",
        scope=ORG,
        allow=_own_profile_or_structure,
        method="POST",
        ok=(302,),
        kwargs=lambda o: {"pk": o.pk},
        payload=lambda w, o: {"strengths": "Demos\nRetail", "bio": "I open doors in Hà Nội."},
    ),
]

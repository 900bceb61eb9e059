"""The shell's pages and the people pages."""

from tests.authz.framework import ADMIN, ALL, ORG, PUBLIC, STRUCTURE, Rule
from tests.authz.rules.people import _teams
from tests.authz.rules.tenancy import _members

_n = iter(range(10**9))
SECOND_FACTOR = frozenset({"admin", "finance"})


def _own_profile_or_structure(role: str, relation: str | None) -> bool:
    # Strengths and "how I contribute": the member themself (the rep's own page), or the
    # admins and directors who shape the organisation.
    return role in STRUCTURE or (role == "rep" and relation == "own")


def _inviter(role: str, relation: str | None) -> bool:
    # Invitations: admins and directors for anyone of the organisation; a manager for the
    # members of the teams they manage (the rep under test and the teammate).
    if role in STRUCTURE:
        return True
    return role == "manager" and relation in (None, "own", "same_team")


OBJECTS = {"member": _members, "team": _teams}
RULES = [
    Rule("web:home", roles=ALL),
    Rule("web:health", scope=PUBLIC),
    Rule("web:login", scope=PUBLIC, ok=(200, 302)),  # signed-in users go home
    Rule("web:logout", scope=PUBLIC, method="POST", ok=(302,)),
    # Forgot password and the page behind invitation and reset links (no account needed).
    Rule("web:password_forgot", scope=PUBLIC),
    Rule(
        "web:password_forgot",
        scope=PUBLIC,
        method="POST",
        ok=(302,),
        payload=lambda w, o: {"email": "nobody@acme.test"},
    ),
    Rule("web:password_forgot_sent", scope=PUBLIC),
    # Sign-up: closed once an organisation exists (the matrix has two) unless the operator
    # opened it, so it answers 404 to everyone and a POST creates nothing.
    Rule("web:signup", scope=PUBLIC, ok=(404,)),
    Rule(
        "web:signup",
        scope=PUBLIC,
        method="POST",
        ok=(404,),
        payload=lambda w, o: {"organisation_name": "Matrix Co", "slug": "matrix-co"},
    ),
    # Get started: the first-run checklist of admins and directors.
    Rule("web:onboarding", roles=STRUCTURE),
    Rule(
        "web:password_set",
        scope=PUBLIC,
        kwargs=lambda o: {"uidb64": "MA", "token": "set-password"},
    ),
    # Invitations: admins, directors and managers (for their teams' members).
    Rule("web:invitations", allow=_inviter),
    Rule("web:invite_all", allow=_inviter, method="POST", ok=(302,)),
    Rule(
        "web:member_invite",
        obj="member",
        scope=ORG,
        allow=_inviter,
        method="POST",
        ok=(302,),
        kwargs=lambda o: {"pk": o.pk},
    ),
    # The code prompt: anonymous callers go to the password step, others (no code pending) on.
    Rule("web:login_code", scope=PUBLIC, ok=(302,)),
    # Second factor (SPEC §11.8): admins and finance only; the actors here have none yet.
    Rule("web:account_security", roles=SECOND_FACTOR),
    Rule("web:second_factor_start", roles=SECOND_FACTOR, method="POST", ok=(302,)),
    # Nothing being set up: back to the security page.
    Rule("web:second_factor_setup", roles=SECOND_FACTOR, ok=(302,)),
    Rule(
        "web:second_factor_setup",
        roles=SECOND_FACTOR,
        method="POST",
        ok=(302,),
        payload=lambda w, o: {"code": "123456"},
    ),
    # Off already: the page answers with the form's error (or 403 to a role without it).
    Rule(
        "web:second_factor_disable",
        roles=SECOND_FACTOR,
        method="POST",
        ok=(200,),
        payload=lambda w, o: {"off-code": "123456"},
    ),
    Rule(
        "web:second_factor_policy",
        roles=ADMIN,
        method="POST",
        ok=(302,),
        payload=lambda w, o: {"require_second_factor": ""},
    ),
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

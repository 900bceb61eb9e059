from tests.authz.framework import ADMIN, ALL, ORG, Rule

_FINANCE_AUDIT = frozenset({"admin", "director", "finance"})


def _members(w):
    return {
        "own": w.rep,
        "same_team": w.peer,
        "other_team": w.other_rep,
        "other_org": w.other_org_rep,
    }


def _audit(w):
    from saleshelm.tenancy.services import audit_record

    entries = {}
    for rel, m in _members(w).items():
        entries[rel] = audit_record(actor=m, action="test.touch", obj=m)
    return entries


_n = iter(range(10**9))


def _inviter(role: str, relation: str | None) -> bool:
    # Admins and directors invite anyone of the organisation; a manager their teams' members.
    return role in {"admin", "director"} or (role == "manager" and relation in ("own", "same_team"))


OBJECTS = {"member": _members, "audit_entry": _audit}
RULES = [
    Rule("GET /api/v1/members", roles=ALL),
    Rule("GET /api/v1/members/{id}", obj="member", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/members",
        roles=ADMIN,
        payload=lambda w, o: {
            "email": f"new{next(_n)}@acme.test",
            "name": "Hoa New",
            "role": "rep",
        },
    ),
    Rule(
        "PATCH /api/v1/members/{id}",
        obj="member",
        scope=ORG,
        roles=ADMIN,
        payload=lambda w, o: {"role": "manager"},
    ),
    Rule("POST /api/v1/members/{id}/invite", obj="member", scope=ORG, allow=_inviter),
    Rule("GET /api/v1/audit-log", roles=_FINANCE_AUDIT),
    Rule("GET /api/v1/audit-log/{id}", obj="audit_entry", scope=ORG, roles=_FINANCE_AUDIT),
]

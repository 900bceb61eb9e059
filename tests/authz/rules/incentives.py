"""Commission plans, runs, statements and disputes (SPEC §7): who may see and do what.

Pay is private: a viewer sees none (403), a rep their own, a manager their subtree, finance,
admins and directors all of it. Finance and admins run, approve and lock; only an admin
unlocks; only the member paid by a statement disputes its lines; finance and admins resolve.
"""

from tests.authz.framework import ADMIN, ORG, RECORDS, Rule
from tests.incentives.factories import close, import_plan, order, plan_data, run, statement

PAY = frozenset({"admin", "director", "finance", "manager", "rep"})
REDIRECT = (302,)
WRITERS = frozenset({"admin", "finance"})
RUN_VIEW = frozenset({"admin", "director", "finance"})


def _people(w):
    return {
        "own": w.rep,
        "same_team": w.peer,
        "other_team": w.other_rep,
        "other_org": w.other_org_rep,
    }


def _plans(w):
    out = {}
    for relation, member in _people(w).items():
        version = import_plan(member.organisation, [member], name=f"Plan {relation}")
        out[relation] = version.plan
    return out


def _statements(w):
    people = _people(w)
    for org, members in ((w.org, [w.rep, w.peer, w.other_rep]), (w.other_org, [w.other_org_rep])):
        import_plan(org, members, currency=org.currency)
        for m in members:
            order(m, "2026-07-10", {"amount": 1000})
        run(org, "2026-07")
    return {rel: statement(m, "2026-07") for rel, m in people.items()}


def _lines(w):
    return {rel: s.lines.order_by("position").first() for rel, s in _statements(w).items()}


def _disputes(w):
    from saleshelm.incentives.services import dispute_create

    return {
        rel: dispute_create(actor=line.statement.member, line=line, comment="Missing a deal")
        for rel, line in _lines(w).items()
    }


def _runs(stage):
    def build(w):
        out = {}
        for relation, (org, period) in {
            "own": (w.org, "2026-04"),
            "same_team": (w.org, "2026-05"),
            "other_team": (w.org, "2026-06"),
            "other_org": (w.other_org, "2026-04"),
        }.items():
            from saleshelm.incentives.services import commission_run_create
            from tests.incentives.factories import system

            r = commission_run_create(actor=system(org), period=period)
            if stage != "draft":
                r = run(org, period)
            if stage in ("approved", "locked"):
                r = close(org, r, lock=stage == "locked")
            out[relation] = r
        return out

    return build


_n = iter(range(10**9))


def _plan_form(w, name: str) -> dict:
    """The plan form's fields (web): a plan on targets, 3 tiers, the rep on it."""
    return {
        "name": name,
        "currency": w.org.currency,
        "measure": "quarter",
        "pay": "month",
        "effective_from": "2026-07-01",
        "clawback_days": "90",
        "members": [str(w.rep.pk)],
        "component": "Revenue",
        "basis": "revenue",
        "tiers_on": "attainment",
        "quota_kind": "target",
        "mode": "marginal",
        "applies_to": "period",
        "tier-0-from": "0",
        "tier-0-rate": "0.04",
        "tier-1-from": "1",
        "tier-1-rate": "0.06",
    }


OBJECTS = {
    "commission_plan": _plans,
    "commission_statement": _statements,
    "commission_line": _lines,
    "commission_dispute": _disputes,
    "commission_run": _runs("calculated"),
    "commission_run_draft": _runs("draft"),
    "commission_run_approved": _runs("approved"),
    "commission_run_locked": _runs("locked"),
}
RULES = [
    Rule("GET /api/v1/commission-plans", roles=PAY),
    Rule("GET /api/v1/commission-plans/{id}", obj="commission_plan", scope=RECORDS, roles=PAY),
    Rule(
        "GET /api/v1/commission-plans/{id}/export",
        obj="commission_plan",
        scope=RECORDS,
        roles=PAY,
    ),
    Rule(
        "POST /api/v1/commission-plans",
        roles=WRITERS,
        payload=lambda w, o: plan_data([], name=f"Imported {next(_n)}"),
    ),
    Rule("GET /api/v1/commission-runs", roles=RUN_VIEW),
    Rule("GET /api/v1/commission-runs/{id}", obj="commission_run", scope=ORG, roles=RUN_VIEW),
    Rule("POST /api/v1/commission-runs", roles=WRITERS, payload=lambda w, o: {"period": "2026-11"}),
    Rule(
        "POST /api/v1/commission-runs/{id}/calculate",
        obj="commission_run_draft",
        scope=ORG,
        roles=WRITERS,
    ),
    Rule(
        "POST /api/v1/commission-runs/{id}/approve",
        obj="commission_run",
        scope=ORG,
        roles=WRITERS,
    ),
    Rule(
        "POST /api/v1/commission-runs/{id}/lock",
        obj="commission_run_approved",
        scope=ORG,
        roles=WRITERS,
    ),
    Rule(
        "POST /api/v1/commission-runs/{id}/unlock",
        obj="commission_run_locked",
        scope=ORG,
        roles=ADMIN,
        payload=lambda w, o: {"reason": "A cancelled order was missed"},
    ),
    Rule(
        "GET /api/v1/commission-runs/{id}/payroll",
        obj="commission_run",
        scope=ORG,
        roles=RUN_VIEW,
    ),
    Rule("GET /api/v1/commission-statements", roles=PAY),
    Rule(
        "GET /api/v1/commission-statements/{id}",
        obj="commission_statement",
        scope=RECORDS,
        roles=PAY,
    ),
    Rule("GET /api/v1/disputes", roles=PAY),
    Rule("GET /api/v1/disputes/{id}", obj="commission_dispute", scope=RECORDS, roles=PAY),
    Rule(
        "POST /api/v1/disputes",
        obj="commission_line",
        scope=RECORDS,
        roles=frozenset({"rep"}),
        payload=lambda w, o: {"line_id": o.pk, "comment": "This deal was mine"},
        notes="only the member paid by the statement; others who see the line get 403",
    ),
    Rule(
        "POST /api/v1/disputes/{id}/resolve",
        obj="commission_dispute",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {"action": "reject", "reason": "Booked by the peer"},
    ),
    # Pages (web): statements, plans, the plan form, the deal-time fragment.
    Rule("motivation:pay", roles=PAY),
    Rule(
        "motivation:statement",
        obj="commission_statement",
        scope=RECORDS,
        roles=PAY,
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule("motivation:plans", roles=PAY),
    Rule("motivation:plan_create", roles=WRITERS),
    Rule(
        "motivation:plan_create",
        roles=WRITERS,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: _plan_form(w, f"Form plan {next(_n)}"),
    ),
    Rule(
        "motivation:plan_edit",
        obj="commission_plan",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule(
        "motivation:plan_edit",
        obj="commission_plan",
        scope=RECORDS,
        roles=WRITERS,
        method="POST",
        ok=REDIRECT,
        kwargs=lambda o: {"pk": o.pk},
        payload=lambda w, o: _plan_form(w, o.name),
        notes="saving adds the plan's next version",
    ),
    Rule(
        "motivation:deal_earnings",
        obj="opportunity",
        scope=RECORDS,
        roles=PAY,
        kwargs=lambda o: {"pk": o.pk},
        notes="the fragment the crm opportunity page includes",
    ),
    # Pay desk (web): runs, payroll, disputes.
    Rule("motivation:runs", roles=RUN_VIEW),
    Rule("motivation:run_create", roles=WRITERS),
    Rule(
        "motivation:run_create",
        roles=WRITERS,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"period": "2026-11"},
    ),
    Rule(
        "motivation:run",
        obj="commission_run",
        scope=ORG,
        roles=RUN_VIEW,
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule(
        "motivation:run_action",
        obj="commission_run_draft",
        scope=ORG,
        roles=WRITERS,
        method="POST",
        ok=REDIRECT,
        kwargs=lambda o: {"pk": o.pk, "action": "calculate"},
    ),
    Rule(
        "motivation:run_action",
        obj="commission_run",
        scope=ORG,
        roles=WRITERS,
        method="POST",
        ok=REDIRECT,
        kwargs=lambda o: {"pk": o.pk, "action": "approve"},
    ),
    Rule(
        "motivation:run_action",
        obj="commission_run_approved",
        scope=ORG,
        roles=WRITERS,
        method="POST",
        ok=REDIRECT,
        kwargs=lambda o: {"pk": o.pk, "action": "lock"},
    ),
    Rule(
        "motivation:run_unlock",
        obj="commission_run_locked",
        scope=ORG,
        roles=ADMIN,
        method="POST",
        ok=REDIRECT,
        kwargs=lambda o: {"pk": o.pk},
        payload=lambda w, o: {"reason": "A cancelled order was missed"},
    ),
    Rule(
        "motivation:run_payroll",
        obj="commission_run",
        scope=ORG,
        roles=RUN_VIEW,
        kwargs=lambda o: {"pk": o.pk},
        notes="the download writes its audit row (commission_run.payroll_export)",
    ),
    Rule(
        "motivation:line_dispute",
        obj="commission_line",
        scope=RECORDS,
        roles=frozenset({"rep"}),
        method="POST",
        ok=REDIRECT,
        kwargs=lambda o: {"pk": o.pk},
        payload=lambda w, o: {f"line{o.pk}-comment": "This deal was mine"},
        notes="only the member paid by the statement; others who see the line get 403",
    ),
    Rule("motivation:disputes", roles=PAY),
    Rule(
        "motivation:dispute",
        obj="commission_dispute",
        scope=RECORDS,
        roles=PAY,
        kwargs=lambda o: {"pk": o.pk},
    ),
    Rule(
        "motivation:dispute",
        obj="commission_dispute",
        scope=RECORDS,
        roles=WRITERS,
        method="POST",
        ok=REDIRECT,
        kwargs=lambda o: {"pk": o.pk},
        payload=lambda w, o: {"action": "reject", "reason": "Booked by the peer"},
    ),
]

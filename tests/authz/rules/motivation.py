"""Motivation beyond pay in the authorization matrix: kudos, badges, contests, commitments,
pulse surveys and notices — every API operation and page.

Recognition is the organisation's (scope ORG): every member reads kudos, badges, awards and
contests. Kudos are given by anyone; badges are defined by admins and directors and given by
them or by a manager (to their team: the member awarded here is the rep, in Mai's team);
contests are run by admins, directors and managers — the contests below all belong to teams
in Mai's subtree, so a manager is allowed on each; refusing a manager outside their subtree
is tested in tests/incentives. Commitments follow the team tree (scope RECORDS) and are
written by the member and their managers only. Pulse surveys are answered by everyone;
results are for managers, directors and admins; surveys are run by admins and directors.
"""

import datetime as dt

from django.utils import timezone

from tests.authz.framework import ALL, ORG, RECORDS, STRUCTURE, Rule

RUNNERS = frozenset({"admin", "director", "manager"})
WRITERS = frozenset({"manager", "rep"})  # the two parties of a contract
ADMIN_ONLY = frozenset({"admin"})
REDIRECT = (302,)
_n = iter(range(10**9))


def _today(days: int = 0) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _value(org, name="Customer first"):
    from saleshelm.direction.models import CompanyValue

    return CompanyValue.objects.get_or_create(organisation=org, name=name)[0]


def _people(w):
    return {
        "own": w.rep,
        "same_team": w.peer,
        "other_team": w.other_rep,
        "other_org": w.other_org_rep,
    }


def _receivers(w):
    """People none of the acting roles is: kudos to them are allowed to everyone."""
    _value(w.org)
    return {
        "own": w.peer,
        "same_team": w.other_rep,
        "other_team": w.other_manager,
        "other_org": w.other_org_rep,
    }


def _kudos(w):
    from saleshelm.incentives.models.recognition import Kudos

    def give(org, giver, receiver):
        return Kudos.objects.create(
            organisation=org, giver=giver, receiver=receiver, value=_value(org), message="Thanks!"
        )

    # Given by Minh (no acting role): only an admin may withdraw them.
    return {
        "own": give(w.org, w.other_manager, w.rep),
        "same_team": give(w.org, w.other_manager, w.peer),
        "other_team": give(w.org, w.other_manager, w.other_rep),
        "other_org": give(w.other_org, w.other_org_admin, w.other_org_rep),
    }


def _badges(w):
    from saleshelm.incentives.models.recognition import Badge

    return {
        rel: Badge.objects.create(organisation=org, name=f"Badge {next(_n)}", criteria="manual")
        for rel, org in (
            ("own", w.org),
            ("same_team", w.org),
            ("other_team", w.org),
            ("other_org", w.other_org),
        )
    }


def _awards(w):
    from saleshelm.incentives.models.recognition import BadgeAward

    badges = _badges(w)
    givers = {"other_org": w.other_org_admin}
    return {
        rel: BadgeAward.objects.create(
            organisation=member.organisation,
            badge=badges[rel],
            member=member,
            awarded_by=givers.get(rel, w.director),
            reason="For the Lotus deal",
        )
        for rel, member in _people(w).items()
    }


def _contests(w):
    from saleshelm.incentives.models.recognition import Contest, ContestParticipant, ContestPrize

    north = w.rep.profile.team
    sales = north.parent
    beta_team = w.other_org_rep.profile.team

    def contest(org, team, members):
        c = Contest.objects.create(
            organisation=org,
            name=f"Blitz {next(_n)}",
            metric="calls",
            starts_on=_today(-5),
            ends_on=_today(5),
            participant_kind="member",
            team=team,
            currency=org.currency,
        )
        for m in members:
            ContestParticipant.objects.create(organisation=org, contest=c, member=m)
        ContestPrize.objects.create(organisation=org, contest=c, rank=1, description="Dinner")
        return c

    return {
        "own": contest(w.org, north, [w.rep, w.peer]),
        "same_team": contest(w.org, sales, [w.rep, w.peer, w.manager]),
        "other_team": contest(w.org, north, [w.peer, w.rep]),
        "other_org": contest(w.other_org, beta_team, [w.other_org_rep, w.other_org_admin]),
    }


def _commitments(w):
    from saleshelm.core.periods import period_of
    from saleshelm.incentives.models.contract import Commitment

    quarter = period_of(_today(), "quarter")
    return {
        rel: Commitment.objects.create(
            organisation=m.organisation,
            member=m,
            period=quarter.key,
            period_start=quarter.start,
            period_end=quarter.end,
            side="member",
            kind="effort",
            title=f"Forty calls a week ({rel})",
            owner=m,
            due_date=quarter.end,
        )
        for rel, m in _people(w).items()
    }


def _surveys(w):
    from saleshelm.incentives.models.pulse import PulseSurvey

    return {
        rel: PulseSurvey.objects.create(
            organisation=org, title=f"Pulse {rel}", opens_on=_today(-1), closes_on=_today(5)
        )
        for rel, org in (
            ("own", w.org),
            ("same_team", w.org),
            ("other_team", w.org),
            ("other_org", w.other_org),
        )
    }


OBJECTS = {
    "mot_member": _people,
    "mot_receiver": _receivers,
    "mot_kudos": _kudos,
    "mot_badge": _badges,
    "mot_award": _awards,
    "mot_contest": _contests,
    "mot_commitment": _commitments,
    "mot_survey": _surveys,
}


def _pk(o):
    return {"pk": o.pk}


def _quarter_key():
    from saleshelm.core.periods import period_of

    return period_of(_today(), "quarter")


API_RULES = [
    # kudos
    Rule("GET /api/v1/kudos", roles=ALL),
    Rule("GET /api/v1/kudos/by-value", roles=ALL),
    Rule("GET /api/v1/kudos/{id}", obj="mot_kudos", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/kudos",
        obj="mot_receiver",
        scope=ORG,
        roles=ALL,
        payload=lambda w, o: {
            "receiver_id": o.pk,
            "value_id": _value(w.org).pk,
            "message": "Thank you for the demo",
        },
        notes="the receiver is the reference: another organisation's answers 404",
    ),
    Rule(
        "DELETE /api/v1/kudos/{id}",
        obj="mot_kudos",
        scope=ORG,
        roles=ADMIN_ONLY,
        notes="the giver may withdraw too (tests/incentives); these were given by Minh",
    ),
    # notices: one's own only
    Rule("GET /api/v1/motivation-notices", roles=ALL),
    Rule("POST /api/v1/motivation-notices/read", roles=ALL, payload=lambda w, o: {"ids": None}),
    # badges
    Rule("GET /api/v1/badges", roles=ALL),
    Rule(
        "POST /api/v1/badges",
        roles=STRUCTURE,
        payload=lambda w, o: {"name": f"Closer {next(_n)}", "criteria": "manual"},
    ),
    Rule("GET /api/v1/badges/{id}", obj="mot_badge", scope=ORG, roles=ALL),
    Rule(
        "PATCH /api/v1/badges/{id}",
        obj="mot_badge",
        scope=ORG,
        roles=STRUCTURE,
        payload=lambda w, o: {"description": "For deeds worth telling"},
    ),
    Rule(
        "POST /api/v1/badges/{id}/awards",
        obj="mot_badge",
        scope=ORG,
        roles=RUNNERS,
        payload=lambda w, o: {"member_id": w.rep.pk, "reason": "Saved the Lotus deal"},
    ),
    Rule("GET /api/v1/badge-awards", roles=ALL),
    Rule("DELETE /api/v1/badge-awards/{id}", obj="mot_award", scope=ORG, roles=STRUCTURE),
    # contests
    Rule("GET /api/v1/contests", roles=ALL),
    Rule(
        "POST /api/v1/contests",
        roles=RUNNERS,
        payload=lambda w, o: {
            "name": f"Call blitz {next(_n)}",
            "metric": "calls",
            "starts_on": _today().isoformat(),
            "ends_on": _today(7).isoformat(),
            "participant_kind": "member",
            "member_ids": [w.rep.pk, w.peer.pk],
            "prizes": [{"rank": 1, "description": "Dinner", "amount": "100"}],
        },
    ),
    Rule("GET /api/v1/contests/{id}", obj="mot_contest", scope=ORG, roles=ALL),
    Rule(
        "PATCH /api/v1/contests/{id}",
        obj="mot_contest",
        scope=ORG,
        roles=RUNNERS,
        payload=lambda w, o: {"description": "Most calls wins"},
    ),
    Rule(
        "POST /api/v1/contests/{id}/cancel",
        obj="mot_contest",
        scope=ORG,
        roles=RUNNERS,
        payload=lambda w, o: {"reason": "Holiday week"},
    ),
    Rule("GET /api/v1/contests/{id}/standings", obj="mot_contest", scope=ORG, roles=ALL),
    # commitments
    Rule("GET /api/v1/commitments", roles=ALL),
    Rule(
        "POST /api/v1/commitments",
        obj="mot_member",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {
            "member_id": o.pk,
            "period": _quarter_key().key,
            "side": "member",
            "kind": "result",
            "title": "Close three new accounts",
            "due_date": _quarter_key().end.isoformat(),
        },
        notes="the member is the reference: a contract the actor cannot see answers 404",
    ),
    Rule("GET /api/v1/commitments/{id}", obj="mot_commitment", scope=RECORDS, roles=ALL),
    Rule(
        "PATCH /api/v1/commitments/{id}",
        obj="mot_commitment",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {"description": "Logged in the CRM"},
    ),
    Rule(
        "POST /api/v1/commitments/{id}/status",
        obj="mot_commitment",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {"status": "kept", "note": "Done"},
    ),
    Rule(
        "POST /api/v1/commitments/{id}/renegotiate",
        obj="mot_commitment",
        scope=RECORDS,
        roles=WRITERS,
        payload=lambda w, o: {"due_date": o.due_date.isoformat(), "note": "Holiday"},
    ),
    Rule("GET /api/v1/commitment-records", roles=ALL),
    Rule("GET /api/v1/commitment-records/{id}", obj="mot_member", scope=RECORDS, roles=ALL),
    # pulse surveys
    Rule("GET /api/v1/pulse-surveys", roles=ALL),
    Rule(
        "POST /api/v1/pulse-surveys",
        roles=STRUCTURE,
        payload=lambda w, o: {
            "title": "Weekly pulse",
            "opens_on": _today().isoformat(),
            "closes_on": _today(6).isoformat(),
        },
    ),
    Rule("GET /api/v1/pulse-surveys/{id}", obj="mot_survey", scope=ORG, roles=ALL),
    Rule(
        "POST /api/v1/pulse-surveys/{id}/responses",
        obj="mot_survey",
        scope=ORG,
        roles=ALL,
        payload=lambda w, o: {"motivation": 4, "support": 3, "clarity": 5},
        notes="everyone answers for themself, once",
    ),
    Rule("GET /api/v1/pulse-surveys/{id}/results", obj="mot_survey", scope=ORG, roles=RUNNERS),
    Rule("POST /api/v1/pulse-surveys/{id}/close", obj="mot_survey", scope=ORG, roles=STRUCTURE),
]

PAGE_RULES = [
    Rule("motivation:kudos", roles=ALL),
    Rule("motivation:kudos_give", roles=ALL),
    Rule(
        "motivation:kudos_give",
        obj="mot_receiver",
        scope=ORG,
        roles=ALL,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {
            "receiver": o.pk,
            "value": _value(w.org).pk,
            "message": "Thanks for the intro",
        },
    ),
    Rule(
        "motivation:kudos_withdraw",
        obj="mot_kudos",
        scope=ORG,
        roles=ADMIN_ONLY,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule("motivation:notices", roles=ALL),
    Rule("motivation:notices_read", roles=ALL, method="POST", ok=REDIRECT),
    Rule("motivation:member", obj="mot_member", scope=ORG, roles=ALL, kwargs=_pk),
    Rule("motivation:badges", roles=ALL),
    Rule("motivation:badge_create", roles=STRUCTURE),
    Rule(
        "motivation:badge_create",
        roles=STRUCTURE,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {
            "name": f"Hunter {next(_n)}",
            "symbol": "target",
            "criteria": "metric",
            "metric": "new_accounts",
            "threshold": "3",
            "period_kind": "month",
        },
    ),
    Rule("motivation:badge", obj="mot_badge", scope=ORG, roles=ALL, kwargs=_pk),
    Rule("motivation:badge_edit", obj="mot_badge", scope=ORG, roles=STRUCTURE, kwargs=_pk),
    Rule("motivation:badge_award", obj="mot_badge", scope=ORG, roles=RUNNERS, kwargs=_pk),
    Rule(
        "motivation:badge_award",
        obj="mot_badge",
        scope=ORG,
        roles=RUNNERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"member": w.rep.pk, "reason": "Covered the North accounts"},
    ),
    Rule(
        "motivation:award_revoke",
        obj="mot_award",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule("motivation:contests", roles=ALL),
    Rule("motivation:contest_create", roles=RUNNERS),
    Rule(
        "motivation:contest_create",
        roles=RUNNERS,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {
            "name": "Demo week",
            "metric": "demos",
            "starts_on": _today().isoformat(),
            "ends_on": _today(4).isoformat(),
            "participant_kind": "member",
            "members": [w.rep.pk, w.peer.pk],
            "team": w.rep.profile.team.parent_id,
            "prize_1": "A day off",
        },
    ),
    Rule("motivation:contest", obj="mot_contest", scope=ORG, roles=ALL, kwargs=_pk),
    Rule("motivation:contest_standings", obj="mot_contest", scope=ORG, roles=ALL, kwargs=_pk),
    Rule("motivation:contest_edit", obj="mot_contest", scope=ORG, roles=RUNNERS, kwargs=_pk),
    Rule(
        "motivation:contest_cancel",
        obj="mot_contest",
        scope=ORG,
        roles=RUNNERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
    Rule("motivation:commitments", roles=ALL),
    Rule("motivation:commitments_team", roles=ALL),
    Rule("motivation:member_commitments", obj="mot_member", scope=RECORDS, roles=ALL, kwargs=_pk),
    Rule(
        "motivation:commitment_create", obj="mot_member", scope=RECORDS, roles=WRITERS, kwargs=_pk
    ),
    Rule(
        "motivation:commitment_create",
        obj="mot_member",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {
            "period": _quarter_key().key,
            "side": "member",
            "kind": "behaviour",
            "title": "Log every visit the same day",
            "due_date": _quarter_key().end.isoformat(),
        },
    ),
    Rule("motivation:commitment", obj="mot_commitment", scope=RECORDS, roles=ALL, kwargs=_pk),
    Rule(
        "motivation:commitment_edit",
        obj="mot_commitment",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=_pk,
    ),
    Rule(
        "motivation:commitment_status",
        obj="mot_commitment",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"status": "missed", "note": "Sick two weeks"},
    ),
    Rule(
        "motivation:commitment_renegotiate",
        obj="mot_commitment",
        scope=RECORDS,
        roles=WRITERS,
        kwargs=_pk,
    ),
    Rule("motivation:pulse", roles=ALL),
    Rule("motivation:pulse_create", roles=STRUCTURE),
    Rule("motivation:pulse_answer", obj="mot_survey", scope=ORG, roles=ALL, kwargs=_pk),
    Rule(
        "motivation:pulse_answer",
        obj="mot_survey",
        scope=ORG,
        roles=ALL,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
        payload=lambda w, o: {"motivation": "4", "support": "4", "clarity": "3"},
    ),
    Rule("motivation:pulse_results", obj="mot_survey", scope=ORG, roles=RUNNERS, kwargs=_pk),
    Rule(
        "motivation:pulse_close",
        obj="mot_survey",
        scope=ORG,
        roles=STRUCTURE,
        kwargs=_pk,
        method="POST",
        ok=REDIRECT,
    ),
]

RULES = API_RULES + PAGE_RULES

"""The psychological contract: commitments of both sides, who writes them, renegotiation that
keeps history, the kept-% record worked by hand, and the check-in and signal plug-ins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saleshelm.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from saleshelm.incentives.models.contract import Commitment, CommitmentStatus
from saleshelm.incentives.selectors import contract as sel
from saleshelm.incentives.services import contract as svc
from saleshelm.tenancy.actors import SystemActor
from saleshelm.tenancy.models import AuditEntry

pytestmark = pytest.mark.django_db

Q3 = "2026-Q3"


def commit(world, actor=None, *, member=None, side="member", kind=None, title="Call 40 a week",
           due=dt.date(2026, 7, 31), period=Q3, owner=None):  # fmt: skip
    return svc.commitment_create(
        actor=actor or world.manager,
        member=member or world.rep,
        period=period,
        side=side,
        kind=kind or ("effort" if side == "member" else "leads"),
        title=title,
        due_date=due,
        owner=owner,
    )


def test_both_sides_commit_the_salesperson_owns_theirs_the_organisation_names_an_owner(world):
    # the rep writes down what they commit
    mine = commit(world, world.rep, title="Forty calls a week")
    # the manager writes down what the organisation commits back, owned by the manager
    theirs = commit(world, world.manager, side="organisation", kind="leads",
                    title="20 qualified leads a month")  # fmt: skip
    assert (mine.owner, mine.side, mine.period) == (world.rep, "member", Q3)
    assert (theirs.owner, theirs.side) == (world.manager, "organisation")
    assert mine.period_start == dt.date(2026, 7, 1) and mine.period_end == dt.date(2026, 9, 30)
    # the rep may name who in the organisation owns a commitment to them (finance: payouts)
    payout = commit(world, world.rep, side="organisation", kind="payout_timing",
                    title="Commissions paid by the 10th", owner=world.finance)  # fmt: skip
    assert payout.owner == world.finance
    # but must name one: the rep cannot own the organisation's side
    with pytest.raises(ApplicationError):
        commit(world, world.rep, side="organisation", kind="tools", title="A CRM licence")
    with pytest.raises(ApplicationError):
        commit(world, world.rep, side="organisation", kind="tools", owner=world.rep)
    assert AuditEntry.objects.filter(action="commitment.create").count() == 3


def test_kinds_belong_to_their_side_and_the_due_date_to_the_period(world):
    with pytest.raises(ApplicationError):
        commit(world, side="member", kind="training")
    with pytest.raises(ApplicationError):
        commit(world, side="organisation", kind="effort")
    with pytest.raises(ApplicationError):
        commit(world, due=dt.date(2026, 10, 1))
    with pytest.raises(ApplicationError):
        commit(world, period="2026-Q5")


def test_the_member_and_their_managers_write_everyone_else_reads(world):
    c = commit(world, world.manager)
    for outsider in (world.peer, world.other_manager, world.director, world.admin, world.finance):
        with pytest.raises(PermissionDenied):
            commit(world, outsider)
        with pytest.raises(PermissionDenied):
            svc.commitment_set_status(actor=outsider, commitment=c, status="kept")
    # who reads: the member, the manager, org-wide roles, and the owner of a commitment
    readers = {world.rep, world.manager, world.director, world.admin, world.finance, world.viewer}
    for reader in readers:
        assert sel.access_commitment(actor=reader, id=c.pk) == c
    for stranger in (world.peer, world.other_manager, world.other_rep, world.other_org_admin):
        with pytest.raises(NotFound):
            sel.access_commitment(actor=stranger, id=c.pk)
    owned = commit(world, world.manager, side="organisation", kind="support", owner=world.peer)
    assert sel.access_commitment(actor=world.peer, id=owned.pk) == owned


def test_status_changes_are_audited_and_a_renegotiated_commitment_is_final(world):
    c = commit(world)
    svc.commitment_set_status(actor=world.rep, commitment=c, status="kept", note="Did 43")
    c.refresh_from_db()
    assert c.status == "kept" and c.status_note == "Did 43" and c.status_changed_by == world.rep
    entry = AuditEntry.objects.get(action="commitment.status", object_id=str(c.pk))
    assert entry.before["status"] == "open" and entry.after["status"] == "kept"
    with pytest.raises(Conflict):
        svc.commitment_set_status(actor=world.rep, commitment=c, status="kept")
    # a mistake is undone by reopening
    svc.commitment_set_status(actor=world.manager, commitment=c, status="open")
    with pytest.raises(ApplicationError):
        svc.commitment_set_status(actor=world.manager, commitment=c, status="renegotiated")


def test_renegotiation_keeps_the_old_terms_and_links_the_new_ones(world):
    # given an open commitment of the organisation: training by the end of July
    old = commit(world, side="organisation", kind="training", title="Negotiation course",
                 due=dt.date(2026, 7, 31))  # fmt: skip

    # when the pair agrees new terms at a check-in
    new = svc.commitment_renegotiate(
        actor=world.rep, commitment=old, due_date=dt.date(2026, 9, 15),
        note="Trainer ill; moved to September",
    )  # fmt: skip

    # then the old one keeps its words and dates, and is renegotiated
    old.refresh_from_db()
    assert (old.status, old.title, old.due_date) == (
        "renegotiated", "Negotiation course", dt.date(2026, 7, 31)
    )  # fmt: skip
    assert old.status_note == "Trainer ill; moved to September"
    # and the new one replaces it, same side, kind and owner, open
    assert (new.replaces, new.side, new.kind, new.owner, new.status) == (
        old, "organisation", "training", world.manager, "open"
    )  # fmt: skip
    assert sel.commitment_history(actor=world.viewer, commitment=new) == [old, new]
    assert sel.commitment_history(actor=world.viewer, commitment=old) == [old, new]
    # and it cannot be renegotiated, kept or edited any more
    with pytest.raises(Conflict):
        svc.commitment_renegotiate(actor=world.rep, commitment=old, due_date=dt.date(2026, 9, 1),
                                   note="again")  # fmt: skip
    with pytest.raises(Conflict):
        svc.commitment_set_status(actor=world.rep, commitment=old, status="kept")
    with pytest.raises(Conflict):
        svc.commitment_update(actor=world.rep, commitment=old, title="Rewritten")
    assert AuditEntry.objects.filter(action="commitment.renegotiate").count() == 1


def test_renegotiation_needs_a_reason(world):
    c = commit(world)
    with pytest.raises(ApplicationError):
        svc.commitment_renegotiate(actor=world.rep, commitment=c, due_date=c.due_date, note=" ")
    c.refresh_from_db()
    assert c.status == "open"


def _decide(world, side, statuses, period=Q3, due=dt.date(2026, 8, 15)):
    kind = "result" if side == "member" else "support"
    for i, status in enumerate(statuses):
        c = commit(world, side=side, kind=kind, title=f"{side} {period} {i}", period=period,
                   due=due)  # fmt: skip
        if status == "renegotiated":
            svc.commitment_renegotiate(actor=world.manager, commitment=c, due_date=due, note="x")
        elif status != "open":
            svc.commitment_set_status(actor=world.manager, commitment=c, status=status)


def test_keeping_our_word_worked_by_hand(world):
    # Q2: the rep kept 3 of 4 decided (one open stays undecided); the organisation 1 of 2
    _decide(world, "member", ["kept", "kept", "kept", "missed", "open"], period="2026-Q2",
            due=dt.date(2026, 5, 15))  # fmt: skip
    _decide(world, "organisation", ["kept", "missed"], period="2026-Q2", due=dt.date(2026, 5, 15))
    # Q3: the rep 2 of 3; the organisation 2 of 2, plus one renegotiated (its replacement,
    # open, is not decided yet and the renegotiated one is neither kept nor missed)
    _decide(world, "member", ["kept", "missed", "kept"])
    _decide(world, "organisation", ["kept", "kept", "renegotiated"])

    with CaptureQueriesContext(connection) as queries:
        record = sel.keeping_our_word(actor=world.rep, member=world.rep)

    assert [p.period for p in record.periods] == ["2026-Q2", "2026-Q3"]
    q2, q3 = record.periods
    assert (q2.member.kept, q2.member.missed, q2.member.open) == (3, 1, 1)
    assert q2.member.rate == Decimal("0.7500")  # 3 / 4
    assert q2.organisation.rate == Decimal("0.5000")  # 1 / 2
    assert q3.member.rate == Decimal("0.6667")  # 2 / 3, half-up
    assert (q3.organisation.kept, q3.organisation.renegotiated, q3.organisation.open) == (2, 1, 1)
    assert q3.organisation.rate == Decimal("1.0000")  # 2 / 2
    # overall: the rep 5 of 7, the organisation 3 of 4
    assert record.member.rate == Decimal("0.7143")
    assert record.organisation.rate == Decimal("0.7500")
    assert len(queries) == 1


def test_a_side_with_nothing_decided_has_no_rate(world):
    commit(world)
    record = sel.keeping_our_word(actor=world.manager, member=world.rep)
    assert record.member.rate is None and record.member.open == 1
    assert record.organisation.rate is None and record.organisation.decided == 0


def test_the_managers_view_lists_the_record_of_each_member_they_lead(world):
    _decide(world, "member", ["kept", "missed"])
    commit(world, world.manager, member=world.peer, due=dt.date(2026, 7, 2))  # overdue on 1 Aug
    svc.commitment_create(
        actor=world.other_manager, member=world.other_rep, period=Q3, side="member",
        kind="effort", title="Visit 10 stores", due_date=dt.date(2026, 8, 1),
    )  # fmt: skip

    rows = sel.team_keeping_our_word(actor=world.manager, today=dt.date(2026, 8, 1))

    assert [(w.member, w.member_side.rate, w.overdue) for w in rows] == [
        (world.rep, Decimal("0.5000"), 0),
        (world.peer, None, 1),
    ]
    director_rows = sel.team_keeping_our_word(actor=world.director)
    assert {w.member for w in director_rows} == {world.rep, world.peer, world.other_rep}
    assert sel.team_keeping_our_word(actor=world.rep)[0].member == world.rep
    assert len(sel.team_keeping_our_word(actor=world.rep)) == 1


def test_overdue_commitments_feed_the_early_signals_and_the_check_in_agenda(world):
    from saleshelm.development import providers
    from saleshelm.incentives import development_sources

    overdue = commit(world, title="Send the Q3 plan", due=dt.date(2026, 7, 10))
    commit(world, side="organisation", kind="tools", title="Tablet", due=dt.date(2026, 7, 5))
    later = commit(world, title="Forty calls", due=dt.date(2026, 8, 20))
    far = commit(world, title="Far away", due=dt.date(2026, 9, 30))
    kept = commit(world, title="Done already", due=dt.date(2026, 7, 5))
    svc.commitment_set_status(actor=world.rep, commitment=kept, status="kept")
    today = dt.date(2026, 8, 1)

    # the signal source: the salesperson's own overdue commitments, organisation-wide
    assert any(s.key == "incentives.commitments" for s in providers.signal_sources())
    rows = list(development_sources.overdue_commitments(organisation=world.org, today=today))
    assert [(r.subject_id, r.object_id, r.detail["title"]) for r in rows] == [
        (world.rep.pk, overdue.pk, "Send the Q3 plan")
    ]

    # the agenda of a check-in: both sides, open, due within three weeks, as the actor sees
    items = development_sources.commitments_for_check_in(
        actor=world.manager, member=world.rep, today=today
    )
    assert [(i.title, i.overdue) for i in items] == [
        ("Tablet", True),
        ("Send the Q3 plan", True),
        ("Forty calls", False),
    ]
    assert far.title not in {i.title for i in items} and later.title in {i.title for i in items}
    assert items[0].url == f"/motivation/commitments/members/{world.rep.pk}/"
    # a peer who cannot see the rep's contract gets nothing
    assert (
        development_sources.commitments_for_check_in(
            actor=world.peer, member=world.rep, today=today
        )
        == []
    )


def test_the_system_writes_commitments_for_anyone(world):
    c = commit(world, SystemActor(world.org), side="organisation", kind="recognition",
               owner=world.director)  # fmt: skip
    assert c.created_by is None and c.owner == world.director
    assert Commitment.objects.filter(status=CommitmentStatus.OPEN).count() == 1


def test_periods_out_of_the_calendar_are_refused_not_crashed(world):
    for period in ("9999-12", "9999-Q4", "1999", "0001-01"):
        with pytest.raises(ApplicationError) as refused:
            commit(world, period=period, due=dt.date(2026, 7, 31))
        assert refused.value.code == "invalid_period"

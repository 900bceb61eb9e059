"""Reads of the psychological contract (SPEC §7), scoped by the actor.

A member's commitments — both sides of them — are read by the member, by the managers of
their team subtree, by whoever owns one of them, and by the organisation-wide roles. They
are written by the member and their managers only (``can_write_commitments``).

"Keeping our word" is, per side, the share of decided commitments that were kept:
``kept / (kept + missed)``. Open commitments are not decided yet; a renegotiated one is
neither kept nor missed (its replacement is what counts). Counted in SQL, per period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.incentives.models.contract import Commitment, CommitmentStatus, Side
from saleshelm.incentives.selectors.recognition import is_person, manages
from saleshelm.people.selectors import visible_members_q
from saleshelm.tenancy.actors import Actor
from saleshelm.tenancy.models import Membership

RATE_PLACES = Decimal("0.0001")


def can_write_commitments(*, actor: Actor, member: Membership) -> bool:
    """The two parties of the contract: the member, and the managers above them."""
    if member.organisation_id != actor.organisation_id:
        return False
    if not is_person(actor):
        return True  # the system (seeding, imports) acts with admin rights
    return actor.pk == member.pk or manages(actor, member)


def commitment_scope_q(*, actor: Actor) -> Q:
    q = visible_members_q(actor=actor, prefix="member__")
    if not q:  # the whole organisation (note: Q() | x would narrow it to x)
        return q
    if is_person(actor):
        q |= Q(owner_id=actor.pk)
    return q


def commitment_list(
    *,
    actor: Actor,
    member_id: int | None = None,
    period: str | None = None,
    side: str | None = None,
    status: str | None = None,
    owner_id: int | None = None,
    due_before: dt.date | None = None,
) -> QuerySet[Commitment]:
    qs = (
        Commitment.objects.filter(organisation_id=actor.organisation_id)
        .filter(commitment_scope_q(actor=actor))
        .select_related(
            "member__user", "owner__user", "replaces", "replaced_by", "status_changed_by__user"
        )
    )
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    if period:
        qs = qs.filter(period=period)
    if side:
        qs = qs.filter(side=side)
    if status:
        qs = qs.filter(status=status)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if due_before is not None:
        qs = qs.filter(due_date__lt=due_before)
    return qs.order_by("-period_start", "side", "due_date", "pk")


def access_commitment(*, actor: Actor, id: int) -> Commitment:
    commitment = commitment_list(actor=actor).filter(pk=id).first()
    if commitment is None:
        raise NotFound("Commitment")
    return commitment


def commitment_history(*, actor: Actor, commitment: Commitment) -> list[Commitment]:
    """The terms this commitment replaced, oldest first, then itself and what replaced it
    (one query over the member's commitments)."""
    rows = {
        c.pk: c
        for c in Commitment.objects.filter(
            organisation_id=actor.organisation_id, member_id=commitment.member_id
        ).select_related("status_changed_by__user")
    }
    replaced_by = {c.replaces_id: c for c in rows.values() if c.replaces_id}
    chain = [commitment]
    current = commitment
    while current.replaces_id and current.replaces_id in rows:
        current = rows[current.replaces_id]
        chain.insert(0, current)
    current = commitment
    while current.pk in replaced_by:
        current = replaced_by[current.pk]
        chain.append(current)
    return chain


@dataclass
class SideRecord:
    side: str
    kept: int = 0
    missed: int = 0
    open: int = 0
    renegotiated: int = 0

    @property
    def decided(self) -> int:
        return self.kept + self.missed

    @property
    def rate(self) -> Decimal | None:
        """Kept / decided, half-up to 4 places; None while nothing is decided."""
        if not self.decided:
            return None
        return (Decimal(self.kept) / Decimal(self.decided)).quantize(
            RATE_PLACES, rounding=ROUND_HALF_UP
        )

    def add(self, other: SideRecord) -> None:
        self.kept += other.kept
        self.missed += other.missed
        self.open += other.open
        self.renegotiated += other.renegotiated


@dataclass
class PeriodRecord:
    period: str
    start: dt.date
    member: SideRecord = field(default_factory=lambda: SideRecord(Side.MEMBER))
    organisation: SideRecord = field(default_factory=lambda: SideRecord(Side.ORGANISATION))


@dataclass
class WordRecord:
    """How well each side keeps its word: per period (oldest first) and overall."""

    periods: list[PeriodRecord]
    member: SideRecord
    organisation: SideRecord


def _counts():
    return {
        "kept": Count("pk", filter=Q(status=CommitmentStatus.KEPT)),
        "missed": Count("pk", filter=Q(status=CommitmentStatus.MISSED)),
        "open": Count("pk", filter=Q(status=CommitmentStatus.OPEN)),
        "renegotiated": Count("pk", filter=Q(status=CommitmentStatus.RENEGOTIATED)),
    }


def keeping_our_word(*, actor: Actor, member: Membership) -> WordRecord:
    """The member's record, both sides, per period: one aggregate query."""
    rows = (
        Commitment.objects.filter(organisation_id=actor.organisation_id, member_id=member.pk)
        .filter(commitment_scope_q(actor=actor))
        .order_by()
        .values("period", "period_start", "side")
        .annotate(**_counts())
        .order_by("period_start", "period", "side")
    )
    periods: dict[str, PeriodRecord] = {}
    total = {Side.MEMBER: SideRecord(Side.MEMBER), Side.ORGANISATION: SideRecord(Side.ORGANISATION)}
    for row in rows:
        record = periods.setdefault(row["period"], PeriodRecord(row["period"], row["period_start"]))
        side = SideRecord(row["side"], row["kept"], row["missed"], row["open"], row["renegotiated"])
        setattr(record, "member" if row["side"] == Side.MEMBER else "organisation", side)
        total[row["side"]].add(side)
    return WordRecord(
        periods=list(periods.values()),
        member=total[Side.MEMBER],
        organisation=total[Side.ORGANISATION],
    )


@dataclass
class MemberWord:
    member: Membership
    member_side: SideRecord
    organisation_side: SideRecord
    overdue: int = 0


def team_keeping_our_word(
    *, actor: Actor, period: str | None = None, today: dt.date | None = None
) -> list[MemberWord]:
    """Per member the actor may see: the record of each side, and overdue open commitments
    (one aggregate query, one query for the members)."""
    base = Commitment.objects.filter(organisation_id=actor.organisation_id).filter(
        visible_members_q(actor=actor, prefix="member__")
    )
    if period:
        base = base.filter(period=period)
    counts = _counts()
    if today is not None:
        counts["overdue"] = Count("pk", filter=Q(status=CommitmentStatus.OPEN, due_date__lt=today))
    rows = base.order_by().values("member_id", "side").annotate(**counts)
    by_member: dict[int, dict[str, SideRecord]] = {}
    overdue: dict[int, int] = {}
    for row in rows:
        by_member.setdefault(row["member_id"], {})[row["side"]] = SideRecord(
            row["side"], row["kept"], row["missed"], row["open"], row["renegotiated"]
        )
        overdue[row["member_id"]] = overdue.get(row["member_id"], 0) + row.get("overdue", 0)
    members = Membership.objects.filter(pk__in=list(by_member)).select_related(
        "user", "profile__team"
    )
    out = [
        MemberWord(
            member=m,
            member_side=by_member[m.pk].get(Side.MEMBER, SideRecord(Side.MEMBER)),
            organisation_side=by_member[m.pk].get(Side.ORGANISATION, SideRecord(Side.ORGANISATION)),
            overdue=overdue.get(m.pk, 0),
        )
        for m in members
    ]
    return sorted(out, key=lambda w: (w.member.user.get_full_name().casefold(), w.member.pk))


def overdue_member_commitments(*, organisation_id: int, today: dt.date) -> QuerySet[Commitment]:
    """Open commitments of the salesperson's side past their due date, for the whole
    organisation at once (the early-signal source)."""
    return (
        Commitment.objects.filter(
            organisation_id=organisation_id,
            status=CommitmentStatus.OPEN,
            side=Side.MEMBER,
            due_date__lt=today,
            member__is_active=True,
        )
        .order_by("member_id", "due_date", "pk")
        .only("pk", "member_id", "title", "due_date")
    )


def contract_members(*, actor: Actor) -> QuerySet[Membership]:
    """The members whose contract the actor may open (for pickers)."""
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id, is_active=True)
        .filter(visible_members_q(actor=actor))
        .select_related("user", "profile__team")
        .order_by("user__full_name", "pk")
    )

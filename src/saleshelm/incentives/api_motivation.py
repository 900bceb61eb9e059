"""API of motivation beyond pay (SPEC §7, §9): kudos, badges and awards, contests with live
standings, commitments of the psychological contract, pulse surveys, and the in-app notices.

Recognition is readable by every member of the organisation; commitments follow the team
tree; pulse results are aggregates of at least five responses and never say who answered
what (no operation returns a response or a list of respondents).
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal, cast

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS
from saleshelm.core.errors import NotFound
from saleshelm.direction.selectors.strategy import access_value
from saleshelm.incentives.models.recognition import ContestStatus
from saleshelm.incentives.selectors import contract as contract_sel
from saleshelm.incentives.selectors import pulse as pulse_sel
from saleshelm.incentives.selectors import recognition as rec_sel
from saleshelm.incentives.services import contract as contract_svc
from saleshelm.incentives.services import pulse as pulse_svc
from saleshelm.incentives.services import recognition as rec_svc
from saleshelm.people.models import Team
from saleshelm.people.selectors import access_member, access_team
from saleshelm.performance.metrics import get_metric

router = Router(tags=["motivation"])

Text = Field(..., min_length=1, max_length=1000)
ShortList: Any = Field(default_factory=list, max_length=200)
Feed = Literal["org", "team", "mine"]
SideIn = Literal["member", "organisation"]
KindIn = Literal[
    "effort",
    "behaviour",
    "result",
    "training",
    "leads",
    "territory",
    "tools",
    "support",
    "payout_timing",
    "recognition",
]
StatusIn = Literal["open", "kept", "missed", "renegotiated"]
PeriodKey = Field(..., min_length=4, max_length=16)


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class MemberRef(Schema):
    id: int
    name: str
    email: str

    @staticmethod
    def resolve_name(m) -> str:
        return m.user.get_full_name()

    @staticmethod
    def resolve_email(m) -> str:
        return m.user.email


class ValueRef(Schema):
    id: int
    name: str


# --- kudos --------------------------------------------------------------------------------


class KudosOut(Schema):
    id: int
    giver: MemberRef
    receiver: MemberRef
    value: ValueRef
    message: str
    created_at: dt.datetime


class KudosFilters(Schema):
    feed: Feed = "org"
    value_id: int | None = None
    member_id: int | None = None
    since: dt.date | None = None


class KudosIn(Schema):
    receiver_id: int
    value_id: int
    message: str = Text


class ValueCountOut(Schema):
    id: int
    name: str
    count: int


class CountFilters(Schema):
    feed: Feed = "org"
    since: dt.date | None = None


@router.get("/kudos", response=list[KudosOut])
@paginate(LimitOffsetPagination)
def list_kudos(request, filters: Query[KudosFilters]):
    """The kudos feed: the whole organisation (``org``), my team, or mine (given or received)."""
    return rec_sel.kudos_list(
        actor=request.auth,
        feed=filters.feed,
        value_id=filters.value_id,
        member_id=filters.member_id,
        since=filters.since,
    )


@router.get("/kudos/by-value", response=list[ValueCountOut])
def kudos_by_value(request, filters: Query[CountFilters]):
    """How often each company value was recognised, zeros included."""
    return [
        {"id": v.pk, "name": v.name, "count": v.kudos_count}  # type: ignore[attr-defined]  # annotated
        for v in rec_sel.kudos_counts_by_value(
            actor=request.auth, feed=filters.feed, since=filters.since
        )
    ]


@router.post("/kudos", response={201: KudosOut, **ERRORS})
def give_kudos(request, payload: KudosIn):
    actor = request.auth
    kudos = rec_svc.kudos_give(
        actor=actor,
        receiver=access_member(actor=actor, id=payload.receiver_id),
        value=access_value(actor=actor, id=payload.value_id),
        message=payload.message,
    )
    return Status(201, rec_sel.access_kudos(actor=actor, id=kudos.pk))


@router.get("/kudos/{id}", response={200: KudosOut, **ERRORS})
def get_kudos(request, id: int):
    return rec_sel.access_kudos(actor=request.auth, id=id)


@router.delete("/kudos/{id}", response={204: None, **ERRORS})
def withdraw_kudos(request, id: int):
    actor = request.auth
    rec_svc.kudos_withdraw(actor=actor, kudos=rec_sel.access_kudos(actor=actor, id=id))
    return Status(204, None)


# --- notices ------------------------------------------------------------------------------


class NoticeOut(Schema):
    id: int
    kind: str
    text: str
    read: bool
    kudos_id: int | None
    award_id: int | None
    contest_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_text(n) -> str:
        return rec_sel.notice_text(n)

    @staticmethod
    def resolve_read(n) -> bool:
        return n.read_at is not None

    @staticmethod
    def resolve_contest_id(n) -> int | None:
        return n.result.contest_id if n.result_id else None


class NoticeFilters(Schema):
    unread: bool = False


class NoticesReadIn(Schema):
    ids: list[int] | None = Field(None, max_length=500)


class MarkedOut(Schema):
    marked: int


@router.get("/motivation-notices", response=list[NoticeOut])
@paginate(LimitOffsetPagination)
def list_notices(request, filters: Query[NoticeFilters]):
    """Your own notices: kudos received, badges awarded, contests won."""
    return rec_sel.notice_list(actor=request.auth, unread_only=filters.unread)


@router.post("/motivation-notices/read", response={200: MarkedOut, **ERRORS})
def read_notices(request, payload: NoticesReadIn):
    return {"marked": rec_svc.notices_mark_read(actor=request.auth, ids=payload.ids)}


# --- badges -------------------------------------------------------------------------------


SymbolIn = Literal[
    "star", "trophy", "rocket", "handshake", "target", "flame", "medal", "heart", "phone", "sparkle"
]


class BadgeOut(Schema):
    id: int
    name: str
    description: str
    symbol: str
    criteria: str
    metric: str | None
    threshold: str | None
    period_kind: str | None
    is_active: bool
    award_count: int

    @staticmethod
    def resolve_metric(b) -> str | None:
        return b.metric or None

    @staticmethod
    def resolve_threshold(b) -> str | None:
        return _dec(b.threshold)

    @staticmethod
    def resolve_period_kind(b) -> str | None:
        return b.period_kind or None

    @staticmethod
    def resolve_award_count(b) -> int:
        return getattr(b, "award_count", 0)


class BadgeIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    description: str = Field("", max_length=1000)
    symbol: SymbolIn = "star"
    criteria: Literal["manual", "metric"]
    metric: str | None = Field(None, max_length=40)
    threshold: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=4)
    period_kind: Literal["month", "quarter", "year"] | None = None


class BadgePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    description: str | None = Field(None, max_length=1000)
    symbol: SymbolIn | None = None
    criteria: Literal["manual", "metric"] | None = None
    metric: str | None = Field(None, max_length=40)
    threshold: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=4)
    period_kind: Literal["month", "quarter", "year"] | None = None
    is_active: bool | None = None


class BadgeFilters(Schema):
    active: bool | None = None


class AwardIn(Schema):
    member_id: int
    reason: str = Text


class AwardOut(Schema):
    id: int
    badge: ValueRef
    member: MemberRef
    awarded_by: MemberRef | None
    reason: str
    period: str | None
    figure: str | None
    created_at: dt.datetime

    @staticmethod
    def resolve_period(a) -> str | None:
        return a.period or None

    @staticmethod
    def resolve_figure(a) -> str | None:
        return _dec(a.figure)


class AwardFilters(Schema):
    member_id: int | None = None
    badge_id: int | None = None


@router.get("/badges", response=list[BadgeOut])
@paginate(LimitOffsetPagination)
def list_badges(request, filters: Query[BadgeFilters]):
    qs = rec_sel.badge_list(actor=request.auth)
    if filters.active is not None:
        qs = qs.filter(is_active=filters.active)
    return qs


@router.post("/badges", response={201: BadgeOut, **ERRORS})
def create_badge(request, payload: BadgeIn):
    actor = request.auth
    badge = rec_svc.badge_create(actor=actor, **payload.dict())
    return Status(201, rec_sel.access_badge(actor=actor, id=badge.pk))


@router.get("/badges/{id}", response={200: BadgeOut, **ERRORS})
def get_badge(request, id: int):
    return rec_sel.access_badge(actor=request.auth, id=id)


@router.patch("/badges/{id}", response={200: BadgeOut, **ERRORS})
def update_badge(request, id: int, payload: BadgePatch):
    actor = request.auth
    badge = rec_sel.access_badge(actor=actor, id=id)
    changes = {name: getattr(payload, name) for name in payload.model_fields_set}
    rec_svc.badge_update(actor=actor, badge=badge, **changes)
    return rec_sel.access_badge(actor=actor, id=id)


@router.post("/badges/{id}/awards", response={201: AwardOut, **ERRORS})
def award_badge(request, id: int, payload: AwardIn):
    """Give a manual badge, with the reason (a manager: to the members of their team)."""
    actor = request.auth
    badge = rec_sel.access_badge(actor=actor, id=id)
    award = rec_svc.badge_award(
        actor=actor,
        badge=badge,
        member=access_member(actor=actor, id=payload.member_id),
        reason=payload.reason,
    )
    return Status(201, rec_sel.access_award(actor=actor, id=award.pk))


@router.get("/badge-awards", response=list[AwardOut])
@paginate(LimitOffsetPagination)
def list_awards(request, filters: Query[AwardFilters]):
    return rec_sel.award_list(
        actor=request.auth, member_id=filters.member_id, badge_id=filters.badge_id
    )


@router.delete("/badge-awards/{id}", response={204: None, **ERRORS})
def revoke_award(request, id: int):
    actor = request.auth
    rec_svc.award_revoke(actor=actor, award=rec_sel.access_award(actor=actor, id=id))
    return Status(204, None)


# --- contests -----------------------------------------------------------------------------


class PrizeIO(Schema):
    rank: int = Field(..., ge=1, le=100)
    description: str = Field(..., min_length=1, max_length=200)
    amount: Decimal | None = Field(None, ge=0, max_digits=20, decimal_places=4)


class PrizeOut(Schema):
    rank: int
    description: str
    amount: str | None

    @staticmethod
    def resolve_amount(p) -> str | None:
        return _dec(p.amount)


class ContestOut(Schema):
    id: int
    name: str
    description: str
    metric: str
    starts_on: dt.date
    ends_on: dt.date
    participant_kind: str
    team_id: int | None
    currency: str
    status: str
    phase: str
    participant_count: int
    prizes: list[PrizeOut]

    @staticmethod
    def resolve_phase(c, context) -> str:
        actor = context["request"].auth
        return rec_sel.contest_phase(c, rec_sel.org_today(rec_sel.organisation_of(actor)))

    @staticmethod
    def resolve_prizes(c) -> list:
        return list(c.prizes.all())

    @staticmethod
    def resolve_participant_count(c) -> int:
        return getattr(c, "participant_count", 0)


class ContestFilters(Schema):
    status: Literal["active", "finished", "cancelled"] | None = None


class ContestIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    metric: str = Field(..., min_length=1, max_length=40)
    starts_on: dt.date
    ends_on: dt.date
    participant_kind: Literal["member", "team"]
    member_ids: list[int] = ShortList
    team_ids: list[int] = ShortList
    prizes: list[PrizeIO] = Field(default_factory=list, max_length=10)
    team_id: int | None = None


class ContestPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=2000)
    metric: str | None = Field(None, min_length=1, max_length=40)
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    member_ids: list[int] | None = Field(None, max_length=200)
    team_ids: list[int] | None = Field(None, max_length=200)
    prizes: list[PrizeIO] | None = Field(None, max_length=10)


class CancelIn(Schema):
    reason: str = Field("", max_length=1000)


class StandingOut(Schema):
    rank: int | None
    kind: str
    id: int
    name: str
    figure: str | None
    prize: PrizeOut | None


class StandingsOut(Schema):
    contest_id: int
    metric: str
    unit: str
    phase: str
    final: bool
    items: list[StandingOut]


def _members(actor, ids: list[int]) -> list:
    return [access_member(actor=actor, id=i) for i in dict.fromkeys(ids)]


def _teams(actor, ids: list[int]) -> list:
    return [access_team(actor=actor, id=i) for i in dict.fromkeys(ids)]


@router.get("/contests", response=list[ContestOut])
@paginate(LimitOffsetPagination)
def list_contests(request, filters: Query[ContestFilters]):
    return rec_sel.contest_list(actor=request.auth, status=filters.status)


@router.post("/contests", response={201: ContestOut, **ERRORS})
def create_contest(request, payload: ContestIn):
    actor = request.auth
    contest = rec_svc.contest_create(
        actor=actor,
        name=payload.name,
        description=payload.description,
        metric=payload.metric,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        participant_kind=payload.participant_kind,
        members=_members(actor, payload.member_ids),
        teams=_teams(actor, payload.team_ids),
        prizes=[p.dict() for p in payload.prizes],
        team=None if payload.team_id is None else access_team(actor=actor, id=payload.team_id),
    )
    return Status(201, rec_sel.access_contest(actor=actor, id=contest.pk))


@router.get("/contests/{id}", response={200: ContestOut, **ERRORS})
def get_contest(request, id: int):
    return rec_sel.access_contest(actor=request.auth, id=id)


@router.patch("/contests/{id}", response={200: ContestOut, **ERRORS})
def update_contest(request, id: int, payload: ContestPatch):
    actor = request.auth
    contest = rec_sel.access_contest(actor=actor, id=id)
    fields = payload.model_fields_set
    rec_svc.contest_update(
        actor=actor,
        contest=contest,
        name=payload.name,
        description=payload.description,
        metric=payload.metric,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        members=(
            _members(actor, payload.member_ids or [])
            if "member_ids" in fields and payload.member_ids is not None
            else None
        ),
        teams=(
            _teams(actor, payload.team_ids or [])
            if "team_ids" in fields and payload.team_ids is not None
            else None
        ),
        prizes=(
            [p.dict() for p in payload.prizes]
            if "prizes" in fields and payload.prizes is not None
            else None
        ),
    )
    return rec_sel.access_contest(actor=actor, id=id)


@router.post("/contests/{id}/cancel", response={200: ContestOut, **ERRORS})
def cancel_contest(request, id: int, payload: CancelIn):
    actor = request.auth
    contest = rec_sel.access_contest(actor=actor, id=id)
    rec_svc.contest_cancel(actor=actor, contest=contest, reason=payload.reason)
    return rec_sel.access_contest(actor=actor, id=id)


def standings_json(actor, contest) -> dict[str, Any]:
    metric = get_metric(contest.metric)
    phase = rec_sel.contest_phase(contest, rec_sel.org_today(rec_sel.organisation_of(actor)))
    if contest.status == ContestStatus.FINISHED:
        items = [
            {
                "rank": r.rank,
                "kind": "member" if r.member_id else "team",
                "id": r.member_id or r.team_id,
                "name": r.member.user.get_full_name()
                if r.member is not None
                else cast(Team, r.team).name,
                "figure": _dec(rec_sel.quantize(r.figure, metric.places)),
                "prize": r.prize,
            }
            for r in rec_sel.contest_results(actor=actor, contest=contest)
        ]
        final = True
    else:
        items = [
            {
                "rank": s.rank,
                "kind": s.kind,
                "id": s.id,
                "name": s.name,
                "figure": _dec(s.shown),
                "prize": s.prize,
            }
            for s in rec_sel.contest_standings(actor=actor, contest=contest)
        ]
        final = False
    return {
        "contest_id": contest.pk,
        "metric": metric.key,
        "unit": metric.unit,
        "phase": phase,
        "final": final,
        "items": items,
    }


@router.get("/contests/{id}/standings", response={200: StandingsOut, **ERRORS})
def contest_standings(request, id: int):
    """Live standings while the contest runs (figures from the performance metrics, ties
    share a rank and its prize); the frozen results once it is finished."""
    actor = request.auth
    return standings_json(actor, rec_sel.access_contest(actor=actor, id=id))


# --- commitments --------------------------------------------------------------------------


class CommitmentOut(Schema):
    id: int
    member: MemberRef
    period: str
    side: str
    kind: str
    title: str
    description: str
    owner: MemberRef
    due_date: dt.date
    status: str
    status_note: str
    status_changed_at: dt.datetime | None
    replaces_id: int | None
    replaced_by_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_replaced_by_id(c) -> int | None:
        # A missing reverse one-to-one raises an AttributeError subclass.
        replaced_by = getattr(c, "replaced_by", None)
        return replaced_by.pk if replaced_by is not None else None


class CommitmentFilters(Schema):
    member_id: int | None = None
    period: str | None = Field(None, max_length=16)
    side: SideIn | None = None
    status: StatusIn | None = None


class CommitmentIn(Schema):
    member_id: int
    period: str = PeriodKey
    side: SideIn
    kind: KindIn
    title: str = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=2000)
    owner_id: int | None = None
    due_date: dt.date


class CommitmentPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=2000)
    owner_id: int | None = None
    due_date: dt.date | None = None


class StatusChangeIn(Schema):
    status: Literal["open", "kept", "missed"]
    note: str = Field("", max_length=1000)


class RenegotiateIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=2000)
    due_date: dt.date
    period: str | None = Field(None, min_length=4, max_length=16)
    owner_id: int | None = None
    note: str = Text


class SideRecordOut(Schema):
    kept: int
    missed: int
    open: int
    renegotiated: int
    kept_rate: str | None


class PeriodRecordOut(Schema):
    period: str
    member: SideRecordOut
    organisation: SideRecordOut


class RecordOut(Schema):
    member: MemberRef
    periods: list[PeriodRecordOut]
    member_side: SideRecordOut
    organisation_side: SideRecordOut


class TeamRecordOut(Schema):
    member: MemberRef
    member_side: SideRecordOut
    organisation_side: SideRecordOut
    overdue: int


class RecordFilters(Schema):
    period: str | None = Field(None, max_length=16)


def _side(record) -> dict[str, Any]:
    return {
        "kept": record.kept,
        "missed": record.missed,
        "open": record.open,
        "renegotiated": record.renegotiated,
        "kept_rate": _dec(record.rate),
    }


def _contract_member(actor, id: int):
    """A member whose contract the actor may read (else "not found", like another org's)."""
    member = contract_sel.contract_members(actor=actor).filter(pk=id).first()
    if member is None:
        raise NotFound("Member")
    return member


def _commitment(actor, id: int):
    return contract_sel.access_commitment(actor=actor, id=id)


@router.get("/commitments", response=list[CommitmentOut])
@paginate(LimitOffsetPagination)
def list_commitments(request, filters: Query[CommitmentFilters]):
    """Commitments of both sides of the contracts you may see: yours, your team's (a
    manager), everyone's (organisation-wide roles), and those you own."""
    return contract_sel.commitment_list(
        actor=request.auth,
        member_id=filters.member_id,
        period=filters.period,
        side=filters.side,
        status=filters.status,
    )


@router.post("/commitments", response={201: CommitmentOut, **ERRORS})
def create_commitment(request, payload: CommitmentIn):
    actor = request.auth
    member = _contract_member(actor, payload.member_id)
    owner = None if payload.owner_id is None else access_member(actor=actor, id=payload.owner_id)
    commitment = contract_svc.commitment_create(
        actor=actor,
        member=member,
        period=payload.period,
        side=payload.side,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        owner=owner,
        due_date=payload.due_date,
    )
    return Status(201, _commitment(actor, commitment.pk))


@router.get("/commitments/{id}", response={200: CommitmentOut, **ERRORS})
def get_commitment(request, id: int):
    return _commitment(request.auth, id)


@router.patch("/commitments/{id}", response={200: CommitmentOut, **ERRORS})
def update_commitment(request, id: int, payload: CommitmentPatch):
    actor = request.auth
    commitment = _commitment(actor, id)
    owner = None if payload.owner_id is None else access_member(actor=actor, id=payload.owner_id)
    contract_svc.commitment_update(
        actor=actor,
        commitment=commitment,
        title=payload.title,
        description=payload.description,
        due_date=payload.due_date,
        owner=owner,
    )
    return _commitment(actor, id)


@router.post("/commitments/{id}/status", response={200: CommitmentOut, **ERRORS})
def set_commitment_status(request, id: int, payload: StatusChangeIn):
    """Kept or missed (usually decided at a check-in), or open again; audited."""
    actor = request.auth
    contract_svc.commitment_set_status(
        actor=actor, commitment=_commitment(actor, id), status=payload.status, note=payload.note
    )
    return _commitment(actor, id)


@router.post("/commitments/{id}/renegotiate", response={201: CommitmentOut, **ERRORS})
def renegotiate_commitment(request, id: int, payload: RenegotiateIn):
    """New terms: the old commitment becomes ``renegotiated`` and keeps its words; the
    answer is the new commitment, which ``replaces`` it."""
    actor = request.auth
    owner = None if payload.owner_id is None else access_member(actor=actor, id=payload.owner_id)
    new = contract_svc.commitment_renegotiate(
        actor=actor,
        commitment=_commitment(actor, id),
        title=payload.title,
        description=payload.description,
        due_date=payload.due_date,
        period=payload.period,
        owner=owner,
        note=payload.note,
    )
    return Status(201, _commitment(actor, new.pk))


@router.get("/commitment-records", response=list[TeamRecordOut])
@paginate(LimitOffsetPagination)
def list_commitment_records(request, filters: Query[RecordFilters]):
    """Keeping our word, per member you may see: kept / (kept + missed) for each side."""
    actor = request.auth
    today = rec_sel.org_today(rec_sel.organisation_of(actor))
    return [
        {
            "member": w.member,
            "member_side": _side(w.member_side),
            "organisation_side": _side(w.organisation_side),
            "overdue": w.overdue,
        }
        for w in contract_sel.team_keeping_our_word(actor=actor, period=filters.period, today=today)
    ]


@router.get("/commitment-records/{id}", response={200: RecordOut, **ERRORS})
def get_commitment_record(request, id: int):
    """One member's record over time (``id`` is the member), each side per period."""
    actor = request.auth
    member = _contract_member(actor, id)
    record = contract_sel.keeping_our_word(actor=actor, member=member)
    return {
        "member": member,
        "periods": [
            {
                "period": p.period,
                "member": _side(p.member),
                "organisation": _side(p.organisation),
            }
            for p in record.periods
        ],
        "member_side": _side(record.member),
        "organisation_side": _side(record.organisation),
    }


# --- pulse surveys ------------------------------------------------------------------------


class SurveyOut(Schema):
    id: int
    title: str
    opens_on: dt.date
    closes_on: dt.date
    repeat_days: int
    phase: str
    responded: bool

    @staticmethod
    def resolve_phase(s, context) -> str:
        actor = context["request"].auth
        return pulse_sel.survey_phase(s, rec_sel.org_today(rec_sel.organisation_of(actor)))

    @staticmethod
    def resolve_responded(s) -> bool:
        return bool(getattr(s, "responded", False))


class SurveyIn(Schema):
    title: str = Field(..., min_length=1, max_length=120)
    opens_on: dt.date
    closes_on: dt.date
    repeat_days: int = Field(0, ge=0, le=365)


class ResponseIn(Schema):
    motivation: int = Field(..., ge=1, le=5)
    support: int = Field(..., ge=1, le=5)
    clarity: int = Field(..., ge=1, le=5)
    comment: str = Field("", max_length=1000)


class ScoresOut(Schema):
    responses: int
    motivation: str | None
    support: str | None
    clarity: str | None
    distribution: dict[str, dict[str, int]]


class GroupOut(Schema):
    name: str
    teams: list[str]
    scores: ScoresOut
    comments: list[str]


class ResultsOut(Schema):
    survey_id: int
    available: bool
    reason: str
    min_group: int
    groups: list[GroupOut]
    overall: ScoresOut | None
    hidden_responses: int


def _scores(s) -> dict[str, Any]:
    return {
        "responses": s.n,
        **{q: _dec(v) for q, v in s.averages.items()},
        "distribution": {q: {str(k): v for k, v in c.items()} for q, c in s.counts.items()},
    }


@router.get("/pulse-surveys", response=list[SurveyOut])
@paginate(LimitOffsetPagination)
def list_surveys(request):
    return pulse_sel.pulse_survey_list(actor=request.auth)


@router.post("/pulse-surveys", response={201: SurveyOut, **ERRORS})
def create_survey(request, payload: SurveyIn):
    actor = request.auth
    survey = pulse_svc.pulse_survey_create(actor=actor, **payload.dict())
    return Status(201, pulse_sel.access_pulse_survey(actor=actor, id=survey.pk))


@router.get("/pulse-surveys/{id}", response={200: SurveyOut, **ERRORS})
def get_survey(request, id: int):
    return pulse_sel.access_pulse_survey(actor=request.auth, id=id)


@router.post("/pulse-surveys/{id}/responses", response={204: None, **ERRORS})
def answer_survey(request, id: int, payload: ResponseIn):
    """Answer once, anonymously. Nothing comes back: no id, no echo of the answer."""
    actor = request.auth
    pulse_svc.pulse_respond(
        actor=actor, survey=pulse_sel.access_pulse_survey(actor=actor, id=id), **payload.dict()
    )
    return Status(204, None)


@router.get("/pulse-surveys/{id}/results", response={200: ResultsOut, **ERRORS})
def survey_results(request, id: int):
    """Averages and distributions per group of at least five responses (``min_group``),
    once the survey closed; never per person, never who answered."""
    actor = request.auth
    survey = pulse_sel.access_pulse_survey(actor=actor, id=id)
    today = rec_sel.org_today(rec_sel.organisation_of(actor))
    results = pulse_sel.pulse_results(actor=actor, survey=survey, today=today)
    return {
        "survey_id": survey.pk,
        "available": results.available,
        "reason": results.reason,
        "min_group": results.min_group,
        "groups": [
            {
                "name": g.name or "Other teams",
                "teams": [t for t in g.teams if t != "*"],
                "scores": _scores(g.scores),
                "comments": g.comments,
            }
            for g in results.groups
        ],
        "overall": None if results.overall is None else _scores(results.overall),
        "hidden_responses": results.hidden,
    }


@router.post("/pulse-surveys/{id}/close", response={200: SurveyOut, **ERRORS})
def close_survey(request, id: int):
    actor = request.auth
    pulse_svc.pulse_survey_close(
        actor=actor, survey=pulse_sel.access_pulse_survey(actor=actor, id=id)
    )
    return pulse_sel.access_pulse_survey(actor=actor, id=id)

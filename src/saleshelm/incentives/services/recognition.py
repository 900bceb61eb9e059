"""Writes of recognition and competition (SPEC §7): kudos, badges and their awards, contests.

Every write checks who may make it, validates, and leaves an audit row. People hear about
what concerns them through an in-app notice and an email (sent by a background task once
the transaction has committed, so a rolled-back write never mails anyone).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from saleshelm.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from saleshelm.core.money import parse_decimal, quantize_money
from saleshelm.core.periods import Period, period_of
from saleshelm.direction.models import CompanyValue
from saleshelm.incentives.models.plans import PeriodKind
from saleshelm.incentives.models.recognition import (
    Badge,
    BadgeAward,
    BadgeCriteria,
    BadgeSymbol,
    Contest,
    ContestParticipant,
    ContestPrize,
    ContestResult,
    ContestStatus,
    Kudos,
    Notice,
    NoticeKind,
    ParticipantKind,
)
from saleshelm.incentives.selectors import recognition as sel
from saleshelm.people.models import Team
from saleshelm.people.selectors import managed_team_paths
from saleshelm.performance.metrics import Metric, get_metric
from saleshelm.performance.selectors.board import SELLING_ROLES, Board
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Membership, Organisation
from saleshelm.tenancy.roles import Role
from saleshelm.tenancy.services import audit_record

MESSAGE_MAX = 1000
MAX_CONTEST_DAYS = 366
MAX_PRIZES = 10


# --- helpers ------------------------------------------------------------------------------


def _text(value: str | None, *, field: str, required: bool, max_length: int) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ApplicationError(f"{field}: write something", code="required", field=field)
    if len(text) > max_length:
        raise ApplicationError(
            f"{field}: at most {max_length} characters", code="too_long", field=field
        )
    return text


def _same_org_member(actor: Actor, member: Membership | None, field: str) -> Membership:
    if member is None or member.organisation_id != actor.organisation_id:
        raise ApplicationError(f"{field} not found", code="not_found", field=field)
    if not member.is_active:
        raise ApplicationError(f"{field}: this member has left", code="inactive", field=field)
    return member


def notify(*, recipient: Membership, kind: str, email: bool = True, **target: Any) -> Notice:
    """An in-app notice, and an email once the surrounding transaction has committed
    (``email=False``: bulk loads such as the demo seed tell people in the app only)."""
    notice = Notice.objects.create(
        organisation_id=recipient.organisation_id, recipient=recipient, kind=kind, **target
    )
    if not email:
        return notice

    def send() -> None:
        from saleshelm.incentives.tasks import notice_email_send

        notice_email_send.enqueue(notice.pk)

    transaction.on_commit(send)
    return notice


@transaction.atomic
def notices_mark_read(*, actor: Actor, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notices read (all of them, or those ``ids``)."""
    if not sel.is_person(actor):
        return 0
    qs = Notice.objects.filter(
        organisation_id=actor.organisation_id, recipient_id=actor.pk, read_at__isnull=True
    )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


# --- kudos --------------------------------------------------------------------------------


def _kudos_snapshot(k: Kudos) -> dict[str, Any]:
    return {
        "giver": k.giver_id,
        "receiver": k.receiver_id,
        "value": k.value_id,
        "message": k.message,
    }


@transaction.atomic
def kudos_give(*, actor: Actor, receiver: Membership, value: CompanyValue, message: str) -> Kudos:
    """Anyone in the organisation thanks anyone else in it, for living one of its values."""
    if not sel.is_person(actor):
        raise ApplicationError("Kudos come from a person, not from the system.", code="invalid")
    _same_org_member(actor, receiver, "receiver")
    if receiver.pk == actor.pk:
        raise ApplicationError(
            "receiver: kudos are for someone else", code="self_kudos", field="receiver"
        )
    if value is None or value.organisation_id != actor.organisation_id:
        raise ApplicationError("value not found", code="not_found", field="value")
    text = _text(message, field="message", required=True, max_length=MESSAGE_MAX)
    kudos = Kudos.objects.create(
        organisation_id=actor.organisation_id,
        giver=actor,
        receiver=receiver,
        value=value,
        message=text,
    )
    audit_record(actor=actor, action="kudos.give", obj=kudos, after=_kudos_snapshot(kudos))
    notify(recipient=receiver, kind=NoticeKind.KUDOS, kudos=kudos)
    return kudos


@transaction.atomic
def kudos_withdraw(*, actor: Actor, kudos: Kudos) -> None:
    """The giver takes their kudos back; an admin removes one that does not belong."""
    if kudos.organisation_id != actor.organisation_id:
        raise NotFound("Kudos")
    if not sel.can_withdraw_kudos(actor=actor, kudos=kudos):
        raise PermissionDenied("Only the giver or an admin can withdraw kudos.")
    before = _kudos_snapshot(kudos)
    pk = kudos.pk
    kudos.delete()
    audit_record(
        actor=actor, action="kudos.withdraw", object_type="kudos", object_id=pk, before=before
    )


# --- badges -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadgeRule:
    criteria: str
    metric: str
    threshold: Decimal | None
    period_kind: str


def _badge_rule(
    criteria: str, metric: str | None, threshold: Any, period_kind: str | None
) -> BadgeRule:
    if criteria not in BadgeCriteria.values:
        raise ApplicationError(
            f"criteria must be one of {', '.join(BadgeCriteria.values)}",
            code="invalid",
            field="criteria",
        )
    if criteria == BadgeCriteria.MANUAL:
        return BadgeRule(criteria, "", None, "")
    m = get_metric(metric)
    if threshold in (None, ""):
        raise ApplicationError(
            "threshold: a metric badge needs the figure to reach",
            code="required",
            field="threshold",
        )
    value = parse_decimal(threshold, field="threshold")
    if value <= 0 and m.higher_is_better:
        raise ApplicationError(
            "threshold: must be more than zero", code="invalid", field="threshold"
        )
    if value < 0:
        raise ApplicationError("threshold: must not be negative", code="invalid", field="threshold")
    if period_kind not in PeriodKind.values:
        raise ApplicationError(
            f"period_kind must be one of {', '.join(PeriodKind.values)}",
            code="invalid",
            field="period_kind",
        )
    return BadgeRule(criteria, m.key, value, period_kind)


def _badge_snapshot(b: Badge) -> dict[str, Any]:
    return {
        "name": b.name,
        "description": b.description,
        "symbol": b.symbol,
        "criteria": b.criteria,
        "metric": b.metric,
        "threshold": None if b.threshold is None else str(b.threshold),
        "period_kind": b.period_kind,
        "is_active": b.is_active,
    }


def _badge_fields(
    actor: Actor,
    *,
    name: str,
    description: str,
    symbol: str,
    criteria: str,
    metric: str | None,
    threshold: Any,
    period_kind: str | None,
) -> dict[str, Any]:
    rule = _badge_rule(criteria, metric, threshold, period_kind)
    if symbol not in BadgeSymbol.values:
        raise ApplicationError("symbol: not one of ours", code="invalid", field="symbol")
    return {
        "name": _text(name, field="name", required=True, max_length=80),
        "description": _text(description, field="description", required=False, max_length=1000),
        "symbol": symbol,
        "criteria": rule.criteria,
        "metric": rule.metric,
        "threshold": rule.threshold,
        "period_kind": rule.period_kind,
    }


def _save_badge(badge: Badge) -> None:
    try:
        with transaction.atomic():
            badge.save()
    except IntegrityError:
        raise Conflict("A badge with this name exists already.", code="exists") from None


@transaction.atomic
def badge_create(
    *,
    actor: Actor,
    name: str,
    criteria: str,
    description: str = "",
    symbol: str = "star",
    metric: str | None = None,
    threshold: Any = None,
    period_kind: str | None = None,
) -> Badge:
    sel.require_badge_definer(actor)
    fields = _badge_fields(
        actor,
        name=name,
        description=description,
        symbol=symbol,
        criteria=criteria,
        metric=metric,
        threshold=threshold,
        period_kind=period_kind,
    )
    badge = Badge(
        organisation_id=actor.organisation_id,
        created_by=actor if sel.is_person(actor) else None,
        **fields,
    )
    _save_badge(badge)
    audit_record(actor=actor, action="badge.create", obj=badge, after=_badge_snapshot(badge))
    return badge


@transaction.atomic
def badge_update(*, actor: Actor, badge: Badge, **changes: Any) -> Badge:
    """Change a badge; awards already given stay (they were earned under the old rule)."""
    if badge.organisation_id != actor.organisation_id:
        raise NotFound("Badge")
    sel.require_badge_definer(actor)
    before = _badge_snapshot(badge)
    merged: dict[str, Any] = {
        "name": badge.name,
        "description": badge.description,
        "symbol": badge.symbol,
        "criteria": badge.criteria,
        "metric": badge.metric,
        "threshold": badge.threshold,
        "period_kind": badge.period_kind,
    }
    unknown = set(changes) - set(merged) - {"is_active"}
    if unknown:
        raise ApplicationError(f"cannot change {', '.join(sorted(unknown))}", code="invalid")
    is_active = changes.pop("is_active", badge.is_active)
    merged.update({k: v for k, v in changes.items() if v is not None or k == "threshold"})
    for key, value in _badge_fields(actor, **merged).items():
        setattr(badge, key, value)
    badge.is_active = bool(is_active)
    _save_badge(badge)
    audit_record(
        actor=actor, action="badge.update", obj=badge, before=before, after=_badge_snapshot(badge)
    )
    return badge


@transaction.atomic
def badge_award(*, actor: Actor, badge: Badge, member: Membership, reason: str) -> BadgeAward:
    """A leader gives a manual badge, saying why: admins and directors to anyone, a manager
    to the members of their team subtree. Metric badges are earned, never given."""
    if badge.organisation_id != actor.organisation_id:
        raise NotFound("Badge")
    if not sel.can_award_badges(actor=actor):
        raise PermissionDenied("Only admins, directors and managers award badges.")
    _same_org_member(actor, member, "member")
    if badge.criteria != BadgeCriteria.MANUAL:
        raise ApplicationError(
            "This badge is earned on its metric; it cannot be given by hand.",
            code="metric_badge",
            field="badge",
        )
    if not badge.is_active:
        raise ApplicationError("This badge is retired.", code="inactive", field="badge")
    if not sel.can_award_badge_to(actor=actor, member=member):
        if member.pk == actor.pk:
            raise ApplicationError(
                "member: a badge is given to someone else", code="self_award", field="member"
            )
        raise PermissionDenied("A manager awards badges to the members of their own team.")
    text = _text(reason, field="reason", required=True, max_length=1000)
    award = BadgeAward.objects.create(
        organisation_id=actor.organisation_id,
        badge=badge,
        member=member,
        awarded_by=actor if sel.is_person(actor) else None,
        reason=text,
    )
    audit_record(
        actor=actor,
        action="badge.award",
        obj=award,
        after={"badge": badge.pk, "member": member.pk, "reason": text},
    )
    notify(recipient=member, kind=NoticeKind.BADGE, award=award)
    return award


@transaction.atomic
def award_revoke(*, actor: Actor, award: BadgeAward, reason: str = "") -> None:
    if award.organisation_id != actor.organisation_id:
        raise NotFound("Badge award")
    if not sel.can_revoke_award(actor=actor, award=award):
        raise PermissionDenied("Only admins, directors or the manager who gave it revoke it.")
    before = {
        "badge": award.badge_id,
        "member": award.member_id,
        "reason": award.reason,
        "period": award.period,
    }
    pk = award.pk
    award.delete()
    audit_record(
        actor=actor,
        action="badge.revoke",
        object_type="badgeaward",
        object_id=pk,
        before=before,
        reason=(reason or "").strip()[:1000],
    )


def _periods_to_evaluate(kind: str, today: dt.date, fiscal_start_month: int) -> list[Period]:
    """The period containing today (to date) and, on its first day, the one that just ended
    (figures booked late on its last day are counted)."""
    current = period_of(today, kind, fiscal_start_month=fiscal_start_month)
    yesterday = period_of(today - dt.timedelta(days=1), kind, fiscal_start_month=fiscal_start_month)
    return [current] if yesterday == current else [yesterday, current]


def _reached(metric: Metric, figure: Decimal | None, threshold: Decimal) -> bool:
    if figure is None:
        return False
    return figure >= threshold if metric.higher_is_better else figure <= threshold


@transaction.atomic
def badges_evaluate(
    *, organisation: Organisation, today: dt.date | None = None, email: bool = True
) -> int:
    """Award every metric badge reached this period (and, on a period's first day, the
    last). Idempotent: one award per badge, member and period, whatever the number of runs
    (a unique constraint, and the badges locked while evaluated). Returns the new awards.

    Set-based: one aggregate query per (metric, period) for the whole organisation, one read
    of existing awards per badge and period, bulk inserts."""
    today = today or sel.org_today(organisation)
    actor = SystemActor(organisation, label="badges")
    badges = list(
        Badge.objects.select_for_update()
        .filter(organisation=organisation, criteria=BadgeCriteria.METRIC, is_active=True)
        .order_by("pk")
    )
    if not badges:
        return 0
    eligible = set(
        Membership.objects.filter(
            organisation=organisation, is_active=True, role__in=list(SELLING_ROLES)
        ).values_list("pk", flat=True)
    )
    board = Board(actor=actor, today=today)
    created = 0
    for badge in badges:
        try:
            metric = get_metric(badge.metric)
        except ApplicationError:
            continue  # a metric that left the catalogue: nothing to measure
        assert badge.threshold is not None
        for period in _periods_to_evaluate(
            badge.period_kind, today, organisation.fiscal_year_start_month
        ):
            actuals = board.actuals(metric, period)
            reached = {
                member_id: metric.value(parts)
                for member_id, parts in actuals.items()
                if member_id in eligible and _reached(metric, metric.value(parts), badge.threshold)
            }
            if not reached:
                continue
            have = set(
                BadgeAward.objects.filter(badge=badge, period=period.key).values_list(
                    "member_id", flat=True
                )
            )
            new = sorted(set(reached) - have)
            if not new:
                continue
            BadgeAward.objects.bulk_create(
                [
                    BadgeAward(
                        organisation=organisation,
                        badge=badge,
                        member_id=member_id,
                        period=period.key,
                        figure=sel.quantize(reached[member_id], 4),
                    )
                    for member_id in new
                ],
                ignore_conflicts=True,
            )
            awards = list(
                BadgeAward.objects.filter(
                    badge=badge, period=period.key, member_id__in=new
                ).select_related("member")
            )
            for award in awards:
                notify(recipient=award.member, kind=NoticeKind.BADGE, award=award, email=email)
            audit_record(
                actor=actor,
                action="badge.evaluate",
                obj=badge,
                after={"period": period.key, "members": new},
            )
            created += len(awards)
    return created


# --- contests -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PrizeIn:
    rank: int
    description: str
    amount: Decimal | None = None


def _whole_months(start: dt.date, end: dt.date) -> bool:
    last = calendar.monthrange(end.year, end.month)[1]
    return start.day == 1 and end.day == last


def _contest_prizes(prizes: Sequence[Any], currency: str) -> list[PrizeIn]:
    out: list[PrizeIn] = []
    seen: set[int] = set()
    if len(prizes) > MAX_PRIZES:
        raise ApplicationError(f"prizes: at most {MAX_PRIZES}", code="invalid", field="prizes")
    for raw in prizes:
        data = raw if isinstance(raw, dict) else vars(raw)
        try:
            raw_rank: Any = data.get("rank")
            rank = int(raw_rank)
        except (TypeError, ValueError):
            raise ApplicationError(
                "prizes: each needs a rank", code="invalid", field="prizes"
            ) from None
        if rank < 1 or rank in seen:
            raise ApplicationError(
                "prizes: ranks start at 1 and appear once each", code="invalid", field="prizes"
            )
        seen.add(rank)
        description = _text(data.get("description"), field="prizes", required=True, max_length=200)
        amount = data.get("amount")
        value = None
        if amount not in (None, ""):
            value = parse_decimal(amount, field="prizes")
            if value < 0:
                raise ApplicationError(
                    "prizes: an amount is not negative", code="invalid", field="prizes"
                )
            value = quantize_money(value, currency)
        out.append(PrizeIn(rank, description, value))
    return sorted(out, key=lambda p: p.rank)


def _scope_team(actor: Actor, team: Team | None) -> Team | None:
    """The team a contest belongs to. A manager's contest belongs to a team they lead."""
    if team is not None and team.organisation_id != actor.organisation_id:
        raise ApplicationError("team not found", code="not_found", field="team")
    if actor.role != Role.MANAGER:
        return team
    paths = managed_team_paths(actor=actor)
    if team is None:
        tops = list(Team.objects.filter(organisation_id=actor.organisation_id, manager_id=actor.pk))
        tops = [t for t in tops if not any(t.path != p and t.path.startswith(p) for p in paths)]
        if len(tops) != 1:
            raise ApplicationError(
                "team: say which of your teams the contest is for", code="required", field="team"
            )
        return tops[0]
    if not any(team.path.startswith(p) for p in paths):
        raise PermissionDenied("A manager runs contests for their own team.")
    return team


def _contest_participants(
    actor: Actor,
    kind: str,
    members: Sequence[Membership],
    teams: Sequence[Team],
    scope: Team | None,
) -> tuple[list[Membership], list[Team]]:
    if kind not in ParticipantKind.values:
        raise ApplicationError(
            "participant_kind must be member or team", code="invalid", field="participant_kind"
        )
    if kind == ParticipantKind.MEMBER:
        chosen = {m.pk: m for m in members}
        for m in chosen.values():
            _same_org_member(actor, m, "members")
        if len(chosen) < 2:
            raise ApplicationError(
                "members: a contest needs at least two participants",
                code="too_few",
                field="members",
            )
        if scope is not None:
            inside = set(
                Membership.objects.filter(
                    pk__in=list(chosen), profile__team__path__startswith=scope.path
                ).values_list("pk", flat=True)
            )
            outside = [m for pk, m in chosen.items() if pk not in inside]
            if outside:
                raise ApplicationError(
                    f"members: {outside[0].name} is not in {scope.name}",
                    code="outside_team",
                    field="members",
                )
        return list(chosen.values()), []
    chosen_teams = {t.pk: t for t in teams}
    for t in chosen_teams.values():
        if t.organisation_id != actor.organisation_id:
            raise ApplicationError("teams not found", code="not_found", field="teams")
        if scope is not None and not t.path.startswith(scope.path):
            raise ApplicationError(
                f"teams: {t.name} is not in {scope.name}", code="outside_team", field="teams"
            )
    if len(chosen_teams) < 2:
        raise ApplicationError(
            "teams: a contest needs at least two participants", code="too_few", field="teams"
        )
    return [], list(chosen_teams.values())


def _contest_snapshot(c: Contest) -> dict[str, Any]:
    return {
        "name": c.name,
        "metric": c.metric,
        "starts_on": c.starts_on.isoformat(),
        "ends_on": c.ends_on.isoformat(),
        "participant_kind": c.participant_kind,
        "team": c.team_id,
        "status": c.status,
        "participants": sorted(
            (p.member_id or p.team_id or 0) for p in ContestParticipant.objects.filter(contest=c)
        ),
        "prizes": [
            {"rank": p.rank, "description": p.description, "amount": str(p.amount or "")}
            for p in ContestPrize.objects.filter(contest=c).order_by("rank")
        ],
    }


FIRST_YEAR, LAST_YEAR = 2000, 2999


def _check_dates(metric: Metric, starts_on: dt.date, ends_on: dt.date) -> None:
    if not (starts_on.year >= FIRST_YEAR and ends_on.year <= LAST_YEAR):
        raise ApplicationError(
            f"starts_on: dates between {FIRST_YEAR} and {LAST_YEAR}",
            code="invalid",
            field="starts_on",
        )
    if ends_on < starts_on:
        raise ApplicationError(
            "ends_on: the last day comes after the first", code="invalid", field="ends_on"
        )
    if (ends_on - starts_on).days + 1 > MAX_CONTEST_DAYS:
        raise ApplicationError(
            f"ends_on: a contest lasts at most {MAX_CONTEST_DAYS} days",
            code="invalid",
            field="ends_on",
        )
    if metric.source == "rollup" and not _whole_months(starts_on, ends_on):
        raise ApplicationError(
            f"{metric.key} is measured per month: a contest on it runs from the first day of "
            "a month to the last day of a month",
            code="whole_months",
            field="starts_on",
        )


def _write_participants(
    contest: Contest, members: Sequence[Membership], teams: Sequence[Team]
) -> None:
    ContestParticipant.objects.filter(contest=contest).delete()
    ContestParticipant.objects.bulk_create(
        [
            ContestParticipant(organisation_id=contest.organisation_id, contest=contest, member=m)
            for m in members
        ]
        + [
            ContestParticipant(organisation_id=contest.organisation_id, contest=contest, team=t)
            for t in teams
        ]
    )


def _write_prizes(contest: Contest, prizes: Sequence[PrizeIn]) -> None:
    ContestPrize.objects.filter(contest=contest).delete()
    ContestPrize.objects.bulk_create(
        [
            ContestPrize(
                organisation_id=contest.organisation_id,
                contest=contest,
                rank=p.rank,
                description=p.description,
                amount=p.amount,
            )
            for p in prizes
        ]
    )


@transaction.atomic
def contest_create(
    *,
    actor: Actor,
    name: str,
    metric: str,
    starts_on: dt.date,
    ends_on: dt.date,
    participant_kind: str,
    members: Sequence[Membership] = (),
    teams: Sequence[Team] = (),
    prizes: Sequence[Any] = (),
    description: str = "",
    team: Team | None = None,
) -> Contest:
    """Directors and admins run contests across the organisation; a manager for their team
    (every participant inside it)."""
    if not sel.can_create_contests(actor=actor):
        raise PermissionDenied("Only admins, directors and managers run contests.")
    m = get_metric(metric)
    _check_dates(m, starts_on, ends_on)
    scope = _scope_team(actor, team)
    chosen_members, chosen_teams = _contest_participants(
        actor, participant_kind, members, teams, scope
    )
    currency = sel.organisation_of(actor).currency
    prize_list = _contest_prizes(prizes, currency)
    contest = Contest.objects.create(
        organisation_id=actor.organisation_id,
        name=_text(name, field="name", required=True, max_length=120),
        description=_text(description, field="description", required=False, max_length=2000),
        metric=m.key,
        starts_on=starts_on,
        ends_on=ends_on,
        participant_kind=participant_kind,
        team=scope,
        currency=currency,
        created_by=actor if sel.is_person(actor) else None,
    )
    _write_participants(contest, chosen_members, chosen_teams)
    _write_prizes(contest, prize_list)
    audit_record(
        actor=actor, action="contest.create", obj=contest, after=_contest_snapshot(contest)
    )
    return contest


def _require_contest_manager(actor: Actor, contest: Contest) -> None:
    if contest.organisation_id != actor.organisation_id:
        raise NotFound("Contest")
    if not sel.can_manage_contest(actor=actor, contest=contest):
        raise PermissionDenied("Only admins, directors and the team's manager change a contest.")
    if contest.status != ContestStatus.ACTIVE:
        raise Conflict("This contest is over; its results stay as they are.", code="closed")


@transaction.atomic
def contest_update(
    *,
    actor: Actor,
    contest: Contest,
    name: str | None = None,
    description: str | None = None,
    metric: str | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    members: Sequence[Membership] | None = None,
    teams: Sequence[Team] | None = None,
    prizes: Sequence[Any] | None = None,
) -> Contest:
    contest = (
        Contest.objects.select_for_update(of=("self",)).select_related("team").get(pk=contest.pk)
    )
    _require_contest_manager(actor, contest)
    before = _contest_snapshot(contest)
    m = get_metric(metric or contest.metric)
    start = starts_on or contest.starts_on
    end = ends_on or contest.ends_on
    _check_dates(m, start, end)
    if members is not None or teams is not None:
        current = ContestParticipant.objects.filter(contest=contest).select_related(
            "member", "team"
        )
        chosen_members, chosen_teams = _contest_participants(
            actor,
            contest.participant_kind,
            members if members is not None else [p.member for p in current if p.member is not None],
            teams if teams is not None else [p.team for p in current if p.team is not None],
            contest.team,
        )
        _write_participants(contest, chosen_members, chosen_teams)
    if prizes is not None:
        _write_prizes(contest, _contest_prizes(prizes, contest.currency))
    if name is not None:
        contest.name = _text(name, field="name", required=True, max_length=120)
    if description is not None:
        contest.description = _text(
            description, field="description", required=False, max_length=2000
        )
    contest.metric, contest.starts_on, contest.ends_on = m.key, start, end
    contest.save()
    audit_record(
        actor=actor,
        action="contest.update",
        obj=contest,
        before=before,
        after=_contest_snapshot(contest),
    )
    return contest


@transaction.atomic
def contest_cancel(*, actor: Actor, contest: Contest, reason: str = "") -> Contest:
    contest = (
        Contest.objects.select_for_update(of=("self",)).select_related("team").get(pk=contest.pk)
    )
    _require_contest_manager(actor, contest)
    contest.status = ContestStatus.CANCELLED
    contest.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="contest.cancel",
        obj=contest,
        before={"status": ContestStatus.ACTIVE},
        after={"status": contest.status},
        reason=(reason or "").strip()[:1000],
    )
    return contest


def _team_leads(team_ids: Iterable[int]) -> dict[int, Membership]:
    return {
        t.pk: t.manager
        for t in Team.objects.filter(pk__in=list(team_ids), manager__isnull=False).select_related(
            "manager"
        )
        if t.manager is not None and t.manager.is_active
    }


@transaction.atomic
def contest_finish(*, contest: Contest, today: dt.date | None = None, email: bool = True) -> bool:
    """Freeze the standings of a contest whose last day has passed: the results (with the
    prize of each winner's rank) are written once; winners hear about it. Idempotent."""
    organisation = Organisation.objects.get(pk=contest.organisation_id)
    today = today or sel.org_today(organisation)
    contest = Contest.objects.select_for_update().get(pk=contest.pk)
    if contest.status != ContestStatus.ACTIVE or contest.ends_on >= today:
        return False
    actor = SystemActor(organisation, label="contests")
    standings = sel.contest_standings(actor=actor, contest=contest)
    rank_after_scored = sum(1 for s in standings if s.rank is not None) + 1
    results = ContestResult.objects.bulk_create(
        [
            ContestResult(
                organisation=organisation,
                contest=contest,
                rank=s.rank if s.rank is not None else rank_after_scored,
                member_id=s.id if s.kind == "member" else None,
                team_id=s.id if s.kind == "team" else None,
                figure=sel.quantize(s.figure, 4),
                prize=s.prize,
            )
            for s in standings
        ]
    )
    contest.status = ContestStatus.FINISHED
    contest.finished_at = timezone.now()
    contest.save(update_fields=["status", "finished_at", "updated_at"])
    winners = [r for r in results if r.prize_id is not None]
    members = {
        m.pk: m
        for m in Membership.objects.filter(
            pk__in=[r.member_id for r in winners if r.member_id], is_active=True
        )
    }
    leads = _team_leads(r.team_id for r in winners if r.team_id)
    for r in winners:
        if r.member_id:
            recipient = members.get(r.member_id)
        elif r.team_id is not None:
            recipient = leads.get(r.team_id)
        else:
            recipient = None
        if recipient is not None:
            notify(recipient=recipient, kind=NoticeKind.CONTEST, result=r, email=email)
    audit_record(
        actor=actor,
        action="contest.finish",
        obj=contest,
        after={
            "results": [
                {"rank": r.rank, "member": r.member_id, "team": r.team_id, "figure": str(r.figure)}
                for r in results
            ]
        },
    )
    return True


def contests_finish(
    *, organisation: Organisation, today: dt.date | None = None, email: bool = True
) -> int:
    """Finish every active contest of the organisation whose last day has passed."""
    today = today or sel.org_today(organisation)
    due = Contest.objects.filter(
        organisation=organisation, status=ContestStatus.ACTIVE, ends_on__lt=today
    ).order_by("ends_on", "pk")
    return sum(1 for contest in due if contest_finish(contest=contest, today=today, email=email))

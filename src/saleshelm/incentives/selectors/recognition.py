"""Reads of recognition and competition (SPEC §7), scoped by the actor, and who may do what.

Recognition is public inside the organisation: every member reads the kudos feed, the
badges and their awards, and every contest with its standings — being seen is the point.
Writes are narrower (see the ``can_*`` helpers): anyone gives kudos; admins and directors
define badges; a manager awards badges and runs contests within their team subtree.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeGuard

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from saleshelm.core.errors import NotFound, PermissionDenied
from saleshelm.core.periods import Period
from saleshelm.direction.models import CompanyValue
from saleshelm.direction.selectors.strategy import value_list
from saleshelm.incentives.models.recognition import (
    Badge,
    BadgeAward,
    Contest,
    ContestParticipant,
    ContestPrize,
    ContestResult,
    ContestStatus,
    Kudos,
    Notice,
    ParticipantKind,
)
from saleshelm.people.models import MemberProfile, Team
from saleshelm.people.selectors import managed_team_paths, visible_members_q
from saleshelm.performance.metrics import Metric, get_metric
from saleshelm.performance.selectors.board import Board
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.models import Membership, Organisation
from saleshelm.tenancy.roles import Role

LEADERS = frozenset({Role.ADMIN, Role.DIRECTOR})
CONTEST_RUNNERS = frozenset({Role.ADMIN, Role.DIRECTOR, Role.MANAGER})
FEEDS = ("org", "team", "mine")


# --- shared helpers -----------------------------------------------------------------------


def organisation_of(actor: Actor) -> Organisation:
    org = getattr(actor, "organisation", None)
    if isinstance(org, Organisation):
        return org
    return Organisation.objects.get(pk=actor.organisation_id)


def org_today(organisation: Organisation) -> dt.date:
    """Today where the team sits: a day starts at the organisation's midnight."""
    try:
        tz = zoneinfo.ZoneInfo(organisation.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    return timezone.localtime(timezone.now(), tz).date()


def is_person(actor: Actor) -> TypeGuard[Membership]:
    return not isinstance(actor, SystemActor)


def manages(actor: Actor, member: Membership) -> bool:
    """Whether a manager leads the team subtree the member sits in (themself included)."""
    if actor.role != Role.MANAGER or not is_person(actor):
        return False
    if member.pk == actor.pk:
        return True
    return (
        Membership.objects.filter(organisation_id=actor.organisation_id, pk=member.pk)
        .filter(visible_members_q(actor=actor))
        .exists()
    )


def team_members_q(*, actor: Actor, prefix: str = "") -> Q:
    """ "My team" for the team feed: a manager's subtrees; anyone else's own team (and the
    teams under it); the actor themself always."""
    own = Q(**{f"{prefix}pk": actor.pk}) if is_person(actor) else Q(pk__in=[])
    if actor.role == Role.MANAGER:
        paths = managed_team_paths(actor=actor)
    elif is_person(actor):
        path = (
            MemberProfile.objects.filter(membership_id=actor.pk)
            .values_list("team__path", flat=True)
            .first()
        )
        paths = [path] if path else []
    else:
        paths = []
    q = own
    for path in paths:
        q |= Q(**{f"{prefix}profile__team__path__startswith": path})
    return q


def quantize(value: Decimal | None, places: int) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- permissions --------------------------------------------------------------------------


def can_define_badges(*, actor: Actor) -> bool:
    return actor.role in LEADERS


def require_badge_definer(actor: Actor) -> None:
    if not can_define_badges(actor=actor):
        raise PermissionDenied("Only admins and directors define badges.")


def can_award_badges(*, actor: Actor) -> bool:
    return actor.role in CONTEST_RUNNERS


def can_award_badge_to(*, actor: Actor, member: Membership) -> bool:
    """Admins and directors award anyone; a manager the members of their subtree."""
    if member.pk == actor.pk:
        return False
    if actor.role in LEADERS:
        return True
    return actor.role == Role.MANAGER and manages(actor, member)


def can_revoke_award(*, actor: Actor, award: BadgeAward) -> bool:
    if actor.role in LEADERS:
        return True
    return (
        actor.role == Role.MANAGER
        and is_person(actor)
        and award.awarded_by_id == actor.pk
        and manages(actor, award.member)
    )


def can_create_contests(*, actor: Actor) -> bool:
    return actor.role in CONTEST_RUNNERS


def can_manage_contest(*, actor: Actor, contest: Contest) -> bool:
    """Admins and directors any contest; a manager the contests of a team they lead."""
    if actor.role in LEADERS:
        return True
    if actor.role != Role.MANAGER or contest.team_id is None:
        return False
    path = contest.team.path if contest.team else ""
    return any(path.startswith(p) for p in managed_team_paths(actor=actor))


def can_withdraw_kudos(*, actor: Actor, kudos: Kudos) -> bool:
    return actor.role == Role.ADMIN or (is_person(actor) and kudos.giver_id == actor.pk)


# --- kudos --------------------------------------------------------------------------------


def kudos_list(
    *,
    actor: Actor,
    feed: str = "org",
    value_id: int | None = None,
    member_id: int | None = None,
    since: dt.date | None = None,
) -> QuerySet[Kudos]:
    """The feed: the whole organisation, my team (given or received inside it), or mine."""
    qs = Kudos.objects.filter(organisation_id=actor.organisation_id).select_related(
        "giver__user", "receiver__user", "receiver__profile__team", "value"
    )
    if feed == "team":
        qs = qs.filter(
            team_members_q(actor=actor, prefix="giver__")
            | team_members_q(actor=actor, prefix="receiver__")
        )
    elif feed == "mine":
        qs = qs.filter(Q(receiver_id=actor.pk) | Q(giver_id=actor.pk))
    if value_id is not None:
        qs = qs.filter(value_id=value_id)
    if member_id is not None:
        qs = qs.filter(Q(receiver_id=member_id) | Q(giver_id=member_id))
    if since is not None:
        qs = qs.filter(created_at__date__gte=since)
    return qs.order_by("-created_at", "-pk")


def access_kudos(*, actor: Actor, id: int) -> Kudos:
    kudos = kudos_list(actor=actor).filter(pk=id).first()
    if kudos is None:
        raise NotFound("Kudos")
    return kudos


def kudos_counts_by_value(
    *, actor: Actor, feed: str = "org", since: dt.date | None = None, member_id: int | None = None
) -> list[CompanyValue]:
    """Every company value with ``kudos_count``: how often it was recognised (one query)."""
    matching = kudos_list(actor=actor, feed=feed, since=since, member_id=member_id)
    inner = matching.filter(value_id=OuterRef("pk")).order_by().values("value_id")
    counted = inner.annotate(n=Count("pk")).values("n")
    return list(
        value_list(actor=actor).annotate(
            kudos_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0)
        )
    )


# --- notices ------------------------------------------------------------------------------


def notice_list(*, actor: Actor, unread_only: bool = False) -> QuerySet[Notice]:
    if not is_person(actor):
        return Notice.objects.none()
    qs = Notice.objects.filter(
        organisation_id=actor.organisation_id, recipient_id=actor.pk
    ).select_related(
        "kudos__giver__user",
        "kudos__value",
        "award__badge",
        "award__awarded_by__user",
        "result__contest",
        "result__prize",
        "result__team",
    )
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def unread_notice_count(*, actor: Actor) -> int:
    return notice_list(actor=actor, unread_only=True).count()


# --- badges -------------------------------------------------------------------------------


def badge_list(*, actor: Actor, active_only: bool = False) -> QuerySet[Badge]:
    qs = Badge.objects.filter(organisation_id=actor.organisation_id).annotate(
        award_count=Count("awards")
    )
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name", "pk")


def access_badge(*, actor: Actor, id: int) -> Badge:
    badge = badge_list(actor=actor).filter(pk=id).first()
    if badge is None:
        raise NotFound("Badge")
    return badge


def award_list(
    *, actor: Actor, member_id: int | None = None, badge_id: int | None = None
) -> QuerySet[BadgeAward]:
    qs = BadgeAward.objects.filter(organisation_id=actor.organisation_id).select_related(
        "badge", "member__user", "awarded_by__user"
    )
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    if badge_id is not None:
        qs = qs.filter(badge_id=badge_id)
    return qs.order_by("-created_at", "-pk")


def access_award(*, actor: Actor, id: int) -> BadgeAward:
    award = award_list(actor=actor).filter(pk=id).first()
    if award is None:
        raise NotFound("Badge award")
    return award


# --- contests -----------------------------------------------------------------------------


def contest_list(*, actor: Actor, status: str | None = None) -> QuerySet[Contest]:
    qs = (
        Contest.objects.filter(organisation_id=actor.organisation_id)
        .select_related("team", "created_by__user")
        .prefetch_related(
            Prefetch("prizes", queryset=ContestPrize.objects.order_by("rank")),
        )
        .annotate(participant_count=Count("participants", distinct=True))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_on", "-pk")


def access_contest(*, actor: Actor, id: int) -> Contest:
    contest = contest_list(actor=actor).filter(pk=id).first()
    if contest is None:
        raise NotFound("Contest")
    return contest


def contest_phase(contest: Contest, today: dt.date) -> str:
    """``upcoming``, ``running``, ``ended`` (waiting for the night's results), ``finished``
    or ``cancelled``."""
    if contest.status != ContestStatus.ACTIVE:
        return contest.status
    if today < contest.starts_on:
        return "upcoming"
    if today <= contest.ends_on:
        return "running"
    return "ended"


def contest_participants(contest: Contest) -> QuerySet[ContestParticipant]:
    return contest.participants.select_related("member__user", "member__profile__team", "team")


@dataclass(frozen=True)
class Standing:
    rank: int | None  # None: no figure yet (ratio metrics without data)
    kind: str  # member | team
    id: int
    name: str
    figure: Decimal | None  # exact, for ranking
    shown: Decimal | None  # rounded to the metric's places
    prize: ContestPrize | None
    team_name: str = ""
    email: str = ""


def _ranked(rows: list[dict[str, Any]], metric: Metric) -> list[dict[str, Any]]:
    """Competition ranking ("1, 2, 2, 4"): equal figures share a rank (and its prize);
    participants without a figure come last, unranked. Name then id break the display
    order of ties."""
    sign = -1 if metric.higher_is_better else 1
    scored = sorted(
        (r for r in rows if r["figure"] is not None),
        key=lambda r: (sign * r["figure"], r["name"].casefold(), r["id"]),
    )
    rank = 0
    previous = None
    for position, row in enumerate(scored, start=1):
        if previous is None or row["figure"] != previous:
            rank = position
            previous = row["figure"]
        row["rank"] = rank
    rest = sorted(
        (r for r in rows if r["figure"] is None), key=lambda r: (r["name"].casefold(), r["id"])
    )
    for row in rest:
        row["rank"] = None
    return scored + rest


def contest_period(contest: Contest) -> Period:
    return Period(
        contest.starts_on,
        contest.ends_on,
        f"{contest.starts_on.isoformat()}..{contest.ends_on.isoformat()}",
        "custom",
    )


def contest_standings(
    *, actor: Actor, contest: Contest, board: Board | None = None
) -> list[Standing]:
    """Live standings, set-based: the participants (one query; for teams, the members of
    their subtrees in the same query) and the metric over the contest's days for all of them
    at once (one aggregate query, from performance's metric catalogue)."""
    if contest.organisation_id != actor.organisation_id:
        raise NotFound("Contest")
    metric = get_metric(contest.metric)
    board = board or Board(actor=actor)
    period = contest_period(contest)
    prizes = {p.rank: p for p in contest.prizes.all()}
    rows: list[dict[str, Any]] = []
    if contest.participant_kind == ParticipantKind.MEMBER:
        people = list(
            contest.participants.filter(member__isnull=False).values_list(
                "member_id",
                "member__user__full_name",
                "member__user__email",
                "member__profile__team__name",
            )
        )
        ids = {p[0] for p in people}
        actuals = board.actuals(metric, period, member_ids=ids) if ids else {}
        for member_id, name, email, team_name in people:
            rows.append(
                {
                    "kind": "member",
                    "id": member_id,
                    "name": name or email,
                    "email": email,
                    "team_name": team_name or "",
                    "figure": metric.value(actuals.get(member_id)),
                }
            )
    else:
        teams = list(
            Team.objects.filter(contest_participant_of(contest)).values_list("pk", "name", "path")
        )
        members: dict[int, str] = {}
        if teams:
            q = Q()
            for _pk, _name, path in teams:
                q |= Q(team__path__startswith=path)
            members = dict(
                MemberProfile.objects.filter(organisation_id=contest.organisation_id)
                .filter(q)
                .values_list("membership_id", "team__path")
            )
        actuals = board.actuals(metric, period, member_ids=set(members)) if members else {}
        for team_id, name, path in teams:
            num = Decimal(0)
            den: Decimal | None = None
            for member_id, member_path in members.items():
                parts = actuals.get(member_id)
                if parts is None or not member_path.startswith(path):
                    continue
                num += parts[0]
                if parts[1] is not None:
                    den = (den or Decimal(0)) + parts[1]
            figure = metric.value((num, den)) if (num or den is not None) else metric.value(None)
            rows.append(
                {
                    "kind": "team",
                    "id": team_id,
                    "name": name,
                    "email": "",
                    "team_name": "",
                    "figure": figure,
                }
            )
    return [
        Standing(
            rank=r["rank"],
            kind=r["kind"],
            id=r["id"],
            name=r["name"],
            figure=r["figure"],
            shown=quantize(r["figure"], metric.places),
            prize=prizes.get(r["rank"]) if r["rank"] is not None else None,
            team_name=r["team_name"],
            email=r["email"],
        )
        for r in _ranked(rows, metric)
    ]


def contest_participant_of(contest: Contest) -> Q:
    return Q(
        pk__in=ContestParticipant.objects.filter(contest=contest, team__isnull=False).values(
            "team_id"
        )
    )


def contest_results(*, actor: Actor, contest: Contest) -> QuerySet[ContestResult]:
    if contest.organisation_id != actor.organisation_id:
        raise NotFound("Contest")
    return contest.results.select_related("member__user", "team", "prize").order_by("rank", "pk")


def member_recognition(*, actor: Actor, member: Membership) -> dict[str, Any]:
    """What a member's recognition page shows: badges, kudos received per value, wins."""
    awards = list(award_list(actor=actor, member_id=member.pk))
    wins = list(
        ContestResult.objects.filter(
            organisation_id=actor.organisation_id, member_id=member.pk, prize__isnull=False
        )
        .select_related("contest", "prize")
        .order_by("-contest__ends_on")
    )
    received = kudos_list(actor=actor).filter(receiver_id=member.pk)
    by_value = list(
        received.order_by()
        .values("value_id", "value__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "value__name")
    )
    return {
        "awards": awards,
        "wins": wins,
        "kudos_by_value": by_value,
        "kudos_received": received.count(),
        "kudos_given": Kudos.objects.filter(
            organisation_id=actor.organisation_id, giver_id=member.pk
        ).count(),
        "recent_kudos": list(received[:10]),
    }


def notice_text(notice: Notice) -> str:
    """What a notice says, in the active language (notices store no text of their own)."""
    from django.utils.translation import gettext as _

    if notice.kind == "kudos" and notice.kudos is not None:
        return _("%(giver)s gave you kudos for %(value)s: “%(message)s”") % {
            "giver": notice.kudos.giver.name,
            "value": notice.kudos.value.name,
            "message": notice.kudos.message,
        }
    if notice.kind == "badge" and notice.award is not None:
        award = notice.award
        if award.awarded_by is not None:
            return _("%(leader)s awarded you the badge “%(badge)s”: %(reason)s") % {
                "leader": award.awarded_by.name,
                "badge": award.badge.name,
                "reason": award.reason,
            }
        return _("You earned the badge “%(badge)s” (%(period)s).") % {
            "badge": award.badge.name,
            "period": award.period,
        }
    if notice.kind == "contest" and notice.result is not None:
        result = notice.result
        prize = result.prize.description if result.prize else ""
        if result.team_id is not None:
            return _("Your team %(team)s finished #%(rank)s in “%(contest)s”: %(prize)s") % {
                "team": result.team.name if result.team else "",
                "rank": result.rank,
                "contest": result.contest.name,
                "prize": prize,
            }
        return _("You finished #%(rank)s in “%(contest)s”: %(prize)s") % {
            "rank": result.rank,
            "contest": result.contest.name,
            "prize": prize,
        }
    return _("Something changed in your recognition.")

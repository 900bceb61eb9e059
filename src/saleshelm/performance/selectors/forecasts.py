"""Reads of forecasts: submissions, a manager's roll-up with overrides, and accuracy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import QuerySet

from saleshelm.core.errors import NotFound
from saleshelm.core.periods import Period
from saleshelm.people.selectors import visible_member_ids
from saleshelm.performance import distribution
from saleshelm.performance.models import ForecastOverride, ForecastSubmission
from saleshelm.performance.selectors.board import Board, NodeInfo, board_for
from saleshelm.performance.selectors.pipeline import forecast_pipeline
from saleshelm.tenancy.actors import Actor


def forecast_list(
    *, actor: Actor, period: Period | None = None, member_id: int | None = None
) -> QuerySet[ForecastSubmission]:
    qs = ForecastSubmission.objects.filter(organisation_id=actor.organisation_id).filter(
        member_id__in=visible_member_ids(actor=actor)
    )
    if period is not None:
        qs = qs.filter(period_key=period.key)
    if member_id is not None:
        qs = qs.filter(member_id=member_id)
    return qs.select_related("member__user").order_by("-submitted_at", "-pk")


def access_forecast(*, actor: Actor, id: int) -> ForecastSubmission:
    obj = forecast_list(actor=actor).filter(pk=id).first()
    if obj is None:
        raise NotFound("Forecast")
    return obj


def _latest_submissions(
    board: Board, period: Period, members: set[int] | None
) -> dict[int, ForecastSubmission]:
    qs = ForecastSubmission.objects.filter(
        organisation_id=board.organisation_id, period_key=period.key
    ).order_by("member_id", "-submitted_at", "-pk")
    if members is not None:
        qs = qs.filter(member_id__in=sorted(members))
    latest: dict[int, ForecastSubmission] = {}
    for s in qs.only("member_id", "amount", "breakdown", "submitted_at", "note"):
        latest.setdefault(s.member_id, s)
    return latest


def _latest_overrides(
    board: Board, period: Period
) -> tuple[dict[int, ForecastOverride], dict[int, ForecastOverride]]:
    by_member: dict[int, ForecastOverride] = {}
    by_team: dict[int, ForecastOverride] = {}
    for o in ForecastOverride.objects.filter(
        organisation_id=board.organisation_id, period_key=period.key
    ).order_by("-overridden_at", "-pk"):
        if o.member_id is not None:
            by_member.setdefault(o.member_id, o)
        elif o.team_id is not None:
            by_team.setdefault(o.team_id, o)
    return by_member, by_team


def forecast_rollup(
    *,
    actor: Actor,
    period: str | Period | None = None,
    team_id: int | None = None,
    today: dt.date | None = None,
    board: Board | None = None,
) -> dict[str, Any]:
    """A team's forecast: each member's latest submission, the manager's override of it (if
    any) and the figure that counts; the team total and its own override; weighted pipeline
    beside it. Without ``team_id``: the team the actor manages (or all they see)."""
    board = board_for(actor=actor, today=today, board=board)
    p = board.period(period)
    teams = {t.id: t for t in board.visible_teams()}
    team: NodeInfo | None = None
    if team_id is not None:
        team = teams.get(team_id)
        if team is None:
            raise NotFound("Team")
    elif board.managed_paths():
        team = next((t for t in teams.values() if t.path in board.managed_paths()), None)
    visible = board.visible_members()
    members = set(board.subtree_members("team", team)) if team is not None else visible
    if members is not None and visible is not None:
        members &= visible
    latest = _latest_submissions(board, p, members)
    member_overrides, team_overrides = _latest_overrides(board, p)
    pipeline = forecast_pipeline(actor=actor, period=p, board=board)
    directory = board.directory()
    rows = []
    total = Decimal(0)
    ids = sorted(
        (
            m
            for m in (members if members is not None else directory)
            if m in latest
            or m in member_overrides
            or (
                directory.get(m)
                and directory[m].is_active
                and directory[m].role in ("rep", "manager")
            )
        ),
        key=lambda m: (directory[m].name.casefold(), m) if m in directory else ("", m),
    )
    for member_id in ids:
        info = directory.get(member_id)
        if info is None:
            continue
        sub = latest.get(member_id)
        override = member_overrides.get(member_id)
        effective = override.amount if override else (sub.amount if sub else None)
        total += effective or Decimal(0)
        pipe = pipeline["members"].get(member_id)
        rows.append(
            {
                "member": info,
                "submission": sub,
                "override": override,
                "forecast": effective,
                "weighted_pipeline": sum((c["weighted"] for c in pipe.values()), Decimal(0))
                if pipe
                else Decimal(0),
            }
        )
    team_override = team_overrides.get(team.id) if team is not None else None
    return {
        "period": p,
        "currency": board.currency,
        "team": team,
        "rows": rows,
        "total": total,
        "team_override": team_override,
        "forecast": team_override.amount if team_override else total,
        "pipeline": pipeline,
    }


def forecast_accuracy(
    *,
    actor: Actor,
    period: str | Period | None = None,
    today: dt.date | None = None,
    board: Board | None = None,
) -> dict[str, Any]:
    """After a period: each member's last submission made by its end against their revenue.
    accuracy = 1 - |forecast - actual| / actual (4 places; null when actual is zero)."""
    board = board_for(actor=actor, today=today, board=board)
    p = board.period(period)
    assert board.today is not None
    closed = board.today > p.end
    visible = board.visible_members()
    qs = ForecastSubmission.objects.filter(
        organisation_id=board.organisation_id,
        period_key=p.key,
        submitted_at__lt=board.metric_query(p).end_before,
    ).order_by("member_id", "-submitted_at", "-pk")
    if visible is not None:
        qs = qs.filter(member_id__in=sorted(visible))
    latest: dict[int, ForecastSubmission] = {}
    for s in qs.only("member_id", "amount", "submitted_at"):
        latest.setdefault(s.member_id, s)
    revenue = board.actuals(board.metric("revenue"), p, member_ids=set(latest) or None)
    directory = board.directory()
    rows = []
    for member_id, sub in sorted(
        latest.items(),
        key=lambda kv: (
            (directory[kv[0]].name.casefold(), kv[0]) if kv[0] in directory else ("", kv[0])
        ),
    ):
        actual = revenue.get(member_id, (Decimal(0), None))[0]
        accuracy = None
        if closed and actual != 0:
            accuracy = distribution.round_half_up(
                1 - Fraction(abs(sub.amount - actual)) / Fraction(abs(actual)), 4
            )
        rows.append(
            {
                "member": directory.get(member_id),
                "forecast": sub.amount,
                "actual": actual,
                "variance": actual - sub.amount,
                "accuracy": accuracy,
            }
        )
    return {"period": p, "closed": closed, "currency": board.currency, "rows": rows}

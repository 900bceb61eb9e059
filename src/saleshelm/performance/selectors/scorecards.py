"""Scorecards: per member and period, outcomes and behaviours side by side (SPEC §6).

Every metric of the catalogue is one aggregate query for all the members asked about, so a
list of 2,000 scorecards costs the same queries as one. Sections registered by other apps
(``saleshelm.performance.scorecards``) are added under ``sections``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from saleshelm.core.errors import NotFound
from saleshelm.core.periods import Period
from saleshelm.performance.metrics import BEHAVIOUR, OUTCOME, Metric, all_metrics
from saleshelm.performance.scorecards import sections
from saleshelm.performance.selectors.attainment import Figures, figures
from saleshelm.performance.selectors.board import SELLING_ROLES, Board, MemberInfo, board_for
from saleshelm.tenancy.actors import Actor


def _members(board: Board, member_id: int | None) -> list[MemberInfo]:
    visible = board.visible_members()
    directory = board.directory()
    if member_id is not None:
        info = directory.get(member_id)
        if info is None or (visible is not None and member_id not in visible):
            raise NotFound("Scorecard")
        return [info]
    out = [
        m
        for m in directory.values()
        if (visible is None or m.id in visible) and m.is_active and m.role in SELLING_ROLES
    ]
    return sorted(out, key=lambda m: (m.name.casefold(), m.id))


def scorecards(
    *,
    actor: Actor,
    period: str | Period | None = None,
    member_id: int | None = None,
    today: dt.date | None = None,
    board: Board | None = None,
) -> tuple[Period, list[dict[str, Any]]]:
    """Scorecards of the selling members the actor sees (or of one member)."""
    board = board_for(actor=actor, today=today, board=board)
    p = board.period(period, default_kind="month")
    members = _members(board, member_id)
    ids = {m.id for m in members}
    assert board.today is not None
    board.prefetch_targets(p, "member")
    per_metric: list[tuple[Metric, dict[int, Figures]]] = []
    for metric in all_metrics():
        actuals = board.actuals(metric, p, member_ids=ids)
        targets = board.targets(metric, p, "member")
        per_metric.append(
            (
                metric,
                {
                    mid: figures(metric, actuals.get(mid), targets.get(mid), p, board.today)
                    for mid in ids
                },
            )
        )
    extra = {s.key: s.build(actor=actor, member_ids=ids, period=p) for s in sections()}
    cards = []
    for m in members:
        lines: dict[str, list[dict[str, Any]]] = {OUTCOME: [], BEHAVIOUR: []}
        for metric, by_member in per_metric:
            f = by_member[m.id]
            lines[metric.kind].append({"metric": metric, "figures": f})
        cards.append(
            {
                "member": m,
                "period": p,
                "outcomes": lines[OUTCOME],
                "behaviours": lines[BEHAVIOUR],
                "sections": {
                    s.key: {"label": s.label, "data": extra[s.key][m.id]}
                    for s in sections()
                    if m.id in extra[s.key]
                },
            }
        )
    return p, cards

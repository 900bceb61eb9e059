"""Attainment, pacing, run rate, leaderboards, team tables and variance (SPEC §6).

- attainment = actual / target; pacing = actual / expected-to-date; both to 4 places,
  half-up, and null without a target or with a zero denominator;
- run-rate projection = actual / days elapsed x days of the period (additive metrics);
- variance = actual - target.

Rows are built from a handful of aggregate queries whatever the number of members (see
``Board``); the JSON answers of the API are plain dicts with pre-formatted strings.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, cast

from django.db.models import Sum

from saleshelm.core.errors import ApplicationError, NotFound
from saleshelm.core.periods import Period, parse_period
from saleshelm.core.sql import from_units
from saleshelm.performance import distribution
from saleshelm.performance.metrics import Metric, Parts
from saleshelm.performance.selectors.board import SELLING_ROLES, Board, NodeInfo, board_for
from saleshelm.tenancy.actors import Actor

GROUPS = ("member", "team", "territory")
VARIANCE_GROUPS = (*GROUPS, "product_category")


@dataclass(slots=True)
class Row:
    """One assignee's figures for a metric and period (Decimals at 4 places, or None)."""

    type: str  # member | team | territory | product_category
    id: int
    name: str
    email: str | None
    team: str | None
    target: Decimal | None
    actual: Decimal | None
    expected_to_date: Decimal | None
    attainment: Decimal | None
    pacing: Decimal | None
    projection: Decimal | None
    rank: int = 0

    @property
    def variance(self) -> Decimal | None:
        if self.actual is None or self.target is None:
            return None
        return self.actual - self.target


@dataclass(slots=True)
class Figures:
    target: Decimal | None
    actual: Decimal | None
    expected_to_date: Decimal | None
    attainment: Decimal | None
    pacing: Decimal | None
    projection: Decimal | None


def check_group(group: str | None, allowed: tuple[str, ...] = GROUPS) -> str:
    group = (group or "member").strip()
    if group not in allowed:
        raise ApplicationError(
            f"group must be one of {', '.join(allowed)}",
            code="invalid_group",
            field="group",
            status=422,
        )
    return group


def _add(a: Parts | None, b: Parts) -> Parts:
    if a is None:
        return b
    den = None if a[1] is None and b[1] is None else (a[1] or Decimal(0)) + (b[1] or Decimal(0))
    return (a[0] + b[0], den)


def actual_value(metric: Metric, parts: Parts | None) -> Decimal | None:
    n = _actual_units(metric, parts)
    return None if n is None else distribution.from_units(n)


def _actual_units(metric: Metric, parts: Parts | None) -> int | None:
    if parts is None:
        return 0 if metric.additive else None
    num, den = parts
    if den is None:
        return distribution.units(num)
    den_u = distribution.units(den)
    if den_u == 0:
        return None
    return distribution.round_div(distribution.units(num) * 10_000, den_u)


def figures_units(
    metric: Metric,
    parts: Parts | None,
    targets: list | None,
    period: Period,
    today: dt.date,
    *,
    projection: bool = True,
) -> tuple[int | None, int | None, int | None, int | None, int | None, int | None]:
    """(target, actual, expected to date, attainment, pacing, projection) of one assignee,
    each in ten-thousandths (None when there is none).

    Integer arithmetic (a table of 2,000 members is 2,000 of these) with the same half-up
    rounding as ``distribution.round_half_up``: target and expected are rounded to 4 places
    first, and attainment and pacing divide by those rounded figures."""
    d = distribution
    round_div = d.round_div
    actual = _actual_units(metric, parts)
    target = expected = None
    if targets:
        if metric.additive:
            found = d.period_figures(targets, period.start, period.end, today)
            if found is not None:
                target, expected = found
        else:
            level = d.level_target(targets, period.start, period.end)
            if level is not None:
                target = expected = round_div(level.numerator * 10_000, level.denominator)
    run_rate = attainment = pacing = None
    if actual is not None:
        if projection and metric.additive:
            elapsed = d.elapsed_days(period.start, period.end, today)
            if elapsed:
                run_rate = round_div(actual * period.days, elapsed)
        if target:
            attainment = round_div(actual * 10_000, target)
        if expected:
            pacing = round_div(actual * 10_000, expected)
    return target, actual, expected, attainment, pacing, run_rate


def figures(
    metric: Metric, parts: Parts | None, targets: list | None, period: Period, today: dt.date
) -> Figures:
    """Target, actual, expected to date, attainment, pacing and run rate of one assignee."""
    return Figures(
        *(
            None if n is None else Decimal(n).scaleb(-4)
            for n in figures_units(metric, parts, targets, period, today)
        )
    )


def _row(kind: str, id_: int, name: str, email: str | None, team: str | None, f: Figures) -> Row:
    return Row(
        kind,
        id_,
        name,
        email,
        team,
        f.target,
        f.actual,
        f.expected_to_date,
        f.attainment,
        f.pacing,
        f.projection,
    )


def rank_rows(rows: list[Row], metric: Metric) -> list[Row]:
    """By actual (descending; ascending for lower-is-better metrics), then attainment
    descending, then name and id; missing figures last. Ranks are 1-based positions, set on
    the rows themselves; answers them in rank order."""
    sign = -1 if metric.higher_is_better else 1
    zero = Decimal(0)

    def key(r: Row):
        actual, attainment = r.actual, r.attainment
        return (
            actual is None,
            sign * actual if actual is not None else zero,
            attainment is None,
            -attainment if attainment is not None else zero,
            r.name.casefold(),
            r.id,
        )

    ranked = sorted(rows, key=key)
    for i, r in enumerate(ranked, start=1):
        r.rank = i
    return ranked


# --- rows per group ---------------------------------------------------------------------------


def _member_candidates(
    board: Board,
    metric: Metric,
    period: Period,
    *,
    shared: bool = False,
    only: set[int] | None = None,
):
    """(member, parts, targets) of every member a member table shows: the selling members
    the actor sees, and anyone seen with a figure or a target in the period."""
    visible = board.visible_members(shared=shared)
    if only is not None:
        visible = only if visible is None else visible & only
    actuals = board.actuals(metric, period, member_ids=visible)
    targets = board.targets(metric, period, "member")
    for m in board.directory().values():
        if visible is not None and m.id not in visible:
            continue
        selling = m.is_active and m.role in SELLING_ROLES
        if not (selling or m.id in actuals or m.id in targets or (only and m.id in only)):
            continue
        yield m, actuals.get(m.id), targets.get(m.id)


def member_rows(
    board: Board,
    metric: Metric,
    period: Period,
    *,
    shared: bool = False,
    only: set[int] | None = None,
) -> list[Row]:
    assert board.today is not None
    return [
        _row(
            "member",
            m.id,
            m.name,
            m.email,
            m.team_name,
            figures(metric, parts, ts, period, board.today),
        )
        for m, parts, ts in _member_candidates(board, metric, period, shared=shared, only=only)
    ]


def fmt_units(n: int | None, places: int) -> str | None:
    """Ten-thousandths as a decimal string with ``places`` decimals, rounded half-up."""
    if n is None:
        return None
    q = n if places == 4 else distribution.round_div(n, _SCALE[4 - places])
    if q < 0:
        sign, q = "-", -q
    else:
        sign = ""
    if places == 0:
        return f"{sign}{q}"
    whole, frac = divmod(q, _SCALE[places])
    return f"{sign}{whole}.{frac:0{places}d}"


_SCALE = [10**i for i in range(9)]


def member_report_rows(
    board: Board, metric: Metric, period: Period, *, shared: bool = False
) -> list[dict[str, Any]]:
    """The ranked member rows of the API answer, straight from integers to strings (the
    fast path of ``rank_rows`` + ``row_json`` for thousands of members; same figures)."""
    assert board.today is not None
    today = board.today
    places = metric.places
    expected_places = max(places, 2)
    sign = -1 if metric.higher_is_better else 1
    entries = []
    for m, parts, ts in _member_candidates(board, metric, period, shared=shared):
        target, actual, expected, attainment, pacing, _ = figures_units(
            metric, parts, ts, period, today, projection=False
        )
        key = (
            actual is None,
            sign * actual if actual is not None else 0,
            attainment is None,
            -attainment if attainment is not None else 0,
            m.name.casefold(),
            m.id,
        )
        entries.append((key, m, target, actual, expected, attainment, pacing))
    entries.sort(key=lambda e: e[0])
    return [
        {
            "assignee": {
                "type": "member",
                "id": m.id,
                "email": m.email,
                "name": m.name,
                "team": m.team_name,
            },
            "target": fmt_units(target, places),
            "actual": fmt_units(actual, places),
            "attainment": fmt_units(attainment, 4),
            "expected_to_date": fmt_units(expected, expected_places),
            "pacing": fmt_units(pacing, 4),
            "rank": rank,
        }
        for rank, (_key, m, target, actual, expected, attainment, pacing) in enumerate(
            entries, start=1
        )
    ]


def _node_parts(
    board: Board, metric: Metric, period: Period, group: str, member_ids: set[int] | None
) -> dict[int, Parts]:
    """Per team (or territory): the sum of its members' parts, sub-teams included."""
    actuals = board.actuals(metric, period, member_ids=member_ids)
    directory = board.directory()
    out: dict[int, Parts] = {}
    for member_id, parts in actuals.items():
        info = directory.get(member_id)
        if info is None:
            continue
        path = info.team_path if group == "team" else info.territory_path
        for node_id in (int(p) for p in path.strip("/").split("/") if p):
            out[node_id] = _add(out.get(node_id), parts)
    return out


def node_rows(board: Board, metric: Metric, period: Period, group: str) -> list[Row]:
    nodes: list[NodeInfo] = (
        board.visible_teams() if group == "team" else board.visible_territories()
    )
    if not nodes:
        return []
    parts = _node_parts(board, metric, period, group, board.visible_members())
    targets = board.targets(metric, period, group)
    assert board.today is not None
    return [
        _row(
            group,
            n.id,
            n.name,
            None,
            None,
            figures(metric, parts.get(n.id), targets.get(n.id), period, board.today),
        )
        for n in nodes
    ]


# --- selectors --------------------------------------------------------------------------------


def attainment_rows(
    *,
    actor: Actor,
    period: str | Period | None = None,
    metric: str | Metric | None = "revenue",
    group: str | None = "member",
    today: dt.date | None = None,
    board: Board | None = None,
) -> tuple[Period, Metric, list[Row]]:
    """Attainment of the assignees the actor may see (a rep: themselves), ranked."""
    board = board_for(actor=actor, today=today, board=board)
    p = board.period(period)
    m = board.metric(metric)
    g = check_group(group)
    rows = member_rows(board, m, p) if g == "member" else node_rows(board, m, p, g)
    return p, m, rank_rows(rows, m)


def leaderboard(
    *,
    actor: Actor,
    period: str | Period | None = None,
    metric: str | Metric | None = "revenue",
    today: dt.date | None = None,
    limit: int | None = None,
    board: Board | None = None,
) -> tuple[Period, Metric, list[Row]]:
    """Members ranked by actual then attainment; team-shared: a rep sees their team."""
    board = board_for(actor=actor, today=today, board=board)
    p = board.period(period)
    m = board.metric(metric)
    rows = rank_rows(member_rows(board, m, p, shared=True), m)
    return p, m, rows[:limit] if limit else rows


_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(9)}


def fmt(value: Decimal | None, places: int) -> str | None:
    """A decimal string rounded half-up to ``places`` (None stays None)."""
    if value is None:
        return None
    return str(value.quantize(_QUANTA[places], rounding=ROUND_HALF_UP))


def row_json(row: Row, metric: Metric) -> dict[str, Any]:
    places = metric.places
    if row.type == "member":
        assignee: dict[str, Any] = {
            "type": "member",
            "id": row.id,
            "email": row.email,
            "name": row.name,
            "team": row.team,
        }
    else:
        assignee = {"type": row.type, "id": row.id, "name": row.name}
    return {
        "assignee": assignee,
        "target": fmt(row.target, places),
        "actual": fmt(row.actual, places),
        "attainment": fmt(row.attainment, 4),
        "expected_to_date": fmt(row.expected_to_date, max(places, 2)),
        "pacing": fmt(row.pacing, 4),
        "rank": row.rank,
    }


def report_json(board: Board, period: Period, metric: Metric, rows: list[Row]) -> dict[str, Any]:
    """The API answer of SPEC §6 for attainment and leaderboard."""
    return {
        "period": period.key,
        "metric": metric.key,
        "currency": board.currency,
        "rows": [row_json(r, metric) for r in rows],
    }


def attainment_report(
    *,
    actor: Actor,
    period: str | None = None,
    metric: str | None = None,
    group: str | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """The API answer of attainment (SPEC §6)."""
    board = board_for(actor=actor, today=today)
    p = board.period(period)
    m = board.metric(metric)
    g = check_group(group)
    if g == "member":
        rows = member_report_rows(board, m, p)
    else:
        rows = [row_json(r, m) for r in rank_rows(node_rows(board, m, p, g), m)]
    return {"period": p.key, "metric": m.key, "currency": board.currency, "rows": rows}


def leaderboard_report(
    *,
    actor: Actor,
    period: str | None = None,
    metric: str | None = None,
    today: dt.date | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """The API answer of the leaderboard (SPEC §6)."""
    board = board_for(actor=actor, today=today)
    p = board.period(period)
    m = board.metric(metric)
    rows = member_report_rows(board, m, p, shared=True)
    return {
        "period": p.key,
        "metric": m.key,
        "currency": board.currency,
        "rows": rows[:limit] if limit else rows,
    }


def member_period_summary(
    *,
    actor: Actor,
    member_id: int,
    period: str | Period | None = None,
    metrics: tuple[str, ...] = (
        "revenue",
        "gross_margin",
        "won_deals",
        "win_rate",
        "pipeline_created",
    ),
    today: dt.date | None = None,
    board: Board | None = None,
) -> dict[str, Any]:
    """One member's figures for a period, metric by metric (what "my attainment" shows)."""
    board = board_for(actor=actor, today=today, board=board)
    visible = board.visible_members()
    if member_id not in board.directory() or (visible is not None and member_id not in visible):
        raise NotFound("Member")
    p = board.period(period)
    out = []
    for key in metrics:
        m = board.metric(key)
        rows = member_rows(board, m, p, only={member_id})
        row = next((r for r in rows if r.id == member_id), None)
        out.append({"metric": m, "row": row})
    return {"member": board.directory()[member_id], "period": p, "metrics": out}


def team_table(
    *,
    actor: Actor,
    period: str | Period | None = None,
    metric: str | Metric | None = "revenue",
    team_id: int | None = None,
    today: dt.date | None = None,
    board: Board | None = None,
) -> dict[str, Any]:
    """A team's line, its direct sub-teams' lines and its direct members' lines.

    Without ``team_id``: the teams a manager manages, or the top teams for org-wide roles."""
    board = board_for(actor=actor, today=today, board=board)
    p = board.period(period)
    m = board.metric(metric)
    visible_teams = {t.id: t for t in board.visible_teams()}
    team_rows = {r.id: r for r in node_rows(board, m, p, "team")}
    if team_id is not None:
        if team_id not in visible_teams:
            raise NotFound("Team")
        team = visible_teams[team_id]
        children = [
            t
            for t in visible_teams.values()
            if t.path != team.path and t.path.startswith(team.path) and t.depth == team.depth + 1
        ]
        members = {mi.id for mi in board.directory().values() if mi.team_id == team_id}
        member_lines = [r for r in member_rows(board, m, p) if r.id in members]
        return {
            "period": p,
            "metric": m,
            "team": team_rows.get(team_id),
            "teams": rank_rows([team_rows[t.id] for t in children if t.id in team_rows], m),
            "members": rank_rows(member_lines, m),
        }
    if board.sees_all:
        tops = [
            t
            for t in visible_teams.values()
            if not any(
                t.path != o.path and t.path.startswith(o.path) for o in visible_teams.values()
            )
        ]
    else:
        paths = board.managed_paths()
        tops = [t for t in visible_teams.values() if t.path in paths]
    return {
        "period": p,
        "metric": m,
        "team": None,
        "teams": rank_rows([team_rows[t.id] for t in tops if t.id in team_rows], m),
        "members": [],
    }


def _category_rows(board: Board, metric: Metric, period: Period) -> list[Row]:
    """Per product category (its sub-categories included), for org-wide roles."""
    from saleshelm.crm.models import ProductCategory
    from saleshelm.performance.models import MemberMonthFact

    if not board.sees_all:
        return []
    if not metric.supports_category:
        raise ApplicationError(
            f"{metric.key} has no breakdown by product category",
            code="invalid_group",
            field="group",
            status=422,
        )
    board.ensure_fresh()
    column = {"revenue": "revenue", "gross_margin": "gross_margin", "units": "units"}[metric.key]
    sums = dict(
        MemberMonthFact.objects.filter(
            organisation_id=board.organisation_id,
            month__gte=period.start,
            month__lte=period.end,
            product_category__isnull=False,
        )
        .order_by()
        .values("product_category_id")
        .annotate(v=Sum(column))
        .values_list("product_category_id", "v")
    )
    categories = list(
        ProductCategory.objects.filter(organisation_id=board.organisation_id).values_list(
            "pk", "name", "parent_id"
        )
    )
    parent = {pk: par for pk, _name, par in categories}
    totals: dict[int, Parts] = {}
    for pk, value in sums.items():
        node: int | None = pk
        seen = set()
        while node is not None and node not in seen:
            seen.add(node)
            totals[node] = _add(totals.get(node), (from_units(value), None))
            node = parent.get(node)
    targets = board.targets(metric, period, "product_category")
    assert board.today is not None
    return [
        _row(
            "product_category",
            pk,
            name,
            None,
            None,
            figures(metric, totals.get(pk), targets.get(pk), period, board.today),
        )
        for pk, name, _par in categories
    ]


def variance(
    *,
    actor: Actor,
    period: str | Period | None = None,
    metric: str | Metric | None = "revenue",
    group: str | None = "member",
    today: dt.date | None = None,
    board: Board | None = None,
) -> tuple[Period, Metric, list[Row]]:
    """Rows with a target, largest shortfall first (``Row.variance`` = actual - target)."""
    board = board_for(actor=actor, today=today, board=board)
    p = board.period(period)
    m = board.metric(metric)
    g = check_group(group, VARIANCE_GROUPS)
    if g == "member":
        rows = member_rows(board, m, p)
    elif g == "product_category":
        rows = _category_rows(board, m, p)
    else:
        rows = node_rows(board, m, p, g)
    with_target = [r for r in rows if r.variance is not None]
    sign = 1 if m.higher_is_better else -1
    return (
        p,
        m,
        sorted(
            with_target, key=lambda r: (sign * cast(Decimal, r.variance), r.name.casefold(), r.id)
        ),
    )


def kpis(
    *,
    actor: Actor,
    period: str | Period | None = None,
    metrics: tuple[str, ...] = (
        "revenue",
        "gross_margin",
        "won_deals",
        "win_rate",
        "pipeline_created",
    ),
    today: dt.date | None = None,
    board: Board | None = None,
) -> dict[str, Any]:
    """Totals over the members the actor sees, one figure per metric, with the revenue
    target of the same members (their member targets summed)."""
    board = board_for(actor=actor, today=today, board=board)
    p = board.period(period)
    visible = board.visible_members()
    out = []
    for key in metrics:
        m = board.metric(key)
        parts: Parts | None = None
        for member_id, value in board.actuals(m, p, member_ids=visible).items():
            if visible is None or member_id in visible:
                parts = _add(parts, value)
        targets: dict[int, list] = board.targets(m, p, "member")
        total_target: Fraction | None = None
        total_expected: Fraction | None = None
        if m.additive:
            for member_id, ts in targets.items():
                if visible is not None and member_id not in visible:
                    continue
                months = distribution.period_months(ts, p.start, p.end)
                if months is None:
                    continue
                total_target = (total_target or Fraction(0)) + (distribution.total(months) or 0)
                total_expected = (total_expected or Fraction(0)) + (
                    distribution.expected_to_date(months, board.today or p.start) or 0
                )
        actual = actual_value(m, parts)
        target = None if total_target is None else distribution.round_half_up(total_target)
        expected = None if total_expected is None else distribution.round_half_up(total_expected)
        out.append(
            {
                "metric": m,
                "actual": actual,
                "target": target,
                "expected_to_date": expected,
                "attainment": distribution.ratio(actual, target),
                "pacing": distribution.ratio(actual, expected),
            }
        )
    return {"period": p, "currency": board.currency, "kpis": out}


def trend(
    *,
    actor: Actor,
    metric: str | Metric | None = "revenue",
    months: int = 12,
    member_id: int | None = None,
    team_id: int | None = None,
    today: dt.date | None = None,
    board: Board | None = None,
) -> list[dict[str, Any]]:
    """Month by month up to the current month: the actual of one member, one team (sub-teams
    included) or everyone the actor sees, with the matching member or team target."""
    board = board_for(actor=actor, today=today, board=board)
    m = board.metric(metric)
    assert board.today is not None
    visible = board.visible_members()
    if member_id is not None:
        if member_id not in board.directory() or (visible is not None and member_id not in visible):
            raise NotFound("Member")
        members: set[int] | None = {member_id}
    elif team_id is not None:
        team = {t.id: t for t in board.visible_teams()}.get(team_id)
        if team is None:
            raise NotFound("Team")
        members = set(board.subtree_members("team", team))
    else:
        members = visible
    first = distribution.months_between(board.today.replace(day=1), board.today)[0]
    index = first.year * 12 + first.month - 1 - (max(1, min(months, 60)) - 1)
    start = dt.date(index // 12, index % 12 + 1, 1)
    month_list = distribution.months_between(start, board.today)
    series: dict[dt.date, Parts] = defaultdict(lambda: (Decimal(0), None))
    if m.source == "rollup":
        from saleshelm.performance.models import MemberMonthFact

        board.ensure_fresh()
        qs = MemberMonthFact.objects.filter(
            organisation_id=board.organisation_id, month__gte=start, month__lte=board.today
        )
        if members is not None:
            qs = qs.filter(member_id__in=sorted(members))
        for month, value in (
            qs.order_by().values("month").annotate(v=Sum(m.key)).values_list("month", "v")
        ):
            series[month] = (from_units(value), None)
    else:
        for month in month_list:
            span = parse_period(month.strftime("%Y-%m"))
            parts: Parts | None = None
            for mid, value in board.actuals(m, span, member_ids=members).items():
                if members is None or mid in members:
                    parts = _add(parts, value)
            if parts is not None:
                series[month] = parts
    out = []
    for month in month_list:
        out.append({"month": month, "actual": actual_value(m, series.get(month))})
    return out

"""Reads of the dashboards (SPEC §6 dashboards, §10 "dashboard page"): a few combined queries.

A dashboard shows on one page what the attainment, leaderboard, trend and pipeline selectors
answer one by one. Asked one by one they cost a query each (the aggregate of the period, its
targets, the trend, the trend's targets...), and ``Board.directory`` reads the whole
organisation even for a rep of a ten-person team. ``DashboardBoard`` is a ``Board`` that

- reads only the members the page may show (the rep's team, the manager's subtrees, or the
  organisation) — in the same query as the signed-in user's own memberships, which the page
  shell needs for its organisation switcher;
- reads the rollup once for the period and the trend months (``load_facts``) and the targets
  once for both (``load_targets``), then primes the ``Board`` memo with exactly what the
  selectors would have read, so that ``member_rows``, ``kpis``, ``variance``,
  ``pipeline_by_stage`` answer from it.

The figures still come from the functions behind the API (``figures``, ``rank_rows``,
``actual_value``): the same numbers, in a constant number of queries whatever the number of
members. Everything here is set-based: one aggregate per question, never a query per member.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple, cast, overload

from django.db.models import (
    Count,
    Q,
    Sum,
)

from saleshelm.core.errors import NotFound
from saleshelm.core.periods import Period, parse_period
from saleshelm.core.sql import ExactMoneySum, from_units, money_units_sql
from saleshelm.performance import distribution
from saleshelm.performance.metrics import Metric, Parts, get_metric
from saleshelm.performance.selectors.attainment import (
    Figures,
    Row,
    actual_value,
    figures,
    rank_rows,
)
from saleshelm.performance.selectors.board import (
    ID_FILTER_LIMIT,
    SELLING_ROLES,
    Board,
    MemberInfo,
    NodeInfo,
)
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.roles import Role

ROLLUP_METRICS = ("revenue", "gross_margin", "units")
TREND_MONTHS = 12
LEADERBOARD_SIZE = 20

# "Who needs help" (manager dashboard): the rules, in the words shown on the page.
BEHIND_PACE = Decimal("0.9")  # pacing below 90 % of the expected-to-date


class TargetRow(NamedTuple):
    """A target as the distribution helpers read it (``distribution.TargetLike``)."""

    metric: str
    assignee_type: str
    assignee_id: int
    period_key: str
    start: dt.date
    end: dt.date
    value: Decimal
    distribution: str
    weights: list
    units: int | None = None  # ``value`` in ten-thousandths, as read (exact)


def month_periods(last: Period, months: int = TREND_MONTHS) -> list[Period]:
    """The ``months`` calendar months ending with the last month of ``last``."""
    index = last.end.year * 12 + last.end.month - 1
    out = []
    for i in range(index - months + 1, index + 1):
        out.append(parse_period(f"{i // 12:04d}-{i % 12 + 1:02d}"))
    return out


def _overlaps(t: Any, start: dt.date, end: dt.date) -> bool:
    return t.start <= end and t.end >= start


@dataclass
class DashboardBoard(Board):
    """A ``Board`` for one dashboard page (see the module docstring).

    ``focus``: the members whose own figures the page is about (``{me}`` on "My period", a
    team's members on a team page); it narrows ``visible_members()`` and never widens it.
    The team-shared view (``shared=True``, the leaderboard) is not narrowed.
    ``user_id``: also read this user's memberships (``user_memberships``, for the shell)."""

    focus: frozenset[int] | None = None
    user_id: int | None = None
    user_memberships: list[Any] = field(default_factory=list, init=False)
    monthly: dict[dt.date, dict[str, int]] = field(default_factory=dict, init=False)
    series_targets: dict[str, dict[int, list[TargetRow]]] = field(default_factory=dict, init=False)
    _series: frozenset[int] | None = field(default=None, init=False)

    # --- who -----------------------------------------------------------------------------

    def directory(self) -> dict[int, MemberInfo]:
        if self._directory is None:
            self._directory = self._read_people()
        return self._directory

    def _read_people(self) -> dict[int, MemberInfo]:
        """The memberships of the organisation the actor may see in a team-shared view (own,
        plus a manager's subtrees or a rep's team, or everyone), and the user's own active
        memberships — one hand-written query (building it with the ORM cost ten times more
        than running it)."""
        from saleshelm.tenancy.models import Membership, Organisation

        T = _T()
        org = self.organisation_id
        me = cast(int, getattr(self.actor, "pk", 0))  # SystemActor: sees all, unused
        scope, scope_params = "", []
        if not self.sees_all:
            if self.actor.role == Role.MANAGER:
                teams = (
                    f"SELECT st.id FROM {T['team']} st JOIN {T['team']} mt "  # noqa: S608 - table names; values are parameters
                    "ON mt.organisation_id = st.organisation_id AND mt.manager_id = %s "
                    "AND st.path LIKE mt.path || '%%' WHERE st.organisation_id = %s"
                )
                scope_params = [me, me, org]
            else:
                teams = (
                    f"SELECT st.id FROM {T['team']} st WHERE st.organisation_id = %s "  # noqa: S608 - table names; values are parameters
                    f"AND st.path LIKE (SELECT mt.path FROM {T['profile']} mp "
                    f"JOIN {T['team']} mt ON mt.id = mp.team_id "
                    "WHERE mp.membership_id = %s) || '%%'"
                )
                scope_params = [me, org, me]
            scope = f" AND (m.id = %s OR p.team_id IN ({teams}))"
        where = f"(m.organisation_id = %s{scope})"
        params: list[Any] = [org, *scope_params]
        if self.user_id is not None:
            where += " OR (m.user_id = %s AND m.is_active = %s)"
            params += [self.user_id, True]
        sql = (
            "SELECT m.id, m.organisation_id, o.name, m.user_id, u.full_name, u.email, m.role, "  # noqa: S608 - table names; values are parameters
            "m.is_active, p.team_id, t.name, t.path, p.territory_id, tr.path "
            f"FROM {T['membership']} m "
            f"JOIN {T['organisation']} o ON o.id = m.organisation_id "
            f"JOIN {T['user']} u ON u.id = m.user_id "
            f"LEFT JOIN {T['profile']} p ON p.membership_id = m.id "
            f"LEFT JOIN {T['team']} t ON t.id = p.team_id "
            f"LEFT JOIN {T['territory']} tr ON tr.id = p.territory_id "
            f"WHERE {where}"
        )
        directory: dict[int, MemberInfo] = {}
        mine = []
        place: list[Any]  # team id, name, path, territory id, path
        for pk, org_id, org_name, user_id, name, email, role, active, *place in _rows(sql, params):
            active = bool(active)
            if org_id == org:
                directory[pk] = MemberInfo(
                    id=pk,
                    name=name or email,
                    email=email,
                    role=role,
                    is_active=active,
                    team_id=place[0],
                    team_name=place[1],
                    team_path=place[2] or "",
                    territory_id=place[3],
                    territory_path=place[4] or "",
                )
            if self.user_id is not None and user_id == self.user_id and active:
                membership = Membership(
                    pk=pk, organisation_id=org_id, user_id=user_id, role=role, is_active=active
                )
                membership.organisation = Organisation(pk=org_id, name=org_name)
                mine.append(membership)
        self.user_memberships = sorted(mine, key=lambda m: (m.organisation.name, m.pk))
        return directory

    def visible_members(self, *, shared: bool = False) -> set[int] | None:
        if isinstance(self.actor, SystemActor) or self.sees_all:
            base: set[int] | None = None
        elif self.actor.role == Role.MANAGER or shared:
            base = set(self.directory())  # the scope read by _read_people
        else:
            base = {self.actor.pk}
        if shared or self.focus is None:
            return base
        return set(self.focus) if base is None else base & self.focus

    # --- figures -------------------------------------------------------------------------

    def load_facts(
        self,
        period: Period,
        *,
        members: set[int] | None,
        series: set[int] | None,
        months: list[Period],
        merge: bool = False,
    ) -> None:
        """The rollup of the period per member (``members``; None: everyone) and per month of
        ``months`` summed over ``series`` (None: everyone in ``members``).

        ``merge`` (for a series of one or a few members, such as "me"): one query, the series'
        rows grouped by month and the others' by member; otherwise two queries. The choice is
        the caller's, never the data's, so a page costs the same queries at any size. Primes the ``actuals`` memo of revenue, gross
        margin and units for the period; the monthly sums land in ``self.monthly``."""
        from saleshelm.performance.models import MemberMonthFact

        self.ensure_fresh()
        if members is not None and len(members) > ID_FILTER_LIMIT:
            members = None
        if series is None and members is not None:
            series = set(members)
        first, last = months[0].start, months[-1].end
        facts = MemberMonthFact.objects.filter(organisation_id=self.organisation_id)
        in_period = Q(month__gte=period.start, month__lte=period.end)
        if members is not None:
            in_period &= Q(member_id__in=sorted(members))
        sums = {c: Sum(c) for c in ROLLUP_METRICS}
        per_member: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
        monthly: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0, 0])
        in_window = Q(month__gte=first, month__lte=last)
        if merge and series is not None:
            for member_id, month, *values in _merged_facts(
                self.organisation_id, period, members, series, first, last
            ):
                in_the_period = month is None or period.start <= month <= period.end
                if in_the_period and (members is None or member_id in members):
                    _add_into(per_member[member_id], values)
                if month is not None:
                    _add_into(monthly[month], values)
        else:
            rows = (
                facts.filter(in_period)
                .order_by()
                .values("member_id")
                .annotate(**sums)
                .values_list("member_id", *ROLLUP_METRICS)
            )
            for member_id, *values in rows:
                _add_into(per_member[member_id], values)
            window = facts.filter(in_window)
            if series is not None:
                window = window.filter(member_id__in=sorted(series))
            for month, *values in (
                window.order_by()
                .values("month")
                .annotate(**sums)
                .values_list("month", *ROLLUP_METRICS)
            ):
                _add_into(monthly[month], values)
        key_members = None if members is None else frozenset(members)
        for i, key in enumerate(ROLLUP_METRICS):
            self._actuals[(key, period.start, period.end, key_members, None)] = {
                member_id: (from_units(values[i]), None) for member_id, values in per_member.items()
            }
        self.monthly = {
            month: dict(zip(ROLLUP_METRICS, values, strict=True))
            for month, values in monthly.items()
        }
        self._series = None if series is None else frozenset(series)

    def load_targets(
        self,
        metrics: tuple[str, ...],
        period: Period,
        *,
        members: set[int] | None,
        series: set[int] | None,
        months: list[Period],
        node_types: tuple[str, ...] = (),
    ) -> None:
        """In one query: the member targets of ``metrics`` overlapping the period (for
        ``members``; None: everyone), those of the first metric overlapping ``months`` (for
        ``series``, the trend), and the targets of teams, territories or categories
        (``node_types``) overlapping the period. Primes the ``targets`` memo for the period;
        ``series_targets`` keeps the months'."""
        first, last = months[0].start, months[-1].end
        if members is not None and len(members) > ID_FILTER_LIMIT:
            members = None
        if series is not None and len(series) > ID_FILTER_LIMIT:
            series = None
        end = _T()["end"]
        member_sql = f"start <= %s AND {end} >= %s"
        member_params: list[Any] = [period.end, period.start]
        if members is not None:
            member_sql += f" AND member_id IN ({_marks(members)})"
            member_params += sorted(members)
        series_sql = f"start <= %s AND {end} >= %s AND metric = %s"
        series_params: list[Any] = [last, first, metrics[0]]
        if series is not None:
            series_sql += f" AND member_id IN ({_marks(series)})"
            series_params += sorted(series)
        clause = (
            "(assignee_type = %s AND product_category_id IS NULL "
            f"AND (({member_sql}) OR ({series_sql})))"
        )
        params: list[Any] = ["member", *member_params, *series_params]
        for kind in node_types:
            null = "IS NOT NULL" if kind == "product_category" else "IS NULL"
            clause += (
                f" OR (assignee_type = %s AND start <= %s AND {end} >= %s "
                f"AND product_category_id {null})"
            )
            params += [kind, period.end, period.start]
        sql = (
            "SELECT metric, assignee_type, member_id, team_id, territory_id, "  # noqa: S608 - table names; values are parameters
            f"product_category_id, period_key, start, {end}, {money_units_sql('value')}, "
            "distribution, weights "
            f"FROM {_T()['target']} WHERE organisation_id = %s AND metric IN ({_marks(metrics)}) "
            f"AND ({clause})"
        )
        rows = _rows(sql, [self.organisation_id, *metrics, *params])
        period_targets: dict[tuple[str, str], dict[int, list[TargetRow]]] = {
            (m, kind): {} for m in metrics for kind in ("member", *node_types)
        }
        series_targets: dict[str, dict[int, list[TargetRow]]] = {m: {} for m in metrics}
        for (
            metric,
            kind,
            member,
            team,
            territory,
            category,
            key,
            start,
            stop,
            value,
            how,
            w,
        ) in rows:
            assignee = {"member": member, "team": team, "territory": territory}.get(kind, category)
            t = TargetRow(
                metric,
                kind,
                assignee,
                key,
                _date(start),
                _date(stop),
                _target_value(value),
                how,
                _weights(w),
                int(value),
            )
            if _overlaps(t, period.start, period.end) and (
                kind != "member" or members is None or member in members
            ):
                period_targets[(metric, kind)].setdefault(assignee, []).append(t)
            if kind == "member" and (series is None or member in series):
                series_targets[metric].setdefault(assignee, []).append(t)
        for (metric, kind), grouped in period_targets.items():
            self._targets[(metric, period.start, period.end, kind, None)] = grouped
        self.series_targets = series_targets

    # --- trend ---------------------------------------------------------------------------

    def trend(self, metric: Metric, months: list[Period]) -> list[dict[str, Any]]:
        """Month by month over the loaded series: actual (None for months ahead) and the
        series members' target (the sum of their member targets, like ``kpis``)."""
        assert self.today is not None
        targets = self.series_targets.get(metric.key, {})
        sums = target_month_sums(targets, [m.start for m in months])
        out = []
        for month in months:
            parts = None
            values = self.monthly.get(month.start)
            if values is not None:
                parts = (from_units(values[metric.key]), None)
            started = month.start <= self.today
            actual = actual_value(metric, parts) if started else None
            target = distribution.round_half_up(sums[month.start]) if month.start in sums else None
            out.append(
                {
                    "period": month,
                    "actual": actual,
                    "target": target,
                    "attainment": distribution.ratio(actual, target),
                    "current": month.contains(self.today),
                }
            )
        return out


def _add_into(total: list[int], values: list[int | None]) -> None:
    for i, v in enumerate(values):
        total[i] += int(v or 0)


@lru_cache(maxsize=4096)
def _month_weight(
    start: dt.date, end: dt.date, pattern: tuple[str, ...] | None, month: dt.date
) -> Fraction:
    """The share of a target spread over [start, end] that falls in ``month``."""
    months = distribution.months_between(start, end)
    if pattern:
        return Fraction(Decimal(pattern[months.index(month)]))
    return Fraction(1, len(months))


def target_month_sums(
    targets: dict[int, list[Any]], months: list[dt.date], *, period: Period | None = None
) -> dict[dt.date, Fraction]:
    """Per month of ``months`` (first days): the sum over assignees of each one's target for
    that month, exactly as ``distribution.period_months`` spreads it — for ``period`` (the
    target set for exactly that period, else per month the finest target covering it), or,
    without a period, each month on its own (its finest covering target).

    Linear, so it is worked out per *kind* of target rather than per assignee: the values of
    the targets that share a span and a pattern are added first (thousands of members share
    a handful of shapes), then spread once."""
    grouped: dict[tuple, Decimal] = defaultdict(Decimal)
    for ts in targets.values():
        exact = None
        if period is not None:
            exact = next((t for t in ts if t.start == period.start and t.end == period.end), None)
        ordered = None if exact else sorted(ts, key=lambda t: ((t.end - t.start).days, t.start))
        for month in months:
            if exact is not None:
                chosen = exact
            else:
                chosen = next((t for t in ordered or () if t.start <= month <= t.end), None)
                if chosen is None:
                    continue
            pattern = (
                tuple(str(w) for w in chosen.weights)
                if chosen.distribution == "pattern" and chosen.weights
                else None
            )
            grouped[(chosen.start, chosen.end, pattern, month)] += Decimal(chosen.value)
    out: dict[dt.date, Fraction] = {}
    for (start, end, pattern, month), value in grouped.items():
        share = Fraction(value) * _month_weight(start, end, pattern, month)
        out[month] = out.get(month, Fraction(0)) + share
    return out


# --- hand-written SQL ------------------------------------------------------------------------
# The dashboard's own reads are written out: the ORM spends far longer building these
# queries than the database spends answering them (SPEC §10: the page must stay cheap).


@lru_cache(maxsize=1)
def _T() -> dict[str, str]:
    from django.db import connection

    from saleshelm.people.models import MemberProfile, Team, Territory
    from saleshelm.performance.models import MemberMonthFact, Target
    from saleshelm.tenancy.models import Membership, Organisation, User

    q = connection.ops.quote_name
    return {
        "membership": q(Membership._meta.db_table),
        "organisation": q(Organisation._meta.db_table),
        "user": q(User._meta.db_table),
        "profile": q(MemberProfile._meta.db_table),
        "team": q(Team._meta.db_table),
        "territory": q(Territory._meta.db_table),
        "fact": q(MemberMonthFact._meta.db_table),
        "target": q(Target._meta.db_table),
        "end": q("end"),
    }


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


@overload
def _date(value: None) -> None: ...
@overload
def _date(value: dt.date | str) -> dt.date: ...
def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _target_value(units: int) -> Decimal:
    """A target's value from its exact ten-thousandths, read as ``money_units_sql``: SQLite
    keeps decimals as REAL, so the value is rounded to whole ten-thousandths in SQL and no
    float reaches Python (values have at most 4 places)."""
    return from_units(units)


def _weights(value) -> list:
    if value is None:
        return []
    if isinstance(value, str | bytes):
        return json.loads(value, parse_float=Decimal) or []
    return list(value)


def _merged_facts(
    organisation_id: int,
    period: Period,
    members: set[int] | None,
    series: set[int],
    first: dt.date,
    last: dt.date,
) -> list[tuple]:
    """Rollup sums of the period per member, and per month over [first, last] for the
    ``series`` members: (member, month or None, revenue, gross margin, units)."""
    in_series = f"member_id IN ({_marks(series)}) AND month >= %s AND month <= %s"
    series_params: list[Any] = [*sorted(series), first, last]
    in_period = "month >= %s AND month <= %s"
    period_params: list[Any] = [period.start, period.end]
    if members is not None:
        in_period += f" AND member_id IN ({_marks(members)})"
        period_params += sorted(members)
    sql = (
        f"SELECT member_id, CASE WHEN {in_series} THEN month END, "  # noqa: S608 - table names; values are parameters
        "SUM(revenue), SUM(gross_margin), SUM(units) "
        f"FROM {_T()['fact']} WHERE organisation_id = %s AND (({in_period}) OR ({in_series})) "
        "GROUP BY 1, 2"
    )
    params = [*series_params, organisation_id, *period_params, *series_params]
    return [(m, _date(month), *sums) for m, month, *sums in _rows(sql, params)]


def stage_pipeline(board: Board, period: Period) -> list[dict[str, Any]]:
    """``pipeline_by_stage`` for the board's ``visible_members()`` and the period — the same
    rows, from one hand-written query (open deals expected to close in the period, per stage
    in pipeline order: count, amount, weighted amount)."""
    from django.db import connection

    from saleshelm.core.sql import money_units_sql, share_units_sql
    from saleshelm.crm.models import Opportunity, Pipeline, Stage

    q = connection.ops.quote_name
    amount = money_units_sql("o.amount_reporting")
    weighted = share_units_sql(amount, "COALESCE(o.probability, st.probability)")
    owners = board.visible_members()
    where, params = "o.organisation_id = %s AND st.kind = %s", [board.organisation_id, "open"]
    where += " AND o.close_date >= %s AND o.close_date <= %s"
    params += [period.start, period.end]
    if owners is not None:
        where += f" AND o.owner_id IN ({_marks(owners) or 'NULL'})"
        params += sorted(owners)
    sql = (
        "SELECT o.pipeline_id, pl.name, o.stage_id, st.name, st.position, "  # noqa: S608 - table names; values are parameters
        f"{money_units_sql('st.probability')}, COUNT(*), SUM({amount}), SUM({weighted}) "
        f"FROM {q(Opportunity._meta.db_table)} o "
        f"JOIN {q(Stage._meta.db_table)} st ON st.id = o.stage_id "
        f"JOIN {q(Pipeline._meta.db_table)} pl ON pl.id = o.pipeline_id "
        f"WHERE {where} "
        "GROUP BY o.pipeline_id, pl.name, o.stage_id, st.name, st.position, st.probability "
        "ORDER BY pl.name, o.pipeline_id, st.position, o.stage_id"
    )
    return [
        {
            "pipeline": {"id": pipeline_id, "name": pipeline_name},
            "stage": {
                "id": stage_id,
                "name": stage_name,
                "position": position,
                "probability": from_units(probability),
            },
            "count": n,
            "amount": from_units(total),
            "weighted": from_units(weight),
        }
        for pipeline_id, pipeline_name, stage_id, stage_name, position, probability, n, total, weight in _rows(
            sql, params
        )
    ]


# --- rows -------------------------------------------------------------------------------------


def _member_row(board: Board, metric: Metric, period: Period, info: MemberInfo, parts, ts) -> Row:
    assert board.today is not None
    f = figures(metric, parts, ts, period, board.today)
    return Row(
        "member",
        info.id,
        info.name,
        info.email,
        info.team_name,
        f.target,
        f.actual,
        f.expected_to_date,
        f.attainment,
        f.pacing,
        f.projection,
    )


@dataclass(frozen=True)
class Leaderboard:
    rows: list[Row]  # the first ``limit`` rows, ranked
    me: Row | None  # the actor's own row (ranked), when they are on the board
    size: int  # how many rows the whole board has


def leaderboard_top(
    board: Board,
    metric: Metric,
    period: Period,
    *,
    limit: int = LEADERBOARD_SIZE,
) -> Leaderboard:
    """The first ``limit`` rows of the team-shared leaderboard — exactly
    ``leaderboard(...)[:limit]`` — and the actor's own row with its rank.

    Rows are ranked by actual first, so only the rows tied on actual with the top ``limit``
    (or with the actor) need their targets worked out: a 2,000-member board costs one pass
    over the actuals, not 2,000 target computations."""
    visible = board.visible_members(shared=True)
    actuals = board.actuals(metric, period, member_ids=visible)
    targets = board.targets(metric, period, "member")
    candidates: list[tuple[MemberInfo, Decimal | None]] = []
    for m in board.directory().values():
        if visible is not None and m.id not in visible:
            continue
        selling = m.is_active and m.role in SELLING_ROLES
        if not (selling or m.id in actuals or m.id in targets):
            continue
        candidates.append((m, actual_value(metric, actuals.get(m.id))))
    sign = -1 if metric.higher_is_better else 1

    def head(a: Decimal | None) -> tuple:
        return (a is None, sign * (a or 0))

    groups: dict[tuple, list[MemberInfo]] = defaultdict(list)
    for m, a in candidates:
        groups[head(a)].append(m)
    me_id = getattr(board.actor, "pk", None)
    rows: list[Row] = []
    mine: Row | None = None
    position = 0
    for key in sorted(groups):
        members = groups[key]
        holds_me = any(m.id == me_id for m in members)
        if position < limit or holds_me:
            ranked = rank_rows(
                [
                    _member_row(board, metric, period, m, actuals.get(m.id), targets.get(m.id))
                    for m in members
                ],
                metric,
            )
            for r in ranked:
                placed = replace(r, rank=position + r.rank)
                if position + r.rank <= limit:
                    rows.append(placed)
                if placed.id == me_id:
                    mine = placed
        position += len(members)
        if position >= limit and (mine is not None or me_id not in {m.id for m, _ in candidates}):
            break
    return Leaderboard(rows=rows, me=mine, size=len(candidates))


def rank_by_progress(rows: list[Row]) -> list[Row]:
    """The "progress only" order: attainment of target first (highest first, no target
    last), then actual, name and id. Ranks are 1-based positions, on copies of the rows."""
    zero = Decimal(0)

    def key(r: Row):
        return (
            r.attainment is None,
            -r.attainment if r.attainment is not None else zero,
            -r.actual if r.actual is not None else zero,
            r.name.casefold(),
            r.id,
        )

    return [replace(r, rank=i) for i, r in enumerate(sorted(rows, key=key), start=1)]


def progress_top(
    board: Board, metric: Metric, period: Period, *, limit: int = LEADERBOARD_SIZE
) -> Leaderboard:
    """The team-shared board ranked by progress (``rank_by_progress``): every row's target is
    worked out, since any of them may lead."""
    visible = board.visible_members(shared=True)
    actuals = board.actuals(metric, period, member_ids=visible)
    targets = board.targets(metric, period, "member")
    rows = []
    for m in board.directory().values():
        if visible is not None and m.id not in visible:
            continue
        selling = m.is_active and m.role in SELLING_ROLES
        if not (selling or m.id in actuals or m.id in targets):
            continue
        rows.append(_member_row(board, metric, period, m, actuals.get(m.id), targets.get(m.id)))
    ranked = rank_by_progress(rows)
    me_id = getattr(board.actor, "pk", None)
    mine = next((r for r in ranked if r.id == me_id), None)
    return Leaderboard(rows=ranked[:limit], me=mine, size=len(ranked))


def member_row(board: Board, metric: Metric, period: Period, member_id: int) -> Row | None:
    """One member's row (the same as their line of ``attainment_rows``)."""
    info = board.directory().get(member_id)
    if info is None:
        return None
    actuals = board.actuals(metric, period, member_ids={member_id})
    targets = board.targets(metric, period, "member")
    return _member_row(board, metric, period, info, actuals.get(member_id), targets.get(member_id))


# --- pipeline and activity per member ----------------------------------------------------------


def open_pipeline_by_owner(
    board: Board, period: Period, member_ids: set[int] | None
) -> dict[int, Decimal]:
    """Open deals expected to close in the period, summed per owner (reporting currency) —
    the numerator of the catalogue's pipeline coverage. One query."""
    from saleshelm.crm.models import Opportunity

    qs = Opportunity.objects.filter(
        organisation_id=board.organisation_id,
        stage__kind="open",
        close_date__gte=period.start,
        close_date__lte=period.end,
    )
    if member_ids is not None and len(member_ids) <= ID_FILTER_LIMIT:
        qs = qs.filter(owner_id__in=sorted(member_ids))
    rows = (
        qs.order_by()
        .values("owner_id")
        .annotate(total=ExactMoneySum("amount_reporting"))
        .values_list("owner_id", "total")
    )
    return {
        owner: from_units(total)
        for owner, total in rows
        if owner is not None and (member_ids is None or owner in member_ids)
    }


def activity_by_owner(
    board: Board, period: Period, member_ids: set[int] | None
) -> dict[int, dict[str, int]]:
    """Done activities of the period per owner and type (``{"call": 4, ..., "total": 9}``).
    One query."""
    from saleshelm.crm.models import Activity

    q = board.metric_query(period)
    qs = Activity.objects.filter(
        organisation_id=board.organisation_id,
        done=True,
        occurred_at__gte=q.start_at,
        occurred_at__lt=q.end_before,
    )
    if member_ids is not None and len(member_ids) <= ID_FILTER_LIMIT:
        qs = qs.filter(owner_id__in=sorted(member_ids))
    out: dict[int, dict[str, int]] = defaultdict(lambda: {"total": 0})
    for owner, kind, n in (
        qs.order_by()
        .values("owner_id", "type")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "type", "n")
    ):
        if owner is None or (member_ids is not None and owner not in member_ids):
            continue
        out[owner][kind] = n
        out[owner]["total"] += n
    return dict(out)


# --- pages ------------------------------------------------------------------------------------


def my_period(
    *,
    actor: Actor,
    period: str | Period | None = None,
    user_id: int | None = None,
    today: dt.date | None = None,
    board: DashboardBoard | None = None,
    progress_only: bool = False,
) -> dict[str, Any]:
    """ "My period": my revenue figures, gross margin and units, my monthly trend against my
    target, the top of my team-shared leaderboard and my open deals by stage.

    Five queries: rollup freshness, people (with the user's memberships), rollup figures,
    targets, pipeline by stage."""

    me = cast(int, actor.pk)  # "my period" is a member's page
    board = board or DashboardBoard(
        actor=actor, today=today, focus=frozenset({me}), user_id=user_id
    )
    p = board.period(period)
    months = month_periods(p)
    shared = board.visible_members(shared=True)
    board.load_facts(p, members=shared, series={me}, months=months, merge=True)
    board.load_targets(ROLLUP_METRICS, p, members=shared, series={me}, months=months)
    revenue = get_metric("revenue")
    rows = {key: member_row(board, get_metric(key), p, me) for key in ROLLUP_METRICS}
    return {
        "board": board,
        "period": p,
        "currency": board.currency,
        "me": board.directory().get(me),
        "revenue": rows["revenue"],
        "gross_margin": rows["gross_margin"],
        "units": rows["units"],
        "trend": board.trend(revenue, months),
        "leaderboard": (progress_top if progress_only else leaderboard_top)(board, revenue, p),
        "pipeline": stage_pipeline(board, p),
    }


@dataclass(frozen=True)
class TeamLine:
    row: Row
    coverage: Decimal | None  # open pipeline / target (the catalogue's pipeline coverage)
    open_pipeline: Decimal
    activity: dict[str, int]
    reasons: tuple[str, ...]  # "behind_pace", "low_coverage", "no_activity"

    @property
    def left(self) -> Decimal | None:
        if self.row.target is None or self.row.actual is None:
            return None
        return max(self.row.target - self.row.actual, Decimal(0))


def _reasons(row: Row, open_pipeline: Decimal, activity: int, started: bool) -> tuple[str, ...]:
    out = []
    if row.pacing is not None and row.pacing < BEHIND_PACE:
        out.append("behind_pace")
    if row.target is not None and row.actual is not None:
        left = row.target - row.actual
        if left > 0 and open_pipeline < left:
            out.append("low_coverage")
    if started and activity == 0:
        out.append("no_activity")
    return tuple(out)


def team_dashboard(
    *,
    actor: Actor,
    period: str | Period | None = None,
    team_id: int | None = None,
    user_id: int | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """A team's page: its line, one line per member of its subtree (target, actual,
    attainment, pacing, pipeline coverage, activity), who needs help, its trend, its funnel.

    Without ``team_id``: the first team the actor manages (or the first top team for an
    organisation-wide role)."""
    from saleshelm.performance.selectors.attainment import node_rows
    from saleshelm.performance.selectors.pipeline import pipeline_by_stage

    board = DashboardBoard(actor=actor, today=today, user_id=user_id)
    p = board.period(period)
    teams = sorted(board.visible_teams(), key=lambda t: t.path)
    team: NodeInfo | None = None
    if team_id is not None:
        team = next((t for t in teams if t.id == team_id), None)
        if team is None:
            raise NotFound("Team")
    elif teams:
        managed = set(board.managed_paths())
        team = next((t for t in teams if t.path in managed), teams[0])
    months = month_periods(p)
    revenue = get_metric("revenue")
    members: set[int] = set()
    if team is not None:
        members = set(board.subtree_members("team", team))
        visible = board.visible_members()
        if visible is not None:
            members &= visible
    board.focus = frozenset(members)
    board.load_facts(p, members=members, series=members, months=months)
    board.load_targets(
        ("revenue",), p, members=members, series=members, months=months, node_types=("team",)
    )
    pipeline = open_pipeline_by_owner(board, p, members)
    activity = activity_by_owner(board, p, members)
    assert board.today is not None
    started = board.today >= p.start
    directory = board.directory()
    actuals = board.actuals(revenue, p, member_ids=members)
    targets = board.targets(revenue, p, "member")
    lines = []
    for mid in members:
        info = directory[mid]
        selling = info.is_active and info.role in SELLING_ROLES
        if not (selling or mid in actuals or mid in targets):
            continue
        row = _member_row(board, revenue, p, info, actuals.get(mid), targets.get(mid))
        open_amount = pipeline.get(mid, Decimal(0))
        done = activity.get(mid, {"total": 0})
        lines.append(
            TeamLine(
                row=row,
                coverage=distribution.ratio(open_amount, row.target)
                if row.target is not None
                else None,
                open_pipeline=open_amount,
                activity=done,
                reasons=_reasons(row, open_amount, done["total"], started),
            )
        )
    ranked = {r.id: r for r in rank_rows([line.row for line in lines], revenue)}
    lines = sorted(
        (
            TeamLine(ranked[x.row.id], x.coverage, x.open_pipeline, x.activity, x.reasons)
            for x in lines
        ),
        key=lambda x: x.row.rank,
    )
    help_needed = sorted(
        (x for x in lines if x.reasons),
        key=lambda x: (-len(x.reasons), x.row.pacing if x.row.pacing is not None else Decimal(9)),
    )
    team_row = None
    subteams: list[Row] = []
    if team is not None:
        by_id = {r.id: r for r in node_rows(board, revenue, p, "team")}
        team_row = by_id.get(team.id)
        children = [
            t.id
            for t in teams
            if t.depth == team.depth + 1 and t.path.startswith(team.path) and t.id in by_id
        ]
        subteams = rank_rows([by_id[t] for t in children], revenue)
    direct = {x.row.id for x in lines if directory[x.row.id].team_id == getattr(team, "id", None)}
    return {
        "board": board,
        "period": p,
        "currency": board.currency,
        "team": team,
        "teams": teams,
        "team_row": team_row,
        "subteams": subteams,
        "lines": lines,
        "direct": direct,
        "help": help_needed,
        "totals": _totals(board, revenue, p, members),
        "trend": board.trend(revenue, months),
        "pipeline": pipeline_by_stage(actor=actor, period=p, board=board) if members else [],
    }


def _totals(board: Board, metric: Metric, period: Period, members: set[int] | None) -> Figures:
    """The members' figures added up, as ``kpis`` does: the actual from the sums of their
    parts (a rate is the ratio of the sums), the target the sum of their member targets
    (additive metrics only); worked out per kind of target (``target_month_sums``)."""
    assert board.today is not None
    actuals = board.actuals(metric, period, member_ids=members)
    num: Decimal | None = None
    den: Decimal | None = None
    for member_id, (n, d) in actuals.items():
        if members is not None and member_id not in members:
            continue
        num = (num or Decimal(0)) + n
        if d is not None:
            den = (den or Decimal(0)) + d
    parts: Parts | None = None if num is None else (num, den)
    actual = actual_value(metric, parts)
    target = expected = projection = None
    if metric.additive:
        targets = board.targets(metric, period, "member")
        if members is not None:
            targets = {m: ts for m, ts in targets.items() if m in members}
        sums = target_month_sums(targets, period.months, period=period)
        if sums:
            target = distribution.round_half_up(sum(sums.values(), Fraction(0)))
            expected = distribution.round_half_up(
                sum(
                    (v * distribution.elapsed_fraction(m, board.today) for m, v in sums.items()),
                    Fraction(0),
                )
            )
        elapsed = distribution.elapsed_days(period.start, period.end, board.today)
        if actual is not None and elapsed:
            projection = distribution.round_half_up(Fraction(actual) / elapsed * period.days)
    return Figures(
        target=target,
        actual=actual,
        expected_to_date=expected,
        attainment=distribution.ratio(actual, target),
        pacing=distribution.ratio(actual, expected),
        projection=projection,
    )


def organisation_kpis(
    board: Board, period: Period, metrics: tuple[str, ...]
) -> list[dict[str, Any]]:
    """The figures of ``kpis`` (same shape, same numbers) over everyone the actor sees."""
    out = []
    for key in metrics:
        m = get_metric(key)
        f = _totals(board, m, period, board.visible_members())
        out.append(
            {
                "metric": m,
                "actual": f.actual,
                "target": f.target,
                "expected_to_date": f.expected_to_date,
                "attainment": f.attainment,
                "pacing": f.pacing,
                "projection": f.projection,
            }
        )
    return out


def organisation_dashboard(
    *,
    actor: Actor,
    period: str | Period | None = None,
    user_id: int | None = None,
    today: dt.date | None = None,
    progress_only: bool = False,
) -> dict[str, Any]:
    """The director's page: organisation KPIs, variance by team, territory and product
    category, the monthly trend, the funnel and the top 20."""
    from saleshelm.performance.selectors.attainment import variance
    from saleshelm.performance.selectors.pipeline import pipeline_by_stage

    board = DashboardBoard(actor=actor, today=today, user_id=user_id)
    p = board.period(period)
    months = month_periods(p)
    revenue = get_metric("revenue")
    board.load_facts(p, members=None, series=None, months=months)
    board.load_targets(
        ("revenue", "gross_margin", "won_deals", "win_rate"),
        p,
        members=None,
        series=None,
        months=months,
        node_types=("team", "territory", "product_category"),
    )
    figures_now = organisation_kpis(board, p, ("revenue", "gross_margin", "won_deals", "win_rate"))
    return {
        "board": board,
        "period": p,
        "currency": board.currency,
        "kpis": figures_now,
        "projection": figures_now[0]["projection"],
        "teams": variance(actor=actor, period=p, group="team", board=board)[2],
        "territories": variance(actor=actor, period=p, group="territory", board=board)[2],
        "categories": variance(actor=actor, period=p, group="product_category", board=board)[2],
        "trend": board.trend(revenue, months),
        "leaderboard": (progress_top if progress_only else leaderboard_top)(board, revenue, p),
        "pipeline": pipeline_by_stage(actor=actor, period=p, board=board),
    }

"""One request's view of performance: who is asking, what they may see, and memoised lookups.

A page that shows several panels (KPIs, a leaderboard, my attainment, pipeline by stage)
builds one ``Board`` and passes it to each selector (``board=``): the rollup is refreshed
once, the member directory and the teams are read once, each (metric, period) aggregate runs
once — so the page costs the same few queries whether the organisation has 20 members or
2,000. Selectors called without a board build their own.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any, cast

from django.utils import timezone

from saleshelm.core.errors import ApplicationError
from saleshelm.core.periods import Period, parse_period, period_of
from saleshelm.core.sql import raw_rows
from saleshelm.performance.metrics import Metric, MetricQuery, Parts, get_metric
from saleshelm.performance.permissions import sees_all
from saleshelm.performance.rollups import rollups_refresh
from saleshelm.tenancy.actors import Actor, SystemActor
from saleshelm.tenancy.roles import Role

# Roles whose members appear in member rows even without a target or a figure.
SELLING_ROLES = frozenset({Role.REP, Role.MANAGER})
# Below this many members a query filters by id; above, it reads the whole organisation.
ID_FILTER_LIMIT = 500


@dataclass(slots=True)
class MemberInfo:
    id: int
    name: str
    email: str
    role: str
    is_active: bool
    team_id: int | None
    team_name: str | None
    team_path: str
    territory_id: int | None
    territory_path: str


@dataclass(frozen=True)
class NodeInfo:
    """A team or a territory."""

    id: int
    name: str
    path: str
    depth: int
    manager_id: int | None = None

    @property
    def ancestors(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]


def _ids(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def local_today(organisation: Any) -> dt.date:
    tz = zoneinfo.ZoneInfo(organisation.time_zone or "UTC")
    return timezone.localtime(timezone.now(), tz).date()


@dataclass
class Board:
    actor: Actor
    today: dt.date | None = None
    refresh: bool = True
    _refreshed: bool = field(default=False, init=False)
    _directory: dict[int, MemberInfo] | None = field(default=None, init=False)
    _teams: dict[int, NodeInfo] | None = field(default=None, init=False)
    _territories: dict[int, NodeInfo] | None = field(default=None, init=False)
    _actuals: dict[tuple, dict[int, Parts]] = field(default_factory=dict, init=False)
    _targets: dict[tuple, dict[int, list]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.organisation = self.actor.organisation
        if self.today is None:
            self.today = local_today(self.organisation)

    # --- basics -------------------------------------------------------------------------

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk

    @property
    def currency(self) -> str:
        return self.organisation.currency

    @property
    def fiscal_start_month(self) -> int:
        return self.organisation.fiscal_year_start_month

    @property
    def time_zone(self) -> str:
        return self.organisation.time_zone or "UTC"

    def period(self, text: str | Period | None, *, default_kind: str = "quarter") -> Period:
        """Parse a period of the organisation's fiscal calendar (default: the current one)."""
        if isinstance(text, Period):
            return text
        if text is None or not str(text).strip():
            assert self.today is not None
            return period_of(self.today, default_kind, fiscal_start_month=self.fiscal_start_month)
        try:
            return parse_period(str(text), fiscal_start_month=self.fiscal_start_month)
        except ApplicationError as exc:
            raise ApplicationError(
                exc.message, code="invalid_period", field="period", status=422
            ) from None

    def metric(self, key: str | Metric | None) -> Metric:
        if isinstance(key, Metric):
            return key
        return get_metric(key or "revenue")

    def ensure_fresh(self) -> None:
        if self.refresh and not self._refreshed:
            rollups_refresh(self.organisation_id)
            self._refreshed = True

    # --- who is who ---------------------------------------------------------------------

    def directory(self) -> dict[int, MemberInfo]:
        """Every membership of the organisation (one query)."""
        if self._directory is None:
            from saleshelm.tenancy.models import Membership

            rows = raw_rows(
                Membership.objects.filter(organisation_id=self.organisation_id)
                .order_by()
                .values_list(
                    "pk",
                    "user__full_name",
                    "user__email",
                    "role",
                    "is_active",
                    "profile__team_id",
                    "profile__team__name",
                    "profile__team__path",
                    "profile__territory_id",
                    "profile__territory__path",
                )
            )
            self._directory = {
                r[0]: MemberInfo(
                    id=r[0],
                    name=r[1] or r[2],
                    email=r[2],
                    role=r[3],
                    is_active=bool(r[4]),
                    team_id=r[5],
                    team_name=r[6],
                    team_path=r[7] or "",
                    territory_id=r[8],
                    territory_path=r[9] or "",
                )
                for r in rows
            }
        return self._directory

    def teams(self) -> dict[int, NodeInfo]:
        if self._teams is None:
            from saleshelm.people.models import Team

            self._teams = {
                t[0]: NodeInfo(t[0], t[1], t[2], t[3], t[4])
                for t in Team.objects.filter(organisation_id=self.organisation_id)
                .order_by()
                .values_list("pk", "name", "path", "depth", "manager_id")
            }
        return self._teams

    def territories(self) -> dict[int, NodeInfo]:
        if self._territories is None:
            from saleshelm.people.models import Territory

            self._territories = {
                t[0]: NodeInfo(t[0], t[1], t[2], t[3])
                for t in Territory.objects.filter(organisation_id=self.organisation_id)
                .order_by()
                .values_list("pk", "name", "path", "depth")
            }
        return self._territories

    def me(self) -> MemberInfo | None:
        if isinstance(self.actor, SystemActor):
            return None
        return self.directory().get(self.actor.pk)

    def managed_paths(self) -> list[str]:
        if isinstance(self.actor, SystemActor) or self.actor.role != Role.MANAGER:
            return []
        return [t.path for t in self.teams().values() if t.manager_id == self.actor.pk]

    # --- scope --------------------------------------------------------------------------

    @property
    def sees_all(self) -> bool:
        return sees_all(self.actor)

    def visible_members(self, *, shared: bool = False) -> set[int] | None:
        """Ids of the members whose figures the actor sees; None means all of them.

        ``shared``: a team-shared view (the leaderboard), where a rep sees their team."""
        if self.sees_all:
            return None
        me = self.me()
        own = {cast(int, self.actor.pk)}  # not sees_all: the actor is a member
        if self.actor.role == Role.MANAGER:
            paths = self.managed_paths()
            return own | {
                m.id
                for m in self.directory().values()
                if m.team_path and any(m.team_path.startswith(p) for p in paths)
            }
        if shared and me is not None and me.team_path:
            return own | {
                m.id for m in self.directory().values() if m.team_path.startswith(me.team_path)
            }
        return own

    def visible_teams(self) -> list[NodeInfo]:
        teams = self.teams().values()
        if self.sees_all:
            return list(teams)
        paths = self.managed_paths()
        return [t for t in teams if any(t.path.startswith(p) for p in paths)]

    def visible_territories(self) -> list[NodeInfo]:
        territories = list(self.territories().values())
        if self.sees_all:
            return territories
        visible = self.visible_members() or set()
        out = []
        for node in territories:
            inside = [
                m.id for m in self.directory().values() if m.territory_path.startswith(node.path)
            ]
            if inside and all(mid in visible for mid in inside):
                out.append(node)
        return out

    def subtree_members(self, group: str, node: NodeInfo) -> list[int]:
        attr = "team_path" if group == "team" else "territory_path"
        return [m.id for m in self.directory().values() if getattr(m, attr).startswith(node.path)]

    # --- figures ------------------------------------------------------------------------

    def metric_query(
        self,
        period: Period,
        *,
        member_ids: set[int] | None = None,
        category_ids: frozenset[int] | None = None,
    ) -> MetricQuery:
        return MetricQuery(
            organisation_id=self.organisation_id,
            start=period.start,
            end=period.end,
            time_zone=self.time_zone,
            member_ids=None if member_ids is None else frozenset(member_ids),
            category_ids=category_ids,
        )

    def actuals(
        self,
        metric: Metric,
        period: Period,
        *,
        member_ids: set[int] | None = None,
        category_ids: frozenset[int] | None = None,
    ) -> dict[int, Parts]:
        """Per member: the metric's parts over the period (one query, memoised).

        A small ``member_ids`` filters in SQL; a large one reads the organisation and the
        caller keeps what it may show."""
        if member_ids is not None and len(member_ids) > ID_FILTER_LIMIT:
            member_ids = None
        key = (
            metric.key,
            period.start,
            period.end,
            None if member_ids is None else frozenset(member_ids),
            category_ids,
        )
        if key not in self._actuals:
            # An aggregate over a wider set of members (or all) answers any subset too.
            for (k, s, e, members, cats), found in self._actuals.items():
                if (k, s, e, cats) != (metric.key, period.start, period.end, category_ids):
                    continue
                if members is None or (member_ids is not None and member_ids <= members):
                    return found
            if metric.source == "rollup":
                self.ensure_fresh()
            q = self.metric_query(period, member_ids=member_ids, category_ids=category_ids)
            self._actuals[key] = metric.compute(q)
        return self._actuals[key]

    def prefetch_targets(self, period: Period, assignee_type: str) -> None:
        """Read the targets of every metric for the period in one query (scorecards)."""
        from saleshelm.performance.metrics import all_metrics
        from saleshelm.performance.selectors.targets import targets_by_assignee

        grouped = targets_by_assignee(
            organisation_id=self.organisation_id,
            metric=None,
            assignee_type=assignee_type,
            start=period.start,
            end=period.end,
        )
        for metric in all_metrics():
            key = (metric.key, period.start, period.end, assignee_type, None)
            self._targets[key] = {
                assignee: [t for t in targets if t.metric == metric.key]
                for assignee, targets in grouped.items()
                if any(t.metric == metric.key for t in targets)
            }

    def targets(
        self, metric: Metric, period: Period, assignee_type: str, *, category_id: int | None = None
    ) -> dict[int, list]:
        """Per assignee id: its targets overlapping the period (one query, memoised)."""
        from saleshelm.performance.selectors.targets import targets_by_assignee

        key = (metric.key, period.start, period.end, assignee_type, category_id)
        if key not in self._targets:
            self._targets[key] = targets_by_assignee(
                organisation_id=self.organisation_id,
                metric=metric.key,
                assignee_type=assignee_type,
                start=period.start,
                end=period.end,
                category_id=category_id,
            )
        return self._targets[key]


def board_for(*, actor: Actor, today: dt.date | None = None, board: Board | None = None) -> Board:
    if board is not None:
        if board.actor is not actor and getattr(board.actor, "pk", None) != getattr(
            actor, "pk", None
        ):
            raise ValueError("the board belongs to another actor")
        return board
    return Board(actor=actor, today=today)

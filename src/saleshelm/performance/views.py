"""Pages of performance: dashboards, the leaderboard, targets, forecasts and scorecards.

Every figure comes from the performance selectors (the same functions as the API, so the
pages and ``/api/v1/performance/...`` show the same numbers); every change goes through the
services. Numbers are formatted here, in the reader's language, so that the templates and
the SVG charts print the very same strings.

The dashboards read through ``selectors.dashboards.DashboardBoard``: "My period" costs eight
queries in all (session, user, membership, rollup freshness, people, rollup figures,
targets, pipeline) whatever the size of the organisation (SPEC §10).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any, overload

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saleshelm.core.errors import ApplicationError, NotFound, PermissionDenied
from saleshelm.core.periods import Period, parse_period
from saleshelm.performance import charts
from saleshelm.performance.forms import (
    AllocationForm,
    ForecastForm,
    OverrideForm,
    TargetEditForm,
    TargetFilterForm,
    TargetForm,
    month_label,
    period_choices,
    period_label,
    shift,
    weight_initial,
)
from saleshelm.performance.metrics import BEHAVIOUR, OUTCOME, all_metrics, get_metric
from saleshelm.performance.models import AssigneeType
from saleshelm.performance.permissions import (
    ALL_TARGETS_WRITERS,
    FORECASTERS,
    TARGET_WRITERS,
    may_set_target,
    sees_all,
)
from saleshelm.performance.selectors import board as board_module
from saleshelm.performance.selectors import dashboards
from saleshelm.performance.selectors import forecasts as forecast_selectors
from saleshelm.performance.selectors import targets as target_selectors
from saleshelm.performance.selectors.attainment import Row, leaderboard
from saleshelm.performance.selectors.board import Board
from saleshelm.performance.selectors.pipeline import forecast_pipeline
from saleshelm.performance.selectors.scorecards import scorecards
from saleshelm.performance.services import forecasts as forecast_services
from saleshelm.performance.services import targets as target_services
from saleshelm.tenancy.roles import Role
from saleshelm.web.access import deny, member_required

ORG_WIDE = frozenset({Role.ADMIN, Role.DIRECTOR, Role.FINANCE, Role.VIEWER})
TEAM_READERS = ORG_WIDE | {Role.MANAGER}
PRIVACY_TOGGLERS = frozenset({Role.ADMIN, Role.DIRECTOR})
LEADERBOARD_PAGE = 50
TEAM_TABLE_LIMIT = 60  # members listed one by one on a team page; beyond, its own members
HELP_LIMIT = 12
TARGETS_PAGE = 50

REASONS = {
    "behind_pace": lambda: _("Behind pace"),
    "low_coverage": lambda: _("Pipeline short of what is left"),
    "no_activity": lambda: _("No activity logged"),
}


# --- shared helpers ---------------------------------------------------------------------------


def _require(request, roles) -> None:
    if request.membership.role not in roles:
        deny(request)


def _period(request, *, default_kind: str = "quarter", field: str = "period") -> Period:
    """The period asked for in the query string, else the current one; a bad one is said."""
    actor = request.membership
    fsm = actor.organisation.fiscal_year_start_month
    text = (request.GET.get(field) or "").strip()
    if text:
        try:
            return parse_period(text, fiscal_start_month=fsm)
        except ApplicationError:
            messages.warning(
                request,
                _("“%(text)s” is not a period; showing the current one.") % {"text": text[:20]},
            )
    return Board(actor=actor, refresh=False).period(None, default_kind=default_kind)


def _picker(request, period: Period, *, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """What the period picker shows: grouped choices, previous and next."""
    org = request.membership.organisation
    fsm = org.fiscal_year_start_month
    today = board_module.local_today(org)
    previous = shift(period, -1, fiscal_start_month=fsm)
    following = shift(period, 1, fiscal_start_month=fsm)
    return {
        "period": period,
        "label": period_label(period),
        "options": _period_options(today, fsm, get_language() or "en", period),
        "previous": previous,
        "previous_url": _url_with(request, period=previous.key, page=None),
        "previous_label": period_label(previous),
        "next": following,
        "next_url": _url_with(request, period=following.key, page=None),
        "next_label": period_label(following),
        "extra": {k: v for k, v in (extra or {}).items() if v},
        "path": request.path,
    }


@lru_cache(maxsize=256)
def _period_options(today, fiscal_start_month: int, language: str, selected: Period):
    """The picker's <optgroup>s, drawn once per day, calendar, language and choice."""
    groups = period_choices(today, fiscal_start_month=fiscal_start_month, selected=selected)
    return format_html_join(
        "",
        '<optgroup label="{}">{}</optgroup>',
        (
            (
                label,
                format_html_join(
                    "",
                    '<option value="{}"{}>{}</option>',
                    ((key, " selected" if key == selected.key else "", text) for key, text in opts),
                ),
            )
            for label, opts in groups
        ),
    )


def _url_with(request, **changes) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    query = params.urlencode()
    return f"{request.path}?{query}" if query else request.path


def _shell(board) -> dict[str, Any]:
    """The shell's organisation switcher, read in the board's people query (one query less)."""
    if getattr(board, "user_id", None) is None:
        return {}
    return {"user_memberships": board.user_memberships}


@overload
def _row(row: Row, metric, currency: str, *, hide: bool = False) -> dict[str, Any]: ...
@overload
def _row(row: None, metric, currency: str, *, hide: bool = False) -> None: ...
@overload
def _row(
    row: Row | None, metric, currency: str, *, hide: bool = False
) -> dict[str, Any] | None: ...
def _row(row: Row | None, metric, currency: str, *, hide: bool = False) -> dict[str, Any] | None:
    """A row's figures as the page prints them; ``hide``: progress only, no amounts."""
    if row is None:
        return None
    share = None
    if row.expected_to_date is not None and row.target:
        share = row.expected_to_date / row.target
    # Mid-period, attainment is low for everyone: the colour says ahead or behind of pace.
    tone = charts.pace_band(row.pacing) if row.pacing is not None else charts.band(row.attainment)
    return {
        "row": row,
        "id": row.id,
        "name": row.name,
        "team": row.team,
        "rank": row.rank,
        "hidden": hide,
        "target": "" if hide else charts.metric_value(row.target, metric, currency),
        "actual": "" if hide else charts.metric_value(row.actual, metric, currency),
        "expected": "" if hide else charts.metric_value(row.expected_to_date, metric, currency),
        "projection": "" if hide else charts.metric_value(row.projection, metric, currency),
        "variance": "" if hide else charts.metric_value(row.variance, metric, currency),
        "negative": row.variance is not None and row.variance < 0,
        "attainment": charts.percent(row.attainment),
        "pacing": charts.percent(row.pacing),
        "band": tone,
        "pace_band": charts.pace_band(row.pacing),
        "bar": charts.progress_bar(
            row.attainment,
            marker=share,
            tone=tone,
            label=_("%(name)s: %(pct)s of target")
            % {"name": row.name, "pct": charts.percent(row.attainment)},
        )
        if row.attainment is not None
        else None,
    }


def _short_month(day) -> str:
    """An axis label: ``Jul`` (en); ``T7`` (vi, where the short name would be "Tháng 7")."""
    if (get_language() or "").startswith("vi"):
        return f"T{day.month}"
    return date_format(day, "M")


def _trend(
    points: list[dict[str, Any]], *, title: str, currency: str, chart_id: str, width: int = 640
):
    trend_points = [
        charts.TrendPoint(
            label=_short_month(p["period"].start),
            long_label=month_label(p["period"].start),
            actual=p["actual"],
            target=p["target"],
            current=p["current"],
        )
        for p in points
    ]
    reached = [p for p in points if p["actual"] is not None and p["target"]]
    met = sum(1 for p in reached if p["actual"] >= p["target"])
    desc = _(
        "Monthly actual against target over %(n)s months; target met in %(met)s of %(of)s."
    ) % {
        "n": len(points),
        "met": met,
        "of": len(reached),
    }
    table = [
        {
            "label": month_label(p["period"].start),
            "actual": charts.money(p["actual"], currency) if p["actual"] is not None else "—",
            "target": charts.money(p["target"], currency),
            "attainment": charts.percent(p["attainment"]),
            "current": p["current"],
        }
        for p in points
    ]
    return {
        "svg": charts.trend_chart(
            trend_points, title=title, desc=desc, currency=currency, chart_id=chart_id, width=width
        ),
        "table": table,
        "title": title,
        "desc": desc,
    }


def _funnel(
    stages: list[dict[str, Any]], *, title: str, currency: str, chart_id: str, width: int = 420
):
    """One funnel per pipeline (most organisations have one)."""
    by_pipeline: dict[int, dict[str, Any]] = {}
    for s in stages:
        entry = by_pipeline.setdefault(
            s["pipeline"]["id"], {"name": s["pipeline"]["name"], "stages": []}
        )
        entry["stages"].append(s)
    out = []
    for pid, entry in by_pipeline.items():
        items = [
            charts.FunnelStage(
                name=s["stage"]["name"],
                count=s["count"],
                amount=s["amount"],
                weighted=s["weighted"],
                probability=s["stage"]["probability"],
            )
            for s in entry["stages"]
        ]
        total = sum((s["amount"] for s in entry["stages"]), Decimal(0))
        weighted = sum((s["weighted"] for s in entry["stages"]), Decimal(0))
        count = sum(s["count"] for s in entry["stages"])
        desc = _("%(count)s open deals worth %(amount)s, %(weighted)s weighted, by stage.") % {
            "count": charts.number(count),
            "amount": charts.money(total, currency),
            "weighted": charts.money(weighted, currency),
        }
        out.append(
            {
                "name": entry["name"],
                "svg": charts.funnel_chart(
                    items,
                    title=f"{title} — {entry['name']}",
                    desc=desc,
                    currency=currency,
                    chart_id=f"{chart_id}-{pid}",
                    width=width,
                ),
                "count": charts.number(count),
                "amount": charts.money(total, currency),
                "weighted": charts.money(weighted, currency),
                "rows": [
                    {
                        "name": s["stage"]["name"],
                        "count": charts.number(s["count"]),
                        "amount": charts.money(s["amount"], currency),
                        "weighted": charts.money(s["weighted"], currency),
                    }
                    for s in entry["stages"]
                ],
            }
        )
    return out


def _privacy(request) -> bool:
    """Progress only: others' amounts hidden, their attainment bar shown (a page toggle that
    admins and directors switch on, e.g. when the board is shown to the whole team)."""
    return request.GET.get("view") == "progress"


def _leaderboard_rows(board_rows, me_id, metric, currency, hide_others: bool):
    return [
        {
            **_row(r, metric, currency, hide=hide_others and r.id != me_id),
            "is_me": r.id == me_id,
        }
        for r in board_rows
    ]


# --- landing ----------------------------------------------------------------------------------


@member_required
def index(request):
    """Performance starts where each role looks first: my period, my team, the organisation."""
    role = request.membership.role
    if role in ORG_WIDE:
        return redirect("performance:organisation")
    if role == Role.MANAGER:
        return redirect("performance:team")
    return redirect("performance:my_period")


# --- dashboards -------------------------------------------------------------------------------


@member_required
@charts.formatting
def my_period(request):
    actor = request.membership
    period = _period(request)
    hide = _privacy(request)
    data = dashboards.my_period(
        actor=actor, period=period, user_id=request.user.pk, progress_only=hide
    )
    currency = data["currency"]
    revenue = get_metric("revenue")
    mine = data["revenue"]
    lb = data["leaderboard"]
    me_outside = lb.me is not None and lb.me.rank > len(lb.rows)
    context = {
        **_shell(data["board"]),
        "picker": _picker(request, period),
        "period": period,
        "currency": currency,
        "mine": _row(mine, revenue, currency),
        "left": None,
        "gross_margin": _row(data["gross_margin"], get_metric("gross_margin"), currency),
        "units": _row(data["units"], get_metric("units"), currency),
        "pacing_svg": charts.pacing_bar(
            actual=mine.actual if mine else None,
            target=mine.target if mine else None,
            expected=mine.expected_to_date if mine else None,
            title=_("Revenue pacing, %(period)s") % {"period": period.key},
            currency=currency,
        ),
        "trend": _trend(
            data["trend"],
            title=_("My revenue by month against target"),
            currency=currency,
            chart_id="my-trend",
        ),
        "funnels": _funnel(
            data["pipeline"],
            title=_("My open deals by stage"),
            currency=currency,
            chart_id="my-funnel",
            width=340,
        ),
        "leaderboard": _leaderboard_rows(lb.rows, actor.pk, revenue, currency, hide),
        "me_outside": _row(lb.me, revenue, currency) if me_outside else None,
        "board_size": lb.size,
        "progress_only": hide,
        "can_toggle": actor.role in PRIVACY_TOGGLERS,
        "toggle_url": _url_with(request, view=None if hide else "progress", page=None),
    }
    if mine is not None and mine.target is not None and mine.actual is not None:
        left = mine.target - mine.actual
        context["left"] = {
            "amount": charts.hero(max(left, Decimal(0)), currency),
            "exact": charts.money(max(left, Decimal(0)), currency),
            "reached": left <= 0,
            "over": charts.money(-left, currency) if left < 0 else "",
        }
        if mine.projection is not None and mine.target:
            context["projection_share"] = charts.percent(mine.projection / mine.target)
    if mine is not None and mine.projection is not None:
        context["projection_hero"] = charts.hero(mine.projection, currency)
    return render(request, "performance/my_period.html", context)


@member_required
@charts.formatting
def team_dashboard(request, pk: int | None = None):
    actor = request.membership
    if pk is not None and actor.role not in TEAM_READERS:
        # Another organisation's team is "not found" whoever asks (SPEC §11.1).
        from saleshelm.people.selectors import access_team

        access_team(actor=actor, id=pk)
    _require(request, TEAM_READERS)
    period = _period(request)
    team_id = pk
    if team_id is None and (raw := request.GET.get("team", "")).isdigit():
        team_id = int(raw)
    data = dashboards.team_dashboard(
        actor=actor, period=period, team_id=team_id, user_id=request.user.pk
    )
    currency = data["currency"]
    revenue = get_metric("revenue")
    # A large subtree (a director's "Sales") is read through its sub-teams: the table then
    # lists the team's own members, and "who needs help" the most urgent cases.
    all_lines = data["lines"]
    listed = all_lines
    if len(all_lines) > TEAM_TABLE_LIMIT:
        listed = [x for x in all_lines if x.row.id in data["direct"]]
    lines = []
    for line in listed:
        shown = _row(line.row, revenue, currency)
        shown.update(
            {
                "coverage": charts.times(line.coverage, 2),
                "coverage_low": "low_coverage" in line.reasons,
                "open_pipeline": charts.money(line.open_pipeline, currency),
                "activity": charts.number(line.activity.get("total", 0)),
                "activity_detail": _("%(calls)s calls, %(meetings)s meetings, %(demos)s demos")
                % {
                    "calls": line.activity.get("call", 0),
                    "meetings": line.activity.get("meeting", 0),
                    "demos": line.activity.get("demo", 0),
                },
                "reasons": [REASONS[r]() for r in line.reasons],
                "left": charts.money(line.left, currency) if line.left is not None else "—",
            }
        )
        lines.append(shown)
    help_rows = [
        {
            "name": x.row.name,
            "id": x.row.id,
            "reasons": [REASONS[r]() for r in x.reasons],
            "pacing": charts.percent(x.row.pacing),
            "left": charts.money(x.left, currency) if x.left is not None else "—",
            "open_pipeline": charts.money(x.open_pipeline, currency),
            "activity": charts.number(x.activity.get("total", 0)),
        }
        for x in data["help"][:HELP_LIMIT]
    ]
    totals = data["totals"]
    team = data["team"]
    context = {
        **_shell(data["board"]),
        "picker": _picker(request, period, extra={"team": str(team.id)} if team else None),
        "period": period,
        "team": team,
        "teams": [
            (t.id, ("– " * t.depth) + t.name, team is not None and t.id == team.id)
            for t in data["teams"]
        ],
        "team_row": _row(data["team_row"], revenue, currency),
        "totals": {
            "projection_hero": charts.hero(totals.projection, currency, room=7),
            "team_target_hero": charts.hero(
                data["team_row"].target if data["team_row"] else None, currency, room=7
            ),
            "target": charts.money(totals.target, currency),
            "actual": charts.money(totals.actual, currency),
            "attainment": charts.percent(totals.attainment),
            "pacing": charts.percent(totals.pacing),
            "projection": charts.money(totals.projection, currency),
            "band": charts.band(totals.attainment),
            "pace_band": charts.band(totals.pacing),
        },
        "pacing_svg": charts.pacing_bar(
            actual=totals.actual,
            target=totals.target,
            expected=totals.expected_to_date,
            title=_("Team revenue pacing, %(period)s") % {"period": period.key},
            currency=currency,
            chart_id="team-pacing",
        ),
        "lines": lines,
        "member_count": len(all_lines),
        "only_direct": len(listed) < len(all_lines),
        "subteams": [_row(r, revenue, currency) for r in data["subteams"]],
        "help": help_rows,
        "help_count": len(data["help"]),
        "help_more": max(len(data["help"]) - HELP_LIMIT, 0),
        "trend": _trend(
            data["trend"],
            title=_("Team revenue by month against target"),
            currency=currency,
            chart_id="team-trend",
            width=520,
        ),
        "funnels": _funnel(
            data["pipeline"],
            title=_("Team funnel"),
            currency=currency,
            chart_id="team-funnel",
            width=480,
        ),
        "behind_pace": charts.percent(dashboards.BEHIND_PACE, 0),
    }
    return render(request, "performance/team.html", context)


@member_required
@charts.formatting
def organisation_dashboard(request):
    actor = request.membership
    _require(request, ORG_WIDE)
    period = _period(request)
    data = dashboards.organisation_dashboard(
        actor=actor, period=period, user_id=request.user.pk, progress_only=_privacy(request)
    )
    currency = data["currency"]
    revenue = get_metric("revenue")
    kpis = []
    for k in data["kpis"]:
        m = k["metric"]
        kpis.append(
            {
                "key": m.key,
                "label": m.label,
                "actual": charts.metric_value(k["actual"], m, currency),
                "hero": charts.hero(k["actual"], currency, room=7)
                if m.unit == "money"
                else charts.metric_value(k["actual"], m, currency),
                "target": charts.metric_value(k["target"], m, currency)
                if k["target"] is not None
                else None,
                "attainment": charts.percent(k["attainment"]),
                "pacing": charts.percent(k["pacing"]),
                "band": charts.band(k["attainment"]),
                "bar": charts.progress_bar(k["attainment"])
                if k["attainment"] is not None
                else None,
            }
        )
    revenue_kpi = data["kpis"][0]
    hide = _privacy(request)
    lb = data["leaderboard"]
    context = {
        **_shell(data["board"]),
        "picker": _picker(request, period),
        "period": period,
        "kpis": kpis,
        "projection": charts.money(data["projection"], currency),
        "projection_hero": charts.hero(data["projection"], currency, room=7),
        "pacing_svg": charts.pacing_bar(
            actual=revenue_kpi["actual"],
            target=revenue_kpi["target"],
            expected=revenue_kpi["expected_to_date"],
            title=_("Organisation revenue pacing, %(period)s") % {"period": period.key},
            currency=currency,
            chart_id="org-pacing",
        ),
        "teams": [_row(r, revenue, currency) for r in data["teams"]],
        "territories": [_row(r, revenue, currency) for r in data["territories"]],
        "categories": [_row(r, revenue, currency) for r in data["categories"]],
        "trend": _trend(
            data["trend"],
            title=_("Revenue by month against target"),
            currency=currency,
            chart_id="org-trend",
            width=900,
        ),
        "funnels": _funnel(
            data["pipeline"],
            title=_("Sales funnel"),
            currency=currency,
            chart_id="org-funnel",
            width=340,
        ),
        "leaderboard": _leaderboard_rows(lb.rows, actor.pk, revenue, currency, hide),
        "board_size": lb.size,
        "progress_only": hide,
        "can_toggle": actor.role in PRIVACY_TOGGLERS,
        "toggle_url": _url_with(request, view=None if hide else "progress", page=None),
    }
    return render(request, "performance/organisation.html", context)


# --- leaderboard ------------------------------------------------------------------------------


@member_required
@charts.formatting
def leaderboard_page(request):
    actor = request.membership
    period = _period(request)
    key = request.GET.get("metric") or "revenue"
    try:
        metric = get_metric(key)
    except ApplicationError:
        messages.warning(request, _("Unknown metric; showing revenue."))
        metric = get_metric("revenue")
    board = Board(actor=actor)
    _p, _m, rows = leaderboard(actor=actor, period=period, metric=metric, board=board)
    hide = _privacy(request)
    if hide:
        rows = dashboards.rank_by_progress(rows)
    page = Paginator(rows, LEADERBOARD_PAGE).get_page(request.GET.get("page"))
    mine = next((r for r in rows if r.id == actor.pk), None)
    on_page = mine is not None and any(r.id == actor.pk for r in page.object_list)
    currency = board.currency
    context = {
        "picker": _picker(request, period, extra={"metric": metric.key}),
        "period": period,
        "metric": metric,
        "metrics": [(m.key, m.label, m.key == metric.key) for m in all_metrics()],
        "rows": _leaderboard_rows(page.object_list, actor.pk, metric, currency, hide),
        "page_obj": page,
        "mine": _row(mine, metric, currency) if mine is not None and not on_page else None,
        "count": len(rows),
        "progress_only": hide,
        "can_toggle": actor.role in PRIVACY_TOGGLERS,
        "toggle_url": _url_with(request, view=None if hide else "progress", page=None),
        "shared_note": actor.role == Role.REP,
        "has_targets": any(r.target is not None for r in rows),
    }
    return render(request, "performance/leaderboard.html", context)


# --- targets ----------------------------------------------------------------------------------


def _target_display(t, currency: str) -> dict[str, Any]:
    metric = get_metric(t.metric)
    if t.assignee_type == AssigneeType.MEMBER:
        who = t.member.user.get_full_name()
    else:
        who = t.assignee.name
    weights = [charts.percent(Decimal(str(w)), 2) for w in t.weights or []]
    return {
        "target": t,
        "metric": metric,
        "who": who,
        "kind": AssigneeType(t.assignee_type).label,
        "category": t.product_category.name if t.product_category_id else "",
        "value": charts.metric_value(t.value, metric, currency),
        "distribution": t.get_distribution_display(),
        "weights": weights,
        "period_label": period_label(Period(t.start, t.end, t.period_key, t.period_kind)),
    }


def _may_change(actor, t) -> bool:
    if actor.role not in TARGET_WRITERS:
        return False
    return may_set_target(
        actor=actor,
        assignee_type=t.assignee_type,
        member_id=t.member_id,
        team=t.team if t.assignee_type == AssigneeType.TEAM else None,
    )


def _team_choices(actor) -> list[tuple[int, str]]:
    from saleshelm.people.selectors import team_list

    return [(t.pk, ("— " * t.depth) + t.name) for t in team_list(actor=actor).order_by("path")]


@member_required
@charts.formatting
def target_list(request):
    actor = request.membership
    org = actor.organisation
    # Without a filter: the targets that count now (those overlapping this quarter).
    default = {"period": Board(actor=actor, refresh=False).period(None).key}
    form = TargetFilterForm(
        request.GET or default,
        today=board_module.local_today(org),
        fiscal_start_month=org.fiscal_year_start_month,
        teams=_team_choices(actor),
    )
    qs = target_selectors.target_list(actor=actor, **form.selector_kwargs()).order_by(
        "assignee_type",
        "metric",
        "member__user__full_name",
        "team__path",
        "territory__path",
        "product_category__name",
        "-start",
        "pk",
    )
    page = Paginator(qs, TARGETS_PAGE).get_page(request.GET.get("page"))
    currency = org.currency
    rows = []
    for t in page.object_list:
        shown = _target_display(t, currency)
        shown["can_change"] = _may_change(actor, t)
        rows.append(shown)
    return render(
        request,
        "performance/targets.html",
        {
            "filters": form,
            "rows": rows,
            "page_obj": page,
            "can_create": actor.role in TARGET_WRITERS,
        },
    )


def _assignee_choices(actor):
    """Who the actor may set targets for: everyone (admin, director), the members and
    sub-teams of their subtrees (manager)."""
    from saleshelm.crm.selectors import category_list
    from saleshelm.people.selectors import (
        managed_team_paths,
        member_list,
        team_list,
        territory_list,
        visible_members_q,
    )

    members = member_list(actor=actor).filter(role__in=[Role.REP, Role.MANAGER])
    teams = team_list(actor=actor).order_by("path")
    if actor.role in ALL_TARGETS_WRITERS:
        kinds = list(AssigneeType.choices)
        territories = [
            (t.pk, ("— " * t.depth) + t.name) for t in territory_list(actor=actor).order_by("path")
        ]
        categories = [(c.pk, c.name) for c in category_list(actor=actor)]
    else:
        kinds = [(k, label) for k, label in AssigneeType.choices if k in ("member", "team")]
        members = members.filter(visible_members_q(actor=actor)).exclude(pk=actor.pk)
        paths = managed_team_paths(actor=actor)
        teams = [t for t in teams if any(t.path.startswith(p) and t.path != p for p in paths)]
        territories = []
        categories = [(c.pk, c.name) for c in category_list(actor=actor)]
    return {
        "assignee_types": kinds,
        "members": [(m.pk, m.user.get_full_name()) for m in members],
        "teams": [(t.pk, ("— " * t.depth) + t.name) for t in teams],
        "territories": territories,
        "categories": categories,
    }


def _resolver(actor):
    from saleshelm.crm.selectors import access_category
    from saleshelm.people.selectors import access_member, access_team, access_territory

    access = {
        "member": access_member,
        "team": access_team,
        "territory": access_territory,
        "product_category": access_category,
    }

    def resolve(kind: str, pk: int):
        return access[kind](actor=actor, id=pk)

    return resolve


@member_required
@charts.formatting
def target_create(request):
    actor = request.membership
    _require(request, TARGET_WRITERS)
    org = actor.organisation
    form = TargetForm(
        request.POST or None,
        today=board_module.local_today(org),
        fiscal_start_month=org.fiscal_year_start_month,
        **_assignee_choices(actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            target = target_services.target_create(
                actor=actor, **form.service_kwargs(_resolver(actor))
            )
        except NotFound as exc:
            form.add_error(None, exc.message)
        except PermissionDenied as exc:
            form.add_error(None, exc.message)
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Target saved."))
            return redirect("performance:target", pk=target.pk)
    return render(
        request,
        "performance/target_form.html",
        {"form": form, "title": _("New target"), "months": None},
    )


def _allocation_view(check, currency: str, metric) -> dict[str, Any]:
    return {
        "allocated": charts.metric_value(check.allocated, metric, currency),
        "target": charts.metric_value(check.target.value, metric, currency),
        "difference": charts.metric_value(abs(check.difference), metric, currency),
        "status": check.status,
        "share": charts.percent(check.allocated / check.target.value)
        if check.target.value
        else "—",
        "bar": charts.progress_bar(
            check.allocated / check.target.value if check.target.value else None
        ),
    }


@member_required
@charts.formatting
def target_detail(request, pk: int):
    actor = request.membership
    target = target_selectors.access_target(actor=actor, id=pk)
    currency = actor.organisation.currency
    shown = _target_display(target, currency)
    context: dict[str, Any] = {
        "t": shown,
        "can_change": _may_change(actor, target),
        "months": [],
    }
    from saleshelm.performance import distribution

    shares = distribution.month_shares(target)
    metric = shown["metric"]
    for month, value in shares.items():
        context["months"].append(
            {
                "label": month_label(month),
                "value": charts.metric_value(distribution.round_half_up(value), metric, currency),
            }
        )
    if target.assignee_type == AssigneeType.TEAM:
        check = target_services.allocation_check(target=target)
        context["allocation"] = _allocation_view(check, currency, metric)
        directory = {m.pk: m.user.get_full_name() for m in _subtree_members(actor, target)}
        context["allocation_rows"] = [
            {
                "name": directory.get(mid, "—"),
                "value": charts.metric_value(v, metric, currency),
            }
            for mid, v in check.members
        ]
    return render(request, "performance/target.html", context)


def _subtree_members(actor, target):
    from saleshelm.people.selectors import member_list

    return list(member_list(actor=actor).filter(profile__team__path__startswith=target.team.path))


@member_required
@charts.formatting
def target_edit(request, pk: int):
    actor = request.membership
    target = target_selectors.access_target(actor=actor, id=pk)
    if not _may_change(actor, target):
        deny(request, "target_scope")
    period = Period(target.start, target.end, target.period_key, target.period_kind)
    initial = {
        "value": target.value.normalize()
        if target.value == target.value.to_integral()
        else target.value,
        "distribution": target.distribution,
        "version": target.version,
        **weight_initial(target),
    }
    form = TargetEditForm(request.POST or None, period=period, initial=initial)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            target_services.target_update(
                actor=actor,
                target=target,
                value=c["value"],
                distribution=c["distribution"],
                weights=c["weights"] or [],
                version=c["version"],
                reason=c.get("reason") or "",
            )
        except PermissionDenied:
            deny(request, "target_scope")
        except ApplicationError as exc:
            form.add_application_error(exc)
        else:
            messages.success(request, _("Target updated."))
            return redirect("performance:target", pk=target.pk)
    shown = _target_display(target, actor.organisation.currency)
    return render(
        request,
        "performance/target_form.html",
        {"form": form, "title": _("Change target"), "t": shown, "months": period.months},
    )


@require_POST
@member_required
def target_delete(request, pk: int):
    actor = request.membership
    target = target_selectors.access_target(actor=actor, id=pk)
    if not _may_change(actor, target):
        deny(request, "target_scope")
    try:
        target_services.target_delete(
            actor=actor, target=target, reason=request.POST.get("reason", "")
        )
    except PermissionDenied:
        deny(request, "target_scope")
    messages.success(request, _("Target deleted."))
    return redirect("performance:targets")


@member_required
@charts.formatting
def target_allocate(request, pk: int):
    """Share a team target out to the members of the team's subtree, with the check."""
    actor = request.membership
    target = target_selectors.access_target(actor=actor, id=pk)
    if not _may_change(actor, target):
        deny(request, "target_scope")
    if target.assignee_type != AssigneeType.TEAM:
        raise Http404
    currency = actor.organisation.currency
    metric = get_metric(target.metric)
    members = _subtree_members(actor, target)
    check = target_services.allocation_check(target=target)
    current = dict(check.members)
    form = AllocationForm(
        request.POST or None,
        members=[(m.pk, m.user.get_full_name()) for m in members],
        initial_values={mid: v.normalize() for mid, v in current.items()},
    )
    if request.method == "POST":
        even = request.POST.get("mode") == "even"
        if even or form.is_valid():
            allocations = None
            if not even:
                by_id = {m.pk: m for m in members}
                allocations = [(by_id[mid], v) for mid, v in form.allocations()]
            try:
                check = target_services.target_allocate(
                    actor=actor, target=target, allocations=allocations
                )
            except PermissionDenied:
                deny(request, "target_scope")
            except ApplicationError as exc:
                form.add_application_error(exc)
            else:
                status = {
                    "exact": _("Allocated exactly."),
                    "over": _("Saved: the members' targets add up to more than the team's."),
                    "under": _("Saved: the members' targets add up to less than the team's."),
                    "not_additive": _("Saved: each member has the team's rate."),
                }[check.status]
                messages.success(request, status)
                return redirect("performance:target_allocate", pk=target.pk)
    rows = [{"member": m, "field": form[f"m{m.pk}"], "role": m.get_role_display()} for m in members]
    return render(
        request,
        "performance/target_allocate.html",
        {
            "t": _target_display(target, currency),
            "form": form,
            "rows": rows,
            "allocation": _allocation_view(check, currency, metric),
            "additive": metric.additive,
        },
    )


# --- forecasts --------------------------------------------------------------------------------


@member_required
@charts.formatting
def forecast(request):
    actor = request.membership
    period = _period(request)
    board = Board(actor=actor)
    currency = board.currency
    can_submit = actor.role in FORECASTERS
    context: dict[str, Any] = {
        "picker": _picker(request, period),
        "period": period,
        "can_submit": can_submit,
        "currency": currency,
    }
    if can_submit:
        history = list(
            forecast_selectors.forecast_list(actor=actor, period=period, member_id=actor.pk)[:20]
        )
        latest = history[0] if history else None
        context["history"] = [
            {
                "at": s.submitted_at,
                "amount": charts.money(s.amount, currency),
                "breakdown": [
                    (label, charts.money(s.breakdown.get(key), currency))
                    for key, label in (
                        ("commit", _("Commit")),
                        ("best_case", _("Best case")),
                        ("pipeline", _("Pipeline")),
                    )
                    if s.breakdown.get(key) is not None
                ],
                "note": s.note,
            }
            for s in history
        ]
        pipe = forecast_pipeline(actor=actor, period=period, board=board)
        mine = pipe["members"].get(actor.pk)
        context["my_pipeline"] = _categories(mine, currency) if mine else []
        initial = {"period": period.key}
        if latest is not None:
            initial["amount"] = latest.amount.normalize()
        context["form"] = ForecastForm(initial=initial)
    if actor.role != Role.REP:
        rollup = forecast_selectors.forecast_rollup(actor=actor, period=period, board=board)
        context["rollup"] = {
            "team": rollup["team"],
            "total": charts.money(rollup["total"], currency),
            "forecast": charts.money(rollup["forecast"], currency),
            "team_override": rollup["team_override"],
            "team_override_amount": charts.money(
                rollup["team_override"].amount if rollup["team_override"] else None, currency
            ),
            "weighted": charts.money(rollup["pipeline"]["weighted_total"], currency),
            "rows": [
                {
                    "member": r["member"],
                    "submitted": charts.money(r["submission"].amount, currency)
                    if r["submission"]
                    else None,
                    "submitted_at": r["submission"].submitted_at if r["submission"] else None,
                    "override": charts.money(r["override"].amount, currency)
                    if r["override"]
                    else None,
                    "override_reason": r["override"].reason if r["override"] else "",
                    "forecast": charts.money(r["forecast"], currency),
                    "weighted": charts.money(r["weighted_pipeline"], currency),
                    "may_override": _may_override_member(actor, r["member"].id),
                }
                for r in rollup["rows"]
            ],
            "may_override_team": rollup["team"] is not None
            and _may_override_team(actor, rollup["team"].id),
        }
    previous = shift(period, -1, fiscal_start_month=actor.organisation.fiscal_year_start_month)
    accuracy_period = period if board.today and board.today > period.end else previous
    acc = forecast_selectors.forecast_accuracy(actor=actor, period=accuracy_period, board=board)
    context["accuracy"] = {
        "period": accuracy_period,
        "label": period_label(accuracy_period),
        "closed": acc["closed"],
        "rows": [
            {
                "name": r["member"].name if r["member"] else "—",
                "forecast": charts.money(r["forecast"], currency),
                "actual": charts.money(r["actual"], currency),
                "variance": charts.money(r["variance"], currency),
                "negative": r["variance"] < 0,
                "accuracy": charts.percent(r["accuracy"]),
                "band": charts.band(r["accuracy"]),
            }
            for r in acc["rows"]
        ],
    }
    return render(request, "performance/forecast.html", context)


def _categories(cats: dict[str, Any], currency: str) -> list[dict[str, Any]]:
    labels = {
        "commit": _("Commit"),
        "best_case": _("Best case"),
        "pipeline": _("Pipeline"),
        "closed": _("Closed won"),
    }
    return [
        {
            "label": labels[key],
            "count": charts.number(cats[key]["count"]),
            "amount": charts.money(cats[key]["amount"], currency),
            "weighted": charts.money(cats[key]["weighted"], currency),
        }
        for key in ("closed", "commit", "best_case", "pipeline")
    ]


def _may_override_member(actor, member_id: int) -> bool:
    from saleshelm.performance.permissions import may_override_member

    return actor.role in TARGET_WRITERS and may_override_member(actor=actor, member_id=member_id)


def _may_override_team(actor, team_id: int) -> bool:
    from saleshelm.people.models import Team
    from saleshelm.performance.permissions import may_override_team

    if actor.role not in TARGET_WRITERS:
        return False
    team = Team.objects.filter(organisation_id=actor.organisation_id, pk=team_id).first()
    return team is not None and may_override_team(actor=actor, team=team)


def _forecast_url(period_key: str) -> str:
    return f"{reverse('performance:forecast')}?period={period_key}"


@require_POST
@member_required
def forecast_submit(request):
    actor = request.membership
    _require(request, FORECASTERS)
    form = ForecastForm(request.POST)
    if form.is_valid():
        try:
            forecast_services.forecast_submit(
                actor=actor,
                period=form.cleaned_data["period"],
                amount=form.cleaned_data["amount"],
                breakdown=form.breakdown(),
                note=form.cleaned_data["note"],
            )
        except PermissionDenied:
            deny(request, "forecaster")
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Forecast submitted."))
        return redirect(_forecast_url(form.cleaned_data["period"]))
    messages.error(request, _("The forecast needs an amount of zero or more."))
    return redirect(_forecast_url(request.POST.get("period", "")[:16]))


@require_POST
@member_required
def forecast_override(request):
    from saleshelm.people.selectors import access_member, access_team

    actor = request.membership
    _require(request, TARGET_WRITERS)
    form = OverrideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("An override needs an amount and a reason."))
        return redirect(_forecast_url(request.POST.get("period", "")[:16]))
    c = form.cleaned_data
    try:
        member = access_member(actor=actor, id=c["member"]) if c.get("member") else None
        team = access_team(actor=actor, id=c["team"]) if c.get("team") else None
        forecast_services.forecast_override(
            actor=actor,
            period=c["period"],
            amount=c["amount"],
            reason=c["reason"],
            member=member,
            team=team,
        )
    except PermissionDenied:
        deny(request, "override_scope")
    except NotFound:
        raise Http404 from None
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Override saved."))
    return redirect(_forecast_url(c["period"]))


# --- scorecards -------------------------------------------------------------------------------


@member_required
@charts.formatting
def scorecard_list(request):
    """The members the actor sees, with their revenue figures: a way into each scorecard."""
    from saleshelm.performance.selectors.attainment import attainment_rows

    actor = request.membership
    period = _period(request, default_kind="month")
    board = Board(actor=actor)
    _p, metric, rows = attainment_rows(actor=actor, period=period, board=board)
    if actor.role == Role.REP:
        return redirect(f"{reverse('performance:scorecard', args=[actor.pk])}?period={period.key}")
    currency = board.currency
    return render(
        request,
        "performance/scorecards.html",
        {
            "picker": _picker(request, period),
            "period": period,
            "rows": [_row(r, metric, currency) for r in rows],
        },
    )


@member_required
@charts.formatting
def scorecard(request, pk: int):
    actor = request.membership
    period = _period(request, default_kind="month")
    board = Board(actor=actor)
    p, cards = scorecards(actor=actor, period=period, member_id=pk, board=board)
    card = cards[0]
    currency = board.currency

    def lines(entries):
        out = []
        for e in entries:
            m, f = e["metric"], e["figures"]
            if f.pacing is not None and m.additive:
                tone = charts.pace_band(f.pacing)
            else:
                tone = charts.band(f.attainment)
            out.append(
                {
                    "label": m.label,
                    "description": m.description,
                    "target": charts.metric_value(f.target, m, currency)
                    if f.target is not None
                    else "—",
                    "actual": charts.metric_value(f.actual, m, currency),
                    "attainment": charts.percent(f.attainment),
                    "pacing": charts.percent(f.pacing),
                    "band": tone,
                    "bar": charts.progress_bar(
                        f.attainment,
                        tone=tone,
                        marker=(f.expected_to_date / f.target)
                        if f.expected_to_date is not None and f.target and m.additive
                        else None,
                    )
                    if f.attainment is not None
                    else None,
                    "lower_is_better": not m.higher_is_better,
                }
            )
        return out

    sections = []
    for key, section in card["sections"].items():
        sections.append({"key": key, "label": section["label"], "data": section["data"]})
    return render(
        request,
        "performance/scorecard.html",
        {
            "picker": _picker(request, p),
            "period": p,
            "member": card["member"],
            "is_me": card["member"].id == actor.pk,
            "outcomes": lines(card["outcomes"]),
            "behaviours": lines(card["behaviours"]),
            "sections": sections,
            "kinds": {"outcome": OUTCOME, "behaviour": BEHAVIOUR},
            "sees_others": sees_all(actor) or actor.role == Role.MANAGER,
        },
    )

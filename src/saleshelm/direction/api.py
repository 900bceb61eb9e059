"""API of direction: vision, goals with key results and roll-up progress, goal links, line of
sight, mission, values, offerings, competitors and segments (SPEC §5, §9).

Everything is readable by every member of the organisation (deal-level links and reports
only over the deals the caller sees); admins and directors write. Decimals go out as
strings.
"""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from saleshelm.api.pagination import LimitOffsetPagination
from saleshelm.api.schemas import ERRORS, Ref
from saleshelm.core.errors import ApplicationError
from saleshelm.core.money import money_str
from saleshelm.core.periods import period_of
from saleshelm.crm.selectors import access_category, access_opportunity
from saleshelm.direction import services
from saleshelm.direction.segments import CUSTOM_KEYS
from saleshelm.direction.selectors import alignment as alignment_selectors
from saleshelm.direction.selectors import line_of_sight as los_selectors
from saleshelm.direction.selectors import progress as progress_selectors
from saleshelm.direction.selectors import segments as segment_selectors
from saleshelm.direction.selectors import strategy as strategy_selectors
from saleshelm.direction.selectors import vision as vision_selectors
from saleshelm.direction.services.common import organisation_of, resolve_period
from saleshelm.people.selectors import access_member, access_team, visible_member_ids
from saleshelm.performance.selectors.targets import access_target

router = Router(tags=["direction"])

Value = Field(..., max_digits=20, decimal_places=4)
Weight = Field(None, gt=0, le=1000, max_digits=9, decimal_places=4)
PeriodKey = Field(..., min_length=4, max_length=16)
Level = Literal["organisation", "sales", "team", "member"]
GoalStatusIn = Literal["active", "achieved", "missed", "cancelled"]
Source = Literal["metric", "manual"]
Scope = Literal["organisation", "team", "member"]


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


# --- vision ------------------------------------------------------------------------------------


class VisionOut(Schema):
    statement: str
    horizon: int | None
    at_risk_threshold: str


class VisionIn(Schema):
    statement: str = Field("", max_length=2000)
    horizon: int | None = Field(None, ge=2000, le=2100)
    at_risk_threshold: Decimal | None = Field(None, ge=0, le=1, max_digits=5, decimal_places=4)


def _vision_out(vision) -> dict:
    if vision is None:
        return {"statement": "", "horizon": None, "at_risk_threshold": "0.1000"}
    return {
        "statement": vision.statement,
        "horizon": vision.horizon,
        "at_risk_threshold": str(vision.at_risk_threshold),
    }


@router.get("/vision", response={200: VisionOut, **ERRORS})
def get_vision(request):
    return _vision_out(vision_selectors.vision_get(actor=request.auth))


@router.put("/vision", response={200: VisionOut, **ERRORS})
def put_vision(request, payload: VisionIn):
    data = payload.dict()
    if data["at_risk_threshold"] is None:
        data.pop("at_risk_threshold")
    return _vision_out(services.vision_save(actor=request.auth, **data))


# --- goals and key results ---------------------------------------------------------------------


class KeyResultOut(Schema):
    id: int
    goal_id: int
    name: str
    source: str
    metric: str
    period: str
    scope: str
    scope_team_id: int | None
    scope_member_id: int | None
    start_value: str
    target_value: str | None
    current_value: str | None
    unit: str
    weight: str
    progress: str | None
    expected: str
    at_risk: bool
    as_of: dt.date | None

    @staticmethod
    def resolve_id(v) -> int:
        return v.kr.pk

    @staticmethod
    def resolve_goal_id(v) -> int:
        return v.kr.goal_id

    @staticmethod
    def resolve_name(v) -> str:
        return v.kr.name

    @staticmethod
    def resolve_source(v) -> str:
        return v.kr.source

    @staticmethod
    def resolve_metric(v) -> str:
        return v.kr.metric

    @staticmethod
    def resolve_period(v) -> str:
        return v.kr.period or v.kr.goal.period

    @staticmethod
    def resolve_scope(v) -> str:
        return v.kr.scope

    @staticmethod
    def resolve_scope_team_id(v) -> int | None:
        return v.kr.scope_team_id

    @staticmethod
    def resolve_scope_member_id(v) -> int | None:
        return v.kr.scope_member_id

    @staticmethod
    def resolve_start_value(v) -> str:
        return str(v.kr.start_value)

    @staticmethod
    def resolve_target_value(v) -> str | None:
        return _dec(v.target)

    @staticmethod
    def resolve_current_value(v) -> str | None:
        return _dec(v.current)

    @staticmethod
    def resolve_unit(v) -> str:
        return v.kr.unit

    @staticmethod
    def resolve_weight(v) -> str:
        return str(v.kr.weight)

    @staticmethod
    def resolve_progress(v) -> str | None:
        return _dec(v.progress)

    @staticmethod
    def resolve_expected(v) -> str:
        return str(v.expected)


class GoalOut(Schema):
    id: int
    title: str
    description: str
    level: str
    parent_id: int | None
    owner: MemberRef | None
    team: Ref | None
    period: str
    period_start: dt.date
    period_end: dt.date
    weight: str
    status: str
    progress: str | None = Field(description="0..1, rolled up by weight; null if unmeasured")
    expected: str = Field(description="share of the period gone by")
    at_risk: bool
    child_ids: list[int]
    key_results: list[KeyResultOut]

    @staticmethod
    def resolve_id(n) -> int:
        return n.goal.pk

    @staticmethod
    def resolve_title(n) -> str:
        return n.goal.title

    @staticmethod
    def resolve_description(n) -> str:
        return n.goal.description

    @staticmethod
    def resolve_level(n) -> str:
        return n.goal.level

    @staticmethod
    def resolve_parent_id(n) -> int | None:
        return n.goal.parent_id

    @staticmethod
    def resolve_owner(n):
        return n.goal.owner

    @staticmethod
    def resolve_team(n):
        return n.goal.team

    @staticmethod
    def resolve_period(n) -> str:
        return n.goal.period

    @staticmethod
    def resolve_period_start(n) -> dt.date:
        return n.goal.period_start

    @staticmethod
    def resolve_period_end(n) -> dt.date:
        return n.goal.period_end

    @staticmethod
    def resolve_weight(n) -> str:
        return str(n.goal.weight)

    @staticmethod
    def resolve_status(n) -> str:
        return n.goal.status

    @staticmethod
    def resolve_progress(n) -> str | None:
        return _dec(n.progress)

    @staticmethod
    def resolve_expected(n) -> str:
        return str(n.expected)

    @staticmethod
    def resolve_child_ids(n) -> list[int]:
        return [c.goal.pk for c in n.children]


class GoalFilters(Schema):
    level: Level | None = None
    period: str | None = Field(None, max_length=16, description="goals of exactly this period")
    parent_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    status: GoalStatusIn | None = None
    at_risk: bool | None = None


class GoalIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    level: Level
    period: str = PeriodKey
    parent_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    description: str = Field("", max_length=5000)
    weight: Decimal | None = Weight
    status: GoalStatusIn = "active"


class GoalPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    level: Level | None = None
    period: str | None = Field(None, min_length=4, max_length=16)
    parent_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    description: str | None = Field(None, max_length=5000)
    weight: Decimal | None = Weight
    status: GoalStatusIn | None = None


def _goal_node(actor, goal_id: int):
    goal = vision_selectors.access_goal(actor=actor, id=goal_id)
    return progress_selectors.goal_progress(actor=actor, goal=goal)


def _goal_refs(actor, payload, fields: set[str]) -> dict:
    refs: dict = {}
    if "parent_id" in fields:
        refs["parent"] = (
            None
            if payload.parent_id is None
            else vision_selectors.access_goal(actor=actor, id=payload.parent_id)
        )
    if "owner_id" in fields:
        refs["owner"] = (
            None if payload.owner_id is None else access_member(actor=actor, id=payload.owner_id)
        )
    if "team_id" in fields:
        refs["team"] = (
            None if payload.team_id is None else access_team(actor=actor, id=payload.team_id)
        )
    return refs


@router.get("/goals", response=list[GoalOut])
@paginate(LimitOffsetPagination)
def list_goals(request, filters: Query[GoalFilters]):
    """Goals in tree order (each parent before its children), with roll-up progress."""
    actor = request.auth
    forest = progress_selectors.goal_forest(actor=actor)
    wanted = set(
        vision_selectors.goal_list(
            actor=actor,
            level=filters.level,
            period=filters.period,
            parent_id=filters.parent_id,
            owner_id=filters.owner_id,
            team_id=filters.team_id,
            status=filters.status,
        ).values_list("pk", flat=True)
    )
    nodes = [n for n in forest.walk() if n.goal.pk in wanted]
    if filters.at_risk is not None:
        nodes = [n for n in nodes if n.at_risk == filters.at_risk]
    return nodes


@router.get("/goals/{id}", response={200: GoalOut, **ERRORS})
def get_goal(request, id: int):
    return _goal_node(request.auth, id)


@router.post("/goals", response={201: GoalOut, **ERRORS})
def create_goal(request, payload: GoalIn):
    actor = request.auth
    refs = _goal_refs(actor, payload, {"parent_id", "owner_id", "team_id"})
    goal = services.goal_create(
        actor=actor,
        title=payload.title,
        level=payload.level,
        period=payload.period,
        description=payload.description,
        weight=payload.weight or Decimal(1),
        status=payload.status,
        **refs,
    )
    return Status(201, _goal_node(actor, goal.pk))


@router.patch("/goals/{id}", response={200: GoalOut, **ERRORS})
def update_goal(request, id: int, payload: GoalPatch):
    actor = request.auth
    goal = vision_selectors.access_goal(actor=actor, id=id)
    fields = payload.model_fields_set
    changes = {
        name: getattr(payload, name)
        for name in ("title", "level", "period", "description", "weight", "status")
        if name in fields and getattr(payload, name) is not None
    }
    changes.update(_goal_refs(actor, payload, fields))
    services.goal_update(actor=actor, goal=goal, **changes)
    return _goal_node(actor, id)


class KeyResultIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    source: Source = "manual"
    metric: str = Field("", max_length=64)
    period: str = Field("", max_length=16, description="empty: the goal's period")
    scope: Scope = "organisation"
    scope_team_id: int | None = None
    scope_member_id: int | None = None
    start_value: Decimal = Field(Decimal(0), max_digits=20, decimal_places=4)
    target_value: Decimal | None = Field(None, max_digits=20, decimal_places=4)
    unit: str = Field("", max_length=24)
    weight: Decimal | None = Weight


class KeyResultPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    source: Source | None = None
    metric: str | None = Field(None, max_length=64)
    period: str | None = Field(None, max_length=16)
    scope: Scope | None = None
    scope_team_id: int | None = None
    scope_member_id: int | None = None
    start_value: Decimal | None = Field(None, max_digits=20, decimal_places=4)
    target_value: Decimal | None = Field(None, max_digits=20, decimal_places=4)
    unit: str | None = Field(None, max_length=24)
    weight: Decimal | None = Weight


def _kr_refs(actor, payload, fields: set[str]) -> dict:
    refs: dict = {}
    if "scope_team_id" in fields:
        refs["scope_team"] = (
            None
            if payload.scope_team_id is None
            else access_team(actor=actor, id=payload.scope_team_id)
        )
    if "scope_member_id" in fields:
        refs["scope_member"] = (
            None
            if payload.scope_member_id is None
            else access_member(actor=actor, id=payload.scope_member_id)
        )
    return refs


def _kr_view(actor, kr_id: int):
    kr = vision_selectors.access_key_result(actor=actor, id=kr_id)
    node = progress_selectors.goal_progress(actor=actor, goal=kr.goal)
    return next(v for v in node.key_results if v.kr.pk == kr_id)


@router.post("/goals/{id}/key-results", response={201: KeyResultOut, **ERRORS})
def create_key_result(request, id: int, payload: KeyResultIn):
    actor = request.auth
    goal = vision_selectors.access_goal(actor=actor, id=id)
    data = payload.dict(exclude={"scope_team_id", "scope_member_id"})
    if data["weight"] is None:
        data["weight"] = Decimal(1)
    kr = services.key_result_create(
        actor=actor,
        goal=goal,
        **data,
        **_kr_refs(actor, payload, {"scope_team_id", "scope_member_id"}),
    )
    return Status(201, _kr_view(actor, kr.pk))


@router.get("/key-results/{id}", response={200: KeyResultOut, **ERRORS})
def get_key_result(request, id: int):
    return _kr_view(request.auth, id)


@router.patch("/key-results/{id}", response={200: KeyResultOut, **ERRORS})
def update_key_result(request, id: int, payload: KeyResultPatch):
    actor = request.auth
    kr = vision_selectors.access_key_result(actor=actor, id=id)
    fields = payload.model_fields_set
    changes: dict[str, Any] = {
        name: getattr(payload, name)
        for name in (
            "name",
            "source",
            "metric",
            "period",
            "scope",
            "start_value",
            "unit",
            "weight",
        )
        if name in fields and getattr(payload, name) is not None
    }
    if "target_value" in fields:
        changes["target_value"] = payload.target_value
    changes.update(_kr_refs(actor, payload, fields))
    services.key_result_update(actor=actor, key_result=kr, **changes)
    return _kr_view(actor, id)


@router.delete("/key-results/{id}", response={204: None, **ERRORS})
def delete_key_result(request, id: int):
    actor = request.auth
    kr = vision_selectors.access_key_result(actor=actor, id=id)
    services.key_result_delete(actor=actor, key_result=kr)
    return Status(204, None)


class CheckInOut(Schema):
    id: int
    key_result_id: int
    value: str
    note: str
    date: dt.date
    author: MemberRef | None

    @staticmethod
    def resolve_value(c) -> str:
        return str(c.value)


class CheckInIn(Schema):
    value: Decimal = Value
    note: str = Field("", max_length=2000)
    date: dt.date | None = None


@router.get("/key-results/{id}/check-ins", response=list[CheckInOut])
@paginate(LimitOffsetPagination)
def list_check_ins(request, id: int):
    actor = request.auth
    kr = vision_selectors.access_key_result(actor=actor, id=id)
    return vision_selectors.check_in_list(actor=actor, key_result=kr)


@router.post("/key-results/{id}/check-ins", response={201: CheckInOut, **ERRORS})
def create_check_in(request, id: int, payload: CheckInIn):
    actor = request.auth
    kr = vision_selectors.access_key_result(actor=actor, id=id)
    check_in = services.check_in_create(
        actor=actor, key_result=kr, value=payload.value, note=payload.note, date=payload.date
    )
    return Status(201, check_in)


# --- alignment, contribution, line of sight ----------------------------------------------------


def _period(actor, key: str | None):
    if key:
        return resolve_period(actor, key)
    org = organisation_of(actor)
    return period_of(dt.date.today(), "year", fiscal_start_month=org.fiscal_year_start_month)


class FiguresOut(Schema):
    pipeline: str
    pipeline_deals: int
    revenue: str
    won_deals: int
    activities: int
    targets: int
    revenue_target: str
    credited: str

    @staticmethod
    def resolve_pipeline(f) -> str:
        return money_str(f.pipeline)

    @staticmethod
    def resolve_revenue_target(f) -> str:
        return money_str(f.revenue_target)

    @staticmethod
    def resolve_credited(f) -> str:
        return money_str(f.credited)

    @staticmethod
    def resolve_revenue(f) -> str:
        return money_str(f.revenue)


class AlignmentRowOut(Schema):
    goal_id: int
    title: str
    level: str
    depth: int
    own: FiguresOut
    total: FiguresOut
    pipeline_share: str | None
    revenue_share: str | None
    effort_share: str | None

    @staticmethod
    def resolve_goal_id(r) -> int:
        return r.node.goal.pk

    @staticmethod
    def resolve_title(r) -> str:
        return r.node.goal.title

    @staticmethod
    def resolve_level(r) -> str:
        return r.node.goal.level

    @staticmethod
    def resolve_depth(r) -> int:
        return r.node.depth

    @staticmethod
    def resolve_pipeline_share(r) -> str | None:
        return _dec(r.pipeline_share)

    @staticmethod
    def resolve_revenue_share(r) -> str | None:
        return _dec(r.revenue_share)

    @staticmethod
    def resolve_effort_share(r) -> str | None:
        return _dec(r.effort_share)


class AlignmentOut(Schema):
    period: str
    currency: str
    overall: FiguresOut
    aligned: FiguresOut
    unaligned: FiguresOut
    aligned_pipeline_share: str | None
    aligned_revenue_share: str | None
    aligned_effort_share: str | None
    rows: list[AlignmentRowOut]


@router.get("/goal-alignment", response={200: AlignmentOut, **ERRORS})
def goal_alignment(request, period: str | None = Query(None, max_length=16)):
    """Pipeline, revenue won and activities aligned to each goal (and its subtree) over the
    deals the caller sees, and what serves no goal."""
    actor = request.auth
    report = alignment_selectors.alignment_report(actor=actor, period=_period(actor, period))
    return {
        "period": report.period.key,
        "currency": organisation_of(actor).currency,
        "overall": report.overall,
        "aligned": report.aligned,
        "unaligned": report.unaligned,
        "aligned_pipeline_share": _dec(report.aligned_pipeline_share),
        "aligned_revenue_share": _dec(report.aligned_revenue_share),
        "aligned_effort_share": _dec(report.aligned_effort_share),
        "rows": report.rows,
    }


class ContributionRowOut(Schema):
    kind: str
    id: int | None
    name: str
    amount: str
    share: str | None
    trend: list[dict]

    @staticmethod
    def resolve_name(r) -> str:
        return r.label

    @staticmethod
    def resolve_amount(r) -> str:
        return money_str(r.amount)

    @staticmethod
    def resolve_share(r) -> str | None:
        return _dec(r.share)

    @staticmethod
    def resolve_trend(r) -> list[dict]:
        return [{"month": m, "share": _dec(s)} for m, s in r.trend]


class ContributionOut(Schema):
    goal_id: int
    currency: str
    total: str
    members: list[ContributionRowOut]
    teams: list[ContributionRowOut]


@router.get("/goals/{id}/contribution", response={200: ContributionOut, **ERRORS})
def goal_contribution(request, id: int):
    """Each member's and team's share of the revenue won on deals serving the goal (members
    the caller may not see are summed as "others"), with the monthly trend of each share."""
    actor = request.auth
    node = _goal_node(actor, id)
    visible = set(visible_member_ids(actor=actor).values_list("pk", flat=True))
    c = alignment_selectors.goal_contribution(actor=actor, node=node, visible_member_ids=visible)
    return {
        "goal_id": id,
        "currency": organisation_of(actor).currency,
        "total": money_str(c.total),
        "members": c.members,
        "teams": c.teams,
    }


class DealOut(Schema):
    id: int
    name: str
    amount: str
    currency: str
    close_date: dt.date
    stage: str
    goal_id: int | None

    @staticmethod
    def resolve_amount(o) -> str:
        return str(o.amount)

    @staticmethod
    def resolve_stage(o) -> str:
        return o.stage.name

    @staticmethod
    def resolve_goal_id(o) -> int | None:
        link = getattr(o, "goal_link", None)
        return link.goal_id if link is not None else None


class ActivityOut(Schema):
    id: int
    type: str
    subject: str
    occurred_at: dt.datetime
    opportunity_id: int | None


class ServedOut(Schema):
    goal_id: int
    why: str
    chain: list[int] = Field(description="goal ids from the root down to the served goal")
    my_amount: str
    my_share: str | None
    ladder: list[dict] = Field(
        description="the member's and their team's share of each goal's result, upwards"
    )

    @staticmethod
    def resolve_goal_id(c) -> int:
        return c.goal.goal.pk

    @staticmethod
    def resolve_chain(c) -> list[int]:
        return [n.goal.pk for n in c.above] + [c.goal.goal.pk]

    @staticmethod
    def resolve_my_amount(c) -> str:
        return money_str(c.ladder[0].my_amount if c.ladder else 0)

    @staticmethod
    def resolve_my_share(c) -> str | None:
        return _dec(c.my_share)

    @staticmethod
    def resolve_ladder(c) -> list[dict]:
        return [
            {
                "goal_id": r.node.goal.pk,
                "total": money_str(r.total),
                "my_share": _dec(r.my_share),
                "team_share": _dec(r.team_share),
            }
            for r in c.ladder
        ]


class LineOfSightOut(Schema):
    member: MemberRef
    vision: VisionOut
    served: list[ServedOut]
    goals: list[GoalOut]
    open_deals: list[DealOut]
    open_deal_count: int
    week_start: dt.date
    activities: list[ActivityOut]


@router.get("/line-of-sight/{id}", response={200: LineOfSightOut, **ERRORS})
def line_of_sight(request, id: int):
    """One member's line of sight (the member, their managers and org-wide roles)."""
    actor = request.auth
    member = los_selectors.access_line_of_sight_member(actor=actor, id=id)
    los = los_selectors.line_of_sight(actor=actor, member=member)
    goals = [n for root in los.served_tree for n in root.walk()]
    return {
        "member": member,
        "vision": _vision_out(los.vision),
        "served": los.served,
        "goals": goals,
        "open_deals": los.deals,
        "open_deal_count": los.open_deal_count,
        "week_start": los.week_start,
        "activities": los.activities,
    }


class GoalLinkOut(Schema):
    id: int
    goal_id: int
    opportunity_id: int | None
    target_id: int | None


class GoalLinkIn(Schema):
    goal_id: int
    opportunity_id: int | None = Field(None, description="a deal; or give target_id")
    target_id: int | None = None


@router.get("/goal-links", response=list[GoalLinkOut])
@paginate(LimitOffsetPagination)
def list_goal_links(
    request, goal_id: int | None = None, kind: Literal["opportunity", "target"] | None = None
):
    """Links of the deals and targets the caller sees."""
    return vision_selectors.goal_link_list(actor=request.auth, goal_id=goal_id, kind=kind)


@router.post("/goal-links", response={201: GoalLinkOut, **ERRORS})
def create_goal_link(request, payload: GoalLinkIn):
    """Say which goal a deal (whoever may edit it) or a target (whoever may set it) serves;
    an object already serving another goal moves."""
    actor = request.auth
    if (payload.opportunity_id is None) == (payload.target_id is None):
        raise ApplicationError(
            "give exactly one of opportunity_id and target_id", field="opportunity_id"
        )
    if payload.opportunity_id is not None:
        opportunity = access_opportunity(actor=actor, id=payload.opportunity_id)
        goal = vision_selectors.access_goal(actor=actor, id=payload.goal_id)
        link = services.goal_link_opportunity(actor=actor, goal=goal, opportunity=opportunity)
    else:
        target = access_target(actor=actor, id=int(payload.target_id or 0))
        goal = vision_selectors.access_goal(actor=actor, id=payload.goal_id)
        link = services.goal_link_target(actor=actor, goal=goal, target=target)
    return Status(201, link)


@router.delete("/goal-links/{id}", response={204: None, **ERRORS})
def delete_goal_link(request, id: int):
    actor = request.auth
    link = vision_selectors.access_goal_link(actor=actor, id=id)
    services.goal_link_delete(actor=actor, link=link)
    return Status(204, None)


# --- mission and values ------------------------------------------------------------------------


class MissionOut(Schema):
    statement: str
    culture: str


class MissionIn(Schema):
    statement: str = Field(..., max_length=2000)
    culture: str = Field("", max_length=10000)


@router.get("/mission", response={200: MissionOut, **ERRORS})
def get_mission(request):
    mission = strategy_selectors.mission_get(actor=request.auth)
    return mission or {"statement": "", "culture": ""}


@router.put("/mission", response={200: MissionOut, **ERRORS})
def put_mission(request, payload: MissionIn):
    return services.mission_save(actor=request.auth, **payload.dict())


class ValueOut(Schema):
    id: int
    name: str
    description: str
    behaviours: list[str]
    position: int


class ValueIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    behaviours: list[str] = Field(default_factory=list, max_length=20)


@router.get("/values", response=list[ValueOut])
@paginate(LimitOffsetPagination)
def list_values(request):
    return strategy_selectors.value_list(actor=request.auth)


@router.get("/values/{id}", response={200: ValueOut, **ERRORS})
def get_value(request, id: int):
    return strategy_selectors.access_value(actor=request.auth, id=id)


@router.post("/values", response={201: ValueOut, **ERRORS})
def create_value(request, payload: ValueIn):
    return Status(201, services.value_create(actor=request.auth, **payload.dict()))


@router.put("/values/{id}", response={200: ValueOut, **ERRORS})
def replace_value(request, id: int, payload: ValueIn):
    value = strategy_selectors.access_value(actor=request.auth, id=id)
    return services.value_update(actor=request.auth, value=value, **payload.dict())


@router.delete("/values/{id}", response={204: None, **ERRORS})
def delete_value(request, id: int):
    value = strategy_selectors.access_value(actor=request.auth, id=id)
    services.value_delete(actor=request.auth, value=value)
    return Status(204, None)


# --- offerings and competitors -----------------------------------------------------------------


class OfferingOut(Schema):
    id: int
    name: str
    value_proposition: str
    differentiators: list[str]
    product_categories: list[Ref]

    @staticmethod
    def resolve_product_categories(o) -> list:
        return list(o.product_categories.all())


class OfferingIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    value_proposition: str = Field("", max_length=4000)
    differentiators: list[str] = Field(default_factory=list, max_length=20)
    product_category_ids: list[int] = Field(default_factory=list, max_length=50)


def _categories(actor, ids: list[int]) -> list:
    return [access_category(actor=actor, id=i) for i in dict.fromkeys(ids)]


@router.get("/offerings", response=list[OfferingOut])
@paginate(LimitOffsetPagination)
def list_offerings(request):
    return strategy_selectors.offering_list(actor=request.auth)


@router.get("/offerings/{id}", response={200: OfferingOut, **ERRORS})
def get_offering(request, id: int):
    return strategy_selectors.access_offering(actor=request.auth, id=id)


@router.post("/offerings", response={201: OfferingOut, **ERRORS})
def create_offering(request, payload: OfferingIn):
    actor = request.auth
    data = payload.dict(exclude={"product_category_ids"})
    offering = services.offering_create(
        actor=actor, product_categories=_categories(actor, payload.product_category_ids), **data
    )
    return Status(201, strategy_selectors.access_offering(actor=actor, id=offering.pk))


@router.put("/offerings/{id}", response={200: OfferingOut, **ERRORS})
def replace_offering(request, id: int, payload: OfferingIn):
    actor = request.auth
    offering = strategy_selectors.access_offering(actor=actor, id=id)
    data = payload.dict(exclude={"product_category_ids"})
    services.offering_update(
        actor=actor,
        offering=offering,
        product_categories=_categories(actor, payload.product_category_ids),
        **data,
    )
    return strategy_selectors.access_offering(actor=actor, id=id)


@router.delete("/offerings/{id}", response={204: None, **ERRORS})
def delete_offering(request, id: int):
    offering = strategy_selectors.access_offering(actor=request.auth, id=id)
    services.offering_delete(actor=request.auth, offering=offering)
    return Status(204, None)


class CompetitorOut(Schema):
    id: int
    name: str
    website: str
    strengths: list[str]
    weaknesses: list[str]
    how_we_win: str


class CompetitorIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    website: str = Field("", max_length=200)
    strengths: list[str] = Field(default_factory=list, max_length=20)
    weaknesses: list[str] = Field(default_factory=list, max_length=20)
    how_we_win: str = Field("", max_length=4000)


class WinLossOut(Schema):
    competitor: Ref
    open: int
    won: int
    lost: int
    win_rate: str | None
    won_amount: str
    lost_amount: str

    @staticmethod
    def resolve_win_rate(r) -> str | None:
        return _dec(r.win_rate)

    @staticmethod
    def resolve_won_amount(r) -> str:
        return money_str(r.won_amount)

    @staticmethod
    def resolve_lost_amount(r) -> str:
        return money_str(r.lost_amount)


@router.get("/competitors", response=list[CompetitorOut])
@paginate(LimitOffsetPagination)
def list_competitors(request):
    return strategy_selectors.competitor_list(actor=request.auth)


@router.get("/competitors/win-loss", response={200: list[WinLossOut], **ERRORS})
def competitor_win_loss(request, date_from: dt.date | None = None, date_to: dt.date | None = None):
    """Deals met against each competitor, over the deals the caller sees (closing between
    the dates given)."""
    return strategy_selectors.win_loss_by_competitor(
        actor=request.auth, date_from=date_from, date_to=date_to
    )


@router.get("/competitors/{id}", response={200: CompetitorOut, **ERRORS})
def get_competitor(request, id: int):
    return strategy_selectors.access_competitor(actor=request.auth, id=id)


@router.post("/competitors", response={201: CompetitorOut, **ERRORS})
def create_competitor(request, payload: CompetitorIn):
    return Status(201, services.competitor_create(actor=request.auth, **payload.dict()))


@router.put("/competitors/{id}", response={200: CompetitorOut, **ERRORS})
def replace_competitor(request, id: int, payload: CompetitorIn):
    competitor = strategy_selectors.access_competitor(actor=request.auth, id=id)
    return services.competitor_update(actor=request.auth, competitor=competitor, **payload.dict())


@router.delete("/competitors/{id}", response={204: None, **ERRORS})
def delete_competitor(request, id: int):
    competitor = strategy_selectors.access_competitor(actor=request.auth, id=id)
    services.competitor_delete(actor=request.auth, competitor=competitor)
    return Status(204, None)


class CompetitorLinkOut(Schema):
    id: int
    opportunity_id: int
    competitor_id: int
    note: str


class CompetitorLinkIn(Schema):
    opportunity_id: int
    competitor_id: int
    note: str = Field("", max_length=255)


@router.get("/competitor-links", response=list[CompetitorLinkOut])
@paginate(LimitOffsetPagination)
def list_competitor_links(
    request, opportunity_id: int | None = None, competitor_id: int | None = None
):
    return strategy_selectors.competitor_link_list(
        actor=request.auth, opportunity_id=opportunity_id, competitor_id=competitor_id
    )


@router.post("/competitor-links", response={201: CompetitorLinkOut, **ERRORS})
def create_competitor_link(request, payload: CompetitorLinkIn):
    """Record a competitor met on a deal (whoever may edit the deal)."""
    actor = request.auth
    opportunity = access_opportunity(actor=actor, id=payload.opportunity_id)
    competitor = strategy_selectors.access_competitor(actor=actor, id=payload.competitor_id)
    link = services.opportunity_competitor_add(
        actor=actor, opportunity=opportunity, competitor=competitor, note=payload.note
    )
    return Status(201, link)


@router.delete("/competitor-links/{id}", response={204: None, **ERRORS})
def delete_competitor_link(request, id: int):
    actor = request.auth
    link = strategy_selectors.access_competitor_link(actor=actor, id=id)
    services.opportunity_competitor_remove(actor=actor, link=link)
    return Status(204, None)


# --- segments ------------------------------------------------------------------------------


class CustomCondition(Schema):
    key: Literal[tuple(CUSTOM_KEYS)]  # type: ignore[valid-type]
    value: str = Field(..., min_length=1, max_length=120)


class SegmentOut(Schema):
    id: int
    name: str
    description: str
    priority: int
    grade: str
    is_active: bool
    industries: list[str]
    employees_min: int | None
    employees_max: int | None
    regions: list[str]
    countries: list[str]
    custom: list[dict]
    accounts: int = Field(description="accounts (that the caller sees) in this segment")
    leads: int


class SegmentIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    description: str = Field("", max_length=2000)
    priority: int = Field(1, ge=1, le=1000)
    is_active: bool = True
    industries: list[str] = Field(default_factory=list, max_length=50)
    employees_min: int | None = Field(None, ge=0, le=10_000_000)
    employees_max: int | None = Field(None, ge=0, le=10_000_000)
    regions: list[str] = Field(default_factory=list, max_length=50)
    countries: list[str] = Field(default_factory=list, max_length=50)
    custom: list[CustomCondition] = Field(default_factory=list, max_length=10)


class SegmentPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=2000)
    priority: int | None = Field(None, ge=1, le=1000)
    is_active: bool | None = None
    industries: list[str] | None = Field(None, max_length=50)
    employees_min: int | None = Field(None, ge=0, le=10_000_000)
    employees_max: int | None = Field(None, ge=0, le=10_000_000)
    regions: list[str] | None = Field(None, max_length=50)
    countries: list[str] | None = Field(None, max_length=50)
    custom: list[CustomCondition] | None = Field(None, max_length=10)


def _segments_out(actor, segments) -> list[dict]:
    from saleshelm.direction.segments import compile_rules

    everything = list(segment_selectors.segment_list(actor=actor))
    grades = {r.segment_id: r.grade for r in compile_rules(everything)}
    counts = segment_selectors.segment_counts(actor=actor)
    out = []
    for s in segments:
        c = counts.get(s.pk, {"accounts": 0, "leads": 0})
        out.append(
            {
                "id": s.pk,
                "name": s.name,
                "description": s.description,
                "priority": s.priority,
                "grade": grades.get(s.pk, ""),
                "is_active": s.is_active,
                "industries": s.industries,
                "employees_min": s.employees_min,
                "employees_max": s.employees_max,
                "regions": s.regions,
                "countries": s.countries,
                "custom": s.custom,
                "accounts": c["accounts"],
                "leads": c["leads"],
            }
        )
    return out


class ReclassifyOut(Schema):
    accounts: int
    accounts_changed: int
    leads: int
    leads_changed: int


class SegmentReportRowOut(Schema):
    segment: Ref | None
    grade: str
    accounts: int
    leads: int
    pipeline: str
    pipeline_deals: int
    revenue: str
    won: int
    lost: int
    win_rate: str | None
    cycle_days: str | None

    @staticmethod
    def resolve_pipeline(r) -> str:
        return money_str(r.pipeline)

    @staticmethod
    def resolve_revenue(r) -> str:
        return money_str(r.revenue)

    @staticmethod
    def resolve_win_rate(r) -> str | None:
        return _dec(r.win_rate)

    @staticmethod
    def resolve_cycle_days(r) -> str | None:
        return _dec(r.cycle_days)


class EffortOut(Schema):
    grade: str
    activities: int
    share: str | None

    @staticmethod
    def resolve_share(r) -> str | None:
        return _dec(r.share)


class SegmentReportOut(Schema):
    period: str
    currency: str
    rows: list[SegmentReportRowOut]
    effort: list[EffortOut]
    target_activities: int
    other_activities: int
    target_share: str | None


@router.get("/segments", response=list[SegmentOut])
@paginate(LimitOffsetPagination)
def list_segments(request):
    actor = request.auth
    return _segments_out(actor, segment_selectors.segment_list(actor=actor))


@router.get("/segments/report", response={200: SegmentReportOut, **ERRORS})
def segment_report(request, period: str | None = Query(None, max_length=16)):
    """Pipeline, revenue, win rate and cycle time by segment, and effort on target customers,
    over the records the caller sees."""
    actor = request.auth
    report = segment_selectors.segment_report(actor=actor, period=_period(actor, period))
    return {
        "period": report.period.key,
        "currency": organisation_of(actor).currency,
        "rows": report.rows,
        "effort": report.effort,
        "target_activities": report.target_activities,
        "other_activities": report.other_activities,
        "target_share": _dec(report.target_share),
    }


@router.post("/segments/reclassify", response={200: ReclassifyOut, **ERRORS})
def reclassify_segments(request):
    """Recompute the segment fit of every account and lead now."""
    return services.segments_reclassify(actor=request.auth).as_dict()


@router.get("/segments/{id}", response={200: SegmentOut, **ERRORS})
def get_segment(request, id: int):
    actor = request.auth
    return _segments_out(actor, [segment_selectors.access_segment(actor=actor, id=id)])[0]


def _segment_data(payload, fields: set[str] | None = None) -> dict:
    data = payload.dict()
    if data.get("custom") is not None:
        data["custom"] = [dict(c) for c in data["custom"]]
    if fields is None:
        return data
    out = {}
    for name in fields:
        value = data.get(name)
        if value is None and name not in ("employees_min", "employees_max"):
            continue
        out[name] = value
    return out


@router.post("/segments", response={201: SegmentOut, **ERRORS})
def create_segment(request, payload: SegmentIn):
    actor = request.auth
    segment = services.segment_create(actor=actor, **_segment_data(payload))
    return Status(201, _segments_out(actor, [segment])[0])


@router.patch("/segments/{id}", response={200: SegmentOut, **ERRORS})
def update_segment(request, id: int, payload: SegmentPatch):
    actor = request.auth
    segment = segment_selectors.access_segment(actor=actor, id=id)
    changes = _segment_data(payload, payload.model_fields_set)
    segment = services.segment_update(actor=actor, segment=segment, **changes)
    return _segments_out(actor, [segment])[0]


@router.delete("/segments/{id}", response={204: None, **ERRORS})
def delete_segment(request, id: int):
    actor = request.auth
    segment = segment_selectors.access_segment(actor=actor, id=id)
    services.segment_delete(actor=actor, segment=segment)
    return Status(204, None)

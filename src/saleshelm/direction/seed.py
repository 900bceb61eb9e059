"""Seeding of direction (``saleshelm seed``; see ``saleshelm.core.seeding``).

Runs after crm and performance, so that it can align their records to goals:

- a vision with its horizon, a mission, culture and four values with the behaviours that
  show them (English or Vietnamese, after the organisation's language);
- offerings tied to the seeded product categories, competitors with how we win, and the
  competitors met on about a third of the deals;
- target segments over the seeded industries, sizes and countries (and a lead-source rule),
  then every account and lead classified in one bulk pass;
- a goal tree for the current fiscal year: two organisation goals, the Sales goals serving
  them, a goal per team and per rep (up to ``MEMBER_GOALS``), with key results bound to
  revenue and to calls (read live from performance), and hand-updated key results with
  dated check-ins;
- most deals closing this year linked to the goal of their owner (or their team), and the
  quarter's revenue targets of members and teams linked to their goals.

Seeding the same organisation again adds member goals for the new reps and links their deals;
the organisation-level content is written once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from saleshelm.core.periods import Period, period_of
from saleshelm.core.seeding import SeedContext
from saleshelm.crm.seed.catalogue import VI_INDUSTRIES, VI_LEAD_SOURCES
from saleshelm.direction.models import (
    CompanyValue,
    Competitor,
    Goal,
    GoalLevel,
    GoalLink,
    KeyResult,
    KeyResultCheckIn,
    KeyResultScope,
    KeyResultSource,
    Mission,
    Offering,
    OpportunityCompetitor,
    Segment,
    Vision,
)
from saleshelm.direction.segments import classify_organisation

BATCH = 2000
MEMBER_GOALS = 300  # above this many reps, one member goal per team (its first rep)
LINK_SHARE = 0.7  # share of this year's deals linked to a goal
COMPETITOR_SHARE = 0.35  # share of deals with a competitor named


def _vi_industries(*names: str) -> list[str]:
    """The industries a Vietnamese firm's accounts carry (as crm's seed writes them)."""
    return [VI_INDUSTRIES[name] for name in names]


TEXT = {
    "en": {
        "vision": "By {year}, the partner every growing retailer and distributor in Southeast "
        "Asia trusts to sell more: the retail technology they run on, and the people behind it.",
        "mission": "We help shops, pharmacies and distributors sell more and waste less, with "
        "hardware that never stops, software their staff love, and service that shows up.",
        "culture": "We win as one team. We say what we will do and do what we said. We share "
        "what works, in the open, and we coach each other. Customers hear the truth from us, "
        "including when the answer is no.",
        "values": [
            (
                "Customer first",
                "We earn trust by solving the customer's problem, not by selling a product.",
                [
                    "Calls back the same day",
                    "Says no to a deal that will not serve the customer",
                    "Visits the store floor before proposing",
                ],
            ),
            (
                "Keep our word",
                "Commitments are small promises: we keep them or renegotiate early.",
                [
                    "Updates the next step and its date after every meeting",
                    "Warns the manager before a deal slips, not after",
                ],
            ),
            (
                "Learn out loud",
                "We share wins and losses so the whole team gets better.",
                [
                    "Writes up a win story within a week",
                    "Asks for feedback after a lost deal",
                    "Offers a ride-along to a new colleague",
                ],
            ),
            (
                "Own the number",
                "The team's target is everyone's target.",
                [
                    "Knows their pacing to date",
                    "Builds pipeline of three times the quarter's gap",
                ],
            ),
        ],
        "offerings": [
            (
                "Store checkout bundle",
                "Scanners, POS terminals and the software to run them, installed in a day.",
                [
                    "Installed and running in one day",
                    "Local spare parts within 24 hours",
                    "Vietnamese-language support",
                ],
                ["Hardware", "Scanners", "Software"],
            ),
            (
                "Inventory cloud",
                "Stock visibility across stores and warehouses, with reorder suggestions.",
                [
                    "Works offline in stores with poor connections",
                    "Connects to the accounting tools used in Vietnam",
                ],
                ["Software"],
            ),
            (
                "Managed service",
                "We run the devices, the updates and the help desk for a monthly fee.",
                ["Four-hour on-site response in major cities", "One bill for everything"],
                ["Services"],
            ),
        ],
        "competitors": [
            (
                "Zebra direct",
                "zebra.com",
                ["Global brand", "Broad hardware range"],
                ["Slow local service", "Long lead times"],
                "Lead with the one-day installation and the local spare parts; bring a "
                "reference store from the same chain size.",
            ),
            (
                "KiotViet",
                "kiotviet.vn",
                ["Low price", "Large installed base of small shops"],
                ["Limited multi-store inventory", "No managed hardware"],
                "Sell to chains of five stores or more: show multi-store stock and the managed "
                "service.",
            ),
            (
                "Local integrators",
                "",
                ["Relationships with owners", "Flexible pricing"],
                ["No software roadmap", "Support depends on one person"],
                "Put the total cost over three years on one page and offer a pilot store.",
            ),
            (
                "Sapo",
                "sapo.vn",
                ["Strong e-commerce integration"],
                ["Weak hardware offer", "Little field service outside the big cities"],
                "Win on the store floor: hardware, installation and service in one contract.",
            ),
        ],
        "segments": [
            (
                "Mid-market retail & F&B chains",
                "Chains of 50 to 2,000 staff: our best win rate and fastest cycle.",
                1,
                {
                    "industries": ["Retail", "Food & Beverage", "E-commerce"],
                    "employees_min": 50,
                    "employees_max": 2000,
                },
            ),
            (
                "Pharmacy & healthcare",
                "Pharmacy chains and clinics that must track batches and expiry dates.",
                2,
                {"industries": ["Pharmacy", "Healthcare"]},
            ),
            (
                "Logistics & manufacturing",
                "Warehouses and plants above 200 staff, for scanners and managed service.",
                2,
                {"industries": ["Logistics", "Manufacturing"], "employees_min": 200},
            ),
            (
                "Partner referrals",
                "Leads referred by partners and customers convert twice as often.",
                3,
                {"custom": [{"key": "source", "value": "Referral"}]},
            ),
        ],
        "org_goals": [
            ("Become the retail-technology partner of choice in Vietnam", 2),
            ("Grow recurring revenue", 1),
        ],
        "sales_goals": [
            ("Grow revenue in our target segments", 2, 0),
            ("Build a pipeline three times the quarter's gap", 1, 0),
            ("Convert customers to the managed service", 1, 1),
        ],
        "team_goal": "{team}: reach the quarter's number",
        "member_goal": "{name}: hit my quarter and open new stores",
        "kr": {
            "nps": "Customer NPS",
            "revenue_year": "Revenue this year",
            "revenue_quarter": "Revenue this quarter",
            "calls": "Calls made",
            "pipeline": "Pipeline created this quarter",
            "stores": "New stores live",
            "managed": "Customers on the managed service",
            "references": "Referenceable customers",
        },
        "notes": [
            "Two new chains signed",
            "Slow month: holiday season",
            "Pilot store went live",
            "Back on track after the trade show",
        ],
    },
    "vi": {
        "vision": "Đến năm {year}, trở thành đối tác mà mọi nhà bán lẻ và nhà phân phối đang "
        "lớn mạnh ở Đông Nam Á tin cậy để bán được nhiều hơn: công nghệ bán lẻ họ vận hành hằng "
        "ngày, và những con người đứng sau công nghệ đó.",
        "mission": "Chúng tôi giúp cửa hàng, nhà thuốc và nhà phân phối bán nhiều hơn và lãng phí "
        "ít hơn, với phần cứng không bao giờ dừng, phần mềm nhân viên yêu thích và dịch vụ luôn "
        "có mặt.",
        "culture": "Chúng tôi thắng như một đội. Nói điều mình sẽ làm và làm điều mình đã nói. "
        "Chia sẻ công khai những gì hiệu quả và kèm cặp lẫn nhau. Khách hàng luôn nghe sự thật từ "
        "chúng tôi, kể cả khi câu trả lời là không.",
        "values": [
            (
                "Khách hàng là trên hết",
                "Chúng tôi có được niềm tin bằng cách giải quyết vấn đề của khách hàng, không "
                "phải bằng cách bán sản phẩm.",
                [
                    "Gọi lại cho khách ngay trong ngày",
                    "Từ chối thương vụ không mang lại lợi ích cho khách hàng",
                    "Ghé cửa hàng trước khi đưa ra đề xuất",
                ],
            ),
            (
                "Giữ lời hứa",
                "Mỗi cam kết là một lời hứa nhỏ: giữ đúng hoặc thương lượng lại sớm.",
                [
                    "Cập nhật bước tiếp theo và ngày hẹn sau mỗi cuộc gặp",
                    "Báo quản lý trước khi thương vụ bị trễ, không phải sau",
                ],
            ),
            (
                "Học hỏi công khai",
                "Chúng tôi chia sẻ cả thắng lẫn thua để cả đội cùng tiến bộ.",
                [
                    "Viết câu chuyện thành công trong vòng một tuần",
                    "Xin góp ý sau mỗi thương vụ thất bại",
                    "Dẫn đồng nghiệp mới đi gặp khách hàng",
                ],
            ),
            (
                "Làm chủ chỉ tiêu",
                "Chỉ tiêu của đội là chỉ tiêu của mỗi người.",
                [
                    "Biết rõ tiến độ của mình đến hôm nay",
                    "Xây dựng pipeline gấp ba khoảng thiếu hụt của quý",
                ],
            ),
        ],
        "offerings": [
            (
                "Gói thanh toán tại cửa hàng",
                "Máy quét, máy POS và phần mềm vận hành, lắp đặt xong trong một ngày.",
                [
                    "Lắp đặt và vận hành trong một ngày",
                    "Linh kiện thay thế trong 24 giờ",
                    "Hỗ trợ bằng tiếng Việt",
                ],
                ["Hardware", "Scanners", "Software"],
            ),
            (
                "Quản lý kho trên đám mây",
                "Theo dõi tồn kho giữa các cửa hàng và kho, kèm gợi ý đặt hàng.",
                [
                    "Hoạt động ngoại tuyến ở cửa hàng mạng yếu",
                    "Kết nối với phần mềm kế toán phổ biến tại Việt Nam",
                ],
                ["Software"],
            ),
            (
                "Dịch vụ trọn gói",
                "Chúng tôi vận hành thiết bị, cập nhật và tổng đài hỗ trợ với phí hằng tháng.",
                ["Có mặt tại chỗ trong bốn giờ ở các thành phố lớn", "Một hóa đơn cho tất cả"],
                ["Services"],
            ),
        ],
        "competitors": [
            (
                "Zebra trực tiếp",
                "zebra.com",
                ["Thương hiệu toàn cầu", "Nhiều dòng phần cứng"],
                ["Dịch vụ tại chỗ chậm", "Thời gian giao hàng dài"],
                "Nhấn mạnh lắp đặt trong một ngày và linh kiện sẵn có trong nước; mang theo một "
                "cửa hàng tham chiếu cùng quy mô chuỗi.",
            ),
            (
                "KiotViet",
                "kiotviet.vn",
                ["Giá thấp", "Nhiều cửa hàng nhỏ đang dùng"],
                ["Quản lý kho nhiều cửa hàng còn hạn chế", "Không có dịch vụ phần cứng trọn gói"],
                "Tập trung vào chuỗi từ năm cửa hàng trở lên: trình diễn tồn kho nhiều cửa hàng "
                "và dịch vụ trọn gói.",
            ),
            (
                "Nhà tích hợp địa phương",
                "",
                ["Quan hệ thân với chủ cửa hàng", "Giá linh hoạt"],
                ["Không có lộ trình phần mềm", "Hỗ trợ phụ thuộc một người"],
                "Trình bày tổng chi phí ba năm trên một trang và đề xuất một cửa hàng thí điểm.",
            ),
            (
                "Sapo",
                "sapo.vn",
                ["Tích hợp thương mại điện tử tốt"],
                ["Phần cứng yếu", "Ít dịch vụ tại chỗ ngoài các thành phố lớn"],
                "Thắng tại cửa hàng: phần cứng, lắp đặt và dịch vụ trong một hợp đồng.",
            ),
        ],
        "segments": [
            (
                "Chuỗi bán lẻ & F&B tầm trung",
                "Chuỗi từ 50 đến 2.000 nhân viên: tỷ lệ thắng cao nhất, chu kỳ ngắn nhất.",
                1,
                {
                    "industries": _vi_industries("Retail", "Food & Beverage", "E-commerce"),
                    "employees_min": 50,
                    "employees_max": 2000,
                },
            ),
            (
                "Nhà thuốc & y tế",
                "Chuỗi nhà thuốc và phòng khám cần theo dõi lô và hạn dùng.",
                2,
                {"industries": _vi_industries("Pharmacy", "Healthcare")},
            ),
            (
                "Kho vận & sản xuất",
                "Kho và nhà máy trên 200 nhân viên, cho máy quét và dịch vụ trọn gói.",
                2,
                {"industries": _vi_industries("Logistics", "Manufacturing"), "employees_min": 200},
            ),
            (
                "Giới thiệu từ đối tác",
                "Khách hàng tiềm năng do đối tác và khách hàng giới thiệu chuyển đổi gấp đôi.",
                3,
                {"custom": [{"key": "source", "value": VI_LEAD_SOURCES["Referral"]}]},
            ),
        ],
        "org_goals": [
            ("Trở thành đối tác công nghệ bán lẻ hàng đầu tại Việt Nam", 2),
            ("Tăng doanh thu định kỳ", 1),
        ],
        "sales_goals": [
            ("Tăng doanh thu trong các phân khúc mục tiêu", 2, 0),
            ("Xây dựng pipeline gấp ba khoảng thiếu hụt của quý", 1, 0),
            ("Chuyển khách hàng sang dịch vụ trọn gói", 1, 1),
        ],
        "team_goal": "{team}: đạt chỉ tiêu quý",
        "member_goal": "{name}: đạt chỉ tiêu quý và mở cửa hàng mới",
        "kr": {
            "nps": "Chỉ số NPS của khách hàng",
            "revenue_year": "Doanh thu năm nay",
            "revenue_quarter": "Doanh thu quý này",
            "calls": "Số cuộc gọi",
            "pipeline": "Pipeline tạo mới trong quý",
            "stores": "Cửa hàng mới đi vào hoạt động",
            "managed": "Khách hàng dùng dịch vụ trọn gói",
            "references": "Khách hàng sẵn sàng làm tham chiếu",
        },
        "notes": [
            "Ký thêm hai chuỗi mới",
            "Tháng chậm vì mùa lễ",
            "Cửa hàng thí điểm đã vận hành",
            "Trở lại đúng tiến độ sau hội chợ",
        ],
    },
}


def _stamp(obj, now):
    obj.created_at = now
    obj.updated_at = now
    return obj


def _period(ctx: SeedContext, kind: str) -> Period:
    return period_of(ctx.today, kind, fiscal_start_month=ctx.organisation.fiscal_year_start_month)


def _check_ins(ctx, kr: KeyResult, start: dt.date, end: dt.date, notes: list[str], now) -> list:
    """Monthly readings from the start of the period to today: roughly on pace, unevenly."""
    out = []
    target = kr.target_value or Decimal(0)
    span = target - kr.start_value
    days = Decimal(max(1, (end - start).days))
    day = start + dt.timedelta(days=27)
    reading = Decimal(0)
    while day <= min(ctx.today, end):
        pace = Decimal((day - start).days) / days
        noisy = pace * Decimal(str(round(ctx.random.uniform(0.7, 1.15), 2)))
        reading = max(reading, min(noisy, Decimal(1)))
        out.append(
            _stamp(
                KeyResultCheckIn(
                    organisation=ctx.organisation,
                    key_result=kr,
                    value=(kr.start_value + span * reading).quantize(Decimal(1)),
                    date=day,
                    note=ctx.random.choice(notes) if ctx.random.random() < 0.6 else "",
                ),
                now,
            )
        )
        day += dt.timedelta(days=30)
    return out


def seed(ctx: SeedContext) -> None:
    org = ctx.organisation
    text = TEXT["vi" if ctx.is_vietnamese else "en"]
    now = timezone.now()
    first_time = not Vision.objects.filter(organisation=org).exists()
    year, quarter = _period(ctx, "year"), _period(ctx, "quarter")
    written: dict[str, int] = defaultdict(int)
    if first_time:
        _organisation_content(ctx, text, now, written)
    goals = _goal_tree(ctx, text, year, quarter, now, written, first_time)
    _links(ctx, goals, year, quarter, now, written)
    result = classify_organisation(actor=ctx.actor)
    for key, n in written.items():
        ctx.counts[f"direction.{key}"] = ctx.counts.get(f"direction.{key}", 0) + n
    ctx.summary.append(
        f"{written['goals']:,} goals, {written['key_results']:,} key results, "
        f"{written['links']:,} goal links, {result.accounts:,} accounts classified"
    )


def _organisation_content(ctx: SeedContext, text: dict, now, written: dict) -> None:
    from saleshelm.crm.models import ProductCategory

    org = ctx.organisation
    Vision.objects.create(
        organisation=org,
        statement=text["vision"].format(year=ctx.today.year + 3),
        horizon=ctx.today.year + 3,
        at_risk_threshold=Decimal("0.10"),
    )
    Mission.objects.create(organisation=org, statement=text["mission"], culture=text["culture"])
    CompanyValue.objects.bulk_create(
        _stamp(
            CompanyValue(
                organisation=org, name=name, description=desc, behaviours=behaviours, position=i
            ),
            now,
        )
        for i, (name, desc, behaviours) in enumerate(text["values"])
    )
    categories = {c.name: c for c in ProductCategory.objects.filter(organisation=org)}
    for i, (name, proposition, differentiators, cats) in enumerate(text["offerings"]):
        offering = Offering.objects.create(
            organisation=org,
            name=name,
            value_proposition=proposition,
            differentiators=differentiators,
            position=i,
        )
        offering.product_categories.set([categories[c] for c in cats if c in categories])
    Competitor.objects.bulk_create(
        _stamp(
            Competitor(
                organisation=org,
                name=name,
                website=site,
                strengths=strengths,
                weaknesses=weaknesses,
                how_we_win=how,
            ),
            now,
        )
        for name, site, strengths, weaknesses, how in text["competitors"]
    )
    Segment.objects.bulk_create(
        _stamp(
            Segment(organisation=org, name=name, description=desc, priority=priority, **rules),
            now,
        )
        for name, desc, priority, rules in text["segments"]
    )
    written["values"] += len(text["values"])
    written["segments"] += len(text["segments"])


def _quarter_revenue_target(org, quarter: Period) -> Decimal:
    """The members' revenue targets of the quarter, summed (performance's seeded targets)."""
    from django.db.models import Sum

    from saleshelm.performance.models import Target

    total = Target.objects.filter(
        organisation=org, metric="revenue", period_key=quarter.key, assignee_type="member"
    ).aggregate(total=Sum("value"))["total"]
    return total or Decimal(1_000_000)


def _goal(ctx, now, **fields) -> Goal:
    return _stamp(Goal(organisation=ctx.organisation, **fields), now)


def _dates(period: Period) -> dict:
    return {"period": period.key, "period_start": period.start, "period_end": period.end}


def _goal_tree(ctx, text, year, quarter, now, written, first_time) -> dict:
    """Goals of this fiscal year; returns where deals and targets attach."""
    from saleshelm.people.models import MemberProfile, Team

    org = ctx.organisation
    kr_text = text["kr"]
    krs: list[KeyResult] = []
    manual: list[tuple[KeyResult, Goal]] = []

    def kr(goal, name, **fields):
        item = _stamp(KeyResult(organisation=org, goal=goal, name=name, **fields), now)
        krs.append(item)
        if item.source == KeyResultSource.MANUAL:
            manual.append((item, goal))
        return item

    from saleshelm.tenancy.models import Membership

    director = (
        Membership.objects.filter(organisation=org, role="director", is_active=True)
        .order_by("pk")
        .first()
    )
    teams = list(Team.objects.filter(organisation=org).order_by("path"))
    placement: dict[int, Any] = dict(
        MemberProfile.objects.filter(organisation=org).values_list("membership_id", "team_id")
    )
    if first_time:
        org_goals = Goal.objects.bulk_create(
            _goal(
                ctx,
                now,
                title=title,
                level=GoalLevel.ORGANISATION,
                owner=director,
                weight=Decimal(weight),
                position=i,
                **_dates(year),
            )
            for i, (title, weight) in enumerate(text["org_goals"])
        )
        kr(org_goals[0], kr_text["nps"], start_value=Decimal(30), target_value=Decimal(50))
        kr(
            org_goals[0],
            kr_text["revenue_year"],
            source=KeyResultSource.METRIC,
            metric="revenue",
            weight=Decimal(2),
        )
        kr(org_goals[1], kr_text["managed"], start_value=Decimal(0), target_value=Decimal(60))
        sales_goals = Goal.objects.bulk_create(
            _goal(
                ctx,
                now,
                title=title,
                level=GoalLevel.SALES,
                parent=org_goals[parent],
                owner=director,
                weight=Decimal(weight),
                position=i,
                **_dates(year),
            )
            for i, (title, weight, parent) in enumerate(text["sales_goals"])
        )
        kr(
            sales_goals[0],
            kr_text["revenue_quarter"],
            source=KeyResultSource.METRIC,
            metric="revenue",
            period=quarter.key,
        )
        kr(
            sales_goals[1],
            kr_text["pipeline"],
            source=KeyResultSource.METRIC,
            metric="pipeline_created",
            period=quarter.key,
            target_value=3 * _quarter_revenue_target(org, quarter),
        )
        kr(sales_goals[2], kr_text["managed"], start_value=Decimal(0), target_value=Decimal(40))
        new_reps = list(ctx.reps)
        team_goals: list[Goal] = []
        serves: Goal | None = sales_goals[0]
    else:
        team_goals = list(
            Goal.objects.filter(organisation=org, level=GoalLevel.TEAM, period=quarter.key)
        )
        new_ids = {m.pk for m in ctx.members}
        new_reps = [r for r in ctx.reps if r.pk in new_ids]
        serves = (
            Goal.objects.filter(organisation=org, level=GoalLevel.SALES)
            .order_by("position", "pk")
            .first()
        )
    # A goal for each selling team of the quarter that has none yet (new teams included).
    selling: defaultdict[int, int] = defaultdict(int)
    for rep in ctx.reps:
        if placement.get(rep.pk):
            selling[placement[rep.pk]] += 1
    have = {g.team_id for g in team_goals}
    added = Goal.objects.bulk_create(
        _goal(
            ctx,
            now,
            title=text["team_goal"].format(team=team.name),
            level=GoalLevel.TEAM,
            parent=serves,
            team=team,
            owner_id=team.manager_id,
            position=len(have) + i,
            **_dates(quarter),
        )
        for i, team in enumerate(t for t in teams if selling.get(t.pk) and t.pk not in have)
    )
    for goal in added:
        kr(
            goal,
            kr_text["revenue_quarter"],
            source=KeyResultSource.METRIC,
            metric="revenue",
            scope=KeyResultScope.TEAM,
            scope_team_id=goal.team_id,
            weight=Decimal(2),
        )
        kr(
            goal,
            kr_text["calls"],
            source=KeyResultSource.METRIC,
            metric="calls",
            scope=KeyResultScope.TEAM,
            scope_team_id=goal.team_id,
            target_value=Decimal(selling.get(goal.team_id or 0, 1) * 65 * 3),
        )
    team_goals = [*team_goals, *added]
    team_goal_of = {g.team_id: g for g in team_goals}
    if len(ctx.reps) > MEMBER_GOALS:
        seen: set[int | None] = set()
        chosen = []
        for rep in new_reps:
            team = placement.get(rep.pk)
            if team not in seen:
                seen.add(team)
                chosen.append(rep)
        new_reps = chosen
    names = dict(
        Membership.objects.filter(pk__in=[r.pk for r in new_reps]).values_list(
            "pk", "user__full_name"
        )
    )
    member_goals = Goal.objects.bulk_create(
        (
            _goal(
                ctx,
                now,
                title=text["member_goal"].format(name=names.get(rep.pk, "")),
                level=GoalLevel.MEMBER,
                parent=team_goal_of.get(placement.get(rep.pk)),
                owner=rep,
                team_id=placement.get(rep.pk),
                position=i,
                **_dates(quarter),
            )
            for i, rep in enumerate(new_reps)
        ),
        batch_size=BATCH,
    )
    for goal in member_goals:
        kr(
            goal,
            kr_text["revenue_quarter"],
            source=KeyResultSource.METRIC,
            metric="revenue",
            scope=KeyResultScope.MEMBER,
            scope_member_id=goal.owner_id,
            weight=Decimal(2),
        )
        kr(
            goal,
            kr_text["calls"],
            source=KeyResultSource.METRIC,
            metric="calls",
            scope=KeyResultScope.MEMBER,
            scope_member_id=goal.owner_id,
        )
        kr(
            goal,
            kr_text["stores"],
            start_value=Decimal(0),
            target_value=Decimal(ctx.random.randint(3, 8)),
            unit="stores" if not ctx.is_vietnamese else "cửa hàng",
        )
    KeyResult.objects.bulk_create(krs, batch_size=BATCH)
    check_ins = [
        c
        for item, goal in manual
        for c in _check_ins(ctx, item, goal.period_start, goal.period_end, text["notes"], now)
    ]
    KeyResultCheckIn.objects.bulk_create(check_ins, batch_size=BATCH)
    written["goals"] += (
        len(member_goals)
        + len(added)
        + (len(text["org_goals"]) + len(text["sales_goals"]) if first_time else 0)
    )
    written["key_results"] += len(krs)
    written["check_ins"] += len(check_ins)
    return {
        "member": {g.owner_id: g for g in member_goals},
        "team": team_goal_of,
        "placement": placement,
        "sales": Goal.objects.filter(organisation=org, level=GoalLevel.SALES)
        .order_by("position", "pk")
        .first(),
    }


def _links(ctx, goals: dict, year: Period, quarter: Period, now, written: dict) -> None:
    """This year's deals to their owner's goal (or team goal); quarter targets to goals;
    competitors met on a share of the deals."""
    from saleshelm.crm.models import Opportunity
    from saleshelm.performance.models import Target

    org = ctx.organisation
    rng = ctx.random
    member_goal, team_goal, placement = goals["member"], goals["team"], goals["placement"]
    fallback = goals["sales"]
    deals = (
        Opportunity.objects.filter(
            organisation=org, close_date__gte=year.start, close_date__lte=year.end
        )
        .exclude(goal_link__isnull=False)
        .order_by("pk")
        .values_list("pk", "owner_id")
    )
    links = []
    for pk, owner in deals.iterator(chunk_size=BATCH):
        if rng.random() >= LINK_SHARE:
            continue
        goal = member_goal.get(owner) or team_goal.get(placement.get(owner)) or fallback
        if goal is not None:
            links.append(_stamp(GoalLink(organisation=org, goal=goal, opportunity_id=pk), now))
    targets = Target.objects.filter(
        organisation=org, metric="revenue", period_key=quarter.key, goal_link__isnull=True
    ).values_list("pk", "assignee_type", "member_id", "team_id")
    for pk, kind, member_id, team_id in targets:
        goal = member_goal.get(member_id) if kind == "member" else team_goal.get(team_id)
        if goal is not None:
            links.append(_stamp(GoalLink(organisation=org, goal=goal, target_id=pk), now))
    GoalLink.objects.bulk_create(links, batch_size=BATCH)
    written["links"] += len(links)

    competitors = list(Competitor.objects.filter(organisation=org).values_list("pk", flat=True))
    if not competitors:
        return
    met = []
    seen = set(
        OpportunityCompetitor.objects.filter(organisation=org).values_list(
            "opportunity_id", flat=True
        )
    )
    for pk in (
        Opportunity.objects.filter(organisation=org)
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=BATCH)
    ):
        if pk in seen or rng.random() >= COMPETITOR_SHARE:
            continue
        met.append(
            _stamp(
                OpportunityCompetitor(
                    organisation=org, opportunity_id=pk, competitor_id=rng.choice(competitors)
                ),
                now,
            )
        )
    OpportunityCompetitor.objects.bulk_create(met, batch_size=BATCH)
    written["competitor_links"] += len(met)

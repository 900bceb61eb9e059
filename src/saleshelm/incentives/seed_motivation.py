"""Seeding of motivation beyond pay: kudos across the company's values, badges (manual and
earned on metrics), a running contest and a finished one, commitments of both sides with
mixed statuses, and pulse surveys with enough answers per team to show results.

English or Vietnamese by the organisation's language. Written in bulk for the members this
run created (seeding an organisation again adds to it); the metric badges and the finished
contest go through the same services as the nightly jobs, in-app only (no email). Every
choice comes from ``ctx.random``, so the same seed gives the same data.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from saleshelm.core.periods import Period, parse_period, period_of
from saleshelm.core.seeding import SeedContext
from saleshelm.direction.models import CompanyValue
from saleshelm.direction.services.mission import value_create
from saleshelm.incentives.models.contract import Commitment, CommitmentStatus, Side
from saleshelm.incentives.models.pulse import PulseParticipation, PulseResponse, PulseSurvey
from saleshelm.incentives.models.recognition import (
    Badge,
    BadgeAward,
    Kudos,
    Notice,
    NoticeKind,
)
from saleshelm.incentives.services import recognition as rec_svc
from saleshelm.performance.metrics import get_metric
from saleshelm.performance.selectors.board import Board
from saleshelm.tenancy.models import Membership
from saleshelm.tenancy.roles import Role

BATCH = 1000

VALUES = {
    "en": [
        ("Customer first", "We win when our customers win."),
        ("Own the outcome", "We do what we said, and say so when we cannot."),
        ("Win together", "We share leads, wins and what we learn."),
        ("Be curious", "We ask one more question before we pitch."),
    ],
    "vi": [
        ("Khách hàng là trên hết", "Chúng ta thắng khi khách hàng thắng."),
        ("Làm chủ kết quả", "Nói được thì làm được; không làm được thì nói rõ."),
        ("Cùng nhau chiến thắng", "Chia sẻ khách hàng tiềm năng, thành công và bài học."),
        ("Luôn tò mò", "Hỏi thêm một câu trước khi chào hàng."),
    ],
}

KUDOS = {
    "en": [
        "Stayed late to rebuild the proposal after the client changed the scope — and we won it.",
        "Shared her whole objection-handling sheet with the new joiners. Saved us weeks.",
        "Covered my accounts during my leave; not one customer noticed I was away.",
        "Called the customer back the same evening to fix a delivery mistake that wasn't ours.",
        "Brought three warm leads from the trade fair and handed two to the team.",
        "Asked the question nobody asked in discovery — it turned a 'no' into a pilot.",
        "Walked me through the pricing model twice, patiently. My first big deal closed today.",
        "Kept the forecast honest when it would have been easier to round up.",
        "Organised the ride-along day; everyone came back with ideas.",
        "Turned an angry escalation into a renewal with a bigger scope.",
        "Mentored the new rep on demos every Friday for a month.",
        "Found the decision maker behind the buyer and got us the meeting.",
    ],
    "vi": [
        "Ở lại muộn làm lại toàn bộ đề xuất khi khách đổi yêu cầu — và chúng ta đã thắng hợp đồng.",
        "Chia sẻ bộ tài liệu xử lý từ chối cho các bạn mới. Tiết kiệm cho cả nhóm nhiều tuần.",
        "Chăm sóc khách hàng của mình trong lúc mình nghỉ phép; không khách nào phàn nàn.",
        "Gọi lại cho khách ngay tối hôm đó để xử lý lỗi giao hàng, dù không phải lỗi của mình.",
        "Mang về ba khách hàng tiềm năng từ hội chợ và chia hai cho đồng đội.",
        "Đặt đúng câu hỏi trong buổi tìm hiểu nhu cầu — biến lời từ chối thành dự án thử nghiệm.",
        "Kiên nhẫn giải thích cách tính giá hai lần. Hôm nay mình chốt được hợp đồng lớn đầu tiên.",
        "Giữ dự báo trung thực khi làm tròn lên sẽ dễ hơn.",
        "Tổ chức ngày đi thị trường cùng nhau; ai cũng về với ý tưởng mới.",
        "Biến một khiếu nại gay gắt thành hợp đồng gia hạn với phạm vi lớn hơn.",
        "Kèm bạn mới tập demo mỗi thứ Sáu suốt một tháng.",
        "Tìm ra người ra quyết định phía sau và xin được cuộc hẹn cho cả nhóm.",
    ],
}

MANUAL_BADGES = {
    "en": [
        ("Team player", "handshake", "Went out of their way for a teammate."),
        ("Customer hero", "heart", "Turned a customer's bad day into a good one."),
        ("Comeback of the quarter", "rocket", "Recovered a deal everyone had written off."),
    ],
    "vi": [
        ("Đồng đội tận tâm", "handshake", "Hết lòng hỗ trợ đồng đội."),
        ("Người hùng của khách hàng", "heart", "Biến một ngày tệ của khách thành ngày tốt."),
        ("Lội ngược dòng của quý", "rocket", "Cứu được hợp đồng mà ai cũng nghĩ đã mất."),
    ],
}
# (name, symbol, metric, period kind, fallback threshold per currency)
METRIC_BADGES = {
    "en": [
        ("Phone warrior", "phone", "calls", "month", {"USD": "60", "VND": "60"}),
        ("Deal closer", "trophy", "won_deals", "month", {"USD": "3", "VND": "3"}),
        ("Pipeline builder", "target", "pipeline_created", "quarter",
         {"USD": "50000", "VND": "1200000000"}),
    ],
    "vi": [
        ("Chiến binh điện thoại", "phone", "calls", "month", {"USD": "60", "VND": "60"}),
        ("Chuyên gia chốt đơn", "trophy", "won_deals", "month", {"USD": "3", "VND": "3"}),
        ("Người xây pipeline", "target", "pipeline_created", "quarter",
         {"USD": "50000", "VND": "1200000000"}),
    ],
}  # fmt: skip
AWARD_REASONS = {
    "en": [
        "Took over the Hanoi distributor account at two days' notice and kept it.",
        "Spent a Saturday helping a teammate prepare the biggest demo of the year.",
        "Drove four hours to replace a broken scanner for a customer before their opening.",
        "Rescued the Lotus tender after the competitor undercut us by 15%.",
    ],
    "vi": [
        "Nhận bàn giao nhà phân phối Hà Nội chỉ trong hai ngày và giữ được khách.",
        "Dành cả thứ Bảy giúp đồng đội chuẩn bị buổi demo lớn nhất năm.",
        "Lái xe bốn tiếng để thay máy quét hỏng cho khách trước giờ khai trương.",
        "Cứu gói thầu Lotus sau khi đối thủ giảm giá 15%.",
    ],
}

MEMBER_COMMITMENTS = {
    "en": {
        "effort": ["Make 40 calls a week", "Visit 12 stores a month", "Book 8 meetings a week"],
        "behaviour": [
            "Log every visit in the CRM the same day",
            "Send a recap within 24 hours of each demo",
            "Update the forecast every Friday by noon",
        ],
        "result": [
            "Open three new accounts this quarter",
            "Reach 100% of the revenue target",
            "Grow the top-5 accounts by 10%",
        ],
    },
    "vi": {
        "effort": [
            "Gọi 40 cuộc mỗi tuần",
            "Ghé thăm 12 cửa hàng mỗi tháng",
            "Hẹn 8 cuộc gặp mỗi tuần",
        ],
        "behaviour": [
            "Cập nhật mọi chuyến thăm vào CRM trong ngày",
            "Gửi tóm tắt trong vòng 24 giờ sau mỗi buổi demo",
            "Cập nhật dự báo trước trưa thứ Sáu hàng tuần",
        ],
        "result": [
            "Mở ba khách hàng mới trong quý",
            "Đạt 100% chỉ tiêu doanh thu",
            "Tăng 10% doanh số của 5 khách hàng lớn nhất",
        ],
    },
}
ORG_COMMITMENTS = {
    "en": {
        "leads": ["20 qualified leads a month from marketing", "Hand over the trade-fair leads within a week"],
        "training": ["Negotiation workshop before mid-quarter", "Product certification course"],
        "territory": ["Keep the territory unchanged for the year", "Add the Binh Duong industrial zone"],
        "tools": ["A tablet with the offline catalogue", "CRM mobile licence"],
        "support": ["Pre-sales engineer on every demo above 50k", "Weekly 1:1 with the manager"],
        "payout_timing": ["Commissions paid by the 10th of the next month"],
        "recognition": ["Wins shared at the monthly all-hands"],
    },
    "vi": {
        "leads": ["20 khách hàng tiềm năng đủ điều kiện mỗi tháng từ marketing", "Bàn giao khách từ hội chợ trong một tuần"],
        "training": ["Khóa đàm phán trước giữa quý", "Khóa chứng nhận sản phẩm"],
        "territory": ["Giữ nguyên địa bàn cả năm", "Bổ sung khu công nghiệp Bình Dương"],
        "tools": ["Máy tính bảng có catalogue ngoại tuyến", "Giấy phép CRM trên di động"],
        "support": ["Kỹ sư tiền bán hàng cho mọi buổi demo trên 50 triệu", "Họp 1:1 hàng tuần với quản lý"],
        "payout_timing": ["Chi hoa hồng trước ngày 10 tháng sau"],
        "recognition": ["Chia sẻ thành tích trong buổi họp toàn công ty hàng tháng"],
    },
}  # fmt: skip
NOTES = {
    "en": {
        "kept": ["Done, and logged.", "Delivered on time.", "Confirmed at the check-in."],
        "missed": ["Two weeks of sick leave.", "Supplier delay on the demo units.", "Fell short by a few."],
        "renegotiated": ["The trainer was ill; moved to next month.", "Budget freeze; smaller scope agreed."],
    },
    "vi": {
        "kept": ["Đã hoàn thành và ghi nhận.", "Đúng hạn.", "Xác nhận trong buổi check-in."],
        "missed": ["Nghỉ ốm hai tuần.", "Nhà cung cấp giao máy demo trễ.", "Thiếu một chút so với cam kết."],
        "renegotiated": ["Giảng viên bị ốm; dời sang tháng sau.", "Đóng băng ngân sách; thống nhất phạm vi nhỏ hơn."],
    },
}  # fmt: skip
PULSE_COMMENTS = {
    "en": [
        "More qualified leads would help us most.",
        "The new pricing sheet is much clearer, thank you.",
        "Too many internal meetings on Mondays.",
        "I would like more ride-alongs with my manager.",
        "Commission statements are finally easy to check.",
        "The CRM app is slow when I am at customer sites.",
    ],
    "vi": [
        "Cần thêm khách hàng tiềm năng chất lượng.",
        "Bảng giá mới rõ ràng hơn nhiều, cảm ơn.",
        "Quá nhiều cuộc họp nội bộ vào thứ Hai.",
        "Mong được quản lý đi thị trường cùng nhiều hơn.",
        "Bảng hoa hồng giờ dễ kiểm tra hơn.",
        "Ứng dụng CRM chậm khi ở chỗ khách hàng.",
    ],
}
CONTEST_TEXT: dict[str, dict[str, Any]] = {
    "en": {
        "running": "Call sprint — {month}",
        "running_desc": "Most calls logged wins. Calls count when done and logged in the CRM.",
        "finished": "Team deal race — {month}",
        "finished_desc": "The team that wins the most deals takes the trophy.",
        "prizes": ["Dinner for two", "Movie tickets", "A coffee voucher"],
        "team_prizes": ["Team lunch"],
    },
    "vi": {
        "running": "Chạy nước rút cuộc gọi — {month}",
        "running_desc": "Ai ghi nhận nhiều cuộc gọi nhất sẽ thắng. Chỉ tính cuộc gọi đã thực hiện và ghi vào CRM.",
        "finished": "Cuộc đua chốt đơn giữa các nhóm — {month}",
        "finished_desc": "Nhóm chốt được nhiều hợp đồng nhất nhận cúp.",
        "prizes": ["Bữa tối cho hai người", "Vé xem phim", "Phiếu cà phê"],
        "team_prizes": ["Bữa trưa cả nhóm"],
    },
}  # fmt: skip
PRIZE_AMOUNTS = {"USD": ["200", "100", "50"], "VND": ["3000000", "1500000", "750000"]}
PULSE_TITLE = {"en": "Pulse — {month}", "vi": "Khảo sát nhanh — {month}"}


def _bulk(model, rows):
    for i in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[i : i + BATCH])
    return rows


def _at(day: dt.date, tz, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=tz)


def _previous(period: Period, fiscal_start: int) -> Period:
    return period_of(
        period.start - dt.timedelta(days=1), period.kind, fiscal_start_month=fiscal_start
    )


def _managers(ctx: SeedContext, member_ids: list[int]) -> dict[int, int | None]:
    """Each member's nearest manager: their team's, or the one above when they lead it."""
    teams = {t.pk: t for t in ctx.teams}
    out: dict[int, int | None] = {}
    for member_id in member_ids:
        profile = ctx.profiles.get(member_id)
        out[member_id] = None
        team = teams.get(profile.team_id) if profile and profile.team_id else None
        if team is None:
            continue
        for tid in reversed([int(x) for x in team.path.strip("/").split("/") if x]):
            mgr = teams[tid].manager_id if tid in teams else None
            if mgr and mgr != member_id:
                out[member_id] = mgr
                break
    return out


def seed(ctx: SeedContext) -> None:
    org = ctx.organisation
    lang = "vi" if ctx.is_vietnamese else "en"
    people = [m for m in ctx.members if m.role in (Role.REP, Role.MANAGER) and m.is_active]
    values = _values(ctx, lang)
    if not people or not values:
        ctx.summary.append("no one new to recognise")
        return
    tz = zoneinfo.ZoneInfo(org.time_zone or "UTC")
    managers = _managers(ctx, [m.pk for m in people])
    with ctx.progress.stage("motivation", 5) as advance:
        kudos = _kudos(ctx, people, values, lang, tz)
        advance(1)
        awards = _badges(ctx, people, managers, lang, tz)
        advance(1)
        contests = _contests(ctx, people, lang)
        advance(1)
        commitments = _commitments(ctx, people, managers, lang, tz)
        advance(1)
        answers = _pulse(ctx, people, lang)
        advance(1)
    for key, n in (
        ("kudos", kudos),
        ("badge_awards", awards),
        ("contests", contests),
        ("commitments", commitments),
        ("pulse_responses", answers),
    ):
        ctx.counts[key] = ctx.counts.get(key, 0) + n
    ctx.summary.append(
        f"{kudos:,} kudos, {awards:,} badge awards, {contests} contest{'' if contests == 1 else 's'},"
        f" {commitments:,} commitments, {answers:,} pulse answers"
    )


def _values(ctx: SeedContext, lang: str) -> list[CompanyValue]:
    """The company's values; the direction seeder writes them, else we write a starting set."""
    existing = list(CompanyValue.objects.filter(organisation=ctx.organisation).order_by("position"))
    if existing:
        return existing
    return [
        value_create(actor=ctx.actor, name=name, description=description)
        for name, description in VALUES[lang]
    ]


def _kudos(ctx, people, values, lang: str, tz) -> int:
    """About two kudos received per person over the last three months, mostly from teammates."""
    rng, today, org = ctx.random, ctx.today, ctx.organisation
    by_team: dict[int | None, list] = defaultdict(list)
    for m in people:
        profile = ctx.profiles.get(m.pk)
        by_team[profile.team_id if profile else None].append(m)
    everyone = ctx.reps + ctx.managers
    rows, stamps = [], []
    now = timezone.now()
    for receiver in people:
        profile = ctx.profiles.get(receiver.pk)
        mates = [m for m in by_team[profile.team_id if profile else None] if m.pk != receiver.pk]
        for _ in range(rng.choice((1, 2, 2, 3))):
            pool = mates if mates and rng.random() < 0.7 else everyone
            giver = rng.choice(pool) if pool else None
            if giver is None or giver.pk == receiver.pk:
                continue
            rows.append(
                Kudos(
                    organisation=org,
                    giver=giver,
                    receiver=receiver,
                    value=rng.choice(values),
                    message=rng.choice(KUDOS[lang]),
                )
            )
            day = today - dt.timedelta(days=rng.randrange(0, 90))
            # Never in the future: today's kudos were given before now.
            stamps.append(min(_at(day, tz, rng.randrange(8, 19), rng.randrange(0, 60)), now))
    _bulk(Kudos, rows)
    for k, stamp in zip(rows, stamps, strict=True):
        k.created_at = stamp
    Kudos.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)
    recent = _at(today - dt.timedelta(days=7), tz, 0)
    notices = [
        Notice(organisation=org, recipient_id=k.receiver_id, kind=NoticeKind.KUDOS, kudos=k)
        for k in rows
        if k.created_at >= recent
    ]
    _bulk(Notice, notices)
    return len(rows)


def _round2(value: Decimal) -> Decimal:
    """Two significant digits: 63 -> 63, 1,234,567 -> 1,200,000."""
    if value <= 0:
        return value
    exponent = value.adjusted() - 1
    step = Decimal(1).scaleb(exponent)
    return (value / step).to_integral_value() * step


def _threshold(ctx, board: Board, metric_key: str, kind: str, fallback: str) -> Decimal:
    """A figure about a third of the sellers reached last period: worth earning."""
    metric = get_metric(metric_key)
    fiscal = ctx.organisation.fiscal_year_start_month
    last = _previous(period_of(ctx.today, kind, fiscal_start_month=fiscal), fiscal)
    figures = sorted(
        v for v in (metric.value(p) for p in board.actuals(metric, last).values()) if v and v > 0
    )
    if len(figures) < 3:
        return Decimal(fallback)
    return max(Decimal(1), _round2(figures[int(len(figures) * 0.66)]))


def _badges(ctx, people, managers, lang: str, tz) -> int:
    org, rng, today = ctx.organisation, ctx.random, ctx.today
    board = Board(actor=ctx.actor, today=today)
    manual = []
    for name, symbol, description in MANUAL_BADGES[lang]:
        badge, _ = Badge.objects.get_or_create(
            organisation=org,
            name=name,
            defaults={"symbol": symbol, "criteria": "manual", "description": description},
        )
        manual.append(badge)
    for name, symbol, metric, kind, fallback in METRIC_BADGES[lang]:
        if Badge.objects.filter(organisation=org, name=name).exists():
            continue
        threshold = _threshold(
            ctx, board, metric, kind, fallback.get(org.currency, fallback["USD"])
        )
        Badge.objects.create(
            organisation=org,
            name=name,
            symbol=symbol,
            criteria="metric",
            metric=metric,
            threshold=threshold,
            period_kind=kind,
        )
    before = BadgeAward.objects.filter(organisation=org).count()
    # Manual awards: a fifth of the people, from their nearest manager, with a reason.
    rows, stamps = [], []
    for m in people:
        leader = managers.get(m.pk)
        if leader is None or rng.random() > 0.2:
            continue
        rows.append(
            BadgeAward(
                organisation=org,
                badge=rng.choice(manual),
                member=m,
                awarded_by_id=leader,
                reason=rng.choice(AWARD_REASONS[lang]),
            )
        )
        stamps.append(_at(today - dt.timedelta(days=rng.randrange(3, 80)), tz, 16))
    _bulk(BadgeAward, rows)
    for award, stamp in zip(rows, stamps, strict=True):
        award.created_at = stamp
    BadgeAward.objects.bulk_update(rows, ["created_at"], batch_size=BATCH)
    # Metric awards: the nightly evaluation, as if it had run at each of the last month ends.
    month = period_of(today, "month")
    firsts: list[dt.date] = []
    for _ in range(3):
        firsts.insert(0, month.start)
        month = _previous(month, 1)
    for first in [*firsts, today]:
        if first <= today:
            rec_svc.badges_evaluate(organisation=org, today=first, email=False)
    # Earned awards are dated the day after their period; older notices have been read.
    earned = list(
        BadgeAward.objects.filter(organisation=org, awarded_by__isnull=True)
        .exclude(period="")
        .filter(created_at__gte=timezone.now() - dt.timedelta(hours=1))
    )
    fiscal = org.fiscal_year_start_month
    for award in earned:
        period = parse_period(award.period, fiscal_start_month=fiscal)
        award.created_at = _at(min(today, period.end + dt.timedelta(days=1)), tz, 5, 40)
    BadgeAward.objects.bulk_update(earned, ["created_at"], batch_size=BATCH)
    Notice.objects.filter(
        organisation=org, kind=NoticeKind.BADGE, award__created_at__lt=_at(today, tz, 0)
    ).update(read_at=timezone.now())
    return BadgeAward.objects.filter(organisation=org).count() - before


def _contests(ctx, people, lang: str) -> int:
    """A call sprint running this month between the reps of one team, and a team race on won
    deals last month, finished with its winners."""
    org, today = ctx.organisation, ctx.today
    text = CONTEST_TEXT[lang]
    reps = [m for m in people if m.role == Role.REP]
    by_team: dict[int, list] = defaultdict(list)
    for m in reps:
        profile = ctx.profiles.get(m.pk)
        if profile and profile.team_id:
            by_team[profile.team_id].append(m)
    teams = {t.pk: t for t in ctx.teams}
    made = 0
    amounts = PRIZE_AMOUNTS.get(org.currency, PRIZE_AMOUNTS["USD"])
    if by_team:
        team_id, members = max(by_team.items(), key=lambda kv: (len(kv[1]), -kv[0]))
        if len(members) >= 2:
            month = period_of(today, "month")
            rec_svc.contest_create(
                actor=ctx.actor,
                name=text["running"].format(month=month.key),
                description=text["running_desc"],
                metric="calls",
                starts_on=month.start,
                ends_on=month.end,
                participant_kind="member",
                members=members,
                team=teams.get(team_id),
                prizes=[
                    {"rank": i + 1, "description": d, "amount": a}
                    for i, (d, a) in enumerate(zip(text["prizes"], amounts, strict=True))
                ],
            )
            made += 1
    leaf_ids = [t for t in by_team if len(by_team[t]) >= 2]
    if len(leaf_ids) >= 2:
        last = _previous(period_of(today, "month"), 1)
        contest = rec_svc.contest_create(
            actor=ctx.actor,
            name=text["finished"].format(month=last.key),
            description=text["finished_desc"],
            metric="won_deals",
            starts_on=last.start,
            ends_on=last.end,
            participant_kind="team",
            teams=[teams[t] for t in sorted(leaf_ids)],
            prizes=[{"rank": 1, "description": text["team_prizes"][0], "amount": amounts[0]}],
        )
        rec_svc.contest_finish(contest=contest, today=today, email=False)
        made += 1
    return made


def _commitments(ctx, people, managers, lang: str, tz) -> int:
    """Last quarter's commitments, decided (mostly kept, some missed, a few renegotiated), and
    this quarter's: decided when due already, else open — a few left overdue."""
    org, rng, today = ctx.organisation, ctx.random, ctx.today
    fiscal = org.fiscal_year_start_month
    current = period_of(today, "quarter", fiscal_start_month=fiscal)
    previous = _previous(current, fiscal)
    reps = [m for m in people if m.role == Role.REP]
    texts, org_texts, notes = MEMBER_COMMITMENTS[lang], ORG_COMMITMENTS[lang], NOTES[lang]
    finance = (
        Membership.objects.filter(organisation=org, role=Role.FINANCE, is_active=True)
        .order_by("pk")
        .first()
    )
    rows: list[Commitment] = []
    renegotiate: list[tuple[Commitment, dt.date]] = []

    def decide(c: Commitment, kept_share: float, renegotiable: bool) -> None:
        if c.due_date >= today:
            return
        roll = rng.random()
        if roll > 0.9 and c.period_end >= today:
            return  # overdue: nobody has looked at it yet
        if renegotiable and roll < 0.1:
            c.status = CommitmentStatus.RENEGOTIATED
            later = min(c.period_end, c.due_date + dt.timedelta(days=rng.randrange(14, 40)))
            renegotiate.append((c, max(later, c.due_date)))
        elif roll < kept_share:
            c.status = CommitmentStatus.KEPT
        else:
            c.status = CommitmentStatus.MISSED
        c.status_note = rng.choice(notes[c.status])
        c.status_changed_at = _at(
            min(today, c.due_date + dt.timedelta(days=rng.randrange(0, 6))), tz, 15
        )

    for m in reps:
        leader = managers.get(m.pk)
        if leader is None:
            continue
        for period in (previous, current):
            span = (period.end - period.start).days
            for kind in ("effort", "behaviour", "result"):
                due = period.start + dt.timedelta(days=rng.randrange(span // 3, span + 1))
                c = Commitment(
                    organisation=org, member=m, period=period.key, period_start=period.start,
                    period_end=period.end, side=Side.MEMBER, kind=kind,
                    title=rng.choice(texts[kind]), owner=m, due_date=due, created_by_id=leader,
                )  # fmt: skip
                decide(c, 0.72, renegotiable=False)
                c.status_changed_by_id = leader if c.status != CommitmentStatus.OPEN else None
                rows.append(c)
            for kind in rng.sample(sorted(org_texts), 3):
                due = period.start + dt.timedelta(days=rng.randrange(0, span + 1))
                owner = finance.pk if kind == "payout_timing" and finance else leader
                c = Commitment(
                    organisation=org, member=m, period=period.key, period_start=period.start,
                    period_end=period.end, side=Side.ORGANISATION, kind=kind,
                    title=rng.choice(org_texts[kind]), owner_id=owner, due_date=due,
                    created_by_id=leader,
                )  # fmt: skip
                decide(c, 0.66, renegotiable=True)
                c.status_changed_by_id = m.pk if c.status != CommitmentStatus.OPEN else None
                rows.append(c)
    _bulk(Commitment, rows)
    replacements = []
    for old, due in renegotiate:
        new = Commitment(
            organisation=org, member_id=old.member_id, period=old.period,
            period_start=old.period_start, period_end=old.period_end, side=old.side,
            kind=old.kind, title=old.title, owner_id=old.owner_id, due_date=due,
            replaces=old, created_by_id=old.created_by_id,
        )  # fmt: skip
        if due < today:
            new.status = CommitmentStatus.KEPT if rng.random() < 0.8 else CommitmentStatus.MISSED
            new.status_note = rng.choice(notes[new.status])
            new.status_changed_at = _at(due, tz, 15)
            new.status_changed_by_id = old.member_id
        replacements.append(new)
    _bulk(Commitment, replacements)
    return len(rows) + len(replacements)


def _pulse(ctx, people, lang: str) -> int:
    """Last month's pulse, closed, answered by nine in ten people (at least five per team);
    this month's, open, answered by half so far — never by the demo logins, who can try it."""
    org, rng, today = ctx.organisation, ctx.random, ctx.today
    last = _previous(period_of(today, "month"), 1)
    title = PULSE_TITLE[lang]
    closed, _ = PulseSurvey.objects.get_or_create(
        organisation=org,
        title=title.format(month=last.key),
        defaults={"opens_on": last.start + dt.timedelta(days=7), "closes_on": last.start + dt.timedelta(days=13)},
    )  # fmt: skip
    opens = today - dt.timedelta(days=2)
    current, _ = PulseSurvey.objects.get_or_create(
        organisation=org,
        title=title.format(month=period_of(today, "month").key),
        defaults={"opens_on": opens, "closes_on": opens + dt.timedelta(days=6), "repeat_days": 28},
    )  # fmt: skip
    logins = {e.lower() for e in ctx.options.logins.values()}
    by_team: dict[int | None, list] = defaultdict(list)
    for m in people:
        profile = ctx.profiles.get(m.pk)
        by_team[profile.team_id if profile else None].append(m)
    answered = set(
        PulseParticipation.objects.filter(survey__in=[closed, current]).values_list(
            "survey_id", "member_id"
        )
    )
    markers, responses = [], []
    for team_id, members in sorted(by_team.items(), key=lambda kv: kv[0] or 0):
        mood = rng.choice((2.6, 3.2, 3.6, 4.1))
        chosen = [m for m in members if rng.random() < 0.9]
        if len(chosen) < 5:
            chosen = members[:]  # a team of five or more answers in full
        for survey, share in ((closed, 1.0), (current, 0.5)):
            for m in chosen:
                if (survey.pk, m.pk) in answered:
                    continue
                if survey is current and (rng.random() > share or m.user.email.lower() in logins):
                    continue
                markers.append(PulseParticipation(organisation=org, survey=survey, member=m))
                scores = {
                    q: max(1, min(5, round(rng.gauss(mood + bias, 0.9))))
                    for q, bias in (("motivation", 0.1), ("support", -0.2), ("clarity", 0.3))
                }
                responses.append(
                    PulseResponse(
                        id=uuid.uuid5(
                            uuid.NAMESPACE_URL, f"saleshelm:{org.pk}:{rng.getrandbits(96)}"
                        ),
                        organisation=org,
                        survey=survey,
                        team_id=team_id,
                        comment=rng.choice(PULSE_COMMENTS[lang]) if rng.random() < 0.3 else "",
                        **scores,
                    )
                )
    # Answers are written in an order unrelated to the markers' (anonymity).
    rng.shuffle(responses)
    _bulk(PulseParticipation, markers)
    _bulk(PulseResponse, responses)
    if closed.closed_at is None and closed.closes_on < today:
        PulseSurvey.objects.filter(pk=closed.pk).update(
            closed_at=_at(closed.closes_on + dt.timedelta(days=1), zoneinfo.ZoneInfo("UTC"), 0)
        )
    return len(responses)

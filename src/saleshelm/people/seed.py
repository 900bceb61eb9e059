"""Seeding of people: the sales organisation a real Vietnamese/SEA company would have.

Three team levels (the Sales division, its regions, teams of about ten reps such as
"Hà Nội SMB", "HCMC Enterprise", "Singapore Partners"), a territory tree (Vietnam -> North,
Central, South -> cities, and Southeast Asia -> cities), the five role profiles with their
key tasks, responsibilities and KPIs, and members with English and Vietnamese names: an
admin, a director, finance, a viewer, a manager per region and per team, and the reps.

Written in bulk: users, memberships, teams and profiles are ``bulk_create``d (2,000 reps in a
few seconds); seeded users have no usable password except the fixed demo logins.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from saleshelm.core.seeding import SeedContext
from saleshelm.people.models import MemberProfile, RoleProfile, Team, Territory
from saleshelm.tenancy.models import Membership, User
from saleshelm.tenancy.roles import Role

BATCH = 1000
TEAM_SIZE = 10
EMAIL_DOMAIN = "{slug}.saleshelm.test"  # .test is reserved: seeded mail never reaches anyone


# --- Names ----------------------------------------------------------------------------------
# Faker's vi_VN provider writes names in Western order with few surnames, so Vietnamese names
# are composed here in their own order (family, middle, given) with realistic frequencies.
VI_FAMILY = (
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 5),
    ("Phan", 4), ("Vũ", 4), ("Võ", 4), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2),
    ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Trương", 1), ("Đinh", 1), ("Mai", 1), ("Lâm", 1),
)  # fmt: skip
VI_MIDDLE_MALE = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Tuấn", "Gia", "Hoàng")
VI_MIDDLE_FEMALE = ("Thị", "Ngọc", "Thu", "Thanh", "Phương", "Mai", "Bảo", "Kim", "Hồng", "Khánh")
VI_GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Hùng", "Huy", "Khoa", "Long", "Minh", "Nam", "Phúc",
    "Quân", "Sơn", "Thắng", "Tuấn", "Việt", "Hiếu", "Trung", "Đạt", "Hải", "Tùng", "Kiên",
    "Lộc", "Phong", "Khang", "Duy", "Thịnh", "Vinh", "Tài", "Nhân",
)  # fmt: skip
VI_GIVEN_FEMALE = (
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Mai", "Ngọc",
    "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Trang", "Vân", "Yến", "Hằng", "Thủy",
    "Trâm", "Nhi", "Vy", "Uyên", "Ly", "Hoa", "Diệp",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    full_name: str


def _vietnamese(ctx: SeedContext) -> Person:
    rng = ctx.random
    family = rng.choices([f for f, _ in VI_FAMILY], weights=[w for _, w in VI_FAMILY])[0]
    if rng.random() < 0.5:
        middle, given = rng.choice(VI_MIDDLE_MALE), rng.choice(VI_GIVEN_MALE)
    else:
        middle, given = rng.choice(VI_MIDDLE_FEMALE), rng.choice(VI_GIVEN_FEMALE)
    return Person(given=given, family=family, full_name=f"{family} {middle} {given}")


def _english(ctx: SeedContext) -> Person:
    fake = ctx.fake_en
    given = fake.first_name_female() if ctx.random.random() < 0.5 else fake.first_name_male()
    family = fake.last_name()
    return Person(given=given, family=family, full_name=f"{given} {family}")


def _person(ctx: SeedContext, vietnamese_share: float) -> Person:
    return _vietnamese(ctx) if ctx.random.random() < vietnamese_share else _english(ctx)


def _ascii(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", folded.lower())


class _Emails:
    """given.family@<slug>.saleshelm.test, numbered on collision; deterministic."""

    def __init__(self, slug: str) -> None:
        self.domain = EMAIL_DOMAIN.format(slug=slug)
        self.taken = set(
            User.objects.filter(email__endswith=f"@{self.domain}").values_list("email", flat=True)
        )

    def reserve(self, email: str) -> bool:
        if email in self.taken:
            return False
        self.taken.add(email)
        return True

    def for_person(self, person: Person) -> str:
        base = f"{_ascii(person.given) or 'member'}.{_ascii(person.family) or 'sales'}"
        n = 1
        while True:
            email = f"{base}{n if n > 1 else ''}@{self.domain}"
            if self.reserve(email):
                return email
            n += 1


# --- Structure ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Region:
    key: str
    team: dict[str, str]  # region team name by locale
    territory: dict[str, str]
    country: dict[str, str] | None  # parent territory (None: the region is a root)
    cities: tuple[tuple[str, str, str], ...]  # (team name en, team name vi, territory name)
    segment_offset: int
    vietnamese_share: float


VIETNAM = {"en": "Vietnam", "vi": "Việt Nam"}
REGIONS = (
    Region(
        "north", {"en": "North Vietnam", "vi": "Miền Bắc"}, {"en": "North Vietnam", "vi": "Miền Bắc"},
        VIETNAM,
        (("Hà Nội", "Hà Nội", "Hà Nội"), ("Hải Phòng", "Hải Phòng", "Hải Phòng"),
         ("Bắc Ninh", "Bắc Ninh", "Bắc Ninh"), ("Quảng Ninh", "Quảng Ninh", "Quảng Ninh"),
         ("Thái Nguyên", "Thái Nguyên", "Thái Nguyên"), ("Nam Định", "Nam Định", "Nam Định")),
        0, 0.9,
    ),
    Region(
        "south", {"en": "South Vietnam", "vi": "Miền Nam"}, {"en": "South Vietnam", "vi": "Miền Nam"},
        VIETNAM,
        (("HCMC", "TP.HCM", "Hồ Chí Minh"), ("Cần Thơ", "Cần Thơ", "Cần Thơ"),
         ("Bình Dương", "Bình Dương", "Bình Dương"), ("Biên Hòa", "Biên Hòa", "Đồng Nai"),
         ("Vũng Tàu", "Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Long An", "Long An", "Long An")),
        1, 0.85,
    ),
    Region(
        "sea", {"en": "Southeast Asia", "vi": "Đông Nam Á"}, {"en": "Southeast Asia", "vi": "Đông Nam Á"},
        None,
        (("Singapore", "Singapore", "Singapore"), ("Bangkok", "Bangkok", "Thailand"),
         ("Kuala Lumpur", "Kuala Lumpur", "Malaysia"), ("Jakarta", "Jakarta", "Indonesia"),
         ("Manila", "Manila", "Philippines"), ("Phnom Penh", "Phnom Penh", "Cambodia")),
        3, 0.25,
    ),
    Region(
        "central", {"en": "Central Vietnam", "vi": "Miền Trung"}, {"en": "Central Vietnam", "vi": "Miền Trung"},
        VIETNAM,
        (("Đà Nẵng", "Đà Nẵng", "Đà Nẵng"), ("Huế", "Huế", "Huế"),
         ("Nha Trang", "Nha Trang", "Khánh Hòa"), ("Quy Nhơn", "Quy Nhơn", "Bình Định"),
         ("Vinh", "Vinh", "Nghệ An")),
        2, 0.9,
    ),
)  # fmt: skip

SEGMENTS = (
    {"en": "SMB", "vi": "SMB"},
    {"en": "Enterprise", "vi": "Doanh nghiệp lớn"},
    {"en": "Mid-Market", "vi": "Doanh nghiệp vừa"},
    {"en": "Partners", "vi": "Đối tác"},
    {"en": "Key Accounts", "vi": "Khách hàng trọng điểm"},
    {"en": "Inside Sales", "vi": "Bán hàng từ xa"},
    {"en": "Public Sector", "vi": "Khu vực công"},
    {"en": "Retail", "vi": "Bán lẻ"},
    {"en": "Healthcare", "vi": "Y tế"},
    {"en": "Education", "vi": "Giáo dục"},
    {"en": "Manufacturing", "vi": "Sản xuất"},
    {"en": "Logistics", "vi": "Logistics"},
)
DIVISION = {"en": "Sales", "vi": "Khối Kinh doanh"}


@dataclass(frozen=True)
class TeamPlan:
    name: str
    region: Region
    territory: str
    segment: int


def team_catalogue(locale: str):
    """Every (city, segment) team in a fixed order that spreads across regions first.

    The first four are "Hà Nội SMB", "HCMC Enterprise", "Singapore Partners" and
    "Đà Nẵng Mid-Market"; after all combinations the names repeat with a number.
    """
    depth = max(len(r.cities) for r in REGIONS)
    base = []
    for s in range(len(SEGMENTS)):
        for c in range(depth):
            for region in REGIONS:
                if c >= len(region.cities):
                    continue
                city = region.cities[c]
                segment = (s + c + region.segment_offset) % len(SEGMENTS)
                city_name = city[1] if locale == "vi" else city[0]
                base.append(
                    TeamPlan(f"{city_name} {SEGMENTS[segment][locale]}", region, city[2], segment)
                )
    round_ = 1
    while True:
        for plan in base:
            yield (
                plan
                if round_ == 1
                else TeamPlan(f"{plan.name} {round_}", plan.region, plan.territory, plan.segment)
            )
        round_ += 1


# --- Role profiles (what is expected of each role, SPEC §2) ---------------------------------
ROLE_PROFILES = {
    "account_executive": {
        "en": {
            "name": "Account Executive",
            "purpose": "Win new business and grow revenue in the assigned territory and segment.",
            "key_tasks": [
                "Run discovery with qualified prospects",
                "Present and demonstrate the offering",
                "Build proposals and negotiate terms",
                "Close deals and hand them over to onboarding",
                "Keep pipeline and forecast up to date every week",
            ],
            "responsibilities": [
                "Meet the quarterly revenue target",
                "Keep pipeline at three times the next quarter's target",
                "Log every customer call and meeting",
                "Follow the pricing and discount policy",
            ],
            "kpis": [
                ("Revenue against target", "revenue", "≥ 100% of the quarterly target"),
                ("Win rate", "win_rate", "≥ 25% of closed deals"),
                ("Customer meetings", "meetings", "8 per week"),
                ("Pipeline created", "pipeline_created", "3× next quarter's target"),
            ],
        },
        "vi": {
            "name": "Chuyên viên kinh doanh",
            "purpose": "Mang về khách hàng mới và tăng doanh thu trong địa bàn và phân khúc được giao.",
            "key_tasks": [
                "Khảo sát nhu cầu với khách hàng tiềm năng đủ điều kiện",
                "Trình bày và demo giải pháp",
                "Lập đề xuất và đàm phán điều khoản",
                "Chốt hợp đồng và bàn giao cho bộ phận triển khai",
                "Cập nhật pipeline và dự báo hằng tuần",
            ],
            "responsibilities": [
                "Đạt chỉ tiêu doanh thu quý",
                "Duy trì pipeline gấp ba lần chỉ tiêu quý tới",
                "Ghi nhận mọi cuộc gọi và cuộc gặp khách hàng",
                "Tuân thủ chính sách giá và chiết khấu",
            ],
            "kpis": [
                ("Doanh thu so với chỉ tiêu", "revenue", "≥ 100% chỉ tiêu quý"),
                ("Tỷ lệ thắng", "win_rate", "≥ 25% số thương vụ đã đóng"),
                ("Cuộc gặp khách hàng", "meetings", "8 cuộc mỗi tuần"),
                ("Pipeline tạo mới", "pipeline_created", "gấp 3 chỉ tiêu quý tới"),
            ],
        },
    },
    "sdr": {
        "en": {
            "name": "Sales Development Representative",
            "purpose": "Open conversations with target customers and book qualified meetings for Account Executives.",
            "key_tasks": [
                "Research target accounts and their decision makers",
                "Call and email prospects in sequences",
                "Qualify need, budget, authority and timing",
                "Book discovery meetings for Account Executives",
            ],
            "responsibilities": [
                "Work the target-segment lists assigned each month",
                "Hand over qualified leads within 24 hours",
                "Keep every lead's status current",
            ],
            "kpis": [
                ("Calls", "calls", "250 per week"),
                ("Meetings booked", "meetings", "12 per week"),
                ("Pipeline created", "pipeline_created", "per monthly target"),
            ],
        },
        "vi": {
            "name": "Chuyên viên phát triển khách hàng (SDR)",
            "purpose": "Mở đầu trao đổi với khách hàng mục tiêu và đặt lịch hẹn đủ điều kiện cho chuyên viên kinh doanh.",
            "key_tasks": [
                "Nghiên cứu khách hàng mục tiêu và người ra quyết định",
                "Gọi điện và gửi email theo chuỗi tiếp cận",
                "Đánh giá nhu cầu, ngân sách, thẩm quyền và thời điểm",
                "Đặt lịch gặp khảo sát cho chuyên viên kinh doanh",
            ],
            "responsibilities": [
                "Khai thác danh sách phân khúc mục tiêu được giao hằng tháng",
                "Bàn giao khách hàng tiềm năng đủ điều kiện trong 24 giờ",
                "Luôn cập nhật trạng thái của từng khách hàng tiềm năng",
            ],
            "kpis": [
                ("Cuộc gọi", "calls", "250 cuộc mỗi tuần"),
                ("Lịch hẹn đã đặt", "meetings", "12 lịch mỗi tuần"),
                ("Pipeline tạo mới", "pipeline_created", "theo chỉ tiêu tháng"),
            ],
        },
    },
    "key_account_manager": {
        "en": {
            "name": "Key Account Manager",
            "purpose": "Keep and grow the organisation's largest customers.",
            "key_tasks": [
                "Write and review an account plan for each key account",
                "Hold quarterly business reviews with each customer",
                "Find cross-sell and upsell opportunities",
                "Secure renewals before they are due",
                "Build relationships with customer executives",
            ],
            "responsibilities": [
                "Grow revenue from existing key accounts",
                "Keep customer satisfaction high and churn low",
                "Coordinate delivery, support and finance for the account",
            ],
            "kpis": [
                ("Account revenue", "revenue", "≥ 110% of last year's revenue"),
                ("Business reviews", "meetings", "1 per account per quarter"),
                ("Expansion win rate", "win_rate", "≥ 40%"),
                ("Expansion pipeline", "pipeline_created", "per quarterly target"),
            ],
        },
        "vi": {
            "name": "Quản lý khách hàng trọng điểm",
            "purpose": "Giữ chân và phát triển các khách hàng lớn nhất của tổ chức.",
            "key_tasks": [
                "Lập và rà soát kế hoạch cho từng khách hàng trọng điểm",
                "Tổ chức buổi đánh giá kinh doanh hằng quý với khách hàng",
                "Tìm cơ hội bán chéo và bán thêm",
                "Đảm bảo gia hạn hợp đồng trước hạn",
                "Xây dựng quan hệ với lãnh đạo phía khách hàng",
            ],
            "responsibilities": [
                "Tăng doanh thu từ khách hàng trọng điểm hiện có",
                "Giữ mức hài lòng cao và tỷ lệ rời bỏ thấp",
                "Điều phối triển khai, hỗ trợ và tài chính cho khách hàng",
            ],
            "kpis": [
                ("Doanh thu khách hàng", "revenue", "≥ 110% doanh thu năm trước"),
                ("Buổi đánh giá kinh doanh", "meetings", "1 buổi mỗi khách hàng mỗi quý"),
                ("Tỷ lệ thắng mở rộng", "win_rate", "≥ 40%"),
                ("Pipeline mở rộng", "pipeline_created", "theo chỉ tiêu quý"),
            ],
        },
    },
    "sales_manager": {
        "en": {
            "name": "Sales Manager",
            "purpose": "Lead a team to its targets and develop every salesperson in it.",
            "key_tasks": [
                "Agree targets and a plan with each salesperson",
                "Review pipeline and forecast with the team every week",
                "Coach on real calls and deals, including ride-alongs",
                "Hold regular one-to-one check-ins",
                "Recruit and onboard new salespeople",
            ],
            "responsibilities": [
                "Deliver the team's revenue target",
                "Give early feedback so people can judge their own performance",
                "Keep the team's forecast accurate",
            ],
            "kpis": [
                ("Team revenue", "revenue", "≥ 100% of the team target"),
                ("Team win rate", "win_rate", "≥ 25%"),
                ("Team pipeline created", "pipeline_created", "3× next quarter's target"),
                ("Coaching and customer meetings", "meetings", "6 per week"),
            ],
        },
        "vi": {
            "name": "Quản lý kinh doanh",
            "purpose": "Dẫn dắt nhóm đạt chỉ tiêu và phát triển từng nhân viên kinh doanh.",
            "key_tasks": [
                "Thống nhất chỉ tiêu và kế hoạch với từng nhân viên",
                "Rà soát pipeline và dự báo cùng nhóm hằng tuần",
                "Huấn luyện trên cuộc gọi và thương vụ thực tế, kể cả đi cùng khách hàng",
                "Tổ chức trao đổi 1:1 định kỳ",
                "Tuyển dụng và hội nhập nhân viên mới",
            ],
            "responsibilities": [
                "Đạt chỉ tiêu doanh thu của nhóm",
                "Phản hồi sớm để mỗi người tự đánh giá được kết quả của mình",
                "Giữ dự báo của nhóm chính xác",
            ],
            "kpis": [
                ("Doanh thu nhóm", "revenue", "≥ 100% chỉ tiêu nhóm"),
                ("Tỷ lệ thắng của nhóm", "win_rate", "≥ 25%"),
                ("Pipeline tạo mới của nhóm", "pipeline_created", "gấp 3 chỉ tiêu quý tới"),
                ("Buổi huấn luyện và gặp khách hàng", "meetings", "6 buổi mỗi tuần"),
            ],
        },
    },
    "sales_director": {
        "en": {
            "name": "Sales Director",
            "purpose": "Turn the organisation's goals into the sales plan and lead the managers who deliver it.",
            "key_tasks": [
                "Translate organisation goals into sales targets",
                "Set the territory and target-segment strategy",
                "Commit the sales forecast to leadership",
                "Develop sales managers as coaches",
                "Design incentives with finance",
            ],
            "responsibilities": [
                "Deliver the organisation's revenue target",
                "Keep sales effort on target segments",
                "Make sure each person knows how they contribute",
            ],
            "kpis": [
                ("Revenue", "revenue", "≥ 100% of the annual target"),
                ("Pipeline created", "pipeline_created", "3× next quarter's target"),
                ("Win rate", "win_rate", "≥ 25%"),
                ("Executive customer meetings", "meetings", "4 per month"),
            ],
        },
        "vi": {
            "name": "Giám đốc kinh doanh",
            "purpose": "Biến mục tiêu của tổ chức thành kế hoạch kinh doanh và dẫn dắt các quản lý thực hiện.",
            "key_tasks": [
                "Chuyển mục tiêu của tổ chức thành chỉ tiêu kinh doanh",
                "Xây dựng chiến lược địa bàn và phân khúc mục tiêu",
                "Cam kết dự báo doanh số với ban lãnh đạo",
                "Phát triển quản lý kinh doanh thành người huấn luyện",
                "Thiết kế chính sách khuyến khích cùng bộ phận tài chính",
            ],
            "responsibilities": [
                "Đạt chỉ tiêu doanh thu của tổ chức",
                "Tập trung nỗ lực bán hàng vào phân khúc mục tiêu",
                "Bảo đảm mỗi người biết mình đóng góp thế nào",
            ],
            "kpis": [
                ("Doanh thu", "revenue", "≥ 100% chỉ tiêu năm"),
                ("Pipeline tạo mới", "pipeline_created", "gấp 3 chỉ tiêu quý tới"),
                ("Tỷ lệ thắng", "win_rate", "≥ 25%"),
                ("Gặp lãnh đạo khách hàng", "meetings", "4 buổi mỗi tháng"),
            ],
        },
    },
}

TITLES = {
    "en": {
        "admin": "Sales Operations Manager",
        "director": "Sales Director",
        "finance": "Finance Controller",
        "viewer": "Chief Executive Officer",
        "region_manager": "Regional Sales Manager",
        "manager": "Sales Manager",
        "account_executive": ("Account Executive", "Senior Account Executive"),
        "sdr": ("Sales Development Representative",),
        "key_account_manager": ("Key Account Manager",),
    },
    "vi": {
        "admin": "Quản lý vận hành kinh doanh",
        "director": "Giám đốc kinh doanh",
        "finance": "Kiểm soát viên tài chính",
        "viewer": "Tổng giám đốc",
        "region_manager": "Giám đốc kinh doanh vùng",
        "manager": "Trưởng nhóm kinh doanh",
        "account_executive": ("Chuyên viên kinh doanh", "Chuyên viên kinh doanh cao cấp"),
        "sdr": ("Chuyên viên phát triển khách hàng",),
        "key_account_manager": ("Quản lý khách hàng trọng điểm",),
    },
}

STRENGTHS = {
    "en": (
        "Discovery", "Negotiation", "Product demos", "Prospecting", "Closing",
        "Account planning", "Forecast accuracy", "Objection handling",
        "Relationship building", "Partner management", "Public sector tenders",
        "Executive presentations",
    ),
    "vi": (
        "Khảo sát nhu cầu", "Đàm phán", "Demo sản phẩm", "Tìm kiếm khách hàng", "Chốt hợp đồng",
        "Lập kế hoạch khách hàng", "Dự báo chính xác", "Xử lý phản đối",
        "Xây dựng quan hệ", "Quản lý đối tác", "Đấu thầu khu vực công",
        "Thuyết trình với lãnh đạo",
    ),
}  # fmt: skip

# Rep role mix by segment: (account_executive, sdr, key_account_manager) weights.
ROLE_MIX_DEFAULT = (60, 25, 15)
ROLE_MIX = {
    "SMB": (65, 35, 0),
    "Enterprise": (45, 15, 40),
    "Key Accounts": (30, 10, 60),
    "Inside Sales": (40, 60, 0),
    "Partners": (55, 20, 25),
}


@dataclass
class _NewMember:
    person: Person
    email: str
    role: str
    title: str
    profile_key: str | None
    start_date: dt.date
    team_key: str | None = None  # "division" | region key | leaf team name
    territory: str | None = None
    strengths: tuple[str, ...] = ()
    membership: Membership | None = None


def _start_date(ctx: SeedContext, min_years: float, max_years: float) -> dt.date:
    # Tenure skews short, as in real sales teams: most joined in the last few years.
    span = max_years - min_years
    years = min_years + span * (ctx.random.random() ** 1.6)
    return ctx.today - dt.timedelta(days=int(years * 365.25))


def _split(ctx: SeedContext, total: int, parts: int) -> list[int]:
    """Split ``total`` reps into ``parts`` teams of roughly equal, slightly varied size."""
    if parts <= 0:
        return []
    weights = [ctx.random.uniform(0.75, 1.25) for _ in range(parts)]
    scale = total / sum(weights)
    sizes = [max(1, math.floor(w * scale)) for w in weights] if total >= parts else [0] * parts
    if total < parts:
        for i in range(total):
            sizes[i] = 1
    diff = total - sum(sizes)
    i = 0
    while diff != 0:
        j = i % parts
        if diff > 0:
            sizes[j] += 1
            diff -= 1
        elif sizes[j] > 1:
            sizes[j] -= 1
            diff += 1
        i += 1
    return sizes


def _tree_node(model, ctx: SeedContext, name: str, parent, **extra):
    """Get the node named ``name`` in the organisation, or create it under ``parent``."""
    node = model.objects.filter(organisation=ctx.organisation, name=name).first()
    if node is not None:
        return node, False
    node = model(organisation=ctx.organisation, name=name, parent=parent, path="/pending/", **extra)
    node.save()
    node.path = f"{parent.path if parent else '/'}{node.pk}/"
    node.depth = parent.depth + 1 if parent else 0
    node.save(update_fields=["path", "depth"])
    return node, True


def _territories(ctx: SeedContext, locale: str) -> dict[str, Territory]:
    by_name: dict[str, Territory] = {}
    created = 0
    for region in REGIONS:
        parent = None
        if region.country is not None:
            parent, new = _tree_node(Territory, ctx, region.country[locale], None)
            created += new
        region_node, new = _tree_node(Territory, ctx, region.territory[locale], parent)
        created += new
        by_name[region.key] = region_node
        for city in region.cities:
            node, new = _tree_node(Territory, ctx, city[2], region_node)
            created += new
            by_name[city[2]] = node
    ctx.counts["territories"] = ctx.counts.get("territories", 0) + created
    return by_name


def _role_profiles(ctx: SeedContext, locale: str) -> dict[str, RoleProfile]:
    out = {}
    for key, text in ROLE_PROFILES.items():
        t = text[locale]
        profile = RoleProfile.objects.filter(organisation=ctx.organisation, name=t["name"]).first()
        if profile is None:
            profile = RoleProfile.objects.create(
                organisation=ctx.organisation,
                name=t["name"],
                purpose=t["purpose"],
                key_tasks=list(t["key_tasks"]),
                responsibilities=list(t["responsibilities"]),
                kpis=[{"name": n, "metric": m, "measure": s} for n, m, s in t["kpis"]],
            )
            ctx.counts["role_profiles"] = ctx.counts.get("role_profiles", 0) + 1
        out[key] = profile
    return out


def seed(ctx: SeedContext) -> None:
    org = ctx.organisation
    locale = org.locale if org.locale in ("en", "vi") else "en"
    titles = TITLES[locale]
    emails = _Emails(org.slug)
    logins = dict(ctx.options.logins)

    territories = _territories(ctx, locale)
    role_profiles = _role_profiles(ctx, locale)

    def email_for(person: Person, role_key: str) -> str:
        fixed = logins.pop(role_key, None)
        if fixed and emails.reserve(fixed.lower()):
            return fixed.lower()
        return emails.for_person(person)

    plan: list[_NewMember] = []

    # Leadership: one of each organisation-wide role the organisation does not have yet.
    present = set(
        Membership.objects.filter(organisation=org, is_active=True).values_list("role", flat=True)
    )
    for role, profile_key, share in (
        (Role.ADMIN, None, 0.6),
        (Role.DIRECTOR, "sales_director", 0.6),
        (Role.FINANCE, None, 0.7),
        (Role.VIEWER, None, 0.5),
    ):
        if role in present:
            continue
        person = _person(ctx, share)
        plan.append(
            _NewMember(
                person, email_for(person, role), role, titles[role], profile_key,
                _start_date(ctx, 4, 12), team_key="division" if role == Role.DIRECTOR else None,
            )
        )  # fmt: skip

    # Teams for the new reps: the next names of the catalogue not used in the organisation.
    used = set(Team.objects.filter(organisation=org).values_list("name", flat=True))
    n_teams = math.ceil(ctx.options.reps / TEAM_SIZE) if ctx.options.reps else 0
    leaf_plans: list[TeamPlan] = []
    for team_plan in team_catalogue(locale):
        if len(leaf_plans) == n_teams:
            break
        if team_plan.name not in used:
            used.add(team_plan.name)
            leaf_plans.append(team_plan)
    region_names = {r.key: r.team[locale] for r in REGIONS}
    regions_needed = [r for r in REGIONS if any(p.region is r for p in leaf_plans)]
    existing_regions = set(
        Team.objects.filter(
            organisation=org, name__in=[r.team[locale] for r in regions_needed]
        ).values_list("name", flat=True)
    )
    for region in regions_needed:
        if region.team[locale] in existing_regions:
            continue
        person = _person(ctx, region.vietnamese_share)
        plan.append(
            _NewMember(
                person, email_for(person, "region_manager"), Role.MANAGER,
                titles["region_manager"], "sales_manager", _start_date(ctx, 3, 12),
                team_key=f"region:{region.key}", territory=region.key,
            )
        )  # fmt: skip

    sizes = _split(ctx, ctx.options.reps, len(leaf_plans))
    for team_plan, size in zip(leaf_plans, sizes, strict=True):
        person = _person(ctx, team_plan.region.vietnamese_share)
        plan.append(
            _NewMember(
                person, email_for(person, Role.MANAGER), Role.MANAGER, titles["manager"],
                "sales_manager", _start_date(ctx, 2, 10), team_key=team_plan.name,
                territory=team_plan.territory,
                strengths=tuple(ctx.random.sample(STRENGTHS[locale], 2)),
            )
        )  # fmt: skip
        segment = SEGMENTS[team_plan.segment]["en"]
        mix = ROLE_MIX.get(segment, ROLE_MIX_DEFAULT)
        for _ in range(size):
            person = _person(ctx, team_plan.region.vietnamese_share)
            key = ctx.random.choices(
                ("account_executive", "sdr", "key_account_manager"), weights=mix
            )[0]
            start = _start_date(ctx, 0.05, 8)
            options = titles[key]
            senior = len(options) > 1 and (ctx.today - start).days > 3 * 365
            plan.append(
                _NewMember(
                    person, email_for(person, Role.REP), Role.REP, options[1 if senior else 0],
                    key, start, team_key=team_plan.name, territory=team_plan.territory,
                    strengths=tuple(ctx.random.sample(STRENGTHS[locale], ctx.random.randint(1, 3))),
                )
            )  # fmt: skip

    unusable = make_password(None)  # one string for everyone: computed once, not per user
    login_hashes: dict[str, str] = {}
    for email in ctx.options.logins.values():
        login_hashes[email.lower()] = make_password(ctx.options.password)

    total = len(plan) * 3
    with ctx.progress.stage("people", total) as advance:
        users = [
            User(
                email=m.email,
                full_name=m.person.full_name,
                first_name=m.person.given[:150],
                last_name=m.person.family[:150],
                password=login_hashes.get(m.email, unusable),
            )
            for m in plan
        ]
        for i in range(0, len(users), BATCH):
            User.objects.bulk_create(users[i : i + BATCH])
            advance(len(users[i : i + BATCH]))
        memberships = [
            Membership(organisation=org, user=u, role=m.role)
            for u, m in zip(users, plan, strict=True)
        ]
        for i in range(0, len(memberships), BATCH):
            Membership.objects.bulk_create(memberships[i : i + BATCH])
            advance(len(memberships[i : i + BATCH]))
        for m, membership in zip(plan, memberships, strict=True):
            m.membership = membership

        # Team tree: the division (managed by the director), its regions, the new teams.
        director = next((m.membership for m in plan if m.role == Role.DIRECTOR), None)
        if director is None:
            director = (
                Membership.objects.filter(organisation=org, role=Role.DIRECTOR, is_active=True)
                .order_by("pk")
                .first()
            )
        teams: dict[str, Team] = {}
        division = None
        if leaf_plans or director is not None:
            division, _ = _tree_node(Team, ctx, DIVISION[locale], None, manager=director)
            teams["division"] = division
        region_managers = {
            m.team_key: m.membership
            for m in plan
            if m.team_key and m.team_key.startswith("region:")
        }
        for region in regions_needed:
            node, _ = _tree_node(
                Team, ctx, region_names[region.key], division,
                manager=region_managers.get(f"region:{region.key}"),
            )  # fmt: skip
            teams[f"region:{region.key}"] = node
        managers = {m.team_key: m.membership for m in plan if m.role == Role.MANAGER}
        leaf_teams = [
            Team(
                organisation=org,
                name=p.name,
                parent=teams[f"region:{p.region.key}"],
                manager=managers[p.name],
                path="/pending/",
                depth=2,
            )
            for p in leaf_plans
        ]
        Team.objects.bulk_create(leaf_teams, batch_size=BATCH)
        for team in leaf_teams:
            team.path = f"{team.parent.path}{team.pk}/"
            team.depth = team.parent.depth + 1
            teams[team.name] = team
        Team.objects.bulk_update(leaf_teams, ["path", "depth"], batch_size=BATCH)
        ctx.counts["teams"] = ctx.counts.get("teams", 0) + len(leaf_teams)

        profiles = [
            MemberProfile(
                organisation=org,
                membership=m.membership,
                title=m.title,
                team=teams.get(m.team_key) if m.team_key else None,
                territory=territories.get(m.territory) if m.territory else None,
                role_profile=role_profiles.get(m.profile_key) if m.profile_key else None,
                start_date=m.start_date,
                strengths=list(m.strengths),
            )
            for m in plan
        ]
        for i in range(0, len(profiles), BATCH):
            MemberProfile.objects.bulk_create(profiles[i : i + BATCH])
            advance(len(profiles[i : i + BATCH]))

    new_reps = sum(1 for m in plan if m.role == Role.REP)
    ctx.counts["members"] = ctx.counts.get("members", 0) + len(plan)
    ctx.counts["reps"] = ctx.counts.get("reps", 0) + new_reps

    # What later seeders read: the whole organisation, not only what this run added.
    ctx.members = [m.membership for m in plan if m.membership is not None]
    everyone = Membership.objects.filter(organisation=org, is_active=True).select_related("user")
    ctx.reps = [m for m in everyone if m.role == Role.REP]
    ctx.managers = [m for m in everyone if m.role == Role.MANAGER]
    ctx.teams = list(Team.objects.filter(organisation=org))
    ctx.territories = list(Territory.objects.filter(organisation=org))
    ctx.role_profiles = role_profiles
    ctx.profiles = {p.pk: p for p in MemberProfile.objects.filter(organisation=org)}
    ctx.summary.append(
        f"{new_reps:,} reps in {len(leaf_teams):,} teams ({len(plan):,} members in all)"
    )

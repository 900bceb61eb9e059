"""What the people seeder draws from: names, regions, cities, segments, role profiles.

Plain data, in English and Vietnamese, kept apart from the code that writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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


# --- Role profiles (what is expected of each role, SPEC §2) ---------------------------------
ROLE_PROFILES: dict[str, dict[str, dict[str, Any]]] = {
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

TITLES: dict[str, dict[str, Any]] = {
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

"""What the crm seeder draws from: company names, industries, products, phrases.

Plain data, in English and Vietnamese, kept apart from the code that writes it.
"""

from __future__ import annotations

from decimal import Decimal

D = Decimal

# --- Companies ------------------------------------------------------------------------------
VI_COMPANY_FORMS = ("Công ty TNHH", "Công ty Cổ phần", "CTCP", "Công ty TNHH MTV", "Tập đoàn")
VI_COMPANY_TRADES = (
    "Thương mại", "Dịch vụ", "Đầu tư", "Xuất nhập khẩu", "Phân phối", "Bán lẻ", "Logistics",
    "Thực phẩm", "Dược phẩm", "Công nghệ", "Xây dựng", "Nông sản", "Thủy sản", "Vận tải",
)  # fmt: skip
VI_COMPANY_NAMES = (
    "Minh Phát", "Hòa Bình", "Thành Công", "An Khang", "Phú Thái", "Đông Á", "Sao Mai",
    "Hưng Thịnh", "Tân Cảng", "Việt Tiến", "Hoàng Long", "Bình Minh", "Nam Việt", "Kim Ngân",
    "Thiên Long", "Đại Phát", "Phương Nam", "Hải Âu", "Trường Sơn", "Cửu Long", "Sông Hồng",
    "Mekong", "Hồng Hà", "Vạn Xuân", "Toàn Cầu", "Ánh Dương", "Lạc Hồng", "Kinh Bắc",
    "Thăng Long", "Phú Mỹ", "Gia Định", "Tây Đô", "Hà Thành", "Sài Gòn Xanh", "Đất Việt",
    "Hưng Phát", "Thịnh Vượng", "Hoa Sen", "Bạch Đằng", "Ngọc Lan",
)  # fmt: skip
EN_COMPANY_HEADS = (
    "Northwind", "Blue Harbor", "Silverline", "Pacific Rim", "Lotus", "Evergreen", "Redwood",
    "Summit", "Harbourfront", "Golden Gate", "Crescent", "Meridian", "Orchid", "Keystone",
    "Bluewater", "Sunrise", "Straits", "Monsoon", "Jade", "Anchor", "Coral Bay", "Skyline",
    "Riverside", "Lighthouse", "Tigerlily", "Bamboo", "Saffron", "Ironbridge", "Greenfield",
    "Atlas",
)  # fmt: skip
EN_COMPANY_TAILS = (
    "Traders", "Logistics", "Retail Group", "Foods", "Pharma", "Holdings", "Supply Co.",
    "Distribution", "Hospitality", "Manufacturing", "Markets", "Health", "Motors", "Hotels",
    "Education", "Electronics",
)  # fmt: skip
INDUSTRIES = (
    ("Retail", 18), ("Logistics", 12), ("Manufacturing", 12), ("Food & Beverage", 10),
    ("Healthcare", 8), ("Pharmacy", 6), ("Hospitality", 7), ("E-commerce", 7),
    ("Education", 4), ("Construction", 4), ("Agriculture", 4), ("Automotive", 3),
    ("Banking", 3), ("Telecom", 2),
)  # fmt: skip
# Territory (city or country) -> ISO country code, for accounts placed where their rep sells.
COUNTRY_OF = {
    "Singapore": "SG", "Thailand": "TH", "Malaysia": "MY", "Indonesia": "ID",
    "Philippines": "PH", "Cambodia": "KH",
}  # fmt: skip
FALLBACK_REGIONS = (
    ("Hà Nội", "VN"), ("Hồ Chí Minh", "VN"), ("Đà Nẵng", "VN"), ("Hải Phòng", "VN"),
    ("Cần Thơ", "VN"), ("Singapore", "SG"), ("Thailand", "TH"), ("Malaysia", "MY"),
)  # fmt: skip

CONTACT_TITLES = (
    "CEO", "CFO", "COO", "Head of Procurement", "IT Manager", "Operations Director",
    "Store Operations Manager", "Warehouse Manager", "Purchasing Officer", "Finance Manager",
    "Giám đốc", "Trưởng phòng Mua hàng", "Trưởng phòng IT", "Kế toán trưởng",
)  # fmt: skip
LEAD_SOURCES = (
    ("Website", 30), ("Referral", 18), ("Trade show", 12), ("Cold call", 10), ("LinkedIn", 10),
    ("Partner", 10), ("Webinar", 6), ("Zalo", 4),
)  # fmt: skip
LEAD_STATUSES = (
    ("new", 28), ("contacted", 25), ("qualified", 14), ("disqualified", 15), ("converted", 18),
)  # fmt: skip

# --- Catalogue ------------------------------------------------------------------------------
# (category, parent category or None)
CATEGORIES = (
    ("Hardware", None), ("Scanners", "Hardware"), ("Software", None), ("Services", None),
)  # fmt: skip
# sku, name, category, list price (USD), cost share of price, typical quantities, weight
PRODUCTS = (
    ("XS-100", "XS-100 pocket barcode scanner", "Scanners", D("89"), D("0.52"), (5, 10, 20, 40), 7),
    ("XS-400", "XS-400 handheld 2D scanner", "Scanners", D("249"), D("0.55"), (2, 5, 10, 20), 12),
    ("XS-700", "XS-700 rugged scanner", "Scanners", D("489"), D("0.58"), (1, 2, 5, 10), 8),
    ("XS-900", "XS-900 fixed-mount scanner", "Scanners", D("899"), D("0.60"), (1, 2, 4), 4),
    ("XS-CRADLE", "XS charging cradle", "Scanners", D("59"), D("0.45"), (2, 5, 10, 20), 5),
    ("HW-T20", "T20 POS terminal", "Hardware", D("1150"), D("0.66"), (1, 2, 4, 8), 7),
    ("HW-P80", "P80 receipt printer", "Hardware", D("229"), D("0.62"), (1, 2, 4, 8), 6),
    ("HW-LBL4", "LBL4 label printer", "Hardware", D("389"), D("0.60"), (1, 2, 3), 4),
    ("HW-TAB10", "TAB10 rugged tablet", "Hardware", D("799"), D("0.68"), (1, 2, 5, 10), 4),
    ("HW-KIOSK", "Self-order kiosk", "Hardware", D("3400"), D("0.64"), (1, 2), 2),
    ("SW-POS-S", "POS licence Starter (1 year)", "Software", D("480"), D("0.12"), (1, 2, 5, 10), 9),
    ("SW-POS-P", "POS licence Pro (1 year)", "Software", D("1200"), D("0.12"), (1, 2, 5, 10), 6),
    ("SW-INV", "Inventory cloud (1 year)", "Software", D("960"), D("0.15"), (1, 2, 3), 5),
    ("SW-ANL", "Analytics add-on (1 year)", "Software", D("600"), D("0.10"), (1, 2), 3),
    ("SW-API", "API access (1 year)", "Software", D("1800"), D("0.08"), (1,), 2),
    ("SV-INST", "Installation (per site)", "Services", D("350"), D("0.55"), (1, 2, 3, 5), 6),
    ("SV-TRN", "Training day", "Services", D("600"), D("0.50"), (1, 2), 3),
    ("SV-SUP", "Premium support (1 year)", "Services", D("1500"), D("0.35"), (1,), 3),
    ("SV-CONS", "Consulting day", "Services", D("900"), D("0.48"), (1, 2, 3, 5), 2),
    ("SV-MIG", "Data migration", "Services", D("2500"), D("0.45"), (1,), 1),
)  # fmt: skip
DISCOUNTS = ((D("0"), 55), (D("0.05"), 18), (D("0.1"), 14), (D("0.15"), 8), (D("0.2"), 5))
LINES_PER_ORDER = ((1, 34), (2, 28), (3, 20), (4, 11), (5, 7))

# --- Deals and activities -------------------------------------------------------------------
DEAL_KINDS = (
    "scanner rollout", "POS upgrade", "warehouse scanning", "store refit", "inventory cloud",
    "kiosk pilot", "support renewal", "label printing", "new branches", "mobile sales kit",
    "triển khai POS", "mở rộng chi nhánh",
)  # fmt: skip
NEXT_STEPS = (
    "Send proposal", "Book demo with IT", "Call procurement", "Site survey", "Negotiate terms",
    "Get budget sign-off", "Pilot at two stores", "Send revised quote", "Meet the CFO",
    "Gửi báo giá", "Hẹn demo",
)  # fmt: skip
LOST_REASONS = (
    "Price", "Chose a competitor", "No budget", "Timing", "No decision", "Went with incumbent",
    "Requirements not met",
)  # fmt: skip
ACTIVITY_TYPES = (("call", 40), ("email", 25), ("meeting", 15), ("demo", 8), ("task", 12))
ACTIVITY_SUBJECTS = {
    "call": ("Discovery call", "Follow-up call", "Check-in call", "Pricing call", "Gọi chăm sóc"),
    "email": ("Sent proposal", "Sent quote", "Follow-up email", "Sent case study", "Gửi báo giá"),
    "meeting": ("On-site meeting", "Quarterly review", "Meeting with procurement", "Họp với khách"),
    "demo": ("Product demo XS-400", "POS Pro demo", "Inventory cloud demo", "Kiosk demo"),
    "task": ("Prepare quote", "Update forecast notes", "Send contract", "Plan site survey"),
}
ACTIVITY_OUTCOMES = (
    "Interested, wants a quote", "Asked for references", "Needs IT approval", "Budget next quarter",
    "Positive, moving forward", "No answer, try again", "Requested a demo", "Comparing vendors",
    "Khách quan tâm", "",
)  # fmt: skip
DURATIONS = {
    "call": (5, 10, 15, 20, 30),
    "meeting": (30, 45, 60, 90),
    "demo": (45, 60, 90),
    "email": (None,),
    "task": (None, 15, 30),
}


# --- A Vietnamese organisation's own words --------------------------------------------------
# The lists above mix English and Vietnamese, as a regional team writes; an organisation
# working in Vietnamese gets these instead (same shapes, so the seed draws the same way).
VI_CONTACT_TITLES = (
    "Giám đốc", "Phó giám đốc", "Giám đốc tài chính", "Trưởng phòng Mua hàng",
    "Trưởng phòng IT", "Kế toán trưởng", "Quản lý cửa hàng", "Quản lý kho",
    "Trưởng phòng Vận hành", "Chuyên viên mua hàng",
)  # fmt: skip
VI_PRODUCT_NAMES = {
    "XS-100": "Máy quét mã vạch bỏ túi XS-100",
    "XS-400": "Máy quét 2D cầm tay XS-400",
    "XS-700": "Máy quét chống va đập XS-700",
    "XS-900": "Máy quét gắn cố định XS-900",
    "XS-CRADLE": "Đế sạc XS",
    "HW-T20": "Máy bán hàng POS T20",
    "HW-P80": "Máy in hóa đơn P80",
    "HW-LBL4": "Máy in tem nhãn LBL4",
    "HW-TAB10": "Máy tính bảng chống va đập TAB10",
    "HW-KIOSK": "Ki-ốt tự gọi món",
    "SW-POS-S": "Bản quyền POS Cơ bản (1 năm)",
    "SW-POS-P": "Bản quyền POS Chuyên nghiệp (1 năm)",
    "SW-INV": "Quản lý kho trên mây (1 năm)",
    "SW-ANL": "Gói phân tích bổ sung (1 năm)",
    "SW-API": "Truy cập API (1 năm)",
    "SV-INST": "Lắp đặt (mỗi điểm bán)",
    "SV-TRN": "Ngày đào tạo",
    "SV-SUP": "Hỗ trợ cao cấp (1 năm)",
    "SV-CONS": "Ngày tư vấn",
    "SV-MIG": "Chuyển đổi dữ liệu",
}
VI_DEAL_KINDS = (
    "triển khai máy quét", "nâng cấp POS", "quét mã kho hàng", "cải tạo cửa hàng",
    "quản lý kho trên mây", "thí điểm ki-ốt", "gia hạn hỗ trợ", "in tem nhãn",
    "mở rộng chi nhánh", "bộ bán hàng di động", "triển khai POS",
)  # fmt: skip
VI_NEXT_STEPS = (
    "Gửi báo giá", "Hẹn demo với IT", "Gọi phòng mua hàng", "Khảo sát cửa hàng",
    "Đàm phán điều khoản", "Chờ duyệt ngân sách", "Thí điểm tại hai cửa hàng",
    "Gửi báo giá điều chỉnh", "Gặp giám đốc tài chính",
)  # fmt: skip
VI_LOST_REASONS = (
    "Giá", "Chọn đối thủ", "Không có ngân sách", "Chưa đúng thời điểm", "Không ra quyết định",
    "Giữ nhà cung cấp cũ", "Không đáp ứng yêu cầu",
)  # fmt: skip
VI_ACTIVITY_SUBJECTS = {
    "call": ("Gọi tìm hiểu nhu cầu", "Gọi theo dõi", "Gọi chăm sóc", "Gọi trao đổi giá"),
    "email": ("Gửi đề xuất", "Gửi báo giá", "Email theo dõi", "Gửi câu chuyện khách hàng"),
    "meeting": ("Gặp tại cửa hàng", "Họp đánh giá quý", "Họp với phòng mua hàng", "Họp với khách"),
    "demo": ("Demo máy quét XS-400", "Demo POS Chuyên nghiệp", "Demo quản lý kho", "Demo ki-ốt"),
    "task": ("Chuẩn bị báo giá", "Cập nhật ghi chú dự báo", "Gửi hợp đồng", "Lên lịch khảo sát"),
}
VI_ACTIVITY_OUTCOMES = (
    "Khách quan tâm, muốn nhận báo giá", "Hỏi khách hàng tham chiếu", "Cần IT phê duyệt",
    "Ngân sách quý sau", "Tích cực, đang tiến triển", "Không nghe máy, gọi lại sau",
    "Khách muốn xem demo", "Đang so sánh nhà cung cấp", "Khách quan tâm", "",
)  # fmt: skip

# What a Vietnamese firm calls the same things (the English names are the keys above).
VI_INDUSTRIES = {
    "Retail": "Bán lẻ", "Logistics": "Kho vận", "Manufacturing": "Sản xuất",
    "Food & Beverage": "Thực phẩm & Đồ uống", "Healthcare": "Y tế", "Pharmacy": "Dược phẩm",
    "Hospitality": "Nhà hàng & Khách sạn", "E-commerce": "Thương mại điện tử",
    "Education": "Giáo dục", "Construction": "Xây dựng", "Agriculture": "Nông nghiệp",
    "Automotive": "Ô tô", "Banking": "Ngân hàng", "Telecom": "Viễn thông",
}  # fmt: skip
VI_LEAD_SOURCES = {
    "Website": "Website", "Referral": "Giới thiệu", "Trade show": "Hội chợ triển lãm",
    "Cold call": "Gọi điện chào hàng", "LinkedIn": "LinkedIn", "Partner": "Đối tác",
    "Webinar": "Hội thảo trực tuyến", "Zalo": "Zalo",
}  # fmt: skip
VI_PRICE_LISTS = {"Standard": "Bảng giá chuẩn", "Partner": "Giá đại lý", "Export": "Xuất khẩu"}
# The pipeline a Vietnamese firm sets up, stage by stage beside crm's default English one.
VI_PIPELINE = "Quy trình bán hàng"
VI_STAGES = {
    "Qualification": "Xác định nhu cầu", "Discovery": "Tìm hiểu", "Proposal": "Đề xuất",
    "Negotiation": "Đàm phán", "Closed won": "Thắng", "Closed lost": "Thua",
}  # fmt: skip


def words(locale: str) -> dict:
    """The phrases a seeded organisation writes, in its language."""
    if locale == "vi":
        return {
            "contact_titles": VI_CONTACT_TITLES,
            "deal_kinds": VI_DEAL_KINDS,
            "next_steps": VI_NEXT_STEPS,
            "lost_reasons": VI_LOST_REASONS,
            "activity_subjects": VI_ACTIVITY_SUBJECTS,
            "activity_outcomes": VI_ACTIVITY_OUTCOMES,
            "product_names": VI_PRODUCT_NAMES,
            "industries": VI_INDUSTRIES,
            "lead_sources": VI_LEAD_SOURCES,
            "price_lists": VI_PRICE_LISTS,
            "pipeline": (VI_PIPELINE, VI_STAGES),
        }
    return {
        "contact_titles": CONTACT_TITLES,
        "deal_kinds": DEAL_KINDS,
        "next_steps": NEXT_STEPS,
        "lost_reasons": LOST_REASONS,
        "activity_subjects": ACTIVITY_SUBJECTS,
        "activity_outcomes": ACTIVITY_OUTCOMES,
        "product_names": {},
        "industries": {},
        "lead_sources": {},
        "price_lists": {},
        "pipeline": None,
    }

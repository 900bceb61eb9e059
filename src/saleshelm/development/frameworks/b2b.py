"""Starter framework for B2B sales (account executives, SDRs, key account managers).

Pure data: ``saleshelm.development.frameworks.load`` turns it into competencies. Levels run
from 1 (learning the basics) to 5 (a reference others learn from).
"""

FRAMEWORK = {
    "key": "b2b",
    "name": {"en": "B2B sales", "vi": "Bán hàng B2B"},
    # Role keys -> role profile names they match (either language, case-insensitive).
    "roles": {
        "account_executive": ["Account Executive", "Chuyên viên kinh doanh"],
        "sdr": [
            "Sales Development Representative",
            "Chuyên viên phát triển khách hàng (SDR)",
            "SDR",
        ],
        "key_account_manager": ["Key Account Manager", "Quản lý khách hàng trọng điểm"],
        "sales_manager": ["Sales Manager", "Quản lý kinh doanh"],
        "sales_director": ["Sales Director", "Giám đốc kinh doanh"],
    },
    "groups": [
        {
            "key": "b2b-pipeline",
            "name": {"en": "Prospecting and pipeline", "vi": "Tìm kiếm khách hàng và pipeline"},
            "description": {
                "en": "Finding the right customers and keeping an honest pipeline.",
                "vi": "Tìm đúng khách hàng và giữ một pipeline trung thực.",
            },
            "competencies": [
                {
                    "key": "b2b-prospecting",
                    "kind": "skill",
                    "name": {"en": "Prospecting", "vi": "Tìm kiếm khách hàng tiềm năng"},
                    "description": {
                        "en": "Opens conversations with target accounts through calls, email and referrals.",
                        "vi": "Mở đầu cuộc trao đổi với khách hàng mục tiêu qua điện thoại, email và giới thiệu.",
                    },
                    "levels": {
                        "en": [
                            "Works lists handed to them; outreach is generic.",
                            "Researches accounts before reaching out; follows a sequence.",
                            "Personalises outreach to the buyer's role and books meetings steadily.",
                            "Builds own pipeline from target segments and referrals, week after week.",
                            "Designs sequences and messages the whole team uses.",
                        ],
                        "vi": [
                            "Làm theo danh sách được giao; nội dung tiếp cận còn chung chung.",
                            "Tìm hiểu khách hàng trước khi liên hệ; đi theo kịch bản tiếp cận.",
                            "Cá nhân hoá nội dung theo vai trò người mua và đặt lịch hẹn đều đặn.",
                            "Tự tạo pipeline từ phân khúc mục tiêu và giới thiệu, tuần này qua tuần khác.",
                            "Thiết kế kịch bản và thông điệp cho cả đội sử dụng.",
                        ],
                    },
                    "expected": {
                        "account_executive": 3,
                        "sdr": 4,
                        "key_account_manager": 2,
                        "sales_manager": 3,
                    },
                },
                {
                    "key": "b2b-qualification",
                    "kind": "skill",
                    "name": {"en": "Qualification", "vi": "Đánh giá cơ hội"},
                    "description": {
                        "en": "Checks need, budget, authority and timing before investing time.",
                        "vi": "Kiểm tra nhu cầu, ngân sách, thẩm quyền và thời điểm trước khi đầu tư thời gian.",
                    },
                    "levels": {
                        "en": [
                            "Treats every interested contact as a deal.",
                            "Asks the qualification questions but accepts vague answers.",
                            "Qualifies out early and records why.",
                            "Finds the economic buyer and the decision process in the first meetings.",
                            "Coaches others to qualify; their pipeline converts well above average.",
                        ],
                        "vi": [
                            "Coi mọi liên hệ quan tâm là một thương vụ.",
                            "Có hỏi các câu đánh giá nhưng chấp nhận câu trả lời mơ hồ.",
                            "Loại sớm cơ hội không phù hợp và ghi lại lý do.",
                            "Xác định người quyết định ngân sách và quy trình ra quyết định ngay từ các buổi đầu.",
                            "Hướng dẫn người khác đánh giá cơ hội; pipeline chuyển đổi cao hơn hẳn mức trung bình.",
                        ],
                    },
                    "expected": {
                        "account_executive": 4,
                        "sdr": 3,
                        "key_account_manager": 3,
                        "sales_manager": 4,
                    },
                },
                {
                    "key": "b2b-pipeline-discipline",
                    "kind": "behaviour",
                    "name": {"en": "Pipeline discipline", "vi": "Kỷ luật pipeline"},
                    "description": {
                        "en": "Keeps every deal current: stage, amount, close date and a dated next step.",
                        "vi": "Luôn cập nhật từng thương vụ: giai đoạn, giá trị, ngày chốt và bước tiếp theo có hạn.",
                    },
                    "levels": {
                        "en": [
                            "Updates deals when asked.",
                            "Updates most deals before the weekly review.",
                            "Every open deal has a dated next step; stale deals are closed out.",
                            "Pipeline is reliable enough to forecast from without questions.",
                            "Sets the standard; helps the team clean and structure its pipeline.",
                        ],
                        "vi": [
                            "Chỉ cập nhật thương vụ khi được nhắc.",
                            "Cập nhật phần lớn thương vụ trước buổi họp tuần.",
                            "Mọi thương vụ đang mở đều có bước tiếp theo có hạn; thương vụ đứng yên được đóng lại.",
                            "Pipeline đủ tin cậy để dự báo mà không cần hỏi lại.",
                            "Là chuẩn mực; giúp cả đội làm sạch và sắp xếp pipeline.",
                        ],
                    },
                    "expected": {
                        "account_executive": 4,
                        "sdr": 3,
                        "key_account_manager": 4,
                        "sales_manager": 4,
                    },
                },
            ],
        },
        {
            "key": "b2b-solution",
            "name": {"en": "Discovery and solution", "vi": "Khảo sát nhu cầu và giải pháp"},
            "description": {
                "en": "Understanding the customer's business and showing how we help.",
                "vi": "Hiểu hoạt động kinh doanh của khách hàng và cho thấy chúng ta giúp được gì.",
            },
            "competencies": [
                {
                    "key": "b2b-discovery",
                    "kind": "skill",
                    "name": {"en": "Discovery questioning", "vi": "Đặt câu hỏi khảo sát"},
                    "description": {
                        "en": "Uncovers the problem, its cost and who cares about it.",
                        "vi": "Làm rõ vấn đề, chi phí của vấn đề và ai quan tâm đến nó.",
                    },
                    "levels": {
                        "en": [
                            "Pitches early; asks few questions.",
                            "Follows a discovery checklist.",
                            "Asks open follow-up questions and quantifies the pain.",
                            "Reframes the customer's thinking with insight from similar customers.",
                            "Runs discovery workshops with executive buyers; others shadow them.",
                        ],
                        "vi": [
                            "Giới thiệu sản phẩm quá sớm; ít đặt câu hỏi.",
                            "Làm theo danh mục câu hỏi khảo sát.",
                            "Hỏi mở, hỏi sâu và lượng hoá được nỗi đau của khách hàng.",
                            "Thay đổi cách nhìn của khách hàng bằng hiểu biết từ các khách hàng tương tự.",
                            "Dẫn dắt hội thảo khảo sát với lãnh đạo khách hàng; người khác học theo.",
                        ],
                    },
                    "expected": {
                        "account_executive": 4,
                        "sdr": 2,
                        "key_account_manager": 4,
                        "sales_manager": 4,
                    },
                },
                {
                    "key": "b2b-presenting",
                    "kind": "skill",
                    "name": {"en": "Presenting and demonstrating", "vi": "Trình bày và demo"},
                    "description": {
                        "en": "Shows the offering in the customer's terms and links it to their goals.",
                        "vi": "Trình bày giải pháp bằng ngôn ngữ của khách hàng và gắn với mục tiêu của họ.",
                    },
                    "levels": {
                        "en": [
                            "Shows features in a fixed order.",
                            "Adapts the demo to the industry.",
                            "Tailors the story to the problems found in discovery.",
                            "Handles mixed audiences, from users to the CFO, in one session.",
                            "Builds demo stories and materials used across the organisation.",
                        ],
                        "vi": [
                            "Trình bày tính năng theo một thứ tự cố định.",
                            "Điều chỉnh buổi demo theo ngành của khách hàng.",
                            "Xây dựng câu chuyện theo đúng vấn đề đã phát hiện khi khảo sát.",
                            "Thuyết phục được nhiều đối tượng, từ người dùng đến giám đốc tài chính, trong một buổi.",
                            "Xây dựng kịch bản demo và tài liệu được dùng trong toàn công ty.",
                        ],
                    },
                    "expected": {
                        "account_executive": 4,
                        "sdr": 2,
                        "key_account_manager": 3,
                        "sales_manager": 3,
                    },
                },
                {
                    "key": "b2b-objections",
                    "kind": "skill",
                    "name": {"en": "Handling objections", "vi": "Xử lý từ chối"},
                    "description": {
                        "en": "Treats objections as information and answers the concern behind them.",
                        "vi": "Coi lời từ chối là thông tin và giải quyết mối lo ngại phía sau.",
                    },
                    "levels": {
                        "en": [
                            "Argues or gives in at the first objection.",
                            "Answers the common objections with prepared responses.",
                            "Asks what lies behind an objection before answering.",
                            "Anticipates objections and addresses them before they are raised.",
                            "Turns objections into the reason to buy; writes the team's objection guide.",
                        ],
                        "vi": [
                            "Tranh luận hoặc bỏ cuộc ngay ở lời từ chối đầu tiên.",
                            "Trả lời các lời từ chối thường gặp bằng câu trả lời soạn sẵn.",
                            "Hỏi rõ nguyên nhân phía sau lời từ chối trước khi trả lời.",
                            "Lường trước lời từ chối và giải quyết trước khi khách hàng nêu ra.",
                            "Biến lời từ chối thành lý do mua; soạn cẩm nang xử lý từ chối cho cả đội.",
                        ],
                    },
                    "expected": {
                        "account_executive": 4,
                        "sdr": 3,
                        "key_account_manager": 3,
                        "sales_manager": 4,
                    },
                },
            ],
        },
        {
            "key": "b2b-closing",
            "name": {"en": "Negotiating and closing", "vi": "Đàm phán và chốt hợp đồng"},
            "description": {
                "en": "Agreeing terms that work for both sides and getting to signature.",
                "vi": "Thống nhất điều khoản có lợi cho cả hai bên và đi đến ký kết.",
            },
            "competencies": [
                {
                    "key": "b2b-negotiation",
                    "kind": "skill",
                    "name": {"en": "Negotiation", "vi": "Đàm phán"},
                    "description": {
                        "en": "Trades concessions for value and protects margin.",
                        "vi": "Đổi nhượng bộ lấy giá trị và bảo vệ biên lợi nhuận.",
                    },
                    "levels": {
                        "en": [
                            "Discounts to close.",
                            "Follows the discount policy; asks for approval early.",
                            "Trades every concession for something in return.",
                            "Negotiates with procurement on value, not price.",
                            "Structures complex multi-year deals; mentors others in negotiation.",
                        ],
                        "vi": [
                            "Giảm giá để chốt.",
                            "Tuân thủ chính sách chiết khấu; xin phê duyệt sớm.",
                            "Mỗi nhượng bộ đều đổi lấy một điều kiện có lợi.",
                            "Đàm phán với bộ phận mua hàng dựa trên giá trị, không phải giá.",
                            "Cấu trúc các hợp đồng phức tạp nhiều năm; kèm cặp người khác về đàm phán.",
                        ],
                    },
                    "expected": {
                        "account_executive": 4,
                        "sdr": 1,
                        "key_account_manager": 4,
                        "sales_manager": 4,
                    },
                },
                {
                    "key": "b2b-closing",
                    "kind": "skill",
                    "name": {"en": "Closing", "vi": "Chốt hợp đồng"},
                    "description": {
                        "en": "Agrees a mutual plan to signature and keeps it moving.",
                        "vi": "Thống nhất kế hoạch chung đến ngày ký và giữ cho nó tiến triển.",
                    },
                    "levels": {
                        "en": [
                            "Waits for the customer to decide.",
                            "Asks for the order at the end of the cycle.",
                            "Agrees a mutual close plan with dates and owners.",
                            "Closes on the forecast date most of the time; few deals slip.",
                            "Rescues stuck deals for others; known for predictable closing.",
                        ],
                        "vi": [
                            "Chờ khách hàng tự quyết định.",
                            "Đề nghị chốt đơn ở cuối chu kỳ bán hàng.",
                            "Thống nhất kế hoạch chốt chung với mốc thời gian và người phụ trách.",
                            "Phần lớn thương vụ chốt đúng ngày dự báo; ít thương vụ bị lùi.",
                            "Cứu các thương vụ bế tắc cho đồng nghiệp; nổi tiếng chốt đúng hẹn.",
                        ],
                    },
                    "expected": {
                        "account_executive": 4,
                        "sdr": 1,
                        "key_account_manager": 3,
                        "sales_manager": 4,
                    },
                },
                {
                    "key": "b2b-forecasting",
                    "kind": "behaviour",
                    "name": {"en": "Forecast accuracy", "vi": "Dự báo chính xác"},
                    "description": {
                        "en": "Calls the number honestly and early, good news or bad.",
                        "vi": "Báo số trung thực và sớm, dù tin tốt hay xấu.",
                    },
                    "levels": {
                        "en": [
                            "Forecast is a hope.",
                            "Forecast is within 30% of the outcome.",
                            "Commit deals close; surprises are raised early.",
                            "Forecast is within 10% of the outcome, quarter after quarter.",
                            "Teaches the team how to call a number.",
                        ],
                        "vi": [
                            "Dự báo chỉ là kỳ vọng.",
                            "Dự báo lệch trong khoảng 30% so với kết quả.",
                            "Các thương vụ cam kết đều chốt; bất ngờ được báo sớm.",
                            "Dự báo lệch dưới 10% so với kết quả, quý này qua quý khác.",
                            "Hướng dẫn cả đội cách dự báo con số.",
                        ],
                    },
                    "expected": {
                        "account_executive": 3,
                        "sdr": 2,
                        "key_account_manager": 4,
                        "sales_manager": 5,
                    },
                },
            ],
        },
        {
            "key": "b2b-growth",
            "name": {"en": "Accounts and ways of working", "vi": "Khách hàng và cách làm việc"},
            "description": {
                "en": "Growing customers over time and the habits that make results repeatable.",
                "vi": "Phát triển khách hàng lâu dài và những thói quen giúp kết quả lặp lại được.",
            },
            "competencies": [
                {
                    "key": "b2b-account-planning",
                    "kind": "skill",
                    "name": {"en": "Account planning", "vi": "Lập kế hoạch khách hàng"},
                    "description": {
                        "en": "Maps the account, its people and the next opportunities.",
                        "vi": "Vẽ bản đồ khách hàng, những người liên quan và các cơ hội tiếp theo.",
                    },
                    "levels": {
                        "en": [
                            "Knows one contact per account.",
                            "Keeps a contact map of the main accounts.",
                            "Writes a yearly plan per key account with growth targets.",
                            "Reviews account plans with the customer's leadership.",
                            "Grows accounts into strategic partnerships; plans are a model for others.",
                        ],
                        "vi": [
                            "Chỉ biết một người liên hệ ở mỗi khách hàng.",
                            "Có sơ đồ người liên hệ của các khách hàng chính.",
                            "Lập kế hoạch năm cho từng khách hàng trọng điểm với mục tiêu tăng trưởng.",
                            "Rà soát kế hoạch khách hàng cùng ban lãnh đạo của khách hàng.",
                            "Phát triển khách hàng thành đối tác chiến lược; kế hoạch là mẫu cho người khác.",
                        ],
                    },
                    "expected": {
                        "account_executive": 3,
                        "sdr": 1,
                        "key_account_manager": 5,
                        "sales_manager": 4,
                    },
                },
                {
                    "key": "b2b-follow-through",
                    "kind": "behaviour",
                    "name": {"en": "Follow-through", "vi": "Theo sát đến cùng"},
                    "description": {
                        "en": "Does what was promised, when it was promised, and says so when it slips.",
                        "vi": "Làm đúng điều đã hứa, đúng hạn, và báo trước khi bị chậm.",
                    },
                    "levels": {
                        "en": [
                            "Follow-ups depend on reminders.",
                            "Follows up most meetings within a few days.",
                            "Sends a recap with next steps within 24 hours of every meeting.",
                            "Customers and colleagues rely on their word without checking.",
                            "Builds follow-through habits into the team's routines.",
                        ],
                        "vi": [
                            "Việc theo dõi phụ thuộc vào lời nhắc.",
                            "Theo dõi phần lớn các cuộc gặp trong vài ngày.",
                            "Gửi biên bản kèm bước tiếp theo trong 24 giờ sau mỗi cuộc gặp.",
                            "Khách hàng và đồng nghiệp tin lời hứa mà không cần kiểm tra lại.",
                            "Đưa thói quen theo sát đến cùng vào nếp làm việc của cả đội.",
                        ],
                    },
                    "expected": {
                        "account_executive": 4,
                        "sdr": 4,
                        "key_account_manager": 4,
                        "sales_manager": 4,
                    },
                },
                {
                    "key": "b2b-learning",
                    "kind": "behaviour",
                    "name": {"en": "Learning and coachability", "vi": "Học hỏi và tiếp thu góp ý"},
                    "description": {
                        "en": "Asks for feedback, acts on it and shares what works.",
                        "vi": "Chủ động xin góp ý, hành động theo góp ý và chia sẻ điều hiệu quả.",
                    },
                    "levels": {
                        "en": [
                            "Accepts feedback when given.",
                            "Acts on feedback from their manager.",
                            "Asks for feedback after important meetings and tries new approaches.",
                            "Shares lessons and win stories with the team.",
                            "Coaches peers; the team improves around them.",
                        ],
                        "vi": [
                            "Tiếp nhận góp ý khi được đưa ra.",
                            "Hành động theo góp ý của quản lý.",
                            "Chủ động xin góp ý sau các cuộc gặp quan trọng và thử cách làm mới.",
                            "Chia sẻ bài học và câu chuyện thành công với cả đội.",
                            "Kèm cặp đồng nghiệp; cả đội tiến bộ nhờ họ.",
                        ],
                    },
                    "expected": {
                        "account_executive": 3,
                        "sdr": 3,
                        "key_account_manager": 3,
                        "sales_manager": 5,
                    },
                },
            ],
        },
    ],
}

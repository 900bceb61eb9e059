"""What seeded coaching sounds like, in English and Vietnamese (data only)."""

PRAISE = {
    "en": [
        "Your discovery call with the logistics team was excellent: you let them talk and quantified the cost of the delays.",
        "Great follow-up after the demo — the recap was in their inbox within the hour.",
        "You handled the price objection calmly and traded the discount for a two-year term.",
        "The account plan for our key customer is clear and the whole team can use it.",
        "Thank you for sharing your win story at the team meeting; two colleagues have already tried your approach.",
        "Your pipeline is clean: every deal has a dated next step.",
        "You opened three new outlets on your route this month. Well done.",
    ],
    "vi": [
        "Buổi khảo sát nhu cầu với đội logistics rất tốt: em để khách hàng nói và lượng hoá được chi phí của việc chậm trễ.",
        "Theo dõi sau buổi demo rất tốt — biên bản đã đến hộp thư khách hàng trong vòng một giờ.",
        "Em xử lý lời từ chối về giá rất bình tĩnh và đổi chiết khấu lấy hợp đồng hai năm.",
        "Kế hoạch cho khách hàng trọng điểm rõ ràng, cả đội đều dùng được.",
        "Cảm ơn em đã chia sẻ câu chuyện thành công trong buổi họp nhóm; hai bạn đã thử cách làm của em.",
        "Pipeline của em rất sạch: thương vụ nào cũng có bước tiếp theo có hạn.",
        "Tháng này em mở thêm ba điểm bán trên tuyến. Rất tốt.",
    ],
}

IMPROVEMENT = {
    "en": [
        "In the negotiation you conceded the discount before asking for anything in return. Next time, trade it.",
        "The demo ran long and the CFO left before the business case. Start with their three priorities.",
        "Two of your deals have had no next step for two weeks. Agree one with the customer before you hang up.",
        "Ask one more question before presenting: what happens if they do nothing?",
        "Your forecast moved a lot late in the quarter; call the risks earlier.",
        "Log the visit the same day: we lost the details of the Bình Thạnh store visit.",
    ],
    "vi": [
        "Trong buổi đàm phán em đã nhượng chiết khấu trước khi đề nghị lại điều gì. Lần sau hãy đổi lấy một điều kiện.",
        "Buổi demo kéo dài và giám đốc tài chính rời đi trước phần hiệu quả đầu tư. Hãy bắt đầu bằng ba ưu tiên của họ.",
        "Hai thương vụ của em đã hai tuần không có bước tiếp theo. Hãy thống nhất với khách hàng trước khi kết thúc cuộc gọi.",
        "Hỏi thêm một câu trước khi trình bày: nếu không làm gì thì điều gì sẽ xảy ra?",
        "Dự báo của em thay đổi nhiều vào cuối quý; hãy báo rủi ro sớm hơn.",
        "Ghi nhận lần ghé ngay trong ngày: chúng ta đã mất chi tiết buổi thăm cửa hàng ở Bình Thạnh.",
    ],
}

REQUESTS = {
    "en": [
        "Could you give me feedback on my demo yesterday?",
        "How did my negotiation with procurement come across?",
        "Any tips after riding along with me on Tuesday?",
    ],
    "vi": [
        "Anh/chị góp ý giúp em buổi demo hôm qua được không?",
        "Buổi đàm phán với bộ phận mua hàng của em thế nào ạ?",
        "Sau buổi đi tuyến cùng em hôm thứ Ba, anh/chị có góp ý gì không?",
    ],
}

CHECK_IN_NOTES = {
    "en": [
        "Reviewed the quarter: on track in SMB, behind in mid-market. Agreed to focus on the three largest open deals.",
        "Talked about the stalled proposal at the logistics account; the economic buyer is still unknown.",
        "Pipeline coverage is thin for next month. Two prospecting blocks per week until it recovers.",
        "Good month. Discussed the next step in the development plan: leading a negotiation alone.",
    ],
    "vi": [
        "Rà soát quý: phân khúc SMB đúng tiến độ, doanh nghiệp vừa còn chậm. Thống nhất tập trung vào ba thương vụ lớn nhất đang mở.",
        "Trao đổi về đề xuất đang đứng yên ở khách hàng logistics; vẫn chưa xác định được người quyết định ngân sách.",
        "Độ phủ pipeline tháng tới còn mỏng. Mỗi tuần hai buổi tìm kiếm khách hàng cho đến khi cải thiện.",
        "Một tháng tốt. Bàn về bước tiếp theo trong kế hoạch phát triển: tự dẫn một buổi đàm phán.",
    ],
}

ACTION_ITEMS = {
    "en": [
        "Send the revised proposal",
        "Book a meeting with the CFO",
        "Add next steps to every open deal",
        "Prepare the account plan for the review",
        "Shadow a senior colleague on a negotiation",
        "Update the forecast before Friday",
        "Visit the five inactive outlets on the route",
    ],
    "vi": [
        "Gửi đề xuất đã chỉnh sửa",
        "Đặt lịch gặp giám đốc tài chính",
        "Bổ sung bước tiếp theo cho mọi thương vụ đang mở",
        "Chuẩn bị kế hoạch khách hàng cho buổi rà soát",
        "Đi cùng một đồng nghiệp giàu kinh nghiệm trong một buổi đàm phán",
        "Cập nhật dự báo trước thứ Sáu",
        "Ghé năm điểm bán không hoạt động trên tuyến",
    ],
}

OBSERVATIONS = {
    "en": [
        "Strong opening and good rapport. Moved to the product too early; the customer's problem was only half understood.",
        "Clear agenda, good questions about the current process. Missed the chance to ask who else decides.",
        "Store visit well prepared: stock checked, display fixed. The order suggestion was based on last month only.",
        "Handled the objection about delivery times well. Closed for a next meeting but not for a date.",
    ],
    "vi": [
        "Mở đầu tốt, tạo được thiện cảm. Chuyển sang sản phẩm quá sớm; mới hiểu được một nửa vấn đề của khách hàng.",
        "Chương trình rõ ràng, câu hỏi tốt về quy trình hiện tại. Bỏ lỡ cơ hội hỏi còn ai tham gia quyết định.",
        "Chuẩn bị tốt cho buổi ghé cửa hàng: kiểm tồn kho, chỉnh trưng bày. Đề xuất đơn hàng chỉ dựa trên tháng trước.",
        "Xử lý tốt lời từ chối về thời gian giao hàng. Chốt được buổi gặp tiếp theo nhưng chưa có ngày cụ thể.",
    ],
}

AGREED = {
    "en": [
        "Ask what happens if they do nothing",
        "Confirm the decision process in the first meeting",
        "Trade every concession",
        "Suggest the order from sell-out, not last order",
        "Close each meeting with a dated next step",
    ],
    "vi": [
        "Hỏi điều gì xảy ra nếu khách hàng không làm gì",
        "Xác nhận quy trình ra quyết định ngay buổi đầu",
        "Mỗi nhượng bộ đều đổi lấy một điều kiện",
        "Đề xuất đơn dựa trên sức bán, không dựa trên đơn trước",
        "Kết thúc mỗi cuộc gặp bằng một bước tiếp theo có ngày cụ thể",
    ],
}

PLAN_TITLES = {
    "en": [
        "Become a confident negotiator",
        "Build my own pipeline",
        "Grow key accounts",
        "Own the forecast",
    ],
    "vi": [
        "Đàm phán tự tin",
        "Tự xây dựng pipeline",
        "Phát triển khách hàng trọng điểm",
        "Làm chủ dự báo",
    ],
}

GOAL_TEMPLATES = {
    "en": ["Reach level {level} in {competency}", "Practise {competency} every week"],
    "vi": ["Đạt cấp độ {level} về {competency}", "Luyện tập {competency} mỗi tuần"],
}

GOAL_ACTIONS = {
    "en": "Two role plays with my manager, one shadowing session, then lead it in a real deal.",
    "vi": "Hai buổi đóng vai cùng quản lý, một buổi quan sát đồng nghiệp, sau đó tự thực hiện trong một thương vụ thật.",
}

STORIES = {
    "en": [
        (
            "win",
            "How we won {deal}",
            "The customer had been talking to two competitors for months. We asked for a meeting with operations instead of IT, measured what the delays cost them each week, and built the proposal around that number. The CFO signed within three weeks.",
        ),
        (
            "win",
            "Winning back a lost customer",
            "We lost this account two years ago on price. This time we came with a usage review showing how much of the old contract they never used, and proposed a smaller start with room to grow.",
        ),
        (
            "playbook",
            "Three questions before every demo",
            "1. What happens if you do nothing this year? 2. Who else will be asked for an opinion? 3. What would make this a clear yes for you? Ask them in discovery and show only what answers them.",
        ),
        (
            "playbook",
            "Handling the 'too expensive' objection",
            "Never discount first. Ask: too expensive compared to what? Then trade: a longer term, a reference, a faster signature. Write the trade into the proposal.",
        ),
        (
            "playbook",
            "A store visit in ten minutes",
            "Greet the owner, check the must-stock list, fix the display, suggest the order from sell-out, agree one promotion. Log the visit before the next store.",
        ),
    ],
    "vi": [
        (
            "win",
            "Chúng ta đã thắng {deal} như thế nào",
            "Khách hàng đã trao đổi với hai đối thủ nhiều tháng. Chúng ta xin gặp bộ phận vận hành thay vì CNTT, đo chi phí của việc chậm trễ mỗi tuần và xây dựng đề xuất quanh con số đó. Giám đốc tài chính ký sau ba tuần.",
        ),
        (
            "win",
            "Giành lại một khách hàng đã mất",
            "Hai năm trước chúng ta mất khách hàng này vì giá. Lần này chúng ta mang đến bản rà soát sử dụng cho thấy phần lớn hợp đồng cũ họ không dùng tới, và đề xuất bắt đầu nhỏ hơn với khả năng mở rộng.",
        ),
        (
            "playbook",
            "Ba câu hỏi trước mỗi buổi demo",
            "1. Nếu năm nay không làm gì thì điều gì xảy ra? 2. Ai khác sẽ được hỏi ý kiến? 3. Điều gì khiến anh/chị đồng ý ngay? Hỏi khi khảo sát và chỉ trình bày những gì trả lời các câu hỏi đó.",
        ),
        (
            "playbook",
            "Xử lý lời từ chối 'quá đắt'",
            "Không bao giờ giảm giá trước. Hỏi: đắt so với cái gì? Sau đó trao đổi: thời hạn dài hơn, làm khách hàng tham chiếu, ký sớm hơn. Ghi điều kiện trao đổi vào đề xuất.",
        ),
        (
            "playbook",
            "Một lần ghé cửa hàng trong mười phút",
            "Chào chủ cửa hàng, kiểm danh mục hàng bắt buộc, chỉnh trưng bày, đề xuất đơn theo sức bán, thống nhất một chương trình khuyến mãi. Ghi nhận lần ghé trước khi sang cửa hàng tiếp theo.",
        ),
    ],
}

CYCLES = {
    "en": ("Mid-year review {year}", "Year-end review {year}"),
    "vi": ("Đánh giá giữa năm {year}", "Đánh giá cuối năm {year}"),
}

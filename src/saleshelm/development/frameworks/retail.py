"""Starter framework for retail and field sales (route sales, store visits, supervisors).

Pure data, like ``b2b``. Written for teams that sell through shops, dealers and
distributors: the work is in the store, on the route and in the order book.
"""

FRAMEWORK = {
    "key": "retail",
    "name": {"en": "Retail and field sales", "vi": "Bán hàng bán lẻ và thị trường"},
    "roles": {
        "field_sales": [
            "Field Sales Representative",
            "Nhân viên bán hàng thị trường",
            "Field Sales",
        ],
        "store_sales": ["Store Sales Associate", "Nhân viên bán hàng tại cửa hàng"],
        "sales_supervisor": ["Sales Supervisor", "Giám sát bán hàng"],
    },
    "groups": [
        {
            "key": "retail-store",
            "name": {"en": "In the store", "vi": "Tại điểm bán"},
            "description": {
                "en": "What a good store visit leaves behind: stock, display and an order.",
                "vi": "Một lần ghé thăm tốt để lại: hàng đủ, trưng bày đẹp và một đơn hàng.",
            },
            "competencies": [
                {
                    "key": "retail-store-visit",
                    "kind": "skill",
                    "name": {"en": "Store visit routine", "vi": "Quy trình viếng thăm cửa hàng"},
                    "description": {
                        "en": "Follows the visit steps: greet, check stock, display, order, recap.",
                        "vi": "Thực hiện đủ các bước: chào hỏi, kiểm tồn kho, trưng bày, lấy đơn, tóm tắt.",
                    },
                    "levels": {
                        "en": [
                            "Visits to take orders only.",
                            "Follows the visit checklist in most stores.",
                            "Completes every step and leaves each store better than found.",
                            "Adapts the routine to each store's potential and season.",
                            "Trains new colleagues on the route; their stores are the reference.",
                        ],
                        "vi": [
                            "Chỉ ghé để lấy đơn.",
                            "Làm theo danh mục viếng thăm ở phần lớn cửa hàng.",
                            "Hoàn thành mọi bước và để lại cửa hàng tốt hơn lúc đến.",
                            "Điều chỉnh quy trình theo tiềm năng và mùa vụ của từng cửa hàng.",
                            "Đào tạo đồng nghiệp mới trên tuyến; cửa hàng của họ là chuẩn mực.",
                        ],
                    },
                    "expected": {"field_sales": 4, "store_sales": 3, "sales_supervisor": 5},
                },
                {
                    "key": "retail-merchandising",
                    "kind": "skill",
                    "name": {"en": "Merchandising and display", "vi": "Trưng bày sản phẩm"},
                    "description": {
                        "en": "Gets the right products on the shelf, in the right place, with price and promotion visible.",
                        "vi": "Đưa đúng sản phẩm lên kệ, đúng vị trí, giá và khuyến mãi hiển thị rõ.",
                    },
                    "levels": {
                        "en": [
                            "Places products wherever there is space.",
                            "Follows the planogram when reminded.",
                            "Keeps the planogram and price tags right in every visit.",
                            "Wins extra display space from store owners.",
                            "Designs displays that lift sales; others copy them.",
                        ],
                        "vi": [
                            "Đặt sản phẩm ở bất cứ chỗ trống nào.",
                            "Trưng bày đúng sơ đồ khi được nhắc.",
                            "Giữ đúng sơ đồ trưng bày và bảng giá ở mọi lần ghé.",
                            "Thuyết phục chủ cửa hàng dành thêm vị trí trưng bày.",
                            "Thiết kế cách trưng bày giúp tăng doanh số; người khác làm theo.",
                        ],
                    },
                    "expected": {"field_sales": 3, "store_sales": 4, "sales_supervisor": 4},
                },
                {
                    "key": "retail-order-taking",
                    "kind": "skill",
                    "name": {"en": "Order taking and upselling", "vi": "Lấy đơn và bán thêm"},
                    "description": {
                        "en": "Suggests the right quantities and adds new lines to the order.",
                        "vi": "Đề xuất số lượng hợp lý và bổ sung mặt hàng mới vào đơn.",
                    },
                    "levels": {
                        "en": [
                            "Writes down what the store asks for.",
                            "Suggests quantities from last order.",
                            "Uses sell-out and stock to suggest the order; adds one new line.",
                            "Grows the average order steadily without overstocking stores.",
                            "Builds the team's suggested-order method.",
                        ],
                        "vi": [
                            "Ghi lại những gì cửa hàng yêu cầu.",
                            "Đề xuất số lượng dựa trên đơn lần trước.",
                            "Dựa vào sức bán và tồn kho để đề xuất đơn; thêm ít nhất một mặt hàng mới.",
                            "Tăng đều giá trị đơn trung bình mà không làm cửa hàng tồn kho quá mức.",
                            "Xây dựng phương pháp đề xuất đơn hàng cho cả đội.",
                        ],
                    },
                    "expected": {"field_sales": 4, "store_sales": 3, "sales_supervisor": 4},
                },
                {
                    "key": "retail-product-knowledge",
                    "kind": "skill",
                    "name": {"en": "Product knowledge", "vi": "Hiểu biết sản phẩm"},
                    "description": {
                        "en": "Knows the range, the benefits and how we compare to competitors.",
                        "vi": "Nắm rõ danh mục, lợi ích và so sánh với đối thủ.",
                    },
                    "levels": {
                        "en": [
                            "Knows the best sellers.",
                            "Knows the whole range and the current prices.",
                            "Explains benefits to store staff and end customers.",
                            "Knows competitors' offers in the area and answers them.",
                            "Trains store staff and colleagues on new products.",
                        ],
                        "vi": [
                            "Biết các sản phẩm bán chạy.",
                            "Nắm toàn bộ danh mục và giá hiện hành.",
                            "Giải thích được lợi ích cho nhân viên cửa hàng và người mua.",
                            "Nắm chương trình của đối thủ trong khu vực và biết cách đáp lại.",
                            "Đào tạo nhân viên cửa hàng và đồng nghiệp về sản phẩm mới.",
                        ],
                    },
                    "expected": {"field_sales": 3, "store_sales": 4, "sales_supervisor": 4},
                },
                {
                    "key": "retail-promotions",
                    "kind": "skill",
                    "name": {"en": "Promotion execution", "vi": "Triển khai khuyến mãi"},
                    "description": {
                        "en": "Brings each trade promotion to every eligible store, on time.",
                        "vi": "Đưa từng chương trình khuyến mãi đến mọi cửa hàng đủ điều kiện, đúng thời gian.",
                    },
                    "levels": {
                        "en": [
                            "Mentions promotions when asked.",
                            "Presents the promotion in the stores visited.",
                            "Covers every eligible store on the route during the promotion.",
                            "Times orders and displays to get the most from each promotion.",
                            "Feeds back what works to marketing; shapes the next promotions.",
                        ],
                        "vi": [
                            "Chỉ nhắc đến khuyến mãi khi được hỏi.",
                            "Giới thiệu khuyến mãi ở các cửa hàng đã ghé.",
                            "Phủ mọi cửa hàng đủ điều kiện trên tuyến trong thời gian khuyến mãi.",
                            "Canh thời điểm đặt hàng và trưng bày để khuyến mãi đạt hiệu quả cao nhất.",
                            "Phản hồi cho bộ phận marketing điều gì hiệu quả; góp phần định hình chương trình sau.",
                        ],
                    },
                    "expected": {"field_sales": 3, "store_sales": 3, "sales_supervisor": 4},
                },
            ],
        },
        {
            "key": "retail-route",
            "name": {"en": "On the route", "vi": "Trên tuyến bán hàng"},
            "description": {
                "en": "Relationships with store owners and a route run like clockwork.",
                "vi": "Quan hệ với chủ cửa hàng và một tuyến bán hàng vận hành đều đặn.",
            },
            "competencies": [
                {
                    "key": "retail-relationships",
                    "kind": "skill",
                    "name": {"en": "Store owner relationships", "vi": "Quan hệ với chủ cửa hàng"},
                    "description": {
                        "en": "Earns the trust of owners and their staff.",
                        "vi": "Tạo được lòng tin với chủ cửa hàng và nhân viên của họ.",
                    },
                    "levels": {
                        "en": [
                            "Known by name in a few stores.",
                            "Welcome in most stores on the route.",
                            "Owners call them first about problems and opportunities.",
                            "Resolves disputes (returns, payment) and keeps the relationship.",
                            "Opens doors to key outlets for the whole team.",
                        ],
                        "vi": [
                            "Được vài cửa hàng biết tên.",
                            "Được chào đón ở phần lớn cửa hàng trên tuyến.",
                            "Chủ cửa hàng gọi họ đầu tiên khi có vấn đề hay cơ hội.",
                            "Giải quyết tranh chấp (trả hàng, công nợ) mà vẫn giữ được quan hệ.",
                            "Mở cửa các điểm bán trọng điểm cho cả đội.",
                        ],
                    },
                    "expected": {"field_sales": 4, "store_sales": 3, "sales_supervisor": 4},
                },
                {
                    "key": "retail-route-planning",
                    "kind": "behaviour",
                    "name": {"en": "Route discipline", "vi": "Kỷ luật tuyến"},
                    "description": {
                        "en": "Visits every store on the planned day and logs each visit.",
                        "vi": "Ghé mọi cửa hàng đúng ngày theo kế hoạch và ghi nhận từng lần ghé.",
                    },
                    "levels": {
                        "en": [
                            "Visits the stores that are convenient.",
                            "Follows the route plan most days.",
                            "Covers the whole route on plan and logs every visit the same day.",
                            "Re-plans the route to spend more time where potential is.",
                            "Designs routes and visit frequencies for the team.",
                        ],
                        "vi": [
                            "Chỉ ghé những cửa hàng thuận đường.",
                            "Đi theo kế hoạch tuyến phần lớn các ngày.",
                            "Phủ toàn tuyến theo kế hoạch và ghi nhận mọi lần ghé ngay trong ngày.",
                            "Điều chỉnh tuyến để dành nhiều thời gian hơn cho nơi có tiềm năng.",
                            "Thiết kế tuyến và tần suất viếng thăm cho cả đội.",
                        ],
                    },
                    "expected": {"field_sales": 4, "store_sales": 2, "sales_supervisor": 5},
                },
                {
                    "key": "retail-distribution",
                    "kind": "skill",
                    "name": {"en": "Distribution and stock checks", "vi": "Độ phủ và kiểm tồn kho"},
                    "description": {
                        "en": "Keeps the must-stock lines present and avoids out-of-stocks.",
                        "vi": "Giữ đủ các mặt hàng bắt buộc và tránh hết hàng.",
                    },
                    "levels": {
                        "en": [
                            "Notices out-of-stocks when told.",
                            "Checks the must-stock list in each visit.",
                            "Fixes gaps in the same visit or the next day.",
                            "Keeps numeric distribution above target across the route.",
                            "Finds and opens new outlets in the area.",
                        ],
                        "vi": [
                            "Chỉ biết hết hàng khi được báo.",
                            "Kiểm tra danh mục hàng bắt buộc ở mỗi lần ghé.",
                            "Bổ sung thiếu hụt ngay trong lần ghé hoặc ngày hôm sau.",
                            "Giữ độ phủ số điểm bán trên mục tiêu ở toàn tuyến.",
                            "Tìm và mở thêm điểm bán mới trong khu vực.",
                        ],
                    },
                    "expected": {"field_sales": 4, "store_sales": 3, "sales_supervisor": 4},
                },
                {
                    "key": "retail-reporting",
                    "kind": "behaviour",
                    "name": {"en": "Reporting discipline", "vi": "Kỷ luật báo cáo"},
                    "description": {
                        "en": "Reports orders, visits and competitor activity accurately and on time.",
                        "vi": "Báo cáo đơn hàng, lần ghé và hoạt động đối thủ chính xác, đúng hạn.",
                    },
                    "levels": {
                        "en": [
                            "Reports late or with gaps.",
                            "Reports on time most days.",
                            "Reports complete and accurate every day.",
                            "Adds market intelligence that the team acts on.",
                            "Improves the team's reports and how they are used.",
                        ],
                        "vi": [
                            "Báo cáo trễ hoặc thiếu.",
                            "Báo cáo đúng hạn phần lớn các ngày.",
                            "Báo cáo đầy đủ, chính xác mỗi ngày.",
                            "Bổ sung thông tin thị trường giúp cả đội hành động.",
                            "Cải tiến báo cáo của cả đội và cách sử dụng chúng.",
                        ],
                    },
                    "expected": {"field_sales": 3, "store_sales": 3, "sales_supervisor": 4},
                },
                {
                    "key": "retail-service",
                    "kind": "behaviour",
                    "name": {"en": "Customer care", "vi": "Chăm sóc khách hàng"},
                    "description": {
                        "en": "Handles complaints, returns and questions quickly and fairly.",
                        "vi": "Xử lý khiếu nại, đổi trả và câu hỏi nhanh chóng, công bằng.",
                    },
                    "levels": {
                        "en": [
                            "Passes complaints on.",
                            "Logs complaints and follows up when reminded.",
                            "Resolves most issues within the week and tells the store.",
                            "Prevents repeat issues by fixing their cause.",
                            "Known across the area for service; others ask for advice.",
                        ],
                        "vi": [
                            "Chuyển khiếu nại cho người khác.",
                            "Ghi nhận khiếu nại và theo dõi khi được nhắc.",
                            "Giải quyết phần lớn vấn đề trong tuần và báo lại cho cửa hàng.",
                            "Ngăn vấn đề lặp lại bằng cách xử lý tận gốc.",
                            "Nổi tiếng trong khu vực về chăm sóc khách hàng; người khác tìm đến xin lời khuyên.",
                        ],
                    },
                    "expected": {"field_sales": 3, "store_sales": 4, "sales_supervisor": 4},
                },
            ],
        },
    ],
}

"""Realistic Vietnamese wording for the simulated year of directives that `thucthi demo` generates.

Titles and contents are templates with the placeholders `{year}`, `{quarter}`, `{area}` and
`{month}` (contents also `{lead}`, the lead unit's name); every other phrase is used as it is,
but for the few that name the district level, which a text of a day from 1 July 2025 words as
the two-level city does (`worded`: "các quận, huyện" become "các phường, xã").
The place (`{area}`) and the unit (`{lead}`) a text names are never drawn on their own: the demo
derives them from the units the directive goes to (``cli.demo``), so that a text agrees with who
leads it and where. A text names no district and no unit of its own choosing.
"""

from __future__ import annotations

from typing import Final

TITLE_TEMPLATES: Final[dict[str, tuple[str, ...]]] = {
    "labour": (
        "Triển khai thực hiện chính sách hỗ trợ người lao động bị mất việc làm trên địa bàn {area}",
        (
            "Tổ chức thăm hỏi, tặng quà gia đình chính sách, người có công nhân dịp Tết Nguyên đán "
            "năm {year}"
        ),
        "Rà soát, cập nhật danh sách hộ nghèo, hộ cận nghèo tại {area} năm {year}",
        "Báo cáo tình hình lao động, việc làm và tiền lương quý {quarter}/{year}",
        "Tăng cường công tác phòng ngừa, giải quyết tranh chấp lao động tập thể tại {area}",
        "Tổ chức Tháng hành động về an toàn, vệ sinh lao động năm {year}",
        "Đẩy mạnh giải quyết việc làm, đào tạo nghề cho lao động nông thôn tại {area}",
        "Triển khai chi trả trợ cấp xã hội hằng tháng tháng {month}/{year} đúng quy định",
        (
            "Kiểm tra việc thực hiện chế độ bảo hiểm xã hội, bảo hiểm thất nghiệp tại các doanh "
            "nghiệp trên địa bàn {area}"
        ),
    ),
    "ict": (
        "Triển khai thực hiện Kế hoạch chuyển đổi số năm {year} trên địa bàn {area}",
        "Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình tại {area}",
        "Tăng cường bảo đảm an toàn thông tin mạng trong các cơ quan nhà nước quý {quarter}/{year}",
        "Rà soát, kết nối, chia sẻ dữ liệu dân cư phục vụ Đề án 06 tại {area}",
        "Báo cáo kết quả triển khai Chính quyền số quý {quarter}/{year}",
        "Chấn chỉnh hoạt động thông tin, tuyên truyền trên cổng thông tin điện tử tại {area}",
        "Tổ chức diễn tập ứng cứu sự cố an toàn thông tin mạng năm {year}",
        "Triển khai hạ tầng viễn thông, phủ sóng di động tại {area}",
        "Nâng cao chất lượng vận hành Tổng đài 1022 tháng {month}/{year}",
    ),
    "industry_trade": (
        "Bảo đảm cân đối cung cầu, bình ổn thị trường hàng hóa dịp Tết Nguyên đán năm {year}",
        "Tăng cường kiểm tra, xử lý hàng giả, hàng nhái, gian lận thương mại tại {area}",
        "Triển khai Chương trình kích cầu tiêu dùng nội địa tháng {month}/{year}",
        "Báo cáo tình hình sản xuất công nghiệp, thương mại quý {quarter}/{year}",
        "Rà soát, chỉnh trang các chợ truyền thống trên địa bàn {area}",
        "Bảo đảm cung ứng điện phục vụ sản xuất và sinh hoạt mùa khô năm {year}",
        "Đẩy mạnh xúc tiến thương mại, hỗ trợ doanh nghiệp xuất khẩu tại {area}",
        (
            "Kiểm tra an toàn phòng cháy, chữa cháy tại các cửa hàng kinh doanh xăng dầu trên địa "
            "bàn {area}"
        ),
        "Triển khai Chương trình phát triển công nghiệp hỗ trợ năm {year}",
    ),
    "planning_investment": (
        "Khẩn trương rà soát, xử lý các dự án chậm triển khai tại {area}",
        "Đẩy nhanh tiến độ giải ngân vốn đầu tư công năm {year}",
        "Báo cáo tình hình thực hiện kế hoạch phát triển kinh tế - xã hội quý {quarter}/{year}",
        "Tháo gỡ khó khăn, vướng mắc cho các dự án đầu tư ngoài ngân sách tại {area}",
        "Xây dựng Kế hoạch đầu tư công trung hạn và danh mục dự án năm {year}",
        (
            "Cải thiện môi trường đầu tư kinh doanh, nâng cao chỉ số năng lực cạnh tranh cấp tỉnh "
            "năm {year}"
        ),
        "Rà soát danh mục dự án kêu gọi đầu tư theo phương thức đối tác công tư tại {area}",
        "Tổ chức đối thoại với doanh nghiệp về thủ tục đầu tư tháng {month}/{year}",
        "Kiểm tra, giám sát việc thực hiện các dự án có vốn đầu tư nước ngoài tại {area}",
    ),
    "finance": (
        "Tổ chức thực hiện dự toán ngân sách nhà nước năm {year}",
        "Tăng cường thu ngân sách, chống thất thu thuế trên địa bàn {area}",
        "Báo cáo tình hình thu, chi ngân sách quý {quarter}/{year}",
        "Thực hành tiết kiệm, chống lãng phí trong quản lý, sử dụng tài sản công năm {year}",
        "Rà soát, sắp xếp lại, xử lý nhà, đất thuộc sở hữu nhà nước tại {area}",
        "Quyết toán vốn đầu tư các dự án hoàn thành chậm quyết toán tại {area}",
        "Công khai ngân sách và thực hiện cơ chế tự chủ tài chính tháng {month}/{year}",
        "Xây dựng bảng giá đất điều chỉnh áp dụng trên địa bàn {area}",
        "Kiểm tra công tác quản lý giá, phí và lệ phí quý {quarter}/{year}",
    ),
    "construction": (
        "Tăng cường quản lý trật tự xây dựng trên địa bàn {area}",
        "Khẩn trương rà soát, xử lý các công trình xây dựng không phép, sai phép tại {area}",
        "Đẩy nhanh tiến độ cải tạo, xây dựng lại chung cư cũ năm {year}",
        "Triển khai di dời nhà ở trên và ven kênh rạch tại {area}",
        "Báo cáo tình hình cấp giấy phép xây dựng quý {quarter}/{year}",
        "Rà soát, điều chỉnh quy hoạch phân khu tỷ lệ 1/2000 tại {area}",
        "Phát triển nhà ở xã hội và nhà ở cho công nhân năm {year}",
        "Kiểm tra an toàn chịu lực, phòng cháy chữa cháy các nhà chung cư tại {area}",
        "Tổ chức lấy ý kiến cộng đồng dân cư về đồ án quy hoạch tháng {month}/{year}",
    ),
    "environment": (
        "Tăng cường quản lý, xử lý chất thải rắn sinh hoạt trên địa bàn {area}",
        "Triển khai phân loại chất thải rắn sinh hoạt tại nguồn năm {year}",
        "Khẩn trương rà soát, xử lý các điểm ô nhiễm môi trường kéo dài tại {area}",
        "Đẩy nhanh tiến độ cấp giấy chứng nhận quyền sử dụng đất lần đầu quý {quarter}/{year}",
        "Kiểm tra việc chấp hành pháp luật về bảo vệ môi trường tại các cơ sở sản xuất ở {area}",
        "Chủ động ứng phó triều cường, ngập úng mùa mưa năm {year}",
        (
            "Báo cáo công tác bồi thường, hỗ trợ, tái định cư các dự án trọng điểm quý "
            "{quarter}/{year}"
        ),
        "Xử lý tình trạng khai thác cát trái phép trên sông tại {area}",
        "Tổ chức hưởng ứng Ngày Môi trường thế giới tháng {month}/{year}",
    ),
    "transport": (
        "Bảo đảm trật tự, an toàn giao thông dịp cao điểm cuối năm {year}",
        "Khẩn trương khắc phục các điểm ùn tắc giao thông tại {area}",
        "Đẩy nhanh tiến độ các dự án giao thông trọng điểm năm {year}",
        "Tăng cường quản lý sử dụng tạm thời lòng đường, vỉa hè tại {area}",
        "Báo cáo tình hình trật tự an toàn giao thông quý {quarter}/{year}",
        (
            "Triển khai phương án tổ chức giao thông phục vụ thi công tuyến đường sắt đô thị tại "
            "{area}"
        ),
        (
            "Nâng cao chất lượng dịch vụ vận tải hành khách công cộng bằng xe buýt tháng "
            "{month}/{year}"
        ),
        "Rà soát, sửa chữa hư hỏng mặt đường, hệ thống chiếu sáng công cộng tại {area}",
        "Kiểm tra công tác đăng kiểm phương tiện giao thông cơ giới đường bộ năm {year}",
    ),
    "education": (
        "Chuẩn bị các điều kiện tổ chức khai giảng năm học mới năm {year}",
        "Tổ chức Kỳ thi tốt nghiệp trung học phổ thông năm {year} an toàn, nghiêm túc",
        "Rà soát, bổ sung quỹ đất xây dựng trường học tại {area}",
        "Chấn chỉnh tình trạng lạm thu đầu năm học tại các cơ sở giáo dục ở {area}",
        "Báo cáo tình hình tuyển sinh lớp 1, lớp 6 và lớp 10 năm {year}",
        "Tăng cường bảo đảm an toàn thực phẩm trong bếp ăn tập thể trường học tại {area}",
        "Triển khai chương trình giáo dục phổ thông mới quý {quarter}/{year}",
        "Kiểm tra hoạt động của các cơ sở giáo dục mầm non ngoài công lập tại {area}",
        "Tổ chức các hoạt động hè cho thiếu nhi tháng {month}/{year}",
    ),
    "health": (
        "Tăng cường công tác phòng, chống dịch sốt xuất huyết trên địa bàn {area}",
        "Triển khai chiến dịch tiêm chủng mở rộng tháng {month}/{year}",
        "Bảo đảm cung ứng thuốc, vật tư y tế tại các cơ sở khám chữa bệnh công lập năm {year}",
        "Báo cáo tình hình dịch bệnh truyền nhiễm quý {quarter}/{year}",
        "Kiểm tra, xử lý vi phạm trong hoạt động hành nghề y, dược tư nhân tại {area}",
        "Tăng cường kiểm tra an toàn thực phẩm dịp Tết Trung thu năm {year}",
        "Nâng cao chất lượng hoạt động trạm y tế phường, xã, thị trấn tại {area}",
        "Triển khai giảm quá tải bệnh viện tuyến thành phố năm {year}",
        "Xử lý các cơ sở kinh doanh thức ăn đường phố không bảo đảm an toàn thực phẩm tại {area}",
    ),
    "culture_tourism": (
        "Tổ chức các hoạt động văn hóa, văn nghệ chào mừng Ngày Giải phóng miền Nam năm {year}",
        "Tổ chức Lễ hội Áo dài Thành phố Hồ Chí Minh năm {year}",
        "Tăng cường quản lý hoạt động quảng cáo ngoài trời trên địa bàn {area}",
        "Báo cáo kết quả thu hút khách du lịch quốc tế quý {quarter}/{year}",
        "Kiểm tra chất lượng dịch vụ lưu trú, lữ hành dịp nghỉ lễ tháng {month}/{year}",
        "Phát triển sản phẩm du lịch đường thủy tại {area}",
        "Rà soát, tu bổ các di tích lịch sử - văn hóa đã xuống cấp tại {area}",
        "Tổ chức Đại hội Thể dục thể thao các cấp năm {year}",
        "Chấn chỉnh hoạt động kinh doanh karaoke, vũ trường tại {area}",
    ),
    "home_affairs": (
        "Triển khai sắp xếp đơn vị hành chính cấp xã tại {area}",
        "Tăng cường kỷ luật, kỷ cương hành chính trong cơ quan nhà nước năm {year}",
        "Báo cáo kết quả thực hiện công tác cải cách hành chính quý {quarter}/{year}",
        "Tổ chức thi tuyển công chức, viên chức năm {year}",
        "Rà soát, kiện toàn tổ chức bộ máy các đơn vị sự nghiệp công lập tại {area}",
        "Triển khai công tác thi đua, khen thưởng tháng {month}/{year}",
        "Kiểm tra công tác văn thư, lưu trữ tại các cơ quan, đơn vị trên địa bàn {area}",
        "Thực hiện tinh giản biên chế và cơ cấu lại đội ngũ công chức năm {year}",
        "Báo cáo tình hình giải quyết hồ sơ thủ tục hành chính quý {quarter}/{year}",
    ),
    "justice": (
        "Triển khai công tác phổ biến, giáo dục pháp luật năm {year}",
        (
            "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do Ủy ban nhân dân Thành phố ban "
            "hành năm {year}"
        ),
        "Tăng cường công tác đăng ký, quản lý hộ tịch tại {area}",
        "Báo cáo tình hình thi hành pháp luật về xử lý vi phạm hành chính quý {quarter}/{year}",
        "Kiểm tra hoạt động công chứng, chứng thực trên địa bàn {area}",
        "Đẩy mạnh cấp Phiếu lý lịch tư pháp trực tuyến tháng {month}/{year}",
        "Tổ chức hưởng ứng Ngày Pháp luật Việt Nam năm {year}",
        "Kiện toàn đội ngũ hòa giải viên ở cơ sở tại {area}",
        "Giải quyết dứt điểm các vụ việc khiếu nại, tố cáo tồn đọng, kéo dài tại {area}",
    ),
    "science": (
        "Triển khai Chương trình hỗ trợ khởi nghiệp đổi mới sáng tạo năm {year}",
        "Đẩy mạnh ứng dụng khoa học công nghệ vào sản xuất tại {area}",
        "Báo cáo kết quả thực hiện các nhiệm vụ khoa học và công nghệ quý {quarter}/{year}",
        "Tăng cường kiểm tra đo lường, chất lượng sản phẩm hàng hóa tại {area}",
        "Tổ chức Tuần lễ Đổi mới sáng tạo và Khởi nghiệp năm {year}",
        "Rà soát các đề tài nghiên cứu khoa học chậm tiến độ tháng {month}/{year}",
        "Thu hút doanh nghiệp công nghệ cao đầu tư vào {area}",
        "Kiểm tra an toàn bức xạ tại các cơ sở y tế và công nghiệp trên địa bàn {area}",
        "Hỗ trợ doanh nghiệp đăng ký bảo hộ quyền sở hữu trí tuệ năm {year}",
    ),
    "agriculture": (
        "Chủ động phòng, chống thiên tai và tìm kiếm cứu nạn năm {year}",
        "Tăng cường phòng, chống dịch tả heo châu Phi trên địa bàn {area}",
        "Triển khai Chương trình mục tiêu quốc gia xây dựng nông thôn mới tại {area}",
        "Báo cáo tình hình sản xuất nông nghiệp quý {quarter}/{year}",
        "Kiểm tra công tác phòng cháy, chữa cháy rừng mùa khô năm {year}",
        "Gia cố bờ bao, phòng chống sạt lở bờ sông tại {area}",
        "Phát triển nông nghiệp đô thị, nông nghiệp công nghệ cao tại {area}",
        "Tổ chức tiêm phòng bệnh dại cho chó, mèo tháng {month}/{year}",
        "Chống khai thác hải sản bất hợp pháp, không báo cáo và không theo quy định tại {area}",
    ),
    "district": (
        "Khẩn trương rà soát, xử lý các dự án chậm triển khai tại {area}",
        "Tăng cường lập lại trật tự lòng đường, vỉa hè, mỹ quan đô thị tại {area}",
        "Báo cáo tình hình giải quyết hồ sơ thủ tục hành chính quý {quarter}/{year}",
        "Giải quyết dứt điểm các điểm ngập do mưa, triều cường tại {area}",
        "Tiếp công dân, giải quyết kiến nghị của cử tri tháng {month}/{year}",
        "Tổ chức các hoạt động chăm lo Tết cho người dân khó khăn năm {year}",
        "Tăng cường công tác quản lý nhà nước về đất đai, trật tự xây dựng tại {area}",
        "Triển khai thực hiện Kế hoạch chuyển đổi số năm {year} trên địa bàn {area}",
        "Bảo đảm an ninh trật tự, phòng cháy chữa cháy tại khu dân cư ở {area}",
        "Đẩy mạnh công tác vận động hiến đất mở rộng hẻm, đường nội bộ tại {area}",
    ),
}

# The Department of Agriculture and Environment (2025) carries on both departments' work.
TITLE_TEMPLATES["agriculture_environment"] = (
    TITLE_TEMPLATES["environment"] + TITLE_TEMPLATES["agriculture"]
)

SECTOR_OF_UNIT: Final[dict[str, str]] = {
    "VP-UBND": "home_affairs",
    "THANH-TRA": "justice",
    "SO-NV": "home_affairs",
    "SO-TP": "justice",
    "SO-KHDT": "planning_investment",
    "SO-TC": "finance",
    "SO-CT": "industry_trade",
    "SO-NNPTNT": "agriculture",
    "SO-GTVT": "transport",
    "SO-XD": "construction",
    "SO-QHKT": "construction",
    "SO-TNMT": "environment",
    "SO-TTTT": "ict",
    "SO-LDTBXH": "labour",
    "SO-VHTT": "culture_tourism",
    "SO-DL": "culture_tourism",
    "SO-KHCN": "science",
    "SO-GDDT": "education",
    "SO-YT": "health",
    "SO-NGV": "home_affairs",
    "BAN-DT": "home_affairs",
    "BQL-ATTP": "health",
    "BQL-KCX-KCN": "industry_trade",
    "BQL-KCNC": "science",
    "BQL-NNCNC": "agriculture",
    "BQL-DSDT": "transport",
    # Established in 2025 (``domain.units.hcmc``).
    "SO-NNMT": "agriculture_environment",
    "SO-DTTG": "home_affairs",
    "SO-ATTP": "health",
}

# Where a department's task is, when no district takes part in it (a district's own task is in
# that district, and a department's task with a district among its coordinators is there).
CITY_AREAS: Final[tuple[str, ...]] = (
    "Thành phố",
    "khu vực trung tâm",
    "các quận nội thành",
    "các huyện ngoại thành",
)
# The same from 1 July 2025, when the districts ended.
CITY_AREAS_2025: Final[tuple[str, ...]] = (
    "Thành phố",
    "khu vực trung tâm",
    "các phường nội thành",
    "các xã ngoại thành",
)
# What a district's, ward's or commune's name says before the place: "Ủy ban nhân dân Quận 3"
# is in "Quận 3", "Ủy ban nhân dân phường Bàn Cờ" in "phường Bàn Cờ".
DISTRICT_PREFIX: Final = "Ủy ban nhân dân "

# How the texts of this file that name the district level are worded from 1 July 2025, when the
# city has wards, communes and the special zone of Côn Đảo under it (Nghị quyết 1685/NQ-UBTVQH15),
# in the order they are replaced.
TWO_LEVEL_WORDS: Final[tuple[tuple[str, str], ...]] = (
    ("các quận, huyện, thành phố Thủ Đức", "các phường, xã, đặc khu"),
    ("các quận, huyện", "các phường, xã"),
    ("cấp huyện", "cấp xã"),
    ("phường, xã, thị trấn", "phường, xã, đặc khu"),
)


def worded(text: str, two_level: bool) -> str:
    """The text as written before the reorganisation, or, if ``two_level``, after it."""
    if two_level:
        for district_level, city_level in TWO_LEVEL_WORDS:
            text = text.replace(district_level, city_level)
    return text


def city_areas(two_level: bool) -> tuple[str, ...]:
    return CITY_AREAS_2025 if two_level else CITY_AREAS


# Contents that name the lead unit ({lead}) and the place ({area}) and no other district: for any
# lead, a district's own too (a template naming a unit is not given to that unit: see cli.demo).
CONTENT_TEMPLATES: Final[tuple[str, ...]] = (
    (
        "Giao {lead} chủ trì, phối hợp các đơn vị liên quan khẩn trương triển khai thực hiện trên "
        "địa bàn {area}. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc vượt thẩm quyền, "
        "kịp thời đề xuất Ủy ban nhân dân Thành phố xem xét, chỉ đạo. Báo cáo kết quả về Ủy ban "
        "nhân dân Thành phố (qua Văn phòng Ủy ban nhân dân Thành phố) trước ngày 25 tháng {month} "
        "năm {year}."
    ),
    (
        "Ủy ban nhân dân Thành phố yêu cầu {lead} tập trung rà soát toàn bộ các nội dung còn tồn "
        "đọng tại {area}, phân loại theo từng nhóm vấn đề và đề xuất giải pháp xử lý cụ thể. Việc "
        "chậm trễ, thiếu trách nhiệm sẽ bị xem xét, xử lý theo quy định. Tổng hợp, báo cáo kết quả "
        "trong quý {quarter}/{year}."
    ),
    (
        "Giao {lead} xây dựng kế hoạch chi tiết, xác định rõ nội dung công việc, thời hạn hoàn "
        "thành và trách nhiệm của từng cơ quan, đơn vị. Kế hoạch phải bám sát tình hình thực tế "
        "tại {area} và bảo đảm tính khả thi. Trình Ủy ban nhân dân Thành phố ban hành trong tháng "
        "{month}/{year}."
    ),
    (
        "Thủ trưởng {lead} chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân Thành phố về tiến độ và "
        "chất lượng thực hiện nhiệm vụ được giao tại {area}. Các cơ quan, đơn vị liên quan có "
        "trách nhiệm phối hợp, cung cấp đầy đủ thông tin, số liệu khi được đề nghị."
    ),
    (
        "Giao {lead} chủ trì tổ chức kiểm tra thực tế tại {area}, kịp thời phát hiện, chấn chỉnh "
        "và xử lý nghiêm các trường hợp vi phạm. Kết quả kiểm tra được công khai trên Cổng thông "
        "tin điện tử của đơn vị. Báo cáo Ủy ban nhân dân Thành phố trước ngày 15 tháng {month} năm "
        "{year}."
    ),
    (
        "{lead} khẩn trương tổng hợp số liệu, đánh giá kết quả đạt được, chỉ rõ những hạn chế, "
        "nguyên nhân và trách nhiệm của tập thể, cá nhân liên quan trong quý {quarter}/{year}. "
        "Trên cơ sở đó, đề xuất nhiệm vụ, giải pháp trọng tâm cho thời gian tới. Báo cáo gửi về "
        "Văn phòng Ủy ban nhân dân Thành phố để tổng hợp, báo cáo lãnh đạo Thành phố."
    ),
    (
        "Giao {lead} phối hợp Sở Tài chính cân đối, bố trí kinh phí thực hiện từ nguồn ngân sách "
        "năm {year} theo phân cấp hiện hành. Việc sử dụng kinh phí phải đúng mục đích, tiết kiệm, "
        "hiệu quả và thanh quyết toán theo đúng quy định."
    ),
    (
        "Đề nghị {lead} đẩy mạnh công tác thông tin, tuyên truyền để người dân và doanh nghiệp tại "
        "{area} hiểu rõ, đồng thuận và tích cực tham gia. Chủ động tiếp nhận, giải đáp kịp thời "
        "các phản ánh, kiến nghị phát sinh. Định kỳ hằng tháng báo cáo tiến độ thực hiện về Ủy ban "
        "nhân dân Thành phố."
    ),
    (
        "Giao {lead} chủ trì tổ chức thực hiện ngay các biện pháp cần thiết tại {area}, không để "
        "phát sinh điểm nóng. Kết quả thực hiện báo cáo Ủy ban nhân dân Thành phố (qua Văn phòng "
        "Ủy ban nhân dân Thành phố) trước ngày cuối tháng {month}/{year}."
    ),
)

# Contents a department's task may also have: they call on every district to take part.
DEPARTMENT_CONTENT_TEMPLATES: Final[tuple[str, ...]] = (
    (
        "Giao {lead} chủ trì, phối hợp Ủy ban nhân dân các quận, huyện, thành phố Thủ Đức tổ chức "
        "thực hiện ngay các biện pháp cần thiết tại {area}, không để phát sinh điểm nóng. Kết quả "
        "thực hiện báo cáo Ủy ban nhân dân Thành phố (qua Văn phòng Ủy ban nhân dân Thành phố) "
        "trước ngày cuối tháng {month}/{year}."
    ),
    (
        "Thủ trưởng {lead} chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân Thành phố về tiến độ và "
        "chất lượng thực hiện nhiệm vụ được giao. Các sở, ban, ngành và Ủy ban nhân dân các quận, "
        "huyện, thành phố Thủ Đức có trách nhiệm phối hợp, cung cấp đầy đủ thông tin, số liệu khi "
        "được đề nghị."
    ),
)

# Contents that name no unit: for a directive whose lead the office changes after it is issued,
# so that its text never names as lead a unit that no longer leads it.
UNNAMED_CONTENT_TEMPLATES: Final[tuple[str, ...]] = (
    (
        "Đơn vị được giao chủ trì khẩn trương xây dựng kế hoạch, phân công cụ thể và tổ chức "
        "triển khai thực hiện tại {area}. Báo cáo kết quả về Ủy ban nhân dân Thành phố (qua Văn "
        "phòng Ủy ban nhân dân Thành phố) trước ngày 25 tháng {month} năm {year}."
    ),
    (
        "Ủy ban nhân dân Thành phố yêu cầu đơn vị chủ trì rà soát toàn bộ các nội dung còn tồn "
        "đọng tại {area}, đề xuất giải pháp xử lý cụ thể và báo cáo kết quả trong quý "
        "{quarter}/{year}."
    ),
)

PROGRESS_NOTES: Final[tuple[str, ...]] = (
    "Đã tổ chức họp triển khai với các đơn vị phối hợp, phân công cụ thể từng nội dung.",
    "Đã ban hành kế hoạch thực hiện và gửi các phòng, ban chuyên môn tổ chức thực hiện.",
    "Đang tổng hợp số liệu từ các quận, huyện; dự kiến hoàn thành trong tuần tới.",
    "Đã hoàn thành khoảng một nửa khối lượng công việc theo kế hoạch.",
    "Đã kiểm tra thực tế tại hiện trường, đang hoàn thiện biên bản và đề xuất xử lý.",
    "Đã có văn bản xin ý kiến các sở, ngành liên quan; đang chờ phản hồi.",
    "Đang hoàn thiện dự thảo báo cáo để trình lãnh đạo đơn vị xem xét.",
    "Đã xử lý xong các trường hợp phát sinh, còn một số hồ sơ đang bổ sung thủ tục.",
    "Tiến độ cơ bản đáp ứng yêu cầu; một số nội dung còn vướng về thủ tục đất đai.",
    "Đã tổ chức lấy ý kiến người dân và doanh nghiệp, đang tiếp thu, giải trình.",
    "Đã phối hợp Sở Tài chính thống nhất phương án bố trí kinh phí thực hiện.",
    "Đã cơ bản hoàn thành, đang rà soát lần cuối trước khi báo cáo.",
)

EXTENSION_REASONS: Final[tuple[str, ...]] = (
    "Nội dung liên quan nhiều sở, ngành; cần thêm thời gian lấy ý kiến thống nhất.",
    "Số liệu từ các quận, huyện gửi về chưa đầy đủ, cần thời gian rà soát, đối chiếu.",
    "Phát sinh vướng mắc về thủ tục đất đai, đang chờ ý kiến hướng dẫn của Bộ, ngành Trung ương.",
    "Thời tiết mưa bão kéo dài ảnh hưởng đến việc kiểm tra thực tế tại hiện trường.",
    "Cần bổ sung ý kiến thẩm định của Sở Tư pháp trước khi trình ban hành.",
    "Khối lượng hồ sơ lớn, nhân sự thực hiện còn hạn chế trong giai đoạn cao điểm cuối năm.",
    "Nhà thầu chậm bàn giao hồ sơ, tài liệu phục vụ việc nghiệm thu.",
)

DENIAL_REASONS: Final[tuple[str, ...]] = (
    "Đây là nhiệm vụ trọng tâm, cấp bách; không chấp thuận gia hạn, yêu cầu hoàn thành đúng hạn.",
    "Lý do đề nghị gia hạn chưa thuyết phục; đơn vị cần tập trung nhân lực để hoàn thành.",
    "Thời hạn đã được gia hạn một lần; không xem xét gia hạn thêm.",
    "Kết quả phục vụ kỳ họp Hội đồng nhân dân Thành phố; không thể lùi thời hạn.",
    "Đơn vị chưa báo cáo kết quả đã thực hiện; đề nghị báo cáo trước khi xem xét gia hạn.",
)

RETURN_REASONS: Final[tuple[str, ...]] = (
    "Báo cáo chưa đánh giá đầy đủ kết quả so với chỉ tiêu được giao; đề nghị bổ sung.",
    "Số liệu trong báo cáo chưa khớp với số liệu của Cục Thống kê; đề nghị rà soát lại.",
    "Chưa nêu rõ nguyên nhân tồn tại, hạn chế và trách nhiệm của tập thể, cá nhân liên quan.",
    "Thiếu ý kiến của các đơn vị phối hợp; đề nghị lấy ý kiến và hoàn chỉnh báo cáo.",
    "Đề xuất giải pháp còn chung chung, chưa cụ thể thời hạn và đơn vị thực hiện.",
    "Chưa đính kèm hồ sơ, tài liệu chứng minh kết quả thực hiện.",
)

# What the lead unit reports with its 100% just before it reports completion.
FINAL_PROGRESS_NOTES: Final[tuple[str, ...]] = (
    "Đã hoàn thành toàn bộ khối lượng công việc theo kế hoạch; đang hoàn thiện hồ sơ báo cáo.",
    "Đã thực hiện xong các nội dung được giao; kết quả đạt yêu cầu đề ra.",
    "Đã hoàn thành 100% các nội dung theo kế hoạch, sẵn sàng báo cáo hoàn thành.",
)

COMPLETION_SUMMARIES: Final[tuple[str, ...]] = (
    (
        "Đã hoàn thành nhiệm vụ được giao; báo cáo kết quả và hồ sơ kèm theo đã gửi Văn phòng Ủy "
        "ban nhân dân Thành phố."
    ),
    "Đã ban hành kế hoạch và tổ chức triển khai đến các đơn vị; kết quả đạt yêu cầu đề ra.",
    "Đã kiểm tra, xử lý dứt điểm các trường hợp vi phạm; kết quả được công khai theo quy định.",
    "Đã hoàn thành rà soát, tổng hợp số liệu và đề xuất giải pháp trình Ủy ban nhân dân Thành phố.",
    "Các chỉ tiêu được giao đều đạt và vượt kế hoạch; đơn vị tiếp tục duy trì thực hiện.",
    "Đã phối hợp các sở, ngành giải quyết xong các kiến nghị; người dân đồng thuận cao.",
    "Đã trình dự thảo văn bản sau khi tiếp thu ý kiến thẩm định của Sở Tư pháp.",
)

REMINDER_MESSAGES: Final[tuple[str, ...]] = (
    "Nhiệm vụ sắp đến hạn; đề nghị đơn vị khẩn trương hoàn thành và báo cáo đúng thời hạn.",
    "Nhiệm vụ đã quá hạn nhưng chưa có báo cáo; đề nghị đơn vị báo cáo ngay kết quả thực hiện.",
    "Văn phòng Ủy ban nhân dân Thành phố nhắc đơn vị cập nhật tiến độ thực hiện trên hệ thống.",
    "Đề nghị đơn vị chủ trì tập trung chỉ đạo, không để nhiệm vụ tiếp tục chậm tiến độ.",
    "Lãnh đạo Thành phố đề nghị báo cáo tình hình thực hiện tại cuộc họp giao ban tuần tới.",
    "Đề nghị đơn vị phối hợp gửi ý kiến cho đơn vị chủ trì để kịp tổng hợp báo cáo.",
)

EXPLANATION_QUESTIONS: Final[tuple[str, ...]] = (
    "Đề nghị giải trình lý do nhiệm vụ chậm tiến độ so với thời hạn được giao.",
    "Đề nghị làm rõ trách nhiệm của tập thể, cá nhân trong việc chậm báo cáo kết quả.",
    "Đề nghị giải trình vì sao số liệu báo cáo chênh lệch so với kỳ trước.",
    "Đề nghị giải trình nguyên nhân chưa thực hiện ý kiến chỉ đạo của lãnh đạo Thành phố.",
    "Đề nghị làm rõ các khó khăn, vướng mắc và thời hạn hoàn thành dự kiến.",
    "Đề nghị giải trình lý do chưa phối hợp với đơn vị chủ trì theo yêu cầu.",
)

EXPLANATION_ANSWERS: Final[tuple[str, ...]] = (
    (
        "Do vướng mắc về thủ tục đất đai chưa được tháo gỡ; đơn vị đã có văn bản xin ý kiến và cam "
        "kết hoàn thành trong tháng tới."
    ),
    "Do thay đổi nhân sự phụ trách; đơn vị đã kiện toàn và phân công cán bộ theo dõi trực tiếp.",
    "Chênh lệch số liệu do thay đổi phương pháp thống kê; đơn vị đã rà soát và điều chỉnh.",
    "Đơn vị nhận trách nhiệm về việc chậm trễ và đã kiểm điểm cá nhân có liên quan.",
    "Do chờ ý kiến của các sở, ngành phối hợp; đơn vị đã đôn đốc và dự kiến hoàn thành sớm.",
    "Khối lượng công việc phát sinh lớn; đơn vị đã tăng cường nhân lực để bảo đảm tiến độ.",
)

REASSIGN_REASONS: Final[tuple[str, ...]] = (
    "Nội dung nhiệm vụ thuộc chức năng, nhiệm vụ của đơn vị khác; điều chỉnh đơn vị chủ trì.",
    "Thực hiện phân cấp, ủy quyền cho Ủy ban nhân dân cấp huyện giải quyết.",
    "Điều chỉnh theo quyết định sắp xếp, kiện toàn tổ chức bộ máy.",
    "Theo đề nghị của đơn vị chủ trì và ý kiến thống nhất của các đơn vị liên quan.",
)

WITHDRAW_REASONS: Final[tuple[str, ...]] = (
    "Văn bản ban hành chưa đúng thẩm quyền; thu hồi để ban hành lại.",
    "Nội dung đã được điều chỉnh tại văn bản chỉ đạo khác của Ủy ban nhân dân Thành phố.",
    "Nhiệm vụ không còn phù hợp với tình hình thực tế do thay đổi chính sách của Trung ương.",
    "Phát hiện sai sót về nội dung, thời hạn trong văn bản giao nhiệm vụ.",
)

CONTRIBUTION_NOTES: Final[tuple[str, ...]] = (
    "Đã gửi ý kiến góp ý bằng văn bản cho đơn vị chủ trì.",
    "Đã cung cấp số liệu thuộc phạm vi quản lý theo đề nghị của đơn vị chủ trì.",
    "Đã cử cán bộ tham gia đoàn kiểm tra liên ngành.",
    "Thống nhất với dự thảo báo cáo, không có ý kiến bổ sung.",
    "Đã phối hợp rà soát hồ sơ, đề xuất phương án xử lý các trường hợp vướng mắc.",
    "Đã chỉ đạo các phòng chuyên môn phối hợp thực hiện nội dung liên quan.",
)

# The committee's chairman and vice-chairmen: user name, name, title. They sign the directives
# and are the demo's leader accounts.
ISSUERS: Final[tuple[tuple[str, str, str], ...]] = (
    ("leader.chutich", "Trần Quốc Bảo", "Chủ tịch UBND Thành phố"),
    ("leader.pct1", "Lê Thị Thanh Hương", "Phó Chủ tịch UBND Thành phố"),
    ("leader.pct2", "Phạm Minh Khoa", "Phó Chủ tịch UBND Thành phố"),
    ("leader.pct3", "Nguyễn Hoàng Long", "Phó Chủ tịch UBND Thành phố"),
    ("leader.pct4", "Võ Thị Ngọc Lan", "Phó Chủ tịch UBND Thành phố"),
    ("leader.pct5", "Đặng Văn Phúc", "Phó Chủ tịch UBND Thành phố"),
)

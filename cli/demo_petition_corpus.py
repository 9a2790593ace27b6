"""Vietnamese wording for the demo year's petitions (``cli.demo_petitions``): people, places,
projects, and what petitioners write about land, compensation, construction, noise and pollution,
officials' conduct and social allowances.

Places are the city's districts and wards as the 2024 unit registry has them and, for a matter
from 1 July 2025, the wards and communes that succeeded them (``domain.units.hcmc.WARDS_OF``),
of the city without districts ("phường Bàn Cờ, Thành phố Hồ Chí Minh"); a place is written as
people write it, in full ("Phường 7, Quận 3") or shortened ("P.7, Q.3"), with or without its
accents. Texts are templates whose ``{name}`` blanks the simulation fills from one matter's facts,
so that every filing of a matter tells the same facts in its own words: ``{authority}`` is the
local People's Committee that decides on it ("Quận 3", "phường Bàn Cờ"), ``{ward}, {district}``
the end of an address. A text of a day from the reorganisation on names the agencies of that day
(``worded``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from domain.units.hcmc import WARDS_OF

FAMILY_NAMES: Final = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai",
)  # fmt: skip
MALE_MIDDLE: Final = ("Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Công", "Hoàng")
FEMALE_MIDDLE: Final = ("Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích", "Hồng")
MALE_GIVEN: Final = (
    "An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Minh", "Nam", "Phúc", "Quang",
    "Sơn", "Tâm", "Thắng", "Tuấn", "Việt", "Vinh", "Hiếu", "Trung",
)  # fmt: skip
FEMALE_GIVEN: Final = (
    "Anh", "Châu", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Liên", "Mai", "Nga", "Nhung",
    "Phương", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Loan", "Xuân",
)  # fmt: skip
PHONE_PREFIXES: Final = ("090", "091", "093", "097", "098", "070", "077", "083", "086", "088")


@dataclass(frozen=True, slots=True)
class District:
    """A district-level unit and how people write its place: in full, shortened, its wards
    (each in full and shortened) and streets."""

    unit: str
    full: str  # "Quận 3"
    short: tuple[str, ...]  # "Q.3", "Q3"
    wards: tuple[tuple[str, str], ...]  # ("Phường 7", "P.7")
    streets: tuple[str, ...]

    @property
    def since_2025(self) -> tuple[tuple[str, str, str], ...]:
        """The wards or communes that succeeded it on 1 July 2025, as the registry holds them:
        unit, in full ("phường Bàn Cờ") and shortened ("P. Bàn Cờ"); none if the registry
        holds none of them."""
        return tuple(
            (
                unit.code,
                full,
                ("P. " if full.startswith("phường") else "X. ") + full.split(" ", 1)[1],
            )
            for unit in WARDS_OF.get(self.unit, ())
            for full in (unit.name_vi.removeprefix(LOCAL_PREFIX),)
        )


LOCAL_PREFIX: Final = "Ủy ban nhân dân "
# The line of an address after the ward from 1 July 2025, in full and as people shorten it.
CITY: Final = "Thành phố Hồ Chí Minh"
CITY_SHORT: Final = ("TP.HCM", "TPHCM", "Tp. Hồ Chí Minh")


DISTRICTS: Final = (
    District(
        "UBND-Q1",
        "Quận 1",
        ("Q.1", "Q1", "quận 1"),
        (
            ("phường Bến Nghé", "P. Bến Nghé"),
            ("phường Bến Thành", "P. Bến Thành"),
            ("phường Cầu Kho", "P. Cầu Kho"),
            ("phường Cô Giang", "P. Cô Giang"),
            ("phường Đa Kao", "P. Đa Kao"),
            ("phường Nguyễn Cư Trinh", "P. Nguyễn Cư Trinh"),
            ("phường Phạm Ngũ Lão", "P. Phạm Ngũ Lão"),
            ("phường Tân Định", "P. Tân Định"),
        ),
        (
            "Nguyễn Trãi",
            "Trần Hưng Đạo",
            "Cô Giang",
            "Đề Thám",
            "Bùi Viện",
            "Trần Đình Xu",
            "Hai Bà Trưng",
            "Đinh Tiên Hoàng",
            "Nguyễn Cư Trinh",
            "Trần Quang Khải",
        ),
    ),
    District(
        "UBND-Q3",
        "Quận 3",
        ("Q.3", "Q3", "quận 3"),
        (
            ("Phường Võ Thị Sáu", "P. Võ Thị Sáu"),
            ("Phường 1", "P.1"),
            ("Phường 2", "P.2"),
            ("Phường 4", "P.4"),
            ("Phường 5", "P.5"),
            ("Phường 9", "P.9"),
            ("Phường 11", "P.11"),
            ("Phường 12", "P.12"),
            ("Phường 14", "P.14"),
        ),
        (
            "Trần Quốc Thảo",
            "Lý Chính Thắng",
            "Nguyễn Đình Chiểu",
            "Cách Mạng Tháng Tám",
            "Võ Văn Tần",
            "Nam Kỳ Khởi Nghĩa",
            "Trần Văn Đang",
            "Rạch Bùng Binh",
            "Lê Văn Sỹ",
        ),
    ),
    District(
        "UBND-Q7",
        "Quận 7",
        ("Q.7", "Q7", "quận 7"),
        (
            ("phường Tân Phong", "P. Tân Phong"),
            ("phường Tân Hưng", "P. Tân Hưng"),
            ("phường Tân Kiểng", "P. Tân Kiểng"),
            ("phường Phú Mỹ", "P. Phú Mỹ"),
            ("phường Phú Thuận", "P. Phú Thuận"),
            ("phường Bình Thuận", "P. Bình Thuận"),
            ("phường Tân Thuận Đông", "P. Tân Thuận Đông"),
        ),
        (
            "Huỳnh Tấn Phát",
            "Nguyễn Thị Thập",
            "Lê Văn Lương",
            "Trần Xuân Soạn",
            "Nguyễn Văn Linh",
            "Lâm Văn Bền",
            "Phú Thuận",
        ),
    ),
    District(
        "UBND-Q10",
        "Quận 10",
        ("Q.10", "Q10", "quận 10"),
        (
            ("Phường 2", "P.2"),
            ("Phường 9", "P.9"),
            ("Phường 12", "P.12"),
            ("Phường 14", "P.14"),
            ("Phường 15", "P.15"),
        ),
        (
            "Ba Tháng Hai",
            "Sư Vạn Hạnh",
            "Lý Thường Kiệt",
            "Tô Hiến Thành",
            "Thành Thái",
            "Ngô Gia Tự",
            "Hòa Hảo",
        ),
    ),
    District(
        "UBND-BINHTHANH",
        "quận Bình Thạnh",
        ("Q. Bình Thạnh", "Q.BT", "Q Binh Thanh"),
        (
            ("Phường 2", "P.2"),
            ("Phường 12", "P.12"),
            ("Phường 13", "P.13"),
            ("Phường 25", "P.25"),
            ("Phường 26", "P.26"),
            ("Phường 28", "P.28"),
        ),
        (
            "Xô Viết Nghệ Tĩnh",
            "Bạch Đằng",
            "Nơ Trang Long",
            "Điện Biên Phủ",
            "Nguyễn Xí",
            "Bình Lợi",
            "Ung Văn Khiêm",
        ),
    ),
    District(
        "UBND-TPTHUDUC",
        "thành phố Thủ Đức",
        ("TP. Thủ Đức", "TP Thủ Đức", "Tp.TĐ"),
        (
            ("phường Thủ Thiêm", "P. Thủ Thiêm"),
            ("phường An Khánh", "P. An Khánh"),
            ("phường Bình Trưng Tây", "P. Bình Trưng Tây"),
            ("phường Thạnh Mỹ Lợi", "P. Thạnh Mỹ Lợi"),
            ("phường Hiệp Bình Chánh", "P. Hiệp Bình Chánh"),
            ("phường Long Trường", "P. Long Trường"),
        ),
        (
            "Lương Định Của",
            "Trần Não",
            "Nguyễn Duy Trinh",
            "Đỗ Xuân Hợp",
            "Kha Vạn Cân",
            "Nguyễn Thị Định",
        ),
    ),
    District(
        "UBND-BINHCHANH",
        "huyện Bình Chánh",
        ("H. Bình Chánh", "H.BC", "huyen Binh Chanh"),
        (
            ("xã Vĩnh Lộc A", "X. Vĩnh Lộc A"),
            ("xã Bình Hưng", "X. Bình Hưng"),
            ("xã Phong Phú", "X. Phong Phú"),
            ("xã Tân Kiên", "X. Tân Kiên"),
            ("xã Lê Minh Xuân", "X. Lê Minh Xuân"),
        ),
        ("Quốc lộ 50", "Trần Văn Giàu", "Vĩnh Lộc", "Nguyễn Văn Linh", "Đinh Đức Thiện"),
    ),
)

# The city's own agencies that receive petitions in the demo, besides the districts.
CONSTRUCTION = "SO-XD"
ENVIRONMENT = "SO-TNMT"
SOCIAL = "SO-LDTBXH"
INSPECTORATE = "THANH-TRA"

# Projects whose land is taken, by the district they are in.
PROJECTS: Final[dict[str, tuple[str, ...]]] = {
    "UBND-Q1": ("dự án chỉnh trang khu dân cư rạch Bến Nghé",),
    "UBND-Q3": ("dự án cải tạo rạch Bùng Binh (kênh Nhiêu Lộc – Thị Nghè)",),
    "UBND-Q7": (
        "dự án mở rộng đường Trần Xuân Soạn",
        "dự án nâng cấp đường Nguyễn Văn Linh",
    ),
    "UBND-Q10": ("dự án xây dựng trường THCS Phường 15",),
    "UBND-BINHTHANH": (
        "dự án cải tạo rạch Xuyên Tâm",
        "dự án bờ kè rạch Thanh Đa",
    ),
    "UBND-TPTHUDUC": (
        "dự án mở rộng đường Lương Định Của",
        "dự án Khu đô thị mới Thủ Thiêm",
        "dự án nút giao An Phú",
    ),
    "UBND-BINHCHANH": (
        "dự án cải tạo kênh Tham Lương – Bến Cát – rạch Nước Lên",
        "dự án nâng cấp Quốc lộ 50",
    ),
}

BUSINESSES: Final = (
    ("quán karaoke", "tiếng hát karaoke mở loa công suất lớn"),
    ("xưởng cơ khí", "tiếng máy cắt, máy mài kim loại"),
    ("quán nhậu", "tiếng ồn và khách hát hò"),
    ("xưởng in lụa", "mùi dung môi và hơi sơn"),
    ("cơ sở giặt nhuộm", "nước thải có màu và mùi hôi"),
    ("tiệm rửa xe", "nước thải, dầu mỡ chảy ra hẻm"),
)
CANALS: Final = ("kênh Tàu Hũ", "rạch Xuyên Tâm", "kênh Tham Lương", "rạch Ông Lớn", "rạch Cầu Sơn")
OFFICIALS: Final = (
    "cán bộ địa chính – xây dựng",
    "cán bộ tư pháp – hộ tịch",
    "Phó Chủ tịch Ủy ban nhân dân",
    "cán bộ phụ trách lao động – thương binh và xã hội",
    "cán bộ quản lý trật tự đô thị",
)
PROCEDURES: Final = (
    "xác nhận tình trạng nhà đất",
    "chứng thực hợp đồng chuyển nhượng",
    "đăng ký biến động đất đai",
    "xác nhận hồ sơ hưởng trợ cấp",
    "cấp giấy phép sửa chữa nhà",
)
ALLOWANCES: Final = (
    ("trợ cấp xã hội hằng tháng cho người cao tuổi", "người cao tuổi không có lương hưu"),
    ("trợ cấp cho người khuyết tật nặng", "người khuyết tật nặng"),
    ("chế độ người có công với cách mạng", "thân nhân liệt sĩ"),
    ("hỗ trợ hộ cận nghèo", "hộ cận nghèo"),
)

# Who the reception names as competent, when a petition is guided elsewhere.
COURTS: Final = ("Tòa án nhân dân {district}", "Tòa án nhân dân Thành phố Hồ Chí Minh")
OUTSIDE_BODIES: Final = (
    "Ủy ban nhân dân tỉnh Bình Dương",
    "Ủy ban nhân dân tỉnh Long An",
    "Bộ Tài nguyên và Môi trường",
    "Tổng công ty Điện lực Thành phố Hồ Chí Minh",
)
# The same bodies from 1 July 2025: Bình Dương is part of the city (Nghị quyết 202/2025/QH15),
# Long An part of Tây Ninh (thanhnien.vn, 10 November 2025: "tỉnh Long An cũ (nay là tỉnh Tây
# Ninh)"), and the Ministry of Natural Resources and Environment merged into the Ministry of
# Agriculture and Environment in March 2025 (Nghị quyết 176/2025/QH15); Đồng Nai borders the
# city instead of Bình Dương.
OUTSIDE_BODIES_2025: Final = (
    "Ủy ban nhân dân tỉnh Đồng Nai",
    "Ủy ban nhân dân tỉnh Tây Ninh",
    "Bộ Nông nghiệp và Môi trường",
    "Tổng công ty Điện lực Thành phố Hồ Chí Minh",
)


def outside_bodies(two_level: bool) -> tuple[str, ...]:
    return OUTSIDE_BODIES_2025 if two_level else OUTSIDE_BODIES


# What a text of a day from 1 July 2025 says instead of an agency that ended then.
AGENCIES_2025: Final[tuple[tuple[str, str], ...]] = (
    ("Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Môi trường"),
)


def worded(text: str, two_level: bool) -> str:
    """The template as written before the reorganisation, or, if ``two_level``, after it."""
    if two_level:
        for before, after in AGENCIES_2025:
            text = text.replace(before, after)
    return text


# --- what petitioners write, by field; every filing of a matter draws one of its field's -------

LAND_COMPLAINT: Final = (
    (
        "Tôi tên {name}, cư trú tại {address}. Tôi khiếu nại Quyết định số {decision} ngày "
        "{decision_day} của Chủ tịch Ủy ban nhân dân {authority} về việc xử phạt vi phạm hành "
        "chính và buộc tháo dỡ công trình trên thửa đất số {parcel}, tờ bản đồ số {sheet}, "
        "{ward}, {district}. Gia đình tôi sử dụng thửa đất này ổn định từ năm {since}, không "
        "tranh chấp, đóng thuế đầy đủ. Đề nghị xem xét hủy quyết định nêu trên."
    ),
    (
        "Kính gửi Ủy ban nhân dân {authority}. Tôi là {name}, địa chỉ {address}. Ngày "
        "{decision_day}, Chủ tịch Ủy ban nhân dân {authority} ban hành Quyết định số {decision} "
        "buộc gia đình tôi tháo dỡ phần nhà trên thửa {parcel}, tờ {sheet} ({ward}). Tôi không "
        "đồng ý vì phần nhà này xây từ năm {since}, trước khi có quy hoạch. Kính đề nghị xem xét "
        "lại."
    ),
    (
        "Khiếu nại Quyết định {decision} ({decision_day}) về việc thu hồi giấy chứng nhận quyền "
        "sử dụng đất đối với thửa đất số {parcel}, tờ bản đồ {sheet}, {ward}, {district}. Người "
        "khiếu nại: {name}, {address}. Lý do: cơ quan cấp giấy đã xác minh đầy đủ nguồn gốc đất "
        "năm {since}; việc thu hồi giấy làm mất quyền lợi hợp pháp của gia đình tôi."
    ),
)
COMPENSATION_COMPLAINT: Final = (
    (
        "Tôi tên {name}, ngụ tại {address}. Tôi khiếu nại Quyết định số {decision} ngày "
        "{decision_day} của Ủy ban nhân dân {authority} phê duyệt phương án bồi thường, hỗ trợ, "
        "tái định cư khi Nhà nước thu hồi đất để thực hiện {project}. Phần diện tích {area} m² "
        "thuộc thửa đất số {parcel}, tờ bản đồ số {sheet}, {ward} bị áp giá đất nông nghiệp, "
        "trong khi gia đình tôi đã xây nhà ở từ năm {since}. Đề nghị tính lại theo giá đất ở và "
        "bố trí tái định cư."
    ),
    (
        "Kính gửi các cơ quan có thẩm quyền. Gia đình tôi ({name}, {address}) có nhà đất bị thu "
        "hồi trong {project}. Theo Quyết định {decision} ngày {decision_day}, thửa {parcel} tờ "
        "{sheet} chỉ được bồi thường {amount} triệu đồng cho {area} m², thấp hơn nhiều so với "
        "giá thị trường. Chúng tôi khiếu nại quyết định này và đề nghị thẩm định lại giá đất cụ "
        "thể."
    ),
    (
        "Khiếu nại về bồi thường, giải phóng mặt bằng {project}: Quyết định số {decision} "
        "({decision_day}) không tính hỗ trợ ổn định đời sống và hỗ trợ di dời cho hộ {name} tại "
        "thửa đất số {parcel}, tờ bản đồ số {sheet}, {ward}, {district}, diện tích bị thu hồi "
        "{area} m². Đề nghị bổ sung các khoản hỗ trợ theo quy định."
    ),
)
CONSTRUCTION_FEEDBACK: Final = (
    (
        "Tôi là {name}, nhà ở {address}. Phản ánh công trình tại số {site_no} {street}, {ward}, "
        "{district} đang xây dựng sai phép: giấy phép {permit_floors} tầng nhưng đã xây "
        "{built_floors} tầng, lấn ra hẻm chung khoảng {encroach} m, làm nứt tường nhà tôi. Đề "
        "nghị kiểm tra, xử lý và buộc khắc phục."
    ),
    (
        "Kính gửi cơ quan chức năng. Công trình nhà số {site_no} {street} ({ward}, {district}) "
        "xây vượt phép lên {built_floors} tầng (phép {permit_floors} tầng), đổ vật liệu tràn ra "
        "lòng đường, thi công cả ban đêm. Người phản ánh: {name}, {address}. Rất mong được xử lý "
        "sớm."
    ),
    (
        "Phản ánh việc xây dựng không phép, lấn chiếm đất công tại số {site_no} {street}, {ward}, "
        "{district}: chủ nhà tự ý cơi nới {built_floors} tầng và làm mái che lấn hẻm {encroach} "
        "m. Phường đã lập biên bản nhưng công trình vẫn tiếp tục. Người phản ánh: {name}."
    ),
)
NOISE_FEEDBACK: Final = (
    (
        "Tôi là {name}, ở {address}. Phản ánh {business} tại số {site_no} {street}, {ward}, "
        "{district} gây {nuisance} đến {hour} giờ đêm, ảnh hưởng nghiêm trọng giấc ngủ của trẻ "
        "nhỏ và người già trong khu phố. Đề nghị kiểm tra, đo tiếng ồn và xử phạt."
    ),
    (
        "Kính gửi Ủy ban nhân dân {authority}. Nhiều tháng nay {business} ở số {site_no} {street} "
        "({ward}) hoạt động gây {nuisance}, kéo dài tới {hour} giờ khuya. Bà con đã báo tổ dân "
        "phố nhiều lần nhưng không chuyển biến. Người phản ánh: {name}, {address}."
    ),
)
POLLUTION_FEEDBACK: Final = (
    (
        "Tôi tên {name}, địa chỉ {address}. Phản ánh {business} tại số {site_no} {street}, {ward}, "
        "{district} xả {nuisance} ra {canal}, bốc mùi hôi thối, cá chết nổi trên mặt nước. Đề "
        "nghị Sở Tài nguyên và Môi trường kiểm tra, lấy mẫu nước thải và xử lý."
    ),
    (
        "Kính gửi cơ quan chức năng. Từ đầu năm, {business} ở số {site_no} {street} ({ward}, "
        "{district}) thải {nuisance} ra {canal}, khu dân cư phải chịu mùi hôi cả ngày. Người phản "
        "ánh: {name}, {address}. Đề nghị đình chỉ hoạt động cho tới khi có hệ thống xử lý."
    ),
)
CONDUCT_DENUNCIATION: Final = (
    (
        "Tôi tên {name}, cư trú tại {address}. Tôi tố cáo {official} {ward} có hành vi nhũng "
        "nhiễu, yêu cầu người dân nộp thêm {amount} triệu đồng ngoài quy định khi làm thủ tục "
        "{procedure}. Tôi có ghi âm cuộc nói chuyện ngày {decision_day} và sẵn sàng cung cấp."
    ),
    (
        "Đơn tố cáo. Người tố cáo: {name}, {address}. Người bị tố cáo: {official} {ward}, "
        "{district}. Nội dung: cố tình gây khó khăn, hẹn nhiều lần không giải quyết hồ sơ "
        "{procedure} của gia đình tôi, gợi ý phải “bồi dưỡng” {amount} triệu đồng mới làm nhanh."
    ),
)
ANONYMOUS_DENUNCIATION: Final = (
    (
        "Tố cáo {official} {ward}, {district} nhận tiền của chủ công trình tại số {site_no} "
        "{street} để bỏ qua việc xây dựng sai phép. Người dân trong khu phố đều biết."
    ),
    (
        "Đề nghị thanh tra {official} {ward}, {district}: thời gian gần đây mua nhà, mua xe đắt "
        "tiền, có dấu hiệu nhận hối lộ khi giải quyết thủ tục {procedure}."
    ),
)
SOCIAL_PROPOSAL: Final = (
    (
        "Tôi tên {name}, ở {address}. Kiến nghị xem xét {allowance} cho mẹ tôi là bà "
        "{relative_name}, {age} tuổi, thuộc diện {eligible}. Hồ sơ đã nộp tại {ward} từ ngày "
        "{decision_day} nhưng đến nay chưa được giải quyết."
    ),
    (
        "Kính gửi cơ quan chức năng. Gia đình tôi ({name}, {address}) đề nghị giải quyết "
        "{allowance} cho bà {relative_name}, {age} tuổi ({eligible}); hồ sơ nộp ngày "
        "{decision_day} tại {ward}, {district} đã quá hạn mà chưa có trả lời."
    ),
)
SOCIAL_COMPLAINT: Final = (
    (
        "Tôi tên {name}, địa chỉ {address}. Tôi khiếu nại Quyết định số {decision} ngày "
        "{decision_day} của Chủ tịch Ủy ban nhân dân {authority} về việc thôi hưởng {allowance} "
        "đối với mẹ tôi, bà {relative_name}, {age} tuổi, trong khi hoàn cảnh gia đình không "
        "thay đổi. Đề nghị khôi phục chế độ."
    ),
)
MIXED: Final = (
    (
        "Tôi tên {name}, ngụ tại {address}. Tôi khiếu nại Quyết định số {decision} ngày "
        "{decision_day} về bồi thường khi thu hồi thửa đất số {parcel}, tờ bản đồ số {sheet}, "
        "{ward}, {district} trong {project}, đồng thời tố cáo {official} {ward} đã lập biên bản "
        "kiểm đếm sai diện tích ({area} m² thay vì diện tích thực tế lớn hơn) để trục lợi."
    ),
)

# The subject a reception writes: the decision complained of, or who or what is reported.
SUBJECT_DECISION: Final = "Quyết định số {decision} ngày {decision_day} của UBND {authority}"
SUBJECT_SITE: Final = "Công trình, cơ sở tại số {site_no} {street}, {ward}, {district}"
SUBJECT_OFFICIAL: Final = "{official} {ward}, {district}"
SUBJECT_ALLOWANCE: Final = "Hồ sơ {allowance} của bà {relative_name}"

# What a filing made after an answer says first.
AFTER_ANSWER: Final = (
    "Ngày {answered_on}, {answered_by} đã trả lời tôi ({answer_ref}), nhưng tôi không đồng ý vì "
    "chưa xem xét đầy đủ hồ sơ gia đình tôi cung cấp. Nay tôi gửi đơn đề nghị xem xét lại. ",
    "Vụ việc của tôi đã được {answered_by} giải quyết ngày {answered_on} ({answer_ref}) nhưng "
    "quyền lợi của gia đình tôi vẫn chưa được bảo đảm. ",
)
SECOND_ROUND: Final = (
    "Tôi khiếu nại lần hai đối với Quyết định giải quyết khiếu nại lần đầu số {answer_ref} ngày "
    "{answered_on} của Chủ tịch {decided_by}. "
)
# A relative writes for the family: naming the petitioner, or not.
RELATIVE: Final = (
    "Tôi là {relation} của {first_name}, thay mặt gia đình gửi đơn này. ",
    "Gia đình chúng tôi cùng đứng đơn; tôi là {relation} của {first_name}. ",
    "Tôi là người trong gia đình, thay mặt gia đình gửi đơn này. ",
    "",
)
RELATIONS: Final = ("con", "vợ", "chồng", "em ruột", "anh ruột", "cháu")
# A long petition quotes the one filed before it.
QUOTING: Final = (
    "Ngày {first_day}, tôi đã gửi đơn đến {first_agency} với nội dung như sau: “{first_text}” "
    "Đến nay đã quá thời hạn giải quyết theo quy định nhưng tôi chưa nhận được văn bản trả lời. "
    "Tôi tiếp tục gửi đơn này, kính đề nghị quý cơ quan xem xét, chỉ đạo giải quyết dứt điểm "
    "để gia đình tôi ổn định cuộc sống.",
)
QUOTING_NEIGHBOUR: Final = (
    "Trước đây hàng xóm của tôi đã phản ánh: “{first_text}” Nay tôi phản ánh thêm một việc "
    "khác ở cùng khu phố: ",
)

# What the offices write back, per step.
VERIFICATIONS: Final = (
    "Đã làm việc với người khiếu nại và thu thập hồ sơ địa chính liên quan.",
    "Đã kiểm tra hiện trạng, lập biên bản, đo đạc thực tế.",
    "Đã làm việc với các phòng chuyên môn và Ủy ban nhân dân phường.",
    "Đã xác minh hồ sơ, đối chiếu bản đồ địa chính qua các thời kỳ.",
    "Đã mời các bên liên quan cung cấp giải trình và tài liệu.",
)
DIALOGUES: Final = (
    "Đối thoại với người khiếu nại; người khiếu nại giữ nguyên yêu cầu.",
    "Đối thoại có đại diện Ủy ban nhân dân phường; các bên thống nhất một phần.",
    "Đối thoại, giải thích chính sách bồi thường; người khiếu nại bổ sung tài liệu.",
)
EXTENSIONS: Final = (
    "Vụ việc phức tạp, cần xác minh nguồn gốc đất qua nhiều thời kỳ.",
    "Cần trưng cầu giám định, chờ kết quả đo đạc lại.",
    "Liên quan nhiều hộ dân và nhiều cơ quan, cần thêm thời gian xác minh.",
)
SUSPENSIONS: Final = (
    "Chờ kết quả giải quyết vụ án dân sự liên quan tại Tòa án.",
    "Người khiếu nại ốm đau, điều trị dài ngày, không thể tham gia đối thoại.",
    "Chờ cơ quan chuyên môn trả lời về nguồn gốc đất qua các thời kỳ.",
)
RESUMPTIONS: Final = (
    "Đã có kết quả của cơ quan liên quan; tiếp tục giải quyết.",
    "Người khiếu nại đã có thể làm việc; tiếp tục giải quyết.",
)
RESULTS: Final = {
    "right": ("Khiếu nại đúng; thu hồi, hủy quyết định bị khiếu nại.",),
    "partly_right": (
        "Khiếu nại đúng một phần; điều chỉnh phương án bồi thường đối với phần diện tích đất ở.",
        "Nội dung đúng một phần; yêu cầu bổ sung các khoản hỗ trợ còn thiếu.",
    ),
    "wrong": (
        "Khiếu nại sai; giữ nguyên quyết định bị khiếu nại.",
        "Nội dung tố cáo không có cơ sở; kết luận không vi phạm.",
    ),
    "answered": (
        "Đã kiểm tra, lập biên bản vi phạm và yêu cầu khắc phục; trả lời người phản ánh.",
        "Đã chỉ đạo Ủy ban nhân dân phường xử lý; thông báo kết quả cho người phản ánh.",
        "Hồ sơ đủ điều kiện; đã ban hành quyết định hưởng chế độ từ tháng sau.",
    ),
}
WITHDRAW_REASONS: Final = (
    "Người gửi đơn xin rút đơn vì các bên đã tự hòa giải.",
    "Người khiếu nại rút đơn sau khi được giải thích chính sách.",
    "Người gửi đơn xin rút để khởi kiện tại Tòa án.",
)

# Issue 26: why an officer marks a filing as the same matter as an earlier one, why a wrong
# link is undone, and the note of a repeat answered with the earlier result.
SAME_MATTER: Final = (
    "Cùng nội dung, cùng địa điểm và cùng quyết định với đơn đã gửi trước.",
    "Người gửi đơn đã gửi cùng nội dung đến cơ quan khác; đối chiếu thấy cùng vụ việc.",
    "Người thân của người gửi đơn trước, cùng vụ việc của gia đình.",
    "Đơn gửi lại, nội dung như đơn trước, không có tình tiết mới.",
)
WRONG_SAME_MATTER: Final = ("Cùng tuyến đường, cùng phường với đơn đã gửi trước.",)
UNDO_SAME_MATTER: Final = (
    "Khác nội dung: cùng địa bàn nhưng là vụ việc khác, người gửi khác.",
    "Đối chiếu lại: khác đối tượng bị phản ánh, không cùng vụ việc.",
)
ANSWERED_WITH_EARLIER: Final = (
    "Vụ việc đã được giải quyết, không có tình tiết mới; gửi lại văn bản trả lời trước.",
)

"""The default registry of Ho Chi Minh City units that directives go to.

It follows the city as it was organised in 2024, before the 2025 merger: the People's Committee,
its Office and Inspectorate, the departments and boards, the 22 district-level units and, as an
example of the lowest level, the wards of District 1.
"""

from __future__ import annotations

from typing import Final, NamedTuple


class UnitSeed(NamedTuple):
    """One unit of the default registry: code, Vietnamese name, English name, parent code."""

    code: str
    name_vi: str
    name_en: str
    parent: str | None


_ROOT: Final = "UBND-TP"

DEFAULT_UNITS: Final[tuple[UnitSeed, ...]] = (
    # The committee itself.
    UnitSeed(
        "UBND-TP",
        "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "Ho Chi Minh City People's Committee",
        None,
    ),
    # Its Office and Inspectorate.
    UnitSeed(
        "VP-UBND",
        "Văn phòng Ủy ban nhân dân Thành phố",
        "Office of the City People's Committee",
        _ROOT,
    ),
    UnitSeed("THANH-TRA", "Thanh tra Thành phố", "City Inspectorate", _ROOT),
    # Departments (sở).
    UnitSeed("SO-NV", "Sở Nội vụ", "Department of Home Affairs", _ROOT),
    UnitSeed("SO-TP", "Sở Tư pháp", "Department of Justice", _ROOT),
    UnitSeed("SO-KHDT", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment", _ROOT),
    UnitSeed("SO-TC", "Sở Tài chính", "Department of Finance", _ROOT),
    UnitSeed("SO-CT", "Sở Công Thương", "Department of Industry and Trade", _ROOT),
    UnitSeed(
        "SO-NNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Department of Agriculture and Rural Development",
        _ROOT,
    ),
    UnitSeed("SO-GTVT", "Sở Giao thông vận tải", "Department of Transport", _ROOT),
    UnitSeed("SO-XD", "Sở Xây dựng", "Department of Construction", _ROOT),
    UnitSeed(
        "SO-QHKT",
        "Sở Quy hoạch - Kiến trúc",
        "Department of Planning and Architecture",
        _ROOT,
    ),
    UnitSeed(
        "SO-TNMT",
        "Sở Tài nguyên và Môi trường",
        "Department of Natural Resources and Environment",
        _ROOT,
    ),
    UnitSeed(
        "SO-TTTT",
        "Sở Thông tin và Truyền thông",
        "Department of Information and Communications",
        _ROOT,
    ),
    UnitSeed(
        "SO-LDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        "Department of Labour, War Invalids and Social Affairs",
        _ROOT,
    ),
    UnitSeed("SO-VHTT", "Sở Văn hóa và Thể thao", "Department of Culture and Sports", _ROOT),
    UnitSeed("SO-DL", "Sở Du lịch", "Department of Tourism", _ROOT),
    UnitSeed(
        "SO-KHCN",
        "Sở Khoa học và Công nghệ",
        "Department of Science and Technology",
        _ROOT,
    ),
    UnitSeed("SO-GDDT", "Sở Giáo dục và Đào tạo", "Department of Education and Training", _ROOT),
    UnitSeed("SO-YT", "Sở Y tế", "Department of Health", _ROOT),
    UnitSeed("SO-NGV", "Sở Ngoại vụ", "Department of Foreign Affairs", _ROOT),
    # Boards (ban) directly under the committee.
    UnitSeed("BAN-DT", "Ban Dân tộc", "Committee for Ethnic Minority Affairs", _ROOT),
    UnitSeed(
        "BQL-ATTP",
        "Ban Quản lý An toàn thực phẩm",
        "Food Safety Management Board",
        _ROOT,
    ),
    UnitSeed(
        "BQL-KCX-KCN",
        "Ban Quản lý các Khu chế xuất và công nghiệp Thành phố Hồ Chí Minh",
        "Ho Chi Minh City Export Processing and Industrial Zones Authority",
        _ROOT,
    ),
    UnitSeed(
        "BQL-KCNC",
        "Ban Quản lý Khu Công nghệ cao Thành phố Hồ Chí Minh",
        "Saigon Hi-Tech Park Management Board",
        _ROOT,
    ),
    UnitSeed(
        "BQL-NNCNC",
        "Ban Quản lý Khu Nông nghiệp Công nghệ cao",
        "Agricultural Hi-Tech Park Management Board",
        _ROOT,
    ),
    UnitSeed(
        "BQL-DSDT",
        "Ban Quản lý Đường sắt đô thị",
        "Management Authority for Urban Railways",
        _ROOT,
    ),
    # District-level units: Thủ Đức City, 16 urban districts, 5 rural districts.
    UnitSeed(
        "UBND-TPTHUDUC",
        "Ủy ban nhân dân thành phố Thủ Đức",
        "Thu Duc City People's Committee",
        _ROOT,
    ),
    UnitSeed("UBND-Q1", "Ủy ban nhân dân Quận 1", "District 1 People's Committee", _ROOT),
    UnitSeed("UBND-Q3", "Ủy ban nhân dân Quận 3", "District 3 People's Committee", _ROOT),
    UnitSeed("UBND-Q4", "Ủy ban nhân dân Quận 4", "District 4 People's Committee", _ROOT),
    UnitSeed("UBND-Q5", "Ủy ban nhân dân Quận 5", "District 5 People's Committee", _ROOT),
    UnitSeed("UBND-Q6", "Ủy ban nhân dân Quận 6", "District 6 People's Committee", _ROOT),
    UnitSeed("UBND-Q7", "Ủy ban nhân dân Quận 7", "District 7 People's Committee", _ROOT),
    UnitSeed("UBND-Q8", "Ủy ban nhân dân Quận 8", "District 8 People's Committee", _ROOT),
    UnitSeed("UBND-Q10", "Ủy ban nhân dân Quận 10", "District 10 People's Committee", _ROOT),
    UnitSeed("UBND-Q11", "Ủy ban nhân dân Quận 11", "District 11 People's Committee", _ROOT),
    UnitSeed("UBND-Q12", "Ủy ban nhân dân Quận 12", "District 12 People's Committee", _ROOT),
    UnitSeed(
        "UBND-BINHTHANH",
        "Ủy ban nhân dân quận Bình Thạnh",
        "Binh Thanh District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-GOVAP",
        "Ủy ban nhân dân quận Gò Vấp",
        "Go Vap District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-PHUNHUAN",
        "Ủy ban nhân dân quận Phú Nhuận",
        "Phu Nhuan District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-TANBINH",
        "Ủy ban nhân dân quận Tân Bình",
        "Tan Binh District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-TANPHU",
        "Ủy ban nhân dân quận Tân Phú",
        "Tan Phu District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-BINHTAN",
        "Ủy ban nhân dân quận Bình Tân",
        "Binh Tan District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-CUCHI",
        "Ủy ban nhân dân huyện Củ Chi",
        "Cu Chi District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-HOCMON",
        "Ủy ban nhân dân huyện Hóc Môn",
        "Hoc Mon District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-BINHCHANH",
        "Ủy ban nhân dân huyện Bình Chánh",
        "Binh Chanh District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-NHABE",
        "Ủy ban nhân dân huyện Nhà Bè",
        "Nha Be District People's Committee",
        _ROOT,
    ),
    UnitSeed(
        "UBND-CANGIO",
        "Ủy ban nhân dân huyện Cần Giờ",
        "Can Gio District People's Committee",
        _ROOT,
    ),
    # Wards of District 1.
    UnitSeed(
        "UBND-Q1-BENNGHE",
        "Ủy ban nhân dân phường Bến Nghé",
        "Ben Nghe Ward People's Committee",
        "UBND-Q1",
    ),
    UnitSeed(
        "UBND-Q1-BENTHANH",
        "Ủy ban nhân dân phường Bến Thành",
        "Ben Thanh Ward People's Committee",
        "UBND-Q1",
    ),
    UnitSeed(
        "UBND-Q1-DAKAO",
        "Ủy ban nhân dân phường Đa Kao",
        "Da Kao Ward People's Committee",
        "UBND-Q1",
    ),
    UnitSeed(
        "UBND-Q1-NGUYENTHAIBINH",
        "Ủy ban nhân dân phường Nguyễn Thái Bình",
        "Nguyen Thai Binh Ward People's Committee",
        "UBND-Q1",
    ),
    UnitSeed(
        "UBND-Q1-PHAMNGULAO",
        "Ủy ban nhân dân phường Phạm Ngũ Lão",
        "Pham Ngu Lao Ward People's Committee",
        "UBND-Q1",
    ),
    UnitSeed(
        "UBND-Q1-CAUONGLANH",
        "Ủy ban nhân dân phường Cầu Ông Lãnh",
        "Cau Ong Lanh Ward People's Committee",
        "UBND-Q1",
    ),
    UnitSeed(
        "UBND-Q1-TANDINH",
        "Ủy ban nhân dân phường Tân Định",
        "Tan Dinh Ward People's Committee",
        "UBND-Q1",
    ),
    UnitSeed(
        "UBND-Q1-COGIANG",
        "Ủy ban nhân dân phường Cô Giang",
        "Co Giang Ward People's Committee",
        "UBND-Q1",
    ),
    UnitSeed(
        "UBND-Q1-CAUKHO",
        "Ủy ban nhân dân phường Cầu Kho",
        "Cau Kho Ward People's Committee",
        "UBND-Q1",
    ),
    UnitSeed(
        "UBND-Q1-NGUYENCUTRINH",
        "Ủy ban nhân dân phường Nguyễn Cư Trinh",
        "Nguyen Cu Trinh Ward People's Committee",
        "UBND-Q1",
    ),
)

# Units that can never lead a directive, because they are the committee itself.
LEADING_UNITS: Final[frozenset[str]] = frozenset({"UBND-TP"})

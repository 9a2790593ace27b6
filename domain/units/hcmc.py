"""The default registry of Ho Chi Minh City units that directives go to, and its reorganisation.

``UNITS_2024`` is the city as it was organised in 2024, before the 2025 merger: the People's
Committee, its Office and Inspectorate, the departments and boards, the 22 district-level units
and, as an example of the lowest level, the wards of District 1. ``UNITS_2025`` are the units
established in 2025, and ``REORGANISATION_2025`` how the units of 2024 passed to them on
1 July 2025; a registry opened with both (``thucthi init``) is the city of 2026.

Sources (each read again when this file was written, December 2026):

- Nghị quyết 202/2025/QH15 (12 June 2025): Bà Rịa - Vũng Tàu, Bình Dương and Ho Chi Minh City
  merged into one city named Ho Chi Minh City (nld.com.vn/du-kien-tru-so-168-phuong-xa-cua-tp-
  ho-chi-minh-moi-196250612150329247.htm); the district level ended with the two-level local
  government from 1 July 2025.
- Nghị quyết 1685/NQ-UBTVQH15 (June 2025): the merged city's 168 commune-level units, 113 wards,
  54 communes and the special zone of Côn Đảo; article 1, clauses 1-4: phường Sài Gòn (all of
  Bến Nghé, parts of Đa Kao and Nguyễn Thái Bình), Tân Định (Tân Định and the rest of Đa Kao),
  Bến Thành (Bến Thành, Phạm Ngũ Lão, part of Cầu Ông Lãnh, the rest of Nguyễn Thái Bình), Cầu
  Ông Lãnh (Nguyễn Cư Trinh, Cầu Kho, Cô Giang, the rest of Cầu Ông Lãnh)
  (cafef.vn/danh-sach-168-xa-phuong-dac-khu-cua-thanh-pho-ho-chi-minh-188250804163059363.chn;
  dantocphattrien.vietnamnet.vn, 17 June 2025); District 3 became phường Bàn Cờ, Xuân Hòa and
  Nhiêu Lộc (vnexpress.net/phuong-an-sap-xep-va-ten-102-phuong-moi-tai-tp-hcm-4875543.html).
- The wards of District 7 (Tân Mỹ, Tân Hưng, Tân Thuận, Phú Thuận), District 10 (Vườn Lài,
  Diên Hồng, Hòa Hưng) and Thủ Đức City (Hiệp Bình, Tam Bình, Thủ Đức, Linh Xuân, Long Bình,
  Tăng Nhơn Phú, Phước Long, Long Phước, Long Trường, An Khánh, Bình Trưng, Cát Lái), as the
  city's plan to its People's Council named them on 18 April 2025 and Nghị quyết
  1685/NQ-UBTVQH15 established them (thoibaotaichinhvietnam.vn/du-kien-ten-goi-cac-phuong-xa-
  moi-cua-tp-ho-chi-minh-sau-sap-xep-174862.html; diaocthongthai.com/phuong-tan-hung-tp-hcm-
  sau-sap-nhap-2025, one of the 168); the seven communes of the former Bình Chánh District
  from 1 July 2025: Vĩnh Lộc, Tân Vĩnh Lộc, Bình Lợi, Tân Nhựt, Bình Chánh, Hưng Long and Bình
  Hưng (thanhnien.vn/ngam-cac-xa-phia-tay-tay-nam-tphcm-tu-truc-thang-185251110140604755.htm).
- The HĐND of the merged city, 1 July 2025, established the 15 specialised agencies of the
  City People's Committee: the Office, the Departments of Home Affairs, Justice, Finance,
  Construction, Agriculture and Environment, Education and Training, Health, Food Safety,
  Industry and Trade, Science and Technology, Culture and Sports, Tourism, Ethnic and Religious
  Affairs, and the City Inspectorate (thanhnien.vn/lap-15-co-quan-chuyen-mon-thuoc-ubnd-tphcm-
  185250701160659934.htm).
- Which 2024 departments each of them carries on (HĐND TP.HCM, 20 February 2025, 21 departments
  to 16; then Sở Giao thông công chánh into Sở Xây dựng and Sở Tài nguyên và Môi trường renamed
  Sở Nông nghiệp và Môi trường, April 2025): Finance from Planning and Investment and Finance;
  Construction from Construction, Planning and Architecture and (through the short-lived Sở Giao
  thông công chánh) Transport; Science and Technology from Science and Technology and Information
  and Communications; Home Affairs from Home Affairs and Labour, War Invalids and Social Affairs;
  Agriculture and Environment from Natural Resources and Environment and Agriculture and Rural
  Development; Ethnic and Religious Affairs from the Committee for Ethnic Minority Affairs
  (lite.baomoi.com/lap-so-giao-thong-cong-chanh-tp-hcm-tu-so-gtvt-va-ban-atgt-c51526885.epi;
  businessinvestmentvn.com, 15 April 2025); Food Safety kept as the pilot of Nghị quyết
  98/2023/QH15 (doanhnhansaigon.vn, 20 May 2025), the Food Safety Management Board's heir.

Every change below takes effect on 1 July 2025, the day the merged city's agencies and wards
were established, each citing its basis; the earlier steps of 2025 are folded into it, since the
units of the registry went from what they were in 2024 to what they are in 2026 at once. What the
sources do not settle is said where it is decided (the former districts whose wards the registry
does not hold).
"""

from __future__ import annotations

from datetime import date
from typing import Final, NamedTuple


class UnitSeed(NamedTuple):
    """One unit of the default registry: code, Vietnamese name, English name, parent code."""

    code: str
    name_vi: str
    name_en: str
    parent: str | None


class Change(NamedTuple):
    """One reorganisation of the default registry: ``kind`` is merge (the predecessors into
    the one successor), split (the one predecessor into the successors, its open work to the
    first) or succession (one into one); with the day it took effect and its basis."""

    kind: str
    predecessors: tuple[str, ...]
    successors: tuple[str, ...]
    effective_on: date
    basis: str


_ROOT: Final = "UBND-TP"

UNITS_2024: Final[tuple[UnitSeed, ...]] = (
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


def _ward(code: str, name: str, english: str) -> UnitSeed:
    return UnitSeed(
        code, f"Ủy ban nhân dân phường {name}", f"{english} Ward People's Committee", _ROOT
    )


def _commune(code: str, name: str, english: str) -> UnitSeed:
    return UnitSeed(
        code, f"Ủy ban nhân dân xã {name}", f"{english} Commune People's Committee", _ROOT
    )


# The wards and communes of the former districts the registry splits (Nghị quyết
# 1685/NQ-UBTVQH15), each district's in the order its source lists them: the first takes the
# district's open work.
WARDS_OF: Final[dict[str, tuple[UnitSeed, ...]]] = {
    "UBND-Q1": (
        _ward("UBND-P-SAIGON", "Sài Gòn", "Sai Gon"),
        _ward("UBND-P-TANDINH", "Tân Định", "Tan Dinh"),
        _ward("UBND-P-BENTHANH", "Bến Thành", "Ben Thanh"),
        _ward("UBND-P-CAUONGLANH", "Cầu Ông Lãnh", "Cau Ong Lanh"),
    ),
    "UBND-Q3": (
        _ward("UBND-P-BANCO", "Bàn Cờ", "Ban Co"),
        _ward("UBND-P-XUANHOA", "Xuân Hòa", "Xuan Hoa"),
        _ward("UBND-P-NHIEULOC", "Nhiêu Lộc", "Nhieu Loc"),
    ),
    "UBND-Q7": (
        _ward("UBND-P-TANMY", "Tân Mỹ", "Tan My"),
        _ward("UBND-P-TANHUNG", "Tân Hưng", "Tan Hung"),
        _ward("UBND-P-TANTHUAN", "Tân Thuận", "Tan Thuan"),
        _ward("UBND-P-PHUTHUAN", "Phú Thuận", "Phu Thuan"),
    ),
    "UBND-Q10": (
        _ward("UBND-P-VUONLAI", "Vườn Lài", "Vuon Lai"),
        _ward("UBND-P-DIENHONG", "Diên Hồng", "Dien Hong"),
        _ward("UBND-P-HOAHUNG", "Hòa Hưng", "Hoa Hung"),
    ),
    "UBND-TPTHUDUC": (
        _ward("UBND-P-HIEPBINH", "Hiệp Bình", "Hiep Binh"),
        _ward("UBND-P-TAMBINH", "Tam Bình", "Tam Binh"),
        _ward("UBND-P-THUDUC", "Thủ Đức", "Thu Duc"),
        _ward("UBND-P-LINHXUAN", "Linh Xuân", "Linh Xuan"),
        _ward("UBND-P-LONGBINH", "Long Bình", "Long Binh"),
        _ward("UBND-P-TANGNHONPHU", "Tăng Nhơn Phú", "Tang Nhon Phu"),
        _ward("UBND-P-PHUOCLONG", "Phước Long", "Phuoc Long"),
        _ward("UBND-P-LONGPHUOC", "Long Phước", "Long Phuoc"),
        _ward("UBND-P-LONGTRUONG", "Long Trường", "Long Truong"),
        _ward("UBND-P-ANKHANH", "An Khánh", "An Khanh"),
        _ward("UBND-P-BINHTRUNG", "Bình Trưng", "Binh Trung"),
        _ward("UBND-P-CATLAI", "Cát Lái", "Cat Lai"),
    ),
    "UBND-BINHCHANH": (
        _commune("UBND-X-VINHLOC", "Vĩnh Lộc", "Vinh Loc"),
        _commune("UBND-X-TANVINHLOC", "Tân Vĩnh Lộc", "Tan Vinh Loc"),
        _commune("UBND-X-BINHLOI", "Bình Lợi", "Binh Loi"),
        _commune("UBND-X-TANNHUT", "Tân Nhựt", "Tan Nhut"),
        _commune("UBND-X-BINHCHANH", "Bình Chánh", "Binh Chanh"),
        _commune("UBND-X-HUNGLONG", "Hưng Long", "Hung Long"),
        _commune("UBND-X-BINHHUNG", "Bình Hưng", "Binh Hung"),
    ),
}

# The units established in 2025: the new departments, and the wards and communes of the former
# districts above, directly under the committee since districts ended.
UNITS_2025: Final[tuple[UnitSeed, ...]] = (
    UnitSeed(
        "SO-NNMT",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        _ROOT,
    ),
    UnitSeed(
        "SO-DTTG",
        "Sở Dân tộc và Tôn giáo",
        "Department of Ethnic and Religious Affairs",
        _ROOT,
    ),
    UnitSeed("SO-ATTP", "Sở An toàn thực phẩm", "Department of Food Safety", _ROOT),
    *(ward for wards in WARDS_OF.values() for ward in wards),
)

# Every unit the registry is opened with: those of 2024, and those established in 2025.
ESTABLISHED_2025: Final[frozenset[str]] = frozenset(u.code for u in UNITS_2025)
DEFAULT_UNITS: Final[tuple[UnitSeed, ...]] = UNITS_2024 + UNITS_2025

REORGANISED_ON: Final = date(2025, 7, 1)
_NQ_1685 = "Nghị quyết 1685/NQ-UBTVQH15"
_AGENCIES = "Nghị quyết HĐND TP.HCM ngày 01/7/2025 thành lập các cơ quan chuyên môn"
_DISTRICTS = "Nghị quyết 202/2025/QH15; chính quyền địa phương hai cấp từ 01/7/2025"


def _merge(predecessors: tuple[str, ...], successor: str, basis: str) -> Change:
    return Change("merge", predecessors, (successor,), REORGANISED_ON, basis)


def _split(predecessor: str, successors: tuple[str, ...], basis: str) -> Change:
    return Change("split", (predecessor,), successors, REORGANISED_ON, basis)


def _succeed(predecessor: str, successor: str, basis: str) -> Change:
    return Change("succession", (predecessor,), (successor,), REORGANISED_ON, basis)


# The former districts whose wards and communes the registry does not hold (the sources read
# name them all for some, the ones above): their open work passes to the Office, which
# reassigns each directive to the ward, commune or department now competent for it; an
# administrator who adds a district's wards may instead split it among them.
_OTHER_DISTRICTS: Final = (
    "UBND-Q4",
    "UBND-Q5",
    "UBND-Q6",
    "UBND-Q8",
    "UBND-Q11",
    "UBND-Q12",
    "UBND-BINHTHANH",
    "UBND-GOVAP",
    "UBND-PHUNHUAN",
    "UBND-TANBINH",
    "UBND-TANPHU",
    "UBND-BINHTAN",
    "UBND-CUCHI",
    "UBND-HOCMON",
    "UBND-NHABE",
    "UBND-CANGIO",
)

# In an order the registry accepts: wards before their district, successors already there.
REORGANISATION_2025: Final[tuple[Change, ...]] = (
    # Departments (sở) and boards.
    _merge(("SO-KHDT",), "SO-TC", _AGENCIES),
    _merge(("SO-QHKT", "SO-GTVT"), "SO-XD", _AGENCIES),
    _merge(("SO-TTTT",), "SO-KHCN", _AGENCIES),
    _merge(("SO-LDTBXH",), "SO-NV", _AGENCIES),
    _merge(("SO-TNMT", "SO-NNPTNT"), "SO-NNMT", _AGENCIES),
    _succeed("BAN-DT", "SO-DTTG", _AGENCIES),
    _succeed("BQL-ATTP", "SO-ATTP", _AGENCIES),
    # Not among the 15 agencies established on 1 July 2025; the sources read do not say which
    # took its duties, so its open work passes to the Office, as the districts' below.
    _succeed("SO-NGV", "VP-UBND", _AGENCIES),
    # The wards of District 1 (Nghị quyết 1685/NQ-UBTVQH15, article 1, clauses 1-4); a ward
    # divided between two new ones hands its open work to the one that takes its remainder.
    _merge(("UBND-Q1-BENNGHE",), "UBND-P-SAIGON", _NQ_1685),
    _split("UBND-Q1-DAKAO", ("UBND-P-TANDINH", "UBND-P-SAIGON"), _NQ_1685),
    _split("UBND-Q1-NGUYENTHAIBINH", ("UBND-P-BENTHANH", "UBND-P-SAIGON"), _NQ_1685),
    _merge(("UBND-Q1-TANDINH",), "UBND-P-TANDINH", _NQ_1685),
    _merge(("UBND-Q1-BENTHANH", "UBND-Q1-PHAMNGULAO"), "UBND-P-BENTHANH", _NQ_1685),
    _split("UBND-Q1-CAUONGLANH", ("UBND-P-CAUONGLANH", "UBND-P-BENTHANH"), _NQ_1685),
    _merge(
        ("UBND-Q1-NGUYENCUTRINH", "UBND-Q1-CAUKHO", "UBND-Q1-COGIANG"),
        "UBND-P-CAUONGLANH",
        _NQ_1685,
    ),
    # The districts: those whose wards the registry holds into them, the others to the Office
    # (above).
    *(
        _split(district, tuple(w.code for w in wards), f"{_DISTRICTS}; {_NQ_1685}")
        for district, wards in WARDS_OF.items()
    ),
    *(_succeed(code, "VP-UBND", _DISTRICTS) for code in _OTHER_DISTRICTS),
)

# Units that can never lead a directive, because they are the committee itself.
LEADING_UNITS: Final[frozenset[str]] = frozenset({"UBND-TP"})

"""A seeded, labelled set of petitions filed in Ho Chi Minh City, for measuring how well the
matching (``domain.petitions.matching``) finds earlier filings of the same matter without the
demo: each filing names its matter, and the hard cases of issue 26 are made on purpose and
listed as pairs.

A matter is a set of facts (a decision complained of, a parcel, a building site, an official, an
allowance) and a petitioner from a household. Each filing of it tells the same facts in one of
several wordings, written as people write: with or without accents, the place in full or
shortened ("Phường 7, Quận 3" or "P.7, Q.3"), the parcel and the decision worded differently,
by a relative under another name and number, with the number mistyped, or quoting the earlier
filing at length. Beside them: one person's, one family's and one street's different matters,
two strangers whose numbers are one typo apart, a petition quoting a neighbour's about
something else.

Identification numbers are drawn as the law shapes them (Nghị định 137/2015/NĐ-CP, Art. 13:
the province's code, 079 for Ho Chi Minh City; the century and sex; the year of birth; six
random digits), and are fictitious.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Final

from domain.petitions.matching import fold


@dataclass(frozen=True, slots=True)
class Petitioner:
    full_name: str
    id_number: str | None
    address: str


@dataclass(frozen=True, slots=True)
class Labelled:
    """One filing, in the order filed, and the matter it truly is."""

    receipt: str
    matter: str
    day: int
    content: str
    subject: str
    petitioners: tuple[Petitioner, ...]


@dataclass(frozen=True, slots=True)
class HardCase:
    """A pair of filings (earlier, later) made hard on purpose, and whether they are one matter."""

    case: str
    earlier: str
    later: str
    same_matter: bool


@dataclass(frozen=True, slots=True)
class Corpus:
    filings: tuple[Labelled, ...]
    hard_cases: tuple[HardCase, ...]


# --- places ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class District:
    full: str
    short: tuple[str, ...]
    wards: tuple[tuple[str, str], ...]  # ("Phường 7", "P.7")
    streets: tuple[str, ...]


DISTRICTS: Final = (
    District(
        "Quận 1", ("Q.1", "Q1", "quận 1"),
        (("phường Bến Nghé", "P. Bến Nghé"), ("phường Đa Kao", "P. Đa Kao"),
         ("phường Tân Định", "P. Tân Định"), ("phường Cầu Ông Lãnh", "P. Cầu Ông Lãnh")),
        ("Nguyễn Trãi", "Lê Thánh Tôn", "Pasteur", "Hai Bà Trưng", "Trần Đình Xu", "Đề Thám"),
    ),
    District(
        "Quận 3", ("Q.3", "Q3", "quận 3"),
        (("Phường 1", "P.1"), ("Phường 4", "P.4"), ("Phường 5", "P.5"), ("Phường 9", "P.9"),
         ("Phường 11", "P.11"), ("Phường 14", "P.14"), ("phường Võ Thị Sáu", "P. Võ Thị Sáu")),
        ("Lê Văn Sỹ", "Trần Quốc Thảo", "Cách Mạng Tháng Tám", "Võ Văn Tần", "Nguyễn Thiện Thuật",
         "Rạch Bùng Binh"),
    ),
    District(
        "Quận 8", ("Q.8", "Q8", "quận 8"),
        (("Phường 1", "P.1"), ("Phường 4", "P.4"), ("Phường 7", "P.7"), ("Phường 15", "P.15")),
        ("Phạm Thế Hiển", "Dương Bá Trạc", "Âu Dương Lân", "Tạ Quang Bửu", "Bến Bình Đông"),
    ),
    District(
        "quận Gò Vấp", ("Q. Gò Vấp", "Q.GV", "Q Go Vap"),
        (("Phường 1", "P.1"), ("Phường 5", "P.5"), ("Phường 10", "P.10"), ("Phường 17", "P.17")),
        ("Quang Trung", "Nguyễn Oanh", "Lê Đức Thọ", "Phan Văn Trị", "Thống Nhất"),
    ),
    District(
        "quận Bình Thạnh", ("Q. Bình Thạnh", "Q.BT", "Q Binh Thanh"),
        (("Phường 2", "P.2"), ("Phường 13", "P.13"), ("Phường 25", "P.25"), ("Phường 26", "P.26")),
        ("Xô Viết Nghệ Tĩnh", "Bạch Đằng", "Nơ Trang Long", "Điện Biên Phủ", "Bình Lợi"),
    ),
    District(
        "thành phố Thủ Đức", ("TP. Thủ Đức", "TP Thủ Đức", "Tp.TĐ"),
        (("phường Thảo Điền", "P. Thảo Điền"), ("phường An Phú", "P. An Phú"),
         ("phường Linh Trung", "P. Linh Trung"), ("phường Hiệp Bình Chánh", "P. Hiệp Bình Chánh")),
        ("Võ Văn Ngân", "Kha Vạn Cân", "Lương Định Của", "Nguyễn Duy Trinh", "Đỗ Xuân Hợp"),
    ),
    District(
        "huyện Bình Chánh", ("H. Bình Chánh", "H.BC", "huyen Binh Chanh"),
        (("xã Vĩnh Lộc A", "X. Vĩnh Lộc A"), ("xã Bình Hưng", "X. Bình Hưng"),
         ("xã Tân Kiên", "X. Tân Kiên")),
        ("Quốc lộ 50", "Vĩnh Lộc", "Nguyễn Văn Linh", "Trần Văn Giàu"),
    ),
)  # fmt: skip

FAMILY: Final = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
    "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Lâm",
)  # fmt: skip
MIDDLE: Final = {
    "m": ("Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Công"),
    "f": ("Thị", "Ngọc", "Thu", "Kim", "Thanh", "Mỹ", "Bích"),
}
GIVEN: Final = {
    "m": ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khoa", "Long", "Nam", "Phúc", "Quang",
          "Sơn", "Tâm", "Thắng", "Tuấn", "Vinh", "Hiếu", "Trung", "Lộc", "Tài"),
    "f": ("Anh", "Châu", "Dung", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Liên", "Mai", "Nga",
          "Nhung", "Phương", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Loan", "Xuân"),
}  # fmt: skip
RELATIONS: Final = ("con", "vợ", "chồng", "em ruột", "anh ruột", "cháu")

PROJECTS: Final = (
    "dự án mở rộng đường Lương Định Của", "dự án cải tạo rạch Xuyên Tâm",
    "dự án nâng cấp Quốc lộ 50", "dự án cải tạo kênh Tham Lương – Bến Cát",
    "dự án chỉnh trang khu dân cư rạch Bùng Binh", "dự án xây dựng trường THCS Phường 15",
)  # fmt: skip
BUSINESSES: Final = (
    ("quán karaoke", "tiếng hát karaoke mở loa công suất lớn"),
    ("xưởng cơ khí", "tiếng máy cắt, máy mài kim loại"),
    ("quán nhậu", "tiếng ồn và khách hát hò"),
    ("xưởng in lụa", "mùi dung môi và hơi sơn"),
    ("cơ sở giặt nhuộm", "nước thải có màu và mùi hôi"),
    ("tiệm rửa xe", "nước thải, dầu mỡ chảy ra hẻm"),
)
OFFICIALS: Final = (
    "cán bộ địa chính – xây dựng", "cán bộ tư pháp – hộ tịch", "Phó Chủ tịch Ủy ban nhân dân",
    "cán bộ quản lý trật tự đô thị", "cán bộ phụ trách lao động – thương binh và xã hội",
)  # fmt: skip
PROCEDURES: Final = (
    "xác nhận tình trạng nhà đất", "chứng thực hợp đồng chuyển nhượng",
    "đăng ký biến động đất đai", "cấp giấy phép sửa chữa nhà",
)  # fmt: skip
ALLOWANCES: Final = (
    ("trợ cấp xã hội hằng tháng", "người cao tuổi không có lương hưu"),
    ("trợ cấp cho người khuyết tật nặng", "người khuyết tật nặng"),
    ("chế độ người có công với cách mạng", "thân nhân liệt sĩ"),
    ("hỗ trợ hộ cận nghèo", "hộ cận nghèo"),
)

# --- what petitioners write, by kind: the same facts in different words -------------------------

TEMPLATES: Final[dict[str, tuple[str, ...]]] = {
    "land": (
        "Tôi tên {name}, cư trú tại {address}. Tôi khiếu nại {decision} của Chủ tịch {ubnd} về "
        "việc xử phạt vi phạm hành chính và buộc tháo dỡ công trình trên {parcel}, {ward}, "
        "{district}. Gia đình tôi sử dụng thửa đất này ổn định từ năm {since}, không tranh "
        "chấp, đóng thuế đầy đủ. Đề nghị xem xét hủy quyết định nêu trên.",
        "Kính gửi {ubnd}. Tôi là {name}, địa chỉ {address}. Chủ tịch {ubnd} đã ban hành "
        "{decision} buộc gia đình tôi tháo dỡ phần nhà trên {parcel} ({ward}). Tôi không đồng "
        "ý vì phần nhà này xây từ năm {since}, trước khi có quy hoạch, kính đề nghị xem xét lại.",
        "Đơn khiếu nại. Người khiếu nại: {name}; nơi ở: {address}. Quyết định bị khiếu nại: "
        "{decision}. Nội dung: phần đất thuộc {parcel}, {ward}, {district} là đất ở của gia đình "
        "từ năm {since}; việc buộc tháo dỡ là không đúng. Yêu cầu hủy bỏ quyết định.",
    ),
    "compensation": (
        "Tôi tên {name}, ngụ tại {address}. Tôi khiếu nại {decision} của {ubnd} phê duyệt phương "
        "án bồi thường, hỗ trợ, tái định cư để thực hiện {project}. Phần diện tích {area} m² "
        "thuộc {parcel}, {ward} bị áp giá đất nông nghiệp, trong khi gia đình tôi đã xây nhà ở "
        "từ năm {since}. Đề nghị tính lại theo giá đất ở và bố trí tái định cư.",
        "Kính gửi các cơ quan có thẩm quyền. Gia đình tôi ({name}, {address}) có nhà đất bị thu "
        "hồi trong {project}. Theo {decision}, {parcel} chỉ được bồi thường {amount} triệu đồng "
        "cho {area} m², thấp hơn nhiều so với giá thị trường. Chúng tôi đề nghị thẩm định lại "
        "giá đất cụ thể.",
        "Khiếu nại về bồi thường giải phóng mặt bằng {project}: {decision} không tính hỗ trợ ổn "
        "định đời sống và di dời cho hộ {name} tại {parcel}, {ward}, {district}, diện tích bị "
        "thu hồi {area} m². Đề nghị bổ sung các khoản hỗ trợ theo quy định.",
    ),
    "construction": (
        "Tôi là {name}, nhà ở {address}. Phản ánh công trình tại số {site_no} {street}, {ward}, "
        "{district} đang xây dựng sai phép: giấy phép {permit} tầng nhưng đã xây {built} tầng, "
        "lấn ra hẻm chung khoảng {encroach} m, làm nứt tường nhà tôi. Đề nghị kiểm tra, xử lý.",
        "Kính gửi cơ quan chức năng. Công trình nhà số {site_no} {street} ({ward}, {district}) "
        "xây vượt phép lên {built} tầng (phép {permit} tầng), đổ vật liệu tràn ra lòng đường, "
        "thi công cả ban đêm. Người phản ánh: {name}, {address}.",
        "Phản ánh việc xây dựng không phép tại số {site_no} {street}, {ward}, {district}: chủ "
        "nhà tự ý cơi nới lên {built} tầng và làm mái che lấn hẻm {encroach} m. Phường đã lập "
        "biên bản nhưng công trình vẫn tiếp tục. Người phản ánh: {name}.",
    ),
    "nuisance": (
        "Tôi là {name}, ở {address}. Phản ánh {business} tại số {site_no} {street}, {ward}, "
        "{district} gây {nuisance} đến {hour} giờ đêm, ảnh hưởng giấc ngủ của trẻ nhỏ và người "
        "già trong khu phố. Đề nghị kiểm tra và xử phạt.",
        "Kính gửi {ubnd}. Nhiều tháng nay {business} ở số {site_no} {street} ({ward}) hoạt "
        "động gây {nuisance}, kéo dài tới {hour} giờ khuya. Bà con đã báo tổ dân phố nhiều lần "
        "nhưng không chuyển biến. Người phản ánh: {name}, {address}.",
        "Phản ánh ô nhiễm: {business} số {site_no} {street}, {ward}, {district} gây {nuisance} "
        "liên tục. Người dân xung quanh bức xúc. Người gửi: {name} ({address}).",
    ),
    "conduct": (
        "Tôi tên {name}, cư trú tại {address}. Tôi tố cáo {official} {ward} có hành vi nhũng "
        "nhiễu, yêu cầu người dân nộp thêm {amount} triệu đồng ngoài quy định khi làm thủ tục "
        "{procedure}. Tôi có ghi âm cuộc nói chuyện và sẵn sàng cung cấp.",
        "Đơn tố cáo. Người tố cáo: {name}, {address}. Người bị tố cáo: {official} {ward}, "
        "{district}. Nội dung: cố tình gây khó khăn, hẹn nhiều lần không giải quyết hồ sơ "
        "{procedure} của gia đình tôi, gợi ý phải bồi dưỡng {amount} triệu đồng mới làm nhanh.",
    ),
    "allowance": (
        "Tôi tên {name}, ở {address}. Kiến nghị xem xét {allowance} cho mẹ tôi là bà {elder}, "
        "{age} tuổi, thuộc diện {eligible}. Hồ sơ đã nộp tại {ward} từ tháng {month} nhưng đến "
        "nay chưa được giải quyết.",
        "Kính gửi cơ quan chức năng. Gia đình tôi ({name}, {address}) đề nghị giải quyết "
        "{allowance} cho bà {elder}, {age} tuổi ({eligible}); hồ sơ nộp tháng {month} tại "
        "{ward}, {district} đã quá hạn mà chưa có trả lời.",
    ),
}
SUBJECTS: Final = {
    "land": "{decision}",
    "compensation": "{decision}",
    "construction": "Công trình tại số {site_no} {street}, {ward}, {district}",
    "nuisance": "{business} tại số {site_no} {street}, {ward}",
    "conduct": "{official} {ward}, {district}",
    "allowance": "Hồ sơ {allowance} của bà {elder}",
}
DECISION_WORDINGS: Final = (
    "Quyết định số {n}/QĐ-UBND ngày {d}/{m}/{y}",
    "QĐ số {n}/QĐ-UBND ngày {d:02d}/{m:02d}/{y}",
    "quyết định {n}/QĐ-UBND (ngày {d}-{m}-{y})",
    "Quyết định số {n} ngày {d} tháng {m} năm {y}",
)
PARCEL_WORDINGS: Final = (
    "thửa đất số {p}, tờ bản đồ số {s}",
    "thửa {p} tờ {s}",
    "tờ bản đồ số {s}, thửa đất số {p}",
    "TBĐ {s} thửa {p}",
    "thửa đất số {p} thuộc tờ bản đồ {s}",
)
RELATIVE: Final = (
    "Tôi là {relation} của {first}, thay mặt gia đình gửi đơn này. ",
    "Gia đình chúng tôi cùng đứng đơn; tôi là {relation} của {first}. ",
    "Tôi là người trong gia đình, thay mặt gia đình gửi đơn. ",
)
AGAIN: Final = (
    "Tôi đã gửi đơn nhưng chưa nhận được trả lời, nay gửi lại. ",
    "Vụ việc đã được trả lời nhưng quyền lợi của gia đình tôi chưa được bảo đảm. ",
    "",
)
QUOTING: Final = (
    "Ngày {day}, tôi đã gửi đơn với nội dung như sau: “{text}” Đến nay đã quá thời hạn giải "
    "quyết theo quy định nhưng tôi chưa nhận được văn bản trả lời. Tôi tiếp tục gửi đơn này, "
    "kính đề nghị quý cơ quan xem xét, chỉ đạo giải quyết dứt điểm."
)
QUOTING_NEIGHBOUR: Final = (
    "Trước đây hàng xóm của tôi đã phản ánh: “{text}” Nay tôi phản ánh thêm một việc khác ở "
    "cùng khu phố: "
)

# --- people ------------------------------------------------------------------------------


Home = tuple[District, tuple[str, str], str, int]  # district, ward, street, house number


@dataclass(slots=True)
class Person:
    family: str
    middle: str
    given: str
    sex: str
    born: int
    id_number: str
    home: Home

    @property
    def name(self) -> str:
        return f"{self.family} {self.middle} {self.given}"


@dataclass(slots=True)
class Household:
    members: list[Person] = field(default_factory=list)


def _id_number(r: random.Random, sex: str, born: int) -> str:
    century = (born // 100 - 19) * 2 + (sex == "f")
    return f"079{century}{born % 100:02d}{r.randrange(10**6):06d}"


def _person(r: random.Random, family: str, home: Home, sex: str = "") -> Person:
    sex = sex or r.choice("mf")
    born = r.randrange(1940, 2004)
    return Person(
        family, r.choice(MIDDLE[sex]), r.choice(GIVEN[sex]), sex, born,
        _id_number(r, sex, born), home,
    )  # fmt: skip


def _household(r: random.Random) -> Household:
    district = r.choice(DISTRICTS)
    home = (district, r.choice(district.wards), r.choice(district.streets), r.randrange(1, 400))
    family = r.choice(FAMILY)
    h = Household([_person(r, family, home)])
    for _ in range(r.randrange(1, 4)):
        # a spouse keeps their own family name; children take the father's
        h.members.append(_person(r, r.choice((family, family, r.choice(FAMILY))), home))
    return h


def _typo(r: random.Random, number: str) -> str:
    if r.random() < 0.5:
        i = r.randrange(len(number) - 1)
        while number[i] == number[i + 1]:
            i = r.randrange(len(number) - 1)
        return number[:i] + number[i + 1] + number[i] + number[i + 2 :]
    i = r.randrange(3, len(number))
    return number[:i] + r.choice([d for d in "0123456789" if d != number[i]]) + number[i + 1 :]


# --- how a place is written ------------------------------------------------------------------


def _address(r: random.Random, home: Home, style: str) -> str:
    district, (ward_full, ward_short), street, house = home
    if style == "short":
        return f"{house} {street}, {ward_short}, {r.choice(district.short)}, TP.HCM"
    return f"số {house} đường {street}, {ward_full}, {district.full}, Thành phố Hồ Chí Minh"


@dataclass(frozen=True, slots=True)
class Facts:
    """What a matter is about; every filing of it tells these."""

    district: District
    ward: tuple[str, str]
    since: int
    decision: tuple[int, int, int, int]  # number, day, month, year
    parcel: tuple[int, int]  # parcel, sheet
    area: int
    amount: int
    project: str
    site: tuple[int, str]  # house number, street
    permit: int
    built: int
    encroach: str
    business: tuple[str, str]
    hour: int
    official: str
    procedure: str
    allowance: tuple[str, str]
    elder: str
    age: int
    month: int


@dataclass(frozen=True, slots=True)
class Matter:
    key: str
    kind: str
    facts: Facts
    household: Household
    petitioner: Person


@dataclass(frozen=True, slots=True)
class Plan:
    """One filing to write: when, of which matter, by whom, and how."""

    day: int
    matter: Matter
    by: Person
    short: bool = False
    accents: bool = True
    relative: bool = False
    typo: bool = False
    quote: int | None = None  # the plan whose text this filing quotes, as its own earlier one
    quote_other: int | None = None  # the plan of another matter this filing quotes first


def _facts(r: random.Random, h: Household, near: Person | None) -> Facts:
    district, ward, _street, _house = h.members[0].home
    permit = r.randrange(1, 4)
    return Facts(
        district=district,
        ward=ward,
        since=r.randrange(1975, 2010),
        decision=(
            r.randrange(100, 9999),
            r.randrange(1, 29),
            r.randrange(1, 13),
            r.choice((2023, 2024, 2025)),
        ),
        parcel=(r.randrange(1, 900), r.randrange(1, 120)),
        area=r.randrange(20, 400),
        amount=r.randrange(5, 900),
        project=r.choice(PROJECTS),
        site=(r.randrange(1, 400), r.choice(district.streets) if near is None else near.home[2]),
        permit=permit,
        built=permit + r.randrange(1, 4),
        encroach=r.choice(("0,5", "1", "1,2", "2")),
        business=r.choice(BUSINESSES),
        hour=r.choice((23, 24, 1, 2)),
        official=r.choice(OFFICIALS),
        procedure=r.choice(PROCEDURES),
        allowance=r.choice(ALLOWANCES),
        elder=f"{r.choice(FAMILY)} Thị {r.choice(GIVEN['f'])}",
        age=r.randrange(62, 95),
        month=r.randrange(1, 13),
    )


def _render(r: random.Random, m: Matter, by: Person, *, short: bool) -> tuple[str, str]:
    f = m.facts
    n, d, mo, y = f.decision
    parcel, sheet = f.parcel
    place = r.choice(f.district.short) if short else f.district.full
    values: dict[str, object] = {
        "name": by.name,
        "address": _address(r, by.home, "short" if short else "full"),
        "decision": r.choice(DECISION_WORDINGS).format(n=n, d=d, m=mo, y=y),
        "parcel": r.choice(PARCEL_WORDINGS).format(p=parcel, s=sheet),
        "ward": f.ward[1] if short else f.ward[0],
        "district": place,
        "ubnd": ("UBND " if short else "Ủy ban nhân dân ") + place,
        "since": f.since, "area": f.area, "amount": f.amount, "project": f.project,
        "site_no": f.site[0], "street": f.site[1], "permit": f.permit, "built": f.built,
        "encroach": f.encroach, "business": f.business[0], "nuisance": f.business[1],
        "hour": f.hour, "official": f.official, "procedure": f.procedure,
        "allowance": f.allowance[0], "eligible": f.allowance[1], "elder": f.elder,
        "age": f.age, "month": f.month,
    }  # fmt: skip
    content = r.choice(TEMPLATES[m.kind]).format(**values)
    subject = SUBJECTS[m.kind].format(**values) if r.random() < 0.6 else ""
    return content, subject


def _unaccented(text: str) -> str:
    """Text as typed without accents: folded, its capitals kept where the folding keeps them."""
    folded = fold(text)
    if len(folded) != len(text):
        return folded
    return "".join(f.upper() if c.isupper() else f for c, f in zip(text, folded, strict=True))


# --- the year's filings ----------------------------------------------------------------------

KINDS: Final = ("land", "compensation", "construction", "nuisance", "conduct", "allowance")
TWISTS: Final = {
    "plain": "again",
    "relative": "relatives",
    "typo": "mistyped_id",
    "accents": "accents_dropped",
    "short": "place_abbreviated",
    "quote": "quotes_earlier",
}


class _Year:
    """The matters, their filings planned, and the hard cases, drawn from one generator."""

    def __init__(self, r: random.Random, households: int) -> None:
        self.r = r
        self.households = [_household(r) for _ in range(households)]
        self.plans: list[Plan] = []
        self.hard: list[tuple[str, int, int, bool]] = []  # case, plan, later plan, same matter
        self.matters = 0

    def matter(self, kind: str, h: Household, by: Person, near: Person | None = None) -> Matter:
        self.matters += 1
        return Matter(f"M{self.matters:04d}", kind, _facts(self.r, h, near), h, by)

    def plan(self, p: Plan) -> int:
        self.plans.append(p)
        return len(self.plans) - 1

    def one(self) -> None:
        """A matter, filed once or more; perhaps beside it another matter that looks alike."""
        r = self.r
        h = r.choice(self.households)
        by = r.choice(h.members)
        m = self.matter(r.choice(KINDS), h, by)
        day = r.randrange(0, 300)
        first = self.plan(Plan(day, m, by, short=r.random() < 0.4, accents=r.random() < 0.8))
        if r.random() < 0.5:
            return
        for _ in range(r.choice((1, 1, 1, 2, 3))):
            day += r.randrange(1, 60)
            self.again(first, day, r.choice(tuple(TWISTS)))
        self.lookalike(first, day + r.randrange(1, 90))

    def again(self, first: int, day: int, twist: str) -> None:
        r = self.r
        m, by = self.plans[first].matter, self.plans[first].by
        short = r.random() < 0.5
        if twist == "relative":
            kin = [p for p in m.household.members if p is not by]
            p = Plan(day, m, r.choice(kin or [_person(r, by.family, by.home)]), relative=True)
        else:
            p = Plan(
                day,
                m,
                by,
                short=short or twist == "short",
                typo=twist == "typo",
                accents=twist != "accents",
                quote=first if twist == "quote" else None,
            )
        self.hard.append((TWISTS[twist], first, self.plan(p), True))

    def lookalike(self, first: int, day: int) -> None:
        """One person's, one family's, one street's other matter; a stranger one typo away."""
        r = self.r
        h, by = self.plans[first].matter.household, self.plans[first].by
        roll = r.random()
        if roll < 0.2:
            j = self.plan(Plan(day, self.matter(r.choice(KINDS), h, by), by))
            self.hard.append(("same_person_different_matter", first, j, False))
        elif roll < 0.35 and len(h.members) > 1:
            kin = r.choice([p for p in h.members if p is not by])
            j = self.plan(Plan(day, self.matter(r.choice(KINDS), h, kin), kin))
            self.hard.append(("same_family_different_matter", first, j, False))
        elif roll < 0.6:
            # a neighbour on the same street complains of something else there
            nh = _household(r)
            for p in nh.members:
                p.home = (by.home[0], by.home[1], by.home[2], r.randrange(1, 400))
            nb = nh.members[0]
            other = self.matter(r.choice(("construction", "nuisance")), nh, nb, near=by)
            quote = r.random() < 0.3
            j = self.plan(Plan(day, other, nb, quote_other=first if quote else None))
            case = "quotes_other_matter" if quote else "same_neighbourhood_different_matter"
            self.hard.append((case, first, j, False))
        elif roll < 0.7:
            # a stranger whose number is one typo from the petitioner's: a real risk (docs)
            stranger = _person(r, r.choice(FAMILY), _household(r).members[0].home)
            stranger.id_number = _typo(r, by.id_number)
            other = self.matter(r.choice(KINDS), Household([stranger]), stranger)
            j = self.plan(Plan(day, other, stranger))
            self.hard.append(("near_id_stranger", first, j, False))

    def corpus(self) -> Corpus:
        """The plans written as filings in the order filed, with receipts in that order."""
        r = self.r
        order = sorted(range(len(self.plans)), key=lambda i: (self.plans[i].day, i))
        receipt_of = {i: f"R{n + 1:04d}" for n, i in enumerate(order)}
        texts: dict[int, str] = {}
        seen: set[str] = set()
        filings: list[Labelled] = []
        for i in order:
            p = self.plans[i]
            content, subject = _render(r, p.matter, p.by, short=p.short)
            if p.relative:
                relation = r.choice(RELATIONS)
                said = r.choice(RELATIVE).format(relation=relation, first=p.matter.petitioner.name)
                content = said + content
            elif p.matter.key in seen:
                content = r.choice(AGAIN) + content
            seen.add(p.matter.key)
            if p.quote is not None and p.quote in texts:
                earlier = self.plans[p.quote].day
                when = f"{earlier % 28 + 1}/{earlier // 28 % 12 + 1}/2025"
                content = QUOTING.format(day=when, text=texts[p.quote])
            if p.quote_other is not None and p.quote_other in texts:
                content = QUOTING_NEIGHBOUR.format(text=texts[p.quote_other]) + content
            name = p.by.name
            if not p.accents:
                content, subject, name = map(_unaccented, (content, subject, name))
            texts[i] = content
            number: str | None = p.by.id_number
            if p.typo:
                number = _typo(r, p.by.id_number)
            elif r.random() < 0.1:
                number = None  # not given at the reception
            address = _address(r, p.by.home, "short" if p.short else "full")
            who = Petitioner(name, number, address)
            filings.append(Labelled(receipt_of[i], p.matter.key, p.day, content, subject, (who,)))
        cases = tuple(
            HardCase(case, receipt_of[a], receipt_of[b], same)
            for case, a, b, same in self.hard
            if receipt_of[a] < receipt_of[b]
        )
        return Corpus(tuple(filings), cases)


def generate(seed: int = 26, matters: int = 250) -> Corpus:
    """At least ``matters`` matters (about half filed more than once) and the hard cases, as
    filings in the order filed. The same seed gives the same corpus."""
    year = _Year(random.Random(seed), matters // 2)
    while year.matters < matters:
        year.one()
    return year.corpus()

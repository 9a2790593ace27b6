"""The signals that find earlier petitions of the same matter (``domain.petitions.matching``), on
hand-made Vietnamese cases, and the properties that hold of any text."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from dataclasses import replace
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.web.i18n import MESSAGES
from domain.petitions.matching import (
    REASONS,
    Document,
    Filing,
    Party,
    Vocabulary,
    address_similarity,
    compare,
    content_similarity,
    fold,
    normalise,
    normalise_name,
    one_typo_away,
    party,
    profile,
    rank,
    site_of,
    subject_of,
    trigram_similarity,
    trigrams,
)
from domain.petitions.matching_config import DEFAULT, Ramp

KEY = b"k" * 32


def id_hash(number: str) -> bytes:
    return hmac.new(KEY, number.encode("ascii"), hashlib.sha256).digest()


def person(name: str, address: str, id_number: str | None) -> Party:
    return party(name, address, id_number, id_hash)


LAN = ("Nguyễn Thị Lan", "số 12 đường Lê Văn Sỹ, Phường 7, Quận 3, Thành phố Hồ Chí Minh")
LAN_ID = "079185001234"

LAND = (
    "Tôi tên Nguyễn Thị Lan, cư trú tại số 12 đường Lê Văn Sỹ, Phường 7, Quận 3. Tôi khiếu nại "
    "Quyết định số 1234/QĐ-UBND ngày 12/3/2024 của Chủ tịch Ủy ban nhân dân Quận 3 về việc buộc "
    "tháo dỡ công trình trên thửa đất số 45, tờ bản đồ số 12, Phường 7. Gia đình tôi sử dụng "
    "thửa đất này ổn định từ năm 1990, không tranh chấp. Đề nghị hủy quyết định nêu trên."
)
ALLOWANCE = (
    "Tôi tên Nguyễn Thị Lan, ở 12 Lê Văn Sỹ, P.7, Q.3. Kiến nghị xem xét trợ cấp xã hội hằng "
    "tháng cho mẹ tôi là bà Trần Thị Hoa, 82 tuổi, người cao tuổi không có lương hưu. Hồ sơ đã "
    "nộp tại Ủy ban nhân dân Phường 7 từ tháng 5 nhưng đến nay chưa được giải quyết."
)
# Unrelated petitions of the city, so that the vocabulary knows which words every petition uses.
OTHERS = (
    "Phản ánh quán karaoke tại số 45 Trần Quốc Thảo, Phường 9, Quận 3 mở loa công suất lớn "
    "đến 1 giờ đêm, ảnh hưởng giấc ngủ của trẻ nhỏ. Đề nghị kiểm tra và xử phạt.",
    "Tố cáo cán bộ địa chính Phường 5 nhũng nhiễu, đòi thêm tiền khi làm thủ tục đăng ký biến "
    "động đất đai. Tôi có ghi âm và sẵn sàng cung cấp.",
    "Khiếu nại Quyết định số 88/QĐ-UBND ngày 2/2/2024 phê duyệt phương án bồi thường dự án mở "
    "rộng đường Lương Định Của: phần diện tích 60 m² bị áp giá đất nông nghiệp.",
    "Phản ánh công trình tại số 7 Võ Văn Tần xây vượt phép lên 5 tầng, lấn hẻm chung, làm nứt "
    "tường nhà bên cạnh. Đề nghị kiểm tra, xử lý.",
    "Đề nghị giải quyết chế độ người có công cho ông Lê Văn Tám, thân nhân liệt sĩ; hồ sơ nộp "
    "tại Phường 14 đã quá hạn mà chưa có trả lời.",
    "Phản ánh cơ sở giặt nhuộm xả nước thải có màu ra kênh Tàu Hũ, bốc mùi hôi, cá chết nổi "
    "trên mặt nước. Đề nghị lấy mẫu nước thải và xử lý.",
)


def vocabulary(*filings: Filing) -> Vocabulary:
    v = Vocabulary()
    for n, text in enumerate(OTHERS):
        v.add(profile(f"other-{n}", text))
    for f in filings:
        v.add(f)
    return v


# --- normalisation -----------------------------------------------------------------------------


def test_a_name_with_accents_and_without_them_is_one_name() -> None:
    """Folding takes off every accent and makes đ a d, whatever the Unicode form typed."""
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert normalise("NGUYỄN VĂN ĐỨC") == normalise("Nguyen Van Duc")
    decomposed = "Nguye\u0302\u0303n"  # NFD, as some phones send it
    assert normalise(decomposed) == "nguyen"
    assert normalise("hoà") == normalise("hòa") == "hoa"


def test_q3_is_quan_3_however_it_is_written() -> None:
    """ "Q.3", "Q3", "q 3", "Q.03" and "Quận 3" all read "quan 3"; P. is phường; the city is one."""
    for written in ("Q.3", "Q3", "q 3", "Q.03", "Quận 3", "QUẬN 3", "quan 3"):
        assert normalise(written) == "quan 3", written
    assert normalise("P.7, Q.3, TP.HCM") == normalise("Phường 7, Quận 3, Thành phố Hồ Chí Minh")
    assert normalise("TPHCM") == normalise("TP. Hồ Chí Minh") == normalise("Tp.HCM")
    assert normalise("P. Bến Nghé, Q.1") == "phuong ben nghe quan 1"


def test_the_citys_other_abbreviations_are_written_out() -> None:
    """Đường, khu phố, tổ dân phố, the districts' initials and the land papers read in full."""
    assert normalise("Đ. Lê Lợi") == "duong le loi"
    assert normalise("KP 3, TDP 5") == "khu pho 3 to dan pho 5"
    assert normalise("Q.BT") == normalise("quận Bình Thạnh")
    assert normalise("Tp.TĐ") == normalise("thành phố Thủ Đức")
    assert normalise("H.BC") == normalise("huyện Bình Chánh")
    assert normalise("UBND Q.3") == normalise("Ủy ban nhân dân Quận 3")
    assert normalise("TBĐ 12") == "to ban do 12"


def test_x_is_xa_however_it_is_written() -> None:
    """ "X. Bình Hưng", "X.Bình Hưng", "X Bình Hưng" and "xã Bình Hưng" are one commune, as
    "P Bến Nghé" is phường Bến Nghé and "Q Bình Thạnh" quận Bình Thạnh."""
    for written in ("X. Bình Hưng", "X.Bình Hưng", "X Bình Hưng", "xã Bình Hưng", "Xa Binh Hung"):
        assert normalise(written) == "xa binh hung", written
    assert normalise("8 Đ. số 5, X Tân Kiên, TPHCM") == normalise(
        "8 đường số 5, xã Tân Kiên, Thành phố Hồ Chí Minh"
    )
    assert normalise("3 x 4 m") == "3 x 4 m"


def test_phuong_sai_gon_is_a_ward_and_sai_gon_alone_the_city() -> None:
    """Since 1 July 2025 Sài Gòn is also a ward of the city (Phường Sài Gòn): after "phường" or
    "P." it stays the ward's name; alone it is the city."""
    ward = "phuong sai gon tphcm"
    for written in (
        "Phường Sài Gòn, Thành phố Hồ Chí Minh",
        "P. Sài Gòn, TP.HCM",
        "P.Sài Gòn, TPHCM",
        "phuong  Sai Gon, Tp. Hồ Chí Minh",
        "P Sài Gòn, Sài Gòn",
    ):
        assert normalise(written) == ward, written
    assert normalise("Ủy ban nhân dân phường Sài Gòn") == "uy ban nhan dan phuong sai gon"
    assert normalise("Sài Gòn") == normalise("TP.HCM") == "tphcm"
    assert normalise("Quận 1, Sài Gòn") == "quan 1 tphcm"
    home = "12 Lê Lợi, {}, Thành phố Hồ Chí Minh"
    assert address_similarity(
        normalise(home.format("P. Sài Gòn")), normalise(home.format("phường Bến Thành"))
    ) < address_similarity(
        normalise(home.format("P. Sài Gòn")), normalise(home.format("Phường Sài Gòn"))
    )


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("45 Nguyễn Trãi, phường Bến Thành", "8 Hai Bà Trưng, phường Tân Định"),
        ("45 Nguyễn Trãi, phường Bến Thành", "45 Nguyễn Trãi, phường Bàn Cờ"),
        ("7 Lê Lợi, X. Bình Hưng", "7 Lê Lợi, xã Tân Kiên"),
    ],
)
def test_the_city_every_address_ends_in_says_nothing_of_which_home(one: str, other: str) -> None:
    """From 1 July 2025 every address of the city ends in "Thành phố Hồ Chí Minh", written any
    way: two homes are as alike with it as without it, and two homes in different wards never
    look alike for sharing it."""
    bare = address_similarity(normalise(one), normalise(other))
    for city in ("Thành phố Hồ Chí Minh", "TP.HCM", "Sài Gòn"):
        assert address_similarity(
            normalise(f"{one}, {city}"), normalise(f"{other}, Thành phố Hồ Chí Minh")
        ) == pytest.approx(bare), city
    assert address_similarity("tphcm", "tphcm") == 0.0
    a = profile("A", LAND, parties=[person("Nguyễn Thị Lan", f"{one}, TP.HCM", None)])
    b = profile("B", LAND, parties=[person("Nguyễn Thị Lan", f"{other}, TP.HCM", None)])
    assert "match.address.same" not in {r.key for r in compare(b, a).reasons}


def test_a_title_before_a_name_is_no_part_of_it() -> None:
    """ "Bà Nguyễn Thị Lan" is Nguyễn Thị Lan; a two-word name keeps its first word."""
    assert normalise_name("Bà Nguyễn Thị Lan") == "nguyen thi lan"
    assert normalise_name("Ông Ba") == "ong ba"


VIETNAMESE = st.text(
    alphabet=st.sampled_from(
        [
            *"aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯQPTKĐ0123456789 .,;:/-()“”\"'",
            *("ễ", "ạ", "ờ", "ổ", "ụ", "ỹ", "Ậ", "\u0303", "\u0301", "３", "²", "\n", "İ"),
        ]
    ),
    max_size=80,
)
FRAGMENTS = st.lists(
    st.sampled_from(
        (
            *("Q.3", "P.7", "TP.HCM", "Đ. Lê Lợi", "KP 3", "TDP", "Q BT", "H.BC", "qđ", "số 12"),
            *("X Bình Hưng", "P. Sài Gòn", "Phường  Sài Gòn", "Sài Gòn", "p", "x"),
        )
    )
    | VIETNAMESE,
    max_size=6,
).map(" ".join)


@given(FRAGMENTS)
def test_normalising_twice_is_normalising_once(text: str) -> None:
    """Normalisation is idempotent, and so is folding."""
    assert normalise(normalise(text)) == normalise(text)
    assert fold(fold(text)) == fold(text)


# --- the identification number, as keyed hashes -----------------------------------------------


def test_one_typo_away_is_every_digit_changed_and_every_adjacent_pair_swapped() -> None:
    """12 digits have 108 single substitutions and at most 11 adjacent swaps; not the number."""
    near = one_typo_away("079185001234")
    assert "079185001235" in near  # a digit
    assert "079815001234" in near  # two adjacent swapped
    assert "079185001234" not in near
    assert len(near) == 108 + 10  # 11 adjacent pairs, but swapping "00" changes nothing
    assert "709185001243" not in near  # two typos


def test_a_party_keeps_the_number_only_as_keyed_hashes() -> None:
    """Nothing a Party holds is the number in clear, nor its digits."""
    p = person(*LAN, LAN_ID)
    assert LAN_ID not in repr(p)
    assert p.exact == id_hash(LAN_ID)
    assert len(p.near) == len(one_typo_away(LAN_ID))
    assert all(isinstance(h, bytes) and len(h) == 32 for h in p.near)


@pytest.mark.parametrize(
    ("later", "case"),
    [
        ("079185001234", "exact"),
        ("079185001239", "one_typo"),  # one digit
        ("079185002134", "one_typo"),  # two adjacent swapped
        ("079185002143", None),  # two typos
    ],
)
def test_the_id_number_matches_exactly_or_one_typo_away(later: str, case: str | None) -> None:
    """The same number, or one mistyped digit or swapped pair, is a reason; two typos are not."""
    a = profile("A", LAND, parties=[person(*LAN, LAN_ID)])
    b = profile("B", LAND, parties=[person(*LAN, later)])
    keys = {r.key for r in compare(b, a).reasons}
    for the_case in ("exact", "one_typo"):
        assert (f"match.id.{the_case}" in keys) == (case == the_case)


def test_a_number_one_typo_away_counts_less_than_the_same_number() -> None:
    """A real other person is often one typo away: such a number scores ``id_one_typo``."""
    a = profile("A", LAND, parties=[person(*LAN, LAN_ID)])
    b = profile("B", LAND, parties=[person(*LAN, "079185001239")])
    assert compare(b, a).signals["id"] == DEFAULT.id_one_typo < 1.0


# --- names and addresses -----------------------------------------------------------------------


def test_a_name_and_an_address_written_without_accents_and_shortened_are_the_same() -> None:
    """Accents dropped, the place shortened: the same name, the same address."""
    a = profile("A", LAND, parties=[person(*LAN, None)])
    b = profile(
        "B", LAND, parties=[person("Nguyen Thi Lan", "12 Le Van Sy, P.7, Q.3, TPHCM", None)]
    )
    keys = {r.key for r in compare(b, a).reasons}
    assert {"match.name.same", "match.address.same"} <= keys


def test_a_relatives_name_is_not_the_petitioners() -> None:
    """A son's name shares the family name but is not similar enough to be the same person."""
    a = profile("A", LAND, parties=[person(*LAN, None)])
    b = profile("B", LAND, parties=[person("Nguyễn Văn Hùng", LAN[1], None)])
    assert compare(b, a).signals["name"] < DEFAULT.reason_floor


# --- the subject -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "wording",
    [
        "thửa đất số 45, tờ bản đồ số 12",
        "thửa 45 tờ 12",
        "Thửa số 45 thuộc tờ bản đồ 12",
        "tờ bản đồ số 12, thửa đất số 45",
        "TBĐ 12 thửa 45",
        "thua dat so 45, to ban do so 12",
        "thửa đất số 045 (tờ bản đồ số 12)",
    ],
)
def test_the_same_parcel_in_any_wording_is_one_parcel(wording: str) -> None:
    """A parcel is (map sheet, parcel) however the petition words it."""
    assert subject_of(f"Khiếu nại việc thu hồi {wording}, Phường 7.").parcels == {(12, 45)}


def test_the_same_parcel_in_two_wordings_is_a_reason() -> None:
    """Two filings naming parcel 45 of sheet 12 differently match on the parcel."""
    a = profile("A", "Tranh chấp ranh giới thửa đất số 45, tờ bản đồ số 12 với hộ bên cạnh.")
    b = profile("B", "Hàng xóm lấn chiếm ranh giới tại TBĐ 12 thửa 45, đề nghị giải quyết.")
    reasons = [r for r in compare(b, a).reasons if r.key == "match.subject.parcel"]
    assert [dict(r.values) for r in reasons] == [{"parcel": "45", "sheet": "12"}]


@pytest.mark.parametrize(
    ("wording", "found"),
    [
        ("Quyết định số 1234/QĐ-UBND ngày 12/3/2024", Document(1234, "qd-ubnd", 2024)),
        ("QĐ 1234/QĐ-UBND ngày 12-03-2024", Document(1234, "qd-ubnd", 2024)),
        ("quyết định 1234 / QĐ - UBND", Document(1234, "qd-ubnd", None)),
        ("Quyết định số 1234 ngày 12 tháng 3 năm 2024", Document(1234, "", 2024)),
        ("Quyet dinh so 1234/QD-UBND", Document(1234, "qd-ubnd", None)),
        ("Thông báo thu hồi đất số 55/TB-UBND", Document(55, "tb-ubnd", None)),
        ("Quyết định số 12/2023/QĐ-UBND", Document(12, "qd-ubnd", 2023)),
    ],
)
def test_a_decision_is_found_in_any_wording(wording: str, found: Document) -> None:
    """A document's number, symbol and year, however the petition writes them."""
    assert subject_of(f"Tôi khiếu nại {wording} của Chủ tịch.").documents == {found}


def test_the_same_decision_in_two_wordings_is_a_reason() -> None:
    """With its symbol in both it is the same document; with one symbol missing, its number."""
    a = profile("A", "Khiếu nại Quyết định số 1234/QĐ-UBND ngày 12/3/2024 về bồi thường.")
    b = profile("B", "Đề nghị xem xét lại QĐ 1234/QĐ-UBND ngày 12-03-2024 của Ủy ban.")
    c = profile("C", "Không đồng ý với quyết định số 1234 ngày 12 tháng 3 năm 2024.")
    said = {r.key: dict(r.values) for r in compare(b, a).reasons}
    assert said["match.subject.document"] == {"document": "1234/QD-UBND"}
    assert "match.subject.document_number" in {r.key for r in compare(c, a).reasons}


def test_a_decision_of_another_year_is_another_decision() -> None:
    """Decisions are numbered from 1 each year: 1234 of 2023 is not 1234 of 2024."""
    assert not Document(1234, "qd-ubnd", 2023).same(Document(1234, "qd-ubnd", 2024))
    assert Document(1234, "qd-ubnd", None).same(Document(1234, "qd-ubnd", 2024))
    assert not Document(1234, "qd-ubnd").same(Document(1234, "tb-ubnd"))


def test_a_petitioners_own_home_is_not_what_the_petition_is_about() -> None:
    """The site a petition names counts; the petitioner's house, named as an address, does not."""
    text = "Tôi ở số 12 Lê Văn Sỹ, P.7. Phản ánh công trình tại số 45 Trần Quốc Thảo, P.7, Q.3."
    assert subject_of(text, homes=["12 Le Van Sy, Phuong 7"]).sites == {"45 tran quoc thao"}
    assert site_of("số 12/3 đường Lê Văn Sỹ, P.7") == "12/3 le van sy"


def test_a_petition_quoting_a_neighbours_is_about_its_own_grievance() -> None:
    """Keys inside quotation marks count only when the petition names none outside them."""
    own = "Tôi nhắc lại đơn trước: “Khiếu nại thửa 45 tờ 12.” Nay đề nghị giải quyết dứt điểm."
    other = "Hàng xóm đã phản ánh: “Khiếu nại thửa 45 tờ 12.” Nay tôi phản ánh thửa 46 tờ 12."
    assert subject_of(own).parcels == {(12, 45)}
    assert subject_of(other).parcels == {(12, 46)}


# --- the combination, on the hard cases of issue 26 --------------------------------------------


def test_two_different_matters_of_one_person_are_not_linked_by_the_id_alone() -> None:
    """The same number, name and home, but another subject and content: below the threshold."""
    land = profile("A", LAND, parties=[person(*LAN, LAN_ID)])
    allowance = profile("B", ALLOWANCE, parties=[person(*LAN, LAN_ID)])
    v = vocabulary(land, allowance)
    c = compare(allowance, land, DEFAULT, v)
    assert c.signals["id"] == c.signals["name"] == 1.0
    assert c.score < DEFAULT.threshold
    assert rank(allowance, [land], DEFAULT, v) == []


def test_two_matters_of_one_family_at_one_home_are_not_linked() -> None:
    """A mother's land complaint and her son's allowance request share the home, not a matter."""
    land = profile("A", LAND, parties=[person(*LAN, LAN_ID)])
    son = profile("B", ALLOWANCE, parties=[person("Nguyễn Văn Hùng", LAN[1], "079095004321")])
    assert rank(son, [land], DEFAULT, vocabulary(land, son)) == []


def test_relatives_filing_one_matter_under_other_ids_are_found_by_subject_and_content() -> None:
    """The son files his mother's complaint in his own words: found, first."""
    mother = profile("A", LAND, parties=[person(*LAN, LAN_ID)])
    son = profile(
        "B",
        "Tôi là con của bà Nguyễn Thị Lan, thay mặt gia đình gửi đơn. Gia đình tôi không đồng ý "
        "với QĐ 1234/QĐ-UBND ngày 12-03-2024 của UBND Q.3 buộc tháo dỡ phần nhà trên thửa 45 tờ "
        "12, P.7, vì nhà đã xây từ năm 1990, sử dụng ổn định, không tranh chấp.",
        parties=[person("Nguyễn Văn Hùng", LAN[1], "079095004321")],
    )
    v = vocabulary(mother, son)
    found = rank(son, [mother, *(profile(f"o{n}", t) for n, t in enumerate(OTHERS))], DEFAULT, v)
    assert [c.receipt for c in found] == ["A"]
    assert found[0].signals["id"] == 0.0
    assert found[0].signals["content"] > 0.0
    assert {"match.subject.document", "match.address.same"} <= {r.key for r in found[0].reasons}


def test_a_long_petition_quoting_the_earlier_one_is_found() -> None:
    """A later filing that quotes the earlier in full, then adds its own lines, is the matter."""
    first = profile("A", LAND, parties=[person(*LAN, LAN_ID)])
    again = profile(
        "B",
        f"Ngày 20/3/2024 tôi đã gửi đơn với nội dung như sau: “{LAND}” Đến nay đã quá thời hạn "
        "giải quyết theo quy định nhưng tôi chưa nhận được văn bản trả lời. Tôi tiếp tục gửi đơn "
        "này, kính đề nghị quý cơ quan xem xét, chỉ đạo giải quyết dứt điểm.",
        parties=[person(*LAN, None)],
    )
    v = vocabulary(first, again)
    assert [c.receipt for c in rank(again, [first], DEFAULT, v)] == ["A"]


def test_one_neighbourhood_complaining_of_different_things_is_not_linked() -> None:
    """The same street and ward, a karaoke's noise and a building over its permit: apart."""
    noise = profile(
        "A",
        "Phản ánh quán karaoke tại số 30 Lê Văn Sỹ, Phường 7, Quận 3 mở loa công suất lớn đến 1 "
        "giờ đêm, ảnh hưởng giấc ngủ của người già và trẻ nhỏ trong khu phố.",
        parties=[person("Trần Văn Bình", "số 28 đường Lê Văn Sỹ, Phường 7, Quận 3", None)],
    )
    building = profile(
        "B",
        "Phản ánh công trình tại số 36 Lê Văn Sỹ, P.7, Q.3 xây vượt phép lên 6 tầng, đổ vật liệu "
        "ra lòng đường, thi công ban đêm gây ồn ào trong khu phố.",
        parties=[person("Lê Thị Mai", "32 Lê Văn Sỹ, P.7, Q.3", None)],
    )
    v = vocabulary(noise, building)
    c = compare(building, noise, DEFAULT, v)
    assert "match.subject.differs" in {r.key for r in c.reasons}
    assert c.score < DEFAULT.threshold


def test_candidates_come_best_first_and_at_most_the_limit() -> None:
    """Ranked by score, the best first, no more than asked."""
    first = profile("A", LAND, parties=[person(*LAN, LAN_ID)])
    second = profile("B", LAND, parties=[person("Nguyễn Văn Hùng", LAN[1], "079095004321")])
    query = profile("Q", LAND, parties=[person(*LAN, LAN_ID)])
    v = vocabulary(first, second, query)
    found = rank(query, [second, first], DEFAULT, v)
    assert [c.receipt for c in found] == ["A", "B"]
    assert found[0].score >= found[1].score
    assert [c.receipt for c in rank(query, [second, first], DEFAULT, v, limit=1)] == ["A"]


# --- the configuration -------------------------------------------------------------------------


def test_a_configuration_letting_the_person_alone_reach_the_threshold_is_refused() -> None:
    """The rule of the issue is in the weights: ID, name and address weigh less than the bar."""
    weights = {"id": 0.3, "name": 0.15, "address": 0.1, "content": 0.25, "subject": 0.2}
    with pytest.raises(ValueError, match="one family's two matters"):
        replace(DEFAULT, weights=MappingProxyType(weights))
    with pytest.raises(ValueError, match="sum to"):
        replace(DEFAULT, weights=MappingProxyType({**DEFAULT.weights, "content": 0.9}))


@given(st.floats(0, 1), st.floats(0, 1))
def test_a_ramp_is_a_score_that_never_falls(a: float, b: float) -> None:
    """A ramp maps [0, 1] into [0, 1] and keeps the order."""
    ramp = Ramp(0.3, 0.9)
    lo, hi = sorted((a, b))
    assert 0.0 <= ramp(lo) <= ramp(hi) <= 1.0


# --- the reasons, in both languages ------------------------------------------------------------


def test_every_reason_is_said_in_both_languages_with_its_values() -> None:
    """Each reason key has Vietnamese and English words naming exactly the values it carries."""
    for key, values in REASONS.items():
        vi, en = MESSAGES[key]
        for text in (vi, en):
            assert set(re.findall(r"{(\w+)}", text)) == set(values), key


def test_every_reason_given_is_one_the_pages_know() -> None:
    """The reasons the hard cases give are all in ``REASONS``, with the values it says."""
    mother = profile("A", LAND, parties=[person(*LAN, LAN_ID)])
    filings = [
        profile("B", LAND, "QĐ 1234/QĐ-UBND", parties=[person(*LAN, "079185001239")]),
        profile("C", ALLOWANCE, parties=[person("Nguyen Thi Lann", LAN[1], LAN_ID)]),
        profile("D", "Quyết định số 1234 về thửa 45 tờ 12 tại số 9 Lê Lợi, Q.1"),
    ]
    for f in filings:
        for r in compare(f, mother).reasons + compare(mother, f).reasons:
            assert r.key in REASONS
            assert {k for k, _ in r.values} == set(REASONS[r.key])


# --- properties --------------------------------------------------------------------------------

Drawn = tuple[str, str, str, str, str | None]
PETITION = st.builds(
    lambda content, subject, name, address, number: (content, subject, name, address, number),
    FRAGMENTS,
    st.sampled_from(("", "Quyết định số 1234/QĐ-UBND", "thửa 45 tờ 12", "số 9 Lê Lợi, Q.1")),
    st.sampled_from(("Nguyễn Thị Lan", "Nguyen Thi Lan", "Trần Văn Bình", "Bà Lê Thị Mai")),
    st.sampled_from(("12 Lê Văn Sỹ, P.7, Q.3", "số 12 đường Lê Văn Sỹ, Phường 7, Quận 3", "")),
    st.sampled_from((None, LAN_ID, "079185001239", "079095004321")),
)


def made(receipt: str, p: Drawn) -> Filing:
    content, subject, name, address, number = p
    return profile(receipt, content, subject, [person(name, address, number)])


@given(PETITION, PETITION)
def test_the_score_is_symmetric(a: Drawn, b: Drawn) -> None:
    """Comparing a with b scores what comparing b with a does."""
    fa, fb = made("A", a), made("B", b)
    v = vocabulary(fa, fb)
    assert math.isclose(compare(fa, fb, DEFAULT, v).score, compare(fb, fa, DEFAULT, v).score)
    assert math.isclose(content_similarity(fa, fb, v), content_similarity(fb, fa, v))


@given(PETITION, st.lists(PETITION, max_size=4))
def test_a_petition_is_its_own_best_match(p: Drawn, others: list[Drawn]) -> None:
    """No other filing scores higher against a petition than the petition itself."""
    f = made("SELF", p)
    rest = [made(f"O{n}", o) for n, o in enumerate(others)]
    v = vocabulary(f, *rest)
    own = compare(f, f, DEFAULT, v).score
    assert all(compare(f, o, DEFAULT, v).score <= own + 1e-9 for o in rest)


def test_the_trigrams_are_pg_trgms() -> None:
    """Each word padded with two spaces before and one after, every three characters in a row
    (PostgreSQL's own figures are checked in tests/integration/test_petition_trigrams.py)."""
    assert trigrams("cat") == {"  c", " ca", "cat", "at "}
    assert trigrams("a b") == {"  a", " a ", "  b", " b "}
    assert trigram_similarity(trigrams("quan 3"), trigrams("quan 3")) == 1.0
    assert trigram_similarity(frozenset(), trigrams("quan")) == 0.0

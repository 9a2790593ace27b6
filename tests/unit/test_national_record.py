"""The national record's pure parts: what is taken out of a denunciation's texts, the kind of
body a transfer went to, and which lines another system's file may hold."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.petitions.national import (
    SCHEMA,
    TAKEN_OUT,
    VERSION,
    RecordError,
    TargetCategory,
    inbound_cases,
    read_record,
    secrets_of,
    taken_out,
    target_category,
)
from domain.shared.ordering import folded
from domain.shared.personal import Person

NAME = "Lê Thị Hồng Nhung"
ADDRESS = "88 Trần Quốc Thảo, Phường 7, Quận 3"


@pytest.mark.parametrize(
    "text",
    [
        "Tôi là Lê Thị Hồng Nhung, tố cáo cán bộ địa chính.",
        "Toi la Le Thi Hong Nhung, to cao can bo dia chinh.",
        "Người tố cáo: LÊ THỊ HỒNG NHUNG.",
        "Bà le thi  hong nhung ở 88 Tran Quoc Thao, phuong 7, quan 3.",
    ],
)
def test_a_denouncers_name_and_address_are_taken_out_whatever_their_accents_and_case(
    text: str,
) -> None:
    """The name with accents or without, in capitals or not, leaves the text."""
    out = taken_out(text, [NAME, ADDRESS])
    assert "hong nhung" not in folded(out)
    assert TAKEN_OUT in out


@pytest.mark.parametrize(
    "written", ["0977123123", "0977 123 123", "0977.123.123", "+84 977 123 123", "84977123123"]
)
def test_a_phone_is_taken_out_however_its_digits_are_grouped(written: str) -> None:
    out = taken_out(f"Điện thoại: {written}.", ["0977123123"])
    assert out == f"Điện thoại: {TAKEN_OUT}."


def test_a_number_inside_a_longer_one_and_the_other_words_stay() -> None:
    """Only the denouncer's particulars go: not a longer number that holds hers, not a longer
    name that begins with hers, not the rest."""
    text = "Số 09771231234, thửa đất số 12, tờ bản đồ số 4; ông Lê Văn Hải, bà Nhungg."
    assert taken_out(text, ["0977123123", "Nhung", "Lê Văn Hà"]) == text


def test_the_house_and_street_go_however_the_rest_of_the_address_is_written() -> None:
    """The address given as "88 Trần Quốc Thảo, Phường 7, Quận 3", written "P.7, Q.3"."""
    person = Person(full_name="Lê Thị Hồng Nhung", address=ADDRESS)
    out = taken_out("Nhà số 88 Tran Quoc Thao, P.7, Q.3 bị nứt.", secrets_of([person]))
    assert out == f"Nhà số {TAKEN_OUT}, P.7, Q.3 bị nứt."


@given(
    before=st.text(max_size=40),
    after=st.text(max_size=40),
    secret=st.sampled_from([NAME, ADDRESS, "Nguyễn Văn Đức", "079187005566"]),
    shout=st.booleans(),
    plain=st.booleans(),
)
def test_whatever_surrounds_it_a_secret_written_in_a_text_is_not_there_after(
    before: str, after: str, secret: str, shout: bool, plain: bool
) -> None:
    """For any text around it, the secret (in capitals, without accents) is gone and the text
    around it is kept where the secret did not reach into it."""
    written = folded(secret) if plain else secret
    written = written.upper() if shout else written
    out = taken_out(before + " " + written + " " + after, [secret])
    assert folded(secret) not in folded(out).replace(TAKEN_OUT, " ")


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("Ủy ban nhân dân tỉnh Bình Dương", TargetCategory.ADMINISTRATIVE),
        ("Sở Tài nguyên và Môi trường tỉnh Long An", TargetCategory.ADMINISTRATIVE),
        ("Tòa án nhân dân Quận 3", TargetCategory.JUSTICE),
        ("Công an Thành phố Hồ Chí Minh", TargetCategory.JUSTICE),
        ("Cục Thi hành án dân sự Thành phố", TargetCategory.JUSTICE),
        ("Hội đồng nhân dân Thành phố", TargetCategory.ELECTED),
        ("Kiểm toán nhà nước khu vực IV", TargetCategory.STATE_AUDIT),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố", TargetCategory.ORGANISATION),
        ("Tổng công ty Điện lực Thành phố", TargetCategory.PUBLIC_SERVICE),
        ("Ông Tư hàng xóm", TargetCategory.OTHER),
    ],
)
def test_a_body_a_petition_is_transferred_to_is_of_one_of_the_decrees_kinds(
    name: str, category: TargetCategory
) -> None:
    """Điều 6 khoản 2 of Nghị định 55/2022 names the kinds of body; the name says which."""
    assert target_category(name) is category


def test_a_line_of_another_schema_or_a_later_version_is_refused() -> None:
    """A file this system cannot read is said so, not half read."""
    assert read_record(b"   ", orjson.loads) is None
    for line, why in (
        (b"not json", "not JSON"),
        (b'{"schema": "other"}', "not a record"),
        (orjson.dumps({"schema": SCHEMA, "version": VERSION + 1, "type": "step"}), "version"),
        (orjson.dumps({"schema": SCHEMA, "version": VERSION, "type": "other"}), "type"),
    ):
        with pytest.raises(RecordError, match=why):
            read_record(line, orjson.loads)


def test_a_case_whose_first_record_is_not_in_the_file_is_named_not_guessed() -> None:
    """A file that starts after a case entered the record cannot make that case here."""
    later = {"type": "step", "source": "x/log", "case_id": "2026-AAAA0000", "step": "resolved"}
    cases, problems = inbound_cases([later])
    assert cases == []
    assert problems == ["x/log 2026-AAAA0000: the file holds no first record of the case"]

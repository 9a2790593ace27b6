"""The documents' form and its typesetting (docs/documents.md): every part of a document comes
back from its PDF in the form's order, Vietnamese intact, on A4 with its fonts embedded; the
same content gives the same bytes; a directive's kind is read from its symbol and a signer signs
as their title says; and any Vietnamese text, of any length, in any number of paragraphs, comes
back whole."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.pdf import PdfDocuments
from bench.pdf_libraries import sample_directive, squeezed
from domain.documents.forms import Position, kind_of, seat_of
from domain.documents.layout import (
    DocumentContent,
    Facts,
    Paragraph,
    QrCode,
    Signature,
    Style,
    Table,
    leading_zero,
)
from tests.hypothesis_profiles import examples
from tests.pdf_reading import A4_POINTS, in_order, nfc, read, without_page_numbers

RENDERER = PdfDocuments()


def test_every_part_of_a_directive_reads_back_in_the_forms_order() -> None:
    """Issuing body, number, abstract, national title, motto, place and date, addressees,
    content, recipients, the signer's authority, position and name, the QR code's caption."""
    content = sample_directive()
    read_back = read(RENDERER.render(content).pdf)
    assert in_order(read_back.text, content.texts()) == []
    assert nfc(read_back.text)
    assert "Nguyễn Hoàng Long" in read_back.text  # a letter with two marks, as typed


def test_a_document_is_a4_with_every_font_embedded() -> None:
    """pdfinfo says A4, pdffonts says each face is embedded (a subset), and none but the form's."""
    read_back = read(RENDERER.render(sample_directive()).pdf)
    assert read_back.page_size == A4_POINTS
    assert read_back.embedded
    assert {name.split("+", 1)[1] for name, _ in read_back.fonts} <= {
        "LiberationSerif",
        "LiberationSerif-Bold",
        "LiberationSerif-Italic",
        "LiberationSerif-BoldItalic",
    }


def test_the_same_content_gives_the_same_bytes() -> None:
    """Rendered twice (and by two renderers), a document is byte for byte the same file: its date
    is the document's and its identifier comes from its content."""
    content = sample_directive()
    assert RENDERER.render(content).pdf == PdfDocuments().render(content).pdf
    other = replace(content, abstract=content.abstract + ".")
    assert RENDERER.render(other).pdf != RENDERER.render(content).pdf


def test_the_signatures_place_is_between_the_signers_position_and_name_on_the_last_page() -> None:
    """The box returned is on the page's right half, inside the margins, as tall as the space
    left for the signature and the seal."""
    rendered = RENDERER.render(sample_directive())
    box = rendered.signature_box
    assert box.page == rendered.pages - 1
    assert box.x > 595.28 / 2 - 60
    assert box.x + box.width <= 595.28 - 42
    assert box.y > 56
    assert box.y + box.height < 841.89 - 56
    assert box.height > 80
    assert rendered.qr_box is not None
    assert rendered.qr_box.x < box.x


def test_a_qr_code_is_drawn_only_when_given_an_address() -> None:
    """Without a URL there is no QR code and no caption; with one, its caption reads back."""
    without = RENDERER.render(replace(sample_directive(), qr=None))
    assert without.qr_box is None
    with_qr = replace(
        sample_directive(), qr=QrCode("https://x.test/a", "Tra cứu: https://x.test/a")
    )
    rendered = RENDERER.render(with_qr)
    assert rendered.qr_box is not None
    assert "Tra cứu: https://x.test/a" in read(rendered.pdf).text


def test_text_that_looks_like_markup_is_set_as_written() -> None:
    """A title or content holding <, > or & is printed as typed, never read as markup."""
    content = replace(
        sample_directive(),
        body=(Paragraph("Giá <b>không</b> đổi & <font name='x'>giữ</font> mức 5% < 10%"),),
    )
    text = read(RENDERER.render(content).pdf).text
    assert squeezed("Giá <b>không</b> đổi & <font name='x'>giữ</font> mức 5% < 10%") in squeezed(
        text
    )


def test_a_long_content_runs_onto_numbered_pages_and_keeps_the_signer_with_its_name() -> None:
    """Pages after the first carry their number in the top margin; the signer's block is not
    split from its name."""
    paragraphs = tuple(
        Paragraph(f"{i}. Nội dung chỉ đạo thứ {i} " + "rà soát " * 60) for i in range(12)
    )
    content = replace(sample_directive(), body=paragraphs)
    rendered = RENDERER.render(content)
    read_back = read(rendered.pdf)
    assert read_back.pages >= 3
    assert in_order(read_back.text, content.texts()) == []
    pages = read_back.text.split("\f")
    assert [p.split("\n", 1)[0] for p in pages[1 : read_back.pages]] == [
        str(n) for n in range(2, read_back.pages + 1)
    ]
    assert rendered.signature_box.page == read_back.pages - 1


def test_facts_and_tables_read_back_cell_by_cell() -> None:
    """A receipt's particulars and a report's table are typeset with every cell."""
    content = replace(
        sample_directive(),
        body=(
            Facts((("Mã biên nhận", "2026-K7M3Q9XD"), ("Người gửi đơn", "Trần Thị Ánh Tuyết"))),
            Paragraph("I. Số liệu", Style.HEADING),
            Table(
                header=("STT", "Đơn vị", "Đúng hạn"),
                rows=(("1", "Sở Xây dựng", "12"), ("2", "Ủy ban nhân dân Quận 1", "7")),
                widths=(0.1, 0.6, 0.3),
                numeric=(True, False, True),
                total=("", "Toàn Thành phố", "19"),
            ),
        ),
    )
    assert in_order(read(RENDERER.render(content).pdf).text, content.texts()) == []


def test_a_second_signer_stands_on_the_left_with_what_to_sign() -> None:
    """A receipt is signed by the petitioner on the left and the officer on the right."""
    hint = "(Ký, ghi rõ họ tên)"
    content = replace(
        sample_directive(),
        recipients_label="",
        recipients=(),
        counter_signature=Signature("NGƯỜI GỬI ĐƠN", hint=hint),
        signature=Signature("NGƯỜI TIẾP NHẬN", hint=hint),
    )
    text = read(RENDERER.render(content).pdf).text
    assert in_order(text, ["NGƯỜI GỬI ĐƠN", hint, "NGƯỜI TIẾP NHẬN", hint]) == []


def test_a_directives_kind_is_read_from_its_symbol() -> None:
    """Phụ lục III's abbreviations after the number (and year); any other symbol is a letter."""
    assert kind_of("15/2024/QĐ-UBND") == "QĐ"
    assert kind_of("2/CT-UBND") == "CT"
    assert kind_of("123/KH-UBND") == "KH"
    assert kind_of("9/QYĐ-UBND") == "QYĐ"
    assert kind_of("1234/UBND-VX") is None
    assert kind_of("456/TB-VP") == "TB"


def test_a_signer_signs_for_the_body_or_its_head_as_their_title_says() -> None:
    """TM. for a People's Committee's chairman and vice-chairmen, KT. for a deputy, the title as
    it is where the form has no rule."""
    vice = seat_of("Phó Chủ tịch UBND Thành phố")
    assert (vice.position, vice.collective, vice.for_head) == (
        Position.VICE_CHAIRMAN,
        True,
        Position.CHAIRMAN,
    )
    chairman = seat_of("Chủ tịch UBND Quận 1")
    assert (chairman.position, chairman.collective, chairman.for_head) == (
        Position.CHAIRMAN,
        True,
        None,
    )
    deputy = seat_of("Phó Giám đốc Sở Xây dựng")
    assert (deputy.position, deputy.collective, deputy.for_head) == (
        Position.DEPUTY_DIRECTOR,
        False,
        Position.DIRECTOR,
    )
    assert seat_of("  Chánh   Thanh tra Thành phố").position is Position.CHIEF_INSPECTOR
    other = seat_of("Chuyên viên Văn phòng")
    assert (other.position, other.title) == (None, "Chuyên viên Văn phòng")


def test_the_day_and_month_take_a_leading_zero_as_the_form_writes_them() -> None:
    """A day below 10 and the months 1 and 2 (Phụ lục I, II.4)."""
    assert [leading_zero(d, month=False) for d in (1, 9, 10, 31)] == ["01", "09", "10", "31"]
    assert [leading_zero(m, month=True) for m in (1, 2, 3, 12)] == ["01", "02", "3", "12"]


# --- any Vietnamese text -------------------------------------------------------------------------

_BASES = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
_VOWELS = [unicodedata.normalize("NFC", b + t) for b in _BASES for t in _TONES]
_LETTERS = sorted({*_VOWELS, *"bcdđghklmnpqrstvx"} | {v.upper() for v in (*_VOWELS, "đ")})
_MARKS = list(",.;:!?()-/%\"'&<>0123456789")
words = st.text(st.sampled_from([*_LETTERS, *_LETTERS, *_MARKS]), min_size=1, max_size=14)
lines_of_text = st.lists(words, min_size=1, max_size=40).map(" ".join)
vietnamese = st.lists(lines_of_text, min_size=1, max_size=14).map("\n".join)


@settings(max_examples=examples(12, thorough=200))
@given(text=vietnamese, decomposed=st.booleans())
def test_any_vietnamese_text_reads_back_without_loss(text: str, decomposed: bool) -> None:
    """Any text of Vietnamese letters (every vowel with every tone, đ, capitals), digits and
    punctuation, of any length and number of paragraphs, typed precomposed or decomposed, comes
    back from the PDF letter for letter in NFC (spaces and line breaks aside), in order."""
    typed = unicodedata.normalize("NFD", text) if decomposed else text
    paragraphs = tuple(Paragraph(line) for line in typed.split("\n"))
    content: DocumentContent = replace(sample_directive(), body=paragraphs, qr=None)
    got = without_page_numbers(read(RENDERER.render(content).pdf).text)
    assert nfc(got)
    assert squeezed(unicodedata.normalize("NFC", text)) in squeezed(got)

"""What a signature shows and where (Decree 30/2020, Appendix I): the signing time in ISO 8601
with the city's offset, and the agency's seal over the left third of the signer's signature."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.documents.signing import (
    Appearance,
    Box,
    Failure,
    SignatureCheck,
    appearance_lines,
    over_signature,
    signing_time_text,
)


def test_the_signing_time_is_shown_to_the_second_in_the_citys_offset() -> None:
    """03:15:30.5 UTC is 10:15:30 in Ho Chi Minh City, written with +07:00."""
    at = datetime(2026, 3, 5, 3, 15, 30, 500_000, tzinfo=UTC)
    assert signing_time_text(at) == "2026-03-05T10:15:30+07:00"


@given(
    at=st.datetimes(min_value=datetime(1976, 1, 1), max_value=datetime(2200, 1, 1)),
    minutes=st.integers(-14 * 60, 14 * 60),
)
def test_any_moment_is_shown_as_the_same_instant_in_the_citys_offset(
    at: datetime, minutes: int
) -> None:
    """Whatever offset the moment was given in, the text reads back as the same second, and
    its offset is the city's."""
    moment = at.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    text = signing_time_text(moment)
    assert text.endswith("+07:00")
    assert datetime.fromisoformat(text) == moment.replace(microsecond=0)


def test_a_moment_without_an_offset_is_refused() -> None:
    """A naive time could be any city's: it is refused rather than guessed."""
    with pytest.raises(ValueError, match="offset"):
        signing_time_text(datetime(2026, 3, 5, 10, 15, 30))


def test_the_agencys_signature_says_its_name_then_the_time() -> None:
    """Two lines: the agency, then the signing time."""
    appearance = Appearance(Box(0, 10, 10, 200, 60), "Ủy ban nhân dân Thành phố Hồ Chí Minh")
    at = datetime(2026, 3, 5, 3, 15, 30, tzinfo=UTC)
    assert appearance_lines(appearance, at) == (
        "Ủy ban nhân dân Thành phố Hồ Chí Minh",
        "2026-03-05T10:15:30+07:00",
    )


boxes = st.builds(
    lambda page, left, bottom, width, height: Box(
        page, left, bottom, left + width, bottom + height
    ),
    st.integers(0, 20),
    st.floats(0, 400),
    st.floats(0, 700),
    st.floats(30, 300),
    st.floats(10, 150),
)


@given(area=boxes, seal=st.floats(40, 130))
def test_the_seal_covers_the_left_third_of_the_signers_signature(area: Box, seal: float) -> None:
    """The seal's square ends a third of the way into the signature's area, is centred on it
    from top to bottom, and the text runs to the area's right edge, on the same page."""
    box = over_signature(area, seal)
    assert box.page == area.page
    assert box.right == area.right
    assert box.height == pytest.approx(seal) or box.bottom == 0
    if area.left + area.width / 3 >= seal:  # not pushed against the page's edge
        assert box.left + seal == pytest.approx(area.left + area.width / 3)
    assert (box.bottom + box.top) / 2 == pytest.approx((area.bottom + area.top) / 2) or (
        box.bottom == 0
    )


@pytest.mark.parametrize(
    "corners",
    [(-1, 0, 0, 10, 10), (0, 10, 0, 10, 10), (0, 0, 10, 10, 5), (0, -1, 0, 10, 10)],
)
def test_a_box_that_is_no_box_on_a_page_is_refused(
    corners: tuple[int, float, float, float, float],
) -> None:
    """A negative page, an empty or inverted rectangle, or one off the page is refused."""
    with pytest.raises(ValueError, match="not a box"):
        Box(*corners)


def test_a_check_is_valid_exactly_when_nothing_failed() -> None:
    """Validity is the absence of failures, and each failure has its plain code."""
    assert SignatureCheck(failures=()).valid
    check = SignatureCheck(failures=(Failure.ALTERED, Failure.PARTIAL))
    assert not check.valid
    assert check.codes == ("altered", "partial")
    assert {f.value for f in Failure} == {
        "not-signed",
        "unreadable",
        "altered",
        "untrusted",
        "partial",
    }

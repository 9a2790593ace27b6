"""The public look-up in the domain: who it lets in (a code and the last four digits of a
petitioner's identification number, or the receipt's PIN where there is no number), what it shows
(status, step, deadline, the published result) and that everything else is answered alike."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.application import Thucthi
from domain.petitions.commands import (
    Classify,
    PetitionerGiven,
    PublishResult,
    Resolve,
    Resume,
    Suspend,
    Transfer,
)
from domain.petitions.lookup import (
    PublicLookup,
    PublicStatus,
    lookup_pin,
    no_links,
    normalised_code,
)
from domain.petitions.petition import Competence, Field, Kind, Petition, Status, Verdict
from domain.shared.clock import SimulatedClock
from tests.petition_builders import (
    AGENCY,
    HANDLER,
    HEAD,
    MONDAY,
    NGUYEN,
    OTHER_AGENCY,
    RECEPTION,
    TRAN,
    accepted,
    desk_app,
    received,
)

KEY = bytes(range(32))
NO_NUMBER = PetitionerGiven(full_name="Lê Văn Cường", address="3 Hai Bà Trưng, phường Sài Gòn")


@pytest.fixture
def app() -> Thucthi:
    return desk_app(SimulatedClock(MONDAY))


def lookup_of(app: Thucthi, linked: object = no_links) -> PublicLookup:
    return PublicLookup(
        petitions=app.petitions,
        vault=app.vault,
        pin_key=lambda: KEY,
        calendar=app.working_calendar,
        linked=linked,  # type: ignore[arg-type]
    )


def test_the_right_code_and_the_last_four_digits_of_the_id_show_the_status(app: Thucthi) -> None:
    """Nguyễn Văn An's code and 1234 (the end of 079085001234) show a petition just received,
    at the agency, due in the shortest processing term (7 working days)."""
    receipt = received(app)
    found = lookup_of(app).find(receipt, "1234")
    assert found is not None
    assert found.receipt == receipt
    assert found.status is Status.RECEIVED
    assert found.agency == "SO-XD"
    assert found.deadline == date(2026, 3, 18)  # Monday 9 March + 7 working days
    assert found.result is None


def test_a_wrong_number_a_wrong_code_and_a_malformed_code_all_find_nothing(app: Thucthi) -> None:
    """Digits that end no petitioner's number, a code never given and a code of the wrong form
    are each answered with None, nothing more."""
    receipt = received(app)
    lookup = lookup_of(app)
    assert lookup.find(receipt, "4321") is None
    assert lookup.find("2026-ZZZZZZZZ", "1234") is None
    assert lookup.find("not a code", "1234") is None
    assert lookup.find("", "1234") is None


def test_any_petitioners_last_four_digits_open_a_petition_of_several(app: Thucthi) -> None:
    """A petition signed by Nguyễn (…1234) and Trần (…4321) opens with either's digits."""
    receipt = received(app, petitioners=(NGUYEN, TRAN))
    lookup = lookup_of(app)
    assert lookup.find(receipt, "1234") is not None
    assert lookup.find(receipt, "4321") is not None
    assert lookup.find(receipt, "0000") is None


def test_a_code_typed_in_lower_case_with_spaces_or_o_for_zero_still_finds_it(
    app: Thucthi,
) -> None:
    """The code is read as people copy it: lower case, spaces, full-width digits, O for 0."""
    receipt = received(app)  # 2026-TEST0001
    lookup = lookup_of(app)
    for typed in (
        "2026-test0001",
        " 2026 TEST 0001 ",
        "2026TEST0001",
        "２０２６-TEST000１",
        "2026-TESTOOO1",
    ):
        found = lookup.find(typed, "1234")
        assert found is not None, typed
        assert found.receipt == receipt


def test_codes_are_normalised_or_refused() -> None:
    """A code that cannot be one (wrong length, U, symbols) is None; I and L read as 1."""
    assert normalised_code("2026-k7m3q9xd") == "2026-K7M3Q9XD"
    assert normalised_code("2026-K7M3Q9XL") == "2026-K7M3Q9X1"
    assert normalised_code("2026-K7M3Q9XU") is None
    assert normalised_code("2026-K7M3Q9X") is None
    assert normalised_code("20A6-K7M3Q9XD") is None
    assert normalised_code("x" * 10_000) is None


def test_an_anonymous_petition_opens_with_the_pin_of_its_receipt_and_nothing_else(
    app: Thucthi,
) -> None:
    """An anonymous denunciation has no number: the PIN derived from its code opens it; the
    PIN of another code does not."""
    receipt = received(app, petitioners=(), anonymous=True)
    lookup = lookup_of(app)
    pin = lookup_pin(KEY, receipt)
    assert lookup.pin(app.petitions.get(receipt), ()) == pin
    assert lookup.find(receipt, pin) is not None
    other = lookup_pin(KEY, "2026-TEST9999")
    if other != pin:
        assert lookup.find(receipt, other) is None


def test_a_petitioner_without_a_number_gets_a_pin_and_one_with_a_number_does_not(
    app: Thucthi,
) -> None:
    """Lê Văn Cường gave no number: the PIN opens his petition. Nguyễn's petition has no PIN:
    its PIN is refused there."""
    without = received(app, petitioners=(NO_NUMBER,))
    with_number = received(app)
    lookup = lookup_of(app)
    people = app.vault.open_many(app.petitions.get(without).petitioners).values()
    assert lookup.pin(app.petitions.get(without), people) == lookup_pin(KEY, without)
    assert lookup.find(without, lookup_pin(KEY, without)) is not None
    nguyen = app.vault.open_many(app.petitions.get(with_number).petitioners).values()
    assert lookup.pin(app.petitions.get(with_number), nguyen) is None
    pin = lookup_pin(KEY, with_number)
    if pin != "1234":
        assert lookup.find(with_number, pin) is None


def test_the_pin_depends_on_the_key_and_the_code() -> None:
    """Another key or another code gives, over many codes, other PINs: it is not the code's."""
    codes = [f"2026-TEST{n:04d}" for n in range(200)]
    under_key = [lookup_pin(KEY, c) for c in codes]
    under_other = [lookup_pin(bytes(32), c) for c in codes]
    assert all(len(p) == 4 and p.isdigit() for p in under_key)
    assert sum(a != b for a, b in zip(under_key, under_other, strict=True)) > 150
    assert len(set(under_key)) > 150


def test_after_an_erasure_the_look_up_answers_as_a_wrong_guess(app: Thucthi) -> None:
    """Once Nguyễn is erased his digits open nothing; Trần's still open their petition."""
    receipt = received(app, petitioners=(NGUYEN, TRAN))
    petition = app.petitions.get(receipt)
    app.vault.erase(petition.petitioners[0].person_id)
    lookup = lookup_of(app)
    assert lookup.find(receipt, "1234") is None
    assert lookup.find(receipt, "4321") is not None
    app.vault.erase(petition.petitioners[1].person_id)
    assert lookup.find(receipt, "4321") is None


def test_after_the_erasure_of_a_petitioner_without_a_number_the_pin_opens_nothing(
    app: Thucthi,
) -> None:
    """The PIN opens a named petition only while a petitioner without a number is still there."""
    receipt = received(app, petitioners=(NO_NUMBER,))
    app.vault.erase(app.petitions.get(receipt).petitioners[0].person_id)
    assert lookup_of(app).find(receipt, lookup_pin(KEY, receipt)) is None


def resolve_and_publish(app: Thucthi, receipt: str, *, publish: bool) -> None:
    app.petitions.execute(
        Resolve(
            verdict=Verdict.PARTLY_RIGHT,
            summary="Khiếu nại đúng một phần; điều chỉnh đơn giá bồi thường.",
            decision_reference="45/QĐ-SXD",
        ),
        receipt,
        actor=HEAD,
        request_id="req-resolve",
    )
    if publish:
        app.petitions.execute(PublishResult(), receipt, actor=HEAD, request_id="req-publish")


def test_the_result_is_shown_once_published_and_not_before(app: Thucthi) -> None:
    """A resolved complaint shows no result until the head publishes it; then its verdict,
    summary and decision reference."""
    receipt = accepted(app)
    lookup = lookup_of(app)
    handling = lookup.find(receipt, "1234")
    assert handling is not None
    assert handling.status is Status.IN_HANDLING
    assert handling.deadline == date(2026, 4, 8)  # 30 days from Monday 9 March
    resolve_and_publish(app, receipt, publish=False)
    resolved = lookup.find(receipt, "1234")
    assert resolved is not None
    assert resolved.status is Status.RESOLVED
    assert resolved.result is None
    assert resolved.deadline is None
    app.petitions.execute(PublishResult(), receipt, actor=HEAD, request_id="req-publish")
    published = lookup.find(receipt, "1234")
    assert published is not None
    assert published.result is not None
    assert published.result.verdict is Verdict.PARTLY_RIGHT
    assert published.result.decision_reference == "45/QĐ-SXD"
    assert published.result.summary.startswith("Khiếu nại đúng một phần")


def test_a_petition_transferred_in_the_city_shows_the_agency_that_holds_it_now(
    app: Thucthi,
) -> None:
    """After a transfer to District 1 the look-up shows District 1 and its processing term."""
    receipt = received(app)
    app.petitions.execute(
        Classify(kind=Kind.COMPLAINT, field=Field.LAND, competence=Competence.CITY_AGENCY),
        receipt,
        actor=RECEPTION,
        request_id="req-classify",
    )
    app.petitions.execute(
        Transfer(to_agency=OTHER_AGENCY), receipt, actor=HEAD, request_id="req-transfer"
    )
    found = lookup_of(app).find(receipt, "1234")
    assert found is not None
    assert found.agency == OTHER_AGENCY
    assert found.status is Status.RECEIVED


def test_the_results_of_linked_petitions_are_shown_through_the_seam(app: Thucthi) -> None:
    """Whatever ``linked`` names (issue 26 links petitions of one matter), the look-up shows
    the published results among them, and only those, without naming the other filing: its
    petitioner is someone else, who did not give its receipt code."""
    first = accepted(app)
    resolve_and_publish(app, first, publish=True)
    second = accepted(app, petitioners=(TRAN,))
    unpublished = accepted(app, petitioners=(TRAN,))
    resolve_and_publish(app, unpublished, publish=False)

    def linked(petition: Petition) -> list[Petition]:
        if petition.receipt != second:
            return []
        return [app.petitions.get(first), app.petitions.get(unpublished)]

    found = lookup_of(app, linked).find(second, "4321")
    assert found is not None
    assert [(r.receipt, r.agency) for r in found.linked] == [(None, AGENCY)]
    assert found.result is None


def test_what_the_look_up_shows_names_no_one_and_holds_no_working_of_the_agency() -> None:
    """The public status has no field for a person, a handler, a note, a content or a kind."""
    names = {f.name for f in fields(PublicStatus)}
    assert names == {
        "receipt",
        "agency",
        "status",
        "deadline",
        "term",
        "result",
        "suspended",
        "linked",
        "answered",
    }


@given(digits=st.from_regex(r"^[0-9]{4}$", fullmatch=True))
def test_no_four_digits_but_the_petitioners_open_a_petition_with_numbers(digits: str) -> None:
    """For any four digits, the look-up finds Nguyễn and Trần's petition exactly when they end
    one of their numbers, and never finds a code that was not given."""
    app = desk_app(SimulatedClock(MONDAY))
    receipt = received(app, petitioners=(NGUYEN, TRAN))
    lookup = lookup_of(app)
    assert (lookup.find(receipt, digits) is not None) == (digits in {"1234", "4321"})
    assert lookup.find("2026-TEST0002", digits) is None


def test_a_code_is_counted_under_a_keyed_hash_of_its_kept_form(app: Thucthi) -> None:
    """The rate limits count a code under a name that is not the code, the same however the
    code was typed, and another for another code."""
    lookup = lookup_of(app)
    name = lookup.counted_as("2026-K7M3Q9XD")
    assert "K7M3Q9XD" not in name
    assert lookup.counted_as(" 2026 k7m3q9xd") == name
    assert lookup.counted_as("2026-K7M3Q9XE") != name


def test_accepting_assigns_a_handler_but_the_look_up_never_names_one(app: Thucthi) -> None:
    """An accepted petition's public status carries no handler, whatever its repr."""
    receipt = accepted(app)
    found = lookup_of(app).find(receipt, "1234")
    assert found is not None
    assert HANDLER.user_id not in repr(found)
    assert app.petitions.get(receipt).handler == HANDLER.user_id


def test_a_suspended_petition_says_so_and_shows_no_running_deadline(app: Thucthi) -> None:
    """While the head has suspended the handling, the look-up says it is suspended and gives no
    deadline (the term stands still); resumed, the deadline is back, later by the days waited."""
    receipt = accepted(app)
    lookup = lookup_of(app)
    before = lookup.find(receipt, "1234")
    assert before is not None
    assert before.deadline is not None
    assert not before.suspended
    app.petitions.execute(
        Suspend(reason="Chờ kết quả giám định."), receipt, actor=HEAD, request_id="req-suspend"
    )
    suspended = lookup.find(receipt, "1234")
    assert suspended is not None
    assert suspended.suspended
    assert suspended.deadline is None
    assert "Chờ kết quả giám định" not in repr(suspended)
    clock = app.clock
    assert isinstance(clock, SimulatedClock)
    clock.advance(timedelta(days=5))
    app.petitions.execute(Resume(), receipt, actor=HEAD, request_id="req-resume")
    resumed = lookup.find(receipt, "1234")
    assert resumed is not None
    assert not resumed.suspended
    assert resumed.deadline == before.deadline + timedelta(days=5)

"""The rules of a petition's life, one by one: each refusal is its own error and records nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from domain.application import Thucthi
from domain.petitions.commands import (
    Accept,
    Archive,
    Classify,
    Extend,
    Guide,
    HoldDialogue,
    NotAccept,
    PublishResult,
    RecordVerification,
    Resolve,
    Resume,
    Suspend,
    Transfer,
    WithdrawPetition,
)
from domain.petitions.desk import random_receipt
from domain.petitions.errors import (
    CompetenceError,
    DialogueError,
    ExtensionLimitError,
    FilingLimitError,
    GroundError,
    InvalidPetitionError,
    NotHandlerError,
    NotOurAgencyError,
    OutcomeError,
    PetitionClosedError,
    PetitionNotFoundError,
    TransferredOnceError,
    WrongStepError,
)
from domain.petitions.law import ArchiveGround, NotAcceptedGround
from domain.petitions.petition import (
    RECEIPT_CODE,
    Channel,
    Competence,
    Field,
    Kind,
    Relation,
    Status,
    Verdict,
)
from domain.shared.clock import SimulatedClock
from domain.shared.errors import DomainError, NotPermittedError
from domain.units.errors import UnknownUnitError
from tests.petition_builders import (
    AGENCY,
    COLLEAGUE,
    HANDLER,
    HEAD,
    INSPECTORATE,
    LEADER,
    MONDAY,
    NGUYEN,
    OFFICE,
    OTHER_AGENCY,
    OTHER_HEAD,
    OTHER_RECEPTION,
    RECEPTION,
    accepted,
    classified,
    desk_app,
    received,
)


@pytest.fixture
def app() -> Thucthi:
    return desk_app(SimulatedClock(MONDAY))


def refused(
    app: Thucthi, receipt: str, command: object, actor: object, error: type[DomainError]
) -> DomainError:
    """Run a command that must be refused with ``error``; the petition must not have moved."""
    before = app.petitions.get(receipt).version
    with pytest.raises(error) as raised:
        app.petitions.execute(command, receipt, actor=actor, request_id="req-refused")  # type: ignore[arg-type]
    assert app.petitions.get(receipt).version == before
    return raised.value


def test_a_petition_received_at_the_desk_is_recorded_with_its_receipt_code(app: Thucthi) -> None:
    """The reception records what it received; the petition waits for classification."""
    receipt = received(app)
    petition = app.petitions.get(receipt)
    assert petition.receipt == receipt
    assert petition.status is Status.RECEIVED
    assert petition.agency == AGENCY
    assert petition.received_on == MONDAY.date()
    assert petition.channel is Channel.IN_PERSON
    assert len(petition.petitioners) == 1
    assert petition.signers == 1


def test_only_a_reception_officer_registers_a_petition(app: Thucthi) -> None:
    """A head, an officer or a leader cannot register a petition."""
    for actor in (HEAD, HANDLER, LEADER, INSPECTORATE):
        with pytest.raises(NotPermittedError):
            received(app, actor=actor)


def test_a_reception_registers_only_for_its_own_agency(app: Thucthi) -> None:
    """The reception of District 1 cannot register a petition at the Department of Construction."""
    with pytest.raises(NotOurAgencyError):
        received(app, actor=OTHER_RECEPTION)


def test_a_petition_goes_only_to_an_agency_of_the_registry(app: Thucthi) -> None:
    """An unknown agency code is refused."""
    with pytest.raises(UnknownUnitError):
        received(app, agency="SO-KHONGCO", actor=RECEPTION)


@pytest.mark.parametrize(
    ("fields", "case"),
    [
        ({"received_on": MONDAY.date() + timedelta(days=1)}, "received_in_future"),
        ({"anonymous": True}, "anonymous_named"),
        ({"petitioners": ()}, "no_petitioner"),
        ({"signers": 0}, "signers"),
        ({"decision_known_on": MONDAY.date() + timedelta(days=1)}, "known_after_receipt"),
        ({"attachments": ("not-a-digest",)}, "attachment"),
        ({"previous_receipt": "2026-ZZZZZZZZ"}, "previous_unknown"),
    ],
)
def test_what_cannot_be_a_petition_is_refused_with_its_reason(
    app: Thucthi, fields: dict[str, Any], case: str
) -> None:
    """Each malformed receipt says why, and nothing is recorded."""
    before = app.max_notification_id()
    with pytest.raises(InvalidPetitionError) as raised:
        received(app, **fields)
    assert raised.value.case == case
    assert app.max_notification_id() == before


def test_an_anonymous_denunciation_names_no_one(app: Thucthi) -> None:
    """An anonymous petition is recorded without petitioners."""
    receipt = received(app, petitioners=(), anonymous=True)
    assert app.petitions.get(receipt).petitioners == ()
    assert app.petitions.get(receipt).anonymous


def test_a_petition_of_five_signers_is_one_of_many_signers(app: Thucthi) -> None:
    """Đơn đông người: five or more signers."""
    assert app.petitions.get(received(app, signers=5)).many_signers
    assert not app.petitions.get(received(app, signers=4)).many_signers


def test_a_decision_waits_for_a_classification(app: Thucthi) -> None:
    """The head cannot accept what the reception has not classified."""
    receipt = received(app)
    error = refused(app, receipt, Accept(handler=HANDLER.user_id), HEAD, WrongStepError)
    assert error.case == "not_classified"


def test_only_the_head_decides(app: Thucthi) -> None:
    """The reception proposes; the head of the agency decides."""
    receipt = classified(app)
    refused(app, receipt, Accept(handler=HANDLER.user_id), RECEPTION, NotPermittedError)
    refused(app, receipt, Accept(handler=HANDLER.user_id), HANDLER, NotPermittedError)


def test_another_agency_does_not_see_a_petition_it_never_held(app: Thucthi) -> None:
    """The head of District 1 cannot act on, or even find, the Department's petition."""
    receipt = classified(app)
    refused(app, receipt, Accept(handler="x"), OTHER_HEAD, PetitionNotFoundError)
    with pytest.raises(PetitionNotFoundError):
        app.petitions.get(receipt, actor=OTHER_HEAD)


def test_the_inspectorate_the_office_and_the_leadership_see_every_agency(app: Thucthi) -> None:
    """Overseers see every petition."""
    receipt = received(app)
    for actor in (INSPECTORATE, OFFICE, LEADER):
        assert app.petitions.get(receipt, actor=actor).receipt == receipt


def test_a_petition_classified_as_ours_is_accepted_not_guided(app: Thucthi) -> None:
    """What is ours to handle is not sent away."""
    receipt = classified(app)
    refused(app, receipt, Guide(body="Tòa án"), HEAD, CompetenceError)
    refused(app, receipt, Transfer(to_agency=OTHER_AGENCY), HEAD, CompetenceError)


def test_a_petition_not_ours_is_not_accepted_for_handling(app: Thucthi) -> None:
    """What another body must handle is guided or transferred, not accepted."""
    receipt = classified(app, competence=Competence.CITY_AGENCY)
    refused(app, receipt, Accept(handler=HANDLER.user_id), HEAD, CompetenceError)


def test_a_transfer_within_the_city_moves_the_case_with_its_history(app: Thucthi) -> None:
    """The receiving agency gets the petition to receive again; the first still sees it."""
    receipt = classified(app, competence=Competence.CITY_AGENCY)
    app.petitions.execute(Transfer(to_agency=OTHER_AGENCY), receipt, actor=HEAD, request_id="r")
    petition = app.petitions.get(receipt, actor=OTHER_RECEPTION)
    assert petition.agency == OTHER_AGENCY
    assert petition.received_by == AGENCY
    assert petition.status is Status.RECEIVED
    assert petition.channel is Channel.TRANSFERRED
    assert petition.kind is None
    assert app.petitions.get(receipt, actor=HEAD).agency == OTHER_AGENCY
    # The first agency no longer acts on it.
    refused(
        app,
        receipt,
        Classify(kind=Kind.COMPLAINT, field=Field.LAND, competence=Competence.OURS),
        RECEPTION,
        NotOurAgencyError,
    )


def test_the_same_content_is_transferred_only_once(app: Thucthi) -> None:
    """Thông tư 05/2021: a petition already transferred is not transferred again."""
    receipt = classified(app, competence=Competence.CITY_AGENCY)
    app.petitions.execute(Transfer(to_agency=OTHER_AGENCY), receipt, actor=HEAD, request_id="r")
    app.petitions.execute(
        Classify(kind=Kind.COMPLAINT, field=Field.LAND, competence=Competence.CITY_AGENCY),
        receipt,
        actor=OTHER_RECEPTION,
        request_id="r2",
    )
    refused(app, receipt, Transfer(to_agency="SO-TC"), OTHER_HEAD, TransferredOnceError)


def test_a_transfer_names_where_it_goes(app: Thucthi) -> None:
    """A transfer with no target, to its own agency, or out of the city for a city matter fails."""
    receipt = classified(app, competence=Competence.CITY_AGENCY)
    assert refused(app, receipt, Transfer(), HEAD, CompetenceError).case == "target_needed"
    assert (
        refused(app, receipt, Transfer(to_agency=AGENCY), HEAD, CompetenceError).case
        == "same_agency"
    )
    assert (
        refused(app, receipt, Transfer(body="Bộ Tài nguyên"), HEAD, CompetenceError).case
        == "outside_in_city"
    )


def test_a_transfer_to_an_unknown_agency_is_refused(app: Thucthi) -> None:
    """The target must be an active unit."""
    receipt = classified(app, competence=Competence.CITY_AGENCY)
    refused(app, receipt, Transfer(to_agency="SO-KHONGCO"), HEAD, UnknownUnitError)


def test_a_transfer_outside_the_city_closes_the_case_here(app: Thucthi) -> None:
    """Sent to a body outside the system, the petition is closed at this agency."""
    receipt = classified(app, competence=Competence.OUTSIDE_CITY)
    app.petitions.execute(
        Transfer(body="Bộ Tài nguyên và Môi trường"), receipt, actor=HEAD, request_id="r"
    )
    petition = app.petitions.get(receipt)
    assert petition.status is Status.TRANSFERRED
    assert petition.competent_body == "Bộ Tài nguyên và Môi trường"
    refused(app, receipt, WithdrawPetition(reason="x"), RECEPTION, PetitionClosedError)


def test_a_ground_of_the_complaints_law_does_not_refuse_a_denunciation(app: Thucthi) -> None:
    """Each kind of petition is refused on its own law's grounds; a proposal on none."""
    denunciation = classified(app, Kind.DENUNCIATION)
    refused(app, denunciation, NotAccept(ground=NotAcceptedGround.UNSIGNED), HEAD, GroundError)
    complaint = classified(app, Kind.COMPLAINT)
    refused(app, complaint, NotAccept(ground=NotAcceptedGround.NO_BASIS), HEAD, GroundError)
    proposal = classified(app, Kind.PROPOSAL)
    refused(app, proposal, NotAccept(ground=NotAcceptedGround.NO_BASIS), HEAD, GroundError)


def test_the_time_limit_is_a_ground_only_once_it_has_passed(app: Thucthi) -> None:
    """A complaint filed within 90 days of knowing the decision is not refused as late."""
    known = MONDAY.date() - timedelta(days=90)
    receipt = classified(app, decision_known_on=known)
    error = refused(app, receipt, NotAccept(ground=NotAcceptedGround.TIME_LIMIT), HEAD, GroundError)
    assert error.case == "within_limit"
    late = classified(app, decision_known_on=known - timedelta(days=1))
    app.petitions.execute(
        NotAccept(ground=NotAcceptedGround.TIME_LIMIT), late, actor=HEAD, request_id="r"
    )
    assert app.petitions.get(late).status is Status.NOT_ACCEPTED


def test_a_late_complaint_is_accepted_only_with_its_excuse(app: Thucthi) -> None:
    """Past 90 days, the head records the obstacle that excused the delay (Điều 9)."""
    receipt = classified(app, decision_known_on=MONDAY.date() - timedelta(days=91))
    refused(app, receipt, Accept(handler=HANDLER.user_id), HEAD, FilingLimitError)
    app.petitions.execute(
        Accept(handler=HANDLER.user_id, excused_delay="Ốm nặng, điều trị tại bệnh viện"),
        receipt,
        actor=HEAD,
        request_id="r",
    )
    assert app.petitions.get(receipt).status is Status.IN_HANDLING


def test_only_the_assigned_officer_or_the_head_handles(app: Thucthi) -> None:
    """A colleague of the same agency cannot record the verification of another's case."""
    receipt = accepted(app)
    refused(app, receipt, RecordVerification(summary="Đã xác minh"), COLLEAGUE, NotHandlerError)
    app.petitions.execute(
        RecordVerification(summary="Đã xác minh"), receipt, actor=HANDLER, request_id="r"
    )
    app.petitions.execute(
        RecordVerification(summary="Bổ sung"), receipt, actor=HEAD, request_id="r"
    )
    assert app.petitions.get(receipt).verifications == 2


def test_a_dialogue_belongs_to_a_complaint(app: Thucthi) -> None:
    """No dialogue is held on a denunciation."""
    receipt = accepted(app, Kind.DENUNCIATION)
    refused(app, receipt, HoldDialogue(held_on=MONDAY.date(), summary="x"), HANDLER, DialogueError)


@pytest.mark.parametrize(
    ("kind", "allowed"), [(Kind.COMPLAINT, 1), (Kind.DENUNCIATION, 2), (Kind.PROPOSAL, 0)]
)
def test_a_handling_term_is_extended_only_as_far_as_the_law_allows(
    app: Thucthi, kind: Kind, allowed: int
) -> None:
    """A complaint once (complex case), a denunciation twice (very complex), a proposal never."""
    receipt = accepted(app, kind)
    for _ in range(allowed):
        app.petitions.execute(
            Extend(reason="Vụ việc phức tạp"), receipt, actor=HEAD, request_id="r"
        )
    refused(app, receipt, Extend(reason="Thêm lần nữa"), HEAD, ExtensionLimitError)
    assert app.petitions.get(receipt).extensions == allowed


def test_an_extension_says_why(app: Thucthi) -> None:
    """An extension without a reason is refused."""
    receipt = accepted(app)
    refused(app, receipt, Extend(reason=" "), HEAD, DomainError)


def test_a_result_fits_the_kind(app: Thucthi) -> None:
    """A proposal is answered; a complaint is found right, partly right or wrong."""
    proposal = accepted(app, Kind.PROPOSAL)
    refused(app, proposal, Resolve(verdict=Verdict.WRONG, summary="x"), HEAD, OutcomeError)
    complaint = accepted(app, Kind.COMPLAINT)
    refused(app, complaint, Resolve(verdict=Verdict.ANSWERED, summary="x"), HEAD, OutcomeError)


def test_only_the_head_signs_the_result(app: Thucthi) -> None:
    """The handling officer drafts; the head signs."""
    receipt = accepted(app)
    refused(app, receipt, Resolve(verdict=Verdict.WRONG, summary="x"), HANDLER, NotPermittedError)


def test_a_result_is_published_once_and_only_after_it_is_issued(app: Thucthi) -> None:
    """Publishing waits for the result and happens once."""
    receipt = accepted(app)
    refused(app, receipt, PublishResult(), HEAD, WrongStepError)
    app.petitions.execute(
        Resolve(
            verdict=Verdict.PARTLY_RIGHT,
            summary="Khiếu nại đúng một phần",
            decision_reference="45/QĐ-SXD",
        ),
        receipt,
        actor=HEAD,
        request_id="r",
    )
    app.petitions.execute(PublishResult(), receipt, actor=HEAD, request_id="r")
    petition = app.petitions.get(receipt)
    assert petition.status is Status.RESOLVED
    assert petition.published_on == MONDAY.date()
    refused(app, receipt, PublishResult(), HEAD, WrongStepError)


def test_a_withdrawn_petition_takes_no_further_step(app: Thucthi) -> None:
    """Rút đơn closes the case."""
    receipt = accepted(app)
    app.petitions.execute(
        WithdrawPetition(reason="Công dân tự nguyện rút đơn"),
        receipt,
        actor=RECEPTION,
        request_id="r",
    )
    assert app.petitions.get(receipt).status is Status.WITHDRAWN
    refused(app, receipt, RecordVerification(summary="x"), HANDLER, PetitionClosedError)


def test_an_archived_petition_keeps_its_ground(app: Thucthi) -> None:
    """Lưu đơn with a ground of Thông tư 05/2021."""
    receipt = classified(app, Kind.DENUNCIATION)
    app.petitions.execute(
        Archive(ground=ArchiveGround.ANONYMOUS), receipt, actor=HEAD, request_id="r"
    )
    petition = app.petitions.get(receipt)
    assert petition.status is Status.ARCHIVED
    assert petition.ground == ArchiveGround.ANONYMOUS.value


def test_a_second_complaint_after_a_first_round_result_is_a_second_round(app: Thucthi) -> None:
    """A new case, linked to the first, handled under the second round's term."""
    first = accepted(app)
    app.petitions.execute(
        Resolve(verdict=Verdict.WRONG, summary="Khiếu nại sai"), first, actor=HEAD, request_id="r"
    )
    second = received(app, agency=OTHER_AGENCY, actor=OTHER_RECEPTION, previous_receipt=first)
    petition = app.petitions.get(second)
    assert petition.relation is Relation.SECOND_ROUND
    assert petition.follows_receipt == first
    again = received(app, previous_receipt=second)
    assert app.petitions.get(again).relation is Relation.REPEAT


def test_a_denouncers_identity_is_seen_only_by_those_handling_the_case(app: Thucthi) -> None:
    """Luật Tố cáo: the reception, the head and the assigned officer see the denouncer; the
    inspectorate, the Office, a colleague and the leadership do not."""
    receipt = accepted(app, Kind.DENUNCIATION)
    petition = app.petitions.get(receipt)
    for actor in (RECEPTION, HEAD, HANDLER):
        people = app.petitions.petitioners(petition, actor)
        assert people is not None
        assert people[0] is not None
        assert people[0].full_name == NGUYEN.full_name
    for actor in (INSPECTORATE, OFFICE, COLLEAGUE, LEADER):
        assert app.petitions.petitioners(petition, actor) is None


def test_a_complainant_is_seen_by_the_inspectorate_too(app: Thucthi) -> None:
    """A complaint's petitioner is not confidential to the overseers."""
    petition = app.petitions.get(accepted(app, Kind.COMPLAINT))
    assert app.petitions.petitioners(petition, INSPECTORATE) is not None
    assert app.petitions.petitioners(petition, LEADER) is None


def test_every_event_carries_its_actor_and_request(app: Thucthi) -> None:
    """Who did each step and in answer to which request travel with it."""
    receipt = accepted(app)
    events = app.petitions.history(receipt)
    assert [type(e).__name__ for e in events] == ["Received", "Classified", "Accepted"]
    assert [e.actor for e in events] == [RECEPTION, RECEPTION, HEAD]
    assert [e.request_id for e in events] == ["req-receive", "req-classify", "req-accept"]


def test_a_receipt_code_is_not_guessed_from_another() -> None:
    """Codes are drawn at random from Crockford's base32: a thousand draws are all different."""
    codes = {random_receipt(date(2026, 3, 9)) for _ in range(1000)}
    assert len(codes) == 1000
    assert all(RECEIPT_CODE.match(c) for c in codes)


def test_a_second_round_complaint_must_come_within_thirty_days_of_the_first_decision(
    app: Thucthi,
) -> None:
    """Luật Khiếu nại, Điều 33: 30 days from the first round's decision, not the first
    round's 90; past them, accepted only with the obstacle that excused the delay."""
    first = accepted(app)
    app.petitions.execute(
        Resolve(verdict=Verdict.WRONG, summary="Khiếu nại sai"), first, actor=HEAD, request_id="r"
    )
    second = received(
        app,
        agency=OTHER_AGENCY,
        actor=OTHER_RECEPTION,
        previous_receipt=first,
        decision_known_on=MONDAY.date() - timedelta(days=31),
    )
    app.petitions.execute(
        Classify(kind=Kind.COMPLAINT, field=Field.LAND, competence=Competence.OURS),
        second,
        actor=OTHER_RECEPTION,
        request_id="r",
    )
    error = refused(app, second, Accept(handler="q1.canbo"), OTHER_HEAD, FilingLimitError)
    assert error.values["limit"] == 30
    app.petitions.execute(
        NotAccept(ground=NotAcceptedGround.TIME_LIMIT), second, actor=OTHER_HEAD, request_id="r"
    )


def test_a_ground_the_amended_law_added_applies_only_from_its_day(app: Thucthi) -> None:
    """Withdrawn content (Law 136/2025/QH15) is a ground from 1 July 2026, not before."""
    receipt = classified(app, received_on=date(2026, 3, 2))
    error = refused(
        app, receipt, NotAccept(ground=NotAcceptedGround.WITHDRAWN_CONTENT), HEAD, GroundError
    )
    assert error.case == "not_yet_law"


class CalendarDays:
    """Only calendar days: the handling terms of complaints and denunciations count them."""

    def add_days(self, start: date, n: int) -> date:
        return start + timedelta(days=n)

    def add_working_days(self, start: date, n: int) -> date:  # pragma: no cover - not used
        raise NotImplementedError


def test_the_days_a_case_stands_suspended_do_not_count_against_its_term() -> None:
    """Luật Tố cáo, Điều 34: accepted on 9 March, suspended on the 14th, resumed on the 24th;
    the 30 days end on 18 April instead of 8 April, and while suspended nothing is due."""
    clock = SimulatedClock(MONDAY)
    app = desk_app(clock)
    receipt = accepted(app, Kind.DENUNCIATION)
    term = app.petitions.get(receipt).deadline()
    assert term is not None
    assert term.due(CalendarDays()) == date(2026, 4, 8)
    clock.advance(timedelta(days=5))
    app.petitions.execute(
        Suspend(reason="Chờ kết quả giám định"), receipt, actor=HEAD, request_id="r"
    )
    assert app.petitions.get(receipt).deadline() is None
    refused(app, receipt, RecordVerification(summary="x"), HANDLER, WrongStepError)
    refused(app, receipt, Suspend(reason="again"), HEAD, WrongStepError)
    clock.advance(timedelta(days=10))
    app.petitions.execute(Resume(), receipt, actor=HEAD, request_id="r")
    term = app.petitions.get(receipt).deadline()
    assert term is not None
    assert term.due(CalendarDays()) == date(2026, 4, 18)
    refused(app, receipt, Resume(), HEAD, WrongStepError)


def test_only_the_head_suspends_the_handling(app: Thucthi) -> None:
    """The handling officer cannot stop the clock."""
    receipt = accepted(app)
    refused(app, receipt, Suspend(reason="x"), HANDLER, NotPermittedError)

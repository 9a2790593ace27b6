"""Two filings of one matter (issue 26): marked as one matter by the agency holding the later
filing, undone with a reason, never merged; a repeat of a resolved matter answered with the
earlier result where the law allows it."""

from __future__ import annotations

import pytest

from domain.application import Thucthi
from domain.petitions.commands import (
    AnswerWithEarlier,
    Classify,
    MarkSameMatter,
    Resolve,
    UnmarkSameMatter,
)
from domain.petitions.errors import (
    InvalidPetitionError,
    NotOurAgencyError,
    SameMatterError,
    WrongStepError,
)
from domain.petitions.law import ArchiveGround, NotAcceptedGround
from domain.petitions.petition import Competence, Field, Kind, Petition, Status, Verdict
from domain.shared.clock import SimulatedClock
from domain.shared.errors import DomainError, InvalidTextError, NotPermittedError
from tests.petition_builders import (
    HANDLER,
    HEAD,
    INSPECTORATE,
    MONDAY,
    OTHER_AGENCY,
    OTHER_HEAD,
    OTHER_RECEPTION,
    RECEPTION,
    TRAN,
    accepted,
    desk_app,
    received,
)


@pytest.fixture
def app() -> Thucthi:
    return desk_app(SimulatedClock(MONDAY))


def mark(app: Thucthi, later: str, earlier: str, actor: object = RECEPTION) -> None:
    app.petitions.execute(
        MarkSameMatter(earlier=earlier, reason="Cùng thửa đất, cùng quyết định"),
        later,
        actor=actor,  # type: ignore[arg-type]
        request_id="req-mark",
    )


def refused(
    app: Thucthi, receipt: str, command: object, actor: object, error: type[DomainError]
) -> DomainError:
    before = app.petitions.get(receipt).version
    with pytest.raises(error) as raised:
        app.petitions.execute(command, receipt, actor=actor, request_id="req-refused")  # type: ignore[arg-type]
    assert app.petitions.get(receipt).version == before
    return raised.value


def resolved(app: Thucthi, kind: Kind = Kind.COMPLAINT, **fields: object) -> str:
    receipt = accepted(app, kind, **fields)
    verdict = Verdict.ANSWERED if kind is Kind.PROPOSAL else Verdict.WRONG
    app.petitions.execute(
        Resolve(verdict=verdict, summary="Giữ nguyên quyết định", decision_reference="9/QĐ-UBND"),
        receipt,
        actor=HEAD,
        request_id="req-resolve",
    )
    return receipt


def classify(app: Thucthi, receipt: str, kind: Kind, actor: object = RECEPTION) -> None:
    app.petitions.execute(
        Classify(kind=kind, field=Field.LAND, competence=Competence.OURS),
        receipt,
        actor=actor,  # type: ignore[arg-type]
        request_id="req-classify",
    )


def test_a_filing_marked_as_the_same_matter_keeps_its_own_record_and_the_link_is_an_event(
    app: Thucthi,
) -> None:
    earlier = received(app)
    later = received(app, petitioners=(TRAN,))
    mark(app, later, earlier)
    assert app.petitions.get(later).same_matter == (earlier,)
    assert app.petitions.get(earlier).same_matter == ()  # the earlier filing is not changed
    marked = [e for e in app.petitions.history(later) if isinstance(e, Petition.SameMatterMarked)]
    assert [(e.earlier, e.earlier_agency, e.reason, e.actor) for e in marked] == [
        (earlier, "SO-XD", "Cùng thửa đất, cùng quyết định", RECEPTION)
    ]
    assert app.petitions.get(later).status is Status.RECEIVED  # nothing else moved


def test_a_candidate_of_another_agency_is_marked_though_the_officer_cannot_open_it(
    app: Thucthi,
) -> None:
    elsewhere = received(app, agency=OTHER_AGENCY, actor=OTHER_RECEPTION)
    here = received(app)
    mark(app, here, elsewhere)
    marked = app.petitions.history(here)[-1]
    assert isinstance(marked, Petition.SameMatterMarked)
    assert (marked.earlier, marked.earlier_agency) == (elsewhere, OTHER_AGENCY)


def test_a_link_is_undone_by_another_officer_with_a_reason_and_both_stay_in_the_trail(
    app: Thucthi,
) -> None:
    earlier, later = received(app), received(app)
    mark(app, later, earlier)
    app.petitions.execute(
        UnmarkSameMatter(earlier=earlier.lower(), reason="Khác thửa đất"),
        later,
        actor=HEAD,
        request_id="req-unmark",
    )
    assert app.petitions.get(later).same_matter == ()
    kinds = [type(e).__name__ for e in app.petitions.history(later)]
    assert kinds[-2:] == ["SameMatterMarked", "SameMatterUnmarked"]
    mark(app, later, earlier)  # and it can be marked again
    assert app.petitions.get(later).same_matter == (earlier,)


def test_a_link_is_refused_to_itself_twice_or_to_no_petition(app: Thucthi) -> None:
    earlier, later = received(app), received(app)
    assert (
        refused(
            app, later, MarkSameMatter(earlier=later, reason="x"), RECEPTION, SameMatterError
        ).case
        == "self"
    )
    mark(app, later, earlier)
    again = refused(
        app, later, MarkSameMatter(earlier=earlier, reason="x"), RECEPTION, SameMatterError
    )
    assert again.case == "linked"
    missing = refused(
        app,
        later,
        MarkSameMatter(earlier="2026-ZZZZZZZZ", reason="x"),
        RECEPTION,
        InvalidPetitionError,
    )
    assert missing.case == "other_unknown"


def test_a_link_needs_a_reason_and_an_officer_of_the_agency_holding_the_later_filing(
    app: Thucthi,
) -> None:
    earlier, later = received(app), received(app)
    refused(app, later, MarkSameMatter(earlier=earlier, reason="  "), RECEPTION, InvalidTextError)
    refused(
        app, later, MarkSameMatter(earlier=earlier, reason="x"), INSPECTORATE, NotPermittedError
    )
    refused(app, later, MarkSameMatter(earlier=earlier, reason="x"), OTHER_HEAD, DomainError)
    mark(app, later, earlier, actor=HANDLER)  # the officer handling cases of the agency may
    with pytest.raises(NotOurAgencyError):
        app.petitions.get(later).unmark_same_matter(
            earlier=earlier, reason="x", actor=OTHER_HEAD, request_id="r", at=MONDAY
        )


def test_only_a_link_that_stands_is_undone(app: Thucthi) -> None:
    earlier, later = received(app), received(app)
    refused(app, later, UnmarkSameMatter(earlier=earlier, reason="x"), HEAD, SameMatterError)
    mark(app, earlier, later)  # the link made on the other filing is undone there, not here
    error = refused(
        app, later, UnmarkSameMatter(earlier=earlier, reason="x"), HEAD, SameMatterError
    )
    assert error.case == "not_linked"


def test_a_duplicate_found_after_closing_is_still_marked(app: Thucthi) -> None:
    earlier = resolved(app)
    later = resolved(app)
    mark(app, later, earlier, actor=HEAD)
    assert app.petitions.get(later).same_matter == (earlier,)


@pytest.mark.parametrize(
    ("kind", "status", "ground"),
    [
        (Kind.DENUNCIATION, Status.NOT_ACCEPTED, NotAcceptedGround.ALREADY_HANDLED.value),
        (Kind.PROPOSAL, Status.ARCHIVED, ArchiveGround.ALREADY_ANSWERED.value),
    ],
)
def test_a_repeat_of_a_resolved_matter_is_answered_with_the_earlier_result(
    app: Thucthi, kind: Kind, status: Status, ground: str
) -> None:
    earlier = resolved(app, kind)
    later = received(app)
    classify(app, later, kind)
    mark(app, later, earlier)
    app.petitions.execute(
        AnswerWithEarlier(earlier=earlier, note="Không có tình tiết mới"),
        later,
        actor=HEAD,
        request_id="req-answer",
    )
    petition = app.petitions.get(later)
    assert (petition.status, petition.ground, petition.answered_with) == (status, ground, earlier)
    assert (petition.earlier_result, petition.earlier_decision_reference) == (
        "Giữ nguyên quyết định",
        "9/QĐ-UBND",
    )
    assert petition.verdict is None  # not resolved twice
    assert petition.resolved_on is None
    undo = refused(app, later, UnmarkSameMatter(earlier=earlier, reason="x"), HEAD, SameMatterError)
    assert undo.case == "answered"


def test_an_earlier_result_answers_only_a_linked_classified_filing_after_that_result(
    app: Thucthi,
) -> None:
    open_earlier = accepted(app, Kind.DENUNCIATION)
    later = received(app)
    answer = AnswerWithEarlier(earlier=open_earlier)
    refused(app, later, answer, HEAD, WrongStepError)  # not classified yet
    classify(app, later, Kind.DENUNCIATION)
    assert refused(app, later, answer, HEAD, SameMatterError).case == "not_linked"
    mark(app, later, open_earlier)
    assert refused(app, later, answer, HEAD, SameMatterError).case == "not_resolved"
    refused(app, later, answer, RECEPTION, NotPermittedError)


def test_a_complaint_after_a_first_round_decision_is_the_second_round_not_a_repeat(
    app: Thucthi,
) -> None:
    earlier = resolved(app, Kind.COMPLAINT)
    later = received(app)
    classify(app, later, Kind.COMPLAINT)
    mark(app, later, earlier)
    error = refused(app, later, AnswerWithEarlier(earlier=earlier), HEAD, SameMatterError)
    assert error.case == "first_round"


def test_a_complaint_repeating_a_second_round_decision_is_not_accepted_with_that_ground(
    app: Thucthi,
) -> None:
    first = resolved(app, Kind.COMPLAINT)
    second = resolved(app, Kind.COMPLAINT, previous_receipt=first)
    assert app.petitions.get(second).second_round
    again = received(app)
    classify(app, again, Kind.COMPLAINT)
    mark(app, again, second)
    app.petitions.execute(AnswerWithEarlier(earlier=second), again, actor=HEAD, request_id="r")
    petition = app.petitions.get(again)
    assert (petition.status, petition.ground) == (
        Status.NOT_ACCEPTED,
        NotAcceptedGround.SECOND_ROUND_DONE.value,
    )

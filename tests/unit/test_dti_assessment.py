"""An assessment's life by its rules: the unit enters and submits only its own, with the evidence
its components require and values that fit their rules; only the appraising body accepts,
adjusts and sends back, with a deadline counted in working days; the unit's answer after it is
late; a value changed after a return waits for a new decision; the Office publishes what was
appraised and corrects only what was published, with a reason; every event survives the log's
JSON and replays to the same state."""

from __future__ import annotations

from copy import deepcopy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from eventsourcing.persistence import JSONTranscoder

from api.dti_documents import measured_said
from domain.dti.assessment import Assessment, Decision, Stage
from domain.dti.commands import (
    AcceptValue,
    AdjustValue,
    AnswerReturn,
    CompleteAppraisal,
    Context,
    CorrectValue,
    EnterValue,
    SendBack,
    Submit,
)
from domain.dti.errors import (
    AssessmentStageError,
    AssessmentUnitError,
    EvidenceMissingError,
    InvalidAssessmentError,
    InvalidValueError,
)
from domain.dti.framework import Group, GroupKind, MeasureName
from domain.dti.hcmc import shipped
from domain.dti.measures import Measurement
from domain.dti.scoring import Value
from domain.narration import Sentence, narrate
from domain.shared.actors import Actor, Role
from domain.shared.calendar import WorkingCalendar
from domain.shared.clock import city_date
from domain.shared.codec import OrjsonMapper
from domain.shared.commands import Origin
from domain.shared.errors import InvalidTextError, NotPermittedError
from domain.shared.files import FiledFile
from domain.writer import replay
from tests.builders import OFFICE, officer
from tests.refusals import english_words

D = Decimal
# Friday 26 April 2024, 09:00 in the city: the 30 April and 1 May holidays are ahead.
T0 = datetime(2024, 4, 26, 2, 0, tzinfo=UTC)
UNIT = officer("SO-CT")
APPRAISER = officer("SO-TTTT")
OTHER = officer("SO-TC")


def group() -> Group:
    found = shipped(1).group(GroupKind.DEPARTMENTS)
    assert found is not None
    return found


def started(at: datetime = T0) -> Assessment:
    return Assessment.start(
        index="hcm-dti",
        framework_version=1,
        period=2023,
        unit="SO-CT",
        group=GroupKind.DEPARTMENTS,
        actor=UNIT,
        request_id="start",
        at=at,
    )


def run(assessment: Assessment, command: Any, actor: Actor, at: datetime = T0) -> None:
    context = Context(group(), "SO-TTTT", WorkingCalendar(), city_date(at))
    command.run(assessment, context, Origin(actor, "req", at))


def filled(assessment: Assessment) -> Assessment:
    run(assessment, EnterValue(component="1.1", number=D(1), evidence="Quyết định 12/QĐ-SCT"), UNIT)
    run(assessment, EnterValue(component="6.1", number=D(80), of=D(100)), UNIT)
    return assessment


def submitted() -> Assessment:
    assessment = filled(started())
    run(assessment, Submit(), UNIT)
    return assessment


def test_only_the_units_own_officer_enters_its_values() -> None:
    assessment = started()
    with pytest.raises(AssessmentUnitError) as other:
        run(assessment, EnterValue(component="1.1", number=D(1)), OTHER)
    assert other.value.values == {"unit": "SO-CT"}
    with pytest.raises(NotPermittedError):
        run(assessment, EnterValue(component="1.1", number=D(1)), OFFICE)
    with pytest.raises(AssessmentUnitError):
        Assessment.start(
            index="hcm-dti",
            framework_version=1,
            period=2023,
            unit="SO-CT",
            group=GroupKind.DEPARTMENTS,
            actor=OTHER,
            request_id="r",
            at=T0,
        )


def test_what_thucthi_measures_is_not_entered_by_the_unit() -> None:
    with pytest.raises(InvalidAssessmentError) as caught:
        run(started(), EnterValue(component="6.4", number=D(9), of=D(10)), UNIT)
    assert caught.value.case == "automatic"


@pytest.mark.parametrize(
    ("component", "number", "of", "case"),
    [
        ("1.1", "2", None, "yes_no"),
        ("1.1", "1", "1", "not_share"),
        ("1.4", "12.5", None, "whole"),
        ("6.1", "80", None, "no_whole"),
        ("6.1", "80", "0", "whole_zero"),
        ("6.1", "120", "100", "part_over"),
        ("5.4", "-1", None, "negative"),
        ("5.4", "0.0000001", None, "precision"),
        ("5.4", "1E+20", None, "precision"),
    ],
)
def test_a_value_must_fit_how_its_component_is_scored(
    component: str, number: str, of: str | None, case: str
) -> None:
    entered = EnterValue(component=component, number=D(number), of=None if of is None else D(of))
    with pytest.raises(InvalidValueError) as caught:
        run(started(), entered, UNIT)
    assert caught.value.case == case


def test_a_component_that_is_not_the_groups_and_a_link_that_is_not_http_are_refused() -> None:
    with pytest.raises(InvalidAssessmentError) as unknown:
        run(started(), EnterValue(component="9.9", number=D(1)), UNIT)
    assert unknown.value.case == "unknown_component"
    with pytest.raises(InvalidAssessmentError) as link:
        run(started(), EnterValue(component="1.1", number=D(1), links=("javascript:x",)), UNIT)
    assert link.value.case == "link"


def test_nothing_is_submitted_without_values_nor_without_the_evidence_required() -> None:
    """1.1 (the head directs it) and 1.3 (a section on the portal) require evidence."""
    empty = started()
    with pytest.raises(InvalidAssessmentError) as nothing:
        run(empty, Submit(), UNIT)
    assert nothing.value.case == "nothing_entered"
    assessment = started()
    run(assessment, EnterValue(component="1.1", number=D(1)), UNIT)
    run(assessment, EnterValue(component="1.3", number=D(0)), UNIT)
    with pytest.raises(EvidenceMissingError) as missing:
        run(assessment, Submit(), UNIT)
    assert missing.value.values == {"components": "1.1, 1.3"}
    link = ("https://so-ct.hochiminhcity.gov.vn/chuyen-doi-so",)
    run(assessment, EnterValue(component="1.3", number=D(0), links=link), UNIT)
    run(assessment, EnterValue(component="1.1", number=D(1), evidence="Quyết định 12/QĐ"), UNIT)
    run(assessment, Submit(), UNIT)
    assert assessment.stage is Stage.SUBMITTED


def test_only_the_appraising_body_appraises_and_only_what_was_submitted() -> None:
    draft = filled(started())
    with pytest.raises(AssessmentStageError) as early:
        run(draft, AcceptValue(component="1.1"), APPRAISER)
    assert early.value.case == "not_submitted"
    assessment = submitted()
    with pytest.raises(AssessmentUnitError) as other:
        run(assessment, AcceptValue(component="1.1"), OTHER)
    assert other.value.values == {"appraiser": "SO-TTTT"}
    with pytest.raises(AssessmentStageError):
        run(assessment, EnterValue(component="1.1", number=D(0)), UNIT)


def test_a_return_is_due_in_working_days_and_an_answer_after_it_is_late() -> None:
    """Sent back on Friday 26/4/2024 with 5 working days: Mon 29 (1), [Tue 30/4 and Wed 1/5
    are holidays], Thu 2 (2), Fri 3 (3), Mon 6 (4), Tue 7/5 (5)."""
    assessment = submitted()
    back = SendBack(reason="Bổ sung minh chứng", components=("6.1",), working_days=5)
    run(assessment, back, APPRAISER)
    sent = assessment.open_return
    assert sent is not None
    assert (sent.due_on, assessment.stage) == (date(2024, 5, 7), Stage.RETURNED)
    late = T0 + timedelta(days=12)  # Wednesday 8 May
    run(assessment, AnswerReturn(answer="Đã bổ sung số liệu cổng dịch vụ công"), UNIT, late)
    assert (assessment.returns[-1].late, assessment.stage) == (True, Stage.SUBMITTED)


def test_a_return_names_a_term_of_one_to_sixty_working_days_and_a_reason() -> None:
    with pytest.raises(InvalidAssessmentError) as days:
        run(submitted(), SendBack(reason="x", working_days=61), APPRAISER)
    assert days.value.case == "working_days"
    with pytest.raises(InvalidTextError):
        run(submitted(), SendBack(reason=" ", working_days=5), APPRAISER)


def test_a_value_the_unit_changes_after_a_return_waits_for_a_new_decision() -> None:
    assessment = submitted()
    run(
        assessment,
        AdjustValue(component="6.1", number=D(70), of=D(100), reason="Cổng DVC"),
        APPRAISER,
    )
    run(assessment, AcceptValue(component="1.1"), APPRAISER)
    run(assessment, SendBack(reason="Giải trình 6.1", working_days=5), APPRAISER)
    run(assessment, EnterValue(component="6.1", number=D(75), of=D(100)), UNIT)
    run(assessment, AnswerReturn(answer="Số liệu đã đối chiếu"), UNIT)
    assert assessment.entries["6.1"].decision is None
    assert assessment.entries["1.1"].decision is Decision.ACCEPTED
    run(assessment, CompleteAppraisal(), APPRAISER)
    *_, completed = assessment.collect_events()
    assert isinstance(completed, Assessment.AppraisalCompleted)
    assert completed.accepted == ("6.1",)
    assert assessment.stage is Stage.APPRAISED
    assert assessment.values()["6.1"].number == D(75)


def test_the_office_publishes_what_was_appraised_and_corrects_what_was_published() -> None:
    assessment = submitted()
    with pytest.raises(AssessmentStageError) as early:
        assessment.publish(reference="", actor=OFFICE, request_id="r", at=T0)
    assert early.value.case == "not_appraised"
    run(assessment, CompleteAppraisal(), APPRAISER)
    with pytest.raises(AssessmentStageError) as not_yet:
        run(assessment, CorrectValue(component="6.1", number=D(1), of=D(2), reason="x"), OFFICE)
    assert not_yet.value.case == "not_published"
    with pytest.raises(NotPermittedError):
        assessment.publish(reference="", actor=APPRAISER, request_id="r", at=T0)
    assessment.publish(reference="15/TB-UBND", actor=OFFICE, request_id="r", at=T0)
    with pytest.raises(InvalidTextError):
        run(assessment, CorrectValue(component="6.1", number=D(9), of=D(10), reason=""), OFFICE)
    run(assessment, CorrectValue(component="6.1", number=D(9), of=D(10), reason="Sai số"), OFFICE)
    assert assessment.entries["6.1"].decision is Decision.CORRECTED
    assert assessment.corrections == 1


def test_every_event_survives_the_logs_json_and_replays_to_the_same_state() -> None:
    mapper = OrjsonMapper(transcoder=JSONTranscoder())
    assessment = submitted()
    evidence = FiledFile("sha256:" + "a" * 64, "bao-cao.pdf", "application/pdf", 1234)
    run(
        assessment, AdjustValue(component="6.1", number=D("66.5"), of=D(100), reason="x"), APPRAISER
    )
    run(assessment, SendBack(reason="Bổ sung", components=("1.1",), working_days=3), APPRAISER)
    entered = EnterValue(component="1.1", number=D(1), evidence="Đã có", files=(evidence,))
    run(assessment, entered, UNIT)
    run(assessment, AnswerReturn(answer="Đã bổ sung"), UNIT)
    run(assessment, CompleteAppraisal(), APPRAISER)
    assessment.publish(reference="15/TB", actor=OFFICE, request_id="r", at=T0)
    run(
        assessment,
        CorrectValue(component="6.1", number=D(7), of=D(10), reason="Đính chính"),
        OFFICE,
    )
    events = [
        mapper.to_domain_event(mapper.to_stored_event(e)) for e in assessment.collect_events()
    ]
    again = replay(None, events)
    assert again.entries == assessment.entries
    assert again.returns == assessment.returns
    assert (again.stage, again.publication, again.corrections) == (Stage.PUBLISHED, "15/TB", 1)
    assert again.entries["1.1"].evidence.files == (evidence,)
    assert isinstance(again.entries["6.1"].appraised.number, Decimal)


def test_the_unit_the_appraising_body_and_the_overseers_see_it_and_no_one_else() -> None:
    assessment = started()
    assert assessment.seen_by(UNIT, "SO-KHCN")
    assert assessment.seen_by(officer("SO-KHCN"), "SO-KHCN")
    assert not assessment.seen_by(OTHER, "SO-KHCN")
    assert assessment.seen_by(OFFICE, "SO-KHCN")
    assert not assessment.seen_by(Actor("admin", Role.ADMIN), "SO-KHCN")
    assert not assessment.seen_by(Actor("tiepdan", Role.RECEPTION, "SO-CT"), "SO-KHCN")


def test_each_event_is_told_in_both_languages_for_the_audit_trail() -> None:
    """Not by its class name: the unit by its name, the reason and the due day said."""
    assessment = submitted()
    run(assessment, SendBack(reason="Bổ sung minh chứng", working_days=5), APPRAISER)
    names = {"SO-CT": Sentence("Sở Công Thương", "Department of Industry and Trade")}
    told = [narrate(e, names) for e in assessment.collect_events()]
    assert told[0].vi.startswith("Mở kỳ tự đánh giá năm 2023 của Sở Công Thương")
    assert told[1].en == "Entered 1.1: 1"
    assert told[2].vi == "Nhập số liệu chỉ số 6.1: 80/100"
    assert told[-1].vi == "Trả lại để giải trình, hạn 2024-05-07: Bổ sung minh chứng"
    assert told[3] == Sentence("Gửi kết quả tự đánh giá", "Submitted the self-assessment")
    assert all(english_words(sentence.vi) == [] for sentence in told)


def test_a_copy_shares_no_state_a_command_could_change() -> None:
    """The aggregate's own deep copy (a command runs on a copy of a kept state): the entries
    are the copy's own, and every value in them is immutable."""
    original = submitted()
    copied = deepcopy(original)
    run(copied, SendBack(reason="Bổ sung", working_days=5), APPRAISER)
    run(copied, EnterValue(component="6.1", number=D(1), of=D(2)), UNIT)
    assert original.stage is Stage.SUBMITTED
    assert original.entries["6.1"].value == Value(D(80), D(100))
    assert original.returns == ()
    assert copied.entries["6.1"].value == Value(D(1), D(2))
    for entry in original.entries.values():
        for name in ("value", "evidence", "decision", "appraised", "reason"):
            hash(getattr(entry, name))  # frozen: a command replaces it, never changes it


ON_TIME = Measurement(MeasureName.DIRECTIVES_ON_TIME, date(2023, 12, 31), 120, 18, 20)
ANSWER = Measurement(MeasureName.PETITION_ANSWER_DAYS, date(2023, 12, 31), 120, 7, 9, D("4.5"))


def submitted_with(measured: dict[str, Measurement]) -> Assessment:
    assessment = filled(started())
    context = Context(group(), "SO-TTTT", WorkingCalendar(), city_date(T0), measured)
    Submit().run(assessment, context, Origin(UNIT, "req", T0))
    return assessment


def test_what_thucthi_measured_is_the_value_recorded_at_submission_with_its_figures() -> None:
    """18 of 20 directives on time is the share 18/20; a median of 4.5 days the number 4.5;
    both survive the log's JSON, and the audit trail tells them with their day and position."""
    assessment = submitted_with({"6.5": ON_TIME, "6.7": ANSWER})
    assert assessment.entries["6.5"].value == Value(D(18), D(20))
    assert assessment.entries["6.5"].measured == ON_TIME
    assert assessment.entries["6.7"].value == Value(D("4.5"))
    mapper = OrjsonMapper(transcoder=JSONTranscoder())
    events = [
        mapper.to_domain_event(mapper.to_stored_event(e)) for e in assessment.collect_events()
    ]
    again = replay(None, events)
    assert again.entries == assessment.entries
    told = [narrate(e, {}) for e in events if isinstance(e, Assessment.ValueMeasured)]
    assert told[0] == Sentence(
        "Thucthi đo chỉ số 6.5: 18/20 (đến ngày 2023-12-31, vị trí 120)",
        "Thucthi measured 6.5: 18/20 (as of 2023-12-31, position 120)",
    )
    assert all(english_words(s.vi.replace("Thucthi", "")) == [] for s in told)


def test_the_scorecard_says_from_which_figures_a_measured_value_came_in_both_languages() -> None:
    assert measured_said("vi", ON_TIME) == (
        "Thucthi đo: 18/20 nhiệm vụ đến hạn trong kỳ hoàn thành đúng hạn "
        "(tính đến ngày 31/12/2023, vị trí 120 của nhật ký)"
    )
    assert measured_said("en", ANSWER) == (
        "Measured by Thucthi: median 4.5 working days from arrival to result, 7 of 9 "
        "petitions resolved (as of 2023-12-31, log position 120)"
    )
    assert "4,5" in measured_said("vi", ANSWER)
    nothing = Measurement(MeasureName.PETITIONS_ONLINE, date(2023, 12, 31), 5, 0, 0)
    assert nothing.value is None
    assert "không có số liệu" in measured_said("vi", nothing)


def test_only_a_component_thucthi_measures_takes_a_measurement() -> None:
    with pytest.raises(InvalidAssessmentError) as caught:
        submitted_with({"1.1": ON_TIME})
    assert caught.value.case == "not_measured"


def test_a_measured_value_is_appraised_as_any_other() -> None:
    """Accepted as it stands when the appraisal completes, or adjusted with a reason."""
    assessment = submitted_with({"6.5": ON_TIME, "6.7": ANSWER})
    adjusted = AdjustValue(component="6.7", number=D(6), reason="Loại trừ đơn rút")
    run(assessment, adjusted, APPRAISER)
    run(assessment, CompleteAppraisal(), APPRAISER)
    values = assessment.values()
    assert (values["6.5"], values["6.7"]) == (Value(D(18), D(20)), Value(D(6)))
    assert assessment.entries["6.5"].decision is Decision.ACCEPTED

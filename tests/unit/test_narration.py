"""Events told in words (issue 24, items 7 and 10): units by their names, the actions by what
officials call them, and a directive without a deadline said to have none."""

from __future__ import annotations

from datetime import date

from domain.directives.directive import Directive
from domain.narration import ACTION_NAMES, Sentence, narrate, tell, unit_sentences
from tests.builders import COORDINATOR_OFFICER, LEAD_OFFICER, LEADER, OFFICE
from tests.unit.test_units import T0, registry

NAMES = unit_sentences(registry())


def issued(deadline: date | None, coordinating: tuple[str, ...] = ()) -> Directive:
    return Directive.issue(
        reference="9/UBND-KT",
        title="Bình ổn thị trường",
        content="",
        issuer=None,
        lead_unit="SO-CT",
        coordinating_units=coordinating,
        deadline=deadline,
        actor=LEADER,
        request_id="r",
        at=T0,
    )


def test_an_issued_directive_names_its_lead_its_coordinators_and_its_deadline() -> None:
    (event,) = issued(None, ("SO-TC", "UBND-Q3")).collect_events()
    said = narrate(event, NAMES)
    assert said.vi == (
        "Ban hành 9/UBND-KT, giao Sở Công Thương chủ trì, Sở Tài chính, Ủy ban nhân dân Quận 3 "
        "phối hợp, không có thời hạn"
    )
    assert said.en == (
        "Issued 9/UBND-KT to Department of Industry and Trade, with Department of Finance, "
        "District 3 People's Committee, with no deadline"
    )
    (dated,) = issued(date(2024, 2, 1)).collect_events()
    assert (
        narrate(dated, NAMES).vi
        == "Ban hành 9/UBND-KT, giao Sở Công Thương chủ trì, hạn 2024-02-01"
    )


def test_a_reassignment_and_a_contribution_name_their_units() -> None:
    d = issued(None, ("SO-TC",))
    d.acknowledge(actor=LEAD_OFFICER, request_id="r", at=T0)
    d.reassign(to_unit="UBND-Q10", reason="Phân cấp", actor=OFFICE, request_id="r", at=T0)
    *_, reassigned = d.collect_events()
    told = tell(reassigned, OFFICE, NAMES)
    assert told.vi == (
        "Văn phòng UBND chuyển giao chủ trì từ Sở Công Thương sang Ủy ban nhân dân Quận 10"
    )
    assert "UBND-Q10" not in told.en


def test_a_unit_the_registry_does_not_know_is_named_by_its_code() -> None:
    (event,) = issued(None).collect_events()
    assert "giao SO-CT chủ trì" in narrate(event, {}).vi


def test_every_kind_of_directive_event_has_a_name_in_both_languages() -> None:
    """What the inspector's filter offers: a name in words for each kind, not its class name."""
    kinds = [
        value.__name__
        for value in vars(Directive).values()
        if isinstance(value, type)
        and issubclass(value, Directive.Event)
        and value.__name__ not in {"Event", "Created", "Snapshot"}
    ]
    assert kinds
    for kind in kinds:
        said = ACTION_NAMES[kind]
        assert said.vi, kind
        assert said.en, kind
        assert kind not in {said.vi, said.en}, kind


def test_a_unit_reporting_its_own_contribution_is_named_once() -> None:
    """ "Sở Tài chính báo cáo kết quả phối hợp", not "... phối hợp của Sở Tài chính"."""
    d = issued(None, ("SO-TC",))
    d.acknowledge(actor=LEAD_OFFICER, request_id="r", at=T0)
    d.contribute(narrative="Số liệu", actor=COORDINATOR_OFFICER, request_id="r", at=T0)
    *_, contributed = d.collect_events()
    assert tell(contributed, COORDINATOR_OFFICER, NAMES).vi == (
        "Sở Tài chính báo cáo kết quả phối hợp"
    )
    assert narrate(contributed, NAMES).vi == "Báo cáo kết quả phối hợp của Sở Tài chính"


def test_the_days_of_a_sentence_are_written_by_the_teller_and_iso_by_default() -> None:
    """The pages pass how their readers write a day; the command line and the API keep ISO."""
    d = issued(date(2024, 4, 30))
    d.acknowledge(actor=LEAD_OFFICER, request_id="r", at=T0)
    d.request_extension(
        new_deadline=date(2024, 5, 31), reason="", actor=LEAD_OFFICER, request_id="r", at=T0
    )
    made, _, asked = d.collect_events()

    def written(day: date) -> Sentence:
        return Sentence(f"{day.day}/{day.month}/{day.year}", f"{day:%b} {day.day}, {day.year}")

    assert narrate(made, NAMES, written).vi.endswith("hạn 30/4/2024")
    assert narrate(made, NAMES, written).en.endswith("due Apr 30, 2024")
    assert narrate(asked, NAMES, written).vi == "Xin gia hạn lần 1 đến 31/5/2024"
    assert tell(asked, LEAD_OFFICER, NAMES, written).en.endswith("to May 31, 2024")
    assert narrate(made, NAMES).vi.endswith("hạn 2024-04-30")
    assert narrate(asked, NAMES).en == "Requested extension 1 to 2024-05-31"

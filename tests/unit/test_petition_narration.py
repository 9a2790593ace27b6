"""A petition's events told in words (issue 25, item 8): each step in Vietnamese and English,
agencies by their names, officers as the teller names people, the law's grounds in the law's
words, who acted as officials say it, and never who filed the petition."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.application import Thucthi
from domain.narration import Sentence, narrate, tell, unit_sentences
from domain.petitions.commands import (
    Accept,
    Archive,
    Classify,
    Extend,
    Guide,
    HoldDialogue,
    NotAccept,
    PetitionCommand,
    PublishResult,
    RecordVerification,
    Resolve,
    Resume,
    Suspend,
    Transfer,
    WithdrawPetition,
)
from domain.petitions.law import LABELS, ArchiveGround, NotAcceptedGround
from domain.petitions.petition import Competence, Field, Kind, Petition, Verdict
from domain.shared.clock import SimulatedClock
from tests.petition_builders import (
    HANDLER,
    HEAD,
    MONDAY,
    NGUYEN,
    RECEPTION,
    TRAN,
    accepted,
    classified,
    desk_app,
    received,
)

NAMES = unit_sentences(desk_app().unit_registry())
# A Monday once every ground of the law is in force (Law 136/2025/QH15, from 1 July 2026).
AFTER_2025_AMENDMENTS = datetime(2026, 9, 7, 2, 0, tzinfo=UTC)


def told(app: Thucthi, receipt: str) -> list[Sentence]:
    return [narrate(e, NAMES) for e in app.petitions.history(receipt)]


def last(app: Thucthi, receipt: str) -> Sentence:
    return told(app, receipt)[-1]


def test_a_receipt_says_its_code_channel_day_and_signers_but_not_who_filed_it() -> None:
    """The sentence of a receipt names the code, how and when it came and how many signed;
    no petitioner's name, number, address or phone."""
    app = desk_app(SimulatedClock(MONDAY))
    receipt = received(app, petitioners=(NGUYEN, TRAN), signers=6, received_on=date(2026, 3, 6))
    said = last(app, receipt)
    assert said == Sentence(
        f"Tiếp nhận đơn {receipt} (trực tiếp tại nơi tiếp công dân, ngày 2026-03-06), "
        "6 người ký, đơn đông người",
        f"Received petition {receipt} (in person, on 2026-03-06), signed by 6, "
        "a petition of many signers",
    )
    for person in (NGUYEN, TRAN):
        for value in (person.full_name, person.id_number, person.address, person.phone):
            assert value
            assert value not in said.vi
            assert value not in said.en


def test_an_anonymous_petition_and_one_that_follows_another_are_said_so() -> None:
    """Anonymous, and a second round after a resolved complaint."""
    app = desk_app(SimulatedClock(MONDAY))
    anonymous = received(app, petitioners=(), anonymous=True)
    assert last(app, anonymous).vi.endswith(", đơn nặc danh")
    first = accepted(app)
    app.petitions.execute(
        Resolve(verdict=Verdict.WRONG, summary="Giữ nguyên quyết định."),
        first,
        actor=HEAD,
        request_id="r",
    )
    second = received(app, previous_receipt=first)
    said = last(app, second)
    assert said.vi.endswith(f", khiếu nại lần hai sau đơn {first}")
    assert said.en.endswith(f", a second round after {first}")


def test_each_step_of_a_handled_complaint_is_told_in_both_languages() -> None:
    """Classified, accepted (the officer named by the teller), verified, a dialogue on its
    day, extended, suspended and resumed, resolved with its verdict and number, published."""
    app = desk_app(SimulatedClock(MONDAY))
    receipt = received(app)
    desk = app.petitions
    desk.execute(
        Classify(kind=Kind.COMPLAINT, field=Field.COMPENSATION, competence=Competence.OURS),
        receipt,
        actor=RECEPTION,
        request_id="r",
    )
    desk.execute(Accept(handler=HANDLER.user_id), receipt, actor=HEAD, request_id="r")
    desk.execute(RecordVerification(summary="Đã xác minh."), receipt, actor=HANDLER, request_id="r")
    desk.execute(
        HoldDialogue(held_on=date(2026, 3, 9), summary="Đối thoại."),
        receipt,
        actor=HANDLER,
        request_id="r",
    )
    desk.execute(Extend(reason="Phức tạp."), receipt, actor=HEAD, request_id="r")
    desk.execute(Suspend(reason="Chờ giám định."), receipt, actor=HEAD, request_id="r")
    desk.execute(Resume(), receipt, actor=HEAD, request_id="r")
    desk.execute(
        Resolve(verdict=Verdict.RIGHT, summary="Đúng.", decision_reference="12/QĐ-SXD"),
        receipt,
        actor=HEAD,
        request_id="r",
    )
    desk.execute(PublishResult(), receipt, actor=HEAD, request_id="r")
    events = desk.history(receipt)[1:]
    people = {HANDLER.user_id: "Lê Minh Khôi — Thanh tra viên"}
    said = [narrate(e, NAMES, people=people.__getitem__) for e in events]
    assert said == [
        Sentence(
            "Phân loại: đơn khiếu nại, lĩnh vực bồi thường, giải phóng mặt bằng, thuộc thẩm "
            "quyền giải quyết",
            "Classified as a complaint, field: compensation and site clearance, ours to handle",
        ),
        Sentence(
            "Thụ lý giải quyết, giao Lê Minh Khôi — Thanh tra viên xác minh",
            "Accepted for handling, assigned to Lê Minh Khôi — Thanh tra viên",
        ),
        Sentence("Ghi nhận kết quả xác minh", "Recorded a verification"),
        Sentence("Tổ chức đối thoại ngày 2026-03-09", "Held a dialogue on 2026-03-09"),
        Sentence("Gia hạn thời hạn giải quyết", "Extended the handling term"),
        Sentence("Tạm đình chỉ việc giải quyết", "Suspended the handling"),
        Sentence("Tiếp tục giải quyết", "Resumed the handling"),
        Sentence(
            "Ban hành kết quả giải quyết: nội dung đơn đúng (số 12/QĐ-SXD)",
            "Issued the result: found right (No. 12/QĐ-SXD)",
        ),
        Sentence("Công khai kết quả giải quyết", "Published the result"),
    ]


def test_a_transfer_names_the_agency_and_a_guidance_the_body() -> None:
    """Units by their names, never their codes; a body outside the system as written."""
    app = desk_app(SimulatedClock(MONDAY))
    moved = classified(app, competence=Competence.CITY_AGENCY)
    app.petitions.execute(Transfer(to_agency="UBND-Q1"), moved, actor=HEAD, request_id="r")
    said = last(app, moved)
    assert said == Sentence(
        "Chuyển đơn đến Ủy ban nhân dân Quận 1",
        "Transferred the petition to District 1 People's Committee",
    )
    guided = classified(app, competence=Competence.OUTSIDE_CITY)
    app.petitions.execute(Guide(body="Tòa án nhân dân"), guided, actor=HEAD, request_id="r")
    assert last(app, guided).vi == "Hướng dẫn công dân gửi đơn đến Tòa án nhân dân"


@pytest.mark.parametrize("ground", [*NotAcceptedGround, *ArchiveGround])
def test_a_ground_is_said_in_the_laws_words(ground: NotAcceptedGround | ArchiveGround) -> None:
    """Not accepting or archiving names the ground by the law's label, in each language."""
    app = desk_app(SimulatedClock(AFTER_2025_AMENDMENTS))
    if isinstance(ground, ArchiveGround):
        receipt = classified(app)
        command: PetitionCommand = Archive(ground=ground)
        prefix = Sentence("Lưu đơn: ", "Archived: ")
    else:
        kind = Kind.COMPLAINT if ground.value.startswith("complaint.") else Kind.DENUNCIATION
        receipt = classified(app, kind, decision_known_on=date(2025, 1, 2))
        command = NotAccept(ground=ground)
        prefix = Sentence("Không thụ lý: ", "Not accepted: ")
    app.petitions.execute(command, receipt, actor=HEAD, request_id="r")
    label = LABELS[ground]
    assert last(app, receipt) == Sentence(prefix.vi + label.vi, prefix.en + label.en)


def test_who_acted_is_the_agencys_reception_or_its_head() -> None:
    """``tell`` names the acting desk as officials would: its reception or its head."""
    app = desk_app(SimulatedClock(MONDAY))
    receipt = classified(app)
    received_event, classified_event = app.petitions.history(receipt)
    assert tell(received_event, RECEPTION, NAMES).vi.startswith(
        f"Bộ phận tiếp công dân Sở Xây dựng tiếp nhận đơn {receipt}"
    )
    app.petitions.execute(WithdrawPetition(reason="Rút."), receipt, actor=HEAD, request_id="r")
    withdrawn = app.petitions.history(receipt)[-1]
    assert isinstance(withdrawn, Petition.Withdrawn)
    said = tell(withdrawn, HEAD, NAMES)
    assert said == Sentence(
        "Thủ trưởng Sở Xây dựng ghi nhận công dân rút đơn",
        "The head of Department of Construction recorded that the petitioner withdrew it",
    )
    assert tell(classified_event, RECEPTION, NAMES).en.startswith(
        "The reception of Department of Construction classified as a complaint"
    )

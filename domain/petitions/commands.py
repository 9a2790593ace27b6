"""The commands of a petition's life, as data: each written once, here; the API's request
schemas, the OpenAPI description and the pages' forms are derived from them (``api.commands``).

``ReceivePetition`` makes a petition (``PetitionDesk.receive``); every other command names the
petition's method it runs and is run by ``PetitionDesk.execute`` on the petition a receipt code
names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from domain.petitions.law import ArchiveGround, NotAcceptedGround
from domain.petitions.petition import Channel, Competence, Field, Kind, Verdict
from domain.shared.commands import Command, Origin


@dataclass(frozen=True, kw_only=True)
class PetitionerGiven:
    """A petitioner as the reception enters them; sealed before anything is recorded."""

    full_name: str
    id_number: str | None = None
    address: str = ""
    phone: str = ""


@dataclass(frozen=True, kw_only=True)
class ReceivePetition:
    """Tiếp nhận: what the agency received. ``previous_receipt``: the earlier petition this one
    follows (a second-round complaint, a repeated denunciation, the same matter again)."""

    agency: str
    channel: Channel = Channel.IN_PERSON
    received_on: date | None = None
    petitioners: tuple[PetitionerGiven, ...] = ()
    anonymous: bool = False
    signers: int | None = None
    content: str
    subject: str = ""
    attachments: tuple[str, ...] = ()
    decision_known_on: date | None = None
    previous_receipt: str | None = None


@dataclass(frozen=True, kw_only=True)
class PetitionCommand(Command):
    """A command on an existing petition."""

    # Whether the command hands the petition to another agency (which must exist and be active).
    moves: ClassVar[bool] = False

    def other(self) -> str | None:
        """The receipt code of another petition the command needs as it stands (read by the
        desk, whoever holds it), or None."""
        return None

    def apply_beside(self, petition: Any, other: Any, origin: Origin) -> None:
        """Run the command with the other petition ``other()`` names (None if none)."""
        self.apply(petition, origin)


@dataclass(frozen=True, kw_only=True)
class Classify(PetitionCommand):
    """Phân loại."""

    method = "classify"
    kind: Kind
    field: Field
    competence: Competence
    several_places: bool = False
    competent_body: str = ""


@dataclass(frozen=True, kw_only=True)
class Accept(PetitionCommand):
    """Thụ lý: accept for handling and assign the handling officer."""

    method = "accept"
    handler: str
    excused_delay: str = ""
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Guide(PetitionCommand):
    """Hướng dẫn: tell the petitioner which body is competent."""

    method = "guide"
    body: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Transfer(PetitionCommand):
    """Chuyển đơn: to an agency of the city, or to a body outside it."""

    method = "transfer"
    moves = True
    to_agency: str | None = None
    body: str = ""
    note: str = ""

    def units_assigned(self) -> tuple[str, ...]:
        return () if self.to_agency is None else (self.to_agency,)


@dataclass(frozen=True, kw_only=True)
class NotAccept(PetitionCommand):
    """Không thụ lý, on a ground of the law."""

    method = "not_accept"
    ground: NotAcceptedGround
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Archive(PetitionCommand):
    """Lưu đơn."""

    method = "archive"
    ground: ArchiveGround
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class RecordVerification(PetitionCommand):
    """Xác minh."""

    method = "record_verification"
    summary: str
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class HoldDialogue(PetitionCommand):
    """Đối thoại."""

    method = "hold_dialogue"
    held_on: date
    summary: str


@dataclass(frozen=True, kw_only=True)
class Extend(PetitionCommand):
    """Gia hạn giải quyết."""

    method = "extend"
    reason: str


@dataclass(frozen=True, kw_only=True)
class Suspend(PetitionCommand):
    """Tạm đình chỉ giải quyết: the days it waits do not count against the term."""

    method = "suspend"
    reason: str


@dataclass(frozen=True, kw_only=True)
class Resume(PetitionCommand):
    """Tiếp tục giải quyết."""

    method = "resume"
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Resolve(PetitionCommand):
    """Ban hành kết quả giải quyết."""

    method = "resolve"
    verdict: Verdict
    summary: str
    decision_reference: str = ""
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class PublishResult(PetitionCommand):
    """Công khai kết quả."""

    method = "publish_result"


@dataclass(frozen=True, kw_only=True)
class WithdrawPetition(PetitionCommand):
    """Rút đơn."""

    method = "withdraw"
    reason: str


@dataclass(frozen=True, kw_only=True)
class MarkSameMatter(PetitionCommand):
    """Đánh dấu cùng nội dung với hồ sơ trước: this filing is the same matter as ``earlier``."""

    method = "mark_same_matter"
    earlier: str
    reason: str

    def other(self) -> str | None:
        return self.earlier

    def apply_beside(self, petition: Any, other: Any, origin: Origin) -> None:
        petition.mark_same_matter(earlier=other, reason=self.reason, **origin.fields())


@dataclass(frozen=True, kw_only=True)
class UnmarkSameMatter(PetitionCommand):
    """Bỏ đánh dấu cùng nội dung: the link was wrong."""

    method = "unmark_same_matter"
    earlier: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class AnswerWithEarlier(PetitionCommand):
    """Trả lời bằng kết quả đã giải quyết của hồ sơ trước (no new facts)."""

    method = "answer_with_earlier"
    earlier: str
    note: str = ""

    def other(self) -> str | None:
        return self.earlier

    def apply_beside(self, petition: Any, other: Any, origin: Origin) -> None:
        petition.answer_with_earlier(earlier=other, note=self.note, **origin.fields())


LIFECYCLE: tuple[type[PetitionCommand], ...] = (
    Classify,
    Accept,
    Guide,
    Transfer,
    NotAccept,
    Archive,
    RecordVerification,
    HoldDialogue,
    Extend,
    Suspend,
    Resume,
    Resolve,
    PublishResult,
    WithdrawPetition,
    MarkSameMatter,
    UnmarkSameMatter,
    AnswerWithEarlier,
)

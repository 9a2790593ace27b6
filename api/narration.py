"""Events told in plain words, Vietnamese first and English second, for history and audit views."""

from __future__ import annotations

from dataclasses import dataclass

from domain.directive import Directive
from domain.units import UnitRegistry


@dataclass(frozen=True, slots=True)
class Sentence:
    vi: str
    en: str


def narrate(event: object) -> Sentence:  # noqa: PLR0911, PLR0912 - one branch per kind of event
    """What happened, as a short sentence in both languages."""
    if isinstance(event, Directive.Issued):
        deadline = event.deadline.isoformat() if event.deadline else "không thời hạn"
        deadline_en = event.deadline.isoformat() if event.deadline else "no deadline"
        return Sentence(
            f"Ban hành {event.reference}, giao {event.lead_unit} chủ trì, hạn {deadline}",
            f"Issued {event.reference} to {event.lead_unit}, due {deadline_en}",
        )
    if isinstance(event, Directive.Acknowledged):
        return Sentence("Tiếp nhận văn bản", "Acknowledged receipt")
    if isinstance(event, Directive.ProgressReported):
        return Sentence(f"Báo cáo tiến độ {event.percent}%", f"Reported progress {event.percent}%")
    if isinstance(event, Directive.ContributionReported):
        return Sentence(f"{event.unit} báo cáo phối hợp", f"{event.unit} reported its contribution")
    if isinstance(event, Directive.ExtensionRequested):
        day = event.requested_deadline.isoformat()
        return Sentence(
            f"Xin gia hạn lần {event.number} đến {day}",
            f"Requested extension {event.number} to {day}",
        )
    if isinstance(event, Directive.ExtensionGranted):
        day = event.new_deadline.isoformat()
        return Sentence(
            f"Duyệt gia hạn lần {event.number}, hạn mới {day}",
            f"Granted extension {event.number}, new deadline {day}",
        )
    if isinstance(event, Directive.ExtensionDenied):
        return Sentence(f"Từ chối gia hạn lần {event.number}", f"Denied extension {event.number}")
    if isinstance(event, Directive.CompletionReported):
        return Sentence("Báo cáo hoàn thành", "Reported completion")
    if isinstance(event, Directive.CompletionAccepted):
        return Sentence("Nghiệm thu, công nhận hoàn thành", "Accepted completion")
    if isinstance(event, Directive.CompletionReturned):
        return Sentence("Trả lại báo cáo hoàn thành", "Returned completion for rework")
    if isinstance(event, Directive.Reassigned):
        return Sentence(
            f"Chuyển giao từ {event.from_unit} sang {event.to_unit}",
            f"Reassigned from {event.from_unit} to {event.to_unit}",
        )
    if isinstance(event, Directive.Withdrawn):
        return Sentence("Thu hồi văn bản", "Withdrew the directive")
    if isinstance(event, Directive.ReminderSent):
        return Sentence("Đôn đốc thực hiện", "Sent a reminder")
    if isinstance(event, Directive.ExplanationRequested):
        return Sentence(
            f"Yêu cầu giải trình lần {event.number}", f"Requested explanation {event.number}"
        )
    if isinstance(event, Directive.ExplanationGiven):
        return Sentence(f"Giải trình lần {event.number}", f"Gave explanation {event.number}")
    if isinstance(event, UnitRegistry.UnitAdded):
        return Sentence(f"Thêm đơn vị {event.code}", f"Added unit {event.code}")
    if isinstance(event, UnitRegistry.UnitRenamed):
        return Sentence(f"Đổi tên đơn vị {event.code}", f"Renamed unit {event.code}")
    if isinstance(event, UnitRegistry.UnitDeactivated):
        return Sentence(f"Ngừng hoạt động đơn vị {event.code}", f"Deactivated unit {event.code}")
    name = type(event).__name__
    return Sentence(name, name)

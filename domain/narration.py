"""Events told in plain words, Vietnamese first and English second, for history and audit views."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from domain.accounts.account import UserAccount
from domain.directives.directive import Directive
from domain.shared.actors import Actor, Role
from domain.units.registry import UnitRegistry


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
        return Sentence(
            f"Báo cáo kết quả phối hợp của {event.unit}",
            f"Reported the contribution of {event.unit}",
        )
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
    if isinstance(event, UnitRegistry.Opened):
        return Sentence("Lập danh mục đơn vị", "Opened the unit registry")
    if isinstance(event, UnitRegistry.UnitAdded):
        return Sentence(f"Thêm đơn vị {event.code}", f"Added unit {event.code}")
    if isinstance(event, UnitRegistry.UnitRenamed):
        return Sentence(f"Đổi tên đơn vị {event.code}", f"Renamed unit {event.code}")
    if isinstance(event, UnitRegistry.UnitDeactivated):
        return Sentence(f"Ngừng hoạt động đơn vị {event.code}", f"Deactivated unit {event.code}")
    return _narrate_account(event)


def _narrate_account(event: object) -> Sentence:  # noqa: PLR0911 - one branch per kind of event
    if isinstance(event, UserAccount.Created):
        return Sentence(
            f"Tạo tài khoản {event.username} ({event.role.value})",
            f"Created the account {event.username} ({event.role.value})",
        )
    if isinstance(event, UserAccount.RoleChanged):
        unit = f", {event.unit}" if event.unit else ""
        return Sentence(
            f"Đổi vai trò thành {event.role.value}{unit}",
            f"Changed the role to {event.role.value}{unit}",
        )
    if isinstance(event, UserAccount.PasswordChanged):
        return Sentence("Đổi mật khẩu", "Changed the password")
    if isinstance(event, UserAccount.Disabled):
        return Sentence("Khóa tài khoản", "Disabled the account")
    if isinstance(event, UserAccount.Enabled):
        return Sentence("Mở khóa tài khoản", "Enabled the account")
    if isinstance(event, UserAccount.SignedIn):
        return Sentence("Đăng nhập", "Signed in")
    if isinstance(event, UserAccount.TokenRevoked):
        return Sentence("Thu hồi phiên đăng nhập", "Revoked a sign-in token")
    name = type(event).__name__
    return Sentence(name, name)


ROLE_SUBJECTS = {
    Role.LEADER: Sentence("Lãnh đạo UBND", "The committee's leadership"),
    Role.OFFICE: Sentence("Văn phòng UBND", "The committee's Office"),
    Role.INSPECTOR: Sentence("Thanh tra", "The inspectorate"),
    Role.ADMIN: Sentence("Quản trị hệ thống", "The system administrator"),
}


def unit_sentences(registry: UnitRegistry) -> dict[str, Sentence]:
    """Every unit's name in both languages, by code: what ``tell`` names a unit by."""
    return {code: Sentence(u.name_vi, u.name_en) for code, u in registry.units.items()}


def subject(actor: Actor, unit_names: Mapping[str, Sentence]) -> Sentence:
    """Who acted, as the officials would say it: the unit for a department, else the role."""
    if actor.role is Role.DEPARTMENT and actor.unit:
        return unit_names.get(actor.unit, Sentence(actor.unit, actor.unit))
    return ROLE_SUBJECTS.get(actor.role, Sentence(actor.role.value, actor.role.value))


def tell(event: object, actor: Actor, unit_names: Mapping[str, Sentence]) -> Sentence:
    """Who did what, in one sentence: "Sở Công Thương báo cáo tiến độ 60%"."""
    who = subject(actor, unit_names)
    what = narrate(event)
    return Sentence(f"{who.vi} {_lower_first(what.vi)}", f"{who.en} {_lower_first(what.en)}")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]

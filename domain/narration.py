"""Events told in plain words, Vietnamese first and English second, for history and audit views.

Units are named as the registry names them ("giao Sở Công Thương chủ trì"), never by their codes,
which are identifiers for the machine: whoever tells an event passes the names it knows
(``unit_sentences``); a code is shown only for a unit the registry does not know. Days are
written as ISO 8601 (the command line, the API) unless the teller passes how its readers write
them (``Days``: the pages write 18/10/2026 and Oct 18, 2026).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from domain.accounts.account import UserAccount
from domain.calendar.work_calendar import WorkCalendar
from domain.directives.directive import Directive
from domain.personal.erasure import Erasure
from domain.shared.actors import Actor, Role
from domain.units.registry import UnitRegistry


@dataclass(frozen=True, slots=True)
class Sentence:
    vi: str
    en: str


Names = Mapping[str, Sentence]
"""Units' names in both languages, by code (``unit_sentences``)."""

Days = Callable[[date], Sentence]
"""A day as written in each language."""


def iso_days(day: date) -> Sentence:
    """A day in ISO 8601 in both languages (2026-10-18): for the command line and the API."""
    return Sentence(day.isoformat(), day.isoformat())


def named(code: str | None, names: Names) -> Sentence:
    """A unit by its name, or by its code if the registry does not know it."""
    if code is None:
        return Sentence("—", "—")
    return names.get(code, Sentence(code, code))


def _listed(codes: tuple[str, ...], names: Names) -> Sentence:
    units = [named(c, names) for c in codes]
    return Sentence(", ".join(u.vi for u in units), ", ".join(u.en for u in units))


# What each kind of directive event is called, as a filter or a heading offers it.
ACTION_NAMES: dict[str, Sentence] = {
    "Issued": Sentence("Ban hành văn bản", "Directive issued"),
    "Acknowledged": Sentence("Tiếp nhận văn bản", "Receipt acknowledged"),
    "ProgressReported": Sentence("Báo cáo tiến độ", "Progress reported"),
    "ContributionReported": Sentence("Báo cáo kết quả phối hợp", "Contribution reported"),
    "ExtensionRequested": Sentence("Xin gia hạn", "Extension requested"),
    "ExtensionGranted": Sentence("Duyệt gia hạn", "Extension granted"),
    "ExtensionDenied": Sentence("Từ chối gia hạn", "Extension denied"),
    "CompletionReported": Sentence("Báo cáo hoàn thành", "Completion reported"),
    "CompletionAccepted": Sentence("Nghiệm thu, công nhận hoàn thành", "Completion accepted"),
    "CompletionReturned": Sentence("Trả lại báo cáo hoàn thành", "Completion returned"),
    "Reassigned": Sentence("Chuyển giao đơn vị chủ trì", "Lead unit changed"),
    "Withdrawn": Sentence("Thu hồi văn bản", "Directive withdrawn"),
    "ReminderSent": Sentence("Đôn đốc", "Reminder sent"),
    "ExplanationRequested": Sentence("Yêu cầu giải trình", "Explanation requested"),
    "ExplanationGiven": Sentence("Giải trình", "Explanation given"),
}

ROLE_NAMES: dict[Role, Sentence] = {
    Role.LEADER: Sentence("lãnh đạo UBND", "committee leader"),
    Role.OFFICE: Sentence("Văn phòng UBND", "committee office"),
    Role.DEPARTMENT: Sentence("cán bộ đơn vị", "unit officer"),
    Role.INSPECTOR: Sentence("thanh tra", "inspector"),
    Role.ADMIN: Sentence("quản trị", "administrator"),
    Role.RECEPTION: Sentence("cán bộ tiếp công dân", "reception officer"),
    Role.AGENCY_HEAD: Sentence("thủ trưởng cơ quan", "head of agency"),
}


def narrate(event: object, names: Names, days: Days = iso_days) -> Sentence:  # noqa: PLR0911, PLR0912 - one branch per kind of event
    """What happened, as a short sentence in both languages, the units named by ``names`` and
    the days written by ``days``."""
    if isinstance(event, Directive.Issued):
        lead = named(event.lead_unit, names)
        helpers = _listed(event.coordinating_units, names)
        with_vi = f", {helpers.vi} phối hợp" if event.coordinating_units else ""
        with_en = f", with {helpers.en}" if event.coordinating_units else ""
        if event.deadline is None:
            due_vi, due_en = "không có thời hạn", "with no deadline"
        else:
            day = days(event.deadline)
            due_vi, due_en = f"hạn {day.vi}", f"due {day.en}"
        return Sentence(
            f"Ban hành {event.reference}, giao {lead.vi} chủ trì{with_vi}, {due_vi}",
            f"Issued {event.reference} to {lead.en}{with_en}, {due_en}",
        )
    if isinstance(event, Directive.Acknowledged):
        return Sentence("Tiếp nhận văn bản", "Acknowledged receipt")
    if isinstance(event, Directive.ProgressReported):
        return Sentence(f"Báo cáo tiến độ {event.percent}%", f"Reported progress {event.percent}%")
    if isinstance(event, Directive.ContributionReported):
        unit = named(event.unit, names)
        return Sentence(
            f"Báo cáo kết quả phối hợp của {unit.vi}",
            f"Reported the contribution of {unit.en}",
        )
    if isinstance(event, Directive.ExtensionRequested):
        day = days(event.requested_deadline)
        return Sentence(
            f"Xin gia hạn lần {event.number} đến {day.vi}",
            f"Requested extension {event.number} to {day.en}",
        )
    if isinstance(event, Directive.ExtensionGranted):
        day = days(event.new_deadline)
        return Sentence(
            f"Duyệt gia hạn lần {event.number}, hạn mới {day.vi}",
            f"Granted extension {event.number}, new deadline {day.en}",
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
        old, new = named(event.from_unit, names), named(event.to_unit, names)
        return Sentence(
            f"Chuyển giao chủ trì từ {old.vi} sang {new.vi}",
            f"Reassigned the lead from {old.en} to {new.en}",
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
    if isinstance(event, WorkCalendar.Event):
        return _narrate_calendar(event, days)
    return _narrate_registry(event, names)


def _narrate_calendar(event: WorkCalendar.Event, days: Days) -> Sentence:
    if isinstance(event, WorkCalendar.SwapDeclared):
        off = days(event.day_off)
        if event.make_up_day is None:
            return Sentence(
                f"Khai báo ngày nghỉ {off.vi} theo {event.decision_reference}",
                f"Declared {off.en} a day off per {event.decision_reference}",
            )
        made_up = days(event.make_up_day)
        return Sentence(
            f"Hoán đổi ngày làm việc theo {event.decision_reference}: nghỉ {off.vi}, "
            f"làm bù {made_up.vi}",
            f"Swapped working days per {event.decision_reference}: {off.en} off, "
            f"{made_up.en} worked instead",
        )
    if isinstance(event, WorkCalendar.SwapWithdrawn):
        off = days(event.day_off)
        return Sentence(
            f"Hủy hoán đổi ngày nghỉ {off.vi}",
            f"Withdrew the swap that made {off.en} a day off",
        )
    return Sentence("Lập lịch ngày làm việc", "Opened the working-day calendar")


def _narrate_registry(event: object, names: Names) -> Sentence:
    if isinstance(event, UnitRegistry.Opened):
        return Sentence("Lập danh mục đơn vị", "Opened the unit registry")
    if isinstance(event, UnitRegistry.UnitAdded):
        return Sentence(
            f"Thêm đơn vị {event.name_vi} (mã {event.code})",
            f"Added the unit {event.name_en} (code {event.code})",
        )
    if isinstance(event, UnitRegistry.UnitRenamed):
        return Sentence(
            f"Đổi tên đơn vị mã {event.code} thành {event.name_vi}",
            f"Renamed the unit with code {event.code} to {event.name_en}",
        )
    if isinstance(event, UnitRegistry.UnitDeactivated):
        unit = named(event.code, names)
        return Sentence(f"Ngừng hoạt động đơn vị {unit.vi}", f"Deactivated the unit {unit.en}")
    return _narrate_account(event, names)


def _narrate_account(event: object, names: Names) -> Sentence:  # noqa: PLR0911 - one branch per kind of event
    if isinstance(event, UserAccount.Created):
        role = ROLE_NAMES[event.role]
        unit = named(event.unit, names) if event.unit else None
        return Sentence(
            f"Tạo tài khoản {event.username} ({role.vi}{', ' + unit.vi if unit else ''})",
            f"Created the account {event.username} ({role.en}{', ' + unit.en if unit else ''})",
        )
    if isinstance(event, UserAccount.RoleChanged):
        role = ROLE_NAMES[event.role]
        unit = named(event.unit, names) if event.unit else None
        return Sentence(
            f"Đổi vai trò thành {role.vi}{', ' + unit.vi if unit else ''}",
            f"Changed the role to {role.en}{', ' + unit.en if unit else ''}",
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
    if isinstance(event, Erasure.Ordered):
        count = len(event.person_ids)
        return Sentence(
            f"Xóa dữ liệu cá nhân của {count} người",
            f"Erased the personal data of {count} person{'s' if count != 1 else ''}",
        )
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


def subject(actor: Actor, unit_names: Names) -> Sentence:
    """Who acted, as the officials would say it: the unit for a department, else the role."""
    if actor.role is Role.DEPARTMENT and actor.unit:
        return named(actor.unit, unit_names)
    return ROLE_SUBJECTS.get(actor.role, Sentence(actor.role.value, actor.role.value))


def tell(event: object, actor: Actor, unit_names: Names, days: Days = iso_days) -> Sentence:
    """Who did what, in one sentence: "Sở Công Thương báo cáo tiến độ 60%" (days written by
    ``days``)."""
    who = subject(actor, unit_names)
    if isinstance(event, Directive.ContributionReported) and actor.unit == event.unit:
        what = Sentence("Báo cáo kết quả phối hợp", "Reported its contribution")  # its own
    else:
        what = narrate(event, unit_names, days)
    return Sentence(f"{who.vi} {_lower_first(what.vi)}", f"{who.en} {_lower_first(what.en)}")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]

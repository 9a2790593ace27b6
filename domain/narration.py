"""Events told in plain words, Vietnamese first and English second, for history and audit views.

Units are named as the registry names them ("giao Sở Công Thương chủ trì"), never by their codes,
which are identifiers for the machine: whoever tells an event passes the names it knows
(``unit_sentences``); a code is shown only for a unit the registry does not know. Days are
written as ISO 8601 (the command line, the API) unless the teller passes how its readers write
them (``Days``: the pages write 18/10/2026 and Oct 18, 2026), and officers by their user names
unless it passes how it names people (``People``).

A petition's events are told without its petitioners: they are sealed in the events, and a
sentence reaches the audit trail, which everyone who may read the trail reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from domain.accounts.account import UserAccount
from domain.calendar.work_calendar import WorkCalendar
from domain.directives.directive import Directive
from domain.dti.assessment import Assessment
from domain.dti.index import DtiIndex
from domain.personal.erasure import Erasure
from domain.petitions.law import LABELS, ArchiveGround, NotAcceptedGround
from domain.petitions.petition import (
    MANY_SIGNERS,
    Channel,
    Competence,
    Field,
    Kind,
    Petition,
    Relation,
    Status,
    Verdict,
)
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

People = Callable[[str], str]
"""An officer, by their user name, as the teller names people."""


def iso_days(day: date) -> Sentence:
    """A day in ISO 8601 in both languages (2026-10-18): for the command line and the API."""
    return Sentence(day.isoformat(), day.isoformat())


def user_names(username: str) -> str:
    """An officer by their user name: for the command line, the API and the trail."""
    return username


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
    "HandedOver": Sentence("Bàn giao theo sắp xếp đơn vị", "Handed over in a reorganisation"),
    "ReminderSent": Sentence("Đôn đốc", "Reminder sent"),
    "ExplanationRequested": Sentence("Yêu cầu giải trình", "Explanation requested"),
    "ExplanationGiven": Sentence("Giải trình", "Explanation given"),
    "Commented": Sentence("Thảo luận", "Comment"),
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


def narrate(  # noqa: PLR0911, PLR0912 - one branch per kind of event
    event: object, names: Names, days: Days = iso_days, people: People = user_names
) -> Sentence:
    """What happened, as a short sentence in both languages, the units named by ``names``, the
    days written by ``days`` and officers named by ``people``."""
    if isinstance(event, Petition.Event):
        return narrate_petition(event, names, days, people)
    if isinstance(event, Assessment.Event | DtiIndex.Event):
        return narrate_dti(event, names, days)
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
    if isinstance(event, Directive.HandedOver):
        old, new = named(event.from_unit, names), named(event.to_unit, names)
        return Sentence(
            f"Bàn giao phần việc của {old.vi} cho {new.vi} theo {event.basis}",
            f"Handed the part of {old.en} over to {new.en} under {event.basis}",
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
    if isinstance(event, Directive.Commented):
        if event.reply_to is not None:
            return Sentence(
                f"Trả lời ý kiến số {event.reply_to} (ý kiến số {event.number})",
                f"Replied to comment {event.reply_to} (comment {event.number})",
            )
        return Sentence(
            f"Nêu ý kiến thảo luận số {event.number}", f"Commented (comment {event.number})"
        )
    if isinstance(event, WorkCalendar.Event):
        return _narrate_calendar(event, days)
    return _narrate_registry(event, names)


# --- petitions ------------------------------------------------------------------------------------

CHANNEL_WORDS: dict[Channel, Sentence] = {
    Channel.IN_PERSON: Sentence("trực tiếp tại nơi tiếp công dân", "in person"),
    Channel.POST: Sentence("qua bưu chính", "by post"),
    Channel.ONLINE: Sentence("trực tuyến", "online"),
    Channel.TRANSFERRED: Sentence("do cơ quan khác chuyển đến", "from another agency"),
}
KIND_WORDS: dict[Kind, Sentence] = {
    Kind.COMPLAINT: Sentence("đơn khiếu nại", "a complaint"),
    Kind.DENUNCIATION: Sentence("đơn tố cáo", "a denunciation"),
    Kind.PROPOSAL: Sentence("đơn kiến nghị, phản ánh", "a proposal or feedback"),
    Kind.MIXED: Sentence("đơn có nhiều nội dung", "a petition of mixed content"),
}
FIELD_WORDS: dict[Field, Sentence] = {
    Field.LAND: Sentence("đất đai", "land"),
    Field.COMPENSATION: Sentence(
        "bồi thường, giải phóng mặt bằng", "compensation and site clearance"
    ),
    Field.CONSTRUCTION: Sentence("trật tự xây dựng", "construction order"),
    Field.ENVIRONMENT: Sentence("môi trường", "environment"),
    Field.CONDUCT: Sentence("tác phong, đạo đức công vụ", "officials' conduct"),
    Field.SOCIAL_POLICY: Sentence("chính sách xã hội", "social policy"),
    Field.OTHER: Sentence("khác", "other"),
}
COMPETENCE_WORDS: dict[Competence, Sentence] = {
    Competence.OURS: Sentence("thuộc thẩm quyền giải quyết", "ours to handle"),
    Competence.CITY_AGENCY: Sentence(
        "thuộc thẩm quyền cơ quan khác của Thành phố", "for another agency of the city"
    ),
    Competence.OUTSIDE_CITY: Sentence(
        "thuộc thẩm quyền cơ quan ngoài Thành phố", "for a body outside the city"
    ),
}
VERDICT_WORDS: dict[Verdict, Sentence] = {
    Verdict.RIGHT: Sentence("nội dung đơn đúng", "found right"),
    Verdict.PARTLY_RIGHT: Sentence("nội dung đơn đúng một phần", "found partly right"),
    Verdict.WRONG: Sentence("nội dung đơn sai", "found wrong"),
    Verdict.ANSWERED: Sentence("đã trả lời", "answered"),
}


def ground_words(ground: NotAcceptedGround | ArchiveGround) -> Sentence:
    """A ground for not accepting or archiving, as the law's labels say it."""
    label = LABELS[ground]
    return Sentence(label.vi, label.en)


def narrate_petition(  # noqa: PLR0911 - one branch per kind of event
    event: Petition.Event, names: Names, days: Days = iso_days, people: People = user_names
) -> Sentence:
    """A petition's event in words; never who filed it."""
    if isinstance(event, Petition.Received):
        return _received(event, days)
    if isinstance(event, Petition.Classified):
        kind, field = KIND_WORDS[event.kind], FIELD_WORDS[event.field]
        competence = COMPETENCE_WORDS[event.competence]
        places = Sentence(", cần xác minh ở nhiều nơi", ", to be checked in several places")
        several = event.several_places
        return Sentence(
            f"Phân loại: {kind.vi}, lĩnh vực {field.vi}, {competence.vi}"
            + (places.vi if several else ""),
            f"Classified as {kind.en}, field: {field.en}, {competence.en}"
            + (places.en if several else ""),
        )
    if isinstance(event, Petition.Accepted):
        handler = people(event.handler)
        late = Sentence(
            "; đơn gửi quá thời hiệu vì trở ngại khách quan",
            "; filed late for a reason beyond the complainant's control",
        )
        excused = bool(event.excused_delay)
        return Sentence(
            f"Thụ lý giải quyết, giao {handler} xác minh" + (late.vi if excused else ""),
            f"Accepted for handling, assigned to {handler}" + (late.en if excused else ""),
        )
    if isinstance(event, Petition.Guided):
        return Sentence(
            f"Hướng dẫn công dân gửi đơn đến {event.body}",
            f"Guided the petitioner to {event.body}",
        )
    if isinstance(event, Petition.Transferred):
        if event.to_agency is not None:
            agency = named(event.to_agency, names)
            return Sentence(
                f"Chuyển đơn đến {agency.vi}", f"Transferred the petition to {agency.en}"
            )
        return Sentence(
            f"Chuyển đơn đến {event.body} (ngoài hệ thống)",
            f"Transferred the petition to {event.body}, outside the system",
        )
    if isinstance(event, Petition.NotAccepted | Petition.Archived):
        ground = ground_words(event.ground)
        if isinstance(event, Petition.NotAccepted):
            return Sentence(f"Không thụ lý: {ground.vi}", f"Not accepted: {ground.en}")
        return Sentence(f"Lưu đơn: {ground.vi}", f"Archived: {ground.en}")
    if isinstance(event, Petition.HandedOver):
        old, new = named(event.from_agency, names), named(event.to_agency, names)
        return Sentence(
            f"Bàn giao hồ sơ từ {old.vi} sang {new.vi} theo {event.basis}",
            f"Handed the case over from {old.en} to {new.en} under {event.basis}",
        )
    return _handled(event, days)


def _received(event: Petition.Received, days: Days) -> Sentence:
    channel, day = CHANNEL_WORDS[event.channel], days(event.received_on)
    vi = f"Tiếp nhận đơn {event.receipt} ({channel.vi}, ngày {day.vi})"
    en = f"Received petition {event.receipt} ({channel.en}, on {day.en})"
    if event.anonymous:
        vi, en = vi + ", đơn nặc danh", en + ", anonymous"
    elif event.signers > 1:
        vi, en = vi + f", {event.signers} người ký", en + f", signed by {event.signers}"
    if event.signers >= MANY_SIGNERS:
        vi, en = vi + ", đơn đông người", en + ", a petition of many signers"
    if event.follows_receipt:
        if event.relation is Relation.SECOND_ROUND:
            vi += f", khiếu nại lần hai sau đơn {event.follows_receipt}"
            en += f", a second round after {event.follows_receipt}"
        else:
            vi += f", gửi lại nội dung đơn {event.follows_receipt}"
            en += f", the matter of {event.follows_receipt} again"
    return Sentence(vi, en)


def _handled(event: Petition.Event, days: Days) -> Sentence:  # noqa: PLR0911 - one branch per kind of event
    if isinstance(event, Petition.VerificationRecorded):
        return Sentence("Ghi nhận kết quả xác minh", "Recorded a verification")
    if isinstance(event, Petition.DialogueHeld):
        day = days(event.held_on)
        return Sentence(f"Tổ chức đối thoại ngày {day.vi}", f"Held a dialogue on {day.en}")
    if isinstance(event, Petition.Extended):
        return Sentence("Gia hạn thời hạn giải quyết", "Extended the handling term")
    if isinstance(event, Petition.Suspended):
        return Sentence("Tạm đình chỉ việc giải quyết", "Suspended the handling")
    if isinstance(event, Petition.Resumed):
        return Sentence("Tiếp tục giải quyết", "Resumed the handling")
    if isinstance(event, Petition.Resolved):
        verdict = VERDICT_WORDS[event.verdict]
        number = event.decision_reference
        return Sentence(
            f"Ban hành kết quả giải quyết: {verdict.vi}" + (f" (số {number})" if number else ""),
            f"Issued the result: {verdict.en}" + (f" (No. {number})" if number else ""),
        )
    if isinstance(event, Petition.ResultPublished):
        return Sentence("Công khai kết quả giải quyết", "Published the result")
    if isinstance(event, Petition.Withdrawn):
        return Sentence("Ghi nhận công dân rút đơn", "Recorded that the petitioner withdrew it")
    return _same_matter(event)


def _same_matter(event: Petition.Event) -> Sentence:
    """The links of one matter (issue 26): marked, undone, answered with the earlier result."""
    if isinstance(event, Petition.SameMatterMarked):
        return Sentence(
            f"Đánh dấu cùng vụ việc với hồ sơ {event.earlier}: {event.reason}",
            f"Marked as the same matter as {event.earlier}: {event.reason}",
        )
    if isinstance(event, Petition.SameMatterUnmarked):
        return Sentence(
            f"Bỏ đánh dấu cùng vụ việc với hồ sơ {event.earlier}: {event.reason}",
            f"Undid the same-matter link to {event.earlier}: {event.reason}",
        )
    if isinstance(event, Petition.AnsweredWithEarlier):
        ground = ground_words(
            NotAcceptedGround(event.ground)
            if event.status is Status.NOT_ACCEPTED
            else ArchiveGround(event.ground)
        )
        return Sentence(
            f"Trả lời bằng kết quả giải quyết của hồ sơ {event.earlier} ({ground.vi})",
            f"Answered with the result of {event.earlier} ({ground.en})",
        )
    name = type(event).__name__
    return Sentence(name, name)


def narrate_dti(  # noqa: PLR0911, PLR0912 - one branch per kind of event
    event: Assessment.Event | DtiIndex.Event, names: Names, days: Days = iso_days
) -> Sentence:
    """An event of the digital-transformation index, in both languages."""
    if isinstance(event, DtiIndex.VersionPublished):
        framework = event.framework
        return Sentence(
            f"Ban hành bộ chỉ số {framework.index} phiên bản {framework.version} "
            f"({framework.decision})",
            f"Published {framework.index} version {framework.version} ({framework.decision})",
        )
    if isinstance(event, DtiIndex.Opened):
        return Sentence(f"Lập bộ chỉ số {event.key}", f"Opened the index {event.key}")
    if isinstance(event, Assessment.Started):
        unit = named(event.unit, names)
        return Sentence(
            f"Mở kỳ tự đánh giá năm {event.period} của {unit.vi} ({event.index} phiên bản "
            f"{event.framework_version})",
            f"Started the {event.period} self-assessment of {unit.en} ({event.index} version "
            f"{event.framework_version})",
        )
    if isinstance(event, Assessment.ValueEntered):
        if event.value is None:
            return Sentence(
                f"Xóa số liệu chỉ số {event.component}",
                f"Withdrew the value of {event.component}",
            )
        return Sentence(
            f"Nhập số liệu chỉ số {event.component}: {_value(event.value)}",
            f"Entered {event.component}: {_value(event.value)}",
        )
    if isinstance(event, Assessment.ValueMeasured):
        measured = event.measurement
        value = measured.value
        said = Sentence("không có số liệu", "nothing to measure") if value is None else None
        shown = _value(value)
        return Sentence(
            f"Thucthi đo chỉ số {event.component}: {said.vi if said else shown} "
            f"(đến ngày {days(measured.as_of).vi}, vị trí {measured.position})",
            f"Thucthi measured {event.component}: {said.en if said else shown} "
            f"(as of {days(measured.as_of).en}, position {measured.position})",
        )
    if isinstance(event, Assessment.Submitted):
        return Sentence("Gửi kết quả tự đánh giá", "Submitted the self-assessment")
    if isinstance(event, Assessment.ValueAccepted):
        return Sentence(
            f"Chấp nhận số liệu chỉ số {event.component}", f"Accepted {event.component}"
        )
    if isinstance(event, Assessment.ValueAdjusted):
        return Sentence(
            f"Điều chỉnh chỉ số {event.component} thành {_value(event.value)}: {event.reason}",
            f"Adjusted {event.component} to {_value(event.value)}: {event.reason}",
        )
    if isinstance(event, Assessment.SentBack):
        due = days(event.due_on)
        return Sentence(
            f"Trả lại để giải trình, hạn {due.vi}: {event.reason}",
            f"Sent back, to answer by {due.en}: {event.reason}",
        )
    if isinstance(event, Assessment.Answered):
        late = Sentence(" (quá hạn)", " (late)") if event.late else Sentence("", "")
        return Sentence(f"Giải trình{late.vi}", f"Answered the return{late.en}")
    if isinstance(event, Assessment.AppraisalCompleted):
        return Sentence("Hoàn thành thẩm định", "Completed the appraisal")
    if isinstance(event, Assessment.Published):
        return Sentence("Công bố kết quả", "Published the results")
    if isinstance(event, Assessment.Corrected):
        return Sentence(
            f"Đính chính chỉ số {event.component} thành {_value(event.value)}: {event.reason}",
            f"Corrected {event.component} to {_value(event.value)}: {event.reason}",
        )
    name = type(event).__name__
    return Sentence(name, name)


def _value(value: object) -> str:
    number, of = getattr(value, "number", ""), getattr(value, "of", None)
    return f"{number}" if of is None else f"{number}/{of}"


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
    return _narrate_reorganisation(event, names)


def _narrate_reorganisation(event: object, names: Names) -> Sentence:
    """A merger, a split or a succession of units (docs/units.md)."""
    if isinstance(event, UnitRegistry.UnitsMerged):
        old, new = _listed(event.predecessors, names), named(event.successor, names)
        day = event.effective_on.strftime("%d/%m/%Y")
        return Sentence(
            f"Hợp nhất {old.vi} vào {new.vi} từ {day} theo {event.basis}",
            f"Merged {old.en} into {new.en} from {day} under {event.basis}",
        )
    if isinstance(event, UnitRegistry.UnitSplit):
        old, parts = named(event.predecessor, names), _listed(event.successors, names)
        day = event.effective_on.strftime("%d/%m/%Y")
        return Sentence(
            f"Chia tách {old.vi} thành {parts.vi} từ {day} theo {event.basis}",
            f"Split {old.en} into {parts.en} from {day} under {event.basis}",
        )
    if isinstance(event, UnitRegistry.UnitSucceeded):
        old, new = named(event.predecessor, names), named(event.successor, names)
        day = event.effective_on.strftime("%d/%m/%Y")
        return Sentence(
            f"{new.vi} kế thừa {old.vi} từ {day} theo {event.basis}",
            f"{new.en} succeeded {old.en} from {day} under {event.basis}",
        )
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
    if isinstance(event, UserAccount.ProfileChanged):
        title = f" — {event.title}" if event.title else ""
        return Sentence(
            f"Đổi họ tên, chức danh thành {event.display_name}{title}",
            f"Changed the name and title to {event.display_name}{title}",
        )
    if isinstance(event, UserAccount.PasswordChanged):
        return Sentence("Đổi mật khẩu", "Changed the password")
    if isinstance(event, UserAccount.Disabled):
        return Sentence("Khóa tài khoản", "Disabled the account")
    if isinstance(event, UserAccount.Enabled):
        return Sentence("Mở khóa tài khoản", "Enabled the account")
    if isinstance(event, UserAccount.LanguageChosen):
        vi, en = {"vi": ("tiếng Việt", "Vietnamese"), "en": ("tiếng Anh", "English")}[
            event.language.value
        ]
        return Sentence(f"Chọn ngôn ngữ thông báo: {vi}", f"Chose {en} for the notifications")
    if isinstance(event, UserAccount.SignedIn):
        return Sentence("Đăng nhập", "Signed in")
    if isinstance(event, UserAccount.TokenRevoked):
        return Sentence("Thu hồi phiên đăng nhập", "Revoked a sign-in token")
    if isinstance(event, UserAccount.ViewSaved):
        return Sentence(f"Lưu bộ lọc “{event.name}”", f"Saved the view “{event.name}”")
    if isinstance(event, UserAccount.ViewDeleted):
        return Sentence(f"Xóa bộ lọc “{event.name}”", f"Deleted the view “{event.name}”")
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
    """Who acted, as the officials would say it: the unit for a department, the unit's
    reception or head for theirs, else the role."""
    if actor.role is Role.DEPARTMENT and actor.unit:
        return named(actor.unit, unit_names)
    if actor.role is Role.RECEPTION and actor.unit:
        unit = named(actor.unit, unit_names)
        return Sentence(f"Bộ phận tiếp công dân {unit.vi}", f"The reception of {unit.en}")
    if actor.role is Role.AGENCY_HEAD and actor.unit:
        unit = named(actor.unit, unit_names)
        return Sentence(f"Thủ trưởng {unit.vi}", f"The head of {unit.en}")
    return ROLE_SUBJECTS.get(actor.role, Sentence(actor.role.value, actor.role.value))


def tell(
    event: object,
    actor: Actor,
    unit_names: Names,
    days: Days = iso_days,
    people: People = user_names,
) -> Sentence:
    """Who did what, in one sentence: "Sở Công Thương báo cáo tiến độ 60%" (days written by
    ``days``, officers named by ``people``)."""
    who = subject(actor, unit_names)
    if isinstance(event, Directive.ContributionReported) and actor.unit == event.unit:
        what = Sentence("Báo cáo kết quả phối hợp", "Reported its contribution")  # its own
    else:
        what = narrate(event, unit_names, days, people)
    return Sentence(f"{who.vi} {_lower_first(what.vi)}", f"{who.en} {_lower_first(what.en)}")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]

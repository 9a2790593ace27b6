"""One person's notices of one day as one e-mail, in their language.

The words are here rather than in the pages' dictionary (``api.web.i18n``) because the scheduler
that writes the mails knows no HTTP; the pages show the same notices with these words too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from domain.accounts.account import Language
from domain.notifications.rules import Kind

# Each kind, said in each language; the braces are the notice's values.
SAID: Mapping[Language, Mapping[Kind, str]] = {
    Language.VI: {
        Kind.ISSUED: "Văn bản mới giao đơn vị (hạn: {deadline})",
        Kind.DUE_SOON: "Còn {working_days} ngày làm việc đến hạn {deadline}",
        Kind.OVERDUE: "Quá hạn {days_overdue} ngày (hạn: {deadline})",
        Kind.ESCALATED: "Quá hạn {days_overdue} ngày, đơn vị chủ trì {lead_unit}: "
        "chuyển Văn phòng đôn đốc",
        Kind.EXTENSION_GRANTED: "Được gia hạn đến {new_deadline}",
        Kind.EXTENSION_DENIED: "Đề nghị gia hạn bị từ chối: {reason}",
        Kind.COMPLETION_ACCEPTED: "Báo cáo hoàn thành được nghiệm thu",
        Kind.COMPLETION_RETURNED: "Báo cáo hoàn thành bị trả lại: {reason}",
        Kind.EXPLANATION_REQUESTED: "Yêu cầu giải trình: {question}",
        Kind.COMMENTED: "Ý kiến thảo luận số {number} của {author}: {excerpt}",
    },
    Language.EN: {
        Kind.ISSUED: "New directive for your unit (deadline: {deadline})",
        Kind.DUE_SOON: "{working_days} working day(s) left to the deadline {deadline}",
        Kind.OVERDUE: "Overdue by {days_overdue} day(s) (deadline: {deadline})",
        Kind.ESCALATED: "Overdue by {days_overdue} day(s), lead unit {lead_unit}: "
        "escalated to the Office",
        Kind.EXTENSION_GRANTED: "Extension granted to {new_deadline}",
        Kind.EXTENSION_DENIED: "Extension request denied: {reason}",
        Kind.COMPLETION_ACCEPTED: "Completion report accepted",
        Kind.COMPLETION_RETURNED: "Completion report returned: {reason}",
        Kind.EXPLANATION_REQUESTED: "Explanation requested: {question}",
        Kind.COMMENTED: "Comment {number} by {author}: {excerpt}",
    },
}
NO_DEADLINE = {Language.VI: "không thời hạn", Language.EN: "none"}
_SUBJECT = {
    Language.VI: "Thucthi: {count} thông báo ngày {day}",
    Language.EN: "Thucthi: {count} notification(s) for {day}",
}
_OPENING = {
    Language.VI: "Kính gửi {name},\n\nThucthi có {count} thông báo cho anh/chị:\n",
    Language.EN: "Dear {name},\n\nThucthi has {count} notification(s) for you:\n",
}
_CLOSING = {
    Language.VI: "\nXem tất cả thông báo: {url}/notifications\n\n"
    "Thư này được gửi tự động, mỗi ngày nhiều nhất một thư.",
    Language.EN: "\nAll your notifications: {url}/notifications?lang=en\n\n"
    "This mail is sent automatically, at most one a day.",
}


def told(kind: Kind, values: Mapping[str, str], language: Language) -> str:
    """What a notice says, in the language."""
    shown = {k: _value(v, language) for k, v in values.items()}
    try:
        return SAID[language][kind].format_map(shown)
    except KeyError:  # a value an earlier version did not record: said without it
        return SAID[language][kind].split(":")[0].split("(")[0].strip()


def _value(value: str, language: Language) -> str:
    """A value as the reader writes it: a day as 02/05/2025 in Vietnamese, no day as none."""
    if not value:
        return NO_DEADLINE[language]
    try:
        return day_text(date.fromisoformat(value), language)
    except ValueError:
        return value


def day_text(day: date, language: Language) -> str:
    return day.strftime("%d/%m/%Y") if language is Language.VI else day.isoformat()


def compose(
    *,
    name: str,
    day: date,
    language: Language,
    notices: Sequence[tuple[Kind, str, str, Mapping[str, str]]],
    url: str,
) -> tuple[str, str]:
    """The subject and the plain-text body of the digest of ``notices`` (kind, reference,
    title, values), at least one."""
    if not notices:
        msg = "a digest is never empty"
        raise ValueError(msg)
    count = len(notices)
    subject = _SUBJECT[language].format(count=count, day=day_text(day, language))
    lines = [_OPENING[language].format(name=name, count=count)]
    for kind, reference, title, values in notices:
        lines.append(f"- {reference} — {title}\n  {told(kind, values, language)}")
    lines.append(_CLOSING[language].format(url=url.rstrip("/")))
    return subject, "\n".join(lines) + "\n"

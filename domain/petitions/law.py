"""The law's terms and grounds for petitions, as data, each with the article it comes from.

Verified against stored copies of the texts in December 2026; docs/petitions-law.md quotes the
operative sentence of every rule, gives its source and lists where the brief and the law part.
Law 136/2025/QH15 amended the laws on citizen reception, complaints and denunciations from
1 July 2026; where it changed a rule used here, the rule says so (``in_force_from``).

How a term is counted (Bộ luật Dân sự 2015, Điều 147 khoản 2 and Điều 148): the day that starts
it is not counted; a term ends at the end of its last day; if that day is a weekend or a public
holiday the term ends at the end of the next working day. A ``working`` term counts only working
days (weekends, public holidays and the government's swaps skipped, ``domain.shared.calendar``);
the laws say "ngày làm việc" for those and plain "ngày" (calendar days) for the others. Where a
term is a matter of policy, not of law (handling a proposal), it is a default the city can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

# Law 136/2025/QH15 (passed 10 December 2025) took effect on this day.
AMENDMENTS_2025_IN_FORCE: Final = date(2026, 7, 1)


@dataclass(frozen=True, slots=True)
class Term:
    """A legal time limit: ``days`` days, working days if ``working``, per ``citation``.

    ``verified`` is False where the operative sentence could not be read in a stored copy of the
    text (the number then rests on the brief and secondary summaries; docs/petitions-law.md).
    """

    days: int
    working: bool
    citation: str
    verified: bool = True
    in_force_from: date | None = None


@dataclass(frozen=True, slots=True)
class Ground:
    """Where a ground for not accepting or archiving a petition comes from."""

    citation: str
    verified: bool = True
    in_force_from: date | None = None


@dataclass(frozen=True, slots=True)
class Label:
    """A user-facing name, Vietnamese first."""

    vi: str
    en: str


class TermName(StrEnum):
    COMPLAINT_FILING_LIMIT = "complaint.filing_limit"
    COMPLAINT_ACCEPTANCE = "complaint.acceptance"
    COMPLAINT_FIRST_ROUND = "complaint.first_round"
    COMPLAINT_FIRST_ROUND_COMPLEX = "complaint.first_round.complex"
    COMPLAINT_FIRST_ROUND_REMOTE = "complaint.first_round.remote"
    COMPLAINT_FIRST_ROUND_REMOTE_COMPLEX = "complaint.first_round.remote.complex"
    COMPLAINT_SECOND_ROUND_FILING_LIMIT = "complaint.second_round.filing_limit"
    COMPLAINT_SECOND_ROUND_FILING_LIMIT_REMOTE = "complaint.second_round.filing_limit.remote"
    COMPLAINT_SECOND_ROUND_ACCEPTANCE = "complaint.second_round.acceptance"
    COMPLAINT_SECOND_ROUND = "complaint.second_round"
    COMPLAINT_SECOND_ROUND_COMPLEX = "complaint.second_round.complex"
    COMPLAINT_SECOND_ROUND_REMOTE = "complaint.second_round.remote"
    COMPLAINT_SECOND_ROUND_REMOTE_COMPLEX = "complaint.second_round.remote.complex"
    DENUNCIATION_ACCEPTANCE = "denunciation.acceptance"
    DENUNCIATION_ACCEPTANCE_SEVERAL_PLACES = "denunciation.acceptance.several_places"
    DENUNCIATION_TRANSFER = "denunciation.transfer"
    DENUNCIATION_ACCEPTANCE_NOTICE = "denunciation.acceptance_notice"
    DENUNCIATION_REFERRED_RESULT_NOTICE = "denunciation.referred.result_notice"
    DENUNCIATION_HANDLING = "denunciation.handling"
    DENUNCIATION_EXTENSION = "denunciation.extension"
    PROPOSAL_ANSWER = "proposal.answer"
    PROPOSAL_HANDLING = "proposal.handling"


_KN = "Luật Khiếu nại 2011"
_TC = "Luật Tố cáo 2018"

TERMS: Final[dict[TermName, Term]] = {
    TermName.COMPLAINT_FILING_LIMIT: Term(90, False, f"{_KN}, Điều 9"),
    # The statute says "10 ngày", not "10 ngày làm việc" (docs: where the brief and law part).
    TermName.COMPLAINT_ACCEPTANCE: Term(10, False, f"{_KN}, Điều 27"),
    TermName.COMPLAINT_FIRST_ROUND: Term(30, False, f"{_KN}, Điều 28"),
    TermName.COMPLAINT_FIRST_ROUND_COMPLEX: Term(45, False, f"{_KN}, Điều 28"),
    TermName.COMPLAINT_FIRST_ROUND_REMOTE: Term(45, False, f"{_KN}, Điều 28"),
    TermName.COMPLAINT_FIRST_ROUND_REMOTE_COMPLEX: Term(60, False, f"{_KN}, Điều 28"),
    TermName.COMPLAINT_SECOND_ROUND_FILING_LIMIT: Term(30, False, f"{_KN}, Điều 33 khoản 1"),
    TermName.COMPLAINT_SECOND_ROUND_FILING_LIMIT_REMOTE: Term(45, False, f"{_KN}, Điều 33 khoản 1"),
    TermName.COMPLAINT_SECOND_ROUND_ACCEPTANCE: Term(10, False, f"{_KN}, Điều 36", verified=False),
    TermName.COMPLAINT_SECOND_ROUND: Term(45, False, f"{_KN}, Điều 37"),
    TermName.COMPLAINT_SECOND_ROUND_COMPLEX: Term(60, False, f"{_KN}, Điều 37"),
    TermName.COMPLAINT_SECOND_ROUND_REMOTE: Term(60, False, f"{_KN}, Điều 37"),
    TermName.COMPLAINT_SECOND_ROUND_REMOTE_COMPLEX: Term(70, False, f"{_KN}, Điều 37"),
    TermName.DENUNCIATION_ACCEPTANCE: Term(7, True, f"{_TC}, Điều 24 khoản 1"),
    TermName.DENUNCIATION_ACCEPTANCE_SEVERAL_PLACES: Term(10, True, f"{_TC}, Điều 24 khoản 1"),
    TermName.DENUNCIATION_TRANSFER: Term(5, True, f"{_TC}, Điều 24 khoản 2"),
    TermName.DENUNCIATION_ACCEPTANCE_NOTICE: Term(5, True, f"{_TC}, Điều 29 khoản 3"),
    TermName.DENUNCIATION_REFERRED_RESULT_NOTICE: Term(20, False, f"{_TC}, Điều 26 khoản 2"),
    TermName.DENUNCIATION_HANDLING: Term(30, False, f"{_TC}, Điều 30 khoản 1"),
    TermName.DENUNCIATION_EXTENSION: Term(30, False, f"{_TC}, Điều 30 khoản 2 và 3"),
    TermName.PROPOSAL_ANSWER: Term(10, True, "Luật Tiếp công dân 2013, Điều 28 khoản 1"),
    # Policy, not law: the city's default for handling a proposal or feedback it accepted.
    TermName.PROPOSAL_HANDLING: Term(15, True, "Quy định của Thành phố (mặc định, có thể đổi)"),
}

# Terms set by the city rather than by law: no article to cite, and the city may change them.
POLICY_TERMS: Final = frozenset({TermName.PROPOSAL_HANDLING})

# The longer term that applies instead "ở vùng sâu, vùng xa đi lại khó khăn" (Điều 28, 33, 37).
# No text found says which parts of Ho Chi Minh City, if any, are such areas: the default is not.
REMOTE_VARIANT: Final[dict[TermName, TermName]] = {
    TermName.COMPLAINT_FIRST_ROUND: TermName.COMPLAINT_FIRST_ROUND_REMOTE,
    TermName.COMPLAINT_FIRST_ROUND_COMPLEX: TermName.COMPLAINT_FIRST_ROUND_REMOTE_COMPLEX,
    TermName.COMPLAINT_SECOND_ROUND_FILING_LIMIT: (
        TermName.COMPLAINT_SECOND_ROUND_FILING_LIMIT_REMOTE
    ),
    TermName.COMPLAINT_SECOND_ROUND: TermName.COMPLAINT_SECOND_ROUND_REMOTE,
    TermName.COMPLAINT_SECOND_ROUND_COMPLEX: TermName.COMPLAINT_SECOND_ROUND_REMOTE_COMPLEX,
}

# The complex-case term of each simple one: a complaint's is a longer maximum, not a count of
# extensions ("có thể kéo dài hơn nhưng không quá", Điều 28, 37).
COMPLEX_VARIANT: Final[dict[TermName, TermName]] = {
    TermName.COMPLAINT_FIRST_ROUND: TermName.COMPLAINT_FIRST_ROUND_COMPLEX,
    TermName.COMPLAINT_FIRST_ROUND_REMOTE: TermName.COMPLAINT_FIRST_ROUND_REMOTE_COMPLEX,
    TermName.COMPLAINT_SECOND_ROUND: TermName.COMPLAINT_SECOND_ROUND_COMPLEX,
    TermName.COMPLAINT_SECOND_ROUND_REMOTE: TermName.COMPLAINT_SECOND_ROUND_REMOTE_COMPLEX,
    TermName.DENUNCIATION_ACCEPTANCE: TermName.DENUNCIATION_ACCEPTANCE_SEVERAL_PLACES,
}

# A denunciation's handling may be extended once (≤ 30 days) if complex, twice (≤ 30 days each)
# if very complex (Luật Tố cáo 2018, Điều 30 khoản 2 và 3; criteria: Nghị định 31/2019, Điều 3).
DENUNCIATION_MAX_EXTENSIONS: Final = 2
# A complaint has no extension as such: a complex case may take the one longer maximum.
COMPLAINT_MAX_EXTENSIONS: Final = 1
# Guidance to the competent body, and transfer of a denunciation, happen once for the same
# content (Thông tư 05/2021/TT-TTCP: "Việc hướng dẫn chỉ thực hiện một lần", Điều 14 khoản 1).
GUIDANCE_LIMIT: Final = 1
TRANSFER_LIMIT: Final = 1
# Archived petitions are kept one year, then the head decides on their destruction (Thông tư
# 05/2021/TT-TTCP, Điều 28 khoản 2). A year ends on the same day and month (BLDS 2015, Điều 148).
ARCHIVE_RETENTION_YEARS: Final = 1
# Ground 8 of Điều 11: the complainant did not continue within 30 days of a termination notice.
COMPLAINT_TERMINATION_RESUME_DAYS: Final = 30


class NotAcceptedGround(StrEnum):
    """Why a petition is not accepted for handling (không thụ lý), by kind (the value's prefix)."""

    # Luật Khiếu nại 2011, Điều 11, clauses 1 to 9, in order
    NOT_ADMINISTRATIVE = "complaint.not_administrative"
    NO_INTEREST = "complaint.no_interest"
    NO_CAPACITY = "complaint.no_capacity"
    NO_AUTHORITY = "complaint.no_authority"
    UNSIGNED = "complaint.unsigned"
    TIME_LIMIT = "complaint.time_limit"
    SECOND_ROUND_DONE = "complaint.second_round_done"
    WITHDRAWN_BEFORE = "complaint.withdrawn_before"
    IN_COURT = "complaint.in_court"
    # Luật Khiếu nại, Điều 10 as amended by Law 136/2025/QH15 (from 1 July 2026)
    WITHDRAWN_CONTENT = "complaint.withdrawn_content"
    # Luật Tố cáo 2018, Điều 29 khoản 1 (the conditions of acceptance, each one failed)
    FORM_INVALID = "denunciation.form_invalid"
    DENOUNCER_NO_CAPACITY = "denunciation.no_capacity"
    NOT_COMPETENT = "denunciation.not_competent"
    NO_BASIS = "denunciation.no_basis"
    FROM_SETTLED_COMPLAINT = "denunciation.from_settled_complaint"
    # Already concluded, no new evidence (Thông tư 05/2021, Điều 28 khoản 1 điểm b: lưu đơn)
    ALREADY_HANDLED = "denunciation.already_handled"
    # Also sent to the competent body (Luật Tố cáo 2018, Điều 24 khoản 3: không xử lý)
    SENT_TO_COMPETENT = "denunciation.sent_to_competent"


class ArchiveGround(StrEnum):
    """Why a petition is archived (lưu đơn) rather than processed (Thông tư 05/2021/TT-TTCP)."""

    ANONYMOUS = "anonymous"
    ALREADY_ANSWERED = "already_answered"
    ALREADY_GUIDED = "already_guided"
    DUPLICATE = "duplicate"
    UNREADABLE = "unreadable"
    OTHER = "other"


_TT05 = "Thông tư 05/2021/TT-TTCP"

GROUNDS: Final[dict[NotAcceptedGround | ArchiveGround, Ground]] = {
    NotAcceptedGround.NOT_ADMINISTRATIVE: Ground(f"{_KN}, Điều 11 khoản 1"),
    NotAcceptedGround.NO_INTEREST: Ground(f"{_KN}, Điều 11 khoản 2"),
    NotAcceptedGround.NO_CAPACITY: Ground(f"{_KN}, Điều 11 khoản 3"),
    NotAcceptedGround.NO_AUTHORITY: Ground(f"{_KN}, Điều 11 khoản 4"),
    NotAcceptedGround.UNSIGNED: Ground(f"{_KN}, Điều 11 khoản 5"),
    NotAcceptedGround.TIME_LIMIT: Ground(f"{_KN}, Điều 11 khoản 6 (thời hiệu: Điều 9)"),
    NotAcceptedGround.SECOND_ROUND_DONE: Ground(f"{_KN}, Điều 11 khoản 7"),
    NotAcceptedGround.WITHDRAWN_BEFORE: Ground(f"{_KN}, Điều 11 khoản 8"),
    NotAcceptedGround.IN_COURT: Ground(f"{_KN}, Điều 11 khoản 9"),
    NotAcceptedGround.WITHDRAWN_CONTENT: Ground(
        f"{_KN}, Điều 10 (sửa đổi, bổ sung bởi Luật 136/2025/QH15)",
        verified=False,
        in_force_from=AMENDMENTS_2025_IN_FORCE,
    ),
    NotAcceptedGround.FORM_INVALID: Ground(f"{_TC}, Điều 29 khoản 1 điểm a (Điều 23)"),
    NotAcceptedGround.DENOUNCER_NO_CAPACITY: Ground(f"{_TC}, Điều 29 khoản 1 điểm b"),
    NotAcceptedGround.NOT_COMPETENT: Ground(f"{_TC}, Điều 29 khoản 1 điểm c; Điều 24 khoản 2"),
    NotAcceptedGround.NO_BASIS: Ground(f"{_TC}, Điều 29 khoản 1 điểm d"),
    NotAcceptedGround.FROM_SETTLED_COMPLAINT: Ground(f"{_TC}, Điều 29 khoản 1 (đoạn cuối)"),
    NotAcceptedGround.ALREADY_HANDLED: Ground(f"{_TT05}, Điều 28 khoản 1 điểm b"),
    NotAcceptedGround.SENT_TO_COMPETENT: Ground(f"{_TC}, Điều 24 khoản 3", verified=False),
    ArchiveGround.ANONYMOUS: Ground(
        f"{_TT05}, Điều 28 khoản 1 điểm a và Điều 6 khoản 2; {_TC}, Điều 25 khoản 1"
    ),
    ArchiveGround.ALREADY_ANSWERED: Ground(f"{_TT05}, Điều 28 khoản 1 điểm b"),
    ArchiveGround.ALREADY_GUIDED: Ground(
        f"{_TT05} (hướng dẫn, chuyển đơn một lần; Điều 14 khoản 1); {_TC}, Điều 24 khoản 3",
        verified=False,
    ),
    ArchiveGround.DUPLICATE: Ground(
        f"{_TT05}, Điều 28 khoản 1; Nghị định 55/2022/NĐ-CP, Điều 6 khoản 2 (đơn xếp lưu)",
        verified=False,
    ),
    ArchiveGround.UNREADABLE: Ground(f"{_TT05}, Điều 28 khoản 1 điểm a và Điều 6 khoản 2"),
    ArchiveGround.OTHER: Ground(
        f"{_TT05}, Điều 28 khoản 1 (căn cứ ghi trong ghi chú)", verified=False
    ),
}

LABELS: Final[dict[TermName | NotAcceptedGround | ArchiveGround, Label]] = {
    # Terms
    TermName.COMPLAINT_FILING_LIMIT: Label(
        "Thời hiệu khiếu nại (90 ngày kể từ ngày nhận được hoặc biết được quyết định, hành vi)",
        "Time to file a complaint (90 days from receiving or learning of the decision or act)",
    ),
    TermName.COMPLAINT_ACCEPTANCE: Label(
        "Thời hạn thụ lý khiếu nại lần đầu (10 ngày kể từ ngày nhận được)",
        "Time to accept a first complaint (10 days from receipt)",
    ),
    TermName.COMPLAINT_FIRST_ROUND: Label(
        "Thời hạn giải quyết khiếu nại lần đầu (30 ngày kể từ ngày thụ lý)",
        "Time to decide a first complaint (30 days from acceptance)",
    ),
    TermName.COMPLAINT_FIRST_ROUND_COMPLEX: Label(
        "Thời hạn giải quyết khiếu nại lần đầu, vụ việc phức tạp (45 ngày)",
        "Time to decide a complex first complaint (45 days)",
    ),
    TermName.COMPLAINT_FIRST_ROUND_REMOTE: Label(
        "Thời hạn giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa (45 ngày)",
        "Time to decide a first complaint in a remote area (45 days)",
    ),
    TermName.COMPLAINT_FIRST_ROUND_REMOTE_COMPLEX: Label(
        "Thời hạn giải quyết khiếu nại lần đầu ở vùng sâu, vùng xa, vụ việc phức tạp (60 ngày)",
        "Time to decide a complex first complaint in a remote area (60 days)",
    ),
    TermName.COMPLAINT_SECOND_ROUND_FILING_LIMIT: Label(
        "Thời hạn khiếu nại lần hai (30 ngày kể từ khi nhận quyết định lần đầu hoặc hết hạn)",
        "Time to file a second complaint (30 days from the first decision or the lapsed term)",
    ),
    TermName.COMPLAINT_SECOND_ROUND_FILING_LIMIT_REMOTE: Label(
        "Thời hạn khiếu nại lần hai ở vùng sâu, vùng xa (45 ngày)",
        "Time to file a second complaint in a remote area (45 days)",
    ),
    TermName.COMPLAINT_SECOND_ROUND_ACCEPTANCE: Label(
        "Thời hạn thụ lý khiếu nại lần hai (10 ngày kể từ ngày nhận được)",
        "Time to accept a second complaint (10 days from receipt)",
    ),
    TermName.COMPLAINT_SECOND_ROUND: Label(
        "Thời hạn giải quyết khiếu nại lần hai (45 ngày kể từ ngày thụ lý)",
        "Time to decide a second complaint (45 days from acceptance)",
    ),
    TermName.COMPLAINT_SECOND_ROUND_COMPLEX: Label(
        "Thời hạn giải quyết khiếu nại lần hai, vụ việc phức tạp (60 ngày)",
        "Time to decide a complex second complaint (60 days)",
    ),
    TermName.COMPLAINT_SECOND_ROUND_REMOTE: Label(
        "Thời hạn giải quyết khiếu nại lần hai ở vùng sâu, vùng xa (60 ngày)",
        "Time to decide a second complaint in a remote area (60 days)",
    ),
    TermName.COMPLAINT_SECOND_ROUND_REMOTE_COMPLEX: Label(
        "Thời hạn giải quyết khiếu nại lần hai ở vùng sâu, vùng xa, vụ việc phức tạp (70 ngày)",
        "Time to decide a complex second complaint in a remote area (70 days)",
    ),
    TermName.DENUNCIATION_ACCEPTANCE: Label(
        "Thời hạn vào sổ, phân loại, xử lý ban đầu thông tin tố cáo (07 ngày làm việc)",
        "Time to register, classify and check a denunciation (7 working days)",
    ),
    TermName.DENUNCIATION_ACCEPTANCE_SEVERAL_PLACES: Label(
        "Thời hạn xử lý ban đầu tố cáo phải xác minh nhiều địa điểm (10 ngày làm việc)",
        "Time to check a denunciation verified at several places (10 working days)",
    ),
    TermName.DENUNCIATION_TRANSFER: Label(
        "Thời hạn chuyển tố cáo không thuộc thẩm quyền (05 ngày làm việc)",
        "Time to transfer a denunciation outside competence (5 working days)",
    ),
    TermName.DENUNCIATION_ACCEPTANCE_NOTICE: Label(
        "Thời hạn thông báo thụ lý tố cáo (05 ngày làm việc kể từ quyết định thụ lý)",
        "Time to notify acceptance of a denunciation (5 working days from the decision)",
    ),
    TermName.DENUNCIATION_REFERRED_RESULT_NOTICE: Label(
        "Thời hạn thông báo kết quả xử lý tố cáo do cơ quan khác chuyển đến (20 ngày)",
        "Time to report the outcome of a denunciation referred by another body (20 days)",
    ),
    TermName.DENUNCIATION_HANDLING: Label(
        "Thời hạn giải quyết tố cáo (30 ngày kể từ ngày thụ lý)",
        "Time to handle a denunciation (30 days from acceptance)",
    ),
    TermName.DENUNCIATION_EXTENSION: Label(
        "Gia hạn giải quyết tố cáo (mỗi lần không quá 30 ngày)",
        "Extension of a denunciation's handling (at most 30 days each)",
    ),
    TermName.PROPOSAL_ANSWER: Label(
        "Thời hạn thông báo kết quả xử lý tại nơi tiếp công dân (10 ngày làm việc)",
        "Time for the reception to report what was done (10 working days)",
    ),
    TermName.PROPOSAL_HANDLING: Label(
        "Thời hạn xử lý kiến nghị, phản ánh (mặc định của Thành phố)",
        "Time to handle a proposal or feedback (the city's default)",
    ),
    # Complaints not accepted
    NotAcceptedGround.NOT_ADMINISTRATIVE: Label(
        "Quyết định, hành vi hành chính nội bộ, chỉ đạo điều hành, có chứa quy phạm pháp luật "
        "hoặc thuộc bí mật nhà nước về quốc phòng, an ninh, ngoại giao",
        "An internal or directing decision or act, one containing legal norms, or one under "
        "state secrecy in defence, security or foreign affairs",
    ),
    NotAcceptedGround.NO_INTEREST: Label(
        "Quyết định, hành vi bị khiếu nại không liên quan trực tiếp đến quyền, lợi ích hợp pháp "
        "của người khiếu nại",
        "The decision or act does not directly concern the complainant's lawful rights",
    ),
    NotAcceptedGround.NO_CAPACITY: Label(
        "Người khiếu nại không có năng lực hành vi dân sự đầy đủ mà không có người đại diện "
        "hợp pháp",
        "The complainant lacks full legal capacity and has no lawful representative",
    ),
    NotAcceptedGround.NO_AUTHORITY: Label(
        "Người đại diện không hợp pháp thực hiện khiếu nại",
        "Filed by a representative without lawful authority",
    ),
    NotAcceptedGround.UNSIGNED: Label(
        "Đơn khiếu nại không có chữ ký hoặc điểm chỉ của người khiếu nại",
        "Not signed or fingerprinted by the complainant",
    ),
    NotAcceptedGround.TIME_LIMIT: Label(
        "Thời hiệu, thời hạn khiếu nại đã hết mà không có lý do chính đáng",
        "The time to complain has run out without a valid reason",
    ),
    NotAcceptedGround.SECOND_ROUND_DONE: Label(
        "Khiếu nại đã có quyết định giải quyết khiếu nại lần hai",
        "A second-round decision has already been made",
    ),
    NotAcceptedGround.WITHDRAWN_BEFORE: Label(
        "Có văn bản thông báo đình chỉ giải quyết khiếu nại mà sau 30 ngày người khiếu nại "
        "không tiếp tục khiếu nại",
        "Handling was terminated by written notice and the complainant did not continue "
        "within 30 days",
    ),
    NotAcceptedGround.IN_COURT: Label(
        "Việc khiếu nại đã được Tòa án thụ lý hoặc giải quyết bằng bản án, quyết định của Tòa "
        "án (trừ quyết định đình chỉ giải quyết vụ án hành chính)",
        "A court has accepted or decided the matter (other than by terminating the "
        "administrative case)",
    ),
    NotAcceptedGround.WITHDRAWN_CONTENT: Label(
        "Nội dung khiếu nại đã rút, không xem xét, giải quyết lại (trừ khi rút do bị ép buộc, "
        "đe dọa)",
        "The complaint was withdrawn and is not reconsidered (unless withdrawn under coercion "
        "or threat)",
    ),
    # Denunciations not accepted
    NotAcceptedGround.FORM_INVALID: Label(
        "Tố cáo không thực hiện theo Điều 23 Luật Tố cáo (thiếu họ tên, địa chỉ, cách liên hệ, "
        "hành vi, người bị tố cáo, chữ ký hoặc điểm chỉ)",
        "Not made as Article 23 requires (name, address, contact, the act and the person "
        "denounced, signature or fingerprint)",
    ),
    NotAcceptedGround.DENOUNCER_NO_CAPACITY: Label(
        "Người tố cáo không có đủ năng lực hành vi dân sự mà không có người đại diện",
        "The denouncer lacks legal capacity and has no representative",
    ),
    NotAcceptedGround.NOT_COMPETENT: Label(
        "Vụ việc không thuộc thẩm quyền giải quyết của cơ quan tiếp nhận (phải chuyển đơn)",
        "Outside the receiving body's competence (to be transferred)",
    ),
    NotAcceptedGround.NO_BASIS: Label(
        "Nội dung tố cáo không có cơ sở để xác định người vi phạm, hành vi vi phạm pháp luật",
        "Nothing in it identifies a violator or a violation of the law",
    ),
    NotAcceptedGround.FROM_SETTLED_COMPLAINT: Label(
        "Tố cáo người đã giải quyết khiếu nại đúng pháp luật mà không có thông tin, tài liệu, "
        "chứng cứ về hành vi vi phạm",
        "Denounces the person who lawfully settled a complaint, without evidence of a violation",
    ),
    NotAcceptedGround.ALREADY_HANDLED: Label(
        "Tố cáo đã có kết luận và quyết định xử lý có hiệu lực, không có thông tin, chứng cứ mới",
        "Already concluded and decided, with no new information or evidence",
    ),
    NotAcceptedGround.SENT_TO_COMPETENT: Label(
        "Tố cáo không thuộc thẩm quyền được gửi đồng thời đến cơ quan có thẩm quyền",
        "Outside competence and also sent to the competent body",
    ),
    # Archived
    ArchiveGround.ANONYMOUS: Label(
        "Đơn không rõ họ tên, địa chỉ người gửi, không có nội dung rõ ràng, tài liệu, chứng cứ "
        "cụ thể về vi phạm",
        "Anonymous, with no clear content and no concrete evidence of a violation",
    ),
    ArchiveGround.ALREADY_ANSWERED: Label(
        "Đã có quyết định giải quyết khiếu nại, kết luận tố cáo có hiệu lực, không có tình "
        "tiết mới",
        "Already decided with legal effect, with nothing new",
    ),
    ArchiveGround.ALREADY_GUIDED: Label(
        "Cùng nội dung đã được hướng dẫn hoặc chuyển đơn một lần",
        "The same content was already guided or transferred once",
    ),
    ArchiveGround.DUPLICATE: Label(
        "Đơn trùng với đơn đã tiếp nhận, xử lý",
        "A duplicate of a petition already received and processed",
    ),
    ArchiveGround.UNREADABLE: Label(
        "Đơn không đủ điều kiện xử lý (không ghi rõ ngày, họ tên, địa chỉ, chữ ký hoặc nội dung; "
        "không dùng tiếng Việt, không kèm bản dịch công chứng)",
        "Not fit for processing (no date, name, address, signature or clear content; not in "
        "Vietnamese and no certified translation)",
    ),
    ArchiveGround.OTHER: Label(
        "Trường hợp khác (ghi rõ căn cứ pháp lý)",
        "Another case (state the legal basis)",
    ),
}

"""The law's terms and grounds for petitions, as data, each with the article it comes from.

Terms are counted from the day after the day that starts them; ``working`` terms skip weekends,
public holidays and the government's swaps (``domain.shared.calendar``). Where a term is a matter
of policy, not of law (proposals and feedback), it is a default the city can change.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Term:
    """A legal time limit: ``days`` days, working days if ``working``, per ``citation``."""

    days: int
    working: bool
    citation: str


class TermName(StrEnum):
    COMPLAINT_ACCEPTANCE = "complaint.acceptance"
    COMPLAINT_FIRST_ROUND = "complaint.first_round"
    COMPLAINT_FIRST_ROUND_COMPLEX = "complaint.first_round.complex"
    COMPLAINT_SECOND_ROUND = "complaint.second_round"
    COMPLAINT_SECOND_ROUND_COMPLEX = "complaint.second_round.complex"
    COMPLAINT_FILING_LIMIT = "complaint.filing_limit"
    DENUNCIATION_ACCEPTANCE = "denunciation.acceptance"
    DENUNCIATION_ACCEPTANCE_SEVERAL_PLACES = "denunciation.acceptance.several_places"
    DENUNCIATION_TRANSFER = "denunciation.transfer"
    DENUNCIATION_HANDLING = "denunciation.handling"
    DENUNCIATION_EXTENSION = "denunciation.extension"
    PROPOSAL_ANSWER = "proposal.answer"
    PROPOSAL_HANDLING = "proposal.handling"


TERMS: dict[TermName, Term] = {
    TermName.COMPLAINT_ACCEPTANCE: Term(10, True, "Luật Khiếu nại 2011, Điều 27"),
    TermName.COMPLAINT_FIRST_ROUND: Term(30, False, "Luật Khiếu nại 2011, Điều 28"),
    TermName.COMPLAINT_FIRST_ROUND_COMPLEX: Term(45, False, "Luật Khiếu nại 2011, Điều 28"),
    TermName.COMPLAINT_SECOND_ROUND: Term(45, False, "Luật Khiếu nại 2011, Điều 37"),
    TermName.COMPLAINT_SECOND_ROUND_COMPLEX: Term(60, False, "Luật Khiếu nại 2011, Điều 37"),
    TermName.COMPLAINT_FILING_LIMIT: Term(90, False, "Luật Khiếu nại 2011, Điều 9"),
    TermName.DENUNCIATION_ACCEPTANCE: Term(7, True, "Luật Tố cáo 2018, Điều 24"),
    TermName.DENUNCIATION_ACCEPTANCE_SEVERAL_PLACES: Term(10, True, "Luật Tố cáo 2018, Điều 24"),
    TermName.DENUNCIATION_TRANSFER: Term(5, True, "Luật Tố cáo 2018, Điều 24"),
    TermName.DENUNCIATION_HANDLING: Term(30, False, "Luật Tố cáo 2018, Điều 30"),
    TermName.DENUNCIATION_EXTENSION: Term(30, False, "Luật Tố cáo 2018, Điều 30"),
    TermName.PROPOSAL_ANSWER: Term(10, True, "Luật Tiếp công dân 2013, Điều 28"),
    # Policy, not law: the city's default for handling a proposal or feedback it accepted.
    TermName.PROPOSAL_HANDLING: Term(15, True, "Quy định của Thành phố (mặc định, có thể đổi)"),
}

# A denunciation's handling may be extended once if complex, twice if very complex (Điều 30).
DENUNCIATION_MAX_EXTENSIONS = 2


class NotAcceptedGround(StrEnum):
    """Why a petition is not accepted for handling (không thụ lý)."""

    # Luật Khiếu nại 2011, Điều 11 (complaints not accepted)
    NOT_ADMINISTRATIVE = "complaint.not_administrative"  # 1. not a decision/act of administration
    NO_INTEREST = "complaint.no_interest"  # 2. does not affect the complainant's rights
    NO_CAPACITY = "complaint.no_capacity"  # 3. complainant lacks legal capacity
    NO_AUTHORITY = "complaint.no_authority"  # 4. representative without lawful authority
    UNSIGNED = "complaint.unsigned"  # 5. not signed or fingerprinted
    TIME_LIMIT = "complaint.time_limit"  # 6. the 90-day limit of Điều 9 passed
    SECOND_ROUND_DONE = "complaint.second_round_done"  # 7. a second-round decision exists
    IN_COURT = "complaint.in_court"  # 8. a court accepted the case
    WITHDRAWN_BEFORE = "complaint.withdrawn_before"  # 9. withdrawn before (unless re-filed)
    # Luật Tố cáo 2018, Điều 27 (denunciations not accepted)
    ALREADY_HANDLED = "denunciation.already_handled"
    NO_BASIS = "denunciation.no_basis"
    NOT_COMPETENT = "denunciation.not_competent"
    SENT_TO_COMPETENT = "denunciation.sent_to_competent"


class ArchiveGround(StrEnum):
    """Why a petition is archived (lưu đơn) rather than processed (Thông tư 05/2021/TT-TTCP)."""

    ANONYMOUS = "anonymous"  # anonymous, no clear content or evidence (Luật Tố cáo, Điều 25)
    ALREADY_ANSWERED = "already_answered"  # the same content was answered or guided before
    DUPLICATE = "duplicate"  # a copy of a petition already received
    UNREADABLE = "unreadable"  # no clear content, name or address
    OTHER = "other"

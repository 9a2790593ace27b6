"""The public look-up of a petition (tra cứu đơn): whoever holds its receipt code and the last
four digits of a petitioner's personal identification number sees where it stands, and nothing
else: its status and current step in words, the agency that holds it, the step's deadline, and
the result once the head has published it.

A petition whose petitioners gave no identification number (an anonymous one, or a petitioner
without one) is opened instead by a four-digit look-up PIN printed on its receipt. The PIN is
never stored anywhere: it is derived from the receipt code with an HMAC under a key kept
outside the database and the log (``lookup_pin``), so the reception can print the receipt again
and the look-up can check it, and a copy of the database alone tells nobody a PIN.

The last four digits are checked through the personal-data vault, which opens the sealed
petitioners: nothing keeps them in clear, and once a petitioner is erased the look-up answers
as it answers any wrong guess. A wrong code and a wrong number are answered alike, after the
same work: the petition is read (or found missing), the vault opens its petitioners (or a
decoy nobody has), the PIN is derived and every candidate is compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol
from uuid import uuid4

from domain.petitions.errors import PetitionNotFoundError
from domain.petitions.petition import (
    RECEIPT_CODE,
    Calendar,
    Deadline,
    Petition,
    Status,
    Verdict,
)
from domain.shared.personal import Person, PersonalVault, SealedPerson

PIN_DIGITS = 4
DIGITS = re.compile(r"^[0-9]{4}$")
_PIN_CONTEXT = b"thucthi:lookup-pin:"
_COUNT_CONTEXT = b"thucthi:lookup-attempts:"
# What a code copied by hand may hold besides its letters: spaces, dashes, dots.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.]")
# Crockford's base32 reads O as 0 and I or L as 1, so a code read aloud still finds its petition.
_CROCKFORD = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NEVER = "-" * PIN_DIGITS  # compared against when a petition has no number: never four digits


def lookup_pin(key: bytes, receipt: str) -> str:
    """The look-up PIN of a receipt code: four digits of HMAC-SHA256 under ``key``, the same
    every time it is asked, so that nothing needs to keep it."""
    digest = hmac.new(key, _PIN_CONTEXT + receipt.encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**PIN_DIGITS:0{PIN_DIGITS}d}"


def normalised_code(text: str) -> str | None:
    """A receipt code as typed (lower case, spaces, full-width characters, O for 0), in the form
    it is kept; None if it cannot be one."""
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", text[:64])).upper()
    compact = compact[:4] + compact[4:].translate(_CROCKFORD)
    if len(compact) != 12:  # four digits of the year, eight of the code
        return None
    code = f"{compact[:4]}-{compact[4:]}"
    return code if RECEIPT_CODE.match(code) else None


def pin_opens(petition: Petition, people: Iterable[Person | None]) -> bool:
    """Whether the PIN opens the look-up of this petition: it is anonymous, or one of its
    petitioners (not erased) gave no identification number."""
    return petition.anonymous or any(p is not None and p.id_number is None for p in people)


@dataclass(frozen=True, slots=True)
class PublicResult:
    """A published result, as the public may read it. ``receipt`` is None for another filing
    of the same matter: its result is shown, not which case (whose petitioner) it was."""

    receipt: str | None
    agency: str
    verdict: Verdict
    summary: str
    decision_reference: str
    resolved_on: date
    published_on: date


@dataclass(frozen=True, slots=True)
class PublicStatus:
    """What the look-up shows of a petition: nothing names a person, nothing is the agency's own
    working (no notes, no handler, no classification, no content)."""

    receipt: str
    agency: str  # the agency that holds it now
    status: Status
    deadline: date | None  # of the current step; None once closed
    term: Deadline | None  # the law's term that deadline comes from
    result: PublicResult | None  # once published
    suspended: bool = False  # handling suspended (tạm đình chỉ): its term stands still
    # Published results of the petitions linked to this one (issue 26: the same matter filed
    # elsewhere); the petition's own result is ``result``.
    linked: tuple[PublicResult, ...] = ()
    # The matter's earlier result this petition was answered with (``AnsweredWithEarlier``).
    answered: AnsweredResult | None = None


@dataclass(frozen=True, slots=True)
class AnsweredResult:
    """The earlier result a repeat was answered with, as it stood when answered: the answer
    this petitioner was given."""

    agency: str | None  # the agency that resolved the matter, when known
    verdict: Verdict
    summary: str
    decision_reference: str
    answered_on: date


class Petitions(Protocol):
    def get(self, receipt: str) -> Petition:
        """The petition a receipt code names; PetitionNotFoundError if none."""
        ...


def no_links(petition: Petition) -> Iterable[Petition]:
    """No petition linked to this one."""
    return ()


def earlier_of(petitions: Petitions) -> Callable[[Petition], Iterable[Petition]]:
    """The petitions linked to a petition today: the one it follows, if any (the first round of
    a second-round complaint, the earlier filing of a repeated one), named at its receipt. Issue
    26 adds the petitions an officer marks as the same matter."""

    def linked(petition: Petition) -> Iterable[Petition]:
        if petition.follows_receipt is None:
            return ()
        try:
            return (petitions.get(petition.follows_receipt),)
        except PetitionNotFoundError:
            return ()

    return linked


def matter_of(
    petitions: Petitions, matter: Callable[[str], Iterable[str]]
) -> Callable[[Petition], Iterable[Petition]]:
    """The petitions linked to a petition today: the one it follows (``earlier_of``), and the
    other filings of its matter, ``matter(receipt)`` naming them by receipt code under the
    links standing now (the read models' ``PetitionReadModel.matter``)."""
    follows = earlier_of(petitions)

    def linked(petition: Petition) -> Iterable[Petition]:
        found = {p.receipt: p for p in follows(petition)}
        for code in matter(petition.receipt):
            if code == petition.receipt or code in found:
                continue
            try:
                found[code] = petitions.get(code)
            except PetitionNotFoundError:
                continue
        return tuple(found.values())

    return linked


def answered_result(petition: Petition, earlier: Iterable[Petition] = ()) -> AnsweredResult | None:
    """The earlier result a repeat was answered with, if it was; the agency that gave it is
    named when the earlier petition is among ``earlier``."""
    if (
        petition.answered_with is None
        or petition.earlier_verdict is None
        or petition.closed_on is None
    ):
        return None
    agency = next((p.agency for p in earlier if p.receipt == petition.answered_with), None)
    return AnsweredResult(
        agency=agency,
        verdict=petition.earlier_verdict,
        summary=petition.earlier_result,
        decision_reference=petition.earlier_decision_reference,
        answered_on=petition.closed_on,
    )


def published_result(petition: Petition) -> PublicResult | None:
    """The petition's result, if the head has published it."""
    if (
        petition.status is not Status.RESOLVED
        or petition.published_on is None
        or petition.verdict is None
        or petition.resolved_on is None
    ):
        return None
    return PublicResult(
        receipt=petition.receipt,
        agency=petition.agency,
        verdict=petition.verdict,
        summary=petition.result,
        decision_reference=petition.decision_reference,
        resolved_on=petition.resolved_on,
        published_on=petition.published_on,
    )


class PublicLookup:
    """Answers the public look-up: a status for the right code and digits, None for anything
    else, after the same work either way."""

    def __init__(
        self,
        *,
        petitions: Petitions,
        vault: PersonalVault,
        pin_key: Callable[[], bytes],
        calendar: Callable[[], Calendar],
        linked: Callable[[Petition], Iterable[Petition]] = no_links,
    ) -> None:
        """``pin_key()``: the secret the PINs are derived under (read when first needed);
        ``calendar()``: the working days in force; ``linked(petition)``: the petitions of the
        same matter, whose published results the look-up shows too."""
        self.petitions = petitions
        self.vault = vault
        self.pin_key = pin_key
        self.calendar = calendar
        self.linked = linked

    def find(self, code: str, digits: str) -> PublicStatus | None:
        """The petition's public status if ``digits`` are the last four of one of its
        petitioners' identification numbers, or its PIN where the PIN opens it; else None."""
        receipt = normalised_code(code)
        petition = self._petition(receipt)
        sealed = petition.petitioners if petition is not None else ()
        # A decoy nobody has when there is nobody to open: the vault's round trip is the same.
        opened = self.vault.open_many(sealed or (SealedPerson(uuid4(), ""),))
        people = [opened.get(s.person_id) for s in sealed]
        numbers = [p.id_last4 for p in people if p is not None and p.id_last4 is not None]
        pin = lookup_pin(self.pin_key(), receipt or code[:64])
        matched = False
        for last4 in numbers or [_NEVER]:
            matched |= hmac.compare_digest(last4.encode(), digits.encode())
        pin_matched = hmac.compare_digest(pin.encode(), digits.encode())
        if petition is None:
            return None
        if not (matched or (pin_matched and pin_opens(petition, people))):
            return None
        return self.status(petition)

    def counted_as(self, code: str) -> str:
        """The name a code's look-ups are counted under by the rate limits: a keyed hash, so
        that the attempts' table holds no receipt code in clear."""
        receipt = normalised_code(code) or code[:64]
        digest = hmac.new(self.pin_key(), _COUNT_CONTEXT + receipt.encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def pin(self, petition: Petition, people: Iterable[Person | None]) -> str | None:
        """The PIN to print on the petition's receipt, where it opens the look-up."""
        if not pin_opens(petition, people):
            return None
        return lookup_pin(self.pin_key(), petition.receipt)

    def status(self, petition: Petition) -> PublicStatus:
        """What the public sees of a petition (after the look-up has let them in): the
        published results of the petitions linked to it, the one it follows named by its
        receipt code (its petitioner gave it), the others of its matter unnamed."""
        term = petition.deadline()
        others = tuple(self.linked(petition))
        results = sorted(
            (r for other in others if (r := published_result(other)) is not None),
            key=lambda r: (r.published_on, r.receipt or ""),
        )
        return PublicStatus(
            receipt=petition.receipt,
            agency=petition.agency,
            status=petition.status,
            deadline=None if term is None else term.due(self.calendar()),
            term=term,
            result=published_result(petition),
            suspended=petition.status is Status.IN_HANDLING
            and petition.suspended_since is not None,
            linked=tuple(
                r if r.receipt == petition.follows_receipt else replace(r, receipt=None)
                for r in results
            ),
            answered=answered_result(petition, others),
        )

    def _petition(self, receipt: str | None) -> Petition | None:
        try:
            # A malformed code is read as a code that is not there, with the same round trip.
            return self.petitions.get(receipt or "0000-00000000")
        except PetitionNotFoundError:
            return None

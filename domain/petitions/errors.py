"""The rules of a petition's life that a command can break, each its own error, with its cases
(``domain.shared.errors``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from domain.shared.errors import DomainError


class PetitionNotFoundError(DomainError):
    """No petition has this receipt code (or the actor may not see it)."""

    code = "petition-not-found"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {"unknown": "no petition {receipt}"}


class DuplicateReceiptError(DomainError):
    """A receipt code is given once."""

    code = "duplicate-receipt"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {"used": "receipt {receipt} was already given"}


class InvalidPetitionError(DomainError):
    """What was received cannot be recorded as a petition."""

    code = "invalid-petition"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "receipt_code": "a receipt code looks like {example}, not {given!r}",
        "received_in_future": "a petition cannot be received on {received_on}, after today {today}",
        "signers": "{signers} signers is fewer than the {named} petitioners named",
        "no_petitioner": "a petition from no one is an anonymous denunciation or feedback: "
        "mark it anonymous",
        "anonymous_named": "an anonymous petition names no petitioner",
        "known_after_receipt": "the decision was known on {known_on}, after the petition was "
        "received on {received_on}",
        "previous_unknown": "no earlier petition {receipt} to follow",
        "previous_is_self": "a petition cannot follow itself",
        "other_unknown": "no petition {receipt}",
        "attachment": "an attachment is named by its digest, sha256:<64 hex>, not {digest!r}",
    }


class NotOurAgencyError(DomainError):
    """Only an officer of the agency that holds the petition may do this."""

    code = "not-our-agency"
    kind = "forbidden"
    SAID: ClassVar[Mapping[str, str]] = {
        "holder": "{receipt} is held by {agency}, not {unit}",
    }


class NotHandlerError(DomainError):
    """Only the officer assigned to handle the petition, or the agency's head, may do this."""

    code = "not-handler"
    kind = "forbidden"
    SAID: ClassVar[Mapping[str, str]] = {
        "handler": "{receipt} is handled by {handler}, not {user}",
    }


class PetitionClosedError(DomainError):
    """A closed petition (guided, transferred out, not accepted, archived, withdrawn, resolved)
    takes no further step."""

    code = "petition-closed"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "closed": "{receipt} is closed ({status})",
    }


class WrongStepError(DomainError):
    """The petition is not at the step this command belongs to."""

    code = "wrong-step"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_classified": "{receipt} must be classified before a decision is taken on it",
        "decided": "{receipt} was already decided on; it can no longer be classified",
        "not_in_handling": "{receipt} is not being handled (it is {status})",
        "not_resolved": "{receipt} has no result to publish yet",
        "no_result": "{receipt} has no result yet: there is no document of it",
        "published": "the result of {receipt} is already published",
        "suspended": "the handling of {receipt} is suspended since {since}: resume it first",
        "not_suspended": "the handling of {receipt} is not suspended",
    }


class CompetenceError(DomainError):
    """The decision does not fit who is competent for the petition."""

    code = "competence"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_ours": "{receipt} was classified as not ours to handle ({competence}): "
        "guide or transfer it",
        "ours": "{receipt} was classified as ours to handle: accept it, or classify it again",
        "target_needed": "say which agency or body the petition goes to",
        "same_agency": "{receipt} is already at {agency}",
        "outside_in_city": "{receipt} was classified as for another agency of the city: "
        "name that agency",
    }


class TransferredOnceError(DomainError):
    """The same content is transferred only once, and guided only once (Thông tư 05/2021)."""

    code = "transferred-once"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "transferred": "{receipt} was already transferred once (from {agency}): guide the "
        "petitioner or decide on it here",
    }


class GroundError(DomainError):
    """A ground for not accepting does not belong to this kind of petition, or its facts are
    missing."""

    code = "ground"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "kind": "{ground} is not a ground for a {kind}",
        "within_limit": "the complaint came {days} days after the decision was known, within "
        "the {limit} days the law allows",
        "not_yet_law": "{ground} is a ground only for petitions received from {since}",
    }


class FilingLimitError(DomainError):
    """A complaint made after the law's time limit is not accepted, unless an obstacle beyond
    the complainant's control is recorded (Luật Khiếu nại, Điều 9)."""

    code = "filing-limit"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "late": "the complaint came {days} days after the decision was known, more than the "
        "{limit} days the law allows: record the obstacle that excuses it, or do not accept it",
    }


class ExtensionLimitError(DomainError):
    """The law allows only so many extensions of the handling term, and none for some kinds."""

    code = "extension-limit"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "none": "the handling term of a {kind} cannot be extended",
        "used": "{receipt} has had the {allowed} extension(s) the law allows",
    }


class DialogueError(DomainError):
    """A dialogue (đối thoại) belongs to a complaint."""

    code = "dialogue"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {"kind": "a dialogue is held on a complaint, not a {kind}"}


class OutcomeError(DomainError):
    """The result does not fit the kind of petition."""

    code = "outcome"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "verdict": "a {kind} is not resolved with {verdict}",
    }


class TransferInRefusedError(DomainError):
    """A case sent by another system cannot be received here by transfer (liên thông)."""

    code = "transfer-in-refused"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "own_source": "{case_id} is a case of this system itself ({source})",
        "no_agency": "{case_id} of {source} names no agency of this system to receive it",
    }


class SameMatterError(DomainError):
    """Two filings of one matter are linked once, by the agency holding the later one, and the
    link is undone only where it was made; an earlier result answers a repeat only once it
    exists, and never a complaint's second round."""

    code = "same-matter"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "self": "{receipt} cannot be the same matter as itself",
        "linked": "{receipt} is already marked as the same matter as {earlier}",
        "not_linked": "{receipt} is not marked as the same matter as {earlier}",
        "answered": "{receipt} was answered with the result of {earlier}: the link stays",
        "not_resolved": "{earlier} has no result yet to answer {receipt} with",
        "first_round": "{earlier} was decided at first round: a complaint after it is the "
        "second round, to be handled, not answered with the first",
    }

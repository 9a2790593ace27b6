"""Directive references (số/ký hiệu văn bản): the form they take, and the directives an earlier
version recorded under a spelling that form no longer allows.

A reference is the document's number, optionally its year, and its symbol: the type and issuing
body's abbreviations joined by hyphens (``1234/UBND-VX``, ``15/2024/QĐ-UBND``, ``123/KH-UBND``,
``456/TB-VP``). It is normalised before anything else: NFC, trimmed, no spaces around "/" or
"-", upper case ("đ" becomes "Đ"), so ``  2008 / ubnd-kt `` and ``2008/UBND-KT`` are one
reference and one directive. Anything else is refused, naming the field. A directive's id is
derived from its normalised reference (``domain.directives.directive.directive_id``).

Earlier versions took any text of up to 64 characters, and derived the id from it as given. Those
directives keep their ids; ``LegacyReferences`` finds them by the normalised form of what they
were recorded under, so that they are still found and never silently issued again.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, MapperDeserialisationError

from domain.shared.codec import OrjsonMapper
from domain.shared.errors import InvalidTextError
from domain.shared.text import checked

EXAMPLE = "1234/UBND-VX, 15/2024/QĐ-UBND"
MAX_LENGTH = 64
# The symbol begins with a letter (so that a year is never taken for it); its later parts may
# begin with a digit ("UBND-Q1", "QĐ-2A").
REFERENCE_FORM = re.compile(r"[0-9]{1,7}(?:/[0-9]{4})?/[A-ZĐ][A-ZĐ0-9]*(?:-[A-ZĐ0-9]+)*")
# Checked before upper-casing, which would turn "ß" into "SS" and "ﬁ" into "FI".
_LETTERS = re.compile(r"[0-9A-Za-zĐđ/\- ]+")
_AROUND_SEPARATORS = re.compile(r" *([/-]) *")
UUID_FORM = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
ISSUED_TOPIC = "thucthi:Directive.Issued"


def normalise_reference(value: object) -> str:
    """The reference in its one form, or InvalidTextError naming the field ``reference``."""
    text = checked("reference", value)
    if not _LETTERS.fullmatch(text):
        raise InvalidTextError("reference", "format", example=EXAMPLE)
    text = _AROUND_SEPARATORS.sub(r"\1", text).upper()
    if len(text) > MAX_LENGTH:
        raise InvalidTextError("reference", "too_long", limit=MAX_LENGTH, length=len(text))
    if not REFERENCE_FORM.fullmatch(text):
        raise InvalidTextError("reference", "format", example=EXAMPLE)
    return text


def normalised_or_none(value: str) -> str | None:
    try:
        return normalise_reference(value)
    except InvalidTextError:
        return None


class LegacyReferences:
    """Directives recorded by earlier versions under a reference that is not in its normalised
    form, by the normalised form (``1234/ubnd-vx`` under ``1234/UBND-VX``).

    Built from the log's Issued events the first time it is asked, then kept up to date with
    those recorded since: new directives are always normalised, so it holds only old ones (or
    records written into the store beneath the domain). Records that cannot be read are passed
    over: they were never a directive the application could load.
    """

    def __init__(
        self, recorder: ApplicationRecorder, mapper: OrjsonMapper, page: int = 5_000
    ) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.page = page
        self.position = 0
        self.found: dict[str, list[UUID]] = {}
        self._lock = threading.Lock()

    def ids(self, reference: str) -> Sequence[UUID]:
        """The ids of earlier directives whose reference normalises to ``reference``."""
        with self._lock:
            self._catch_up()
            return tuple(self.found.get(reference, ()))

    def _catch_up(self) -> None:
        while page := self.recorder.select_notifications(
            start=self.position,
            limit=self.page,
            topics=[ISSUED_TOPIC],
            inclusive_of_start=False,
        ):
            for record in page:
                try:
                    # Only the reference is wanted: the record's JSON, not the whole event.
                    stored = self.mapper.stored_state(record).get("reference")
                except (MapperDeserialisationError, ValueError, AttributeError):
                    continue
                if not isinstance(stored, str) or REFERENCE_FORM.fullmatch(stored):
                    continue
                normalised = normalised_or_none(stored)
                if normalised is not None:
                    originator = record.originator_id
                    key = originator if isinstance(originator, UUID) else UUID(str(originator))
                    known = self.found.setdefault(normalised, [])
                    if key not in known:
                        known.append(key)
            self.position = page[-1].id
            if len(page) < self.page:
                return

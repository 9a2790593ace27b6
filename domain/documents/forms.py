"""The rules of the form that depend on what is issued and who signs (Nghị định 30/2020/NĐ-CP,
docs/documents.md): the kind of a document read from its symbol (Phụ lục III), and how a signer
signs (Phụ lục I, II.7: "TM." for a collective body, "KT." for a deputy signing for the head).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# Phụ lục III, I: the abbreviations of the kinds of administrative documents, as the symbol
# carries them after the number ("15/2024/QĐ-UBND"). A symbol that begins with none of them is
# a letter (công văn), whose symbol is the issuer's abbreviation ("1234/UBND-VX").
KINDS: tuple[str, ...] = (
    "NQ", "QĐ", "CT", "QC", "QYĐ", "TC", "TB", "HD", "CTR", "KH", "PA", "ĐA", "DA", "BC", "BB",
    "TTR", "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB",
)  # fmt: skip


def kind_of(reference: str) -> str | None:
    """The kind's abbreviation of a reference in its normalised form (upper case: "QYĐ" for
    Phụ lục III's "QyĐ"), or None for a letter."""
    symbol = reference.rsplit("/", 1)[-1]
    first = symbol.split("-", 1)[0]
    return first if first in KINDS else None


class Position(StrEnum):
    """The positions a signer's title may begin with, which the form writes in its own way."""

    CHAIRMAN = "chairman"  # Chủ tịch (of a People's Committee)
    VICE_CHAIRMAN = "vice_chairman"
    DIRECTOR = "director"  # Giám đốc (of a department)
    DEPUTY_DIRECTOR = "deputy_director"
    CHIEF_INSPECTOR = "chief_inspector"  # Chánh Thanh tra
    DEPUTY_CHIEF_INSPECTOR = "deputy_chief_inspector"
    OFFICE_CHIEF = "office_chief"  # Chánh Văn phòng
    DEPUTY_OFFICE_CHIEF = "deputy_office_chief"


# Longest first, so that "Phó Chủ tịch" is not read as "Chủ tịch".
_TITLES: tuple[tuple[str, Position], ...] = (
    ("phó chánh thanh tra", Position.DEPUTY_CHIEF_INSPECTOR),
    ("phó chánh văn phòng", Position.DEPUTY_OFFICE_CHIEF),
    ("chánh thanh tra", Position.CHIEF_INSPECTOR),
    ("chánh văn phòng", Position.OFFICE_CHIEF),
    ("phó giám đốc", Position.DEPUTY_DIRECTOR),
    ("phó chủ tịch", Position.VICE_CHAIRMAN),
    ("giám đốc", Position.DIRECTOR),
    ("chủ tịch", Position.CHAIRMAN),
)
HEAD_OF: dict[Position, Position] = {
    Position.VICE_CHAIRMAN: Position.CHAIRMAN,
    Position.DEPUTY_DIRECTOR: Position.DIRECTOR,
    Position.DEPUTY_CHIEF_INSPECTOR: Position.CHIEF_INSPECTOR,
    Position.DEPUTY_OFFICE_CHIEF: Position.OFFICE_CHIEF,
}
# A People's Committee decides as a body: its chairman and vice-chairmen sign on its behalf.
COLLECTIVE = frozenset({Position.CHAIRMAN, Position.VICE_CHAIRMAN})


@dataclass(frozen=True, slots=True)
class Seat:
    """How a signer signs: on behalf of the body (TM.) or not, for whose head (KT.) if a deputy,
    and in which position; ``position`` None: a title the form has no rule for, written as it
    is (``title``)."""

    position: Position | None
    title: str
    collective: bool = False
    for_head: Position | None = None


def seat_of(title: str) -> Seat:
    """The seat a person's title ("Phó Chủ tịch UBND Thành phố") signs in."""
    said = " ".join(title.split())
    folded = said.casefold()
    for words, position in _TITLES:
        if folded == words or folded.startswith(words + " "):
            return Seat(position, said, position in COLLECTIVE, HEAD_OF.get(position))
    return Seat(None, said)

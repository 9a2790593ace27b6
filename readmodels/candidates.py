"""The candidate store of the duplicate search (issue 26), what both backends keep alike: one
row per petition, where it stands now, its text normalised, its subject and its petitioners
still sealed; its subject's keys and its petitioners' person ids in tables of their own, each
under a B-tree; and how many filings hold each word (``{prefix}_candidate_words``, the word ""
counting every filing), from which the TF-IDF vocabulary is made.

Written by the oversight projection in the view's transaction, with its tracking position
(``readmodels.changes.Changes.filed``, ``.results``, and the petitions' rows for where each
stands), so it moves, rebuilds and swaps with the rest of the view.

What it holds, and what it does not (docs/petitions-matching.md): the text of a petition, as
the log holds it (content is not personal data the law seals, though a denunciation's may name
the person denounced: it is read only by the search, which never shows it); its petitioners
sealed, as in the event, and their person ids. No identification number and no hash of one: the
keyed hashes stay in the vault's table beside each person's key (``adapters.personal_keys``),
which the search asks first for the persons whose hash is the query's or one typo from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

import orjson

from domain.petitions.duplicates import FiledText, subject_keys, subject_record
from domain.shared.personal import SealedPerson
from readmodels.changes import Changes
from readmodels.petitions import PetitionRow

TABLES = ("candidates", "candidate_keys", "candidate_persons", "candidate_words")
EVERY_FILING = ""  # the word whose count is the number of filings


def persons_text(persons: Iterable[SealedPerson]) -> str:
    return orjson.dumps([[str(p.person_id), p.sealed] for p in persons]).decode()


def persons_of(text: str | bytes) -> tuple[SealedPerson, ...]:
    return tuple(SealedPerson(UUID(i), s) for i, s in orjson.loads(text))


def subject_text(filed: FiledText) -> str:
    return orjson.dumps(subject_record(filed.subject)).decode()


def latest_rows(changes: Changes) -> dict[UUID, PetitionRow]:
    """Each petition's row as the batch leaves it: where it stands now."""
    latest: dict[UUID, PetitionRow] = {}
    for row in changes.petitions:
        latest[row.petition_id] = row
    return latest


def word_counts(filed: Sequence[FiledText]) -> Counter[str]:
    """How many of these filings hold each word, and (``EVERY_FILING``) how many there are."""
    counted: Counter[str] = Counter()
    for f in filed:
        counted.update(set(f.words.split()))
    if filed:
        counted[EVERY_FILING] = len(filed)
    return counted


def keys_of(filed: Iterable[FiledText]) -> list[tuple[str, UUID]]:
    return [(key, f.petition_id) for f in filed for key in sorted(subject_keys(f.subject))]


def persons_rows(filed: Iterable[FiledText]) -> list[tuple[UUID, UUID]]:
    return sorted({(p.person_id, f.petition_id) for f in filed for p in f.persons})


def state(row: PetitionRow) -> dict[str, Any]:
    """The columns of where a petition stands, from its current row."""
    return {
        "agency": row.agency,
        "status": row.status,
        "kind": row.kind,
        "published": row.published_on is not None,
    }


def split(frequency: Mapping[str, int]) -> tuple[int, dict[str, int]]:
    """The store's answer to ``frequencies``: the filings, and the words' counts."""
    counts = dict(frequency)
    return counts.pop(EVERY_FILING, 0), counts

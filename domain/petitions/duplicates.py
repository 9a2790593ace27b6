"""The candidate search (issue 26): the earlier filings most likely of the same matter as a
petition, among every agency's and the cases imported from the national feed, found in a
store kept by a projection and ranked by the matching (``domain.petitions.matching``).

Two steps. **Retrieval** asks the ``CandidateStore`` for a bounded set of filings: those of the
persons whose identification number's keyed hash (kept by the vault, beside each person's key)
is the query's or one typo from it; those naming one of the query's documents, parcels or
sites; those holding the query's rarest words. **Ranking** opens the petitioners of those
filings through the vault, in this process, compares them with ``matching.rank`` and keeps the
best. Nothing made of a name, a number or an address is written anywhere.

What crosses agencies: a candidate held by another agency shows its receipt, agency, day,
status, result where it may be seen, score and reasons, never who filed it (a reason names no
person). A denunciation, a petition of several kinds, or one not yet classified, held by an
agency other than the viewer's, is compared by what it says only: its petitioners are neither
opened nor used in its score, its sites (which may be its denouncer's home) are left out, and
the retrieval does not find it by the viewer's identification numbers.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Protocol
from uuid import UUID

from domain.petitions.matching import (
    Document,
    Filing,
    Party,
    Reason,
    Subject,
    Vocabulary,
    compare,
    content_signal,
    normalise,
    normalise_name,
    party,
    profile,
    rank,
    site_of,
    subject_signal,
    terms,
)
from domain.petitions.matching_config import DEFAULT, MatchingConfig
from domain.petitions.petition import Kind, Status
from domain.shared.actors import Actor, Role
from domain.shared.personal import Person, PersonalVault, SealedPerson

# The kinds whose petitioner's identity stays with the agency that holds the petition (Luật Tố
# cáo 2018, Điều 9 khoản 1 điểm b): a denunciation, a petition of several kinds, and (None) one
# not yet classified, which may be either (``Petition.may_see_identity``).
GUARDED_KINDS: Final = frozenset({None, Kind.DENUNCIATION.value, Kind.MIXED.value})
# Who sees a result not yet published, wherever the case is held.
OVERSEERS: Final = frozenset({Role.INSPECTOR, Role.OFFICE})


def guarded(kind: str | None) -> bool:
    """Whether a petition of this kind keeps its petitioners' identity to its holding agency."""
    return kind in GUARDED_KINDS


# --- what the store keeps ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FiledText:
    """What the projection keeps of a petition when it is received: its text normalised (content
    and subject), the subject as registered, normalised, the subject's keys, and its
    petitioners as the event holds them (sealed)."""

    petition_id: UUID
    receipt: str
    words: str
    registered: str
    subject: Subject
    persons: tuple[SealedPerson, ...]


def filed_text(
    petition_id: UUID,
    receipt: str,
    content: str,
    subject: str,
    persons: Iterable[SealedPerson],
) -> FiledText:
    """A received petition as the store keeps it (``matching.profile`` without its petitioners,
    who are sealed: their homes are taken out of its sites when it is ranked)."""
    made = profile(receipt, content, subject)
    return FiledText(
        petition_id, receipt, made.words, made.registered, made.subject, tuple(persons)
    )


def subject_keys(subject: Subject) -> frozenset[str]:
    """The keys a subject is found by: each document by its number (``d:1234``) and, with its
    symbol, by both (``d:1234/qd-ubnd``); each parcel (``p:<sheet>/<parcel>``); each site
    (``s:<number> <street>``)."""
    keys: set[str] = set()
    for d in subject.documents:
        keys.add(f"d:{d.number}")
        if d.symbol:
            keys.add(f"d:{d.number}/{d.symbol}")
    keys.update(f"p:{sheet}/{parcel}" for sheet, parcel in subject.parcels)
    keys.update(f"s:{site}" for site in subject.sites)
    return frozenset(keys)


def subject_record(subject: Subject) -> dict[str, Any]:
    """A subject as JSON holds it, in a stable order."""
    return {
        "documents": [
            [d.number, d.symbol, d.year] for d in sorted(subject.documents, key=Document.order)
        ],
        "parcels": [list(p) for p in sorted(subject.parcels)],
        "sites": sorted(subject.sites),
    }


def subject_from(record: Mapping[str, Any]) -> Subject:
    """A subject read back from ``subject_record``."""
    return Subject(
        frozenset(
            Document(int(n), str(s), None if y is None else int(y))
            for n, s, y in record["documents"]
        ),
        frozenset((int(a), int(b)) for a, b in record["parcels"]),
        frozenset(str(s) for s in record["sites"]),
    )


@dataclass(frozen=True, slots=True)
class StoredFiling:
    """A filing as the store returns it: where it stands now, what it says, who filed it
    (sealed), and its result when it has one."""

    petition_id: UUID
    receipt: str
    agency: str
    received_on: date
    status: Status
    kind: Kind | None
    result: str | None
    published: bool
    words: str
    registered: str
    subject: Subject
    persons: tuple[SealedPerson, ...]


@dataclass(frozen=True, slots=True)
class Wanted:
    """What the retrieval looks for, each arm bounded by ``limit``: the filings of ``persons``
    (a guarded one only where ``persons_at`` holds it), those with one of ``keys``, those
    holding two of ``words`` (the query's rarest, rarest first: ``pairs``); never
    ``exclude``."""

    persons: frozenset[UUID]
    keys: frozenset[str]
    words: tuple[str, ...]
    exclude: UUID | None
    persons_at: str | None
    limit: int


class CandidateStore(Protocol):
    """The store of filings the candidate search reads (``readmodels.candidates_*``)."""

    def frequencies(self, words: Collection[str]) -> tuple[int, dict[str, int]]:
        """How many filings the store holds, and how many of them hold each of ``words`` (a
        word none holds is left out)."""
        ...

    def retrieve(self, wanted: Wanted) -> list[StoredFiling]:
        """The filings ``wanted`` asks for, each once, in no particular order."""
        ...


class NoCandidates:
    """A store that holds nothing: where there are no read models (``memory://``)."""

    def frequencies(self, words: Collection[str]) -> tuple[int, dict[str, int]]:
        return 0, {}

    def retrieve(self, wanted: Wanted) -> list[StoredFiling]:
        return []


# --- the search --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Retrieval:
    """How much the retrieval fetches: at most ``per_arm`` filings from each arm (persons, keys,
    words); by words, the filings holding at least two of the query's ``words`` rarest words,
    among those no more than ``share`` of the filings hold (and at least ``floor`` may):
    a word a thousand filings hold tells no matter apart, and finding its filings costs more
    than all the rest (docs/petitions-matching.md gives the figures these were chosen on)."""

    per_arm: int = 60
    words: int = 8
    share: float = 0.001
    floor: int = 50


RETRIEVAL: Final = Retrieval()


@dataclass(frozen=True, slots=True)
class Found:
    """A candidate ranked: the stored filing and how it compared."""

    filing: StoredFiling
    score: float
    signals: Mapping[str, float]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True, slots=True)
class CandidateView:
    """A candidate as an officer sees it, whichever agency holds it: no petitioner, no text."""

    receipt: str
    agency: str
    received_on: date
    status: Status
    kind: Kind | None
    result: str | None  # the result's summary, where the viewer may see it
    score: float
    reasons: tuple[Reason, ...]


def rarest(
    frequency: Mapping[str, int], documents: int, retrieval: Retrieval = RETRIEVAL
) -> tuple[str, ...]:
    """The words to retrieve by: the ``retrieval.words`` rarest that some filing holds and
    few enough do (``Retrieval.share`` of the ``documents``)."""
    most = max(retrieval.floor, int(retrieval.share * documents))
    ranked = sorted((df, w) for w, df in frequency.items() if 0 < df <= most)
    return tuple(w for _, w in ranked[: retrieval.words])


def pairs(words: Sequence[str]) -> list[tuple[str, ...]]:
    """What a filing must hold to be retrieved by words: any two of them (the one, if one):
    a filing of the same matter shares many of its rarest words, a stranger seldom two."""
    if len(words) < 2:
        return [tuple(words)] if words else []
    return [(a, b) for i, a in enumerate(words) for b in words[i + 1 :]]


@dataclass(frozen=True, slots=True)
class Retrieved:
    """What the retrieval found: the filings, and the persons found by their identification
    number with their keyed hashes (the only persons whose number can match the query's)."""

    filings: list[StoredFiling]
    hashes: Mapping[UUID, bytes]


class DuplicateSearch:
    """Finds and ranks the candidates of a query filing for a viewer."""

    def __init__(
        self,
        store: CandidateStore,
        vault: PersonalVault,
        config: MatchingConfig = DEFAULT,
        retrieval: Retrieval = RETRIEVAL,
    ) -> None:
        self.store = store
        self.vault = vault
        self.config = config
        self.retrieval = retrieval

    def query(
        self, receipt: str, content: str, subject: str, petitioners: Iterable[Person | None]
    ) -> Filing:
        """A petition made comparable, its identification numbers hashed with the vault's key
        (and every number one typo away), in this process."""
        parties = [
            party(p.full_name, p.address, p.id_number, self.vault.id_hash)
            for p in petitioners
            if p is not None
        ]
        return profile(receipt, content, subject, parties)

    def search(self, query: Filing, *, viewer: Actor, exclude: UUID | None = None) -> list[Found]:
        """The filings most likely of the query's matter, best first, at most
        ``config.limit``, those reaching ``config.threshold``."""
        return self.ranked(query, self.retrieve(query, viewer=viewer, exclude=exclude), viewer)

    def retrieve(self, query: Filing, *, viewer: Actor, exclude: UUID | None = None) -> Retrieved:
        """The bounded set of filings the store returns for the query."""
        hashes = _hashes_of(query)
        persons = self.vault.persons_hashed(hashes) if hashes else {}
        documents, frequency = self.store.frequencies(query.terms.keys())
        wanted = Wanted(
            persons=frozenset(persons),
            keys=subject_keys(query.subject),
            words=rarest(frequency, documents, self.retrieval),
            exclude=exclude,
            persons_at=viewer.unit if viewer.role.bound_to_unit else None,
            limit=self.retrieval.per_arm,
        )
        return Retrieved(self.store.retrieve(wanted), persons)

    def ranked(
        self, query: Filing, retrieved: Retrieved, viewer: Actor, *, every: bool = False
    ) -> list[Found]:
        """The retrieved filings compared with the query, best first: those reaching the
        threshold, ``config.limit`` at most; with ``every``, all of them (the bench's figures
        of each signal alone)."""
        found = retrieved.filings
        if not found:
            return []
        counted = {f.petition_id: terms(f.words) for f in found}
        words = set(query.terms)
        for c in counted.values():
            words.update(c)
        documents, frequency = self.store.frequencies(words)
        vocabulary = Vocabulary.of(max(documents, 1), frequency)
        if not every:
            # What the petitioners could add cannot lift these to the threshold: they are
            # neither opened nor compared.
            found = [
                f
                for f in found
                if self._bound(query, f, counted[f.petition_id], vocabulary)
                >= self.config.threshold
            ]
        usable = {f.petition_id: self.persons_count(f, viewer) for f in found}
        sealed = [p for f in found if usable[f.petition_id] for p in f.persons if p.sealed]
        opened = self.vault.open_many(sealed) if sealed else {}
        compared = [
            _filing(f, counted[f.petition_id], opened, retrieved.hashes, usable[f.petition_id])
            for f in found
        ]
        by_receipt = {f.receipt: f for f in found}
        if every:
            scored = [compare(query, c, self.config, vocabulary) for c in compared]
            scored.sort(key=lambda c: -c.score)
        else:
            scored = rank(query, compared, self.config, vocabulary)
        return [Found(by_receipt[c.receipt], c.score, c.signals, c.reasons) for c in scored]

    def views(self, found: Iterable[Found], viewer: Actor) -> list[CandidateView]:
        """What the viewer is shown of each candidate."""
        return [
            CandidateView(
                receipt=f.filing.receipt,
                agency=f.filing.agency,
                received_on=f.filing.received_on,
                status=f.filing.status,
                kind=f.filing.kind,
                result=f.filing.result if result_seen(f.filing, viewer) else None,
                score=round(f.score, 4),
                reasons=f.reasons,
            )
            for f in found
        ]

    def _bound(
        self,
        query: Filing,
        stored: StoredFiling,
        counted: Mapping[str, int],
        vocabulary: Vocabulary,
    ) -> float:
        """The most the filing can score, whoever filed it: its content's score, its subject's
        with or without its sites (some may be its petitioners' homes), and every person's
        signal at its highest; never less than ``compare`` gives."""
        config = self.config
        bare = _filing(stored, counted, {}, {}, seen=False)
        sited = Filing(
            bare.receipt, (), bare.trigrams, counted, stored.subject, bare.words, bare.registered
        )
        subject = max(
            subject_signal(query, bare, config).score, subject_signal(query, sited, config).score
        )
        weights = config.weights
        return (
            weights["content"] * content_signal(query, bare, config, vocabulary).score
            + weights["subject"] * subject
            + weights["id"]
            + weights["name"]
            + weights["address"]
        )

    @staticmethod
    def persons_count(filing: StoredFiling, viewer: Actor) -> bool:
        """Whether the filing's petitioners may count for this viewer: a guarded petition's
        only for an officer of the agency that holds it."""
        if not guarded(None if filing.kind is None else filing.kind.value):
            return True
        return viewer.role.bound_to_unit and viewer.unit == filing.agency


def _hashes_of(query: Filing) -> set[bytes]:
    """The query's keyed hashes: each petitioner's number and every number one typo away."""
    hashes = {p.exact for p in query.parties if p.exact is not None}
    for p in query.parties:
        hashes |= p.near
    return hashes


def _filing(
    stored: StoredFiling,
    counted: Mapping[str, int],
    opened: Mapping[UUID, Person | None],
    hashes: Mapping[UUID, bytes],
    seen: bool,
) -> Filing:
    """A stored filing made comparable: its persons opened and their homes taken out of its
    sites where they may count; else no person and no site (a guarded petition elsewhere)."""
    subject = stored.subject
    parties: list[Party] = []
    if seen:
        homes: set[str] = set()
        for p in stored.persons:
            person = opened.get(p.person_id)
            exact = hashes.get(p.person_id)
            if person is None:
                if exact is not None:
                    parties.append(Party(exact=exact))
                continue
            parties.append(
                Party(normalise_name(person.full_name), normalise(person.address), exact)
            )
            home = site_of(person.address) if person.address else None
            if home is not None:
                homes.add(home)
        if homes:
            subject = Subject(subject.documents, subject.parcels, subject.sites - homes)
    else:
        subject = Subject(subject.documents, subject.parcels, frozenset())
    return Filing(
        stored.receipt,
        tuple(parties),
        frozenset(),
        counted,
        subject,
        stored.words,
        stored.registered,
    )


def result_seen(filing: StoredFiling, viewer: Actor) -> bool:
    """A result is shown once published; before, to the agency that holds the case and to the
    inspectorate and the Office."""
    if filing.result is None:
        return False
    if filing.published or viewer.role in OVERSEERS:
        return True
    return viewer.role.bound_to_unit and viewer.unit == filing.agency

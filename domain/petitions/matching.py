"""Finding earlier petitions of the same matter (issue 26): Vietnamese text made comparable, the
signals that say two filings are one matter, each a score in [0, 1] with a reason the page can
say in either language, and their one combination (weights and thresholds in
``matching_config``).

Pure: no I/O, no clock, no key. The identification number is compared only as keyed hashes
(HMAC) given by whoever holds the key (the personal-data vault): a ``Party`` is made from the
number in clear, inside the process that holds the key, and keeps only the hash of the number
and the hashes of every number one typo away from it; two parties match when one's hash is the
other's, or among the other's neighbours. Names and addresses are compared in clear, in that
same process, and nothing made of them leaves it (docs/petitions-matching.md).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from rapidfuzz import fuzz
from rapidfuzz.distance import JaroWinkler

from domain.petitions.matching_config import DEFAULT, MatchingConfig

# --- Vietnamese made comparable ------------------------------------------------------------

_D = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower case without accents: NFKC (full-width digits, "m²"), đ → d, every combining mark
    taken off ("Nguyễn" and "Nguyen", "hoà" and "hòa" alike). Punctuation stays."""
    text = unicodedata.normalize("NFKC", text).translate(_D).lower()
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", bare).lower()


# How the city's receptions and its people shorten administrative words, places and the names
# of documents, as (pattern on folded text, what it stands for), applied in order, the longer
# and more particular first. Sources: the abbreviations of document types and of bodies of
# Nghị định 30/2020/NĐ-CP (Phụ lục III, I: "Quyết định" QĐ, "Thông báo" TB, "Kết luận" KL;
# Điều 8: "Ủy ban nhân dân" UBND, "Hội đồng nhân dân" HĐND); the administrative units of Luật
# Tổ chức chính quyền địa phương 2015 (tỉnh, thành phố, quận, huyện, thị xã, phường, xã, thị
# trấn) and below them khu phố, ấp, tổ dân phố; the rest as written on petitions and
# envelopes in Ho Chi Minh City (TP.HCM, Q.3, P.7, Đ., KP, TDP, the districts' initials, the
# land and identity papers), which no law fixes. The ward and district numbers lose their
# leading zeros (P.07 is Phường 7).
ABBREVIATIONS: Final[tuple[tuple[str, str], ...]] = (
    # the city; but "Phường Sài Gòn", "P. Sài Gòn" is the ward of that name since 1 July 2025
    # (Nghị quyết 1685/NQ-UBTVQH15), so "sài gòn" after "phường" or "P." stays the ward's name
    (r"\bthanh pho ho chi minh\b|\btp\.?\s*ho chi minh\b|\btp\.?\s*hcm\b|\btphcm\b|\bhcmc?\b",
     " tphcm "),
    (r"\b(?:phuong|p\.|p(?=\s))\s*sai gon\b", " phuong sai gon "),
    (r"(?<!phuong )\bsai gon\b", " tphcm "),
    # districts named by their initials
    (r"\bq\.?\s*bt\b", " quan binh thanh "),
    (r"\bq\.?\s*btan\b", " quan binh tan "),
    (r"\bq\.?\s*gv\b", " quan go vap "),
    (r"\bq\.?\s*pn\b", " quan phu nhuan "),
    (r"\bq\.?\s*tb\b", " quan tan binh "),
    (r"\bq\.?\s*tp\b", " quan tan phu "),
    (r"\btp\.?\s*td\b|\btptd\b", " thanh pho thu duc "),
    (r"\bh\.?\s*bc\b", " huyen binh chanh "),
    (r"\bh\.?\s*cc\b", " huyen cu chi "),
    (r"\bh\.?\s*hm\b", " huyen hoc mon "),
    (r"\bh\.?\s*nb\b", " huyen nha be "),
    (r"\bh\.?\s*cg\b", " huyen can gio "),
    # administrative units: "Q.3", "Q3", "q 3", "Q. Bình Thạnh", "P.7", "P. Bến Nghé", ...
    (r"\bq\.?\s*0*(\d+)\b", r" quan \1 "),
    (r"\bp\.?\s*0*(\d+)\b", r" phuong \1 "),
    (r"\b(quan|phuong)\s+0+(\d)", r" \1 \2 "),
    (r"\bq\.\s*|\bq\b(?=\s+[a-z])", " quan "),
    (r"\bp\.\s*|\bp\b(?=\s+[a-z])", " phuong "),
    (r"\btp\.\s*|\btp\b", " thanh pho "),
    (r"\btx\.\s*|\btx\b", " thi xa "),
    (r"\btt\.\s*(?=[a-z])", " thi tran "),
    (r"\bh\.\s*(?=[a-z])", " huyen "),
    (r"\bx\.\s*(?=[a-z])|\bx\b(?=\s+[a-z])", " xa "),
    (r"\bd\.\s*(?=[a-z0-9])|\bd\b(?=\s+[a-z0-9])", " duong "),
    (r"\bkp\.?\s*(?=[0-9a-z])", " khu pho "),
    (r"\btdp\b", " to dan pho "),
    # bodies, documents, papers
    (r"\bubnd\b", " uy ban nhan dan "),
    (r"\bhdnd\b", " hoi dong nhan dan "),
    (r"\bqd\b", " quyet dinh "),
    (r"\btbd\b", " to ban do "),
    (r"\bqsdd\b", " quyen su dung dat "),
    (r"\bgcnqsdd\b|\bgcn\b", " giay chung nhan quyen su dung dat "),
    (r"\bcccd\b", " can cuoc cong dan "),
    (r"\bcmnd\b", " chung minh nhan dan "),
    (r"\bgpxd\b", " giay phep xay dung "),
    (r"\bgpmb\b", " giai phong mat bang "),
    (r"\btdc\b", " tai dinh cu "),
)  # fmt: skip
_EXPANSIONS: Final = tuple((re.compile(p), r) for p, r in ABBREVIATIONS)
_NOT_WORD = re.compile(r"[\W_]+")


def expanded(folded: str) -> str:
    """Folded text with its abbreviations written out (``ABBREVIATIONS``); punctuation stays."""
    for pattern, replacement in _EXPANSIONS:
        folded = pattern.sub(replacement, folded)
    return folded


def normalise(text: str) -> str:
    """The comparable form of a text: folded, abbreviations written out, words of letters and
    digits separated by one space ("Q.3, TP.HCM" and "Quận 3, Thành phố Hồ Chí Minh" alike).
    Taking out the punctuation can make an abbreviation of what was none ("Đ:5" is "d 5"), so
    the table is applied again until nothing changes: normalising twice is normalising once."""
    words = fold(text)
    for _ in range(4):
        again = " ".join(_NOT_WORD.sub(" ", expanded(words)).split())
        if again == words:
            break
        words = again
    return words


# Words before a name that are no part of it.
_HONORIFICS: Final = frozenset({"ong", "ba", "anh", "chi", "cu", "co", "chu", "em", "bac"})


def normalise_name(name: str) -> str:
    """A person's name folded, with a leading "ông", "bà", "anh", "chị", ... taken off."""
    words = normalise(name).split()
    if len(words) > 2 and words[0] in _HONORIFICS:
        words = words[1:]
    return " ".join(words)


# --- the identification number, as keyed hashes ---------------------------------------------

IdHash = Callable[[str], bytes]
"""The keyed hash (HMAC) of a 12-digit identification number, from whoever holds the key."""


def one_typo_away(id_number: str) -> frozenset[str]:
    """Every number one typo from ``id_number``: one digit replaced by another, or two adjacent
    digits swapped (119 at most for 12 digits); the number itself is not among them."""
    near: set[str] = set()
    for i, digit in enumerate(id_number):
        for other in "0123456789":
            if other != digit:
                near.add(id_number[:i] + other + id_number[i + 1 :])
    for i in range(len(id_number) - 1):
        a, b = id_number[i], id_number[i + 1]
        if a != b:
            near.add(id_number[:i] + b + a + id_number[i + 2 :])
    return frozenset(near)


@dataclass(frozen=True, slots=True)
class Party:
    """A petitioner as the matching sees them: the name and address in comparable form, and the
    identification number only as keyed hashes (``exact``; ``near``: those of the numbers one
    typo away, empty for a party read back from where only the exact hash is kept)."""

    name: str = ""
    address: str = ""
    exact: bytes | None = None
    near: frozenset[bytes] = frozenset()


def party(
    name: str,
    address: str = "",
    id_number: str | None = None,
    id_hash: IdHash | None = None,
) -> Party:
    """A petitioner made comparable; the number, if given, kept only as ``id_hash`` makes it."""
    if id_number is None or id_hash is None:
        return Party(normalise_name(name), normalise(address))
    return Party(
        normalise_name(name),
        normalise(address),
        id_hash(id_number),
        frozenset(id_hash(n) for n in one_typo_away(id_number)),
    )


# --- the subject: documents, parcels, places complained of ------------------------------------


@dataclass(frozen=True, slots=True)
class Document:
    """A document named in a petition: its number, its symbol ("qd-ubnd"; empty when the
    wording gives only the number) and its year when a date follows it."""

    number: int
    symbol: str = ""
    year: int | None = None

    def order(self) -> tuple[int, str, int]:
        return (self.number, self.symbol, self.year or 0)

    def said(self) -> str:
        return f"{self.number}/{self.symbol.upper()}" if self.symbol else str(self.number)

    def same(self, other: Document) -> bool:
        """The same document as far as both wordings tell: the number, and the symbol and the
        year where both give them."""
        return (
            self.number == other.number
            and (not self.symbol or not other.symbol or self.symbol == other.symbol)
            and (self.year is None or other.year is None or self.year == other.year)
        )


@dataclass(frozen=True, slots=True)
class Subject:
    """What a petition is about, as keys that match exactly: the documents it names (a
    decision complained of), its land parcels (map sheet, parcel) and the places it names
    (house number and street), its petitioners' own homes left out."""

    documents: frozenset[Document] = frozenset()
    parcels: frozenset[tuple[int, int]] = frozenset()
    sites: frozenset[str] = frozenset()


# "1234/QĐ-UBND", "12/2023/QĐ-UBND", "55/TB-UBND", "1234 / QĐ - UBND": number, year, symbol.
_REFERENCE = re.compile(
    r"\b(\d{1,6})\s*/\s*(?:((?:19|20)\d\d)\s*/\s*)?([a-z]{1,8}(?:\s*-\s*[a-z0-9]{1,12})+)"
)
# "Quyết định số 1234", "QĐ 1234", "quyết định số: 1234" with no symbol after the number.
_DECISION_NUMBER = re.compile(r"\b(?:quyet dinh|qd)\s*(?:so)?\s*[:.]?\s*(\d{1,6})\b(?!\s*/)")
# A date after the document: "ngày 12/3/2024", "ngày 12-03-2024", "ngày 12 tháng 3 năm 2024".
_DATE_AFTER = re.compile(
    r"^[\s,(]*(?:ngay\s*)?\d{1,2}\s*(?:[/.\-]\s*\d{1,2}\s*[/.\-]|thang\s*\d{1,2}\s*nam)\s*"
    r"((?:19|20)\d\d)\b"
)
# "thửa đất số 45, tờ bản đồ số 12", "thửa 45 tờ 12", "thửa số 45 thuộc tờ bản đồ 12" and the
# other way round: "tờ bản đồ số 12, thửa đất số 45", "TBĐ 12 thửa 45" (on normalised text).
_GAP = r"(?: (?!thua\b|to\b)[a-z]+){0,3}?"
_PARCEL = re.compile(rf"\bthua(?: dat)?(?: so)? (\d+){_GAP} to(?: ban do)?(?: so)? (\d+)\b")
_SHEET_FIRST = re.compile(rf"\bto(?: ban do)?(?: so)? (\d+){_GAP} thua(?: dat)?(?: so)? (\d+)\b")
# A house and its street: "số 12 Lê Văn Sỹ", "tại 45/3 đường Trần Quốc Thảo", on expanded
# folded text (its commas end the street).
_SITE = re.compile(
    r"(?:\bso nha|\bso|\btai|\bo|^)\s*(\d{1,5}[a-z]?(?:/\d{1,5}[a-z]?)*)\s*,?\s+"
    r"(?:duong\s+)?((?:[a-z0-9]+\s+){0,4}?[a-z]+)\s*(?=[,;.()]|\s+(?:phuong|quan|xa|huyen)\b|$)"
)
_NOT_STREET: Final = frozenset({"tang", "m", "m2", "trieu", "nam", "tuoi", "gio", "thang", "ngay"})


def _documents(folded: str) -> set[Document]:
    found: set[Document] = set()
    taken: list[tuple[int, int]] = []
    for m in _REFERENCE.finditer(folded):
        symbol = re.sub(r"\s+", "", m[3])
        year = int(m[2]) if m[2] else _year_after(folded, m.end())
        found.add(Document(int(m[1]), symbol, year))
        taken.append(m.span())
    for m in _DECISION_NUMBER.finditer(folded):
        if not any(a <= m.start(1) < b for a, b in taken):
            found.add(Document(int(m[1]), "", _year_after(folded, m.end())))
    return found


def _year_after(folded: str, at: int) -> int | None:
    m = _DATE_AFTER.match(folded[at : at + 40])
    return int(m[1]) if m else None


def site_of(address: str) -> str | None:
    """The house number and street an address begins with ("12 le van sy"), if it does."""
    m = _SITE.match(" ".join(expanded(fold(address)).split()))
    return _site(m) if m else None


def _site(m: re.Match[str]) -> str | None:
    street = " ".join(m[2].split())
    if street.split()[0] in _NOT_STREET:
        return None
    return f"{m[1]} {street}"


# A passage in quotation marks: what the petition quotes (an earlier petition, a neighbour's).
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")


def _keys(text: str, own: set[str]) -> Subject:
    folded = fold(text)
    flat = " ".join(expanded(folded).split())
    words = normalise(text)
    parcels = {(int(m[2]), int(m[1])) for m in _PARCEL.finditer(words)}
    parcels |= {(int(m[1]), int(m[2])) for m in _SHEET_FIRST.finditer(words)}
    sites = {s for m in _SITE.finditer(flat) if (s := _site(m)) is not None} - own
    documents = _documents(folded)
    # "Quyết định số 1234/QĐ-UBND" and, later, "quyết định số 1234": one document
    documents = {
        d for d in documents if d.symbol or not any(e.symbol and d.same(e) for e in documents)
    }
    return Subject(frozenset(documents), frozenset(parcels), frozenset(sites))


def _union(a: Subject, b: Subject) -> Subject:
    return Subject(a.documents | b.documents, a.parcels | b.parcels, a.sites | b.sites)


def _empty(s: Subject) -> bool:
    return not (s.documents or s.parcels or s.sites)


def subject_of(text: str, homes: Iterable[str] = (), registered: str = "") -> Subject:
    """The documents, parcels and places a petition is about, less the places that are
    ``homes`` (its petitioners' addresses): those the reception ``registered`` as its subject
    (trích yếu), with those its text names outside quotation marks; only when it names none
    outside them, those of the passages it quotes (a petition quoting its own earlier filing
    is about what it quotes; one quoting a neighbour's and adding its own grievance is about
    its own)."""
    own = {s for s in map(site_of, homes) if s is not None}
    outside = _keys(_QUOTED.sub(" ", text), own)
    if _empty(outside):
        outside = _keys(text, own)
    return _union(_keys(registered, own), outside) if registered else outside


# --- a filing, made comparable once ----------------------------------------------------------


def trigrams(words: str) -> frozenset[str]:
    """The trigrams PostgreSQL's pg_trgm takes of a normalised text: each word padded with two
    spaces before and one after, every three characters in a row."""
    found: set[str] = set()
    for word in words.split():
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(found)


def terms(words: str) -> Counter[str]:
    """The words of a normalised text and how often each occurs."""
    return Counter(words.split())


@dataclass(frozen=True, slots=True)
class Filing:
    """A petition as the matching needs it, made comparable once (``profile``): its parties,
    its text's trigrams (for pg_trgm), its words counted (for the content's TF-IDF) and its
    subject's keys."""

    receipt: str
    parties: tuple[Party, ...]
    trigrams: frozenset[str]
    terms: Mapping[str, int]
    subject: Subject
    words: str = field(repr=False, default="")
    registered: str = ""  # the subject as the reception registered it, normalised


def profile(receipt: str, content: str, subject: str = "", parties: Iterable[Party] = ()) -> Filing:
    """A petition made comparable: its content and subject normalised, cut into trigrams and
    words, its subject's keys taken out (its petitioners' homes left out), its parties as
    given."""
    people = tuple(parties)
    text = f"{subject}\n{content}" if subject else content
    words = normalise(text)
    homes = [p.address for p in people if p.address]
    return Filing(
        receipt,
        people,
        trigrams(words),
        MappingProxyType(dict(terms(words))),
        subject_of(content, homes, subject),
        words,
        normalise(subject),
    )


class Vocabulary:
    """How many filings hold each term, over the filings seen so far: the inverse document
    frequency that makes a petition's own words weigh more than the words every petition of its
    kind uses ("tôi khiếu nại quyết định", "đề nghị xem xét")."""

    def __init__(self) -> None:
        self.documents = 0
        self.frequency: Counter[str] = Counter()
        self._idf: dict[str, float] = {}
        self._norms: dict[str, tuple[Mapping[str, int], float]] = {}

    @classmethod
    def of(cls, documents: int, frequency: Mapping[str, int]) -> Vocabulary:
        """A vocabulary kept elsewhere (the candidate store's table of document frequencies):
        ``documents`` filings, ``frequency[term]`` of them holding the term; a term it does not
        name is held by none."""
        made = cls()
        made.documents = documents
        made.frequency = Counter(frequency)
        return made

    def add(self, filing: Filing) -> None:
        self.documents += 1
        self.frequency.update(filing.terms.keys())
        self._idf.clear()
        self._norms.clear()

    def norm(self, filing: Filing) -> float:
        """The length of the filing's TF-IDF vector, kept until the vocabulary changes."""
        kept = self._norms.get(filing.receipt)
        if kept is not None and kept[0] is filing.terms:
            return kept[1]
        norm = _norm(filing.terms, self.idf)
        self._norms[filing.receipt] = (filing.terms, norm)
        return norm

    def idf(self, term: str) -> float:
        """log((1 + N) / (1 + df)): 0 for a word every filing holds."""
        found = self._idf.get(term)
        if found is None:
            found = self._idf[term] = math.log((1 + self.documents) / (1 + self.frequency[term]))
        return found


# --- the signals ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a candidate matched (or, ``against``, why it seems another matter), said by the
    page from ``key`` (``match.<signal>.<case>``) in either language with ``values``."""

    signal: str
    case: str
    score: float
    values: tuple[tuple[str, str], ...] = ()
    against: bool = False

    @property
    def key(self) -> str:
        return f"match.{self.signal}.{self.case}"


# Every reason the matching can give, with the values each carries (the pages' words are
# checked against this: tests/unit/test_petition_matching.py).
REASONS: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "match.id.exact": (),
        "match.id.one_typo": (),
        "match.name.same": (),
        "match.name.similar": ("percent",),
        "match.address.same": (),
        "match.address.similar": ("percent",),
        "match.content.similar": ("percent",),
        "match.subject.document": ("document",),
        "match.subject.document_number": ("document",),
        "match.subject.parcel": ("parcel", "sheet"),
        "match.subject.site": ("site",),
        "match.subject.registered": ("percent",),
        "match.subject.differs": (),
    }
)


@dataclass(frozen=True, slots=True)
class Signal:
    """One signal's score in [0, 1] and the reason it gives, if it says anything."""

    score: float
    reason: Reason | None = None


def _percent(s: float) -> tuple[tuple[str, str], ...]:
    return (("percent", str(round(100 * s))),)


def id_signal(
    a: Filing, b: Filing, config: MatchingConfig = DEFAULT, vocabulary: Vocabulary | None = None
) -> Signal:
    """1 when a petitioner of each has the same identification number (same keyed hash),
    ``config.id_one_typo`` when one's is one typo from the other's, else 0."""
    exact_a = {p.exact for p in a.parties if p.exact is not None}
    exact_b = {p.exact for p in b.parties if p.exact is not None}
    if exact_a & exact_b:
        return Signal(1.0, Reason("id", "exact", 1.0))
    near_a = frozenset().union(*(p.near for p in a.parties))
    near_b = frozenset().union(*(p.near for p in b.parties))
    if exact_a & near_b or exact_b & near_a:
        return Signal(config.id_one_typo, Reason("id", "one_typo", config.id_one_typo))
    return Signal(0.0)


def name_similarity(a: str, b: str) -> float:
    """How alike two normalised names are, in [0, 1]: the mean of Jaro–Winkler on the given
    names (the last word: Vietnamese names share few family names, Nguyễn for four in ten) and
    of the token-sort similarity of the whole names."""
    if not a or not b:
        return 0.0
    given = JaroWinkler.similarity(a.rsplit(" ", 1)[-1], b.rsplit(" ", 1)[-1])
    return (given + fuzz.token_sort_ratio(a, b) / 100) / 2


def name_signal(
    a: Filing, b: Filing, config: MatchingConfig = DEFAULT, vocabulary: Vocabulary | None = None
) -> Signal:
    """The best pair of petitioners' names, accent-folded and fuzzy, through ``config.name``."""
    best = max((name_similarity(p.name, q.name) for p in a.parties for q in b.parties), default=0.0)
    score = config.name(best)
    if best >= 1.0:
        return Signal(score, Reason("name", "same", score))
    if score >= config.reason_floor:
        return Signal(score, Reason("name", "similar", score, _percent(best)))
    return Signal(score)


# Words every address of the city may end in, which tell no home from another: from 1 July 2025
# every address is "phường/xã …, Thành phố Hồ Chí Minh", with no district between.
_EVERY_ADDRESS: Final = frozenset({"tphcm"})


def address_similarity(a: str, b: str) -> float:
    """How alike two normalised addresses are, in [0, 1] (token sets: "12 Lê Văn Sỹ, P.7, Q.3"
    and "số 12 đường Lê Văn Sỹ, Phường 7, Quận 3" alike). The city (``_EVERY_ADDRESS``) is
    left out: sharing it makes two homes no more alike."""
    a = " ".join(w for w in a.split() if w not in _EVERY_ADDRESS)
    b = " ".join(w for w in b.split() if w not in _EVERY_ADDRESS)
    if not a or not b:
        return 0.0
    return fuzz.token_set_ratio(a, b) / 100


def address_signal(
    a: Filing, b: Filing, config: MatchingConfig = DEFAULT, vocabulary: Vocabulary | None = None
) -> Signal:
    """The best pair of petitioners' addresses, through ``config.address``."""
    best = max(
        (address_similarity(p.address, q.address) for p in a.parties for q in b.parties),
        default=0.0,
    )
    score = config.address(best)
    if best >= 1.0:
        return Signal(score, Reason("address", "same", score))
    if score >= config.reason_floor:
        return Signal(score, Reason("address", "similar", score, _percent(best)))
    return Signal(score)


def trigram_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """pg_trgm's ``similarity``: shared trigrams over all the trigrams of either."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def content_similarity(a: Filing, b: Filing, vocabulary: Vocabulary | None = None) -> float:
    """How alike two petitions' texts are: the cosine of their TF-IDF vectors of words (a
    word's weight: 1 + log of its count, times its ``vocabulary.idf``; every idf 1 without a
    vocabulary)."""
    if not a.terms or not b.terms:
        return 0.0
    idf = (lambda _: 1.0) if vocabulary is None else vocabulary.idf
    small, large = (a.terms, b.terms) if len(a.terms) <= len(b.terms) else (b.terms, a.terms)
    dot = 0.0
    for term, count in small.items():
        other = large.get(term)
        if other is not None:
            dot += (1 + math.log(count)) * (1 + math.log(other)) * idf(term) ** 2
    if dot <= 0.0:
        return 0.0
    if vocabulary is None:
        return min(1.0, dot / (_norm(a.terms, idf) * _norm(b.terms, idf)))
    return min(1.0, dot / (vocabulary.norm(a) * vocabulary.norm(b)))


def _norm(counts: Mapping[str, int], idf: Callable[[str], float]) -> float:
    return math.sqrt(sum(((1 + math.log(c)) * idf(t)) ** 2 for t, c in counts.items()))


def content_signal(
    a: Filing, b: Filing, config: MatchingConfig = DEFAULT, vocabulary: Vocabulary | None = None
) -> Signal:
    """The content's similarity through ``config.content``."""
    raw = content_similarity(a, b, vocabulary)
    score = config.content(raw)
    if score >= config.reason_floor:
        return Signal(score, Reason("content", "similar", score, _percent(raw)))
    return Signal(score)


def subject_signal(
    a: Filing, b: Filing, config: MatchingConfig = DEFAULT, vocabulary: Vocabulary | None = None
) -> Signal:
    """The strongest key the two subjects share: a document (with its symbol, or only its
    number), a parcel, a place; else the subjects the reception registered, when they are
    alike; else, when both name documents, parcels or places and none is the same, a reason
    against (its score is taken off, ``config.subject_differs``)."""
    sa, sb = a.subject, b.subject
    found: list[Signal] = []
    for d in sorted(sa.documents, key=Document.order):
        for e in sorted(sb.documents, key=Document.order):
            if d.same(e):
                whole = bool(d.symbol and e.symbol)
                score = config.subject_decision if whole else config.subject_decision_number
                case = "document" if whole else "document_number"
                shown = d if d.symbol else e
                found.append(
                    Signal(score, Reason("subject", case, score, (("document", shown.said()),)))
                )
    for sheet, parcel in sorted(sa.parcels & sb.parcels):
        values = (("parcel", str(parcel)), ("sheet", str(sheet)))
        found.append(
            Signal(
                config.subject_parcel, Reason("subject", "parcel", config.subject_parcel, values)
            )
        )
    for site in sorted(sa.sites & sb.sites):
        found.append(
            Signal(
                config.subject_site,
                Reason("subject", "site", config.subject_site, (("site", site),)),
            )
        )
    if found:
        return max(found, key=lambda s: s.score)
    if a.registered and b.registered:
        alike = fuzz.token_sort_ratio(a.registered, b.registered) / 100
        if alike >= config.subject_registered_alike:
            score = config.subject_registered
            return Signal(score, Reason("subject", "registered", score, _percent(alike)))
    differs = (
        (sa.documents and sb.documents) or (sa.parcels and sb.parcels) or (sa.sites and sb.sites)
    )
    if differs:
        return Signal(0.0, Reason("subject", "differs", config.subject_differs, against=True))
    return Signal(0.0)


SignalOf = Callable[[Filing, Filing, MatchingConfig, "Vocabulary | None"], Signal]
SIGNALS: Final[Mapping[str, SignalOf]] = MappingProxyType(
    {
        "id": id_signal,
        "name": name_signal,
        "address": address_signal,
        "content": content_signal,
        "subject": subject_signal,
    }
)


# --- the combination ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """An earlier filing that may be the same matter: its score, each signal's, and why."""

    receipt: str
    score: float
    signals: Mapping[str, float]
    reasons: tuple[Reason, ...]


def compare(
    a: Filing, b: Filing, config: MatchingConfig = DEFAULT, vocabulary: Vocabulary | None = None
) -> Candidate:
    """``b`` as a candidate for ``a``: each signal, and their sum weighted by ``config``, less
    ``config.subject_differs`` when the subjects differ, within [0, 1]."""
    signals = {name: signal(a, b, config, vocabulary) for name, signal in SIGNALS.items()}
    total = sum(config.weights[name] * s.score for name, s in signals.items())
    reasons = tuple(s.reason for s in signals.values() if s.reason is not None)
    total -= sum(r.score for r in reasons if r.against)
    return Candidate(
        b.receipt,
        min(1.0, max(0.0, total)),
        MappingProxyType({name: s.score for name, s in signals.items()}),
        reasons,
    )


def rank(
    query: Filing,
    earlier: Iterable[Filing],
    config: MatchingConfig = DEFAULT,
    vocabulary: Vocabulary | None = None,
    *,
    limit: int | None = None,
) -> list[Candidate]:
    """The earlier filings most likely the same matter as ``query``, best first, those scoring
    at least ``config.threshold``, at most ``limit`` (``config.limit``) of them; equal scores
    in the order given."""
    scored = [
        c for f in earlier if (c := compare(query, f, config, vocabulary)).score >= config.threshold
    ]
    scored.sort(key=lambda c: -c.score)
    return scored[: config.limit if limit is None else limit]

"""The candidate search's pure parts: the words it retrieves by, the keys a subject is found
by and kept as, and what a viewer is shown of a candidate."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from domain.petitions.duplicates import (
    Retrieval,
    StoredFiling,
    guarded,
    pairs,
    rarest,
    result_seen,
    subject_from,
    subject_keys,
    subject_record,
)
from domain.petitions.matching import Document, Subject, subject_of
from domain.petitions.petition import Kind, Status
from domain.shared.actors import Actor, Role

documents = st.builds(
    Document,
    st.integers(1, 99_999),
    st.sampled_from(["", "qd-ubnd", "tb-ubnd"]),
    st.one_of(st.none(), st.integers(1990, 2030)),
)
subjects = st.builds(
    Subject,
    st.frozensets(documents, max_size=3),
    st.frozensets(st.tuples(st.integers(1, 500), st.integers(1, 5_000)), max_size=3),
    st.frozensets(st.text("abcdeghilmnoprstuvy 0123456789", min_size=1, max_size=20), max_size=3),
)


@given(subjects)
def test_a_subject_kept_as_json_reads_back_the_same(subject: Subject) -> None:
    """``subject_from(subject_record(s)) == s``, and every key it is found by is kept."""
    assert subject_from(subject_record(subject)) == subject
    assert subject_keys(subject_from(subject_record(subject))) == subject_keys(subject)


def test_a_parcel_in_two_wordings_and_a_decision_with_or_without_its_symbol_share_keys() -> None:
    """ "thửa 318 tờ 27" and "TBĐ 27 thửa 318" are one key; "1234/QĐ-UBND" is found by its
    number too, which is all "quyết định số 1234" gives."""
    a = subject_keys(subject_of("Khiếu nại Quyết định số 1234/QĐ-UBND, thửa đất số 318, tờ 27"))
    b = subject_keys(subject_of("khieu nai quyet dinh so 1234 ngay 2/3/2024 ve TBD 27 thua 318"))
    assert {"d:1234", "p:27/318"} <= a & b
    assert "d:1234/qd-ubnd" in a


def test_the_words_retrieved_by_are_the_rarest_few_enough_filings_hold() -> None:
    """Rarest first, none that no filing holds, none held by more than one filing in a
    thousand (at least 50 may), eight at most."""
    frequency = {"a": 0, "b": 3, "c": 1, "d": 60, "e": 1_500, "f": 900}
    assert rarest(frequency, 100) == ("c", "b")
    assert rarest(frequency, 1_000_000) == ("c", "b", "d", "f")
    assert len(rarest({str(n): n for n in range(1, 40)}, 10, Retrieval(words=8))) == 8


def test_a_filing_is_retrieved_by_words_when_it_holds_two_of_them() -> None:
    assert pairs(["x", "y", "z"]) == [("x", "y"), ("x", "z"), ("y", "z")]
    assert pairs(["x"]) == [("x",)]
    assert pairs([]) == []


def _filing(kind: Kind | None, *, published: bool, agency: str = "SO-XD") -> StoredFiling:
    return StoredFiling(
        uuid4(), "2025-AAAA0000", agency, date(2025, 1, 2), Status.RESOLVED, kind,
        "Đã giải quyết.", published, "", "", Subject(), (),
    )  # fmt: skip


def test_a_result_is_shown_once_published_and_before_to_its_holder_and_the_overseers() -> None:
    filing = _filing(Kind.COMPLAINT, published=False)
    assert result_seen(filing, Actor("a", Role.RECEPTION, "SO-XD"))
    assert result_seen(filing, Actor("t", Role.INSPECTOR))
    assert result_seen(filing, Actor("o", Role.OFFICE))
    assert not result_seen(filing, Actor("b", Role.RECEPTION, "UBND-Q1"))
    assert result_seen(_filing(Kind.COMPLAINT, published=True), Actor("b", Role.RECEPTION, "X"))


def test_denunciations_mixed_and_unclassified_petitions_keep_their_petitioners() -> None:
    assert guarded(None)
    assert guarded(Kind.DENUNCIATION.value)
    assert guarded(Kind.MIXED.value)
    assert not guarded(Kind.COMPLAINT.value)
    assert not guarded(Kind.PROPOSAL.value)

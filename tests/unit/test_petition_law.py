"""The law's terms and grounds as data: complete, cited, labelled in both languages, consistent."""

from __future__ import annotations

import re

import pytest

from domain.petitions.law import (
    AMENDMENTS_2025_IN_FORCE,
    COMPLEX_VARIANT,
    DENUNCIATION_MAX_EXTENSIONS,
    GROUNDS,
    LABELS,
    POLICY_TERMS,
    REMOTE_VARIANT,
    TERMS,
    ArchiveGround,
    Ground,
    NotAcceptedGround,
    Term,
    TermName,
)

TEXTS = (
    "Luật Khiếu nại 2011",
    "Luật Tố cáo 2018",
    "Luật Tiếp công dân 2013",
    "Thông tư 05/2021/TT-TTCP",
)
ARTICLE = re.compile(r"Điều \d+")
ALL_GROUNDS = [*NotAcceptedGround, *ArchiveGround]
LEGAL_TERMS = [name for name in TermName if name not in POLICY_TERMS]


def days_in(label: str) -> int:
    """The first number in a label: the days it announces."""
    found = re.search(r"\d+", label)
    assert found is not None, label
    return int(found.group())


def test_every_term_name_has_exactly_one_term() -> None:
    """The table of terms covers every term name and nothing else."""
    assert set(TERMS) == set(TermName)


@pytest.mark.parametrize("name", list(TermName), ids=str)
def test_every_term_is_a_positive_number_of_days(name: TermName) -> None:
    """A term counts at least one day."""
    assert TERMS[name].days > 0


@pytest.mark.parametrize("name", LEGAL_TERMS, ids=str)
def test_every_legal_term_cites_a_text_and_its_article(name: TermName) -> None:
    """A term set by law names the law and the article it comes from."""
    citation = TERMS[name].citation
    assert citation.startswith(TEXTS)
    assert ARTICLE.search(citation)


@pytest.mark.parametrize("name", sorted(POLICY_TERMS), ids=str)
def test_a_policy_term_says_it_is_the_citys_rule_not_the_laws(name: TermName) -> None:
    """A default of the city cites no article, so no one mistakes it for the law."""
    assert not ARTICLE.search(TERMS[name].citation)
    assert "Thành phố" in TERMS[name].citation


@pytest.mark.parametrize(("simple", "complex_"), list(COMPLEX_VARIANT.items()), ids=str)
def test_a_complex_case_has_a_longer_term_counted_the_same_way(
    simple: TermName, complex_: TermName
) -> None:
    """The term for a complex case (or several places) is longer, in the same kind of days."""
    assert TERMS[complex_].days > TERMS[simple].days
    assert TERMS[complex_].working == TERMS[simple].working
    assert TERMS[complex_].citation == TERMS[simple].citation


@pytest.mark.parametrize(("normal", "remote"), list(REMOTE_VARIANT.items()), ids=str)
def test_a_remote_area_has_a_longer_term_from_the_same_article(
    normal: TermName, remote: TermName
) -> None:
    """Vùng sâu, vùng xa: a longer term, from the same article, in the same kind of days."""
    assert TERMS[remote].days > TERMS[normal].days
    assert TERMS[remote].working == TERMS[normal].working
    assert TERMS[remote].citation == TERMS[normal].citation


def test_a_remote_complex_term_is_longer_than_both_its_simple_forms() -> None:
    """Remote and complex together give the longest of the four terms of a round."""
    for normal, remote in REMOTE_VARIANT.items():
        if normal in COMPLEX_VARIANT and remote in COMPLEX_VARIANT:
            longest = TERMS[COMPLEX_VARIANT[remote]].days
            assert longest > TERMS[COMPLEX_VARIANT[normal]].days
            assert longest > TERMS[remote].days


def test_a_denunciation_extension_is_no_longer_than_the_term_it_extends() -> None:
    """Each extension of a denunciation's handling is at most the original term (Điều 30)."""
    handling = TERMS[TermName.DENUNCIATION_HANDLING]
    extension = TERMS[TermName.DENUNCIATION_EXTENSION]
    assert DENUNCIATION_MAX_EXTENSIONS >= 1
    assert 0 < extension.days <= handling.days
    assert extension.working == handling.working


@pytest.mark.parametrize("name", list(TermName), ids=str)
def test_every_term_is_labelled_in_both_languages(name: TermName) -> None:
    """A term has a Vietnamese and an English label, not the same text twice."""
    label = LABELS[name]
    assert label.vi.strip()
    assert label.en.strip()
    assert label.vi != label.en
    assert label.en.isascii()
    assert not label.vi.isascii()


@pytest.mark.parametrize("name", LEGAL_TERMS, ids=str)
def test_a_terms_labels_announce_its_days_and_their_kind(name: TermName) -> None:
    """The days a label announces are the term's, and it says working days iff they are."""
    term, label = TERMS[name], LABELS[name]
    assert days_in(label.vi) == term.days
    assert days_in(label.en) == term.days
    assert ("ngày làm việc" in label.vi) == term.working
    assert ("working days" in label.en) == term.working


@pytest.mark.parametrize("ground", ALL_GROUNDS, ids=str)
def test_every_ground_cites_a_text_and_its_article(
    ground: NotAcceptedGround | ArchiveGround,
) -> None:
    """A ground for not accepting or archiving names the text and the article it rests on."""
    citation = GROUNDS[ground].citation
    assert citation.startswith(TEXTS)
    assert ARTICLE.search(citation)


@pytest.mark.parametrize("ground", ALL_GROUNDS, ids=str)
def test_every_ground_is_labelled_in_both_languages(
    ground: NotAcceptedGround | ArchiveGround,
) -> None:
    """A ground has a Vietnamese and an English label, not the same text twice."""
    label = LABELS[ground]
    assert label.vi.strip()
    assert label.en.strip()
    assert label.vi != label.en
    assert label.en.isascii()
    assert not label.vi.isascii()


def test_grounds_and_labels_cover_every_ground_and_term_and_nothing_else() -> None:
    """No ground lacks a citation and no label is left over from a removed name."""
    assert set(GROUNDS) == set(ALL_GROUNDS)
    assert set(LABELS) == {*TermName, *ALL_GROUNDS}


def test_names_of_terms_and_grounds_never_share_a_value() -> None:
    """Terms and grounds are looked up in one table, so no two may share a stored value."""
    values = [member.value for member in (*TermName, *ALL_GROUNDS)]
    assert len(values) == len(set(values))


@pytest.mark.parametrize("ground", list(NotAcceptedGround), ids=str)
def test_a_not_accepted_ground_belongs_to_the_kind_its_law_governs(
    ground: NotAcceptedGround,
) -> None:
    """Complaint grounds come from the complaint law; denunciation grounds from the denunciation
    law or the circular, and the value's prefix says which kind each is for."""
    kind, _, _ = ground.value.partition(".")
    citation = GROUNDS[ground].citation
    if kind == "complaint":
        assert citation.startswith("Luật Khiếu nại 2011")
    else:
        assert kind == "denunciation"
        assert citation.startswith(("Luật Tố cáo 2018", "Thông tư 05/2021/TT-TTCP"))


@pytest.mark.parametrize("ground", list(ArchiveGround), ids=str)
def test_an_archive_ground_rests_on_the_circular_on_processing_petitions(
    ground: ArchiveGround,
) -> None:
    """Lưu đơn is a step of Thông tư 05/2021/TT-TTCP, whatever else a ground also cites."""
    assert "Thông tư 05/2021/TT-TTCP" in GROUNDS[ground].citation


def test_the_complaint_law_has_nine_grounds_numbered_as_its_article_eleven() -> None:
    """Điều 11 lists nine cases; each complaint ground from it cites its own clause, 1 to 9."""
    clauses = sorted(
        int(match.group(1))
        for ground in NotAcceptedGround
        if (match := re.search(r"Điều 11 khoản (\d+)", GROUNDS[ground].citation))
    )
    assert clauses == list(range(1, 10))


def test_a_rule_from_the_2025_amendments_applies_from_their_entry_into_force() -> None:
    """What Law 136/2025/QH15 added is dated from 1 July 2026, and only that is dated."""
    rules: list[Term | Ground] = [*TERMS.values(), *GROUNDS.values()]
    for rule in rules:
        amended = "136/2025" in rule.citation
        assert (rule.in_force_from == AMENDMENTS_2025_IN_FORCE) == amended

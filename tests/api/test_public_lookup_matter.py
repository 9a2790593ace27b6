"""The public look-up tells everyone who filed a matter its result (issue 26): once a result is
published at any filing of the matter, every linked petitioner's look-up shows it, without the
other filing's code, petitioner or content; a filing answered with the earlier result shows that
result; the links are those standing now. On SQLite and PostgreSQL."""

from __future__ import annotations

from domain.petitions.commands import (
    AnswerWithEarlier,
    Classify,
    MarkSameMatter,
    PublishResult,
    Resolve,
    UnmarkSameMatter,
)
from domain.petitions.petition import Competence, Field, Kind, Verdict
from projections.oversight import OversightProjection, catch_up
from tests.api.conftest import Api
from tests.api.test_public_lookup import api, look_up, look_up_page
from tests.petition_builders import (
    COMPLAINT_TEXT,
    HEAD,
    NGUYEN,
    OTHER_AGENCY,
    OTHER_HEAD,
    OTHER_RECEPTION,
    TRAN,
    accepted,
    received,
)

__all__ = ["api"]  # the fixture, on both backends


def project(api: Api) -> None:
    assert api.services.view is not None
    catch_up(api.app, OversightProjection(api.services.view))


def resolved(api: Api, kind: Kind = Kind.COMPLAINT, *, publish: bool = True) -> str:
    """Nguyễn's petition at SO-XD, resolved (and published)."""
    receipt = accepted(api.app, kind)
    verdict = Verdict.ANSWERED if kind is Kind.PROPOSAL else Verdict.WRONG
    api.app.petitions.execute(
        Resolve(verdict=verdict, summary="Giữ nguyên quyết định.", decision_reference="7/QĐ-SXD"),
        receipt,
        actor=HEAD,
        request_id="req-resolve",
    )
    if publish:
        api.app.petitions.execute(PublishResult(), receipt, actor=HEAD, request_id="req-pub")
    return receipt


def filed_elsewhere(api: Api, earlier: str) -> str:
    """Trần's filing of the same matter at UBND-Q1, marked as one matter with ``earlier``."""
    later = received(api.app, petitioners=(TRAN,), agency=OTHER_AGENCY, actor=OTHER_RECEPTION)
    api.app.petitions.execute(
        MarkSameMatter(earlier=earlier, reason="Cùng thửa đất, cùng quyết định"),
        later,
        actor=OTHER_RECEPTION,
        request_id="req-mark",
    )
    project(api)
    return later


def test_a_linked_petitioner_sees_the_matters_published_result_and_nothing_of_the_other(
    api: Api,
) -> None:
    first = resolved(api, publish=False)
    later = filed_elsewhere(api, first)
    assert look_up(api, later, "4321").json["linked"] == []  # not yet published
    api.app.petitions.execute(PublishResult(), first, actor=HEAD, request_id="req-pub")
    answer = look_up(api, later, "4321")
    (result,) = answer.json["linked"]
    assert result["receipt"] is None
    assert (result["agency"]["code"], result["decision_reference"]) == ("SO-XD", "7/QĐ-SXD")
    for secret in (first, NGUYEN.full_name, str(NGUYEN.id_number), COMPLAINT_TEXT):
        assert secret not in answer.text, secret
    # The earlier filing's petitioner sees their own result, and the later filing nowhere.
    earlier = look_up(api, first, "1234")
    assert earlier.json["result"]["decision_reference"] == "7/QĐ-SXD"
    assert later not in earlier.text
    vi = look_up_page(api, later, "4321")
    assert "Kết quả giải quyết vụ việc (đơn cùng nội dung gửi cơ quan khác)" in vi.text
    assert "7/QĐ-SXD" in vi.text
    assert first not in vi.text
    en = look_up_page(api, later, "4321", lang="en")
    assert "The matter&#39;s result" in en.text or "The matter's result" in en.text


def test_an_undone_link_shows_the_other_result_no_more(api: Api) -> None:
    first = resolved(api)
    later = filed_elsewhere(api, first)
    assert len(look_up(api, later, "4321").json["linked"]) == 1
    api.app.petitions.execute(
        UnmarkSameMatter(earlier=first, reason="Khác thửa đất"),
        later,
        actor=OTHER_RECEPTION,
        request_id="req-unmark",
    )
    project(api)
    assert look_up(api, later, "4321").json["linked"] == []


def test_a_filing_answered_with_the_earlier_result_shows_that_result(api: Api) -> None:
    first = resolved(api, Kind.PROPOSAL, publish=False)
    later = filed_elsewhere(api, first)
    api.app.petitions.execute(
        Classify(kind=Kind.PROPOSAL, field=Field.LAND, competence=Competence.OURS),
        later,
        actor=OTHER_RECEPTION,
        request_id="req-classify",
    )
    api.app.petitions.execute(
        AnswerWithEarlier(earlier=first), later, actor=OTHER_HEAD, request_id="req-answer"
    )
    project(api)
    document = look_up(api, later, "4321").json
    assert document["status"] == "archived"
    assert document["answered"]["decision_reference"] == "7/QĐ-SXD"
    assert document["answered"]["agency"]["code"] == "SO-XD"
    assert document["answered"]["summary"] == "Giữ nguyên quyết định."
    assert "kết quả giải quyết đã có" in document["step"]["vi"]
    vi = look_up_page(api, later, "4321")
    assert "Kết quả giải quyết đã có của vụ việc, dùng để trả lời đơn này" in vi.text
    assert 'id="lookup-answered"' in vi.text
    en = look_up_page(api, later, "4321", lang="en")
    assert "with which this petition was answered" in en.text

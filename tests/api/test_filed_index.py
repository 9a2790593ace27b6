"""Looking a file up by its SHA-256 (issue 28; ``readmodels.filed``): the oversight view's index
of filed files answers what scanning the log's filing events answered, reads no notification
once it has caught up, only the log's tail while it has not, the part before it began on a view
projected before it existed, and is rebuilt with the other read models. On SQLite and on
PostgreSQL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql

from domain.application import SYSTEM_ACTOR
from domain.documents.document import Change
from domain.shared.actors import Role
from projections.document_check import FiledVersion, filed_as
from projections.oversight import OversightProjection, catch_up
from projections.runner import rebuild
from readmodels.open import OversightView
from tests.api.conftest import Api
from tests.api.test_document_amendments import filing_api_on
from tests.api.test_documents import issued, pdf_of
from tests.api.test_filed_documents import LEADER
from tests.conftest import START
from tests.documents import Authority, make_authority

REFERENCES = ("1234/UBND-VX", "1235/UBND-VX", "1236/UBND-VX")


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return make_authority(tmp_path_factory.mktemp("ca"), START, signers=[LEADER])


@pytest.fixture(params=["sqlite", "postgres"])
def api_filing(
    request: pytest.FixtureRequest, tmp_path: Path, authority: Authority
) -> Iterator[Api]:
    yield from filing_api_on(request.param, tmp_path, authority)


class Counted:
    """The notifications read from the log through the recorder, counted."""

    def __init__(self, api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
        self.read = 0
        recorder = api.app.recorder
        select = recorder.select_notifications

        def counting(*args: Any, **kwargs: Any) -> Any:
            found = select(*args, **kwargs)
            self.read += len(found)
            return found

        monkeypatch.setattr(recorder, "select_notifications", counting)


def view_of(api: Api) -> OversightView:
    view = api.services.view
    assert view is not None
    return view


def filed_pdfs(api: Api) -> list[bytes]:
    """Three directives issued and filed, the second amended: four files, each served once."""
    pdfs = []
    for reference in REFERENCES:
        issued(api, reference)
        pdfs.append(
            pdf_of(api, f"/api/directives/{reference.replace('/', '~')}/document.pdf", Role.LEADER)
        )
    amended = api.post(
        "/api/directives/1235~UBND-VX/document/amendments", Role.OFFICE, {"reason": "sửa lỗi"}
    )
    assert amended.status_code == 201, amended.text
    pdfs.append(pdf_of(api, "/api/directives/1235~UBND-VX/document.pdf", Role.LEADER))
    return pdfs


def said(found: FiledVersion | None) -> tuple[object, ...] | None:
    if found is None:
        return None
    return (found.document.id, found.version.number, found.position, found.recorded_at)


def digest_of(pdf: bytes) -> str:
    return "sha256:" + hashlib.sha256(pdf).hexdigest()


def test_the_index_answers_as_the_log_does_and_reads_no_notification_once_caught_up(
    api_filing: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every filed file, both versions of the amended one, and a digest never filed: the same
    document, version, position and moment through the index as through the log's filing
    events; the index reads no notification, the scan reads every filing."""
    pdfs = filed_pdfs(api_filing)
    view = view_of(api_filing)
    catch_up(api_filing.app, OversightProjection(view))
    counted = Counted(api_filing, monkeypatch)
    digests = [*map(digest_of, pdfs), "sha256:" + "0" * 64]
    scanned = [said(filed_as(api_filing.app, d)) for d in digests]
    read_by_scan, counted.read = counted.read, 0
    indexed = [said(filed_as(api_filing.app, d, view)) for d in digests]
    assert indexed == scanned
    assert [s is None for s in indexed] == [False, False, False, False, True]
    assert [s[1] for s in indexed if s is not None] == [1, 1, 1, 2]
    assert counted.read == 0
    assert read_by_scan >= len(pdfs)  # the scan read the filings (at least one per lookup)


def test_a_filing_the_view_has_not_projected_yet_is_found_in_the_logs_tail_alone(
    api_filing: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version filed behind the projection's back: found, reading only the notifications
    after the view's position."""
    pdfs = filed_pdfs(api_filing)
    view = view_of(api_filing)
    catch_up(api_filing.app, OversightProjection(view))
    app = api_filing.app
    other = pdfs[0] + b"%tail\n"  # another PDF's bytes: what is filed is only kept, not checked
    first = filed_as(app, digest_of(pdfs[0]), view)
    assert first is not None
    position = app.documents.file_version(
        first.document.id,
        other,
        name="tail.pdf",
        signer=None,
        change=Change.AMENDED,
        reason="ngoài luồng",
        actor=SYSTEM_ACTOR,
        request_id="tail",
    )
    assert view.position() < position
    counted = Counted(api_filing, monkeypatch)
    found = filed_as(app, digest_of(other), view)
    assert said(found) == said(filed_as(app, digest_of(other)))
    assert found is not None
    assert found.position == position
    counted.read = 0
    filed_as(app, digest_of(other), view)
    assert 0 < counted.read <= position - view.position()


def test_a_view_projected_before_the_index_existed_finds_its_earlier_filings_in_the_log(
    api_filing: Api,
) -> None:
    """The index's tables made anew on a view that stands at a position: it begins there, and
    what was filed before is still found (in the log), until a rebuild indexes everything."""
    pdfs = filed_pdfs(api_filing)
    view = view_of(api_filing)
    catch_up(api_filing.app, OversightProjection(view))
    expected = [said(filed_as(api_filing.app, digest_of(p))) for p in pdfs]
    drop_index(view)
    view.create_table()
    assert view.filed.since() == view.position() > 0
    assert view.filed.rows(digest_of(pdfs[0])) == []
    assert [said(filed_as(api_filing.app, digest_of(p), view)) for p in pdfs] == expected
    rebuild(api_filing.app, workers=1)
    assert view.filed.since() == 0
    assert [said(filed_as(api_filing.app, digest_of(p), view)) for p in pdfs] == expected
    assert [r.version for p in pdfs for r in view.filed.rows(digest_of(p))] == [1, 1, 1, 2]


def drop_index(view: OversightView) -> None:
    """The index's tables dropped, as on a view made before they existed."""
    backend: Any = view  # each backend's own datastore and table names
    with backend.datastore.transaction(commit=True) as c:
        for name in ("filed_files", "filed_since"):
            table = backend.table(name)
            if isinstance(table, sql.Composable):
                c.execute(sql.SQL("DROP TABLE {}").format(table))
            else:
                c.execute(f"DROP TABLE {table}")

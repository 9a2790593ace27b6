"""A filed document's versions (domain.documents.document): every version kept, the latest
current, a revoked document refusing more; and its events read back as they were written."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.application import SYSTEM_ACTOR, Thucthi
from domain.documents.document import Change, Document, DocumentStateError, document_id
from domain.shared.clock import SimulatedClock
from domain.shared.files import digest_of
from tests.conftest import START
from tests.documents import minimal_pdf


def filed_app(clock: SimulatedClock | None = None) -> tuple[Thucthi, Document]:
    app = Thucthi(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock or SimulatedClock(START)
    )
    subject = uuid4()
    app.documents.file(
        minimal_pdf("v1"),
        name="1-UBND-VX.pdf",
        kind="directive",
        subject=subject,
        reference="1/UBND-VX",
        title="Title",
        issuer="leader.chutich",
        public=True,
        signer="leader.chutich",
        actor=SYSTEM_ACTOR,
        request_id="r1",
    )
    found = app.documents.get(document_id("directive", subject))
    assert found is not None
    return app, found


def test_an_amended_version_is_current_and_the_first_is_kept_with_its_digest() -> None:
    """Đính chính: version 2 is current, version 1 still found by its digest."""
    app, document = filed_app()
    app.documents.file_version(
        document.id,
        minimal_pdf("v2"),
        name="1-UBND-VX-2.pdf",
        signer="leader.chutich",
        change=Change.AMENDED,
        reason="sửa lỗi chính tả",
        actor=SYSTEM_ACTOR,
        request_id="r2",
    )
    again = app.documents.get(document.id)
    assert again is not None
    assert [v.number for v in again.versions] == [1, 2]
    assert again.current.change is Change.AMENDED
    assert again.current.file.digest == digest_of(minimal_pdf("v2"))
    first = again.version_of(digest_of(minimal_pdf("v1")))
    assert first is not None
    assert first.number == 1
    assert app.files.get(first.file.digest) == minimal_pdf("v1")


def test_a_revoked_document_keeps_its_versions_and_refuses_another() -> None:
    """Thu hồi: the versions stay; filing a further one is refused."""
    clock = SimulatedClock(START)
    app, document = filed_app(clock)
    clock.advance(timedelta(days=1))
    app.documents.revoke(document.id, reason="hết hiệu lực", actor=SYSTEM_ACTOR, request_id="r")
    again = app.documents.get(document.id)
    assert again is not None
    assert again.revoked_at == START + timedelta(days=1)
    assert len(again.versions) == 1
    with pytest.raises(DocumentStateError):
        app.documents.file_version(
            document.id,
            minimal_pdf("v3"),
            name="x.pdf",
            signer=None,
            change=Change.REPLACED,
            reason="",
            actor=SYSTEM_ACTOR,
            request_id="r3",
        )


def test_what_is_not_a_pdf_is_not_filed() -> None:
    """Bytes that are not a PDF are refused before anything is kept."""
    app, document = filed_app()
    with pytest.raises(DocumentStateError):
        app.documents.file_version(
            document.id,
            b"not a pdf",
            name="x.pdf",
            signer=None,
            change=Change.AMENDED,
            reason="",
            actor=SYSTEM_ACTOR,
            request_id="r",
        )
    assert app.files.get(digest_of(b"not a pdf")) is None

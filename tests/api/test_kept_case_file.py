"""A petition's case file is kept per reader and log position as the other pages are (issue 27,
item 9), and per the vault's count of erasures: an erasure destroys the petitioners' keys after
the event that orders it, possibly in another process, and no case file kept before it is sent
after it. Counted in reads of the log, never in time."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli.main import main
from domain.application import Thucthi
from domain.petitions.desk import PetitionDesk
from domain.shared.actors import Role
from tests.api.conftest import USERS, Api, make_api
from tests.api.test_pages import visitor
from tests.api.test_petition_desk_pages import AN, receipt_of, register
from tests.postgres import fresh_schema, require_server

RECEPTION = USERS[Role.RECEPTION][0]
HEAD = USERS[Role.AGENCY_HEAD][0]
NAME = AN["petitioners-0-full_name"]
ERASED = "Thông tin cá nhân của người này đã được xóa theo yêu cầu."


@pytest.fixture(params=["sqlite", "postgres"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Api, str]]:
    """The pages on a fresh database of each backend, and the database's address (for another
    process to open)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'api.db'}"
        built, app = make_api(url)
        try:
            yield built, url
        finally:
            app.close()
        return
    with fresh_schema(require_server()) as url:
        built, app = make_api(url, tmp_path / "files")
        try:
            yield built, url
        finally:
            app.close()


def counted_reads(monkeypatch: pytest.MonkeyPatch, app: Thucthi) -> list[str]:
    """The petitions read from the log from now on, by receipt."""
    read: list[str] = []
    real = PetitionDesk.get

    def counting(self: PetitionDesk, receipt: str, **kw: Any) -> Any:
        read.append(receipt)
        return real(self, receipt, **kw)

    monkeypatch.setattr(app.petitions, "get", counting.__get__(app.petitions))
    return read


def test_a_case_file_is_kept_and_never_sent_again_once_its_petitioner_is_erased_elsewhere(
    served: tuple[Api, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The head opens the case twice: the second is the first, read from nothing. Another
    process (``thucthi personal-data erase``, its own application on the same database) erases
    the petitioner while the read models stand where they stood: the next opening, at the same
    position, no longer names them."""
    api, url = served
    receipt = receipt_of(register(visitor(api, RECEPTION)))
    head = visitor(api, HEAD)
    page = f"/petitions/{receipt}"
    first = head.get(page)
    assert first.status_code == 200
    assert NAME in first.text
    read = counted_reads(monkeypatch, api.app)
    assert head.get(page).text == first.text
    assert read == []
    view = api.services.view
    assert view is not None
    position = view.position()
    out = io.StringIO()
    erase = ["personal-data", "erase", "--id-number", AN["petitioners-0-id_number"]]
    assert main(["--db", url, *erase, "--reason", "Theo đơn ngày 1/12"], out=out) == 0
    assert view.position() == position  # the read models have not moved
    after = head.get(page)
    assert after.status_code == 200
    assert NAME not in after.text
    assert ERASED in after.text
    assert read != []  # made afresh

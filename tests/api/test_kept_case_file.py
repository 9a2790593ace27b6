"""A petition's case file is kept per reader and log position as the other pages are (issue 27,
item 9), and per the vault's count of erasures: an erasure destroys the petitioners' keys after
the event that orders it, possibly in another process, and no case file kept before it is sent
after it. Counted in reads of the log, never in time."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from cli.main import main
from domain.application import Thucthi
from domain.petitions.petition import petition_id
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


def log_reads(monkeypatch: pytest.MonkeyPatch, app: Thucthi) -> list[tuple[UUID, int]]:
    """Each read of the log by aggregate from now on: whose events, and how many were found."""
    reads: list[tuple[UUID, int]] = []
    real = app.recorder.select_events

    def counting(originator_id: UUID, **kw: Any) -> Any:
        found = real(originator_id, **kw)
        reads.append((originator_id, len(found)))
        return found

    monkeypatch.setattr(app.recorder, "select_events", counting)
    return reads


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
    reads = log_reads(monkeypatch, api.app)
    assert head.get(page).text == first.text
    assert [r for r in reads if r[0] == petition_id(receipt)] == []
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
    assert [r for r in reads if r[0] == petition_id(receipt)] == [(petition_id(receipt), 1)]


def test_a_case_file_made_afresh_reads_its_own_petitions_events_once_however_long_the_log(
    served: tuple[Api, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a new position the case file is made again from one read of its petition's events
    (its state and its timeline alike; not the petition read three times over and its events
    once more), and no event of anything else, whatever else the log holds."""
    api, _ = served
    reception = visitor(api, RECEPTION)
    receipt = receipt_of(register(reception))
    head = visitor(api, HEAD)
    page = f"/petitions/{receipt}"
    assert head.get(page).status_code == 200
    for n in range(3):  # the log grows: other petitions, with other petitioners
        other = {"petitioners-0-full_name": f"Trần Thị Bình {n}", "petitioners-0-id_number": ""}
        assert register(reception, **other).status_code == 303
    reads = log_reads(monkeypatch, api.app)
    again = head.get(page)
    assert again.status_code == 200
    assert NAME in again.text
    made = list(reads)
    wanted = petition_id(receipt)
    assert [r for r in made if r[0] == wanted] == [(wanted, api.app.petitions.get(receipt).version)]
    # Whatever else it asks the log (whether the accounts and units it keeps have changed),
    # it finds nothing there.
    assert [r for r in made if r[0] != wanted and r[1]] == []

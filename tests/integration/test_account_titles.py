"""An account's title (issue 24, item 7): given when the account is made, kept in its events, and
absent, not an error, from the accounts recorded before accounts had one; on every backend."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
import pytest
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import StoredEvent

from domain.accounts.account import UserAccount
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.shared.actors import Role
from domain.shared.errors import InvalidTextError
from tests.conftest import START

HASH = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA"


def test_an_account_is_made_with_a_title_that_replays_from_its_events(app: Thucthi) -> None:
    app.create_user(
        username="leader.pct1",
        display_name="Lê Thị Thanh Hương",
        title="  Phó Chủ tịch UBND Thành phố ",
        role=Role.LEADER,
        unit=None,
        password_hash=HASH,
        actor=SYSTEM_ACTOR,
        request_id="r",
    )
    account = app.get_user("leader.pct1")
    assert account.title == "Phó Chủ tịch UBND Thành phố"  # trimmed, as every text is
    assert account.signature() == "Lê Thị Thanh Hương — Phó Chủ tịch UBND Thành phố"
    (created,) = [
        n
        for n in app.recorder.select_notifications(start=1, limit=10_000)
        if n.topic == UserAccount.Created.TOPIC
    ]
    assert orjson.loads(created.state)["title"] == "Phó Chủ tịch UBND Thành phố"
    with pytest.raises(InvalidTextError):
        app.create_user(
            username="leader.pct2",
            display_name="X",
            title="Phó\nChủ tịch",
            role=Role.LEADER,
            unit=None,
            password_hash=HASH,
            actor=SYSTEM_ACTOR,
            request_id="r",
        )


def as_before_titles(app: Thucthi, event: DomainEventProtocol[UUID]) -> StoredEvent:
    """The record of an account's creation as it was written before accounts had a title."""
    record = app.mapper.to_stored_event(event)
    state: dict[str, Any] = orjson.loads(record.state)
    del state["title"]
    state["class_version"] = 2
    return StoredEvent(
        record.originator_id, record.originator_version, record.topic, orjson.dumps(state)
    )


def test_an_account_recorded_before_titles_reads_as_one_without_a_title(app: Thucthi) -> None:
    """Its creation event, and a snapshot of it, as the earlier version stored them (no title,
    class version 2): both load, as an account with no title that a page names by its name."""
    account = UserAccount.create(
        username="old.leader",
        display_name="Trần Văn Cũ",
        role=Role.LEADER,
        unit=None,
        actor=SYSTEM_ACTOR,
        request_id="r",
        at=START,
    )
    (created,) = account.collect_events()
    app.recorder.insert_events([as_before_titles(app, created)])
    loaded = app.get_user("old.leader")
    assert (loaded.display_name, loaded.title) == ("Trần Văn Cũ", "")
    assert loaded.signature() == "Trần Văn Cũ"

    assert app.snapshots is not None
    snapshot = UserAccount.Snapshot.take(loaded)
    record = app.mapper.to_stored_event(snapshot)
    state: dict[str, Any] = orjson.loads(record.state)
    del state["state"]["title"]
    state["state"]["class_version"] = 2
    app.snapshots.recorder.insert_events(
        [
            StoredEvent(
                record.originator_id, record.originator_version, record.topic, orjson.dumps(state)
            )
        ]
    )
    again: UserAccount = app.repository.get(loaded.id)  # from the snapshot, no event after it
    assert (again.display_name, again.title, again.version) == ("Trần Văn Cũ", "", 1)

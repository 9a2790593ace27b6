"""What the PostgreSQL recorder tells listeners each transaction saved (``adapters.recorder``)."""

from __future__ import annotations

from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from adapters.recorder import EVERYTHING, MAX_PAYLOAD, saved_payload


def stored(originator: UUID, version: int) -> StoredEvent:
    return StoredEvent(originator_id=originator, originator_version=version, topic="t", state=b"")


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 10_000)), min_size=1, max_size=60))
def test_each_aggregate_saved_is_named_once_with_its_highest_version(
    saves: list[tuple[int, int]],
) -> None:
    ids = [UUID(int=n + 1) for n in range(6)]
    payload = saved_payload([stored(ids[n], v) for n, v in saves])
    named = dict(item.split(":") for item in payload.split(","))
    expected: dict[str, int] = {}
    for n, version in saves:
        expected[ids[n].hex] = max(expected.get(ids[n].hex, 0), version)
    assert {key: int(v) for key, v in named.items()} == expected


def test_a_save_too_large_to_name_says_anything_may_have_changed() -> None:
    many = [stored(uuid4(), 1) for _ in range(MAX_PAYLOAD // 30)]  # 35 bytes each
    assert len(saved_payload(many[:100])) <= MAX_PAYLOAD
    assert saved_payload(many) == EVERYTHING

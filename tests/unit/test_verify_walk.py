"""The verifier's walk over pages of records and trail entries, without a database."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any, cast

from hypothesis import given
from hypothesis import strategies as st

from domain.shared.merkle import event_record, leaf_hash
from projections.verify import Report, _Walk
from readmodels.audit import ZERO, AuditStore, Keys, TrailPage, TrailRow, key_text


class _NoStore:
    def recorded_position(self, originator_id: str, originator_version: int) -> int | None:
        return None


def _page(positions: list[int]) -> tuple[list[tuple[int, bytes]], list[TrailRow]]:
    """Records at these positions and the trail entries the audit projection wrote for them."""
    records = [(p, event_record(p, uuid.uuid4().bytes, 1, "t", b"{}")) for p in positions]
    trail: list[TrailRow] = []
    chain = ZERO
    for index, (position, record) in enumerate(records):
        leaf = leaf_hash(record)
        chain = hashlib.sha256(chain + leaf).digest()
        trail.append((position, index, leaf, chain))
    return records, trail


def _as_page(trail: list[TrailRow]) -> TrailPage:
    """The rows as ``AuditStore.leaf_page`` sends them."""
    return (
        [p for p, _, _, _ in trail],
        [i for _, i, _, _ in trail],
        b"".join(leaf + chain for _, _, leaf, chain in trail),
    )


def _walk(report: Report) -> _Walk:
    return _Walk(report, cast("AuditStore", cast("Any", _NoStore())), audited=10, sizes=[])


def test_a_page_that_agrees_with_its_trail_is_taken_whole() -> None:
    records, trail = _page([1, 2, 4])  # a gap, as PostgreSQL's sequence leaves after a rollback
    report = Report()
    walk = _walk(report)
    assert walk.clean(records, _as_page(trail))
    assert (walk.done, walk.frontier.size, walk.chain, report.problems) == (3, 3, trail[-1][3], [])


def test_a_trail_entry_moved_into_a_gap_of_the_log_is_walked_and_reported() -> None:
    """Same hashes, same leaf indexes, same count: only the trail's position column differs."""
    records, trail = _page([1, 2, 4])
    trail[1] = (3, *trail[1][1:])
    report = Report()
    walk = _walk(report)
    assert not walk.clean(records, _as_page(trail))
    assert (walk.done, walk.chain) == (0, ZERO)  # a refused page takes nothing
    walk.merge(records, trail)
    assert [(p.position, p.kind) for p in report.problems] == [(2, "inserted"), (3, "missing")]


@given(
    size=st.integers(min_value=1, max_value=12),
    entry=st.integers(min_value=0, max_value=11),
    column=st.sampled_from(["position", "leaf index", "leaf hash", "chain hash"]),
)
def test_a_page_whose_trail_differs_in_any_column_of_any_entry_is_refused_whole(
    size: int, entry: int, column: str
) -> None:
    records, trail = _page(list(range(1, size + 1)))
    position, index, leaf, chain = trail[entry % size]
    altered = {
        "position": (position + 100, index, leaf, chain),
        "leaf index": (position, index + 1, leaf, chain),
        "leaf hash": (position, index, bytes([leaf[0] ^ 1]) + leaf[1:], chain),
        "chain hash": (position, index, leaf, chain[:-1] + bytes([chain[-1] ^ 1])),
    }[column]
    trail[entry % size] = altered
    walk = _walk(Report())
    assert not walk.clean(records, _as_page(trail))
    assert (walk.done, walk.frontier.size, walk.chain) == (0, 0, ZERO)


KEYS = st.tuples(
    st.text(max_size=8),
    st.text(max_size=8),
    st.integers(0, 10**12),
    st.text(max_size=8),
    *(st.none() | st.text(max_size=8) for _ in range(4)),
)


@given(first=st.lists(KEYS, max_size=4), second=st.lists(KEYS, max_size=4))
def test_two_pages_of_keys_are_written_alike_only_when_they_are_the_same(
    first: list[Keys], second: list[Keys]
) -> None:
    """The written keys a verifier compares a page by cannot make an altered entry look right."""
    written = "".join(map(key_text, first)), "".join(map(key_text, second))
    assert (written[0] == written[1]) == (first == second)

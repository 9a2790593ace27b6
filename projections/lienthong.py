"""The export to the national database (liên thông, Nghị định 55/2022/NĐ-CP): the records of the
petitions' steps after a log position, in log order, as one batch stamped with the signed
checkpoint that covers it (the records: ``domain.petitions.national``; the format:
docs/lien-thong.md).

A batch reaches no further than the latest signed checkpoint, so that every record in it can be
proved against a checkpoint the receiver can check (``thucthi audit verify``, the inclusion
proofs); what was recorded since comes in a later batch, once a checkpoint covers it. The records
of a batch are made from the stored events and the petitions' states before and after each one;
the petitioners of a case whose record may name them are opened from the vault here, for this
batch only, and nothing of them is kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast
from uuid import UUID

import orjson
from eventsourcing.utils import get_topic

from domain.application import Thucthi
from domain.petitions.national import (
    Context,
    Identity,
    batch_header,
    identity_of,
    needs_persons,
    record_of,
    recorded,
)
from domain.petitions.petition import Petition
from domain.shared.personal import Person
from domain.writer import replay
from projections.audit import covering_checkpoint
from readmodels.audit import AuditStore

# Every topic of a petition's events: the only records the export reads.
PETITION_TOPICS: tuple[str, ...] = tuple(
    sorted(
        get_topic(kind)
        for kind in vars(Petition).values()
        if isinstance(kind, type)
        and issubclass(kind, Petition.Event)
        and kind not in {Petition.Event, Petition.Created}
    )
)
MAX_LIMIT = 10_000
_PAGE = 1_000  # stored events read at a time


@dataclass(frozen=True, slots=True)
class Batch:
    """A batch of the export: its header line and its records, in log order."""

    header: dict[str, Any]
    records: list[dict[str, Any]]

    def lines(self) -> Iterator[bytes]:
        """The batch as JSON Lines: the header first, then each record, one a line."""
        yield orjson.dumps(self.header) + b"\n"
        for record in self.records:
            yield orjson.dumps(record) + b"\n"


def checkpoint_stamp(trail: AuditStore, application_name: str, position: int) -> dict[str, Any]:
    """The signed checkpoint covering every record up to ``position``, as a batch names it: its
    number among those signed, its tree, root (hex, as every page shows it) and signed note."""
    checkpoint = covering_checkpoint(trail, application_name, position)
    if checkpoint is None:
        msg = f"no signed checkpoint covers position {position}"
        raise LookupError(msg)
    return {
        "number": trail.checkpoint_count(checkpoint.tree_size),
        "tree_size": checkpoint.tree_size,
        "position": checkpoint.position,
        "root_sha256_hex": checkpoint.root.hex(),
        "signed_at": checkpoint.signed_at,
        "note": checkpoint.note,
    }


class _Cases:
    """The petitions of a batch as each event leaves them, and their petitioners, opened once."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app
        self.states: dict[UUID, Petition] = {}
        self.persons: dict[UUID, tuple[Person | None, ...]] = {}

    def before(self, originator: UUID, version: int) -> Petition | None:
        """The petition right before ``version`` (None before its first event)."""
        kept = self.states.get(originator)
        if kept is not None and kept.version == version - 1:
            return kept
        if version == 1:
            return None
        found = self.app.repository.get(originator, version=version - 1, projector_func=replay)
        return cast("Petition", found)

    def after(self, before: Petition | None, event: Petition.Event) -> Petition:
        """The petition after ``event``: a copy of ``before`` moved on by it."""
        if before is None:
            made = cast("Petition", event.mutate(None))
        else:
            made = cast("Petition", event.mutate(_copy(before)))
        self.states[event.originator_id] = made
        return made

    def petitioners(self, petition: Petition) -> tuple[Person | None, ...]:
        """Who filed it, opened from the vault once per batch: for a case that names them, and
        for a denouncer, whose particulars are taken out of the texts of the record."""
        if identity_of(petition) is Identity.ANONYMOUS or not petition.petitioners:
            return ()
        found = self.persons.get(petition.id)
        if found is None:
            opened = self.app.vault.open_many(petition.petitioners)
            found = tuple(opened.get(p.person_id) for p in petition.petitioners)
            self.persons[petition.id] = found
        return found


def _copy(petition: Petition) -> Petition:
    """A shallow copy to move on, so the state before stays as it was."""
    made = object.__new__(Petition)
    made.__dict__.update(petition.__dict__)
    return made


def export_batch(
    app: Thucthi,
    trail: AuditStore | None,
    *,
    after: int,
    limit: int,
    source: str,
    now: datetime | None = None,
) -> Batch:
    """The records of the petitions' steps after ``after``, at most ``limit`` of them, up to
    the latest signed checkpoint. Without an audit trail (memory) or a checkpoint, the batch is
    empty and stamped with none."""
    limit = max(1, min(limit, MAX_LIMIT))
    latest = None if trail is None else trail.latest_checkpoint()
    covered = 0 if latest is None else latest.position
    registry = app.unit_registry()

    def name(code: str) -> str:
        unit = registry.units.get(code)
        return code if unit is None else unit.name_vi

    cases = _Cases(app)
    records: list[dict[str, Any]] = []
    start = after
    through = max(after, 0)
    more = False
    while start < covered and not more:
        page = app.recorder.select_notifications(
            start=start,
            limit=_PAGE,
            stop=covered,
            topics=PETITION_TOPICS,
            inclusive_of_start=False,
        )
        if not page:
            break
        for notification in page:
            event = cast("Petition.Event", app.mapper.to_domain_event(notification))
            before = cases.before(event.originator_id, event.originator_version)
            state = cases.after(before, event)
            through = notification.id
            if not recorded(event, before):
                continue
            persons = cases.petitioners(state) if needs_persons(event, before, state) else ()
            record = record_of(
                notification.id, event, before, state, Context(source, name, persons)
            )
            if record is not None:
                records.append(record)
            if len(records) >= limit:
                more = True
                break
        start = page[-1].id
    if not more:
        through = max(through, covered if after < covered else after)
    # Whether records may follow up to the checkpoint: the batch stopped at its limit.
    more = more and through < covered
    stamp = None
    if trail is not None and through > 0 and latest is not None:
        stamp = checkpoint_stamp(trail, app.name, min(through, covered))
    header = batch_header(
        source=source,
        after=after,
        through=through,
        covered_through=covered,
        more=more,
        records=len(records),
        exported_at=now or app.clock.now(),
        checkpoint=stamp,
    )
    return Batch(header, records)

"""A rebuild: the whole log projected into an empty view, each board version written once.

Following the log, a directive's new version closes its previous one, already written: an
UPDATE of that row and of every index over it, for each event. A rebuild reads the log from its
start and can do better, because it holds each directive's newest version back until the next
one arrives: the held version is then written already closed by its successor, and never touched
again. Holding is bounded (``hold`` directives, least recently moved first out): a directive
that falls out is written open, and if it moves again later its row is read back and closed
like the follower's. The view's secondary indexes, its memberships (which follow from the
current rows) and its tracking position are made once at the end (``BulkWriter.finish``), and
on PostgreSQL a batch is written in a thread of its own while the next one is read and folded.

A rebuild can be split into shares by aggregate (``Share``): each directive's rows follow from
its own events only, so each share, in a process of its own, reads, decodes and folds only its
aggregates' events and writes their rows; the caller finishes the view once all are done
(``projections.runner.rebuild``). On PostgreSQL a share reads its events aggregate by aggregate
(the log's primary key), so each directive's versions come together and holding is never
outgrown, however many directives are open at once; SQLite reads the log in its order.

The petitions' rows are rebuilt afterwards in one pass over the petitions' events alone, read in
the log's order by their topics, and folded by the follower's own code (``PetitionFolder``): a
working-day calendar that changes while cases are open touches every open case at once, which
only the log's order sees, and petitions are few beside the directives' events.

The rows are exactly those of following the log event by event (a test compares them).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import Notification
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql
from psycopg.rows import tuple_row

from domain.application import Thucthi
from domain.directives.directive import Directive
from projections.oversight import (
    DEFAULT_BATCH,
    UnprojectableError,
    Unreadable,
    document,
    next_row,
    other_change,
    read,
    skipped,
    skipping,
)
from projections.petitions import FOLDED_TOPICS, PetitionFolder
from readmodels.changes import BulkWriter, Changes
from readmodels.model import BoardRow

HELD_ROWS = 50_000  # directives whose newest version is held back (reading the log in its order)


@dataclass(frozen=True, slots=True)
class Share:
    """The aggregates whose ids fall in the ``index``-th of ``count`` equal ranges of the UUID
    space (ids are hashes or random, so the shares are about equal): all of their events.

    On PostgreSQL a share reads its events by the log's primary key, aggregate by aggregate and
    each one's in version order, instead of in the log's order: a directive's versions then come
    one after another, each closed by the next as soon as it is read, and however many
    directives are open at once none is let go and read back (in the log's order, with more
    directives open than ``hold``, nearly every event read one back and closed it again).
    """

    index: int = 0
    count: int = 1

    def pages(self, app: Thucthi, stop: int, size: int) -> Iterator[Sequence[Notification]]:
        """The share's notifications up to ``stop`` in pages of ``size``: on PostgreSQL by
        aggregate (each one's in order), elsewhere in the log's order."""
        recorder = app.recorder
        if isinstance(recorder, PostgresApplicationRecorder):
            yield from _PostgresShare(recorder, self).pages(stop, size)
            return
        if self.count > 1:
            msg = "a rebuild in shares needs PostgreSQL, which sends each share its own"
            raise TypeError(msg)
        position = 0
        while position < stop and (
            page := recorder.select_notifications(
                start=position, limit=size, stop=stop, inclusive_of_start=False
            )
        ):
            position = page[-1].id
            yield page

    def bounds(self) -> tuple[UUID, UUID | None]:
        """The share's range of ids: from the first (included) to the second (excluded; None
        for the last share, which runs to the end)."""
        low = UUID(int=(self.index << 128) // self.count)
        if self.index + 1 == self.count:
            return low, None
        return low, UUID(int=((self.index + 1) << 128) // self.count)


class _PostgresShare:
    """A share's events read by the primary key (aggregate, version), as tuples (dicts cost
    more), a page after another from the last one's key."""

    def __init__(self, recorder: PostgresApplicationRecorder, share: Share) -> None:
        self.datastore = recorder.datastore
        self.schema = sql.Identifier(recorder.datastore.schema)
        self.table = sql.Identifier(recorder.events_table_name)
        self.low, self.high = share.bounds()

    def pages(self, stop: int, size: int) -> Iterator[list[Notification]]:
        # The page's size is written in: with a parameter, a plan made for any size could be
        # costed for a large share of the log and read in a sort rather than along the key.
        statement = sql.SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state"
            " FROM {schema}.{table}"
            " WHERE (originator_id, originator_version) > (%s, %s){below}"
            " AND notification_id <= %s"
            " ORDER BY originator_id, originator_version LIMIT {size}"
        ).format(
            schema=self.schema,
            table=self.table,
            below=sql.SQL("") if self.high is None else sql.SQL(" AND originator_id < %s"),
            size=sql.Literal(size),
        )
        after: tuple[UUID, int] = (self.low, 0)
        above = () if self.high is None else (self.high,)
        while page := self.select(statement, (*after, *above, stop)):
            yield page
            last = page[-1]
            key = last.originator_id
            after = (key if isinstance(key, UUID) else UUID(key), last.originator_version)
            if len(page) < size:
                return

    def select(self, statement: sql.Composed, params: tuple[object, ...]) -> list[Notification]:
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cur:
            cur.execute(statement, params, prepare=True)
            return [
                Notification(
                    id=row[0],
                    originator_id=row[1],
                    originator_version=row[2],
                    topic=row[3],
                    state=bytes(row[4]),
                )
                for row in cur.fetchall()
            ]


class _Writes:
    """The view's appends, one at a time, each in the background or in the caller's thread."""

    def __init__(self, view: BulkWriter, *, background: bool) -> None:
        self.view = view
        self.pool = ThreadPoolExecutor(1, "rebuild-writer") if background else None
        self.pending: Future[None] | None = None

    def append(self, changes: Changes) -> None:
        self.wait()
        if self.pool is None:
            self.view.append(changes)
        else:
            self.pending = self.pool.submit(self.view.append, changes)

    def wait(self) -> None:
        """Until what was handed over is written (its failure raised here)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


def rebuild_into(
    app: Thucthi,
    view: BulkWriter,
    *,
    stop: int,
    share: Share = Share(),
    batch_size: int = DEFAULT_BATCH,
    hold: int = HELD_ROWS,
    background: bool = False,
) -> int:
    """Project the share's events up to ``stop`` into ``view``; events projected.

    The view's tables hold no rows of this share's aggregates; ``view.finish`` is the caller's.
    """
    held: OrderedDict[UUID, BoardRow] = OrderedDict()  # least recently moved first
    writes = _Writes(view, background=background)
    done = 0
    try:
        for notifications in share.pages(app, stop, batch_size):
            events = [read(app.mapper, n) for n in notifications]
            written = _written_rows(view, writes, held, events)
            changes = Changes()
            for event, notification in zip(events, notifications, strict=True):
                if not isinstance(event, Directive.Event):
                    other_change(changes, event, notification.id)
                    continue
                directive_id = event.originator_id
                previous = held.pop(directive_id, None)
                before = previous if previous is not None else written.pop(directive_id, None)
                try:
                    row = next_row(before, event, notification.id)
                except UnprojectableError as e:
                    changes.skipped.append(skipped(event, notification.id, str(e)))
                    if before is not None:  # as it was: still held, or still open in the view
                        (held if previous is not None else written)[directive_id] = before
                    continue
                if previous is not None:
                    changes.superseded.append((previous, row))
                elif not isinstance(event, Directive.Issued):
                    changes.closes[directive_id] = row  # its open row is in the view already
                held[directive_id] = row
                document(changes, event, row)
            while len(held) > hold:
                changes.versions.append(held.popitem(last=False)[1])
            writes.append(changes)
            done += len(notifications)
        writes.append(Changes(versions=list(held.values())))
        writes.wait()
    finally:
        writes.close()
    return done


def _written_rows(
    view: BulkWriter, writes: _Writes, held: OrderedDict[UUID, BoardRow], events: Sequence[object]
) -> dict[UUID, BoardRow]:
    """The open rows of the batch's directives that were let go earlier, read back."""
    missing: dict[UUID, None] = {}
    issued = set()  # in this batch, before their later events
    for e in events:
        if isinstance(e, Directive.Issued):
            issued.add(e.originator_id)
        elif (
            isinstance(e, Directive.Event)
            and e.originator_id not in held
            and e.originator_id not in issued
        ):
            missing[e.originator_id] = None
    if not missing:
        return {}
    writes.wait()  # the rows let go may still be on their way
    return view.current_rows(list(missing))


def rebuild_petitions(app: Thucthi, view: BulkWriter, *, stop: int, batch_size: int) -> int:
    """Fold the petitions' events and the calendar's changes up to ``stop``, in the log's order,
    into ``view``; events folded. An event that cannot be read is left to the main pass, which
    says so once."""
    folder = PetitionFolder()
    done = 0
    position = 0
    while position < stop and (
        page := app.recorder.select_notifications(
            start=position,
            limit=batch_size,
            stop=stop,
            topics=FOLDED_TOPICS,
            inclusive_of_start=False,
        )
    ):
        position = page[-1].id
        items = [(read(app.mapper, n), n.id) for n in page]
        events = [(e, p) for e, p in items if not isinstance(e, Unreadable)]
        changes = Changes()
        batch = folder.begin([e for e, _ in events], view)
        for event, at in events:
            folder.take(batch, changes, event, at, skipping(changes))
        view.append(changes)
        folder.written(batch, changes)
        done += len(page)
    return done

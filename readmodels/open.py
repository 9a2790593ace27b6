"""Opening the read models in the application's own database: the backend's implementation
(SQLite or PostgreSQL) of each interface, with its tables created if missing, in turn with other
processes starting at the same moment."""

from __future__ import annotations

from typing import Protocol

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from adapters.schema import in_turn
from domain.application import Thucthi
from domain.petitions.duplicates import CandidateStore, NoCandidates
from readmodels.audit import AuditStore
from readmodels.audit_postgres import PostgresAuditStore
from readmodels.audit_sqlite import SQLiteAuditStore
from readmodels.changes import BulkWriter
from readmodels.dti_measures import ReadModelMeasures, SignedDirectives
from readmodels.filed import FiledStore
from readmodels.model import OversightReadModel
from readmodels.petitions import PetitionReadModel
from readmodels.postgres import PostgresOversightView
from readmodels.sqlite import SQLiteOversightView
from readmodels.todo import TodoReadModel


class OversightView(OversightReadModel, BulkWriter, Protocol):
    """The oversight view as a process opens it: its queries, the projection's writes and a
    rebuild's, and its tables' upkeep. What only PostgreSQL has (a NOTIFY channel, a rebuild
    in several processes) is asked of ``PostgresOversightView`` where it is used. The petitions'
    read models are part of it (``petitions``): one tracking position, one rebuild."""

    @property
    def petitions(self) -> PetitionReadModel: ...

    @property
    def candidates(self) -> CandidateStore: ...

    @property
    def filed(self) -> FiledStore:
        """The filed documents' files by digest (``readmodels.filed``)."""
        ...

    @property
    def todo(self) -> TodoReadModel:
        """What waits for whom (``readmodels.todo``), read from the same tables."""
        ...

    def create_table(self, *, indexes: bool = True) -> None:
        """The tables, and unless a rebuild defers them, their secondary indexes."""
        ...

    def drop_tables(self) -> None: ...

    def replace_with(self, fresh: OversightView) -> None:
        """Put a freshly built view's tables (of the same backend) in place of this one's, in
        one transaction."""
        ...


class ReadModelsUnavailableError(RuntimeError):
    """The store cannot hold read models (memory://)."""


def open_view(app: Thucthi, *, prefix: str = "oversight", create: bool = True) -> OversightView:
    """The oversight view in the application's own database (tables created if missing)."""
    datastore = getattr(app.factory, "datastore", None)
    view: SQLiteOversightView | PostgresOversightView
    if isinstance(datastore, SQLiteDatastore):
        view = SQLiteOversightView(datastore, prefix=prefix)
    elif isinstance(datastore, PostgresDatastore):
        view = PostgresOversightView(datastore, tracking_table_name=f"{prefix}_tracking")
    else:
        msg = "read models need SQLite or PostgreSQL; memory:// keeps only events"
        raise ReadModelsUnavailableError(msg)
    if create:
        in_turn(datastore, view.create_table)
    return view


def open_candidates(app: Thucthi, *, prefix: str = "oversight") -> CandidateStore:
    """The duplicate search's candidate store, part of the oversight view (whose creation makes
    its tables); a store holding nothing on memory://."""
    datastore = getattr(app.factory, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore | PostgresDatastore):
        return NoCandidates()
    view = open_view(app, prefix=prefix, create=False)
    store: CandidateStore = view.candidates
    return store


def open_trail(app: Thucthi, *, prefix: str = "audit", create: bool = True) -> AuditStore:
    """The audit trail's tables in the application's own database (created if missing)."""
    datastore = getattr(app.factory, "datastore", None)
    store: AuditStore
    if isinstance(datastore, SQLiteDatastore):
        store = SQLiteAuditStore(datastore, prefix)
    elif isinstance(datastore, PostgresDatastore):
        store = PostgresAuditStore(datastore, prefix)
    else:
        msg = "the audit trail needs SQLite or PostgreSQL; memory:// keeps only events"
        raise ReadModelsUnavailableError(msg)
    if create:
        in_turn(datastore, store.create_tables)
    return store


def open_measures(app: Thucthi, view: OversightView) -> ReadModelMeasures:
    """What Thucthi measures of a unit for the index (``domain.dti.measures``), from the
    oversight view and the directives' signed documents in the log."""
    return ReadModelMeasures(
        view, view.petitions, SignedDirectives(app.topic_events, app.max_notification_id)
    )

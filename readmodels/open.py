"""Opening the read models in the application's own database: the backend's implementation
(SQLite or PostgreSQL) of each interface, with its tables created if missing, in turn with other
processes starting at the same moment."""

from __future__ import annotations

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from adapters.schema import in_turn
from domain.application import Thucthi
from readmodels.audit import AuditStore
from readmodels.postgres import PostgresOversightView
from readmodels.sqlite import SQLiteOversightView

# The oversight view on either backend: the interface (``readmodels.model``) and each backend's
# own maintenance (rebuilds, tracking) that the projections use.
OversightView = SQLiteOversightView | PostgresOversightView


class ReadModelsUnavailableError(RuntimeError):
    """The store cannot hold read models (memory://)."""


def open_view(app: Thucthi, *, prefix: str = "oversight", create: bool = True) -> OversightView:
    """The oversight view in the application's own database (tables created if missing)."""
    datastore = getattr(app.factory, "datastore", None)
    if isinstance(datastore, SQLiteDatastore):
        sqlite_view = SQLiteOversightView(datastore, prefix=prefix)
        if create:
            in_turn(datastore, sqlite_view.create_table)
        return sqlite_view
    if isinstance(datastore, PostgresDatastore):
        postgres_view = PostgresOversightView(datastore, tracking_table_name=f"{prefix}_tracking")
        if create:
            in_turn(datastore, postgres_view.create_table)
        return postgres_view
    msg = "read models need SQLite or PostgreSQL; memory:// keeps only events"
    raise ReadModelsUnavailableError(msg)


def open_trail(app: Thucthi, *, prefix: str = "audit", create: bool = True) -> AuditStore:
    datastore = getattr(app.factory, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore | PostgresDatastore):
        msg = "the audit trail needs SQLite or PostgreSQL; memory:// keeps only events"
        raise ReadModelsUnavailableError(msg)
    store = AuditStore(datastore, prefix)
    if create:
        in_turn(datastore, store.create_tables)
    return store

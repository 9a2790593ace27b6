"""Both read-model backends implement the one interface: mypy checks this module."""

from __future__ import annotations

from readmodels.model import OversightReadModel
from readmodels.postgres import PostgresOversightView
from readmodels.sqlite import SQLiteOversightView


def as_read_model(view: SQLiteOversightView | PostgresOversightView) -> OversightReadModel:
    """Type-checked: fails mypy --strict if either backend drifts from the interface."""
    return view


def test_both_backends_answer_every_query_of_the_interface() -> None:
    queries = {
        name
        for name in vars(OversightReadModel)
        if not name.startswith("_") and callable(getattr(OversightReadModel, name))
    }
    assert queries >= {"summary", "late", "due_soon", "inbox", "search", "board", "units"}
    for backend in (SQLiteOversightView, PostgresOversightView):
        assert all(callable(getattr(backend, name, None)) for name in queries), backend

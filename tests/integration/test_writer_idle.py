"""A read-model writer on PostgreSQL computes between its statements (a batch's tallies folded in
Python, a rebuild's tallies streamed and folded), and on a busy machine that took longer than the
pool's idle-in-transaction timeout (5 s): the server ended the connection and the batch failed
(a clean clone's suite, beside a ten-million-event rebuild). A writer's transaction now allows a
minute, and a rebuild's last step no longer keeps a transaction open while it waits for the
tallies and the search index built beside it."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cli.demo import run_demo
from projections.runner import rebuild
from readmodels import tallies, tallies_postgres
from readmodels.open import open_view
from readmodels.tallies_postgres import PostgresTallies
from tests.integration.readmodels import backend, project, table_rows

# Longer than the pool's idle-in-transaction timeout (``adapters.database``: 5 s).
PAUSE = 6.0


def test_a_batch_whose_tallies_take_longer_than_the_idle_timeout_to_fold_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with backend("postgres", tmp_path) as (app, view, _):
        run_demo(app, directives=5, seed=3, end=date(2024, 3, 31), force=True, progress=None)
        folded = tallies.fold_changes
        slowed: list[bool] = []

        def slow(store: Any, c: Any, changes: Any) -> None:
            if not slowed:  # the first batch only: its board rows written, its tallies not yet
                slowed.append(True)
                time.sleep(PAUSE)
            folded(store, c, changes)

        monkeypatch.setattr(tallies_postgres, "fold_changes", slow)
        assert project(app, view) == app.max_notification_id()
        assert slowed
        assert view.position() == app.max_notification_id()


def test_a_rebuild_whose_tallies_outlast_its_indexes_by_more_than_the_idle_timeout_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with backend("postgres", tmp_path) as (app, view, _):
        run_demo(app, directives=5, seed=3, end=date(2024, 3, 31), force=True, progress=None)
        project(app, view)
        kept = table_rows(view)
        built = PostgresTallies.build

        def slow(self: PostgresTallies, c: Any) -> None:
            time.sleep(PAUSE)  # the indexes are long done: the rebuild waits for the tallies
            built(self, c)

        monkeypatch.setattr(PostgresTallies, "build", slow)
        assert rebuild(app, workers=1) == app.max_notification_id()
        assert table_rows(open_view(app)) == kept

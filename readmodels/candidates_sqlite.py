"""The candidate store (``readmodels.candidates``) on SQLite: part of ``SQLiteOversightView``,
written in its transaction; the words of each filing in an FTS5 table, searched for any two of
the query's rarest words and ranked by bm25."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable
from datetime import date
from uuid import UUID

import orjson
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore

from domain.petitions.duplicates import (
    GUARDED_KINDS,
    StoredFiling,
    Wanted,
    pairs,
    subject_from,
)
from domain.petitions.petition import Kind, Status
from readmodels.candidates import (
    EVERY_FILING,
    keys_of,
    latest_rows,
    persons_of,
    persons_rows,
    persons_text,
    split,
    state,
    subject_text,
    word_counts,
)
from readmodels.changes import Changes
from readmodels.text import storable

TABLES = ("candidates", "candidate_keys", "candidate_persons", "candidate_words", "candidate_text")
INDEXES = ("candidates_receipt",)
_AT_ONCE = 500  # values in one statement (SQLite's limit of parameters: 999)
_GUARDED = " OR ".join(
    ["c.kind IS NULL", *(f"c.kind = '{k}'" for k in sorted(k for k in GUARDED_KINDS if k))]
)
_COLUMNS = (
    "c.petition_id, c.receipt, c.agency, c.received_on, c.status, c.kind, c.result, "
    "c.published, c.words, c.registered, c.subject, c.persons"
)


class SQLiteCandidates:
    """The candidate store's tables in the oversight view, and the search's two questions."""

    def __init__(self, datastore: SQLiteDatastore, table: Callable[[str], str]) -> None:
        self.datastore, self.table = datastore, table

    # --- schema --------------------------------------------------------------------------------

    def create_statements(self) -> list[str]:
        t = self.table
        return [
            f"""CREATE TABLE IF NOT EXISTS {t("candidates")} (
                petition_id TEXT PRIMARY KEY, receipt TEXT NOT NULL, agency TEXT NOT NULL,
                received_on TEXT NOT NULL, status TEXT NOT NULL, kind TEXT, result TEXT,
                published INTEGER NOT NULL, words TEXT NOT NULL, registered TEXT NOT NULL,
                subject TEXT NOT NULL, persons TEXT NOT NULL)""",
            f"CREATE TABLE IF NOT EXISTS {t('candidate_keys')} (key TEXT NOT NULL, "
            "petition_id TEXT NOT NULL, PRIMARY KEY (key, petition_id)) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {t('candidate_persons')} (person_id TEXT NOT NULL, "
            "petition_id TEXT NOT NULL, PRIMARY KEY (person_id, petition_id)) WITHOUT ROWID",
            f"CREATE TABLE IF NOT EXISTS {t('candidate_words')} (word TEXT PRIMARY KEY, "
            "filings INTEGER NOT NULL) WITHOUT ROWID",
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {t('candidate_text')} USING fts5("
            "petition_id UNINDEXED, words, tokenize='unicode61')",
        ]

    def index_statements(self) -> list[str]:
        t = self.table
        return [
            f"CREATE UNIQUE INDEX IF NOT EXISTS {t('candidates_receipt')} ON "
            f"{t('candidates')} (receipt)",
        ]

    # --- writes --------------------------------------------------------------------------------

    def write(self, c: SQLiteCursor, changes: Changes) -> None:
        """The batch's new filings and where every petition it touched stands now."""
        t = self.table
        latest = latest_rows(changes)
        filed = [f for f in changes.filed if f.petition_id in latest]
        c.executemany(
            f"INSERT INTO {t('candidates')} VALUES (?, ?, ?, ?, ?, ?, NULL, 0, ?, ?, ?, ?)",
            [
                (
                    str(f.petition_id),
                    f.receipt,
                    storable(latest[f.petition_id].agency),
                    latest[f.petition_id].received_on.isoformat(),
                    latest[f.petition_id].status,
                    latest[f.petition_id].kind,
                    f.words,
                    f.registered,
                    subject_text(f),
                    persons_text(f.persons),
                )
                for f in filed
            ],
        )
        c.executemany(
            f"INSERT INTO {t('candidate_text')} VALUES (?, ?)",
            [(str(f.petition_id), f.words) for f in filed],
        )
        c.executemany(
            f"INSERT OR IGNORE INTO {t('candidate_keys')} VALUES (?, ?)",
            [(key, str(i)) for key, i in keys_of(filed)],
        )
        c.executemany(
            f"INSERT OR IGNORE INTO {t('candidate_persons')} VALUES (?, ?)",
            [(str(p), str(i)) for p, i in persons_rows(filed)],
        )
        c.executemany(
            f"INSERT INTO {t('candidate_words')} VALUES (?, ?) ON CONFLICT (word) "
            "DO UPDATE SET filings = filings + excluded.filings",
            sorted(word_counts(filed).items()),
        )
        c.executemany(
            f"UPDATE {t('candidates')} SET agency = ?, status = ?, kind = ?, published = ? "
            "WHERE petition_id = ?",
            [
                (storable(s["agency"]), s["status"], s["kind"], s["published"], str(i))
                for i, s in ((i, state(r)) for i, r in latest.items())
            ],
        )
        c.executemany(
            f"UPDATE {t('candidates')} SET result = ? WHERE petition_id = ?",
            [(storable(summary), str(i)) for i, summary in changes.results.items()],
        )

    # --- the search ----------------------------------------------------------------------------

    def frequencies(self, words: Collection[str]) -> tuple[int, dict[str, int]]:
        wanted = sorted({*words, EVERY_FILING})
        found: dict[str, int] = {}
        with self.datastore.transaction(commit=False) as c:
            for chunk in _chunks(wanted):
                c.execute(
                    f"SELECT word, filings FROM {self.table('candidate_words')} "
                    f"WHERE word IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                found.update({r[0]: int(r[1]) for r in c.fetchall()})
        return split(found)

    def retrieve(self, wanted: Wanted) -> list[StoredFiling]:
        t = self.table
        exclude = "" if wanted.exclude is None else str(wanted.exclude)
        ids: set[str] = set()
        with self.datastore.transaction(commit=False) as c:
            for chunk in _chunks(sorted(str(p) for p in wanted.persons)):
                c.execute(
                    f"SELECT DISTINCT c.petition_id FROM {t('candidate_persons')} p "
                    f"JOIN {t('candidates')} c ON c.petition_id = p.petition_id "
                    f"WHERE p.person_id IN ({','.join('?' * len(chunk))}) "
                    f"AND c.petition_id <> ? AND (NOT ({_GUARDED}) OR c.agency = ?) "
                    "ORDER BY c.received_on DESC LIMIT ?",
                    [*chunk, exclude, wanted.persons_at or "", wanted.limit],
                )
                ids.update(r[0] for r in c.fetchall())
            keys = sorted(wanted.keys)
            if keys:
                c.execute(
                    f"SELECT petition_id FROM {t('candidate_keys')} "
                    f"WHERE key IN ({','.join('?' * len(keys))}) AND petition_id <> ? "
                    "GROUP BY petition_id ORDER BY count(*) DESC, petition_id LIMIT ?",
                    [*keys, exclude, wanted.limit],
                )
                ids.update(r[0] for r in c.fetchall())
            if wanted.words:
                c.execute(
                    f"SELECT petition_id FROM {t('candidate_text')} "
                    f"WHERE {t('candidate_text')} MATCH ? AND petition_id <> ? "
                    "ORDER BY rank LIMIT ?",
                    (
                        " OR ".join(
                            "(" + " AND ".join(f'"{w}"' for w in p) + ")"
                            for p in pairs(wanted.words)
                        ),
                        exclude,
                        wanted.limit,
                    ),
                )
                ids.update(r[0] for r in c.fetchall())
            found: list[StoredFiling] = []
            for chunk in _chunks(sorted(ids)):
                c.execute(
                    f"SELECT {_COLUMNS} FROM {t('candidates')} c "
                    f"WHERE c.petition_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                found.extend(_filing(r) for r in c.fetchall())
        return found

    def by_receipt(self, receipt: str) -> StoredFiling | None:
        """One filing by its receipt code (an indexed look-up)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT {_COLUMNS} FROM {self.table('candidates')} c WHERE c.receipt = ?",
                (receipt,),
            )
            row = c.fetchone()
        return None if row is None else _filing(row)


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _AT_ONCE):
        yield items[start : start + _AT_ONCE]


def _filing(r: sqlite3.Row) -> StoredFiling:
    return StoredFiling(
        petition_id=UUID(r[0]),
        receipt=r[1],
        agency=r[2],
        received_on=date.fromisoformat(r[3]),
        status=Status(r[4]),
        kind=None if r[5] is None else Kind(r[5]),
        result=r[6],
        published=bool(r[7]),
        words=r[8],
        registered=r[9],
        subject=subject_from(orjson.loads(r[10])),
        persons=persons_of(r[11]),
    )

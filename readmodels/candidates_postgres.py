"""The candidate store (``readmodels.candidates``) on PostgreSQL: part of
``PostgresOversightView``, written in its transaction; each filing's words as a ``tsvector``
('simple': the words are already folded and their abbreviations written out) under a GIN
index, searched for any two of the query's rarest words and ranked by ``ts_rank``
(docs/petitions-matching.md: chosen over pg_trgm by measurement at a million petitions)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

import orjson
from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor, sql
from psycopg.rows import DictRow

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

TABLES = ("candidates", "candidate_keys", "candidate_persons", "candidate_words")
INDEXES = (
    "candidates_pkey",
    "candidate_keys_pkey",
    "candidate_persons_pkey",
    "candidate_words_pkey",
    "candidates_receipt",
    "candidates_document",
)
COLUMNS = (
    "petition_id",
    "receipt",
    "agency",
    "received_on",
    "status",
    "kind",
    "result",
    "published",
    "words",
    "registered",
    "subject",
    "persons",
)
_SELECTED = sql.SQL(", ").join(sql.Identifier("c", n) for n in COLUMNS)
_GUARDED = sql.SQL("(c.kind IS NULL OR c.kind IN ({}))").format(
    sql.SQL(", ").join(sql.Literal(k) for k in sorted(k for k in GUARDED_KINDS if k))
)
# The words of a filing, as the index and the query take them.
DOCUMENT = "to_tsvector('simple', words)"


class PostgresCandidates:
    """The candidate store's tables in the oversight view, and the search's two questions."""

    def __init__(
        self,
        datastore: PostgresDatastore,
        table: Callable[[str], sql.Composed],
        ident: Callable[[str], sql.Identifier],
    ) -> None:
        self.datastore, self.table, self.ident = datastore, table, ident

    # --- schema --------------------------------------------------------------------------------

    def create_statements(self) -> list[sql.Composed]:
        t, i = self.table, self.ident
        return [
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (petition_id uuid, receipt text NOT NULL, "
                "agency text NOT NULL, received_on date NOT NULL, status text NOT NULL, "
                "kind text, result text, published boolean NOT NULL, words text NOT NULL, "
                "registered text NOT NULL, subject text NOT NULL, persons text NOT NULL, "
                "document tsvector GENERATED ALWAYS AS (" + DOCUMENT + ") STORED, "
                "CONSTRAINT {} PRIMARY KEY (petition_id))"
            ).format(t("candidates"), i("candidates_pkey")),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (key text, petition_id uuid, "
                "CONSTRAINT {} PRIMARY KEY (key, petition_id))"
            ).format(t("candidate_keys"), i("candidate_keys_pkey")),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (person_id uuid, petition_id uuid, "
                "CONSTRAINT {} PRIMARY KEY (person_id, petition_id))"
            ).format(t("candidate_persons"), i("candidate_persons_pkey")),
            sql.SQL(
                "CREATE TABLE IF NOT EXISTS {} (word text, filings bigint NOT NULL, "
                "CONSTRAINT {} PRIMARY KEY (word))"
            ).format(t("candidate_words"), i("candidate_words_pkey")),
        ]

    def index_statements(self) -> list[sql.Composed]:
        t, i = self.table, self.ident
        return [
            sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} (receipt)").format(
                i("candidates_receipt"), t("candidates")
            ),
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gin (document)").format(
                i("candidates_document"), t("candidates")
            ),
        ]

    # --- writes --------------------------------------------------------------------------------

    def write(self, c: Cursor[DictRow], changes: Changes) -> None:
        """The batch's new filings and where every petition it touched stands now."""
        t = self.table
        latest = latest_rows(changes)
        filed = [f for f in changes.filed if f.petition_id in latest]
        if filed:
            columns = sql.SQL(", ").join(sql.Identifier(n) for n in COLUMNS)
            with c.copy(
                sql.SQL("COPY {} ({}) FROM STDIN").format(t("candidates"), columns)
            ) as copy:
                for f in filed:
                    row = latest[f.petition_id]
                    copy.write_row(
                        (
                            f.petition_id,
                            f.receipt,
                            storable(row.agency),
                            row.received_on,
                            row.status,
                            row.kind,
                            None,
                            False,
                            f.words,
                            f.registered,
                            subject_text(f),
                            persons_text(f.persons),
                        )
                    )
            keys = keys_of(filed)
            c.execute(
                sql.SQL(
                    "INSERT INTO {} SELECT * FROM unnest(%s::text[], %s::uuid[]) "
                    "ON CONFLICT DO NOTHING"
                ).format(t("candidate_keys")),
                ([k for k, _ in keys], [i for _, i in keys]),
            )
            persons = persons_rows(filed)
            c.execute(
                sql.SQL(
                    "INSERT INTO {} SELECT * FROM unnest(%s::uuid[], %s::uuid[]) "
                    "ON CONFLICT DO NOTHING"
                ).format(t("candidate_persons")),
                ([p for p, _ in persons], [i for _, i in persons]),
            )
            # In the words' order, so that writers adding to the same words (a rebuild's
            # processes) lock them in the same order.
            counted = sorted(word_counts(filed).items())
            c.execute(
                sql.SQL(
                    "INSERT INTO {w} AS w SELECT * FROM unnest(%s::text[], %s::bigint[]) "
                    "ON CONFLICT (word) DO UPDATE SET filings = w.filings + excluded.filings"
                ).format(w=t("candidate_words")),
                ([w for w, _ in counted], [n for _, n in counted]),
            )
        if latest:
            states = [(i, state(r)) for i, r in latest.items()]
            c.execute(
                sql.SQL(
                    "UPDATE {} c SET agency = v.agency, status = v.status, kind = v.kind, "
                    "published = v.published FROM unnest(%s::uuid[], %s::text[], %s::text[], "
                    "%s::text[], %s::boolean[]) AS v(id, agency, status, kind, published) "
                    "WHERE c.petition_id = v.id AND (c.agency, c.status, c.kind, c.published) "
                    "IS DISTINCT FROM (v.agency, v.status, v.kind, v.published)"
                ).format(t("candidates")),
                (
                    [i for i, _ in states],
                    [storable(s["agency"]) for _, s in states],
                    [s["status"] for _, s in states],
                    [s["kind"] for _, s in states],
                    [s["published"] for _, s in states],
                ),
            )
        if changes.results:
            c.execute(
                sql.SQL(
                    "UPDATE {} c SET result = v.result FROM unnest(%s::uuid[], %s::text[]) "
                    "AS v(id, result) WHERE c.petition_id = v.id"
                ).format(t("candidates")),
                (list(changes.results), [storable(r) for r in changes.results.values()]),
            )

    # --- the search ----------------------------------------------------------------------------

    def frequencies(self, words: Collection[str]) -> tuple[int, dict[str, int]]:
        with self.datastore.get_connection() as conn, conn.cursor() as c:
            c.execute(
                sql.SQL("SELECT word, filings FROM {} WHERE word = ANY(%s)").format(
                    self.table("candidate_words")
                ),
                (sorted({*words, EVERY_FILING}),),
                prepare=True,
            )
            return split({r["word"]: int(r["filings"]) for r in c.fetchall()})

    def retrieve(self, wanted: Wanted) -> list[StoredFiling]:
        t = self.table
        arms: list[sql.Composable] = []
        params: dict[str, Any] = {
            "exclude": wanted.exclude,
            "limit": wanted.limit,
            "at": wanted.persons_at,
        }
        if wanted.persons:
            params["persons"] = sorted(wanted.persons)
            arms.append(
                sql.SQL(
                    "(SELECT c.petition_id FROM {p} p JOIN {c} c ON c.petition_id = p.petition_id "
                    "WHERE p.person_id = ANY(%(persons)s) "
                    "AND c.petition_id IS DISTINCT FROM %(exclude)s "
                    "AND (NOT {guarded} OR c.agency = %(at)s) "
                    "ORDER BY c.received_on DESC LIMIT %(limit)s)"
                ).format(p=t("candidate_persons"), c=t("candidates"), guarded=_GUARDED)
            )
        if wanted.keys:
            params["keys"] = sorted(wanted.keys)
            arms.append(
                sql.SQL(
                    "(SELECT petition_id FROM {} WHERE key = ANY(%(keys)s) "
                    "AND petition_id IS DISTINCT FROM %(exclude)s "
                    "GROUP BY petition_id ORDER BY count(*) DESC, petition_id LIMIT %(limit)s)"
                ).format(t("candidate_keys"))
            )
        if wanted.words:
            params["words"] = " | ".join(f"({' & '.join(p)})" for p in pairs(wanted.words))
            arms.append(
                sql.SQL(
                    "(SELECT petition_id FROM {c} WHERE document @@ q.query "
                    "AND petition_id IS DISTINCT FROM %(exclude)s "
                    "ORDER BY ts_rank(document, q.query) DESC LIMIT %(limit)s)"
                ).format(
                    c=sql.SQL("{}, to_tsquery('simple', %(words)s) AS q(query)").format(
                        t("candidates")
                    )
                )
            )
        if not arms:
            return []
        statement = sql.SQL("SELECT {} FROM {} c WHERE c.petition_id IN ({})").format(
            _SELECTED, t("candidates"), sql.SQL(" UNION ").join(arms)
        )
        with self.datastore.get_connection() as conn, conn.cursor() as c:
            # Planned for these values each time: a plan made once for any (psycopg prepares a
            # statement run five times) cannot see how few rows the words or the keys find.
            c.execute(statement, params, prepare=False)
            return [_filing(r) for r in c.fetchall()]

    def by_receipt(self, receipt: str) -> StoredFiling | None:
        """One filing by its receipt code (an indexed look-up)."""
        with self.datastore.get_connection() as conn, conn.cursor() as c:
            c.execute(
                sql.SQL("SELECT {} FROM {} c WHERE c.receipt = %s").format(
                    _SELECTED, self.table("candidates")
                ),
                (receipt,),
                prepare=True,
            )
            row = c.fetchone()
        return None if row is None else _filing(row)


def _filing(r: Any) -> StoredFiling:
    kind = r["kind"]
    return StoredFiling(
        petition_id=r["petition_id"],
        receipt=r["receipt"],
        agency=r["agency"],
        received_on=r["received_on"],
        status=Status(r["status"]),
        kind=None if kind is None else Kind(kind),
        result=r["result"],
        published=bool(r["published"]),
        words=r["words"],
        registered=r["registered"],
        subject=subject_from(orjson.loads(r["subject"])),
        persons=persons_of(r["persons"]),
    )

"""The matching's trigrams and their similarity are PostgreSQL's pg_trgm's, on the normalised text,
so that the same figure can be computed, and indexed, inside PostgreSQL."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from domain.petitions.matching import normalise, trigram_similarity, trigrams
from tests.postgres import require_server

TEXTS = (
    "Tôi khiếu nại Quyết định số 1234/QĐ-UBND ngày 12/3/2024 về thửa đất số 45, tờ bản đồ số 12",
    "Khieu nai QD 1234/QD-UBND ngay 12-03-2024, thua 45 to 12, P.7, Q.3",
    "Phản ánh quán karaoke tại số 30 Lê Văn Sỹ, Phường 7, Quận 3 mở loa đến 1 giờ đêm",
    "a b",
    "Đ. Trần Hưng Đạo, KP 3, TDP 5, TP.HCM",
)


@pytest.fixture(scope="module")
def pg() -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection where pg_trgm's ``similarity`` and ``show_trgm`` can be called: the
    extension as the database has it, else made in a schema of its own inside a transaction
    that is rolled back at the end, leaving nothing (extensions are per database, and the
    server is shared)."""
    with psycopg.connect(require_server()) as conn:
        found = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()
        if found is None:
            schema = sql.Identifier("t_" + uuid.uuid4().hex[:16])
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(schema))
            conn.execute(sql.SQL("CREATE EXTENSION pg_trgm SCHEMA {}").format(schema))
        yield conn
        conn.rollback()


def _function(conn: psycopg.Connection[tuple[object, ...]], name: str) -> str:
    row = conn.execute(
        "SELECT n.nspname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE p.proname = %s LIMIT 1",
        (name,),
    ).fetchone()
    assert row is not None
    return f"{row[0]}.{name}"


def similarity(conn: psycopg.Connection[tuple[object, ...]], a: str, b: str) -> float:
    row = conn.execute(
        f"SELECT {_function(conn, 'similarity')}(%s, %s)::float8",
        (a, b),
    ).fetchone()
    assert row is not None
    return float(row[0])  # type: ignore[arg-type]


@pytest.mark.postgres
@pytest.mark.parametrize("a", TEXTS, ids=range(len(TEXTS)))
@pytest.mark.parametrize("b", TEXTS, ids=range(len(TEXTS)))
def test_the_trigram_similarity_is_pg_trgms(
    pg: psycopg.Connection[tuple[object, ...]], a: str, b: str
) -> None:
    """On normalised text the matching's similarity is PostgreSQL's (pg_trgm computes in
    single precision: equal to six places)."""
    na, nb = normalise(a), normalise(b)
    assert math.isclose(
        trigram_similarity(trigrams(na), trigrams(nb)), similarity(pg, na, nb), abs_tol=1e-6
    )


@pytest.mark.postgres
def test_the_trigrams_are_show_trgms(pg: psycopg.Connection[tuple[object, ...]]) -> None:
    """Each text's trigrams are the ones ``show_trgm`` lists."""
    for text in TEXTS:
        words = normalise(text)
        row = pg.execute(f"SELECT {_function(pg, 'show_trgm')}(%s)", (words,)).fetchone()
        assert row is not None
        assert set(row[0]) == trigrams(words)  # type: ignore[call-overload]


@pytest.mark.postgres
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.sampled_from(("quan", "3", "thua", "45", "to", "12", "le", "van", "sy", "a"))).map(
        " ".join
    ),
    st.lists(st.sampled_from(("quan", "3", "thua", "46", "to", "12", "le", "loi", "b"))).map(
        " ".join
    ),
)
def test_any_words_have_pg_trgms_similarity(
    pg: psycopg.Connection[tuple[object, ...]], a: str, b: str
) -> None:
    """Whatever words, the same figure as PostgreSQL's."""
    assert math.isclose(
        trigram_similarity(trigrams(a), trigrams(b)), similarity(pg, a, b), abs_tol=1e-6
    )

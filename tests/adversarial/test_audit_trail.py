"""What the audit trail shows holds (issue 22, item 5): an entry edited in the database is named
by ``audit verify`` at its position, and the trail goes on showing what the record says, on
SQLite and PostgreSQL."""
# ruff: noqa: S608 - the statements tamper on purpose, with table names of our own

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.signing import Signer
from cli.demo import run_demo
from domain.application import Thucthi
from domain.directives.directive import Directive
from domain.narration import tell, unit_sentences
from domain.shared.actors import Role
from domain.shared.merkle import leaf_hash
from domain.units.registry import UnitRegistry
from projections.audit import AuditProjection, record_of
from projections.trail import changes, fields_of
from projections.verify import Report, verify
from readmodels.audit import AuditFilters, AuditStore, utc_text
from readmodels.open import open_trail
from tests.api.conftest import Api, make_api
from tests.hypothesis_profiles import examples
from tests.postgres import fresh_schema, require_server

ORIGIN = "trail.test/log"
KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
# Text a column may be set to: what PostgreSQL's text can hold.
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12)
NULLABLE = {"actor", "actor_role", "actor_unit", "request_id", "directive", "subject_unit"}
UNIQUE_INTEGERS = 10**9  # far above any position, leaf index or version of the log


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'trail.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


@dataclass
class Trail:
    api: Api
    app: Thucthi
    store: AuditStore
    signer: Signer
    url: str

    def sql(self, statement: str, params: tuple[Any, ...] = ()) -> list[Any]:
        datastore: Any = self.app.factory.datastore  # type: ignore[attr-defined]
        if self.url.startswith("postgresql"):
            statement = statement.replace("?", "%s")
        with datastore.transaction(commit=True) as c:
            c.execute(statement, params)
            return list(c.fetchall()) if statement.startswith("SELECT") else []

    def verify(self) -> Report:
        return verify(
            self.app, self.store, origin=ORIGIN, public_key=self.signer.public_key, page=37
        )

    def table(self, name: str) -> str:
        """One of the trail's tables (``open_trail``'s prefix), as these statements name it."""
        if self.url.startswith("postgresql"):
            schema = self.app.factory.datastore.schema  # type: ignore[attr-defined]
            return f'"{schema}"."audit_{name}"'
        return f'"audit_{name}"'

    def columns(self) -> list[str]:
        rows = self.sql(f"SELECT * FROM {self.table('entries')} LIMIT 1")
        return list(rows[0].keys())

    def row(self, position: int) -> dict[str, Any]:
        rows = self.sql(f"SELECT * FROM {self.table('entries')} WHERE position = ?", (position,))
        return dict(rows[0])

    def shown(self, position: int) -> dict[str, Any]:
        """The entry as ``GET /api/audit`` shows it."""
        answer = self.api.get("/api/audit", Role.INSPECTOR, after=str(position - 1), limit="1")
        assert answer.status_code == 200, answer.text
        (item,) = answer.json["items"]
        assert item["position"] == position
        return dict(item)


@pytest.fixture(params=KINDS)
def trail(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Trail]:
    """Forty directives of the demo year after the API's users, and their audit trail."""
    with database(request.param, tmp_path) as url:
        api, app = make_api(url)
        try:
            run_demo(app, directives=40, seed=6, end=date(2024, 12, 31), force=True)
            store = open_trail(app)
            signer = Signer(ORIGIN, Ed25519PrivateKey.generate())
            AuditProjection(app, store, signer, every=100).catch_up(batch_size=37)
            yield Trail(api, app, store, signer, url)
        finally:
            app.close()


def test_every_entry_shows_who_did_what_and_in_answer_to_which_request(trail: Trail) -> None:
    """What the trail shows of an entry is what its stored event says, told and compared with
    the aggregate before it as the trail always told it."""
    app = trail.app
    names = unit_sentences(app.unit_registry())
    for n in app.recorder.select_notifications(start=1, limit=10_000)[::7]:
        event: Any = app.mapper.to_domain_event(n)
        originator = UUID(str(n.originator_id))
        before = (
            fields_of(app.aggregate_at(originator, n.originator_version - 1))
            if (n.originator_version > 1)
            else {}
        )
        after = fields_of(app.aggregate_at(originator, n.originator_version))
        told = tell(event, event.actor, names)
        assert trail.shown(n.id) == {
            "position": n.id,
            "recorded_at": utc_text(event.timestamp),
            "actor": {
                "user": event.actor.user_id,
                "role": event.actor.role.value,
                "unit": event.actor.unit,
            },
            "request_id": event.request_id,
            "directive": after["reference"] if isinstance(event, Directive.Event) else None,
            "action": type(event).__name__,
            "vi": told.vi,
            "en": told.en,
            "changes": orjson.loads(orjson.dumps(changes(before, after), default=str)),
            "leaf_hash": base64.b64encode(leaf_hash(record_of(n))).decode(),
            "intact": True,
        }


def test_the_keys_the_trail_is_searched_by_are_those_of_the_aggregates_as_they_stood(
    trail: Trail,
) -> None:
    """Each entry's keys (made from the stored JSON, carrying a directive's reference and lead
    unit and an account's unit along) equal what the decoded event and the aggregate after it
    say, also when the projection starts afresh every few records."""
    app = trail.app
    restarted = open_trail(app, prefix="audit_restarted")
    position, head = 0, app.max_notification_id()
    while position < head:
        position += 29
        AuditProjection(app, restarted).catch_up(until=position)
    everything = AuditFilters()
    stored = trail.store.entries(everything, limit=10_000)
    assert restarted.entries(everything, limit=10_000) == stored
    assert {"Issued", "Reassigned", "UnitAdded", "Created", "SignedIn"} <= {
        e.action for e in stored
    }
    for entry in stored:
        (n,) = app.recorder.select_notifications(start=entry.position, limit=1)
        event: Any = app.mapper.to_domain_event(n)
        after = app.aggregate_at(UUID(str(n.originator_id)), n.originator_version)
        if isinstance(event, Directive.Event):
            concerned, directive = after.lead_unit, after.reference
        elif isinstance(event, UnitRegistry.Event):
            concerned, directive = getattr(event, "code", None), None
        else:
            concerned, directive = after.unit, None
        assert (
            entry.recorded_at,
            entry.originator_id,
            entry.originator_version,
            entry.action,
            entry.actor,
            entry.actor_unit,
            entry.directive,
            entry.subject_unit,
        ) == (
            utc_text(event.timestamp),
            str(n.originator_id),
            n.originator_version,
            type(event).__name__,
            event.actor.user_id,
            event.actor.unit,
            directive,
            concerned,
        )


def test_the_issue_s_forged_actor_and_story_are_named_at_their_position_and_never_shown(
    trail: Trail,
) -> None:
    """The issue's statement, as far as the trail still has its columns: verify names position
    100, and the entry still shows the real actor, action and changes."""
    before = trail.shown(100)
    assert before["actor"]["user"] != "thanhtra"
    forged = {"actor": "thanhtra", "summary_en": "The inspector withdrew it", "changes": "[]"}
    kept = {c: v for c, v in forged.items() if c in trail.columns()}
    assignments = ", ".join(f"{c} = ?" for c in kept)
    trail.sql(
        f"UPDATE {trail.table('entries')} SET {assignments} WHERE position = 100",
        tuple(kept.values()),
    )
    report = trail.verify()
    assert report.first is not None, "the forged entry verified"
    assert (report.first.position, report.first.kind) == (100, "entry"), report.first
    assert "actor" in report.first.detail
    assert trail.shown(100) == before


@settings(
    max_examples=examples(15, thorough=200),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_altering_any_column_of_any_entry_is_named_at_that_entry_s_position(
    trail: Trail, data: st.DataObject
) -> None:
    """Whatever column of whatever entry is set to whatever else, the first failure verify
    reports is at that entry's position; and what the entry shows is still its record's."""
    positions = [e.position for e in trail.store.entries(AuditFilters(), limit=10_000)]
    position = data.draw(st.sampled_from(positions), label="position")
    column = data.draw(st.sampled_from(trail.columns()), label="column")
    original = trail.row(position)[column]
    if isinstance(original, int):
        value: Any = UNIQUE_INTEGERS + data.draw(st.integers(0, 10**6))
    elif isinstance(original, bytes | memoryview):
        raw = bytes(original)
        at = data.draw(st.integers(0, len(raw) - 1))
        value = raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1 :]
    else:
        choices = TEXT.filter(lambda text: text != original)
        value = data.draw(st.one_of(choices, st.none()) if column in NULLABLE else choices)
    if value is None and original is None:
        value = "x"
    shown = trail.shown(position)
    where = value if column == "position" else position
    table = trail.table("entries")
    trail.sql(f"UPDATE {table} SET {column} = ? WHERE position = ?", (value, position))
    try:
        report = trail.verify()
        assert report.first is not None, f"{column} of {position} altered and verified"
        assert report.first.position == position, report.first
        if column not in {"position", "leaf_hash"}:
            assert trail.shown(position) == shown
    finally:
        trail.sql(f"UPDATE {table} SET {column} = ? WHERE position = ?", (original, where))
    assert trail.verify().ok


@pytest.mark.parametrize("kind", KINDS)
def test_the_api_shows_the_record_s_actor_and_action_whatever_the_trail_holds(
    kind: str, tmp_path: Path
) -> None:
    """Through ``GET /api/audit``: the progress report's entry, its actor and story rewritten in
    the trail, still shows who reported and what, and verify names it."""
    with database(kind, tmp_path) as url:
        api, app = make_api(url)
        try:
            api.post(
                "/api/directives",
                Role.LEADER,
                {"reference": "5/UBND-KT", "title": "Báo cáo", "lead_unit": "SO-CT"},
            )
            api.clock.advance(timedelta(hours=1))
            api.post("/api/directives/5~UBND-KT/acknowledgement", Role.DEPARTMENT, {})
            api.post(
                "/api/directives/5~UBND-KT/progress-reports",
                Role.DEPARTMENT,
                {"percent": 60, "narrative": "Đã xong 60%"},
            )
            store = open_trail(app, create=False)
            signer = Signer(ORIGIN, Ed25519PrivateKey.generate())
            AuditProjection(app, store, signer).catch_up()
            trail = Trail(api, app, store, signer, url)
            (entry,) = store.entries(AuditFilters(action="ProgressReported"))
            forged = {"actor": "thanhtra", "actor_unit": None, "summary_vi": "Thanh tra thu hồi"}
            kept = {c: v for c, v in forged.items() if c in trail.columns()}
            trail.sql(
                f"UPDATE {trail.table('entries')} SET {', '.join(f'{c} = ?' for c in kept)} "
                "WHERE position = ?",
                (*kept.values(), entry.position),
            )
            answer = api.get("/api/audit", Role.INSPECTOR, directive="5/UBND-KT").json
            (item,) = [i for i in answer["items"] if i["position"] == entry.position]
            assert item["actor"] == {"user": "so-ct.canbo", "role": "department", "unit": "SO-CT"}
            assert item["vi"] == "Sở Công Thương báo cáo tiến độ 60%"
            assert item["action"] == "ProgressReported"
            assert item["intact"] is True
            first = trail.verify().first
            assert first is not None
            assert (first.position, first.kind) == (entry.position, "entry")
        finally:
            app.close()


def test_entries_altered_and_hashes_altered_are_named_in_log_order(trail: Trail) -> None:
    """The keys are checked beside the walk: what each finds, in the order of the log."""
    table = trail.table("entries")
    trail.sql(f"UPDATE {table} SET actor_unit = ? WHERE position = ?", ("UBND-Q1", 220))
    trail.sql(f"UPDATE {table} SET chain_hash = ? WHERE position = ?", (bytes(32), 150))
    trail.sql(f"UPDATE {table} SET recorded_at = ? WHERE position = ?", ("2020", 300))
    report = trail.verify()
    assert [(p.position, p.kind) for p in report.problems] == [
        (150, "chain"),
        (220, "entry"),
        (300, "entry"),
    ]
    assert "actor_unit" in report.problems[1].detail
    assert "recorded_at" in report.problems[2].detail

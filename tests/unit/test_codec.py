"""The orjson mapper: plain JSON on disk, exact types back, snapshots included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, MapperDeserialisationError, StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from domain.directives.directive import Directive, Status
from domain.shared.actors import Actor, Role
from domain.shared.codec import OrjsonMapper, converter
from tests.builders import LEAD_OFFICER, LEADER, acknowledged
from tests.strategies import dates, finite_decimals, moments


@dataclass(frozen=True)
class Money:
    amount: Decimal
    paid_on: date | None


class Ledger(Aggregate):
    """A throwaway aggregate whose one event carries every type the codec must round-trip."""

    class Recorded(Aggregate.Event):
        moment: datetime
        day: date
        ident: UUID
        amount: Decimal
        tags: tuple[str, ...]
        payments: tuple[Money, ...]
        by_unit: dict[str, Decimal]
        who: Actor
        maybe: date | None

    def record(self, **fields: Any) -> None:
        self.trigger_event(self.Recorded, **fields)


MAPPER = OrjsonMapper(transcoder=JSONTranscoder())
T0 = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)


@given(
    moment=moments,
    day=dates,
    ident=st.uuids(),
    amount=finite_decimals(),
    tags=st.lists(st.text(max_size=8), max_size=3).map(tuple),
    payments=st.lists(st.builds(Money, finite_decimals(), st.one_of(st.none(), dates)), max_size=3),
    by_unit=st.dictionaries(st.text(max_size=5), finite_decimals(), max_size=3),
    maybe=st.one_of(st.none(), dates),
)
def test_dates_moments_uuids_and_decimals_round_trip_exactly(
    moment: datetime,
    day: date,
    ident: UUID,
    amount: Decimal,
    tags: tuple[str, ...],
    payments: list[Money],
    by_unit: dict[str, Decimal],
    maybe: date | None,
) -> None:
    """Whatever the values, decoding the stored bytes gives back equal values of the same types."""
    ledger = Ledger()
    ledger.record(
        moment=moment,
        day=day,
        ident=ident,
        amount=amount,
        tags=tags,
        payments=tuple(payments),
        by_unit=by_unit,
        who=Actor("u", Role.DEPARTMENT, "SO-CT"),
        maybe=maybe,
    )
    event = ledger.collect_events()[-1]
    decoded = MAPPER.to_domain_event(MAPPER.to_stored_event(event))
    assert decoded == event
    assert isinstance(decoded, Ledger.Recorded)
    assert decoded.moment.utcoffset() == moment.utcoffset()
    assert str(decoded.amount) == str(amount)  # same digits, same exponent: Decimal("1.10") stays
    assert type(decoded.ident) is UUID
    assert all(type(p) is Money for p in decoded.payments)
    assert type(decoded.day) is date


def test_stored_state_is_plain_json_without_type_tags() -> None:
    """Other systems read the feed as it is: dates, moments and ids are plain strings."""
    d = acknowledged(T0)
    d.report_progress(percent=60, narrative="Sáu mươi", actor=LEAD_OFFICER, request_id="r", at=T0)
    stored = MAPPER.to_stored_event(d.collect_events()[-1])
    state = orjson.loads(stored.state)
    assert stored.topic == "thucthi:Directive.ProgressReported"
    assert state == {
        "timestamp": "2024-03-04T02:00:00+00:00",
        "actor": {"user_id": "so-ct.canbo", "role": "department", "unit": "SO-CT"},
        "request_id": "r",
        "percent": 60,
        "narrative": "Sáu mươi",
        "attachments": [],
        "files": [],
        "class_version": 2,
    }


def test_a_snapshot_restores_the_directive_with_its_types() -> None:
    d = acknowledged(T0)
    d.request_extension(
        new_deadline=date(2024, 4, 1), reason="", actor=LEAD_OFFICER, request_id="r", at=T0
    )
    d.grant_extension(number=1, actor=LEADER, request_id="r", at=T0)
    d.collect_events()
    snapshot = Directive.Snapshot.take(d)
    restored = MAPPER.to_domain_event(MAPPER.to_stored_event(snapshot))
    assert restored == snapshot
    assert isinstance(restored, Directive.Snapshot)
    rebuilt = restored.mutate(None)
    assert rebuilt == d
    assert isinstance(rebuilt, Directive)
    assert rebuilt.status is Status.IN_PROGRESS


def test_every_directive_event_has_a_stable_explicit_topic() -> None:
    """Topics are fixed strings, not module paths, so a rename never orphans stored events."""
    event_classes = [
        v
        for v in vars(Directive).values()
        if isinstance(v, type) and issubclass(v, Directive.Event) and v is not Directive.Event
    ]
    assert {c.__name__ for c in event_classes} == {
        "Created",
        "Issued",
        "Acknowledged",
        "ProgressReported",
        "ContributionReported",
        "ExtensionRequested",
        "ExtensionGranted",
        "ExtensionDenied",
        "CompletionReported",
        "CompletionAccepted",
        "CompletionReturned",
        "Reassigned",
        "Withdrawn",
        "ReminderSent",
        "ExplanationRequested",
        "ExplanationGiven",
        "HandedOver",
        "Commented",
    }
    for cls in event_classes:
        assert getattr(cls, "TOPIC", None) == f"thucthi:Directive.{cls.__name__}"


def test_undecodable_state_raises_a_clear_error() -> None:
    stored = StoredEvent(
        originator_id=uuid4(),
        originator_version=1,
        topic="thucthi:Directive.Acknowledged",
        state=b"{not json",
    )
    with pytest.raises(MapperDeserialisationError, match="cannot decode stored event"):
        MAPPER.to_domain_event(stored)


def test_unsupported_annotations_fail_when_first_seen() -> None:
    with pytest.raises(TypeError, match="union of several types"):
        converter(int | str | date)

"""An erasure of personal data, ordered and recorded like every other decision.

The order is an event (``Erasure.Ordered``): which persons (by their ids only, never a name or a
number), why (the legal basis, as the one who ordered it wrote it), who and in answer to which
request. What it orders is carried out beside the log: the persons' keys are destroyed
(``PersonalVault.carry_out``), after the event is saved. A process that stops between the two
leaves the order recorded and its keys standing; the next process to start carries it out
(``Thucthi.complete_erasures``), since the vault notes the log position up to which it has
carried out every order. The log's bytes never change, so the audit trail still verifies.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.personal.errors import NothingToEraseError
from domain.shared.actors import Actor, Command, require_permission
from domain.shared.text import TextRule, checked

# Why an erasure is made: required, and as long as any reason a command gives.
REASON = TextRule(5_000, lines=True, required=True)


class Erasure(Aggregate):
    """One order to erase the personal data of some persons."""

    TOPIC = "thucthi:Erasure"

    person_ids: tuple[UUID, ...]
    reason: str
    by_id_number: bool

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """The library's generic creation event; never triggered, named so no topic is implied."""

        TOPIC = "thucthi:Erasure.Created"

    class Ordered(Event, Aggregate.Created):
        """``by_id_number``: the order named the persons by an identification number (which
        is not recorded), not by their ids."""

        TOPIC = "thucthi:Erasure.Ordered"
        person_ids: tuple[UUID, ...]
        reason: str
        by_id_number: bool

    @classmethod
    def order(
        cls,
        *,
        erasure_id: UUID,
        person_ids: tuple[UUID, ...],
        reason: str,
        by_id_number: bool,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> Erasure:
        """Order the persons' data erased: an administrator's decision, with its reason."""
        require_permission(actor, Command.ERASE_PERSONAL_DATA)
        reason = checked("reason", reason, rule=REASON)
        if not person_ids:
            raise NothingToEraseError("no_person" if by_id_number else "none_named")
        return cls._create(
            cls.Ordered,
            id=erasure_id,
            person_ids=tuple(sorted(set(person_ids))),
            reason=reason,
            by_id_number=by_id_number,
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    @event(Ordered)
    def __init__(
        self,
        *,
        person_ids: tuple[UUID, ...],
        reason: str,
        by_id_number: bool,
        actor: Actor,
        request_id: str,
    ) -> None:
        self.person_ids = person_ids
        self.reason = reason
        self.by_id_number = by_id_number

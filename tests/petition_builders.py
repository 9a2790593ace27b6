"""Agencies, officers and petitions the petitions' tests build again and again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from domain.application import Thucthi
from domain.petitions.commands import (
    Accept,
    Classify,
    PetitionerGiven,
    ReceivePetition,
)
from domain.petitions.petition import Competence, Field, Kind
from domain.shared.actors import Actor, Role

AGENCY = "SO-XD"
OTHER_AGENCY = "UBND-Q1"

RECEPTION = Actor("soxd.tiepdan", Role.RECEPTION, AGENCY)
HEAD = Actor("soxd.giamdoc", Role.AGENCY_HEAD, AGENCY)
HANDLER = Actor("soxd.chuyenvien", Role.DEPARTMENT, AGENCY)
COLLEAGUE = Actor("soxd.chuyenvien2", Role.DEPARTMENT, AGENCY)
OTHER_RECEPTION = Actor("q1.tiepdan", Role.RECEPTION, OTHER_AGENCY)
OTHER_HEAD = Actor("q1.chutich", Role.AGENCY_HEAD, OTHER_AGENCY)
INSPECTORATE = Actor("thanhtra.1", Role.INSPECTOR)
OFFICE = Actor("office.vp", Role.OFFICE)
LEADER = Actor("leader.chutich", Role.LEADER)

NGUYEN = PetitionerGiven(
    full_name="Nguyễn Văn An",
    id_number="079085001234",
    address="12 Lê Lợi, phường Bến Thành, Thành phố Hồ Chí Minh",
    phone="0903123456",
)
TRAN = PetitionerGiven(
    full_name="Trần Thị Bình",
    id_number="079190004321",
    address="45 Nguyễn Trãi, phường Chợ Quán, Thành phố Hồ Chí Minh",
    phone="0918765432",
)

COMPLAINT_TEXT = (
    "Khiếu nại Quyết định số 123/QĐ-UBND về việc thu hồi đất tại thửa 45, tờ bản đồ 12."
)

# A Monday in 2026 that is not near a holiday.
MONDAY = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)


class Receipts:
    """Receipt codes drawn in order, so that tests can name them."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, day: date) -> str:
        self.n += 1
        return f"{day.year:04d}-TEST{self.n:04d}"


def desk_app(clock: object | None = None) -> Thucthi:
    """An application in memory with the city's units and receipts drawn in order."""
    app = Thucthi(clock=clock) if clock is not None else Thucthi()  # type: ignore[arg-type]
    app.open_unit_registry()
    app.petitions.receipts = Receipts()
    return app


def received(
    app: Thucthi,
    *,
    petitioners: tuple[PetitionerGiven, ...] = (NGUYEN,),
    agency: str = AGENCY,
    actor: Actor = RECEPTION,
    content: str = COMPLAINT_TEXT,
    **fields: Any,
) -> str:
    receipt, _ = app.petitions.receive(
        ReceivePetition(agency=agency, petitioners=petitioners, content=content, **fields),
        actor=actor,
        request_id="req-receive",
    )
    return receipt


def classified(
    app: Thucthi,
    kind: Kind = Kind.COMPLAINT,
    competence: Competence = Competence.OURS,
    **fields: Any,
) -> str:
    receipt = received(app, **fields)
    app.petitions.execute(
        Classify(kind=kind, field=Field.LAND, competence=competence),
        receipt,
        actor=RECEPTION,
        request_id="req-classify",
    )
    return receipt


def accepted(app: Thucthi, kind: Kind = Kind.COMPLAINT, **fields: Any) -> str:
    receipt = classified(app, kind, **fields)
    app.petitions.execute(
        Accept(handler=HANDLER.user_id), receipt, actor=HEAD, request_id="req-accept"
    )
    return receipt

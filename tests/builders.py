"""Actors and directives the tests build again and again."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from domain.directives.directive import Directive, Urgency
from domain.shared.actors import Actor, Role

LEAD = "SO-CT"
COORDINATOR = "SO-TC"
OTHER_UNIT = "UBND-Q1"

LEADER = Actor("leader.chutich", Role.LEADER)
OFFICE = Actor("office.vp", Role.OFFICE)
INSPECTOR = Actor("thanhtra.1", Role.INSPECTOR)
ADMIN = Actor("admin.1", Role.ADMIN)


def officer(unit: str = LEAD, user: str | None = None) -> Actor:
    return Actor(user or f"{unit.lower()}.canbo", Role.DEPARTMENT, unit)


LEAD_OFFICER = officer(LEAD)
COORDINATOR_OFFICER = officer(COORDINATOR)
OTHER_OFFICER = officer(OTHER_UNIT)


def issued(
    at: datetime,
    *,
    reference: str = "1234/UBND-VX",
    deadline: date | int | None = 10,
    coordinating: tuple[str, ...] = (COORDINATOR,),
    urgency: Urgency = Urgency.URGENT,
) -> Directive:
    """A directive just issued by the chairman; an int deadline is days after the issue date."""
    if isinstance(deadline, int):
        deadline = at.date() + timedelta(days=deadline)
    directive = Directive.issue(
        reference=reference,
        title="Triển khai thực hiện Kế hoạch chuyển đổi số năm 2024",
        content="Giao Sở Công Thương chủ trì, phối hợp Sở Tài chính.",
        issuer=None,
        lead_unit=LEAD,
        coordinating_units=coordinating,
        deadline=deadline,
        urgency=urgency,
        actor=LEADER,
        request_id="req-issue",
        at=at,
    )
    directive.collect_events()
    return directive


def acknowledged(at: datetime, *, deadline: date | int | None = 10) -> Directive:
    directive = issued(at, deadline=deadline)
    directive.acknowledge(actor=LEAD_OFFICER, request_id="req-ack", at=at)
    directive.collect_events()
    return directive

"""The demo's year of the digital-transformation index (docs/dti.md): the city's framework
published, every unit of the registry assessing itself for the last full year (the departments
under the departments' group, the People's Committees under the localities'), Thucthi measuring
the components it knows from the demo's directives, documents and petitions when the desk has its
measures (``domain.dti.measures``; otherwise the appraising body sets them), the appraising body
sending some back, the units answering, and the
Office publishing the period. Deterministic for a seed; each unit's assessment is one save.

A unit's maturity (how much of each component it has done) is spread evenly across the units and
shuffled by the seed, so that the published results have units in every band.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from domain.application import Thucthi
from domain.dti.assessment import Assessment
from domain.dti.commands import (
    AdjustValue,
    AnswerReturn,
    AssessmentCommand,
    CompleteAppraisal,
    EnterValue,
    PublishResults,
    SendBack,
    Submit,
)
from domain.dti.desk import default_group
from domain.dti.framework import Component, Framework, RuleKind
from domain.dti.hcmc import SHIPPED, shipped
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock, city_date, end_of_city_day
from domain.shared.commands import Origin
from domain.units.hcmc import LEADING_UNITS

INDEX = "hcm-dti"
OFFICE = Actor(user_id="vp.chanhvanphong", role=Role.OFFICE)
RETURNED_EVERY = 5  # one unit in five is sent back once to add evidence
LOWEST, HIGHEST = Decimal("0.35"), Decimal("0.97")  # the spread of the units' maturity


@dataclass(frozen=True, slots=True)
class DtiDemo:
    period: int
    version: int
    units: int
    bands: dict[str, int]
    position: int


def officer(unit: str) -> Actor:
    return Actor(user_id=f"{unit.lower()}.canbo", role=Role.DEPARTMENT, unit=unit)


def value_for(
    component: Component, maturity: float, rng: random.Random
) -> tuple[Decimal, Decimal | None]:
    """A value a unit of this maturity reports for the component, fitting its rule."""
    rule = component.rule
    done = min(1.0, max(0.0, maturity + rng.uniform(-0.15, 0.15)))
    if rule.kind is RuleKind.YES_NO:
        return Decimal(1 if rng.random() < maturity else 0), None
    if rule.kind is RuleKind.SHARE:
        return Decimal(round(done * 100)), Decimal(100)
    if rule.kind is RuleKind.SCALE:
        zero, full = rule.zero_at or Decimal(0), rule.full_at or Decimal(1)
        return (zero + (full - zero) * Decimal(str(round(done, 2)))).quantize(Decimal(1)), None
    steps = rule.steps
    reached = round(done * len(steps))
    return (Decimal(0) if reached == 0 else steps[reached - 1].at_least.quantize(Decimal(1))), None


def dti_moment(end: date) -> datetime:
    """When the demo's units assess the last full year: from 09:00 on 15 January of the demo's
    last year (the city asks for the year's figures early in the next), or the demo's first day
    when the year has not reached it."""
    first = end - timedelta(days=365)
    day = max(first, date(end.year, 1, 15))
    return end_of_city_day(day - timedelta(days=1)) + timedelta(hours=9, microseconds=1)


def publish_shipped(app: Thucthi, version: int) -> None:
    """The city's index published up to ``version``, those not yet published."""
    latest = max((i.latest for i in app.dti.indices()), default=0)
    for number in range(latest + 1, version + 1):
        request_id = f"demo-dti-{number}"
        app.dti.publish_framework(
            SHIPPED[number - 1].read_bytes(), actor=OFFICE, request_id=request_id
        )


def run_dti_demo(app: Thucthi, *, seed: int, at: datetime) -> DtiDemo:
    """The index's year, recorded from ``at`` on (a simulated clock is moved along)."""
    rng = random.Random(f"{seed}/dti")
    desk = app.dti
    clock = app.clock if isinstance(app.clock, SimulatedClock) else None
    moment = at

    def tick(minutes: int = 7) -> datetime:
        nonlocal moment
        moment += timedelta(minutes=minutes)
        if clock is not None:
            clock.set(moment)
        return moment

    was = None if clock is None else clock.now()
    tick(0)
    period = max(2023, city_date(at).year - 1)
    version = 2 if period >= shipped(2).period else 1
    publish_shipped(app, version)
    framework: Framework = desk.framework(INDEX, version).framework
    registry = app.unit_registry()
    units = [
        code
        for code, unit in registry.units.items()
        if code not in LEADING_UNITS and unit.active and framework.group(default_group(code))
    ]
    shares = [
        LOWEST + (HIGHEST - LOWEST) * Decimal(n) / max(1, len(units) - 1) for n in range(len(units))
    ]
    rng.shuffle(shares)
    appraiser = officer(registry.heir_of(framework.appraiser))
    for n, (code, share) in enumerate(zip(units, shares, strict=True)):
        maturity = float(share)
        unit = officer(code)
        rid = f"demo-dti-{code}"
        assessment = Assessment.start(
            index=INDEX,
            framework_version=version,
            period=period,
            unit=code,
            group=default_group(code),
            actor=unit,
            request_id=rid,
            at=tick(),
        )

        def run(command: AssessmentCommand, actor: Actor) -> None:
            at_now = tick()
            context = desk.context(assessment, at_now, measuring=command.measures)  # noqa: B023
            command.run(assessment, context, Origin(actor, rid, at_now))  # noqa: B023

        group = desk.group_of(assessment)
        for component in group.components():
            if component.automatic:
                continue
            number, of = value_for(component, maturity, rng)
            run(
                EnterValue(
                    component=component.code,
                    number=number,
                    of=of,
                    evidence=f"Báo cáo số {n + 1}/BC-{code} năm {period}",
                ),
                unit,
            )
        run(Submit(), unit)
        for component in group.components():
            # What Thucthi measured stands (the read models answered the desk at submission);
            # the rest of what it is to measure is set by the appraisal, as without measures.
            if component.automatic and component.code not in assessment.entries:
                number, of = value_for(component, maturity, rng)
                reason = "Số liệu đo trên hệ thống Thucthi đến hết kỳ đánh giá"
                run(
                    AdjustValue(component=component.code, number=number, of=of, reason=reason),
                    appraiser,
                )
        if n % RETURNED_EVERY == 0:
            first = next(iter(group.components())).code
            run(
                SendBack(reason="Bổ sung văn bản minh chứng", components=(first,), working_days=5),
                appraiser,
            )
            run(AnswerReturn(answer="Đã bổ sung văn bản minh chứng theo yêu cầu"), unit)
        run(CompleteAppraisal(), appraiser)
        desk.writer.save(assessment)
    tick(60)
    _, position = desk.publish_results(
        PublishResults(
            index=INDEX,
            version=version,
            period=period,
            reference=f"Thông báo kết quả DTI năm {period}",
        ),
        actor=OFFICE,
        request_id="demo-dti-publish",
    )
    if clock is not None and was is not None and was > moment:
        clock.set(was)  # the demo goes on from where its year ended
    return DtiDemo(period, version, len(units), bands_at(app, period, position), position)


def bands_at(app: Thucthi, period: int, position: int) -> dict[str, int]:
    """How many units are in each band, all groups together, at the position."""
    view = app.dti.point_of_view(None, position)
    bands: dict[str, int] = {}
    for g in app.dti.results(INDEX, period, view=view, actor=OFFICE):
        for band, count in g.distribution.items():
            bands[band] = bands.get(band, 0) + count
    return bands

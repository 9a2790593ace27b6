"""The digital-transformation index as the API answers it: a framework in the form of its file
(so that it can be published again as the next version), an assessment with its scores and
where it loses points, the results at a point of view, and the results scored again under
another version. Points are JSON numbers with at most two decimals; units are named by their
codes (the pages name them)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from api.web.i18n import Language, message
from domain.dti.assessment import Assessment, Entry
from domain.dti.desk import PointOfView
from domain.dti.file import FORMAT
from domain.dti.framework import (
    Band,
    Component,
    Framework,
    Group,
    Measure,
    MeasureName,
    Rule,
    RuleKind,
)
from domain.dti.index import DtiIndex, PublishedVersion
from domain.dti.measures import Measurement
from domain.dti.results import GroupRescored, GroupResults, Previous
from domain.dti.scoring import Ranked, Scorecard, Value, scorecard


def number(value: Decimal) -> int | float:
    """A decimal as a JSON number: whole numbers as integers."""
    return int(value) if value == value.to_integral_value() else float(value)


def _maybe(value: Decimal | None) -> int | float | None:
    return None if value is None else number(value)


def rule_document(rule: Rule) -> dict[str, Any]:
    found: dict[str, Any] = {"kind": rule.kind.value}
    if rule.kind is RuleKind.SCALE:
        found["zero_at"], found["full_at"] = _maybe(rule.zero_at), _maybe(rule.full_at)
    elif rule.kind is RuleKind.SHARE:
        found["full_at"] = _maybe(rule.full_at)
    elif rule.kind is RuleKind.THRESHOLDS:
        found["steps"] = [
            {"at_least": number(s.at_least), "points": number(s.points)} for s in rule.steps
        ]
    return found


def component_document(component: Component) -> dict[str, Any]:
    return {
        "code": component.code,
        "name_vi": component.name_vi,
        "name_en": component.name_en,
        "max_points": number(component.max_points),
        "rule": rule_document(component.rule),
        "evidence": component.evidence,
        "automatic": component.automatic,
        **({} if component.measure is None else {"measure": measure_document(component.measure)}),
    }


def measure_document(measure: Measure) -> dict[str, Any]:
    found: dict[str, Any] = {"name": measure.name.value}
    if measure.name is MeasureName.DIRECTIVES_ON_TIME:
        found["basis"] = measure.basis.value
    return found


def measured_said(language: Language, measured: Measurement) -> str:
    """How a measurement is told: its figures, the day and the log position (both languages,
    ``dti.measured.*``)."""
    if measured.whole == 0:
        figures = message(language, "dti.measured.none")
    else:
        median = "" if measured.median is None else f"{measured.median.normalize():f}"
        if language == "vi":
            median = median.replace(".", ",")
        figures = message(
            language,
            f"dti.measured.{measured.measure.value}",
            part=measured.part,
            whole=measured.whole,
            median=median,
        )
    day = measured.as_of.strftime("%d/%m/%Y") if language == "vi" else measured.as_of.isoformat()
    return message(
        language, "dti.measured.by", figures=figures, day=day, position=measured.position
    )


def measurement_document(measured: Measurement | None) -> dict[str, Any] | None:
    if measured is None:
        return None
    return {
        "measure": measured.measure.value,
        "as_of": measured.as_of,
        "position": measured.position,
        "part": measured.part,
        "whole": measured.whole,
        "median": None if measured.median is None else number(measured.median),
        "said": {"vi": measured_said("vi", measured), "en": measured_said("en", measured)},
    }


def band_document(band: Band) -> dict[str, Any]:
    return {
        "band": band.code,
        "name_vi": band.name_vi,
        "name_en": band.name_en,
        "from": number(band.from_points),
    }


def group_document(group: Group) -> dict[str, Any]:
    return {
        "group": group.kind.value,
        "name_vi": group.name_vi,
        "name_en": group.name_en,
        "example": group.example,
        "max_points": number(group.max_points),
        "bands": [band_document(b) for b in group.bands],
        "pillars": [
            {
                "code": p.code,
                "name_vi": p.name_vi,
                "name_en": p.name_en,
                "max_points": number(p.max_points),
                "indicators": [
                    {
                        "code": i.code,
                        "name_vi": i.name_vi,
                        "name_en": i.name_en,
                        "max_points": number(i.max_points),
                        "components": [component_document(c) for c in i.components],
                    }
                    for i in p.indicators
                ],
            }
            for p in group.pillars
        ],
    }


def framework_document(framework: Framework) -> dict[str, Any]:
    """The framework in its file's form (docs/dti.md)."""
    return {
        "format": FORMAT,
        "index": framework.index,
        "version": framework.version,
        "period": framework.period,
        "name_vi": framework.name_vi,
        "name_en": framework.name_en,
        "decision": framework.decision,
        "appraiser": framework.appraiser,
        "sources": list(framework.sources),
        "note": framework.note,
        "groups": [group_document(g) for g in framework.groups],
    }


def published_document(published: PublishedVersion, *, whole: bool = True) -> dict[str, Any]:
    """A version as published: who published it, when, the file's digest, and (``whole``) the
    framework itself."""
    framework = published.framework
    found: dict[str, Any] = {
        "index": framework.index,
        "version": framework.version,
        "period": framework.period,
        "name_vi": framework.name_vi,
        "name_en": framework.name_en,
        "decision": framework.decision,
        "appraiser": framework.appraiser,
        "digest": published.digest,
        "published_at": published.published_at,
        "published_by": published.published_by,
        "reason": published.reason,
        "groups": [
            {
                "group": g.kind.value,
                "max_points": number(g.max_points),
                "components": sum(1 for _ in g.components()),
                "example": g.example,
            }
            for g in framework.groups
        ],
        "links": {"framework": f"/api/dti/frameworks/{framework.index}/{framework.version}"},
    }
    if whole:
        found["framework"] = framework_document(framework)
    return found


def indices_document(indices: Iterable[DtiIndex]) -> dict[str, Any]:
    return {
        "indices": [
            {
                "index": index.key,
                "latest": index.latest,
                "versions": [published_document(v, whole=False) for v in index.versions],
            }
            for index in indices
        ]
    }


def value_document(value: Value | None) -> dict[str, Any] | None:
    if value is None:
        return None
    found: dict[str, Any] = {"number": number(value.number)}
    if value.of is not None:
        found["of"] = number(value.of)
    return found


def _entry_document(entry: Entry | None) -> dict[str, Any]:
    entry = entry or Entry()
    return {
        "value": value_document(entry.value),
        "evidence": {
            "text": entry.evidence.text,
            "links": list(entry.evidence.links),
            "files": [
                {"digest": f.digest, "name": f.name, "media_type": f.media_type, "size": f.size}
                for f in entry.evidence.files
            ],
        },
        "decision": None if entry.decision is None else entry.decision.value,
        "appraised": value_document(entry.appraised),
        "reason": entry.reason,
        "measured": measurement_document(entry.measured),
    }


def card_document(card: Scorecard) -> dict[str, Any]:
    return {
        "total": number(card.total),
        "max_points": number(card.max_points),
        "band": card.band.code,
        "band_vi": card.band.name_vi,
        "band_en": card.band.name_en,
        "pillars": [
            {
                "code": p.code,
                "points": number(p.points),
                "max_points": number(p.max_points),
                "indicators": [
                    {"code": i.code, "points": number(i.points), "max_points": number(i.max_points)}
                    for i in p.indicators
                ],
            }
            for p in card.pillars
        ],
    }


def assessment_document(assessment: Assessment, group: Group, appraiser: str) -> dict[str, Any]:
    """An assessment: where it stands, every component of its group with the unit's value and
    evidence, the appraisal's decision and the points it earns, the returns and their answers,
    and the scores."""
    card = scorecard(group, assessment.values())
    points = {c.code: c for c in card.components()}
    components = []
    for component in group.components():
        found = _entry_document(assessment.entries.get(component.code))
        scored = points[component.code]
        found.update(
            code=component.code,
            name_vi=component.name_vi,
            name_en=component.name_en,
            max_points=number(component.max_points),
            rule=component.rule.kind.value,
            evidence_required=component.evidence,
            automatic=component.automatic,
            points=number(scored.points),
            lost=number(scored.lost),
        )
        components.append(found)
    return {
        "key": assessment.key,
        "index": assessment.index,
        "version": assessment.framework_version,
        "period": assessment.period,
        "unit": assessment.unit,
        "group": assessment.group.value,
        "stage": assessment.stage.value,
        "appraiser": appraiser,
        "submitted_at": assessment.submitted_at,
        "appraised_at": assessment.appraised_at,
        "published_at": assessment.published_at,
        "publication": assessment.publication,
        "corrections": assessment.corrections,
        "missing_evidence": list(assessment.missing_evidence(group)),
        "returns": [
            {
                "reason": r.reason,
                "components": list(r.components),
                "working_days": r.working_days,
                "due_on": r.due_on,
                "sent_at": r.sent_at,
                "answer": r.answer,
                "answered_at": r.answered_at,
                "late": r.late,
            }
            for r in assessment.returns
        ],
        "score": card_document(card),
        "components": components,
    }


def view_document(view: PointOfView) -> dict[str, Any]:
    found: dict[str, Any] = {"as_of": view.as_of, "position": view.position}
    if view.forecast:
        found["forecast"] = True
    return found


def _place(place: Ranked) -> dict[str, Any]:
    return {"rank": place.rank, "shared_rank": place.shared_rank, **card_document(place.card)}


def _previous(previous: Previous | None) -> dict[str, Any] | None:
    if previous is None:
        return None
    return {
        "period": previous.period,
        "version": previous.version,
        "total": number(previous.card.total),
        "max_points": number(previous.card.max_points),
        "band": previous.card.band.code,
        "change": None if previous.change.points is None else number(previous.change.points),
        "change_share_points": number(previous.change.share_points),
    }


def results_document(
    index: str, period: int, view: PointOfView, found: list[GroupResults], published_only: bool
) -> dict[str, Any]:
    """The period's results at the point of view: per group, the units best first with their
    scores, bands, ranks and change against the previous period, and the distribution across
    bands."""
    return {
        "index": index,
        "period": period,
        **view_document(view),
        "published_only": published_only,
        "groups": [
            {
                "version": g.framework.version,
                "group": g.group.kind.value,
                "name_vi": g.group.name_vi,
                "name_en": g.group.name_en,
                "max_points": number(g.group.max_points),
                "bands": [band_document(b) for b in g.group.bands],
                "distribution": g.distribution,
                "units": [
                    {
                        "unit": s.assessment.unit,
                        "key": s.assessment.key,
                        "stage": s.assessment.stage.value,
                        **_place(s.place),
                        "previous": _previous(s.previous),
                    }
                    for s in g.standings
                ],
            }
            for g in found
        ],
    }


def rescored_document(  # noqa: PLR0917 - the question's five parts and the answer
    index: str,
    period: int,
    under: int | None,
    view: PointOfView,
    found: list[GroupRescored],
    published_only: bool,
) -> dict[str, Any]:
    """The period's assessments scored as they were and under version ``under`` (None: a
    framework not published), side by side, in the order of the new ranks."""
    return {
        "index": index,
        "period": period,
        "under": under,
        **view_document(view),
        "published_only": published_only,
        "groups": [
            {
                "group": g.group.kind.value,
                "name_vi": g.group.name_vi,
                "name_en": g.group.name_en,
                "max_points": number(g.group.max_points),
                "distribution_was": g.distribution_was,
                "distribution_now": g.distribution_now,
                "units": [
                    {
                        "unit": r.unit,
                        "key": r.assessment.key,
                        "was": {"version": r.assessment.framework_version, **_place(r.was)},
                        "now": {"version": under, **_place(r.now)},
                        "rank_change": r.was.rank - r.now.rank,
                        "dropped": list(r.dropped),
                        "unanswered": list(r.unanswered),
                    }
                    for r in g.rows
                ],
            }
            for g in found
        ],
    }


def queue_document(items: Iterable[Assessment]) -> dict[str, Any]:
    return {
        "items": [
            {
                "key": a.key,
                "unit": a.unit,
                "stage": a.stage.value,
                "since": a.modified_on,
                "due_on": None if a.open_return is None else a.open_return.due_on,
                "links": {"assessment": f"/api/dti/assessments/{a.key}"},
            }
            for a in items
        ]
    }

"""The framework file: a JSON document (format ``thucthi-dti/1``, docs/dti.md) read into a
``Framework``, every field checked, and a refusal naming where in the file and what is wrong
(``FrameworkFileError``, said in Vietnamese and English by the pages and the API).

JSON rather than YAML: the standard library reads it, numbers are read as decimals (no binary
rounding of 2.5 points), and the file is what the API takes as a request body.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from domain.dti.errors import FrameworkFileError
from domain.dti.framework import (
    Band,
    Basis,
    Component,
    Framework,
    Group,
    GroupKind,
    Indicator,
    Measure,
    MeasureName,
    Pillar,
    Rule,
    RuleKind,
    Step,
    default_bands,
)
from domain.shared.text import NAME, NOTE, TextRule, checked

FORMAT = "thucthi-dti/1"
MAX_BYTES = 1024 * 1024
MAX_DEPTH = 20
MAX_ITEMS = 1_000  # of any list: groups, pillars, components, bands, sources
FIRST_PERIOD, LAST_PERIOD = 2000, 2100
POINT_PLACES = 2  # maxima, points and band starts: to the hundredth
FIGURE_PLACES = 6  # a scale's ends, a share's full_at, a threshold's count
MOST = Decimal(10) ** 9  # no maximum, band or figure of a file is this large
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
INDEX_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
DECISION = TextRule(500, required=True)
SOURCE = TextRule(1_000, required=True)
UNIT = TextRule(64, required=True)

_T = TypeVar("_T")
Node = dict[str, Any]


def read_framework(document: bytes | str) -> Framework:
    """The framework a file holds, or FrameworkFileError saying where and what is wrong."""
    size = len(document.encode() if isinstance(document, str) else document)
    if size > MAX_BYTES:
        raise FrameworkFileError("too_large", size=size, limit=MAX_BYTES)
    try:
        data = json.loads(
            document,
            parse_float=Decimal,
            parse_constant=_no_constant,
            object_pairs_hook=_no_repeated_keys,
        )
    except json.JSONDecodeError as e:
        raise FrameworkFileError("not_json", line=e.lineno, column=e.colno) from None
    except UnicodeDecodeError:
        raise FrameworkFileError("not_json", line=1, column=1) from None
    except RecursionError:
        raise FrameworkFileError("too_deep", limit=MAX_DEPTH) from None
    if _depth(data) > MAX_DEPTH:
        raise FrameworkFileError("too_deep", limit=MAX_DEPTH)
    return _framework(data)


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON (the standard library would read them)."""
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A key given twice in one object is refused: the standard library keeps the last."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise FrameworkFileError("repeated_key", given=key)
        found[key] = value
    return found


def _depth(value: object) -> int:
    """How deep the file nests, counted without recursion (and no further than past the
    limit)."""
    deepest, level = 0, [(value, 0)]
    while level and deepest <= MAX_DEPTH:
        node, depth = level.pop()
        deepest = max(deepest, depth)
        if isinstance(node, dict):
            level.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            level.extend((v, depth + 1) for v in node)
    return deepest


# --- the parts of a file ---------------------------------------------------------------------

_TOP = ("format", "index", "version", "period", "name_vi", "name_en", "decision", "appraiser")


def _framework(data: object) -> Framework:
    top = _object(data, "(file)", (*_TOP, "groups", "sources", "note"))
    given = _text(top, "format", TextRule(40, required=True))
    if given != FORMAT:
        raise FrameworkFileError("format", at="format", given=given, expected=FORMAT)
    index = _text(top, "index", TextRule(63, required=True))
    if not INDEX_KEY.fullmatch(index):
        raise FrameworkFileError("index_key", at="index", given=index)
    version = _whole(top, "version")
    if version < 1:
        raise FrameworkFileError("version", at="version", given=version)
    period = _whole(top, "period")
    if not FIRST_PERIOD <= period <= LAST_PERIOD:
        raise FrameworkFileError(
            "period", at="period", given=period, first=FIRST_PERIOD, last=LAST_PERIOD
        )
    groups = _list(top, "groups", "groups", _group)
    seen: set[str] = set()
    for at, group in enumerate(groups):
        if group.kind in seen:
            raise FrameworkFileError("group_twice", at=f"groups[{at}].group", given=group.kind)
        seen.add(group.kind)
    sources = top.get("sources", [])
    return Framework(
        index=index,
        version=version,
        period=period,
        name_vi=_text(top, "name_vi", NAME),
        name_en=_text(top, "name_en", NAME),
        decision=_text(top, "decision", DECISION),
        appraiser=_text(top, "appraiser", UNIT),
        groups=tuple(groups),
        sources=tuple(_texts(sources, "sources", SOURCE)),
        note=_text(top, "note", NOTE, optional=True),
    )


def _group(data: object, at: str) -> Group:
    node = _object(
        data, at, ("group", "name_vi", "name_en", "example", "max_points", "bands", "pillars")
    )
    kind = _text(node, "group", TextRule(20, required=True), at)
    if kind not in GroupKind._value2member_map_:
        raise FrameworkFileError("group", at=f"{at}.group", given=kind)
    pillars = _list(node, "pillars", f"{at}.pillars", _pillar)
    _unique([p.code for p in pillars], f"{at}.pillars")
    indicators = [i for p in pillars for i in p.indicators]
    _unique([i.code for i in indicators], f"{at}.indicators")
    _unique([c.code for i in indicators for c in i.components], f"{at}.components")
    total = sum((p.max_points for p in pillars), Decimal(0))
    _same_max(node, at, total)
    bands = (
        tuple(_bands(node["bands"], f"{at}.bands", total))
        if "bands" in node
        else default_bands(total)
    )
    return Group(
        kind=GroupKind(kind),
        name_vi=_text(node, "name_vi", NAME, at),
        name_en=_text(node, "name_en", NAME, at),
        pillars=tuple(pillars),
        bands=bands,
        example=_flag(node, "example", at),
    )


def _pillar(data: object, at: str) -> Pillar:
    node = _object(data, at, ("code", "name_vi", "name_en", "max_points", "indicators"))
    indicators = _list(node, "indicators", f"{at}.indicators", _indicator)
    pillar = Pillar(_code(node, at), _text(node, "name_vi", NAME, at),
                    _text(node, "name_en", NAME, at), tuple(indicators))  # fmt: skip
    _same_max(node, at, pillar.max_points)
    return pillar


def _indicator(data: object, at: str) -> Indicator:
    node = _object(data, at, ("code", "name_vi", "name_en", "max_points", "components"))
    components = _list(node, "components", f"{at}.components", _component)
    indicator = Indicator(_code(node, at), _text(node, "name_vi", NAME, at),
                          _text(node, "name_en", NAME, at), tuple(components))  # fmt: skip
    _same_max(node, at, indicator.max_points)
    return indicator


def _component(data: object, at: str) -> Component:
    node = _object(
        data,
        at,
        ("code", "name_vi", "name_en", "max_points", "rule", "evidence", "automatic", "measure"),
    )
    most = _number(node, "max_points", at, POINT_PLACES)
    if most <= 0:
        raise FrameworkFileError("not_positive", at=f"{at}.max_points", given=most)
    rule = _rule(_required(node, "rule", at), f"{at}.rule", most)
    measure = _measure(node["measure"], f"{at}.measure", rule) if "measure" in node else None
    automatic = _flag(node, "automatic", at)
    if measure is not None and node.get("automatic") is False:
        raise FrameworkFileError("measure_not_automatic", at=f"{at}.automatic")
    return Component(
        code=_code(node, at),
        name_vi=_text(node, "name_vi", NAME, at),
        name_en=_text(node, "name_en", NAME, at),
        max_points=most,
        rule=rule,
        evidence=_flag(node, "evidence", at),
        automatic=automatic or measure is not None,
        measure=measure,
    )


# What each measure gives, and the rules that score it: a share (part of a whole) or a number
# of days (on a scale, the fewer the better, or by thresholds).
_SHARE_MEASURES = frozenset(
    {
        MeasureName.DIRECTIVES_ON_TIME,
        MeasureName.PETITIONS_ON_TIME,
        MeasureName.DOCUMENTS_SIGNED,
        MeasureName.PETITIONS_ONLINE,
    }
)
_MEASURE_FIELDS: dict[MeasureName, tuple[str, ...]] = {
    name: ("name", "basis") if name is MeasureName.DIRECTIVES_ON_TIME else ("name",)
    for name in MeasureName
}


def _measure(data: object, at: str, rule: Rule) -> Measure:
    node = _object(data, at, ("name", "basis"))
    given = _text(node, "name", TextRule(40, required=True), at)
    if given not in MeasureName._value2member_map_:
        names = ", ".join(m.value for m in MeasureName)
        raise FrameworkFileError("measure", at=f"{at}.name", given=given, names=names)
    name = MeasureName(given)
    for field in node:
        if field not in _MEASURE_FIELDS[name]:
            raise FrameworkFileError("not_for_measure", at=f"{at}.{field}", name=name.value)
    share = name in _SHARE_MEASURES
    fits = (
        rule.kind is RuleKind.SHARE if share else rule.kind in {RuleKind.SCALE, RuleKind.THRESHOLDS}
    )
    if not fits:
        raise FrameworkFileError(
            "measure_rule",
            at=at,
            name=name.value,
            kind=rule.kind.value,
        )
    basis = _text(node, "basis", TextRule(20, required=True), at, optional=True) or "in_force"
    if basis not in Basis._value2member_map_:
        raise FrameworkFileError("basis", at=f"{at}.basis", given=basis)
    return Measure(name, Basis(basis))


_RULE_FIELDS: dict[RuleKind, tuple[str, ...]] = {
    RuleKind.SCALE: ("kind", "zero_at", "full_at"),
    RuleKind.YES_NO: ("kind",),
    RuleKind.SHARE: ("kind", "full_at"),
    RuleKind.THRESHOLDS: ("kind", "steps"),
}


def _rule(data: object, at: str, most: Decimal) -> Rule:
    node = _object(data, at, ("kind", "zero_at", "full_at", "steps"))
    kind = _text(node, "kind", TextRule(20, required=True), at)
    if kind not in RuleKind._value2member_map_:
        raise FrameworkFileError("kind", at=f"{at}.kind", given=kind)
    rule = RuleKind(kind)
    for name in node:
        if name not in _RULE_FIELDS[rule]:
            raise FrameworkFileError("not_for_rule", at=f"{at}.{name}", kind=rule.value)
    if rule is RuleKind.SCALE:
        zero = _number(node, "zero_at", at, FIGURE_PLACES, default=Decimal(0))
        full = _number(node, "full_at", at, FIGURE_PLACES)
        if zero == full:
            raise FrameworkFileError("scale_ends", at=at)
        return Rule(rule, zero_at=zero, full_at=full)
    if rule is RuleKind.SHARE:
        full = _number(node, "full_at", at, FIGURE_PLACES, default=Decimal(1))
        if not 0 < full <= 1:
            raise FrameworkFileError("share_full", at=f"{at}.full_at", given=full)
        return Rule(rule, full_at=full)
    if rule is RuleKind.THRESHOLDS:
        steps = _list(node, "steps", f"{at}.steps", _step)
        for n, (low, high) in enumerate(itertools.pairwise(steps), start=1):
            if high.at_least <= low.at_least or high.points <= low.points:
                raise FrameworkFileError("steps", at=f"{at}.steps[{n}]")
        for n, step in enumerate(steps):
            if step.points > most:
                raise FrameworkFileError(
                    "step_over", at=f"{at}.steps[{n}].points", given=step.points, most=most
                )
        return Rule(rule, steps=tuple(steps))
    return Rule(rule)


def _step(data: object, at: str) -> Step:
    node = _object(data, at, ("at_least", "points"))
    at_least = _number(node, "at_least", at, FIGURE_PLACES)
    points = _number(node, "points", at, POINT_PLACES)
    for name, value in (("at_least", at_least), ("points", points)):
        if value < 0:
            raise FrameworkFileError("negative", at=f"{at}.{name}", given=value)
    return Step(at_least, points)


def _bands(data: object, at: str, most: Decimal) -> list[Band]:
    if not isinstance(data, list):
        raise FrameworkFileError("not_list", at=at)
    if not data:
        raise FrameworkFileError("empty", at=at)
    bands = [_band(item, f"{at}[{n}]") for n, item in enumerate(data)]
    _unique([b.code for b in bands], at)
    if bands[0].from_points != 0:
        raise FrameworkFileError("bands_start", at=f"{at}[0].from", given=bands[0].from_points)
    for n, (low, high) in enumerate(itertools.pairwise(bands), start=1):
        if high.from_points <= low.from_points:
            raise FrameworkFileError("bands_rise", at=f"{at}[{n}].from")
    for n, band in enumerate(bands):
        if band.from_points > most:
            raise FrameworkFileError(
                "band_over", at=f"{at}[{n}].from", given=band.from_points, most=most
            )
    return bands


def _band(data: object, at: str) -> Band:
    node = _object(data, at, ("band", "name_vi", "name_en", "from"))
    code = _text(node, "band", TextRule(32, required=True), at)
    if not CODE.fullmatch(code):
        raise FrameworkFileError("code", at=f"{at}.band", given=code)
    return Band(
        code,
        _text(node, "name_vi", NAME, at),
        _text(node, "name_en", NAME, at),
        _number(node, "from", at, POINT_PLACES),
    )


# --- fields ------------------------------------------------------------------------------------


def _object(data: object, at: str, fields: tuple[str, ...]) -> Node:
    if not isinstance(data, dict):
        raise FrameworkFileError("not_object", at=at)
    for name in data:
        if name not in fields:
            raise FrameworkFileError("unknown", at=_joined(at, name))
    return data


def _joined(at: str, name: str) -> str:
    return name if at == "(file)" else f"{at}.{name}"


def _required(node: Node, name: str, at: str = "(file)") -> object:
    if name not in node:
        raise FrameworkFileError("missing", at=_joined(at, name))
    return node[name]


def _list(node: Node, name: str, at: str, item: Callable[[object, str], _T]) -> list[_T]:
    data = _required(node, name, at.rpartition(".")[0] or "(file)")
    if not isinstance(data, list):
        raise FrameworkFileError("not_list", at=at)
    if not data:
        raise FrameworkFileError("empty", at=at)
    if len(data) > MAX_ITEMS:
        raise FrameworkFileError("too_many", at=at, count=len(data), limit=MAX_ITEMS)
    return [item(value, f"{at}[{n}]") for n, value in enumerate(data)]


def _texts(data: object, at: str, rule: TextRule) -> list[str]:
    if not isinstance(data, list):
        raise FrameworkFileError("not_list", at=at)
    if len(data) > MAX_ITEMS:
        raise FrameworkFileError("too_many", at=at, count=len(data), limit=MAX_ITEMS)
    found = []
    for n, value in enumerate(data):
        if not isinstance(value, str):
            raise FrameworkFileError("not_text", at=f"{at}[{n}]")
        found.append(checked(f"{at}[{n}]", value, rule))
    return found


def _text(
    node: Node, name: str, rule: TextRule, at: str = "(file)", *, optional: bool = False
) -> str:
    if optional and name not in node:
        return ""
    value = _required(node, name, at)
    where = _joined(at, name)
    if not isinstance(value, str):
        raise FrameworkFileError("not_text", at=where)
    return checked(where, value, rule)


def _whole(node: Node, name: str, at: str = "(file)") -> int:
    value = _required(node, name, at)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FrameworkFileError("not_whole", at=_joined(at, name))
    return value


def _number(
    node: Node, name: str, at: str, places: int, *, default: Decimal | None = None
) -> Decimal:
    where = _joined(at, name)
    if default is not None and name not in node:
        return default
    value = _required(node, name, at)
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise FrameworkFileError("not_number", at=where, places=places)
    try:
        number = Decimal(value)
        exponent = number.as_tuple().exponent
    except (InvalidOperation, ValueError):
        raise FrameworkFileError("not_number", at=where, places=places) from None
    if not isinstance(exponent, int) or exponent < -places or abs(number) >= MOST:
        raise FrameworkFileError("not_number", at=where, places=places)
    return number


def _flag(node: Node, name: str, at: str) -> bool:
    value = node.get(name, False)
    if not isinstance(value, bool):
        raise FrameworkFileError("not_bool", at=_joined(at, name))
    return value


def _code(node: Node, at: str) -> str:
    code = _text(node, "code", TextRule(32, required=True), at)
    if not CODE.fullmatch(code):
        raise FrameworkFileError("code", at=f"{at}.code", given=code)
    return code


def _unique(codes: list[str], at: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise FrameworkFileError("duplicate", at=at, given=code)
        seen.add(code)


def _same_max(node: Node, at: str, total: Decimal) -> None:
    """A maximum the file states must be the sum of the parts' maxima (so the total is the sum
    of the components)."""
    if "max_points" not in node:
        return
    given = _number(node, "max_points", at, POINT_PLACES)
    if given != total:
        raise FrameworkFileError("max_sum", at=f"{at}.max_points", total=total, given=given)

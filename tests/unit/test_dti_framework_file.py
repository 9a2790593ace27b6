"""The framework file: the city's indices shipped as files read as public sources give them
(2023: departments 6 indicators, 32 components, out of 330, bands 198 and 264; districts 9 and
51; 2025: departments 6 and 32, wards and communes 8 and 42, out of 100), each citing its
sources and saying its component list is an example; and a file that breaks the format is
refused saying where and what, in Vietnamese and in English."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from api.dti_documents import framework_document
from api.web.i18n import said_error
from domain.dti.errors import FrameworkFileError
from domain.dti.file import read_framework
from domain.dti.framework import Basis, GroupKind, Measure, MeasureName
from domain.dti.hcmc import SHIPPED, shipped
from domain.shared.errors import InvalidTextError
from domain.units.hcmc import DEFAULT_UNITS
from tests.refusals import english_words

D = Decimal


def shape(kind: GroupKind, version: int) -> tuple[int, int, Decimal]:
    group = shipped(version).group(kind)
    assert group is not None
    indicators = sum(len(p.indicators) for p in group.pillars)
    return indicators, sum(1 for _ in group.components()), group.max_points


def test_the_2023_index_has_the_structure_decision_79_gives() -> None:
    """6 indicators with 32 components for departments, out of 330, with the bands the 2023
    results were graded by; 9 indicators with 51 components for the districts."""
    assert shape(GroupKind.DEPARTMENTS, 1) == (6, 32, D(330))
    assert shape(GroupKind.LOCALITIES, 1)[:2] == (9, 51)
    departments = shipped(1).group(GroupKind.DEPARTMENTS)
    assert departments is not None
    assert [(b.code, b.from_points) for b in departments.bands] == [
        ("starting", D(0)),
        ("forming", D(198)),
        ("advanced", D(264)),
    ]
    assert "79/QĐ-UBND" in shipped(1).decision


def test_the_2025_index_is_its_second_version_out_of_100() -> None:
    assert shipped(2).version == 2
    assert shape(GroupKind.DEPARTMENTS, 2) == (6, 32, D(100))
    assert shape(GroupKind.LOCALITIES, 2) == (8, 42, D(100))


def test_each_shipped_file_cites_its_sources_and_labels_its_example_components() -> None:
    codes = {unit.code for unit in DEFAULT_UNITS}
    for version in (1, 2):
        framework = shipped(version)
        assert framework.sources
        assert all("http" in source for source in framework.sources)
        assert all(group.example for group in framework.groups)
        assert "VÍ DỤ MINH HỌA" in framework.note
        assert framework.appraiser in codes
    assert (shipped(1).appraiser, shipped(2).appraiser) == ("SO-TTTT", "SO-KHCN")
    assert [p.name for p in SHIPPED] == ["hcm-dti-v1-2023.json", "hcm-dti-v2-2025.json"]


def test_the_2025_departments_keep_the_2023_codes_so_last_year_can_be_scored_again() -> None:
    old, new = shipped(1).group(GroupKind.DEPARTMENTS), shipped(2).group(GroupKind.DEPARTMENTS)
    assert old is not None
    assert new is not None
    assert [c.code for c in old.components()] == [c.code for c in new.components()]
    assert [c.rule.kind for c in old.components()] == [c.rule.kind for c in new.components()]


def minimal() -> dict[str, Any]:
    return {
        "format": "thucthi-dti/1",
        "index": "thu-nghiem",
        "version": 1,
        "period": 2026,
        "name_vi": "Bộ chỉ số thử nghiệm",
        "name_en": "A trial index",
        "decision": "Quyết định 1/QĐ-UBND",
        "appraiser": "SO-KHCN",
        "groups": [
            {
                "group": "departments",
                "name_vi": "Sở, ban, ngành",
                "name_en": "Departments",
                "pillars": [
                    {
                        "code": "NT",
                        "name_vi": "Nền tảng",
                        "name_en": "Foundations",
                        "indicators": [
                            {
                                "code": "1",
                                "name_vi": "Nhận thức số",
                                "name_en": "Digital awareness",
                                "max_points": 15,
                                "components": [
                                    {
                                        "code": "1.1",
                                        "name_vi": "Có kế hoạch",
                                        "name_en": "A plan",
                                        "max_points": 10,
                                        "rule": {"kind": "yes_no"},
                                        "evidence": True,
                                    },
                                    {
                                        "code": "1.2",
                                        "name_vi": "Số tin bài",
                                        "name_en": "News items",
                                        "max_points": 5,
                                        "rule": {
                                            "kind": "thresholds",
                                            "steps": [
                                                {"at_least": 1, "points": 2},
                                                {"at_least": 5, "points": 5},
                                            ],
                                        },
                                    },
                                ],
                            }
                        ],
                    }
                ],
            }
        ],
    }


def test_a_minimal_file_is_read_with_default_bands_at_60_and_80_percent() -> None:
    framework = read_framework(json.dumps(minimal()))
    group = framework.group(GroupKind.DEPARTMENTS)
    assert group is not None
    assert group.max_points == D(15)
    assert [b.from_points for b in group.bands] == [D(0), D(9), D(12)]
    assert framework.group(GroupKind.LOCALITIES) is None


def test_a_measured_component_names_its_measure_and_is_automatic() -> None:
    """A count of days by thresholds may be measured as the days to acknowledge; a share as
    the directives completed on time against their original deadline."""
    document = copy.deepcopy(minimal())
    component_of(document)["measure"] = {"name": "acknowledge_days"}
    document["groups"][0]["pillars"][0]["indicators"][0]["components"][0].update(
        rule={"kind": "share"}, measure={"name": "directives_on_time", "basis": "original"}
    )
    group = read_framework(json.dumps(document)).group(GroupKind.DEPARTMENTS)
    assert group is not None
    share, days = group.components()
    assert (share.measure, share.automatic) == (
        Measure(MeasureName.DIRECTIVES_ON_TIME, Basis.ORIGINAL),
        True,
    )
    assert (days.measure, days.automatic) == (Measure(MeasureName.ACKNOWLEDGE_DAYS), True)


def refused(document: dict[str, Any] | str) -> FrameworkFileError:
    text = document if isinstance(document, str) else json.dumps(document)
    with pytest.raises(FrameworkFileError) as caught:
        read_framework(text)
    return caught.value


COMPONENT = "groups[0].pillars[0].indicators[0].components[1]"


def edited(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(minimal())
    change(document)
    return document


def component_of(document: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = document["groups"][0]["pillars"][0]["indicators"][0]["components"][1]
    return found


@pytest.mark.parametrize(
    ("change", "case", "at"),
    [
        (lambda d: d.pop("appraiser"), "missing", "appraiser"),
        (lambda d: d.update(colour="red"), "unknown", "colour"),
        (lambda d: d.update(format="thucthi-dti/9"), "format", "format"),
        (lambda d: d.update(version=0), "version", "version"),
        (lambda d: d.update(period=1999), "period", "period"),
        (lambda d: d.update(index="HCM DTI"), "index_key", "index"),
        (lambda d: d["groups"][0].update(group="quan"), "group", "groups[0].group"),
        (
            lambda d: d["groups"].append(copy.deepcopy(d["groups"][0])),
            "group_twice",
            "groups[1].group",
        ),
        (lambda d: component_of(d).update(code="1.1"), "duplicate", "groups[0].components"),
        (
            lambda d: component_of(d).update(max_points="5"),
            "not_number",
            f"{COMPONENT}.max_points",
        ),
        (
            lambda d: component_of(d).update(max_points=5.125),
            "not_number",
            f"{COMPONENT}.max_points",
        ),
        (
            lambda d: component_of(d).update(max_points=0),
            "not_positive",
            f"{COMPONENT}.max_points",
        ),
        (lambda d: component_of(d).update(evidence="yes"), "not_bool", f"{COMPONENT}.evidence"),
        (lambda d: component_of(d)["rule"].update(kind="rank"), "kind", f"{COMPONENT}.rule.kind"),
        (
            lambda d: component_of(d)["rule"].update(full_at=1),
            "not_for_rule",
            f"{COMPONENT}.rule.full_at",
        ),
        (
            lambda d: component_of(d)["rule"]["steps"].reverse(),
            "steps",
            f"{COMPONENT}.rule.steps[1]",
        ),
        (
            lambda d: component_of(d)["rule"]["steps"][1].update(points=6),
            "step_over",
            f"{COMPONENT}.rule.steps[1].points",
        ),
        (
            lambda d: d["groups"][0]["pillars"][0]["indicators"][0].update(max_points=20),
            "max_sum",
            "groups[0].pillars[0].indicators[0].max_points",
        ),
        (
            lambda d: d["groups"][0].update(
                bands=[{"band": "a", "name_vi": "A", "name_en": "A", "from": 5}]
            ),
            "bands_start",
            "groups[0].bands[0].from",
        ),
        (
            lambda d: d["groups"][0].update(
                bands=[
                    {"band": "a", "name_vi": "A", "name_en": "A", "from": 0},
                    {"band": "b", "name_vi": "B", "name_en": "B", "from": 0},
                ]
            ),
            "bands_rise",
            "groups[0].bands[1].from",
        ),
        (
            lambda d: d["groups"][0].update(
                bands=[
                    {"band": "a", "name_vi": "A", "name_en": "A", "from": 0},
                    {"band": "b", "name_vi": "B", "name_en": "B", "from": 16},
                ]
            ),
            "band_over",
            "groups[0].bands[1].from",
        ),
        (
            lambda d: component_of(d).update(measure={"name": "speed"}),
            "measure",
            f"{COMPONENT}.measure.name",
        ),
        (
            lambda d: component_of(d).update(
                measure={"name": "acknowledge_days", "basis": "original"}
            ),
            "not_for_measure",
            f"{COMPONENT}.measure.basis",
        ),
        (
            lambda d: component_of(d).update(measure={"name": "directives_on_time"}),
            "measure_rule",
            f"{COMPONENT}.measure",
        ),
        (
            lambda d: component_of(d).update(
                rule={"kind": "share"}, measure={"name": "directives_on_time", "basis": "late"}
            ),
            "basis",
            f"{COMPONENT}.measure.basis",
        ),
        (
            lambda d: component_of(d).update(measure={"name": "acknowledge_days"}, automatic=False),
            "measure_not_automatic",
            f"{COMPONENT}.automatic",
        ),
        (lambda d: d["groups"][0].update(pillars=[]), "empty", "groups[0].pillars"),
        (lambda d: d.update(groups={}), "not_list", "groups"),
    ],
)
def test_a_file_that_breaks_the_format_is_refused_saying_where_and_what(
    change: Any, case: str, at: str
) -> None:
    error = refused(edited(change))
    assert (error.case, error.values.get("at")) == (case, at)
    vi, en = said_error("vi", error), said_error("en", error)
    assert at in vi
    assert at in en
    assert english_words(vi.replace(at, "")) == []


def test_what_is_not_json_is_refused_with_its_line_and_column_in_both_languages() -> None:
    error = refused('{\n  "format": "thucthi-dti/1",\n  "index": }')
    assert error.case == "not_json"
    assert error.values == {"line": 3, "column": 12}
    assert said_error("vi", error) == "Tệp bộ chỉ số không phải JSON hợp lệ (dòng 3, cột 12)."
    assert said_error("en", error) == "The framework file is not JSON (line 3, column 12)."


def test_a_key_given_twice_and_nan_are_refused_not_silently_read() -> None:
    """The standard library would keep the last of two keys and read NaN as a number."""
    assert refused('{"index": "a", "index": "b"}').case == "repeated_key"
    document = json.dumps(minimal()).replace('"max_points": 10', '"max_points": NaN')
    assert refused(document).case == "not_json"


def test_a_file_nested_past_all_reason_is_refused_without_a_crash() -> None:
    assert refused("[" * 50_000 + "]" * 50_000).case == "too_deep"
    assert refused("[" * 25 + "]" * 25).case == "too_deep"


def test_a_name_with_a_control_character_is_refused_naming_its_place() -> None:
    document = edited(lambda d: d.update(name_vi="Bộ\x07chỉ số"))
    with pytest.raises(InvalidTextError) as caught:
        read_framework(json.dumps(document))
    assert caught.value.field == "name_vi"


def test_every_shipped_file_is_the_file_the_api_answers_with_read_again() -> None:
    """A framework read back as a file (the API's GET) is the same framework when read again:
    what is published can be revised from what is read."""
    for path in SHIPPED:
        framework = read_framework(path.read_bytes())
        again = read_framework(json.dumps(framework_document(framework)))
        assert again == framework
    assert Path(SHIPPED[0]).exists()


@pytest.mark.parametrize("version", [1, 2])
def test_the_shipped_indices_have_thucthi_measure_what_it_knows(version: int) -> None:
    """Signed documents (6.4), directives on time (6.5), petitions within the legal time (6.6)
    and days to answer a petition (6.7), in every group."""
    for group in shipped(version).groups:
        measured = {c.code: c.measure.name for c in group.components() if c.measure is not None}
        assert measured == {
            "6.4": MeasureName.DOCUMENTS_SIGNED,
            "6.5": MeasureName.DIRECTIVES_ON_TIME,
            "6.6": MeasureName.PETITIONS_ON_TIME,
            "6.7": MeasureName.PETITION_ANSWER_DAYS,
        }

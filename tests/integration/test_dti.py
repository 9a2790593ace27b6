"""The digital-transformation index through the application, on every backend: frameworks
published as versions of their index, assessments carried through self-assessment, appraisal
and publication, results that reproduce exactly at their day and log position after a later
correction, and the same assessments scored again under a second version, which changes the
ranks as worked by hand."""

from __future__ import annotations

import json
from contextlib import ExitStack
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from adapters.database import open_application, parse_database_url
from adapters.signing import Signer
from domain.application import Thucthi
from domain.dti.commands import (
    AdjustValue,
    CompleteAppraisal,
    CorrectValue,
    EnterValue,
    PublishResults,
    StartAssessment,
    Submit,
)
from domain.dti.desk import PointOfView
from domain.dti.errors import (
    AssessmentExistsError,
    AssessmentNotFoundError,
    FrameworkVersionError,
    InvalidAssessmentError,
    NothingToPublishError,
)
from domain.dti.framework import GroupKind
from domain.dti.hcmc import SHIPPED
from domain.dti.results import GroupRescored, GroupResults
from domain.shared.clock import SimulatedClock, city_date
from domain.units.commands import MergeUnits
from projections.audit import AuditProjection
from projections.trail import describe
from projections.verify import verify
from readmodels.audit import AuditFilters
from readmodels.open import open_trail
from tests.builders import ADMIN, OFFICE, officer
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

D = Decimal
UNITS = ("SO-CT", "SO-TC", "SO-YT")
APPRAISER = officer("SO-KHCN")
PERIOD = 2023


def trial(version: int, weights: tuple[str, str, str]) -> str:
    """A small index of three components (a yes or no, a share, a count with two thresholds),
    worth ``weights``, appraised by the Department of Science and Technology."""
    yes, share, count = (D(w) for w in weights)
    document: dict[str, Any] = {
        "format": "thucthi-dti/1",
        "index": "thu-nghiem",
        "version": version,
        "period": PERIOD,
        "name_vi": "Bộ chỉ số thử nghiệm",
        "name_en": "A trial index",
        "decision": f"Quyết định {version}/QĐ-UBND",
        "appraiser": "SO-KHCN",
        "groups": [
            {
                "group": "departments",
                "name_vi": "Sở, ban, ngành",
                "name_en": "Departments",
                "pillars": [
                    {
                        "code": "P",
                        "name_vi": "Chung",
                        "name_en": "All",
                        "indicators": [
                            {
                                "code": "1",
                                "name_vi": "Chỉ số",
                                "name_en": "Indicator",
                                "components": [
                                    {
                                        "code": "A",
                                        "name_vi": "Có kế hoạch",
                                        "name_en": "A plan",
                                        "max_points": yes,
                                        "rule": {"kind": "yes_no"},
                                    },
                                    {
                                        "code": "B",
                                        "name_vi": "Tỷ lệ hồ sơ trực tuyến",
                                        "name_en": "Share filed online",
                                        "max_points": share,
                                        "rule": {"kind": "share"},
                                    },
                                    {
                                        "code": "C",
                                        "name_vi": "Số cuộc diễn tập",
                                        "name_en": "Drills",
                                        "max_points": count,
                                        "rule": {
                                            "kind": "thresholds",
                                            "steps": [
                                                {"at_least": 1, "points": count / 2},
                                                {"at_least": 3, "points": count},
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
    return json.dumps(document, default=float)


# Each unit's values: A (yes 1 or no 0), B (part of 100), C (drills).
REPORTED = {"SO-CT": ("1", "30", "3"), "SO-TC": ("0", "90", "1"), "SO-YT": ("1", "60", "0")}


def key(unit: str, version: int = 1, index: str = "thu-nghiem") -> str:
    return f"{index}~{version}~{PERIOD}~{unit}"


def assessed(app: Thucthi, units: tuple[str, ...] = UNITS, index: str = "thu-nghiem") -> None:
    """Each unit enters its values and submits; the appraising body completes the appraisal."""
    for unit in units:
        actor = officer(unit)
        app.dti.start(
            StartAssessment(index=index, version=1, period=PERIOD, unit=unit),
            actor=actor,
            request_id=f"start-{unit}",
        )
        for code, number in zip("ABC", REPORTED[unit], strict=True):
            entered = EnterValue(
                component=code, number=D(number), of=D(100) if code == "B" else None
            )
            app.dti.execute(
                entered, key(unit, index=index), actor=actor, request_id=f"{unit}-{code}"
            )
        app.dti.execute(Submit(), key(unit, index=index), actor=actor, request_id=f"submit-{unit}")
        app.dti.execute(
            CompleteAppraisal(), key(unit, index=index), actor=APPRAISER, request_id=f"ok-{unit}"
        )


def table(found: list[GroupResults]) -> list[tuple[str, int, int, Decimal, str]]:
    (group,) = found
    return [
        (
            s.assessment.unit,
            s.place.rank,
            s.place.shared_rank,
            s.place.card.total,
            s.place.card.band.code,
        )
        for s in group.standings
    ]


def test_rescoring_under_a_second_version_changes_the_ranks_as_worked_by_hand(
    app: Thucthi, clock: SimulatedClock
) -> None:
    """Version 1 is worth A 10, B 10, C 10 (out of 30, bands from 18 and 24); version 2 A 5,
    B 20, C 5. By hand, under version 1: SO-CT 10 + 3 + 10 = 23 (forming), SO-YT 10 + 6 + 0 = 16,
    SO-TC 0 + 9 + 5 = 14. Under version 2: SO-TC 0 + 18 + 2.5 = 20.5 (forming), SO-YT 5 + 12 + 0
    = 17, SO-CT 5 + 6 + 5 = 16: the first is last and the last is first."""
    app.dti.publish_framework(trial(1, ("10", "10", "10")), actor=OFFICE, request_id="v1")
    assessed(app)
    clock.advance(timedelta(days=30))
    app.dti.publish_framework(
        trial(2, ("5", "20", "5")), reason="Trọng số mới", actor=OFFICE, request_id="v2"
    )
    view = app.dti.point_of_view(None, None)
    own = app.dti.results("thu-nghiem", PERIOD, view=view, actor=OFFICE)
    assert table(own) == [
        ("SO-CT", 1, 1, D(23), "forming"),
        ("SO-YT", 2, 2, D(16), "starting"),
        ("SO-TC", 3, 3, D(14), "starting"),
    ]
    (again,) = app.dti.rescored("thu-nghiem", PERIOD, 2, view=view, actor=OFFICE)
    assert isinstance(again, GroupRescored)
    assert [
        (r.unit, r.was.rank, r.was.card.total, r.now.rank, r.now.card.total, r.now.card.band.code)
        for r in again.rows
    ] == [
        ("SO-TC", 3, D(14), 1, D("20.50"), "forming"),
        ("SO-YT", 2, D(16), 2, D(17), "starting"),
        ("SO-CT", 1, D(23), 3, D(16), "starting"),
    ]
    assert all(r.dropped == () and r.unanswered == () for r in again.rows)
    assert again.distribution_was == {"starting": 2, "forming": 1, "advanced": 0}
    assert again.distribution_now == {"starting": 2, "forming": 1, "advanced": 0}


def test_published_results_reproduce_exactly_after_a_later_correction(
    app: Thucthi, clock: SimulatedClock
) -> None:
    """Published on one day; corrected the next (SO-YT's drills, 0 → 3, lift it to the top
    with 10 + 6 + 10 = 26); asked again with the published day and position, the figures are
    the published ones, to the hundredth and the rank."""
    app.dti.publish_framework(trial(1, ("10", "10", "10")), actor=OFFICE, request_id="v1")
    assessed(app)
    published, at = app.dti.publish_results(
        PublishResults(index="thu-nghiem", version=1, period=PERIOD, reference="15/TB-UBND"),
        actor=OFFICE,
        request_id="publish",
    )
    assert published == [key(u) for u in sorted(UNITS)]
    asked = app.dti.point_of_view(None, None)
    assert asked.position == at
    before = app.dti.results("thu-nghiem", PERIOD, view=asked, actor=OFFICE)
    clock.advance(timedelta(days=1))
    corrected = CorrectValue(component="C", number=D(3), reason="Sai số liệu")
    app.dti.execute(corrected, key("SO-YT"), actor=OFFICE, request_id="fix")
    now = app.dti.results(
        "thu-nghiem", PERIOD, view=app.dti.point_of_view(None, None), actor=OFFICE
    )
    assert table(now)[0] == ("SO-YT", 1, 1, D(26), "advanced")
    again = app.dti.results("thu-nghiem", PERIOD, view=asked, actor=OFFICE)
    assert (
        table(again)
        == table(before)
        == [
            ("SO-CT", 1, 1, D(23), "forming"),
            ("SO-YT", 2, 2, D(16), "starting"),
            ("SO-TC", 3, 3, D(14), "starting"),
        ]
    )
    # A position past the head of the log is answered, and named, as the head.
    beyond = app.dti.point_of_view(asked.as_of, 10**12)
    assert beyond.position == app.max_notification_id()
    # The published day asked alone names the same position, and the same figures.
    by_day = app.dti.point_of_view(asked.as_of, None)
    assert by_day == asked
    # The day of the correction at the published position: the correction is not counted.
    later = PointOfView(asked.as_of + timedelta(days=1), asked.position, False)
    assert table(app.dti.results("thu-nghiem", PERIOD, view=later, actor=OFFICE)) == table(before)


def test_a_unit_sees_the_published_results_only_and_the_appraising_body_all(
    app: Thucthi,
) -> None:
    app.dti.publish_framework(trial(1, ("10", "10", "10")), actor=OFFICE, request_id="v1")
    assessed(app, ("SO-CT", "SO-TC"))
    app.dti.publish_results(
        PublishResults(index="thu-nghiem", version=1, period=PERIOD),
        actor=OFFICE,
        request_id="publish",
    )
    assessed(app, ("SO-YT",))
    view = app.dti.point_of_view(None, None)
    seen = app.dti.results("thu-nghiem", PERIOD, view=view, actor=officer("SO-NV"))
    assert [row[0] for row in table(seen)] == ["SO-CT", "SO-TC"]
    appraising = app.dti.results("thu-nghiem", PERIOD, view=view, actor=APPRAISER)
    assert [row[0] for row in table(appraising)] == ["SO-CT", "SO-YT", "SO-TC"]
    with pytest.raises(AssessmentNotFoundError):
        app.dti.get(key("SO-YT"), actor=officer("SO-NV"))
    assert app.dti.get(key("SO-YT"), actor=APPRAISER).unit == "SO-YT"


def test_a_revision_is_the_next_version_and_the_old_one_stays_as_published(
    app: Thucthi, clock: SimulatedClock
) -> None:
    first, at = app.dti.publish_framework(
        trial(1, ("10", "10", "10")), actor=OFFICE, request_id="v1"
    )
    with pytest.raises(FrameworkVersionError) as skipped:
        app.dti.publish_framework(trial(3, ("5", "20", "5")), actor=ADMIN, request_id="v3")
    assert skipped.value.values["expected"] == 2
    clock.advance(timedelta(days=1))
    second, _ = app.dti.publish_framework(trial(2, ("5", "20", "5")), actor=ADMIN, request_id="v2")
    assert app.dti.framework("thu-nghiem", 1).framework == first
    assert app.dti.framework("thu-nghiem").framework == second
    (index,) = app.dti.indices(at)
    assert index.latest == 1
    (now,) = app.dti.indices()
    assert [v.published_by for v in now.versions] == [OFFICE.user_id, ADMIN.user_id]
    assert now.versions[0].digest.startswith("sha256:")


def test_the_shipped_city_index_is_published_and_assessed_under_its_first_version(
    app: Thucthi,
) -> None:
    """The 2023 index (appraised by the Department of Information and Communications); a unit
    is started once per period, in its group (a district's People's Committee among the
    localities), not for a year to come, and the committee itself is not assessed."""
    for path in SHIPPED:
        app.dti.publish_framework(path.read_bytes(), actor=OFFICE, request_id=path.name)
    ct = officer("SO-CT")
    made, _ = app.dti.start(
        StartAssessment(index="hcm-dti", version=1, period=2023, unit="SO-CT"),
        actor=ct,
        request_id="a",
    )
    assert made == "hcm-dti~1~2023~SO-CT"
    with pytest.raises(AssessmentExistsError):
        app.dti.start(
            StartAssessment(index="hcm-dti", version=1, period=2023, unit="SO-CT"),
            actor=ct,
            request_id="b",
        )
    q1 = officer("UBND-Q1")
    district, _ = app.dti.start(
        StartAssessment(index="hcm-dti", version=1, period=2023, unit="UBND-Q1"),
        actor=q1,
        request_id="c",
    )
    assert app.dti.get(district).group is GroupKind.LOCALITIES
    this_year = city_date(app.clock.now()).year
    with pytest.raises(InvalidAssessmentError) as future:
        app.dti.start(
            StartAssessment(index="hcm-dti", version=1, period=this_year + 1, unit="SO-TC"),
            actor=officer("SO-TC"),
            request_id="d",
        )
    assert future.value.case == "period_future"
    with pytest.raises(InvalidAssessmentError) as committee:
        app.dti.start(
            StartAssessment(index="hcm-dti", version=1, period=2023, unit="UBND-TP"),
            actor=officer("UBND-TP"),
            request_id="e",
        )
    assert committee.value.case == "committee"


def test_the_heir_of_the_appraising_body_appraises_once_it_has_ended(
    app: Thucthi, clock: SimulatedClock
) -> None:
    """The 2023 index names the Department of Information and Communications; merged into the
    Department of Science and Technology, its appraisals are the latter's."""
    app.dti.publish_framework(SHIPPED[0].read_bytes(), actor=OFFICE, request_id="v1")
    ct = officer("SO-CT")
    made, _ = app.dti.start(
        StartAssessment(index="hcm-dti", version=1, period=2023, unit="SO-CT"),
        actor=ct,
        request_id="a",
    )
    app.dti.execute(
        EnterValue(component="6.1", number=D(8), of=D(10)), made, actor=ct, request_id="b"
    )
    app.dti.execute(Submit(), made, actor=ct, request_id="c")
    adjust = AdjustValue(component="6.4", number=D(9), of=D(10), reason="Đo từ hệ thống")
    app.dti.execute(adjust, made, actor=officer("SO-TTTT"), request_id="d")
    with pytest.raises(AssessmentNotFoundError):  # not theirs to see yet
        app.dti.execute(adjust, made, actor=APPRAISER, request_id="e")
    app.reorganise(
        MergeUnits(predecessors=("SO-TTTT",), successor="SO-KHCN", basis="Nghị quyết HĐND"),
        actor=ADMIN,
        request_id="merge",
    )
    with pytest.raises(AssessmentNotFoundError):
        app.dti.execute(adjust, made, actor=officer("SO-TTTT"), request_id="f")
    app.dti.execute(CompleteAppraisal(), made, actor=APPRAISER, request_id="g")
    # 6.1: 80% of 20 = 16; 6.4 (measured, set by the appraisal): 90% of 15 = 13.5.
    view = app.dti.point_of_view(None, None)
    (departments,) = app.dti.results("hcm-dti", 2023, view=view, actor=OFFICE)
    assert departments.standings[0].place.card.total == D("29.50")
    with pytest.raises(NothingToPublishError):
        app.dti.publish_results(
            PublishResults(index="hcm-dti", version=1, period=2024),
            actor=OFFICE,
            request_id="h",
        )


def test_the_year_before_is_set_beside_each_unit(app: Thucthi, clock: SimulatedClock) -> None:
    """SO-CT scored 23 of 30 in 2023 (forming) and, its plan and one drill reported, 10 + 5 =
    15 in 2024: 8 points down."""
    app.dti.publish_framework(trial(1, ("10", "10", "10")), actor=OFFICE, request_id="v1")
    assessed(app, ("SO-CT",))
    ct = officer("SO-CT")
    later = f"thu-nghiem~1~{PERIOD + 1}~SO-CT"
    app.dti.start(
        StartAssessment(index="thu-nghiem", version=1, period=PERIOD + 1, unit="SO-CT"),
        actor=ct,
        request_id="s",
    )
    app.dti.execute(EnterValue(component="A", number=D(1)), later, actor=ct, request_id="a")
    app.dti.execute(EnterValue(component="C", number=D(1)), later, actor=ct, request_id="c")
    view = app.dti.point_of_view(None, None)
    (group,) = app.dti.results("thu-nghiem", PERIOD + 1, view=view, actor=OFFICE)
    previous = group.standings[0].previous
    assert previous is not None
    assert (previous.period, previous.card.total, group.standings[0].place.card.total) == (
        PERIOD,
        D(23),
        D(15),
    )
    assert (previous.change.points, previous.change.band_before) == (D(-8), "forming")


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_the_index_is_in_the_audit_trail_which_still_verifies(backend: str, tmp_path: Path) -> None:
    """Each step of an assessment names its actor and request and says what it did in both
    languages; the log with them verifies against the trail and its checkpoint."""
    with ExitStack() as stack:
        url = (
            f"sqlite:///{tmp_path / 'dti.db'}"
            if backend == "sqlite"
            else stack.enter_context(fresh_schema(require_server()))
        )
        app = open_application(parse_database_url(url), clock=SimulatedClock(START))
        stack.callback(app.close)
        app.open_unit_registry()
        app.dti.publish_framework(trial(1, ("10", "10", "10")), actor=OFFICE, request_id="v1")
        assessed(app, ("SO-CT",))
        store = open_trail(app)
        signer = Signer("dti.test/log", Ed25519PrivateKey.generate())
        projection = AuditProjection(app, store, signer, every=100)
        projection.catch_up(batch_size=50)
        assert projection.sign_now() is not None
        entries = store.entries(AuditFilters(actor="so-ct.canbo"), limit=500)
        shown = describe(app, store, entries)
        assert [s.action for s in shown][:2] == ["Started", "ValueEntered"]
        assert shown[0].vi.startswith("Sở Công Thương mở kỳ tự đánh giá năm 2023")
        assert shown[1].en.endswith("entered A: 1")
        report = verify(app, store, origin=signer.origin, public_key=signer.public_key)
        assert report.ok

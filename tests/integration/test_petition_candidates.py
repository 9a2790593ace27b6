"""The candidate search of issue 26 through its store, on SQLite and PostgreSQL: the store is
written by the oversight projection once per event whatever fails, and rebuilt alike; the
retrieval finds earlier filings by a mistyped identification number, by a parcel worded
another way and by content typed without accents; and a denouncer's identity never crosses
to another agency."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql

from adapters.database import open_application, parse_database_url
from domain.application import Thucthi
from domain.petitions.commands import (
    Accept,
    Classify,
    PetitionerGiven,
    PublishResult,
    ReceivePetition,
    Resolve,
)
from domain.petitions.duplicates import filed_text, subject_keys
from domain.petitions.errors import NotHandlerError, NotOurAgencyError, PetitionNotFoundError
from domain.petitions.petition import Competence, Field, Kind, Petition, Verdict
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from projections.oversight import OversightProjection, catch_up
from projections.runner import rebuild
from readmodels.open import OversightView, open_candidates, open_view
from readmodels.postgres import PostgresOversightView
from readmodels.sqlite import SQLiteOversightView
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

BACKENDS = ["sqlite", "postgres"]
A, B = "SO-XD", "UBND-Q1"
RECEPTION_A = Actor("soxd.tiepdan", Role.RECEPTION, A)
HEAD_A = Actor("soxd.giamdoc", Role.AGENCY_HEAD, A)
HANDLER_A = Actor("soxd.chuyenvien", Role.DEPARTMENT, A)
COLLEAGUE_A = Actor("soxd.chuyenvien2", Role.DEPARTMENT, A)
RECEPTION_B = Actor("q1.tiepdan", Role.RECEPTION, B)
INSPECTOR = Actor("thanhtra.1", Role.INSPECTOR)
OFFICE = Actor("office.vp", Role.OFFICE)

AN = PetitionerGiven(
    full_name="Nguyễn Văn An",
    id_number="079085001234",
    address="số 7 đường Trần Hưng Đạo, Phường 7, Quận 5, Thành phố Hồ Chí Minh",
)
# The same person, the number mistyped (two digits swapped) and the address shortened.
AN_TYPO = PetitionerGiven(
    full_name="Nguyen Van An", id_number="079085002134", address="7 Trần Hưng Đạo, P.7, Q.5"
)
BINH = PetitionerGiven(
    full_name="Trần Thị Bình",
    id_number="079190004321",
    address="45 Nguyễn Trãi, phường Chợ Quán, Thành phố Hồ Chí Minh",
)
CUONG = PetitionerGiven(full_name="Lê Quốc Cường", address="88 Hai Bà Trưng, Quận 1")

LAND = (
    "Tôi khiếu nại Quyết định số 1234/QĐ-UBND ngày 12/3/2024 của Chủ tịch Ủy ban nhân dân "
    "Quận 5 về việc buộc tháo dỡ phần nhà trên thửa đất số 45, tờ bản đồ số 12, phường 7. "
    "Gia đình tôi ở ổn định từ năm 1992, không tranh chấp. Đề nghị hủy quyết định."
)
LAND_AGAIN = (
    "Toi khieu nai Quyet dinh so 1234/QD-UBND ngay 12/3/2024 cua Chu tich UBND Q.5 ve viec "
    "buoc thao do phan nha tren thua 45 to 12, P.7. Gia dinh toi o on dinh tu nam 1992, khong "
    "tranh chap. De nghi huy quyet dinh nay."
)
# One parcel, told another way, among words of another kind of petition.
PARCEL_FIRST = (
    "Phản ánh việc đổ đất lấn chiếm hành lang kênh tại thửa đất số 318, tờ bản đồ số 27, "
    "phường Bình Hưng Hòa, gây ngập úng cho các hộ dân xung quanh vào mùa mưa."
)
PARCEL_AGAIN = (
    "Tôi đã phản ánh nhưng chưa được giải quyết: việc đổ đất lấn chiếm hành lang kênh tại TBĐ "
    "27 thửa 318, phường Bình Hưng Hòa, gây ngập úng cho các hộ dân xung quanh vào mùa mưa."
)
DENUNCIATION = (
    "Tôi tố cáo cán bộ địa chính phường Bến Thành nhận tiền của người dân khi làm hồ sơ "
    "đăng ký biến động đất đai, mỗi hồ sơ từ 5 đến 10 triệu đồng, có ghi âm làm bằng chứng."
)
DENOUNCED = "Tố cáo cán bộ địa chính phường Bến Thành nhận tiền khi làm hồ sơ"
UNRELATED = (
    "Đề nghị xem xét chế độ trợ cấp xã hội hằng tháng cho người cao tuổi không có lương hưu, "
    "hồ sơ đã nộp từ tháng 4 mà chưa được trả lời."
)
# Other agencies' filings of other matters, so that a word's weight means something.
BACKGROUND = (
    "Phản ánh quán karaoke tại số 21 đường Phạm Thế Hiển, Phường 4, Quận 8 mở loa công suất "
    "lớn đến 1 giờ đêm, đề nghị kiểm tra và xử phạt.",
    "Kiến nghị giải quyết hồ sơ đăng ký biến động đất đai nộp tại Ủy ban nhân dân phường Thảo "
    "Điền từ tháng 2 đến nay chưa có kết quả.",
    "Phản ánh công trình tại số 9 đường Quang Trung, Phường 10, quận Gò Vấp xây vượt phép lên "
    "5 tầng, đổ vật liệu ra lòng đường.",
    "Khiếu nại Quyết định số 88/QĐ-UBND ngày 2/5/2025 về bồi thường khi thu hồi đất thực hiện "
    "dự án nâng cấp Quốc lộ 50, đề nghị tính lại giá đất ở.",
    "Đề nghị hỗ trợ hộ cận nghèo cho gia đình bà Lâm Thị Yến, hồ sơ nộp tháng 6 tại xã Bình "
    "Hưng chưa được trả lời.",
)
# Words that no other text here holds.
NOTHING_ALIKE = "Báo mất giấy tờ nhà vì hỏa hoạn năm ngoái"


class Receipts:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, day: object) -> str:
        self.n += 1
        return f"2024-TEST{self.n:04d}"


@contextmanager
def searching(kind: str, tmp_path: Path) -> Iterator[tuple[Thucthi, OversightView]]:
    """An application whose desk searches the view's candidate store, and that view."""
    clock = SimulatedClock(START)

    def opened(url: str) -> Thucthi:
        app = open_application(parse_database_url(url), clock=clock, candidates=open_candidates)
        app.open_unit_registry()
        app.petitions.receipts = Receipts()
        return app

    if kind == "sqlite":
        app = opened(f"sqlite:///{tmp_path / 'candidates.db'}")
        background(app)
        try:
            yield app, open_view(app)
        finally:
            app.close()
        return
    with fresh_schema(require_server()) as url:
        app = opened(url)
        background(app)
        try:
            yield app, open_view(app)
        finally:
            app.close()


def background(app: Thucthi) -> None:
    for n, text in enumerate(BACKGROUND):
        person = PetitionerGiven(full_name=f"Võ Thị Mai {n}", address=f"{n} Lê Lợi, Quận 1")
        receive(app, text, petitioners=(person,), actor=RECEPTION_B)


def receive(
    app: Thucthi,
    content: str,
    *,
    petitioners: tuple[PetitionerGiven, ...] = (AN,),
    actor: Actor = RECEPTION_A,
    subject: str = "",
) -> str:
    receipt, _ = app.petitions.receive(
        ReceivePetition(
            agency=actor.unit or A, petitioners=petitioners, content=content, subject=subject
        ),
        actor=actor,
        request_id="req",
    )
    return receipt


def classify(app: Thucthi, receipt: str, kind: Kind, actor: Actor = RECEPTION_A) -> None:
    app.petitions.execute(
        Classify(kind=kind, field=Field.LAND, competence=Competence.OURS),
        receipt,
        actor=actor,
        request_id="req",
    )


def project(app: Thucthi, view: OversightView, batch_size: int = 100) -> None:
    catch_up(app, OversightProjection(view), batch_size=batch_size)


def reasons(found: list[Any], receipt: str) -> set[str]:
    return {r.key for c in found if c.receipt == receipt for r in c.reasons}


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_mistyped_id_number_finds_the_earlier_filing_and_says_so(
    kind: str, tmp_path: Path
) -> None:
    """The later filing's number has two digits swapped: the vault's hashes of its number and
    of the 119 one typo away find the earlier petitioner, whose filing is shown first with the
    reason "one typo"."""
    with searching(kind, tmp_path) as (app, view):
        earlier = receive(app, LAND)
        receive(app, UNRELATED, petitioners=(BINH,))
        later = receive(app, LAND_AGAIN, petitioners=(AN_TYPO,))
        project(app, view)
        found = app.petitions.candidates(later, actor=RECEPTION_A)
        assert [c.receipt for c in found][:1] == [earlier]
        assert "match.id.one_typo" in reasons(found, earlier)
        assert later not in {c.receipt for c in found}


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_id_arm_alone_retrieves_a_filing_that_shares_no_word_and_no_key(
    kind: str, tmp_path: Path
) -> None:
    """Retrieval by the number only: a filing of the same person about something else is
    fetched (and then not shown: the person's signals alone stay below the threshold)."""
    with searching(kind, tmp_path) as (app, view):
        earlier = receive(app, UNRELATED)
        later = receive(app, PARCEL_FIRST, petitioners=(AN_TYPO,))
        project(app, view)
        search = app.petitions.duplicates
        petition = app.petitions.get(later)
        query = search.query(later, petition.content, petition.subject, [_person(AN_TYPO)])
        retrieved = search.retrieve(query, viewer=RECEPTION_A, exclude=petition.id)
        assert earlier in {f.receipt for f in retrieved.filings}
        every = search.ranked(query, retrieved, RECEPTION_A, every=True)
        scored = next(f for f in every if f.filing.receipt == earlier)
        assert scored.signals["id"] == pytest.approx(0.8)
        assert scored.score < 0.5
        assert app.petitions.candidates(later, actor=RECEPTION_A) == []


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_parcel_in_two_wordings_is_one_subject_key(kind: str, tmp_path: Path) -> None:
    """ "thửa đất số 318, tờ bản đồ số 27" and "TBĐ 27 thửa 318" are the key p:27/318, by which
    the earlier filing of another petitioner is found and shown with the parcel as reason."""
    with searching(kind, tmp_path) as (app, view):
        earlier = receive(app, PARCEL_FIRST, petitioners=(CUONG,))
        receive(app, LAND, petitioners=(BINH,))
        later = receive(app, PARCEL_AGAIN, petitioners=(BINH,))
        project(app, view)
        found = app.petitions.candidates(later, actor=RECEPTION_A)
        assert earlier in {c.receipt for c in found}
        parcel = [r for c in found if c.receipt == earlier for r in c.reasons if r.case == "parcel"]
        assert parcel[0].values == (("parcel", "318"), ("sheet", "27"))


@pytest.mark.parametrize("kind", BACKENDS)
def test_content_typed_without_accents_finds_the_accented_filing_of_another_person(
    kind: str, tmp_path: Path
) -> None:
    """No number, another name: the words alone (folded, abbreviations written out) find it."""
    with searching(kind, tmp_path) as (app, view):
        earlier = receive(app, LAND, petitioners=(BINH,))
        receive(app, PARCEL_FIRST, petitioners=(CUONG,))
        receive(app, UNRELATED, petitioners=(CUONG,))
        project(app, view)
        command = ReceivePetition(agency=A, petitioners=(CUONG,), content=LAND_AGAIN)
        found = app.petitions.candidates_for(command, actor=RECEPTION_A)
        assert [c.receipt for c in found][:1] == [earlier]
        assert "match.content.similar" in reasons(found, earlier)


@pytest.mark.parametrize("kind", BACKENDS)
def test_a_denouncers_identity_never_crosses_to_another_agency(kind: str, tmp_path: Path) -> None:
    """A denunciation held by agency A, found from agency B: its receipt, agency, day and
    status are shown, its score and reasons use only what it says (no number, name or address,
    though the same person filed both), and its result is not shown before it is published.
    The reception of A, which holds it, is told the person is the same."""
    with searching(kind, tmp_path) as (app, view):
        denounced = receive(app, DENUNCIATION, subject=DENOUNCED)
        classify(app, denounced, Kind.DENUNCIATION)
        app.petitions.execute(
            Accept(handler=HANDLER_A.user_id), denounced, actor=HEAD_A, request_id="req"
        )
        app.petitions.execute(
            Resolve(verdict=Verdict.RIGHT, summary="Tố cáo đúng, đã xử lý kỷ luật cán bộ."),
            denounced,
            actor=HEAD_A,
            request_id="req",
        )
        project(app, view)
        command_b = ReceivePetition(
            agency=B, petitioners=(AN,), content=DENUNCIATION, subject=DENOUNCED
        )
        from_b = app.petitions.candidates_for(command_b, actor=RECEPTION_B)
        command_a = ReceivePetition(
            agency=A, petitioners=(AN,), content=DENUNCIATION, subject=DENOUNCED
        )
        from_a = app.petitions.candidates_for(command_a, actor=RECEPTION_A)
        seen_b = next(c for c in from_b if c.receipt == denounced)
        seen_a = next(c for c in from_a if c.receipt == denounced)
        assert {r.signal for r in seen_b.reasons} <= {"content", "subject"}
        assert {"match.id.exact", "match.name.same"} <= {r.key for r in seen_a.reasons}
        assert seen_b.score < seen_a.score
        assert (seen_b.agency, seen_b.status.value) == (A, "resolved")
        assert seen_b.result is None
        assert seen_a.result == "Tố cáo đúng, đã xử lý kỷ luật cán bộ."
        assert not _shows_a_person(from_b)
        app.petitions.execute(PublishResult(), denounced, actor=HEAD_A, request_id="req")
        project(app, view)
        published = app.petitions.candidates_for(command_b, actor=RECEPTION_B)
        assert next(c for c in published if c.receipt == denounced).result is not None


@pytest.mark.parametrize("kind", BACKENDS)
def test_an_unclassified_petition_elsewhere_is_found_by_its_words_not_by_its_petitioner(
    kind: str, tmp_path: Path
) -> None:
    """Not yet classified, a petition may be a denunciation: until it is, another agency's
    search neither retrieves it by the number nor scores its petitioner."""
    with searching(kind, tmp_path) as (app, view):
        held_by_a = receive(app, UNRELATED)
        project(app, view)
        search = app.petitions.duplicates
        query = search.query("", NOTHING_ALIKE, "", [_person(AN)])
        from_b = search.retrieve(query, viewer=RECEPTION_B)
        from_a = search.retrieve(query, viewer=RECEPTION_A)
        assert held_by_a not in {f.receipt for f in from_b.filings}
        assert held_by_a in {f.receipt for f in from_a.filings}


@pytest.mark.parametrize("kind", BACKENDS)
def test_an_inspector_searching_from_a_denunciation_does_not_use_its_denouncer(
    kind: str, tmp_path: Path
) -> None:
    """The inspectorate may not see who denounced: the denunciation's own petitioner is not
    compared, so no candidate tells the inspector that the denouncer filed it too."""
    with searching(kind, tmp_path) as (app, view):
        complaint = receive(app, LAND)
        classify(app, complaint, Kind.COMPLAINT)
        denounced = receive(app, LAND_AGAIN)
        classify(app, denounced, Kind.DENUNCIATION)
        project(app, view)
        by_inspector = app.petitions.candidates(denounced, actor=INSPECTOR)
        by_reception = app.petitions.candidates(denounced, actor=RECEPTION_A)
        assert complaint in {c.receipt for c in by_inspector}
        assert not {r.signal for c in by_inspector for r in c.reasons} & {"id", "name", "address"}
        assert "match.id.exact" in reasons(by_reception, complaint)


@pytest.mark.parametrize("kind", BACKENDS)
def test_who_may_ask_for_a_petitions_candidates(kind: str, tmp_path: Path) -> None:
    """The holding agency's reception, head and handling officer, the inspectorate and the
    Office; another officer of the agency is refused, another agency does not see it."""
    with searching(kind, tmp_path) as (app, view):
        receipt = receive(app, LAND)
        classify(app, receipt, Kind.COMPLAINT)
        app.petitions.execute(
            Accept(handler=HANDLER_A.user_id), receipt, actor=HEAD_A, request_id="req"
        )
        project(app, view)
        for actor in (RECEPTION_A, HEAD_A, HANDLER_A, INSPECTOR, OFFICE):
            assert app.petitions.candidates(receipt, actor=actor) == []
        with pytest.raises(NotHandlerError):
            app.petitions.candidates(receipt, actor=COLLEAGUE_A)
        with pytest.raises(PetitionNotFoundError):
            app.petitions.candidates(receipt, actor=RECEPTION_B)
        with pytest.raises(NotOurAgencyError):
            app.petitions.candidates_for(
                ReceivePetition(agency=A, petitioners=(AN,), content=LAND), actor=RECEPTION_B
            )


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_store_is_written_once_per_event_whatever_fails_and_a_rebuild_gives_it_again(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The candidate store is written in the view's transaction with its tracking position: a
    batch that fails half written (after the candidates' rows) is written again whole, once;
    its word counts are those of the received petitions, counted once; a rebuild gives the
    same rows."""
    with searching(kind, tmp_path) as (app, view):
        texts = [LAND, LAND_AGAIN, PARCEL_FIRST, PARCEL_AGAIN, DENUNCIATION, UNRELATED] * 3
        for n, text in enumerate(texts):
            receipt = receive(app, text, petitioners=((AN, BINH, CUONG)[n % 3],))
            if n % 4 == 0:
                classify(app, receipt, Kind.PROPOSAL)
        written: Any = type(view.candidates)
        write = written.write
        calls = {"n": 0}

        def fails_the_third_time(self: object, c: object, changes: object) -> None:
            calls["n"] += 1
            write(self, c, changes)
            if calls["n"] == 3:
                raise ConnectionError("the connection went away mid-batch")

        monkeypatch.setattr(written, "write", fails_the_third_time)
        with pytest.raises(ConnectionError):
            catch_up(app, OversightProjection(view), batch_size=4)
        assert 0 < view.position() < app.max_notification_id()
        monkeypatch.setattr(written, "write", write)
        project(app, view, batch_size=4)
        project(app, view, batch_size=4)  # nothing left: nothing again
        rows = candidate_rows(view)
        received = [e for _, e in _events(app) if isinstance(e, Petition.Received)]
        filed = [filed_text(e.originator_id, e.receipt, e.content, e.subject, ()) for e in received]
        counted: Counter[str] = Counter()
        for f in filed:
            counted.update(set(f.words.split()))
        counted[""] = len(filed)
        assert {w: int(n) for w, n in rows["words"]} == dict(counted)
        assert sorted(k for k, _ in rows["keys"]) == sorted(
            k for f in filed for k in subject_keys(f.subject)
        )
        assert len(rows["candidates"]) == len(texts) + len(BACKGROUND)
        assert {r[4] for r in rows["candidates"]} == {"received", "classified"}
        rebuild(app, batch_size=5, workers=1)
        assert candidate_rows(open_view(app)) == rows


def candidate_rows(view: OversightView) -> dict[str, list[tuple[str, ...]]]:
    """The candidate store's rows, as text, sorted."""
    names = {
        "candidates": "candidates",
        "keys": "candidate_keys",
        "persons": "candidate_persons",
        "words": "candidate_words",
    }
    out: dict[str, list[tuple[str, ...]]] = {}
    if isinstance(view, PostgresOversightView):
        with view.datastore.transaction(commit=False) as c:
            for key, table in names.items():
                columns = "*" if key != "candidates" else ", ".join(_CANDIDATE_COLUMNS)
                c.execute(sql.SQL(f"SELECT {columns} FROM {{}}").format(view.table(table)))  # noqa: S608
                out[key] = sorted(_texts(r.values()) for r in c.fetchall())
    else:
        assert isinstance(view, SQLiteOversightView)
        with view.datastore.transaction(commit=False) as s:
            for key, table in names.items():
                columns = "*" if key != "candidates" else ", ".join(_CANDIDATE_COLUMNS)
                s.execute(f"SELECT {columns} FROM {view.table(table)}")  # noqa: S608
                out[key] = sorted(_texts(tuple(r)) for r in s.fetchall())
    return out


_CANDIDATE_COLUMNS = (
    "petition_id", "receipt", "agency", "received_on", "status", "kind", "result", "published",
    "words", "registered", "subject", "persons",
)  # fmt: skip


def _texts(values: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _events(app: Thucthi) -> list[tuple[int, Any]]:
    notifications = app.recorder.select_notifications(start=1, limit=10**9)
    return [(n.id, app.mapper.to_domain_event(n)) for n in notifications]


def _person(given: PetitionerGiven) -> Any:
    from domain.shared.personal import Person  # noqa: PLC0415

    return Person(full_name=given.full_name, id_number=given.id_number, address=given.address)


def _shows_a_person(found: list[Any]) -> bool:
    """Whether any reason's values say a petitioner's name, number or address."""
    said = " ".join(v for c in found for r in c.reasons for _, v in r.values).lower()
    return any(
        part.lower() in said
        for p in (AN, BINH, CUONG)
        for part in (p.full_name, p.id_number or "-", p.address.split(",")[0])
    )

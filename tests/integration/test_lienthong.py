"""The national record (liên thông, Nghị định 55/2022) on SQLite and PostgreSQL: a case exported
from one database arrives in another with its content and its petitioners sealed; exports follow
one another by log position, each step once and in order; each batch names the signed
checkpoint that covers it; a denouncer is named in no record; an import taken twice records
nothing new."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.database import open_application, parse_database_url
from adapters.signing import Signer
from domain.application import Thucthi
from domain.petitions.commands import (
    Accept,
    Archive,
    Classify,
    Extend,
    Guide,
    HoldDialogue,
    NotAccept,
    PetitionerGiven,
    PublishResult,
    ReceivePetition,
    RecordVerification,
    Resolve,
    Transfer,
    WithdrawPetition,
)
from domain.petitions.inbound import Imported, Outcome, Refused, import_cases
from domain.petitions.law import ArchiveGround, NotAcceptedGround
from domain.petitions.national import Identity, InboundCase, inbound_cases, read_record
from domain.petitions.petition import Channel, Competence, Field, Kind, Verdict
from domain.shared.clock import SimulatedClock
from domain.shared.notes import open_checkpoint
from domain.shared.ordering import folded
from domain.shared.personal import Person
from projections.audit import AuditProjection
from projections.lienthong import Batch, export_batch
from readmodels.audit import AuditStore
from readmodels.open import open_trail
from tests.petition_builders import (
    HANDLER,
    HEAD,
    MONDAY,
    NGUYEN,
    OTHER_HEAD,
    OTHER_RECEPTION,
    RECEPTION,
    TRAN,
    Receipts,
)
from tests.postgres import fresh_schema, require_server

SOURCE = "nguon.thucthi.test/log"  # the exporting system
TARGET = "dich.thucthi.test/log"  # the importing one
KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
SIGNER = Signer(SOURCE, Ed25519PrivateKey.generate())

# The denouncer of the scenario: her particulars are written into the texts of her case too.
DENOUNCER = PetitionerGiven(
    full_name="Lê Thị Hồng Nhung",
    id_number="079187005566",
    address="88 Trần Quốc Thảo, Phường 7, Quận 3",
    phone="0977123123",
)


@dataclass
class Side:
    app: Thucthi
    trail: AuditStore
    clock: SimulatedClock

    def sign(self) -> None:
        """Bring the trail up to the head and sign a checkpoint of it."""
        assert AuditProjection(self.app, self.trail, SIGNER).sign_now() is not None

    def export(self, after: int = 0, limit: int = 10_000) -> Batch:
        return export_batch(self.app, self.trail, after=after, limit=limit, source=SOURCE)


@contextmanager
def side(kind: str, tmp_path: Path, name: str) -> Iterator[Side]:
    """A fresh database of that kind, with the city's units and receipts drawn in order."""

    @contextmanager
    def url() -> Iterator[str]:
        if kind == "sqlite":
            yield f"sqlite:///{tmp_path / (name + '.db')}"
        else:
            with fresh_schema(require_server()) as made:
                yield made

    with url() as database_url:
        clock = SimulatedClock(MONDAY)
        app = open_application(parse_database_url(database_url), clock=clock)
        try:
            app.open_unit_registry()
            app.petitions.receipts = Receipts()
            yield Side(app, open_trail(app), clock)
        finally:
            app.close()


def _receive(s: Side, *people: PetitionerGiven, **fields: Any) -> str:
    fields.setdefault("agency", "SO-XD")
    fields.setdefault("content", "Khiếu nại Quyết định số 123/QĐ-UBND thu hồi đất thửa 45, tờ 12.")
    receipt, _ = s.app.petitions.receive(
        ReceivePetition(petitioners=people, **fields),
        actor=RECEPTION,
        request_id="r-receive",
    )
    s.clock.advance(timedelta(minutes=7))
    return receipt


def _run(s: Side, receipt: str, *steps: tuple[Any, Any]) -> None:
    for command, actor in steps:
        s.app.petitions.execute(command, receipt, actor=actor, request_id="r-step")
        s.clock.advance(timedelta(minutes=7))


def _classify(kind: Kind, competence: Competence = Competence.OURS) -> Classify:
    return Classify(kind=kind, field=Field.LAND, competence=competence)


def scenario(s: Side) -> dict[str, str]:
    """A year's worth of outcomes in a few cases: handled to a published result, a denunciation
    that names its denouncer in its texts, a mixed petition, an anonymous one archived, one
    guided, one transferred within the city and handled there, one transferred outside, one
    withdrawn before a decision, one not accepted, one of many signers."""
    made: dict[str, str] = {}
    made["complaint"] = r = _receive(s, NGUYEN, decision_known_on=MONDAY.date())
    _run(
        s,
        r,
        (_classify(Kind.COMPLAINT), RECEPTION),
        (Accept(handler=HANDLER.user_id), HEAD),
        (RecordVerification(summary="Đã xác minh hồ sơ thu hồi đất."), HANDLER),
        (HoldDialogue(held_on=MONDAY.date(), summary="Đối thoại với người khiếu nại."), HANDLER),
        (Extend(reason="Vụ việc phức tạp."), HEAD),
        (Resolve(verdict=Verdict.PARTLY_RIGHT, summary="Khiếu nại đúng một phần.",
                 decision_reference="45/QĐ-SXD"), HEAD),
        (PublishResult(), HEAD),
    )  # fmt: skip
    made["denunciation"] = r = _receive(
        s,
        DENOUNCER,
        content=(
            "Tôi là Lê Thị Hồng Nhung, CCCD 079187005566, ở 88 Trần Quốc Thảo, Phường 7, Quận 3, "
            "điện thoại 0977123123, tố cáo cán bộ địa chính phường nhận tiền để hợp thức hóa "
            "thửa đất số 12, tờ bản đồ số 4."
        ),
        subject="Cán bộ địa chính Phường 7",
    )
    _run(
        s,
        r,
        (_classify(Kind.DENUNCIATION), RECEPTION),
        (Accept(handler=HANDLER.user_id), HEAD),
        (RecordVerification(summary="Đã làm việc với bà LE THI HONG NHUNG (0977 123 123)."),
         HANDLER),
        (Resolve(verdict=Verdict.PARTLY_RIGHT,
                 summary="Nội dung bà Le Thi Hong Nhung tố cáo đúng một phần."), HEAD),
    )  # fmt: skip
    made["mixed"] = r = _receive(s, DENOUNCER, content="Vừa khiếu nại vừa tố cáo.")
    _run(s, r, (_classify(Kind.MIXED), RECEPTION), (Accept(handler=HANDLER.user_id), HEAD))
    made["anonymous"] = r = _receive(s, anonymous=True, content="Tố cáo nặc danh, không chứng cứ.")
    _run(
        s,
        r,
        (_classify(Kind.DENUNCIATION), RECEPTION),
        (Archive(ground=ArchiveGround.ANONYMOUS), HEAD),
    )
    made["guided"] = r = _receive(s, TRAN, content="Kiến nghị về tranh chấp hợp đồng thuê nhà.")
    _run(
        s,
        r,
        (_classify(Kind.PROPOSAL, Competence.OUTSIDE_CITY), RECEPTION),
        (Guide(body="Tòa án nhân dân Quận 3"), HEAD),
    )
    made["moved"] = r = _receive(s, TRAN, content="Phản ánh tiếng ồn karaoke ở Quận 1.")
    _run(
        s,
        r,
        (_classify(Kind.PROPOSAL, Competence.CITY_AGENCY), RECEPTION),
        (Transfer(to_agency="UBND-Q1"), HEAD),
        (_classify(Kind.PROPOSAL), OTHER_RECEPTION),
        (Accept(handler="ubnd-q1.canbo"), OTHER_HEAD),
    )
    made["outside"] = r = _receive(s, NGUYEN, content="Khiếu nại quyết định của UBND tỉnh khác.")
    _run(
        s,
        r,
        (_classify(Kind.COMPLAINT, Competence.OUTSIDE_CITY), RECEPTION),
        (Transfer(body="Ủy ban nhân dân tỉnh Bình Dương"), HEAD),
    )
    made["answered"] = r = _receive(s, TRAN, content="Kiến nghị đã được trả lời trước đây.")
    _run(
        s,
        r,
        (_classify(Kind.PROPOSAL), RECEPTION),
        (Archive(ground=ArchiveGround.ALREADY_ANSWERED), HEAD),
    )
    made["withdrawn"] = r = _receive(s, TRAN, content="Kiến nghị cấp lại sổ hồng.")
    _run(s, r, (WithdrawPetition(reason="Người dân xin rút đơn."), RECEPTION))
    made["refused"] = r = _receive(s, NGUYEN, content="Khiếu nại không ký tên.")
    _run(
        s,
        r,
        (_classify(Kind.COMPLAINT), RECEPTION),
        (NotAccept(ground=NotAcceptedGround.UNSIGNED), HEAD),
    )
    signers = tuple(
        replace(NGUYEN, full_name=f"Người ký {n}", id_number=f"07908500{n:04d}") for n in range(5)
    )
    made["many"] = r = _receive(s, *signers, content="Đơn tập thể phản ánh ô nhiễm.", signers=7)
    _run(s, r, (_classify(Kind.PROPOSAL), RECEPTION), (Accept(handler=HANDLER.user_id), HEAD))
    return made


def steps_of(batch: Batch) -> list[tuple[str, int]]:
    return [(r["case_id"], r["case_version"]) for r in batch.records]


# --- the export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_export_holds_every_step_after_each_decision_in_log_order(
    kind: str, tmp_path: Path
) -> None:
    """A case enters the record with its decision (its receipt and classification with it), and
    every later step follows; the records run in log order and each names the step it is."""
    with side(kind, tmp_path, "source") as s:
        made = scenario(s)
        s.sign()
        batch = s.export()
        positions = [r["position"] for r in batch.records]
        assert positions == sorted(positions)
        assert len(set(positions)) == len(positions)
        by_case: dict[str, list[str]] = {}
        for r in batch.records:
            by_case.setdefault(r["case_id"], []).append(r["step"])
        assert by_case[made["complaint"]] == [
            "accepted", "verified", "dialogue_held", "extended", "resolved", "result_published",
        ]  # fmt: skip
        assert by_case[made["moved"]] == ["transferred", "classified", "accepted"]
        assert by_case[made["withdrawn"]] == ["withdrawn"]
        assert by_case[made["guided"]] == ["guided"]
        assert by_case[made["refused"]] == ["not_accepted"]
        first = {r["case_id"]: r for r in reversed(batch.records)}
        assert all("case" in first[c] for c in by_case)
        assert sum("case" in r for r in batch.records) == len(by_case)
        complaint = first[made["complaint"]]["case"]
        assert complaint["petitioners"] == [
            {"full_name": NGUYEN.full_name, "address": NGUYEN.address}
        ]
        assert complaint["channel"] == "in_person"
        assert complaint["identity"] == "given"
        last = {r["case_id"]: r for r in batch.records}
        assert last[made["complaint"]]["state"]["result"]["verdict"] == "partly_right"
        assert last[made["complaint"]]["state"]["result"]["published_on"] is not None
        assert last[made["anonymous"]]["state"]["can_be_processed"] is False
        assert last[made["answered"]]["state"]["can_be_processed"] is True
        assert last[made["guided"]]["state"]["can_be_processed"] is True
        assert last[made["withdrawn"]]["state"]["can_be_processed"] is None
        assert last[made["outside"]]["state"]["transfer_target"] == {
            "agency": None,
            "name": "Ủy ban nhân dân tỉnh Bình Dương",
            "category": "administrative",
        }
        assert last[made["moved"]]["state"]["transfer_target"]["agency"] == "UBND-Q1"
        assert last[made["many"]]["case"]["many_signers"] is True
        assert batch.header["records"] == len(batch.records)
        assert batch.header["more"] is False


@pytest.mark.parametrize("kind", KINDS)
def test_each_batch_names_the_signed_checkpoint_that_covers_every_record_in_it(
    kind: str, tmp_path: Path
) -> None:
    """The stamp is a checkpoint signed by the log's key whose tree holds each record's event;
    what was recorded after the latest checkpoint waits for the next one."""
    with side(kind, tmp_path, "source") as s:
        scenario(s)
        s.sign()
        signed = s.export()
        stamp = signed.header["checkpoint"]
        checkpoint = open_checkpoint(stamp["note"], SOURCE, SIGNER.public_key)
        assert checkpoint.size == stamp["tree_size"]
        assert checkpoint.root.hex() == stamp["root_sha256_hex"]
        for record in signed.records:
            leaf = s.trail.leaf_at(record["position"])
            assert leaf is not None
            assert leaf[1] == record["position"]
            assert leaf[0] < stamp["tree_size"]
        assert stamp["number"] == len(s.trail.checkpoints())
        # A step recorded after the checkpoint is not exported until a checkpoint covers it.
        made = _receive(s, NGUYEN)
        _run(
            s,
            made,
            (_classify(Kind.COMPLAINT, Competence.OUTSIDE_CITY), RECEPTION),
            (Guide(body="Tòa án nhân dân Quận 1"), HEAD),
        )
        waiting = s.export(after=signed.header["next_after"])
        assert waiting.records == []
        assert waiting.header["covered_through"] < (s.app.max_notification_id())
        s.sign()
        later = s.export(after=signed.header["next_after"])
        assert steps_of(later) == [(made, 3)]
        assert later.header["checkpoint"]["number"] == stamp["number"] + 1


def test_without_a_checkpoint_a_batch_is_empty_and_names_none(tmp_path: Path) -> None:
    """Nothing leaves before a checkpoint can vouch for it."""
    with side("sqlite", tmp_path, "source") as s:
        scenario(s)
        batch = s.export()
        assert batch.records == []
        assert batch.header["checkpoint"] is None
        assert batch.header["through"] == 0


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Side]:
    """The scenario on SQLite, signed, for the properties of incremental export."""
    with side("sqlite", tmp_path_factory.mktemp("incremental"), "source") as s:
        scenario(s)
        s.sign()
        yield s


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(limits=st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=8))
def test_exports_that_each_start_where_the_last_ended_give_each_step_once_in_order(
    exported: Side, limits: list[int]
) -> None:
    """Any chain of batches of any sizes, each after the position the one before named, holds
    exactly the records of one export of everything, in the same order."""
    whole = exported.export()
    chained: list[dict[str, Any]] = []
    after = 0
    for limit in [*limits, 10_000]:
        batch = exported.export(after=after, limit=limit)
        assert len(batch.records) <= limit
        assert all(r["position"] > after for r in batch.records)
        chained.extend(batch.records)
        after = batch.header["next_after"]
    assert chained == whole.records


# --- denouncers ----------------------------------------------------------------------------------


def test_a_denouncer_is_named_in_no_record_nor_in_any_text_of_the_export(tmp_path: Path) -> None:
    """Her name, number, address and phone appear nowhere in the file, with or without accents;
    her case says its identity is withheld and why; a complainant is named by name and address
    only (no number, no phone)."""
    with side("sqlite", tmp_path, "source") as s:
        made = scenario(s)
        s.sign()
        batch = s.export()
        text = b"".join(batch.lines()).decode()
        flat = folded(text)
        for secret in (DENOUNCER.full_name, DENOUNCER.id_number, DENOUNCER.address, "0977"):
            assert secret is not None
            assert folded(secret) not in flat, secret
        for receipt in (made["denunciation"], made["mixed"]):
            first = next(r for r in batch.records if r["case_id"] == receipt)
            assert first["case"]["identity"] == "withheld"
            assert first["case"]["petitioners"] is None
            assert "Luật Tố cáo 2018" in first["case"]["identity_basis"]
        denounced = [r for r in batch.records if r["case_id"] == made["denunciation"]]
        assert "cán bộ địa chính phường nhận tiền" in denounced[0]["case"]["content"]
        assert "[…]" in denounced[0]["case"]["content"]
        assert "[…]" in denounced[-1]["detail"]["summary"]
        anonymous = next(r for r in batch.records if r["case_id"] == made["anonymous"])
        assert anonymous["case"]["identity"] == "anonymous"
        assert NGUYEN.full_name in text
        assert NGUYEN.id_number is not None
        assert NGUYEN.id_number not in text
        assert NGUYEN.phone not in text


# --- the import ----------------------------------------------------------------------------------


def _file(batch: Batch) -> list[dict[str, Any]]:
    """The batch as another system reads it: its lines parsed back."""
    found = [read_record(line, orjson.loads) for line in b"".join(batch.lines()).splitlines()]
    return [r for r in found if r is not None]


@pytest.mark.parametrize(
    ("source_kind", "target_kind"),
    [
        pytest.param("sqlite", "postgres", marks=pytest.mark.postgres),
        pytest.param("postgres", "sqlite", marks=pytest.mark.postgres),
    ],
)
def test_a_case_exported_from_one_database_arrives_in_another_received_by_transfer(
    source_kind: str, target_kind: str, tmp_path: Path
) -> None:
    """Each case becomes a petition received by transfer at the agency named, with its content,
    its signers and its petitioners sealed: the log holds none of them in clear, and the agency
    that received it opens them; a denouncer the source keeps is a person this system holds no
    data of."""
    with side(source_kind, tmp_path, "source") as s, side(target_kind, tmp_path, "target") as t:
        made = scenario(s)
        s.sign()
        records = _file(s.export())
        cases, problems = inbound_cases(records)
        assert problems == []
        steps = [r for r in records if r["type"] == "step"]
        assert [c.case_id for c in cases] == list(dict.fromkeys(r["case_id"] for r in steps))
        done = import_cases(
            t.app.petitions, cases, own_source=TARGET, request_id="r-import", agency="UBND-Q3"
        )
        assert all(isinstance(d, Imported) and d.outcome is Outcome.IMPORTED for d in done)
        here = {d.case_id: d for d in done if isinstance(d, Imported)}
        reception = replace(OTHER_RECEPTION, user_id="ubnd-q3.tiepdan", unit="UBND-Q3")

        complaint = t.app.petitions.get(here[made["complaint"]].receipt)
        original = s.app.petitions.get(made["complaint"])
        assert complaint.channel is Channel.TRANSFERRED
        assert complaint.agency == "UBND-Q3"
        assert complaint.content == original.content
        assert complaint.decision_known_on == original.decision_known_on
        assert complaint.kind is None  # the reception here classifies it
        opened = t.app.petitions.petitioners(complaint, reception)
        assert opened is not None
        assert [(p.full_name, p.address) for p in opened if p] == [
            (NGUYEN.full_name, NGUYEN.address)
        ]
        many = t.app.petitions.get(here[made["many"]].receipt)
        assert many.signers == 7
        assert len(many.petitioners) == 5

        denunciation = t.app.petitions.get(here[made["denunciation"]].receipt)
        assert t.app.petitions.petitioners(denunciation, reception) == (None,)
        assert not denunciation.anonymous
        assert t.app.petitions.get(here[made["anonymous"]].receipt).anonymous

        stored = b"".join(n.state for n in t.app.recorder.select_notifications(1, 100_000))
        for name in (NGUYEN.full_name, NGUYEN.address, DENOUNCER.full_name, "Người ký 3"):
            assert name.encode() not in stored, name


@pytest.mark.parametrize("kind", KINDS)
def test_importing_the_same_file_twice_records_nothing_new(kind: str, tmp_path: Path) -> None:
    """The second import finds each case under the source's case id and records nothing; the
    cases keep the receipt codes the first import gave them."""
    with side("sqlite", tmp_path, "source") as s, side(kind, tmp_path, "target") as t:
        scenario(s)
        s.sign()
        cases, _ = inbound_cases(_file(s.export()))
        first = import_cases(
            t.app.petitions, cases, own_source=TARGET, request_id="r-1", agency="UBND-Q3"
        )
        head = t.app.max_notification_id()
        again = import_cases(
            t.app.petitions, cases, own_source=TARGET, request_id="r-2", agency="UBND-Q3"
        )
        assert t.app.max_notification_id() == head
        assert [d.outcome for d in again if isinstance(d, Imported)] == [Outcome.ALREADY] * len(
            cases
        )
        assert [getattr(d, "receipt", None) for d in again] == [
            getattr(d, "receipt", None) for d in first
        ]


def test_a_case_goes_to_the_agency_its_transfer_named_and_one_naming_none_is_refused(
    tmp_path: Path,
) -> None:
    """Without an agency given, a case transferred to an agency of the city is received there;
    one its system transferred nowhere here is refused and records nothing; a case of this
    system itself is refused."""
    with side("sqlite", tmp_path, "source") as s, side("sqlite", tmp_path, "target") as t:
        made = scenario(s)
        s.sign()
        cases, _ = inbound_cases(_file(s.export()))
        head = t.app.max_notification_id()
        done = {d.case_id: d for d in import_cases(
            t.app.petitions, cases, own_source=TARGET, request_id="r-import"
        )}  # fmt: skip
        moved = done[made["moved"]]
        assert isinstance(moved, Imported)
        assert moved.agency == "UBND-Q1"
        refused = done[made["complaint"]]
        assert isinstance(refused, Refused)
        assert refused.error.case == "no_agency"
        assert t.app.max_notification_id() > head
        own = import_cases(t.app.petitions, cases[:1], own_source=SOURCE, request_id="r-own")
        assert isinstance(own[0], Refused)
        assert own[0].error.case == "own_source"


def test_a_case_the_law_would_refuse_is_refused_before_anyone_is_sealed(tmp_path: Path) -> None:
    """A decision known after the day it arrives here, or a content the text rules refuse:
    refused, nothing recorded, no petitioner sealed."""
    with side("sqlite", tmp_path, "target") as t:
        seals: list[object] = []
        vault_seal = t.app.vault.seal

        def counted(person_id: Any, person: Any) -> Any:
            seals.append(person_id)
            return vault_seal(person_id, person)

        t.app.petitions.vault.seal = counted  # type: ignore[method-assign]
        person = Person(full_name=NGUYEN.full_name, address=NGUYEN.address)
        case = InboundCase(
            source=SOURCE,
            case_id="2026-AAAA0001",
            received_on=MONDAY.date(),
            channel=Channel.IN_PERSON,
            identity=Identity.GIVEN,
            petitioners=(person,),
            signers=1,
            content="Khiếu nại.",
            subject="",
            attachments=(),
            decision_known_on=MONDAY.date() + timedelta(days=3),
            kind=Kind.COMPLAINT,
            field=Field.LAND,
            competence=Competence.OURS,
            transferred_to="UBND-Q3",
            transferred_to_name="Ủy ban nhân dân Quận 3",
        )
        head = t.app.max_notification_id()
        empty = replace(case, case_id="2026-AAAA0002", decision_known_on=None, content=" ")
        done = import_cases(t.app.petitions, [case, empty], own_source=TARGET, request_id="r")
        assert [type(d.error).__name__ for d in done if isinstance(d, Refused)] == [
            "InvalidPetitionError",
            "InvalidTextError",
        ]
        assert t.app.max_notification_id() == head
        assert seals == []

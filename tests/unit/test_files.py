"""Files' rules (issue 27): the kind is sniffed from the content, the limits hold, the disk store
keeps bytes by digest and never serves bytes changed on disk, events of the earlier version read
back with no files, and the settings choose the folder and the limits."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import orjson
import pytest
from eventsourcing.persistence import JSONTranscoder, StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from adapters.files import DiskFiles
from adapters.settings import SettingsError
from bootstrap import Settings
from domain.directives.directive import Directive, files_of
from domain.shared.codec import OrjsonMapper
from domain.shared.files import (
    KINDS,
    FiledFile,
    FileGiven,
    FileRules,
    InvalidFileError,
    MemoryFiles,
    digest_of,
    sniffed,
)
from tests.builders import LEAD_OFFICER, acknowledged

T0 = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)  # 09:00 on 4 March 2024 in the city

PDF = b"%PDF-1.4\n%%EOF\n"
MAGIC = (
    b"%PDF-",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"II*\x00",
    b"MM\x00*",
    b"\xd0\xcf",
    b"PK",
    b"RIFF",
)


def zipped(*names: tuple[str, str]) -> bytes:
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w") as archive:
        for name, text in names:
            archive.writestr(name, text)
    return made.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (b"\x89PNG\r\n\x1a\n....", "png"),
        (b"\xff\xd8\xff\xe0JFIF", "jpeg"),
        (b"GIF89a....", "gif"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", "webp"),
        (b"II*\x00....", "tiff"),
        (zipped(("[Content_Types].xml", ""), ("word/document.xml", "")), "docx"),
        (zipped(("[Content_Types].xml", ""), ("xl/workbook.xml", "")), "xlsx"),
        (zipped(("[Content_Types].xml", ""), ("ppt/presentation.xml", "")), "pptx"),
        (zipped(("mimetype", KINDS["odt"].media_type), ("content.xml", "")), "odt"),
        (zipped(("mimetype", KINDS["ods"].media_type)), "ods"),
    ],
)
def test_each_kind_is_known_by_its_content(data: bytes, kind: str) -> None:
    assert sniffed(data) == (kind,)
    name = "tep" + KINDS[kind].extensions[0]
    assert FileRules().kind_of(data, name) == KINDS[kind]


def test_the_older_office_formats_are_told_apart_by_their_names_among_three() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32
    assert FileRules().kind_of(ole2, "to-trinh.doc").name == "doc"
    assert FileRules().kind_of(ole2, "bang.xls").name == "xls"
    with pytest.raises(InvalidFileError) as refused:
        FileRules().kind_of(ole2, "to-trinh.pdf")
    assert refused.value.case == "name"


def test_a_zip_that_is_no_office_document_and_a_broken_one_are_no_kind() -> None:
    assert sniffed(zipped(("readme.txt", "hi"))) == ()
    assert sniffed(b"PK\x03\x04 broken") == ()


@given(st.binary())
def test_bytes_after_a_pdfs_magic_are_a_pdf_whatever_they_are(tail: bytes) -> None:
    assert sniffed(b"%PDF-" + tail) == ("pdf",)


@given(st.binary(max_size=64).filter(lambda b: not b.startswith(MAGIC)))
def test_content_with_no_known_magic_is_never_accepted(data: bytes) -> None:
    """Whatever the name says: an executable named report.pdf stays refused."""
    with pytest.raises(InvalidFileError) as refused:
        FileRules().kind_of(data, "report.pdf")
    assert refused.value.case in {"kind", "empty"}


def test_the_limits_are_the_rules_size_and_kinds() -> None:
    rules = FileRules(max_bytes=10, kinds=("png",))
    with pytest.raises(InvalidFileError) as large:
        rules.kind_of(PDF)
    assert (large.value.case, large.value.values["limit"]) == ("too_large", 10)
    with pytest.raises(InvalidFileError) as kind:
        FileRules(kinds=("png",)).kind_of(PDF)
    assert kind.value.case == "kind"
    with pytest.raises(InvalidFileError) as empty:
        rules.kind_of(b"")
    assert empty.value.case == "empty"


def test_a_files_name_is_the_last_part_of_a_path_a_browser_sent() -> None:
    described = FileRules().describe(FileGiven(digest_of(PDF), "C:\\Users\\cb\\Báo cáo.pdf"), PDF)
    assert described == FiledFile(digest_of(PDF), "Báo cáo.pdf", "application/pdf", len(PDF))


def test_the_disk_store_keeps_bytes_by_digest_and_serves_no_changed_bytes(tmp_path: Path) -> None:
    store = DiskFiles(tmp_path / "files")
    digest = store.put(PDF)
    assert digest == digest_of(PDF)
    path = store.path_of(digest)
    hexdigest = digest.removeprefix("sha256:")
    assert path == tmp_path / "files" / hexdigest[:2] / hexdigest[2:4] / hexdigest
    assert store.put(PDF) == digest  # the same bytes, the same file
    assert store.get(digest) == PDF
    assert store.get(digest_of(b"other")) is None
    path.write_bytes(PDF + b"changed")
    assert store.get(digest) is None
    assert store.put(PDF) == digest  # written again whole
    assert store.get(digest) == PDF
    assert [p.name for p in path.parent.iterdir()] == [hexdigest]  # no half-written file left


def test_the_memory_store_keeps_bytes_by_digest() -> None:
    store = MemoryFiles()
    assert store.get(store.put(PDF)) == PDF


def test_a_step_files_only_described_files_and_each_once() -> None:
    d = acknowledged(T0)
    with pytest.raises(InvalidFileError) as refused:
        d.report_progress(
            percent=10,
            narrative="",
            files=[FileGiven(digest_of(PDF), "x.pdf")],  # type: ignore[list-item]
            actor=LEAD_OFFICER,
            request_id="r",
            at=T0,
        )
    assert refused.value.case == "not_stored"
    one = FiledFile(digest_of(PDF), "x.pdf", "application/pdf", len(PDF))
    d.report_progress(
        percent=10, narrative="", files=[one, one], actor=LEAD_OFFICER, request_id="r", at=T0
    )
    events = [e for e in d.collect_events() if isinstance(e, Directive.Event)]
    (last,) = [f.file for f in files_of(events)]
    assert last == one


def test_an_event_the_earlier_version_recorded_reads_back_with_no_files() -> None:
    """Version 1 of a progress report had no files: it is upcast, not refused."""
    state = {
        "timestamp": "2024-03-04T02:00:00+00:00",
        "actor": {"user_id": "so-ct.canbo", "role": "department", "unit": "SO-CT"},
        "request_id": "r",
        "percent": 60,
        "narrative": "",
        "attachments": ["sha256:" + "ab" * 32],
    }
    mapper = OrjsonMapper(transcoder=JSONTranscoder())
    stored = StoredEvent(uuid4(), 3, Directive.ProgressReported.TOPIC, orjson.dumps(state))
    event = mapper.to_domain_event(stored)
    assert isinstance(event, Directive.ProgressReported)
    assert event.files == ()
    assert event.attachments == ("sha256:" + "ab" * 32,)


def test_the_settings_name_the_folder_and_the_limits(tmp_path: Path) -> None:
    sqlite = Settings.from_env({}, database_url=f"sqlite:///{tmp_path / 'city.db'}")
    store = sqlite.file_store({})
    assert isinstance(store, DiskFiles)
    assert store.folder == tmp_path / "city.files"
    postgres = Settings.from_env({}, database_url="postgresql://u@h/db")
    store = postgres.file_store({"XDG_DATA_HOME": str(tmp_path / "data")})
    assert isinstance(store, DiskFiles)
    assert store.folder == tmp_path / "data" / "thucthi" / "files"
    assert isinstance(Settings.from_env({}, database_url="memory://").file_store({}), MemoryFiles)
    given_env = {
        "THUCTHI_FILES_DIR": str(tmp_path / "kept"),
        "THUCTHI_FILES_MAX_BYTES": "1000",
        "THUCTHI_FILES_KINDS": "pdf, PNG",
    }
    chosen = Settings.from_env(given_env, database_url="memory://")
    assert chosen.file_rules == FileRules(max_bytes=1000, kinds=("pdf", "png"))
    kept = chosen.file_store({})
    assert isinstance(kept, DiskFiles)
    assert kept.folder == tmp_path / "kept"
    with pytest.raises(SettingsError):
        Settings.from_env({"THUCTHI_FILES_KINDS": "pdf,exe"})


FILE_CARRIERS = [
    kind
    for kind in vars(Directive).values()
    if isinstance(kind, type)
    and issubclass(kind, Directive.Event)
    and "files" in kind.__dataclass_fields__
]


@pytest.mark.parametrize("kind", FILE_CARRIERS, ids=lambda kind: kind.__name__)
def test_every_event_that_carries_files_reads_its_first_version_with_none(kind: type) -> None:
    """Issued, progress, contribution, completion and explanation: each is at version 2 and
    upcasts a version 1 state, which had no files, to one with none."""
    state: dict[str, object] = {"percent": 60}
    assert getattr(kind, "class_version", 1) == 2
    kind.upcast_v1_v2(state)  # type: ignore[attr-defined]
    assert state == {"percent": 60, "files": []}


def test_five_kinds_of_event_carry_files() -> None:
    assert sorted(kind.__name__ for kind in FILE_CARRIERS) == [
        "CompletionReported",
        "ContributionReported",
        "ExplanationGiven",
        "Issued",
        "ProgressReported",
    ]

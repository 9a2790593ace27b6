"""A denouncer's identity is confidential (Luật Tố cáo 2018): a denunciation is filed by a named
denouncer and walked through its life, then every place the system shows data is asked by every
role that does not handle it, and by the public, and searched for the denouncer's name, ID number,
address and phone, as written and as a search index would fold them.

The places are found, not listed: every GET path of the OpenAPI description and every GET page
of ``api.routes.PAGES``, with their path parameters filled from what the story made, their lists
at their longest and their proofs at each of the petition's positions; the public look-up; the
request log; the raw stored events (which hold the petitioners only sealed) and every byte of the
database. An endpoint, export or feed added later is walked without changing this file. The
identity shows only to the holding agency's reception and head and the officer handling it.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

import falcon.testing
import pytest

from api.openapi import document
from api.params import QUERY, Choice
from api.routes import PAGES
from domain.petitions.commands import (
    Accept,
    Classify,
    Extend,
    PetitionerGiven,
    PublishResult,
    ReceivePetition,
    RecordVerification,
    Resolve,
)
from domain.petitions.petition import Competence, Field, Kind, Petition, Verdict
from domain.shared.actors import Actor
from domain.shared.personal import SealedPerson
from projections.audit import AuditProjection
from projections.oversight import OversightProjection, catch_up
from readmodels.open import open_trail
from tests.api.conftest import USERS, Api, api_on
from tests.api.petition_officers import OTHER_OFFICER, sign_in_officers
from tests.pdf_reading import read
from tests.petition_builders import (
    AGENCY,
    COLLEAGUE,
    HANDLER,
    HEAD,
    OTHER_HEAD,
    OTHER_RECEPTION,
    RECEPTION,
)

DENOUNCER = PetitionerGiven(
    full_name="Phạm Thị Diệu Hiền",
    id_number="079301008765",
    address="Số 14/88 hẻm Cây Trâm Bầu, khu phố Sáu Mươi Hai",
    phone="0987650432",
)
DENOUNCED = (
    "Tố cáo cán bộ địa chính phường nhận tiền để hợp thức hóa công trình xây dựng sai phép "
    "tại hẻm 5 đường Nguyễn Văn Quá."
)
HOLDERS = (RECEPTION, HEAD, HANDLER)
# Everyone else who can sign in, and the public (None): none of them handles the case.
OUTSIDERS: tuple[str | None, ...] = (
    # The API's users, one per role: the leadership, the Office, the inspectorate, the
    # administrator, and another agency's officer, reception and head.
    *(username for username, _ in USERS.values()),
    COLLEAGUE.user_id,  # the same agency, not the handler
    OTHER_RECEPTION.user_id,
    OTHER_HEAD.user_id,
    OTHER_OFFICER.user_id,
    None,  # the public
)
# Path parameters by name: what to fill them with (an unknown name gets the receipt code and
# the agencies' codes, so a new endpoint is still asked about this petition).
KINDS = ("csv", "xlsx", "json", "vkey", "pem", "txt", "inclusion", "consistency")


def folded(text: str) -> str:
    """Lower case without accents, as accent-insensitive search keeps text."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def secrets_of(person: PetitionerGiven) -> list[str]:
    """Every form the denouncer's identity could be written in: as given, folded, upper case,
    escaped for JSON; the number and the phone as digits and grouped."""
    found: list[str] = []
    for text in (person.full_name, person.address):
        found += [text, folded(text), text.upper(), json.dumps(text)[1:-1]]
    number, phone = str(person.id_number), person.phone
    found += [
        number,
        f"{number[:3]} {number[3:6]} {number[6:]}",
        phone[1:],
        phone[:4] + " " + phone[4:],
    ]
    found += [number[3:]]  # the nine digits after the province: no other number has them
    return sorted(set(found))


SECRETS = secrets_of(DENOUNCER)


@dataclass
class Story:
    receipt: str
    positions: list[int]  # the log positions of the petition's events


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    for built in api_on(request.param, tmp_path):
        sign_in_officers(built)
        yield built


def denunciation(api: Api) -> Story:
    """A named denouncer's denunciation, received, classified, accepted, verified, extended,
    concluded and published at the Department of Construction."""
    app, positions = api.app, []
    receipt, position = app.petitions.receive(
        ReceivePetition(
            agency=AGENCY,
            petitioners=(DENOUNCER,),
            content=DENOUNCED,
            subject="Tố cáo cán bộ địa chính phường",
        ),
        actor=RECEPTION,
        request_id="req-confidential-receive",
    )
    positions.append(position)
    steps: list[tuple[object, Actor]] = [
        (
            Classify(kind=Kind.DENUNCIATION, field=Field.CONDUCT, competence=Competence.OURS),
            RECEPTION,
        ),
        (Accept(handler=HANDLER.user_id, note="Giao chuyên viên xác minh"), HEAD),
        (RecordVerification(summary="Đã làm việc với cán bộ bị tố cáo và UBND phường."), HANDLER),
        (Extend(reason="Vụ việc phức tạp, cần xác minh thêm."), HEAD),
        (
            Resolve(
                verdict=Verdict.PARTLY_RIGHT,
                summary="Tố cáo đúng một phần.",
                decision_reference="12/KL-SXD",
            ),
            HEAD,
        ),
        (PublishResult(), HEAD),
    ]
    for command, actor in steps:
        positions.append(
            app.petitions.execute(command, receipt, actor=actor, request_id="req-confidential")  # type: ignore[arg-type]
        )
    project_everything(api)
    return Story(receipt, positions)


def project_everything(api: Api) -> None:
    """What the follower does in production: every read model and the audit trail (with its
    signed checkpoints) brought up to the log's head."""
    services = api.services
    if services.view is not None:
        catch_up(api.app, OversightProjection(services.view))
    AuditProjection(
        api.app, open_trail(api.app, create=False), signer=services.signer, every=1
    ).catch_up()


def get_paths() -> list[str]:
    """Every GET path the system answers: the OpenAPI's and the pages'."""
    api_paths = [p for p, methods in document()["paths"].items() if "get" in methods]
    pages = [p.path for p in PAGES if p.method == "GET"]
    return sorted(set(api_paths + pages))


def filled(path: str, story: Story, unit: str | None) -> list[str]:
    """The path with each parameter filled in every way that could concern the petition."""
    names = re.findall(r"{(\w+)}", path)
    values = {
        "receipt": [story.receipt],
        "ref": [story.receipt, "1~KHONGCO"],
        "code": sorted({AGENCY, OTHER_HEAD.unit or "", unit or AGENCY}),
        "kind": list(KINDS),
        "n": ["1"],
        "name": ["app.css"],
        "username": [HANDLER.user_id, RECEPTION.user_id],
    }
    choices = [values.get(n, [story.receipt, AGENCY]) for n in names]
    paths = []
    for combination in itertools.product(*choices):
        done = path
        for name, value in zip(names, combination, strict=True):
            done = done.replace("{" + name + "}", value, 1)
        paths.append(done)
    return paths


def queries(path: str, story: Story, head: int) -> list[dict[str, str]]:
    """The questions worth asking a path: none, its lists at their longest, the petition by its
    code, and each of its events' proofs."""
    specs = QUERY.get(path, ())
    names = {p.name for p in specs}
    asked: list[dict[str, str]] = [{}]
    # Every word of every choice once (a list's category, a format, a basis, a language).
    asked += [{p.name: c} for p in specs if isinstance(p, Choice) for c in p.choices]
    if "limit" in names:
        asked.append({"limit": "500"})
    for name in ("ref", "directive", "reference"):
        if name in names:
            asked.append({name: story.receipt})
    if {"position", "size"} <= names:
        asked += [{"position": str(p), "size": str(head)} for p in story.positions]
    if {"from", "to"} <= names:
        asked.append({"from": "1", "to": str(head)})
    if "after" in names:
        asked.append({"after": "0", **({"limit": "1000"} if "limit" in names else {})})
    return asked


def readable(result: falcon.testing.Result) -> str:
    """Everything an answer says, a spreadsheet's XML and a PDF's text included."""
    content = result.content
    if content[:5] == b"%PDF-":  # its streams are compressed: read as a reader reads it
        return read(content).text
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    return content.decode("utf-8", "replace")


def leaked(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def ask(api: Api, who: str | None, path: str, params: dict[str, str]) -> falcon.testing.Result:
    headers = {} if who is None else {"Authorization": f"Bearer {api.tokens[who]}"}
    return api.client.simulate_get(path, params=params or None, headers=headers)


def walk(api: Api, story: Story, who: str | None) -> dict[str, str]:
    """Every GET answer the system gives ``who`` about this story, by the request asked."""
    head = api.app.max_notification_id()
    unit = None if who is None else api.app.get_user(who).unit
    answers: dict[str, str] = {}
    for template in get_paths():
        for path in filled(template, story, unit):
            for params in queries(template, story, head):
                result = ask(api, who, path, params)
                assert result.status_code < 500, (who, path, params, result.text)
                answers[f"{path}?{urlencode(params)}"] = readable(result)
    return answers


def test_the_denouncers_identity_is_nowhere_for_anyone_who_does_not_handle_the_case(
    api: Api, capfd: pytest.CaptureFixture[str]
) -> None:
    """Every GET endpoint and page, each export and feed, every proof of the case's events, for
    the leadership, the Office, the inspectorate, the administrator, other agencies' officers,
    a colleague of the handler and the public: not one shows the denouncer's name, ID number,
    address or phone in any form."""
    story = denunciation(api)
    asked = 0
    for who in OUTSIDERS:
        answers = walk(api, story, who)
        for request, text in answers.items():
            assert not leaked(text), (who, request, leaked(text))
        asked += len(answers)
        if who == "thanhtra":  # the walk did reach the case: the trail, the feed, the
            # petitions' list, its exports and the national record
            seen = {r.split("?")[0] for r, text in answers.items() if story.receipt in text}
            reached = {"/api/audit", "/api/events", "/inspector", "/api/petitions", "/petitions"}
            # the conclusion's PDF (read with pdftotext, as every PDF answer is)
            reached |= {f"/api/petitions/{story.receipt}/result.pdf"}
            exports = {
                "/petitions/export.csv",
                "/petitions/export.xlsx",
                "/api/petitions/lien-thong",
            }
            assert reached | exports <= seen, seen
    assert asked > 100 * len(OUTSIDERS)  # the walk found the system's pages, not a handful
    logged = capfd.readouterr()
    assert not leaked(logged.out + logged.err)


def test_the_public_look_up_of_a_denunciation_names_no_one(api: Api) -> None:
    """The denouncer looking the case up with the code and the last four digits of their own
    number sees its status and result, and not their own identity."""
    story = denunciation(api)
    digits = str(DENOUNCER.id_number)[-4:]
    answer = api.client.simulate_post("/api/lookup", json={"code": story.receipt, "digits": digits})
    assert answer.status_code == 200
    assert answer.json["result"]["decision_reference"] == "12/KL-SXD"
    assert not leaked(answer.text)
    page = api.client.simulate_post(
        "/tra-cuu",
        body=urlencode({"code": story.receipt, "digits": digits}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert page.status_code == 200
    assert "12/KL-SXD" in page.text
    assert not leaked(page.text)


def test_the_identity_shows_to_the_holding_agencys_reception_head_and_handler(api: Api) -> None:
    """Those who handle the case do see the denouncer: the reception and the head on the pages
    (the receipt at least), the handler through the desk (and any page of the case there is)."""
    story = denunciation(api)
    petition = api.app.petitions.get(story.receipt)
    for holder in HOLDERS:
        people = api.app.petitions.petitioners(petition, holder)
        assert people is not None
        assert people[0] is not None
        assert people[0].full_name == DENOUNCER.full_name
        shown = [
            r for r, text in walk(api, story, holder.user_id).items() if DENOUNCER.full_name in text
        ]
        if holder is not HANDLER:
            assert shown, holder
        case_pages = [
            p
            for p in get_paths()
            if "{receipt}" in p and not p.endswith("/receipt") and not p.startswith("/tra-cuu")
        ]
        if case_pages:  # the case page and its JSON, once the desk's pages exist
            assert any(
                story.receipt in r and not r.split("?")[0].endswith("/receipt") for r in shown
            ), holder
    for outsider in (COLLEAGUE, OTHER_RECEPTION, OTHER_HEAD, OTHER_OFFICER):
        assert api.app.petitions.petitioners(petition, outsider) is None


def test_the_stored_events_hold_the_denouncer_only_sealed(api: Api) -> None:
    """The log's events carry the denouncer as a sealed record the vault opens, never in clear;
    no byte of the database holds the name, number, address or phone."""
    story = denunciation(api)
    app = api.app
    notifications = app.recorder.select_notifications(start=1, limit=100_000)
    for notification in notifications:
        stored = notification.state.decode("utf-8", "replace")
        assert not leaked(stored), (notification.topic, leaked(stored))
    received = [
        app.mapper.to_domain_event(n) for n in notifications if n.topic == Petition.Received.TOPIC
    ]
    assert len(received) == 1
    petitioners = received[0].petitioners  # type: ignore[attr-defined]
    assert all(isinstance(p, SealedPerson) for p in petitioners)
    opened = app.vault.open(petitioners[0])
    assert opened is not None
    assert opened.full_name == DENOUNCER.full_name
    assert not leaked(database_text(api))
    assert story.receipt in database_text(api)  # the dump does see the petition itself


def database_text(api: Api) -> str:
    """Every byte of the database as text: the SQLite file and its write-ahead log, or every
    row of every table of the PostgreSQL schema."""
    datastore = api.app.factory.datastore  # type: ignore[attr-defined]
    schema = getattr(datastore, "schema", None)
    if schema is None:
        name = Path(api.services.settings.database_url.removeprefix("sqlite:///"))
        files = [name, name.with_name(name.name + "-wal")]
        return "\n".join(f.read_bytes().decode("utf-8", "replace") for f in files if f.exists())
    texts = []
    with datastore.transaction(commit=False) as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,)
        )
        tables = [row["table_name"] for row in cursor.fetchall()]
        for table in tables:
            cursor.execute(f'SELECT * FROM "{schema}"."{table}"')  # noqa: S608 - names from the catalogue
            for row in cursor.fetchall():
                texts += [shown(value) for value in row.values()]
    return "\n".join(texts)


def shown(value: object) -> str:
    """A column's value as text: bytes (an event's stored state) decoded as UTF-8."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def test_searching_for_the_denouncer_tells_nothing_a_search_for_anyone_else_would_not(
    api: Api,
) -> None:
    """Every search (a GET path that takes ``q``), asked for the denouncer's name, number,
    address or phone by everyone who does not handle the case, answers as it answers for a
    stranger's: the same page but for the words echoed back."""
    story = denunciation(api)
    searched = 0
    for who in OUTSIDERS:
        unit = None if who is None else api.app.get_user(who).unit
        for template in get_paths():
            if "q" not in {p.name for p in QUERY.get(template, ())}:
                continue
            for path in filled(template, story, unit):
                for secret in (
                    DENOUNCER.full_name,
                    folded(DENOUNCER.full_name),
                    str(DENOUNCER.id_number),
                    DENOUNCER.phone,
                    DENOUNCER.address,
                ):
                    stranger = decoy(secret)
                    asked = ask(api, who, path, {"q": secret})
                    other = ask(api, who, path, {"q": stranger})
                    assert asked.status_code == other.status_code, (who, path, secret)
                    assert without(readable(asked), secret) == without(readable(other), stranger), (
                        who,
                        path,
                        secret,
                    )
                    searched += 1
    assert searched >= len(OUTSIDERS) * 5


def decoy(text: str) -> str:
    """Someone else's details of the same shape: the letters and digits turned."""
    return "".join(
        chr((ord(c) - 48 + 3) % 10 + 48) if c.isdigit() else ("x" if c.isalpha() else c)
        for c in text
    )


def without(text: str, echoed: str) -> str:
    """An answer less the words it echoes back (in a search box, a link, a JSON field, the
    language switch's way back to this page: the query quoted, then quoted again)."""
    quoted = quote(echoed, safe="")
    forms = (echoed, json.dumps(echoed)[1:-1], urlencode({"q": echoed})[2:], quote(quoted, safe=""))
    for form in forms:
        text = text.replace(form, "ECHO")
    return text

"""Every error a person can meet on the pages, met in Vietnamese: each form of each directive page
with each refusal the domain can give, the issuing form's, bad parameters, pages and directives
that are not there or not the reader's, forms that cannot be read, and signing in. The error box
of each must hold no English sentence (``tests.refusals``), and together they must have shown every
case of every refusal the domain has, but those no page can reach (``UNREACHABLE``, each with its
reason): a new refusal is walked here, or said why it cannot be met on a page.

On SQLite and PostgreSQL.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import falcon.testing
import pytest

from domain.accounts.account import VIEWS_MAX
from domain.application import SYSTEM_ACTOR
from domain.petitions.commands import (
    Accept,
    Classify,
    PetitionCommand,
    PetitionerGiven,
    PublishResult,
    ReceivePetition,
    Resolve,
    Suspend,
    Transfer,
)
from domain.petitions.petition import Competence, Field, Kind, Verdict
from domain.shared.actors import Actor, Role
from domain.shared.errors import DomainError
from tests.api.conftest import OUTSIDER, PASSWORD_HASH, Api, make_api
from tests.api.test_files import multipart
from tests.api.test_pages import FORM, Visitor, issue, page_of, visitor
from tests.postgres import fresh_schema, require_server
from tests.refusals import domain_errors, english_words

# The cases of refusals no page can reach, and why.
UNREACHABLE: dict[tuple[str, str], str] = {
    ("not-permitted", "role"): "the pipeline refuses a role's form before the domain is asked",
    ("duplicate-reference", "issued_earlier"): "only a reference an earlier version recorded",
    ("ambiguous-reference", "ambiguous"): "only a reference an earlier version recorded",
    ("invalid-percent", "below_zero"): "the form's schema refuses it first (walked below)",
    ("invalid-percent", "above_hundred"): "the form's schema refuses it first (walked below)",
    ("invalid-percent", "not_whole"): "the form's schema refuses it first (walked below)",
    ("invalid-attachment", "not_a_digest"): "no form takes attachments",
    ("version-not-found", "from_one"): "the version parameter refuses 0 first (walked below)",
    ("version-not-found", "past_last"): "the history page shows the last version instead",
    ("version-not-found", "before_issue"): "no page asks for a directive at a moment",
    ("concurrency-conflict", "gave_up"): "needs writers racing on one directive",
    ("invalid-text", "not_text"): "a form sends text only",
    ("invalid-text", "surrogate"): "a form's UTF-8 cannot carry a lone surrogate",
    ("invalid-user", "username_form"): "the form's schema refuses it first (walked below)",
    ("invalid-user", "no_token"): "signing out a revoked session only clears its cookie",
    ("account-disabled", "disabled"): "signing in says only that it failed (walked below)",
    ("duplicate-receipt", "used"): "a receipt code is drawn at random, eight times if taken",
    ("invalid-petition", "receipt_code"): "receipt codes are drawn by the desk, never typed",
    ("invalid-petition", "previous_is_self"): "a new petition's code is drawn once it is sent",
    ("invalid-petition", "attachment"): "no form takes attachments",
    ("nothing-to-erase", "none_named"): "erasures are ordered on the command line only",
    ("nothing-to-erase", "no_person"): "erasures are ordered on the command line only",
    ("person-erased", "erased"): "the desk seals each petitioner under a new id, never an erased",
    ("document-state", "revoked"): "the page offers no form of a revoked document; met through "
    "the API in tests/api/test_document_amendments.py",
    ("document-state", "not_pdf"): "the pages file only the PDFs they typeset",
    ("document-not-signed", "failed"): "needs a signer configured and failing (this walk signs "
    "nothing): met on the page in tests/api/test_document_amendments.py",
    ("signer-missing", "no_key"): "the signed document's forms are offered only where signers' "
    "keys are configured, which this walk has not: met on the page in "
    "tests/api/test_document_amendments.py",
    ("document-state", "not_filed"): "a document's versions are offered only once it is filed; "
    "met through the API in tests/api/test_document_amendments.py",
    ("invalid-directive", "working_days_not_positive"): "the form's schema refuses it first "
    "(walked below)",
    ("invalid-swap", "day_off_not_working"): "no page manages the calendar (the API and CLI do)",
    ("invalid-swap", "make_up_not_off"): "no page manages the calendar (the API and CLI do)",
    ("invalid-swap", "already_swapped"): "no page manages the calendar (the API and CLI do)",
    ("swap-not-found", "none"): "no page manages the calendar (the API and CLI do)",
    ("transfer-in-refused", "own_source"): "only the command line imports another system's cases",
    ("transfer-in-refused", "no_agency"): "only the command line imports another system's cases",
    ("invalid-file", "not_stored"): "a form sends the files themselves, never a digest",
    ("invalid-file", "digest"): "a form sends the files themselves, never a digest",
    ("file-not-found", "not_yet"): "no page asks for a file as of a moment",
    ("file-not-found", "bytes_missing"): "only when the store has lost a filed file's bytes",
    ("not-participant", "not_participant"): "a unit that takes no part does not see the "
    "directive: its page and its forms are not found first (walked below)",
}
# The digital-transformation index: its frameworks are published through the API and the command
# line only (tests/api/test_dti_api.py says those refusals in both languages); the rest are walked.
UNREACHABLE.update(
    {
        (cls.code, case): "no page publishes a framework file (the API does)"
        for cls in domain_errors()
        if cls.code in {"invalid-framework", "framework-version"}
        for case in cls.SAID
    }
)
UNREACHABLE.update(
    {
        ("invalid-assessment", "committee"): "the committee's people have no unit to open",
        ("invalid-assessment", "not_measured"): "the desk measures only the components the "
        "framework maps to a measure; no form sends a measurement",
        ("assessment-stage", "not_appraised"): "a publication takes only the appraised ones",
        ("framework-not-found", "no_group"): "every shipped framework has the groups of the "
        "units whose officers open an assessment",
    }
)
ISSUE_FORM = "/directives/new"
_ALERT = re.compile(
    r'<div class="problem" role="alert" id="problem"(?: data-code="([^"]*)")?'
    r'(?: data-case="([^"]*)")?>(.*?)</div>',
    re.S,
)


@pytest.fixture(params=["sqlite", "postgres"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    if request.param == "sqlite":
        built, app = make_api(f"sqlite:///{tmp_path / 'api.db'}")
        try:
            yield built
        finally:
            app.close()
    else:
        with fresh_schema(require_server()) as url:
            built, app = make_api(url, tmp_path / "files")
            try:
                yield built
            finally:
                app.close()


@dataclass
class Walk:
    """What the walk met: each error box's text, and the refusals (code, case) they showed."""

    seen: set[tuple[str, str]] = field(default_factory=set)
    english: list[tuple[str, str, list[str]]] = field(default_factory=list)
    steps: int = 0

    def check(self, step: str, result: falcon.testing.Result) -> None:
        """The page answered with an error box; it is Vietnamese."""
        assert 400 <= result.status_code < 500, (step, result.status_code)
        boxes = _ALERT.findall(result.text)
        assert boxes, f"{step}: no error box"
        for code, case, inside in boxes:
            text = html.unescape(re.sub(r"<[^>]+>", " ", inside))
            if words := english_words(text):
                self.english.append((step, " ".join(text.split()), words))
            if code:
                self.seen.add((code, case))
        self.steps += 1


def domain_cases() -> set[tuple[str, str]]:
    return {(cls.code, case) for cls in domain_errors() for case in cls.SAID}


def setting(api: Api) -> dict[str, Visitor]:
    """One browser per role, and directives in each state a refusal needs (at 09:00 on Monday
    4 March 2024 in the city):
    1 issued with a coordinator; 2 acknowledged with an extension and an explanation pending;
    3 without deadline; 4 awaiting acceptance; 5 completed; 6 withdrawn; 7 past its deadline;
    8 acknowledged."""
    people = {
        "leader": visitor(api, "leader.chutich"),
        "office": visitor(api, "office.vp"),
        "officer": visitor(api, "so-ct.canbo"),
        "coordinator": visitor(api, "so-tc.canbo"),
        "outsider": visitor(api, OUTSIDER[0]),
        "inspector": visitor(api, "thanhtra"),
    }
    leader, officer = people["leader"], people["officer"]
    for n in range(1, 9):
        fields = {"coordinating_units": "SO-TC"} if n == 1 else {}
        if n == 3:
            fields["deadline"] = ""
        if n == 7:
            fields.update(issued_on="2024-03-01", deadline="2024-03-02")
        assert issue(leader, f"{n}/UBND-VX", **fields).status_code == 303
        if n not in {1, 6}:
            assert officer.post(page_of(f"{n}/UBND-VX") + "/acknowledge", {}).status_code == 303
    two, four, five = page_of("2/UBND-VX"), page_of("4/UBND-VX"), page_of("5/UBND-VX")
    asked = {"new_deadline": "2024-05-31", "reason": "Mưa kéo dài"}
    assert officer.post(two + "/extension", asked).status_code == 303
    assert leader.post(two + "/explain_request", {"question": "Vì sao?"}).status_code == 303
    for done in (four, five):
        assert officer.post(done + "/completion", {"summary": "Đã xong"}).status_code == 303
    accepted = {"decision": "accept", "confirm": "yes"}
    assert leader.post(five + "/decide_completion", accepted).status_code == 303
    withdrawn = {"reason": "Trùng lặp", "confirm": "yes"}
    assert leader.post(page_of("6/UBND-VX") + "/withdraw", withdrawn).status_code == 303
    api.app.deactivate_unit(code="SO-XD", reason="Sáp nhập", actor=SYSTEM_ACTOR, request_id="t")
    return people


def directive_forms(walk: Walk, people: dict[str, Visitor]) -> None:
    """Each form of a directive's page, with each refusal the domain can give it."""
    leader, officer, coordinator = people["leader"], people["officer"], people["coordinator"]
    one, two, three, four = (page_of(f"{n}/UBND-VX") for n in (1, 2, 3, 4))
    five, six, seven, eight = (page_of(f"{n}/UBND-VX") for n in (5, 6, 7, 8))
    steps: list[tuple[str, Visitor, str, dict[str, str]]] = [
        ("a coordinator acknowledges", coordinator, one + "/acknowledge", {}),
        ("acknowledged twice", officer, two + "/acknowledge", {}),
        ("progress before acknowledging", officer, one + "/progress", {"percent": "10"}),
        ("completion before acknowledging", officer, one + "/completion", {"summary": "Xong"}),
        ("progress left empty", officer, eight + "/progress", {"percent": ""}),
        ("progress below 0", officer, eight + "/progress", {"percent": "-5"}),
        ("progress above 100", officer, eight + "/progress", {"percent": "150"}),
        ("progress in words", officer, eight + "/progress", {"percent": "mười"}),
        ("progress with a fraction", officer, eight + "/progress", {"percent": "12.5"}),
        (
            "progress with a control character",
            officer,
            eight + "/progress",
            {"percent": "10", "narrative": "a\x01b"},
        ),
        ("progress awaiting acceptance", officer, four + "/progress", {"percent": "50"}),
        ("progress on a completed one", officer, five + "/progress", {"percent": "50"}),
        ("a reminder on a withdrawn one", leader, six + "/remind", {"message": "Nhắc"}),
        ("a contribution from the lead", officer, two + "/contribute", {"narrative": "Phần"}),
        (
            "an extension without deadline",
            officer,
            three + "/extension",
            {"new_deadline": "2024-05-31", "reason": "Mưa"},
        ),
        (
            "an extension after the deadline",
            officer,
            seven + "/extension",
            {"new_deadline": "2024-05-31", "reason": "Mưa"},
        ),
        (
            "a second extension pending",
            officer,
            two + "/extension",
            {"new_deadline": "2024-06-30", "reason": "Mưa"},
        ),
        (
            "an extension not later",
            officer,
            eight + "/extension",
            {"new_deadline": "2024-04-01", "reason": "Mưa"},
        ),
        (
            "an extension without its date",
            officer,
            eight + "/extension",
            {"new_deadline": "", "reason": "Mưa"},
        ),
        (
            "an extension on a day that is not",
            officer,
            eight + "/extension",
            {"new_deadline": "2024-02-30", "reason": "Mưa"},
        ),
        (
            "deciding an extension not asked",
            leader,
            two + "/decide_extension",
            {"number": "9", "decision": "grant"},
        ),
        (
            "granting an earlier deadline",
            leader,
            two + "/decide_extension",
            {"number": "1", "decision": "grant", "new_deadline": "2024-04-01"},
        ),
        (
            "deciding an extension numbered in words",
            leader,
            two + "/decide_extension",
            {"number": "một", "decision": "grant"},
        ),
        (
            "deciding a completion not reported",
            leader,
            two + "/decide_completion",
            {"decision": "accept", "confirm": "yes"},
        ),
        ("accepting unconfirmed", leader, four + "/decide_completion", {"decision": "accept"}),
        ("withdrawing unconfirmed", leader, two + "/withdraw", {"reason": "Trùng lặp"}),
        ("a reminder awaiting acceptance", leader, four + "/remind", {"message": "Nhắc"}),
        ("a decision that is not one", leader, four + "/decide_completion", {"decision": "maybe"}),
        (
            "answering no question",
            officer,
            eight + "/explain_answer",
            {"number": "9", "answer": "Vì mưa"},
        ),
        ("reassigning to the lead", leader, two + "/reassign", {"to_unit": "SO-CT"}),
        ("reassigning to no unit", leader, two + "/reassign", {"to_unit": "KHONG-CO"}),
        ("reassigning to the committee", leader, two + "/reassign", {"to_unit": "UBND-TP"}),
        ("reassigning to a unit that closed", leader, two + "/reassign", {"to_unit": "SO-XD"}),
        ("reassigning awaiting acceptance", leader, four + "/reassign", {"to_unit": "SO-TC"}),
        (
            "withdrawing a withdrawn one",
            leader,
            six + "/withdraw",
            {"reason": "Lại", "confirm": "yes"},
        ),
        ("a question too long", leader, eight + "/explain_request", {"question": "?" * 5001}),
        ("a reply to no comment", leader, eight + "/comment", {"text": "Ý kiến", "reply_to": "9"}),
        ("a comment left empty", officer, eight + "/comment", {"text": "  "}),
        ("a comment on a completed one", officer, five + "/comment", {"text": "Ý kiến"}),
        ("a comment from a unit not in it", people["outsider"], eight + "/comment", {"text": "Ý"}),
        (
            "a form from an older version",
            officer,
            eight + "/progress",
            {"percent": "20", "version": "1"},
        ),
        (
            "a form's version in words",
            officer,
            eight + "/progress",
            {"percent": "20", "version": "hai"},
        ),
    ]
    for name, who, path, form in steps:
        walk.check(name, who.post(path, form))


def issuing_form(walk: Walk, people: dict[str, Visitor]) -> None:
    """The issuing form, with each refusal of a directive's fields."""
    leader, office = people["leader"], people["office"]
    steps: list[tuple[str, Visitor, dict[str, str]]] = [
        ("no title", leader, {"title": ""}),
        ("a title of spaces", leader, {"title": "   "}),
        ("a title too long", leader, {"title": "Chợ " * 300}),
        ("a title on two lines", leader, {"title": "Chợ\nBến Thành"}),
        ("a title with a control character", leader, {"title": "Chợ\x07"}),
        ("a reference that is not one", leader, {"reference": "không hợp lệ"}),
        ("a reference too long", leader, {"reference": "1/" + "A" * 70}),
        ("a deadline before the issue", leader, {"deadline": "2020-01-01"}),
        ("a deadline that is not a day", leader, {"deadline": "not a day"}),
        ("issued in the future", leader, {"issued_on": "2025-01-01"}),
        ("the lead coordinates too", leader, {"coordinating_units": "SO-CT"}),
        ("given to the committee", leader, {"lead_unit": "UBND-TP"}),
        ("given to no unit", leader, {"lead_unit": "KHONG-CO"}),
        ("given to a unit that closed", leader, {"lead_unit": "SO-XD"}),
        ("a reference issued before", leader, {"reference": "1/UBND-VX"}),
        ("a parent that is not", leader, {"parent_reference": "999/UBND-VX"}),
        ("an urgency that is not one", leader, {"urgency": "rất gấp"}),
        ("the office names no issuer", office, {"issuer": ""}),
        ("a deadline and working days both", leader, {"deadline_in_working_days": "5"}),
        ("no working day", leader, {"deadline": "", "deadline_in_working_days": "0"}),
        ("working days not a number", leader, {"deadline": "", "deadline_in_working_days": "x"}),
        (
            "working days from a year the calendar does not know",
            leader,
            {"deadline": "", "issued_on": "1900-06-01", "deadline_in_working_days": "5"},
        ),
    ]
    for n, (name, who, fields) in enumerate(steps):
        walk.check(name, issue(who, fields.pop("reference", f"{n + 100}/UBND-VX"), **fields))


def addresses(walk: Walk, people: dict[str, Visitor]) -> None:
    """Parameters that cannot be read, pages and directives not there or not the reader's."""
    leader, officer, outsider = people["leader"], people["officer"], people["outsider"]
    inspector = people["inspector"]
    steps: list[tuple[str, Visitor, str]] = [
        ("no checkpoint to download", inspector, "/inspector/checkpoint.txt"),
        ("a day that is not", leader, "/dashboard?as_of=2024-13-01"),
        ("a day too early", leader, "/dashboard?as_of=1800-01-01"),
        ("a day given twice", leader, "/dashboard?as_of=2024-03-01&as_of=2024-03-02"),
        ("a period that is not", leader, "/dashboard?issued=last+year"),
        ("an urgency that is not", leader, "/dashboard?urgency=x"),
        ("a basis that is not", leader, "/dashboard?basis=x"),
        ("a category that is not", leader, "/directives?category=x"),
        ("a control character", leader, "/directives?unit=%01"),
        ("words too long", leader, "/directives?q=" + "a" * 201),
        ("a trail day that is not", inspector, "/inspector?from=x"),
        ("an order that is not", inspector, "/inspector?order=x"),
        ("a position of 0", inspector, "/inspector/proof/inclusion?position=0"),
        ("a position in words", inspector, "/inspector/proof/inclusion?position=abc"),
        ("a version of 0", inspector, "/inspector/directives/1~UBND-VX?version=0"),
        ("no such directive", leader, "/directives/999~UBND-VX"),
        ("no such directive's history", inspector, "/inspector/directives/999~UBND-VX"),
        ("another unit's directive", outsider, page_of("1/UBND-VX")),
        ("no such page", leader, "/khong-co"),
        ("no such unit", leader, "/units/KHONG-CO"),
        ("another unit's inbox", officer, "/units/SO-TC"),
        ("the inspector's page", officer, "/inspector"),
        ("issuing, as a unit", officer, ISSUE_FORM),
    ]
    for name, who, path in steps:
        walk.check(name, who.get(path))
    inspector.post("/inspector/checkpoint", {})
    for name, path in (
        ("a proof past the tree", "/inspector/proof/inclusion?position=9999&size=5"),
        ("a consistency backwards", "/inspector/proof/consistency?from=5&to=2"),
    ):
        walk.check(name, inspector.get(path))


def transport(walk: Walk, api: Api, people: dict[str, Visitor]) -> None:
    """Forms that cannot be taken: no token, not a form, too big, a method the page has not,
    an action that is not, a role the action is not for."""
    leader, officer, inspector = people["leader"], people["officer"], people["inspector"]
    eight = page_of("8/UBND-VX")
    walk.check("no form token", officer.post(eight + "/acknowledge", {}, token=False))
    walk.check("an action that is not", leader.post(eight + "/khong-co", {}))
    walk.check("the inspector withdraws", inspector.post(eight + "/withdraw", {"reason": "x"}))
    walk.check("a unit decides", officer.post(eight + "/decide_completion", {"decision": "accept"}))
    cookie = "; ".join(f"{k}={v}" for k, v in leader.cookies.items())
    json_sent = api.client.simulate_post(
        eight + "/remind", json={"message": "x"}, headers={"Cookie": cookie}
    )
    walk.check("not a form", json_sent)
    big = api.client.simulate_post(
        eight + "/remind",
        body="message=" + "x" * (1024 * 1024 + 1),
        headers={"Cookie": cookie, **FORM},
    )
    walk.check("too big", big)
    walk.check(
        "a method the page has not",
        api.client.simulate_put("/dashboard", headers={"Cookie": cookie}),
    )


def signing_in(walk: Walk, api: Api) -> None:
    """A wrong password, a form from elsewhere, too many attempts, a disabled account."""
    stranger = Visitor(api.client)
    walk.check("a wrong password", stranger.sign_in("leader.chutich", "sai-mat-khau"))
    walk.check("a form from elsewhere", stranger.post("/sign-in", {"username": "x"}, token=False))
    for _ in range(10):
        stranger.sign_in("office.vp", "sai-mat-khau")
    walk.check("too many attempts", stranger.sign_in("office.vp", "sai-mat-khau"))


def petition_desk(api: Api) -> dict[str, Visitor]:
    """SO-CT's petitions desk (its reception, its head, its officer) and District 1's, each
    signed in."""
    for username, role, unit in (
        ("ubnd-q1.tiepdan", Role.RECEPTION, "UBND-Q1"),
        ("ubnd-q1.thutruong", Role.AGENCY_HEAD, "UBND-Q1"),
    ):
        api.app.create_user(
            username=username,
            display_name=username,
            role=role,
            unit=unit,
            password_hash=PASSWORD_HASH,
            actor=SYSTEM_ACTOR,
            request_id="setup",
        )
    return {
        name: visitor(api, username)
        for name, username in (
            ("reception", "so-ct.tiepdan"),
            ("head", "so-ct.thutruong"),
            ("officer", "so-ct.canbo"),
            ("q1.reception", "ubnd-q1.tiepdan"),
            ("q1.head", "ubnd-q1.thutruong"),
        )
    }


def petitions_in_each_state(api: Api) -> dict[str, str]:
    """Petitions of SO-CT in the states a refusal needs, made through the desk, by name."""
    desk = api.app.petitions
    reception = Actor("so-ct.tiepdan", Role.RECEPTION, "SO-CT")
    head = Actor("so-ct.thutruong", Role.AGENCY_HEAD, "SO-CT")
    an = PetitionerGiven(full_name="Nguyễn Văn An", id_number="079085001234")

    def made(*steps: tuple[PetitionCommand, Actor], **fields: object) -> str:
        command = ReceivePetition(agency="SO-CT", petitioners=(an,), content="Đơn.", **fields)  # type: ignore[arg-type]
        receipt, _ = desk.receive(command, actor=reception, request_id="setup")
        for step, actor in steps:
            desk.execute(step, receipt, actor=actor, request_id="setup")
        return receipt

    def classified(kind: Kind, competence: Competence = Competence.OURS) -> tuple[Classify, Actor]:
        return Classify(kind=kind, field=Field.LAND, competence=competence), reception

    accept = (Accept(handler="so-ct.khac"), head)
    return {
        "received": made(),
        "ours": made(classified(Kind.COMPLAINT)),
        "city": made(classified(Kind.COMPLAINT, Competence.CITY_AGENCY)),
        "late": made(classified(Kind.COMPLAINT), decision_known_on=date(2023, 10, 1)),
        "recent": made(classified(Kind.COMPLAINT), decision_known_on=date(2024, 3, 1)),
        "handled": made(classified(Kind.COMPLAINT), accept),
        "denunciation": made(classified(Kind.DENUNCIATION), accept),
        "proposal": made(classified(Kind.PROPOSAL), accept),
        "suspended": made(
            classified(Kind.COMPLAINT), accept, (Suspend(reason="Chờ giám định."), head)
        ),
        "published": made(
            classified(Kind.COMPLAINT),
            accept,
            (Resolve(verdict=Verdict.WRONG, summary="Giữ nguyên."), head),
            (PublishResult(), head),
        ),
        "moved": made(
            classified(Kind.COMPLAINT, Competence.CITY_AGENCY),
            (Transfer(to_agency="UBND-Q1"), head),
        ),
        "answered": made(
            classified(Kind.PROPOSAL),
            accept,
            (Resolve(verdict=Verdict.ANSWERED, summary="Đã trả lời."), head),
            (PublishResult(), head),
        ),
        "repeat": made(classified(Kind.PROPOSAL)),
    }


def petition_pages(walk: Walk, api: Api) -> None:
    """The intake form and each form of a case's page, with each refusal the domain gives."""
    people = petition_desk(api)
    cases = petitions_in_each_state(api)
    reception, head, officer = people["reception"], people["head"], people["officer"]
    typed = {
        "petitioners-0-full_name": "Nguyễn Văn An",
        "petitioners-0-id_number": "079085001234",
        "content": "Khiếu nại quyết định thu hồi đất.",
        "channel": "in_person",
        "received_on": "2024-03-04",
    }
    intake: list[tuple[str, dict[str, str]]] = [
        ("received tomorrow", {"received_on": "2024-03-05"}),
        ("fewer signers than named", {"signers": "1", "petitioners-1-full_name": "Trần Thị Bình"}),
        (
            "no one and not anonymous",
            {"petitioners-0-full_name": "", "petitioners-0-id_number": ""},
        ),
        ("anonymous yet named", {"anonymous": "yes"}),
        ("a decision known after the receipt", {"decision_known_on": "2024-03-05"}),
        ("an earlier petition that is not", {"previous_receipt": "2024-KHONGCO0"}),
        ("an ID of eleven digits", {"petitioners-0-id_number": "07908500123"}),
        ("an ID but no name", {"petitioners-0-full_name": ""}),
        ("a phone that is not one", {"petitioners-0-phone": "gọi sau"}),
        ("no content", {"content": ""}),
        ("signers in words", {"signers": "năm"}),
        ("a channel that is not", {"channel": "bồ câu"}),
    ]
    for name, fields in intake:
        walk.check(name, reception.post("/petitions/new", {**typed, **fields}))
    steps: list[tuple[str, Visitor, str, str, dict[str, str]]] = [
        ("accepted before classified", head, "received", "accept", {"handler": "so-ct.canbo"}),
        ("published with no result", head, "received", "publish", {}),
        ("guided though ours", head, "ours", "guide", {"body": "Tòa án"}),
        ("verified before accepted", officer, "ours", "verify", {"summary": "Đã xác minh."}),
        ("accepted though not ours", head, "city", "accept", {"handler": "so-ct.canbo"}),
        ("transferred to no one", head, "city", "transfer", {"body": ""}),
        ("transferred to itself", head, "city", "transfer", {"to_agency": "SO-CT"}),
        ("transferred out of the city", head, "city", "transfer", {"body": "Bộ Xây dựng"}),
        ("accepted past the limit", head, "late", "accept", {"handler": "so-ct.canbo"}),
        ("a denunciation's ground", head, "late", "not-accept",
         {"ground": "denunciation.no_basis"}),
        ("time limit not passed", head, "recent", "not-accept", {"ground": "complaint.time_limit"}),
        ("a ground not yet law", head, "recent", "not-accept",
         {"ground": "complaint.withdrawn_content"}),
        ("verified by another officer", officer, "handled", "verify", {"summary": "Đã xác minh."}),
        ("classified once decided", head, "handled", "classify",
         {"kind": "complaint", "field": "land", "competence": "ours"}),
        ("a dialogue on a denunciation", head, "denunciation", "dialogue",
         {"held_on": "2024-03-04", "summary": "Đối thoại."}),
        ("a proposal extended", head, "proposal", "extend", {"reason": "Phức tạp."}),
        ("a proposal found right", head, "proposal", "resolve",
         {"verdict": "right", "summary": "Đúng."}),
        ("published twice", head, "published", "publish", {}),
        ("suspended twice", head, "suspended", "suspend", {"reason": "Lại chờ."}),
        ("resumed though running", head, "handled", "resume", {}),
        ("withdrawn once resolved", head, "published", "withdraw",
         {"reason": "Rút.", "confirm": "yes"}),
        ("withdrawn where it no longer is", reception, "moved", "withdraw",
         {"reason": "Rút.", "confirm": "yes"}),
        ("withdrawn unconfirmed", reception, "received", "withdraw", {"reason": "Rút."}),
        ("a verdict that is not one", head, "handled", "resolve",
         {"verdict": "có lẽ", "summary": "x"}),
        ("a form's version in words", head, "handled", "extend", {"reason": "x", "version": "hai"}),
    ]  # fmt: skip
    for name, who, state, action, form in steps:
        walk.check(name, who.post(f"/petitions/{cases[state]}/{action}", form))
    # The result's PDF before there is a result (docs/documents.md).
    walk.check("a result's PDF before it", head.get(f"/petitions/{cases['handled']}/result.pdf"))
    # The first extension of a complaint is the only one: the second is refused.
    assert (
        head.post(f"/petitions/{cases['handled']}/extend", {"reason": "Phức tạp."}).status_code
        == 303
    )
    walk.check(
        "extended twice",
        head.post(f"/petitions/{cases['handled']}/extend", {"reason": "Lại phức tạp."}),
    )
    # District 1 received the moved one: it may not send it on again.
    moved = cases["moved"]
    city = {"kind": "complaint", "field": "land", "competence": "city_agency"}
    assert people["q1.reception"].post(f"/petitions/{moved}/classify", city).status_code == 303
    walk.check(
        "transferred twice",
        people["q1.head"].post(f"/petitions/{moved}/transfer", {"to_agency": "UBND-Q3"}),
    )
    same_matter(walk, head, cases)
    walk.check("no such petition", head.get("/petitions/2024-KHONGCO0"))
    walk.check("another agency's petition", people["q1.head"].get(f"/petitions/{cases['ours']}"))
    walk.check("receiving, as a head", head.get("/petitions/new"))


def same_matter(walk: Walk, head: Visitor, cases: dict[str, str]) -> None:
    """The panel of the same matter's forms (issue 26), with each refusal the domain gives."""
    ours, repeat = cases["ours"], cases["repeat"]

    def link(receipt: str, action: str, earlier: str, **form: str) -> falcon.testing.Result:
        return head.post(f"/petitions/{receipt}/{action}", {"earlier": earlier, **form})

    why = {"reason": "Cùng người gửi, cùng quyết định."}
    assert link(ours, "same-matter", cases["published"], **why).status_code == 303
    assert link(ours, "same-matter", cases["received"], **why).status_code == 303
    assert link(repeat, "same-matter", cases["answered"], **why).status_code == 303
    assert link(repeat, "answer-with-earlier", cases["answered"]).status_code == 303
    steps: list[tuple[str, str, str, str, dict[str, str]]] = [
        ("marked as itself", ours, "same-matter", ours, why),
        ("marked twice", ours, "same-matter", cases["published"], why),
        ("marked with a filing that is not", ours, "same-matter", "2024-KHONGCO0", why),
        ("marked without a reason", ours, "same-matter", cases["handled"], {"reason": ""}),
        ("unmarked though never marked", ours, "same-matter-undo", cases["handled"], why),
        ("unmarked once answered with it", repeat, "same-matter-undo", cases["answered"], why),
        ("answered with no result yet", ours, "answer-with-earlier", cases["received"], {}),
        ("a complaint answered with a first round", ours, "answer-with-earlier",
         cases["published"], {}),
    ]  # fmt: skip
    for name, receipt, action, earlier, form in steps:
        walk.check(name, link(receipt, action, earlier, **form))


def test_every_error_a_page_can_show_is_said_in_vietnamese(site: Api) -> None:
    """The walk meets every refusal no page is kept from, and no English in any error box."""
    people = setting(site)
    walk = Walk()
    directive_forms(walk, people)
    issuing_form(walk, people)
    addresses(walk, people)
    transport(walk, site, people)
    signing_in(walk, site)
    petition_pages(walk, site)
    file_forms(walk, site, people)
    admin_forms(walk, site)
    saved_views(walk, people)
    dti_pages(walk, site, people)
    assert walk.english == []
    met = {seen for seen in walk.seen if seen[1]}
    missing = domain_cases() - met - set(UNREACHABLE)
    assert missing == set(), "refusals never met on a page"
    assert met & set(UNREACHABLE) == set(), "an unreachable refusal was met: walk it instead"
    assert walk.steps >= 100  # every step above answered with an error box


def saved_views(walk: Walk, people: dict[str, Visitor]) -> None:
    """The list's saved views (issue 27, item 2): one too many, and one deleted that is not."""
    leader = people["leader"]
    for n in range(VIEWS_MAX):
        saved = leader.post("/directives/views", {"name": f"Bộ lọc {n}", "query": "status=open"})
        assert saved.status_code == 303, saved.text
    walk.check(
        "one view too many",
        leader.post("/directives/views", {"name": "Thêm nữa", "query": "status=open"}),
    )
    walk.check("a view never saved", leader.post("/directives/views/delete", {"name": "Không có"}))


def admin_forms(walk: Walk, site: Api) -> None:
    """The administrator's forms (issue 27, item 6): each refusal of an account or a unit."""
    admin = visitor(site, "admin")
    created = admin.post("/admin/users", {"username": "walk.target", "role": "inspector"})
    assert created.status_code == 200, created.text
    target = "/admin/users/walk.target"
    for step, path, form in (
        ("a malformed user name", "/admin/users", {"username": "X!", "role": "inspector"}),
        ("an account that exists", "/admin/users", {"username": "thanhtra", "role": "inspector"}),
        ("an officer without unit", "/admin/users", {"username": "a.b", "role": "department"}),
        (
            "an inspector with a unit",
            "/admin/users",
            {"username": "a.c", "role": "inspector", "unit": "SO-CT"},
        ),
        ("the same role", target + "/role", {"role": "inspector"}),
        ("the same name and title", target + "/profile", {"display_name": "walk.target"}),
        ("enabling an active account", target + "/enable", {}),
        ("the same role in the same unit", "/admin/users/so-ct.canbo/role",
         {"role": "department", "unit": "SO-CT"}),
    ):  # fmt: skip
        walk.check(step, admin.post(path, form))
    assert admin.post(target + "/disable", {"reason": "Thử"}).status_code == 303
    walk.check("disabling twice", admin.post(target + "/disable", {"reason": "Thử"}))
    walk.check("no such account", admin.get("/admin/users/khong.co.ai"))
    walk.check("its form", admin.post("/admin/users/khong.co.ai/profile", {"title": "x"}))
    added = {"code": "BAN-CHA", "name_vi": "Ban Cha", "name_en": "Parent Board", "parent": ""}
    assert admin.post("/admin/units/add", added).status_code == 303
    child = {"code": "BAN-CON", "name_vi": "Ban Con", "name_en": "Child", "parent": "BAN-CHA"}
    assert admin.post("/admin/units/add", child).status_code == 303
    yes = {"confirm": "yes", "basis": "Nghị quyết 1/NQ"}
    for step, name, form in (
        ("a malformed unit code", "add", {**added, "code": "ban cha"}),
        ("a unit that exists", "add", added),
        ("the same names", "rename", {k: added[k] for k in ("code", "name_vi", "name_en")}),
        ("a parent with an active child", "deactivate", {"code": "BAN-CHA", **yes}),
        ("a merger ending nothing", "merge", {"predecessors": "", "successor": "SO-CT", **yes}),
        ("ending the committee", "merge",
         {"predecessors": "UBND-TP", "successor": "SO-CT", **yes}),
        ("a unit its own successor", "succeed",
         {"predecessor": "BAN-CON", "successor": "BAN-CON", **yes}),
        ("a split into one", "split", {"predecessor": "BAN-CON", "successors": "SO-CT", **yes}),
        ("a change in the future", "succeed",
         {"predecessor": "BAN-CON", "successor": "SO-CT", "effective_on": "2099-01-01", **yes}),
        ("an unconfirmed merger", "merge", {"predecessors": "BAN-CON", "successor": "SO-CT"}),
    ):  # fmt: skip
        walk.check(step, admin.post(f"/admin/units/{name}", form))


def file_forms(walk: Walk, site: Api, people: dict[str, Visitor]) -> None:
    """The files a form may not file, and a file a directive does not have."""
    leader, officer = people["leader"], people["officer"]
    eight = page_of("8/UBND-VX")
    pdf = b"%PDF-1.7\n%%EOF\n"
    for step, name, data in (
        ("a file that is no kind accepted", "virus.pdf", b"MZ\x90\x00"),
        ("a PDF named as an image", "anh.png", pdf),
        ("an empty file", "rong.pdf", b""),
        ("a file over the limit", "lon.pdf", pdf + b" " * (site.app.file_rules.max_bytes)),
    ):
        body, headers = multipart(
            {"csrf": officer.csrf, "version": "2", "percent": "10"}, [("files", name, data)]
        )
        walk.check(
            step,
            officer.client.simulate_post(
                eight + "/progress", body=body, headers=officer._headers(headers)
            ),
        )
    body, headers = multipart(
        {"csrf": leader.csrf, "reference": "99/UBND-VX", "title": "t", "lead_unit": "SO-CT"},
        [("files", "anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 8)],
    )
    walk.check(
        "the signed directive as an image",
        leader.client.simulate_post("/directives/new", body=body, headers=leader._headers(headers)),
    )
    walk.check(
        "a file the directive does not have", leader.get(eight + "/files/sha256:" + "0" * 64)
    )


def test_an_empty_or_a_bad_percent_and_an_empty_date_say_what_is_wrong(site: Api) -> None:
    """An empty or negative percent said "Phải là một số nguyên" and an empty date "Ngày phải có
    dạng YYYY-MM-DD": now empty says missing, and a percent out of range which bound it broke."""
    leader, officer = visitor(site, "leader.chutich"), visitor(site, "so-ct.canbo")
    issue(leader, "1/UBND-VX")
    one = page_of("1/UBND-VX")
    assert officer.post(one + "/acknowledge", {}).status_code == 303

    def said(path: str, form: dict[str, str]) -> str:
        result = officer.post(one + path, form)
        assert result.status_code == 422
        boxes = _ALERT.findall(result.text)
        assert len(boxes) == 1
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", boxes[0][2])).split())

    percent = "Phần trăm hoàn thành (0–100) :"
    assert f"{percent} Chưa nhập số." in said("/progress", {"percent": ""})
    assert f"{percent} Không được nhỏ hơn 0." in said("/progress", {"percent": "-5"})
    assert f"{percent} Không được lớn hơn 100." in said("/progress", {"percent": "150"})
    assert f"{percent} Phải là một số nguyên." in said("/progress", {"percent": "12.5"})
    missing = said("/extension", {"new_deadline": "", "reason": "Mưa"})
    assert "Thời hạn mới : Chưa chọn ngày." in missing
    assert "YYYY" not in missing


def test_every_refusal_said_unreachable_is_one_the_domain_has() -> None:
    """No reason kept for a case that no longer exists."""
    assert set(UNREACHABLE) <= domain_cases()
    assert all(issubclass(cls, DomainError) for cls in domain_errors())


def dti_pages(walk: Walk, site: Api, people: dict[str, Visitor]) -> None:
    """The digital-transformation index's pages (issue 29): opening an assessment, each form of
    a unit's scorecard at each stage, the appraising body's, the Office's publication."""
    from domain.dti.hcmc import SHIPPED  # noqa: PLC0415 - only this walk needs it
    from tests.api.test_dti_api import APPRAISER, publish, sign_in_appraiser  # noqa: PLC0415

    assert publish(site, SHIPPED[0]).status_code == 201
    sign_in_appraiser(site)
    officer, office = people["officer"], people["office"]
    appraiser = visitor(site, APPRAISER)
    opening = {"index": "hcm-dti", "version": "1", "period": "2023"}
    walk.check("publishing nothing", office.post("/dti/publish", opening))
    for name, fields in (
        ("a period before the framework's", {"period": "2022"}),
        ("a period to come", {"period": "2030"}),
        ("an index that is not", {"index": "khong-co"}),
        ("a version that is not", {"version": "9"}),
    ):
        walk.check(name, officer.post("/dti/start", {**opening, **fields}))
    assert officer.post("/dti/start", opening).status_code == 303
    walk.check("opened twice", officer.post("/dti/start", opening))
    page = "/dti/assessments/hcm-dti~1~2023~SO-CT"
    walk.check("no such assessment", officer.get("/dti/assessments/hcm-dti~1~2023~SO-KHONG"))
    walk.check("not a key", officer.get("/dti/assessments/khong-phai-ma"))
    walk.check("submitting nothing", officer.post(page + "/submission", {}))
    walk.check("answering a draft", officer.post(page + "/answer", {"answer": "Đã bổ sung"}))
    walk.check("appraising a draft", appraiser.post(page + "/appraisal", {}))
    walk.check("correcting a draft", office.post(
        page + "/corrections", {"component": "1.1", "number": "1", "reason": "Đính chính"}
    ))  # fmt: skip
    walk.check("the unit appraises itself", officer.post(page + "/appraisal", {}))
    walk.check("the appraiser enters", appraiser.post(page + "/values", {"component": "1.1"}))
    for name, fields in (
        ("yes or no answered 2", {"component": "1.1", "number": "2"}),
        ("below 0", {"component": "1.2", "number": "-1"}),
        ("a count with a fraction", {"component": "1.2", "number": "1.5"}),
        ("too many decimals", {"component": "6.1", "number": "1.1234567", "of": "10"}),
        ("a share without its whole", {"component": "6.1", "number": "5"}),
        ("a whole for a yes or no", {"component": "1.1", "number": "1", "of": "2"}),
        ("a whole of 0", {"component": "6.1", "number": "0", "of": "0"}),
        ("a part over its whole", {"component": "6.1", "number": "80", "of": "50"}),
        ("a component that is not", {"component": "9.9", "number": "1"}),
        ("a measured component", {"component": "6.4", "number": "1", "of": "2"}),
        ("a link that is not", {"component": "1.1", "number": "1", "links": "khong phai"}),
        ("too many links", {"component": "1.1", "number": "1",
                            "links": "\n".join(f"https://a.vn/{n}" for n in range(25))}),
    ):  # fmt: skip
        walk.check(name, officer.post(page + "/values", fields))
    assert officer.post(page + "/values", {"component": "1.3", "number": "1"}).status_code == 303
    walk.check("evidence missing", officer.post(page + "/submission", {}))
    given = {"component": "1.3", "number": "1", "evidence": "Kế hoạch 12/KH"}
    assert officer.post(page + "/values", given).status_code == 303
    assert officer.post(page + "/submission", {}).status_code == 303
    walk.check("submitted twice", officer.post(page + "/submission", {}))
    walk.check("entered once submitted", officer.post(page + "/values", given))
    walk.check("accepting no value", appraiser.post(page + "/acceptances", {"component": "1.1"}))
    walk.check("sent back for 61 days", appraiser.post(
        page + "/return", {"reason": "Bổ sung", "working_days": "61"}
    ))  # fmt: skip

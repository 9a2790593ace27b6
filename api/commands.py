"""The API's side of the commands as data: each command's request schema, derived from its
dataclass (``domain.directives.commands``, ``domain.accounts.commands``,
``domain.petitions.commands``), and where each is posted.

A field's JSON Schema comes from its type and, for text, from the domain's rule for that field
(``domain.shared.text.RULES``): the schema bounds what is parsed, the domain decides (a text in
decomposed form may be longer than the same text composed, so the schema allows a margin). The
same models validate requests, describe them in the OpenAPI document and read the pages' forms.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from domain.accounts.commands import (
    AccountCommand,
    ChangeProfile,
    ChangeRole,
    DisableUser,
    EnableUser,
)
from domain.directives.commands import (
    Acknowledge,
    AddComment,
    Contribute,
    DecideCompletion,
    DecideExtension,
    DirectiveCommand,
    GiveExplanation,
    IssueDirective,
    Reassign,
    ReportCompletion,
    ReportProgress,
    RequestExplanation,
    RequestExtension,
    SendReminder,
    Withdraw,
)
from domain.dti.commands import (
    AcceptValue,
    AdjustValue,
    AnswerReturn,
    AssessmentCommand,
    CompleteAppraisal,
    CorrectValue,
    EnterValue,
    SendBack,
    Submit,
)
from domain.petitions.commands import (
    Accept,
    AnswerWithEarlier,
    Archive,
    Classify,
    Extend,
    Guide,
    HoldDialogue,
    MarkSameMatter,
    NotAccept,
    PetitionCommand,
    PetitionerGiven,
    PublishResult,
    ReceivePetition,
    RecordVerification,
    Resolve,
    Resume,
    Suspend,
    Transfer,
    UnmarkSameMatter,
    WithdrawPetition,
)
from domain.shared.actors import Command
from domain.shared.files import FILE_NAME, FileGiven
from domain.shared.text import RULES, rule_of
from domain.units.commands import AddUnit, DeactivateUnit, RenameUnit

DECOMPOSED_MARGIN = 4  # a composed character is at most this many once decomposed
MAX_ITEMS = 50  # coordinating units, attachments
WORKING_DAYS_MAX = 2_500  # a deadline in working days: some ten years of them
Digest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64 * DECOMPOSED_MARGIN)]
MAX_SIGNERS = 1_000_000  # bounds what is parsed; the domain checks it against those named
COMMENTS_MAX = 1_000_000  # a reply's number, bounded so; the directive checks the comment is there
# Fields whose values are constrained beyond their type and text rule.
_SPECIAL: dict[str, Any] = {
    "percent": (Annotated[int, Field(ge=0, le=100, strict=True)], ...),
    "attachments": (Annotated[tuple[Digest, ...], Field(max_length=MAX_ITEMS)], ()),
    "agency": (Code, ...),
    "to_agency": (Code | None, None),
    "previous_receipt": (Code | None, None),
    "signers": (Annotated[int, Field(ge=0, le=MAX_SIGNERS, strict=True)] | None, None),
    "reply_to": (Annotated[int, Field(ge=1, le=COMMENTS_MAX, strict=True)] | None, None),
    "deadline_in_working_days": (
        Annotated[int, Field(ge=1, le=WORKING_DAYS_MAX, strict=True)] | None,
        None,
    ),
    # the digital-transformation index: a version of a framework, the year assessed, the
    # working days a unit is given to answer (the domain says what it takes)
    "version": (Annotated[int, Field(ge=1, le=2**31 - 1, strict=True)], ...),
    "period": (Annotated[int, Field(ge=2000, le=2100, strict=True)], ...),
    "working_days": (Annotated[int, Field(ge=1, le=WORKING_DAYS_MAX, strict=True)], 5),
}


@dataclass(frozen=True, slots=True)
class Posted:
    """A command of a directive's life, posted to ``/api/directives/{ref}`` + ``suffix``."""

    suffix: str
    command: type[DirectiveCommand]
    status: int


POSTED: tuple[Posted, ...] = (
    Posted("/acknowledgement", Acknowledge, 200),
    Posted("/progress-reports", ReportProgress, 201),
    Posted("/contributions", Contribute, 201),
    Posted("/extension-requests", RequestExtension, 201),
    Posted("/extension-requests/{n}/decision", DecideExtension, 200),
    Posted("/completion-report", ReportCompletion, 201),
    Posted("/completion-report/decision", DecideCompletion, 200),
    Posted("/reassignment", Reassign, 200),
    Posted("/withdrawal", Withdraw, 200),
    Posted("/reminders", SendReminder, 201),
    Posted("/explanation-requests", RequestExplanation, 201),
    Posted("/explanation-requests/{n}/answer", GiveExplanation, 200),
    Posted("/comments", AddComment, 201),
)
BY_SUFFIX = {p.suffix: p for p in POSTED}


@dataclass(frozen=True, slots=True)
class PetitionPosted:
    """A command of a petition's life, posted to ``/api/petitions/{receipt}/`` + ``name`` (the
    name the pages' forms and ``thucthi petitions`` give it too), by the roles ``permission``
    lets run it."""

    name: str
    command: type[PetitionCommand]
    permission: Command
    status: int = 200


PETITION_POSTED: tuple[PetitionPosted, ...] = (
    PetitionPosted("classify", Classify, Command.CLASSIFY_PETITION),
    PetitionPosted("accept", Accept, Command.DECIDE_PETITION),
    PetitionPosted("guide", Guide, Command.DECIDE_PETITION),
    PetitionPosted("transfer", Transfer, Command.DECIDE_PETITION),
    PetitionPosted("not-accept", NotAccept, Command.DECIDE_PETITION),
    PetitionPosted("archive", Archive, Command.DECIDE_PETITION),
    PetitionPosted("verify", RecordVerification, Command.HANDLE_PETITION, 201),
    PetitionPosted("dialogue", HoldDialogue, Command.HANDLE_PETITION, 201),
    PetitionPosted("extend", Extend, Command.EXTEND_PETITION),
    PetitionPosted("suspend", Suspend, Command.EXTEND_PETITION),
    PetitionPosted("resume", Resume, Command.EXTEND_PETITION),
    PetitionPosted("resolve", Resolve, Command.RESOLVE_PETITION),
    PetitionPosted("publish", PublishResult, Command.RESOLVE_PETITION),
    PetitionPosted("withdraw", WithdrawPetition, Command.WITHDRAW_PETITION),
    PetitionPosted("same-matter", MarkSameMatter, Command.LINK_PETITION, 201),
    PetitionPosted("same-matter-undo", UnmarkSameMatter, Command.LINK_PETITION),
    PetitionPosted("answer-with-earlier", AnswerWithEarlier, Command.DECIDE_PETITION),
)
PETITION_BY_NAME = {p.name: p for p in PETITION_POSTED}


@dataclass(frozen=True, slots=True)
class DtiPosted:
    """A command of an assessment's life, posted to ``/api/dti/assessments/{key}/`` + ``name``
    by the roles its permission lets run it (the assessment checks the unit)."""

    name: str
    command: type[AssessmentCommand]
    status: int = 200

    @property
    def permission(self) -> Command:
        return self.command.permission


DTI_POSTED: tuple[DtiPosted, ...] = (
    DtiPosted("values", EnterValue),
    DtiPosted("submission", Submit),
    DtiPosted("acceptances", AcceptValue),
    DtiPosted("adjustments", AdjustValue),
    DtiPosted("return", SendBack),
    DtiPosted("answer", AnswerReturn),
    DtiPosted("appraisal", CompleteAppraisal),
    DtiPosted("corrections", CorrectValue, 201),
)
# An administrator's commands on an account, posted to ``/api/users/{username}`` + the key.
ACCOUNT_POSTED: dict[str, type[AccountCommand]] = {
    "/role": ChangeRole,
    "/disabling": DisableUser,
    "/profile": ChangeProfile,
    "/enabling": EnableUser,
}
# An administrator's commands on the units, posted to ``/api/units`` + the key.
UNIT_POSTED: dict[str, type[AddUnit | RenameUnit | DeactivateUnit]] = {
    "/additions": AddUnit,
    "/renamings": RenameUnit,
    "/deactivations": DeactivateUnit,
}


class Body(BaseModel):
    """What every request body shares: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _bounded(name: str, annotation: Any, method: str = "") -> Any:
    """A text field's type with the domain's rule for it (in the command ``method`` names) as
    bounds (a margin above its limit)."""
    if name not in RULES:
        return annotation
    rule = rule_of(name, method)
    text = Annotated[
        str,
        StringConstraints(
            min_length=1 if rule.required else 0, max_length=rule.limit * DECOMPOSED_MARGIN
        ),
    ]
    args = typing.get_args(annotation)
    if annotation is str:
        return text
    if type(None) in args and str in args:
        return text | None
    if typing.get_origin(annotation) is tuple and args and args[0] is str:
        return Annotated[tuple[text, ...], Field(max_length=MAX_ITEMS)]
    return annotation


_MODELS: dict[type[Any], type[BaseModel]] = {}


def request_model(command: type[Any]) -> type[BaseModel]:
    """The request body of a command: its fields but those the path gives (``number``), with
    their defaults, named after the command (made once per command)."""
    made = _MODELS.get(command)
    if made is not None:
        return made
    hints = typing.get_type_hints(command)
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(command):
        if field.name == "number" and getattr(command, "numbered", False):
            continue
        if field.name in _SPECIAL:
            fields[field.name] = _SPECIAL[field.name]
            continue
        default = field.default if field.default is not dataclasses.MISSING else ...
        bounded = _bounded(field.name, hints[field.name], getattr(command, "method", ""))
        fields[field.name] = (bounded, default)
    model: type[BaseModel] = create_model(command.__name__, __base__=Body, **fields)
    model.__doc__ = command.__doc__
    _MODELS[command] = model
    return model


def command_of(command: type[Any], body: BaseModel, number: int | None = None) -> Any:
    """The command a validated body (and the path's number) asks for."""
    values = dict(body)
    if number is not None:
        values["number"] = number
    if "files" in values:
        values["files"] = tuple(FileGiven(**dict(f)) for f in values["files"])
    return command(**values)


# A petitioner in a request: the fields of ``PetitionerGiven`` bounded by their text rules;
# checked and normalised by the domain (``domain.shared.personal.Person``).
PETITIONER = request_model(PetitionerGiven)
# tuple[PETITIONER, ...], spelled so because the model is made at run time
_SPECIAL["petitioners"] = (
    Annotated[types.GenericAlias(tuple, (PETITIONER, ...)), Field(max_length=MAX_ITEMS)],
    (),
)


def receive_command(body: BaseModel) -> ReceivePetition:
    """The petition a validated body of ``RECEIVE`` asks to receive."""
    values = dict(body)
    values["petitioners"] = tuple(PetitionerGiven(**dict(p)) for p in values["petitioners"])
    return ReceivePetition(**values)


# A file a command files: the digest ``POST /api/files`` answered with, and the name to file
# it under (``domain.shared.files.FileGiven``).
FILE = create_model(
    "FileGiven",
    __base__=Body,
    digest=(Digest, ...),
    name=(
        Annotated[
            str,
            StringConstraints(min_length=1, max_length=FILE_NAME.limit * DECOMPOSED_MARGIN),
        ],
        ...,
    ),
)
FILE.__doc__ = FileGiven.__doc__
_SPECIAL["files"] = (
    Annotated[types.GenericAlias(tuple, (FILE, ...)), Field(max_length=MAX_ITEMS)],
    (),
)

ISSUE = request_model(IssueDirective)
RECEIVE = request_model(ReceivePetition)

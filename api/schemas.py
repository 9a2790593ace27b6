"""The request bodies that carry a secret (a password, the digits of a look-up), which no domain
command holds, and those of questions too large for a query (a what-if scoring of the index):
pydantic models that validate what clients send and, through their JSON Schema, document it in
the OpenAPI description. Unknown fields are refused. The other bodies are derived from the
domain's commands (``api.commands``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from domain.shared.actors import Role

Short = Annotated[str, StringConstraints(max_length=500)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SignIn(Body):
    username: Annotated[str, StringConstraints(min_length=1, max_length=63)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1_000)]


class NewUser(Body):
    username: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,62}$")]
    display_name: Short = ""
    title: Short = ""
    role: Role
    unit: Code | None = None
    password: Annotated[str, StringConstraints(min_length=8, max_length=1_000)] | None = None


class PasswordResetBody(Body):
    """A password reset: nothing to give, the new password is made by the server."""


class Lookup(Body):
    """The public look-up: a receipt code and four digits (the last four of a petitioner's
    personal identification number, or the look-up PIN on the receipt)."""

    code: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    digits: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]


class DtiWhatIf(Body):
    """What a period's results would be under a framework not published (other weights, a
    draft revision): the framework file itself as ``framework``, checked as a file is; the
    period's assessments as they stood at ``as_of`` and ``position`` (default: now). Nothing is
    recorded."""

    index: Annotated[str, StringConstraints(min_length=1, max_length=63)]
    period: Annotated[int, Field(ge=2000, le=2100, strict=True)]
    as_of: date | None = None
    position: Annotated[int, Field(ge=0, le=2**62, strict=True)] | None = None
    framework: dict[str, Any]


# Issue 28: a directive's signed document and its later versions (api.filing).
Reason = Annotated[str, StringConstraints(min_length=1, max_length=5_000)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
Prose = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]


class DocumentFiling(Body):
    """Sign and file a directive's document that is pending: nothing to give."""


class DocumentAmendment(Body):
    """Đính chính: why, and the corrected title or content where they change (else the
    issued ones)."""

    reason: Reason
    title: Title | None = None
    content: Prose | None = None


class DocumentReplacement(Body):
    """Thay thế: why, and the new text (its title, if it changes)."""

    reason: Reason
    title: Title | None = None
    content: Prose


class DocumentRevocation(Body):
    """Thu hồi: why."""

    reason: Reason


class ReportIssue(Body):
    """The Office's periodic report to issue (api.report_filing): its period (a year, quarter or
    month: ``2026``, ``2026-Q3``, ``2026-07``), its number (``12/BC-VP``), and the log position
    its figures are read at (default: the latest). The same period and number issued again
    answers with the report filed the first time."""

    period: Annotated[str, StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2]|[Qq][1-4]))?$")]
    number: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"\S")]
    position: Annotated[int, Field(ge=0, le=2**62, strict=True)] | None = None

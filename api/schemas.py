"""Request bodies: pydantic models that validate what clients send and, through their JSON Schema,
document it in the OpenAPI description. Unknown fields are refused."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from domain.directives.directive import Urgency
from domain.shared.actors import Role

Text = Annotated[str, StringConstraints(max_length=20_000)]
Short = Annotated[str, StringConstraints(max_length=500)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Digest = Annotated[str, StringConstraints(pattern=r"^sha256:[0-9a-f]{64}$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SignIn(Body):
    username: Annotated[str, StringConstraints(min_length=1, max_length=63)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1_000)]


class NewUser(Body):
    username: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{1,62}$")]
    display_name: Short = ""
    role: Role
    unit: Code | None = None
    password: Annotated[str, StringConstraints(min_length=8, max_length=1_000)] | None = None


class RoleChange(Body):
    role: Role
    unit: Code | None = None


class Disabling(Body):
    reason: Short = ""


class IssueDirective(Body):
    reference: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
    content: Text = ""
    lead_unit: Code
    coordinating_units: Annotated[list[Code], Field(max_length=50)] = []
    deadline: date | None = None
    urgency: Urgency = Urgency.NORMAL
    issuer: Short | None = None
    parent_reference: Short | None = None
    issued_on: date | None = None


class Empty(Body):
    pass


class ProgressReport(Body):
    percent: Annotated[int, Field(ge=0, le=100, strict=True)]
    narrative: Text = ""
    attachments: Annotated[list[Digest], Field(max_length=50)] = []


class Contribution(Body):
    narrative: Text = ""
    attachments: Annotated[list[Digest], Field(max_length=50)] = []


class ExtensionRequest(Body):
    new_deadline: date
    reason: Text = ""


class ExtensionDecision(Body):
    decision: Literal["grant", "deny"]
    new_deadline: date | None = None
    note: Text = ""


class CompletionReport(Body):
    summary: Text = ""
    attachments: Annotated[list[Digest], Field(max_length=50)] = []


class CompletionDecision(Body):
    decision: Literal["accept", "return"]
    note: Text = ""


class Reassignment(Body):
    to_unit: Code
    reason: Text = ""


class Withdrawal(Body):
    reason: Text = ""


class Reminder(Body):
    message: Text = ""


class ExplanationRequest(Body):
    question: Text


class ExplanationAnswer(Body):
    answer: Text

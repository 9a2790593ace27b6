"""The request bodies that carry a secret (a password, the digits of a look-up), which no domain
command holds: pydantic models that validate what clients send and, through their JSON Schema,
document it in the OpenAPI description. Unknown fields are refused. The other bodies are derived
from the domain's commands (``api.commands``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

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

"""Request bodies: pydantic models that validate what clients send and, through their JSON Schema,
document it in the OpenAPI description. Unknown fields are refused."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

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

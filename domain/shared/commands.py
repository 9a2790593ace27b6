"""Commands as data, for every kind of case: a command names what is asked, in the words of its
aggregate's own method, and ``apply`` runs that method, which checks the rules. Who asks, in
answer to which request and when travel beside it (``Origin``), as they do with every event.

Each context writes its commands once (``domain.directives.commands``,
``domain.accounts.commands``); the API's request schemas, the OpenAPI description and the pages'
forms are derived from them (``api.commands``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from domain.shared.actors import Actor


@dataclass(frozen=True, slots=True)
class Origin:
    """Who asks, in answer to which request, and when: what every event carries."""

    actor: Actor
    request_id: str
    at: datetime

    def fields(self) -> dict[str, Any]:
        return {"actor": self.actor, "request_id": self.request_id, "at": self.at}


@dataclass(frozen=True, kw_only=True)
class Command:
    """A command on an existing aggregate. ``method`` names the aggregate's method that takes
    the command's fields as they are; a command whose fields do not map one to one overrides
    ``apply``."""

    method: ClassVar[str] = ""

    def apply(self, aggregate: Any, origin: Origin) -> None:
        fields = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        getattr(aggregate, self.method)(**fields, **origin.fields())

    def units_assigned(self) -> tuple[str, ...]:
        """Units the command gives the aggregate to, which must exist and be active."""
        return ()

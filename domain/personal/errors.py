"""What an erasure of personal data refuses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from domain.shared.errors import DomainError


class NothingToEraseError(DomainError):
    """An erasure must name persons whose data is kept."""

    code = "nothing-to-erase"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "none_named": "an erasure names persons, or a personal identification number",
        "no_person": "no person's details are kept under that personal identification number",
    }

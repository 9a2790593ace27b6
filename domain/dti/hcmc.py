"""The city's index as shipped: Ho Chi Minh City's digital-transformation index in its two
versions, each a framework file beside this module that cites its public sources and says
which of its parts are a labelled example (docs/dti.md)."""

from __future__ import annotations

from pathlib import Path

from domain.dti.file import read_framework
from domain.dti.framework import Framework

FOLDER = Path(__file__).with_name("frameworks")
# Version 1: Quyết định 79/QĐ-UBND of 10 January 2023 (the 2023 results); version 2: the 2025
# index (departments, and the wards, communes and special zone of the two-level city).
SHIPPED: tuple[Path, ...] = (
    FOLDER / "hcm-dti-v1-2023.json",
    FOLDER / "hcm-dti-v2-2025.json",
)


def shipped(version: int) -> Framework:
    """A shipped version of the city's index, read from its file."""
    return read_framework(SHIPPED[version - 1].read_bytes())

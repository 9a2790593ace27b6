"""The index of filed documents' files by their SHA-256 (``projections.document_check``): which
document and version each file is, and where and when the log filed it, so that checking a
file someone holds reads one row and its document's events rather than the log's filings.

Kept by the oversight projection from ``Document.Filed`` and ``Document.VersionFiled``, in the
same transaction as its tracking position, and rebuilt with it. ``since`` is the view's
position when the index began: a view projected before the index existed has not indexed what
it had already passed, and the lookup reads those filings from the log until the view is
rebuilt (a fresh view's ``since`` is 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

TABLES = ("filed_files", "filed_since")


@dataclass(frozen=True, slots=True)
class FiledRow:
    """One filed file: its digest, its document and version, the filing event's position and
    moment."""

    digest: str
    document_id: UUID
    version: int
    position: int
    recorded_at: datetime


class FiledStore(Protocol):
    """The index's questions."""

    def since(self) -> int:
        """The view's position when the index began (0: it indexed the whole log)."""
        ...

    def rows(self, digest: str) -> list[FiledRow]:
        """The filings of the file with this digest, in log order."""
        ...

    def documents(self) -> set[UUID]:
        """The documents indexed (those whose first version is)."""
        ...


class FiledIndex(Protocol):
    """A view holding the index: where it stands in the log, and the index."""

    def position(self) -> int:
        """Where the view (and so its index) stands in the log."""
        ...

    @property
    def filed(self) -> FiledStore: ...

"""An index's published frameworks as an event-sourced aggregate: each version published as an
event (``VersionPublished``), with the file's digest, who published it and why; a revision is
the next version, and every earlier version stays as it was published."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

from domain.dti.errors import FrameworkNotFoundError, FrameworkVersionError
from domain.dti.framework import Framework
from domain.shared.actors import Actor, Command, require_permission
from domain.shared.text import checked


def index_id(index: str) -> UUID:
    """The aggregate of an index's versions, named by the index's key (``hcm-dti``)."""
    return uuid5(NAMESPACE_URL, "thucthi:dti-index:" + index)


@dataclass(frozen=True, slots=True)
class PublishedVersion:
    """A version as published: the framework, the SHA-256 of the file it was read from, when,
    by whom and why (a revision's reason)."""

    framework: Framework
    digest: str
    published_at: datetime
    published_by: str
    reason: str


class DtiIndex(Aggregate):
    """Every published version of one index, the first first."""

    TOPIC = "thucthi:DtiIndex"

    key: str
    versions: tuple[PublishedVersion, ...]

    def __deepcopy__(self, memo: dict[int, object]) -> DtiIndex:
        """Its fields are immutable (a text, a tuple of frozen records): copying them is a deep
        copy, without walking every component of every framework."""
        copied = object.__new__(type(self))
        copied.__dict__.update(self.__dict__)
        copied.__dict__["_pending_events"] = list(self.pending_events)
        return copied

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """The library's generic creation event; never triggered, named so no topic is implied."""

        TOPIC = "thucthi:DtiIndex.Created"

    class Opened(Event, Aggregate.Created):
        TOPIC = "thucthi:DtiIndex.Opened"
        key: str

    class VersionPublished(Event):
        TOPIC = "thucthi:DtiIndex.VersionPublished"
        framework: Framework
        digest: str
        reason: str

    class Snapshot(_Snapshot):
        TOPIC = "thucthi:DtiIndex.Snapshot"

    @classmethod
    def open(cls, *, key: str, actor: Actor, request_id: str, at: datetime) -> DtiIndex:
        """The index, with no version yet: its first is published at once after."""
        require_permission(actor, Command.PUBLISH_DTI_FRAMEWORK)
        return cls._create(
            cls.Opened, id=index_id(key), key=key, actor=actor, request_id=request_id, timestamp=at
        )

    @event(Opened)
    def __init__(self, *, key: str, actor: Actor, request_id: str) -> None:
        self.key = key
        self.versions = ()

    # --- queries -----------------------------------------------------------------------------

    @property
    def latest(self) -> int:
        return len(self.versions)

    def published(self, number: int | None = None) -> PublishedVersion:
        """A version as published (the latest if ``number`` is None)."""
        if not self.versions:
            raise FrameworkNotFoundError("unknown", index=self.key)
        chosen = self.latest if number is None else number
        if not 1 <= chosen <= self.latest:
            raise FrameworkNotFoundError("no_version", index=self.key, version=chosen)
        return self.versions[chosen - 1]

    # --- commands ----------------------------------------------------------------------------

    def publish(
        self,
        *,
        framework: Framework,
        digest: str,
        reason: str = "",
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Ban hành: the framework becomes the index's next version."""
        require_permission(actor, Command.PUBLISH_DTI_FRAMEWORK)
        if not self.versions and framework.version != 1:
            raise FrameworkVersionError("first", index=self.key, version=framework.version)
        if self.versions and framework.version != self.latest + 1:
            raise FrameworkVersionError(
                "not_next",
                index=self.key,
                latest=self.latest,
                expected=self.latest + 1,
                version=framework.version,
            )
        self._version_published(
            framework=framework,
            digest=digest,
            reason=checked("reason", reason),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    @event(VersionPublished)
    def _version_published(
        self,
        *,
        framework: Framework,
        digest: str,
        reason: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        published = PublishedVersion(framework, digest, timestamp, actor.user_id, reason)
        self.versions = (*self.versions, published)


TOPICS: tuple[str, ...] = (DtiIndex.Opened.TOPIC, DtiIndex.VersionPublished.TOPIC)

"""The application service: one method per command, each returning the notification id it recorded.

Commands load the aggregate, let it check its rules, and save; commands saving at the same moment
share one transaction (``domain.group_commit``). Writers of one aggregate take turns:
threads of one process by striped locks, processes by the store's lock for that aggregate when it
has one (PostgreSQL advisory locks), so under contention they queue instead of starving. The
version constraint stays the backstop: a save that still loses (a writer without the lock, or a
store without one) is re-run on fresh state with jittered back-off, a bounded number of times,
before a ConcurrencyConflictError is surfaced. Time comes from an injected clock.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from copy import deepcopy
from datetime import date, datetime
from typing import Any, ClassVar, Protocol, TypeVar, cast
from uuid import UUID

import orjson
from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, Mapper, StoredEvent

from domain.accounts import UserAccount, stored_secrets, user_id
from domain.actors import Actor, Role
from domain.clock import Clock, SystemClock
from domain.codec import OrjsonMapper
from domain.credentials import BearerToken, Credentials, MemoryCredentials
from domain.directive import Directive, Urgency, directive_id
from domain.errors import (
    AccountDisabledError,
    AmbiguousReferenceError,
    ConcurrencyConflictError,
    DirectiveNotFoundError,
    DuplicateReferenceError,
    DuplicateUserError,
    InvalidDirectiveError,
    InvalidUserError,
    ParentDirectiveNotFoundError,
    UserNotFoundError,
    VersionMismatchError,
    VersionNotFoundError,
)
from domain.group_commit import GroupCommit
from domain.hcmc_units import DEFAULT_UNITS, LEADING_UNITS, UnitSeed
from domain.references import UUID_FORM, LegacyReferences, normalised_or_none
from domain.text import checked as checked_text
from domain.units import REGISTRY_ID, UnitRegistry

SYSTEM_ACTOR = Actor(user_id="system", role=Role.ADMIN)

_A = TypeVar("_A", Directive, UnitRegistry, UserAccount)
_T = TypeVar("_T")
_ACCOUNT_CACHE = 10_000
_COMMAND_CACHE = 1_000  # aggregates whose last saved state this process keeps for commands
_LOCK_STRIPES = 64
_BACKOFF_CAP_SECONDS = 0.1
# After a conflict on an aggregate, this process takes its cross-process lock for this long.
CONTENDED_SECONDS = 10.0
_CONTENDED_KEPT = 10_000


def replay(aggregate: Any, events: Iterable[Any]) -> Any:  # the library's ProjectorFunction
    """Apply events in turn: the library's ``project_aggregate`` without its assertion.

    That assertion is an ``isinstance`` against a runtime-checkable Protocol, which inspects the
    protocol's members on every call: a sixth of reading a directive at a past version.
    """
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class PastVersions(Protocol):
    """What rebuilding an aggregate at a version reads, in one round trip to the store.

    The newest snapshot at or before the version, then the events after it up to the version,
    in order (no snapshot: the events from the first). The library asks for the snapshot and the
    events in two queries; a store that can ask once halves the round trips of the inspectors'
    version slider (``api.past_versions``).
    """

    def read(self, aggregate_id: UUID, version: int) -> Sequence[StoredEvent]: ...

    def read_many(self, wanted: Mapping[UUID, int]) -> Mapping[UUID, Sequence[StoredEvent]]:
        """The same for many aggregates, each at its own version, in one round trip."""
        ...


class AggregateLocks(Protocol):
    """A lock per aggregate shared by every process using the store (e.g. PostgreSQL advisory)."""

    def hold(self, aggregate_id: UUID) -> AbstractContextManager[None]: ...

    def close(self) -> None: ...


class ChangeFeed(Protocol):
    """What this process has heard of aggregates stored by anyone, without asking the store.

    ``mark()`` is taken before reading an aggregate from the store; ``unchanged(id, version,
    mark)`` is then True only if the feed has heard of no later version of that aggregate since
    the mark. A save still in flight may not be heard of yet: state taken as unchanged is good
    for commands, which the version constraint guards, and for accounts, which are checked
    again as soon as the save is heard of. ``mark()`` is None when the feed knows nothing now.
    """

    def mark(self) -> Hashable | None: ...

    def unchanged(self, aggregate_id: UUID, version: int, mark: Hashable) -> bool: ...


class NoChangeFeed:
    """For stores that cannot tell: every read asks the store."""

    def mark(self) -> Hashable | None:
        return None

    def unchanged(self, aggregate_id: UUID, version: int, mark: Hashable) -> bool:
        return False


class NoAggregateLocks:
    """For stores without cross-process locks: the version constraint and retries suffice."""

    def hold(self, aggregate_id: UUID) -> AbstractContextManager[None]:
        return nullcontext()

    def close(self) -> None:
        pass


class Thucthi(Application[UUID]):
    """Thucthi's event-sourced application: directives and the unit registry."""

    name = "Thucthi"
    # A directive at a past version is its snapshot at or before it plus at most 9 events:
    # inspectors' version slider reads as fast as the current state (docs/performance.md).
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Directive: 10,
        UnitRegistry: 100,
        UserAccount: 50,
    }

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        clock: Clock | None = None,
        max_attempts: int = 16,
        locks: AggregateLocks | None = None,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        # Set by the store's adapter after opening (it needs the recorders); None: the library's.
        self.past_versions: PastVersions | None = None
        self.max_attempts = max_attempts
        self.aggregate_locks: AggregateLocks = locks or NoAggregateLocks()
        self._write_locks = tuple(threading.Lock() for _ in range(_LOCK_STRIPES))
        self._contended: dict[UUID, float] = {}  # aggregate -> monotonic time its lock is used to
        self._saved = threading.local()  # this thread's last stored aggregate: saved_directive
        self._registry: tuple[UnitRegistry, Hashable | None] | None = None
        self._registry_lock = threading.Lock()
        self._accounts: dict[str, tuple[UserAccount, Hashable | None]] = {}
        self._accounts_lock = threading.Lock()
        # The last state this process saved of each aggregate it wrote, for its next command.
        self._latest: dict[UUID, tuple[Any, Hashable | None]] = {}
        self._latest_lock = threading.Lock()
        # What is heard of saves by other processes (api.freshness on PostgreSQL).
        self.changes: ChangeFeed = NoChangeFeed()
        # Password hashes and tokens, beside the log (adapters.credentials on a database).
        self.credentials: Credentials = MemoryCredentials()
        self._group_commit: GroupCommit[Directive | UnitRegistry | UserAccount] = GroupCommit(
            self.save
        )
        super().__init__(env)
        self.legacy_references = LegacyReferences(self.recorder, cast("OrjsonMapper", self.mapper))

    def close(self) -> None:
        self.aggregate_locks.close()
        super().close()

    def construct_mapper(self) -> Mapper[UUID]:
        return OrjsonMapper(
            transcoder=self.construct_transcoder(),
            compressor=self.factory.compressor(),
            cipher=self.factory.cipher(),
        )

    # --- the unit registry -------------------------------------------------------------------

    def open_unit_registry(
        self,
        units: Iterable[UnitSeed] = DEFAULT_UNITS,
        *,
        actor: Actor = SYSTEM_ACTOR,
        request_id: str = "init",
    ) -> int | None:
        """Create the registry with these units unless it exists; its notification id if made."""
        if self._exists(REGISTRY_ID):
            return None
        at = self.clock.now()
        registry = UnitRegistry.open(actor=actor, request_id=request_id, at=at)
        for unit in units:
            registry.add_unit(
                code=unit.code,
                name_vi=unit.name_vi,
                name_en=unit.name_en,
                parent=unit.parent,
                actor=actor,
                request_id=request_id,
                at=at,
            )
        try:
            return self._save(registry)
        except IntegrityError:
            return None  # another process opened it at the same moment: same defaults

    def unit_registry(self) -> UnitRegistry:
        """The registry as last recorded, for reading only: callers must not change it.

        Kept between calls and brought up to date with just the events recorded since, because
        every issue and reassignment consults it.
        """
        with self._registry_lock:
            kept = self._registry
            if kept is not None and self._unchanged(kept[0], kept[1]):
                return kept[0]
            mark = self.changes.mark()
            if kept is None:
                registry: UnitRegistry = self.repository.get(REGISTRY_ID)
            else:
                registry = kept[0]
                for event in self.events.get(REGISTRY_ID, gt=registry.version):
                    cast("UnitRegistry.Event", event).mutate(registry)
            self._registry = (registry, mark)
            return registry

    def add_unit(
        self,
        *,
        code: str,
        name_vi: str,
        name_en: str,
        parent: str | None,
        actor: Actor,
        request_id: str,
    ) -> int:
        return self._update_registry(
            lambda r, at: r.add_unit(
                code=code,
                name_vi=name_vi,
                name_en=name_en,
                parent=parent,
                actor=actor,
                request_id=request_id,
                at=at,
            ),
        )

    def rename_unit(
        self, *, code: str, name_vi: str, name_en: str, actor: Actor, request_id: str
    ) -> int:
        return self._update_registry(
            lambda r, at: r.rename_unit(
                code=code,
                name_vi=name_vi,
                name_en=name_en,
                actor=actor,
                request_id=request_id,
                at=at,
            ),
        )

    def deactivate_unit(self, *, code: str, reason: str, actor: Actor, request_id: str) -> int:
        return self._update_registry(
            lambda r, at: r.deactivate_unit(
                code=code, reason=reason, actor=actor, request_id=request_id, at=at
            ),
        )

    # --- accounts ----------------------------------------------------------------------------

    def create_user(
        self,
        *,
        username: str,
        display_name: str,
        role: Role,
        unit: str | None,
        password_hash: str,
        actor: Actor,
        request_id: str,
    ) -> int:
        """Record a new account; its password's hash goes to the credential store, not the log."""
        account = UserAccount.create(
            username=username,
            display_name=display_name,
            role=role,
            unit=unit,
            actor=actor,
            request_id=request_id,
            at=self.clock.now(),
        )
        if unit is not None:
            self.unit_registry().require_active(unit)
        if self._exists(account.id):
            msg = f"user {username} already exists"
            raise DuplicateUserError(msg)
        try:
            position = self._save(account)
        except IntegrityError:
            msg = f"user {username} already exists"
            raise DuplicateUserError(msg) from None
        # After the event: a password is never kept for an account the log does not have.
        self.credentials.set_password(username, password_hash, account.modified_on)
        return position

    def get_user(self, username: str) -> UserAccount:
        try:
            account: UserAccount = self.repository.get(user_id(username))
        except (AggregateNotFoundError, ValueError):
            msg = f"no user {username!r}"
            raise UserNotFoundError(msg) from None
        return account

    def cached_user(self, username: str) -> UserAccount | None:
        """The account as last recorded, brought up to date incrementally; for reading only.

        Every authenticated request consults it, so it is kept between calls, and the store is
        asked again only when the change feed cannot say the account is unchanged.
        """
        with self._accounts_lock:
            kept = self._accounts.get(username)
            if kept is not None and self._unchanged(*kept):
                return kept[0]
            mark = self.changes.mark()  # before the store is asked: a later save is heard of
            if kept is None:
                try:
                    account = self.get_user(username)
                except UserNotFoundError:
                    return None
                if len(self._accounts) >= _ACCOUNT_CACHE:
                    self._accounts.pop(next(iter(self._accounts)))
            else:
                account = kept[0]
                for event in self.events.get(account.id, gt=account.version):
                    cast("UserAccount.Event", event).mutate(account)
            self._accounts[username] = (account, mark)
            return account

    def password_hash(self, username: str) -> str | None:
        """The account's password hash, from the credential store.

        An account created by the earlier version, which kept the hash in the log, has none
        there until it is first asked for: then the hash of its last password is taken from its
        own events into the store (docs/audit.md, "a log written by an earlier version").
        """
        found = self.credentials.password_hash(username)
        if found is None:
            found = self._password_hash_in_old_events(username)
            if found is not None:
                self.credentials.set_password(username, found, self.clock.now(), only_if_none=True)
                found = self.credentials.password_hash(username)
        return found

    def _password_hash_in_old_events(self, username: str) -> str | None:
        last: str | None = None
        for stored in self.recorder.select_events(user_id(username)):
            if stored.topic not in (
                UserAccount.Created.TOPIC,
                UserAccount.PasswordChanged.TOPIC,
            ):
                continue
            # A password set by this version is not in the log: no older hash stands after it.
            value = (
                orjson.loads(stored.state).get("password_hash")
                if "password_hash" in stored_secrets(stored.topic, stored.state)
                else None
            )
            last = value if isinstance(value, str) else None
        return last

    def change_role(
        self, username: str, *, role: Role, unit: str | None, actor: Actor, request_id: str
    ) -> int:
        if unit is not None:
            self.unit_registry().require_active(unit)
        return self._update_user(
            username,
            lambda u, at: u.change_role(
                role=role, unit=unit, actor=actor, request_id=request_id, at=at
            ),
        )

    def change_password(
        self, username: str, *, password_hash: str, actor: Actor, request_id: str
    ) -> int:
        """Record the change and keep the new hash; the account's tokens end with the old
        password, so a reset after a leak leaves no session behind."""
        position = self._update_user(
            username,
            lambda u, at: u.change_password(actor=actor, request_id=request_id, at=at),
        )
        now = self.clock.now()
        self.credentials.set_password(username, password_hash, now)
        self.credentials.revoke_all(username, now)
        return position

    def disable_user(self, username: str, *, reason: str, actor: Actor, request_id: str) -> int:
        def command(account: UserAccount, at: datetime) -> None:
            account.disable(reason=reason, actor=actor, request_id=request_id, at=at)
            # Before the event is saved: once this returns, no token of the account acts.
            self.credentials.disable(username, at)

        return self._update_user(username, command)

    def enable_user(self, username: str, *, actor: Actor, request_id: str) -> int:
        position = self._update_user(
            username, lambda u, at: u.enable(actor=actor, request_id=request_id, at=at)
        )
        self.credentials.enable(username)
        return position

    def sign_in(
        self,
        username: str,
        *,
        secret_hash: str,
        token_id: str,
        expires_at: datetime,
        request_id: str,
    ) -> int:
        """Record a sign-in whose password the caller has already verified, then keep its token
        (by its secret's hash): a token acts only once the log says it was issued."""
        position = self._update_user(
            username,
            lambda u, at: u.sign_in(
                token_id=token_id, expires_at=expires_at, request_id=request_id, at=at
            ),
        )
        token = BearerToken(token_id, username, self.clock.now(), expires_at)
        if not self.credentials.issue(secret_hash, token):
            msg = f"{username} is disabled"
            raise AccountDisabledError(msg)
        return position

    def revoke_token(self, username: str, *, token_id: str, actor: Actor, request_id: str) -> int:
        def command(account: UserAccount, at: datetime) -> None:
            account.revoke_token(token_id=token_id, actor=actor, request_id=request_id, at=at)
            # Before the event is saved: once this returns, the token acts nowhere.
            if not self.credentials.revoke(username, token_id, at):
                msg = "no such token"
                raise InvalidUserError(msg)

        return self._update_user(username, command)

    def _update_user(
        self, username: str, command: Callable[[UserAccount, datetime], object]
    ) -> int:
        try:
            return self._update(user_id(username), command)
        except AggregateNotFoundError:
            msg = f"no user {username!r}"
            raise UserNotFoundError(msg) from None

    # --- directives: issuing -----------------------------------------------------------------

    def issue_directive(
        self,
        *,
        reference: str,
        title: str,
        content: str,
        lead_unit: str,
        coordinating_units: Sequence[str] = (),
        deadline: date | None = None,
        urgency: Urgency = Urgency.NORMAL,
        issuer: str | None = None,
        parent_reference: str | None = None,
        issued_on: date | None = None,
        actor: Actor,
        request_id: str,
    ) -> int:
        """Ban hành: record a new directive. Its reference must not have been used before."""
        parent_id = None
        if parent_reference is not None:
            parent_id = self.find_directive(parent_reference)
            if parent_id is None:
                msg = f"no directive {parent_reference!r} to be the parent"
                raise ParentDirectiveNotFoundError(msg)
        directive = Directive.issue(
            reference=reference,
            title=title,
            content=content,
            issuer=issuer,
            lead_unit=lead_unit,
            coordinating_units=coordinating_units,
            deadline=deadline,
            urgency=urgency,
            parent_id=parent_id,
            issued_on=issued_on,
            actor=actor,
            request_id=request_id,
            at=self.clock.now(),
        )
        self._require_assignable(directive.lead_unit, *directive.coordinating_units)
        if self._exists(directive.id):
            msg = f"a directive with reference {directive.reference} was already issued"
            raise DuplicateReferenceError(msg)
        self._refuse_earlier_spellings(reference, directive.reference)
        try:
            return self._save(directive)
        except IntegrityError:
            msg = f"a directive with reference {directive.reference} was already issued"
            raise DuplicateReferenceError(msg) from None

    def _refuse_earlier_spellings(self, given: str, reference: str) -> None:
        """A directive an earlier version recorded under another spelling of ``reference`` (the
        one given, or any that normalises to it) is that directive: never issued twice."""
        earlier = [directive_id(given)] if directive_id(given) != directive_id(reference) else []
        earlier.extend(self.legacy_references.ids(reference))
        for aggregate_id in earlier:
            if self._is_directive(aggregate_id):
                msg = (
                    f"a directive with reference {reference} was already issued by an earlier "
                    f"version, as {self.get_directive(aggregate_id).reference!r}"
                )
                raise DuplicateReferenceError(msg)

    # --- directives: the lifecycle -----------------------------------------------------------

    def acknowledge(
        self,
        reference: str,
        *,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.acknowledge(actor=actor, request_id=request_id, at=at),
        )

    def report_progress(
        self,
        reference: str,
        *,
        percent: int,
        narrative: str,
        attachments: Sequence[str] = (),
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.report_progress(
                percent=percent,
                narrative=narrative,
                attachments=attachments,
                actor=actor,
                request_id=request_id,
                at=at,
            ),
        )

    def contribute(
        self,
        reference: str,
        *,
        narrative: str,
        attachments: Sequence[str] = (),
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.contribute(
                narrative=narrative,
                attachments=attachments,
                actor=actor,
                request_id=request_id,
                at=at,
            ),
        )

    def request_extension(
        self,
        reference: str,
        *,
        new_deadline: date,
        reason: str,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.request_extension(
                new_deadline=new_deadline, reason=reason, actor=actor, request_id=request_id, at=at
            ),
        )

    def grant_extension(
        self,
        reference: str,
        *,
        number: int,
        new_deadline: date | None = None,
        note: str = "",
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.grant_extension(
                number=number,
                new_deadline=new_deadline,
                note=note,
                actor=actor,
                request_id=request_id,
                at=at,
            ),
        )

    def deny_extension(
        self,
        reference: str,
        *,
        number: int,
        reason: str,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.deny_extension(
                number=number, reason=reason, actor=actor, request_id=request_id, at=at
            ),
        )

    def report_completion(
        self,
        reference: str,
        *,
        summary: str,
        attachments: Sequence[str] = (),
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.report_completion(
                summary=summary, attachments=attachments, actor=actor, request_id=request_id, at=at
            ),
        )

    def accept_completion(
        self,
        reference: str,
        *,
        note: str = "",
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.accept_completion(note=note, actor=actor, request_id=request_id, at=at),
        )

    def return_completion(
        self,
        reference: str,
        *,
        reason: str,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.return_completion(
                reason=reason, actor=actor, request_id=request_id, at=at
            ),
        )

    def reassign(
        self,
        reference: str,
        *,
        to_unit: str,
        reason: str,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        def command(directive: Directive, at: datetime) -> None:
            directive.reassign(
                to_unit=to_unit, reason=reason, actor=actor, request_id=request_id, at=at
            )
            self._require_assignable(to_unit)

        return self._update_directive(expected_version, reference, actor, command)

    def withdraw(
        self,
        reference: str,
        *,
        reason: str,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.withdraw(reason=reason, actor=actor, request_id=request_id, at=at),
        )

    def send_reminder(
        self,
        reference: str,
        *,
        message: str,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.send_reminder(
                message=message, actor=actor, request_id=request_id, at=at
            ),
        )

    def request_explanation(
        self,
        reference: str,
        *,
        question: str,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.request_explanation(
                question=question, actor=actor, request_id=request_id, at=at
            ),
        )

    def give_explanation(
        self,
        reference: str,
        *,
        number: int,
        answer: str,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        return self._update_directive(
            expected_version,
            reference,
            actor,
            lambda d, at: d.give_explanation(
                number=number, answer=answer, actor=actor, request_id=request_id, at=at
            ),
        )

    # --- reading -----------------------------------------------------------------------------

    def get_directive(
        self, reference_or_id: str | UUID, *, version: int | None = None
    ) -> Directive:
        """The directive now, or as it was right after the given version (1 is its issue)."""

        def load(aggregate_id: UUID) -> Directive:
            found = (
                self.repository.get(aggregate_id, version=version, projector_func=replay)
                if version is None or self.past_versions is None
                else self._at_version(self.past_versions, aggregate_id, version)
            )
            if not isinstance(found, Directive):  # an account's or the registry's id
                raise AggregateNotFoundError(aggregate_id)
            return found

        try:
            directive = self._on_directive(reference_or_id, load)
        except AggregateNotFoundError:
            aggregate_id = self._resolve_id(reference_or_id)
            if version is not None and version < 1 and self._exists(aggregate_id):
                msg = f"versions start at 1, not {version}"
                raise VersionNotFoundError(msg) from None
            msg = f"no directive {reference_or_id!s}"
            raise DirectiveNotFoundError(msg) from None
        if version is not None and directive.version != version:
            msg = f"{directive.reference} has {directive.version} versions, not {version}"
            raise VersionNotFoundError(msg)
        return directive

    def saved_directive(self, reference_or_id: str | UUID) -> Directive | None:
        """The directive as this thread's last command left it, if that command stored events on
        it: the state right after them, without reading the store again (a command's answer).
        None otherwise. Taken once; a later command of anyone may have moved it on since."""
        saved = getattr(self._saved, "aggregate", None)
        self._saved.aggregate = None
        if isinstance(saved, Directive) and saved.id == self._resolve_id(reference_or_id):
            return saved
        return None

    def find_directive(self, reference_or_id: str | UUID) -> UUID | None:
        """The id of the directive the text names, if one is recorded: by its id, its reference
        or the reference an earlier version recorded it under."""
        try:
            return self._on_directive(reference_or_id, self._directive_or_not_found)
        except AggregateNotFoundError:
            return None

    def aggregate_at(self, aggregate_id: UUID, version: int) -> Any:
        """Any aggregate right after the given version: in one round trip where the store allows
        (``past_versions``), else the library's two."""
        if self.past_versions is None:
            return self.repository.get(aggregate_id, version=version, projector_func=replay)
        stored = self.past_versions.read(aggregate_id, version)
        aggregate = replay(None, (self.mapper.to_domain_event(s) for s in stored))
        if aggregate is None:
            raise AggregateNotFoundError(aggregate_id)
        return aggregate

    def aggregates_at(self, wanted: Mapping[UUID, int]) -> dict[UUID, Any]:
        """Many aggregates, each right after its given version: in one round trip where the
        store allows, else one at a time. An aggregate that is not there is left out."""
        if self.past_versions is None:
            found: dict[UUID, Any] = {}
            for aggregate_id, version in wanted.items():
                try:
                    found[aggregate_id] = self.aggregate_at(aggregate_id, version)
                except AggregateNotFoundError:
                    continue
            return found
        to_domain_event = self.mapper.to_domain_event
        return {
            aggregate_id: replay(None, (to_domain_event(s) for s in stored))
            for aggregate_id, stored in self.past_versions.read_many(wanted).items()
            if stored
        }

    def _at_version(self, store: PastVersions, aggregate_id: UUID, version: int) -> Directive:
        stored = store.read(aggregate_id, version)
        directive = replay(None, (self.mapper.to_domain_event(s) for s in stored))
        if not isinstance(directive, Directive):
            msg = f"no directive {aggregate_id} at version {version}"
            raise AggregateNotFoundError(msg)
        return directive

    def directive_at(self, reference_or_id: str | UUID, at: datetime) -> Directive:
        """The directive as it stood at a moment: after every event recorded at or before it."""
        events = self.history(reference_or_id)
        if at < events[0].timestamp:
            msg = f"{reference_or_id!s} was issued after {at.isoformat()}"
            raise VersionNotFoundError(msg)
        version = max(e.originator_version for e in events if e.timestamp <= at)
        return self.get_directive(events[0].originator_id, version=version)

    def history(self, reference_or_id: str | UUID) -> list[Directive.Event]:
        """Every event of one directive, oldest first."""

        def events_of(aggregate_id: UUID) -> list[Directive.Event]:
            events = [e for e in self.events.get(aggregate_id) if isinstance(e, Directive.Event)]
            if not events:
                raise AggregateNotFoundError(aggregate_id)
            return events

        try:
            return self._on_directive(reference_or_id, events_of)
        except AggregateNotFoundError:
            msg = f"no directive {reference_or_id!s}"
            raise DirectiveNotFoundError(msg) from None

    def max_notification_id(self) -> int:
        return self.recorder.max_notification_id() or 0

    def holds_records(self) -> bool:
        """Whether anything but the unit registry was recorded. ``thucthi init`` writes only the
        registry, which every database needs, so a database holding just that is still empty."""
        if not self.max_notification_id():
            return False
        if not self._exists(REGISTRY_ID):
            return True
        # Were anything else recorded, it would be among the first (registry version + 1).
        first = self.recorder.select_notifications(start=1, limit=self.unit_registry().version + 1)
        return any(n.originator_id != REGISTRY_ID for n in first)

    # --- plumbing ----------------------------------------------------------------------------

    def _resolve_id(self, reference_or_id: str | UUID) -> UUID:
        """The id a text most likely names: an id as it is; a reference's, normalised.

        A text shaped like an id is an id, unless an earlier version recorded a directive under
        that very text as its reference: then it names that one, and if a directive also has
        that id, it names neither (AmbiguousReferenceError), so that it never answers with a
        directive that was not meant."""
        if isinstance(reference_or_id, UUID):
            return reference_or_id
        text = reference_or_id.strip()
        if UUID_FORM.fullmatch(text):
            as_reference = directive_id(text)
            if not self._exists(as_reference):
                return UUID(text)
            if self._is_directive(UUID(text)):
                msg = (
                    f"{text} is the id of directive {text} and the reference of directive "
                    f"{as_reference}: ask for one by its id"
                )
                raise AmbiguousReferenceError(msg)
            return as_reference
        normalised = normalised_or_none(text)
        return directive_id(normalised if normalised is not None else text)

    def _fallback_ids(self, reference_or_id: str | UUID) -> list[UUID]:
        """Where else a reference's directive may be, if not at ``_resolve_id``'s: recorded by an
        earlier version under the text as given, or under another spelling of the same."""
        if isinstance(reference_or_id, UUID) or UUID_FORM.fullmatch(reference_or_id.strip()):
            return []
        first = self._resolve_id(reference_or_id)
        others = [directive_id(reference_or_id)]
        normalised = normalised_or_none(reference_or_id)
        if normalised is not None:
            others.extend(self.legacy_references.ids(normalised))
        return [i for i in dict.fromkeys(others) if i != first]

    def _on_directive(self, reference_or_id: str | UUID, attempt: Callable[[UUID], _T]) -> _T:
        """``attempt`` on the id the text most likely names; if there is no directive there
        (AggregateNotFoundError), on the first other id it may name that has one."""
        try:
            return attempt(self._resolve_id(reference_or_id))
        except AggregateNotFoundError:
            for other in self._fallback_ids(reference_or_id):
                if self._is_directive(other):
                    return attempt(other)
            raise

    def _is_directive(self, aggregate_id: UUID) -> bool:
        first = self.recorder.select_events(aggregate_id, limit=1)
        return bool(first) and first[0].topic.startswith("thucthi:Directive.")

    def _directive_or_not_found(self, aggregate_id: UUID) -> UUID:
        if not self._is_directive(aggregate_id):
            raise AggregateNotFoundError(aggregate_id)
        return aggregate_id

    def _exists(self, aggregate_id: UUID) -> bool:
        return bool(self.recorder.select_events(aggregate_id, limit=1))

    def _require_assignable(self, *codes: str) -> None:
        registry = self.unit_registry()
        for code in codes:
            registry.require_active(code)
            if code in LEADING_UNITS:
                msg = f"{code} is the committee itself and cannot be given a directive"
                raise InvalidDirectiveError(msg)

    def _update_registry(self, command: Callable[[UnitRegistry, datetime], object]) -> int:
        return self._update(REGISTRY_ID, command)

    def _update_directive(
        self,
        expected_version: int | None,
        reference_or_id: str | UUID,
        actor: Actor,
        command: Callable[[Directive, datetime], object],
    ) -> int:
        """Run a command on a directive; with ``expected_version`` only if it has not moved on.

        A directive the actor may not see is not there for them, judged on the state the command
        runs on (a reassignment a moment ago counts), before anything else is checked."""

        def checked(directive: Directive, at: datetime) -> object:
            if not isinstance(directive, Directive) or not actor.sees(
                directive.lead_unit, directive.coordinating_units
            ):
                msg = f"no directive {reference_or_id!s}"
                raise DirectiveNotFoundError(msg)
            if expected_version is not None and directive.version != expected_version:
                msg = (
                    f"{directive.reference} is at version {directive.version}, "
                    f"not {expected_version}: reload it and decide again"
                )
                raise VersionMismatchError(msg)
            return command(directive, at)

        try:
            return self._on_directive(reference_or_id, lambda i: self._update(i, checked))
        except AggregateNotFoundError:
            msg = f"no directive {reference_or_id!s}"
            raise DirectiveNotFoundError(msg) from None

    def _update(self, aggregate_id: UUID, command: Callable[[_A, datetime], object]) -> int:
        self._saved.aggregate = None
        lock = self._write_locks[aggregate_id.int % _LOCK_STRIPES]
        for attempt in range(1, self.max_attempts + 1):
            # Optimistic first: the version constraint catches a rival process. Once one has
            # been caught, writers of that aggregate queue on its cross-process lock for a while,
            # so that none of them keeps losing the race (without a round trip each otherwise).
            shared = self._is_contended(aggregate_id)
            with lock, self.aggregate_locks.hold(aggregate_id) if shared else nullcontext():
                aggregate, mark = self._for_command(aggregate_id)
                command(aggregate, self.clock.now())
                try:
                    position = self._save(aggregate)
                except IntegrityError:
                    self._forget(aggregate_id)
                    self._contend(aggregate_id)  # another process saved it first: redo, queued
                else:
                    self._remember(aggregate, mark)
                    return position
            if attempt < self.max_attempts:
                ceiling = min(_BACKOFF_CAP_SECONDS, 0.002 * 2**attempt)
                time.sleep(random.uniform(0, ceiling))  # noqa: S311 - jitter, not secrets
        msg = f"gave up after {self.max_attempts} attempts: the record kept changing underneath"
        raise ConcurrencyConflictError(msg)

    def _for_command(self, aggregate_id: UUID) -> tuple[Any, Hashable | None]:
        """A copy of the aggregate for a command to change, and the feed's mark for it.

        The state this process last saved serves when the change feed has heard of no later
        save; otherwise the store is asked (the library's cache brings it up to date)."""
        with self._latest_lock:
            kept = self._latest.get(aggregate_id)
        if kept is not None and self._unchanged(*kept):
            return deepcopy(kept[0]), kept[1]
        mark = self.changes.mark()
        return self.repository.get(aggregate_id, projector_func=replay), mark

    def _remember(self, aggregate: Any, mark: Hashable | None) -> None:
        if mark is None:
            return
        with self._latest_lock:
            self._latest.pop(aggregate.id, None)
            if len(self._latest) >= _COMMAND_CACHE:
                self._latest.pop(next(iter(self._latest)))
            self._latest[aggregate.id] = (aggregate, mark)

    def _forget(self, aggregate_id: UUID) -> None:
        with self._latest_lock:
            self._latest.pop(aggregate_id, None)

    def _unchanged(self, aggregate: Any, mark: Hashable | None) -> bool:
        return mark is not None and self.changes.unchanged(aggregate.id, aggregate.version, mark)

    def _is_contended(self, aggregate_id: UUID) -> bool:
        return self._contended.get(aggregate_id, 0.0) > time.monotonic()

    def _contend(self, aggregate_id: UUID) -> None:
        now = time.monotonic()
        if len(self._contended) >= _CONTENDED_KEPT:
            for key, until in list(self._contended.items()):
                if until <= now:
                    self._contended.pop(key, None)
        self._contended[aggregate_id] = now + CONTENDED_SECONDS

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshot from the aggregates just saved, all of a save in one write.

        The library rebuilds each aggregate due a snapshot from the store (two queries) and writes
        each snapshot in a transaction of its own, in the group commit's leader while the others
        wait. The aggregate in hand already is that state when the event due a snapshot is its
        last; an earlier event of several saved at once is rebuilt as the library does.
        """
        if self.snapshots is None:
            return
        taken = []
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            interval = self.snapshotting_intervals.get(type(aggregate))
            if aggregate is None or interval is None or event.originator_version % interval:
                continue
            if (
                isinstance(aggregate, Directive | UnitRegistry | UserAccount)
                and aggregate.version == event.originator_version
            ):
                taken.append(type(aggregate).Snapshot.take(aggregate))
            else:
                self.take_snapshot(
                    event.originator_id, version=event.originator_version, projector_func=replay
                )
        if taken:
            self.snapshots.put(taken)

    def _save(self, *aggregates: Directive | UnitRegistry | UserAccount) -> int:
        for aggregate in aggregates:
            for event in aggregate.pending_events:
                _check_origin(cast("Directive.Event", event))
        if len(aggregates) == 1:
            position = self._group_commit.save(aggregates[0])  # with whatever else is saving now
            self._saved.aggregate = aggregates[0]
            return position
        recordings = self.save(*aggregates)
        notification_ids = [r.notification.id for r in recordings]
        return max(notification_ids)


def _check_origin(event: Directive.Event | UnitRegistry.Event | UserAccount.Event) -> None:
    """Who acted and in answer to which request are text a command carries, like any other."""
    checked_text("request_id", event.request_id)
    checked_text("actor", event.actor.user_id)
    if event.actor.unit is not None:
        checked_text("unit", event.actor.unit)

"""The application service. It runs the commands of each context, given as data: ``issue`` and
``execute`` a directive's (``domain.directives.commands``), ``manage`` an administrator's on an
account (``domain.accounts.commands``); the digital-transformation index's are run by its desk
(``self.dti``, ``domain.dti.desk``); creating an account, signing in and changing a password,
which carry a secret kept outside the log, are calls of their own, as are the unit registry's.
Each returns the notification id it recorded. The write path itself (locks, retries, group
commit, kept states) is ``domain.writer.AggregateWriter``. Time comes from an injected clock, and
what the store offers beyond the library's (cross-process locks, a change feed, past versions in
one round trip, credentials) from the ports in ``domain.ports``, chosen by the composition root.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar, TypeVar, cast
from uuid import UUID, uuid4

import orjson
from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import IntegrityError, Mapper

from domain.accounts.account import Language, UserAccount, stored_secrets, user_id
from domain.accounts.commands import AccountCommand, DisableUser, EnableUser
from domain.accounts.credentials import BearerToken, MemoryCredentials
from domain.accounts.errors import (
    AccountDisabledError,
    DuplicateUserError,
    InvalidUserError,
    UserNotFoundError,
)
from domain.calendar.commands import DeclareSwap, WithdrawSwap
from domain.calendar.work_calendar import CALENDAR_ID, WorkCalendar
from domain.calendar.work_calendar import TOPICS as CALENDAR_TOPICS
from domain.directives.commands import DirectiveCommand, IssueDirective
from domain.directives.directive import Directive, directive_id
from domain.directives.errors import (
    AmbiguousReferenceError,
    DirectiveNotFoundError,
    DuplicateReferenceError,
    InvalidDirectiveError,
    ParentDirectiveNotFoundError,
)
from domain.directives.references import UUID_FORM, LegacyReferences, normalised_or_none
from domain.documents.document import PETITION_RECEIPT, Document, DocumentDesk
from domain.dti.assessment import Assessment
from domain.dti.desk import DtiDesk, DtiLog
from domain.personal.erasure import Erasure
from domain.petitions.desk import PetitionDesk
from domain.petitions.duplicates import CandidateStore
from domain.petitions.petition import Petition
from domain.ports import (
    AggregateLocks,
    ChangeFeed,
    Credentials,
    NoAggregateLocks,
    NoChangeFeed,
    PastVersions,
)
from domain.shared.actors import Actor, Command, Role, require_permission
from domain.shared.calendar import WorkingCalendar
from domain.shared.clock import Clock, SystemClock, city_date
from domain.shared.codec import OrjsonMapper
from domain.shared.commands import Origin
from domain.shared.errors import (
    ConcurrencyConflictError,
    VersionMismatchError,
    VersionNotFoundError,
)
from domain.shared.files import (
    FiledFile,
    FileGiven,
    FileRules,
    FileStore,
    InvalidFileError,
    MemoryFiles,
    checked_digest,
)
from domain.shared.personal import PersonalVault
from domain.shared.sealing import MemoryVault
from domain.units.commands import UnitChange, UnitCommand
from domain.units.hcmc import (
    DEFAULT_UNITS,
    LEADING_UNITS,
    REORGANISATION_2025,
    Change,
    UnitSeed,
)
from domain.units.registry import REGISTRY_ID, UnitRegistry
from domain.units.reorganising import add_units, hand_over, record_changes
from domain.writer import AggregateWriter, replay, take_snapshots

SYSTEM_ACTOR = Actor(user_id="system", role=Role.ADMIN)

_T = TypeVar("_T")
_C = TypeVar("_C", bound=IssueDirective | DirectiveCommand)
_ACCOUNT_CACHE = 10_000
_ERASURE_PAGE = 1_000
_CALENDAR_PAGE = 1_000
_CASES_PAGE = 1_000
# The first event of every directive and every petition: where a reorganisation looks for the
# open work of the units it ends.
_CASE_TOPICS = (Directive.Issued.TOPIC, Petition.Received.TOPIC)


class Thucthi(Application[UUID]):
    """Thucthi's event-sourced application: directives and the unit registry."""

    name = "Thucthi"
    # A directive at a past version is its snapshot at or before it plus at most 9 events:
    # inspectors' version slider reads as fast as the current state (docs/performance.md).
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Directive: 10,
        Petition: 10,
        UnitRegistry: 100,
        UserAccount: 50,
        Assessment: 50,
    }

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        clock: Clock | None = None,
        max_attempts: int = 16,
        locks: AggregateLocks | None = None,
        changes: ChangeFeed | None = None,
        past_versions: Callable[[Thucthi], PastVersions | None] | None = None,
        credentials: Callable[[Thucthi], Credentials] | None = None,
        vault: Callable[[Thucthi], PersonalVault] | None = None,
        files: FileStore | None = None,
        file_rules: FileRules | None = None,
        candidates: Callable[[Thucthi], CandidateStore] | None = None,
    ) -> None:
        """``past_versions``, ``credentials``, ``vault`` and ``candidates`` (the duplicate
        search's store, a read model) are made from the application once its store is open
        (they read and write beside the log); without them, the library's two queries,
        credentials and personal keys kept in memory, and no candidate found. ``files``: where
        filed files' bytes are kept (in memory without it), ``file_rules`` what may be filed."""
        self.files: FileStore = MemoryFiles() if files is None else files
        self.file_rules = file_rules or FileRules()
        self.clock: Clock = clock or SystemClock()
        # What is heard of saves by other processes (adapters.freshness on PostgreSQL).
        self.changes: ChangeFeed = changes or NoChangeFeed()
        self._registry: tuple[UnitRegistry, Hashable | None] | None = None
        self._registry_lock = threading.Lock()
        self._accounts: dict[str, tuple[UserAccount, Hashable | None]] = {}
        self._accounts_lock = threading.Lock()
        self._calendar: tuple[WorkCalendar | None, WorkingCalendar, Hashable | None] | None = None
        self._calendar_lock = threading.Lock()
        # The calendar's events with their positions, as read from the log up to _calendar_read.
        self._calendar_log: list[tuple[int, WorkCalendar.Event]] = []
        self._calendar_read = 0
        super().__init__(env)
        self.writer = AggregateWriter(
            load=lambda aggregate_id: self.repository.get(aggregate_id, projector_func=replay),
            store=self.save,
            clock=self.clock,
            changes=self.changes,
            locks=locks or NoAggregateLocks(),
            max_attempts=max_attempts,
        )
        self.past_versions: PastVersions | None = (
            None if past_versions is None else past_versions(self)
        )
        # Password hashes and tokens, beside the log (adapters.credentials on a database).
        self.credentials: Credentials = (
            MemoryCredentials() if credentials is None else credentials(self)
        )
        # Persons' keys, beside the log (adapters.personal_keys on a database).
        self.vault: PersonalVault = MemoryVault() if vault is None else vault(self)
        self.legacy_references = LegacyReferences(self.recorder, cast("OrjsonMapper", self.mapper))
        # Petitions: the second kind of case, in the same log (domain.petitions).
        self.petitions = PetitionDesk(
            writer=self.writer,
            repository=self.repository,
            clock=self.clock,
            vault=self.vault,
            events=self.events.get,
            require_agencies=self.require_active_units,
            candidates=None if candidates is None else candidates(self),
        )
        # The documents the city filed, signed, with their versions (domain.documents.document).
        self.documents = DocumentDesk(
            writer=self.writer, repository=self.repository, files=self.files, clock=self.clock.now
        )
        # The digital-transformation index: frameworks, assessments, results (domain.dti).
        self.dti = DtiDesk(
            writer=self.writer,
            repository=self.repository,
            clock=self.clock,
            registry=self.unit_registry,
            calendar=self.working_calendar,
            describe=self.describe_files,
            log=DtiLog(self.topic_events, self.max_notification_id),
        )

    def close(self) -> None:
        self.changes.close()
        self.writer.close()
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
        changes: Iterable[Change] = (),
        actor: Actor = SYSTEM_ACTOR,
        request_id: str = "init",
    ) -> int | None:
        """Create the registry with these units unless it exists, then record ``changes`` (the
        reorganisations of a data file: ``domain.units.hcmc.REORGANISATION_2025`` makes the
        city of 2026); its notification id if made. Nothing can be handed over yet."""
        if self._exists(REGISTRY_ID):
            return None
        at = self.clock.now()
        registry = UnitRegistry.open(actor=actor, request_id=request_id, at=at)
        origin = Origin(actor, request_id, at)
        add_units(registry, units, origin)
        record_changes(registry, changes, origin)
        try:
            return self.writer.save(registry)
        except IntegrityError:
            return None  # another process opened it at the same moment: same defaults

    def open_city_registry(self) -> int | None:
        """The registry every command of the city opens when it finds none: the units of 2024
        and of 2025, with the 2025 reorganisation recorded, so that it is the city of 2026
        (``domain.units.hcmc``). Tests that issue to the units of 2024 open the plain one."""
        return self.open_unit_registry(changes=REORGANISATION_2025)

    def unit_registry(self) -> UnitRegistry:
        """The registry as last recorded, for reading only: callers must not change it.

        Kept between calls and brought up to date with just the events recorded since, because
        every issue and reassignment consults it.
        """
        with self._registry_lock:
            kept = self._registry
            if kept is not None and self.writer.unchanged(kept[0], kept[1]):
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

    def administer_units(self, command: UnitCommand, *, actor: Actor, request_id: str) -> int:
        """Add, rename or deactivate a unit (``domain.units.commands``); the position."""
        return self._update_registry(
            lambda registry, at: command.apply(registry, Origin(actor, request_id, at))
        )

    def reorganise(self, command: UnitChange, *, actor: Actor, request_id: str) -> int:
        """Merge, split or succeed units (``domain.units.commands``), and hand every open
        directive and petition of a unit that ends to its heir, in one save: the log never holds
        the change without the hand-over, nor one without the other. The position recorded."""
        require_permission(actor, Command.MANAGE_UNITS)
        for attempt in range(1, self.writer.max_attempts + 1):
            registry: UnitRegistry = self.repository.get(REGISTRY_ID, projector_func=replay)
            at = self.clock.now()
            origin = Origin(actor, request_id, at)
            command.apply(registry, origin)
            ending = command.ending()
            handed = [
                case for case in self.open_work(ending) if hand_over(case, registry, ending, origin)
            ]
            try:
                position = self.writer.save(registry, *handed)
            except IntegrityError:  # a case or the registry moved on meanwhile: again, afresh
                if attempt < self.writer.max_attempts:
                    continue
                break
            with self._registry_lock:
                self._registry = None
            return position
        raise ConcurrencyConflictError("gave_up", attempts=self.writer.max_attempts)

    def open_work(self, codes: Collection[str]) -> list[Directive | Petition]:
        """Every directive a unit of ``codes`` leads or coordinates and every petition one of
        them holds, still open, as they stand now. Read from the log: a reorganisation is
        rare, and must not miss a case the read models have not caught up with yet."""
        found: list[Directive | Petition] = []
        head = self.max_notification_id()
        start = 1
        while start <= head:
            page = self.recorder.select_notifications(
                start, _CASES_PAGE, stop=head, topics=_CASE_TOPICS
            )
            for notification in page:
                case = self.repository.get(
                    cast("UUID", notification.originator_id), projector_func=replay
                )
                if isinstance(case, Directive):
                    if not case.is_closed and (
                        case.lead_unit in codes or any(u in codes for u in case.coordinating_units)
                    ):
                        found.append(case)
                elif isinstance(case, Petition) and case.is_open and case.agency in codes:
                    found.append(case)
            if len(page) < _CASES_PAGE:
                break
            start = page[-1].id + 1
        return found

    # --- the calendar of working days --------------------------------------------------------

    def working_calendar(self, position: int | None = None) -> WorkingCalendar:
        """The working days as the calendar stands now, or as it stood right after log position
        ``position`` (the swaps declared and not withdrawn by then), so that a deadline counted
        in working days can be counted again as it was."""
        if position is None:
            return self._current_calendar()[1]
        found = self.work_calendar(position)
        return WorkingCalendar() if found is None else found.calendar()

    def work_calendar(self, position: int | None = None) -> WorkCalendar | None:
        """The swaps in force with who declared them, now or right after log position
        ``position``; None before the first was declared. For reading only."""
        if position is None:
            return self._current_calendar()[0]
        found = replay(None, self._calendar_events(position))
        return cast("WorkCalendar | None", found)

    def declare_swap(self, command: DeclareSwap, *, actor: Actor, request_id: str) -> int:
        """Record the government's swap of working days (hoán đổi, làm bù); the position."""
        return self._update_calendar(command, actor, request_id)

    def withdraw_swap(self, command: WithdrawSwap, *, actor: Actor, request_id: str) -> int:
        """Record that a swap no longer holds; the position."""
        return self._update_calendar(command, actor, request_id)

    def _current_calendar(self) -> tuple[WorkCalendar | None, WorkingCalendar]:
        """Kept between calls and brought up to date with the events recorded since: every
        deadline counted in working days consults it."""
        with self._calendar_lock:
            kept = self._calendar
            if kept is not None and kept[0] is not None and self.writer.unchanged(kept[0], kept[2]):
                return kept[0], kept[1]
            mark = self.changes.mark()
            aggregate = None if kept is None else kept[0]
            since = 0 if aggregate is None else aggregate.version
            recorded = list(self.events.get(CALENDAR_ID, gt=since))
            if kept is not None and not recorded:
                calendar = kept[1]
            else:
                aggregate = replay(copy.deepcopy(aggregate), recorded)
                calendar = WorkingCalendar() if aggregate is None else aggregate.calendar()
            self._calendar = (aggregate, calendar, mark)
            return aggregate, calendar

    def _calendar_events(self, position: int) -> list[WorkCalendar.Event]:
        """The calendar's events at or before ``position``, in log order. The few there are
        are found once by their topics (one pass over the log) and kept with their positions;
        later ones are looked for only past what was read, since ids commit in order."""
        with self._calendar_lock:
            if position > self._calendar_read:
                upto = min(position, self.max_notification_id())
                start = self._calendar_read + 1
                while start <= upto:
                    page = self.recorder.select_notifications(
                        start=start, limit=_CALENDAR_PAGE, stop=upto, topics=CALENDAR_TOPICS
                    )
                    self._calendar_log.extend(
                        (n.id, cast("WorkCalendar.Event", self.mapper.to_domain_event(n)))
                        for n in page
                    )
                    if len(page) < _CALENDAR_PAGE:
                        break
                    start = page[-1].id + 1
                self._calendar_read = max(self._calendar_read, upto)
            return [event for at, event in self._calendar_log if at <= position]

    def _update_calendar(
        self, command: DeclareSwap | WithdrawSwap, actor: Actor, request_id: str
    ) -> int:
        def run(calendar: WorkCalendar, at: datetime) -> None:
            command.apply(calendar, Origin(actor, request_id, at))

        try:
            position = self.writer.update(CALENDAR_ID, run)
        except AggregateNotFoundError:  # the first swap opens the calendar
            at = self.clock.now()
            calendar = WorkCalendar.open(actor=actor, request_id=request_id, at=at)
            run(calendar, at)
            try:
                position = self.writer.save(calendar)
            except IntegrityError:  # another process opened it at the same moment
                position = self.writer.update(CALENDAR_ID, run)
        with self._calendar_lock:
            self._calendar = None  # what this process changed it reads afresh
        return position

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
        title: str = "",
    ) -> int:
        """Record a new account; its password's hash goes to the credential store, not the log.
        ``title``: what the person is ("Phó Chủ tịch UBND Thành phố"), shown beside the name."""
        account = UserAccount.create(
            username=username,
            display_name=display_name,
            title=title,
            role=role,
            unit=unit,
            actor=actor,
            request_id=request_id,
            at=self.clock.now(),
        )
        if unit is not None:
            self.unit_registry().require_active(unit, on=city_date(self.clock.now()))
        if self._exists(account.id):
            raise DuplicateUserError("exists", username=username)
        try:
            position = self.writer.save(account)
        except IntegrityError:
            raise DuplicateUserError("exists", username=username) from None
        # After the event: a password is never kept for an account the log does not have.
        self.credentials.set_password(username, password_hash, account.modified_on)
        return position

    def get_user(self, username: str) -> UserAccount:
        try:
            account: UserAccount = self.repository.get(user_id(username))
        except (AggregateNotFoundError, ValueError):
            raise UserNotFoundError("unknown", username=username) from None
        return account

    def cached_user(self, username: str) -> UserAccount | None:
        """The account as last recorded, brought up to date incrementally; for reading only.

        Every authenticated request consults it, so it is kept between calls, and the store is
        asked again only when the change feed cannot say the account is unchanged.
        """
        with self._accounts_lock:
            kept = self._accounts.get(username)
            if kept is not None and self.writer.unchanged(*kept):
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

    def manage(
        self, command: AccountCommand, username: str, *, actor: Actor, request_id: str
    ) -> int:
        """Run an administrator's command on an account; the credential store follows it: a
        disabled account's tokens stop before its event is saved, so once this returns none of
        them acts, and an enabled account may sign in once its event is saved."""
        today = city_date(self.clock.now())
        for unit in command.units_assigned():
            self.unit_registry().require_active(unit, on=today)

        def run(account: UserAccount, at: datetime) -> None:
            command.apply(account, Origin(actor, request_id, at))
            if isinstance(command, DisableUser):
                self.credentials.disable(username, at)

        position = self._update_user(username, run)
        if isinstance(command, EnableUser):
            self.credentials.enable(username)
        return position

    def choose_language(
        self, username: str, language: Language, *, actor: Actor, request_id: str
    ) -> int:
        """Record the language of a person's notifications and e-mails; the position."""
        return self._update_user(
            username,
            lambda account, at: account.choose_language(
                language=language, actor=actor, request_id=request_id, at=at
            ),
        )

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
            raise AccountDisabledError("disabled", username=username)
        return position

    def revoke_token(self, username: str, *, token_id: str, actor: Actor, request_id: str) -> int:
        def command(account: UserAccount, at: datetime) -> None:
            account.revoke_token(token_id=token_id, actor=actor, request_id=request_id, at=at)
            # Before the event is saved: once this returns, the token acts nowhere.
            if not self.credentials.revoke(username, token_id, at):
                raise InvalidUserError("no_token", username=username)

        return self._update_user(username, command)

    def _update_user(
        self, username: str, command: Callable[[UserAccount, datetime], object]
    ) -> int:
        try:
            position = self.writer.update(user_id(username), command)
        except AggregateNotFoundError:
            raise UserNotFoundError("unknown", username=username) from None
        # What this process changed it reads afresh at once, before the change feed hears of it.
        with self._accounts_lock:
            self._accounts.pop(username, None)
        return position

    # --- personal data -----------------------------------------------------------------------

    def erase_personal_data(
        self,
        *,
        reason: str,
        actor: Actor,
        request_id: str,
        person_ids: Collection[UUID] = (),
        id_number: str | None = None,
    ) -> int:
        """Erase persons' data (``domain.personal.erasure``), named by their ids and/or by an
        identification number: the order is recorded first, then their keys are destroyed, so
        that no erasure happens unrecorded and none recorded is lost (``complete_erasures``).
        The position recorded."""
        require_permission(actor, Command.ERASE_PERSONAL_DATA)
        found = tuple(person_ids)
        if id_number is not None:
            found += self.vault.persons_with(id_number)
        erasure = Erasure.order(
            erasure_id=uuid4(),
            person_ids=found,
            reason=reason,
            by_id_number=id_number is not None,
            actor=actor,
            request_id=request_id,
            at=self.clock.now(),
        )
        position = self.writer.save(erasure)
        self.vault.carry_out(erasure.person_ids)
        self.discard_receipts_of(erasure.person_ids)
        return position

    def complete_erasures(self) -> int:
        """Carry out every erasure recorded since the vault last noted it had (a process stopped
        between recording one and destroying its keys); run at start-up. The keys destroyed."""
        done = self.vault.erased_up_to()
        head = self.max_notification_id()
        ordered: list[UUID] = []
        start = done + 1
        while start <= head:
            page = self.recorder.select_notifications(
                start, _ERASURE_PAGE, stop=head, topics=[Erasure.Ordered.TOPIC]
            )
            for notification in page:
                ordered.extend(
                    cast("Erasure.Ordered", self.mapper.to_domain_event(notification)).person_ids
                )
            if len(page) < _ERASURE_PAGE:
                break
            start = page[-1].id + 1
        destroyed = self.vault.carry_out(ordered, up_to=max(head, done))
        self.discard_receipts_of(ordered)
        return destroyed

    def discard_receipts_of(self, person_ids: Collection[UUID]) -> int:
        """Remove from the file store the bytes of every filed receipt of a petition that any
        of these persons filed: a receipt names its petitioners (docs/documents.md, "A
        petition's documents"). Its event, which holds only the digest, stays, so that the
        log still verifies and a copy its holder kept is still found filed. The files removed;
        none when no one is named, and again none for those already removed."""
        erased = set(person_ids)
        if not erased:
            return 0
        removed = 0
        head = self.max_notification_id()
        start = 1
        while start <= head:
            page = self.recorder.select_notifications(
                start, _ERASURE_PAGE, stop=head, topics=[Document.Filed.TOPIC]
            )
            for notification in page:
                filed = cast("Document.Filed", self.mapper.to_domain_event(notification))
                if filed.kind != PETITION_RECEIPT:
                    continue
                petition = self.petitions.get(filed.reference)
                if not any(p.person_id in erased for p in petition.petitioners):
                    continue
                document = self.documents.get(filed.originator_id)
                versions = () if document is None else document.versions
                removed += sum(self.files.discard(v.file.digest) for v in versions)
            if len(page) < _ERASURE_PAGE:
                break
            start = page[-1].id + 1
        return removed

    # --- directives: issuing -----------------------------------------------------------------

    def issue(self, command: IssueDirective, *, actor: Actor, request_id: str) -> int:
        """Ban hành: record a new directive. Its reference must not have been used before."""
        parent_id = None
        if command.parent_reference is not None:
            parent_id = self.find_directive(command.parent_reference)
            if parent_id is None:
                raise ParentDirectiveNotFoundError("unknown", reference=command.parent_reference)
        command = self.described(command)
        fields = {f.name: getattr(command, f.name) for f in dataclasses.fields(command)}
        del fields["parent_reference"]
        counted = command.deadline_in_working_days is not None
        directive = Directive.issue(
            **fields,
            calendar=self.working_calendar() if counted else None,
            parent_id=parent_id,
            actor=actor,
            request_id=request_id,
            at=self.clock.now(),
        )
        self._require_assignable(directive.lead_unit, *directive.coordinating_units)
        if self._exists(directive.id):
            raise DuplicateReferenceError("issued", reference=directive.reference)
        self._refuse_earlier_spellings(command.reference, directive.reference)
        try:
            return self.writer.save(directive)
        except IntegrityError:
            raise DuplicateReferenceError("issued", reference=directive.reference) from None

    def execute(
        self,
        command: DirectiveCommand,
        reference: str | UUID,
        *,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        """Run a command of the directive's life on the directive ``reference`` names; with
        ``expected_version``, only if it has not moved on. The position recorded."""
        command = self.described(command)

        def run(directive: Directive, at: datetime) -> None:
            command.apply(directive, Origin(actor, request_id, at))
            self._require_assignable(*command.units_assigned())

        return self._update_directive(expected_version, reference, actor, run)

    # --- files -------------------------------------------------------------------------------

    def upload(self, data: bytes, name: str | None = None) -> FiledFile:
        """Keep a file's bytes, if they may be filed (``file_rules``; with ``name``, the name
        must fit the content too), for a command to file by its digest. Nothing is recorded in
        the log until a command files it."""
        kind = self.file_rules.kind_of(data, name)
        digest = self.files.put(data)
        return FiledFile(digest=digest, name=name or "", media_type=kind.media_type, size=len(data))

    def described(self, command: _C) -> _C:
        """The command with each file it files described from the bytes stored under its
        digest (type sniffed, size counted): what the client says of a file is not taken."""
        given: tuple[FileGiven, ...] = getattr(command, "files", ())
        if not given:
            return command
        described = self.describe_files(given)
        # Only the commands that file files have the field (read above): replace sets it.
        return cast("_C", dataclasses.replace(cast("Any", command), files=described))

    def describe_files(self, given: tuple[FileGiven, ...]) -> tuple[FiledFile, ...]:
        """Each file described from the bytes stored under its digest."""
        described = []
        for file in given:
            digest = checked_digest(file.digest)
            data = self.files.get(digest)
            if data is None:
                raise InvalidFileError("not_stored", digest=digest)
            described.append(self.file_rules.describe(FileGiven(digest, file.name), data))
        return tuple(described)

    def topic_events(
        self, start: int, stop: int, topics: Sequence[str], limit: int
    ) -> list[tuple[int, Any]]:
        """The events of ``topics`` at positions ``start`` to ``stop``, at most ``limit``."""
        page = self.recorder.select_notifications(
            start=start, limit=limit, stop=stop, topics=topics
        )
        return [(n.id, self.mapper.to_domain_event(n)) for n in page]

    def _refuse_earlier_spellings(self, given: str, reference: str) -> None:
        """A directive an earlier version recorded under another spelling of ``reference`` (the
        one given, or any that normalises to it) is that directive: never issued twice."""
        earlier = [directive_id(given)] if directive_id(given) != directive_id(reference) else []
        earlier.extend(self.legacy_references.ids(reference))
        for aggregate_id in earlier:
            if self._is_directive(aggregate_id):
                raise DuplicateReferenceError(
                    "issued_earlier",
                    reference=reference,
                    earlier=self.get_directive(aggregate_id).reference,
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
                raise VersionNotFoundError("from_one", version=version) from None
            raise DirectiveNotFoundError("unknown", reference=str(reference_or_id)) from None
        if version is not None and directive.version != version:
            raise VersionNotFoundError(
                "past_last",
                reference=directive.reference,
                versions=directive.version,
                version=version,
            )
        return directive

    def saved_directive(self, reference_or_id: str | UUID) -> Directive | None:
        """The directive as this thread's last command left it, if that command stored events on
        it: the state right after them, without reading the store again (a command's answer).
        None otherwise. Taken once; a later command of anyone may have moved it on since."""
        saved = self.writer.last_saved()
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
            raise VersionNotFoundError("before_issue", reference=str(reference_or_id), at=at)
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
            raise DirectiveNotFoundError("unknown", reference=str(reference_or_id)) from None

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
                raise AmbiguousReferenceError("ambiguous", text=text, reference=as_reference)
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
        today = city_date(self.clock.now())
        for code in codes:
            registry.require_active(code, on=today)
            if code in LEADING_UNITS:
                raise InvalidDirectiveError("committee_unit", unit=code)

    def require_active_units(self, *codes: str) -> None:
        """Refuse a code that is not an active unit of the registry on the clock's day."""
        registry = self.unit_registry()
        today = city_date(self.clock.now())
        for code in codes:
            registry.require_active(code, on=today)

    def _update_registry(self, command: Callable[[UnitRegistry, datetime], object]) -> int:
        return self.writer.update(REGISTRY_ID, command)

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
                raise DirectiveNotFoundError("unknown", reference=str(reference_or_id))
            if expected_version is not None and directive.version != expected_version:
                raise VersionMismatchError(
                    "moved_on",
                    reference=directive.reference,
                    version=directive.version,
                    expected=expected_version,
                )
            return command(directive, at)

        try:
            return self._on_directive(reference_or_id, lambda i: self.writer.update(i, checked))
        except AggregateNotFoundError:
            raise DirectiveNotFoundError("unknown", reference=str(reference_or_id)) from None

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        take_snapshots(
            self.snapshots,
            self.snapshotting_intervals,
            lambda aggregate_id, version: self.take_snapshot(
                aggregate_id, version=version, projector_func=replay
            ),
            processing_event,
        )

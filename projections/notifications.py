"""The notification scheduler: decides from the events and the days who is told what, keeps it
(``adapters.notifications``), makes each person's daily digest and sends it.

One round (``Scheduler.run_once``) does four things, each its own transaction or transactions,
each safe to stop anywhere and do again:

1. **decide from the events** after the store's position, a batch at a time: what the rules keep
   of accounts and directives, the notices each event brings, and the new position, in one
   transaction, as a projection writes its rows with its tracking position;
2. **sweep the days** from the last one swept up to today: each day's notices (due soon,
   overdue, escalated) in one transaction with the day;
3. **compose**, from the digest hour on: each person's notices not yet mailed become that day's
   one digest, a row of the outbox, in one transaction that marks them mailed;
4. **send** the outbox's due rows: each leased, handed to the SMTP server, then marked sent; a
   refusal is tried again later with a growing pause, and gives up after ``MAX_ATTEMPTS``.

A scheduler killed after 1-3 committed leaves rows that the next one finds and does not decide
again; killed before, it left nothing. Sending is the one step outside the database: a kill
after the server accepted a mail and before it was marked sent sends it again (with the same
Message-ID) once the lease ends. docs/notifications.md gives the whole argument.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from adapters.notifications import MovedError, NotificationStore
from domain.accounts.account import Language, UserAccount, user_id
from domain.application import Thucthi
from domain.directives.directive import Directive
from domain.notifications.digest import compose
from domain.notifications.ports import DeliveryError, MailSender, OutgoingMail
from domain.notifications.rules import (
    Kind,
    Notice,
    Person,
    Policy,
    Tracked,
    person_after,
    told_of_event,
    told_on,
    tracked_after,
)
from domain.shared.clock import CITY_TIMEZONE, Clock, city_date
from projections.oversight import Unreadable, read

BATCH = 1_000  # events decided per transaction
HORIZON = timedelta(days=2)  # older events are decided but tell nobody: no news of last year
FIRST_RETRY = timedelta(minutes=1)  # after a refused mail, doubling ...
LONGEST_RETRY = timedelta(hours=6)  # ... up to this
MAX_ATTEMPTS = 12  # about 1½ days of trying
LEASE = timedelta(minutes=5)  # a mail being sent is held this long
_log = logging.getLogger("thucthi.notify")


@dataclass(frozen=True, slots=True)
class NotifySettings:
    """The scheduler's settings (``THUCTHI_NOTIFY_…``)."""

    policy: Policy = field(default_factory=Policy)
    digest_hour: int = 7  # city time from which a day's digest is made
    interval: float = 60.0  # seconds between rounds of `thucthi notify run`
    url: str = "http://127.0.0.1:8000"  # where a digest points to read everything


@dataclass(slots=True)
class Round:
    events: int = 0
    days: int = 0
    notices: int = 0
    composed: int = 0
    sent: int = 0
    failed: int = 0


def retry_after(attempts: int) -> timedelta | None:
    """The pause before trying a mail again after ``attempts`` refusals, None to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    pause: timedelta = min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)
    return pause


class Scheduler:
    """Decides and sends the notifications of one application's log."""

    def __init__(
        self,
        app: Thucthi,
        store: NotificationStore,
        *,
        sender: MailSender | None,
        clock: Clock,
        settings: NotifySettings | None = None,
        batch: int = BATCH,
    ) -> None:
        self.app = app
        self.store = store
        self.sender = sender
        self.clock = clock
        self.settings = settings or NotifySettings()
        self.batch = batch

    def run_once(self) -> Round:
        done = Round()
        self.decide_events(done)
        self.sweep_days(done)
        self.compose(done)
        self.send(done)
        return done

    def run(self, stop: threading.Event) -> None:
        """Rounds every ``interval`` seconds until ``stop``; a round that fails is logged and the
        next one tries again (nothing a round does is lost by failing)."""
        while not stop.is_set():
            try:
                done = self.run_once()
                if done.composed or done.sent or done.failed:
                    _log.info(
                        "notify: %d notices, %d digests made, %d sent, %d refused",
                        done.notices,
                        done.composed,
                        done.sent,
                        done.failed,
                    )
            except Exception as e:  # a database lost, or a bug: said, and tried again later
                _log.warning("notify: round failed, trying again: %s", type(e).__name__)
            stop.wait(self.settings.interval)

    # --- 1. the events -----------------------------------------------------------------------

    def decide_events(self, done: Round | None = None) -> int:
        done = done or Round()
        while True:
            position, _ = self.store.state()
            records = self.app.recorder.select_notifications(
                start=position, limit=self.batch, inclusive_of_start=False
            )
            if not records:
                return done.events
            items = [(read(self.app.mapper, r), r.id) for r in records]
            people, directives, notices = self._decided(items)
            try:
                self.store.record_events(
                    old=position,
                    new=records[-1].id,
                    people=people,
                    directives=directives,
                    notices=notices,
                    at=self.clock.now(),
                )
            except MovedError:
                continue  # another scheduler decided this stretch: carry on after it
            done.events += len(records)
            done.notices += len(notices)

    def _decided(
        self, items: Sequence[tuple[Any, int]]
    ) -> tuple[list[Person], list[Tracked], list[Notice]]:
        known = {user_id(p.username): p for p in self.store.people()}
        ids = list(
            {
                e.originator_id: None
                for e, _ in items
                if isinstance(e, Directive.Event) and not isinstance(e, Directive.Issued)
            }
        )
        directives: dict[UUID, Tracked] = {d.directive_id: d for d in self.store.directives(ids)}
        people: dict[UUID, Person] = {}
        changed: dict[UUID, Tracked] = {}
        notices: list[Notice] = []
        recent = self.clock.now() - HORIZON
        for event, position in items:
            if isinstance(event, Unreadable):
                continue
            if isinstance(event, UserAccount.Event):
                after = person_after(known.get(event.originator_id), event)
                if after is not None:
                    known[event.originator_id] = people[event.originator_id] = after
            elif isinstance(event, Directive.Event):
                before = directives.get(event.originator_id)
                tracked = tracked_after(before, event)
                if tracked is None:
                    continue
                directives[tracked.directive_id] = changed[tracked.directive_id] = tracked
                if event.timestamp >= recent:
                    notices += told_of_event(
                        before,
                        tracked,
                        event,
                        position=position,
                        day=city_date(event.timestamp),
                        people=list(known.values()),
                    )
        return list(people.values()), list(changed.values()), notices

    # --- 2. the days -------------------------------------------------------------------------

    def sweep_days(self, done: Round | None = None) -> int:
        done = done or Round()
        today = city_date(self.clock.now())
        while True:
            position, swept = self.store.state()
            if swept is not None and swept >= today:
                return done.days
            # The first sweep, or one after a long stop, begins with the recent days only.
            day = today - HORIZON if swept is None else swept + timedelta(days=1)
            day = max(day, today - HORIZON)
            calendar = self.app.working_calendar(position)
            notices = told_on(
                day, self.store.directives(), self.store.people(), self.settings.policy, calendar
            )
            try:
                self.store.record_day(swept, day, notices, self.clock.now())
            except MovedError:
                continue
            done.days += 1
            done.notices += len(notices)

    # --- 3. the digests ----------------------------------------------------------------------

    def compose(self, done: Round | None = None) -> int:
        done = done or Round()
        now = self.clock.now()
        local = now.astimezone(CITY_TIMEZONE)
        if local.hour < self.settings.digest_hour:
            return 0
        url = self.settings.url

        def composer(
            name: str,
            language: Language,
            day: date,
            notices: Sequence[tuple[Kind, str, str, dict[str, str]]],
        ) -> tuple[str, str]:
            return compose(name=name, day=day, language=language, notices=notices, url=url)

        host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "thucthi"
        made = self.store.compose(
            local.date(), now, composer, lambda mail_id: f"<notify.{mail_id}@{host}>"
        )
        done.composed += made
        return made

    # --- 4. sending --------------------------------------------------------------------------

    def send(self, done: Round | None = None) -> int:
        done = done or Round()
        if self.sender is None:
            return 0
        while True:
            now = self.clock.now()
            due = self.store.due_mails(now)
            if not due:
                return done.sent
            for mail in due:
                now = self.clock.now()
                if not self.store.lease(mail.id, now, now + LEASE):
                    continue
                try:
                    self.sender.send(
                        OutgoingMail(mail.message_id, mail.address, mail.subject, mail.body)
                    )
                except DeliveryError as e:
                    pause = retry_after(mail.attempts + 1)
                    self.store.failed(mail.id, str(e), None if pause is None else now + pause)
                    done.failed += 1
                    _log.warning("notify: mail %d refused (%s)", mail.id, e)
                    continue
                self.store.sent(mail.id, self.clock.now())
                done.sent += 1
            if done.failed:
                return done.sent  # the rest waits for its next attempt

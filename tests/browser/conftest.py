"""The browser tests' world: a real ``thucthi serve`` on a demo year, driven by Debian's Chromium
through Playwright. A browser is never downloaded; without /usr/bin/chromium the tests skip, or
fail when CI=true."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    StorageState,
    ViewportSize,
    sync_playwright,
)

from adapters.database import open_application, parse_database_url
from bench.pages import CHROMIUM_ARGS
from cli.demo_users import DEMO_PASSWORD, DEMO_USERS
from domain.directives.directive import Directive
from domain.shared.clock import SystemClock, city_date

HERE = Path(__file__).parent
CHROMIUM = Path("/usr/bin/chromium")
DESKTOP = ViewportSize(width=1280, height=900)
PHONE = ViewportSize(width=390, height=844)
# Long enough for a page backed by a real server on the shared two-core machine at a load of 20
# and more (a wait returns as soon as the element is there: only a missing one waits it out).
TIMEOUT_MS = 30_000
# The server loads its demo year and catches its projections up before /readyz says 200: under
# that load it took more than 30 s (the browser tests failed at start-up, then passed unchanged).
READY_TIMEOUT_S = 180.0
# The demo year's directives: as many as give its last year the density 60 gave a year before
# the demo spanned the reorganisation of 1 July 2025 (``cli.demo_units``).
DEMO_DIRECTIVES = 120

Screenshot = Callable[[Page, str], Path]


class NewPage(Protocol):
    def __call__(self, *, phone: bool = False, user: User | None = None) -> Page: ...


@dataclass(frozen=True)
class User:
    """An account on the served app and the password to sign in with."""

    username: str
    password: str
    role: str
    unit: str | None
    person: str = ""  # how the pages name them, "Name — Title" (else the user name)

    @property
    def shown(self) -> str:
        return self.person or self.username


@dataclass(frozen=True)
class ServedApp:
    """``thucthi serve`` running on a demo year, and everyone who can sign in to it."""

    base_url: str
    db_url: str
    users: dict[str, User]

    def url(self, path: str) -> str:
        return self.base_url + path

    @property
    def leader(self) -> User:
        return self.users["leader.chutich"]

    @property
    def office(self) -> User:
        return self.users["office.vp"]

    @property
    def officer(self) -> User:
        """The department officer of SO-CT."""
        return self.users["so-ct.canbo"]

    @property
    def other_officer(self) -> User:
        """A department officer of another unit than SO-CT, with open work (``other_unit``)."""
        return next(u for u in self.users.values() if u.username.endswith(".canbo-khac"))

    @property
    def inspector(self) -> User:
        return self.users["thanhtra"]

    @property
    def admin(self) -> User:
        return self.users["admin"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The hook sees every collected test of the session, so only those in this directory are marked.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _thucthi(db_url: str, *args: str) -> str:
    """Runs the command line as a user would and returns what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "--db", db_url, *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"thucthi {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done.stdout


def add_user(server: ServedApp, username: str, role: str, unit: str | None = None) -> User:
    """A new account on the served app, made with the command line as an administrator would
    (``thucthi user add``), with the password it printed once."""
    printed = _thucthi(
        server.db_url, "user", "add", username, "--role", role, *(("--unit", unit) if unit else ())
    )
    match = re.search(r"^password \(shown once\): (\S+)$", printed, re.MULTILINE)
    if match is None:
        pytest.fail(f"thucthi user add printed no password:\n{printed}")
    return User(username, match[1], role, unit)


def other_unit(db_url: str) -> str:
    """The unit of the demo year's end leading the most directives still open, the most overdue
    first (then by code), other than SO-CT and the desks the demo has accounts for: which one
    it is depends on the day the year ends, today."""
    app = open_application(parse_database_url(db_url))
    try:
        today = city_date(SystemClock().now())
        active = {u.code for u in app.unit_registry().units.values() if u.active}
        taken = {u.unit for u in DEMO_USERS}
        work: Counter[tuple[str, bool]] = Counter()
        for n in app.recorder.select_notifications(1, 10**6, topics=[Directive.Issued.TOPIC]):
            directive = app.get_directive(n.originator_id)
            if not directive.is_closed and directive.lead_unit in active - taken:
                late = directive.deadline is not None and directive.deadline < today
                work[directive.lead_unit, late] += 1
    finally:
        app.close()
    units = {unit for unit, _ in work}
    if not units:
        pytest.fail("the demo year left no unit but SO-CT with open work")
    return max(sorted(units), key=lambda u: (work[u, True] + work[u, False], work[u, True]))


def _ready(url: str) -> bool:
    """Ready, and every projection caught up with the log: /readyz says 200 while they are up
    to ``AppConfig.ready_lag`` events behind (10,000, more than the whole demo year), and a page
    opened before they catch up rightly shows the figures at the position they stand at (0 at
    first), which the tests would read as the demo's."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local server
            status: int = response.status
            document = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError):
        return False
    return status == 200 and document.get("lag") == 0


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory,
    _signing_key_of_the_test_run: None,  # the server must sign with this run's key
) -> Iterator[ServedApp]:
    """``thucthi serve`` on a free port over a fresh SQLite demo year (ending today, so the
    dashboard looks current) with the demo users and an officer of ``other_unit``; stopped with
    SIGTERM after the session."""
    directory = tmp_path_factory.mktemp("browser-server")
    db_url = f"sqlite:///{directory / 'thucthi.db'}"
    _thucthi(db_url, "demo", "--directives", str(DEMO_DIRECTIVES), "--quiet")
    users = {
        u.username: User(u.username, DEMO_PASSWORD, u.role.value, u.unit, f"{u.name} — {u.title}")
        for u in DEMO_USERS
    }
    unit = other_unit(db_url)
    other = f"{unit.lower()}.canbo-khac"
    printed = _thucthi(db_url, "user", "add", other, "--role", "department", "--unit", unit)
    match = re.search(r"^password \(shown once\): (\S+)$", printed, re.MULTILINE)
    if match is None:
        pytest.fail(f"thucthi user add printed no password:\n{printed}")
    users[other] = User(other, match[1], "department", unit)

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    out_path, err_path = directory / "serve.out", directory / "serve.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        # Files, not pipes: a session's worth of logs would fill a pipe nobody reads and stall it.
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "--db", db_url, "serve", "--port", str(port)],
            stdout=out,
            stderr=err,
            env=os.environ.copy(),
        )
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not _ready(f"{base_url}/readyz"):
            if process.poll() is not None:
                pytest.fail(
                    f"thucthi serve exited {process.returncode} before it was ready:\n"
                    + err_path.read_text(errors="replace")
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"thucthi serve did not answer /readyz 200 within {READY_TIMEOUT_S:.0f} s:\n"
                    + err_path.read_text(errors="replace")
                )
            time.sleep(0.1)
        yield ServedApp(base_url=base_url, db_url=db_url, users=users)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.returncode != 0:
        pytest.fail(
            f"thucthi serve exited {process.returncode} on SIGTERM:\n"
            + err_path.read_text(errors="replace")
        )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, one for the session."""
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is missing: `make chromium` installs it (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def _signed_in_states() -> dict[str, StorageState]:
    """Each user's cookies after one sign-in through the form, kept for the session: signing in
    costs an argon2 hash and the server allows ten attempts a minute per user."""
    return {}


@pytest.fixture
def new_page(
    browser: Browser, server: ServedApp, _signed_in_states: dict[str, StorageState]
) -> Iterator[NewPage]:
    """Opens a page in a fresh context (its own cookies, so its own signed-in user) on the served
    app: ``new_page()`` at 1280x900, ``new_page(phone=True)`` at 390x844 with touch;
    ``new_page(user=server.leader)`` already signed in as that user (where the page stands is
    unspecified: go somewhere first). Relative URLs go to the server (``page.goto("/")``). Every
    context is closed after the test."""
    contexts: list[BrowserContext] = []

    def open_page(*, phone: bool = False, user: User | None = None) -> Page:
        state = None if user is None else _signed_in_states.get(user.username)
        context = browser.new_context(
            base_url=server.base_url,
            viewport=PHONE if phone else DESKTOP,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            accept_downloads=True,
            storage_state=state,
        )
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        if user is not None and state is None:
            sign_in(page, user)
            _signed_in_states[user.username] = context.storage_state()
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: NewPage) -> Page:
    """A desktop-sized page (1280x900) on the served app, in a context of its own."""
    return new_page()


@pytest.fixture
def phone_page(new_page: NewPage) -> Page:
    """A phone-sized page (390x844, mobile, touch) on the served app, in a context of its own."""
    return new_page(phone=True)


def artifacts_directory() -> Path:
    """tests/artifacts, or $THUCTHI_ARTIFACTS when set (CI keeps it as the run's artifacts)."""
    configured = os.environ.get("THUCTHI_ARTIFACTS")
    return Path(configured) if configured else HERE.parent / "artifacts"


def save_screenshot(page: Page, name: str) -> Path:
    """Saves the whole page (not only the viewport) as <artifacts>/screenshots/<name>.png."""
    path = artifacts_directory() / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


@pytest.fixture
def screenshot() -> Screenshot:
    """``screenshot(page, "name")`` saves a full-page PNG and returns its path."""
    return save_screenshot


# --- what several tests do -----------------------------------------------------------------


def path_of_url(url: str) -> str:
    """A URL's path, without the query."""
    return urlparse(url).path


def path_of(page: Page) -> str:
    """The path the page stands on, without the query."""
    return path_of_url(page.url)


def sign_in(page: Page, user: User) -> None:
    """Signs in through the form as a person would (fills #username and #password, submits
    #sign-in) and waits for the page it leads to; fails the test if it stays on /sign-in."""
    page.goto("/sign-in")
    page.fill("#username", user.username)
    page.fill("#password", user.password)
    with page.expect_navigation():
        page.locator("#sign-in [type=submit]").click()
    if path_of(page) == "/sign-in":
        alert = page.locator("[role=alert]")
        said = alert.inner_text() if alert.count() else "no alert"
        pytest.fail(f"{user.username} could not sign in: {said}")


def city_today() -> date:
    """Today in the city (UTC+7), as the server counts days."""
    return city_date(datetime.now(UTC))


def unique_reference(kind: str = "KT") -> str:
    """A directive reference no other test uses, shaped like a real one ("1234/QĐ-UBND"): a "/",
    which paths write "~", and a Vietnamese letter, which they percent-encode."""
    return f"{uuid.uuid4().int % 10_000}/QĐ-{kind}-{uuid.uuid4().hex[:6].upper()}"


def issue_directive(
    page: Page,
    *,
    reference: str,
    title: str,
    lead_unit: str,
    deadline: date | None,
    issuer: str | None = None,
    content: str = "",
    filled: Callable[[Page], object] | None = None,
) -> str:
    """Issues a directive through /directives/new as the page's (committee) user; returns the
    path of the directive's page, where the browser then stands. ``filled(page)`` runs once the
    form is filled in, before it is sent (to take a screenshot)."""
    page.goto("/directives/new")
    page.fill("#reference", reference)
    page.fill("#title", title)
    page.fill("#content", content)
    page.select_option("#lead_unit", lead_unit)
    if deadline is not None:
        page.fill("#deadline", deadline.isoformat())
    if issuer is not None:
        page.fill("#issuer", issuer)
    if filled is not None:
        filled(page)
    with page.expect_navigation():
        page.locator("#issue [type=submit]").click()
    if "done=issue" not in page.url:
        alert = page.locator("[role=alert]")
        said = alert.inner_text() if alert.count() else "no alert"
        pytest.fail(f"issuing {reference} failed at {page.url}: {said}")
    return path_of(page)


def tile(page: Page, category: str) -> str:
    """The text of a dashboard or inbox tile's figure (li[data-category=…] .value)."""
    return page.locator(f"#tiles li[data-category={category}] .value").inner_text().strip()


def whole_number(text: str) -> int:
    """A whole number as a Vietnamese page writes it: "1.116" (a dot between thousands)."""
    return int(text.strip().replace(".", ""))


def shown_day(day: date) -> str:
    """A day as a Vietnamese page writes it: 18/10/2026, 5/3/2026."""
    return f"{day.day}/{day.month}/{day.year}"


def tile_count(page: Page, category: str) -> int:
    return whole_number(tile(page, category))

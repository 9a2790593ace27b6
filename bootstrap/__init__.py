"""The composition root: everything Thucthi runs with, built from settings in one pass.

The WSGI application of each server worker (``api.wsgi``), every command of the command line
(``cli``), the projections' follower, the bench and the tests open what they need here, so that
what the tests run is what production runs. Each service is given its collaborators when it is
made: nothing is assigned afterwards. This is, with ``adapters``, the only code that reads the
environment or chooses a backend.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Literal

from eventsourcing.postgres import PostgresDatastore

from adapters.checkpoint_log import default_path as checkpoint_log_default
from adapters.database import Database, DatabaseURLError, open_application, parse_database_url
from adapters.documents import PadesSettings
from adapters.files import (
    FILES_DIR_VARIABLE,
    KINDS_VARIABLE,
    MAX_BYTES_VARIABLE,
    DiskFiles,
    default_folder,
)
from adapters.follower import Heartbeat, open_heartbeat
from adapters.freshness import Freshness
from adapters.idempotency import IdempotencyStore
from adapters.idempotency import open_store as open_idempotency
from adapters.log_partitions import DEFAULT_SIZE as DEFAULT_PARTITION_SIZE
from adapters.log_partitions import LogPartitions, Partition
from adapters.lookup_key import KEY_FILE_NAME as LOOKUP_KEY_FILE
from adapters.lookup_key import KEY_VARIABLE as LOOKUP_KEY_VARIABLE
from adapters.lookup_key import LookupKey
from adapters.notifications import NotificationStore, open_notifications
from adapters.personal_keys import KEY_FILE_NAME as PERSONAL_DATA_KEY_FILE
from adapters.personal_keys import KEY_VARIABLE as PERSONAL_DATA_KEY_VARIABLE
from adapters.recorder import saved_channel
from adapters.settings import SERVE_POOL_SIZE, SettingsError, name_connections
from adapters.settings import Settings as PoolSettings
from adapters.signing import (
    DEFAULT_ORIGIN,
    KEY_VARIABLE,
    ORIGIN_VARIABLE,
    Signer,
    default_key_path,
    signer_at,
)
from adapters.smtp import SmtpSender, SmtpSettings
from adapters.standbys import DEFAULT_WAIT as DEFAULT_READ_WAIT
from adapters.standbys import ReadRouting, Standby
from domain.application import Thucthi
from domain.documents.signing import DocumentSigner, DocumentVerifier
from domain.notifications.rules import Policy
from domain.shared.clock import Clock
from domain.shared.files import KINDS, FileRules, FileStore, MemoryFiles
from projections.notifications import NotifySettings
from readmodels.audit import AuditStore
from readmodels.index import DEFAULT_PETITION_WEIGHT
from readmodels.open import (
    OversightView,
    open_candidates,
    open_measures,
    open_trail,
    open_view,
)
from readmodels.petitions import DEFAULT_DUE_SOON_DAYS
from readmodels.postgres import PostgresOversightView
from readmodels.todo import DEFAULT_PROGRESS_DAYS, DEFAULT_QUIET_DAYS, Windows

DATABASE_URL_VARIABLE = "THUCTHI_DATABASE_URL"
# Set by `thucthi serve` for the processes it starts, not by operators.
THREADS_VARIABLE = "THUCTHI_SERVE_THREADS"
FOLLOWER_OF_VARIABLE = "THUCTHI_FOLLOWER_OF"
INDEX_PETITION_WEIGHT_VARIABLE = "THUCTHI_INDEX_PETITION_WEIGHT"
PETITION_DUE_SOON_VARIABLE = "THUCTHI_PETITION_DUE_SOON_DAYS"
TODO_QUIET_VARIABLE = "THUCTHI_TODO_QUIET_DAYS"
TODO_PROGRESS_VARIABLE = "THUCTHI_TODO_PROGRESS_DAYS"
DEFAULT_DATABASE_URL = "sqlite:///thucthi.db"
PUBLIC_URL_VARIABLE = "THUCTHI_PUBLIC_URL"
LOG_PARTITION_SIZE_VARIABLE = "THUCTHI_LOG_PARTITION_SIZE"
READ_DATABASE_URL_VARIABLE = "THUCTHI_READ_DATABASE_URL"
READ_WAIT_VARIABLE = "THUCTHI_READ_WAIT"
# Several read URLs are separated by spaces, or by commas before a scheme: a URL naming several
# hosts has commas of its own.
_READ_URL_SEPARATOR = re.compile(r"\s+|,\s*(?=postgres(?:ql)?://)")
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


class Process(StrEnum):
    """What a process is for: it decides its pool and how its connections are named."""

    WORKER = "worker"  # an API worker of `thucthi serve`
    FOLLOWER = "follower"  # `thucthi projections run`, serve's own or separate
    SERVE = "serve"  # `thucthi serve` itself, before it starts its workers
    COMMAND = "command"  # any other command, the bench, a test


@dataclass(frozen=True, slots=True)
class PublicSettings:
    """The public face of the petitions: the address printed in a receipt's QR code, and how
    often the public look-up may be tried (docs/petitions-public.md says why these numbers)."""

    url: str = DEFAULT_PUBLIC_URL  # THUCTHI_PUBLIC_URL, without a trailing slash
    per_address: int = 30  # THUCTHI_LOOKUP_PER_ADDRESS: failed look-ups from one address …
    address_window: int = 600  # THUCTHI_LOOKUP_ADDRESS_WINDOW: … in this many seconds
    per_code: int = 10  # THUCTHI_LOOKUP_PER_CODE: failed look-ups of one receipt code …
    code_window: int = 86_400  # THUCTHI_LOOKUP_CODE_WINDOW: … in this many seconds

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> PublicSettings:
        default = cls()
        url = (environ.get(PUBLIC_URL_VARIABLE) or default.url).strip().rstrip("/")
        if not url.startswith(("http://", "https://")) or any(c.isspace() for c in url):
            msg = (
                f"{PUBLIC_URL_VARIABLE} phải là một địa chỉ http(s) / must be an http(s) "
                f"address, not {url!r}"
            )
            raise SettingsError(msg)

        def number(variable: str, value: int) -> int:
            text = environ.get(variable, "").strip()
            if not text:
                return value
            if not (text.isascii() and text.isdecimal() and 0 < int(text) < 10_000_000):
                msg = f"{variable} phải là một số dương / must be a positive number, not {text!r}"
                raise SettingsError(msg)
            return int(text)

        return cls(
            url=url,
            per_address=number("THUCTHI_LOOKUP_PER_ADDRESS", default.per_address),
            address_window=number("THUCTHI_LOOKUP_ADDRESS_WINDOW", default.address_window),
            per_code=number("THUCTHI_LOOKUP_PER_CODE", default.per_code),
            code_window=number("THUCTHI_LOOKUP_CODE_WINDOW", default.code_window),
        )


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the environment (or the command line) sets, read once."""

    database_url: str = DEFAULT_DATABASE_URL
    pools: PoolSettings = field(default_factory=PoolSettings)
    signing_key: Path = field(default_factory=default_key_path)
    checkpoint_log: Path | None = None  # None: beside the signing key
    origin: str = DEFAULT_ORIGIN
    serve_threads: int = 1  # requests a server worker serves at once (`serve --threads`)
    follower_of: int | None = None  # the `thucthi serve` that started this follower, if one did
    # The oversight of petitions (docs/petitions-oversight.md): the petitions' weight in the
    # execution index (0: off), and the working days before a term ends that count as due soon.
    index_petition_weight: float = DEFAULT_PETITION_WEIGHT
    petition_due_soon_days: int = DEFAULT_DUE_SOON_DAYS
    public: PublicSettings = field(default_factory=PublicSettings)
    lookup_key: Path | None = None  # None: beside the signing key
    personal_data_key: Path | None = None  # None: beside the signing key
    # Notifications (docs/notifications.md): when they are decided and the digest made, and the
    # SMTP server that sends the digests (None: they are kept and shown in the app only).
    notify: NotifySettings = field(default_factory=NotifySettings)
    smtp: SmtpSettings | None = None
    # Filed files (domain.shared.files): their folder (None: beside a SQLite database, else
    # the user's data folder) and what may be filed.
    files_dir: Path | None = None
    file_rules: FileRules = field(default_factory=FileRules)
    # The queues of what waits (readmodels.todo): the days without a reminder after which the
    # Office is asked to remind, and without a progress report after which a unit is asked.
    todo_windows: Windows = field(default_factory=Windows)
    # Signed documents (docs/documents.md): the signers' keys, the trust roots, the time-stamp
    # authority; beside the signing key the environment names, like the personal-data key.
    documents: PadesSettings = field(
        default_factory=lambda: PadesSettings.from_env({}, default_key_path({}))
    )
    # Positions in each partition of a PostgreSQL log created from now (adapters.log_partitions).
    log_partition_size: int = DEFAULT_PARTITION_SIZE
    # Hot standbys the API workers' reads may go to, and how long a read waits for one to
    # replay far enough before it goes to the primary (adapters.standbys).
    read_database_urls: tuple[str, ...] = ()
    read_wait: float = DEFAULT_READ_WAIT

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, *, database_url: str | None = None
    ) -> Settings:
        """From ``THUCTHI_…`` variables; ``database_url`` (``--db``) before the environment's."""
        environ = os.environ if environ is None else environ
        log = environ.get("THUCTHI_CHECKPOINT_LOG")
        personal = environ.get(PERSONAL_DATA_KEY_VARIABLE)
        public = PublicSettings.from_env(environ)
        signing_key = (
            Path(environ[KEY_VARIABLE]) if environ.get(KEY_VARIABLE) else default_key_path(environ)
        )
        return cls(
            database_url=database_url or environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL,
            pools=PoolSettings.from_env(environ),
            signing_key=signing_key,
            documents=PadesSettings.from_env(environ, signing_key),
            checkpoint_log=Path(log) if log else None,
            origin=environ.get(ORIGIN_VARIABLE) or DEFAULT_ORIGIN,
            serve_threads=_whole(environ.get(THREADS_VARIABLE)) or 1,
            follower_of=_whole(environ.get(FOLLOWER_OF_VARIABLE)),
            public=public,
            notify=notify_settings(environ, public.url),
            smtp=SmtpSettings.from_env(environ),
            lookup_key=Path(environ[LOOKUP_KEY_VARIABLE])
            if environ.get(LOOKUP_KEY_VARIABLE)
            else None,
            personal_data_key=Path(personal) if personal else None,
            files_dir=Path(environ[FILES_DIR_VARIABLE]).expanduser()
            if environ.get(FILES_DIR_VARIABLE)
            else None,
            file_rules=_file_rules(environ),
            index_petition_weight=_at_least_zero(
                environ, INDEX_PETITION_WEIGHT_VARIABLE, DEFAULT_PETITION_WEIGHT, float
            ),
            petition_due_soon_days=int(
                _at_least_zero(
                    environ, PETITION_DUE_SOON_VARIABLE, DEFAULT_DUE_SOON_DAYS, int, most=365
                )
            ),
            read_database_urls=read_urls(environ.get(READ_DATABASE_URL_VARIABLE, "")),
            read_wait=_at_least_zero(
                environ, READ_WAIT_VARIABLE, DEFAULT_READ_WAIT, float, most=60
            ),
            log_partition_size=int(
                _at_least_zero(
                    environ, LOG_PARTITION_SIZE_VARIABLE, DEFAULT_PARTITION_SIZE, int, most=2**40
                )
            )
            or DEFAULT_PARTITION_SIZE,
            todo_windows=Windows(
                quiet_days=int(
                    _at_least_zero(environ, TODO_QUIET_VARIABLE, DEFAULT_QUIET_DAYS, int, most=365)
                ),
                progress_days=int(
                    _at_least_zero(
                        environ, TODO_PROGRESS_VARIABLE, DEFAULT_PROGRESS_DAYS, int, most=365
                    )
                ),
            ),
        )

    @property
    def database(self) -> Database:
        return parse_database_url(self.database_url)

    def pool_size(self, role: Process) -> int:
        if role is Process.FOLLOWER:
            return self.pools.follower_pool_size
        return SERVE_POOL_SIZE if role is Process.SERVE else self.pools.pool_size

    def checkpoint_log_path(self) -> Path:
        return self.checkpoint_log or checkpoint_log_default({}, self.signing_key)

    def lookup_key_path(self) -> Path:
        """The secret the look-up PINs are derived under: by default beside the signing key."""
        return self.lookup_key or self.signing_key.with_name(LOOKUP_KEY_FILE)

    def file_store(self, environ: Mapping[str, str] | None = None) -> FileStore:
        """Where filed files' bytes are kept: the folder set, else beside a SQLite database or
        under the user's data folder; in memory for memory:// unless a folder is set."""
        database = self.database
        if self.files_dir is None and (
            database.backend == "memory" or ":memory:" in (database.path or "")
        ):
            return MemoryFiles()
        environ = os.environ if environ is None else environ
        sqlite = database.path if database.backend == "sqlite" else None
        return DiskFiles(self.files_dir or default_folder(sqlite, environ))

    def personal_data_key_path(self) -> Path:
        """The key that wraps the persons' keys: outside the database, by default beside the
        signing key (docs/personal-data.md)."""
        return self.personal_data_key or self.signing_key.with_name(PERSONAL_DATA_KEY_FILE)


def read_urls(text: str) -> tuple[str, ...]:
    """``THUCTHI_READ_DATABASE_URL``: PostgreSQL URLs of hot standbys, each checked."""
    urls = tuple(u for u in _READ_URL_SEPARATOR.split(text.strip()) if u)
    for url in urls:
        try:
            database = parse_database_url(url)
        except DatabaseURLError as e:
            msg = f"{READ_DATABASE_URL_VARIABLE}: {e}"
            raise SettingsError(msg) from None
        if database.backend != "postgres":
            msg = (
                f"{READ_DATABASE_URL_VARIABLE} names PostgreSQL hot standbys / chỉ gồm máy "
                f"chủ PostgreSQL dự phòng: not {database.display}"
            )
            raise SettingsError(msg)
    return urls


def open_reads(
    settings: Settings, view: OversightView, primary_position: Callable[[], int]
) -> ReadRouting[OversightView]:
    """The standbys the settings name, each with the read models as it holds them (in the
    primary's schema unless its URL names one), and the routing of reads among them."""
    primary = settings.database
    standbys: list[Standby[OversightView]] = []
    for url in settings.read_database_urls:
        database = parse_database_url(url)
        if not database.schema and primary.schema:
            database = replace(database, schema=primary.schema)
        datastore = database.datastore(settings.pools.pool_size)
        prefix = getattr(view, "prefix", "oversight")
        read_view: OversightView = PostgresOversightView(
            datastore, tracking_table_name=f"{prefix}_tracking"
        )
        standbys.append(Standby(database.display, read_view, datastore.close))
    return ReadRouting(view, standbys, primary_position=primary_position, wait=settings.read_wait)


def notify_settings(environ: Mapping[str, str], url: str) -> NotifySettings:
    """The scheduler's settings (``THUCTHI_NOTIFY_…``, docs/notifications.md)."""
    default = Policy()
    text = environ.get("THUCTHI_NOTIFY_DUE_DAYS", "").strip()
    due = default.due_days
    if text:
        parts = [p.strip() for p in text.split(",")]
        if not all(p.isascii() and p.isdecimal() and 0 < int(p) <= 60 for p in parts):
            msg = (
                "THUCTHI_NOTIFY_DUE_DAYS là các số ngày làm việc từ 1 đến 60, cách nhau bởi dấu "
                f"phẩy / is working days from 1 to 60 separated by commas, not {text!r}"
            )
            raise SettingsError(msg)
        due = tuple(sorted({int(p) for p in parts}, reverse=True))

    def whole(variable: str, value: int, least: int, most: int) -> int:
        found = int(_at_least_zero(environ, variable, value, int, most=most))
        if found < least:
            msg = f"{variable} phải từ {least} / must be at least {least}, not {found}"
            raise SettingsError(msg)
        return found

    return NotifySettings(
        policy=Policy(
            due_days=due,
            overdue_every=whole("THUCTHI_NOTIFY_OVERDUE_EVERY", default.overdue_every, 1, 365),
            escalate_after=whole("THUCTHI_NOTIFY_ESCALATE_AFTER", default.escalate_after, 1, 365),
        ),
        digest_hour=whole("THUCTHI_NOTIFY_DIGEST_HOUR", 7, 0, 23),
        interval=float(whole("THUCTHI_NOTIFY_INTERVAL", 60, 1, 86_400)),
        url=url,
    )


def _file_rules(environ: Mapping[str, str]) -> FileRules:
    """``THUCTHI_FILES_MAX_BYTES`` (default 20 MiB) and ``THUCTHI_FILES_KINDS`` (comma-separated
    kinds of ``domain.shared.files.KINDS``; default all: PDF, images, office documents)."""
    default = FileRules()
    most = int(_at_least_zero(environ, MAX_BYTES_VARIABLE, default.max_bytes, int, most=2**40))
    text = environ.get(KINDS_VARIABLE, "").strip()
    kinds = tuple(k.strip().lower() for k in text.split(",") if k.strip()) or default.kinds
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or most < 1:
        msg = (
            f"{KINDS_VARIABLE} chỉ gồm / names only {', '.join(KINDS)}; "
            f"{MAX_BYTES_VARIABLE} > 0: not {', '.join(unknown) or most}"
        )
        raise SettingsError(msg)
    return FileRules(max_bytes=most, kinds=kinds)


def _at_least_zero(
    environ: Mapping[str, str],
    variable: str,
    default: float,
    kind: type[int] | type[float],
    most: float = 1_000_000,
) -> float:
    """A setting that is a number from 0 to ``most``, or its default when not set."""
    text = environ.get(variable, "").strip()
    if not text:
        return default
    try:
        given = kind(text)
    except ValueError:
        given = -1
    if not 0 <= given <= most:
        msg = f"{variable} phải là một số từ 0 đến {most:g} / must be a number from 0 to {most:g}"
        raise SettingsError(f"{msg}, not {text!r}")
    return given


def _whole(text: str | None) -> int | None:
    """A whole number set by ``thucthi serve`` (ASCII digits only), else None."""
    return int(text) if text and text.isascii() and text.isdecimal() else None


@dataclass
class Services:
    """What a process runs with. ``view`` and ``trail`` are None on memory:// (events only);
    ``freshness`` on PostgreSQL API workers only; ``signer`` when the signing key exists (or
    was asked to be made)."""

    settings: Settings
    database: Database
    app: Thucthi
    view: OversightView | None = None
    trail: AuditStore | None = None
    heartbeat: Heartbeat | None = None
    idempotency: IdempotencyStore | None = None
    freshness: Freshness | None = None
    signer: Signer | None = None
    # The secret of the look-up PINs (adapters.lookup_key), read when first needed.
    lookup_key: LookupKey | None = None
    # What each person was told, and the outbox of their digests (None on memory://).
    notifications: NotificationStore | None = None
    # Signing and checking documents, made when first asked for (adapters.pades).
    _document_signer: DocumentSigner | None = field(default=None, repr=False)
    _document_verifier: DocumentVerifier | None = field(default=None, repr=False)
    # Where an API worker's reads go when hot standbys are named (adapters.standbys).
    reads: ReadRouting[OversightView] | None = None

    def mail_sender(self) -> SmtpSender | None:
        """The SMTP server the settings name, or None: notifications in the app only."""
        smtp = self.settings.smtp
        return None if smtp is None else SmtpSender(smtp)

    def document_signer(self) -> DocumentSigner:
        """Signs PDFs with the configured signers' keys (``domain.documents.signing``): one a
        process, which keeps the keys it read (and a PKCS#11 token's session) open."""
        if self._document_signer is None:
            from adapters.pades import signer_from  # noqa: PLC0415 - pyHanko: a second to load

            self._document_signer = signer_from(self.settings.documents)
        return self._document_signer

    def document_verifier(self) -> DocumentVerifier:
        """Checks PDFs' signatures against the configured trust roots."""
        if self._document_verifier is None:
            from adapters.pades import verifier_from  # noqa: PLC0415 - pyHanko: a second to load

            self._document_verifier = verifier_from(self.settings.documents)
        return self._document_verifier

    def keep_log_ahead(self) -> list[Partition]:
        """On a partitioned PostgreSQL log, an empty partition made ready beyond the one its
        head is in, if there was none (``adapters.log_partitions``); the partitions added."""
        datastore = getattr(self.app.factory, "datastore", None)
        if not isinstance(datastore, PostgresDatastore):
            return []
        partitions = LogPartitions(datastore, getattr(self.app.recorder, "events_table_name", ""))
        return partitions.keep_ahead(self.app.max_notification_id() or 0)

    def close(self) -> None:
        if self.reads is not None:
            self.reads.close()
        self.app.close()  # and its change feed


SignerWanted = Literal["none", "existing", "create"]


def open_services(
    settings: Settings,
    *,
    role: Process = Process.COMMAND,
    clock: Clock | None = None,
    create_tables: bool = True,
    read_models: bool = True,
    listen: bool | None = None,
    signer: SignerWanted | Signer = "existing",
    pool_size: int | None = None,
) -> Services:
    """Open the log, and with it the read models, the trail and the stores beside the log.

    ``signer``: none, the one whose key exists, one made if missing, or the caller's own.
    ``listen`` (default: on PostgreSQL for API workers) makes a change feed from PostgreSQL's
    notifications the application's, and starts it once the view is open. ``create_tables`` is
    False in server workers: their parent made everything before starting them, and carried
    out any erasure left pending (``Thucthi.complete_erasures``).
    """
    database = settings.database
    name_connections(role.value)
    postgres = database.backend == "postgres"
    listening = (role is Process.WORKER) if listen is None else listen
    freshness = Freshness(database.conninfo()) if postgres and listening else None
    app = open_application(
        database,
        clock=clock,
        create_tables=create_tables,
        pool_size=settings.pool_size(role) if pool_size is None else pool_size,
        lock_pool_size=settings.pools.lock_pool_size,
        changes=freshness,
        personal_data_key=settings.personal_data_key_path(),
        files=settings.file_store(),
        file_rules=settings.file_rules,
        # The duplicate search reads the view's candidate store (made with the view below).
        candidates=open_candidates if read_models else None,
        log_partition_size=settings.log_partition_size,
    )
    services = Services(
        settings,
        database,
        app,
        freshness=freshness,
        lookup_key=LookupKey(settings.lookup_key_path()),
    )
    try:
        if create_tables:
            # An erasure recorded by a process that stopped before destroying its keys is
            # carried out now (server workers: their parent did it before starting them).
            app.complete_erasures()
        if database.backend != "memory" and read_models:
            datastore = getattr(app.factory, "datastore", None)
            services.view = open_view(app, create=create_tables)
            # The index's measured components are answered by the view (domain.dti.measures).
            app.dti.measure_with(open_measures(app, services.view))
            services.trail = open_trail(app, create=create_tables)
            services.heartbeat = open_heartbeat(datastore, create=create_tables)
            services.notifications = open_notifications(datastore, create=create_tables)
        if role is Process.WORKER:
            services.idempotency = open_idempotency(
                getattr(app.factory, "datastore", None),
                events_table=getattr(app.recorder, "events_table_name", ""),
                head=app.max_notification_id,
                create=create_tables,
            )
        view = services.view
        if role is Process.WORKER and settings.read_database_urls and view is not None:
            services.reads = open_reads(
                settings,
                view,
                lambda: (
                    known
                    if freshness is not None and (known := freshness.position()) is not None
                    else view.position()
                ),
            )
        if freshness is not None and isinstance(services.view, PostgresOversightView):
            recorder = app.recorder
            freshness.start(
                saved_channel=saved_channel(
                    getattr(recorder, "events_table_name", ""),
                    getattr(getattr(recorder, "datastore", None), "schema", ""),
                ),
                view_channel=services.view.notify_channel,
                read_position=services.view.position,
            )
        if isinstance(signer, Signer):
            services.signer = signer  # the tests' own
        elif signer == "create" or (signer == "existing" and settings.signing_key.exists()):
            services.signer = signer_at(
                settings.signing_key,
                create=signer == "create",
                log=settings.checkpoint_log_path(),
                origin=settings.origin,
            )
    except BaseException:
        services.close()
        raise
    return services

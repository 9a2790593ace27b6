"""What every command of the command line shares: its errors, its argument types, and opening the
services through the composition root (closed again when the command ends)."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

from adapters.signing import Signer
from api.params import POSITION_MAX, Day, Integer, Moment, Param, ParameterError
from bootstrap import Process, Services, Settings, SignerWanted, open_services
from domain.shared.clock import SimulatedClock, SystemClock
from readmodels.audit import AuditStore
from readmodels.open import OversightView

_T = TypeVar("_T")
EXIT_USAGE = 2
EXIT_FAILURE = 1
KEY_HELP = "the Ed25519 signing key (PEM), kept outside the database (default: " + (
    "$THUCTHI_SIGNING_KEY, else ~/.config/thucthi/signing-key.pem)"
)
MEMORY_HAS_NO_READ_MODELS = "read models need SQLite or PostgreSQL; memory:// keeps only events"


class CliError(Exception):
    """A user-facing failure: printed as one line, exit non-zero."""


class Opened:
    """The services a command opened; ``cli.main`` closes them when the command ends, so that a
    command run in-process (the tests) leaves no pool open behind it."""

    def __init__(self) -> None:
        self.services: list[Services] = []

    def close(self) -> None:
        while self.services:
            self.services.pop().close()


OPENED = Opened()


def settings_of(args: argparse.Namespace) -> Settings:
    """The environment's settings, with what the command line said instead (``--db``,
    ``--signing-key``)."""
    settings = Settings.from_env(database_url=getattr(args, "db", None))
    key = getattr(args, "signing_key", None)
    if not key:
        return settings
    # ``--signing-key`` moves the signing key only: the personal-data key stays where the
    # environment puts it, so that ``init --signing-key K`` and a later ``demo`` or ``serve``
    # without the flag seal and open persons under the same key.
    return dataclasses.replace(
        settings, signing_key=Path(key), personal_data_key=settings.personal_data_key_path()
    )


def opened(
    args: argparse.Namespace,
    *,
    process: Process = Process.COMMAND,
    simulated: bool = False,
    read_models: bool = False,
    signer: SignerWanted = "none",
    pool_size: int | None = None,
) -> Services:
    """The services for this command, through the composition root; ``simulated``: on a clock
    the demo moves. A signing key that is wanted but missing or unreadable is a one-line error."""
    clock = SimulatedClock(SystemClock().now()) if simulated else None
    try:
        services = open_services(
            settings_of(args),
            role=process,
            clock=clock,
            read_models=read_models,
            signer=signer,
            pool_size=pool_size,
        )
    except (FileNotFoundError, TypeError, ValueError) as e:
        raise CliError(str(e)) from None
    OPENED.services.append(services)
    return services


def view_of(services: Services) -> OversightView:
    if services.view is None:
        raise CliError(MEMORY_HAS_NO_READ_MODELS)
    return services.view


def trail_of(services: Services) -> AuditStore:
    if services.trail is None:
        raise CliError(MEMORY_HAS_NO_READ_MODELS)
    return services.trail


def signer_of(services: Services) -> Signer:
    if services.signer is None:
        key = services.settings.signing_key
        raise CliError(f"no signing key at {key}: run `thucthi init` or set THUCTHI_SIGNING_KEY")
    return services.signer


def argument(spec: Param[_T], text: str) -> _T:
    """An argument read by the parser the API's parameters use, refused in both languages."""
    try:
        return spec.parse(text.strip(" "))
    except ParameterError as e:
        raise argparse.ArgumentTypeError(f"{e.describe('vi')} / {e.describe('en')}") from None


def positive_int(text: str) -> int:
    return argument(Integer("N", 1, POSITION_MAX), text)


def non_negative_int(text: str) -> int:
    return argument(Integer("N", 0, POSITION_MAX), text)


def position_argument(text: str) -> int:
    """A log position as the oversight answers name it: 0 is before the first event."""
    return argument(Integer("P", 0, POSITION_MAX), text)


def date_argument(text: str) -> date:
    return argument(Day("YYYY-MM-DD"), text)


def moment_argument(text: str) -> datetime:
    """An ISO 8601 moment; naive means city time, a bare date the end of that city day."""
    return argument(Moment("MOMENT"), text)

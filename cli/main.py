"""``thucthi``: the one command-line entry point, with subcommands.

Each area registers its commands (``add_commands``) with their handlers beside them:
``cli.loading`` (demo), ``cli.directives`` (show, history, units, oversight), ``cli.accounts``
(user), ``cli.calendar`` (calendar), ``cli.audit`` (init, audit), ``cli.personal_data``
(personal-data), ``cli.running`` (serve, projections), ``cli.petitions`` (petitions),
``cli.log`` (log). Every failure a user can cause (a bad URL, an unreachable server, an
unknown reference, a malformed timestamp) ends with one line on stderr and a non-zero exit,
never a traceback. A reader that goes away before the output is written (``thucthi oversight |
head``) ends any command quietly with status 141, what a shell reports for a command ended by
SIGPIPE, as ``cat`` or ``seq`` would be.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from adapters.database import DatabaseUnavailableError, DatabaseURLError
from adapters.settings import SettingsError
from api.web.i18n import text_refusal
from bootstrap import DEFAULT_DATABASE_URL
from cli import (
    accounts,
    audit,
    calendar,
    directives,
    documents,
    loading,
    log,
    notify,
    personal_data,
    petitions,
    running,
)
from cli.common import EXIT_FAILURE, OPENED, CliError
from cli.demo import DatabaseNotEmptyError
from domain.shared.errors import DomainError, InvalidTextError
from domain.shared.sealing import PersonalDataKeyError
from readmodels.open import ReadModelsUnavailableError

EXIT_READER_GONE = 141  # 128 + SIGPIPE (13)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    if out is None and isinstance(sys.stdout, io.TextIOWrapper):
        # A text read from the log that the terminal's encoding cannot carry (a lone surrogate
        # an earlier version let in) is printed escaped, as the read models show it.
        sys.stdout.reconfigure(errors="backslashreplace")
    out = out or sys.stdout
    args = parser().parse_args(argv)
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    try:
        code = handler(args, out)
        out.flush()  # here, where a reader gone away is caught, rather than at the exit
        return code
    except BrokenPipeError:
        return reader_gone(out)
    except InvalidTextError as e:
        print(
            f"thucthi: lỗi / error: {text_refusal('vi', e)} / {text_refusal('en', e)}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except (
        CliError,
        DomainError,
        DatabaseURLError,
        DatabaseUnavailableError,
        SettingsError,
        ReadModelsUnavailableError,
        PersonalDataKeyError,
    ) as e:
        print(f"thucthi: error: {e}", file=sys.stderr)
        return EXIT_FAILURE
    except DatabaseNotEmptyError as e:
        print(f"thucthi: {e}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("thucthi: interrupted", file=sys.stderr)
        return 130
    finally:
        OPENED.close()


def reader_gone(out: TextIO) -> int:
    """The output's reader closed it: stop, quietly. Python ignores SIGPIPE, so the write fails
    instead of ending the process; what is still buffered can go nowhere, and the standard
    output becomes /dev/null so that the interpreter's own flush at exit has nothing to fail."""
    if out is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_READER_GONE


def parser() -> argparse.ArgumentParser:
    """Every command, registered by its area."""
    root = argparse.ArgumentParser(
        prog="thucthi",
        description="Thucthi: event-sourced executive governance for city governments.",
    )
    root.add_argument(
        "--db",
        metavar="URL",
        help=(
            "database URL: sqlite:///path.db or postgresql://user:pass@host:port/db[?schema=s] "
            f"(default: $THUCTHI_DATABASE_URL, else {DEFAULT_DATABASE_URL})"
        ),
    )
    sub = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for area in (
        audit,
        loading,
        directives,
        documents,
        accounts,
        calendar,
        personal_data,
        running,
        petitions,
        notify,
        log,
    ):
        area.add_commands(sub)
    return root


if __name__ == "__main__":
    sys.exit(main())

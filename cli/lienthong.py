"""``thucthi petitions export`` and ``thucthi petitions import``: liên thông with the national
database (Nghị định 55/2022). ``export`` writes the national record after a log position to a
JSON Lines file, in batches each stamped with the signed checkpoint that covers it; ``import``
receives by transfer the cases another system sent in that format. The format:
docs/lien-thong.md. ``cli.petitions`` adds them to the petitions' commands
(``add_subcommands``)."""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

import orjson

from api.resources.lienthong import coverage_words
from api.web.i18n import said_error
from cli.common import (
    KEY_HELP,
    CliError,
    opened,
    position_argument,
    positive_int,
    signer_of,
    trail_of,
)
from domain.petitions.inbound import Imported, Outcome, Refused, import_cases
from domain.petitions.national import RecordError, inbound_cases, read_record
from projections.audit import AuditProjection, SigningRefusedError
from projections.lienthong import MAX_LIMIT, export_batch

EXIT_REFUSED = 1


def add_subcommands(commands: Any) -> None:
    """``export`` and ``import`` among ``thucthi petitions``' commands."""
    export = commands.add_parser(
        "export",
        help="the national record (liên thông, NĐ 55/2022) after a log position, as JSON Lines",
    )
    export.add_argument(
        "--since",
        type=position_argument,
        default=0,
        metavar="POSITION",
        help="the log position the last export reached (its batch's next_after); 0: from the start",
    )
    export.add_argument(
        "--out", required=True, metavar="FILE", help="the file to write (- for standard output)"
    )
    export.add_argument(
        "--batch",
        type=positive_int,
        default=1_000,
        metavar="N",
        help=f"records a batch holds at most (up to {MAX_LIMIT:,})",
    )
    export.add_argument(
        "--sign",
        action="store_true",
        help="first bring the audit trail up to date and sign a checkpoint of it, so that the "
        "export reaches the head of the log (needs the signing key)",
    )
    export.add_argument("--signing-key", default=None, metavar="FILE", help=KEY_HELP)
    export.set_defaults(handler=export_command)
    take = commands.add_parser(
        "import", help="receive by transfer the cases of another system's national record file"
    )
    take.add_argument(
        "file", metavar="FILE", help="a JSON Lines file in the national record's form"
    )
    take.add_argument(
        "--agency",
        default=None,
        metavar="CODE",
        help="the agency that receives every case (default: the one each case's transfer names)",
    )
    take.set_defaults(handler=import_command)


def export_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args, read_models=True, signer="existing" if args.sign else "none")
    app, trail = services.app, trail_of(services)
    if args.sign:
        try:
            AuditProjection(app, trail, signer_of(services)).sign_now()
        except SigningRefusedError as e:
            raise CliError(f"refusing to sign / từ chối ký: {e}") from None
    source = services.settings.origin
    to_stdout = args.out == "-"
    report = sys.stderr if to_stdout else out
    after, batches, records = args.since, 0, 0
    header: dict[str, Any] = {}
    with _output(args.out) as sink:
        while True:
            batch = export_batch(
                app, trail, after=after, limit=min(args.batch, MAX_LIMIT), source=source
            )
            header = batch.header
            header["coverage"] = coverage_words(header, app.max_notification_id())
            for line in batch.lines():
                sink.write(line)
            batches += 1
            records += len(batch.records)
            after = int(header["next_after"])
            if not header["more"]:
                break
    print(
        f"{records:,} records in {batches} batch(es) after position {args.since}, "
        f"through {after}; next time: --since {after}",
        file=report,
    )
    print(header["coverage"]["vi"], file=report)
    print(header["coverage"]["en"], file=report)
    return 0


class _Output:
    """The export's file: made readable by its owner only, since it holds personal data."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.stream: IO[bytes] | None = None

    def __enter__(self) -> IO[bytes]:
        if self.path == "-":
            self.stream = sys.stdout.buffer
        else:
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            except OSError as e:
                raise CliError(f"cannot write {self.path}: {e.strerror}") from None
            self.stream = os.fdopen(fd, "wb")
        return self.stream

    def __exit__(self, *exc: object) -> None:
        if self.stream is not None and self.path != "-":
            self.stream.close()
        elif self.stream is not None:
            self.stream.flush()


def _output(path: str) -> _Output:
    return _Output(path)


def _records(data: bytes) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            record = read_record(line, orjson.loads)
        except RecordError as e:
            raise CliError(f"line {number}: {e}") from None
        if record is not None:
            yield record


def import_command(args: argparse.Namespace, out: TextIO) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as e:
        raise CliError(f"cannot read {args.file}: {e.strerror}") from None
    cases, problems = inbound_cases(list(_records(data)))
    services = opened(args, read_models=False)
    app = services.app
    app.open_city_registry()  # the city's units, if this database has none yet
    digest = hashlib.sha256(data).hexdigest()[:16]
    done = import_cases(
        app.petitions,
        cases,
        own_source=services.settings.origin,
        request_id=f"lien-thong:import:{digest}",
        agency=args.agency,
    )
    for result in done:
        print(_said(result), file=out)
    for problem in problems:
        print(f"not read / không đọc được: {problem}", file=out)
    imported = sum(isinstance(r, Imported) and r.outcome is Outcome.IMPORTED for r in done)
    already = sum(isinstance(r, Imported) and r.outcome is Outcome.ALREADY for r in done)
    refused = len(done) - imported - already + len(problems)
    print(
        f"{imported} imported, {already} already here, {refused} refused / "
        f"{imported} tiếp nhận mới, {already} đã có, {refused} không tiếp nhận",
        file=out,
    )
    return EXIT_REFUSED if refused else 0


def _said(result: Imported | Refused) -> str:
    if isinstance(result, Refused):
        return (
            f"refused / không tiếp nhận {result.source} {result.case_id}: "
            f"{said_error('vi', result.error)} / {said_error('en', result.error)}"
        )
    if result.outcome is Outcome.IMPORTED:
        return (
            f"imported / đã tiếp nhận {result.source} {result.case_id} → {result.receipt} "
            f"({result.agency})"
        )
    return (
        f"already here / đã có {result.source} {result.case_id} → {result.receipt} "
        f"({result.agency})"
    )

"""``thucthi init`` and ``thucthi audit …``: the signing and personal-data keys, verifying the
log, signing it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

import orjson

from adapters.checkpoint_log import CheckpointLog
from adapters.demo_ca import DemoSigner, make_demo_ca
from adapters.documents import PadesSettings
from adapters.log_partitions import PartitionError, read_archive
from adapters.signing import signer_at
from api.documents import plain
from bootstrap import Services
from cli.common import (
    EXIT_FAILURE,
    KEY_HELP,
    CliError,
    opened,
    settings_of,
    signer_of,
    trail_of,
)
from cli.demo_users import DEMO_USERS
from domain.shared.actors import Role
from domain.shared.clock import SystemClock
from domain.shared.errors import DomainError
from domain.shared.files import digest_of
from domain.shared.notes import NoteError, parse_verifier_key
from domain.shared.sealing import Vault
from projections.audit import AuditProjection, ProofRequestError, SigningRefusedError
from projections.file_proof import FileProofError, check_file_proof, file_proof
from projections.verify import Report, verify


def add_commands(sub: Any) -> None:
    init = sub.add_parser(
        "init", help="create the tables, the default unit registry and the signing key"
    )
    init.add_argument("--signing-key", default=None, metavar="FILE", help=KEY_HELP)
    init.add_argument(
        "--demo-ca",
        action="store_true",
        help="also make the demo's certification authority (Demo — không dùng thật: not for real "
        "use), a certificate and key for each of the demo's signers, and a demo seal "
        "(docs/documents.md)",
    )
    init.set_defaults(handler=init_command)

    audit = sub.add_parser("audit", help="the audit trail: verify it, sign it, read it")
    audit_commands = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify_parser = audit_commands.add_parser(
        "verify", help="recompute the chain and tree from the stored events and check them"
    )
    verify_parser.add_argument(
        "--checkpoint", default=None, metavar="FILE", help="a signed checkpoint you kept"
    )
    verify_parser.add_argument(
        "--checkpoint-log",
        default=None,
        metavar="FILE",
        help="the checkpoint log the signer published to (default: $THUCTHI_CHECKPOINT_LOG, "
        "else checkpoints.jsonl beside the signing key, if there)",
    )
    verify_parser.add_argument(
        "--public-key", default=None, metavar="FILE", help="the log's verifier key file"
    )
    verify_parser.add_argument("--signing-key", default=None, metavar="FILE", help=KEY_HELP)
    verify_parser.add_argument(
        "--archive",
        action="append",
        default=[],
        metavar="FILE",
        help="an archived partition of the log (thucthi log archive), for the positions of its "
        "range; repeat for each",
    )
    verify_parser.add_argument("--json", action="store_true", help="print the report as JSON")
    verify_parser.add_argument("--quiet", action="store_true", help="no progress")
    verify_parser.set_defaults(handler=audit_verify_command)
    checkpoint_parser = audit_commands.add_parser(
        "checkpoint", help="bring the trail up to date and sign a checkpoint of it now"
    )
    checkpoint_parser.add_argument("--signing-key", default=None, metavar="FILE", help=KEY_HELP)
    checkpoint_parser.set_defaults(handler=audit_checkpoint_command)
    file_parser = audit_commands.add_parser(
        "file-proof",
        help="prove a file you hold was the one filed with a directive: the inclusion proof of "
        "the event that filed it, checked against a signed checkpoint",
    )
    file_parser.add_argument("file", metavar="FILE", help="the file you hold")
    file_parser.add_argument("--ref", required=True, help="the directive's reference or id")
    file_parser.add_argument(
        "--out",
        default=None,
        metavar="PROOF.json",
        help="write the proof there (for the standalone verifier: thucthi_verify.py file)",
    )
    file_parser.add_argument(
        "--sign",
        action="store_true",
        help="first bring the trail up to date and sign a checkpoint, if none covers the event",
    )
    file_parser.add_argument(
        "--public-key",
        default=None,
        metavar="FILE",
        help="the log's verifier key file (default: the signing key's)",
    )
    file_parser.add_argument("--signing-key", default=None, metavar="FILE", help=KEY_HELP)
    file_parser.set_defaults(handler=audit_file_proof_command)
    key_parser = audit_commands.add_parser("public-key", help="print the log's verifier key")
    key_parser.add_argument("--signing-key", default=None, metavar="FILE", help=KEY_HELP)
    key_parser.set_defaults(handler=audit_public_key_command)


def init_command(args: argparse.Namespace, out: TextIO) -> int:
    path = settings_of(args).signing_key
    existed = path.exists()
    services = opened(args, read_models=True, signer="create")
    app = services.app
    made = app.open_city_registry()
    units = app.unit_registry().units.values()
    count, active = len(units), sum(u.active for u in units)
    print(f"unit registry {'created' if made else 'already there'}: {count} units, "
          f"{active} in force (docs/units.md)", file=out)  # fmt: skip
    signer = signer_of(services)
    print(f"signing key {'already at' if existed else 'created at'} {path}", file=out)
    print(f"verifier key (publish it): {signer.vkey}", file=out)
    if signer.published is not None:
        print(f"checkpoint log (back it up, give witnesses copies): {signer.published.path}",
              file=out)  # fmt: skip
    # Not on memory://, whose keys live and die with the process.
    if isinstance(app.vault, Vault) and services.database.backend != "memory":
        key = services.settings.personal_data_key_path()
        had_key = key.exists()
        app.vault.master_key()
        print(f"personal-data key {'already at' if had_key else 'created at'} {key} (back it up "
              "apart from the database's backups)", file=out)  # fmt: skip
    if args.demo_ca:
        demo_authority(services.settings.documents, out)
    return 0


# Who signs documents in the demo, and so is given a certificate by ``init --demo-ca``.
SIGNING_ROLES = frozenset({Role.LEADER, Role.AGENCY_HEAD, Role.OFFICE})


def demo_authority(documents: PadesSettings, out: TextIO) -> None:
    """The demo CA and a certificate for each signer of the demo: the committee's leaders, who
    sign directives, the agencies' heads, who sign the petitions' results, and the Office's
    officers, who sign its periodic report."""
    signers = [
        DemoSigner(user.username, user.name, user.title)
        for user in DEMO_USERS
        if user.role in SIGNING_ROLES
    ]
    made = make_demo_ca(
        documents.demo_ca,
        documents.keys,
        signers,
        now=SystemClock().now(),
        seal=documents.seal,
        passphrase=documents.passphrase,
        font=documents.font,
    )
    where = "created at" if made.created else "already at"
    print(f"demo CA (Demo — không dùng thật: not for real use) {where} {made.certificate}",
          file=out)  # fmt: skip
    print(f"signers' certificates and keys (PKCS#12, mode 0600) in {documents.keys}: "
          f"{len(made.issued)} made, {len(signers) - len(made.issued)} already there",
          file=out)  # fmt: skip
    if made.seal is not None:
        print(f"demo seal at {made.seal}", file=out)


def audit_verify_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args, read_models=True, signer="existing")
    app, store = services.app, trail_of(services)
    origin = services.settings.origin
    if args.public_key:
        try:
            origin, public_key = parse_verifier_key(Path(args.public_key).read_text())
        except (OSError, NoteError) as e:
            raise CliError(f"the verifier key: {e}") from None
    else:
        public_key = signer_of(services).public_key
    kept = None
    if args.checkpoint:
        try:
            kept = Path(args.checkpoint).read_text()
        except OSError as e:
            raise CliError(f"the kept checkpoint: {e}") from None
    published = checkpoint_log_of(args, services)
    try:
        archives = [read_archive(Path(path)) for path in args.archive]
    except PartitionError as e:
        raise CliError(str(e)) from None
    # Bring the trail up to the head first, so that every stored record has been seen by it.
    AuditProjection(app, store).catch_up()

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            share = done / total if total else 1.0
            print(f"\rverifying {done:,}/{total:,} ({share:.0%})", end="", file=sys.stderr)

    report = verify(
        app,
        store,
        origin=origin,
        public_key=public_key,
        kept=kept,
        published=published,
        progress=progress,
        archives=archives,
    )
    if not args.quiet:
        print(file=sys.stderr)
    if args.json:
        out.write(orjson.dumps(report.document(), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print_report(report, out)
    return 0 if report.ok else EXIT_FAILURE


def print_report(report: Report, out: TextIO) -> None:
    """A verification's report, as ``audit verify`` prints it without ``--json``."""
    rate = report.records / report.seconds if report.seconds else 0.0
    print(
        f"{report.records:,} records, tree size {report.tree_size:,}, "
        f"root {report.root.hex()}, {report.checkpoints_checked} checkpoints checked, "
        f"{report.seconds:.2f} s = {rate:,.0f} events/s",
        file=out,
    )
    if report.kept_checkpoint is not None and report.kept_checkpoint["extended"]:
        size = report.kept_checkpoint["tree_size"]
        print(f"the log extends the kept checkpoint of {size:,} records", file=out)
    for archive in report.archives:
        print(
            f"archive of {archive['partition']}: {archive['records']:,} records, positions "
            f"{archive['first']}-{archive['end'] - 1}",
            file=out,
        )
    if report.published is not None and report.published["checkpoints"]:
        print(
            f"checkpoint log {report.published['path']}: {report.published['checkpoints']:,} "
            f"checkpoints published, the last of {report.published['tree_size']:,} records",
            file=out,
        )
    print(report.statement["vi"], file=out)
    print(report.statement["en"], file=out)
    for problem in report.problems:
        where = "" if problem.position is None else f"position {problem.position}: "
        print(f"FAILED {problem.kind}: {where}{problem.detail}", file=out)
    if report.ok:
        print("OK: the log is intact", file=out)


def checkpoint_log_of(args: argparse.Namespace, services: Services) -> CheckpointLog | None:
    """The checkpoint log to verify against: the one given, else the signer's if it exists."""
    if args.checkpoint_log:
        path = Path(args.checkpoint_log)
        if not path.exists():
            raise CliError(f"no checkpoint log at {path}")
        return CheckpointLog(path)
    path = services.settings.checkpoint_log_path()
    return CheckpointLog(path) if path.exists() else None


def audit_checkpoint_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args, read_models=True, signer="existing")
    projection = AuditProjection(services.app, trail_of(services), signer_of(services))
    try:
        checkpoint = projection.sign_now()
    except SigningRefusedError as e:
        raise CliError(f"refusing to sign / từ chối ký: {e}") from None
    if checkpoint is None:
        raise CliError("the log is empty: nothing to sign")
    out.write(checkpoint.note)
    return 0


def audit_file_proof_command(args: argparse.Namespace, out: TextIO) -> int:
    """Exit 0 when the file is the one the directive's event filed, under a signed checkpoint
    verified with the log's key; 1, saying why, otherwise."""
    try:
        data = Path(args.file).read_bytes()
    except OSError as e:
        raise CliError(f"cannot read {args.file}: {e.strerror}") from None
    services = opened(args, read_models=True, signer="existing")
    app, store = services.app, trail_of(services)
    directive_id = app.find_directive(args.ref)
    if directive_id is None:
        raise CliError(f"no directive {args.ref}")
    digest = digest_of(data)
    projection = AuditProjection(app, store, services.signer)
    try:
        if args.sign:
            projection.sign_now()
        else:
            projection.catch_up()
        proof = plain(file_proof(app, store, directive_id, digest))
    except SigningRefusedError as e:
        raise CliError(f"refusing to sign / từ chối ký: {e}") from None
    except ProofRequestError as e:
        raise CliError(f"{e} (or use --sign)") from None
    except DomainError as e:
        raise CliError(f"{args.file} ({digest}): {e}") from None
    if args.public_key:
        try:
            origin, public_key = parse_verifier_key(Path(args.public_key).read_text())
        except (OSError, NoteError) as e:
            raise CliError(f"cannot read the verifier key: {e}") from None
    else:
        signer = signer_of(services)
        origin, public_key = signer.origin, signer.public_key
    try:
        proved = check_file_proof(proof, data, origin=origin, public_key=public_key)
    except FileProofError as e:
        raise CliError(f"FAILED: {e}") from None
    if args.out:
        Path(args.out).write_bytes(orjson.dumps(proof, option=orjson.OPT_INDENT_2))
    filed = proof["filed"]
    print(f"file:      {args.file} ({len(data)} bytes)", file=out)
    print(f"digest:    {digest}", file=out)
    print(f"filed as:  {proved.recorded['name']} ({proved.recorded['media_type']})", file=out)
    print(f"event:     {filed['event']}, version {filed['version']} of {proof['reference']}, "
          f"recorded {filed['recorded_at']}", file=out)  # fmt: skip
    print(f"position:  {proved.position} of a tree of {proved.tree_size} records", file=out)
    print(f"OK: the file is the one filed by the record at position {proved.position}, in the "
          f"tree signed by {origin}", file=out)  # fmt: skip
    return 0


def audit_public_key_command(args: argparse.Namespace, out: TextIO) -> int:
    settings = settings_of(args)
    try:
        signer = signer_at(
            settings.signing_key,
            create=False,
            log=settings.checkpoint_log_path(),
            origin=settings.origin,
        )
    except (FileNotFoundError, TypeError, ValueError) as e:
        raise CliError(str(e)) from None
    print(signer.vkey, file=out)
    return 0

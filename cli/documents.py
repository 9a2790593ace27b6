"""``thucthi documents verify FILE.pdf``: check a PDF someone holds against what the city filed
(``projections.document_check``): its signature and by whom, whether this exact file was filed,
where and when in the log (the inclusion proof checked against a signed checkpoint), and whether
it is the current version. Exit 0 only for the current version of a filed document.

``file-pending`` signs and files the directives' documents that are pending (``api.filing``);
``amend``, ``replace`` and ``revoke`` file a version someone signed elsewhere, or revoke."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

import orjson

from adapters.pdf import PdfDocuments
from api.documents import plain
from api.filing import DIRECTIVE, DirectiveFiling, FilingState
from cli.common import KEY_HELP, CliError, opened, signer_of, trail_of, view_of
from domain.application import SYSTEM_ACTOR
from domain.documents.document import Change, document_id
from domain.shared.clock import CITY_TIMEZONE
from domain.shared.notes import NoteError, open_checkpoint
from projections.audit import AuditProjection
from projections.document_check import Answer, FileVerdict, check_file
from projections.file_proof import FileProofError, check_file_proof
from projections.oversight import OversightProjection, catch_up

SAID = {
    Answer.CURRENT: "the file is the one filed, and its document's current version",
    Answer.SUPERSEDED: "the file was filed, but a later version of its document is current",
    Answer.REVOKED: "the file was filed, but its document was revoked (thu hồi)",
    Answer.ALTERED: "the file was changed after it was signed: it is not the document issued",
    Answer.RE_SIGNED: "signed by a key the city does not trust: a copy signed again by another",
    Answer.NOT_FILED: "this exact file was never filed (its signature may be sound)",
    Answer.AFTER_CHECKPOINT: "filed, but after the checkpoint you kept: it does not prove it",
    Answer.NOT_SIGNED: "the file is not signed",
    Answer.UNREADABLE: "not a PDF, or a signature that cannot be read",
}


def add_commands(sub: Any) -> None:
    documents = sub.add_parser("documents", help="the city's signed documents")
    commands = documents.add_subparsers(dest="documents_command", required=True)
    verify = commands.add_parser(
        "verify",
        help="check a PDF you hold: its signature, whether this exact file was filed (with the "
        "inclusion proof against a signed checkpoint), whether it is the current version",
    )
    verify.add_argument("file", metavar="FILE.pdf")
    verify.add_argument(
        "--checkpoint", default=None, metavar="FILE", help="a signed checkpoint you kept"
    )
    verify.add_argument(
        "--out", default=None, metavar="PROOF.json", help="write the proof of filing there"
    )
    verify.add_argument("--signing-key", default=None, metavar="FILE", help=KEY_HELP)
    verify.set_defaults(handler=documents_verify_command)
    for name, help_text in (
        ("amend", "file a signed correction (đính chính) of a filed document as its new version"),
        ("replace", "file a signed document replacing (thay thế) a filed one as its new version"),
    ):
        version = commands.add_parser(name, help=help_text)
        version.add_argument("id", help="the document's id (its QR code's address ends with it)")
        version.add_argument("file", metavar="FILE.pdf", help="the new version, signed")
        version.add_argument("--reason", required=True, help="why, as the page shows it")
        version.add_argument("--title", default=None, help="its title, if it changed")
        version.set_defaults(handler=documents_version_command, change=name)
    pending = commands.add_parser(
        "file-pending",
        help="sign and file every issued directive's document not filed yet (its signing "
        "failed, or its issuer had no certificate then)",
    )
    pending.set_defaults(handler=documents_file_pending_command)
    revoke = commands.add_parser("revoke", help="revoke (thu hồi) a filed document")
    revoke.add_argument("id", help="the document's id")
    revoke.add_argument("--reason", required=True, help="why, as the page shows it")
    revoke.set_defaults(handler=documents_revoke_command)


def documents_verify_command(args: argparse.Namespace, out: TextIO) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as e:
        raise CliError(f"cannot read {args.file}: {e.strerror}") from None
    services = opened(args, read_models=True, signer="existing")
    app, store = services.app, trail_of(services)
    log_signer = signer_of(services)
    kept = None
    if args.checkpoint:
        try:
            kept = open_checkpoint(
                Path(args.checkpoint).read_text(), log_signer.origin, log_signer.public_key
            )
        except (OSError, NoteError) as e:
            raise CliError(f"the kept checkpoint: {e}") from None
    AuditProjection(app, store).catch_up()
    verdict = check_file(
        app, services.document_verifier(), data, store=store, kept=kept, index=services.view
    )
    for line in described(verdict, args.file, len(data)):
        print(line, file=out)
    if verdict.proof is not None:
        proof = plain(verdict.proof)
        try:
            proved = check_file_proof(
                proof, data, origin=log_signer.origin, public_key=log_signer.public_key
            )
        except FileProofError as e:
            raise CliError(f"FAILED: the proof of filing does not hold: {e}") from None
        print(
            f"proof:     position {proved.position} in the tree of {proved.tree_size} records "
            f"signed by {log_signer.origin}: checked",
            file=out,
        )
        if args.out:
            Path(args.out).write_bytes(orjson.dumps(proof, option=orjson.OPT_INDENT_2))
    elif verdict.filed is not None:
        print("proof:     no signed checkpoint covers the filing yet", file=out)
    print(f"{'OK' if verdict.answer is Answer.CURRENT else 'NO'}: {verdict.answer.value}: "
          f"{SAID[verdict.answer]}", file=out)  # fmt: skip
    return 0 if verdict.answer is Answer.CURRENT else 1


def documents_file_pending_command(args: argparse.Namespace, out: TextIO) -> int:
    """File the documents still pending: the directives the read models know whose document id
    the index of filed files does not (``api.filing``: pending by definition). Exit 0 when none
    is left pending."""
    services = opened(args, read_models=True)
    app, view = services.app, view_of(services)
    catch_up(app, OversightProjection(view))
    filed = view.filed.documents()
    references = [
        row.reference
        for row in view.board()
        if document_id(DIRECTIVE, row.directive_id) not in filed
    ]
    filing = DirectiveFiling(
        app,
        PdfDocuments(),
        services.document_signer,
        services.settings.documents.seal,
        lambda: services.settings.public.url,
    )
    done = filing.file_pending(references, actor=SYSTEM_ACTOR, request_id="cli-file-pending")
    left = 0
    for reference, said in done.items():
        if said.state is FilingState.FILED:
            print(f"{reference}: signed and filed at position {said.position}", file=out)
        elif said.state is not FilingState.BEFORE:
            left += 1
            print(f"{reference}: still {said.state.value}: {said.reason}", file=out)
    print(f"{len(references)} pending, {left} left", file=out)
    return 0 if left == 0 else 1


def documents_version_command(args: argparse.Namespace, out: TextIO) -> int:
    """File a new version; only a PDF whose signature is valid against the trust roots."""
    try:
        data = Path(args.file).read_bytes()
    except OSError as e:
        raise CliError(f"cannot read {args.file}: {e.strerror}") from None
    services = opened(args)
    document = services.app.documents.get(_document_id(args.id))
    if document is None:
        raise CliError(f"no document {args.id}")
    check = services.document_verifier().verify(data)
    if not check.valid or check.subject is None:
        raise CliError(f"{args.file} is not validly signed: {', '.join(check.codes)}")
    signer = _uid(check.subject)
    change = Change.AMENDED if args.change == "amend" else Change.REPLACED
    position = services.app.documents.file_version(
        document.id,
        data,
        name=Path(args.file).name,
        signer=signer,
        change=change,
        reason=args.reason,
        title=args.title,
        actor=SYSTEM_ACTOR,
        request_id="cli",
    )
    print(f"{document.reference}: version {len(document.versions) + 1} ({change.value}), "
          f"signed by {check.signer}, filed at position {position}", file=out)  # fmt: skip
    return 0


def documents_revoke_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args)
    document = services.app.documents.get(_document_id(args.id))
    if document is None:
        raise CliError(f"no document {args.id}")
    position = services.app.documents.revoke(
        document.id, reason=args.reason, actor=SYSTEM_ACTOR, request_id="cli"
    )
    print(f"{document.reference}: revoked at position {position}", file=out)
    return 0


def _document_id(text: str) -> UUID:
    try:
        return UUID(text.rsplit("/", 1)[-1])
    except ValueError:
        raise CliError(f"not a document's id: {text!r}") from None


def _uid(subject: str) -> str | None:
    """The account a certificate names (its UID), as the demo CA writes it; else None."""
    for part in subject.split(","):
        name, _, value = part.strip().partition("=")
        if name.strip().upper() in {"UID", "USERID"}:
            return value.strip()
    return None


def described(verdict: FileVerdict, name: str, size: int) -> list[str]:
    """The verdict line by line: the file, its signature, its filing."""
    check = verdict.signature
    lines = [f"file:      {name} ({size} bytes)", f"digest:    {verdict.digest}"]
    if check.signatures:
        state = "valid" if check.valid else "NOT valid (" + ", ".join(check.codes) + ")"
        lines.append(f"signature: {state}, by {check.signer} ({check.issuer})")
        if check.signed_at is not None:
            lines.append(f"signed at: {check.signed_at.astimezone(CITY_TIMEZONE).isoformat()}")
    else:
        lines.append("signature: none")
    filed = verdict.filed
    if filed is not None:
        document = filed.document
        at = filed.recorded_at.astimezone(CITY_TIMEZONE)
        lines.append(
            f"filed:     {document.reference} version {filed.version.number} of "
            f"{len(document.versions)}, at position {filed.position}, on {at.date().isoformat()}"
        )
    return lines

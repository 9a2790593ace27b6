"""Signed checkpoints of the log in the C2SP formats, so that any transparency-log tool reads them.

A checkpoint (c2sp.org/tlog-checkpoint) is the note text of three lines, origin, tree size and
base64 root, each ended by a newline. It is signed as a C2SP signed note (c2sp.org/signed-note):
the text, a blank line, then one line per
signature, ``— <key name> <base64(key id || Ed25519 signature over the text)>``. The key id is the
first four bytes of SHA-256(key name || 0x0A || 0x01 || public key); the public key is published
as a verifier key ``<name>+<hex key id>+<base64(0x01 || public key)>``. The key name is the
log's origin. No extension lines are written: the format discourages them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"  # the signed-note signature type of Ed25519
DASH = "\u2014"  # every signature line starts with an em dash and a space


class NoteError(ValueError):
    """A note or checkpoint is malformed, or its signature does not verify."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """The head of the log's Merkle tree: which log, how many records, and the root over them."""

    origin: str
    size: int
    root: bytes

    def text(self) -> str:
        check_name(self.origin)
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        lines = text.split("\n")
        if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
            msg = "a checkpoint is at least three non-empty lines, each ended by a newline"
            raise NoteError(msg)
        origin, size_text, root_text = lines[:3]
        if not size_text.isdigit() or (size_text.startswith("0") and size_text != "0"):
            msg = f"the tree size is not a decimal number: {size_text!r}"
            raise NoteError(msg)
        try:
            root = base64.b64decode(root_text, validate=True)
        except binascii.Error as e:
            msg = f"the root hash is not base64: {root_text!r}"
            raise NoteError(msg) from e
        if len(root) != 32:
            msg = f"the root hash has {len(root)} bytes, not 32"
            raise NoteError(msg)
        return cls(origin, int(size_text), root)


def check_name(name: str) -> None:
    if not name or any(ch.isspace() or ch == "+" for ch in name):
        msg = f"a key name is non-empty, with no spaces and no '+': {name!r}"
        raise NoteError(msg)


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name: str, key: Ed25519PublicKey) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_bytes(key)).digest()[:4]


def verifier_key(name: str, key: Ed25519PublicKey) -> str:
    """The published form of the public key: ``name+hexid+base64(0x01 || key)``."""
    check_name(name)
    encoded = base64.b64encode(ED25519 + public_bytes(key)).decode()
    return f"{name}+{key_id(name, key).hex()}+{encoded}"


def parse_verifier_key(vkey: str) -> tuple[str, Ed25519PublicKey]:
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3:
        msg = "a verifier key is name+keyid+base64 key"
        raise NoteError(msg)
    name, hex_id, encoded = parts
    check_name(name)
    try:
        raw = base64.b64decode(encoded, validate=True)
    except binascii.Error as e:
        msg = "the verifier key is not base64"
        raise NoteError(msg) from e
    if len(raw) != 33 or raw[:1] != ED25519:
        msg = "the verifier key is not an Ed25519 key"
        raise NoteError(msg)
    key = Ed25519PublicKey.from_public_bytes(raw[1:])
    if key_id(name, key).hex() != hex_id.lower():
        msg = "the verifier key's id does not match its name and key"
        raise NoteError(msg)
    return name, key


def sign(text: str, name: str, key: Ed25519PrivateKey) -> str:
    """The signed note: text, blank line, one signature line."""
    if not text.endswith("\n"):
        msg = "a note's text ends with a newline"
        raise NoteError(msg)
    public = key.public_key()
    signature = key_id(name, public) + key.sign(text.encode())
    return f"{text}\n{DASH} {name} {base64.b64encode(signature).decode()}\n"


def open_note(note: str, name: str, key: Ed25519PublicKey) -> str:
    """The note's text, once a signature by ``name``'s key verifies; NoteError otherwise."""
    text, sep, signatures = note.rpartition("\n\n")
    if not sep:
        msg = "a signed note has its text, a blank line, then signature lines"
        raise NoteError(msg)
    text += "\n"
    wanted = key_id(name, key)
    found_name = False
    for line in signatures.split("\n"):
        if not line:
            continue
        prefix = f"{DASH} "
        if not line.startswith(prefix) or line.count(" ") != 2:
            msg = f"not a signature line: {line!r}"
            raise NoteError(msg)
        signer, encoded = line[len(prefix) :].split(" ")
        if signer != name:
            continue
        found_name = True
        try:
            blob = base64.b64decode(encoded, validate=True)
        except binascii.Error as e:
            msg = "a signature is not base64"
            raise NoteError(msg) from e
        if len(blob) != 68 or blob[:4] != wanted:
            continue
        try:
            key.verify(blob[4:], text.encode())
        except InvalidSignature:
            msg = f"the signature by {name} does not verify: the note was altered"
            raise NoteError(msg) from None
        return text
    msg = (
        f"the note carries no signature by this key of {name}"
        if found_name
        else f"the note is not signed by {name}"
    )
    raise NoteError(msg)


def sign_checkpoint(checkpoint: Checkpoint, key: Ed25519PrivateKey) -> str:
    return sign(checkpoint.text(), checkpoint.origin, key)


def open_checkpoint(note: str, origin: str, key: Ed25519PublicKey) -> Checkpoint:
    checkpoint = Checkpoint.parse(open_note(note, origin, key))
    if checkpoint.origin != origin:
        msg = f"the checkpoint is of the log {checkpoint.origin!r}, not {origin!r}"
        raise NoteError(msg)
    return checkpoint

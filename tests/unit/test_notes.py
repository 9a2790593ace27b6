"""Signed checkpoints in the C2SP formats: what is signed verifies, anything altered does not."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.shared.merkle import EMPTY_ROOT
from domain.shared.notes import (
    Checkpoint,
    NoteError,
    open_checkpoint,
    parse_verifier_key,
    sign_checkpoint,
    verifier_key,
)

ORIGIN = "thucthi.test/log"


def test_every_verifier_key_reads_back_even_when_its_base64_holds_a_plus() -> None:
    for _ in range(100):
        public = Ed25519PrivateKey.generate().public_key()
        name, key = parse_verifier_key(verifier_key(ORIGIN, public))
        assert name == ORIGIN
        assert key == public


def test_a_signed_checkpoint_opens_with_its_key_and_reads_back_the_same() -> None:
    key = Ed25519PrivateKey.generate()
    checkpoint = Checkpoint(ORIGIN, 12345, EMPTY_ROOT)
    note = sign_checkpoint(checkpoint, key)
    assert note.startswith(f"{ORIGIN}\n12345\n")
    assert "\n\n\u2014 thucthi.test/log " in note
    assert open_checkpoint(note, ORIGIN, key.public_key()) == checkpoint


@pytest.mark.parametrize(
    "alter",
    [
        lambda note: note.replace("\n12345\n", "\n12346\n"),
        lambda note: note.replace(ORIGIN + "\n", "other.log\n", 1),
        lambda note: note[:-10] + ("A" if note[-10] != "A" else "B") + note[-9:],
        lambda note: note.split("\n\n")[0] + "\n",
    ],
    ids=["size", "origin", "signature", "unsigned"],
)
def test_an_altered_checkpoint_does_not_open(alter: object) -> None:
    key = Ed25519PrivateKey.generate()
    note = sign_checkpoint(Checkpoint(ORIGIN, 12345, EMPTY_ROOT), key)
    with pytest.raises(NoteError):
        open_checkpoint(alter(note), ORIGIN, key.public_key())  # type: ignore[operator]


def test_a_checkpoint_signed_by_another_key_does_not_open() -> None:
    note = sign_checkpoint(Checkpoint(ORIGIN, 1, EMPTY_ROOT), Ed25519PrivateKey.generate())
    with pytest.raises(NoteError):
        open_checkpoint(note, ORIGIN, Ed25519PrivateKey.generate().public_key())

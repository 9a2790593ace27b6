"""The signing key made once, whoever asks for it first."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Barrier

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from adapters.signing import load_key


def test_processes_starting_together_all_get_the_one_key_made(tmp_path: Path) -> None:
    """Eight makers at the same moment (serve and its follower, a projections run): one key is
    made, each maker gets it, and no half-written file is ever read."""
    path = tmp_path / "keys" / "signing-key.pem"
    together = Barrier(8)

    def make() -> bytes:
        together.wait()
        return load_key(path, create=True).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: make(), range(8)))
    assert len(keys) == 1
    assert keys == {
        load_key(path, create=False).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    }
    assert [p.name for p in path.parent.iterdir()] == ["signing-key.pem"]  # nothing left behind
    assert path.stat().st_mode & 0o777 == 0o600

"""What an idempotency record keeps of a request and of its answer: never a secret field."""

from __future__ import annotations

import orjson
from hypothesis import given
from hypothesis import strategies as st

from api.idempotency import fingerprint, withhold

SECRET = ("password", "token")
fields = st.dictionaries(
    st.sampled_from(["password", "token", "username", "user", "role", "withheld_not"]),
    st.text(max_size=20) | st.integers(-(2**53), 2**53),
)


@given(fields)
def test_a_kept_answer_holds_no_secret_field_and_every_other_field(
    document: dict[str, object],
) -> None:
    """Every secret field is left out and named in ``withheld``; the rest is kept as it was."""
    kept = orjson.loads(withhold(orjson.dumps(document), SECRET))
    assert not set(SECRET) & kept.keys()
    removed = sorted(set(SECRET) & document.keys())
    assert kept.pop("withheld", []) == removed
    assert kept == {k: v for k, v in document.items() if k not in SECRET}


@given(fields, st.text(min_size=1, max_size=20), st.text(min_size=1, max_size=20))
def test_a_requests_password_plays_no_part_in_its_fingerprint(
    document: dict[str, object], one: str, other: str
) -> None:
    """Two requests that differ only in their secret fields have one fingerprint, so the
    fingerprint cannot help to guess a password; any other difference tells them apart."""
    first = orjson.dumps({**document, "password": one})
    second = orjson.dumps({**document, "password": other, "token": other})
    assert fingerprint("POST", "/api/session", first, SECRET) == fingerprint(
        "POST", "/api/session", second, SECRET
    )
    changed = orjson.dumps({**document, "username": f"{document.get('username')}!"})
    assert fingerprint("POST", "/api/session", changed, SECRET) != fingerprint(
        "POST", "/api/session", first, SECRET
    )

"""Item 2 of issue 22: no password, password hash, token, token hash or generated password in any
event, audit entry, proof or feed item; credentials live in a store of their own beside the log.
A log written by the earlier version, which kept those hashes in its events, still loads and
replays, and its secrets stay hidden."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from api import auth
from domain.accounts.account import (
    SECRET_FIELDS,
    UserAccount,
    stored_secrets,
    user_id,
    without_secrets,
)
from domain.accounts.commands import DisableUser
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.shared import merkle
from domain.shared.actors import Role
from projections.audit import record_of
from tests.adversarial.signed_in_workers import shared_url
from tests.api.conftest import PASSWORD, Api, make_api

__all__ = ["shared_url"]  # the fixture, imported for the tests below

OLD_LOG = Path(__file__).parent / "data" / "old_accounts_log.json"
# What a hash or a secret looks like, whatever it belongs to.
SHAPES = re.compile(r"\$argon2|password_hash|token_hash|[0-9a-f]{64}")


def b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def everything_shown(api: Api) -> Iterator[tuple[str, str]]:
    """Every event, audit entry, inclusion proof and feed item, as (where, text)."""
    signed = api.post("/api/audit/checkpoint", Role.INSPECTOR)
    assert signed.status_code == 201, signed.text
    size = signed.json["tree_size"]
    notifications = api.app.recorder.select_notifications(start=1, limit=100_000)
    assert len(notifications) == size
    for n in notifications:
        yield f"event {n.id} {n.topic}", n.state.decode()
    for snapshot_of in {n.originator_id for n in notifications if "UserAccount" in n.topic}:
        for s in api.app.snapshots.recorder.select_events(UUID(str(snapshot_of))):  # type: ignore[union-attr]
            yield f"snapshot {snapshot_of} v{s.originator_version}", s.state.decode()
    after = "0"
    while True:
        page = api.get("/api/events", Role.INSPECTOR, after=after, limit="1000").json
        for item in page["items"]:
            yield f"feed {item['position']}", orjson.dumps(item).decode()
        if not page["items"]:
            break
        after = str(page["next_after"])
    for who in (Role.INSPECTOR, Role.ADMIN, Role.LEADER):
        entries = api.get("/api/audit", who, limit="500").json
        assert entries["next"] is None
        for entry in entries["items"]:
            yield f"audit entry {entry['position']} for {who}", orjson.dumps(entry).decode()
    for position in range(1, size + 1):
        proof = api.get("/api/audit/proof/inclusion", Role.LEADER, position=str(position))
        assert proof.status_code == 200, proof.text
        text = orjson.dumps(proof.json).decode()
        if "record" in proof.json:
            text += b64(proof.json["record"]).decode("utf-8", "replace")
        yield f"proof {position}", text


def hidden(api: Api, secrets: list[str]) -> None:
    """None of the secrets, and nothing shaped like a hash or a secret's field, is shown."""
    for where, text in everything_shown(api):
        for secret in secrets:
            assert secret not in text, f"{where} shows a secret: {text[:300]}"
        shape = SHAPES.search(text)
        assert shape is None, f"{where} shows {shape[0] if shape else ''!r}: {text[:300]}"


def test_no_secret_is_shown_anywhere_after_a_realistic_session(shared_url: str) -> None:
    """An admin creates an officer (a generated password), who signs in twice, has the password
    changed, signs in with the new one, signs out and is disabled: no event, snapshot, audit
    entry, inclusion proof or feed item holds any password, hash or token, while the log says
    who set, changed and revoked which credential and when."""
    api, app = make_api(shared_url)
    try:
        created = api.post("/api/users", Role.ADMIN, {"username": "can.bo.moi", "role": "office"})
        assert created.status_code == 201, created.text
        generated = created.json["password"]
        tokens = []
        for _ in range(2):
            signed = api.client.simulate_post(
                "/api/session", json={"username": "can.bo.moi", "password": generated}
            )
            assert signed.status_code == 201, signed.text
            tokens.append(signed.json["token"])
        admin = app.get_user("admin").as_actor()
        new_password = "Mat-khau-moi-2024!"
        app.change_password(
            "can.bo.moi",
            password_hash=auth.hash_password(new_password),
            actor=admin,
            request_id="doi-mat-khau",
        )
        signed = api.client.simulate_post(
            "/api/session", json={"username": "can.bo.moi", "password": new_password}
        )
        assert signed.status_code == 201, signed.text
        tokens.append(signed.json["token"])
        headers = {"Authorization": f"Bearer {tokens[-1]}"}
        assert api.client.simulate_delete("/api/session", headers=headers).status_code == 204
        disabled = api.post("/api/users/can.bo.moi/disabling", Role.ADMIN, {"reason": "Nghỉ"})
        assert disabled.status_code == 200, disabled.text

        every_token = [*tokens, *api.tokens.values()]
        secret_parts = [t.partition("~")[2] for t in every_token]
        secrets = [
            generated,
            new_password,
            PASSWORD,
            *every_token,
            *secret_parts,
            *(hashlib.sha256(s.encode()).hexdigest() for s in secret_parts),
        ]
        hidden(api, secrets)

        # The credentials are where they belong, and the log still tells what happened to them.
        stored = app.credentials.password_hash("can.bo.moi")
        assert stored is not None
        assert stored.startswith("$argon2id$")
        assert auth.verify_password(stored, new_password)
        events = [
            e for e in app.events.get(user_id("can.bo.moi")) if isinstance(e, UserAccount.Event)
        ]
        kinds = [type(e).__name__ for e in events]
        assert kinds == [
            "Created",
            "SignedIn",
            "SignedIn",
            "PasswordChanged",
            "SignedIn",
            "TokenRevoked",
            "Disabled",
        ]
        assert [e.actor.user_id for e in events] == [
            "admin",
            "can.bo.moi",
            "can.bo.moi",
            "admin",
            "can.bo.moi",
            "can.bo.moi",
            "admin",
        ]
        assert events[3].request_id == "doi-mat-khau"
        signed_in = [e for e in events if isinstance(e, UserAccount.SignedIn)]
        revoked = next(e for e in events if isinstance(e, UserAccount.TokenRevoked))
        assert revoked.token_id == signed_in[-1].token_id
        assert len({e.token_id for e in signed_in}) == 3
    finally:
        app.close()


def load_old_log(app: Thucthi) -> dict[str, Any]:
    """Write the account events the earlier version stored beneath the application, as they
    were: password hashes and token hashes in their state."""
    old: dict[str, Any] = json.loads(OLD_LOG.read_text(encoding="utf-8"))
    originator = UUID(old["originator_id"])
    assert originator == user_id("old.officer")
    app.recorder.insert_events(
        [
            StoredEvent(originator, e["originator_version"], e["topic"], e["state"].encode())
            for e in old["events"]
        ]
    )
    assert app.snapshots is not None
    app.snapshots.recorder.insert_events(
        [
            StoredEvent(originator, s["originator_version"], s["topic"], s["state"].encode())
            for s in old["snapshots"]
        ]
    )
    return old


def old_secrets(old: dict[str, Any]) -> Iterator[str]:
    """Every password and token hash the earlier version's events and snapshots hold."""
    for stored in old["events"]:
        state = json.loads(stored["state"])
        yield from (state[name] for name in ("password_hash", "token_hash") if name in state)
    for stored in old["snapshots"]:
        state = json.loads(stored["state"])["state"]
        yield state["password_hash"]
        yield from state["tokens"]


def test_a_log_written_by_the_earlier_version_loads_and_hides_its_secrets(shared_url: str) -> None:
    """The account events the earlier version stored, hashes and all, still load and replay (from
    its snapshot too), and no event of the feed, audit entry or proof shows their hashes: a proof
    of such a record withholds its bytes, gives its leaf hash and says why."""
    api, app = make_api(shared_url)
    try:
        old = load_old_log(app)
        account = app.get_user("old.officer")
        assert (account.version, account.role, account.active) == (54, Role.OFFICE, True)
        assert not hasattr(account, "password_hash")
        assert not hasattr(account, "tokens")
        replayed = _replay_from_events(None, app.events.get(account.id))
        assert (replayed.version, replayed.display_name) == (54, "Cán bộ cũ")

        old_hashes = set(old_secrets(old))
        assert len(old_hashes) > 50
        notifications = app.recorder.select_notifications(start=1, limit=100_000)
        theirs = {n.id: n for n in notifications if n.originator_id == account.id}
        assert len(theirs) == len(old["events"])

        signed = api.post("/api/audit/checkpoint", Role.INSPECTOR)
        assert signed.status_code == 201
        for where, text in everything_shown(api):
            if where.startswith(("event", "snapshot")):
                continue  # the stored bytes stay as they are: the hash chain is over them
            for secret in old_hashes:
                assert secret not in text, f"{where} shows an old hash"
            assert not re.search(r'"(password|token)_hash":', text), f"{where} has the field"

        for position, n in theirs.items():
            proof = api.get("/api/audit/proof/inclusion", Role.LEADER, position=str(position))
            document = proof.json
            leaf = merkle.leaf_hash(record_of(n))
            assert b64(document["leaf_hash"]) == leaf
            if b'"password_hash"' in n.state or b'"token_hash"' in n.state:
                assert "record" not in document
                assert "password" in document["record_withheld"]
            else:
                assert b64(document["record"]) == record_of(n)
            path = [b64(p) for p in document["proof"]]
            merkle.verify_inclusion(
                leaf, document["leaf_index"], document["tree_size"], path, b64(document["root"])
            )
        feed = api.get("/api/events", Role.ADMIN, limit="1000").json["items"]
        created = next(
            i
            for i in feed
            if i["topic"] == "thucthi:UserAccount.Created"
            and i["state"]["username"] == "old.officer"
        )
        assert created["withheld"] == ["password_hash"]
        assert created["state"]["display_name"] == "Cán bộ cũ"
    finally:
        app.close()


def _replay_from_events(aggregate: Any, events: Any) -> Any:
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def test_an_account_of_an_old_log_keeps_its_last_password_and_none_of_its_old_tokens(
    shared_url: str,
) -> None:
    """After the upgrade, the old account signs in with the password it last had (its hash taken
    from its own old events into the credential store), not with the one before, and the tokens
    the earlier version issued no longer work."""
    api, app = make_api(shared_url)
    try:
        old = load_old_log(app)
        first, last = old["old_passwords"]
        for token in old["tokens"]:
            me = api.client.simulate_get("/api/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 401
        wrong = api.client.simulate_post(
            "/api/session", json={"username": "old.officer", "password": first}
        )
        assert wrong.status_code == 401
        signed = api.client.simulate_post(
            "/api/session", json={"username": "old.officer", "password": last}
        )
        assert signed.status_code == 201, signed.text
        moved = app.credentials.password_hash("old.officer")
        assert moved is not None
        assert moved in old_secrets(old)
        assert auth.verify_password(moved, last)
        headers = {"Authorization": f"Bearer {signed.json['token']}"}
        assert api.client.simulate_get("/api/me", headers=headers).json["username"] == "old.officer"
        # A disabled old account stays disabled: the store follows the log, not the old hash.
        app.manage(DisableUser(reason="Nghỉ"), "old.officer", actor=SYSTEM_ACTOR, request_id="t")
        assert api.client.simulate_get("/api/me", headers=headers).status_code == 401
    finally:
        app.close()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)


@given(
    fields=st.dictionaries(
        st.text(max_size=12).filter(lambda k: k not in SECRET_FIELDS), json_values, max_size=6
    ),
    secrets=st.lists(st.sampled_from(SECRET_FIELDS), unique=True),
    topic=st.sampled_from(
        ["thucthi:UserAccount.Created", "thucthi:UserAccount.SignedIn", "thucthi:Directive.Issued"]
    ),
)
def test_a_stored_event_is_shown_without_its_secrets_and_with_everything_else(
    fields: dict[str, Any], secrets: list[str], topic: str
) -> None:
    """Whatever else an account event of the earlier version holds, the feed's copy of it lacks
    exactly its hash fields and keeps every other field as stored; other events are untouched."""
    state = {**fields, **dict.fromkeys(secrets, "$argon2id$v=19$bi-mat")}
    stored = orjson.dumps(state)
    found = stored_secrets(topic, stored)
    if "UserAccount" not in topic:
        assert found == ()
        return
    assert sorted(found) == sorted(secrets)
    shown = orjson.loads(without_secrets(stored))
    assert shown == {k: v for k, v in state.items() if k not in SECRET_FIELDS}
    assert stored_secrets(topic, b"{not json") == ("state",)

"""Saved views of the list are the account's own events: only its person saves or deletes them,
a name is replaced by saving it again, an account keeps a bounded number, and an account
snapshot from before views existed reads as one without any."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.accounts.account import VIEWS_MAX, UserAccount
from domain.accounts.errors import SavedViewError, SavedViewNotFoundError
from domain.shared.actors import Actor, Role
from domain.shared.errors import InvalidTextError, NotPermittedError

AT = datetime(2024, 3, 4, 2, tzinfo=UTC)
ADMIN = Actor("admin", Role.ADMIN)


def account() -> UserAccount:
    return UserAccount.create(
        username="leader.pct1",
        display_name="Nguyễn Văn A",
        role=Role.LEADER,
        unit=None,
        actor=ADMIN,
        request_id="r",
        at=AT,
    )


def test_a_view_is_saved_replaced_and_deleted_by_its_person_as_events() -> None:
    user = account()
    me = user.as_actor()
    user.save_view(name=" Chờ nghiệm thu ", query="status=awaiting_acceptance", actor=me,
                   request_id="r1", at=AT)  # fmt: skip
    user.save_view(name="Chờ nghiệm thu", query="sort=deadline", actor=me, request_id="r2", at=AT)
    assert user.views == {"Chờ nghiệm thu": "sort=deadline"}
    user.delete_view(name="Chờ nghiệm thu", actor=me, request_id="r3", at=AT)
    assert user.views == {}
    events = user.collect_events()
    assert [type(e).__name__ for e in events[1:]] == ["ViewSaved", "ViewSaved", "ViewDeleted"]
    assert all(isinstance(e, UserAccount.Event) and e.actor == me for e in events[1:])


def test_no_one_else_saves_or_deletes_a_persons_views_not_even_an_administrator() -> None:
    user = account()
    with pytest.raises(NotPermittedError):
        user.save_view(name="x", query="", actor=ADMIN, request_id="r", at=AT)
    user.save_view(name="x", query="", actor=user.as_actor(), request_id="r", at=AT)
    with pytest.raises(NotPermittedError):
        user.delete_view(name="x", actor=ADMIN, request_id="r", at=AT)


def test_an_account_keeps_a_bounded_number_of_views_and_names_are_checked_text() -> None:
    user = account()
    me = user.as_actor()
    for n in range(VIEWS_MAX):
        user.save_view(name=f"v{n}", query="", actor=me, request_id="r", at=AT)
    with pytest.raises(SavedViewError):
        user.save_view(name="one more", query="", actor=me, request_id="r", at=AT)
    user.save_view(name="v0", query="q=a", actor=me, request_id="r", at=AT)  # a replacement
    with pytest.raises(InvalidTextError):
        user.save_view(name="", query="", actor=me, request_id="r", at=AT)
    with pytest.raises(InvalidTextError):
        user.save_view(name="a\u202eb", query="", actor=me, request_id="r", at=AT)
    with pytest.raises(SavedViewNotFoundError):
        user.delete_view(name="never saved", actor=me, request_id="r", at=AT)


def test_a_snapshot_of_an_account_from_before_views_reads_as_one_without_any() -> None:
    state: dict[str, object] = {"username": "u", "title": ""}
    UserAccount.upcast_v3_v4(state)  # before the language
    UserAccount.upcast_v4_v5(state)  # before the views
    assert state["views"] == {}
    assert state["language"] == "vi"

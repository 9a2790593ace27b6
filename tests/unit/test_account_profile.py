"""A person's name and title changed by the administrator (issue 27, item 6): an event of the
account that replays to the same state, refused when it changes nothing or comes from another
role; and the administrator's forms ask for exactly what their commands take."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import UTC, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from api.commands import request_model
from api.web.pages.admin import FIELDS, UNIT_COMMANDS, USER_COMMANDS
from domain.accounts.account import UserAccount
from domain.accounts.errors import InvalidUserError
from domain.shared.actors import Actor, Role
from domain.shared.errors import NotPermittedError
from tests.strategies import person_names

AT = datetime(2026, 3, 2, 2, tzinfo=UTC)
ADMIN = Actor("admin", Role.ADMIN)
titles = st.one_of(st.just(""), person_names)


def account() -> UserAccount:
    return UserAccount.create(
        username="so-yt.canbo",
        display_name="Trần Văn Minh",
        role=Role.DEPARTMENT,
        unit="SO-YT",
        actor=ADMIN,
        request_id="r",
        at=AT,
    )


@given(name=person_names, title=titles)
def test_a_changed_name_and_title_replay_from_the_accounts_events(name: str, title: str) -> None:
    person = account()
    same = (unicodedata.normalize("NFC", name).strip(), title.strip()) == (person.display_name, "")
    assume(not same)  # would change nothing
    person.change_profile(display_name=name, title=title, actor=ADMIN, request_id="p", at=AT)
    replayed = None
    for event in person.collect_events():
        replayed = event.mutate(replayed)
    assert isinstance(replayed, UserAccount)
    assert (replayed.display_name, replayed.title) == (person.display_name, person.title)
    assert person.display_name == unicodedata.normalize("NFC", name).strip()
    assert person.title == unicodedata.normalize("NFC", title).strip()


def test_a_profile_that_changes_nothing_or_comes_from_another_role_is_refused() -> None:
    person = account()
    with pytest.raises(InvalidUserError) as same:
        person.change_profile(
            display_name=" Trần Văn Minh ", title="", actor=ADMIN, request_id="p", at=AT
        )
    assert same.value.case == "same_profile"
    with pytest.raises(NotPermittedError):
        person.change_profile(
            display_name="X", title="", actor=Actor("office.vp", Role.OFFICE), request_id="p", at=AT
        )
    person.change_profile(display_name="", title="Chuyên viên", actor=ADMIN, request_id="p", at=AT)
    assert person.display_name == "so-yt.canbo"  # no name: the user name stands for it


def test_each_administrators_form_asks_for_what_its_command_takes() -> None:
    for name, command in {**USER_COMMANDS, **UNIT_COMMANDS}.items():
        wanted = [f.name for f in dataclasses.fields(command)]
        assert [f.name for f in FIELDS[name]] == wanted, name
        assert list(request_model(command).model_fields) == wanted, name
    assert FIELDS["password"] == ()

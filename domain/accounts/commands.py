"""The commands an administrator gives an existing account, as data (``domain.shared.commands``):
the API's request schemas are derived from them (``api.commands``) and ``Thucthi.manage``
runs them. Creating an account, signing in and changing a password carry a secret, which never
enters the log: the service takes those as calls of their own."""

from __future__ import annotations

from dataclasses import dataclass

from domain.shared.actors import Role
from domain.shared.commands import Command


@dataclass(frozen=True, kw_only=True)
class AccountCommand(Command):
    """A command on an existing account."""


@dataclass(frozen=True, kw_only=True)
class ChangeRole(AccountCommand):
    """Đổi vai trò: the account's role, and the unit a department officer works in."""

    method = "change_role"
    role: Role
    unit: str | None = None

    def units_assigned(self) -> tuple[str, ...]:
        return () if self.unit is None else (self.unit,)


@dataclass(frozen=True, kw_only=True)
class ChangeProfile(AccountCommand):
    """Đổi họ tên, chức danh: the person's name and title as the pages show them (the user name
    stands for a name left empty; a title may be empty)."""

    method = "change_profile"
    display_name: str = ""
    title: str = ""


@dataclass(frozen=True, kw_only=True)
class DisableUser(AccountCommand):
    """Khóa tài khoản: the account acts no more, its tokens with it."""

    method = "disable"
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class EnableUser(AccountCommand):
    """Mở khóa tài khoản: a disabled account may sign in again."""

    method = "enable"


@dataclass(frozen=True, kw_only=True)
class SaveView(AccountCommand):
    """Lưu bộ lọc: the list's question (its address's query) kept under a name, by the person
    whose account it is."""

    method = "save_view"
    name: str
    query: str = ""


@dataclass(frozen=True, kw_only=True)
class DeleteView(AccountCommand):
    """Xóa bộ lọc đã lưu."""

    method = "delete_view"
    name: str

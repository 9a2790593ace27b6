"""The demo's accounts: one person per role, and the petitions desks of five agencies, of the
units in force on the demo's last day (after 1 July 2025 the wards and the merged department
that carry on the desks of District 1, District 3 and the Department of Natural Resources and
Environment). Apart from ``cli.loading``, which creates them, so that ``cli.audit`` (the demo's
certificates) reads them without importing the demo command that calls it."""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from cli.demo_corpus import ISSUERS
from domain.shared.actors import Role
from domain.units.hcmc import REORGANISED_ON

DEMO_PASSWORD = "thucthi-demo"  # noqa: S105 - printed for the demo; real users get random ones


class DemoUser(NamedTuple):
    """An account of the demo: who signs in, with which role, and the person it is."""

    username: str
    role: Role
    unit: str | None
    name: str
    title: str


# Each agency's petitions desk, by the names its accounts take (``<unit>.tiepdan``,
# ``<unit>.thutruong``, ``<unit>.canbo``): its reception, its head, and the officer it assigns.
PETITION_DESK = (
    ("tiepdan", Role.RECEPTION),
    ("thutruong", Role.AGENCY_HEAD),
    ("canbo", Role.DEPARTMENT),
)
# Who works each agency's desk: its reception, its head, the officer it assigns (name, title);
# in a demo ending before the reorganisation of 1 July 2025.
_DESK_PEOPLE_2024: dict[str, tuple[tuple[str, str], ...]] = {
    "SO-XD": (
        ("Trần Thị Thu Hà", "Chuyên viên tiếp công dân, Sở Xây dựng"),
        ("Nguyễn Văn Hùng", "Giám đốc Sở Xây dựng"),
        ("Lê Minh Khôi", "Thanh tra viên, Sở Xây dựng"),
    ),
    "SO-TNMT": (
        ("Phạm Thị Hằng", "Chuyên viên tiếp công dân, Sở Tài nguyên và Môi trường"),
        ("Võ Thành Nam", "Giám đốc Sở Tài nguyên và Môi trường"),
        ("Đinh Quốc Bảo", "Chuyên viên, Sở Tài nguyên và Môi trường"),
    ),
    "UBND-Q1": (
        ("Huỳnh Thị Ngọc", "Cán bộ Ban Tiếp công dân Quận 1"),
        ("Trương Minh Đức", "Chủ tịch UBND Quận 1"),
        ("Ngô Văn Hậu", "Chuyên viên Thanh tra Quận 1"),
    ),
    "UBND-Q3": (
        ("Lý Thị Mỹ", "Cán bộ Ban Tiếp công dân Quận 3"),
        ("Đỗ Hoàng Sơn", "Chủ tịch UBND Quận 3"),
        ("Bùi Thanh Tùng", "Chuyên viên Thanh tra Quận 3"),
    ),
    "THANH-TRA": (
        ("Mai Thị Hồng", "Cán bộ tiếp công dân, Thanh tra Thành phố"),
        ("Lâm Quang Vinh", "Chánh Thanh tra Thành phố"),
        ("Châu Văn Thịnh", "Thanh tra viên, Thanh tra Thành phố"),
    ),
}
# The same desks in a demo ending on or after it: District 1's work passed to phường Sài Gòn,
# District 3's to phường Bàn Cờ, the Department of Natural Resources and Environment's to that
# of Agriculture and Environment (``domain.units.hcmc``), and their people with it.
_DESK_PEOPLE: dict[str, tuple[tuple[str, str], ...]] = {
    "SO-XD": _DESK_PEOPLE_2024["SO-XD"],
    "SO-NNMT": (
        ("Phạm Thị Hằng", "Chuyên viên tiếp công dân, Sở Nông nghiệp và Môi trường"),
        ("Võ Thành Nam", "Giám đốc Sở Nông nghiệp và Môi trường"),
        ("Đinh Quốc Bảo", "Chuyên viên, Sở Nông nghiệp và Môi trường"),
    ),
    "UBND-P-SAIGON": (
        ("Huỳnh Thị Ngọc", "Cán bộ tiếp công dân, UBND phường Sài Gòn"),
        ("Trương Minh Đức", "Chủ tịch UBND phường Sài Gòn"),
        ("Ngô Văn Hậu", "Chuyên viên, UBND phường Sài Gòn"),
    ),
    "UBND-P-BANCO": (
        ("Lý Thị Mỹ", "Cán bộ tiếp công dân, UBND phường Bàn Cờ"),
        ("Đỗ Hoàng Sơn", "Chủ tịch UBND phường Bàn Cờ"),
        ("Bùi Thanh Tùng", "Chuyên viên, UBND phường Bàn Cờ"),
    ),
    "THANH-TRA": _DESK_PEOPLE_2024["THANH-TRA"],
}
# The agencies of the demo whose petitions desks have accounts (a demo ending today).
PETITION_AGENCIES = tuple(_DESK_PEOPLE)


def _users(desks: dict[str, tuple[tuple[str, str], ...]]) -> tuple[DemoUser, ...]:
    """The committee's chairman and vice-chairmen (who sign the demo's directives), one person
    per other role, and the petitions desks of five agencies."""
    return (
        *(DemoUser(username, Role.LEADER, None, name, title) for username, name, title in ISSUERS),
        DemoUser(
            "office.vp", Role.OFFICE, None, "Nguyễn Thị Mai", "Chuyên viên Văn phòng UBND Thành phố"
        ),
        DemoUser(
            "so-ct.canbo", Role.DEPARTMENT, "SO-CT", "Lý Văn Tâm", "Chuyên viên Sở Công Thương"
        ),
        DemoUser(
            "thanhtra", Role.INSPECTOR, None, "Hồ Minh Trí", "Thanh tra viên Thanh tra Thành phố"
        ),
        DemoUser("admin", Role.ADMIN, None, "Phan Quốc Việt", "Quản trị hệ thống"),
        *(
            DemoUser(f"{unit.lower()}.{suffix}", role, unit, name, title)
            for unit, people in desks.items()
            for (suffix, role), (name, title) in zip(PETITION_DESK, people, strict=True)
        ),
    )


# The users of a demo ending today (or on any day from 1 July 2025), and of one ending before.
DEMO_USERS: tuple[DemoUser, ...] = _users(_DESK_PEOPLE)
DEMO_USERS_2024: tuple[DemoUser, ...] = _users(_DESK_PEOPLE_2024)


def demo_users(end: date) -> tuple[DemoUser, ...]:
    """The users of a demo ending on ``end``: of the units in force that day."""
    return DEMO_USERS if end >= REORGANISED_ON else DEMO_USERS_2024

"""``thucthi calendar``: an administrator enters and withdraws the government's swaps from the
command line, shows a year with the source of every day, and counts a term, now or as the
calendar stood at a log position."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import orjson
import pytest

from cli.main import main


def run(*argv: str) -> tuple[int, str]:
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def test_a_swap_entered_from_the_command_line_moves_a_deadline_from_then_on(
    tmp_path: Path,
) -> None:
    """Received Wed 31/12/2025, 6 working days: Fri 9/1/2026 before the New Year swap was
    entered, Sat 10/1/2026 (the make-up day) after it, and again Fri 9/1 once withdrawn."""
    db = ["--db", f"sqlite:///{tmp_path / 'calendar.db'}"]
    deadline = [*db, "calendar", "deadline", "2025-12-31", "--working-days", "6"]
    assert run(*deadline) == (
        0,
        "2025-12-31 + 6 ngày làm việc / working days → 2026-01-09 T6/Fri\n",
    )
    code, said = run(*db, "calendar", "swap", "2026-01-02", "--make-up", "2026-01-10",
                     "--decision", "12729/VPCP-KGVX", "--note", "Tết Dương lịch 2026")  # fmt: skip
    assert code == 0
    declared = int(said.rsplit(" ", 1)[1])
    assert run(*deadline)[1].endswith("→ 2026-01-10 T7/Sat\n")
    assert run(*deadline, "--position", str(declared - 2))[1].endswith("→ 2026-01-09 T6/Fri\n")
    code, shown = run(*db, "calendar", "show", "--year", "2026")
    assert code == 0
    assert "250 ngày làm việc / working days" in shown
    assert "2026-04-27 T2/Mon  Ngày Giỗ Tổ Hùng Vương (nghỉ bù)" in shown
    assert "Bộ luật Lao động 2019, Điều 111 khoản 3" in shown
    assert (
        "nghỉ / off 2026-01-02 T6/Fri, làm bù / worked 2026-01-10 T7/Sat — 12729/VPCP-KGVX" in shown
    )
    document = orjson.loads(run(*db, "calendar", "show", "--year", "2026", "--json")[1])
    assert [s["day_off"] for s in document["swaps"]] == ["2026-01-02"]
    assert run(*db, "calendar", "withdraw", "2026-01-02", "--reason", "nhập nhầm")[0] == 0
    assert run(*deadline)[1].endswith("→ 2026-01-09 T6/Fri\n")
    assert run(*db, "calendar", "deadline", "2025-01-02", "--days", "30")[1].endswith(
        "→ 2025-02-03 T2/Mon\n"
    )


def test_a_refused_swap_is_one_line_and_exit_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Saturday cannot be swapped off; no swap to withdraw; a year the calendar does not know
    is a usage error."""
    db = ["--db", f"sqlite:///{tmp_path / 'calendar.db'}"]
    assert run(*db, "calendar", "swap", "2026-01-03", "--decision", "1/TB")[0] == 1
    assert capsys.readouterr().err == (
        "thucthi: error: 2026-01-03 is already a day off: only a working day can be swapped off\n"
    )
    assert run(*db, "calendar", "withdraw", "2026-01-05", "--reason", "x")[0] == 1
    assert "no swap in force makes 2026-01-05 a day off" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        run(*db, "calendar", "show", "--year", "2101")
    assert usage.value.code == 2

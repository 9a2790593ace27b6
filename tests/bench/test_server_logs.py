"""A bench server's output is read for errors a line at a time and kept without the request
log's lines of answered requests, however long it ran under wrk."""

from __future__ import annotations

from pathlib import Path

from bench.http import Server

ANSWERED = (
    '{"request_id":"a-1","user":"leader.chutich","method":"GET","route":"/dashboard",'
    '"status":200,"duration_ms":1.2,"level":"info"}\n'
)
REFUSED = ANSWERED.replace('"status":200', '"status":404')
FAILED = ANSWERED.replace('"status":200', '"status":500')


def server(tmp_path: Path, text: str) -> Server:
    log = tmp_path / "serve.log"
    log.write_text(text)
    return Server("thucthi serve", [], {}, 0, log)


def test_the_kept_log_leaves_out_answered_requests_and_counts_them(tmp_path: Path) -> None:
    text = "serving on http://127.0.0.1:1\n" + ANSWERED * 3 + REFUSED + FAILED + "stopping\n"
    kept = server(tmp_path, text).keep_log(tmp_path / "logs")
    assert kept.read_text().splitlines() == [
        "serving on http://127.0.0.1:1",
        FAILED.strip(),  # a server error stays
        "stopping",
        "(4 request lines of answered requests left out)",
    ]


def test_the_first_traceback_is_found_whole_and_other_errors_are_listed(tmp_path: Path) -> None:
    trace = "Traceback (most recent call last):\n  File \"x.py\", line 1\nKeyError: 'k'\n"
    assert server(tmp_path, ANSWERED * 5 + trace + ANSWERED).suspicious()[:3] == [
        "Traceback (most recent call last):",
        '  File "x.py", line 1',
        "KeyError: 'k'",
    ]
    noted = ANSWERED + "an error of the follower\n" + ANSWERED
    assert server(tmp_path, noted).suspicious() == ["an error of the follower"]
    assert server(tmp_path, ANSWERED * 10).suspicious() == []

"""The oversight answer cache makes each missing answer once, however many ask at once."""

from __future__ import annotations

import threading
import time

import pytest

from api.fastpath import AnswerCache


def test_a_question_asked_by_many_at_once_is_answered_once() -> None:
    cache: AnswerCache[bytes] = AnswerCache()
    made: list[int] = []
    start = threading.Barrier(20)

    def make() -> bytes:
        made.append(1)
        time.sleep(0.05)  # a summary at city scale takes this long and more
        return b"answer"

    answers: list[bytes] = []

    def ask() -> None:
        start.wait()
        answers.append(cache.get_or_make(("summary", 42), make))

    askers = [threading.Thread(target=ask) for _ in range(20)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert answers == [b"answer"] * 20
    assert len(made) == cache.made == 1
    assert cache.get_or_make(("summary", 42), make) == b"answer"
    assert len(made) == 1


def test_a_failed_answer_is_not_kept_and_the_next_asker_makes_it_again() -> None:
    cache: AnswerCache[bytes] = AnswerCache()

    def broken() -> bytes:
        msg = "the read models are away"
        raise RuntimeError(msg)

    with pytest.raises(RuntimeError):
        cache.get_or_make("q", broken)
    assert cache.get_or_make("q", lambda: b"fine") == b"fine"


def test_the_least_recently_used_answers_are_dropped_first() -> None:
    cache: AnswerCache[bytes] = AnswerCache(size=2)
    for key in ("a", "b"):
        cache.get_or_make(key, key.encode)
    cache.get_or_make("a", lambda: b"again")  # found: now the most recent
    cache.get_or_make("c", b"c".__bytes__)
    assert cache.get_or_make("a", lambda: b"again") == b"a"
    assert cache.get_or_make("b", lambda: b"made again") == b"made again"

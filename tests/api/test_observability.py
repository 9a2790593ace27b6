"""The request metrics' histograms and the request ids the API makes."""

from __future__ import annotations

import os
import re

from hypothesis import given
from hypothesis import strategies as st

from api.app import _REQUEST_ID
from api.observability import BUCKETS, Metrics, RequestIds


def bucket_counts(text: str) -> dict[str, int]:
    pattern = re.compile(r'_bucket\{route="/r",method="GET",le="([^"]+)"\} (\d+)')
    return {m[1]: int(m[2]) for m in pattern.finditer(text)}


@given(st.lists(st.floats(min_value=0, max_value=20, allow_nan=False), max_size=50))
def test_each_histogram_bucket_counts_the_requests_answered_within_its_bound(
    seconds: list[float],
) -> None:
    metrics = Metrics()
    for s in seconds:
        metrics.observe("/r", "GET", 200, s)
    text = metrics.render(dict)
    if not seconds:
        assert bucket_counts(text) == {}
        return
    expected = {str(bound): sum(s <= bound for s in seconds) for bound in BUCKETS}
    assert bucket_counts(text) == {**expected, "+Inf": len(seconds)}
    assert (
        f'thucthi_http_request_duration_seconds_count{{route="/r",method="GET"}} {len(seconds)}'
        in text
    )
    assert (
        f'thucthi_http_requests_total{{route="/r",method="GET",status="200"}} {len(seconds)}'
        in text
    )


def test_request_ids_are_unique_valid_and_drawn_again_in_a_forked_process() -> None:
    ids = RequestIds()
    made = [ids() for _ in range(10_000)]
    assert len(set(made)) == len(made)
    assert all(_REQUEST_ID.match(i) for i in made)

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.write(write, ids().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    theirs = os.read(read, 100).decode()
    os.close(read)
    assert _REQUEST_ID.match(theirs)
    assert theirs.split("-")[0] != made[0].split("-")[0]

"""The request metrics' histograms and the request ids the API makes."""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.observability import BUCKETS, Metrics, RequestIds
from api.pipeline import REQUEST_ID


def bucket_counts(text: str) -> dict[str, int]:
    pattern = re.compile(r'_bucket\{route="/r",method="GET",le="([^"]+)"\} (\d+)')
    return {m[1]: int(m[2]) for m in pattern.finditer(text)}


@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=20, allow_nan=False), st.sampled_from([200, 404, 500])
        ),
        max_size=50,
    )
)
def test_each_histogram_bucket_counts_the_requests_answered_within_its_bound(
    requests: list[tuple[float, int]],
) -> None:
    metrics = Metrics()
    for s, status in requests:
        metrics.observe("/r", "GET", status, s)
    text = metrics.render(dict)
    seconds = [s for s, _ in requests]
    if not seconds:
        assert bucket_counts(text) == {}
        return
    expected = {str(bound): sum(s <= bound for s in seconds) for bound in BUCKETS}
    assert bucket_counts(text) == {**expected, "+Inf": len(seconds)}
    assert (
        f'thucthi_http_request_duration_seconds_count{{route="/r",method="GET"}} {len(seconds)}'
        in text
    )
    for status in {status for _, status in requests}:
        n = sum(status == s for _, s in requests)
        counter = f'thucthi_http_requests_total{{route="/r",method="GET",status="{status}"}} {n}'
        assert counter in text
    total = re.search(r'_sum\{route="/r",method="GET"\} ([0-9.]+)', text)
    assert total is not None
    assert float(total[1]) == pytest.approx(sum(seconds), abs=1e-5)


def test_request_ids_are_unique_valid_and_drawn_again_in_a_forked_process() -> None:
    ids = RequestIds()
    made = [ids() for _ in range(10_000)]
    assert len(set(made)) == len(made)
    assert all(REQUEST_ID.match(i) for i in made)

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.write(write, ids().encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    theirs = os.read(read, 100).decode()
    os.close(read)
    assert REQUEST_ID.match(theirs)
    assert theirs.split("-")[0] != made[0].split("-")[0]

"""How many examples a hypothesis property tries: its ``default`` count in ``make test``, its
``thorough`` count when the ``thorough`` profile is chosen.

``make test`` must stay short (README, "Tests"), so a property whose examples are expensive (a
fresh database each, a whole API, a state machine of forty steps) tries in the default run a
number still large enough to find what it is there to find, and many more under
``THUCTHI_HYPOTHESIS_PROFILE=thorough`` (or ``pytest --hypothesis-profile=thorough``), for a
nightly run or before a release. That profile also gives properties that name no count 1,000
examples instead of hypothesis's 100, and draws fresh examples on every run even in CI (where
hypothesis otherwise derandomizes), printing the blob that reproduces a failure.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

THOROUGH = "thorough"
PROFILE_VARIABLE = "THUCTHI_HYPOTHESIS_PROFILE"

# Every run: no deadline. Hypothesis's default of 200 ms an example fails a property when the
# shared two-core machine is busy (DeadlineExceeded on an example that passes alone), and a
# test that fails when the machine is busy is a defect; how long examples take is the bench's
# business, never a test's.
EVERY_RUN = "thucthi"
settings.register_profile(EVERY_RUN, settings.get_profile("default"), deadline=None)
settings.load_profile(EVERY_RUN)

settings.register_profile(
    THOROUGH,
    settings.get_profile("default"),
    max_examples=1_000,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
if os.environ.get(PROFILE_VARIABLE):
    settings.load_profile(os.environ[PROFILE_VARIABLE])


def is_thorough() -> bool:
    """Whether the thorough profile is the one loaded (asked when a test module is imported,
    after pytest's ``--hypothesis-profile`` has been applied)."""
    return settings.get_current_profile_name() == THOROUGH


def examples(default: int, *, thorough: int) -> int:
    """``default`` examples in ``make test``; ``thorough`` under the thorough profile."""
    return thorough if is_thorough() else default

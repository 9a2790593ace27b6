"""The properties' settings: what makes a property pass or fail is what it checks, never how busy
the machine is."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st


def test_no_property_has_a_deadline_that_a_busy_machine_could_miss() -> None:
    """Hypothesis's default deadline (200 ms an example) failed a matching property once while
    the shared machine ran other suites; every run's profile has none."""
    assert settings().deadline is None


@given(st.integers())
def test_a_property_written_without_settings_inherits_no_deadline(n: int) -> None:
    assert settings.default is not None
    assert settings.default.deadline is None
    assert isinstance(n, int)

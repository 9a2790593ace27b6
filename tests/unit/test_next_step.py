"""What a list shows beside each title: what the directive waits for next, from the committee,
the lead unit or, for a unit that coordinates it, that unit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest

from readmodels.model import BoardRow
from readmodels.queries import next_step

AT = datetime(2024, 3, 4, 2, tzinfo=UTC)
ROW = BoardRow(
    directive_id=uuid4(), version=1, position=1, recorded_at=AT, reference="1/T", title="T",
    lead_unit="SO-CT", coordinators=("SO-TC",), issuer="leader.chutich", urgency="normal",
    issued_on=date(2024, 3, 4), issued_at=AT, assigned_at=AT, original_deadline=None,
    deadline=None, extensions_granted=0, extension_pending=False, percent=0, progress_at=None,
    acknowledged_at=None, completion_reported_at=None, completion_on=None, accepted_at=None,
    status="issued", withdrawn=False, open_explanations=0, reminders=0, returns=0,
    contributed=(),
)  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "unit", "step"),
    [
        ({}, None, "acknowledge"),
        ({"status": "in_progress"}, None, "report_progress"),
        ({"status": "in_progress", "open_explanations": 1}, None, "answer_explanation"),
        ({"status": "in_progress", "extension_pending": True}, None, "decide_extension"),
        ({"status": "completion_reported"}, None, "await_decision"),
        ({"status": "completion_reported"}, "SO-CT", "await_decision"),
        ({"status": "in_progress"}, "SO-TC", "contribute"),
        ({"status": "in_progress", "contributed": ("SO-TC",)}, "SO-TC", "await_lead"),
        ({"status": "completed"}, None, None),
        ({"status": "withdrawn", "withdrawn": True}, "SO-TC", None),
    ],
)
def test_the_next_step_is_the_committees_the_lead_units_or_the_coordinators(
    changes: dict[str, object], unit: str | None, step: str | None
) -> None:
    assert next_step(replace(ROW, **changes), unit) == step  # type: ignore[arg-type]

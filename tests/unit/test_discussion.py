"""The discussion of a directive (issue 27, item 5): comments and replies as the directive's
events, who may take part, the thread as it stood at each version, told in both languages, and
whom the notifications tell of a comment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import orjson
import pytest
from eventsourcing.persistence import JSONTranscoder, StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from domain.accounts.account import Language
from domain.directives.directive import Comment, Directive
from domain.directives.errors import (
    DirectiveClosedError,
    NoSuchCommentError,
    NotParticipantError,
)
from domain.narration import narrate, tell, unit_sentences
from domain.notifications.digest import told
from domain.notifications.rules import (
    EXCERPT,
    Kind,
    Person,
    excerpt,
    told_of_event,
    tracked_after,
)
from domain.shared.actors import Role
from domain.shared.codec import OrjsonMapper
from domain.shared.errors import InvalidTextError, NotPermittedError
from domain.writer import replay
from tests.builders import (
    ADMIN,
    COORDINATOR,
    COORDINATOR_OFFICER,
    INSPECTOR,
    LEAD,
    LEAD_OFFICER,
    LEADER,
    OFFICE,
    OTHER_OFFICER,
    issued,
    officer,
)
from tests.unit.test_units import registry

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
MAPPER = OrjsonMapper(transcoder=JSONTranscoder())
NAMES = unit_sentences(registry())


def collected(d: Directive) -> list[Directive.Event]:
    """The directive's new events (all of them are ``Directive.Event``)."""
    return [e for e in d.collect_events() if isinstance(e, Directive.Event)]


def fresh(reference: str = "1234/UBND-VX") -> Directive:
    """A directive just issued, its issue event not yet collected."""
    return Directive.issue(
        reference=reference,
        title="Triển khai",
        content="",
        issuer=None,
        lead_unit=LEAD,
        coordinating_units=(COORDINATOR,),
        deadline=date(2026, 3, 31),
        actor=LEADER,
        request_id="req-issue",
        at=T0,
    )


def test_the_lead_unit_comments_and_a_coordinating_unit_replies_each_an_event_of_its_own() -> None:
    d = issued(T0)
    said = " Đề nghị Sở Tài chính\r\ncho số liệu "
    first = d.comment(text=said, actor=LEAD_OFFICER, request_id="req-1", at=T0)
    later = T0 + timedelta(hours=2)
    second = d.comment(
        text="Sẽ gửi trong tuần",
        reply_to=1,
        actor=COORDINATOR_OFFICER,
        request_id="req-2",
        at=later,
    )
    assert (first, second) == (1, 2)
    assert d.comments == (
        Comment(1, "Đề nghị Sở Tài chính\ncho số liệu", "so-ct.canbo", Role.DEPARTMENT, LEAD, T0),
        Comment(2, "Sẽ gửi trong tuần", "so-tc.canbo", Role.DEPARTMENT, COORDINATOR, later, 1),
    )
    commented, replied = d.collect_events()
    assert isinstance(replied, Directive.Commented)
    assert (replied.actor, replied.request_id, replied.reply_to) == (
        COORDINATOR_OFFICER,
        "req-2",
        1,
    )
    stored = MAPPER.to_stored_event(commented)
    assert stored.topic == "thucthi:Directive.Commented"
    assert orjson.loads(stored.state) == {
        "timestamp": "2026-03-02T02:00:00+00:00",
        "actor": {"user_id": "so-ct.canbo", "role": "department", "unit": LEAD},
        "request_id": "req-1",
        "number": 1,
        "text": "Đề nghị Sở Tài chính\ncho số liệu",
        "reply_to": None,
    }
    assert MAPPER.to_domain_event(stored) == commented


def test_the_office_and_a_leader_take_part_and_any_stage_of_the_work_is_open_to_it() -> None:
    d = issued(T0)  # not even acknowledged yet
    d.comment(text="Văn phòng đề nghị báo cáo sớm", actor=OFFICE, request_id="r", at=T0)
    d.acknowledge(actor=LEAD_OFFICER, request_id="r", at=T0)
    d.report_completion(summary="Đã xong", actor=LEAD_OFFICER, request_id="r", at=T0)
    d.comment(text="Đã nhận báo cáo", reply_to=1, actor=LEADER, request_id="r", at=T0)
    assert [(c.author, c.role, c.unit) for c in d.comments] == [
        ("office.vp", Role.OFFICE, None),
        ("leader.chutich", Role.LEADER, None),
    ]


@pytest.mark.parametrize(
    ("who", "error"),
    [
        (OTHER_OFFICER, NotParticipantError),
        (INSPECTOR, NotPermittedError),
        (ADMIN, NotPermittedError),
    ],
    ids=["a unit that takes no part", "the inspector", "the administrator"],
)
def test_who_takes_no_part_in_the_work_cannot_comment_and_nothing_is_recorded(
    who: object, error: type[Exception]
) -> None:
    d = issued(T0)
    with pytest.raises(error):
        d.comment(text="Ý kiến", actor=who, request_id="r", at=T0)  # type: ignore[arg-type]
    assert (d.comments, d.collect_events(), d.version) == ((), [], 1)


def test_a_reply_names_a_comment_already_made_and_a_comment_says_something() -> None:
    d = issued(T0)
    with pytest.raises(NoSuchCommentError) as refused:
        d.comment(text="Trả lời", reply_to=1, actor=LEAD_OFFICER, request_id="r", at=T0)
    assert refused.value.values == {"number": 1, "reference": d.reference}
    d.comment(text="Ý kiến", actor=LEAD_OFFICER, request_id="r", at=T0)
    for number in (0, 2):
        with pytest.raises(NoSuchCommentError):
            d.comment(text="Trả lời", reply_to=number, actor=OFFICE, request_id="r", at=T0)
    for text, case in (("  \n ", "empty"), ("a\x07b", "control"), ("x" * 5001, "too_long")):
        with pytest.raises(InvalidTextError) as bad:
            d.comment(text=text, actor=LEAD_OFFICER, request_id="r", at=T0)
        assert (bad.value.field, bad.value.case) == ("text", case)
    assert len(d.comments) == 1


def test_a_closed_directive_is_read_only_its_discussion_too() -> None:
    d = issued(T0)
    d.comment(text="Ý kiến", actor=LEAD_OFFICER, request_id="r", at=T0)
    d.withdraw(reason="Trùng lặp", actor=LEADER, request_id="r", at=T0)
    with pytest.raises(DirectiveClosedError):
        d.comment(text="Sau khi thu hồi", actor=OFFICE, request_id="r", at=T0)
    assert len(d.comments) == 1


def test_the_thread_as_of_a_version_is_the_thread_as_it_stood_then() -> None:
    d = fresh()
    d.comment(text="Một", actor=LEAD_OFFICER, request_id="r", at=T0)
    d.comment(text="Hai", reply_to=1, actor=COORDINATOR_OFFICER, request_id="r", at=T0)
    events = d.collect_events()
    at_two = replay(None, events[:2])
    assert isinstance(at_two, Directive)
    assert [c.text for c in at_two.comments] == ["Một"]
    assert replay(None, events) == d


def test_a_snapshot_taken_before_comments_existed_restores_an_empty_thread() -> None:
    d = issued(T0)
    d.comment(text="Ý kiến", actor=LEAD_OFFICER, request_id="r", at=T0)
    d.collect_events()
    snapshot = Directive.Snapshot.take(d)
    restored = MAPPER.to_domain_event(MAPPER.to_stored_event(snapshot))
    assert restored.mutate(None) == d  # type: ignore[attr-defined]
    older = MAPPER.to_stored_event(snapshot)
    state = orjson.loads(older.state)
    del state["state"]["comments"]
    older = StoredEvent(
        older.originator_id, older.originator_version, older.topic, orjson.dumps(state)
    )
    rebuilt = MAPPER.to_domain_event(older).mutate(None)  # type: ignore[attr-defined]
    assert rebuilt.comments == ()
    rebuilt.comment(text="Sau bản chụp", actor=OFFICE, request_id="r", at=T0)
    assert [c.number for c in rebuilt.comments] == [1]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["lead", "coordinator", "office", "leader"]),
            st.none() | st.integers(-2, 12),
        ),
        max_size=12,
    )
)
def test_comments_are_numbered_in_order_and_a_reply_always_answers_an_earlier_one(
    steps: list[tuple[str, int | None]],
) -> None:
    actors = {
        "lead": LEAD_OFFICER,
        "coordinator": COORDINATOR_OFFICER,
        "office": OFFICE,
        "leader": LEADER,
    }
    d = issued(T0)
    for who, reply_to in steps:
        try:
            d.comment(text="Ý kiến", reply_to=reply_to, actor=actors[who], request_id="r", at=T0)
        except NoSuchCommentError:
            assert reply_to is not None
            assert not 1 <= reply_to <= len(d.comments)
    assert [c.number for c in d.comments] == list(range(1, len(d.comments) + 1))
    assert all(c.reply_to is None or 1 <= c.reply_to < c.number for c in d.comments)
    assert len(d.comments) == sum(
        1 for i, (_, r) in enumerate(steps) if r is None or 1 <= r <= _made_before(steps, i)
    )


def _made_before(steps: list[tuple[str, int | None]], index: int) -> int:
    made = 0
    for _, reply_to in steps[:index]:
        if reply_to is None or 1 <= reply_to <= made:
            made += 1
    return made


def test_the_trail_and_the_history_tell_a_comment_and_a_reply_in_both_languages() -> None:
    d = issued(T0)
    d.comment(text="Ý kiến", actor=LEAD_OFFICER, request_id="r", at=T0)
    d.comment(text="Trả lời", reply_to=1, actor=COORDINATOR_OFFICER, request_id="r", at=T0)
    comment, reply = d.collect_events()
    assert tell(comment, LEAD_OFFICER, NAMES).vi == "Sở Công Thương nêu ý kiến thảo luận số 1"
    assert tell(comment, LEAD_OFFICER, NAMES).en == (
        "Department of Industry and Trade commented (comment 1)"
    )
    assert narrate(reply, NAMES).vi == "Trả lời ý kiến số 1 (ý kiến số 2)"
    assert tell(reply, COORDINATOR_OFFICER, NAMES).en == (
        "Department of Finance replied to comment 1 (comment 2)"
    )


# --- whom a comment tells ------------------------------------------------------------------

PEOPLE = [
    Person("so-ct.canbo", Role.DEPARTMENT, LEAD),
    Person("so-ct.canbo2", Role.DEPARTMENT, LEAD),
    Person("so-tc.canbo", Role.DEPARTMENT, COORDINATOR, language=Language.EN),
    Person("ubnd-q1.canbo", Role.DEPARTMENT, "UBND-Q1"),
    Person("so-tc.old", Role.DEPARTMENT, COORDINATOR, active=False),
    Person("office.vp", Role.OFFICE, None),
    Person("leader.chutich", Role.LEADER, None),
    Person("thanhtra", Role.INSPECTOR, None),
]


def told_of(d: Directive, event: Directive.Event, position: int = 7) -> dict[str, str]:
    tracked = None
    for e in [*_issue_events(d), event]:
        before, tracked = tracked, tracked_after(tracked, e)
    notices = told_of_event(
        before, tracked, event, position=position, day=date(2026, 3, 2), people=PEOPLE
    )
    assert {n.kind for n in notices} <= {Kind.COMMENTED}
    assert len({n.key for n in notices}) == len(notices)
    return {n.username: told(n.kind, n.values, Language.VI) for n in notices}


def _issue_events(d: Directive) -> list[Directive.Event]:
    return collected(fresh(d.reference))


def test_a_comment_tells_the_other_participants_and_not_its_author() -> None:
    """The lead unit's other officers, the coordinating units' and the Office; not the author,
    not a unit taking no part, not a disabled account, not the leaders or the inspector."""
    d = issued(T0)
    d.comment(text="Đề nghị cho số liệu", actor=LEAD_OFFICER, request_id="r", at=T0)
    (event,) = collected(d)
    said = told_of(d, event)
    assert set(said) == {"so-ct.canbo2", "so-tc.canbo", "office.vp"}
    assert said["office.vp"] == "Ý kiến thảo luận số 1 của so-ct.canbo: Đề nghị cho số liệu"
    d.comment(text="Xin gửi\nngay", reply_to=1, actor=OFFICE, request_id="r", at=T0)
    (reply,) = collected(d)
    assert set(told_of(d, reply)) == {"so-ct.canbo", "so-ct.canbo2", "so-tc.canbo"}
    d.comment(text="Lãnh đạo lưu ý", actor=LEADER, request_id="r", at=T0)
    (leaders,) = collected(d)
    assert set(told_of(d, leaders)) == {"so-ct.canbo", "so-ct.canbo2", "so-tc.canbo", "office.vp"}


def test_a_comment_after_a_reorganisation_tells_the_heir_not_the_unit_that_ended() -> None:
    d = issued(T0)
    tracked = None
    for e in _issue_events(d):
        tracked = tracked_after(tracked, e)
    d.hand_over(
        from_unit=COORDINATOR,
        to_unit="UBND-Q1",
        basis="Nghị quyết sáp nhập",
        actor=ADMIN,
        request_id="r",
        at=T0,
    )
    (handed,) = collected(d)
    tracked = tracked_after(tracked, handed)
    assert tracked is not None
    assert (tracked.lead_unit, tracked.coordinators) == (LEAD, ("UBND-Q1",))
    d.comment(text="Ý kiến", actor=officer("UBND-Q1"), request_id="r", at=T0)
    (event,) = collected(d)
    notices = told_of_event(
        tracked, tracked, event, position=9, day=date(2026, 3, 2), people=PEOPLE
    )
    assert {n.username for n in notices} == {"so-ct.canbo", "so-ct.canbo2", "office.vp"}


def test_a_notice_quotes_the_start_of_a_long_comment_on_one_line_in_the_readers_language() -> None:
    long = "Đề nghị\n" + "rất dài " * 60
    cut = excerpt(long)
    assert len(cut) <= EXCERPT
    assert cut.startswith("Đề nghị rất dài")
    assert cut.endswith("…")
    assert (" ".join(long.split()) + " ").startswith(cut[:-1] + " ")  # cut at a word's end
    assert excerpt("  ngắn\n gọn ") == "ngắn gọn"
    values = {"author": "so-ct.canbo", "number": "3", "excerpt": "Cho số liệu"}
    assert told(Kind.COMMENTED, values, Language.EN) == "Comment 3 by so-ct.canbo: Cho số liệu"

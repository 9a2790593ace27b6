"""Every refusal of the domain is said from what it carries, in both languages: each error is
raised with one of its class's cases and the values that case names; the pages' table has words
for every case in Vietnamese and in English, with the same blanks; its values are written the
reader's way; and no Vietnamese refusal holds an English sentence."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from api.web.i18n import MESSAGES, REFUSALS, refusal, said_error
from domain.directives.errors import InvalidDirectiveError, NotLeadUnitError
from domain.shared.errors import DomainError, InvalidTextError
from tests.refusals import domain_errors, english_words

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "adapters", "readmodels", "projections", "bootstrap", "api", "cli")


ERRORS = {cls.__name__: cls for cls in domain_errors()}


def names_in(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def raises() -> Iterator[tuple[str, int, str, ast.Call]]:
    """Every ``raise SomeDomainError(...)`` in the project's packages."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if (
                    isinstance(node, ast.Raise)
                    and isinstance(node.exc, ast.Call)
                    and isinstance(node.exc.func, ast.Name)
                    and node.exc.func.id in ERRORS
                ):
                    yield str(path.relative_to(ROOT)), node.lineno, node.exc.func.id, node.exc


def raised_cases(call: ast.Call, cls: type[DomainError]) -> tuple[list[str], bool] | None:
    """The cases a raise can give, and whether it chooses one at run time: a literal, either
    side of a conditional, or (a name) any of the class's; None when it gives none."""
    at = 1 if cls is InvalidTextError else 0  # InvalidTextError(field, problem, **details)
    given = call.args[at] if len(call.args) > at else None
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        return [given.value], False
    if isinstance(given, ast.IfExp):
        sides = (given.body, given.orelse)
        if all(isinstance(s, ast.Constant) and isinstance(s.value, str) for s in sides):
            return [str(s.value) for s in sides if isinstance(s, ast.Constant)], False
    if isinstance(given, ast.Name | ast.Attribute):
        return list(cls.SAID), True
    return None


def passed_values() -> dict[tuple[str, str], set[str]]:
    """For each class and case, the values every raise of it passes."""
    found: dict[tuple[str, str], set[str]] = {}
    for _, _, name, call in raises():
        cls = ERRORS[name]
        passed = {k.arg for k in call.keywords if k.arg is not None}
        for case in (raised_cases(call, cls) or ([], False))[0]:
            key = (name, case)
            found[key] = found[key] & passed if key in found else passed
    return found


def test_every_domain_error_is_raised_with_one_of_its_cases_and_the_values_it_names() -> None:
    """Not an English sentence: a case the pages can say in either language, with its values."""
    wrong = []
    for where, line, name, call in raises():
        cls = ERRORS[name]
        raised = raised_cases(call, cls)
        if raised is None:
            wrong.append(f"{where}:{line} {name} without a case")
            continue
        given, chosen_at_run_time = raised
        if chosen_at_run_time:
            continue  # the values it passes are the case's it chooses (domain/shared/text.py)
        passed = {k.arg for k in call.keywords if k.arg is not None}
        for case in given:
            if case not in cls.SAID:
                wrong.append(f"{where}:{line} {name}({case!r}) is not one of {sorted(cls.SAID)}")
            elif missing := names_in(cls.SAID[case]) - passed:
                wrong.append(f"{where}:{line} {name}({case!r}) lacks {sorted(missing)}")
    assert wrong == []


def cases() -> Iterator[tuple[type[DomainError], str]]:
    for cls in domain_errors():
        if cls is not InvalidTextError:
            for case in cls.SAID:
                yield cls, case


PASSED = passed_values()


@pytest.mark.parametrize(("cls", "case"), list(cases()), ids=lambda v: getattr(v, "__name__", v))
def test_every_case_of_every_refusal_has_words_in_both_languages(
    cls: type[DomainError], case: str
) -> None:
    """``refusal.<code>.<case>`` in both languages, naming only values every raise of that case
    passes; and the rule the class stands for."""
    vi, en = MESSAGES[f"refusal.{cls.code}.{case}"]
    assert names_in(vi) == names_in(en)
    assert names_in(vi) <= PASSED.get((cls.__name__, case), set())
    assert f"rule.{cls.code}" in MESSAGES


def test_every_refusal_in_the_table_is_a_case_some_error_has() -> None:
    """No words for a case nobody raises (a renamed case would leave its words behind)."""
    known = {f"refusal.{cls.code}.{case}" for cls, case in cases()}
    known |= {f"refusal.{code}.{case}" for code, case in http_cases()}
    assert {key for key in REFUSALS if key.startswith("refusal.")} <= known


def http_cases() -> Iterator[tuple[str, str]]:
    """The cases the HTTP side gives its own problems (``ProblemError(status, code, …, case=)``)."""
    for path in sorted((ROOT / "api").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "ProblemError"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
            ):
                for keyword in node.keywords:
                    if keyword.arg == "case" and isinstance(keyword.value, ast.Constant):
                        yield str(node.args[1].value), str(keyword.value.value)


def test_every_case_the_http_side_gives_has_words_in_both_languages() -> None:
    """A role or a unit a page refuses is named, in the reader's language."""
    found = list(http_cases())
    assert ("not-permitted", "route") in found
    for code, case in found:
        vi, en = MESSAGES[f"refusal.{code}.{case}"]
        assert names_in(vi) == names_in(en)


def test_no_vietnamese_refusal_holds_an_english_sentence() -> None:
    """The Vietnamese side of every case and rule, its values filled, passes the detector."""
    for key, (vi, _) in MESSAGES.items():
        if key.startswith(("refusal.", "rule.", "text.", "invalid.", "param.", "signin.")):
            filled = vi.format(**dict.fromkeys(names_in(vi), "101/UBND-VX"))
            assert english_words(filled) == [], (key, filled)


def test_the_detector_finds_the_english_a_vietnamese_page_used_to_show() -> None:
    """Each sentence the issue saw in a Vietnamese error box is caught; Vietnamese is not."""
    for seen in (
        "the deadline 2020-01-01 is before the issue date",
        "SO-YT cannot both lead and coordinate",
        "no directive 1890~UBND-VX",
        "a department may not report progress",
    ):
        assert english_words(seen), seen
    for vietnamese in (
        "Thời hạn 1/1/2020 sớm hơn ngày ban hành 4/3/2024.",
        "Sở Y tế không thể vừa chủ trì vừa phối hợp.",
        "Không tìm thấy văn bản số 1890/UBND-VX.",
        "Chưa chọn ngày. Chúc may mắn, than đá, can thiệp, in ấn, to lớn, an toàn, ổn định.",
    ):
        assert english_words(vietnamese) == [], vietnamese


def test_a_refusal_writes_its_days_the_readers_way_and_units_by_name() -> None:
    """ "the deadline 2020-01-01 is before the issue date" and "SO-YT cannot both lead and
    coordinate" as a Vietnamese and an English reader are told them."""
    before = InvalidDirectiveError(
        "deadline_before_issue", deadline=date(2020, 1, 1), issued_on=date(2026, 10, 18)
    )
    assert str(before) == "the deadline 2020-01-01 is before the issue date"  # logs, API detail
    assert said_error("vi", before) == "Thời hạn 1/1/2020 sớm hơn ngày ban hành 18/10/2026."
    assert said_error("en", before) == (
        "The deadline, Jan\u00a01,\u00a02020, is before the issue date, Oct\u00a018,\u00a02026."
    )
    both = InvalidDirectiveError("lead_also_coordinates", unit="SO-YT")
    names = {"SO-YT": "Sở Y tế", "SO-CT": "Sở Công Thương"}.get
    assert refusal("vi", both.code, both.case, both.values, lambda c: names(c) or c) == (
        "Sở Y tế không thể vừa chủ trì vừa phối hợp."
    )
    lead = NotLeadUnitError("not_lead", lead_unit="SO-CT", unit="SO-YT")
    assert refusal("vi", lead.code, lead.case, lead.values, lambda c: names(c) or c) == (
        "Chỉ đơn vị chủ trì (Sở Công Thương) được làm việc này; Sở Y tế thì không."
    )


def test_an_error_raised_the_old_way_keeps_its_text_and_says_only_its_rule() -> None:
    """An English sentence given where a case belongs (a module not yet moved to cases) is the
    error's text for logs, and a page says the rule it broke rather than the English."""
    old = InvalidDirectiveError("the deadline is wrong")
    assert str(old) == "the deadline is wrong"
    assert old.case == ""
    assert said_error("vi", old) == MESSAGES["rule.invalid-directive"][0]


def test_a_moment_in_a_refusal_is_the_citys_time() -> None:
    """A value that is a moment is written in UTC+7."""
    said = refusal(
        "vi",
        "version-not-found",
        "before_issue",
        {"reference": "1/UBND-VX", "at": datetime(2024, 3, 4, 2, 0, tzinfo=UTC)},
    )
    assert said == "Văn bản 1/UBND-VX được ban hành sau 09:00\u00a04/3/2024."

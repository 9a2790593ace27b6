"""The one rule for the text a command carries, whoever calls it: the API, the pages, the CLI or
the demo.

A text is Unicode NFC and trimmed, at most its field's length, and holds no control character:
no C0 control (a tab or a line break only in a field that allows several lines, where every line
break is stored as "\\n"), no DEL, no C1 control, no bidirectional embedding or override (they
make a title read otherwise than it is stored), and no lone surrogate (not a character: UTF-8
cannot carry it). A refusal names the field and says what is wrong (``InvalidTextError``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from domain.shared.errors import InvalidTextError


@dataclass(frozen=True, slots=True)
class TextRule:
    """How long a field's text may be, whether it may span lines, and whether it may be empty."""

    limit: int
    lines: bool = False
    required: bool = False


# How a command names an attached file: by its content's SHA-256 (directives and petitions alike).
ATTACHMENT_DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")

PROSE = TextRule(20_000, lines=True)
NOTE = TextRule(5_000, lines=True)
CODE = TextRule(64, required=True)
NAME = TextRule(300, required=True)
# A person's title ("Phó Chủ tịch UBND Thành phố"), which an account may lack: a field named
# "title" like a directive's, under a rule of its own (``checked(..., rule=PERSON_TITLE)``).
PERSON_TITLE = TextRule(200)

RULES: dict[str, TextRule] = {
    "title": TextRule(1_000, required=True),
    "content": PROSE,
    "issuer": TextRule(200, required=True),
    "narrative": PROSE,
    "summary": TextRule(20_000, lines=True, required=True),  # what a completion report says
    "answer": PROSE,
    "reason": NOTE,
    "note": NOTE,
    "message": NOTE,
    "question": TextRule(5_000, lines=True, required=True),  # what an explanation is asked of
    "display_name": TextRule(200),
    "name_vi": NAME,
    "name_en": NAME,
    "reference": TextRule(100, required=True),  # before its spaces are taken out (64 after)
    "lead_unit": CODE,
    "coordinating_units": CODE,
    "to_unit": CODE,
    "unit": CODE,
    "code": CODE,
    "parent": CODE,
    "request_id": TextRule(200, required=True),
    "actor": CODE,
    # petitions
    "subject": TextRule(1_000),  # the decision complained of, or who is denounced
    "competent_body": TextRule(300),
    "body": TextRule(300),  # the body a petition is guided (required) or transferred to
    "handler": CODE,
    "excused_delay": NOTE,
    # The number of a decision: a petition's result, or the government's on a swap of working
    # days (12729/VPCP-KGVX), which must name it.
    "decision_reference": TextRule(100),
    # A person's (domain.shared.personal.Person): a missing name is refused as a case of its
    # own; the number and the phone are then held to their forms.
    "full_name": TextRule(200),
    "address": TextRule(500),
    "phone": TextRule(40),
    "id_number": TextRule(40),
    # a reorganisation of units (docs/units.md), and the hand-over of a case it makes
    "predecessors": CODE,
    "predecessor": CODE,
    "successors": CODE,
    "successor": CODE,
    "from_unit": CODE,
    "basis": TextRule(300, required=True),
    # a comment in a directive's discussion (issue 27)
    "text": TextRule(5_000, lines=True, required=True),
    # the digital-transformation index (domain.dti): a component's code, the evidence the unit
    # gives with its value, the addresses it links
    "component": CODE,
    "components": CODE,
    "evidence": PROSE,
    "links": TextRule(2_000),
    "index": TextRule(63, required=True),
}

# A field some commands must fill though others may leave it empty, by the aggregate's method
# that takes it (``Command.method``): a withdrawal cannot be undone, so it says why, and a swap of
# working days withdrawn says why the decision no longer holds; a request for a later deadline or
# a reassignment may go without a reason.
REQUIRED_IN: frozenset[tuple[str, str]] = frozenset(
    {
        ("withdraw", "reason"),
        ("extend", "reason"),
        ("receive", "content"),
        ("guide", "body"),
        ("suspend", "reason"),
        ("declare_swap", "decision_reference"),
        ("withdraw_swap", "reason"),
        ("mark_same_matter", "reason"),
        ("unmark_same_matter", "reason"),
        ("answer_return", "answer"),
        ("adjust_value", "reason"),
        ("send_back", "reason"),
        ("correct_value", "reason"),
    }
)

# Never in any text. U+2028 and U+2029 are line breaks of their own: "\n" where lines are allowed.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_BREAKS = re.compile("\r\n?|[\u2028\u2029]")
_LINE_BREAK = re.compile("[\t\n]")


# A field under another rule in one command than its own: a person's title, which an account may
# lack, where a directive's title is required.
RULES_IN: dict[tuple[str, str], TextRule] = {("change_profile", "title"): PERSON_TITLE}


def rule_of(field: str, method: str = "") -> TextRule:
    """The rule of a field's text, in the command ``method`` names if that command has its own."""
    rule = RULES_IN.get((method, field)) or RULES[field]
    return replace(rule, required=True) if (method, field) in REQUIRED_IN else rule


def checked(field: str, value: object, rule: TextRule | None = None, *, method: str = "") -> str:
    """``value`` as the field's text: NFC, trimmed, within its rule (``rule``: another than the
    field's own; else in ``method``'s command, if it has its own: ``REQUIRED_IN``); else
    InvalidTextError."""
    rule = rule_of(field, method) if rule is None else rule
    if not isinstance(value, str):
        raise InvalidTextError(field, "not_text")
    text = _BREAKS.sub("\n", value) if rule.lines else value
    bad = _FORBIDDEN.search(text)
    if bad is not None:
        code = ord(bad[0])
        problem = "surrogate" if 0xD800 <= code <= 0xDFFF else "control"
        raise InvalidTextError(field, problem, character=f"U+{code:04X}", at=bad.start() + 1)
    text = unicodedata.normalize("NFC", text).strip()
    if not rule.lines:
        broken = _LINE_BREAK.search(text) or _BREAKS.search(text)
        if broken is not None:
            raise InvalidTextError(
                field, "line_break", character=f"U+{ord(broken[0][0]):04X}", at=broken.start() + 1
            )
    if rule.required and not text:
        raise InvalidTextError(field, "empty")
    if len(text) > rule.limit:
        raise InvalidTextError(field, "too_long", limit=rule.limit, length=len(text))
    return text

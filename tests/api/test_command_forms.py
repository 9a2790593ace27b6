"""The pages' forms are derived from the commands' dataclasses, as the API's schemas are: the
same fields, the same bounds, in both languages."""

from __future__ import annotations

import re

import pytest

from api.commands import POSTED, request_model
from api.web.i18n import message
from api.web.pages.directives import ACTIONS, FILE_FORMS, FORM_FIELDS
from tests.api.conftest import Api
from tests.api.test_pages import REF, issue, page_of, visitor


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_form_asks_for_its_commands_fields(name: str) -> None:
    """A form's fields are its command's request fields (with the path's number, hidden), but
    the bare digests, which the API alone takes, and the files, which a form sends as files
    (a file input on every form whose command files files, and on no other)."""
    action = ACTIONS[name]
    command = next(p.command for p in POSTED if p.suffix == action.suffix)
    asked = {f.name for f in FORM_FIELDS[name]}
    fields = set(request_model(command).model_fields)
    assert ("files" in fields) == (name in FILE_FORMS)
    expected = fields - {"attachments", "files"}
    if action.numbered:
        expected.add("number")
    assert asked == expected
    for field in FORM_FIELDS[name]:
        if field.kind != "hidden":  # every field a person fills in has a label in both languages
            assert message("vi", f"field.{field.name}") != message("en", f"field.{field.name}")


def test_the_progress_form_takes_its_bounds_from_the_command(api: Api) -> None:
    """The percent field is bounded 0-100 because the command's request model is, and starts
    at the percent last reported."""
    assert issue(visitor(api, "leader.chutich")).status_code == 303
    officer = visitor(api, "so-ct.canbo")
    assert officer.post(page_of(REF) + "/acknowledge", {}).status_code == 303
    page = officer.get(page_of(REF)).text
    form = page[page.index('id="form-progress"') :]
    form = form[: form.index("</form>")]
    assert re.search(
        r'name="percent" type="number" min="0" max="100" step="1" required value="0"', form
    )
    assert 'name="narrative"' in form

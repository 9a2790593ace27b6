"""``/todo`` ("Việc cần làm"): what waits for the signed-in person, queue by queue, oldest first,
each item with its title and its next step first, so that a phone shows them without scrolling
sideways. The steps that need no more than a click (accept a completion report, grant the
extension asked for, acknowledge receipt) are forms right here, which come back here; the others
open the directive's or the petition's page at their form."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from api.fastpath import CityDay
from api.http import read_models
from api.params import DONE
from api.resources.todo import todo_of
from api.web.pages.base import Pages, signed_in
from domain.shared.actors import Actor
from domain.shared.clock import Clock
from readmodels.open import OversightView
from readmodels.todo import Windows

# The form on a directive's page each step opens (``api.routes.FORMS``).
FORM_OF = {
    "decide_completion": "decide_completion",
    "decide_extension": "decide_extension",
    "remind": "remind",
    "read_explanation": "history",
    "acknowledge": "acknowledge",
    "answer_explanation": "explain_answer",
    "report_progress": "progress",
}


class TodoPage:
    def __init__(
        self,
        pages: Pages,
        view: OversightView | None,
        clock: Clock,
        windows: Windows,
        dti: Callable[[Actor], int] | None = None,
    ) -> None:
        """``dti``: how many assessments of the digital-transformation index wait for the
        person (``DtiDesk.queue``: read from the log, not a read model, so shown beside the
        queues and outside their count, with the way to ``/dti/queue``)."""
        self.pages, self.view, self.day, self.windows = pages, view, CityDay(clock), windows
        self.dti = dti

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        view = read_models(self.view)
        today = self.day.today()
        position = view.position()
        queues = todo_of(view, actor, today, self.windows)
        total = sum(q.count for q in queues)
        self.pages.render(
            req,
            resp,
            "todo.html",
            queues=queues,
            total=total,
            today=today,
            position=position,
            windows=self.windows,
            form_of=FORM_OF,
            done=DONE.read(req) or "",
            todo=total if queues else None,
            dti_waiting=self.dti(actor) if self.dti is not None else 0,
        )

"""The inspector's pages: the audit trail searched, the log verified (with a checkpoint kept),
checkpoints signed and downloaded, the public key, proofs as files, and a directive's versions."""

from __future__ import annotations

from functools import cache
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import falcon
import orjson
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from adapters.signing import Signer
from api.documents import plain
from api.fastpath import LatestCheckpoint
from api.http import ProblemError
from api.params import (
    ORDER,
    REFERENCE,
    TRAIL_ACTION,
    TRAIL_ACTOR,
    TRAIL_AFTER,
    TRAIL_BEFORE,
    TRAIL_DIRECTIVE,
    TRAIL_FROM,
    TRAIL_TO,
    UNIT,
    VERSION,
    given,
)
from api.resources.audit import Audit, trail_filters
from api.resources.directives import load_visible
from api.web.changes import Words
from api.web.formats import Language, told_days
from api.web.i18n import coverage_said
from api.web.pages.base import Pages, language, posted_form, signed_in, to_path
from domain.application import Thucthi
from domain.directives.directive import Directive
from domain.narration import ACTION_NAMES, Sentence, tell, unit_sentences
from projections.audit import SigningRefusedError, checkpoint_document, coverage
from projections.trail import changes, fields_of

TRAIL_SHOWN = 50


class Inspector:
    """``/inspector`` and what it offers: verifying, signing, and the files it hands out."""

    def __init__(
        self,
        pages: Pages,
        *,
        audit: Audit,
        signer: Signer | None,
        checkpoint: LatestCheckpoint,
    ) -> None:
        """``audit``: the API's audit resource, whose store, verification and proofs these are."""
        self.pages, self.audit, self.signer, self.checkpoint = pages, audit, signer, checkpoint

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.show(req, resp)

    def show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        *,
        verified: dict[str, Any] | None = None,
        kept: str = "",
        status: int = 200,
    ) -> None:
        """The trail as asked (a page of it, newest first unless asked otherwise), and what a
        verification found."""
        store = self.audit.store
        chosen = given(
            req, (TRAIL_ACTOR, UNIT, TRAIL_DIRECTIVE, TRAIL_ACTION, TRAIL_FROM, TRAIL_TO)
        )
        filters = trail_filters(req, UNIT.read(req))
        newest_first = ORDER.read(req) != "asc"
        entries = store.entries(
            filters,
            after=TRAIL_AFTER.read(req),
            before=TRAIL_BEFORE.read(req),
            limit=TRAIL_SHOWN + 1,
            newest_first=newest_first,
        )
        more = len(entries) > TRAIL_SHOWN
        entries = entries[:TRAIL_SHOWN]
        following = None
        if more:
            params = {**chosen, "order": "desc" if newest_first else "asc"}
            params["before" if newest_first else "after"] = str(entries[-1].position)
            following = "/inspector?" + urlencode(params)
        latest = store.latest_checkpoint()
        app = self.audit.app
        covered = coverage(store, app.name, app.max_notification_id())
        words = words_for(self.pages, app, language(req))
        self.pages.render(
            req,
            resp,
            "inspector.html",
            status,
            entries=[
                (e, words.changes(e.changes, e.kind))
                for e in self.audit.describe(entries, told_days)
            ],
            chosen=chosen,
            newest_first=newest_first,
            following=following,
            latest=None if latest is None else plain(checkpoint_document(latest)),
            coverage=coverage_said(language(req), covered, whole_log=True),
            verified=verified,
            kept=kept,
            signer=self.signer,
            actions=action_choices(language(req)),
        )

    def on_post_verify(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = posted_form(req)
        kept = str(form.get("kept", "")).replace("\r\n", "\n").strip()
        signer = self.signer
        if signer is None:
            raise ProblemError(503, "no-signing-key", "This server was started without its key")
        document = self.audit.verification(kept + "\n" if kept else None)
        self.show(req, resp, verified=document, kept=kept, status=200 if document["ok"] else 409)

    def on_post_sign_checkpoint(self, req: falcon.Request, resp: falcon.Response) -> None:
        posted_form(req)
        if self.signer is None:
            raise ProblemError(503, "no-signing-key", "This server was started without its key")
        try:
            self.audit.projection().sign_now()
        except SigningRefusedError as e:
            raise ProblemError(409, "signing-refused", "Signing is refused", str(e)) from e
        self.checkpoint.forget()
        raise falcon.HTTPSeeOther("/inspector?done=signed")

    def on_get_checkpoint_file(self, req: falcon.Request, resp: falcon.Response) -> None:
        latest = self.audit.store.latest_checkpoint()
        if latest is None:
            raise ProblemError(404, "no-checkpoint", "No checkpoint has been signed yet")
        resp.content_type = "text/plain; charset=utf-8"
        resp.text = latest.note
        resp.set_header(
            "Content-Disposition", f'attachment; filename="checkpoint-{latest.tree_size}.txt"'
        )

    def on_get_public_key_file(self, req: falcon.Request, resp: falcon.Response, kind: str) -> None:
        """The log's public key: the verifier key line the standalone verifier takes (``vkey``),
        or the same key as PEM for other tools."""
        signer = self.signer
        if signer is None:
            raise ProblemError(503, "no-signing-key", "This server was started without its key")
        if kind == "vkey":
            resp.content_type = "text/plain; charset=utf-8"
            resp.text = signer.vkey + "\n"
        elif kind == "pem":
            resp.content_type = "application/x-pem-file"
            resp.data = signer.public_key.public_bytes(
                Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
            )
        else:
            raise falcon.HTTPNotFound
        resp.set_header("Content-Disposition", f'attachment; filename="thucthi-log.{kind}"')

    def on_get_proof(self, req: falcon.Request, resp: falcon.Response, kind: str) -> None:
        """A proof as a file the standalone verifier reads (the API's document, downloaded)."""
        if kind == "inclusion":
            document = self.audit.inclusion_document(req)
            name = f"inclusion-{document['position']}-{document['tree_size']}.json"
        elif kind == "consistency":
            document = self.audit.consistency_document(req)
            name = f"consistency-{document['from']}-{document['to']}.json"
        else:
            raise falcon.HTTPNotFound
        resp.content_type = falcon.MEDIA_JSON
        resp.data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
        resp.set_header("Content-Disposition", f'attachment; filename="{name}"')


class History:
    """``/inspector/directives/{ref}``: a directive's versions, one at a time, moved through with
    a slider; ``/inspector/directives`` looks a reference up."""

    def __init__(self, pages: Pages, app: Thucthi) -> None:
        self.pages, self.app = pages, app

    def on_get(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        actor = signed_in(req)
        current = load_visible(self.app, actor, ref)
        asked = VERSION.read(req)
        version = asked if asked is not None and asked <= current.version else current.version
        events = self.app.history(current.id)
        event = events[version - 1]
        state = self.app.get_directive(current.id, version=version)
        before = (
            {}
            if version == 1
            else fields_of(self.app.get_directive(current.id, version=version - 1))
        )
        after = fields_of(state)
        names = unit_sentences(self.app.unit_registry())
        lang = language(req)
        said = tell(event, event.actor, names, told_days)
        words = words_for(self.pages, self.app, lang)
        self.pages.render(
            req,
            resp,
            "history.html",
            d=current,
            version=version,
            event=event,
            said=said.vi if lang == "vi" else said.en,
            state=words.state(after),
            changed=words.changes(changes(before, after)),
        )

    def on_get_lookup(self, req: falcon.Request, resp: falcon.Response) -> None:
        reference = REFERENCE.read(req) or ""
        if not reference:
            raise falcon.HTTPSeeOther("/inspector")
        raise falcon.HTTPSeeOther(f"/inspector/directives/{to_path(reference)}")


_DIRECTIVE_EVENTS = tuple(
    value
    for value in vars(Directive).values()
    if isinstance(value, type)
    and issubclass(value, Directive.Event)
    and value is not Directive.Event
    and value.__name__ not in {"Created", "Snapshot"}
)


def action_choices(lang: Language) -> list[tuple[str, str]]:
    """The trail's action filter: each kind of directive event by its name (the value the
    filter sends) and in words, in the order of a directive's life."""
    choices = []
    for kind in _DIRECTIVE_EVENTS:  # in the order the aggregate declares them
        said = ACTION_NAMES.get(kind.__name__, Sentence(kind.__name__, kind.__name__))
        choices.append((kind.__name__, said.vi if lang == "vi" else said.en))
    return choices


def words_for(pages: Pages, app: Thucthi, lang: Language) -> Words:
    """Fields and values in the reader's language, units and people named as the pages do, a
    parent directive by its reference."""
    names = pages.unit_names(lang)

    def reference_of(directive_id: UUID) -> str | None:
        parent = app.saved_directive(directive_id)
        return None if parent is None else parent.reference

    return Words(
        lang,
        unit_name=lambda code: names.get(code, code),
        person=cache(pages.person),  # for this page: a person is looked up once
        reference_of=reference_of,
    )

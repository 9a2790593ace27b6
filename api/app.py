"""The Falcon WSGI application: ``create_app`` builds every resource with the collaborators it
needs, and maps errors to answers once (``add_error_handlers``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import falcon
import orjson

from adapters.idempotency import (
    open_store,
)
from adapters.pdf import PdfDocuments
from adapters.signing import Signer
from api import auth
from api.commands import ACCOUNT_POSTED, DTI_POSTED, PETITION_POSTED, POSTED, UNIT_POSTED
from api.fastpath import (
    AnswerCache,
    AnsweredBefore,
    AtMostEverySecond,
    CityDay,
    EachReaderEverySecond,
    KeptPage,
    LatestCheckpoint,
    Positions,
    Standing,
)
from api.filing import DirectiveFiling
from api.http import (
    CONNECTION_LOST,
    ProblemError,
    from_domain,
    from_parameter,
    render,
)
from api.idempotency import (
    WAIT_SECONDS,
    WAITERS,
    Claims,
)
from api.limits import LookupLimiter
from api.observability import Metrics, configure_logging, log_request
from api.params import (
    LANG,
    ParameterError,
)
from api.petition_filing import PetitionFiling, filed_documents
from api.pipeline import Pipeline
from api.read_positions import ReadPositions
from api.report_filing import ReportFiling
from api.resources.accounts import (
    AccountCommandResource,
    Directory,
    Me,
    OneUser,
    PasswordReset,
    SavedViews,
    Session,
    Users,
)
from api.resources.audit import Audit, WhyLateResource
from api.resources.calendar import Calendar, CalendarCommand
from api.resources.directives import DirectiveCommand, Directives, OneDirective
from api.resources.documents import Documents, FiledDirectiveDocument
from api.resources.dti import (
    AssessmentAnswers,
    AssessmentCommandResource,
    Assessments,
    Frameworks,
    OneAssessment,
    OneFramework,
    Publications,
    Results,
)
from api.resources.files import DirectiveFiles, Uploads
from api.resources.lienthong import LienThong
from api.resources.lookup import PublicLookupResource
from api.resources.notifications import Notifications
from api.resources.operations import Events, Health, MetricsResource, OpenAPI, Readiness, Ready
from api.resources.oversight import Oversight, Units
from api.resources.petitions import (
    OnePetition,
    PetitionAnswers,
    PetitionCommandResource,
    Petitions,
    today_of,
)
from api.resources.petitions_oversight import PetitionsOversight
from api.resources.reports import IssuedReports
from api.resources.todo import Todo, todo_counter
from api.resources.units import Reorganisation, UnitCommandResource
from api.web.i18n import language_of
from api.web.pages.admin import AdminPages
from api.web.pages.base import Pages, domain_refusal, language
from api.web.pages.dashboard import Dashboard
from api.web.pages.directives import DirectiveList, DirectivePage, NewDirective
from api.web.pages.dti import AssessmentPage, DtiPages
from api.web.pages.filed import FiledDocumentPages
from api.web.pages.inspector import History, Inspector
from api.web.pages.notifications import NotificationsPage
from api.web.pages.petition_desk import NewPetition, Officers, PetitionPage
from api.web.pages.petitions import PetitionPages
from api.web.pages.public import LookupPages, ReceiptPage
from api.web.pages.reports import PeriodicReport
from api.web.pages.session import SessionPages
from api.web.pages.static import Static
from api.web.pages.todo import TodoPage
from api.web.pages.units import UnitPage
from api.web.session import is_page
from api.writes import Commands, ReadYourWrites
from bootstrap import Services
from domain.calendar.commands import DeclareSwap, WithdrawSwap
from domain.documents.layout import DocumentRenderer
from domain.petitions.lookup import PublicLookup, earlier_of, matter_of
from domain.shared.errors import DomainError
from domain.units.commands import MergeUnits, SplitUnit, SucceedUnit
from readmodels.index import IndexWeights
from readmodels.petitions import DEFAULT_DUE_SOON_DAYS
from readmodels.todo import Windows


@dataclass
class AppConfig:
    """What the web application is built from: the services (``bootstrap.open_services``) and
    the HTTP settings; tests pass their own."""

    services: Services
    ready_lag: int = 10_000  # events any projection may be behind while /readyz says ready
    # Seconds the follower's heartbeat may be old while /readyz says ready; None: no follower is
    # expected (tests, whose commands project for themselves).
    follower_timeout: float | None = None
    sign_in_limit: int = auth.ACCOUNT_LIMIT  # failed sign-ins per account per minute
    sign_in_address_limit: int = auth.ADDRESS_LIMIT  # failed sign-ins per client address
    index_weights: IndexWeights = field(default_factory=IndexWeights)
    # Working days before the last day of a petition's term that it counts as due soon.
    petition_due_soon_days: int = DEFAULT_DUE_SOON_DAYS
    todo_windows: Windows = field(default_factory=Windows)  # what waits (readmodels.todo)
    idempotency_waiters: int = WAITERS  # threads that may wait for a busy key; 0: answer at once
    idempotency_wait: float = WAIT_SECONDS
    # Typesets the documents' PDFs (docs/documents.md).
    documents: DocumentRenderer = field(default_factory=PdfDocuments)
    # Sign and file a directive's document as it is issued (api.filing): the server does when
    # signers' keys are configured (``signing_configured``); tests that want it say so.
    file_documents: bool = False

    @property
    def signer(self) -> Signer | None:
        return self.services.signer


def create_app(config: AppConfig) -> AnsweredBefore:  # noqa: PLR0915 - every route, in one place
    """Build the WSGI application around the open services: every resource is given the
    collaborators it needs, here and only here."""
    configure_logging()
    services = config.services
    app, trail, signer = services.app, services.trail, services.signer
    # What the projections write, read-your-writes waits on and readiness measures: the
    # primary's read models. Everything else reads ``view``: the standby's chosen for the
    # request when standbys are named (adapters.standbys), else the same.
    written = services.view
    reads = services.reads
    view = written if reads is None else reads.view
    positions = Positions(services.freshness, reads)
    checked_tokens = auth.CheckedTokens()
    metrics = Metrics()
    limiter = auth.SignInLimiter(
        app, per_account=config.sign_in_limit, per_address=config.sign_in_address_limit
    )
    claims = Claims(
        services.idempotency or open_store(None, events_table="", head=app.max_notification_id),
        waiters=config.idempotency_waiters,
        wait=config.idempotency_wait,
    )
    commands = Commands(
        app,
        claims,
        ReadYourWrites(
            app, written, services.freshness, stored=None if reads is None else reads.wrote
        ),
    )
    checkpoint = LatestCheckpoint(trail)

    def authenticate(token: str, command: bool) -> auth.Authenticated | None:
        return auth.authenticate(app, token, checked_tokens, command=command)

    pipeline = Pipeline(authenticate, metrics)
    api = falcon.App(middleware=[pipeline])
    api.req_options.strip_url_path_trailing_slash = True
    handler = falcon.media.JSONHandler(dumps=orjson.dumps, loads=orjson.loads)
    api.req_options.media_handlers[falcon.MEDIA_JSON] = handler
    api.resp_options.media_handlers[falcon.MEDIA_JSON] = handler

    api.add_route("/api/session", Session(app, commands, limiter, checked_tokens))
    api.add_route("/api/me", Me(app))
    api.add_route("/api/me/todo", Todo(view, CityDay(app.clock), config.todo_windows))
    api.add_route("/api/notifications", Notifications(services.notifications))
    directory = Directory(app)
    api.add_route("/api/users", Users(app, commands, directory))
    api.add_route("/api/users/{username}", OneUser(app))
    api.add_route("/api/users/{username}/password-reset", PasswordReset(app, commands))
    views = SavedViews(app, commands)
    api.add_route("/api/me/views", views)
    api.add_route("/api/me/views/{name}", views, suffix="one")
    for suffix, command in ACCOUNT_POSTED.items():
        api.add_route(
            f"/api/users/{{username}}{suffix}", AccountCommandResource(app, commands, command)
        )
    # Signs and files a directive's documents: as it is issued where ``file_documents`` says so,
    # and when the committee asks (a pending one, an amendment, a replacement, a revocation).
    documents_filing = DirectiveFiling(
        app,
        config.documents,
        services.document_signer,
        services.settings.documents.seal,
        lambda: services.settings.public.url,
    )
    filing = documents_filing if config.file_documents else None
    api.add_route(
        "/api/directives", Directives(app, view, commands, filing=filing, positions=positions)
    )
    one = OneDirective(app)
    api.add_route("/api/directives/{ref}", one)
    api.add_route("/api/directives/{ref}/history", one, suffix="history")
    filed_document = FiledDirectiveDocument(
        app, commands, documents_filing, lambda: services.settings.public.url
    )
    api.add_route("/api/directives/{ref}/document", filed_document)
    for suffix in ("amendments", "replacement", "revocation"):
        api.add_route(f"/api/directives/{{ref}}/document/{suffix}", filed_document, suffix=suffix)
    api.add_route("/api/files", Uploads(app))
    directive_files = DirectiveFiles(app, trail)
    api.add_route("/api/directives/{ref}/files", directive_files)
    api.add_route("/api/directives/{ref}/files/{digest}", directive_files, suffix="file")
    api.add_route("/api/directives/{ref}/files/{digest}/proof", directive_files, suffix="proof")
    for posted in POSTED:
        api.add_route("/api/directives/{ref}" + posted.suffix, DirectiveCommand(commands, posted))
    today = today_of(app)
    lookup, lookup_limiter = public_lookup(services)
    public_url = lambda: services.settings.public.url  # noqa: E731 - read when asked: a setting
    # A petition's receipt and result are signed and filed as they are made, as a directive is.
    petition_filing = (
        PetitionFiling(
            app,
            config.documents,
            services.document_signer,
            lookup=lookup,
            usernames=directory.usernames,
            public_url=public_url,
        )
        if config.file_documents
        else None
    )
    answers = PetitionAnswers(commands, app.working_calendar, today, filing=petition_filing)
    one_petition = OnePetition(app, app.working_calendar, today)
    api.add_route("/api/petitions/{receipt}", one_petition)
    api.add_route("/api/petitions/{receipt}/candidates", one_petition, suffix="candidates")
    for petition_command in PETITION_POSTED:
        api.add_route(
            f"/api/petitions/{{receipt}}/{petition_command.name}",
            PetitionCommandResource(answers, petition_command),
        )
    oversight = Oversight(
        view=view,
        trail=trail,
        log_name=app.name,
        answers=AnswerCache(),
        positions=positions,
        day=CityDay(app.clock),
        checkpoint=checkpoint,
        weights=config.index_weights,
    )
    api.add_route("/api/oversight", oversight)
    api.add_route("/api/oversight/index", oversight, suffix="index")
    api.add_route("/api/oversight/late", oversight, suffix="late")
    api.add_route("/api/oversight/due-soon", oversight, suffix="due_soon")
    petitions = PetitionsOversight(
        view=view,
        trail=trail,
        log_name=app.name,
        answers=AnswerCache(),
        positions=positions,
        day=CityDay(app.clock),
        checkpoint=checkpoint,
        due_soon_days=config.petition_due_soon_days,
    )
    api.add_route("/api/petitions", Petitions(answers, petitions))
    api.add_route("/api/petitions/queue", petitions, suffix="queue")
    api.add_route("/api/petitions/dashboard", petitions, suffix="dashboard")
    units = Units(app, view)
    api.add_route("/api/units", units)
    api.add_route("/api/units/{code}/inbox", units, suffix="inbox")
    audit = Audit(app=app, view=view, trail=trail, signer=signer, checkpoint=checkpoint)
    api.add_route("/api/audit", audit)
    api.add_route("/api/audit/public-key", audit, suffix="public_key")
    api.add_route("/api/audit/checkpoint", audit, suffix="checkpoint")
    api.add_route("/api/audit/proof/inclusion", audit, suffix="inclusion")
    api.add_route("/api/audit/proof/consistency", audit, suffix="consistency")
    api.add_route("/api/audit/verify", audit, suffix="verify")
    late = WhyLateResource(app, view)
    api.add_route("/api/directives/{ref}/why-late", late, suffix="directive")
    api.add_route("/api/units/{code}/why-late", late, suffix="unit")
    api.add_route("/api/events", Events(app))
    api.add_route("/api/lookup", PublicLookupResource(lookup, lookup_limiter, app.unit_registry))
    documents = Documents(
        app, config.documents, lookup, public_url, lambda req: language_of(LANG.read(req))
    )
    api.add_route("/api/directives/{ref}/document.pdf", documents, suffix="directive")
    api.add_route("/api/petitions/{receipt}/receipt.pdf", documents, suffix="receipt")
    api.add_route("/api/petitions/{receipt}/result.pdf", documents, suffix="result")
    api.add_route("/api/petitions/lien-thong", LienThong(app, trail, services.settings.origin))
    api.add_route("/api/calendar", Calendar(app))
    api.add_route("/api/units/mergers", Reorganisation(app, commands, MergeUnits))
    api.add_route("/api/units/splits", Reorganisation(app, commands, SplitUnit))
    api.add_route("/api/units/successions", Reorganisation(app, commands, SucceedUnit))
    for suffix, unit_command in UNIT_POSTED.items():
        api.add_route("/api/units" + suffix, UnitCommandResource(app, commands, unit_command))
    api.add_route("/api/calendar/swaps", CalendarCommand(app, commands, DeclareSwap))
    api.add_route("/api/calendar/withdrawals", CalendarCommand(app, commands, WithdrawSwap))
    # The digital-transformation index (domain.dti, docs/dti.md).
    api.add_route("/api/dti/frameworks", Frameworks(app, commands))
    api.add_route("/api/dti/frameworks/{index}/{version}", OneFramework(app))
    assessment_answers = AssessmentAnswers(app, commands)
    api.add_route("/api/dti/assessments", Assessments(assessment_answers))
    api.add_route("/api/dti/assessments/{key}", OneAssessment(app))
    for dti_command in DTI_POSTED:
        api.add_route(
            f"/api/dti/assessments/{{key}}/{dti_command.name}",
            AssessmentCommandResource(assessment_answers, dti_command),
        )
    api.add_route("/api/dti/publications", Publications(app, commands))
    dti_results = Results(app)
    api.add_route("/api/dti/results", dti_results)
    api.add_route("/api/dti/results/rescored", dti_results, suffix="rescored")
    api.add_route("/api/dti/results/what-if", dti_results, suffix="what_if")
    api.add_route("/api/dti/queue", dti_results, suffix="queue")
    api.add_route("/api/openapi.json", OpenAPI())
    api.add_route("/healthz", Health(app))
    readiness = Readiness(
        app=app,
        view=written,
        trail=trail,
        heartbeat=services.heartbeat,
        signer=signer,
        ready_lag=config.ready_lag,
        follower_timeout=config.follower_timeout,
    )
    api.add_route("/readyz", Ready(readiness))
    api.add_route("/metrics", MetricsResource(readiness, metrics, reads))
    # The pages, by area; who may open each is api.routes.PAGES, checked by the pipeline.
    counter = todo_counter(view, app.clock, config.todo_windows, positions)
    pages = Pages(app.unit_registry, app.cached_user, todo=counter)
    session = SessionPages(pages, app, limiter, checked_tokens)
    api.add_route("/", session, suffix="home")
    api.add_route("/sign-in", session, suffix="sign_in")
    api.add_route("/sign-out", session, suffix="sign_out")
    api.add_route("/language", session, suffix="language")
    # Pages kept per reader, question and position (api.fastpath.KeptPage): every page made from
    # the log, and the inspector's, the notifications' and a petition's case file with what else
    # they show (the audit trail's progress, the reader's notices, the persons the vault has not
    # erased). Not the sign-in page (its form's token is the visitor's own).
    standing = Standing(view, positions, CityDay(app.clock), checkpoint)
    dashboard = Dashboard(
        pages,
        view=view,
        trail=trail,
        log_name=app.name,
        clock=app.clock,
        weights=config.index_weights,
        standing=standing,
    )
    kept_dashboard = KeptPage(dashboard, standing)
    api.add_route("/dashboard", kept_dashboard)
    api.add_route("/dashboard/export.{kind}", dashboard, suffix="export")
    periodic = PeriodicReport(
        pages,
        view=view,
        trail=trail,
        log_name=app.name,
        clock=app.clock,
        documents=config.documents,
        # The Office issues the report, signed and filed (api.report_filing).
        filing=ReportFiling(app, config.documents, services.document_signer, public_url),
        caught_up=commands.caught_up,
    )
    api.add_route("/reports/periodic", KeptPage(periodic, standing))
    api.add_route("/api/reports/periodic", IssuedReports(app, periodic, commands, public_url))
    api.add_route("/reports/periodic.pdf", periodic, suffix="pdf")
    directives = DirectiveList(pages, view, app.clock, app, commands)
    kept_list = KeptPage(directives, standing)
    api.add_route("/directives", kept_list)
    api.add_route("/directives/views", directives, suffix="views")
    api.add_route("/directives/views/delete", directives, suffix="views_delete")
    api.add_route(
        "/directives/new", KeptPage(NewDirective(pages, app, commands, view, filing), standing)
    )
    directive = DirectivePage(
        pages,
        app,
        view,
        commands,
        trail,
        filing=documents_filing,
        offer_documents=config.file_documents,
        public_url=public_url,
    )
    api.add_route("/directives/{ref}", KeptPage(directive, standing))
    api.add_route("/directives/{ref}/{action}", directive, suffix="action")
    api.add_route("/directives/{ref}/document/{action}", directive, suffix="document")
    api.add_route("/directives/{ref}/files/{digest}", directive, suffix="file")
    kept_intake = KeptPage(NewPetition(pages, app, commands, petition_filing), standing)
    api.add_route("/petitions/new", kept_intake)
    petition = PetitionPage(
        pages, one_petition, commands, Officers(app, directory), petition_filing
    )
    # A case file shows its petitioners, whose keys an erasure destroys after the event that
    # orders it (and from another process: ``thucthi personal-data erase``), so it is kept per
    # the vault's count of erasures too, read from the database at every request.
    vault = app.vault
    api.add_route(
        "/petitions/{receipt}",
        KeptPage(petition, standing, beside=lambda _reader: vault.erasures()),
    )
    api.add_route("/petitions/{receipt}/{action}", petition, suffix="action")
    api.add_route("/units/{code}", KeptPage(UnitPage(pages, app, view), standing))
    told = services.notifications
    kept_told = KeptPage(
        NotificationsPage(pages, told),
        standing,
        # Where the reader's notices stand, which the scheduler moves without moving the log:
        # asked at most once a second (a notice decided shows within a second).
        beside=EachReaderEverySecond(
            lambda reader: None if told is None else told.marker(reader.user_id)
        ),
    )
    api.add_route("/notifications", kept_told)
    kept_todo = KeptPage(
        TodoPage(
            pages, view, app.clock, config.todo_windows, dti=lambda actor: len(app.dti.queue(actor))
        ),
        standing,
    )
    api.add_route("/todo", kept_todo)
    # The digital-transformation index's pages (docs/dti.md).
    dti_pages = DtiPages(pages, app, commands)
    api.add_route("/dti", dti_pages)
    api.add_route("/dti/export.{kind}", dti_pages, suffix="export")
    api.add_route("/dti/queue", dti_pages, suffix="queue")
    api.add_route("/dti/start", dti_pages, suffix="start")
    api.add_route("/dti/publish", dti_pages, suffix="publish")
    dti_assessment = AssessmentPage(pages, app, commands)
    api.add_route("/dti/assessments/{key}", dti_assessment)
    api.add_route("/dti/assessments/{key}/{action}", dti_assessment, suffix="action")
    petition_pages = PetitionPages(
        pages,
        view=view,
        trail=trail,
        log_name=app.name,
        clock=app.clock,
        due_soon_days=config.petition_due_soon_days,
    )
    kept_petitions = {
        "/petitions": KeptPage(petition_pages, standing),
        "/petitions/queue": KeptPage(petition_pages, standing, "on_get_queue"),
        "/petitions/dashboard": KeptPage(petition_pages, standing, "on_get_dashboard"),
    }
    for path, kept in kept_petitions.items():
        api.add_route(path, kept)
    api.add_route("/petitions/export.{kind}", petition_pages, suffix="export")
    api.add_route("/petitions/dashboard/export.{kind}", petition_pages, suffix="dashboard_export")
    inspector = Inspector(pages, audit=audit, signer=signer, checkpoint=checkpoint)
    api.add_route(
        "/inspector",
        KeptPage(
            inspector,
            standing,
            beside=AtMostEverySecond(
                lambda: (
                    None if trail is None else trail.max_tracking_id(app.name),
                    app.max_notification_id(),
                )
            ),
        ),
    )
    api.add_route("/inspector/verify", inspector, suffix="verify")
    api.add_route("/inspector/checkpoint", inspector, suffix="sign_checkpoint")
    api.add_route("/inspector/checkpoint.txt", inspector, suffix="checkpoint_file")
    api.add_route("/inspector/public-key.{kind}", inspector, suffix="public_key_file")
    api.add_route("/inspector/proof/{kind}", inspector, suffix="proof")
    history = History(pages, app)
    api.add_route("/inspector/directives", history, suffix="lookup")
    api.add_route("/inspector/directives/{ref}", KeptPage(history, standing))
    filed_pages = FiledDocumentPages(
        pages,
        app,
        services.document_verifier,
        trail=trail,
        limiter=lookup_limiter,
        public_url=public_url,
        lookup=lookup,
        index=written,
    )
    api.add_route("/van-ban", filed_pages)
    api.add_route("/van-ban/{public_id}", filed_pages, suffix="document")
    lookups = LookupPages(
        pages, lookup, lookup_limiter, lambda receipt: filed_documents(app, receipt)
    )
    # The look-up's form, kept for everyone not signed in alike; what a look-up answers is
    # posted, and never kept.
    api.add_route("/tra-cuu", KeptPage(lookups, standing, public=True))
    api.add_route("/tra-cuu/{receipt}", KeptPage(lookups, standing, "on_get_code", public=True))
    api.add_route(
        "/petitions/{receipt}/receipt",
        ReceiptPage(pages, app, lookup, lambda: services.settings.public.url),
    )
    page_documents = Documents(app, config.documents, lookup, public_url, language)
    api.add_route("/directives/{ref}/document.pdf", page_documents, suffix="directive")
    api.add_route("/petitions/{receipt}/receipt.pdf", page_documents, suffix="receipt")
    api.add_route("/petitions/{receipt}/result.pdf", page_documents, suffix="result")
    api.add_route("/static/{name}", Static())
    admin = AdminPages(pages, app, commands, directory)
    kept_admin = {
        "/admin/users": KeptPage(admin, standing, "on_get_users"),
        "/admin/units": KeptPage(admin, standing, "on_get_units"),
    }
    api.add_route("/admin/users", kept_admin["/admin/users"])
    api.add_route("/admin/users/{username}", KeptPage(admin, standing, "on_get_user"))
    api.add_route("/admin/users/{username}/{action}", admin, suffix="user_action")
    api.add_route("/admin/units", kept_admin["/admin/units"])
    api.add_route("/admin/units/{action}", admin, suffix="unit_action")
    add_error_handlers(api, pages)
    return AnsweredBefore(
        api,
        pipeline,
        oversight,
        lambda token: authenticate(token, command=False),
        pages={
            "/dashboard": kept_dashboard,
            "/directives": kept_list,
            "/todo": kept_todo,
            "/notifications": kept_told,
            "/petitions/new": kept_intake,
            **kept_petitions,
            **kept_admin,
        },
        positions=None if reads is None else ReadPositions(reads, app.max_notification_id),
    )


def public_lookup(services: Services) -> tuple[PublicLookup, LookupLimiter]:
    """The petitions' public look-up and its rate limits (``bootstrap.PublicSettings``)."""
    app, settings = services.app, services.settings.public
    pin_key = services.lookup_key
    if pin_key is None:  # pragma: no cover - open_services always gives one
        raise RuntimeError("the services were opened without a look-up key")
    lookup = PublicLookup(
        petitions=app.petitions,
        vault=app.vault,
        pin_key=pin_key,
        calendar=app.working_calendar,
        linked=earlier_of(app.petitions)
        if services.view is None
        else matter_of(app.petitions, services.view.petitions.matter),
    )
    limiter = LookupLimiter(
        app.credentials,
        app.clock,
        lookup.counted_as,
        per_address=settings.per_address,
        address_window=timedelta(seconds=settings.address_window),
        per_code=settings.per_code,
        code_window=timedelta(seconds=settings.code_window),
    )
    return lookup, limiter


def add_error_handlers(app: falcon.App[falcon.Request, falcon.Response], pages: Pages) -> None:
    """Errors become answers here, once: problem+json for the API, a page for the pages."""

    def answer(req: falcon.Request, resp: falcon.Response, problem: ProblemError) -> None:
        """Every problem answered in one place: problem+json for the API, a page for pages."""
        if is_page(req.path):
            try:
                pages.error(req, resp, problem)
            except falcon.HTTPStatus:
                raise  # a page's way to say "sign in first": a redirect
            except Exception as e:  # the error page itself failed: answer plainly below
                log_request({"request_id": req.context.request_id, "event": "error page"}, error=e)
            else:
                return
        render(resp, problem, req.path)

    def on_problem(
        req: falcon.Request, resp: falcon.Response, ex: ProblemError, params: Any
    ) -> None:
        answer(req, resp, ex)

    def on_domain(req: falcon.Request, resp: falcon.Response, ex: DomainError, params: Any) -> None:
        answer(
            req, resp, domain_refusal(ex, language(req)) if is_page(req.path) else from_domain(ex)
        )

    def on_parameter(
        req: falcon.Request, resp: falcon.Response, ex: ParameterError, params: Any
    ) -> None:
        answer(req, resp, from_parameter(ex, language(req) if is_page(req.path) else "en"))

    def on_http(
        req: falcon.Request, resp: falcon.Response, ex: falcon.HTTPError, params: Any
    ) -> None:
        status = int(ex.status_code)
        code = (
            "not-found"
            if status == 404
            else re.sub(r"[^a-z]+", "-", str(ex.title).lower()).strip("-")
        )
        answer(
            req,
            resp,
            ProblemError(status, code or "http-error", str(ex.title), ex.description or ""),
        )

    def on_unexpected(
        req: falcon.Request, resp: falcon.Response, ex: Exception, params: Any
    ) -> None:
        log_request(
            {
                "request_id": getattr(req.context, "request_id", ""),
                "route": req.uri_template,
                "event": "unexpected error",
            },
            error=ex,
        )
        answer(
            req,
            resp,
            ProblemError(
                500,
                "internal-error",
                "Something went wrong on our side",
                "the request id says where to look",
            ),
        )

    def on_connection_lost(
        req: falcon.Request, resp: falcon.Response, ex: Exception, params: dict[str, Any]
    ) -> None:
        """A connection the database dropped (a restart, a failover): the pool replaces it, so
        the same request a moment later is answered. Say so rather than "our fault"."""
        log_request(
            {"request_id": getattr(req.context, "request_id", ""), "event": "connection lost"},
            error=ex,
        )
        answer(
            req,
            resp,
            ProblemError(
                503,
                "database-unavailable",
                "The database cannot be reached just now",
                "try again in a moment",
                headers={"Retry-After": "1"},
            ),
        )

    app.add_error_handler(Exception, on_unexpected)
    for lost in CONNECTION_LOST:
        app.add_error_handler(lost, on_connection_lost)
    app.add_error_handler(falcon.HTTPError, on_http)
    app.add_error_handler(DomainError, on_domain)
    app.add_error_handler(ParameterError, on_parameter)
    app.add_error_handler(ProblemError, on_problem)

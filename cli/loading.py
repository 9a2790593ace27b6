"""``thucthi demo``: the simulated year (``cli.demo``) loaded into a database, with one user per
role to sign in with: of the units in force on the period's last day (after the reorganisation of
1 July 2025, the petition desks of the wards and the merged department that carry on those of
District 1, District 3 and the Department of Natural Resources and Environment)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import date
from typing import Any, TextIO, cast

from adapters.documents import signing_configured
from adapters.pdf import PdfDocuments
from api.auth import hash_password
from api.filing import DirectiveFiling, FilingState
from api.petition_filing import PetitionFiling, last_resolved
from api.resources.accounts import Directory
from bootstrap import Services
from cli.common import date_argument, non_negative_int, opened, positive_int
from cli.demo import run_demo
from cli.demo_dti import dti_moment, run_dti_demo
from cli.demo_petitions import DEMO_MATTERS, TRUTH_SUFFIX, truth_path, write_truth
from cli.demo_units import change_moment, period_start
from cli.demo_users import DEMO_PASSWORD, DemoUser, demo_users
from domain.accounts.errors import DuplicateUserError
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.directives.directive import Directive
from domain.petitions.petition import Petition, Status
from domain.shared.actors import Role
from domain.shared.clock import SimulatedClock, SystemClock, city_date
from domain.units.hcmc import ESTABLISHED_2025, REORGANISED_ON
from projections.oversight import OversightProjection, catch_up
from projections.runner import rebuild
from readmodels.open import open_measures, open_view

DEMO_DOCUMENTS = 20  # directives whose documents the demo signs and files: a few seconds
DEMO_PETITION_DOCUMENTS = 5  # petitions whose receipt it files, and as many results: ~0.5 s each


def add_commands(sub: Any) -> None:
    demo = sub.add_parser("demo", help="fill the database with a simulated year of the city's work")
    demo.add_argument("--directives", type=positive_int, default=2_000, metavar="N")
    demo.add_argument(
        "--petitions",
        type=non_negative_int,
        default=DEMO_MATTERS,
        metavar="N",
        help="matters citizens bring to the agencies, each filed once or more (0: none)",
    )
    demo.add_argument(
        "--truth",
        default=None,
        metavar="FILE",
        help="where to write which petitions are the same matter (default: beside a SQLite "
        f"database, its name with {TRUTH_SUFFIX}; docs/petitions-demo.md)",
    )
    demo.add_argument(
        "--documents",
        type=non_negative_int,
        default=DEMO_DOCUMENTS,
        metavar="N",
        help="sign and file the documents of the first N directives, when the demo CA's keys "
        "are there (thucthi init --demo-ca; docs/documents.md)",
    )
    demo.add_argument(
        "--petition-documents",
        type=non_negative_int,
        default=DEMO_PETITION_DOCUMENTS,
        metavar="N",
        help="sign and file the receipts of the first N petitions, and their results where "
        "resolved, when the agencies' heads' keys are there (docs/documents.md)",
    )
    demo.add_argument(
        "--demo-ca",
        action="store_true",
        help="first make the demo CA and its signers' keys if missing, as thucthi init --demo-ca "
        "does, so that the demo's documents are signed (make run does)",
    )
    demo.add_argument("--seed", type=int, default=2024)
    demo.add_argument(
        "--end",
        type=date_argument,
        default=None,
        metavar="YYYY-MM-DD",
        help="last simulated day (default: today in Ho Chi Minh City); the period starts on the "
        "earlier of 365 days before it and 2025-01-01, so that a demo ending after the "
        "reorganisation of 2025-07-01 spans it (docs/units.md)",
    )
    group = demo.add_mutually_exclusive_group()
    group.add_argument("--force", action="store_true", help="add the year to a non-empty database")
    group.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (and succeed) if the database has events",
    )
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(handler=demo_command)


def demo_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args, simulated=True)
    app = services.app
    if args.demo_ca:
        # cli.audit reads this module's demo users: imported here, not at the top.
        from cli.audit import demo_authority  # noqa: PLC0415

        demo_authority(services.settings.documents, out)
    if args.if_empty and app.holds_records():
        print("the database already holds events: demo data not loaded", file=out)
        return 0
    end = args.end or city_date(SystemClock().now())
    result = run_demo(
        app,
        directives=args.directives,
        seed=args.seed,
        end=end,
        force=args.force,
        progress=None if args.quiet else sys.stderr,
        petitions=args.petitions,
    )
    print(
        f"loaded {result.directives} directives, {result.petitions} petitions, "
        f"{result.events} events ({period_start(end)} → {end}) in {result.seconds:.1f} s "
        f"= {result.events_per_second:,.0f} events/s",
        file=out,
    )
    if not app.dti.indices():  # a forced second demo keeps the first's index
        if services.database.backend != "memory":
            # The index's measured components are read from the oversight view at submission
            # (domain.dti.measures): it is opened and brought up to the log first, work the
            # server's projection would otherwise do after the load.
            view = open_view(app)
            if view.position() == 0:
                # A view that has seen nothing is written in bulk, as ``projections rebuild``
                # writes it: at ten million events following the log batch by batch took an
                # hour, reading back the open directives' rows.
                rebuild(app)
                view = open_view(app)
            else:
                catch_up(app, OversightProjection(view))
            app.dti.measure_with(open_measures(app, view))
        dti = run_dti_demo(app, seed=args.seed, at=dti_moment(end))
        print(
            f"DTI {dti.period} (version {dti.version}): {dti.units} units assessed, appraised "
            f"and published at position {dti.position}, bands {dti.bands}",
            file=out,
        )
    written = write_truth(result.truth, truth_path(args.truth, services.database), args.seed, end)
    if written:
        print(written, file=out)
    print(f"demo users (password {DEMO_PASSWORD!r}), sign in with POST /api/session:", file=out)
    password_hash = hash_password(DEMO_PASSWORD)
    before = app.clock.now()  # the day before the period, where the demo left its clock
    for user in demo_users(end):
        if isinstance(app.clock, SimulatedClock):
            app.clock.set(change_moment() if _established(user, end) else before)
        # A forced second demo keeps the users of the first.
        with contextlib.suppress(DuplicateUserError):
            app.create_user(
                username=user.username,
                display_name=user.name,
                title=user.title,
                role=user.role,
                unit=user.unit,
                password_hash=password_hash,
                actor=SYSTEM_ACTOR,
                request_id="demo",
            )
        unit = f" of {user.unit}" if user.unit else ""
        print(f"  {user.username:<24} {user.role}{unit}: {user.name}, {user.title}", file=out)
    file_demo_documents(services, args.documents, out)
    file_demo_petition_documents(services, args.petition_documents, out)
    return 0


def file_demo_documents(services: Services, count: int, out: TextIO) -> None:
    """Sign and file the documents of the first ``count`` directives of the demo, as issuing
    them through the server would have, when the signers' keys are there; else say so."""
    if count == 0:
        return
    if not signing_configured(services.settings.documents):
        print(f"directives' documents not signed nor filed: no signers' keys in "
              f"{services.settings.documents.keys} (thucthi init --demo-ca makes the demo's)",
              file=out)  # fmt: skip
        return
    app = services.app
    filing = DirectiveFiling(
        app,
        PdfDocuments(),
        services.document_signer,
        services.settings.documents.seal,
        lambda: services.settings.public.url,
    )
    issued = app.recorder.select_notifications(
        start=1, limit=count, topics=[Directive.Issued.TOPIC]
    )
    filed = 0
    for notification in issued:
        reference = app.get_directive(notification.originator_id).reference
        done = filing.file_issued(reference, actor=SYSTEM_ACTOR, request_id="demo")
        if done.state is FilingState.FILED:
            filed += 1
    print(f"{filed} directives' documents signed and filed (docs/documents.md)", file=out)


def file_demo_petition_documents(services: Services, count: int, out: TextIO) -> None:
    """Sign and file the receipts of the ``count`` latest petitions of the demo whose agency's
    head has an account, and the results of as many resolved by a head who has one, as
    receiving and resolving them through the server would have, when the heads' keys are
    there; else say so. The latest: the demo's accounts are those of the units in force on its
    last day."""
    if count == 0:
        return
    if not signing_configured(services.settings.documents):
        print(f"petitions' documents not signed nor filed: no signers' keys in "
              f"{services.settings.documents.keys} (thucthi init --demo-ca makes the demo's)",
              file=out)  # fmt: skip
        return
    # The server's wiring, imported when asked for: loading the web application is not free.
    from api.app import public_lookup  # noqa: PLC0415

    app = services.app
    lookup, _ = public_lookup(services)
    filing = PetitionFiling(
        app,
        PdfDocuments(),
        services.document_signer,
        lookup=lookup,
        usernames=Directory(app).usernames,
        public_url=lambda: services.settings.public.url,
    )
    # Only the petitions that have a signer among the accounts are tried, so that the demo
    # does not log a warning for each of the others.
    accounts = Directory(app).accounts()
    headed = {a.unit for a in accounts if a.role is Role.AGENCY_HEAD and a.active}
    names = {a.username for a in accounts}
    receipts = results = 0
    for receipt in reversed(received_receipts(app)):
        petition = app.petitions.get(receipt)
        if receipts < count and app.petitions.get(receipt, version=1).agency in headed:
            done = filing.file_receipt(receipt, actor=SYSTEM_ACTOR, request_id="demo")
            receipts += done is not None
        resolved = last_resolved(app, receipt) if petition.status is Status.RESOLVED else None
        if results < count and resolved is not None and resolved.actor.user_id in names:
            done = filing.file_result(receipt, actor=SYSTEM_ACTOR, request_id="demo")
            results += done is not None
        if receipts == results == count:
            break
    print(f"{receipts} petitions' receipts and {results} results signed and filed "
          "(docs/documents.md)", file=out)  # fmt: skip


def received_receipts(app: Thucthi) -> list[str]:
    """Every petition's receipt code, in the order they were received."""
    codes: list[str] = []
    start = 1
    while True:
        page = app.recorder.select_notifications(
            start=start, limit=1_000, topics=[Petition.Received.TOPIC]
        )
        codes.extend(cast("Petition.Received", app.mapper.to_domain_event(n)).receipt for n in page)
        if len(page) < 1_000:
            return codes
        start = page[-1].id + 1


def _established(user: DemoUser, end: date) -> bool:
    """Whether the user's unit began with the reorganisation the demo spans: then the account
    is made at that moment (when the demo recorded it), not before the period as the others."""
    return user.unit in ESTABLISHED_2025 and end >= REORGANISED_ON

"""``python -m bench.documents``: PDFs signed per second and checked per second (PAdES B-B with
pyHanko, ``adapters.pades``), signed and filed, and checked against the log
(``projections.document_check``), against a baseline in the same run: SHA-256 of the same bytes, the
least any signature or check must do.

A demo CA is made in a temporary folder (``adapters.demo_ca``, RSA-2048 as ``thucthi init
--demo-ca`` makes it). The document is a PDF of a few pages written with pyHanko's own writer.
Each figure is the median of ``--rounds`` rounds of ``--count`` operations, one after another in
this process (no parallelism: a server signs in its workers, so per-process rates are the
figure that scales with them).

    python -m bench.documents [--count N] [--rounds R] [--pages P] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import orjson
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from adapters.demo_ca import DemoSigner, make_demo_ca
from adapters.pades import PadesSigner, PadesVerifier, Pkcs12Keys
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.documents.signing import Appearance, Box, over_signature
from projections.document_check import check_file

RESULTS = Path(__file__).parent / "results"
SIGNER = DemoSigner("leader.chutich", "Trần Quốc Bảo", "Chủ tịch UBND Thành phố")
AGENCY = "Ủy ban nhân dân Thành phố Hồ Chí Minh"


def document(pages: int) -> bytes:
    """A PDF of ``pages`` A4 pages, forty lines of text each, Helvetica."""
    writer = PdfFileWriter()  # type: ignore[no-untyped-call]  # pyHanko's own
    font = writer.add_object(
        generic.DictionaryObject(  # type: ignore[no-untyped-call]
            {
                generic.NameObject("/Type"): generic.NameObject("/Font"),
                generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
                generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica"),
            }
        )
    )
    for page in range(pages):
        lines = b" ".join(
            b"BT /F1 11 Tf 72 %d Td (Trang %d, dong %d: noi dung van ban chi dao) Tj ET"
            % (780 - 18 * i, page + 1, i + 1)
            for i in range(40)
        )
        resources = generic.DictionaryObject(  # type: ignore[no-untyped-call]
            {
                generic.NameObject("/Font"): generic.DictionaryObject(  # type: ignore[no-untyped-call]
                    {generic.NameObject("/F1"): font}
                )
            }
        )
        content = writer.add_object(generic.StreamObject(stream_data=lines))
        writer.insert_page(PageObject(content, [0, 0, 595, 842], resources))  # type: ignore[no-untyped-call]
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def rate(operation: Callable[[], object], count: int, rounds: int) -> dict[str, Any]:
    """Operations per second, each round timed on its own; the median and every round."""
    per_second = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(count):
            operation()
        per_second.append(count / (time.perf_counter() - start))
    return {"median": statistics.median(per_second), "rounds": per_second}


def measure(count: int, rounds: int, pages: int, folder: Path) -> dict[str, Any]:
    now = datetime.now(UTC)
    made = make_demo_ca(
        folder / "document-ca.pem",
        folder / "keys",
        [SIGNER],
        now=now,
        seal=folder / "seal.png",
    )
    signer = PadesSigner(Pkcs12Keys(folder / "keys"))
    verifier = PadesVerifier.from_file(made.certificate)
    pdf = document(pages)
    appearance = Appearance(
        over_signature(Box(0, 300, 120, 560, 200), seal=102),
        AGENCY,
        (folder / "seal.png").read_bytes(),
    )

    def sign(visible: bool) -> bytes:
        return signer.sign(
            pdf,
            signer=SIGNER.account,
            reason="Ban hành văn bản",
            location="Thành phố Hồ Chí Minh",
            at=now,
            appearance=appearance if visible else None,
        )

    signed = sign(visible=True)
    if not verifier.verify(signed).valid:
        msg = "the benchmark's own signature does not verify"
        raise SystemExit(msg)
    sign(visible=False)  # the key, the font and pyHanko's caches loaded before timing
    # Filing: the signed bytes kept by their digest and the event recorded, in a log in memory
    # (what the store and the database add is measured by the benches of the log).
    app = Thucthi({"PERSISTENCE_MODULE": "eventsourcing.popo"})

    def sign_and_file() -> int:
        return app.documents.file(
            sign(visible=True),
            name="van-ban.pdf",
            kind="bench",
            subject=uuid4(),
            reference="1/UBND-VX",
            title="Văn bản",
            issuer=SIGNER.account,
            public=True,
            signer=SIGNER.account,
            actor=SYSTEM_ACTOR,
            request_id="bench",
        )

    sign_and_file()
    figures = {
        "hash the unsigned PDF (SHA-256)": rate(
            lambda: hashlib.sha256(pdf).digest(), count * 100, rounds
        ),
        "sign, invisible": rate(lambda: sign(visible=False), count, rounds),
        "sign, with the seal and text": rate(lambda: sign(visible=True), count, rounds),
        "hash the signed PDF (SHA-256)": rate(
            lambda: hashlib.sha256(signed).digest(), count * 100, rounds
        ),
        "verify": rate(lambda: verifier.verify(signed), count, rounds),
        "sign and file": rate(sign_and_file, count, rounds),
        # The file checked against the log: its signature, its filing found among every
        # document filed above, its version.
        "check a filed file": rate(lambda: check_file(app, verifier, signed), count, rounds),
    }
    return {
        "count": count,
        "rounds": rounds,
        "pages": pages,
        "bytes": {"unsigned": len(pdf), "signed": len(signed)},
        "per second": figures,
        "load average after": list(os.getloadavg()),
        "cores": os.cpu_count(),
    }


def markdown(report: dict[str, Any]) -> str:
    figures = report["per second"]
    unsigned = figures["hash the unsigned PDF (SHA-256)"]["median"]
    signed = figures["hash the signed PDF (SHA-256)"]["median"]
    baseline = {
        "sign, invisible": unsigned,
        "sign, with the seal and text": unsigned,
        "verify": signed,
        "sign and file": unsigned,
        "check a filed file": signed,
    }
    rows = [
        "| operation | per second (median) | × the baseline's time |",
        "|---|---|---|",
    ]
    for name, figure in figures.items():
        base = baseline.get(name)
        times = f"{base / figure['median']:,.0f}" if base else "baseline"
        rows.append(f"| {name} | {figure['median']:,.1f} | {times} |")
    return (
        f"A {report['pages']}-page PDF ({report['bytes']['unsigned']:,} bytes; "
        f"{report['bytes']['signed']:,} signed with the seal), PAdES B-B, RSA-2048, SHA-256; "
        f"median of {report['rounds']} rounds of {report['count']} (the hashes 100 times as "
        f"many), one process.\n\n" + "\n".join(rows) + "\n\n"
        f"Load average after the run {[round(x, 2) for x in report['load average after']]} "
        f"({report['cores']} cores, shared).\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.documents", description=__doc__)
    parser.add_argument("--count", type=int, default=50, help="operations a round (50)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as folder:
        report = measure(args.count, args.rounds, args.pages, Path(folder))
    table = markdown(report)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "documents.json").write_bytes(
        orjson.dumps(report, option=orjson.OPT_INDENT_2) + b"\n"
    )
    (args.out / "documents.md").write_text(table)
    sys.stdout.write(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())

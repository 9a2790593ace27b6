"""``thucthi demo --demo-ca`` files its first petitions' receipts, and the results of those
resolved, signed by the demo CA's certificates of the agencies' heads (issue 28; docs/documents.md,
"A petition's documents"); without the keys it says why not."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from adapters.pades import PadesVerifier
from bootstrap import Settings, open_services
from domain.documents.document import PETITION_RECEIPT, PETITION_RESULT, Document
from domain.shared.actors import Role
from tests.integration.test_documents_verify_cli import cli, url  # noqa: F401 - the fixture

DEMO = ("demo", "--directives", "30", "--petitions", "40", "--documents", "0")


def filed_documents(database: str) -> list[Document]:
    services = open_services(Settings.from_env(database_url=database))
    try:
        app = services.app
        filed = app.recorder.select_notifications(
            start=1, limit=1_000, topics=[Document.Filed.TOPIC]
        )
        documents = [app.documents.get(UUID(str(n.originator_id))) for n in filed]
        assert all(d is not None for d in documents)
        return [d for d in documents if d is not None]
    finally:
        services.close()


def test_the_demo_files_its_first_petitions_receipts_and_results_signed_by_their_heads(
    url: str,  # noqa: F811 - the fixture imported
    tmp_path: Path,
) -> None:
    """Without the demo CA the demo says the petitions' documents are not signed; with it, the
    receipts of three of its latest petitions are filed, each signed by its agency's head, and
    three results, each signed by the head who resolved it."""
    status, said = cli(url, *DEMO, "--petition-documents", "3")
    assert status == 0, said
    assert "petitions' documents not signed nor filed: no signers' keys in" in said
    second = f"sqlite:///{tmp_path / 'second.db'}"
    status, said = cli(second, *DEMO, "--petition-documents", "3", "--demo-ca")
    assert status == 0, said
    documents = filed_documents(second)
    receipts = [d for d in documents if d.kind == PETITION_RECEIPT]
    results = [d for d in documents if d.kind == PETITION_RESULT]
    assert (len(receipts), len(results)) == (3, 3)
    assert "3 petitions' receipts and 3 results signed and filed" in said
    services = open_services(Settings.from_env(database_url=second))
    try:
        app = services.app
        verifier = PadesVerifier.from_file(services.settings.documents.demo_ca)
        for document in receipts + results:
            assert not document.public
            data = app.files.get(document.current.file.digest)
            assert data is not None
            check = verifier.verify(data)
            assert check.valid, check.failures
            head = app.get_user(str(document.current.signer))
            assert head.role is Role.AGENCY_HEAD
            assert check.signer == head.display_name
            if document.kind == PETITION_RECEIPT:
                assert head.unit == app.petitions.get(document.reference, version=1).agency
    finally:
        services.close()

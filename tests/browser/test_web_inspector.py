"""The inspector's page: signing a checkpoint, verifying the log, downloading what an inspector
checks at home with the standalone verifier, and walking a directive's versions with a slider."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from playwright.sync_api import Page, expect

from api.web.pages.base import to_path
from domain.shared.notes import verifier_key
from tests.browser.conftest import (
    NewPage,
    Screenshot,
    ServedApp,
    path_of,
    whole_number,
)

VERIFIER = Path(__file__).resolve().parents[2] / "docs" / "inspectors" / "thucthi_verify.py"
PROOF_FIELDS = {"position", "leaf_index", "tree_size", "leaf_hash", "proof", "root", "record"}


def download(page: Page, selector: str, directory: Path) -> Path:
    """Clicks what starts a download and keeps the file under the name the server gave it."""
    with page.expect_download() as started:
        page.click(selector)
    saved = directory / started.value.suggested_filename
    started.value.save_as(saved)
    return saved


def verify(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Runs docs/inspectors/thucthi_verify.py as an inspector would, on their own computer."""
    return subprocess.run(
        [sys.executable, str(VERIFIER), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


def sign_checkpoint_now(page: Page) -> int:
    """Presses the inspector's "sign now" button; the size of the checkpoint then shown."""
    page.goto("/inspector")
    with page.expect_navigation():
        page.locator("#checkpoint form[action='/inspector/checkpoint'] [type=submit]").click()
    assert "done=signed" in page.url
    # With the technical details, closed: read as the page holds it, not as it is drawn.
    return whole_number(page.locator("#checkpoint-size").text_content() or "")


def test_the_inspector_signs_a_checkpoint_verifies_the_log_and_downloads_proofs(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot, tmp_path: Path
) -> None:
    """The inspector signs a checkpoint, verifies the whole log (also against that checkpoint
    pasted back as a kept one), downloads the checkpoint, the key and an inclusion proof; the
    proof is JSON whose root is the checkpoint's, and the standalone verifier accepts it."""
    page = new_page(user=server.inspector)
    page.goto("/inspector")
    screenshot(page, "inspector-desktop")
    size = sign_checkpoint_now(page)
    shown = (page.locator("#checkpoint-root").text_content() or "").strip()
    assert len(shown) == 64  # in hex, as everywhere people read a root
    # the signed note carries the same 32 bytes in base64, as the C2SP format has it
    root = base64.b64encode(bytes.fromhex(shown)).decode()
    note = page.locator("#checkpoint-note").text_content() or ""
    assert note.splitlines()[1:3] == [str(size), root]
    screenshot(page, "inspector-checkpoint-signed")

    with page.expect_navigation():
        page.click("#verify-button")
    expect(page.locator("#verify-result")).to_have_class("verified-ok")
    screenshot(page, "inspector-verified")

    page.fill("#kept", note)
    with page.expect_navigation():
        page.click("#verify-button")
    result = page.locator("#verify-result")
    expect(result).to_have_class("verified-ok")
    expect(result).to_contain_text(f"{size:,}".replace(",", "."))  # 1.234 in Vietnamese
    screenshot(page, "inspector-verified-against-a-kept-checkpoint")

    checkpoint = download(page, "#download-checkpoint", tmp_path)
    assert checkpoint.name == f"checkpoint-{size}.txt"
    text = checkpoint.read_text()
    origin, tree_size, signed_root = text.splitlines()[:3]
    assert (tree_size, signed_root) == (str(size), root)
    assert text.endswith("\n")

    page.locator("#checkpoint-details summary").click()  # the PEM is with the technical details
    pem = download(page, "#download-pem", tmp_path)
    public_key = load_pem_public_key(pem.read_bytes())
    assert isinstance(public_key, Ed25519PublicKey)
    vkey = download(page, "#download-key", tmp_path)
    assert vkey.read_text() == verifier_key(origin, public_key) + "\n"

    page.locator("#proofs summary").click()  # the proofs are one click away
    page.fill("#proof-position", "1")
    page.fill("#proof-size", str(size))
    proof_file = download(page, "#inclusion-form [type=submit]", tmp_path)
    assert proof_file.name == f"inclusion-1-{size}.json"
    proof = json.loads(proof_file.read_text())
    assert proof.keys() >= PROOF_FIELDS
    assert (proof["position"], proof["leaf_index"], proof["tree_size"]) == (1, 0, size)
    assert proof["root"] == root
    assert all(len(base64.b64decode(h)) == 32 for h in [proof["leaf_hash"], *proof["proof"]])
    if "checkpoint" in proof:
        assert proof["checkpoint"] == text

    checked = verify("inclusion", "--key", vkey, "--checkpoint", checkpoint, proof_file)
    assert checked.returncode == 0, checked.stderr
    assert f"is in the tree of {size} records" in checked.stdout


def test_the_key_the_inspector_page_offers_works_with_the_standalone_verifier(
    server: ServedApp, new_page: NewPage, tmp_path: Path
) -> None:
    """The key, checkpoint and inclusion proof downloaded from the inspector's page are enough
    for docs/inspectors/thucthi_verify.py, as the inspectors' guide promises: no conversion."""
    page = new_page(user=server.inspector)
    size = sign_checkpoint_now(page)
    key = download(page, "#download-key", tmp_path)
    checkpoint = download(page, "#download-checkpoint", tmp_path)
    page.locator("#proofs summary").click()
    page.fill("#proof-position", "2")
    page.fill("#proof-size", str(size))
    proof = download(page, "#inclusion-form [type=submit]", tmp_path)

    signed = verify("checkpoint", "--key", key, checkpoint)
    assert signed.returncode == 0, signed.stderr
    included = verify("inclusion", "--key", key, "--checkpoint", checkpoint, proof)
    assert included.returncode == 0, included.stderr


def test_moving_the_version_slider_shows_the_directive_as_it_stood_then(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """From the inspector's page a completed directive's history opens at its last version;
    moving the slider to the start (keyboard) submits by itself and shows version 1, with a
    different event and state; the audit trail filtered by the reference lists only it."""
    page = new_page(user=server.inspector)
    page.goto("/directives?category=completed_on_time")
    reference = page.locator("#directive-list tbody tr a").first.inner_text().strip()

    page.goto("/inspector")
    page.fill("#history-ref", reference)
    with page.expect_navigation():
        page.locator("#history-form [type=submit]").click()
    assert path_of(page) == f"/inspector/directives/{to_path(reference)}"
    slider = page.locator("input#version")
    last = int(slider.get_attribute("max") or "0")
    assert last >= 3
    expect(slider).to_have_value(str(last))
    status_now = page.locator("#version-state tr[data-field=status] td").nth(1).inner_text()
    event_now = page.locator("#version-event").inner_text()
    screenshot(page, "history-desktop-last-version")

    slider.focus()
    with page.expect_navigation():
        page.keyboard.press("Home")
    assert "version=1" in page.url
    expect(slider).to_have_value("1")
    expect(page.locator("h1")).to_contain_text(reference)
    status_then = page.locator("#version-state tr[data-field=status] td").nth(1).inner_text()
    assert status_then != status_now
    assert page.locator("#version-event").inner_text() != event_now
    percent_then = page.locator("#version-state tr[data-field=percent] td").nth(1).inner_text()
    assert percent_then == "0%"
    expect(page.locator("#version-changes tbody tr").first).to_be_visible()
    screenshot(page, "history-desktop-version-1")

    slider.focus()  # a new page: the focus did not survive the submission
    with page.expect_navigation():
        page.keyboard.press("ArrowRight")
    assert "version=2" in page.url
    expect(slider).to_have_value("2")

    page.goto("/inspector")
    page.fill("#trail-directive", reference)
    with page.expect_navigation():
        page.locator("#trail-form [type=submit]").click()
    rows = page.locator("#audit-trail tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() == last
    for text in rows.all_inner_texts():
        assert reference in text
    screenshot(page, "inspector-audit-trail-of-one-directive")

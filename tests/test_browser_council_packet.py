"""A manager downloads Alder Falls' final council packet from the documents page; axe finds no
issues on the documents page, the new documents' pages and the export page."""

import csv
import hashlib
import io
import zipfile

import pytest
from django.core.management import call_command

from tests.test_browser_documents import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_downloads_the_council_packet(live_server, page, demo, tmp_path):
    sign_in(page, live_server.url, "alderfalls-manager")
    page.goto(live_server.url + "/j/alderfalls/documents/")
    page.get_by_role("heading", name="Council packet", level=2).wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Export the council packet as ZIP").click()

    page.get_by_text("Waiting to start").wait_for()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())
    link = page.get_by_role("link", name="Download alderfalls-ai-council-packet.zip")
    link.wait_for(state="visible", timeout=60_000)
    assert_accessible(page)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "alderfalls-ai-council-packet.zip"
    path = tmp_path / "packet.zip"
    download.save_as(path)
    archive = zipfile.ZipFile(path)
    manifest = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode())))
    assert len(manifest) == 6 and {row["Status"] for row in manifest} == {"FINAL"}
    for row in manifest:
        assert hashlib.sha256(archive.read(row["File"])).hexdigest() == row["SHA-256"]


@pytest.mark.parametrize(
    "kind, heading",
    [
        ("staff-report", "AI Strategy Staff Report"),
        ("resolution", "AI Strategy Adoption Administrative Directive"),
        ("resident-summary", "How We Use AI: A Summary for Residents"),
    ],
)
def test_the_new_document_pages_are_accessible(live_server, page, demo, kind, heading):
    sign_in(page, live_server.url, "riverton-editor")
    page.goto(f"{live_server.url}/j/riverton/documents/{kind}/")
    page.get_by_role("heading", name=heading, level=1).wait_for()
    assert_accessible(page)

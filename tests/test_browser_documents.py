"""A manager exports the strategy PDF from the pages and downloads it; axe finds no issues on
the readiness page, the register and the HTML document."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from pypdf import PdfReader

from tests.test_documents import add_use_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page):
    results = Axe().run(page, options=WCAG_AA)
    assert results.response["violations"] == [], results.generate_report()


def sign_in(page, base_url, username):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo-pass-123")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1).wait_for()


def test_manager_exports_and_downloads_the_strategy_pdf(live_server, page, demo, tmp_path):
    add_use_cases(demo)
    sign_in(page, live_server.url, "riverton-manager")
    page.goto(live_server.url + "/j/riverton/")
    page.get_by_role("link", name="Documents: AI Strategy and SOP").click()
    page.get_by_role("button", name="Export AI Strategy as PDF").click()

    page.get_by_text("Waiting to start").wait_for()
    assert page.get_by_role("link", name="refresh the page").is_visible()
    # The worker picks the export up; the page learns of it by polling the status endpoint.
    call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=io.StringIO())
    link = page.get_by_role("link", name="Download riverton-ai-strategy-draft.pdf")
    link.wait_for(state="visible", timeout=20_000)
    assert page.get_by_text("Ready").is_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "riverton-ai-strategy-draft.pdf"
    path = tmp_path / "strategy.pdf"
    download.save_as(path)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert "City of Riverton" in reader.pages[0].extract_text()
    assert len(reader.pages) > 10


def test_readiness_register_and_document_pages_are_accessible(live_server, page, demo):
    jurisdiction = add_use_cases(demo)
    use_case = jurisdiction.use_cases.get(name="311 multilingual assistant")
    sign_in(page, live_server.url, "riverton-editor")
    for path, heading in [
        ("/j/riverton/readiness/", "AI readiness"),
        ("/j/riverton/use-cases/", "AI use register"),
        ("/j/riverton/use-cases/new/", "Add an AI use"),
        (f"/j/riverton/use-cases/{use_case.pk}/screening/", f"Risk screening: {use_case.name}"),
        ("/j/riverton/documents/strategy/", "AI Strategy"),
        ("/j/riverton/documents/sop/", "AI Standard Operating Procedure"),
    ]:
        page.goto(live_server.url + path)
        page.get_by_role("heading", name=heading, level=1).wait_for()
        assert_accessible(page)
    page.goto(live_server.url + "/j/riverton/readiness/")
    chart = page.get_by_role("img", name="Readiness today compared with the target, by dimension")
    assert chart.is_visible()


def test_the_error_pages_are_accessible(live_server, page, demo):
    sign_in(page, live_server.url, "riverton-viewer")
    page.goto(live_server.url + "/j/no-such-place/")
    page.get_by_role("heading", name="We could not find that page").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Go to your workbooks").click()
    page.get_by_role("heading", level=1).wait_for()
    assert page.url == live_server.url + "/"


def test_a_facilitators_home_is_accessible(live_server, page, demo):
    sign_in(page, live_server.url, "facilitator")
    page.get_by_role("heading", name="Jurisdictions you coach").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Documents of City of Riverton").click()
    page.get_by_role("heading", level=1).wait_for()
    assert_accessible(page)

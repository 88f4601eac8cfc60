"""The register in section 4 and an entry's page: a manager records the tier approver's decision,
the editor then starts the pilot; axe finds no issues on either page."""

import pytest

from tests.test_browser_documents import assert_accessible, sign_in
from workbook.models import UseCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_approve_then_start_the_pilot(live_server, page, demo, browser):
    gunshot = UseCase.objects.get(
        jurisdiction__slug="alderfalls", name="Acoustic gunshot detection"
    )
    sign_in(page, live_server.url, "alderfalls-manager")
    page.goto(f"{live_server.url}/j/alderfalls/workbook/inventory/")
    page.get_by_role("heading", name="AI uses in the register").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Acoustic gunshot detection", exact=True).click()
    page.get_by_role("heading", name="Record a decision").wait_for()
    assert page.get_by_text("cannot go into a pilot or regular use yet").is_visible()
    assert_accessible(page)

    # A wrong approver is refused with the reason, and the form keeps what was typed.
    page.get_by_label("Approver").fill("Town Manager")
    page.locator("label[for=id_decision_0]").click()
    page.get_by_label("Date of the decision").fill("2026-11-20")
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text(
        "Tier IV uses are approved by Town Council, not by Town Manager."
    ).first.wait_for()
    assert_accessible(page)

    page.get_by_label("Approver").fill("Town Council")
    page.get_by_label("Date of the decision").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Recorded the decision on").wait_for()
    assert page.get_by_text(
        "Approved at tier IV by Town Council on November 20, 2026."
    ).is_visible()

    editor = browser.new_page()
    sign_in(editor, live_server.url, "alderfalls-editor")
    editor.goto(f"{live_server.url}/j/alderfalls/use-cases/{gunshot.pk}/edit/")
    editor.locator("label", has_text="Pilot or trial").click()
    editor.get_by_role("button", name="Save").click()
    editor.get_by_role("heading", name="AI use register").wait_for()
    gunshot.refresh_from_db()
    assert gunshot.stage == UseCase.Stage.PILOT

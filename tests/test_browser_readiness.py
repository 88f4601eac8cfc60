"""The readiness section in Chromium: a heading per area, its progress as answers change, the
target as answer cards chosen by keyboard; axe finds nothing there or on the results page."""

import pytest
from playwright.sync_api import expect

from tests.test_browser_documents import assert_accessible, sign_in
from workbook.models import Answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_works_through_the_readiness_areas(live_server, page, demo, workbook):
    Answer.objects.filter(
        jurisdiction__slug="riverton", question__slug="ready-target-data"
    ).delete()
    sign_in(page, live_server.url, "riverton-editor")
    page.goto(live_server.url + "/j/riverton/workbook/readiness/")
    page.get_by_role("heading", name="Readiness self-assessment", level=1).wait_for()
    areas = [d["title"] for d in workbook.dimensions]
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert [h for h in headings if h in areas] == areas
    assert_accessible(page)

    data = page.get_by_role("region", name="Data foundations")
    progress = data.locator("[data-group-progress]")
    expect(progress).to_have_text("4 of 5 answered")
    parts = page.get_by_role("navigation", name="Parts of this section")
    parts.get_by_role("link", name="Data foundations").click()
    expect(page.locator("#group-data-foundations")).to_be_in_viewport()

    # The target is a set of cards like the ratings; the keyboard picks a level.
    target = data.get_by_role("group", name="Where do you want your data foundations to be")
    expect(target.locator(".usa-radio__input--tile")).to_have_count(5)
    target.get_by_label("2 – Developing").focus()
    page.keyboard.press("ArrowDown")
    expect(target.get_by_label("3 – Defined")).to_be_checked()
    expect(progress).to_have_text("5 of 5 answered")
    expect(parts.locator('[data-group-progress="group-data-foundations"]')).to_have_text(
        "(5 of 5 answered)"
    )
    # The choice is saved; the test ends only then, not with the save still under way.
    expect(page.locator("[data-save-status]")).to_contain_text("Saved at")
    assert Answer.objects.filter(
        jurisdiction__slug="riverton", question__slug="ready-target-data"
    ).exists()


def test_the_readiness_results_are_accessible_with_a_legend(live_server, page, demo):
    sign_in(page, live_server.url, "riverton-viewer")
    page.goto(live_server.url + "/j/riverton/readiness/")
    page.get_by_role("heading", name="AI readiness", level=1).wait_for()
    assert_accessible(page)
    chart = page.get_by_role("img", name="Readiness today compared with the target, by dimension")
    expect(chart.locator("text", has_text="Target (dashed line)")).to_have_count(1)
    expect(page.get_by_role("row", name="Governance and policy")).to_contain_text("Developing")

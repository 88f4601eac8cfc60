"""axe finds no issues on the duties and crosswalk pages, and the overview leads to them."""

import pytest

from tests.test_browser_documents import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_duties_and_crosswalk_pages_are_accessible(live_server, page, demo):
    sign_in(page, live_server.url, "riverton-editor")
    page.goto(live_server.url + "/j/riverton/")
    page.get_by_role("link", name="Duties of law that apply").click()
    page.get_by_role("heading", name="Duties of law that apply", level=1).wait_for()
    assert page.get_by_role("heading", name="The product informs, it does not give legal advice")
    assert page.get_by_role(
        "heading", name="Texas — state law preempts local rules on the use of AI"
    ).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="NIST AI RMF crosswalk").click()
    page.get_by_role("heading", name="NIST AI RMF crosswalk", level=1).wait_for()
    assert_accessible(page)
    # Each gap's question link leads to the question in the workbook.
    gap = page.locator('td[data-label="Questions that would close the gap"] a').first
    href = gap.get_attribute("href")
    assert href and "/j/riverton/workbook/" in href and "#q-" in href
    gap.click()
    page.wait_for_url("**" + href.split("#")[0] + "*")
    assert page.locator(f"#{href.split('#')[1]}").count() == 1


def test_the_duties_page_of_a_town_with_no_profile_is_accessible(live_server, page, demo):
    sign_in(page, live_server.url, "lakeside-viewer")
    page.goto(live_server.url + "/j/lakeside/duties/")
    page.get_by_role("heading", name="Duties that may apply", level=2).wait_for()
    assert_accessible(page)

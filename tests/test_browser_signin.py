"""A demo editor signs in with a real Chromium and finds their jurisdiction; axe finds no issues."""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def assert_accessible(page):
    results = Axe().run(page, options=WCAG_AA)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()


def test_editor_signs_in_and_sees_riverton(live_server, page, demo):
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)

    page.get_by_label("Username").fill("riverton-editor")
    page.get_by_label("Password").fill("demo-pass-123")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("heading", level=1).wait_for()
    assert "City of Riverton" in page.content()
    assert "Lakeside County" not in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Open workbook").first.click()
    page.get_by_role("heading", name="City of Riverton").wait_for()
    assert_accessible(page)


def test_wrong_password_shows_an_error(live_server, page, demo):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("riverton-editor")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".usa-alert--error, .usa-error-message").count() > 0
    assert_accessible(page)

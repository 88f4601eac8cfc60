"""A manager publishes the register; a resident, signed out, reads it on a phone; axe finds no
issues on the pages of either."""

import pytest

from tests.test_browser_documents import assert_accessible, sign_in
from workbook.models import UseCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 320, "height": 640}


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at {PHONE['width']}px"


def test_publish_then_read_as_a_resident(live_server, page, demo, browser):
    live = UseCase.objects.filter(jurisdiction__slug="riverton", stage__in=("pilot", "deployed"))
    first = live.order_by("name").first()
    sign_in(page, live_server.url, "riverton-manager")
    page.goto(f"{live_server.url}/j/riverton/use-cases/")
    page.get_by_role("button", name="Publish the register for residents").click()
    page.get_by_text("The AI register is now public.").wait_for()
    assert_accessible(page)

    resident = browser.new_page(viewport=PHONE)
    response = resident.goto(f"{live_server.url}/public/riverton/ai/")
    assert response is not None and response.status == 200
    resident.get_by_role("heading", name="How City of Riverton uses AI").wait_for()
    for use in live:
        assert resident.get_by_role("link", name=use.name, exact=True).is_visible()
    assert_accessible(resident)
    assert_no_horizontal_scroll(resident)

    resident.get_by_role("link", name=first.name, exact=True).click()
    resident.get_by_role("heading", name=first.name, level=1).wait_for()
    assert resident.get_by_text("What the tier means").is_visible()
    assert_accessible(resident)
    assert_no_horizontal_scroll(resident)

    resident.go_back()
    resident.get_by_role("link", name="A short summary for residents").click()
    resident.get_by_role("heading", name="What we will not do").wait_for()
    assert_accessible(resident)
    assert_no_horizontal_scroll(resident)

    page.get_by_role("button", name="Unpublish the public register").focus()
    page.keyboard.press("Enter")
    page.get_by_text("no longer published").wait_for()
    response = resident.goto(f"{live_server.url}/public/riverton/ai/")
    assert response is not None and response.status == 404

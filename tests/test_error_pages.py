"""400, 403 and 404 pages in the product's look, each with a way back (500 and 503:
tests/test_database_outage.py)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_404_with_a_way_back(client, demo):
    client.force_login(demo["riverton-editor"])
    response = client.get("/j/no-such-place/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We could not find that page" in body
    assert 'href="/"' in body and "AI Strategy Workbook" in body


def test_a_refused_action_is_a_403_in_the_products_look(client, demo):
    client.force_login(demo["riverton-viewer"])
    response = client.post("/j/riverton/team/invite/", {"email": "x@example.gov", "role": "editor"})
    assert response.status_code == 403
    assert "Your role does not allow this" in response.content.decode()


def test_a_tampered_form_is_a_400_that_says_nothing_was_saved(demo):
    client = Client(raise_request_exception=False)
    client.force_login(demo["riverton-editor"])
    response = client.post("/j/riverton/workbook/profile/", {"version": "1"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()

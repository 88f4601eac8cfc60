"""Dashboard and workbook overview: signed-in members only, each sees only their jurisdictions."""

import pytest
from django.urls import reverse

from workbook.models import SectionStatus

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_sign_in(client, demo):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_lists_only_the_users_jurisdictions(client, demo):
    client.force_login(demo["riverton-editor"])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "City of Riverton" in body
    assert "Lakeside County" not in body
    assert reverse("workbook:overview", args=["riverton"]) in body


def test_overview_lists_sections_with_status(client, demo):
    client.force_login(demo["riverton-viewer"])
    response = client.get(reverse("workbook:overview", args=["riverton"]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) >= 12
    assert any(r.progress.status == SectionStatus.COMPLETE for r in rows)


def test_overview_of_another_jurisdiction_is_404(client, demo):
    client.force_login(demo["lakeside-manager"])
    assert client.get(reverse("workbook:overview", args=["riverton"])).status_code == 404
    assert client.get(reverse("workbook:overview", args=["nowhere"])).status_code == 404


def test_dashboard_query_count_does_not_grow_with_jurisdictions(
    client, demo, django_assert_max_num_queries
):
    client.force_login(demo["riverton-editor"])
    with django_assert_max_num_queries(8):
        client.get(reverse("dashboard"))

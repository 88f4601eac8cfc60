"""A database restart costs no request, and an outage shows a 503 that says the text is kept."""

import pytest
from django.db import OperationalError, connection
from django.db.backends.postgresql.base import DatabaseWrapper
from django.test import Client
from django.urls import reverse

from workbook.models import Membership, Role
from workbook.settings import database_pool_options

pytestmark = pytest.mark.django_db


def test_after_a_restart_the_pool_hands_out_a_live_connection(transactional_db):
    # A pool built from the production settings, on the test database.
    settings_dict = {**connection.settings_dict}
    settings_dict["OPTIONS"] = {
        **settings_dict.get("OPTIONS", {}),
        "pool": {**database_pool_options(), "min_size": 1, "max_size": 1},
        "application_name": "pool-check-test",
    }
    wrapper = DatabaseWrapper(settings_dict, alias="pool-check")
    try:
        wrapper.ensure_connection()
        wrapper.close()  # back to the pool, still open
        # The server ends every connection, as a restart does.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = 'pool-check-test'"
            )
            assert cursor.fetchall()
        wrapper.ensure_connection()
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        wrapper.close()
        wrapper.close_pool()


@pytest.fixture
def editor(demo):
    user = demo["riverton-editor"]
    assert Membership.objects.get(user=user).role == Role.EDITOR
    return user


def test_a_save_while_the_database_is_down_answers_503_and_says_the_text_is_kept(
    editor, monkeypatch
):
    client = Client(raise_request_exception=False)
    client.force_login(editor)
    membership = Membership.objects.get(user=editor)
    url = reverse(
        "workbook:section",
        kwargs={"jurisdiction_slug": membership.jurisdiction.slug, "step": "profile"},
    )

    def database_gone(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed")

    monkeypatch.setattr("workbook.wizard.storage.save_section", database_gone)
    page = client.get(url)
    data = {"version": page.context["version"], "workbook_riverton-current_step": "profile"}
    response = client.post(url, data)
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "briefly unavailable" in body
    assert "nothing you typed is lost" in body
    # The page confirms no submit, so the copy kept in the tab stays (static/js/wizard.js).
    assert "data-saved-submissions" not in body


def test_any_other_server_error_is_a_500_in_the_products_look(editor, monkeypatch):
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("workbook.workflow.views.summaries_for", broken)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()

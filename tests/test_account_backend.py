"""The user read of every signed-in request (AccountBackend), and sessions signed in before."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from workbook.security.backends import AccountBackend

pytestmark = pytest.mark.django_db

NEW = "workbook.security.backends.AccountBackend"
OLD = "django.contrib.auth.backends.ModelBackend"
migration = importlib.import_module("workbook.migrations.0014_sessions_of_the_account_backend")


def test_the_user_read_makes_the_user_the_orm_makes(alpha):
    made = AccountBackend().get_user(alpha.editor.pk)
    orm = ModelBackend().get_user(alpha.editor.pk)
    fields = [f.attname for f in get_user_model()._meta.concrete_fields]
    assert [getattr(made, f) for f in fields] == [getattr(orm, f) for f in fields]
    assert not made._state.adding
    assert made.get_session_auth_hash() == orm.get_session_auth_hash()


def test_an_unknown_or_inactive_account_reads_as_no_user(alpha):
    assert AccountBackend().get_user(10**9) is None
    alpha.editor.is_active = False
    alpha.editor.save(update_fields=["is_active"])
    assert AccountBackend().get_user(alpha.editor.pk) is None


def test_a_signed_in_request_reads_its_user_once_by_hand(alpha):
    client = Client()
    client.force_login(alpha.editor)
    assert client.session[BACKEND_SESSION_KEY] == NEW
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/notifications/")
    assert response.status_code == 200
    assert response.wsgi_request.user == alpha.editor
    # The session, then the user by the statement written once per process, then the page's.
    statements = [q["sql"] for q in queries.captured_queries]
    assert 'FROM "django_session" AS s' in statements[0]
    assert 'FROM "auth_user" AS u' in statements[1]
    assert sum('"auth_user"' in s for s in statements) == 1


def test_a_changed_password_still_signs_the_session_out(alpha):
    client = Client()
    client.force_login(alpha.editor)
    alpha.editor.set_password("a-new-password-entirely")
    alpha.editor.save()
    response = client.get("/accounts/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_sessions_signed_in_through_model_backend_stay_signed_in(alpha):
    client = Client()
    client.force_login(alpha.editor, backend=OLD)
    key = client.session.session_key
    foreign = SessionStore()
    foreign["note"] = "not signed in"
    foreign.create()

    migration.rename_backend(apps, None)

    assert SessionStore(key)[BACKEND_SESSION_KEY] == NEW
    assert SessionStore(key)[SESSION_KEY] == str(alpha.editor.pk)
    assert SessionStore(foreign.session_key)["note"] == "not signed in"
    assert client.get("/accounts/notifications/").status_code == 200

    migration.restore_backend(apps, None)
    assert SessionStore(key)[BACKEND_SESSION_KEY] == OLD

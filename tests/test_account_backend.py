"""The user read of every signed-in request (AccountBackend), and sessions signed in before."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from workbook.models import UserSession
from workbook.security.backends import AccountBackend
from workbook.security.session_store import SessionStore

pytestmark = pytest.mark.django_db

NEW = "workbook.security.backends.AccountBackend"
OLD = "django.contrib.auth.backends.ModelBackend"
migration = importlib.import_module("workbook.migrations.0014_sessions_name_their_user")


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


def test_a_signed_in_request_reads_its_session_and_user_in_one_statement(alpha):
    client = Client()
    client.force_login(alpha.editor)
    assert client.session[BACKEND_SESSION_KEY] == NEW
    assert UserSession.objects.get(session_key=client.session.session_key).user == alpha.editor
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/accounts/notifications/")
    assert response.status_code == 200
    assert response.wsgi_request.user == alpha.editor
    # The session with its user, then the page's own reads: the user is not read again.
    statements = [q["sql"] for q in queries.captured_queries]
    assert 'FROM "workbook_usersession" AS s LEFT JOIN "auth_user" AS u' in statements[0]
    assert sum('"auth_user"' in s for s in statements) == 1


def test_a_user_asked_for_by_another_id_is_read_on_its_own(alpha):
    """The user read with the session answers only for that user, and only once."""
    store = SessionStore()
    store[SESSION_KEY] = str(alpha.editor.pk)
    store.create()
    SessionStore(store.session_key).load()
    assert AccountBackend().get_user(alpha.manager.pk) == alpha.manager  # read on its own
    assert AccountBackend().get_user(alpha.editor.pk) == alpha.editor


def test_deactivating_an_account_ends_its_sessions_only(alpha):
    editor, manager = Client(), Client()
    editor.force_login(alpha.editor)
    manager.force_login(alpha.manager)
    alpha.editor.is_active = False
    alpha.editor.save()
    assert not UserSession.objects.filter(user=alpha.editor).exists()
    assert UserSession.objects.filter(user=alpha.manager).exists()
    assert manager.get("/accounts/notifications/").status_code == 200


def test_a_changed_password_still_signs_the_session_out(alpha):
    client = Client()
    client.force_login(alpha.editor)
    alpha.editor.set_password("a-new-password-entirely")
    alpha.editor.save()
    response = client.get("/accounts/notifications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_live_sessions_move_with_their_user_and_stay_signed_in(alpha):
    """The migration's move, run again on sessions in Django's table as before it."""
    from django.utils import timezone

    store = DjangoSessionStore()
    store[SESSION_KEY] = str(alpha.editor.pk)
    store[BACKEND_SESSION_KEY] = OLD
    store["_auth_user_hash"] = alpha.editor.get_session_auth_hash()
    store.create()
    anonymous = DjangoSessionStore()
    anonymous["note"] = "not signed in"
    anonymous.create()
    expired = DjangoSessionStore()
    expired["note"] = "gone"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=timezone.now())
    UserSession.objects.all().delete()

    migration.move_sessions(apps, None)

    moved = UserSession.objects.get(session_key=store.session_key)
    assert moved.user == alpha.editor
    assert SessionStore(store.session_key)[BACKEND_SESSION_KEY] == NEW
    assert UserSession.objects.get(session_key=anonymous.session_key).user is None
    assert SessionStore(anonymous.session_key)["note"] == "not signed in"
    assert not UserSession.objects.filter(session_key=expired.session_key).exists()

    client = Client()
    client.cookies["sessionid"] = store.session_key
    response = client.get("/accounts/notifications/")
    assert response.status_code == 200
    assert response.wsgi_request.user == alpha.editor

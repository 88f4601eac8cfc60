"""Sign-in hardening, sessions, response headers and the audit log."""

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.team_fixtures import PASSWORD
from workbook.models import AuditEvent, AuditKind, UserSession
from workbook.security.middleware import LAST_SEEN
from workbook.security.sessions import end_sessions

ROOT = Path(__file__).resolve().parent.parent
LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_five_failures_lock_the_account_with_a_clear_page(client, alpha):
    for _ in range(5):
        response = sign_in(client, alpha.editor.username, "wrong-password")
    assert response.status_code in (200, 429)
    locked = sign_in(client, alpha.editor.username)  # even the right password is refused now
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Sign-in is paused" in body
    assert "15 minutes" in body
    assert "_auth_user_id" not in client.session
    # Repeats within a minute count up one row (workbook.audit.record.record).
    failures = AuditEvent.objects.filter(kind=AuditKind.SIGN_IN_FAILED)
    assert failures.aggregate(n=Sum("count"))["n"] >= 5
    assert AuditEvent.objects.filter(kind=AuditKind.LOCKED_OUT).exists()


def test_lockout_settings():
    # Which address and username a lockout holds for: tests/test_throttle.py.
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=15)  # noqa: SIM300 - a setting, not a constant
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.SIGN_IN_USERNAMES_PER_ADDRESS == 10
    assert settings.AUTHENTICATION_BACKENDS[0].startswith("axes.")
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


@pytest.mark.django_db
def test_sign_in_rotates_the_session_key_and_is_audited(client, alpha):
    client.get(LOGIN)
    session = client.session
    session["probe"] = "before sign-in"
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert sign_in(client, alpha.editor.username).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not UserSession.objects.filter(session_key=before).exists()
    event = AuditEvent.objects.get(kind=AuditKind.SIGNED_IN)
    assert event.user == alpha.editor
    assert event.ip_address == "127.0.0.1"
    assert event.created_at.utcoffset() == timedelta(0)


@pytest.mark.django_db
def test_failed_sign_in_is_audited_without_the_password(client, alpha):
    sign_in(client, alpha.editor.username, "Secret-Guess-1")
    event = AuditEvent.objects.get(kind=AuditKind.SIGN_IN_FAILED)
    assert event.username == alpha.editor.username
    assert "Secret-Guess-1" not in json.dumps(event.detail)


@pytest.mark.django_db
def test_sign_out_ends_the_server_side_session(client, alpha):
    sign_in(client, alpha.editor.username)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert UserSession.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(session_key=key).exists()
    stolen = Client()
    stolen.cookies[settings.SESSION_COOKIE_NAME] = key
    assert stolen.get(reverse("dashboard")).status_code == 302
    assert AuditEvent.objects.filter(kind=AuditKind.SIGNED_OUT, user=alpha.editor).exists()


@pytest.mark.django_db
def test_deactivating_a_user_ends_their_sessions(alpha):
    laptop, phone, colleague = Client(), Client(), Client()
    for client, user in ((laptop, alpha.editor), (phone, alpha.editor), (colleague, alpha.viewer)):
        assert sign_in(client, user.username).status_code == 302
    alpha.editor.is_active = False
    alpha.editor.save()
    for client in (laptop, phone):
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        assert not UserSession.objects.filter(session_key=key).exists()
        assert client.get(reverse("dashboard")).status_code == 302
    assert colleague.get(reverse("dashboard")).status_code == 200
    event = AuditEvent.objects.get(kind=AuditKind.USER_DEACTIVATED)
    assert event.detail == {"sessions_ended": 2}
    assert end_sessions(alpha.viewer) == 1


@pytest.mark.django_db
def test_saving_an_already_inactive_user_ends_nothing_again(alpha):
    alpha.editor.is_active = False
    alpha.editor.save()
    alpha.editor.first_name = "Renamed"
    alpha.editor.save()
    assert AuditEvent.objects.filter(kind=AuditKind.USER_DEACTIVATED).count() == 1


@pytest.mark.django_db
def test_activity_renews_the_session_at_most_every_five_minutes(client, alpha):
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60
    assert settings.SESSION_RENEW_AFTER == 300
    sign_in(client, alpha.editor.username)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Just signed in: a page view does not write the session again.
    response = client.get(reverse("dashboard"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies

    # Six minutes later the next request renews the expiry by the full idle period.
    session = client.session
    session[LAST_SEEN] -= 360
    session.save()
    UserSession.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(hours=1)
    )
    response = client.get(reverse("dashboard"))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 7200
    expiry = UserSession.objects.get(session_key=key).expire_date
    assert expiry > timezone.now() + timedelta(minutes=119)


@pytest.mark.django_db
def test_an_idle_session_has_ended(client, alpha):
    sign_in(client, alpha.editor.username)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    UserSession.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("workbook:overview", args=["alpha"]))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_workbook_pages_and_exports_are_not_stored(client, alpha, facilitator):
    client.force_login(alpha.manager)
    for url in (
        reverse("workbook:overview", args=["alpha"]),
        reverse("workbook:team", args=["alpha"]),
        reverse("dashboard"),
        "/invitations/not-a-token/",
    ):
        response = client.get(url)
        assert "no-store" in response["Cache-Control"], url
    client.force_login(facilitator)
    response = client.post(
        reverse("admin:workbook_jurisdiction_changelist"),
        {"action": "export_answers_csv", "_selected_action": [alpha.jurisdiction.pk]},
    )
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_carry_the_strict_content_security_policy(client, alpha):
    client.force_login(alpha.manager)
    response = client.get(reverse("workbook:team", args=["alpha"]))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def test_no_template_has_inline_script_style_or_handlers():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, STYLE_ATTRIBUTE, EVENT_HANDLER, JS_URL):
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


def test_production_settings_are_hardened():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('SECURE_SSL_REDIRECT', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_HTTPONLY', "
        "'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF')}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "workbook.settings",
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-" + "x9Q" * 20,
        "ALLOWED_HOSTS": "workbook.example.gov",
    }
    for name in ("SECURE_SSL_REDIRECT", "SECURE_COOKIES", "SECURE_HSTS_SECONDS"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
    }


@pytest.mark.django_db
def test_audit_events_are_read_only_in_the_admin(client, alpha):
    from tests.team_fixtures import make_facilitator

    boss = make_facilitator("auditor")
    boss.is_superuser = True
    boss.save()
    sign_in(Client(), alpha.editor.username)
    event = AuditEvent.objects.get(kind=AuditKind.SIGNED_IN)
    client.force_login(boss)
    assert client.get(reverse("admin:workbook_auditevent_changelist")).status_code == 200
    page = client.get(reverse("admin:workbook_auditevent_change", args=[event.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.get(reverse("admin:workbook_auditevent_add")).status_code == 403
    delete = reverse("admin:workbook_auditevent_delete", args=[event.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()

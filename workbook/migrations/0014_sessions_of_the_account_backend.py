"""Sessions signed in through Django's ModelBackend name its subclass AccountBackend instead.

A session keeps the path of the backend that signed it in, and Django signs out a session whose
backend is no longer in AUTHENTICATION_BACKENDS. Without this, everyone signed in when the
backend changed would be signed out at once, mid-edit.
"""

from django.db import migrations

SESSION_BACKEND_KEY = "_auth_user_backend"  # django.contrib.auth.BACKEND_SESSION_KEY
OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "workbook.security.backends.AccountBackend"


def rename_backend(apps, schema_editor, old=OLD, new=NEW):
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        # A session that does not decode with this SECRET_KEY decodes as empty: left alone.
        data = store.decode(session.session_data)
        if data.get(SESSION_BACKEND_KEY) == old:
            data[SESSION_BACKEND_KEY] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def restore_backend(apps, schema_editor):
    rename_backend(apps, schema_editor, old=NEW, new=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("workbook", "0013_audit_kinds_evidence_recorded"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(rename_backend, restore_backend)]

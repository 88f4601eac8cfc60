"""The audit log: sign-ins, refusals and every change to a team, with user, jurisdiction, UTC time.

See docs/decisions/0002-audit-events-in-the-database.md for why it is a database table.
"""

from typing import Any

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .middleware import mark_seen
from .models import AuditEvent, AuditKind, Jurisdiction


def record(
    kind: AuditKind,
    *,
    user=None,
    jurisdiction: Jurisdiction | None = None,
    request=None,
    username: str = "",
    **detail: Any,
) -> AuditEvent:
    """Write one audit event; `detail` holds what else identifies the change (JSON-safe)."""
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        jurisdiction=jurisdiction,
        ip_address=_client_ip(request),
        detail=detail,
    )


def _client_ip(request) -> str | None:
    if request is None:
        return None
    # django-axes resolves the address the same way it throttles it (proxy-aware).
    return get_client_ip_address(request) or None


@receiver(user_logged_in, dispatch_uid="audit_signed_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    record(AuditKind.SIGNED_IN, user=user, request=request)
    if request is not None and hasattr(request, "session"):
        # The idle clock starts at sign-in (the session is saved with the login anyway).
        mark_seen(request.session)


@receiver(user_logged_out, dispatch_uid="audit_signed_out")
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(AuditKind.SIGNED_OUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; only the username is kept.
    record(
        AuditKind.SIGN_IN_FAILED,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record(AuditKind.LOCKED_OUT, request=request, username=str(username or "")[:150])

"""The audit log: sign-ins, refusals and every change to a team, with user, jurisdiction, UTC time.

See docs/decisions/0002-audit-events-in-the-database.md for why it is a database table.
"""

from datetime import timedelta
from typing import Any

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.utils import timezone

from workbook.models import AuditEvent, AuditKind, Jurisdiction, Membership
from workbook.security.middleware import mark_seen

# A repeat of an event (same kind, actor, address, jurisdiction and detail) within this time of
# its first occurrence counts up that row: a burst of refusals or failed sign-ins is one row.
REPEAT_WINDOW = timedelta(minutes=1)


def record(
    kind: AuditKind,
    *,
    user=None,
    jurisdiction: Jurisdiction | None = None,
    request=None,
    username: str = "",
    **detail: Any,
) -> None:
    """Write one audit event; `detail` holds what else identifies the change (JSON-safe)."""
    if user is not None and not user.is_authenticated:
        user = None
    if (
        kind == AuditKind.PERMISSION_DENIED
        and jurisdiction is not None
        and not _belongs_to(user, jurisdiction)
    ):
        # An event is filed where its actor's own scope shows it. A refusal of someone who is
        # neither a member nor a facilitator of the jurisdiction they asked for is filed under
        # no jurisdiction (superusers see it), the target kept only as its slug, so that the
        # target's facilitators never read an outsider's username. Every other event follows
        # an action that was allowed, so its actor belongs to its jurisdiction.
        detail.setdefault("slug", jurisdiction.slug)
        jurisdiction = None
    event = {
        "kind": kind,
        "user": user,
        "username": username or (user.get_username() if user is not None else ""),
        "jurisdiction": jurisdiction,
        "ip_address": _client_ip(request),
        "detail": detail,
    }
    now = timezone.now()
    with transaction.atomic():
        # The count is raised in the database, so concurrent repeats lose none; two first
        # occurrences at the same instant may each insert a row, which only splits the count.
        recent = AuditEvent.objects.filter(**event, created_at__gte=now - REPEAT_WINDOW)
        counted = AuditEvent.objects.filter(
            pk__in=recent.order_by("-created_at").values("pk")[:1]
        ).update(count=F("count") + 1, last_at=now)
        if not counted:
            AuditEvent.objects.create(**event, created_at=now, last_at=now)


def _belongs_to(user, jurisdiction: Jurisdiction) -> bool:
    """Is the user one of the jurisdiction's members or facilitators?"""
    if user is None:
        return False
    return (
        Membership.objects.filter(user=user, jurisdiction=jurisdiction).exists()
        or Jurisdiction.objects.for_facilitator(user).filter(pk=jurisdiction.pk).exists()
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

"""Sign-in and password-reset throttling.

Sign-in: django-axes locks a username at one client address after AXES_FAILURE_LIMIT failures
(AXES_LOCKOUT_PARAMETERS), so wrong passwords typed elsewhere never lock a person out of their
own desk. `SignInThrottle` adds the one rule axes cannot express: an address that has failed for
many different usernames within the cool-off (someone trying accounts one by one) is locked for
every username.

Password reset: `PasswordResetView` sends no email once the account or the client address has
asked too often, and answers exactly as it does for any other address, so the form never tells
whether an account exists.
"""

import hashlib
import logging
import unicodedata

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import caches
from django.http import HttpResponseRedirect

log = logging.getLogger(__name__)


class SignInThrottle(AxesDatabaseHandler):
    """axes' database handler, plus the lock on an address that tries many usernames."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if _usernames_failed_from(request) >= settings.SIGN_IN_USERNAMES_PER_ADDRESS:
            # Counted as reaching the failure limit, so axes refuses the sign-in, shows its
            # lockout page and sends its lockout signal (the audit event) as for any lockout.
            return max(failures, get_failure_limit(request, credentials))
        return failures


def _usernames_failed_from(request) -> int:
    """How many different usernames failed to sign in from this address within the cool-off."""
    return (
        AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )
        .values("username")
        .distinct()
        .count()
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, without the email once the account or the address asked too often.

    A throttled request is redirected to the same "check your email" page as every other one.
    """

    def form_valid(self, form):
        if may_send_reset_email(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def may_send_reset_email(request, email: str) -> bool:
    """Count this request against its address, then against the account it names."""
    address = get_client_ip_address(request) or ""
    if not _take_slot("reset-address", address, settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS):
        log.warning("Password reset not sent: too many requests from one address.")
        return False
    # Normalised as Django's reset form matches the account's email (case-insensitively).
    account = unicodedata.normalize("NFKC", email).casefold()
    if not _take_slot("reset-account", account, settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT):
        log.warning("Password reset not sent: too many requests for one account.")
        return False
    return True


def _take_slot(kind: str, value: str, limit: int) -> bool:
    """Take one of `limit` slots kept for `value`; each frees itself one period after it is taken.

    So at most `limit` requests pass within any period. `cache.add` creates a key only if it is
    absent, and in production the cache is a database table every app server shares, so two
    servers cannot take the same slot. Keys hold a hash: no email or address is stored.
    """
    cache = caches[settings.PASSWORD_RESET_CACHE]
    period = int(settings.PASSWORD_RESET_PERIOD.total_seconds())
    digest = hashlib.sha256(value.encode()).hexdigest()
    return any(cache.add(f"{kind}:{digest}:{slot}", True, period) for slot in range(limit))

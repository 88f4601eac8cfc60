"""Cross-cutting request handling: cache headers and the session idle timeout."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page the app renders.

    Workbook pages, exports and forms carry a jurisdiction's answers or a CSRF token; a shared
    computer's browser cache or a proxy must not keep them. Static files never reach this
    middleware (WhiteNoise answers them earlier, with long-lived caching). A response that
    declares itself `public` (the signed-out public AI register) is the same for everyone and
    is left as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        directives = {d.split("=")[0].strip() for d in response.get("Cache-Control", "").split(",")}
        if "public" not in directives:
            patch_cache_control(response, no_store=True, private=True)
        return response


# Session key holding when the signed-in user was last seen (epoch seconds).
LAST_SEEN = "_idle_last_seen"


def mark_seen(session) -> None:
    """Note activity now; saving the session pushes its expiry SESSION_COOKIE_AGE ahead."""
    session[LAST_SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Sessions end after SESSION_COOKIE_AGE without activity (the idle timeout).

    Renewing the expiry on every request (SESSION_SAVE_EVERY_REQUEST) would write the session row
    on every page view. Instead the session is marked active at most once per
    SESSION_RENEW_AFTER seconds: the idle timeout is then exact to within that interval, and a
    busy user costs one session write every few minutes rather than one per request.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.renew_after = getattr(settings, "SESSION_RENEW_AFTER", 300)

    def __call__(self, request):
        response = self.get_response(request)
        # Only pages that used the session count as activity: a page that never read it
        # (a health check) must not start varying on the session cookie.
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and session.get(SESSION_KEY)
            and time.time() - session.get(LAST_SEEN, 0) >= self.renew_after
        ):
            mark_seen(session)
        return response

"""The floor view: a page's own response, served as a constant through the product's stack.

Routed only by bench/urls.py (bench/settings.py), never by the product. Everything around the
view is the product's: gunicorn, production settings, all the middleware (sessions, CSRF, the
idle timeout, security headers), and `login_required`, so the session and the user are loaded
as for the real page. What is left out is exactly the page's own work: its queries, its
template, its save. The difference between a page and its floor is therefore what the page
itself costs; the difference between the floor and the bare view is what any signed-in page
costs on this stack.

The floor with its reads (`floor_with_reads`) serves the same capture after running the SQL
statements the page ran, in order, fetching every row: the page's database reads without the
Python that builds objects, forms and templates from them.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.middleware.csrf import get_token

from bench import captures

# Captures read once per worker process, keyed by directory and page key.
_loaded: dict[tuple[str, str], captures.Capture] = {}
# The pages' statements, read once per worker process in the same way.
_loaded_reads: dict[tuple[str, str], list[str]] = {}


def captured(key: str) -> captures.Capture | None:
    directory = settings.BENCH_FLOOR_DIR
    cache_key = (str(directory), key)
    if cache_key not in _loaded:
        capture = captures.load(directory, key)
        if capture is None:
            return None  # not kept: a capture written later is found on the next request
        _loaded[cache_key] = capture
    return _loaded[cache_key]


def captured_reads(key: str) -> list[str] | None:
    directory = settings.BENCH_FLOOR_DIR
    cache_key = (str(directory), key)
    if cache_key not in _loaded_reads:
        statements = captures.load_reads(directory, key)
        if statements is None:
            return None
        _loaded_reads[cache_key] = statements
    return _loaded_reads[cache_key]


@login_required
def floor(request: HttpRequest, key: str) -> HttpResponse:
    """The captured response of page `key`: same bytes, status, content type and redirect.

    A POST floor has passed the CSRF check (the middleware read the form body for its token)
    and answers the save's redirect without saving anything.
    """
    capture = captured(key)
    if capture is None:
        raise Http404("No capture of that page in this run.")
    if request.method != capture.method:
        return HttpResponseNotAllowed([capture.method])
    return served(request, capture)


@login_required
def floor_with_reads(request: HttpRequest, key: str) -> HttpResponse:
    """The floor of GET page `key`, after the page's own SQL: each statement the page ran beyond
    the read of the session with its user (which `login_required` has just made), in the same
    order, with all its rows fetched."""
    capture, statements = captured(key), captured_reads(key)
    if capture is None or statements is None:
        raise Http404("No capture or no statements of that page in this run.")
    if request.method != "GET" or capture.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    with connection.cursor() as cursor:
        for sql in statements:
            # The statement as it ran, values in place: no parameters to pass.
            cursor.execute(sql)
            cursor.fetchall()
    return served(request, capture)


def served(request: HttpRequest, capture: captures.Capture) -> HttpResponse:
    if capture.csrf_cookie:
        # The page's form asked for a token, so its response carries the CSRF cookie: so does
        # the floor's.
        get_token(request)
    response = HttpResponse(capture.body, status=capture.status, content_type=capture.content_type)
    if capture.location:
        response["Location"] = capture.location
    return response

"""Server error pages in the product's look, rendered without touching the database.

When PostgreSQL is unreachable every request fails, often before a view runs (the session and the
user are read from the database), so these pages are rendered without the request's context
processors: no session, no user, nothing to query.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

# Long enough for a restart; browsers and proxies may retry after it.
RETRY_AFTER_SECONDS = 30


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 when the database is out of reach (a passing outage), else a 500."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        page = _page("503.html", request)
        response = HttpResponse(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(_page("500.html", request), status=500)


def _page(template: str, request: HttpRequest) -> str:
    # A POST to the workbook carried typed text, which wizard.js keeps in the tab until a page
    # confirms it was saved; this page confirms nothing, so the text is still there.
    was_a_save = request.method == "POST" and "/workbook/" in request.path
    return render_to_string(template, {"was_a_save": was_a_save, "path": request.path})

"""A liveness probe for load balancers and the benchmarks' ceiling."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer "ok" without touching the database or the session: the cheapest page there is."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")

"""The public AI register, for anyone signed in or not, and the manager's publish button."""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control

from strategy.documents.build import build_document
from strategy.documents.model import RESIDENT_SUMMARY
from strategy.public import actions
from strategy.public.register import (
    FIELD_NAMES,
    PUBLIC_FIELDS,
    csv_text,
    json_value,
    public_register,
)
from workbook.models import Jurisdiction
from workbook.security.access import JurisdictionAccess


def public_page(view):
    """The view of a published register: unknown and unpublished jurisdictions answer 404, then
    anything but GET or HEAD answers 405 (so the method tells nothing about what exists)."""

    @wraps(view)
    def wrapped(request, jurisdiction_slug, **kwargs):
        jurisdiction = (
            Jurisdiction.objects.select_related("published_register", "workbook")
            .filter(slug=jurisdiction_slug, published_register__isnull=False)
            .first()
        )
        if jurisdiction is None:
            raise Http404
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        register, fingerprint = public_register(jurisdiction)
        return view(request, jurisdiction, register, fingerprint, **kwargs)

    return wrapped


def _respond(request, fingerprint: str, suffix: str, build) -> HttpResponse:
    """Signed out, the page is the same for everyone: answer 304 when the browser holds this
    version, and let every cache keep it but ask again each time (`no-cache`), so an edit or an
    unpublished register shows at once. Signed in, the page names its user and carries a CSRF
    token: it is built each time and never stored (the project's `no-store`)."""
    if request.user.is_authenticated:
        return build()
    etag = f'"{fingerprint}-{suffix}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = build()
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True)
    return response


@public_page
def register_page(request, jurisdiction, register, fingerprint):
    return _respond(
        request,
        fingerprint,
        "html",
        lambda: render(
            request,
            "public/register.html",
            {"jurisdiction": jurisdiction, "register": register, "fields": PUBLIC_FIELDS},
        ),
    )


@public_page
def entry_page(request, jurisdiction, register, fingerprint, pk):
    entry = register.entry(pk)
    if entry is None:
        raise Http404
    rows = [(f, entry[f.name]) for f in PUBLIC_FIELDS if f.name not in ("id", "name")]
    return _respond(
        request,
        fingerprint,
        f"entry-{pk}",
        lambda: render(
            request,
            "public/entry.html",
            {
                "jurisdiction": jurisdiction,
                "register": register,
                "entry": entry,
                "rows": rows,
                "current": entry["name"],
            },
        ),
    )


@public_page
def summary_page(request, jurisdiction, register, fingerprint):
    """The resident summary as a short web page next to the register it points to."""
    return _respond(
        request,
        fingerprint,
        "summary",
        lambda: render(
            request,
            "public/summary.html",
            {
                "jurisdiction": jurisdiction,
                "register": register,
                "document": build_document(jurisdiction, RESIDENT_SUMMARY),
                "current": "Summary for residents",
            },
        ),
    )


@public_page
def register_csv(request, jurisdiction, register, fingerprint):

    def build() -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{jurisdiction.slug}-ai-register.csv"'
        )
        response.write(csv_text(register))
        return response

    return _respond(request, fingerprint, "csv", build)


@public_page
def register_json(request, jurisdiction, register, fingerprint):

    def build() -> HttpResponse:
        body = {
            "jurisdiction": register.jurisdiction_name,
            "questions_and_appeals": register.feedback_channel,
            "fields": list(FIELD_NAMES),
            "entries": [
                {name: json_value(entry[name]) for name in FIELD_NAMES}
                for entry in register.entries
            ],
        }
        response = HttpResponse(
            json.dumps(body, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'inline; filename="{jurisdiction.slug}-ai-register.json"'
        return response

    return _respond(request, fingerprint, "json", build)


@login_required
def publish(request, jurisdiction_slug):
    """A manager publishes the register ("publish") or takes it down ("unpublish")."""
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("publish") == "unpublish":
        if actions.unpublish_register(access=access):
            messages.success(request, "The public AI register is no longer published.")
    elif actions.publish_register(access=access):
        messages.success(request, "The AI register is now public.")
    return redirect("strategy:use_case_list", jurisdiction_slug=jurisdiction_slug)

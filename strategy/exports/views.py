"""Exports: request, progress (page and JSON) and download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from strategy.documents.views import document_kind
from strategy.exports import actions
from strategy.exports.cache import requeue_if_abandoned
from strategy.models import DocumentKind, Export, ExportFormat
from workbook.security.access import Action, JurisdictionAccess

FINAL_FOR_MANAGERS = (
    "Every section was approved before this file was made, so it is the final document, "
    "which only a manager can download."
)


@login_required
def export_request(request, jurisdiction_slug, kind):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    fmt = request.POST.get("format")
    # The packet is a ZIP and only the packet is: any other pairing is not a file we make.
    packet = kind == DocumentKind.PACKET
    if fmt not in ExportFormat.values or packet != (fmt == ExportFormat.ZIP):
        raise Http404
    try:
        export = actions.request_export(
            access, kind if packet else document_kind(kind), fmt, request=request
        )
    except actions.FinalExportRefused as exc:
        messages.error(request, str(exc))
        return redirect("strategy:documents", jurisdiction_slug=jurisdiction_slug)
    return redirect("strategy:export", jurisdiction_slug=jurisdiction_slug, pk=export.pk)


def _export_for(request, jurisdiction_slug, pk) -> tuple:
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    export = get_object_or_404(
        Export.objects.defer("content"), pk=pk, jurisdiction=access.jurisdiction
    )
    return access, export


def _may_download(access, export: Export) -> bool:
    """Drafts for every access, final files for managers, as the file was composed."""
    return not export.final or access.can(Action.EXPORT_FINAL)


def _status(access, export: Export, jurisdiction_slug: str) -> dict:
    done = export.status == Export.Status.DONE
    refused = done and not _may_download(access, export)
    return {
        "status": export.status,
        "label": export.get_status_display(),
        "finished": export.finished,
        # Draft or final is decided when the file is composed, so its name is known only then.
        "filename": export.filename,
        "error": FINAL_FOR_MANAGERS if refused else export.error,
        "download_url": reverse(
            "strategy:export_download",
            kwargs={"jurisdiction_slug": jurisdiction_slug, "pk": export.pk},
        )
        if done and not refused
        else None,
    }


@login_required
def export_status_page(request, jurisdiction_slug, pk):
    access, export = _export_for(request, jurisdiction_slug, pk)
    requeue_if_abandoned(export)
    return render(
        request,
        "strategy/export.html",
        {
            "jurisdiction": access.jurisdiction,
            "export": export,
            "state": _status(access, export, jurisdiction_slug),
        },
    )


@login_required
def export_status_json(request, jurisdiction_slug, pk):
    access, export = _export_for(request, jurisdiction_slug, pk)
    # The page polls this while the user waits: an export whose worker died starts over here.
    requeue_if_abandoned(export)
    return JsonResponse(_status(access, export, jurisdiction_slug))


@login_required
def export_download(request, jurisdiction_slug, pk):
    access, export = _export_for(request, jurisdiction_slug, pk)
    if export.status != Export.Status.DONE or not _may_download(access, export):
        raise Http404
    content = Export.objects.values_list("content", flat=True).get(pk=export.pk)
    if content is None:  # never for a finished export; nothing to serve if it were
        raise Http404
    response = HttpResponse(bytes(content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

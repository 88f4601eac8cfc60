"""The documents page and each document as a web page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from strategy.access import get_reader
from strategy.documents.build import DOCUMENT_KINDS, build_document
from strategy.models import Export, ExportFormat


def document_kind(kind: str) -> str:
    if kind not in DOCUMENT_KINDS:
        raise Http404
    return kind


@login_required
def documents(request, jurisdiction_slug):
    reader = get_reader(request.user, jurisdiction_slug)
    return render(
        request,
        "strategy/documents.html",
        {
            "jurisdiction": reader.jurisdiction,
            "reader": reader,
            "kinds": [(k, Export.Kind(k).label) for k in DOCUMENT_KINDS],
            "formats": ExportFormat.choices,
        },
    )


@login_required
def document(request, jurisdiction_slug, kind):
    reader = get_reader(request.user, jurisdiction_slug)
    doc = build_document(reader.jurisdiction, document_kind(kind))
    return render(
        request,
        "strategy/document_page.html",
        {"jurisdiction": reader.jurisdiction, "reader": reader, "document": doc},
    )

"""The documents page and each document as a web page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from strategy.documents.build import DOCUMENT_KINDS, build_document
from strategy.models import Export, ExportFormat
from workbook.security.access import JurisdictionAccess


def document_kind(kind: str) -> str:
    if kind not in DOCUMENT_KINDS:
        raise Http404
    return kind


@login_required
def documents(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    return render(
        request,
        "strategy/documents.html",
        {
            "jurisdiction": access.jurisdiction,
            "access": access,
            "kinds": [(k, Export.Kind(k).label) for k in DOCUMENT_KINDS],
            "formats": ExportFormat.choices,
        },
    )


@login_required
def document(request, jurisdiction_slug, kind):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    doc = build_document(access.jurisdiction, document_kind(kind))
    return render(
        request,
        "strategy/document_page.html",
        {"jurisdiction": access.jurisdiction, "access": access, "document": doc},
    )

"""The documents page and each document as a web page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from strategy.documents.adoption import CHECK, QUESTION, SECTION, final_blockers
from strategy.documents.build import DOCUMENT_KINDS, document_inputs
from strategy.documents.checks import CHECKS
from strategy.documents.web import document_body
from strategy.models import Export, ExportFormat
from strategy.register.entries import RegisterEntry
from workbook.security.access import Action, JurisdictionAccess

# Each document as PDF and DOCX; the ZIP is the council packet's alone.
DOCUMENT_FORMATS = [(f.value, f.label) for f in (ExportFormat.PDF, ExportFormat.DOCX)]


def document_kind(kind: str) -> str:
    if kind not in DOCUMENT_KINDS:
        raise Http404
    return kind


def screening_urls(
    jurisdiction_slug: str, register: list[RegisterEntry]
) -> dict[int, tuple[str, str]]:
    """Each register entry's name and risk-screening page, by use-case id."""
    return {
        e.use_case.pk: (
            e.use_case.name,
            reverse(
                "strategy:use_case_screening",
                kwargs={"jurisdiction_slug": jurisdiction_slug, "pk": e.use_case.pk},
            ),
        )
        for e in register
    }


@login_required
def documents(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    inputs = document_inputs(access.jurisdiction)
    blockers = final_blockers(
        inputs.answers,
        inputs.places,
        inputs.findings,
        # Only those who may screen a use are sent to its screening page.
        screening_urls(access.jurisdiction.slug, inputs.register)
        if access.can(Action.EDIT_ANSWERS)
        else {},
    )
    return render(
        request,
        "strategy/documents.html",
        {
            "jurisdiction": access.jurisdiction,
            "access": access,
            "kinds": [(k, Export.Kind(k).label) for k in DOCUMENT_KINDS],
            "formats": DOCUMENT_FORMATS,
            "draft": inputs.draft,
            "check_count": len(CHECKS),
            # One check may find several things (one per use, say): count the checks apart.
            "failing_check_count": len({f.check for f in inputs.findings}),
            "failed_checks": [b for b in blockers if b.kind == CHECK],
            "sections_open": [b for b in blockers if b.kind == SECTION],
            "questions_open": [b for b in blockers if b.kind == QUESTION],
        },
    )


@login_required
def document(request, jurisdiction_slug, kind):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    title, body = document_body(access.jurisdiction, document_kind(kind))
    return render(
        request,
        "strategy/document_page.html",
        {"jurisdiction": access.jurisdiction, "access": access, "title": title, "body": body},
    )

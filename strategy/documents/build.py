"""Builds a jurisdiction's documents from the database and renders the shared HTML template."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from strategy.answers import load_answers, load_use_cases
from strategy.documents.adoption import final_blockers
from strategy.documents.checks import run_checks
from strategy.documents.compose import compose
from strategy.documents.inputs import DocumentInputs, SectionPlace
from strategy.documents.model import DOCUMENT_TITLES, Document
from strategy.documents.versions import ContentVersion, read_version
from strategy.register.entries import register_entries
from strategy.scoring.readiness import readiness_from_answers
from workbook.content.cache import workbook_content
from workbook.models import Jurisdiction, SectionProgress, SectionStatus

DOCUMENT_KINDS = tuple(DOCUMENT_TITLES)
DOCUMENT_TEMPLATE = "strategy/document.html"


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def section_places(jurisdiction: Jurisdiction) -> dict[str, SectionPlace]:
    """Each workbook section's number, title, link, assignee and approval."""
    progress = {
        p.section_id: p
        for p in SectionProgress.objects.filter(jurisdiction=jurisdiction).select_related(
            "assignee", "approved_by"
        )
    }
    places = {}
    for section in workbook_content(jurisdiction.workbook).sections:
        row = progress.get(section.pk)
        places[section.slug] = SectionPlace(
            number=section.number,
            title=section.title,
            url=reverse(
                "workbook:section",
                kwargs={"jurisdiction_slug": jurisdiction.slug, "step": section.slug},
            ),
            assignee=_person(row.assignee) if row else "",
            approved_by=_person(row.approved_by) if row else "",
            approved_on=timezone.localdate(row.approved_at) if row and row.approved_at else None,
            approved=row is not None and row.status == SectionStatus.APPROVED,
        )
    return places


def document_inputs(
    jurisdiction: Jurisdiction, version: ContentVersion | None = None
) -> DocumentInputs:
    """What the documents are written from; `version` when the caller has read it already."""
    version = version or read_version(jurisdiction)
    answers = load_answers(jurisdiction)
    register = register_entries(answers, load_use_cases(jurisdiction))
    places = section_places(jurisdiction)
    findings = run_checks(answers, register)
    return DocumentInputs(
        jurisdiction=jurisdiction.name,
        answers=answers,
        readiness=readiness_from_answers(answers),
        register=register,
        # FINAL only when every section is approved, nothing required is open, no check fails.
        draft=bool(final_blockers(answers, places, findings)),
        date=version.date,
        edition=f"{jurisdiction.workbook.edition} {jurisdiction.workbook.version}",
        places=places,
        code=jurisdiction.slug.upper()[:12],
        findings=findings,
        public_register_url=version.public_register_url,
    )


def build_document(
    jurisdiction: Jurisdiction, kind: str, version: ContentVersion | None = None
) -> Document:
    """The composed document of this kind ("strategy" or "sop") for the jurisdiction."""
    return compose(kind, document_inputs(jurisdiction, version))


def document_html(document: Document) -> str:
    """The standalone HTML of a document, as the PDF renderer reads it."""
    return render_to_string(DOCUMENT_TEMPLATE, {"document": document})

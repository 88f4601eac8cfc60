"""Builds a jurisdiction's documents from the database and renders the shared HTML template."""

import datetime

from django.conf import settings
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from strategy.answers import load_answers, load_use_cases
from strategy.documents.adoption import final_blockers
from strategy.documents.checks import run_checks
from strategy.documents.compose import compose
from strategy.documents.inputs import DocumentInputs, SectionPlace
from strategy.documents.model import DOCUMENT_TITLES, Document
from strategy.models import PublishedRegister
from strategy.register.entries import register_entries
from strategy.scoring.readiness import readiness_from_answers
from workbook.content.cache import workbook_content
from workbook.models import Answer, Jurisdiction, SectionProgress, SectionStatus, UseCase

DOCUMENT_KINDS = tuple(DOCUMENT_TITLES)
DOCUMENT_TEMPLATE = "strategy/document.html"


def last_change_date(jurisdiction: Jurisdiction) -> datetime.date:
    """The day the workbook last changed: the document's date, so a re-render is identical."""
    moments = [
        Answer.objects.filter(jurisdiction=jurisdiction).aggregate(m=Max("updated_at"))["m"],
        SectionProgress.objects.filter(jurisdiction=jurisdiction).aggregate(m=Max("updated_at"))[
            "m"
        ],
        UseCase.objects.filter(jurisdiction=jurisdiction).aggregate(m=Max("updated_at"))["m"],
    ]
    latest = max((m for m in moments if m is not None), default=None)
    return timezone.localdate(latest) if latest else timezone.localdate()


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


def public_register_url(jurisdiction: Jurisdiction) -> str:
    """The public AI register's full address, when it is published (documents name it)."""
    if not PublishedRegister.objects.filter(jurisdiction=jurisdiction).exists():
        return ""
    path = reverse("public:register", kwargs={"jurisdiction_slug": jurisdiction.slug})
    return f"{settings.SITE_URL}{path}"


def document_inputs(jurisdiction: Jurisdiction) -> DocumentInputs:
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
        date=last_change_date(jurisdiction),
        edition=f"{jurisdiction.workbook.edition} {jurisdiction.workbook.version}",
        places=places,
        code=jurisdiction.slug.upper()[:12],
        findings=findings,
        public_register_url=public_register_url(jurisdiction),
    )


def build_document(jurisdiction: Jurisdiction, kind: str) -> Document:
    """The composed document of this kind ("strategy" or "sop") for the jurisdiction."""
    return compose(kind, document_inputs(jurisdiction))


def document_html(document: Document) -> str:
    """The standalone HTML of a document, as the PDF renderer reads it."""
    return render_to_string(DOCUMENT_TEMPLATE, {"document": document})

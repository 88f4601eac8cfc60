"""Composes a document: its sections from the composer of its kind, then its open items."""

from collections.abc import Callable

from strategy.documents import resident_summary, resolution, sop, staff_report, strategy
from strategy.documents.adoption import checks_table
from strategy.documents.control import adoption_section, control_fields, revision_history
from strategy.documents.inputs import DocumentInputs
from strategy.documents.model import (
    DOCUMENT_TITLES,
    RESIDENT_SUMMARY,
    RESOLUTION,
    SOP,
    STAFF_REPORT,
    STRATEGY,
    Block,
    Document,
    OpenItem,
    Paragraph,
    Section,
    Table,
)
from strategy.documents.writing import Writer

COMPOSERS: dict[str, Callable[[Writer], list[Section]]] = {
    STRATEGY: strategy.sections,
    SOP: sop.sections,
    STAFF_REPORT: staff_report.sections,
    RESOLUTION: resolution.sections,
    RESIDENT_SUMMARY: resident_summary.sections,
}
# The documents that carry their own adoption and sign-off page; the resolution is the
# adoption of them, and the staff report and resident summary are not signed.
SIGNED = (STRATEGY, SOP)
# A short handout: no control page and no open items appendix, so it fits two pages.
COMPACT = (RESIDENT_SUMMARY,)


def compose(kind: str, inputs: DocumentInputs) -> Document:
    w = Writer(inputs)
    sections = COMPOSERS[kind](w)
    if kind in SIGNED:
        body = sum(1 for s in sections if not s.appendix)
        sections.insert(body, adoption_section(w, kind))
    compact = kind in COMPACT
    control = [] if compact else control_fields(w, kind)
    revisions = [] if compact else revision_history(w, kind)
    open_items = w.open_items()
    checks = checks_table(inputs.findings, inputs.answers, inputs.places)
    if (open_items or checks) and not compact:
        sections.append(open_items_appendix(open_items, checks))
    document = Document(
        kind=kind,
        title=resolution.title(w) if kind == RESOLUTION else DOCUMENT_TITLES[kind],
        jurisdiction=inputs.jurisdiction,
        date=inputs.date,
        draft=inputs.draft,
        edition=inputs.edition,
        sections=[s for s in sections if s.blocks],
        numbered=kind == SOP,
        compact=compact,
        control=control,
        revisions=revisions,
        open_items=open_items,
    )
    document.number_clauses()
    return document


def open_items_appendix(items: list[OpenItem], checks: Table | None = None) -> Section:
    """Every question the document still needs, once, instead of gaps in the body; then the
    checks before adoption that fail."""
    blocks: list[Block] = []
    if items:
        blocks += [
            Paragraph(
                "This draft leaves out what the team has not decided yet. Each open item is a "
                "question in the workbook; answering it adds the missing text to the document."
            ),
            Table(
                "Questions still to answer",
                ["Question", "Workbook section", "Assigned to", "Required"],
                [
                    [
                        i.question,
                        i.section,
                        i.assignee or "Nobody yet",
                        "Yes" if i.required else "No",
                    ]
                    for i in items
                ],
                links=[i.url for i in items],
            ),
        ]
    if checks:
        blocks += [
            Paragraph(
                "Before the document can be adopted, these contradictions and gaps in the "
                "answers must be resolved."
            ),
            checks,
        ]
    return Section("Open items", blocks, appendix=True, page_break=True)

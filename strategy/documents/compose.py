"""Composes a document: its sections from the composer of its kind, then its open items."""

from collections.abc import Callable

from strategy.documents import sop, strategy
from strategy.documents.adoption import checks_table
from strategy.documents.control import adoption_section, control_fields, revision_history
from strategy.documents.inputs import DocumentInputs
from strategy.documents.model import (
    DOCUMENT_TITLES,
    SOP,
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
}


def compose(kind: str, inputs: DocumentInputs) -> Document:
    w = Writer(inputs)
    sections = COMPOSERS[kind](w)
    body = sum(1 for s in sections if not s.appendix)
    sections.insert(body, adoption_section(w, kind))
    control, revisions = control_fields(w, kind), revision_history(w, kind)
    open_items = w.open_items()
    checks = checks_table(inputs.findings, inputs.answers, inputs.places)
    if open_items or checks:
        sections.append(open_items_appendix(open_items, checks))
    document = Document(
        kind=kind,
        title=DOCUMENT_TITLES[kind],
        jurisdiction=inputs.jurisdiction,
        date=inputs.date,
        draft=inputs.draft,
        edition=inputs.edition,
        sections=[s for s in sections if s.blocks],
        numbered=kind == SOP,
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

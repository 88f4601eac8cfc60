"""DOCX rendering with python-docx: real Heading styles, list styles and tables.

The readiness chart becomes its table and description (Word has no SVG from python-docx);
every number is in the table anyway. User text is added as plain runs, never as markup.
"""

import io

from docx import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.shared import Pt

from strategy.documents.model import Document

RENDERER_VERSION = "docx-1"


def _clean(text: str) -> str:
    # XML 1.0 forbids most control characters; python-docx would raise on them.
    return "".join(ch for ch in str(text) if ch in "\t\n" or ord(ch) >= 32)


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    word.core_properties.title = _clean(document.full_title)
    word.core_properties.author = _clean(document.jurisdiction)
    word.core_properties.subject = document.title
    word.core_properties.keywords = document.status
    word.styles["Normal"].font.name = "Source Sans Pro"
    word.styles["Normal"].font.size = Pt(11)
    header = word.sections[0].header.paragraphs[0]
    header.text = _clean(f"{document.full_title} · {document.status}")

    word.add_paragraph(_clean(document.jurisdiction), style="Subtitle")
    word.add_heading(_clean(document.title), level=0)
    status = word.add_paragraph()
    status.add_run(document.status).bold = True
    word.add_paragraph(f"Date: {document.date.day} {document.date:%B %Y}")
    word.add_paragraph(_clean(f"Prepared with {document.edition}"))
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    word.add_heading("Contents", level=1)
    for section in document.sections:
        word.add_paragraph(_clean(section.title))

    for section in document.sections:
        heading = word.add_heading(_clean(section.title), level=1)
        if section.appendix or section.page_break:
            heading.paragraph_format.page_break_before = True
        for block in section.blocks:
            _add_block(word, block)

    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _add_block(word, block) -> None:
    match block.kind:
        case "paragraph":
            word.add_paragraph(_clean(f"{block.number} {block.text}".strip()))
        case "subheading":
            word.add_heading(_clean(block.text), level=2)
        case "list":
            style = "List Number" if block.ordered else "List Bullet"
            if block.lead or block.number:
                word.add_paragraph(_clean(f"{block.number} {block.lead}".strip()))
            for item in block.items:
                word.add_paragraph(_clean(item), style=style)
        case "table":
            _add_table(word, block.caption, block.headers, block.rows)
        case "chart":
            word.add_paragraph(_clean(block.chart.description))


def _add_table(word, caption: str, headers: list[str], rows: list[list[str]]) -> None:
    word.add_paragraph(_clean(caption), style="Caption")
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = _clean(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = _clean(value)

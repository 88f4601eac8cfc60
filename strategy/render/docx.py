"""DOCX rendering with python-docx: real Heading styles, list styles, tables and fields.

Word updates the table of contents and the page numbers itself: they are fields (TOC, PAGE,
NUMPAGES), and the settings ask Word to update fields when the file opens. The readiness chart
is a PNG drawn from the same geometry as the SVG, with the chart's description as its
alternative text. User text is added as plain runs, never as markup.
"""

import io

from docx import Document as WordDocument
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from strategy.documents.model import (
    Block,
    BulletList,
    Document,
    Paragraph,
    ScoreChart,
    Subheading,
    Table,
)
from strategy.render.chart import chart_png
from workbook.answers.presenter import date_text

RENDERER_VERSION = "docx-2"
TOC_FIELD = r'TOC \o "1-3" \h \z \u'
CHART_WIDTH = Cm(15)
SIGNING_ROW_HEIGHT = Cm(1)


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
    page = word.sections[0]
    page.header.paragraphs[0].text = _clean(f"{document.full_title} · {document.status}")
    _page_number_footer(page.footer.paragraphs[0])
    _update_fields_on_open(word)

    _cover(word, document)
    if not document.compact:  # a short handout runs on from its title, with no contents
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        word.add_paragraph("Contents", style="TOC Heading")
        _table_of_contents(word, document)

    lists = _ListNumbering(word)
    for index, section in enumerate(document.sections):
        heading = word.add_heading(_clean(section.title), level=1)
        # The contents on a page alone.
        if (index == 0 and not document.compact) or section.appendix or section.page_break:
            heading.paragraph_format.page_break_before = True
        for block in section.blocks:
            _add_block(word, block, lists)

    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _cover(word, document: Document) -> None:
    word.add_paragraph(_clean(document.jurisdiction), style="Subtitle")
    word.add_heading(_clean(document.title), level=0)
    status = word.add_paragraph()
    status.add_run(document.status).bold = True
    if document.control:
        word.add_paragraph(
            "Document control", style="Caption"
        ).paragraph_format.keep_with_next = True
        _grid(
            word,
            None,
            [[field.label, field.value] for field in document.control],
            first_column_bold=True,
        )
    else:
        word.add_paragraph(f"Date: {date_text(document.date)}")
    word.add_paragraph(_clean(f"Prepared with {document.edition}"))
    if document.revisions:
        word.add_paragraph(
            "Revision history", style="Caption"
        ).paragraph_format.keep_with_next = True
        _grid(
            word,
            ["Version", "Date", "Change"],
            [[r.version, date_text(r.date), r.change] for r in document.revisions],
        )


def _add_block(word, block: Block, lists: "_ListNumbering") -> None:
    match block:
        case Paragraph():
            paragraph = word.add_paragraph()
            _clause_number(paragraph, block.number)
            paragraph.add_run(_clean(block.text))
        case Subheading():
            word.add_heading(_clean(block.text), level=2)
        case BulletList():
            style = "List Number" if block.ordered else "List Bullet"
            if block.lead or block.number:
                lead = word.add_paragraph()
                lead.paragraph_format.keep_with_next = True
                _clause_number(lead, block.number)
                lead.add_run(_clean(block.lead))
            number = lists.restart() if block.ordered else None
            for item in block.items:
                paragraph = word.add_paragraph(_clean(item), style=style)
                if number is not None:
                    lists.apply(paragraph, number)
        case Table():
            _caption(
                word, f"Table {block.number}: {block.caption}" if block.number else block.caption
            )
            _grid(word, block.headers, block.rows, first_column_bold=True)
        case ScoreChart():
            _caption(
                word, f"Figure {block.number}: {block.caption}" if block.number else block.caption
            )
            chart = block.chart
            picture = word.add_paragraph()
            picture.add_run().add_picture(io.BytesIO(chart_png(chart)), width=CHART_WIDTH)
            for properties in picture._p.iter(qn("wp:docPr")):
                properties.set("descr", _clean(chart.description))
                properties.set("title", _clean(chart.title))
            word.add_paragraph(_clean(f"{chart.note}."))  # as under the web and PDF chart


def _clause_number(paragraph, number: str) -> None:
    if number:
        paragraph.add_run(f"{number} ").bold = True


def _caption(word, text: str) -> None:
    caption = word.add_paragraph(_clean(text), style="Caption")
    caption.paragraph_format.keep_with_next = True


def _grid(word, headers, rows, first_column_bold: bool = False) -> None:
    columns = len(headers) if headers else max((len(r) for r in rows), default=1)
    table = word.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    if headers:
        cells = table.add_row().cells
        for cell, header in zip(cells, headers, strict=True):
            cell.text = _clean(header)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        _repeat_as_header(table.rows[0])
    for row in rows:
        added = table.add_row()
        if any(not str(value).strip() for value in row):  # a blank to sign or date by hand
            added.height = SIGNING_ROW_HEIGHT
            added.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        cells = added.cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = _clean(value)
            if first_column_bold and index == 0 and not headers:
                for run in cell.paragraphs[0].runs:
                    run.bold = True


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (begin, instruction, separate, result, end) that Word recalculates."""

    def char(kind: str):
        run = OxmlElement("w:r")
        mark = OxmlElement("w:fldChar")
        mark.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            mark.set(qn("w:dirty"), "true")
        run.append(mark)
        paragraph._p.append(run)

    char("begin")
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run.append(text)
    paragraph._p.append(run)
    char("separate")
    lines = placeholder.split("\n") if placeholder else [""]
    result = paragraph.add_run()
    for index, line in enumerate(lines):
        if index:
            result.add_break()
        result.add_text(line)
    char("end")


def _table_of_contents(word, document: Document) -> None:
    # Until Word updates the field, its result lists the sections, so the contents never show
    # empty in a viewer that does not update fields.
    paragraph = word.add_paragraph()
    _field(paragraph, TOC_FIELD, "\n".join(_clean(s.title) for s in document.sections))


def _page_number_footer(paragraph) -> None:
    paragraph.add_run("Page ")
    _field(paragraph, "PAGE", "1")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES", "1")


# The elements that follow w:updateFields in the schema's sequence for w:settings.
AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def _update_fields_on_open(word) -> None:
    """Word asks to update the fields (the contents' page numbers) when the file opens."""
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    following = [settings.find(qn(tag)) for tag in AFTER_UPDATE_FIELDS]
    first = next((element for element in following if element is not None), None)
    if first is None:
        settings.append(update)
    else:
        first.addprevious(update)


class _ListNumbering:
    """A fresh numbering (1, 2, 3 …) for each ordered list: python-docx's "List Number" style
    alone continues one count through the whole document."""

    def __init__(self, word):
        self.numbering = word.part.numbering_part.element
        style = word.styles["List Number"]
        num_pr = style.element.pPr.numPr if style.element.pPr is not None else None
        self.style_num = int(num_pr.numId.val) if num_pr is not None else None

    def restart(self) -> int | None:
        if self.style_num is None:
            return None
        abstract = self.numbering.num_having_numId(self.style_num).abstractNumId.val
        num = self.numbering.add_num(abstract)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(1)
        return int(num.numId)

    def apply(self, paragraph, number: int) -> None:
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = number

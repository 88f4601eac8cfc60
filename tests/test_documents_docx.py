"""The DOCX renderer: heading styles, lists and tables that python-docx reads back, a contents
field and page-number fields Word updates, the model's numbers, and the chart as an image with
alternative text."""

import io
import re
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm
from PIL import Image

from strategy.documents.build import build_document
from strategy.documents.model import BulletList, Document, Paragraph, ScoreChart, Table
from strategy.render.docx import TOC_FIELD, render_docx
from tests.test_document_typography import sample_document
from tests.test_documents import add_use_cases

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_back(document: Document):
    data = render_docx(document)
    return data, docx.Document(io.BytesIO(data))


def fields(element) -> list[str]:
    """The instructions of the complex fields in an element, checked to have begin, separate
    and end marks in that order."""
    found, marks, instruction = [], [], ""
    for node in element.iter(qn("w:fldChar"), qn("w:instrText")):
        if node.tag == qn("w:instrText"):
            instruction += node.text or ""
            continue
        kind = node.get(qn("w:fldCharType"))
        marks.append(kind)
        if kind == "end":
            found.append(instruction.strip())
            instruction = ""
    assert marks == ["begin", "separate", "end"] * len(found), marks
    return found


CLAUSE_NUMBER = re.compile(r"^[0-9A-Z]+(?:\.[0-9]+)+ $")


def clause_paragraphs(word) -> list[str]:
    """The texts of paragraphs that start with a clause number in a bold run of its own."""
    return [
        p.text
        for p in word.paragraphs
        if p.runs and p.runs[0].bold and CLAUSE_NUMBER.match(p.runs[0].text)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["strategy", "sop"])
def test_headings_lists_tables_and_numbers(demo, kind):
    document = build_document(add_use_cases(demo), kind)
    _, word = read_back(document)

    headings = [
        (p.style.name, p.text)
        for p in word.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert ("Title", document.title) in headings
    assert [text for style, text in headings if style == "Heading 1"] == [
        s.title for s in document.sections
    ]
    assert any(p.style.name == "TOC Heading" and p.text == "Contents" for p in word.paragraphs)
    assert word.core_properties.title == f"City of Riverton {document.title}"
    assert "DRAFT" in word.sections[0].header.paragraphs[0].text

    blocks = [b for s in document.sections for b in s.blocks]
    tables = [b for b in blocks if isinstance(b, Table)]
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    for table in tables:
        assert f"Table {table.number}: {table.caption}" in captions
    front = bool(document.control) + bool(document.revisions)
    assert len(word.tables) == len(tables) + front
    for table, grid in zip(tables, word.tables[front:], strict=True):
        assert [c.text for c in grid.rows[0].cells] == table.headers
        assert [[c.text for c in row.cells] for row in grid.rows[1:]] == table.rows
    items = {p.text for p in word.paragraphs if p.style.name in ("List Bullet", "List Number")}
    assert {i for b in blocks if isinstance(b, BulletList) for i in b.items} <= items

    if document.numbered:
        numbers = [b.number for b in blocks if isinstance(b, Paragraph | BulletList)]
        assert numbers and [t.split(" ")[0] for t in clause_paragraphs(word)] == numbers


@pytest.mark.django_db
def test_contents_and_page_number_fields(demo):
    document = build_document(add_use_cases(demo), "sop")
    data, word = read_back(document)

    assert fields(word.element.body) == [TOC_FIELD]
    toc = next(p for p in word.paragraphs if TOC_FIELD in p._p.xml)
    # Until Word updates the field, its result lists every section.
    assert toc.text.split("\n") == [s.title for s in document.sections]
    assert fields(word.sections[0].footer._element) == ["PAGE", "NUMPAGES"]
    assert "Page" in word.sections[0].footer.paragraphs[0].text
    update = word.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"
    # w:updateFields sits where the schema puts it: before w:compat.
    order = [child.tag for child in word.settings.element]
    assert order.index(qn("w:updateFields")) < order.index(qn("w:compat"))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "updateFields" in package.read("word/settings.xml").decode()


@pytest.mark.django_db
def test_chart_is_an_image_with_alternative_text(demo):
    document = build_document(add_use_cases(demo), "strategy")
    chart = next(b for s in document.sections for b in s.blocks if isinstance(b, ScoreChart))
    data, word = read_back(document)

    pictures = list(word.element.body.iter(qn("wp:docPr")))
    assert len(pictures) == 1
    assert pictures[0].get("descr") == chart.chart.description
    assert pictures[0].get("title") == chart.chart.title
    captions = [p.text for p in word.paragraphs if p.style.name == "Caption"]
    assert f"Figure {chart.number}: {chart.caption}" in captions
    assert f"{chart.chart.note}." in [p.text for p in word.paragraphs]  # what each ring marks
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        images = [n for n in package.namelist() if n.startswith("word/media/")]
        assert len(images) == 1 and images[0].endswith(".png")
        image = Image.open(io.BytesIO(package.read(images[0])))
        image.load()
    assert image.format == "PNG" and image.width >= 1280
    # Drawn, not blank: today's polygon in the chart's blue is in the picture.
    colors = {color for _, color in image.convert("RGB").getcolors(1 << 20) or []}
    assert (0, 94, 162) in colors


def test_document_control_revisions_and_ordered_lists():
    document = sample_document()
    _, word = read_back(document)

    control = word.tables[0]
    assert [[c.text for c in row.cells] for row in control.rows] == [
        [f.label, f.value] for f in document.control
    ]
    revisions = word.tables[1]
    assert [c.text for c in revisions.rows[0].cells] == ["Version", "Date", "Change"]
    assert [c.text for c in revisions.rows[1].cells] == [
        "1.0",
        "December 1, 2026",
        "First version for adoption.",
    ]
    assert "2.2 Staff must follow these steps:" in clause_paragraphs(word)
    # A row with blanks to sign and date by hand has room to write.
    signing = word.tables[-1].rows[1]
    assert [c.text for c in signing.cells] == ["Approved by", "Robin Lee", "", ""]
    assert signing.height is not None and signing.height >= Cm(1)
    # Each ordered list counts from 1 on its own numbering.
    ordered = [p for p in word.paragraphs if p.style.name == "List Number"]
    assert [p.text for p in ordered] == [
        "Request the use",
        "Screen its risk",
        "Approve it at its tier",
    ]
    num_ids = {p._p.pPr.numPr.numId.val for p in ordered}
    assert len(num_ids) == 1
    numbering = word.part.numbering_part.element
    num = numbering.num_having_numId(num_ids.pop())
    start = num.find(f"{W}lvlOverride/{W}startOverride")
    assert start is not None and start.get(qn("w:val")) == "1"


def test_control_characters_in_text_do_not_break_the_file():
    document = sample_document()
    document.sections[0].blocks.insert(0, Paragraph("Bell\x07 and form feed\x0c here."))
    document.number_clauses()
    _, word = read_back(document)
    assert any(p.text.endswith("Bell and form feed here.") for p in word.paragraphs)

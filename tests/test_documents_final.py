"""Alder Falls' FINAL strategy and SOP read back from the PDF and the Word file.

Typesetting (words, page ends, contents, the quick-reference card) is checked for every demo
document in tests/test_document_typography.py; this file checks what a FINAL document says.
"""

import io
import re

import docx
import pytest
from pypdf import PdfReader

from strategy.documents.build import build_document
from strategy.documents.model import BulletList, Paragraph, Table
from strategy.render.docx import render_docx
from strategy.render.pdf import render_pdf
from tests.test_document_typography import pdf_body_text, squeeze, unhyphenated
from workbook.models import Jurisdiction, Question

pytestmark = pytest.mark.django_db
DOUBLED = re.compile(r"[.,;:]\s*[.,;:](?!\.)")


@pytest.fixture
def alder_falls(demo) -> Jurisdiction:
    return Jurisdiction.objects.get(slug="alderfalls")


@pytest.mark.parametrize("kind", ["strategy", "sop"])
def test_final_document_says_only_what_was_decided(alder_falls, kind):
    document = build_document(alder_falls, kind)
    assert document.status == "FINAL" and not document.open_items
    reader = PdfReader(io.BytesIO(render_pdf(document)))
    text = pdf_body_text(reader, document)
    flat = unhyphenated(text)

    assert "Not yet answered" not in text and "DRAFT" not in text
    assert "Open items" not in text and "Checks before adoption" not in text
    # No question of the workbook is printed: the documents speak in clauses.
    for question in Question.active.filter(workbook=alder_falls.workbook):
        assert squeeze(question.text) not in flat, question.slug
    # The contents page's dot leaders aside, no punctuation is doubled.
    assert not DOUBLED.findall(re.sub(r"\.{3,}", " ", text))

    # Document control: every field, with its value, on the cover.
    labels = {f.label for f in document.control}
    assert {"Document number", "Version", "Status", "Effective date", "Supersedes"} <= labels
    assert {"Owner", "Approved by", "Next review"} <= labels
    for field in document.control:
        assert unhyphenated(f"{field.label}{field.value}") in flat, field.label
    assert "Pending" not in {f.label: f.value for f in document.control}["Approved by"]

    # Each table once, named by its number; later mentions refer to it in words.
    tables = [b for s in document.sections for b in s.blocks if isinstance(b, Table)]
    captions = [t.caption for t in tables]
    assert len(captions) == len(set(captions))
    for table in tables:
        assert flat.count(unhyphenated(f"Table {table.number}: {table.caption}")) == 1


def test_final_sop_clauses_are_numbered_without_gaps(alder_falls):
    document = build_document(alder_falls, "sop")
    for section in document.sections:
        numbers = [b.number for b in section.blocks if isinstance(b, Paragraph | BulletList)]
        assert numbers == [f"{section.number}.{i}" for i in range(1, len(numbers) + 1)]


@pytest.mark.parametrize("kind", ["strategy", "sop"])
def test_final_word_file_has_contents_page_numbers_and_control(alder_falls, kind):
    document = build_document(alder_falls, kind)
    word = docx.Document(io.BytesIO(render_docx(document)))
    body = word.element.body.xml
    assert "TOC \\o" in body
    footer = word.sections[0].footer._element.xml
    assert "PAGE" in footer
    text = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    for field in document.control:
        assert field.value in cells, field.label
    assert "Not yet answered" not in text + cells
    if kind == "strategy":
        assert any("descr=" in s._inline.xml for s in word.inline_shapes)

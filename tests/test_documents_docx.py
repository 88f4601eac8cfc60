"""The DOCX renderer: real heading styles, lists and tables that python-docx reads back."""

import io

import docx
import pytest

from strategy.documents.build import build_document
from strategy.render.docx import render_docx
from tests.test_documents import add_use_cases

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["strategy", "sop"])
def test_headings_lists_and_tables(demo, kind):
    jurisdiction = add_use_cases(demo)
    document = build_document(jurisdiction, kind)
    word = docx.Document(io.BytesIO(render_docx(document)))

    headings = [
        (p.style.name, p.text)
        for p in word.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert ("Title", document.title) in headings
    level_one = [text for style, text in headings if style == "Heading 1"]
    assert level_one == ["Contents", *(s.heading for s in document.sections)]
    assert any(style == "Heading 2" for style, _ in headings)
    assert any(p.style.name == "List Bullet" for p in word.paragraphs)
    assert word.core_properties.title == f"City of Riverton {document.title}"
    assert "DRAFT" in word.sections[0].header.paragraphs[0].text

    approvers = next(t for t in word.tables if t.rows[0].cells[1].text == "Approver")
    assert [c.text for c in approvers.rows[3].cells[:2]] == ["III - High", "City Manager"]
    assert len(word.tables) >= 4
    markers = [p.text for p in word.paragraphs if p.text.startswith("Not yet answered: ")]
    assert len(markers) == document.not_answered_count()

"""Hostile answers stay literal text in the HTML page, the PDF and the DOCX, and fetch nothing."""

import io

import docx
import pytest
from pypdf import PdfReader

from strategy.documents.build import build_document
from strategy.render.docx import render_docx
from strategy.render.pdf import render_pdf
from tests.test_pdf import embedded_files, loopback, squeeze  # noqa: F401 - fixture
from workbook.answers.actions import save_section
from workbook.models import Jurisdiction, Section, SectionProgress
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db


def hostile_answers(url: str) -> dict[str, dict[str, str]]:
    """Section → question → hostile text, in places the documents print."""
    return {
        "vision": {
            "vision-statement": "<script>alert(1)</script>",
            "vision-success": "{{ 7|add:7 }}",
            "vision-red-lines": "{% debug %}",
            "vision-principles-meaning": f"<style>body{{background:url({url}/css.png)}}</style>",
        },
        "governance": {
            "gov-committee-members": f'<img src="{url}/x.png">',
            "gov-sunset-criteria": "file:///etc/passwd",
            "gov-ai-lead": '<link rel=attachment href="file:///etc/passwd">',
        },
    }


@pytest.fixture
def hostile(demo, loopback):  # noqa: F811 - the fixture imported above
    jurisdiction = Jurisdiction.objects.get(slug="riverton")
    answers = hostile_answers(loopback.url)
    for slug, values in answers.items():
        section = Section.objects.get(workbook=jurisdiction.workbook, slug=slug)
        version = SectionProgress.objects.get(jurisdiction=jurisdiction, section=section).version
        save_section(
            access=JurisdictionAccess.of(demo["riverton-editor"], jurisdiction),
            section=section,
            values=values,
            expected_version=version,
        )
    return [text for values in answers.values() for text in values.values()]


def test_html_page_shows_hostile_answers_as_text(client, demo, hostile, loopback):  # noqa: F811
    client.force_login(demo["riverton-viewer"])
    html = client.get("/j/riverton/documents/strategy/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "{{ 7|add:7 }}" in html  # shown, not evaluated
    assert "{% debug %}" in html
    assert "&lt;img src=&quot;" in html and f'<img src="{loopback.url}' not in html
    assert "&lt;link rel=attachment" in html
    assert "&lt;style&gt;body{background:url(" in html
    assert loopback.requests == 0


def test_pdf_shows_hostile_answers_as_text_and_fetches_nothing(hostile, loopback):  # noqa: F811
    document = build_document(Jurisdiction.objects.get(slug="riverton"), "strategy")
    reader = PdfReader(io.BytesIO(render_pdf(document)))
    text = squeeze("\n".join(page.extract_text() for page in reader.pages))
    for answer in hostile:
        assert squeeze(answer) in text, answer
    assert loopback.requests == 0
    assert embedded_files(reader) == 0


def test_docx_shows_hostile_answers_as_text(hostile, loopback):  # noqa: F811
    document = build_document(Jurisdiction.objects.get(slug="riverton"), "strategy")
    word = docx.Document(io.BytesIO(render_docx(document)))
    text = "\n".join(p.text for p in word.paragraphs)
    text += "\n".join(c.text for t in word.tables for r in t.rows for c in r.cells)
    for answer in hostile:
        assert answer in text, answer
    assert loopback.requests == 0

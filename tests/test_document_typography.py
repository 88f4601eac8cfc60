"""Typesetting of the finished documents in PDF: no word broken mid-word, no heading or caption
left at the foot of a page, no half-empty page, every section in the contents and bookmarks, and
the numbers of the document model (sections, clauses, tables, figures) in every format.

The PDFs are real WeasyPrint output read back with pypdf; the demo Riverton documents come from
the composers, and a hand-built document holds what they may not (narrow columns full of long
words and dates, use-rule subheadings, an ordered list, document control and revisions).
"""

import datetime
import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader

from strategy.documents.build import build_document, document_html
from strategy.documents.model import (
    BulletList,
    ControlField,
    Document,
    Paragraph,
    Revision,
    ScoreChart,
    Section,
    Subheading,
    Table,
)
from strategy.render.pdf import laid_out
from strategy.scoring.readiness import DimensionScore, Readiness
from tests.test_documents import add_use_cases
from workbook.models import Jurisdiction

WORD = re.compile(r"\w+")
# WeasyPrint hyphenates with U+2010 HYPHEN; a word broken at a hyphenation point ends a line
# with it and goes on at the start of the next.
LINE_END_HYPHEN = re.compile(r"\w+(?:[\u2010\u00ad-]\n\w+)+")
HYPHEN_BREAK = re.compile(r"[\u2010\u00ad-]\n")
PAGE_FOOTER = re.compile(r"^Page \d+ of \d+$")
LIST_MARKER = re.compile(r"^(?:•|\d+\.|[a-z]\.)?$")


# Reading the HTML and the PDF back --------------------------------------------------------------


class _TextOf(HTMLParser):
    """The text of an HTML document's body, as a reader sees it (not its <head>)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "style", "script"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("head", "style", "script"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def html_words(html: str) -> set[str]:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return set(WORD.findall(" ".join(parser.parts)))


def running_line(document: Document) -> str:
    """The page header as pypdf extracts it."""
    return f"{document.jurisdiction} · {document.title} {document.status}"


def body_lines(page_text: str, document: Document) -> list[str]:
    """A page's lines without the running header, the page footer and bare list markers
    (pypdf extracts the bullets of a page after its text)."""
    header = squeeze(running_line(document))
    return [
        line
        for line in (raw.strip() for raw in page_text.splitlines())
        if not PAGE_FOOTER.match(line) and squeeze(line) != header and not LIST_MARKER.match(line)
    ]


def squeeze(text: str) -> str:
    return "".join(text.split())


def pdf_body_text(reader: PdfReader, document: Document) -> str:
    """The whole document's text, pages joined, so a word hyphenated across a page break joins."""
    return "\n".join(
        "\n".join(body_lines(page.extract_text() or "", document)) for page in reader.pages
    )


def pdf_words(text: str, known: set[str]) -> list[str]:
    """The words of PDF text, a word hyphenated at a line end joined again ("Depart-\\nment"),
    a compound that was hyphenated anyway ("decision-\\nmaking") left as its parts."""

    def join(match: re.Match) -> str:
        joined = HYPHEN_BREAK.sub("", match.group(0))
        return joined if joined in known else HYPHEN_BREAK.sub(" ", match.group(0))

    return WORD.findall(LINE_END_HYPHEN.sub(join, text))


def words_not_in_html(pdf: bytes, html: str, document: Document) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    # The page numbers of the contents are the PDF's own words.
    known = html_words(html) | {str(n) for n in range(1, len(reader.pages) + 1)}
    return [w for w in pdf_words(pdf_body_text(reader, document), known) if w not in known]


def clauses_in_order(text: str, clauses: list[str]) -> bool:
    """True when every clause number starts a line of the text, in the model's order."""
    position = 0
    for number in clauses:
        found = re.compile(rf"^{re.escape(number)}(?:\s|$)", re.MULTILINE).search(text, position)
        if not found:
            return False
        position = found.end()
    return True


def unhyphenated(text: str) -> str:
    return squeeze(HYPHEN_BREAK.sub("", text))


def headings_of(document: Document) -> list[str]:
    """Every text that must be followed on its page by what it introduces."""
    texts = []
    for section in document.sections:
        texts.append(section.title)
        for block in section.blocks:
            if isinstance(block, Subheading):
                texts.append(block.text)
            elif isinstance(block, Table):
                texts.append(f"Table {block.number}: {block.caption}")
            elif isinstance(block, ScoreChart):
                texts.append(f"Figure {block.number}: {block.caption}")
            elif isinstance(block, BulletList) and block.lead:
                texts.append(f"{block.number} {block.lead}".strip())
    return texts


def headings_ending_a_page(reader: PdfReader, document: Document) -> list[tuple[int, str]]:
    headings = [squeeze(h) for h in headings_of(document)]
    found = []
    for number, page in enumerate(reader.pages, start=1):
        text = unhyphenated("\n".join(body_lines(page.extract_text() or "", document)))
        found += [(number, h) for h in headings if h and text.endswith(h)]
    return found


def sparse_pages(html: str) -> list[tuple[int, float]]:
    """Pages filled less than half, except the last and those before a part that starts a new
    page (the contents, an appendix, a section that asks for a new page)."""
    from weasyprint.formatting_structure import boxes

    pages = laid_out(html).pages
    fills, starts_new_page = [], []
    for page in pages:
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        bottom, first, first_ancestors = top, None, ()
        stack: list[tuple] = [(page_box, ())]
        while stack:
            box, ancestors = stack.pop()
            if isinstance(box, boxes.MarginBox):
                continue
            if box.element is not None and (not ancestors or ancestors[-1] is not box.element):
                ancestors = (*ancestors, box.element)
            if isinstance(box, boxes.TextBox | boxes.ReplacedBox) and box.element is not None:
                bottom = max(bottom, box.position_y + box.margin_height())
                if first is None or box.position_y < first.position_y:
                    first, first_ancestors = box, ancestors
            stack.extend((child, ancestors) for child in reversed(getattr(box, "children", [])))
        fills.append((bottom - top) / height)
        starts_new_page.append(_starts_new_page(first_ancestors))
    return [
        (index + 1, round(fill, 2))
        for index, fill in enumerate(fills[:-1])
        if fill < 0.5 and not starts_new_page[index + 1]
    ]


NEW_PAGE_CLASSES = {"doc-toc", "doc-section--appendix", "doc-section--new-page"}


def _starts_new_page(ancestors: tuple) -> bool:
    """True when a page begins inside a part that the stylesheet starts on a new page: the
    contents, an appendix or a new-page section, or the first section (after the contents)."""
    for element in ancestors:
        classes = set((element.get("class") or "").split())
        if classes & NEW_PAGE_CLASSES:
            return True
        if "doc-section" in classes:
            sections = [e for e in ancestors[ancestors.index(element) - 1] if e.tag == "section"]
            return bool(sections) and sections[0] is element
    return False


def pages_of(reader: PdfReader, document: Document, section: Section) -> int:
    """How many pages a section spans: from the page its title starts to the page before the
    next section's title (or the last page)."""
    firsts = [body_lines(page.extract_text() or "", document)[:1] for page in reader.pages]
    start = firsts.index([section.title])
    following = document.sections[document.sections.index(section) + 1 :]
    end = firsts.index([following[0].title]) if following else len(firsts)
    return end - start


def outline_titles(reader: PdfReader) -> list[str]:
    titles = []
    stack = list(reversed(reader.outline))
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        else:
            titles.append(item.title)
    return titles


def contents_entries(reader: PdfReader) -> list[tuple[str, int]]:
    pages = [page.extract_text() or "" for page in reader.pages]
    toc = next(text for text in pages if text.lstrip().startswith("Contents"))
    return [
        (title.strip(), int(number))
        for title, number in re.findall(r"^(.+?)\s*\.{3,}\s*(\d+)\s*$", toc, flags=re.MULTILINE)
    ]


# A hand-built document ----------------------------------------------------------------------

LONG_WORDS = [
    "Telecommunications",
    "Intergovernmental",
    "Confidentiality",
    "Responsibilities",
    "Accountability",
    "Administrative",
]
DATES = ["February 9, 2027", "September 30, 2026", "November 12, 2027", "December 1, 2026"]


def sample_document() -> Document:
    """A numbered document with every kind of block, tables with narrow columns of long words and
    dates, and enough text to fill several pages."""
    readiness = Readiness(
        [
            DimensionScore(f"d{i}", title, score, 1, 1, level)
            for i, (title, score, level) in enumerate(
                [
                    ("Leadership and strategy", 60, 4),
                    ("Governance and policy", 45, 4),
                    ("Data foundations", 30, 3),
                    ("Technology and security", 70, 4),
                    ("Workforce skills", None, 3),
                ]
            )
        ]
    )
    filler = (
        "Departmental coordinators must document every intergovernmental agreement, keep the "
        "accountability records of each telecommunications procurement and review the "
        "administrative responsibilities of their staff each quarter."
    )

    def narrow() -> Table:
        return Table(
            "Tools and the data each may receive",
            ["Tool", *LONG_WORDS[:4], "Approved on", "Review by"],
            [
                [f"{word} assistant", *LONG_WORDS[:4], DATES[i % 4], DATES[(i + 1) % 4]]
                for i, word in enumerate(LONG_WORDS)
            ],
        )

    sections = [
        Section(
            "Purpose and scope",
            [
                Paragraph(filler),
                BulletList(
                    [f"{word} units and their contractors" for word in LONG_WORDS],
                    lead="The procedure applies to:",
                ),
                Paragraph(filler + " " + filler),
            ],
        ),
        Section(
            "Uses",
            [
                Subheading("Permitted: uses without asking"),
                BulletList(["Drafting routine emails", "Summarizing public documents"]),
                Subheading("Needs approval: ask first"),
                BulletList(
                    ["Request the use", "Screen its risk", "Approve it at its tier"],
                    ordered=True,
                    lead="Staff must follow these steps:",
                ),
                Subheading("Prohibited: never allowed"),
                Paragraph("Staff must never put restricted data into an unapproved tool."),
                *[Paragraph(filler) for _ in range(6)],
            ],
        ),
        Section("Tools", [Paragraph(filler), narrow(), *[Paragraph(filler) for _ in range(8)]]),
        Section("Readiness", [Paragraph(filler), ScoreChart(readiness), Paragraph(filler)]),
        Section(
            "Reference card",
            [
                Paragraph(filler),
                narrow(),
                Table(
                    "Sign-off",
                    ["Signing as", "Name", "Signature", "Date"],
                    [["Approved by", "Robin Lee", "", ""]],
                ),
            ],
            appendix=True,
            page_break=True,
        ),
    ]
    document = Document(
        kind="sop",
        title="AI Standard Operating Procedure",
        jurisdiction="Town of Example",
        date=datetime.date(2026, 12, 1),
        draft=True,
        edition="AI Strategy Workbook 2026.1",
        sections=sections,
        numbered=True,
        control=[
            ControlField("Document number", "EX-SOP-1"),
            ControlField("Version", "1.0"),
            ControlField("Status", "Draft"),
            ControlField("Effective date", "February 9, 2027"),
            ControlField("Owner", "Digital Services Manager"),
        ],
        revisions=[Revision("1.0", datetime.date(2026, 12, 1), "First version for adoption.")],
    )
    document.number_clauses()
    return document


@pytest.fixture(scope="module")
def sample():
    document = sample_document()
    html = document_html(document)
    return document, html, laid_out(html).write_pdf()


def test_sample_pdf_has_every_word_of_the_html_and_no_broken_one(sample):
    document, html, pdf = sample
    assert words_not_in_html(pdf, html, document) == []
    # The check itself catches a word broken without a hyphen.
    assert words_not_in_html(
        pdf, html.replace("Telecommunications", "Telecommu nications"), document
    )


def test_dates_stay_on_one_line(sample):
    _, _, pdf = sample
    lines = [
        line
        for page in PdfReader(io.BytesIO(pdf)).pages
        for line in (page.extract_text() or "").splitlines()
    ]
    text = "\n".join(lines)
    for date in DATES:
        assert date in text, date  # on one line: no line break inside it
    assert not re.search(r"(January|February|September|November|December)\s*\n\s*20\d\d", text)


def test_sample_headings_and_captions_never_end_a_page(sample):
    document, _, pdf = sample
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 5
    assert headings_ending_a_page(reader, document) == []


def test_sample_has_no_half_empty_page(sample):
    _, html, _ = sample
    assert sparse_pages(html) == []


def test_sample_contents_and_bookmarks_list_every_section(sample):
    document, _, pdf = sample
    reader = PdfReader(io.BytesIO(pdf))
    titles = [s.title for s in document.sections]
    assert [title for title, _ in contents_entries(reader)] == titles
    assert set(titles) <= set(outline_titles(reader))
    assert "Appendix A: Reference card" in titles


def test_numbers_of_the_model_in_the_html_and_pdf(sample):
    document, html, pdf = sample
    text = squeeze(pdf_body_text(PdfReader(io.BytesIO(pdf)), document))
    for title in ["Table 1: Tools and the data each may receive", "Table 2: Tools and the data"]:
        assert title in html and squeeze(title) in text
    assert "Figure 1: Readiness today and the target in each dimension" in html
    assert squeeze("Figure 1: Readiness today") in text
    clauses = [
        b.number
        for s in document.sections
        for b in s.blocks
        if isinstance(b, Paragraph | BulletList)
    ]
    assert clauses[:4] == ["1.1", "1.2", "1.3", "2.1"]
    assert clauses_in_order(pdf_body_text(PdfReader(io.BytesIO(pdf)), document), clauses)
    # The list's lead carries the clause number, before its items.
    assert squeeze("1.2 The procedure applies to:") in text


def test_document_control_and_revisions_on_the_cover(sample):
    document, _, pdf = sample
    first_page = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Document control" in first_page
    for field in document.control:
        assert squeeze(f"{field.label} {field.value}") in squeeze(first_page), field
    assert "Revision history" in first_page
    assert squeeze("1.0 December 1, 2026 First version for adoption.") in squeeze(first_page)


def test_use_rules_have_words_and_icons(sample):
    _, html, _ = sample
    for words, rule in [
        ("Permitted: uses without asking", "permitted"),
        ("Needs approval: ask first", "approval"),
        ("Prohibited: never allowed", "prohibited"),
    ]:
        assert f'doc-subheading--{rule}">{words}</h3>' in html
    css = (Path(settings.BASE_DIR) / "static/css/document.css").read_text()
    for rule in ["permitted", "approval", "prohibited"]:
        block = re.search(rf"\.doc-subheading--{rule}::before \{{(.*?)\}}", css, re.S)
        assert block and "data:image/svg+xml" in block.group(1), rule
    # The icons' SVGs differ in shape (a check, a triangle, a cross), not only in color.
    shapes = re.findall(r"doc-subheading--\w+::before \{\s*background-image: url\(\"(.*?)\"\)", css)
    assert len({re.sub(r"fill='%23\w+'", "", s) for s in shapes}) == 3


def test_chart_is_a_figure_with_title_scale_and_legend(sample):
    document, html, _ = sample
    chart = next(b for s in document.sections for b in s.blocks if isinstance(b, ScoreChart)).chart
    assert '<figure class="doc-chart"' in html and "<figcaption" in html
    assert f'<title id="sop-radar-title">{chart.title}</title>' in html
    for ring in ["20", "40", "60", "80", "100"]:
        assert f">{ring}</text>" in html
    assert ">Today (solid line, filled)</text>" in html and ">Target (dashed line)</text>" in html


# The demo documents ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["strategy", "sop"])
def test_riverton_documents_are_typeset(demo, kind):
    assert_typeset(build_document(add_use_cases(demo), kind))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["strategy", "sop"])
def test_every_other_demo_document_is_typeset(demo, kind):
    """The other demo jurisdictions with answers (a complete, approved one among them)."""
    others = Jurisdiction.objects.exclude(slug="riverton").filter(answers__isnull=False).distinct()
    for jurisdiction in others:
        assert_typeset(build_document(jurisdiction, kind))


def assert_typeset(document: Document) -> None:
    html = document_html(document)
    pdf = laid_out(html).write_pdf()
    reader = PdfReader(io.BytesIO(pdf))

    assert words_not_in_html(pdf, html, document) == []
    assert headings_ending_a_page(reader, document) == []
    assert sparse_pages(html) == []

    titles = [s.title for s in document.sections]
    entries = contents_entries(reader)
    assert [title for title, _ in entries] == titles
    assert set(titles) <= set(outline_titles(reader))
    for table in (b for s in document.sections for b in s.blocks if isinstance(b, Table)):
        assert f"Table {table.number}: {table.caption}" in html
    if document.open_items:
        appendix = document.sections[-1]
        assert appendix.heading == "Open items"
        web_page = render_to_string("strategy/document.html#body", {"document": document})
        for item in document.open_items:
            assert f'<a href="{item.url}">' in web_page  # the question in the workbook
            assert f'<a href="{item.url}">' not in html  # the PDF has no workbook to link to
    card = [s for s in document.sections if s.heading.startswith("Quick-reference card")]
    if card:
        assert pages_of(reader, document, card[0]) == 1, card[0].title
    if document.numbered:
        clauses = [
            b.number
            for s in document.sections
            for b in s.blocks
            if isinstance(b, Paragraph | BulletList)
        ]
        assert clauses and clauses_in_order(pdf_body_text(reader, document), clauses)


def stress_document() -> Document:
    """Many short sections of varying length, so page ends fall at every kind of block."""
    sentence = "Staff must record each approved use in the register and review it every year."
    sections = []
    for i in range(24):
        blocks: list = [
            Paragraph(" ".join([sentence] * (1 + (i * 7) % 5))) for _ in range(1 + i % 3)
        ]
        blocks.append(Subheading(f"Rules of part {i + 1}"))
        blocks.append(
            BulletList([f"Item {n} of part {i + 1}" for n in range(1 + i % 4)], lead="Staff must:")
        )
        blocks.append(
            Table(
                f"Approvers of part {i + 1}",
                ["Tier", "Approver"],
                [["I – Low", "Department head"]] * (1 + i % 5),
            )
        )
        sections.append(Section(f"Part {i + 1}", blocks))
    document = Document(
        kind="sop",
        title="AI Standard Operating Procedure",
        jurisdiction="Town of Example",
        date=datetime.date(2026, 12, 1),
        draft=True,
        edition="AI Strategy Workbook 2026.1",
        sections=sections,
        numbered=True,
    )
    document.number_clauses()
    return document


def test_page_ends_at_every_kind_of_block():
    document = stress_document()
    html = document_html(document)
    pdf = laid_out(html).write_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 10
    assert headings_ending_a_page(reader, document) == []
    assert words_not_in_html(pdf, html, document) == []
    assert sparse_pages(html) == []

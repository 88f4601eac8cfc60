"""The finished documents as plain data: one model feeds every renderer (HTML, PDF, DOCX).

Numbers live here, not in the renderers, so clause 4.2 is 4.2 in every format. Nothing here
touches the database.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from strategy.render.chart import RadarChart, radar_chart
from strategy.scoring.readiness import Readiness

STRATEGY = "strategy"
SOP = "sop"
STAFF_REPORT = "staff-report"
RESOLUTION = "resolution"
RESIDENT_SUMMARY = "resident-summary"
DOCUMENT_TITLES = {
    STRATEGY: "AI Strategy",
    SOP: "AI Standard Operating Procedure",
    STAFF_REPORT: "AI Strategy Staff Report",
    RESOLUTION: "AI Strategy Adoption Resolution or Directive",
    RESIDENT_SUMMARY: "How We Use AI: A Summary for Residents",
}
APPENDIX_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    number: str = ""  # "4.2" in a numbered document, set by `Document.number_clauses`


@dataclass
class Subheading:
    kind: ClassVar[str] = "subheading"
    text: str


@dataclass
class BulletList:
    kind: ClassVar[str] = "list"
    items: list[str]
    ordered: bool = False
    lead: str = ""  # the sentence that introduces the list, part of the same clause
    number: str = ""


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    caption: str
    headers: list[str]
    rows: list[list[str]]
    number: int = 0  # "Table 3", set by `Document.number_clauses`
    links: list[str] = field(default_factory=list)  # per row, the first cell's link (HTML only)

    @property
    def linked_rows(self) -> list[tuple[str, list[str]]]:
        """(link or "", cells) per row."""
        links = self.links or [""] * len(self.rows)
        return list(zip(links, self.rows, strict=True))


@dataclass
class ScoreChart:
    kind: ClassVar[str] = "chart"
    readiness: Readiness
    caption: str = "Readiness today and the target in each dimension"
    number: int = 0  # "Figure 1"

    @property
    def chart(self) -> RadarChart:
        return radar_chart(self.readiness)


Block = Paragraph | Subheading | BulletList | Table | ScoreChart
NUMBERED_CLAUSES = (Paragraph, BulletList)


@dataclass
class Section:
    heading: str
    # Composers pass `None` where nothing is decided yet; it is dropped, so the body says only
    # what has been decided (the open items appendix lists the rest).
    blocks: list[Block] = field(default_factory=list)
    appendix: bool = False
    page_break: bool = False
    anchor: str = ""
    number: str = ""  # "3" for a body section, "B" for an appendix

    def __init__(self, heading: str, blocks: Iterable[Block | None] = (), **options: Any):
        self.heading = heading
        self.blocks = [b for b in blocks if b is not None]
        self.appendix = options.pop("appendix", False)
        self.page_break = options.pop("page_break", False)
        self.anchor = self.number = ""
        if options:
            raise TypeError(f"unknown Section options {sorted(options)}")

    @property
    def title(self) -> str:
        """The heading with its number, as the contents and every renderer show it."""
        if self.appendix:
            return f"Appendix {self.number}: {self.heading}"
        return f"{self.number}. {self.heading}" if self.number else self.heading


@dataclass(frozen=True)
class OpenItem:
    """A question whose answer the document needs and does not have yet."""

    question: str  # the question as the team sees it in the workbook
    section: str  # "5. Data and privacy"
    assignee: str  # "" when nobody is assigned
    url: str  # the question in the workbook
    required: bool = False


@dataclass(frozen=True)
class ControlField:
    label: str
    value: str


@dataclass(frozen=True)
class Revision:
    version: str
    date: datetime.date
    change: str


@dataclass
class Document:
    kind: str
    title: str
    jurisdiction: str
    date: datetime.date
    draft: bool
    edition: str
    sections: list[Section]
    numbered: bool = False  # clauses numbered 1.1, 1.2 … (the SOP)
    compact: bool = False  # no contents or control page: a short handout (the resident summary)
    control: list[ControlField] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    open_items: list[OpenItem] = field(default_factory=list)

    @property
    def status(self) -> str:
        return "DRAFT" if self.draft else "FINAL"

    @property
    def full_title(self) -> str:
        return f"{self.jurisdiction} {self.title}"

    def number_clauses(self) -> None:
        """Number sections, appendices, tables and figures, and clauses when `numbered`."""
        body = appendix = tables = figures = 0
        for section in self.sections:
            if section.appendix:
                section.number = APPENDIX_LETTERS[appendix]
                appendix += 1
            else:
                body += 1
                section.number = str(body)
            section.anchor = f"section-{section.number.lower()}"
            clause = 0
            for block in section.blocks:
                if isinstance(block, Table):
                    tables += 1
                    block.number = tables
                elif isinstance(block, ScoreChart):
                    figures += 1
                    block.number = figures
                elif self.numbered and isinstance(block, NUMBERED_CLAUSES):
                    clause += 1
                    block.number = f"{section.number}.{clause}"

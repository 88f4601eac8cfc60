"""What the composition reads, loaded by `build.py`: the answers and where each section stands."""

import datetime
from dataclasses import dataclass, field

from strategy.answers import WorkbookAnswers
from strategy.documents.checks import Finding
from strategy.register.entries import RegisterEntry
from strategy.scoring.readiness import Readiness


@dataclass(frozen=True)
class SectionPlace:
    """Where a workbook section stands, for the open items and the document control."""

    number: int
    title: str
    url: str
    assignee: str = ""
    approved_by: str = ""
    approved_on: datetime.date | None = None
    approved: bool = False


@dataclass
class DocumentInputs:
    """Everything the composition reads, already loaded."""

    jurisdiction: str
    answers: WorkbookAnswers
    readiness: Readiness
    register: list[RegisterEntry]
    draft: bool
    date: datetime.date
    edition: str = "AI Strategy Workbook"
    # Keyed by section slug.
    places: dict[str, SectionPlace] = field(default_factory=dict)
    # A short code for document numbers, e.g. "RIV".
    code: str = ""
    # The checks before adoption that fail; a draft lists them in its open items.
    findings: list[Finding] = field(default_factory=list)
    # The address of the published public AI register ("" while it is not published).
    public_register_url: str = ""

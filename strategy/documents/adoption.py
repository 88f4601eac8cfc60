"""What stands between a draft and a FINAL document (pure: no database).

A document is FINAL only when every workbook section is approved, no required question the
documents read is open, and no check before adoption fails. `final_blockers` lists what is in
the way, each with links to where it is fixed; the draft flag is `bool(final_blockers(...))`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from strategy.answers import WorkbookAnswers
from strategy.documents.checks import Finding
from strategy.documents.inputs import SectionPlace
from strategy.documents.model import Table
from strategy.documents.reads import DOCUMENT_QUESTIONS
from workbook.answers.rules import condition_met

SECTION = "section"
QUESTION = "question"
CHECK = "check"


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Blocker:
    """One reason a document is not FINAL yet."""

    kind: str  # SECTION, QUESTION or CHECK
    message: str
    links: tuple[Link, ...] = ()
    where: str = ""  # the workbook section, as "5. Data, privacy and security"


def question_url(answers: WorkbookAnswers, places: Mapping[str, SectionPlace], slug: str) -> str:
    """The question in its wizard section, or "" when its section has no page."""
    question = answers.questions.get(slug)
    place = places.get(question.section.slug) if question else None
    return f"{place.url}#q-{slug}-group" if place else ""


def section_name(answers: WorkbookAnswers, places: Mapping[str, SectionPlace], slug: str) -> str:
    question = answers.questions.get(slug)
    if question is None:
        return ""
    place = places.get(question.section.slug)
    return f"{place.number}. {place.title}" if place else question.section.title


def finding_links(
    finding: Finding,
    answers: WorkbookAnswers,
    places: Mapping[str, SectionPlace],
    screening_urls: Mapping[int, tuple[str, str]],
) -> tuple[Link, ...]:
    """The questions a finding involves, then the screenings of its register entries.

    `screening_urls` maps a use-case id to (its name, its screening page).
    """
    links = [
        Link(answers.questions[slug].text, url)
        for slug in finding.questions
        if slug in answers.questions and (url := question_url(answers, places, slug))
    ]
    links += [
        Link(f"Risk screening of {screening_urls[pk][0]}", screening_urls[pk][1])
        for pk in finding.use_cases
        if pk in screening_urls
    ]
    return tuple(links)


def open_required(answers: WorkbookAnswers) -> list[str]:
    """Required questions the documents read that are shown and unanswered, in workbook order."""
    questions = [
        q
        for slug, q in answers.questions.items()
        if slug in DOCUMENT_QUESTIONS
        and q.required
        and condition_met(q.show_if, answers.values)
        and not answers.has(slug)
    ]
    return [q.slug for q in sorted(questions, key=lambda q: (q.section.position, q.position))]


def final_blockers(
    answers: WorkbookAnswers,
    places: Mapping[str, SectionPlace],
    findings: list[Finding],
    screening_urls: Mapping[int, tuple[str, str]] | None = None,
) -> list[Blocker]:
    """Sections not approved, required questions open, checks failing: empty means FINAL."""
    blockers = [
        Blocker(
            SECTION,
            f"Section {place.number}, {place.title}, is not approved yet.",
            (Link(f"{place.number}. {place.title}", place.url),),
            f"{place.number}. {place.title}",
        )
        for place in sorted(places.values(), key=lambda p: p.number)
        if not place.approved
    ]
    if not places:
        blockers.append(Blocker(SECTION, "The workbook has no sections to approve yet."))
    for slug in open_required(answers):
        question, where = answers.questions[slug], section_name(answers, places, slug)
        blockers.append(
            Blocker(
                QUESTION,
                f"A required question in section {where} is not answered yet.",
                (Link(question.text, question_url(answers, places, slug)),),
                where,
            )
        )
    blockers += [
        Blocker(CHECK, f.message, finding_links(f, answers, places, screening_urls or {}))
        for f in findings
    ]
    return blockers


def checks_table(
    findings: list[Finding], answers: WorkbookAnswers, places: Mapping[str, SectionPlace]
) -> Table | None:
    """The failed checks of a draft, for its open items appendix; each row links its question."""
    if not findings:
        return None
    rows, links = [], []
    for finding in findings:
        sections = dict.fromkeys(
            name for slug in finding.questions if (name := section_name(answers, places, slug))
        )
        rows.append([finding.message, "; ".join(sections) or "Register of AI uses"])
        first = finding.questions[0] if finding.questions else ""
        links.append(question_url(answers, places, first) if first else "")
    return Table(
        "Checks before adoption",
        ["What to change", "Workbook section"],
        rows,
        links=links,
    )

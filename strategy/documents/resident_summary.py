"""The resident summary: at most two pages, in plain words, about how AI is used.

Residents read this, not staff, so it is written in short sentences rather than in the
clauses' policy voice; tests/test_council_packet.py keeps `reading_grade` at or below 8.
"""

import textstat

from strategy.documents.model import Block, BulletList, Document, Paragraph, Section
from strategy.documents.writing import Writer
from workbook.answers.models import UseCaseStage

IN_SERVICE = (UseCaseStage.PILOT, UseCaseStage.DEPLOYED)
NO_MACHINE_DECISIONS = "automated-decisions-no-human"
# How staff tell residents AI helped, per answer to rules-disclosure, said plainly.
DISCLOSURE = {
    "always": "We say so on anything we make with help from AI.",
    "public-facing": "We say so on anything we send you or publish that AI helped make.",
    "when-material": "We say so when AI did a real part of the work on something we send you.",
}


def sections(w: Writer) -> list[Section]:
    return [
        Section("About this summary", about(w)),
        Section("What we use AI for", uses(w)),
        Section("What we will not do", limits(w)),
        Section("How we tell you", telling(w)),
        Section("Questions, appeals and talking to a person", contact(w)),
        Section("The list of our AI uses", register(w)),
    ]


def about(w: Writer) -> list[Block | None]:
    return [
        Paragraph(
            f"This is a short guide to how {w.name} uses AI. AI means computer tools that can "
            "write text, sort requests or spot patterns. People on our staff stay in charge."
        )
    ]


def uses(w: Writer) -> list[Block | None]:
    names = [e.use_case.name for e in w.inputs.register if e.use_case.stage in IN_SERVICE]
    if not names:
        return [Paragraph("We do not use AI in any of our services yet.")]
    return [
        BulletList(names, lead="Today we use AI tools for these tasks:"),
        Paragraph("A person checks the work before it is used."),
    ]


def limits(w: Writer) -> list[Block | None]:
    # The red lines are written the way a resident would say them (see the workbook).
    return [w.paragraph(w.text("vision-red-lines"))]


def telling(w: Writer) -> list[Block | None]:
    notice = w.yes("engage-notice")
    disclosure = w.a.raw("rules-disclosure") if w.has("rules-disclosure") else None
    return [
        w.paragraph(
            "When you chat with or call an AI tool of ours, it tells you that it is AI"
            if notice
            else None,
            DISCLOSURE.get(str(disclosure)),
        )
    ]


def contact(w: Writer) -> list[Block | None]:
    channel = w.text("engage-feedback-channel")
    red = w.a.selected("rules-red") if w.has("rules-red") else set()
    return [
        w.paragraph(f"To ask a question or to challenge a result: {channel}" if channel else None),
        w.paragraph(
            "You can always ask for a person to look at your case instead of AI",
            "AI never makes a final choice about you on its own"
            if NO_MACHINE_DECISIONS in red
            else None,
        ),
    ]


def register(w: Writer) -> list[Block | None]:
    published = w.yes("gov-public-register")
    if published is None:
        return []
    if not published:
        return [Paragraph("We keep a list of every AI tool we use. You can ask us for it.")]
    where = w.inputs.public_register_url
    return [
        Paragraph(
            "We keep a list of every AI tool we use, what it does and who is in charge of it. "
            + (f"You can read it at {where}" if where else "We will put it on our website soon.")
        )
    ]


def reading_grade(document: Document) -> float:
    """The Flesch-Kincaid grade of the summary's text as a reader meets it.

    Each list item counts as a sentence of its own: a reader takes a bullet as one unit, while
    the formula, which only sees full stops, would read a list of seven names as one sentence.
    """
    units: list[str] = []
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, BulletList):
                units += [block.lead, *block.items]
            elif isinstance(block, Paragraph):
                units.append(block.text)
    text = " ".join(u.strip().rstrip(".") + "." for u in units if u.strip())
    return float(textstat.flesch_kincaid_grade(text))

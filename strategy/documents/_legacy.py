"""Temporary bridge: the earlier composition, converted block by block to the new model."""

from strategy.documents import composition as old
from strategy.documents.model import BulletList, Paragraph, ScoreChart, Section, Subheading, Table
from strategy.documents.writing import Writer


def _convert(block):
    match block:
        case old.Paragraph():
            return Paragraph(block.text)
        case old.Subheading():
            return Subheading(block.text)
        case old.BulletList():
            return BulletList(list(block.items), ordered=block.ordered)
        case old.Table():
            return Table(block.caption, block.headers, block.rows)
        case old.ScoreChart():
            return ScoreChart(block.readiness)
    return None


def sections(w: Writer, kind: str) -> list[Section]:
    i = w.inputs
    inputs = old.DocumentInputs(
        jurisdiction=i.jurisdiction,
        answers=i.answers,
        readiness=i.readiness,
        register=i.register,
        draft=i.draft,
        date=i.date,
        edition=i.edition,
    )
    document = old.compose(kind, inputs)
    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, old.NotAnswered):
                slug = next(
                    (s for s, q in i.answers.questions.items() if q.text == block.question), None
                )
                if slug:
                    w.has(slug)
    return [
        Section(
            s.heading.split(": ", 1)[1] if s.heading.startswith("Appendix") else s.heading,
            [_convert(b) for b in s.blocks],
            appendix=s.appendix,
            page_break=s.page_break,
        )
        for s in document.sections
    ]

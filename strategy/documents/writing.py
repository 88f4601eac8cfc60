"""Writing helpers: sentences from answers and clauses, with agreement and tidy punctuation.

`Writer` is the only way the composers read answers. It reads only the questions listed in
`reads.DOCUMENT_QUESTIONS`, and every part it cannot write yet is recorded as an open item
instead of being printed in the body.
"""

import re
from collections.abc import Iterable

from strategy.documents.clauses import clause_template, option_templates
from strategy.documents.inputs import DocumentInputs
from strategy.documents.model import BulletList, OpenItem, Paragraph, Table
from strategy.documents.reads import DOCUMENT_QUESTIONS
from workbook.answers.rules import condition_met
from workbook.content.clauses import fill_clause

_DOUBLED = re.compile(r"([.!?;:,])[.;:,]+")
_SPACE_BEFORE = re.compile(r"\s+([.,;:!?])")
CLOSING_QUOTES = "\"')\u201d\u2019"  # straight and curly closing quotes, a bracket


def lower_first(text: str) -> str:
    """'Every six months' → 'every six months'; acronyms ('IT staff') are kept, 'A …' is not one."""
    acronym = len(text.split(" ", 1)[0]) > 1 and text[:2] == text[:2].upper()
    return text if acronym else text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} {conjunction} {items[1]}"
    return f"{', '.join(items[:-1])}, {conjunction} {items[-1]}"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """'1 use', '3 uses', 'no uses'."""
    word = singular if n == 1 else (plural or f"{singular}s")
    return f"{n if n else 'no'} {word}"


def is_are(n: int) -> str:
    return "is" if n == 1 else "are"


def the_name(name: str) -> str:
    """'City of Riverton' reads 'the City of Riverton' in a sentence; 'Lakeside County' not."""
    return f"the {name}" if " of " in name.split(",")[0] else name


def the_role(text: str) -> str:
    """'AI lead' reads 'the AI lead' inside a sentence; 'The CIO or …' reads 'the CIO or …'."""
    if text[:4].lower() == "the ":
        return "the " + text[4:]
    return "the " + text


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_word(n: int) -> str:
    """'four' for 4, as policy text writes small numbers; digits from 10 on."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def sentence(*parts: str) -> str:
    """Parts joined into one sentence that ends with one full stop and no doubled marks."""
    text = " ".join(p.strip() for p in parts if p and p.strip())
    text = _SPACE_BEFORE.sub(r"\1", _DOUBLED.sub(r"\1", text))
    if text and text.rstrip(CLOSING_QUOTES)[-1:] not in ".!?:":
        text += "."
    return upper_first(text)


class Writer:
    """Reads one jurisdiction's answers for a document and collects what is still open."""

    def __init__(self, inputs: DocumentInputs):
        self.inputs = inputs
        self.a = inputs.answers
        self.name = the_name(inputs.jurisdiction)
        self.subject = upper_first(self.name)
        self._open: dict[str, None] = {}

    # -- reading ------------------------------------------------------------------------

    def _read(self, slug: str) -> bool:
        if slug not in DOCUMENT_QUESTIONS:
            raise KeyError(f"{slug!r} is not in strategy.documents.reads.DOCUMENT_QUESTIONS")
        if not self.shown(slug):
            return False  # a kept answer to a question no longer asked is not printed
        if self.a.has(slug):
            return True
        self._open.setdefault(slug)
        return False

    def shown(self, slug: str) -> bool:
        """Whether the workbook asks this question, given the answers its condition reads.

        A question hidden by its condition is neither read nor an open item.
        """
        question = self.a.questions.get(slug)
        return question is not None and condition_met(question.show_if, self.a.values)

    def has(self, slug: str) -> bool:
        """True when answered; an unanswered question becomes an open item."""
        return self._read(slug)

    def text(self, slug: str) -> str | None:
        """A free-text (or number, date) answer as written, or None (then it is open)."""
        return self.a.text(slug) if self._read(slug) else None

    def yes(self, slug: str) -> bool | None:
        return self.a.yes(slug) if self._read(slug) else None

    def fill(self, template: str) -> str:
        return fill_clause(template, self.name, self.a.text)

    def clause(self, slug: str) -> str | None:
        """The clause the answer stands for, filled, or None while it is open."""
        if not self._read(slug):
            return None
        template = clause_template(self.a.questions[slug], self.a.raw(slug))
        return self.fill(template) if template else None

    def clauses(self, slug: str) -> list[str]:
        """A multiple-choice answer's clauses, with any "Other" text last, as typed."""
        if not self._read(slug):
            return []
        value = self.a.raw(slug)
        items = [self.fill(t) for t in option_templates(self.a.questions[slug], value)]
        other = value.get("other", "").strip() if isinstance(value, dict) else ""
        return [*items, other] if other else items

    # -- blocks -------------------------------------------------------------------------

    def paragraph(self, *parts: str | None) -> Paragraph | None:
        """One paragraph of the parts that are known; None when none are."""
        known = [p for p in parts if p]
        return Paragraph(" ".join(sentence(p) for p in known)) if known else None

    def bullets(self, slug: str, lead: str = "") -> BulletList | None:
        items = self.clauses(slug)
        return BulletList(items, lead=lead) if items else None

    def table(
        self,
        slug: str,
        caption: str,
        columns: list[str] | None = None,
        rows: list[dict] | None = None,
    ) -> Table | None:
        if not self._read(slug):
            return None
        specs = self.a.columns(slug)
        if columns is not None:
            specs = [c for name in columns for c in specs if c["slug"] == name]
        rows = self.a.rows(slug) if rows is None else rows
        if not rows:
            return None
        return Table(
            caption=caption,
            # A column asked as a question ("Mandatory?") is headed as a label.
            headers=[c["label"].rstrip("?").strip() for c in specs],
            rows=[[self.a.cell(slug, c["slug"], r) or "—" for c in specs] for r in rows],
        )

    # -- what is still open -------------------------------------------------------------

    def open_items(self) -> list[OpenItem]:
        """The questions this document needed and did not have, once each, in workbook order."""
        items = []
        questions = [self.a.questions[s] for s in self._open if s in self.a.questions]
        for question in sorted(questions, key=lambda q: (q.section.position, q.position)):
            place = self.inputs.places.get(question.section.slug)
            items.append(
                OpenItem(
                    question=question.text,
                    section=f"{place.number}. {place.title}" if place else question.section.title,
                    assignee=place.assignee if place else "",
                    url=f"{place.url}#q-{question.slug}-group" if place else "",
                    required=question.required,
                )
            )
        return items

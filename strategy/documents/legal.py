"""The duties of law and the NIST AI RMF crosswalk in the documents (pure: no database).

The strategy lists the duties that apply, with citations, dates and status, and appends the
crosswalk's coverage table; an SOP clause whose rule meets a duty cites it. Duties come from
fixtures/obligations.yaml through `strategy.law`, never from this module's text.
"""

from strategy.answers import WorkbookAnswers
from strategy.documents.model import Block, BulletList, Paragraph, Table
from strategy.documents.writing import Writer, join_words, lower_first, sentence
from strategy.law import content
from strategy.law.applicability import applicable_duties
from strategy.law.coverage import coverage
from strategy.law.model import Status
from strategy.law.standing import DutyStanding, Met, profile, standings
from strategy.register.entries import RegisterEntry
from workbook.answers.presenter import date_text
from workbook.answers.rules import condition_met, is_empty

ATTORNEY = (
    "This section informs; it is not legal advice. Each duty is summarized from its primary "
    "source on the date shown as checked, and laws change: confirm with your attorney which "
    "duties bind the organization and what they require before relying on this list."
)


def short_citation(citation: str) -> str:
    """The section cited, without the bill or amendment in brackets, for use inside a sentence."""
    return citation.split(" (")[0].strip()


def binding_duties(answers: WorkbookAnswers) -> list[DutyStanding]:
    """The duties that apply, and whose state and population the profile has answered."""
    return [s for s in standings(answers, content.obligations().duties) if s.known]


def answered_slugs(answers: WorkbookAnswers, register: list[RegisterEntry]) -> set[str]:
    """The questions answered where the workbook asks them: the jurisdiction's own answers whose
    condition holds, and a screening question once any use in the register answered it."""
    own = {
        slug
        for slug, question in answers.questions.items()
        if answers.has(slug) and condition_met(question.show_if, answers.values)
    }
    screened = {
        slug for entry in register for slug, value in entry.screening.items() if not is_empty(value)
    }
    return own | screened


# -- the strategy's "Legal and regulatory context" ---------------------------------------------


def legal_context(w: Writer) -> list[Block | None]:
    """Every duty that applies, with its citation, date and status, and what is still to do.

    The section is written once the state is answered (reading it makes it an open item until
    then): without it only federal duties could be listed, and a reader would take the list as
    complete.
    """
    if not w.has("profile-state"):
        return []
    duties = binding_duties(w.a)
    where = profile(w.a)
    replaced = [
        d
        for d in applicable_duties(
            content.obligations().duties,
            where.state,
            where.population,
            where.kind,
            include_repealed=True,
        )
        if d.status is Status.REPEALED_OR_REPLACED
    ]
    gaps = [
        f"{r.requirement.text.rstrip('.')} ({short_citation(s.duty.citation)})"
        for s in duties
        for r in s.gaps
    ]
    return [
        Paragraph(
            sentence(
                f"These federal and state duties bear on how {w.name} uses AI, given its state, "
                f"its kind of government and the number of residents it serves"
            )
        ),
        Paragraph(ATTORNEY),
        Table(
            "Duties of law that apply",
            ["Duty", "Citation", "Takes effect", "Status", "Last checked"],
            [
                [
                    s.duty.title,
                    s.duty.citation,
                    date_text(s.duty.effective),
                    s.duty.status.label,
                    date_text(s.duty.checked),
                ]
                for s in duties
            ],
        )
        if duties
        else Paragraph("No duty in the product's list applies to this jurisdiction today."),
        BulletList(
            [sentence(f"{s.duty.title}: {s.duty.summary}") for s in duties],
            lead="What each duty asks, in brief:",
        )
        if duties
        else None,
        BulletList(
            [sentence(g) for g in gaps],
            lead="The answers do not yet meet these requirements of the duties above:",
        )
        if gaps
        else None,
        BulletList(
            [sentence(f"{d.title}. {d.summary}") for d in replaced],
            lead="These laws no longer bind the organization, though older guidance may cite them:",
        )
        if replaced
        else None,
    ]


# -- SOP clauses that meet a duty ---------------------------------------------------------------


def citations(w: Writer, *slugs: str) -> list[str]:
    """The citations of the duties that apply whose requirement these answers meet."""
    if not w.has("profile-state"):
        return []
    return list(
        dict.fromkeys(
            short_citation(s.duty.citation)
            for s in binding_duties(w.a)
            for r in s.requirements
            if r.status is Met.MET and set(r.meeting) & set(slugs)
        )
    )


def cite(w: Writer, block: Block | None, *slugs: str) -> Block | None:
    """The clause with the duties it meets cited, when its rule meets a duty that applies.

    A list's citation opens its lead, so that it covers the whole list and not its last item.
    """
    cited = join_words(citations(w, *slugs))
    if block is None or not cited:
        return block
    if isinstance(block, Paragraph):
        return Paragraph(f"{block.text} {sentence(f'This rule meets {cited}')}")
    if isinstance(block, BulletList):
        lead = f"To meet {cited}, {lower_first(block.lead.strip())}"
        return BulletList(block.items, ordered=block.ordered, lead=lead)
    return block


def authority_note(w: Writer) -> Paragraph | None:
    """Why some clauses cite the law, and that the citations are no legal advice."""
    if not (w.has("profile-state") and binding_duties(w.a)):
        return None
    return Paragraph(
        "Where a rule of this procedure meets a duty of federal or state law, the rule cites "
        "it; the AI Strategy lists these duties in its legal and regulatory context. The "
        "citations inform and are not legal advice: staff must confirm with the attorney what "
        "a duty requires before relying on it."
    )


# -- the crosswalk appendix ---------------------------------------------------------------------


def crosswalk_appendix(w: Writer) -> list[Block | None]:
    framework = content.framework()
    functions = coverage(framework, answered_slugs(w.a, w.inputs.register))
    rows = [
        [
            f"{c.id}: {c.title}",
            c.status.label.capitalize(),
            f"{c.addressed} of {len(c.subcategories)}",
        ]
        for f in functions
        for c in f.categories
    ]
    addressed = sum(f.addressed for f in functions)
    total = sum(f.total for f in functions)
    return [
        Paragraph(
            sentence(
                f"The table maps the answers behind this strategy to the {framework.name}, "
                f"{framework.publication}. A category is covered when every one of its "
                f"subcategories is addressed by an answered question, partly covered when some "
                f"are. Of the framework's {total} subcategories, {addressed} "
                f"{'is' if addressed == 1 else 'are'} addressed"
            )
        ),
        BulletList(
            [
                f"{f.id} ({lower_first(f.title)}): {f.status.label}, {f.addressed} of {f.total} "
                f"subcategories addressed."
                for f in functions
            ],
            lead="By function:",
        ),
        Table("NIST AI RMF coverage by category", ["Category", "Coverage", "Addressed"], rows),
    ]

"""The draft resolution (or administrative directive) that adopts the strategy.

The profile's adoption route decides the instrument: a resolution or ordinance of the governing
body, or a directive of the manager. The recitals come from the answers and the duties that
apply; the operative clauses adopt the strategy, direct the procedure and require the register.
"""

from strategy.documents import control, duties
from strategy.documents.model import (
    SOP,
    STRATEGY,
    Block,
    BulletList,
    Paragraph,
    Section,
    Table,
)
from strategy.documents.writing import Writer, join_words, lower_first, sentence, the_role

ROUTE = "profile-adoption-route"
DIRECTIVE, COUNCIL, ORDINANCE, DIRECTIVE_FIRST = (
    "manager-directive",
    "council-resolution",
    "ordinance",
    "directive-then-resolution",
)
# The instrument each route uses now (a directive first, for "directive now, resolution later").
INSTRUMENT = {
    DIRECTIVE: "administrative directive",
    COUNCIL: "resolution",
    ORDINANCE: "ordinance",
    DIRECTIVE_FIRST: "administrative directive",
}
GOVERNING_BODY_ROUTES = (COUNCIL, ORDINANCE)


def route(w: Writer) -> str | None:
    return str(w.a.raw(ROUTE)) if w.has(ROUTE) else None


def instrument(w: Writer) -> str:
    """'resolution', 'ordinance' or 'administrative directive'; a resolution until chosen."""
    return INSTRUMENT.get(route(w) or "", "resolution")


def by_governing_body(w: Writer) -> bool:
    return instrument(w) != "administrative directive"


def title(w: Writer) -> str:
    return f"AI Strategy Adoption {instrument(w).title()}"


def sections(w: Writer) -> list[Section]:
    found = duties.duties(w)
    return [
        Section("Note on state law", preemption_note(w, found)),
        Section("Recitals", recitals(w, found)),
        Section("Operative clauses", operative(w)),
        Section("Effective date", effective(w)),
        Section("Signature", signature(w)),
    ]


def preemption_note(w: Writer, found: list) -> list[Block | None]:
    """A warning where state law may preempt local AI rules the governing body adopts, now or
    later (a directive now, a resolution later): a directive alone needs none."""
    laws = duties.preempting(found)
    if not laws or route(w) == DIRECTIVE:
        return []
    cited = join_words(f"{d.title} ({d.citation})" for d in laws)
    return [
        Paragraph(
            f"State law may preempt local rules on AI adopted by the governing body: {cited}. "
            "Staff must ask the attorney before this goes to the governing body. Adopting the "
            "procedure as an administrative directive of the manager alone may avoid the conflict."
        )
    ]


def recitals(w: Writer, found: list) -> list[Block | None]:
    drivers = [lower_first(c).rstrip(".") for c in w.clauses("vision-drivers")]
    whereas = [
        f"{w.name} uses artificial intelligence (AI) tools, or plans to, to serve residents and "
        "support staff",
    ]
    if drivers:
        whereas.append(f"{w.name} has found that {join_words(drivers)}")
    if w.inputs.readiness.any_answered and w.inputs.readiness.overall is not None:
        whereas.append(
            f"a readiness assessment scored {w.name} {w.inputs.readiness.overall} out of 100 "
            "and set targets for each area"
        )
    if w.clauses("engage-methods"):
        whereas.append(f"{w.name} has asked residents and staff for their views on its AI plans")
    if found:
        whereas.append(
            "the use of AI by local government is subject to laws that include "
            + join_words(f"{d.title} ({d.citation})" for d in found)
        )
    else:
        whereas.append("the use of AI by local government must comply with federal and state law")
    whereas.append(
        f"the AI Strategy and the AI Standard Operating Procedure set out how {w.name} will use "
        "AI safely, fairly and openly"
    )
    return [Paragraph(sentence(f"Whereas {text}")) for text in whereas]


def operative(w: Writer) -> list[Block | None]:
    kind = instrument(w)
    opening = (
        f"Now, therefore, the governing body of {w.name} resolves as follows:"
        if by_governing_body(w)
        else f"Now, therefore, the manager of {w.name} directs as follows:"
    )
    register = w.yes("gov-public-register")
    review = control.next_review(w, control.effective_date(w)[1])
    clauses = [
        f"The AI Strategy, document {control.document_number(w, STRATEGY)}, is adopted.",
        (
            "The manager is directed to issue the AI Standard Operating Procedure, document "
            f"{control.document_number(w, SOP)}, and to make sure that every employee who uses "
            "AI follows it."
        ),
        (
            "Staff must keep a register of every AI use"
            + (" and publish it on the website" if register else "")
            + (
                f", and must review the register and both documents by {review}."
                if review != control.NOT_SET
                else ", and must review the register and both documents at least once a year."
            )
        ),
    ]
    if w.has("gov-council-reporting"):
        clauses.append(sentence(w.clause("gov-council-reporting") or ""))
    if route(w) == DIRECTIVE_FIRST:
        clauses.append(
            "The manager must bring the strategy and procedure to the governing body for "
            "adoption by resolution."
        )
    return [
        Paragraph(opening),
        BulletList([c for c in clauses if c], ordered=True, lead=f"This {kind} provides:"),
    ]


def effective(w: Writer) -> list[Block | None]:
    label, _ = control.effective_date(w)
    when = "on adoption" if label == "On adoption" else f"on {label.removesuffix(' (planned)')}"
    return [Paragraph(f"This {instrument(w)} takes effect {when}.")]


def signature(w: Writer) -> list[Block | None]:
    if by_governing_body(w):
        rows = [["Presiding officer", "", "", ""], ["Attest: clerk", "", "", ""]]
        adopted = "Adopted by the governing body"
    else:
        executive = w.text("gov-accountable-executive")
        name, role = control.person(executive) if executive else ("", "")
        rows = [["Issued by", name, "", ""]]
        adopted = f"Issued by {the_role(role or 'manager')}"
    return [
        Paragraph(f"{adopted} of {w.name} on the date below."),
        Table("Signatures", ["Signing as", "Name", "Signature", "Date"], rows),
    ]

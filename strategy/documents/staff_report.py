"""The staff report for the council agenda item that adopts the strategy.

The usual agenda-item form: subject, recommended action, background, key commitments, fiscal
impact, alternatives, legal duties and attachments. Facts come from the answers (their clauses),
the readiness scores, the action plan's budget column and the duties that apply.
"""

from decimal import Decimal, InvalidOperation

from strategy.documents import duties, resolution, shared
from strategy.documents.model import (
    DOCUMENT_TITLES,
    RESIDENT_SUMMARY,
    SOP,
    STRATEGY,
    Block,
    BulletList,
    Paragraph,
    Section,
    Subheading,
    Table,
)
from strategy.documents.writing import Writer, count, join_words, lower_first
from workbook.answers.presenter import money_text

ACTIONS = "plan-actions"
FIRST_YEAR_BUDGET = "plan-first-year-budget"
# What the recommended action asks, per adoption route.
RECOMMENDED = {
    resolution.COUNCIL: "adopt the attached resolution adopting the AI Strategy and directing "
    "the manager to issue the AI Standard Operating Procedure",
    resolution.ORDINANCE: "introduce and adopt the attached ordinance adopting the AI Strategy "
    "and the AI Standard Operating Procedure",
    resolution.DIRECTIVE: "receive this report on the AI Strategy and the AI Standard Operating "
    "Procedure, which the manager issues by the attached administrative directive",
    resolution.DIRECTIVE_FIRST: "receive this report on the AI Strategy and the AI Standard "
    "Operating Procedure, which the manager issues now by the attached administrative "
    "directive and will bring back for adoption by resolution",
}
ROUTE_NAMES = {
    resolution.COUNCIL: "adoption by resolution of the governing body",
    resolution.ORDINANCE: "adoption by ordinance",
    resolution.DIRECTIVE: "an administrative directive of the manager alone",
    resolution.DIRECTIVE_FIRST: "a directive now and a resolution later",
}


def sections(w: Writer) -> list[Section]:
    found = duties.duties(w)
    return [
        Section("Subject", subject(w)),
        Section("Recommended action", recommended(w)),
        Section("Background", background(w)),
        Section("Key commitments of the strategy", commitments(w)),
        Section("Fiscal impact", fiscal_impact(w)),
        Section("Alternatives considered", alternatives(w)),
        Section("Legal duties that apply", legal(w, found)),
        Section("Attachments", attachments(w)),
    ]


def subject(w: Writer) -> list[Block | None]:
    return [
        Paragraph(
            f"Adoption of the AI Strategy and the AI Standard Operating Procedure of {w.name}."
        )
    ]


def recommended(w: Writer) -> list[Block | None]:
    action = RECOMMENDED.get(resolution.route(w) or "", RECOMMENDED[resolution.COUNCIL])
    return [Paragraph(f"Staff recommend that the governing body {action}.")]


def background(w: Writer) -> list[Block | None]:
    drivers = [lower_first(c).rstrip(".") for c in w.clauses("vision-drivers")]
    sponsor, lead = w.text("profile-sponsor"), w.text("profile-lead")
    team = w.a.rows("profile-team") if w.has("profile-team") else []
    departments = sorted({str(r["department"]) for r in team if r.get("department")})
    methods = [lower_first(c).rstrip(".") for c in w.clauses("engage-methods")]
    readiness = w.inputs.readiness
    return [
        Subheading("Why now") if drivers else None,
        w.paragraph(
            f"Staff bring this item now because {join_words(drivers)}" if drivers else None
        ),
        Subheading("Who was involved"),
        w.paragraph(
            f"The executive sponsor was {sponsor}" if sponsor else None,
            f"the work was led by {lead}" if lead else None,
            f"a working team from {join_words(departments)} answered the workbook with them"
            if departments
            else None,
            f"residents were consulted through {join_words(methods)}" if methods else None,
        ),
        Subheading("Readiness findings") if readiness.any_answered else None,
        w.paragraph(
            f"The readiness assessment scored {w.name} {readiness.overall} out of 100 "
            f"({readiness.overall_band})"
            if readiness.overall is not None
            else None,
        ),
        w.bullets("ready-barriers", "The assessment found these barriers:"),
        shared.readiness_table(w),
    ]


def commitments(w: Writer) -> list[Block | None]:
    items = [
        w.clause("gov-public-register"),
        w.clause("rules-disclosure"),
        w.clause("work-training-required"),
        w.clause("gov-review-cadence"),
    ]
    return [
        w.bullets("rules-red", "The strategy rules out these uses of AI:"),
        BulletList([i for i in items if i], lead="The strategy commits the organization to these:")
        if any(items)
        else None,
    ]


def _amount(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def budget_rows(w: Writer) -> list[dict]:
    if not w.has(ACTIONS):
        return []
    return [r for r in w.a.rows(ACTIONS) if (_amount(r.get("budget")) or 0) > 0]


def fiscal_impact(w: Writer) -> list[Block | None]:
    rows = budget_rows(w)
    planned = sum((_amount(r.get("budget")) or Decimal(0) for r in rows), Decimal(0))
    first_year = _amount(w.a.raw(FIRST_YEAR_BUDGET)) if w.has(FIRST_YEAR_BUDGET) else None
    hours = w.text("work-training-hours")
    return [
        w.paragraph(
            f"Staff estimate a first-year cost of {money_text(first_year)}"
            if first_year is not None
            else None,
            f"the action plan budgets {money_text(planned)} across "
            f"{count(len(rows), 'action')}, shown in the table below"
            if rows
            else None,
        ),
        Table(
            "Budgeted actions",
            ["Action", "Owner", "Due", "Budget"],
            [
                [
                    str(r.get("action") or "—"),
                    str(r.get("owner") or "—"),
                    w.a.cell(ACTIONS, "due", r) or "—",
                    w.a.cell(ACTIONS, "budget", r),
                ]
                for r in rows
            ],
        )
        if rows
        else None,
        w.paragraph(
            f"Staff time: each employee who uses AI spends {hours} hours in training before "
            "access, in addition to the time of the working team and the AI lead"
            if hours
            else None
        ),
    ]


def alternatives(w: Writer) -> list[Block | None]:
    chosen = resolution.route(w)
    others = [name for key, name in ROUTE_NAMES.items() if key != chosen]
    return [
        Paragraph(
            "Take no action: staff would go on using AI tools without shared rules, a register "
            "or training, and residents would not be told when AI is involved."
        ),
        w.paragraph(
            f"Adopt the strategy by another route: {join_words(others, 'or')}. The route "
            f"chosen is {ROUTE_NAMES[chosen]}"
            if chosen in ROUTE_NAMES
            else None
        ),
    ]


def legal(w: Writer, found: list) -> list[Block | None]:
    state_note = (
        None
        if duties.state(w)
        else Paragraph(
            "The state has not been recorded in the workbook yet, so only federal duties are "
            "listed; state duties must be checked with the attorney."
        )
    )
    return [
        Table(
            "Duties that apply",
            ["Duty", "Citation", "Status"],
            [[d.title, d.citation, d.status.label] for d in found],
        )
        if found
        else Paragraph("No federal or state duty in the product's list applies."),
        state_note,
        *(
            Paragraph(
                f"{d.title}: {d.summary.strip()} The attorney must review the adoption route."
            )
            for d in duties.preempting(found)
        ),
    ]


def attachments(w: Writer) -> list[Block | None]:
    return [
        BulletList(
            [
                DOCUMENT_TITLES[STRATEGY],
                DOCUMENT_TITLES[SOP],
                f"Draft {resolution.instrument(w)}",
                DOCUMENT_TITLES[RESIDENT_SUMMARY],
                "Public register of AI uses (CSV)",
            ],
            ordered=True,
            lead="Attached:",
        )
    ]

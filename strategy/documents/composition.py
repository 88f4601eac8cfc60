"""The two finished documents as plain data, composed from a jurisdiction's answers.

One composition feeds every renderer (HTML page, PDF, DOCX). Sentences are written from the
answers; a part nobody has answered yet becomes a visible `NotAnswered` marker instead of an
empty heading. Nothing here touches the database: `DocumentInputs` carries what was loaded.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import ClassVar

from strategy.answers import WorkbookAnswers
from strategy.register.entries import RegisterEntry, tier_approvers
from strategy.render.chart import RadarChart, radar_chart
from strategy.scoring.plan import action_plan_groups
from strategy.scoring.readiness import Readiness
from strategy.scoring.risk import TIER_NAMES, TIERS

STRATEGY = "strategy"
SOP = "sop"
DOCUMENT_TITLES = {STRATEGY: "AI Strategy", SOP: "AI Standard Operating Procedure"}


# --- The document model --------------------------------------------------------------------


@dataclass
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str


@dataclass
class Subheading:
    kind: ClassVar[str] = "subheading"
    text: str


@dataclass
class BulletList:
    kind: ClassVar[str] = "list"
    items: list[str]
    ordered: bool = False


@dataclass
class Table:
    kind: ClassVar[str] = "table"
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class ScoreChart:
    kind: ClassVar[str] = "chart"
    readiness: Readiness

    @property
    def chart(self) -> RadarChart:
        return radar_chart(self.readiness)


@dataclass
class NotAnswered:
    """A visible gap: the question that would fill this part of the document."""

    kind: ClassVar[str] = "not_answered"
    question: str


Block = Paragraph | Subheading | BulletList | Table | ScoreChart | NotAnswered


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    anchor: str = ""
    appendix: bool = False
    page_break: bool = False


@dataclass
class Document:
    kind: str
    title: str
    jurisdiction: str
    date: datetime.date
    draft: bool
    edition: str
    sections: list[Section]

    @property
    def status(self) -> str:
        return "DRAFT" if self.draft else "FINAL"

    @property
    def full_title(self) -> str:
        return f"{self.jurisdiction} {self.title}"

    def not_answered_count(self) -> int:
        return sum(isinstance(b, NotAnswered) for s in self.sections for b in s.blocks)


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


# --- Helpers that turn answers into sentences ---------------------------------------------


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def join_words(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def the_name(name: str) -> str:
    """'City of Riverton' reads 'the City of Riverton' in a sentence; 'Lakeside County' not."""
    return f"the {name}" if " of " in name.split(",")[0] else name


class Writer:
    """Builds blocks from one jurisdiction's answers; every method may fall back to a gap."""

    def __init__(self, inputs: DocumentInputs):
        self.inputs = inputs
        self.a = inputs.answers
        self.name = the_name(inputs.jurisdiction)
        self.subject = self.name[:1].upper() + self.name[1:]

    def gap(self, slug: str) -> NotAnswered:
        question = self.a.questions.get(slug)
        return NotAnswered(question.text if question else slug)

    def sentence(self, slug: str, make: Callable[[str], str]) -> Block:
        """A sentence from the displayed answer, or the gap marker."""
        return Paragraph(make(self.a.text(slug))) if self.a.has(slug) else self.gap(slug)

    def text(self, slug: str) -> Block:
        return self.sentence(slug, lambda t: t)

    def bullets(self, slug: str, lead: str | None = None) -> list[Block]:
        labels = self.a.labels(slug)
        if not labels:
            return [self.gap(slug)]
        blocks: list[Block] = [Paragraph(lead)] if lead else []
        return [*blocks, BulletList(labels)]

    def yes_no(self, slug: str, yes: str, no: str) -> Block:
        answer = self.a.yes(slug)
        if answer is None:
            return self.gap(slug)
        return Paragraph(yes if answer else no)

    def table(
        self,
        slug: str,
        caption: str,
        columns: list[str] | None = None,
        rows: list[dict] | None = None,
    ) -> Block:
        specs = self.a.columns(slug)
        if columns is not None:
            specs = [c for slug_ in columns for c in specs if c["slug"] == slug_]
        rows = self.a.rows(slug) if rows is None else rows
        if not rows:
            return self.gap(slug)
        return Table(
            caption=caption,
            headers=[c["label"] for c in specs],
            rows=[[self.a.cell(slug, c["slug"], r) or "—" for c in specs] for r in rows],
        )

    # -- shared parts -------------------------------------------------------------------

    def tier_table(self) -> Block:
        """Tier, approver and minimum safeguards, from the governance answer."""
        rows = [
            r
            for q in self.a.by_role("tier_approvers")
            for r in sorted(
                self.a.rows(q.slug),
                key=lambda r: TIERS.index(r["tier"]) if r.get("tier") in TIERS else 9,
            )
        ]
        return self.table("gov-tier-approvers", "Who approves each risk tier", rows=rows)

    def register_table(self, full: bool = False) -> Block:
        if not self.inputs.register:
            return Paragraph("No AI uses have been entered in the register yet.")
        headers = ["Use", "Department", "Stage", "Risk tier", "Approver"]
        if full:
            headers = ["Use", "Department", "Tool or vendor", "Kind of AI", *headers[2:]]
        rows = []
        for entry in self.inputs.register:
            use = entry.use_case
            tier = entry.risk.tier_label
            if entry.risk.tier and not entry.risk.complete:
                tier += " (screening incomplete)"
            cells = [use.name, use.department or "—"]
            if full:
                cells += [use.tool or "—", use.get_ai_type_display()]
            cells += [use.get_stage_display(), tier, entry.approver or "—"]
            rows.append(cells)
        return Table("AI use-case register", headers, rows)

    def readiness_table(self) -> Block:
        readiness = self.inputs.readiness
        if not readiness.any_answered:
            return NotAnswered("Readiness self-assessment")
        rows = [
            [
                d.title,
                "—" if d.score is None else str(d.score),
                d.band or "Not yet answered",
                "—" if d.target_score is None else f"{d.target_score} ({d.target_band})",
                "—" if d.gap is None else str(d.gap),
            ]
            for d in readiness.dimensions
        ]
        return Table(
            "Readiness by dimension (scores out of 100)",
            ["Dimension", "Current score", "Level", "Target", "Gap"],
            rows,
        )

    def severity_table(self) -> Block:
        return self.table("inc-severity", "Incident severity and response times")

    def red_uses(self) -> list[Block]:
        return self.bullets("rules-red", "These uses are never allowed:")

    def review_cadence(self) -> Block:
        return self.sentence(
            "gov-review-cadence",
            lambda t: f"{self.subject} will review its AI procedure {lower_first(t)}.",
        )


# --- The AI Strategy -------------------------------------------------------------------------


def compose_strategy(inputs: DocumentInputs) -> Document:
    w = Writer(inputs)
    sections = [
        Section("Executive summary", _executive_summary(w)),
        Section("Context and drivers", _context(w)),
        Section("Vision, goals and principles", _vision(w)),
        Section("Current state", _current_state(w)),
        Section("Priority opportunities", _opportunities(w)),
        Section("Risk approach", _risk_approach(w)),
        Section("Governance and accountability", _governance(w)),
        Section("Data, privacy and security foundations", _data(w)),
        Section("Procurement approach", _procurement(w)),
        Section("Workforce and change", _workforce(w)),
        Section("Community engagement and transparency", _engagement(w)),
        Section("Roadmap", _roadmap(w)),
        Section("Monitoring and review", _monitoring(w)),
        Section("Appendix A: AI use-case register", [w.register_table(full=True)], appendix=True),
        Section(
            "Appendix B: Readiness detail",
            [
                Paragraph(
                    "Each score is the weighted share of the highest possible rating, out of "
                    "100: 0–20 ad hoc, 21–40 developing, 41–60 defined, 61–80 managed and "
                    "81–100 optimised. Targets are the chosen level times 20."
                ),
                w.readiness_table(),
            ],
            appendix=True,
        ),
    ]
    return _document(STRATEGY, inputs, sections)


def _document(kind: str, inputs: DocumentInputs, sections: list[Section]) -> Document:
    for number, section in enumerate(sections, start=1):
        section.anchor = f"section-{number}"
    return Document(
        kind=kind,
        title=DOCUMENT_TITLES[kind],
        jurisdiction=inputs.jurisdiction,
        date=inputs.date,
        draft=inputs.draft,
        edition=inputs.edition,
        sections=sections,
    )


def _executive_summary(w: Writer) -> list[Block]:
    a, readiness = w.a, w.inputs.readiness
    blocks: list[Block] = [
        w.sentence(
            "vision-statement",
            lambda t: (
                f"{w.subject} sets out its aim for artificial intelligence in one statement: {t}"
            ),
        )
    ]
    if readiness.overall is not None:
        text = (
            f"{w.subject}'s overall AI readiness today is {readiness.overall} out of 100, "
            f"the “{readiness.overall_band}” level."
        )
        gaps = readiness.largest_gaps()
        if gaps:
            text += " The largest gaps to its targets are in " + join_words(
                f"{lower_first(d.title)} ({d.gap} points)" for d in gaps
            )
            text += "."
        blocks.append(Paragraph(text))
    else:
        blocks.append(NotAnswered("Readiness self-assessment"))
    if a.has("inv-shortlist"):
        blocks.append(
            Paragraph("The first opportunities it will pursue: " + a.text("inv-shortlist"))
        )
    register = w.inputs.register
    if register:
        higher = sum(1 for e in register if e.risk.tier in ("III", "IV"))
        prohibited = sum(1 for e in register if e.risk.tier == "Prohibited")
        blocks.append(
            Paragraph(
                f"The register lists {len(register)} AI use{'s' if len(register) != 1 else ''}; "
                f"{higher} {'are' if higher != 1 else 'is'} in tier III or IV and need the "
                f"highest level of approval, and {prohibited} "
                f"{'are' if prohibited != 1 else 'is'} prohibited."
            )
        )
    actions = a.rows("plan-actions")
    if actions:
        soon = [r for r in actions if r.get("horizon") == "0-6"]
        blocks.append(
            Paragraph(
                f"The action plan holds {len(actions)} actions, {len(soon)} of them due in the "
                "next six months."
            )
        )
    return blocks


def _context(w: Writer) -> list[Block]:
    a = w.a
    blocks: list[Block] = []
    if a.has("profile-jurisdiction-type") and a.has("profile-population"):
        text = (
            f"{w.subject} is a {lower_first(a.text('profile-jurisdiction-type'))} serving "
            f"{lower_first(a.text('profile-population'))} residents"
        )
        text += "."
        if a.has("profile-government-form"):
            text += f" Form of government: {lower_first(a.text('profile-government-form'))}."
        blocks.append(Paragraph(text))
    else:
        blocks.append(w.gap("profile-jurisdiction-type"))
    blocks += w.bullets("profile-departments", "The strategy covers these departments:")
    sponsor, lead = a.text("profile-sponsor"), a.text("profile-lead")
    if sponsor or lead:
        parts = []
        if sponsor:
            parts.append(f"The executive sponsor is {sponsor}.")
        if lead:
            parts.append(f"{lead} leads the work day to day.")
        blocks.append(Paragraph(" ".join(parts)))
    else:
        blocks.append(w.gap("profile-sponsor"))
    blocks.append(w.table("profile-team", "The working team", ["name", "department", "role"]))
    blocks += w.bullets("vision-drivers", f"{w.subject} is acting on AI now because of:")
    blocks += w.bullets(
        "profile-existing-policies", "The AI rules line up with these existing policies:"
    )
    if a.has("profile-adoption-route"):
        text = f"The procedure will be adopted by {lower_first(a.text('profile-adoption-route'))}"
        if a.has("profile-target-date"):
            text += f", with a target date of {a.text('profile-target-date')}"
        blocks.append(Paragraph(text + "."))
    else:
        blocks.append(w.gap("profile-adoption-route"))
    return blocks


def _vision(w: Writer) -> list[Block]:
    a = w.a
    blocks: list[Block] = [Subheading("Vision"), w.text("vision-statement")]
    if a.has("vision-horizon-years"):
        blocks.append(
            Paragraph(f"This strategy looks {a.text('vision-horizon-years')} years ahead.")
        )
    blocks += [
        Subheading("Goals"),
        w.table("vision-goals", "Council and strategic-plan goals that AI supports"),
        Subheading("Principles"),
        *w.bullets("vision-principles", f"{w.subject} commits to AI that is:"),
    ]
    if a.has("vision-principles-meaning"):
        blocks.append(Paragraph(a.text("vision-principles-meaning")))
    blocks += [
        Subheading("Appetite for risk"),
        w.sentence("vision-risk-appetite", lambda t: f"{w.subject}'s approach to AI risk: {t}."),
        Subheading("Red lines"),
        w.text("vision-red-lines"),
        Subheading("Success in three years"),
        w.text("vision-success"),
    ]
    return blocks


def _current_state(w: Writer) -> list[Block]:
    a, readiness = w.a, w.inputs.readiness
    blocks: list[Block] = []
    if readiness.any_answered:
        blocks.append(
            Paragraph(
                f"{w.subject} assessed its readiness in eight dimensions. The chart compares "
                "today's score in each dimension with the target."
            )
        )
        blocks += [ScoreChart(readiness), w.readiness_table()]
        scored = [d for d in readiness.dimensions if d.score is not None]
        strengths = sorted(scored, key=lambda d: -(d.score or 0))[:2]
        blocks.append(
            Paragraph(
                "Its strongest areas are "
                + join_words(f"{lower_first(d.title)} ({d.score})" for d in strengths)
                + "."
            )
        )
        gaps = readiness.largest_gaps()
        if gaps:
            blocks.append(Paragraph("The largest gaps between today and the target:"))
            blocks.append(
                BulletList(
                    [
                        f"{d.title}: {d.score} today, target {d.target_score} "
                        f"({d.gap} points to close)"
                        for d in gaps
                    ]
                )
            )
    else:
        blocks.append(NotAnswered("Readiness self-assessment"))
    if a.has("ready-staff-ai-share"):
        blocks.append(
            Paragraph(
                f"About {a.text('ready-staff-ai-share')}% of staff already use AI tools in "
                "their work."
            )
        )
    blocks += w.bullets("ready-barriers", "Staff named these barriers:")
    blocks += w.bullets("ready-concerns", "And these concerns:")
    uses = a.rows("inv-current-uses")
    blocks.append(Subheading("AI in use today"))
    if uses:
        text = f"{len(uses)} AI tools or systems are in use or being tried today."
        if a.has("inv-shadow-count"):
            text += (
                f" {a.text('inv-shadow-count')} of them were unknown to IT or management "
                "before staff were asked."
            )
        blocks.append(Paragraph(text))
        blocks.append(
            w.table(
                "inv-current-uses",
                "AI in use or being tried",
                ["name", "department", "tool", "ai_type", "stage"],
            )
        )
    else:
        blocks.append(w.gap("inv-current-uses"))
    return blocks


def _opportunities(w: Writer) -> list[Block]:
    a = w.a
    ideas = a.rows("inv-ideas")

    def rank(row: dict) -> int:
        try:
            return -int(row.get("value") or 0) * int(row.get("feasibility") or 0)
        except ValueError:
            return 0

    blocks: list[Block] = [
        Paragraph("Candidate ideas are ranked by value times feasibility, each rated from 1 to 5."),
        w.table(
            "inv-ideas",
            "Candidate uses, highest value × feasibility first",
            ["problem", "service_area", "value", "feasibility", "data_ready"],
            rows=sorted(ideas, key=rank),
        )
        if ideas
        else w.gap("inv-ideas"),
        Subheading("Shortlist"),
        w.text("inv-shortlist"),
    ]
    if a.yes("inv-non-ai-considered") and a.has("inv-non-ai-alternative"):
        blocks.append(
            Paragraph("Simpler fixes considered first: " + a.text("inv-non-ai-alternative"))
        )
    blocks += [
        Subheading("Screened uses and their risk tiers"),
        w.register_table(),
    ]
    return blocks


def _risk_approach(w: Writer) -> list[Block]:
    return [
        Paragraph(
            "Every AI use is screened before it starts. The answers about its role, the harm a "
            "mistake could do, the data it uses and the people it affects add up to an impact "
            "score. Strong safeguards lower that score by 15%. The share of the highest "
            "possible score sets the tier: up to 25% is tier I, up to 50% tier II, up to 75% "
            "tier III, and above that tier IV."
        ),
        Paragraph(
            "Two rules override the score. A use that could affect someone's rights, benefits, "
            "access to services or safety is at least tier III. A use that falls under a "
            "prohibited category is blocked, whatever its score."
        ),
        w.tier_table(),
        *w.red_uses(),
        w.sentence("vision-red-lines", lambda t: f"In the team's own words: {t}"),
    ]


def _governance(w: Writer) -> list[Block]:
    a = w.a
    blocks: list[Block] = [
        w.sentence("gov-model", lambda t: f"Oversight model: {t}."),
    ]
    if a.has("gov-committee-members"):
        blocks.append(Paragraph(a.text("gov-committee-members")))
    blocks += [
        w.sentence(
            "gov-accountable-executive",
            lambda t: f"{t} is ultimately accountable for the use of AI.",
        ),
        w.sentence("gov-ai-lead", lambda t: f"{t} is the AI lead and coordinates the work."),
        w.table("gov-raci", "Who does what"),
        w.tier_table(),
        w.yes_no(
            "gov-public-register",
            f"{w.subject} will publish a register of its AI uses.",
            f"{w.subject} will not publish a register of its AI uses.",
        ),
        w.review_cadence(),
        w.sentence(
            "gov-council-reporting",
            lambda t: f"Reports on AI go to the council or board: {lower_first(t)}.",
        ),
        Subheading("When a system is retired"),
        w.text("gov-sunset-criteria"),
    ]
    return blocks


def _data(w: Writer) -> list[Block]:
    return [
        w.sentence(
            "data-classification-scheme",
            lambda t: f"Data classification: {lower_first(t)}.",
        ),
        w.table("data-tool-matrix", "Which data each AI tool may use"),
        *w.bullets("data-regulated", "Regulated data held by departments:"),
        w.sentence(
            "data-vendor-training",
            lambda t: f"May vendors train their products on {w.name}'s data? {t}.",
        ),
        w.sentence(
            "data-retention", lambda t: f"Prompts and outputs may be kept: {lower_first(t)}."
        ),
        w.yes_no(
            "data-security-review",
            "Every new AI tool passes a security review before staff use it.",
            "New AI tools do not need a separate security review.",
        ),
        w.yes_no(
            "data-city-accounts-only",
            "Staff use only accounts the organization issues and controls.",
            "Staff may use their own accounts for AI tools.",
        ),
    ]


def _procurement(w: Writer) -> list[Block]:
    return [
        w.yes_no(
            "proc-disclosure-form",
            "Vendors complete an AI disclosure form when they bid or renew.",
            "Vendors are not asked for an AI disclosure form.",
        ),
        *w.bullets("proc-contract-terms", "Contracts for AI products must include:"),
        w.yes_no(
            "proc-renewal-check",
            "Existing software is checked for new AI features at every renewal or upgrade.",
            "Renewals are not checked for new AI features.",
        ),
        w.table("proc-evaluation-criteria", "How AI products are scored"),
        *w.bullets("proc-cooperatives", "Purchasing partnerships:"),
        w.sentence("proc-free-tools", lambda t: f"Free and click-to-accept AI tools: {t}."),
    ]


def _workforce(w: Writer) -> list[Block]:
    a = w.a
    blocks: list[Block] = []
    required = a.yes("work-training-required")
    if required is None:
        blocks.append(w.gap("work-training-required"))
    elif required:
        hours = a.text("work-training-hours")
        blocks.append(
            Paragraph(
                "Staff complete training before they get access to AI tools"
                + (f" ({hours} hours)." if hours else ".")
            )
        )
    else:
        blocks.append(Paragraph("Training is offered but not required before access."))
    blocks += [
        w.table("work-curriculum", "Training offered"),
        w.yes_no(
            "work-champions",
            "A network of AI champions supports colleagues across departments.",
            "There is no AI champions network.",
        ),
        w.yes_no(
            "work-labor-consultation",
            "Unions and employee associations are consulted about AI.",
            "No formal consultation with employee representatives is planned.",
        ),
    ]
    if a.has("work-labor-plan"):
        blocks.append(Paragraph(a.text("work-labor-plan")))
    blocks += [
        Subheading("Commitment on jobs"),
        w.text("work-job-commitment"),
        *w.bullets("work-skills", "Skills to build or hire:"),
    ]
    return blocks


def _engagement(w: Writer) -> list[Block]:
    a = w.a
    web = a.yes("engage-web-page")
    if web is None:
        blocks: list[Block] = [w.gap("engage-web-page")]
    elif web:
        text = f"{w.subject} will keep a public web page about its use of AI"
        if a.has("engage-web-launch"):
            text += f", live from {a.text('engage-web-launch')}"
        blocks = [Paragraph(text + ".")]
    else:
        blocks = [Paragraph("No public web page about AI is planned.")]
    blocks += [
        w.yes_no(
            "engage-notice",
            "Residents are told in plain language when they are dealing with AI.",
            "No standard notice to residents is planned.",
        ),
    ]
    if a.has("engage-notice-text"):
        blocks.append(Paragraph(f"The notice reads: {a.text('engage-notice-text')}"))
    blocks += [
        *w.bullets("engage-methods", "Residents are involved through:"),
        w.text("engage-priority-groups"),
        w.sentence(
            "engage-feedback-channel",
            lambda t: f"To ask a question or challenge an AI-assisted result: {t}.",
        ),
        w.yes_no(
            "engage-comment-traceability",
            "When AI summarizes public comment, every point links back to the original comments.",
            "AI summaries of public comment need not link back to the comments.",
        ),
        w.yes_no(
            "engage-equity-review",
            "Uses in tier III or IV get an equity review before approval.",
            "No separate equity review is required.",
        ),
    ]
    return blocks


def _roadmap(w: Writer) -> list[Block]:
    a = w.a
    groups = action_plan_groups(a)
    blocks: list[Block] = []
    if not groups:
        blocks.append(w.gap("plan-actions"))
    for label, rows in groups:
        blocks.append(Subheading(label))
        blocks.append(
            w.table(
                "plan-actions",
                f"Actions: {lower_first(label)}",
                ["action", "owner", "start", "due", "status", "kpi"],
                rows=rows,
            )
        )
    blocks += [
        Subheading("Measures of success"),
        w.table("plan-kpis", "Measures of success"),
    ]
    if a.has("plan-first-year-budget"):
        blocks.append(
            Paragraph(f"Expected budget in the first year: {a.money('plan-first-year-budget')}.")
        )
    blocks.append(w.sentence("plan-owner", lambda t: f"{t} keeps the action plan up to date."))
    return blocks


def _monitoring(w: Writer) -> list[Block]:
    a = w.a
    blocks: list[Block] = [
        w.table("inc-monitoring", "How each tier is monitored"),
        w.review_cadence(),
    ]
    if a.has("plan-next-review"):
        blocks.append(
            Paragraph(
                f"The plan and the readiness assessment will next be reviewed on "
                f"{a.text('plan-next-review')}."
            )
        )
    else:
        blocks.append(w.gap("plan-next-review"))
    if a.has("inc-drill-date"):
        blocks.append(
            Paragraph(
                f"The first practice exercise for an AI incident is set for "
                f"{a.text('inc-drill-date')}."
            )
        )
    return blocks


# --- The standard operating procedure --------------------------------------------------------

DEFINITIONS = [
    "Artificial intelligence (AI): software that produces text, images, predictions, "
    "recommendations or decisions from patterns learned from data.",
    "Generative AI: AI that writes text, images, audio or code in response to a request "
    "(a prompt).",
    "AI use: one way of using an AI tool for a purpose, entered in the register.",
    "Approved tool: an AI tool listed in this procedure for the data classes shown.",
    "Risk tier: the level (I low to IV very high) given to a use by the risk screening; it "
    "decides who approves the use and which safeguards apply.",
    "High-impact use: a use that could affect someone's rights, benefits, access to services, "
    "enforcement or safety.",
    "AI incident: harm, a data leak, false information or a near miss involving an AI tool.",
]


def compose_sop(inputs: DocumentInputs) -> Document:
    w = Writer(inputs)
    a = w.a
    sections = [
        Section("Purpose and scope", _sop_scope(w)),
        Section("Definitions", [BulletList(DEFINITIONS)]),
        Section(
            "Principles",
            [*w.bullets("vision-principles", "Everyone using AI here keeps to these principles:")]
            + (
                [Paragraph(a.text("vision-principles-meaning"))]
                if a.has("vision-principles-meaning")
                else []
            ),
        ),
        Section("Roles and responsibilities", _sop_roles(w)),
        Section("Approved tools and data classes", _sop_tools(w)),
        Section("Green, yellow and red uses", _sop_uses(w)),
        Section("Data handling", _data(w)[2:]),
        Section("Human review and fact-checking", _sop_review(w)),
        Section("Disclosure and attribution", _sop_disclosure(w)),
        Section("Public records and retention", _sop_records(w)),
        Section("Requesting a new tool or use", _sop_requests(w)),
        Section("Vendor and contract requirements", _procurement(w)),
        Section("Incident reporting", _sop_incidents(w)),
        Section("Training", _workforce(w)[:2]),
        Section("Exceptions, enforcement and review", _sop_exceptions(w)),
        Section(
            "Appendix: Quick-reference card", _quick_reference(w), appendix=True, page_break=True
        ),
    ]
    return _document(SOP, inputs, sections)


def _sop_scope(w: Writer) -> list[Block]:
    a = w.a
    blocks: list[Block] = [
        Paragraph(
            f"This procedure sets out how staff of {w.name} may use artificial intelligence: "
            "which uses are allowed, which need approval, which are never allowed, and how "
            "data, review, disclosure, records and incidents are handled."
        ),
        *w.bullets("profile-departments", "It applies to these departments:"),
        w.yes_no(
            "rules-applies-to-officials",
            "It also applies to elected and appointed officials, contractors and volunteers "
            "when they work with the organization's information.",
            "It applies to employees; officials, contractors and volunteers are covered by "
            "their own agreements.",
        ),
        w.sentence("gov-ai-lead", lambda t: f"Owner of this procedure: {t}."),
    ]
    if a.has("profile-target-date"):
        blocks.append(Paragraph(f"Effective date: {a.text('profile-target-date')}."))
    else:
        blocks.append(w.gap("profile-target-date"))
    blocks.append(w.review_cadence())
    return blocks


def _sop_roles(w: Writer) -> list[Block]:
    return [
        w.sentence("gov-accountable-executive", lambda t: f"Accountable executive: {t}."),
        w.sentence("gov-ai-lead", lambda t: f"AI lead: {t}."),
        w.sentence("gov-model", lambda t: f"Oversight: {t}."),
        w.table("gov-raci", "Who does what"),
    ]


def _sop_tools(w: Writer) -> list[Block]:
    return [
        Paragraph(
            "Staff may use only the tools below, and only with the data classes marked as "
            "allowed for each tool."
        ),
        w.table("data-tool-matrix", "Approved tools and the data each may use"),
        w.yes_no(
            "data-city-accounts-only",
            "Use only accounts the organization issues and controls; never a personal account.",
            "Personal accounts may be used for public data only.",
        ),
    ]


def _sop_uses(w: Writer) -> list[Block]:
    return [
        Subheading("Green: allowed without asking"),
        *w.bullets("rules-green", "With an approved tool and within the data rules:"),
        Subheading("Yellow: ask for approval first"),
        *w.bullets("rules-yellow", "These uses need approval after a risk screening:"),
        Subheading("Red: never allowed"),
        *w.red_uses(),
    ]


def _sop_review(w: Writer) -> list[Block]:
    return [
        w.sentence("rules-review-standard", lambda t: f"A person must review: {lower_first(t)}."),
        w.yes_no(
            "rules-fact-check",
            "Check every fact, figure, quote and citation against a reliable source before use.",
            "Fact-checking is left to the judgment of the person using the output.",
        ),
        Paragraph("The person who uses an AI output is responsible for it, as for their own work."),
    ]


def _sop_disclosure(w: Writer) -> list[Block]:
    a = w.a
    blocks: list[Block] = [
        w.sentence("rules-disclosure", lambda t: f"Say that AI helped: {lower_first(t)}."),
    ]
    if a.has("rules-disclosure-template"):
        blocks.append(Paragraph(f"Standard wording: {a.text('rules-disclosure-template')}"))
    else:
        blocks.append(w.gap("rules-disclosure-template"))
    if a.has("engage-notice-text"):
        blocks.append(Paragraph(f"Notice for residents: {a.text('engage-notice-text')}"))
    return blocks


def _sop_records(w: Writer) -> list[Block]:
    return [
        w.yes_no(
            "rules-public-records",
            "Prompts and AI outputs used for official business are public records.",
            "Prompts and AI outputs are not treated as public records by default.",
        ),
        w.sentence("rules-retention", lambda t: f"Retention: {t}."),
        w.sentence("data-retention", lambda t: f"Vendors may keep them: {lower_first(t)}."),
    ]


def _sop_requests(w: Writer) -> list[Block]:
    return [
        BulletList(
            [
                "Intake: describe the use, the tool, the data and who is affected, and add it "
                "to the AI use register.",
                "Screening: answer the risk screening for the use.",
                "Tier: the screening gives a tier from I (low) to IV (very high); a prohibited "
                "use stops here.",
                "Approval: the approver for the tier, below, decides and sets conditions.",
                "Launch and monitoring: the use starts only after approval and is checked as "
                "its tier requires.",
            ],
            ordered=True,
        ),
        w.tier_table(),
    ]


def _sop_incidents(w: Writer) -> list[Block]:
    return [
        *w.bullets("inc-types", "Report any of these as an AI incident, including near misses:"),
        w.sentence("inc-channel", lambda t: f"Report to: {t}."),
        w.sentence("inc-owner", lambda t: f"Incident owner: {t}."),
        w.severity_table(),
        w.sentence("inc-pause-authority", lambda t: f"May pause or switch off a system: {t}."),
        Subheading("Telling residents"),
        w.text("inc-resident-notice"),
    ]


def _sop_exceptions(w: Writer) -> list[Block]:
    return [
        w.sentence("rules-exceptions", lambda t: f"Exceptions: {t}"),
        Paragraph(
            "Breaking this procedure is handled like any breach of the organization's policies "
            "on technology and information."
        ),
        w.review_cadence(),
        Subheading("Retiring a system"),
        w.text("gov-sunset-criteria"),
    ]


def _quick_reference(w: Writer) -> list[Block]:
    a = w.a
    blocks: list[Block] = [
        Subheading("Before you use AI"),
        BulletList(
            [
                "Use an approved tool with an account the organization controls.",
                "Put in only the data the tool is approved for.",
                "Check every output; you are responsible for it.",
                "Say when AI helped, as this procedure sets out.",
            ]
        ),
        Subheading("Green: go ahead"),
        BulletList(a.labels("rules-green")) if a.labels("rules-green") else w.gap("rules-green"),
        Subheading("Yellow: ask first"),
        BulletList(a.labels("rules-yellow")) if a.labels("rules-yellow") else w.gap("rules-yellow"),
        Subheading("Red: never"),
        BulletList(a.labels("rules-red")) if a.labels("rules-red") else w.gap("rules-red"),
        Subheading("Something went wrong?"),
        w.sentence("inc-channel", lambda t: f"Report it: {t}."),
    ]
    approvers = tier_approvers(a)
    if approvers:
        blocks.append(
            Table(
                "Approvers",
                ["Tier", "Approver"],
                [[f"{t} – {TIER_NAMES[t]}", approvers[t]] for t in TIERS if t in approvers],
            )
        )
    return blocks


COMPOSERS = {STRATEGY: compose_strategy, SOP: compose_sop}


def compose(kind: str, inputs: DocumentInputs) -> Document:
    return COMPOSERS[kind](inputs)

"""The AI Strategy's sections, written as a council document.

Every sentence is either our own framing, a clause from the content file (the policy an answer
stands for) or the team's own words from a free-text answer, so no question's wording reaches the
document. A part nobody has decided yet is left out (`None`); the open items appendix lists it.
"""

import re
from collections.abc import Iterable

from strategy.documents import legal, shared
from strategy.documents.model import (
    Block,
    BulletList,
    Paragraph,
    ScoreChart,
    Section,
    Subheading,
    Table,
)
from strategy.documents.writing import (
    Writer,
    count,
    is_are,
    join_words,
    lower_first,
    sentence,
    upper_first,
)
from strategy.scoring.plan import HORIZONS, NO_HORIZON, action_plan_groups
from strategy.scoring.risk import (
    HIGH_IMPACT_MINIMUM,
    MITIGATION_CUT,
    PROHIBITED,
    STRONG_MITIGATION,
    TIER_LIMITS,
    TIER_NAMES,
    TIERS,
)
from workbook.answers.profile import population_of

HIGHER_TIERS = ("III", "IV")
SOON = HORIZONS[0][0]
HORIZON_CAPTIONS = {
    HORIZONS[0][1]: "Actions for the next 6 months",
    HORIZONS[1][1]: "Actions for 6 to 18 months from now",
    HORIZONS[2][1]: "Actions for more than 18 months from now",
    NO_HORIZON: "Actions with no horizon set yet",
}

# References the text relies on, cited in full. Checked on 2026-12-01: the AI RMF's title,
# identifier, date and DOI against the publication's own title page; the Generative AI Profile's
# title, identifier, date (July 2024, published July 26, 2024) and DOI against NIST's publication
# record as cited by several independent sources (nist.gov itself could not be reached from here).
REFERENCES = (
    "National Institute of Standards and Technology. Artificial Intelligence Risk Management "
    "Framework (AI RMF 1.0). NIST AI 100-1. U.S. Department of Commerce, January 2023. "
    "https://doi.org/10.6028/NIST.AI.100-1",
    "National Institute of Standards and Technology. Artificial Intelligence Risk Management "
    "Framework: Generative Artificial Intelligence Profile. NIST AI 600-1. U.S. Department of "
    "Commerce, July 2024. https://doi.org/10.6028/NIST.AI.600-1",
)

# Cross-references are written as markers and resolved once the sections that have something to
# say are known: an empty section is dropped, and the numbers and letters after it move up.
_REF = re.compile("\ue000([a-z-]+)\ue001")


def ref(key: str) -> str:
    return f"\ue000{key}\ue001"


def sections(w: Writer) -> list[Section]:
    keyed = {
        "summary": Section("Executive summary", executive_summary(w)),
        "context": Section("Context and drivers", context(w)),
        "legal": Section("Legal and regulatory context", legal.legal_context(w)),
        "vision": Section("Vision, goals and principles", vision(w)),
        "current-state": Section("Current state", current_state(w)),
        "opportunities": Section("Priority opportunities", opportunities(w)),
        "risk": Section("Risk approach", risk_approach(w)),
        "governance": Section("Governance and accountability", shared.governance(w)),
        "data": Section("Data, privacy and security foundations", shared.data_foundations(w)),
        "procurement": Section("Procurement approach", shared.procurement(w)),
        "workforce": Section("Workforce and change", workforce(w)),
        "engagement": Section("Community engagement and transparency", engagement(w)),
        "roadmap": Section("Roadmap", roadmap(w)),
        "monitoring": Section("Monitoring and review", shared.monitoring(w)),
        "register": Section(
            "AI use-case register", register_appendix(w), appendix=True, page_break=True
        ),
        "readiness": Section("Readiness detail", readiness_appendix(w), appendix=True),
        "references": Section("References", references(), appendix=True),
        "glossary": Section("Glossary", glossary(w), appendix=True),
        "crosswalk": Section("NIST AI RMF crosswalk", legal.crosswalk_appendix(w), appendix=True),
    }
    return resolve_references(keyed)


def resolve_references(keyed: dict[str, Section]) -> list[Section]:
    """The sections with something to say, each cross-reference replaced by its number."""
    kept = {key: s for key, s in keyed.items() if s.blocks}
    names, body, appendix = {}, 0, 0
    for key, section in kept.items():
        if section.appendix:
            names[key] = f"Appendix {chr(ord('A') + appendix)}"
            appendix += 1
        else:
            body += 1
            names[key] = f"section {body}"

    def fill(text: str) -> str:
        return _REF.sub(lambda m: names[m.group(1)], text)

    for section in kept.values():
        for block in section.blocks:
            if isinstance(block, Paragraph):
                block.text = fill(block.text)
            elif isinstance(block, BulletList):
                block.lead = fill(block.lead)
                block.items = [fill(i) for i in block.items]
    return list(kept.values())


# -- Helpers ------------------------------------------------------------------------------------


def titled(heading: str, *blocks: Block | None) -> list[Block | None]:
    """A subheading over its blocks, or nothing when none of them is decided yet."""
    known = [b for b in blocks if b is not None]
    return [Subheading(heading), *known] if known else []


def sentences(items: Iterable[str]) -> list[str]:
    """List items that are sentences, each ending with one full stop."""
    return [sentence(i) for i in items]


def phrases(items: Iterable[str]) -> list[str]:
    """List items that are phrases: capitalised, no closing full stop."""
    return [upper_first(i.strip().rstrip(".")) for i in items]


def quoting(text: str) -> str:
    """A sentence that may end in a quotation: '…a person."' takes no second full stop."""
    text = text.strip()
    return text if re.search(r"[.!?][\"\u201d\u2019']$", text) else sentence(text)


def bullets(items: list[str], lead: str) -> BulletList | None:
    return BulletList(items, lead=lead) if items else None


def years(text: str) -> str:
    """'3' → 'the next 3 years'; '1' → 'the next year'."""
    return "the next year" if text.strip() == "1" else f"the next {text.strip()} years"


def verb(n: int, singular: str, plural: str) -> str:
    return singular if n == 1 else plural


_NUMBERED = re.compile(r"(?:^|(?<=\s))(\d{1,2})[.)]\s+(?=\S)")
_MARKER = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])")


def list_items(text: str) -> tuple[list[str], str]:
    """A free-text answer read as a list, and any closing remark after it.

    Items are lines, bulleted or numbered lines, or "1. … 2. …" inside one paragraph. When every
    item but the last is one sentence and the last runs on, the rest of the last is a remark about
    the list as a whole ("We parked the … idea").
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    items: list[str] = []
    if len(lines) > 1:
        for line in lines:
            if _MARKER.match(line) or not items:
                items.append(_MARKER.sub("", line))
            else:
                items[-1] += " " + line
    else:
        starts, expected = [], 1
        for match in _NUMBERED.finditer(text):
            if int(match.group(1)) == expected:
                starts.append(match)
                expected += 1
        if len(starts) > 1:
            bounds = [m.start() for m in starts[1:]] + [len(text)]
            items = [text[m.end() : end].strip() for m, end in zip(starts, bounds, strict=True)]
        elif text.count(";") >= 2:
            items = [part.strip() for part in text.split(";") if part.strip()]
        else:
            items = [text.strip()]
    remark = ""
    if len(items) > 1 and all(len(_SENTENCE_END.split(i)) == 1 for i in items[:-1]):
        first, *rest = _SENTENCE_END.split(items[-1])
        if rest:
            items[-1], remark = first, " ".join(rest)
    return items, remark


_HEADLINE = re.compile(r"^(.{3,80}?)(?::\s|\s\(|\s[–—-]\s)")


def headline(item: str) -> str:
    """The name of a shortlisted idea: the words before its explanation."""
    match = _HEADLINE.match(item)
    if match:
        return match.group(1).strip()
    first = _SENTENCE_END.split(item)[0]
    return first.rstrip(".") if len(first) <= 100 else item.rstrip(".")


# -- Executive summary --------------------------------------------------------------------------


def executive_summary(w: Writer) -> list[Block | None]:
    horizon = w.text("vision-horizon-years")
    return [
        Paragraph(
            sentence(
                f"This strategy sets out how {w.name} will use artificial intelligence (AI) "
                f"over {years(horizon) if horizon else 'the coming years'}: what it wants AI "
                "to achieve, where it will start, and the safeguards every use must meet"
            )
        ),
        w.paragraph(w.text("vision-statement")),
        readiness_summary(w),
        *shortlist_summary(w),
        register_summary(w),
        plan_summary(w),
        w.paragraph(w.clause("profile-adoption-route"), adoption_date(w)),
    ]


def readiness_summary(w: Writer) -> Paragraph | None:
    readiness = w.inputs.readiness
    if readiness.overall is None:
        return None
    gaps = readiness.largest_gaps()
    return w.paragraph(
        f"{w.subject} scores {readiness.overall} out of 100 for its readiness to use AI well "
        f"today, the {lower_first(readiness.overall_band or '')} level",
        "The largest gaps between today and the targets it has set are in "
        + join_words(f"{lower_first(d.title)} ({count(d.gap or 0, 'point')})" for d in gaps)
        if gaps
        else None,
    )


def shortlist_summary(w: Writer) -> list[Block | None]:
    text = w.text("inv-shortlist")
    if not text:
        return []
    items, _ = list_items(text)
    if len(items) > 1:
        return [
            BulletList(
                phrases(headline(i) for i in items),
                lead=f"{w.subject} will pursue these opportunities first:",
            )
        ]
    return [
        w.paragraph(
            f"The opportunity {w.name} will pursue first is set out in {ref('opportunities')}"
        )
    ]


def register_summary(w: Writer) -> Paragraph:
    entries = w.inputs.register
    if not entries:
        return Paragraph(
            sentence(
                "No AI use has been entered in the register yet; every use must be screened for "
                "risk and entered before it starts"
            )
        )
    higher = sum(1 for e in entries if e.risk.tier in HIGHER_TIERS)
    prohibited = sum(1 for e in entries if e.risk.tier == PROHIBITED)
    parts = []
    if higher:
        parts.append(
            f"{higher} {is_are(higher)} in tier III or IV and "
            f"{verb(higher, 'needs', 'need')} the highest level of approval"
        )
    if prohibited:
        parts.append(
            f"{prohibited} {verb(prohibited, 'falls', 'fall')} in a prohibited category and "
            "may not go ahead"
        )
    listed = f"The register lists {count(len(entries), 'AI use')}"
    if parts:
        listed += ", of which " + ", and ".join(parts)
    return Paragraph(
        " ".join([sentence(listed), sentence(f"The full register is in {ref('register')}")])
    )


def plan_summary(w: Writer) -> Paragraph | None:
    if not w.has("plan-actions"):
        return None
    rows = w.a.rows("plan-actions")
    soon = sum(1 for r in rows if r.get("horizon") == SOON)
    text = f"The action plan in {ref('roadmap')} sets out {count(len(rows), 'action')}"
    if soon == len(rows):
        text += ", all due to start in the next six months" if soon > 1 else ""
    elif soon:
        text += f", {soon} of them in the next six months"
    budget = w.a.money("plan-first-year-budget") if w.has("plan-first-year-budget") else ""
    return w.paragraph(text, budget and f"The first year is expected to cost about {budget}")


def adoption_date(w: Writer) -> str | None:
    date = w.text("profile-target-date")
    return date and f"The target date for adoption is {date}"


# -- Context and drivers ------------------------------------------------------------------------


def about(population: int) -> str:
    """A number of residents rounded as a council document gives it: 47,850 → "about 48,000"."""
    if population < 1000:
        return f"{population:,}"
    # Two significant figures: a count of residents is out of date as soon as it is taken.
    return f"about {round(population, 2 - len(str(population))):,}"


def residents(w: Writer) -> str | None:
    if not w.has("profile-population-count"):
        return None
    population = population_of(w.a.raw("profile-population-count"))
    if population is None:
        return None
    return f"The area {w.name} serves is home to {about(population)} residents"


def context(w: Writer) -> list[Block | None]:
    sponsor, lead = w.text("profile-sponsor"), w.text("profile-lead")
    team = w.table("profile-team", "The working team", ["name", "department", "role"])
    return [
        w.paragraph(
            w.clause("profile-jurisdiction-type"),
            w.clause("profile-state"),
            residents(w),
            w.clause("profile-government-form"),
        ),
        bullets(
            phrases(w.clauses("profile-departments")),
            "This strategy, and the staff procedure that puts it into practice, cover these "
            "departments:",
        ),
        w.paragraph(
            sponsor and f"The executive sponsor of this strategy is {sponsor}",
            lead and f"The work is led day to day by {lead}",
            "A working team drawn from across the organization prepared it" if team else None,
        ),
        team,
        bullets(
            sentences(w.clauses("vision-drivers")),
            f"{w.subject} is acting on AI now for these reasons:",
        ),
        bullets(
            phrases(w.clauses("profile-existing-policies")),
            "The AI rules work alongside these existing policies, which staff must continue to "
            "follow:",
        ),
    ]


# -- Vision, goals and principles ---------------------------------------------------------------


def vision(w: Writer) -> list[Block | None]:
    horizon = w.text("vision-horizon-years")
    goals = w.table("vision-goals", "Adopted goals that AI will help to reach")
    return [
        *titled(
            "Vision",
            w.paragraph(w.text("vision-statement")),
            w.paragraph(horizon and f"This strategy covers {years(horizon)}"),
        ),
        *titled(
            "Goals",
            w.paragraph(
                "AI is a means and not an end, so each use should serve a goal the council or "
                "the organization has already adopted"
            )
            if goals
            else None,
            goals,
        ),
        *titled(
            "Principles",
            bullets(
                sentences(w.clauses("vision-principles")),
                f"{w.subject} holds every use of AI to these principles:",
            ),
            w.paragraph(w.text("vision-principles-meaning")),
        ),
        *titled("Appetite for risk", w.paragraph(w.clause("vision-risk-appetite"))),
        *titled("Red lines", w.paragraph(w.text("vision-red-lines"))),
        *titled("What success will look like", w.paragraph(w.text("vision-success"))),
    ]


# -- Current state ------------------------------------------------------------------------------


def current_state(w: Writer) -> list[Block | None]:
    return [*readiness_findings(w), *staff_views(w), *uses_today(w)]


def readiness_findings(w: Writer) -> list[Block | None]:
    readiness = w.inputs.readiness
    if not readiness.any_answered:
        return []
    scored = [d for d in readiness.dimensions if d.score is not None]
    strongest = sorted(scored, key=lambda d: -(d.score or 0))[:2]
    gaps = readiness.largest_gaps()
    return [
        w.paragraph(
            f"{w.subject} assessed its readiness to use AI in "
            f"{count(len(readiness.dimensions), 'area')}, rating a few statements in each on a "
            "five-point scale. The chart compares today's score in each area with the target "
            "it has set",
        ),
        ScoreChart(readiness),
        w.paragraph(
            f"The overall score is {readiness.overall} out of 100, the "
            f"{lower_first(readiness.overall_band or '')} level"
            if readiness.overall is not None
            else None,
            f"The strongest {verb(len(strongest), 'area is', 'areas are')} "
            + join_words(f"{lower_first(d.title)} ({d.score})" for d in strongest)
            if strongest
            else None,
            f"The scores behind the chart are in {ref('readiness')}",
        ),
        bullets(
            [
                f"{d.title}, at {d.score} today against a target of {d.target_score}, "
                f"{count(d.gap or 0, 'point')} to close"
                for d in gaps
            ],
            "The largest gaps between today and the target are in these areas:",
        ),
    ]


def staff_views(w: Writer) -> list[Block | None]:
    share = w.text("ready-staff-ai-share")
    return [
        w.paragraph(share and f"About {share}% of staff already use AI tools in their work"),
        bullets(
            phrases(w.clauses("ready-barriers")), "Staff named these barriers to using AI well:"
        ),
        bullets(
            phrases(w.clauses("ready-concerns")),
            "They also named these concerns, which the safeguards in this strategy answer:",
        ),
    ]


def uses_today(w: Writer) -> list[Block | None]:
    live = [e for e in w.inputs.register if e.in_use]
    shadow = w.text("inv-shadow-count")
    if not live:
        return []
    unknown = None
    if shadow is not None and shadow.isdigit():
        n = int(shadow)
        unknown = (
            "IT and management already knew of all of them"
            if n == 0
            else f"Of the uses in the register, {n} {verb(n, 'was', 'were')} not known to IT or "
            "management until staff were asked"
        )
    return titled(
        "AI in use today",
        w.paragraph(
            f"The register lists {count(len(live), 'AI use')} in pilot or regular use today",
            unknown,
        ),
        Table(
            "AI in use or on trial today",
            ["Use", "Department", "Tool or vendor", "Kind of AI", "Stage"],
            [
                [
                    e.use_case.name,
                    e.use_case.department or "—",
                    e.use_case.tool or "—",
                    e.use_case.get_ai_type_display() or "—",
                    e.use_case.get_stage_display(),
                ]
                for e in live
            ],
        ),
    )


# -- Priority opportunities ---------------------------------------------------------------------


def opportunities(w: Writer) -> list[Block | None]:
    return [*ideas(w), *shortlist(w), simpler_fixes(w), register_tiers(w)]


def ideas(w: Writer) -> list[Block | None]:
    if not w.has("inv-ideas"):
        return []
    rows = w.a.rows("inv-ideas")

    def rank(row: dict) -> int:
        try:
            return -int(row.get("value") or 0) * int(row.get("feasibility") or 0)
        except ValueError:
            return 0

    return [
        w.paragraph(
            f"Staff put forward {count(len(rows), 'idea')} for using AI, each starting from a "
            "problem to solve. Each idea was rated from 1 to 5 for its value and for how "
            "feasible it is, and the table lists the ideas with the highest product of the two "
            "first"
        ),
        w.table(
            "inv-ideas",
            "Candidate uses, highest value × feasibility first",
            ["problem", "service_area", "value", "feasibility", "data_ready"],
            rows=sorted(rows, key=rank),
        ),
    ]


def shortlist(w: Writer) -> list[Block | None]:
    text = w.text("inv-shortlist")
    if not text:
        return []
    items, remark = list_items(text)
    if len(items) == 1:
        return titled("First priorities", w.paragraph(text))
    return titled(
        "First priorities",
        BulletList(
            sentences(items), lead=f"{w.subject} will take these opportunities forward first:"
        ),
        w.paragraph(remark or None),
    )


def simpler_fixes(w: Writer) -> Paragraph | None:
    considered = w.yes("inv-non-ai-considered")
    return w.paragraph(
        w.clause("inv-non-ai-considered"),
        w.text("inv-non-ai-alternative") if considered else None,
    )


def register_tiers(w: Writer) -> Paragraph | None:
    entries = w.inputs.register
    if not entries:
        return None
    parts = []
    for tier in (*TIERS, PROHIBITED):
        n = sum(1 for e in entries if e.risk.tier == tier)
        if n and tier == PROHIBITED:
            parts.append(f"{n} {is_are(n)} prohibited")
        elif n:
            parts.append(f"{n} {is_are(n)} in tier {tier} ({lower_first(TIER_NAMES[tier])})")
    unscreened = sum(1 for e in entries if not e.risk.tier)
    if unscreened:
        parts.append(f"{unscreened} {verb(unscreened, 'has', 'have')} not been screened yet")
    return w.paragraph(
        f"Each shortlisted opportunity is screened for risk ({ref('risk')}) before work on it "
        "starts, and entered in the register",
        f"Of the {count(len(entries), 'use')} in the register ({ref('register')}), "
        + join_words(parts),
    )


# -- Risk approach ------------------------------------------------------------------------------


def risk_approach(w: Writer) -> list[Block | None]:
    limits = [f"{round(limit * 100)}%" for limit, _ in TIER_LIMITS[:-1]]
    tiers = [f"tier {t} ({lower_first(TIER_NAMES[t])})" for _, t in TIER_LIMITS]
    return [
        Paragraph(
            " ".join(
                [
                    sentence(
                        "Every AI use is screened before it starts. The screening asks what role "
                        "AI plays, how much harm a mistake could do and to whom, how easily a "
                        "mistake can be put right, what data the use needs and who it affects; "
                        "the answers add up to an impact score"
                    ),
                    sentence(
                        "Safeguards such as human review, monitoring and a way to appeal count "
                        f"against that score, and strong safeguards (at least "
                        f"{round(STRONG_MITIGATION * 100)}% of those possible) lower it by "
                        f"{round(MITIGATION_CUT * 100)}%"
                    ),
                    sentence(
                        "The tier follows from the share of the highest possible score. Up to "
                        f"{limits[0]} is {tiers[0]}, up to {limits[1]} {tiers[1]}, up to "
                        f"{limits[2]} {tiers[2]}, and anything above is {tiers[3]}"
                    ),
                ]
            )
        ),
        Paragraph(
            sentence(
                "Two rules override the score. A high-impact use, one that could affect "
                "someone's rights, benefits, access to services or safety, is always at least "
                f"tier {HIGH_IMPACT_MINIMUM}, and a use that falls under a prohibited category "
                "may not go ahead, whatever its score"
            )
        ),
        w.paragraph(
            f"How strict the safeguards are at each tier follows the appetite for risk set out "
            f"in {ref('vision')}"
            if w.a.has("vision-risk-appetite")
            else None,
            f"No use may cross the red lines in {ref('vision')}, whatever its tier"
            if w.a.has("vision-red-lines")
            else None,
            "Each tier has its own approver and minimum safeguards, set out in the table of "
            f"approvers in {ref('governance')}"
            if w.a.has("gov-tier-approvers")
            else None,
        ),
        Paragraph(
            sentence(
                "The screening and the tiers follow the four functions of the NIST AI Risk "
                "Management Framework, which are to govern, map, measure and manage AI risk. For "
                "generative AI, which writes text, images or code, its Generative AI Profile adds "
                "risks such as confident but false answers and leaks of personal data (see "
                f"{ref('references')})"
            )
        ),
    ]


# -- Workforce and change -----------------------------------------------------------------------


def workforce(w: Writer) -> list[Block | None]:
    required = w.yes("work-training-required")
    hours = w.text("work-training-hours") if required else None
    consult = w.yes("work-labor-consultation")
    return [
        w.paragraph(
            w.clause("work-training-required"),
            hours
            and f"The training needed before access takes {hours} "
            f"{'hour' if hours.strip() == '1' else 'hours'}",
        ),
        w.table("work-curriculum", "Training offered"),
        w.paragraph(w.clause("work-champions")),
        w.paragraph(
            w.clause("work-labor-consultation"),
            w.text("work-labor-plan") if consult else None,
        ),
        *titled("Commitment on jobs", w.paragraph(w.text("work-job-commitment"))),
        bullets(
            phrases(w.clauses("work-skills")), f"{w.subject} needs to build or hire these skills:"
        ),
    ]


# -- Community engagement and transparency ------------------------------------------------------


def engagement(w: Writer) -> list[Block | None]:
    web = w.yes("engage-web-page")
    notice = w.yes("engage-notice")
    launch = w.text("engage-web-launch") if web else None
    notice_text = w.text("engage-notice-text") if notice else None
    channel = w.text("engage-feedback-channel")
    groups = w.text("engage-priority-groups")
    return [
        w.paragraph(w.clause("engage-web-page"), launch and f"The page goes live on {launch}"),
        w.paragraph(w.clause("engage-notice")),
        Paragraph(quoting(f"The notice residents see reads: {notice_text}"))
        if notice_text
        else None,
        bullets(
            phrases(w.clauses("engage-methods")),
            f"Residents take part in shaping {w.name}'s use of AI through:",
        ),
        w.paragraph(
            groups and "Some communities most need to be heard, and are sought out directly",
            groups,
        ),
        w.paragraph(
            channel
            and "Any resident may ask a question about the use of AI, or challenge a result "
            "that AI helped to produce",
            channel,
        ),
        w.paragraph(w.clause("engage-comment-traceability"), w.clause("engage-equity-review")),
    ]


# -- Roadmap ------------------------------------------------------------------------------------


def roadmap(w: Writer) -> list[Block | None]:
    groups = action_plan_groups(w.a) if w.has("plan-actions") else []
    total = sum(len(rows) for _, rows in groups)
    owner = w.text("plan-owner")
    budget = w.a.money("plan-first-year-budget") if w.has("plan-first-year-budget") else ""
    blocks: list[Block | None] = []
    if groups:
        blocks.append(
            w.paragraph(
                f"The action plan sets out {count(total, 'action')}, each with an owner, dates "
                "and a measure of success, grouped below by when each is due to start"
            )
        )
    for label, rows in groups:
        blocks += titled(
            label,
            w.table(
                "plan-actions",
                HORIZON_CAPTIONS.get(label, f"Actions: {lower_first(label)}"),
                ["action", "owner", "start", "due", "status", "kpi"],
                rows=rows,
            ),
        )
    return [
        *blocks,
        *titled("Measures of success", w.table("plan-kpis", "Measures of success and targets")),
        w.paragraph(
            budget and f"The first year is expected to cost about {budget}",
            owner and f"The action plan is kept up to date by {owner}",
        ),
    ]


# -- Appendices ---------------------------------------------------------------------------------


def register_appendix(w: Writer) -> list[Block | None]:
    table = shared.register_table(w, full=True)
    if not isinstance(table, Table):
        return [table]
    return [
        Paragraph(
            sentence(
                f"Every AI use {w.name} has entered so far, with the tier its risk screening "
                f"gave it and who approves it. The tiers are explained in {ref('risk')}"
            )
        ),
        table,
    ]


def readiness_appendix(w: Writer) -> list[Block | None]:
    table = shared.readiness_table(w)
    if table is None:
        return []
    return [
        Paragraph(
            sentence(
                "Each score is the weighted share of the highest possible rating, out of 100. "
                "A score up to 20 is the ad hoc level, up to 40 developing, up to 60 defined, up "
                "to 80 managed and above 80 optimized. A target is the level chosen, from 1 to 5, "
                "times 20"
            )
        ),
        table,
    ]


def references() -> list[Block | None]:
    return [
        Paragraph(
            sentence(
                "This strategy relies on the frameworks below. Each is published free of charge "
                "at the address given"
            )
        ),
        BulletList(list(REFERENCES)),
    ]


def glossary(w: Writer) -> list[Block | None]:
    return [
        BulletList(
            [
                "Artificial intelligence (AI) is software that produces text, images, "
                "predictions, recommendations or decisions from patterns it has learned from data.",
                "Generative AI is AI that writes text, images, audio or code in answer to a "
                "request, called a prompt.",
                "An AI use is one way of using an AI tool for one purpose, such as drafting "
                "meeting minutes.",
                f"The register is the list of every AI use, with its department, tool, stage, "
                f"risk tier and approver ({ref('register')}).",
                "The risk screening is the set of questions every proposed use answers before it "
                "starts: what AI does in it, the harm a mistake could cause, the data it needs "
                "and the people it affects.",
                "A risk tier is the level, from I (low) to IV (very high), that the screening "
                "gives a use. It decides who approves the use and which safeguards apply.",
                "A high-impact use is one that could affect someone's rights, benefits, access "
                f"to services or safety. It is always at least tier {HIGH_IMPACT_MINIMUM}.",
                f"A prohibited use is one that {w.name} never allows, whatever its risk score.",
                "Human review means that a person checks AI output before it is used or sent, "
                "and stays responsible for it.",
                "An equity review asks who benefits from a use, who bears its risks and whether "
                "its results differ between groups of people.",
                "An AI incident is harm, a data leak, false information or a near miss that "
                "involves an AI tool.",
                "Readiness is how well prepared the organization is to use AI well, scored from "
                f"0 to 100 in each of {count(len(w.inputs.readiness.dimensions), 'area')}.",
            ]
        )
    ]

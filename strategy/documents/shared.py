"""Parts both documents carry: tables, and the policy parts the strategy and the SOP share."""

from strategy.documents.model import Block, Paragraph, Table
from strategy.documents.writing import Writer
from strategy.scoring.risk import TIERS


def tier_table(w: Writer) -> Table | None:
    """Tier, approver and minimum safeguards, from the governance answer."""
    rows = sorted(
        w.a.rows("gov-tier-approvers"),
        key=lambda r: TIERS.index(r["tier"]) if r.get("tier") in TIERS else len(TIERS),
    )
    return w.table("gov-tier-approvers", "Who approves each risk tier", rows=rows)


def register_table(w: Writer, full: bool = False) -> Table | Paragraph:
    if not w.inputs.register:
        return Paragraph("No AI uses have been entered in the register yet.")
    headers = ["Use", "Department", "Stage", "Risk tier", "Approver"]
    if full:
        headers = ["Use", "Department", "Tool or vendor", "Kind of AI", *headers[2:]]
    rows = []
    for entry in w.inputs.register:
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


def readiness_table(w: Writer) -> Table | None:
    readiness = w.inputs.readiness
    if not readiness.any_answered:
        return None
    rows = [
        [
            d.title,
            "—" if d.score is None else str(d.score),
            d.band or "—",
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


# -- Parts the strategy summarises and the SOP sets out as procedure --------------------------
# Each returns blocks (None where nothing is decided yet); the clauses come from the content.


def governance(w: Writer) -> list[Block | None]:
    """Who oversees AI, who is accountable, who approves each tier, how often it is reviewed."""
    executive, lead = w.text("gov-accountable-executive"), w.text("gov-ai-lead")
    return [
        w.paragraph(w.clause("gov-model"), w.text("gov-committee-members")),
        w.paragraph(
            executive and f"{executive} is accountable for the use of AI",
            lead and f"{lead} is the AI lead and coordinates the work day to day",
        ),
        w.table("gov-raci", "Who does what"),
        tier_table(w),
        w.paragraph(
            w.clause("gov-public-register"),
            w.clause("gov-review-cadence"),
            w.clause("gov-council-reporting"),
        ),
        w.paragraph(w.text("gov-sunset-criteria")),
    ]


def data_foundations(w: Writer) -> list[Block | None]:
    """How data is classified, which tools may receive which data, what vendors may keep."""
    return [
        w.paragraph(w.clause("data-classification-scheme")),
        w.table("data-tool-matrix", "Approved tools and the data each may receive"),
        w.bullets("data-regulated", "Departments hold data that the law protects:"),
        w.paragraph(
            w.clause("data-vendor-training"),
            w.text("data-vendor-training-conditions"),
            w.clause("data-retention"),
        ),
        w.paragraph(w.clause("data-security-review"), w.clause("data-city-accounts-only")),
    ]


def procurement(w: Writer) -> list[Block | None]:
    """What vendors must disclose and contracts must say."""
    return [
        w.paragraph(w.clause("proc-disclosure-form"), w.clause("proc-renewal-check")),
        w.bullets("proc-contract-terms", "Every contract for an AI product must include:"),
        w.table("proc-evaluation-criteria", "How AI products are scored"),
        w.bullets("proc-cooperatives", "Purchasing partnerships the organization may use:"),
        w.paragraph(w.clause("proc-free-tools")),
    ]


def monitoring(w: Writer) -> list[Block | None]:
    """How each tier is watched once it runs, and when the whole approach is reviewed."""
    review, drill = w.text("plan-next-review"), w.text("inc-drill-date")
    return [
        w.table("inc-monitoring", "How each tier is monitored"),
        w.paragraph(
            w.clause("gov-review-cadence"),
            review and f"The plan and the readiness assessment will next be reviewed on {review}",
            drill and f"The first practice exercise for an AI incident is set for {drill}",
        ),
    ]

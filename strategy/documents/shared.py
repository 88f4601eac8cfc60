"""Parts both documents carry: tables, and the policy parts the strategy and the SOP share."""

from dataclasses import dataclass

from strategy.documents.model import Block, BulletList, Paragraph, Table
from strategy.documents.writing import Writer, the_role, upper_first
from strategy.register.entries import RegisterEntry
from strategy.scoring.risk import TIERS
from workbook.answers.presenter import date_text

TOOL_MATRIX = "data-tool-matrix"
ACCOUNTS_ONLY = "data-city-accounts-only"
# The matrix columns that are not data classes.
TOOL_COLUMN, ACCOUNT_COLUMN, APPROVED_COLUMN = "tool", "city_account", "approved_on"

# What each data class of the tool matrix means, keyed by the matrix column. The definitions
# follow the data classes of the risk screening, so a use is screened and handled alike.
DATA_CLASS_DEFINITIONS = {
    "public": "information that is already published or open to anyone",
    "internal": "routine business information that is not published and is not personal",
    "confidential": (
        "personal details about residents or staff, and business information whose release "
        "could cause harm"
    ),
    "restricted": (
        "information the law protects most strictly, such as health, criminal justice, "
        "children's and financial account data"
    ),
}


@dataclass(frozen=True)
class DataClass:
    slug: str  # the tool matrix column
    name: str  # "Confidential data"
    definition: str  # "" when this procedure has no definition for it


def data_classes(w: Writer) -> list[DataClass]:
    """The data classes as the tool matrix has them, in its order: one list for both documents."""
    return [
        DataClass(c["slug"], c["label"], DATA_CLASS_DEFINITIONS.get(c["slug"], ""))
        for c in w.a.columns(TOOL_MATRIX)
        if c["slug"] not in (TOOL_COLUMN, ACCOUNT_COLUMN, APPROVED_COLUMN)
        and c.get("type") == "single_choice"
    ]


def accounts_only(w: Writer) -> bool:
    return w.yes(ACCOUNTS_ONLY) is True


def personal_account_tools(w: Writer) -> list[str]:
    """Tools of the matrix used without an organization account, while only those are allowed."""
    if not accounts_only(w):
        return []
    return [
        w.a.cell(TOOL_MATRIX, TOOL_COLUMN, r)
        for r in w.a.rows(TOOL_MATRIX)
        if r.get(ACCOUNT_COLUMN) is not True
    ]


def tool_matrix(w: Writer) -> Table | None:
    """Approved tools and the data class each may receive: the one matrix of a document.

    When only organization accounts are allowed, a tool used without one is not an approved
    tool, so it is left out here (`personal_account_tools` names it instead).
    """
    if not w.has(TOOL_MATRIX):
        return None
    only = accounts_only(w)
    rows = [r for r in w.a.rows(TOOL_MATRIX) if not only or r.get(ACCOUNT_COLUMN) is True]
    if not rows:
        return None
    classes = data_classes(w)
    headers = ["Tool", *(c.name for c in classes)]
    if not only:
        headers.append("Account")
    headers.append("Approved on")
    table_rows = []
    for row in rows:
        cells = [w.a.cell(TOOL_MATRIX, TOOL_COLUMN, row) or "—"]
        cells += [w.a.cell(TOOL_MATRIX, c.slug, row) or "—" for c in classes]
        if not only:
            account = row.get(ACCOUNT_COLUMN)
            cells.append("—" if account is None else "Organization" if account else "Personal")
        cells.append(w.a.cell(TOOL_MATRIX, APPROVED_COLUMN, row) or "—")
        table_rows.append(cells)
    return Table("Approved tools and the data each may receive", headers, table_rows)


def monitoring_table(w: Writer) -> Table | None:
    return w.table("inc-monitoring", "How each tier is monitored")


def evaluation_table(w: Writer) -> Table | None:
    return w.table("proc-evaluation-criteria", "How AI products are scored")


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
        headers = ["Use", "Department", "Tool or vendor", "Kind of AI", *headers[2:], "Decision"]
    rows = []
    for entry in w.inputs.register:
        use = entry.use_case
        tier = entry.risk.tier_label
        cells = [use.name, use.department or "—"]
        if full:
            cells += [use.tool or "—", use.get_ai_type_display()]
        cells += [use.get_stage_display(), tier, entry.approver or "—"]
        if full:
            cells.append(decision_text(entry))
        rows.append(cells)
    return Table("AI use-case register", headers, rows)


def decision_text(entry: RegisterEntry) -> str:
    """The latest decision at the entry's present tier, as the register appendix states it."""
    at_tier = [a for a in entry.approvals if a.tier == entry.risk.tier]
    if not at_tier:
        return "Not yet decided"
    latest = at_tier[-1]
    return f"{latest.get_decision_display()}, {date_text(latest.decided_on)}"


def readiness_table(w: Writer) -> Table | None:
    readiness = w.inputs.readiness
    if not readiness.any_answered:
        return None
    rows = [
        [
            d.title,
            "—" if d.score is None else str(d.score),
            d.band or "—",
            d.target_text or "—",
            "—" if d.gap is None else str(d.gap),
        ]
        for d in readiness.dimensions
    ]
    return Table(
        "Readiness by dimension (scores out of 100)",
        ["Dimension", "Current score", "Level", "Target", "Gap"],
        rows,
    )


# -- Parts the strategy summarizes and the SOP sets out as procedure --------------------------
# Each returns blocks (None where nothing is decided yet); the clauses come from the content.


def executive(w: Writer) -> str | None:
    """'The City Manager (Angela Ruiz) is accountable …', or None while nobody is named."""
    name = w.text("gov-accountable-executive")
    return name and f"{upper_first(the_role(name))} is accountable for the use of AI"


def ai_lead(w: Writer) -> str | None:
    lead = w.text("gov-ai-lead")
    return lead and (
        f"{upper_first(the_role(lead))} is the AI lead, who answers staff questions, keeps the "
        "register of AI uses and coordinates the work day to day"
    )


def committee_members(w: Writer) -> str | None:
    return w.text("gov-committee-members")


def public_register_sentence(w: Writer) -> str | None:
    url = w.inputs.public_register_url
    return url and f"Residents read the published register of AI uses at {url}"


def governance(w: Writer) -> list[Block | None]:
    """Who oversees AI, who is accountable, who approves each tier, how often it is reviewed."""
    return [
        w.paragraph(w.clause("gov-model"), committee_members(w)),
        w.paragraph(executive(w), ai_lead(w)),
        w.table("gov-raci", "Who does what"),
        tier_table(w),
        w.paragraph(
            w.clause("gov-public-register"),
            public_register_sentence(w),
            w.clause("gov-review-cadence"),
            w.clause("gov-council-reporting"),
        ),
        w.paragraph(w.text("gov-sunset-criteria")),
    ]


def vendor_training_conditions(w: Writer) -> str | None:
    slug = "data-vendor-training-conditions"
    return w.text(slug)


def security_owner(w: Writer) -> str | None:
    slug = "data-security-owner"
    owner = w.text(slug)
    return owner and f"The security review is carried out by {the_role(owner)}"


def personal_account_ban(w: Writer) -> BulletList | None:
    """The tools the answers list without an organization account, while only those are allowed."""
    tools = personal_account_tools(w)
    if not tools:
        return None
    return BulletList(
        tools,
        lead=(
            "Staff must not use these tools for work, because they are not used through an "
            f"account {w.name} controls:"
        ),
    )


def regulated_data(w: Writer) -> BulletList | None:
    return w.bullets(
        "data-regulated",
        f"{w.subject} holds data that the law protects, and staff must handle it as those laws "
        "require as well as under these rules:",
    )


def data_foundations(w: Writer) -> list[Block | None]:
    """How data is classified, which tools may receive which data, what vendors may keep."""
    return [
        w.paragraph(w.clause("data-classification-scheme")),
        tool_matrix(w),
        w.paragraph(w.clause(ACCOUNTS_ONLY)),
        personal_account_ban(w),
        regulated_data(w),
        w.paragraph(
            w.clause("data-vendor-training"),
            vendor_training_conditions(w),
            w.clause("data-retention"),
        ),
        w.paragraph(w.clause("data-security-review"), security_owner(w)),
    ]


def renewal_owner(w: Writer) -> str | None:
    slug = "proc-renewal-owner"
    owner = w.text(slug)
    return owner and f"The check is carried out by {the_role(owner)}"


def contract_terms(w: Writer) -> BulletList | None:
    return w.bullets("proc-contract-terms", "Every contract for an AI product must include:")


def cooperatives(w: Writer) -> BulletList | None:
    return w.bullets("proc-cooperatives", f"{w.subject} may buy AI products through:")


def procurement(w: Writer) -> list[Block | None]:
    """What vendors must disclose and contracts must say."""
    return [
        w.paragraph(w.clause("proc-disclosure-form")),
        contract_terms(w),
        w.paragraph(w.clause("proc-renewal-check"), renewal_owner(w)),
        evaluation_table(w),
        cooperatives(w),
        w.paragraph(w.clause("proc-free-tools")),
    ]


def monitoring(w: Writer) -> list[Block | None]:
    """How each tier is watched once it runs, and when the whole approach is reviewed."""
    review, drill = w.text("plan-next-review"), w.text("inc-drill-date")
    return [
        monitoring_table(w),
        w.paragraph(
            w.clause("gov-review-cadence"),
            review and f"The plan and the readiness assessment will next be reviewed on {review}",
            drill and f"The first practice exercise for an AI incident is set for {drill}",
        ),
    ]

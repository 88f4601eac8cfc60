"""Parts both documents carry: the tier table, the register and the readiness table."""

from strategy.documents.model import Paragraph, Table
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

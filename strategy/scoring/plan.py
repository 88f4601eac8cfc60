"""The action plan read by horizon, as the readiness page, the CSV and the strategy show it."""

from strategy.answers import WorkbookAnswers

HORIZONS = (
    ("0-6", "Next 6 months"),
    ("6-18", "6 to 18 months"),
    ("18-plus", "More than 18 months"),
)
NO_HORIZON = "No horizon set"


def action_plan_groups(answers: WorkbookAnswers) -> list[tuple[str, list[dict]]]:
    """The action plan's rows grouped by horizon, in horizon order (then by due date)."""
    rows = answers.rows("plan-actions")
    known = {h for h, _ in HORIZONS}
    groups = []
    for value, label in [*HORIZONS, (None, NO_HORIZON)]:
        members = [
            r
            for r in rows
            if (r.get("horizon") == value if value else r.get("horizon") not in known)
        ]
        if members:
            groups.append((label, sorted(members, key=lambda r: str(r.get("due") or "9999"))))
    return groups

"""Document control, revision history and the adoption page of both documents.

Every value is read from the answers and the sections' approvals; where something is not known
yet the field says so ("Pending", "On adoption") instead of guessing.
"""

import datetime
import re

from strategy.documents.model import (
    RESOLUTION,
    SOP,
    STAFF_REPORT,
    STRATEGY,
    ControlField,
    Paragraph,
    Revision,
    Section,
    Table,
)
from strategy.documents.writing import Writer, count, join_words, number_word, the_role, upper_first
from workbook.answers.presenter import date_text

NUMBER_SUFFIX = {
    STRATEGY: "AI-STRATEGY",
    SOP: "AI-SOP",
    STAFF_REPORT: "AI-STAFF-REPORT",
    RESOLUTION: "AI-ADOPTION",
}
DOCUMENT_NOUN = {STRATEGY: "strategy", SOP: "procedure"}
# The first edition; a draft carries the number it will have once adopted.
FIRST_EDITION = "1.0"
REVIEW_MONTHS = {"quarterly": 3, "semi-annual": 6, "annual": 12}
REVIEW_CADENCE = "gov-review-cadence"
NOT_SET = "To be set"
# "City Manager (Angela Ruiz)" and "Angela Ruiz, City Manager", as the workbook's examples write.
TITLE_THEN_NAME = re.compile(r"^(?P<title>[^()]+?)\s*\((?P<name>[^()]+)\)$")
NAME_THEN_TITLE = re.compile(r"^(?P<name>[^,]+),\s*(?P<title>.+)$")


def _date_answer(w: Writer, slug: str) -> datetime.date | None:
    value = w.a.raw(slug) if w.has(slug) else None
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def add_months(date: datetime.date, months: int) -> datetime.date:
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date.replace(year=year, month=month, day=min(date.day, last))
        except ValueError:
            continue
    raise ValueError(date)  # pragma: no cover - every month has at least 28 days


def document_number(w: Writer, kind: str) -> str:
    code = w.inputs.code
    return f"{code}-{NUMBER_SUFFIX[kind]}" if code else NUMBER_SUFFIX[kind]


def version(w: Writer) -> str:
    return f"{FIRST_EDITION} draft" if w.inputs.draft else FIRST_EDITION


def approvals(w: Writer) -> tuple[list[str], int, int]:
    """The distinct approvers of the workbook's sections, how many are approved, how many."""
    places = list(w.inputs.places.values())
    approved = [p for p in places if p.approved_by or p.approved_on]
    names = list(dict.fromkeys(p.approved_by for p in approved if p.approved_by))
    return names, len(approved), len(places)


def approved_by(w: Writer) -> str:
    names, approved, total = approvals(w)
    if not total:
        return "Pending"
    if approved < total:
        return f"Pending ({approved} of {count(total, 'section')} approved)"
    return join_words(names) if names else "All sections approved"


def effective_date(w: Writer) -> tuple[str, datetime.date | None]:
    target = _date_answer(w, "profile-target-date")
    if target is None:
        return "On adoption", None
    return (f"{date_text(target)} (planned)" if w.inputs.draft else date_text(target)), target


def next_review(w: Writer, effective: datetime.date | None) -> str:
    months = REVIEW_MONTHS.get(str(w.a.raw(REVIEW_CADENCE))) if w.has(REVIEW_CADENCE) else None
    if months and effective:
        return date_text(add_months(effective, months))
    planned = _date_answer(w, "plan-next-review")
    if planned:
        return date_text(planned)
    if months:
        return f"{number_word(months)} {'month' if months == 1 else 'months'} after adoption"
    return NOT_SET


def owner(w: Writer) -> str:
    return w.text("gov-ai-lead") or "To be named"


def control_fields(w: Writer, kind: str) -> list[ControlField]:
    """Number, version, status, dates, owner and approval, as the document control shows them."""
    effective, effective_on = effective_date(w)
    return [
        ControlField("Document number", document_number(w, kind)),
        ControlField("Version", version(w)),
        ControlField(
            "Status",
            "Draft, not yet approved" if w.inputs.draft else "Final, approved for adoption",
        ),
        ControlField("Effective date", effective),
        ControlField("Supersedes", "None — first edition"),
        ControlField("Owner", owner(w)),
        ControlField("Approved by", approved_by(w)),
        ControlField("Next review", next_review(w, effective_on)),
    ]


def revision_history(w: Writer, kind: str) -> list[Revision]:
    """The editions so far: this first one, dated when its last section was approved."""
    names, approved, total = approvals(w)
    dates = [p.approved_on for p in w.inputs.places.values() if p.approved_on]
    if w.inputs.draft or not dates:
        change = (
            f"Draft for review, composed from the workbook; {approved} of "
            f"{count(total, 'section')} approved"
        )
        return [Revision(version(w), w.inputs.date, change)]
    change = "First edition; every section of the workbook approved"
    if names:
        change += f" by {join_words(names)}"
    return [Revision(version(w), max(dates), change)]


def person(text: str) -> tuple[str, str]:
    """(name, title) from 'City Manager (Angela Ruiz)' or 'Angela Ruiz, City Manager'."""
    if match := TITLE_THEN_NAME.match(text):
        return match["name"], match["title"]
    if match := NAME_THEN_TITLE.match(text):
        return match["name"], match["title"]
    return text, ""


def adoption_section(w: Writer, kind: str) -> Section:
    """The adoption statement and the sign-off table, with a row for each person who signs."""
    noun = DOCUMENT_NOUN[kind]
    effective, _ = effective_date(w)
    rows = []
    lead = w.text("gov-ai-lead")
    if lead:
        rows.append(["Prepared by", *person(lead), "", ""])
    names, _, _ = approvals(w)
    rows += [["Approved by", name, "", "", ""] for name in names or [""]]
    executive = w.text("gov-accountable-executive")
    rows.append(["Adopted by", *(person(executive) if executive else ("", "")), "", ""])
    when = (
        "on adoption"
        if effective == "On adoption"
        else f"on {effective.removesuffix(' (planned)')}"
    )
    return Section(
        "Adoption and sign-off",
        [
            Paragraph(
                f"{upper_first(w.name)} adopts this {noun}, document "
                f"{document_number(w, kind)}, version {FIRST_EDITION}, which takes effect {when}."
            ),
            Paragraph(
                f"The people named below sign to confirm that they have read the {noun} and "
                "approve it; "
                + (
                    f"{the_role(executive)} signs last, as the executive accountable for AI."
                    if executive
                    else "the accountable executive signs last."
                )
            ),
            Table("Sign-off", ["Signing as", "Name", "Title", "Signature", "Date"], rows),
        ],
    )

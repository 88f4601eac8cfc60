"""The public AI register: which entries a resident reads, and the only fields they ever see.

`PUBLIC_FIELDS` is the one allow-list: the HTML pages, the CSV and the JSON are all built from
`public_register`, which copies nothing else. Screening answers, approvals, comments, internal
notes and users never reach it (docs/public-register.md).
"""

import csv
import datetime
import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max

from strategy.answers import WorkbookAnswers, load_answers, load_use_cases
from strategy.register.entries import IN_USE, RegisterEntry, register_entries
from strategy.scoring.risk import PROHIBITED, TIER_NAMES
from workbook.models import AIType, Answer, Jurisdiction, UseCase, UseCaseStage
from workbook.security.spreadsheet import csv_cell

# The governance answer that tells residents where to ask or appeal.
FEEDBACK_CHANNEL = "engage-feedback-channel"
# Old versions are never read again once the fingerprint moves on: let them expire.
CACHE_SECONDS = 15 * 60

# What each tier means, in plain language, for residents.
TIER_MEANINGS = {
    "I": "Low risk: it supports routine work and a person can easily check or undo its output.",
    "II": "Moderate risk: its output can affect services, so staff check it before relying on it.",
    "III": (
        "High risk: it can affect people's rights, benefits, services or safety, so it needs "
        "senior approval, testing and a person who reviews its results."
    ),
    "IV": (
        "Very high risk: it can seriously affect people, so it needs the strictest approval, "
        "testing, monitoring and human review."
    ),
    PROHIBITED: "It falls in a category of use that our own rules do not allow.",
}
NOT_ASSESSED = "Not yet assessed"


@dataclass(frozen=True)
class PublicField:
    name: str  # stable: the CSV column and JSON key (docs/public-register.md)
    label: str  # the heading on the HTML pages


# The one allow-list of what the public register shows, in this order.
PUBLIC_FIELDS = (
    PublicField("id", "Entry number"),
    PublicField("name", "Name"),
    PublicField("what_it_does", "What it does"),
    PublicField("department", "Department"),
    PublicField("tool_or_vendor", "Tool or vendor"),
    PublicField("ai_type", "Kind of AI"),
    PublicField("stage", "Stage"),
    PublicField("what_it_produces", "What it produces"),
    PublicField("resident_facing", "Residents deal with it directly"),
    PublicField("data_used", "Data it uses"),
    PublicField("reviewed_by", "Who reviews its output"),
    PublicField("risk_tier", "Risk tier"),
    PublicField("risk_tier_meaning", "What the tier means"),
    PublicField("in_use_since", "In use since"),
    PublicField("questions_and_appeals", "Where to ask questions or appeal"),
)
FIELD_NAMES = tuple(f.name for f in PUBLIC_FIELDS)


@dataclass(frozen=True)
class PublicRegister:
    jurisdiction_name: str
    feedback_channel: str
    entries: tuple[dict[str, Any], ...]

    def entry(self, pk: int) -> dict[str, Any] | None:
        return next((e for e in self.entries if e["id"] == pk), None)


def is_public(use_case: UseCase) -> bool:
    """Only uses in a pilot or in regular use are published: a proposal may never happen and a
    retired use no longer touches anyone."""
    return use_case.stage in IN_USE


def _public_entry(entry: RegisterEntry, channel: str) -> dict[str, Any]:
    use = entry.use_case
    tier = entry.risk.tier if entry.risk.complete else None
    row: dict[str, Any] = {
        "id": use.pk,
        "name": use.name,
        "what_it_does": use.purpose,
        "department": use.department,
        "tool_or_vendor": use.tool,
        "ai_type": AIType(use.ai_type).label if use.ai_type else "",
        "stage": UseCaseStage(use.stage).label,
        "what_it_produces": use.outputs,
        "resident_facing": use.resident_facing,
        "data_used": use.data_used,
        "reviewed_by": use.owner,
        "risk_tier": _tier_text(tier),
        "risk_tier_meaning": TIER_MEANINGS.get(tier or "", ""),
        "in_use_since": use.in_use_since,
        "questions_and_appeals": channel,
    }
    return row


def _tier_text(tier: str | None) -> str:
    if tier is None:
        return NOT_ASSESSED
    return tier if tier == PROHIBITED else f"{tier} ({TIER_NAMES[tier]})"


def register_from(
    name: str, answers: WorkbookAnswers, entries: list[RegisterEntry]
) -> PublicRegister:
    """The public register of loaded answers and entries (the page's and the packet's)."""
    channel = answers.text(FEEDBACK_CHANNEL)
    return PublicRegister(
        name,
        channel,
        tuple(_public_entry(e, channel) for e in entries if is_public(e.use_case)),
    )


def _build(jurisdiction: Jurisdiction) -> PublicRegister:
    answers = load_answers(jurisdiction)
    entries = register_entries(answers, load_use_cases(jurisdiction))
    return register_from(jurisdiction.name, answers, entries)


def _fingerprint(jurisdiction: Jurisdiction) -> str:
    """Changes whenever anything the public register is built from changes: an entry or an
    answer saved, added or deleted, the content loaded again, or the register published again."""
    uses = UseCase.objects.filter(jurisdiction=jurisdiction).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    answers = Answer.objects.filter(jurisdiction=jurisdiction).aggregate(
        n=Count("pk"), at=Max("updated_at")
    )
    published = jurisdiction.published_register.published_at
    # loaded_at moves on every content load (screening questions decide the tier).
    content = jurisdiction.workbook.loaded_at
    parts = (jurisdiction.pk, content, published, uses, answers)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def public_register(jurisdiction: Jurisdiction) -> tuple[PublicRegister, str]:
    """The published register of a jurisdiction (its `published_register` and `workbook`
    loaded) and its fingerprint, for an ETag. Built once per change, then read from the cache."""
    fingerprint = _fingerprint(jurisdiction)
    key = f"public-register:{jurisdiction.pk}:{fingerprint}"
    register = cache.get(key)
    if register is None:
        register = _build(jurisdiction)
        cache.set(key, register, CACHE_SECONDS)
    return register, fingerprint


def csv_value(value: Any) -> str:
    """A CSV cell; staff text is written so that a spreadsheet never runs it as a formula."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else csv_cell(str(value))


def csv_text(register: PublicRegister) -> str:
    """The register as CSV with the documented field names, one row per published entry."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(FIELD_NAMES)
    for entry in register.entries:
        writer.writerow([csv_value(entry[name]) for name in FIELD_NAMES])
    return out.getvalue()


def json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value

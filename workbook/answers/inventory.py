"""The register as the one list of AI uses: moving the old inventory table's rows into it.

Section 4 once asked for the AI uses in a table (`inv-current-uses`) while the register held them
again as use cases, so the same city counted its uses twice. The data migration that retired the
table calls `move_inventory`: each row becomes a register entry, or fills the gaps of the entry
of the same use, and a value that differs from the entry's is kept in the entry's internal notes.
Running it again changes nothing.
"""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

# The section that shows and edits the register, where the inventory table used to be.
REGISTER_SECTION = "inventory"
INVENTORY_QUESTION = "inv-current-uses"
# The ideas table of the same section: a shortlisted idea becomes a register entry, proposed.
IDEAS_QUESTION = "inv-ideas"
# The table's stages by the register's: "idea" is what the register calls "proposed".
STAGES = {"idea": "proposed", "pilot": "pilot", "deployed": "deployed", "retired": "retired"}
AI_TYPES = ("generative", "predictive", "language", "vision", "automation", "agentic")
TEXT_FIELDS = ("department", "tool", "purpose", "outputs", "data_used", "owner")
# The model's lengths: a longer table cell is cut here and kept whole in the notes.
LIMITS = {"name": 200, "department": 200, "tool": 200, "outputs": 200, "owner": 200}
NOTE_LEAD = "From the section 4 inventory table"

_WORD = re.compile(r"[a-z0-9]+")
_NAME_FILLERS = frozenset({"a", "an", "and", "the", "of", "on", "for", "in", "to", "with"})


def name_words(name: str) -> frozenset[str]:
    """A use's name as words, fillers dropped and plurals folded, to match two names of a use."""
    return frozenset(
        w.removesuffix("s") for w in _WORD.findall(name.lower()) if w not in _NAME_FILLERS
    )


def same_use(one: str, other: str) -> bool:
    """One name's words all in the other's: "Ask Riverton web assistant" is the 311 one."""
    a, b = name_words(one), name_words(other)
    return bool(a and b) and (a <= b or b <= a)


@dataclass
class Moved:
    """What the move did in one jurisdiction, for the migration's report."""

    jurisdiction: str
    added: list[str] = field(default_factory=list)
    matched: list[tuple[str, str]] = field(default_factory=list)
    noted: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.noted or self.renamed)

    def lines(self) -> list[str]:
        out = [f"{self.jurisdiction}: {len(self.added)} added, {len(self.matched)} matched"]
        out += [f"  added “{name}”" for name in self.added]
        out += [f"  “{row}” is the entry “{entry}”" for row, entry in self.matched]
        out += [f"  differing values kept in the notes of “{name}”" for name in self.noted]
        out += [f"  duplicate “{old}” renamed “{new}”" for old, new in self.renamed]
        return out


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(_text(value))
    except ValueError:
        return None


def row_fields(row: dict) -> tuple[dict[str, Any], list[str]]:
    """A table row as register fields, and the notes for what no field could hold as given."""
    fields: dict[str, Any] = {}
    notes = []
    for name in TEXT_FIELDS:
        text = _text(row.get(name))
        limit = LIMITS.get(name)
        if limit and len(text) > limit:
            notes.append(f"{name.replace('_', ' ')} in full: “{text}”")
            text = text[:limit]
        fields[name] = text
    ai_type = _text(row.get("ai_type"))
    fields["ai_type"] = ai_type if ai_type in AI_TYPES else ""
    if ai_type and ai_type not in AI_TYPES:
        notes.append(f"kind of AI: “{ai_type}”")
    stage = _text(row.get("stage"))
    fields["stage"] = STAGES.get(stage, "proposed")
    if stage and stage not in STAGES:
        notes.append(f"stage: “{stage}”")
    fields["resident_facing"] = row.get("resident_facing") is True
    since = _text(row.get("since"))
    fields["in_use_since"] = _date(since)
    if since and fields["in_use_since"] is None:
        notes.append(f"in use since: “{since}”")
    return fields, notes


def _note(entry: Any, lead: str, items: list[str]) -> bool:
    """Add, under the lead, the items the entry's notes do not hold yet; True if any was."""
    new = [f"- {item}" for item in items if f"- {item}" not in entry.notes]
    if not new:
        return False
    entry.notes = "\n".join(filter(None, [entry.notes, lead, *new]))
    return True


def _merge(entry: Any, row_name: str, fields: dict[str, Any], notes: list[str]) -> bool:
    """Fill the entry's empty fields from the row; keep the row's differing values as notes."""
    changed = []
    differing = list(notes)
    for name, value in fields.items():
        current = getattr(entry, name)
        if value in ("", None, False) or current == value:
            continue
        # Residents seeing its output, in either list, is what the register must say.
        if current in ("", None, False) and name != "stage":
            setattr(entry, name, value)
            changed.append(name)
        else:
            differing.append(f"{name.replace('_', ' ')}: “{value}”")
    lead = f"{NOTE_LEAD}, where this use was listed as “{row_name}”:"
    if _note(entry, lead, differing):
        changed.append("notes")
    if changed:
        entry.save(update_fields=changed)
    return "notes" in changed


def _dedupe(entries: list[Any], moved: Moved) -> None:
    """Names the unique constraint will refuse, made distinct before it is created."""
    seen: set[str] = set()
    for entry in entries:
        key = entry.name.lower()
        if key in seen:
            n = 2
            while f"{entry.name} ({n})".lower() in seen:
                n += 1
            old, entry.name = entry.name, f"{entry.name} ({n})"
            entry.save(update_fields=["name"])
            moved.renamed.append((old, entry.name))
        seen.add(entry.name.lower())


def move_inventory(answer_model: Any, use_case_model: Any) -> list[Moved]:
    """Every jurisdiction's inventory rows into its register; the models may be historical."""
    report = []
    answers = answer_model.objects.filter(
        question__slug=INVENTORY_QUESTION, use_case__isnull=True
    ).select_related("jurisdiction")
    answered = {a.jurisdiction_id: a for a in answers}
    jurisdictions = set(answered) | set(
        use_case_model.objects.values_list("jurisdiction_id", flat=True)
    )
    for jurisdiction_id in sorted(jurisdictions):
        entries = list(
            use_case_model.objects.filter(jurisdiction_id=jurisdiction_id).order_by("pk")
        )
        answer = answered.get(jurisdiction_id)
        moved = Moved((answer or entries[0]).jurisdiction.slug)
        _dedupe(entries, moved)
        rows = answer.value if answer and isinstance(answer.value, list) else []
        taken: set[int] = set()
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                continue
            name = _text(row.get("name")) or f"Unnamed use (inventory row {number})"
            fields, notes = row_fields(row)
            if len(name) > LIMITS["name"]:
                notes.append(f"name in full: “{name}”")
                name = name[: LIMITS["name"]]
            entry = next(
                (e for e in entries if e.pk not in taken and e.name.lower() == name.lower()),
                None,
            ) or next((e for e in entries if e.pk not in taken and same_use(name, e.name)), None)
            if entry is None:
                entry = use_case_model(jurisdiction_id=jurisdiction_id, name=name, **fields)
                _note(entry, f"{NOTE_LEAD}:", notes)
                entry.save()
                entries.append(entry)
                moved.added.append(name)
            else:
                if entry.name != name:
                    moved.matched.append((name, entry.name))
                if _merge(entry, name, fields, notes):
                    moved.noted.append(entry.name)
            taken.add(entry.pk)
        if moved.changed or moved.matched:
            report.append(moved)
    return report


def idea_rows(answer_value: Any) -> list[dict]:
    """The ideas table's rows as stored (an unanswered table has none)."""
    if not isinstance(answer_value, list):
        return []
    return [row for row in answer_value if isinstance(row, dict) and _text(row.get("problem"))]


def ideas_not_in_register(answer_value: Any, names: list[str]) -> list[tuple[int, str]]:
    """(row number, problem) of each idea no register entry is named for yet."""
    return [
        (number, _text(row["problem"]))
        for number, row in enumerate(idea_rows(answer_value))
        if not any(same_use(_text(row["problem"]), name) for name in names)
    ]

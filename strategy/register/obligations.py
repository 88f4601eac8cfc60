"""What a use must have at its risk tier: read and checked from fixtures/tier-obligations.yaml.

The file changes only with a deploy, so a process keeps its first reading (`clear()` is for tests
that point the setting at another file). Every rejection names the file and the entry.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import yaml
from django.conf import settings

from strategy.scoring.risk import TIERS

KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
WHEN = {"before-live": "Before it goes live", "while-running": "While it runs"}
SOURCE_KEYS = {"citation", "address", "checked", "source_checked", "note"}
OBLIGATION_KEYS = {"key", "title", "when", "sources", "tiers"}


class ObligationsFileError(Exception):
    """The tier obligations file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    address: str
    checked: date
    # Whether the primary text was read at the address; the note says what was confirmed.
    source_checked: bool
    note: str


@dataclass(frozen=True)
class TierObligation:
    """One obligation as it applies at one tier."""

    key: str
    title: str
    when: str
    text: str
    sources: tuple[Source, ...]

    @property
    def when_label(self) -> str:
        return WHEN[self.when]


@dataclass(frozen=True)
class TierObligations:
    version: str
    sources: tuple[Source, ...]
    by_tier: dict[str, tuple[TierObligation, ...]]

    def keys(self) -> set[str]:
        return {o.key for tier in self.by_tier.values() for o in tier}

    def for_tier(self, tier: str | None) -> tuple[TierObligation, ...]:
        """The tier's checklist; none for a prohibited or unscreened use."""
        return self.by_tier.get(tier or "", ())


def _fail(path: Path, message: str, *where: str) -> NoReturn:
    raise ObligationsFileError(", ".join([str(path), *where]) + f": {message}")


def _text(path: Path, value: Any, what: str, *where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(path, f"'{what}' must be non-empty text", *where)
    return " ".join(value.split())


def _source(path: Path, key: str, spec: Any) -> Source:
    where = f"source '{key}'"
    if not isinstance(spec, dict):
        _fail(path, "must be a mapping", where)
    unknown = sorted(set(spec) - SOURCE_KEYS)
    if unknown:
        _fail(path, f"unknown key '{unknown[0]}'", where)
    address = spec.get("address")
    if not isinstance(address, str) or not re.match(r"^https://[^\s/]+\.[^\s]+$", address):
        _fail(path, f"'address' must be an https address, not '{address}'", where)
    try:
        checked = date.fromisoformat(str(spec.get("checked")))
    except ValueError:
        _fail(path, "'checked' must be a date (YYYY-MM-DD)", where)
    if not isinstance(spec.get("source_checked"), bool):
        _fail(path, "'source_checked' must be true or false", where)
    note = str(spec.get("note") or "")
    if not spec["source_checked"] and not note.strip():
        _fail(path, "a source whose primary text was not read needs a 'note' saying so", where)
    return Source(
        key=key,
        citation=_text(path, spec.get("citation"), "citation", where),
        address=address,
        checked=checked,
        source_checked=spec["source_checked"],
        note=" ".join(note.split()),
    )


def _obligation(
    path: Path, index: int, spec: Any, sources: dict[str, Source], seen: set[str]
) -> list[tuple[str, TierObligation]]:
    """One obligation of the file as it reads at each tier that has it."""
    key = str(spec.get("key") or "") if isinstance(spec, dict) else ""
    where = f"obligation '{key}'" if key else f"obligation #{index}"
    if not isinstance(spec, dict) or not KEY_RE.match(key):
        _fail(path, "needs a 'key' of lowercase letters, digits and hyphens", where)
    if key in seen:
        _fail(path, "duplicate obligation key", where)
    seen.add(key)
    unknown = sorted(set(spec) - OBLIGATION_KEYS)
    if unknown:
        _fail(path, f"unknown key '{unknown[0]}'", where)
    if spec.get("when") not in WHEN:
        _fail(path, f"'when' must be one of: {', '.join(WHEN)}", where)
    cited = spec.get("sources")
    if not isinstance(cited, list) or not cited:
        _fail(path, "must cite at least one of the 'sources'", where)
    for name in cited:
        if name not in sources:
            _fail(path, f"unknown source '{name}'", where)
    tiers = spec.get("tiers")
    if not isinstance(tiers, dict) or not tiers:
        _fail(path, "needs 'tiers': what it asks at each tier that has it", where)
    title = _text(path, spec.get("title"), "title", where)
    found = []
    for tier, text in tiers.items():
        if str(tier) not in TIERS:
            _fail(path, f"unknown tier '{tier}' (one of: {', '.join(TIERS)})", where)
        obligation = TierObligation(
            key=key,
            title=title,
            when=spec["when"],
            text=_text(path, text, f"tiers.{tier}", where),
            sources=tuple(sources[name] for name in cited),
        )
        found.append((str(tier), obligation))
    return found


def read_tier_obligations(path: Path) -> TierObligations:
    """Parse and check the file; raise ObligationsFileError on the first fault."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(path, f"cannot be read ({exc.strerror})")
    except yaml.YAMLError as exc:
        _fail(path, f"is not valid YAML: {exc}")
    if not isinstance(data, dict) or not data.get("version"):
        _fail(path, "must be a mapping with 'version', 'sources' and 'obligations'")
    if not isinstance(data.get("sources"), dict) or not data["sources"]:
        _fail(path, "needs a mapping of 'sources'")
    if not isinstance(data.get("obligations"), list) or not data["obligations"]:
        _fail(path, "needs a list of 'obligations'")
    sources = {key: _source(path, key, spec) for key, spec in data["sources"].items()}
    by_tier: dict[str, list[TierObligation]] = {tier: [] for tier in TIERS}
    seen: set[str] = set()
    for index, spec in enumerate(data["obligations"], start=1):
        for tier, obligation in _obligation(path, index, spec, sources, seen):
            by_tier[tier].append(obligation)
    for tier, obligations in by_tier.items():
        if not obligations:
            _fail(path, f"tier {tier} has no obligations")
    return TierObligations(
        version=str(data["version"]),
        sources=tuple(sources.values()),
        by_tier={tier: tuple(obligations) for tier, obligations in by_tier.items()},
    )


def obligations_path() -> Path:
    return Path(
        getattr(
            settings,
            "TIER_OBLIGATIONS_FILE",
            settings.BASE_DIR / "fixtures/tier-obligations.yaml",
        )
    )


@cache
def tier_obligations() -> TierObligations:
    return read_tier_obligations(obligations_path())


def clear() -> None:
    tier_obligations.cache_clear()

"""The jurisdiction's kind and size: the profile's answers are the source, `Jurisdiction` a copy.

The profile asks the kind of government and the number of residents; `Jurisdiction.kind` and
`population_band` repeat them for the admin's lists and filters. The save action calls
`sync_jurisdiction` in the same transaction, so the two never disagree (docs/decisions/0012).
"""

from collections.abc import Mapping
from typing import Any

from workbook.models import Jurisdiction
from workbook.teams.models import PopulationBand

KIND_QUESTION = "profile-jurisdiction-type"
POPULATION_QUESTION = "profile-population-count"
STATE_QUESTION = "profile-state"


def kind_of(answer: Any) -> str | None:
    """The model's kind for a profile answer: the content writes "special-district"."""
    if not isinstance(answer, str):
        return None
    kind = answer.replace("-", "_")
    return kind if kind in Jurisdiction.Kind.values else None


def population_of(answer: Any) -> int | None:
    """A whole number of residents from a number answer, or None."""
    if isinstance(answer, bool) or not isinstance(answer, int | float) or answer < 0:
        return None
    return int(answer)


def sync_jurisdiction(jurisdiction: Jurisdiction, answers: Mapping[str, Any]) -> list[str]:
    """Copy the profile's kind and band onto the jurisdiction; returns the fields changed.

    An unanswered question leaves its field as it is: the facilitator's value at creation.
    """
    changed = []
    kind = kind_of(answers.get(KIND_QUESTION))
    if kind is not None and kind != jurisdiction.kind:
        jurisdiction.kind = kind
        changed.append("kind")
    population = population_of(answers.get(POPULATION_QUESTION))
    if population is not None:
        band = PopulationBand.of(population)
        if band != jurisdiction.population_band:
            jurisdiction.population_band = band
            changed.append("population_band")
    if changed:
        jurisdiction.save(update_fields=changed)
    return changed

"""The legal duties the council documents cite: federal and state, from `strategy.law`.

Where the jurisdiction stands (state, residents, kind) is read once, by
`strategy.law.standing.profile`. Until the state is answered only federal duties are listed,
and the documents say the state's are still to check.
"""

from strategy.documents.writing import Writer
from strategy.law.applicability import applicable_duties
from strategy.law.content import obligations
from strategy.law.model import Duty, Level
from strategy.law.standing import STATE_QUESTION, profile

# Duties whose `applies.uses` names this are state laws that preempt local rules on AI.
LOCAL_AI_RULES = "local-ai-rules"


def state(w: Writer) -> str | None:
    """The profile's state code, or None while nobody answered (then it is an open item)."""
    return profile(w.a).state if w.has(STATE_QUESTION) else None


def duties(w: Writer) -> list[Duty]:
    """The duties that apply: federal ones always, a state's once the state is known."""
    where = profile(w.a)
    found = applicable_duties(obligations().duties, state(w), where.population, where.kind)
    return found if where.state else [d for d in found if d.level is Level.FEDERAL]


def preempting(found: list[Duty]) -> list[Duty]:
    """The duties by which state law may preempt local AI rules adopted by the governing body."""
    return [d for d in found if LOCAL_AI_RULES in d.applies.uses]

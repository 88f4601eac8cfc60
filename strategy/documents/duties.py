"""The legal duties the council documents cite: federal and state, from `strategy.law`.

The state comes from the profile's state question when the content asks it; until it is
answered only federal duties are listed, and the documents say the state's are still to check.
"""

from strategy.documents.writing import Writer
from strategy.law.applicability import applicable_duties
from strategy.law.content import obligations
from strategy.law.model import Duty, Level

STATE_QUESTION = "profile-state"
KIND_QUESTION = "profile-jurisdiction-type"
# Duties whose `applies.uses` names this are state laws that preempt local rules on AI.
LOCAL_AI_RULES = "local-ai-rules"


def state(w: Writer) -> str | None:
    """The profile's state, or None while the content does not ask it or nobody answered."""
    question = w.a.questions.get(STATE_QUESTION)
    if question is None or not w.a.has(STATE_QUESTION):
        return None
    return str(w.a.raw(STATE_QUESTION)).strip().upper() or None


def duties(w: Writer) -> list[Duty]:
    """The duties that apply: federal ones always, a state's once the state is known."""
    kind = str(w.a.raw(KIND_QUESTION)) if w.has(KIND_QUESTION) else None
    where = state(w)
    found = applicable_duties(obligations().duties, where, None, kind)
    return found if where else [d for d in found if d.level is Level.FEDERAL]


def preempting(found: list[Duty]) -> list[Duty]:
    """The duties by which state law may preempt local AI rules adopted by the governing body."""
    return [d for d in found if LOCAL_AI_RULES in d.applies.uses]

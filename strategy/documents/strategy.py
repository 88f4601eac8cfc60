"""The AI Strategy's sections."""

from strategy.documents import _legacy
from strategy.documents.model import STRATEGY, Section
from strategy.documents.writing import Writer


def sections(w: Writer) -> list[Section]:
    return _legacy.sections(w, STRATEGY)

"""The AI Standard Operating Procedure's sections."""

from strategy.documents import _legacy
from strategy.documents.model import SOP, Section
from strategy.documents.writing import Writer


def sections(w: Writer) -> list[Section]:
    return _legacy.sections(w, SOP)

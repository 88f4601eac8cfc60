"""Filters the document template uses to typeset plain text it cannot tell apart by markup."""

import re

from django import template

register = template.Library()

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# "February 9, 2027", "February 2027", "2027-02-09", "Q1 2027": a date cell is kept on one line.
DATE = re.compile(
    rf"^(?:(?:{MONTHS}) (?:\d{{1,2}}, )?\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}|Q[1-4] \d{{4}})$"
)
# The SOP's use rules start with these words; the document marks them with an icon as well.
CARD_HEADING = "Quick-reference card"
USE_RULES = {"Permitted": "permitted", "Needs approval": "approval", "Prohibited": "prohibited"}


@register.filter
def is_date(value) -> bool:
    """True for a cell that is only a date, which must never wrap."""
    return bool(DATE.match(str(value).strip()))


@register.filter
def use_rule(text) -> str:
    """The use rule a subheading announces ("permitted", "approval", "prohibited") or ""."""
    text = str(text)
    for words, rule in USE_RULES.items():
        rest = text[len(words) :]
        if text.startswith(words) and not rest[:1].isalpha():
            return rule
    return ""


@register.filter
def is_card(heading) -> bool:
    """True for the SOP's quick-reference card, set compactly to fit one page."""
    return str(heading).startswith(CARD_HEADING)


@register.filter
def headed(row, headers) -> list[tuple]:
    """Each cell of a table row with its column's heading: the cell's label on a phone."""
    return list(zip(headers, row, strict=False))

"""Template helpers for team and comment pages; decisions stay in workbook.security.access."""

from django import template

from workbook.security.access import Action, allows

register = template.Library()


@register.filter
def may(membership, action: str) -> bool:
    """`{% if membership|may:"approve_section" %}`: asks the permission policy."""
    return allows(membership, Action(action))


@register.filter
def comments_for(grouped: dict, question_slug) -> list:
    """`{{ comments|comments_for:question.slug }}` picks one question's threads from
    `open_comments()`; pass "" for the section-level ones."""
    if not grouped:
        return []
    return grouped.get(question_slug or None, [])


@register.filter
def minutes(duration) -> int:
    """Whole minutes of a timedelta (the sign-in cool-off)."""
    return round(duration.total_seconds() / 60)

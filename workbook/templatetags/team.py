"""Template helpers for team and comment pages; permissions come from the access object
(`access.permissions.<action>`), never decided here."""

from django import template

register = template.Library()


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


@register.filter
def person(user) -> str:
    """A person as the pages name them: full name, else username ("a former member" if gone)."""
    if user is None:
        return "a former member"
    return user.get_full_name() or user.get_username()

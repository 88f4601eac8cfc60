"""Markup built in Python for the pages that repeat it most: a section's inputs and the review
page's answers. One template include per option or answer was half of those pages' time, and
the review page's loop over a hundred answers, each resolving its variables in the template
engine, was most of what remained. The Jinja2 partials (workbook.templating) and the
section forms call these functions directly; only some are also template tags.
"""

import html as stdlib_html
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


# Widget templates that are nothing but Django's input.html (text, number, date, checkbox, ...).
PLAIN_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "date", "email", "url", "tel", "checkbox")
}


def option_input(option: BoundWidget) -> SafeString:
    """One radio or checkbox option's `<input>`, as `{{ option.tag }}` renders it."""
    return _input_markup(option.data)


def field_input(bound: BoundField) -> SafeString:
    """A bound field as `{{ bound }}` renders it; plain `<input>`s skip the widget template
    (a table section has dozens of cells), anything else is left to Django."""
    widget = bound.field.widget
    if (
        widget.template_name not in PLAIN_INPUT_TEMPLATES
        or bound.field.localize
        or bound.field.show_hidden_initial
    ):
        return bound.__html__()  # what {{ bound }} calls; str() would type it a plain str
    # The same steps as BoundField.as_widget, without rendering a template.
    attrs = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound.auto_id)
    context = widget.get_context(bound.html_name, bound.value(), attrs)
    return _input_markup(context["widget"])


def _input_markup(widget: dict[str, Any]) -> SafeString:
    """Django's input.html widget template in Python: attributes in order, `True` ones bare,
    `False` ones left out."""
    html = f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
    if widget["value"] is not None:
        html += f' value="{_escape(widget["value"])}"'
    for name, value in widget["attrs"].items():
        if value is True:
            html += f" {_escape(name)}"
        elif value is not False:
            html += f' {_escape(name)}="{_escape(value)}"'
    return mark_safe(html + ">")  # noqa: S308 - every name and value is escaped


@register.filter
def field_anchor(bound: BoundField) -> str:
    """The id an error summary links to: the input, or a radio or checkbox group as a whole,
    so that its legend comes into view (Django gives such a group's label no target)."""
    if isinstance(bound.field.widget, forms.RadioSelect):
        return bound.auto_id
    return bound.id_for_label


NOT_ANSWERED = '<strong class="app-not-answered">Not yet answered</strong>'


def review_answers(answers: list[dict[str, Any]]) -> SafeString:
    """A section's questions and answers on the review page (see review.review_sections), each
    a `<dt>` and `<dd>`; a required question left empty reads "Not yet answered"."""
    return mark_safe(  # noqa: S308 - question texts are escaped, answer_value escapes values
        "".join(
            f"<dt>{_escape(a['question'].text)}</dt>"
            f"<dd>{NOT_ANSWERED if a['missing'] else answer_value(a['value'])}</dd>"
            for a in answers
        )
    )


@register.simple_tag
def answer_value(value: dict[str, Any]) -> SafeString:
    """A saved answer for reading (see presenter.value_view): "No answer", a table, or its text."""
    if value["empty"]:
        return mark_safe('<span class="app-muted">No answer</span>')
    if value["table"]:
        headers = "".join(f'<th scope="col">{_escape(h)}</th>' for h in value["headers"])
        # Each cell names its column, so on a phone a row reads as a stacked card.
        labels = [_escape(h) for h in value["headers"]]
        rows = "".join(
            "<tr>"
            + "".join(
                f'<td data-label="{label}">{_escape(cell)}</td>'
                for label, cell in zip(labels, row, strict=False)
            )
            + "</tr>"
            for row in value["rows"]
        )
        return mark_safe(  # noqa: S308 - every header and cell is escaped
            '<table class="usa-table usa-table--compact usa-table--stacked app-answer-table'
            ' app-answer-table--read">'
            f"<thead><tr>{headers}</tr></thead><tbody>{rows}</tbody></table>"
        )
    return mark_safe(f'<p class="app-answer-text">{_escape(value["text"])}</p>')  # noqa: S308


def _escape(text: Any) -> str:
    """`conditional_escape` without its lazy-string wrapper, which cost more than the escaping
    on a table with hundreds of cells."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return stdlib_html.escape(str(text))


@register.simple_tag(takes_context=True)
def partial(context: template.Context, name: str, **extra: Any) -> SafeString:
    """A Jinja2 partial (templates/jinja2/, workbook.templating) with this template's context
    and `extra`, as `{% include name with ... %}` would render a Django one."""
    return render_partial(name, {**context.flatten(), **extra})


def render_partial(name: str, values: dict[Any, Any]) -> SafeString:
    """A Jinja2 partial rendered with `values`."""
    jinja = engines["jinja2"].env  # type: ignore[attr-defined]
    return mark_safe(jinja.get_template(name).render(values))  # noqa: S308 - the partial escapes

"""The Jinja2 environment of the hot partials (templates/jinja2/, decision 18).

The largest section renders its question partial 38 times, the step list once per section and
the review page a block per section; Django's engine resolving their variables was most of
those pages' time. Jinja2 compiles these partials to Python. It escapes every value as Django
does (autoescape on, and Django's safe strings stay unescaped through `__html__`), and the
partials call the same helpers as the Django templates. Django templates include a partial
with `{% partial "name" %}` (workbook_html).
"""

from typing import Any

import jinja2
from django.template.defaultfilters import date, linebreaks_filter
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from workbook.templatetags.team import comments_for, person
from workbook.templatetags.workbook_html import field_input


def environment(**options: Any) -> jinja2.Environment:
    # Escaping is never optional. Missing variables render empty, as in Django templates, in
    # DEBUG too (Django's backend would echo them in DEBUG only: pages would differ).
    options = {k: v for k, v in options.items() if k not in ("autoescape", "undefined")}
    env = jinja2.Environment(autoescape=True, undefined=jinja2.Undefined, **options)
    env.globals.update(
        field_input=field_input,
        url=lambda name, *args: reverse(name, args=args),
        django_include=django_include,
    )
    env.filters.update(
        comments_for=comments_for, person=person, date=date, linebreaks=linebreaks_filter
    )
    return env


@jinja2.pass_context
def django_include(context: jinja2.runtime.Context, name: str, **extra: Any) -> SafeString:
    """A Django template inside a partial, with the partial's context (a question's comments,
    rendered only where there are any)."""
    return SafeString(render_to_string(name, {**context.get_all(), **extra}))

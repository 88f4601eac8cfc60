"""Statements written by hand for the reads nearly every request makes, and their rows as models.

For a small read the ORM spends several times more Python building the statement than
PostgreSQL spends running it, on every request. The few hot reads write their SQL once per
process with these names (always the models', so a renamed table or column follows), pass every
value as a parameter, and turn a row back into the instances the ORM would have made, with the
same conversions (`instances`).
"""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, cast

from django.db import connection
from django.db.models import Field, Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str, alias: str = "") -> str:
    """The column of the model's field `name`, qualified by `alias` (or the table) if given."""
    field = cast(Field, model._meta.get_field(name))
    quoted = connection.ops.quote_name(str(field.column))
    return f"{alias}.{quoted}" if alias else quoted


def select_list(model: type[Model], alias: str) -> str:
    """Every column of the model, in the order `instances` reads them back."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(str(f.column))}" for f in model._meta.concrete_fields)


def instances(row: Sequence[Any], models: Sequence[type[Model]]) -> list[Any]:
    """A row of `select_list`s, one per model in this order, as one instance of each model."""
    made, start = [], 0
    for model in models:
        fields, converters = _reading(model)
        values = list(row[start : start + len(fields)])
        for index, convert in converters:
            values[index] = convert(values[index])
        made.append(model.from_db(connection.alias, fields, values))
        start += len(fields)
    return made


@cache
def _reading(model: type[Model]) -> tuple[list[str], list[tuple[int, Callable[[Any], Any]]]]:
    """The model's attribute names in column order, and the conversion of each column that
    needs one (a JSON field's text, for example), as the ORM's compiler applies them."""
    fields = model._meta.concrete_fields
    converters = []
    for index, field in enumerate(fields):
        expression = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(expression)
        found += expression.get_db_converters(connection)
        converters += [(index, _bound(convert, expression)) for convert in found]
    return [f.attname for f in fields], converters


def _bound(convert, expression) -> Callable[[Any], Any]:
    return lambda value: convert(value, expression, connection)

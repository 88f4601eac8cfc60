"""Statements written by hand for the reads nearly every request makes and the writes every save
makes, and their rows as models.

For a small read or write the ORM spends several times more Python building the statement than
PostgreSQL spends running it, on every request. The few hot statements write their SQL once per
process with these names (always the models', so a renamed table or column follows), pass every
value as a parameter, and turn a row back into the instances the ORM would have made, with the
same conversions (`instances`).
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from django.db import connection
from django.db.models import Field, Model

# A statement and its parameters.
type Statement = tuple[str, Sequence[Any]]


@contextmanager
def _one_round_trip() -> Iterator[None]:
    """Statements executed inside are sent together (psycopg's pipeline mode). An error
    surfaces when the block ends: raised as Django's, as from execute()."""
    with connection.wrap_database_errors, cast(Any, connection.connection).pipeline():
        yield


def read_together(*statements: tuple[str, Mapping[str, Any]]) -> list[list[tuple]]:
    """The rows of each statement, all sent in one round trip: for reads a page always makes
    together, where waiting for each answer in turn cost more than PostgreSQL's work on them."""
    cursors = [connection.cursor() for _ in statements]
    try:
        with _one_round_trip():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        return [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()


def write_together(*statements: Statement) -> None:
    """Statements with no rows to read, sent in one round trip: the writes of a save, which wait
    on nothing of each other's."""
    with connection.cursor() as cursor:
        if len(statements) == 1:
            cursor.execute(*statements[0])
            return
        with _one_round_trip():
            for statement in statements:
                cursor.execute(*statement)


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str, alias: str = "") -> str:
    """The column of the model's field `name`, qualified by `alias` (or the table) if given."""
    field = cast(Field, model._meta.get_field(name))
    quoted = connection.ops.quote_name(str(field.column))
    return f"{alias}.{quoted}" if alias else quoted


def join(
    model: type[Model], alias: str, source: type[Model], key: str, source_alias: str, how: str = ""
) -> str:
    """`JOIN` (or `LEFT JOIN` with how="LEFT") the row of `model`, as `alias`, that the foreign
    key `key` of `source` (as `source_alias`) points to."""
    on = f"{column(model, 'id', alias)} = {column(source, key, source_alias)}"
    return f" {how + ' ' if how else ''}JOIN {table(model)} AS {alias} ON {on}"


@dataclass(frozen=True)
class Only:
    """Some of a model's fields, for a read that needs no others: `instances` makes the model
    with the rest deferred (the ORM would read one if it were ever asked for). The names
    include the primary key."""

    model: type[Model]
    names: tuple[str, ...]


type Read = type[Model] | Only


def select_list(read: Read, alias: str) -> str:
    """Every column of the model (or those `Only` names), in the order `instances` reads them
    back."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(str(f.column))}" for f in _fields(read))


def returning(model: type[Model]) -> str:
    """A `RETURNING` clause of every column of the model, which `returned` reads back."""
    return f"RETURNING {select_list(model, table(model))}"


def returned[M: Model](model: type[M], statement: str, params: Sequence[Any]) -> list[M]:
    """The rows of an UPDATE or DELETE ending in `returning(model)`, as instances."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return [instances(row, (model,))[0] for row in cursor.fetchall()]


def updating(model: type[Model], pk: Any, values: Mapping[str, Any]) -> Statement:
    """UPDATE of one row's fields (by attribute name), each value prepared as the ORM prepares
    it."""
    statement, fields = _updating(model, tuple(values))
    params = [
        f.get_db_prep_save(v, connection) for f, v in zip(fields, values.values(), strict=True)
    ]
    return statement, [*params, pk]


@cache
def _updating(model: type[Model], names: tuple[str, ...]) -> tuple[str, list[Field]]:
    fields = [cast(Field, model._meta.get_field(name)) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    pk = quote(str(model._meta.pk.column))
    return f"UPDATE {table(model)} SET {assignments} WHERE {pk} = %s", fields  # noqa: S608 - names are the model's


def inserting(model: type[Model], objs: Sequence[Model]) -> Statement:
    """INSERT of the instances in one statement, each column's value prepared as the ORM's
    bulk_create prepares it; their generated keys are not read back."""
    head, fields = _inserting(model)
    row = f"({', '.join(['%s'] * len(fields))})"
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for obj in objs for f in fields]
    return f"{head} {', '.join([row] * len(objs))}", params


@cache
def _inserting(model: type[Model]) -> tuple[str, list[Field]]:
    """`INSERT INTO table (columns) VALUES` and its fields: all but a generated key."""
    fields = [f for f in model._meta.concrete_fields if f not in model._meta.db_returning_fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    return f"INSERT INTO {table(model)} ({columns}) VALUES", fields


def instances(row: Sequence[Any], reads: Sequence[Read]) -> list[Any]:
    """A row of `select_list`s, one per model in this order, as one instance of each model;
    None for a model whose primary key is NULL (a LEFT JOIN that found no row)."""
    made: list[Model | None] = []
    start = 0
    for read in reads:
        model = read.model if isinstance(read, Only) else read
        fields, converters = _reading(read)
        values = list(row[start : start + len(fields)])
        start += len(fields)
        if values[fields.index(model._meta.pk.attname)] is None:
            made.append(None)
            continue
        for index, convert in converters:
            values[index] = convert(values[index])
        made.append(model.from_db(connection.alias, fields, values))
    return made


def converted(model: type[Model], name: str, value: Any) -> Any:
    """A value of the model's field `name` as read from its column, as the ORM returns it."""
    for convert in _converters(model, name):
        value = convert(value)
    return value


@cache
def _reading(read: Read) -> tuple[list[str], list[tuple[int, Callable[[Any], Any]]]]:
    """The attribute names in column order, and the conversion of each column that needs one
    (a JSON field's text, for example)."""
    model = read.model if isinstance(read, Only) else read
    fields = _fields(read)
    converters = [
        (index, convert)
        for index, field in enumerate(fields)
        for convert in _converters(model, field.name)
    ]
    return [f.attname for f in fields], converters


def _fields(read: Read) -> list[Field]:
    if isinstance(read, Only):
        return [cast(Field, read.model._meta.get_field(name)) for name in read.names]
    return list(read._meta.concrete_fields)


@cache
def _converters(model: type[Model], name: str) -> list[Callable[[Any], Any]]:
    """The conversions the ORM's compiler applies to the column of the field `name`."""
    field = cast(Field, model._meta.get_field(name))
    expression = field.get_col(model._meta.db_table)
    found = connection.ops.get_db_converters(expression)
    found += expression.get_db_converters(connection)
    return [_bound(convert, expression) for convert in found]


def _bound(convert, expression) -> Callable[[Any], Any]:
    return lambda value: convert(value, expression, connection)

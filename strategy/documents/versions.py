"""The content version of a jurisdiction's documents: everything they are written from, read in
one query and hashed into one key that moves on every change. The export cache keys its
files by it, the document web pages keep their rendered body by it, and the documents take
their date and the public register's address from it."""

import datetime
import hashlib
import json
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from strategy.models import ObligationEvidence, PublishedRegister, UseCaseApproval
from workbook import sql
from workbook.models import Answer, Jurisdiction, SectionProgress, UseCase


@dataclass(frozen=True)
class ContentVersion:
    key: str
    # The newest change to an answer, a section's progress or a use case (None: never changed).
    last_change: datetime.datetime | None
    # The public register's full address while it is published (the documents name it), else "".
    public_register_url: str

    @property
    def date(self) -> datetime.date:
        """The document's date: the day of the last change, so a re-render is identical."""
        return timezone.localdate(self.last_change) if self.last_change else timezone.localdate()


def read_version(jurisdiction: Jurisdiction) -> ContentVersion:
    """Everything about the workbook that changes when anything is edited, assigned or approved:
    one query, whose SQL is written once per process."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql(), {"jurisdiction": jurisdiction.pk})
        answers, changed, history, published, sections, use_cases, last_change = cursor.fetchone()
    register_url = ""
    if published:
        path = reverse("public:register", kwargs={"jurisdiction_slug": jurisdiction.slug})
        register_url = f"{settings.SITE_URL}{path}"
    material = {
        # loaded_at moves on every content load, so an edited clause is never served stale.
        "jurisdiction": [
            jurisdiction.pk,
            jurisdiction.name,
            jurisdiction.workbook.version,
            jurisdiction.workbook.loaded_at,
        ],
        "answers": [answers, changed, history],
        "sections": sections,
        "use_cases": use_cases,
        "public_register": register_url,
    }
    encoded = json.dumps(material, sort_keys=True, default=str).encode()
    return ContentVersion(
        key=hashlib.sha256(encoded).hexdigest(),
        last_change=last_change,
        public_register_url=register_url,
    )


@cache
def _version_sql() -> str:
    """The content version's query, written once per process: the ORM took about two thirds of
    the strategy page's time to build the three statements this replaces (correlated subqueries
    over six tables), which cost PostgreSQL about a millisecond. Names are the models', values
    parameters.

    Answers: their number and newest change, and the newest history entry, which also moves
    on deletions. Sections: each one's version, status and time of change, and the names of
    who it is assigned to and who approved it. Use cases: each
    one's version and change, with its newest recorded decision (which changes the register
    appendix) and newest obligation evidence (the checks before adoption), neither of which
    touches the use case itself. The last change is the newest of answers, sections and use
    cases (GREATEST skips NULLs; NULL when nothing was ever changed).
    """

    def rows(model, alias: str = "", joins: str = "") -> str:
        """FROM (with `joins`) and WHERE for the jurisdiction's rows of `model`."""
        where = f"{sql.column(model, 'jurisdiction', alias)} = %(jurisdiction)s"
        return f"FROM {sql.table(model)}{f' AS {alias}' if alias else ''}{joins} WHERE {where}"

    def newest(model) -> str:
        """The newest record of `model` (kept, never edited) on the use case `u`."""
        return (
            f"(SELECT MAX({sql.column(model, 'id')}) FROM {sql.table(model)}"  # noqa: S608 - names are the models'
            f" WHERE {sql.column(model, 'use_case')} = {sql.column(UseCase, 'id', 'u')})"
        )

    history = Answer.history.model
    user = get_user_model()
    progress = [
        sql.column(SectionProgress, f, "p") for f in ("section", "version", "status", "updated_at")
    ]
    # The documents name who each section is assigned to and who approved it: a renamed person
    # is a new version too.
    progress += [
        sql.column(user, f, alias)
        for alias in ("a", "s")
        for f in ("username", "first_name", "last_name")
    ]
    people = sql.join(user, "a", SectionProgress, "approved_by", "p", how="LEFT") + sql.join(
        user, "s", SectionProgress, "assignee", "p", how="LEFT"
    )
    use_case = [sql.column(UseCase, f, "u") for f in ("id", "version", "updated_at")]
    use_case += [newest(UseCaseApproval), newest(ObligationEvidence)]
    changed = [
        f"(SELECT MAX({sql.column(model, 'updated_at')}) {rows(model)})"
        for model in (Answer, SectionProgress, UseCase)
    ]
    return (
        f"SELECT (SELECT COUNT(*) {rows(Answer)}),"
        f" {changed[0]},"
        f" (SELECT MAX({sql.column(history, 'history_id')}) {rows(history)}),"
        f" EXISTS (SELECT 1 {rows(PublishedRegister)}),"
        f" (SELECT COALESCE(json_agg(json_build_array({', '.join(progress)})"
        f" ORDER BY {progress[0]}), '[]') {rows(SectionProgress, 'p', people)}),"
        f" (SELECT COALESCE(json_agg(json_build_array({', '.join(use_case)})"
        f" ORDER BY {use_case[0]}), '[]') {rows(UseCase, 'u')}),"
        f" GREATEST({', '.join(changed)})"
    )


def content_version(jurisdiction: Jurisdiction) -> str:
    """The key of what this jurisdiction's documents are written from."""
    return read_version(jurisdiction).key

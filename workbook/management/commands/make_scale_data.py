"""Many jurisdictions with complete workbooks, for benchmarks and scale checks.

Every row this command makes carries the `scale-` prefix (jurisdiction slugs, usernames), and a
run first removes the rows of the previous run, so it can be repeated with a different N.

Values are built from each question's type and configuration, not from a fixed list, so the
data stays valid when the workbook content changes. Where another question's `show_if` points at
a question, that question gets the value that shows the dependent one: a fully answered workbook
has every question visible and answered.
"""

import time
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from workbook.models import (
    AIType,
    Answer,
    FieldType,
    Jurisdiction,
    JurisdictionKind,
    Membership,
    PopulationBand,
    Question,
    Role,
    Section,
    SectionProgress,
    SectionStatus,
    UseCase,
    UseCaseStage,
    Workbook,
)

PREFIX = "scale-"
USE_CASES_PER_JURISDICTION = 3
TABLE_ROWS = 3
BATCH_SIZE = 2000
SENTENCE = (
    "Staff in the department reviewed the current practice, named an accountable owner and "
    "agreed the next steps with legal, IT and the records office. "
)


def scale_slug(index: int) -> str:
    return f"{PREFIX}{index:04d}"


def editor_username(index: int) -> str:
    return f"{scale_slug(index)}-editor"


def wanted_values(questions: Iterable[Question]) -> dict[str, Any]:
    """For each question another one depends on, a value that makes the dependent shown."""
    wanted: dict[str, Any] = {}
    for question in questions:
        condition = question.show_if
        if not condition:
            continue
        value = condition["in"][0] if "in" in condition else condition["equals"]
        wanted.setdefault(condition["question"], value)
    return wanted


def sample_value(question: Question, seed: int, wanted: Any = None) -> Any:
    """A valid, non-empty answer to `question`; `seed` varies it between jurisdictions."""
    config = question.config or {}
    options = [o["value"] for o in question.options]
    match question.field_type:
        case FieldType.SHORT_TEXT:
            return _text(f"Answer {seed} to {question.slug}", config.get("max_length", 200))
        case FieldType.LONG_TEXT:
            return _text(SENTENCE * 3, config.get("max_length", 5000))
        case FieldType.SINGLE_CHOICE:
            return str(wanted) if str(wanted) in options else options[seed % len(options)]
        case FieldType.MULTIPLE_CHOICE:
            chosen = [options[seed % len(options)], options[(seed + 1) % len(options)]]
            if str(wanted) in options:
                chosen.insert(0, str(wanted))
            return {"selected": list(dict.fromkeys(chosen)), "other": ""}
        case FieldType.SCALE:
            return 1 + seed % 5
        case FieldType.YES_NO:
            return wanted if isinstance(wanted, bool) else True
        case FieldType.NUMBER:
            return _number(config.get("min"), config.get("max"), seed)
        case FieldType.DATE:
            return (date(2027, 1, 1) + timedelta(days=seed % 365)).isoformat()
        case FieldType.TABLE:
            return [_table_row(config.get("columns", []), seed + row) for row in range(TABLE_ROWS)]
    raise ValueError(f"No sample value for field type {question.field_type!r}")


def _text(text: str, max_length: int) -> str:
    return text[:max_length].strip()


def _number(low: Any, high: Any, seed: int) -> int | float:
    value = 10 + seed % 20
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value


def _table_row(columns: list[dict], seed: int) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for column in columns:
        match column["type"]:
            case FieldType.SINGLE_CHOICE:
                values = [str(o["value"]) for o in column["options"]]
                row[column["slug"]] = values[seed % len(values)]
            case FieldType.NUMBER:
                row[column["slug"]] = 1 + seed % 10
            case FieldType.DATE:
                row[column["slug"]] = (date(2027, 1, 1) + timedelta(days=seed)).isoformat()
            case FieldType.YES_NO:
                row[column["slug"]] = seed % 2 == 0
            case _:
                row[column["slug"]] = f"{column['label']} {seed}"
    return row


def delete_scale_data() -> None:
    """Remove every row of a previous run.

    Answers are deleted in SQL: the ORM would load each one and write a "deleted" history row
    for it, which for synthetic rows is both slow and meaningless.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Answer._meta.db_table} WHERE jurisdiction_id IN "  # noqa: S608 - table names only
            f"(SELECT id FROM {Jurisdiction._meta.db_table} WHERE slug LIKE %s)",
            [f"{PREFIX}%"],
        )
    Jurisdiction.objects.filter(slug__startswith=PREFIX).delete()
    get_user_model().objects.filter(username__startswith=PREFIX).delete()


@transaction.atomic
def make_scale_data(count: int, password: str | None = None) -> dict[str, int]:
    """Replace the scale rows with `count` fully answered jurisdictions; returns row counts."""
    workbook = Workbook.objects.order_by("-loaded_at").first()
    if workbook is None:
        raise CommandError("Load the workbook first: python manage.py load_workbook")
    delete_scale_data()

    questions = list(Question.active.filter(workbook=workbook).select_related("section"))
    questions = [q for q in questions if q.section.retired_at is None]
    by_scope = {
        scope: [q for q in questions if q.section.scope == scope] for scope in Section.Scope.values
    }
    wanted = wanted_values(questions)
    sections = list(Section.active.filter(workbook=workbook, scope=Section.Scope.JURISDICTION))
    now = timezone.now()

    # One hash for every scale user: hashing hundreds of passwords would dominate the run.
    password_hash = make_password(password) if password else make_password(None)
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                username=editor_username(i),
                email=f"{editor_username(i)}@example.gov",
                password=password_hash,
            )
            for i in range(1, count + 1)
        ],
        batch_size=BATCH_SIZE,
    )
    jurisdictions = Jurisdiction.objects.bulk_create(
        [
            Jurisdiction(
                slug=scale_slug(i),
                name=f"Scale Test Jurisdiction {i:04d}",
                kind=JurisdictionKind.values[i % len(JurisdictionKind.values)],
                population_band=PopulationBand.values[i % len(PopulationBand.values)],
                workbook=workbook,
            )
            for i in range(1, count + 1)
        ],
        batch_size=BATCH_SIZE,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, jurisdiction=jurisdiction, role=Role.EDITOR)
            for user, jurisdiction in zip(users, jurisdictions, strict=True)
        ],
        batch_size=BATCH_SIZE,
    )
    use_cases = UseCase.objects.bulk_create(
        [
            UseCase(
                jurisdiction=jurisdiction,
                name=f"Use case {n} of {jurisdiction.name}",
                department="Public Works",
                tool="Vendor assistant",
                ai_type=AIType.values[(i + n) % len(AIType.values)],
                stage=UseCaseStage.values[(i + n) % len(UseCaseStage.values)],
                purpose=SENTENCE,
                owner="Department director",
            )
            for i, jurisdiction in enumerate(jurisdictions, start=1)
            for n in range(1, USE_CASES_PER_JURISDICTION + 1)
        ],
        batch_size=BATCH_SIZE,
    )
    # No history rows: history records what people changed, and these rows were never edited
    # by anyone. Writing a history row per answer would double the insert volume, and the pages
    # being measured read current answers only (bulk_create sends no signals, so none is made).
    answers = [
        Answer(
            jurisdiction=jurisdiction,
            question=question,
            value=sample_value(question, i, wanted.get(question.slug)),
            updated_by=user,
            updated_at=now,
        )
        for i, (user, jurisdiction) in enumerate(zip(users, jurisdictions, strict=True), start=1)
        for question in by_scope[Section.Scope.JURISDICTION]
    ]
    answers += [
        Answer(
            jurisdiction_id=use_case.jurisdiction_id,
            use_case=use_case,
            question=question,
            value=sample_value(question, n, wanted.get(question.slug)),
            updated_at=now,
        )
        for n, use_case in enumerate(use_cases, start=1)
        for question in by_scope[Section.Scope.USE_CASE]
    ]
    Answer.objects.bulk_create(answers, batch_size=BATCH_SIZE)
    SectionProgress.objects.bulk_create(
        [
            SectionProgress(
                jurisdiction=jurisdiction,
                section=section,
                status=SectionStatus.COMPLETE,
                version=1,
                assignee=user,
            )
            for user, jurisdiction in zip(users, jurisdictions, strict=True)
            for section in sections
        ],
        batch_size=BATCH_SIZE,
    )
    return {
        "jurisdictions": len(jurisdictions),
        "use_cases": len(use_cases),
        "answers": len(answers),
    }


class Command(BaseCommand):
    help = (
        "Replace the scale-test data with N jurisdictions whose workbooks are fully answered "
        f"(rows prefixed '{PREFIX}'; previous scale rows are deleted first)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--jurisdictions", type=int, default=200, metavar="N")
        parser.add_argument(
            "--password",
            help="password of every scale editor (default: none, they cannot sign in)",
        )

    def handle(self, *args, jurisdictions: int, password: str | None, **options):
        if jurisdictions < 1:
            raise CommandError("--jurisdictions must be at least 1")
        started = time.perf_counter()
        counts = make_scale_data(jurisdictions, password)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Made {counts['jurisdictions']} jurisdictions, {counts['use_cases']} use cases and "
            f"{counts['answers']} answers in {elapsed:.1f} s."
        )

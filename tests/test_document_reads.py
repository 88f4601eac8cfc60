"""The one list of questions the documents read, checked against the content file."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from strategy.documents.build import document_inputs
from strategy.documents.reads import DOCUMENT_QUESTIONS
from strategy.documents.writing import Writer
from workbook.models import Jurisdiction


def content_questions() -> dict[str, dict]:
    data = yaml.safe_load(Path(settings.WORKBOOK_FILE).read_text(encoding="utf-8"))
    return {q["slug"]: q for s in data["sections"] for q in s["questions"]}


def test_every_question_the_documents_read_is_in_the_content_file():
    missing = sorted(DOCUMENT_QUESTIONS - content_questions().keys())
    assert not missing, f"renamed or removed questions the documents still read: {missing}"


def test_every_option_of_a_question_the_documents_quote_has_a_clause():
    missing = []
    questions = content_questions()  # the file is read once, not once a question
    for slug in sorted(DOCUMENT_QUESTIONS):
        question = questions[slug]
        if question["type"] in ("single_choice", "multiple_choice"):
            missing += [f"{slug}: {o['value']}" for o in question["options"] if not o.get("clause")]
        if question["type"] == "yes_no":
            clauses = question.get("clauses") or {}
            missing += [f"{slug}: {k}" for k in ("yes", "no") if not clauses.get(k)]
    assert not missing, f"options without a clause: {missing}"


@pytest.mark.django_db
def test_the_writer_refuses_a_question_not_on_the_list(demo):
    writer = Writer(document_inputs(Jurisdiction.objects.get(slug="riverton")))
    with pytest.raises(KeyError, match="DOCUMENT_QUESTIONS"):
        writer.text("risk-ai-role")

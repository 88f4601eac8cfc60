"""The largest form the content can produce is accepted: every table at its row limit."""

import pytest
from django.conf import settings
from django.urls import reverse

from workbook.content.loader import read_workbook_file
from workbook.models import Answer, Membership, Question
from workbook.wizard.forms import MAX_TABLE_ROWS, posted_field_count

pytestmark = pytest.mark.django_db

SAMPLE = {
    "short_text": "Permit review assistant",
    "long_text": "Summarizes permit files for the reviewer.",
    "number": "12",
    "date": "2027-02-01",
    "yes_no": "true",
}


def cell_value(column: dict) -> str:
    if column["type"] in ("single_choice",):
        return column["options"][0]["value"]
    return SAMPLE[column["type"]]


def test_every_section_of_the_shipped_content_fits_the_field_limit(workbook_file):
    for section in read_workbook_file(workbook_file)["sections"]:
        assert posted_field_count(section["questions"]) <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def test_the_inventory_tables_save_at_their_row_limit_with_every_column_posted(client, demo):
    editor = demo["riverton-editor"]
    client.force_login(editor)
    jurisdiction = Membership.objects.get(user=editor).jurisdiction
    tables = Question.active.filter(
        workbook=jurisdiction.workbook, section__slug="inventory", field_type="table"
    )
    url = reverse(
        "workbook:section", kwargs={"jurisdiction_slug": jurisdiction.slug, "step": "inventory"}
    )
    page = client.get(url)
    # Every field of the page as a browser posts it, then each table filled to its limit.
    data = dict(page.context["form"].data.lists())
    data |= {
        "version": str(page.context["version"]),
        "base": page.context["base"],
        f"workbook_{jurisdiction.slug}-current_step": "inventory",
        "wizard_action": "stay",
    }
    for table in tables:
        data[f"{table.slug}--rows"] = str(MAX_TABLE_ROWS)
        for row in range(MAX_TABLE_ROWS):
            for column in table.config["columns"]:
                data[f"{table.slug}--{row}--{column['slug']}"] = cell_value(column)
            data[f"{table.slug}--{row}--remove"] = ""
    # A field per cell of every table row: the ideas table alone posts 700.
    assert sum(len(v) if isinstance(v, list) else 1 for v in data.values()) > 700

    response = client.post(url, data)
    assert response.status_code == 302
    for table in tables:
        saved = Answer.objects.get(jurisdiction=jurisdiction, question=table).value
        assert len(saved) == MAX_TABLE_ROWS

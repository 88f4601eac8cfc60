"""Every CSV a spreadsheet may open writes user text so that it is never run as a formula."""

import csv
import io

import pytest
from django.urls import reverse

from tests.team_fixtures import current_version, first_section, make_facilitator, make_user
from workbook.answers.actions import save_section
from workbook.models import Answer, Membership, Role
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db

# Each starts a formula in Excel, LibreOffice or Google Sheets (tab and CR in some of them).
FORMULA_EMAILS = [
    "=cmd|' /C calc'!A0@example.com",
    "+cmd|' /C calc'!A0@example.com",
    "-cmd|' /C calc'!A0@example.com",
    "@SUM(1+1)*cmd@example.com",
    "\t=cmd@example.com",
    "\r=cmd@example.com",
]


def answers_csv(client, jurisdiction) -> list[list[str]]:
    response = client.post(
        reverse("admin:workbook_jurisdiction_changelist"),
        {"action": "export_answers_csv", "_selected_action": [jurisdiction.pk]},
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("email", FORMULA_EMAILS)
def test_the_updated_by_cell_of_the_answers_csv_is_never_a_formula(client, alpha, email):
    # Invited members sign in with their email address as their username.
    member = make_user(email, email=email)
    Membership.objects.create(user=member, jurisdiction=alpha.jurisdiction, role=Role.EDITOR)
    section = first_section(alpha.jurisdiction.workbook)
    question = section.questions.filter(field_type="short_text").first()
    save_section(
        access=JurisdictionAccess.of(member, alpha.jurisdiction),
        section=section,
        values={question.slug: "Plain text"},
        expected_version=current_version(alpha, section),
    )
    assert Answer.objects.get(question=question).updated_by == member

    client.force_login(make_facilitator("coach", alpha.jurisdiction))
    rows = answers_csv(client, alpha.jurisdiction)
    updated_by = rows[0].index("Updated by")
    cell = next(row for row in rows[1:] if row[2] == question.slug)[updated_by]
    assert cell == f"'{email}"


def test_the_action_plan_csv_writes_formulas_as_text(client, demo):
    answer = Answer.objects.get(jurisdiction__slug="riverton", question__slug="plan-actions")
    rows = answer.value
    rows[0] = {**rows[0], "action": '=HYPERLINK("http://x")', "owner": "+1+cmd"}
    Answer.objects.filter(pk=answer.pk).update(value=rows)
    client.force_login(demo["riverton-viewer"])
    response = client.get("/j/riverton/action-plan.csv")
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'+1+cmd" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]

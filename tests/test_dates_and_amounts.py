"""One way to write things: "January 4, 2027", "6:52 p.m." and "$24,000" in the admin, the pages,
the CSV files and the documents alike."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from tests.team_fixtures import current_version
from workbook.answers.actions import save_section
from workbook.comments.actions import add_comment
from workbook.models import Answer, Comment, Membership, Section
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db

EVENING = datetime.datetime(2027, 1, 4, 18, 52, tzinfo=datetime.UTC)
WRITTEN = "January 4, 2027, 6:52 p.m."


@pytest.fixture
def commented(alpha, workbook):
    """A comment and a membership made on the evening of January 4, 2027."""
    section = Section.active.filter(workbook=workbook).first()
    comment = add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        body="Who owns this?",
    )
    Comment.objects.filter(pk=comment.pk).update(created_at=EVENING)
    Membership.objects.filter(user=alpha.editor).update(created_at=EVENING)
    return comment


def test_the_admin_writes_dates_and_times_as_the_product_does(
    client, alpha, facilitator, commented
):
    client.force_login(facilitator)
    for model in ("comment", "membership"):
        page = client.get(reverse(f"admin:workbook_{model}_changelist")).content.decode()
        assert WRITTEN in page, model
        assert "Jan. 4, 2027" not in page and "6:52 p.m" in page
    change = client.get(reverse("admin:workbook_jurisdiction_change", args=[alpha.jurisdiction.pk]))
    assert f"last activity {WRITTEN} UTC" in change.content.decode()


def test_the_answers_csv_writes_its_times_as_the_product_does(client, alpha, facilitator, workbook):
    section = Section.active.get(workbook=workbook, slug="profile")
    save_section(
        access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
        section=section,
        values={"profile-population-count": 59800},
        expected_version=current_version(alpha, section),
    )
    Answer.objects.filter(jurisdiction=alpha.jurisdiction).update(updated_at=EVENING)
    client.force_login(facilitator)
    response = client.post(
        reverse("admin:workbook_jurisdiction_changelist"),
        {"action": "export_answers_csv", "_selected_action": [alpha.jurisdiction.pk]},
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][-1] == "Updated at (UTC)"
    assert {row[-1] for row in rows[1:]} == {WRITTEN}


def test_budgets_read_as_dollars_on_the_action_plan_and_in_its_csv(client, alpha, workbook):
    section = Section.active.get(workbook=workbook, slug="action-plan")
    rows = [{"action": "Train permit staff", "horizon": "0-6", "budget": 24000}]
    save_section(
        access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
        section=section,
        values={"plan-actions": rows, "plan-first-year-budget": 59800},
        expected_version=current_version(alpha, section),
    )
    client.force_login(alpha.viewer)
    page = client.get(reverse("strategy:action_plan", args=["alpha"])).content.decode()
    assert "$24,000" in page and ">24000<" not in page
    csv_text = client.get(reverse("strategy:action_plan_csv", args=["alpha"])).content.decode()
    assert "$24,000" in csv_text
    report = client.get(reverse("strategy:document", args=["alpha", "staff-report"]))
    assert "$59,800" in report.content.decode()

"""The register as the one list of AI uses: the inventory table's rows moved into it."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from workbook.answers.actions import retire_use_case, save_use_case
from workbook.answers.inventory import INVENTORY_QUESTION, REGISTER_SECTION, move_inventory
from workbook.models import Answer, Jurisdiction, Membership, Question, Role, Section, UseCase
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db

ROWS = [
    {
        # The register has it as '"Ask Testville" 311 web assistant': the same use.
        "name": "Ask Testville web assistant",
        "department": "Communications and 311",
        "tool": "Assistant module of the 311 system",
        "ai_type": "generative",
        "stage": "pilot",
        "purpose": "Answers common questions on the website.",
        "outputs": "Chat answers with links",
        "resident_facing": True,
        "data_used": "Public web pages",
        "owner": "311 Supervisor",
        "since": "2026-06-15",
    },
    {
        "name": "Pavement defect detection",
        "department": "Public Works",
        "tool": "Camera kits on refuse trucks",
        "ai_type": "vision",
        "stage": "deployed",
        "purpose": "Flags potholes for the streets supervisor.",
        "outputs": "Map of suspected defects",
        "resident_facing": False,
        "data_used": "Street images",
        "owner": "Streets Superintendent",
        "since": "2025-08-04",
    },
    {"name": "Storm drain prediction", "stage": "idea", "ai_type": "predictive"},
    # What no field can hold as given ends up in the notes, not lost.
    {"name": "", "stage": "trial", "ai_type": "oracle", "since": "last spring", "owner": "Clerk"},
    {"name": "x" * 250, "tool": "y" * 230, "stage": "retired"},
]


@pytest.fixture
def testville(workbook):
    place = Jurisdiction.objects.create(
        name="Testville", slug="testville", kind="city", population_band="5k_25k", workbook=workbook
    )
    section = Section.objects.get(workbook=workbook, slug=REGISTER_SECTION)
    # The table question as it was before the loader retired it.
    question = Question.objects.create(
        workbook=workbook,
        section=section,
        slug=INVENTORY_QUESTION,
        field_type="table",
        text="Which AI tools and systems are in use or being tried today?",
        help_text="",
        position=999,
        retired_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
    )
    Answer.objects.create(jurisdiction=place, question=question, value=ROWS)
    UseCase.objects.create(
        jurisdiction=place,
        name='"Ask Testville" 311 web assistant',
        department="Customer Service (311)",
        ai_type="language",
        stage="pilot",
        purpose="Answers common questions about trash pickup.",
        owner="311 Manager",
    )
    return place


def register(place) -> list[dict]:
    return list(UseCase.objects.filter(jurisdiction=place).order_by("pk").values())


def test_each_row_becomes_an_entry_or_fills_the_matching_one(testville):
    report = move_inventory(Answer, UseCase)

    entries = {e.name: e for e in UseCase.objects.filter(jurisdiction=testville)}
    assert len(entries) == 5  # the one entry and four new ones: the 311 row matched it
    ask = entries['"Ask Testville" 311 web assistant']
    # The entry's own values stay; its empty fields take the row's; the rest is in its notes.
    assert ask.department == "Customer Service (311)" and ask.ai_type == "language"
    assert ask.tool == "Assistant module of the 311 system"
    assert ask.outputs == "Chat answers with links" and ask.in_use_since == datetime.date(
        2026, 6, 15
    )
    assert ask.resident_facing is True
    for kept in ("Communications and 311", "generative", "311 Supervisor", "common questions on"):
        assert kept in ask.notes

    pavement = entries["Pavement defect detection"]
    assert (pavement.stage, pavement.ai_type, pavement.owner) == (
        "deployed",
        "vision",
        "Streets Superintendent",
    )
    assert pavement.in_use_since == datetime.date(2025, 8, 4) and pavement.notes == ""
    assert entries["Storm drain prediction"].stage == UseCase.Stage.PROPOSED

    unnamed = entries["Unnamed use (inventory row 4)"]
    assert (unnamed.stage, unnamed.ai_type, unnamed.in_use_since) == ("proposed", "", None)
    assert unnamed.owner == "Clerk"
    for kept in ("“trial”", "“oracle”", "“last spring”"):
        assert kept in unnamed.notes

    long = entries["x" * 200]
    assert long.stage == "retired" and long.tool == "y" * 200
    assert "x" * 250 in long.notes and "y" * 230 in long.notes

    (moved,) = report
    assert moved.jurisdiction == "testville"
    assert len(moved.added) == 4
    assert moved.matched == [("Ask Testville web assistant", '"Ask Testville" 311 web assistant')]
    lines = "\n".join(moved.lines())
    assert "testville: 4 added, 1 matched" in lines and "“Pavement defect detection”" in lines
    # The answer itself is kept, as every answer to a retired question is.
    assert (
        Answer.objects.get(jurisdiction=testville, question__slug=INVENTORY_QUESTION).value == ROWS
    )


def test_moving_again_changes_nothing(testville):
    move_inventory(Answer, UseCase)
    before = register(testville)

    report = move_inventory(Answer, UseCase)

    assert register(testville) == before
    assert all(not moved.changed for moved in report)
    assert [moved.lines()[0] for moved in report] == ["testville: 0 added, 1 matched"]


def test_other_jurisdictions_are_untouched(testville, demo):
    riverton = Jurisdiction.objects.get(slug="riverton")
    before = register(riverton)

    move_inventory(Answer, UseCase)

    assert register(riverton) == before
    assert not UseCase.objects.filter(jurisdiction=riverton, name="Storm drain prediction")
    assert UseCase.objects.filter(jurisdiction=testville, name="Storm drain prediction")


def test_the_inventory_table_is_retired_and_section_4_shows_the_register(client, demo):
    assert not Question.active.filter(slug=INVENTORY_QUESTION).exists()
    client.force_login(demo["riverton-editor"])
    page = client.get(f"/j/riverton/workbook/{REGISTER_SECTION}/").content.decode()
    assert "AI uses in the register" in page
    for name in ("Pavement defect detection", "Screening housing-assistance applications"):
        assert name in page
    assert "/j/riverton/use-cases/new/" in page and "/retire/" in page

    client.force_login(demo["riverton-viewer"])
    page = client.get(f"/j/riverton/workbook/{REGISTER_SECTION}/").content.decode()
    assert "Pavement defect detection" in page and "/retire/" not in page


def test_riverton_has_one_register(demo):
    riverton = Jurisdiction.objects.get(slug="riverton")
    names = set(UseCase.objects.filter(jurisdiction=riverton).values_list("name", flat=True))
    assert len(names) == 8
    assert {"Pavement defect detection", '"Ask Riverton" 311 web assistant'} <= names
    assert not Answer.objects.filter(jurisdiction=riverton, question__slug=INVENTORY_QUESTION)


def editor_access(place):
    user = get_user_model().objects.create(username=f"{place.slug}-writer")
    membership = Membership.objects.create(user=user, jurisdiction=place, role=Role.EDITOR)
    return JurisdictionAccess.of_member(membership)


def test_a_duplicate_name_is_refused_and_nothing_stored(testville):
    access = editor_access(testville)
    before = register(testville)
    with pytest.raises(ValidationError) as refused:
        save_use_case(
            access=access,
            use_case=None,
            fields={"name": '"ASK TESTVILLE" 311 web assistant', "ai_type": "language"},
        )
    assert "already has a use named" in str(refused.value.message_dict["name"])
    assert register(testville) == before


def test_a_duplicate_name_in_the_form_is_an_error_on_the_name(client, demo):
    client.force_login(demo["riverton-editor"])
    before = UseCase.objects.count()
    response = client.post(
        "/j/riverton/use-cases/new/",
        {"name": "pavement defect detection", "ai_type": "vision", "stage": "proposed"},
    )
    assert response.status_code == 200
    assert "already has a use named" in response.content.decode()
    assert UseCase.objects.count() == before


def test_retiring_keeps_the_entry_as_history(client, demo):
    use = UseCase.objects.get(jurisdiction__slug="riverton", name="Pavement defect detection")
    client.force_login(demo["riverton-viewer"])
    assert client.post(f"/j/riverton/use-cases/{use.pk}/retire/").status_code == 403
    client.force_login(demo["riverton-editor"])
    assert client.get(f"/j/riverton/use-cases/{use.pk}/retire/").status_code == 405
    response = client.post(f"/j/riverton/use-cases/{use.pk}/retire/")
    assert response.url == f"/j/riverton/workbook/{REGISTER_SECTION}/"
    use.refresh_from_db()
    assert use.stage == UseCase.Stage.RETIRED


def test_another_jurisdictions_entry_cannot_be_retired(client, demo):
    use = UseCase.objects.get(jurisdiction__slug="alderfalls", name="Pothole detection")
    client.force_login(demo["riverton-editor"])
    assert client.post(f"/j/riverton/use-cases/{use.pk}/retire/").status_code == 404
    with pytest.raises(PermissionDenied):
        retire_use_case(
            access=editor_access(Jurisdiction.objects.get(slug="riverton")), use_case=use
        )
    use.refresh_from_db()
    assert use.stage == UseCase.Stage.DEPLOYED


def test_a_shortlisted_idea_becomes_a_proposed_entry(client, demo):
    client.force_login(demo["riverton-editor"])
    section = f"/j/riverton/workbook/{REGISTER_SECTION}/"
    idea = "Blocked storm drains are found only after streets flood"
    page = client.get(section).content.decode()
    assert "Ideas not in the register yet" in page and idea in page

    response = client.post("/j/riverton/use-cases/from-idea/", {"row": "2"})

    assert response.url == section
    entry = UseCase.objects.get(jurisdiction__slug="riverton", name=idea)
    assert entry.stage == UseCase.Stage.PROPOSED
    assert "Predicting which catch basins" in entry.purpose
    page = client.get(section).content.decode()
    assert 'name="row" value="2"' not in page and 'name="row" value="3"' in page


@pytest.mark.parametrize("row", ["9", "-1", "x", ""])
def test_an_idea_that_is_not_there_is_refused(client, demo, row):
    client.force_login(demo["riverton-editor"])
    before = UseCase.objects.count()
    response = client.post("/j/riverton/use-cases/from-idea/", {"row": row}, follow=True)
    assert "That idea is no longer in the ideas table." in response.content.decode() or (
        "Choose an idea from the ideas table." in response.content.decode()
    )
    assert UseCase.objects.count() == before


def test_viewers_cannot_add_ideas(client, demo):
    client.force_login(demo["riverton-viewer"])
    before = UseCase.objects.count()
    assert client.post("/j/riverton/use-cases/from-idea/", {"row": "0"}).status_code == 403
    assert UseCase.objects.count() == before

"""Table questions in a real Chromium: each row a card wide enough to read at 1,280 and 320 px,
a row completed by keyboard alone, with and without JavaScript, and error-summary links that
bring the field, its label and its message into view. Axe-clean, the error state included."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.team_fixtures import PASSWORD, current_version
from tests.test_browser_wizard import assert_accessible
from workbook.answers.actions import save_section
from workbook.models import Answer, Question, Section
from workbook.security.access import JurisdictionAccess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = os.environ.get("WIZARD_SCREENSHOTS")
WIDTHS = (1280, 320)

# The width twelve zeros take in an element's own font: "about 12 characters" of the widest
# digit, so a field that passes shows a twelve-digit budget or a short name whole. Measured
# in the page (canvas) because the font, its size and the zoom are the browser's to decide.
TWELVE_CHARACTERS = """
(element) => {
  const style = getComputedStyle(element);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  return context.measureText("000000000000").width;
}
"""
FIELDS = "input:not([type=hidden]):not([type=checkbox]), select, textarea"


def snapshot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"tables-{name}.png"), full_page=True)


def widest_table(workbook) -> Question:
    tables = Question.active.filter(section__workbook=workbook, field_type="table").exclude(
        section__scope=Section.Scope.USE_CASE
    )
    return max(tables, key=lambda q: len(q.config["columns"]))


def sample_row(question: Question, n: int) -> dict:
    """A filled row: text a person would type, and the first option of each choice."""
    row = {}
    for column in question.config["columns"]:
        match column["type"]:
            case "short_text":
                row[column["slug"]] = f"{column['label']} {n}"
            case "long_text":
                row[column["slug"]] = f"What {column['label'].lower()} means for row {n}."
            case "number":
                row[column["slug"]] = 24000 * n
            case "date":
                row[column["slug"]] = f"2027-0{n}-04"
            case "yes_no":
                row[column["slug"]] = True
            case "single_choice":
                row[column["slug"]] = column["options"][0]["value"]
    return row


def sign_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def section_url(base, team, question):
    return f"{base}/j/{team.jurisdiction.slug}/workbook/{question.section.slug}/"


def saved(team, slug):
    answer = Answer.objects.filter(jurisdiction=team.jurisdiction, question__slug=slug).first()
    return answer.value if answer else None


@pytest.mark.parametrize("width", WIDTHS)
def test_the_widest_table_is_edited_in_cards_wide_enough_to_read(
    live_server, browser, alpha, workbook, width
):
    question = widest_table(workbook)
    assert len(question.config["columns"]) >= 9
    save_section(
        access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
        section=question.section,
        values={question.slug: [sample_row(question, 1), sample_row(question, 2)]},
        expected_version=current_version(alpha, question.section),
    )
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, alpha.editor.username)
    page.goto(section_url(live_server.url, alpha, question))

    table = page.locator(f"[data-table='{question.slug}']")
    cards = table.locator("fieldset.app-row-card")
    expect(cards).to_have_count(2)
    expect(cards.first.locator("legend")).to_have_text(
        f"Row 1: {sample_row(question, 1)[question.config['columns'][0]['slug']]}"
    )
    fields = table.locator(f"fieldset.app-row-card :is({FIELDS})")
    assert fields.count() == 2 * len(question.config["columns"])
    for i in range(fields.count()):
        field = fields.nth(i)
        name = field.get_attribute("name")
        assert field.evaluate("e => e.clientWidth") >= field.evaluate(TWELVE_CHARACTERS), name
        # Every field has a visible label of its own.
        label = page.locator(f"label[for='{field.get_attribute('id')}']")
        expect(label).to_be_visible()
        if width == 1280 and field.evaluate("e => e.tagName") == "INPUT":
            # Nothing typed is cut off.
            assert field.evaluate("e => e.scrollWidth <= e.clientWidth"), name

    # The summary of the saved rows scrolls inside its own labeled, focusable region.
    region = page.get_by_role("region", name="Rows as this page was opened")
    expect(region).to_have_attribute("tabindex", "0")
    expect(region.get_by_role("row")).to_have_count(3)
    # The cards fit the window: the page itself never scrolls sideways for them.
    overflow = cards.first.evaluate("e => e.getBoundingClientRect().right - window.innerWidth")
    assert overflow <= 0
    assert_accessible(page)
    snapshot(page, f"widest-{width}")
    context.close()


def test_a_row_is_added_and_completed_by_keyboard_alone(live_server, page, alpha, workbook):
    team_question = Question.active.get(section__workbook=workbook, slug="profile-team")
    sign_in(page, live_server.url, alpha.editor.username)
    page.goto(section_url(live_server.url, alpha, team_question))
    table = page.locator("[data-table='profile-team']")
    kb = page.keyboard

    # The empty first row, then "Add a row": wizard.js adds a card and moves to its first field.
    table.get_by_label("Name").first.focus()
    kb.type("Lena Ortiz")
    for _ in range(5):  # department, role, core member, hours, remove
        kb.press("Tab")
    kb.press("Tab")
    expect(table.get_by_role("button", name="Add a row")).to_be_focused()
    kb.press("Enter")
    expect(page.locator("#id_profile-team--1--name")).to_be_focused()
    expect(table.locator("fieldset.app-row-card").nth(1).locator("legend")).to_have_text("Row 2")
    kb.type("Sam Whitaker")
    kb.press("Tab")
    kb.type("Information Technology")
    kb.press("Tab")  # role: a drop-down, chosen by typing
    kb.type("IT")
    kb.press("Tab")  # core member?
    kb.type("Y")
    kb.press("Tab")
    kb.type("10")
    kb.press("Enter")  # saves and stays on the section
    page.wait_for_load_state()

    expect(page.locator("#id_profile-team--1--department")).to_have_value("Information Technology")
    assert saved(alpha, "profile-team") == [
        {"name": "Lena Ortiz"},
        {
            "name": "Sam Whitaker",
            "department": "Information Technology",
            "role": "it-security",
            "core": True,
            "hours_per_month": 10,
        },
    ]
    expect(page.get_by_role("region", name="Rows as this page was opened")).to_contain_text(
        "Sam Whitaker"
    )


def test_without_javascript_add_a_row_saves_and_shows_one_more_card(
    live_server, browser, alpha, workbook
):
    team_question = Question.active.get(section__workbook=workbook, slug="profile-team")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, alpha.editor.username)
    page.goto(section_url(live_server.url, alpha, team_question))
    table = page.locator("[data-table='profile-team']")
    table.get_by_label("Name").first.fill("Lena Ortiz")
    table.get_by_role("button", name="Add a row").click()
    page.wait_for_load_state()

    expect(table.locator("fieldset.app-row-card")).to_have_count(2)
    expect(page.locator("#id_profile-team--0--name")).to_have_value("Lena Ortiz")
    assert saved(alpha, "profile-team") == [{"name": "Lena Ortiz"}]

    # Remove: tick the box and save.
    page.locator("#id_profile-team--1--name").fill("Sam Whitaker")
    table.get_by_label("Remove row 1").check()
    table.get_by_role("button", name="Add a row").click()
    page.wait_for_load_state()
    assert saved(alpha, "profile-team") == [{"name": "Sam Whitaker"}]
    context.close()


def test_error_summary_links_bring_the_field_its_label_and_message_into_view(
    live_server, page, alpha, workbook
):
    team_question = Question.active.get(section__workbook=workbook, slug="profile-team")
    page.set_viewport_size({"width": 1280, "height": 700})
    sign_in(page, live_server.url, alpha.editor.username)
    page.goto(section_url(live_server.url, alpha, team_question))
    table = page.locator("[data-table='profile-team']")
    table.get_by_label("Name").first.fill("Lena Ortiz")
    table.get_by_label("Hours a month").first.fill("-3")
    page.get_by_role("button", name="Save and continue later").click()
    page.wait_for_load_state()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    link = summary.get_by_role(
        "link", name="Row 1, Hours a month: Enter a number between 0 and 200."
    )
    expect(link).to_be_visible()
    assert_accessible(page)
    link.click()

    field = page.locator("#id_profile-team--0--hours_per_month")
    expect(field).to_be_focused()
    group = field.locator("xpath=ancestor::div[contains(@class, 'usa-form-group')][1]")
    for part in (group.locator("label"), group.locator(".usa-error-message"), field):
        expect(part).to_be_in_viewport()
    expect(group.locator(".usa-error-message")).to_have_text("Enter a number between 0 and 200.")
    snapshot(page, "error-summary")


def test_a_row_without_its_required_name_is_kept_and_says_so(live_server, page, alpha, workbook):
    team_question = Question.active.get(section__workbook=workbook, slug="profile-team")
    sign_in(page, live_server.url, alpha.editor.username)
    page.goto(section_url(live_server.url, alpha, team_question))
    table = page.locator("[data-table='profile-team']")
    table.get_by_label("Department").first.fill("City Clerk's Office")
    page.get_by_role("button", name="Save and continue later").click()
    page.wait_for_load_state()
    assert saved(alpha, "profile-team") == [{"department": "City Clerk's Office"}]

    page.goto(section_url(live_server.url, alpha, team_question))
    message = "Fill in “Name” for row 1, or remove it."
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("These answers are saved")
    expect(table.locator(".usa-error-message")).to_have_text(message)
    expect(table.get_by_label("Name")).to_have_attribute("aria-describedby", re.compile("error"))
    assert_accessible(page)
    summary.get_by_role("link", name=message).click()
    expect(table.get_by_label("Name")).to_be_focused()

"""The wizard in a real Chromium: keyboard only, autosave, an expired session, and axe."""

import os
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.test_wizard import content, place  # noqa: F401 (fixtures)
from workbook.models import Answer, Membership, Role
from workbook.security.access import JurisdictionAccess

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PASSWORD = "wizard-pass-123"
# Set WIZARD_SCREENSHOTS to a folder to keep full-page screenshots for a visual check.
SCREENSHOTS = os.environ.get("WIZARD_SCREENSHOTS")


def snapshot(page, name):
    if SCREENSHOTS:
        page.screenshot(path=str(Path(SCREENSHOTS) / f"wizard-{name}.png"), full_page=True)


def assert_accessible(page):
    results = Axe().run(page, options=WCAG_AA)
    assert results.response["violations"] == [], results.generate_report()


@pytest.fixture
def editor(place):  # noqa: F811
    user = get_user_model().objects.create_user("keyboard-editor", password=PASSWORD)
    Membership.objects.create(user=user, jurisdiction=place, role=Role.EDITOR)
    return user


def sign_in(page, live_server, next_path=None):
    page.goto(live_server.url + "/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Username").fill("keyboard-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def section(live_server, slug="basics"):
    return f"{live_server.url}/j/alder/workbook/{slug}/"


def saved(slug):
    answer = Answer.objects.filter(question__slug=slug).first()
    return answer.value if answer else None


def leave_date_input(page):
    """Tab out of a date input; Chromium may keep focus in it for its last segment."""
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") != "date":
            return
    raise AssertionError("focus stayed in the date input")


def test_an_editor_fills_every_kind_of_question_by_keyboard(live_server, page, editor):
    sign_in(page, live_server)
    page.goto(section(live_server))
    kb = page.keyboard

    page.locator("#id_name").focus()
    kb.type("Alder plan")
    kb.press("Tab")  # long text
    kb.type("Residents asked for it.")
    kb.press("Tab")  # single choice: first radio
    kb.press("ArrowDown")  # County
    kb.press("Tab")  # multiple choice: first checkbox (IT)
    kb.press("Space")
    kb.press("Tab")  # HR
    kb.press("Tab")  # Other text
    kb.type("Libraries")
    kb.press("Tab")  # scale
    for _ in range(3):
        kb.press("ArrowDown")  # 4
    kb.press("Tab")  # yes/no
    kb.press("Space")  # Yes: the follow-up question appears
    expect(page.locator("#q-policy-owner-group")).to_be_visible()
    kb.press("Tab")
    kb.type("City Clerk")
    kb.press("Tab")  # number
    kb.type("410")
    kb.press("Tab")  # date (month, day, year segments)
    kb.type("09152026")
    leave_date_input(page)  # to the first row's card: Name
    kb.type("Lena Ortiz")
    kb.press("Tab")
    kb.type("6")
    kb.press("Tab")  # Lead (select)
    kb.type("Y")
    kb.press("Tab")  # Area (select)
    kb.type("L")
    kb.press("Tab")
    kb.type("01312025")
    leave_date_input(page)  # Remove row 1
    kb.press("Tab")  # Add a row
    kb.press("Space")
    expect(page.locator("#id_team--1--who")).to_be_focused()
    kb.type("Sam Whitaker")

    # Jump to the second section from the step list (the jump saves), then come back.
    page.get_by_role("button", name="2. Second").focus()
    kb.press("Enter")
    page.wait_for_url(section(live_server, "second"))
    page.get_by_role("button", name="1. Basics").focus()
    kb.press("Enter")
    page.wait_for_url(section(live_server))

    for reload in (False, True):
        if reload:
            page.reload()
        expect(page.locator("#id_name")).to_have_value("Alder plan")
        expect(page.locator("#id_story")).to_have_value("Residents asked for it.")
        expect(page.locator("#id_kind_1")).to_be_checked()
        expect(page.locator("#id_depts_0")).to_be_checked()
        expect(page.locator("#id_depts--other")).to_have_value("Libraries")
        expect(page.locator("#id_maturity_3")).to_be_checked()
        expect(page.locator("#id_policy-owner")).to_have_value("City Clerk")
        expect(page.locator("#id_start")).to_have_value("2026-09-15")
        expect(page.locator("#id_team--1--who")).to_have_value("Sam Whitaker")

    assert saved("depts") == {"selected": ["it"], "other": "Libraries"}
    assert saved("maturity") == 4
    assert saved("has-policy") is True
    assert saved("staff") == 410
    assert saved("team") == [
        {"who": "Lena Ortiz", "hours": 6, "lead": True, "area": "legal", "since": "2025-01-31"},
        {"who": "Sam Whitaker"},
    ]


def test_autosave_says_when_it_saved(live_server, page, editor):
    sign_in(page, live_server)
    page.goto(section(live_server))
    page.locator("#id_story").focus()
    page.keyboard.type("Typed, then a pause.")
    expect(page.locator("[data-save-status]")).to_have_text(
        re.compile(r"Saved at \d{1,2}:\d\d [ap]\.m\."), timeout=10_000
    )
    assert saved("story") == "Typed, then a pause."
    assert page.locator("[data-version]").input_value() == "1"
    expect(page.locator("[data-current-status]")).to_have_text("Status: In progress")
    snapshot(page, "section")


def test_signing_out_forgets_text_kept_in_the_tab(live_server, page, editor):
    sign_in(page, live_server)
    page.goto(section(live_server))
    page.evaluate("() => sessionStorage.setItem('wizard-draft:1:alder:basics', '{}')")
    page.evaluate("() => sessionStorage.setItem('unrelated', 'kept')")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert page.evaluate("() => Object.keys(sessionStorage)") == ["unrelated"]


def test_text_typed_after_the_session_expired_is_restored_after_signing_in(
    live_server, page, editor
):
    sign_in(page, live_server)
    page.goto(section(live_server))
    page.context.clear_cookies(name="sessionid")  # the session expires

    page.locator("#id_story").focus()
    page.keyboard.type("Written while signed out.")
    alert = page.locator("[data-signed-out]")
    expect(alert).to_be_visible(timeout=10_000)
    expect(page.locator("[data-save-status]")).to_contain_text("signed out")
    assert saved("story") is None

    alert.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Username").fill("keyboard-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(section(live_server))

    expect(page.locator("#id_story")).to_have_value("Written while signed out.")
    expect(page.locator("[data-save-status]")).to_have_text(
        re.compile(r"Saved at \d{1,2}:\d\d [ap]\.m\."), timeout=10_000
    )
    assert saved("story") == "Written while signed out."
    assert page.evaluate("() => sessionStorage.length") == 0


def test_a_plain_submit_after_the_session_expired_loses_nothing(live_server, page, editor):
    sign_in(page, live_server)
    page.goto(section(live_server))
    page.context.clear_cookies(name="sessionid")  # the session expires

    page.locator("#id_story").fill("Typed, then saved for later while signed out.")
    page.get_by_role("button", name="Save and continue later").click()
    # The POST was turned away to sign in; the text is kept in this tab, not in the database.
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert saved("story") is None
    assert "saved for later while signed out" in page.evaluate(
        "() => JSON.stringify(sessionStorage)"
    )
    assert_accessible(page)

    page.get_by_label("Username").fill("keyboard-editor")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(section(live_server))
    expect(page.locator("#id_story")).to_have_value("Typed, then saved for later while signed out.")
    expect(page.locator("[data-save-status]")).to_have_text(
        re.compile(r"Saved at \d{1,2}:\d\d [ap]\.m\."), timeout=10_000
    )
    assert saved("story") == "Typed, then saved for later while signed out."
    assert page.evaluate("() => sessionStorage.length") == 0

    # A plain submit that is saved keeps its copy only until the page after it confirms the save.
    page.locator("#id_name").fill("Plan B")
    page.get_by_role("button", name="Save and continue later").click()
    page.wait_for_url(f"{live_server.url}/j/alder/")
    expect(page.get_by_text("are saved")).to_be_visible()
    assert saved("name") == "Plan B"
    assert page.evaluate("() => sessionStorage.length") == 0


def test_section_errors_and_review_have_no_accessibility_violations(live_server, page, editor):
    sign_in(page, live_server)
    page.goto(section(live_server))
    assert_accessible(page)

    page.locator("#id_staff").fill("1001")
    page.locator("#id_start").fill("2026-01-01")
    page.get_by_role("button", name="Save and continue", exact=True).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    expect(page.locator("#id_staff")).to_have_value("1001")
    snapshot(page, "errors")
    assert_accessible(page)

    page.goto(f"{live_server.url}/j/alder/workbook/review/")
    expect(page.get_by_text("Not yet answered").first).to_be_visible()
    snapshot(page, "review")
    assert_accessible(page)


def colleague_saves(jurisdiction, values: dict) -> None:
    """A colleague saves the basics section after this page was loaded."""
    from workbook.answers.actions import save_section
    from workbook.models import Section

    colleague = get_user_model().objects.create_user("colleague")
    Membership.objects.create(user=colleague, jurisdiction=jurisdiction, role="editor")
    save_section(
        access=JurisdictionAccess.of(colleague, jurisdiction),
        section=Section.objects.get(slug="basics"),
        values=values,
        expected_version=0,
    )


def test_an_autosave_conflict_leads_to_the_conflict_page_and_loses_nothing(
    live_server,
    page,
    editor,
    place,  # noqa: F811
):
    sign_in(page, live_server)
    page.goto(section(live_server))
    colleague_saves(place, {"story": "The colleague's story."})

    page.locator("#id_story").focus()
    page.keyboard.type("My own story.")
    alert = page.locator("[data-conflict]")
    expect(alert).to_be_visible(timeout=10_000)
    assert saved("story") == "The colleague's story."
    assert "My own story." in page.evaluate("() => JSON.stringify(sessionStorage)")

    alert.get_by_role("button", name="Compare with the saved version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("while you were editing")
    expect(page.get_by_text("My own story.")).to_be_visible()
    expect(page.get_by_text("The colleague's story.")).to_be_visible()
    snapshot(page, "conflict")
    assert_accessible(page)

    # Neither text is chosen for the user: saving asks for a choice first.
    page.get_by_role("button", name="Save my choices").click()
    assert page.url.endswith("/basics/")
    assert saved("story") == "The colleague's story."
    page.get_by_text("Keep my text").click()
    page.get_by_role("button", name="Save my choices").click()
    page.wait_for_url(section(live_server))
    expect(page.locator("#id_story")).to_have_value("My own story.")
    assert saved("story") == "My own story."
    assert page.evaluate("() => sessionStorage.length") == 0


def test_an_autosave_after_a_colleague_saved_another_question_keeps_both(
    live_server,
    page,
    editor,
    place,  # noqa: F811
):
    sign_in(page, live_server)
    page.goto(section(live_server))
    colleague_saves(place, {"name": "Colleague's plan"})

    page.locator("#id_story").focus()
    page.keyboard.type("My own story.")
    expect(page.locator("[data-save-status]")).to_contain_text("Saved at", timeout=10_000)
    assert saved("story") == "My own story."
    assert saved("name") == "Colleague's plan"
    # A second pause saves again on the version and base the first save returned.
    page.evaluate("() => { document.querySelector('[data-save-status]').textContent = ''; }")
    page.keyboard.type(" More.")
    expect(page.locator("[data-save-status]")).to_contain_text("Saved at", timeout=10_000)
    assert saved("story") == "My own story. More."
    assert saved("name") == "Colleague's plan"


def test_enter_in_a_field_saves_and_stays_on_the_section(live_server, page, editor):
    sign_in(page, live_server)
    page.goto(section(live_server))
    page.locator("#id_name").focus()
    page.keyboard.type("Saved with Enter")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == section(live_server)  # not a jump to the first step-list entry
    expect(page.locator("#id_name")).to_have_value("Saved with Enter")
    assert saved("name") == "Saved with Enter"


def test_a_viewer_reads_a_section_with_every_field_disabled(live_server, page, place):  # noqa: F811
    user = get_user_model().objects.create_user("keyboard-editor", password=PASSWORD)
    Membership.objects.create(user=user, jurisdiction=place, role=Role.VIEWER)
    sign_in(page, live_server)
    page.goto(section(live_server))
    expect(page.locator("#id_name")).to_be_disabled()
    expect(page.locator("#id_kind_0")).to_be_disabled()
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)
    expect(page.get_by_role("link", name="Next section")).to_be_visible()
    assert page.locator("#wizard-form").get_attribute("data-autosave-url") is None
    assert_accessible(page)

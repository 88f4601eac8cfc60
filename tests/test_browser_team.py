"""A team's life in a real Chromium: invite, accept, fill, assign, approve, comment, resolve."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from playwright.sync_api import expect

from tests.team_fixtures import PASSWORD, complete_section, first_section
from workbook.models import Answer, Comment, Membership, Role, SectionProgress, SectionStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
NEW_PASSWORD = "a-fresh-editor-password-9"


def assert_accessible(page):
    results = Axe().run(page, options=WCAG_AA)
    assert results.response["violations"] == [], results.generate_report()


def sign_in(page, base, username, password=PASSWORD):
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_invite_accept_fill_assign_approve(live_server, page, alpha, workbook):
    base = live_server.url
    section = first_section(workbook)

    # The manager invites a new editor from the team page.
    sign_in(page, base, alpha.manager.username)
    page.goto(f"{base}/j/alpha/team/")
    expect(page.get_by_role("heading", name="Team", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("new.editor@example.gov")
    page.get_by_label("Role", exact=True).select_option("editor")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to new.editor@example.gov")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("new.editor@example.gov"))).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The invitee follows the emailed link and creates an account.
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Join Alpha City")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Full name").fill("Nia Editor")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account and join").click()
    expect(page.get_by_role("heading", name="Alpha City")).to_be_visible()
    member = Membership.objects.get(user__email="new.editor@example.gov")
    assert member.role == Role.EDITOR

    # …and fills a field of the first section in the wizard.
    question = section.questions.filter(field_type="short_text", retired_at__isnull=True).first()
    page.goto(f"{base}/j/alpha/workbook/{section.slug}/")
    page.get_by_label(question.text).fill("Deputy city manager")
    page.get_by_role("button", name="Save and continue later").click()
    page.wait_for_load_state()
    answer = Answer.objects.get(jurisdiction=alpha.jurisdiction, question=question)
    assert answer.value == "Deputy city manager"
    assert answer.updated_by == member.user
    sign_out(page)

    # The manager assigns the section to the new editor, with a due date.
    sign_in(page, base, alpha.manager.username)
    page.goto(f"{base}/j/alpha/")
    page.get_by_role("link", name=f"Assign {section.title}").click()
    page.get_by_label("Assign to").select_option(label="Nia Editor (Editor)")
    page.get_by_label("Due date").fill("2027-02-01")
    page.get_by_role("button", name="Save assignment").click()
    expect(page.get_by_text(f"“{section.title}” assigned to")).to_be_visible()
    row = page.get_by_role("row", name=re.compile(re.escape(section.title)))
    expect(row).to_contain_text("Nia Editor")
    expect(row).to_contain_text("February 1, 2027")
    assert_accessible(page)

    sign_out(page)

    # The new editor sees the assignment on the dashboard.
    sign_in(page, base, "new.editor@example.gov", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Assigned to you")).to_be_visible()
    expect(page.get_by_role("link", name=section.title)).to_be_visible()
    assert_accessible(page)
    sign_out(page)

    # The rest of the section is answered; the manager approves it.
    complete_section(alpha, section)
    sign_in(page, base, alpha.manager.username)
    page.goto(f"{base}/j/alpha/")
    page.get_by_role("button", name=f"Approve {section.title}").click()
    expect(page.get_by_text(f"“{section.title}” is approved.")).to_be_visible()
    progress = SectionProgress.objects.get(jurisdiction=alpha.jurisdiction, section=section)
    assert progress.status == SectionStatus.APPROVED
    assert progress.approved_by == alpha.manager


def test_facilitator_comments_in_the_admin_and_the_editor_resolves(
    live_server, page, alpha, facilitator, workbook
):
    base = live_server.url
    section = first_section(workbook)
    question = section.questions.filter(retired_at__isnull=True).first()

    # The facilitator comments on one answer from the jurisdiction's admin page.
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(facilitator.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Jurisdictions").first.click()
    page.get_by_role("link", name="Alpha City").click()
    page.get_by_label("About").select_option(f"question:{question.slug}")
    page.get_by_label("Comment").fill("Name a person, not a department.")
    page.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Comment added.")).to_be_visible()
    assert Comment.objects.get().author == facilitator
    page.get_by_role("button", name="Log out").click()

    # The editor finds it in the wizard next to that question, replies and resolves it there.
    sign_in(page, base, alpha.editor.username)
    wizard_url = f"{base}/j/alpha/workbook/{section.slug}/"
    page.goto(wizard_url)
    beside = page.locator(f"#q-{question.slug}-group")
    expect(beside.get_by_text("Name a person, not a department.")).to_be_visible()
    assert_accessible(page)
    beside.get_by_label(re.compile("^Reply")).fill("Done: the deputy city manager.")
    beside.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Reply added.")).to_be_visible()
    assert page.url == wizard_url
    expect(beside.get_by_text("Done: the deputy city manager.")).to_be_visible()
    assert_accessible(page)
    beside.get_by_role("button", name=re.compile("^Mark resolved")).click()
    expect(page.get_by_text("Comment resolved.")).to_be_visible()
    assert page.url == wizard_url
    expect(page.get_by_text("Name a person, not a department.")).to_have_count(0)
    thread = Comment.objects.get(parent__isnull=True)
    assert thread.resolved_by == alpha.editor
    assert thread.replies.get().author == alpha.editor
    # Typing a reply is not an edit of the answers: nothing was saved to the section.
    assert not SectionProgress.objects.filter(jurisdiction=alpha.jurisdiction).exists()

    # The resolved thread is on the section's comments page; reopening it puts it back.
    page.get_by_role("link", name="All comments on this section, resolved ones too").click()
    expect(page.get_by_text("Name a person, not a department.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("^Reopen")).click()
    expect(page.get_by_text("Comment reopened.")).to_be_visible()
    page.goto(wizard_url)
    expect(beside.get_by_text("Name a person, not a department.")).to_be_visible()


def test_the_lockout_page_is_clear_and_accessible(live_server, page, alpha):
    for _ in range(5):
        sign_in(page, live_server.url, alpha.editor.username, "not-the-password")
    sign_in(page, live_server.url, alpha.editor.username)
    expect(page.get_by_role("heading", name="Sign-in is paused for this account")).to_be_visible()
    expect(page.get_by_text("paused for 15 minutes")).to_be_visible()
    assert_accessible(page)


def test_removing_a_member_asks_first_on_an_accessible_page(live_server, page, alpha):
    base = live_server.url
    sign_in(page, base, alpha.manager.username)
    page.goto(base + "/j/alpha/team/")
    page.get_by_role("button", name=f"Remove {alpha.viewer.username}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("from the team?")
    assert Membership.objects.filter(user=alpha.viewer).exists()
    assert_accessible(page)
    page.get_by_role("button", name=f"Remove {alpha.viewer.username}").click()
    page.wait_for_url(base + "/j/alpha/team/")
    assert not Membership.objects.filter(user=alpha.viewer).exists()

"""Approvals that hold, in a real Chromium: a manager approves, an editor cannot type in the
section until reopening it with a reason, the manager is emailed and approves again from the
review page; a facilitator lands on the coaching page and every link on it works."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.team_fixtures import complete_section, first_section
from tests.test_browser_team import assert_accessible, sign_in, sign_out
from workbook.models import SectionProgress, SectionStatus
from workbook.security.access import JurisdictionAccess
from workbook.workflow import actions as workflow_actions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_approval_holds_until_reopened_with_a_reason(live_server, page, alpha, workbook):
    base = live_server.url
    section = first_section(workbook)
    complete_section(alpha, section)
    question = section.questions.filter(field_type="short_text", retired_at__isnull=True).first()

    # The manager approves the complete section from the overview.
    sign_in(page, base, alpha.manager.username)
    page.goto(f"{base}/j/alpha/")
    expect(page.get_by_role("link", name=re.compile("^Continue with section"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Approve {section.title}").click()
    expect(page.get_by_text(f"“{section.title}” is approved.")).to_be_visible()
    sign_out(page)

    # The editor finds it read only: nothing to type into, no save buttons.
    sign_in(page, base, alpha.editor.username)
    page.goto(f"{base}/j/alpha/workbook/{section.slug}/")
    expect(page.get_by_text(re.compile("^Approved by alpha-manager on"))).to_be_visible()
    expect(page.get_by_label(question.text)).to_be_disabled()
    expect(page.get_by_role("button", name="Save and continue later")).to_have_count(0)
    assert_accessible(page)

    # Reopening asks for a reason first.
    page.get_by_role("button", name="Reopen for changes").click()
    assert SectionProgress.objects.get(section=section).status == SectionStatus.APPROVED
    page.get_by_label("Why does it need changes?").fill("The deputy's title changed.")
    page.get_by_role("button", name="Reopen for changes").click()
    expect(page.get_by_text("is reopened for changes")).to_be_visible()
    expect(page.get_by_text("The deputy's title changed.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(question.text).fill("Deputy city administrator")
    page.get_by_role("button", name="Save and continue later").click()
    page.wait_for_load_state()
    sign_out(page)

    # The manager was told, by email, who reopened it and why, with a link to the section.
    told = [m for m in mail.outbox if m.to == [alpha.manager.email]]
    assert len(told) == 1
    assert "The deputy's title changed." in told[0].body
    assert f"/j/alpha/workbook/{section.slug}/" in told[0].body

    # …and approves it again from the review page.
    sign_in(page, base, alpha.manager.username)
    page.goto(f"{base}/j/alpha/workbook/review/")
    assert_accessible(page)
    page.get_by_role("button", name=f"Approve {section.title}").click()
    expect(page.get_by_text(f"“{section.title}” is approved.")).to_be_visible()
    progress = SectionProgress.objects.get(section=section)
    assert (progress.status, progress.approved_by) == (SectionStatus.APPROVED, alpha.manager)


def test_a_facilitator_follows_every_link_of_the_coaching_page(live_server, page, demo):
    base = live_server.url
    sign_in(page, base, "facilitator", "demo-pass-123")
    expect(page.get_by_role("heading", name="Jurisdictions you coach")).to_be_visible()
    assert_accessible(page)
    links = page.locator("main a[href]").evaluate_all("els => els.map(e => e.href)")
    links = sorted({link.split("#")[0] for link in links if link.startswith(base)})
    assert len(links) >= 4
    for link in links:
        response = page.goto(link)
        assert response is not None and response.status == 200, link


def test_a_save_after_an_approval_asks_for_a_reason_on_accessible_pages(
    live_server, page, alpha, workbook
):
    base = live_server.url
    section = first_section(workbook)

    # A brand-new workbook opens on its start page.
    sign_in(page, base, alpha.editor.username)
    page.goto(f"{base}/j/alpha/")
    expect(page.get_by_role("heading", name="Before you start")).to_be_visible()
    expect(page.get_by_role("link", name="Start with section 1")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/accounts/notifications/")
    page.get_by_text("Once a day, in a digest").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your email choice is saved.")).to_be_visible()
    assert_accessible(page)

    # The editor has the section open when the manager approves it.
    complete_section(alpha, section)
    question = section.questions.filter(field_type="short_text", retired_at__isnull=True).first()
    page.goto(f"{base}/j/alpha/workbook/{section.slug}/")
    workflow_actions.approve_section(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section
    )
    page.get_by_label(question.text).fill("Typed after the approval")
    page.get_by_role("button", name="Save and continue later").click()
    expect(
        page.get_by_role("heading", name=re.compile("your changes are not saved yet"))
    ).to_be_visible()
    expect(page.get_by_label(question.text)).to_have_value("Typed after the approval")
    assert_accessible(page)
    page.get_by_label("Why does it need changes?").fill("A late correction.")
    page.get_by_role("button", name="Reopen and save my changes").click()
    expect(page.get_by_text("is reopened and your changes are saved")).to_be_visible()
    progress = SectionProgress.objects.get(section=section)
    assert progress.reopen_reason == "A late correction."

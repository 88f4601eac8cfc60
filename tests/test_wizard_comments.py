"""Comments in the wizard: open threads next to their question, replied to and resolved in place."""

import html
import re

import pytest
from django.urls import reverse

from tests.team_fixtures import first_section
from workbook.comments.actions import add_comment
from workbook.models import Comment
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(workbook):
    return first_section(workbook)


def wizard_url(section) -> str:
    return reverse("workbook:section", kwargs={"jurisdiction_slug": "alpha", "step": section.slug})


def question_groups(page: str) -> dict[str, str]:
    """The markup of each question's group on a wizard page, by question slug."""
    starts = [
        (m.start(), m.group(1))
        for m in re.finditer(r'<div class="[^"]*app-question[^"]*" id="q-([^"]+)-group"', page)
    ]
    ends = [start for start, _ in starts[1:]] + [page.index("</form>", starts[-1][0])]
    return {slug: page[start:end] for (start, slug), end in zip(starts, ends, strict=True)}


def wizard_form(page: str) -> str:
    start = page.index('<form id="wizard-form"')
    return page[start : page.index("</form>", start)]


def comment_form(page: str, form_id: str) -> tuple[str, dict]:
    """Action and hidden fields of one of the comment forms placed after the wizard's form."""
    match = re.search(
        rf'<form id="{form_id}" method="post" action="([^"]+)" hidden>(.*?)</form>', page
    )
    assert match, f"no form {form_id}"
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', match.group(2)))
    return html.unescape(match.group(1)), {k: html.unescape(v) for k, v in fields.items()}


def test_a_managers_comment_shows_next_to_its_question_in_the_wizard(client, alpha, section):
    first, second = list(section.questions.filter(retired_at__isnull=True).order_by("position"))[:2]
    client.force_login(alpha.manager)
    client.post(
        reverse("workbook:section_comments", args=["alpha", section.slug]),
        {"question": second.slug, "body": "Does this include the library?"},
    )
    client.post(
        reverse("workbook:section_comments", args=["alpha", section.slug]),
        {"question": "", "body": "Please finish this section by Friday."},
    )
    assert Comment.objects.count() == 2

    client.force_login(alpha.editor)
    page = client.get(wizard_url(section)).content.decode()
    groups = question_groups(page)
    assert "Does this include the library?" in groups[second.slug]
    assert "Does this include the library?" not in groups[first.slug]
    assert page.count("Does this include the library?") == 1
    # The section's own comment comes before the questions, outside the answers' form.
    assert page.index("Please finish this section by Friday.") < page.index('id="wizard-form"')
    assert "Comments on this section" in page
    # Controls sit among the questions; their forms come after the wizard's (none nested).
    inside = wizard_form(page)
    assert "<form" not in inside[1:]
    thread = Comment.objects.get(question=second)
    assert f'form="comment-reply-{thread.pk}"' in groups[second.slug]
    assert f'form="comment-state-{thread.pk}"' in groups[second.slug]
    assert page.index(f'id="comment-reply-{thread.pk}"') > page.index("</form>")
    assert reverse("workbook:section_comments", args=["alpha", section.slug]) in page


def test_an_editor_replies_resolves_and_reopens_from_the_wizard(client, alpha, section):
    question = section.questions.filter(retired_at__isnull=True).order_by("position").first()
    thread = add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        question=question,
        body="Who signs this off?",
    )
    client.force_login(alpha.editor)
    url = wizard_url(section)
    page = client.get(url).content.decode()

    action, fields = comment_form(page, f"comment-reply-{thread.pk}")
    response = client.post(action, fields | {"body": "The city manager."})
    assert response.status_code == 302
    assert response["Location"] == url  # back to the wizard, not the comments page
    reply = thread.replies.get()
    assert (reply.author, reply.body) == (alpha.editor, "The city manager.")
    page = client.get(url).content.decode()
    assert "The city manager." in question_groups(page)[question.slug]
    assert "Reply added." in page

    action, fields = comment_form(page, f"comment-state-{thread.pk}")
    assert action == reverse("workbook:resolve_comment", args=["alpha", thread.pk])
    response = client.post(action, fields)
    assert response["Location"] == url
    thread.refresh_from_db()
    assert thread.resolved_by == alpha.editor
    page = client.get(url).content.decode()
    assert "Who signs this off?" not in page  # only open threads are shown next to questions
    assert "Comment resolved." in page

    # Resolved threads are on the section's comments page, linked from the wizard; reopening
    # one there puts it back next to its question.
    comments_url = reverse("workbook:section_comments", args=["alpha", section.slug])
    assert comments_url in page
    action, fields = comment_form(
        client.get(comments_url).content.decode(), f"comment-state-{thread.pk}"
    )
    assert action == reverse("workbook:reopen_comment", args=["alpha", thread.pk])
    client.post(action, fields)
    thread.refresh_from_db()
    assert thread.resolved_at is None
    assert "Who signs this off?" in question_groups(client.get(url).content.decode())[question.slug]


def test_viewers_read_comments_in_the_wizard_without_controls(client, alpha, section):
    thread = add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        body="Read me",
    )
    client.force_login(alpha.viewer)
    page = client.get(wizard_url(section)).content.decode()
    assert "Read me" in page
    assert f"comment-reply-{thread.pk}" not in page
    assert f"comment-state-{thread.pk}" not in page


def test_comments_of_another_jurisdiction_never_show(client, alpha, beta, section):
    add_comment(
        access=JurisdictionAccess.of(beta.manager, beta.jurisdiction),
        section=section,
        body="Beta only",
    )
    client.force_login(alpha.editor)
    assert "Beta only" not in client.get(wizard_url(section)).content.decode()

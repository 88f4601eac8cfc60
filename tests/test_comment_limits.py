"""What a comment may contain, kept by the comment action for every caller (app and admin)."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.team_fixtures import first_section
from workbook.comments.actions import COMMENT_MAX_LENGTH, CommentRuleBroken, add_comment
from workbook.comments.forms import CommentForm, ReplyForm
from workbook.models import Comment
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(workbook):
    return first_section(workbook)


@pytest.fixture
def question(section):
    return section.questions.filter(retired_at__isnull=True).first()


def post_admin_comment(client, alpha, about: str, body: str):
    url = reverse("admin:workbook_jurisdiction_comment", args=[alpha.jurisdiction.pk])
    return client.post(url, {"about": about, "body": body})


def error_messages(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "error"]


@pytest.mark.parametrize(
    ("about", "body", "says"),
    [
        ("question:{slug}", "Fine text\x00with a NUL", "control character"),
        ("question:{slug}\x00", "Fine text", "Choose what the comment is about"),
        ("section:{section}\x00", "Fine text", "Choose what the comment is about"),
        ("question:{slug}", "x" * 50_000, "at most 5,000 characters"),
        ("question:{slug}", "bell\x07", "control character"),
    ],
)
def test_the_admin_refuses_a_comment_the_rules_refuse_without_an_error_page(
    client, alpha, facilitator, section, question, about, body, says
):
    client.force_login(facilitator)
    about = about.format(slug=question.slug, section=section.slug)
    response = post_admin_comment(client, alpha, about, body)
    assert response.status_code in (200, 302, 400)
    assert not Comment.objects.exists()
    assert any(says in message for message in error_messages(response)), error_messages(response)


def test_the_admin_stores_a_comment_of_the_largest_size(client, alpha, facilitator, question):
    client.force_login(facilitator)
    body = "y" * COMMENT_MAX_LENGTH
    response = post_admin_comment(client, alpha, f"question:{question.slug}", body)
    assert response.status_code == 302
    assert Comment.objects.get().body == body


def comment(alpha, section, **kwargs) -> Comment:
    return add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section, **kwargs
    )


@pytest.mark.parametrize(
    "body",
    ["", "   \n\t ", "a\x00b", "\x00", "a" * (COMMENT_MAX_LENGTH + 1), "esc\x1b[31m", "del\x7f"],
)
def test_the_action_refuses_an_empty_oversized_or_control_character_body(alpha, section, body):
    with pytest.raises(ValidationError) as refused:
        comment(alpha, section, body=body)
    assert isinstance(refused.value, CommentRuleBroken)
    assert str(refused.value)  # a message to show, not a list repr
    assert not str(refused.value).startswith("[")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("about", ["no-such-question", "\x00", "x\x00y", "a" * 10_000])
def test_the_action_refuses_an_unknown_or_unreadable_about(alpha, section, about):
    with pytest.raises(CommentRuleBroken, match="question"):
        comment(alpha, section, body="Fine", about=about)
    assert not Comment.objects.exists()


def test_about_must_be_a_question_of_that_section(alpha, section, workbook):
    other = workbook.sections.exclude(pk=section.pk).first().questions.first()
    with pytest.raises(CommentRuleBroken):
        comment(alpha, section, body="Fine", about=other.slug)


def test_the_action_keeps_newlines_and_tabs_and_names_the_question(alpha, section, question):
    stored = comment(alpha, section, body="  Line one\r\n\tLine two\r\n", about=question.slug)
    assert stored.body == "Line one\n\tLine two"
    assert stored.question == question
    whole = comment(alpha, section, body="About everything", about="")
    assert whole.question is None
    assert comment(alpha, section, body="z" * COMMENT_MAX_LENGTH, about=None).question is None


def test_a_reply_is_held_to_the_same_rules(alpha, section):
    thread = comment(alpha, section, body="Start")
    for body in ("a\x00b", "a" * (COMMENT_MAX_LENGTH + 1), " "):
        with pytest.raises(CommentRuleBroken):
            add_comment(
                access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
                section=section,
                body=body,
                parent=thread,
            )
    assert not thread.replies.exists()


def test_the_app_forms_use_the_actions_limit():
    assert CommentForm().fields["body"].max_length == COMMENT_MAX_LENGTH
    assert ReplyForm().fields["body"].max_length == COMMENT_MAX_LENGTH

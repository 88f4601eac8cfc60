"""Comments: who may start, reply, resolve; grouping for the wizard; the section comments page."""

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.team_fixtures import first_section
from workbook.comments.actions import (
    CommentRuleBroken,
    add_comment,
    comment_permissions,
    open_comments,
    reopen_comment,
    resolve_comment,
)
from workbook.models import Comment
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(workbook):
    return first_section(workbook)


def test_manager_comments_on_a_question_and_editor_replies_and_resolves(client, alpha, section):
    question = section.questions.first()
    client.force_login(alpha.manager)
    url = reverse("workbook:section_comments", args=["alpha", section.slug])
    response = client.post(url, {"body": "Who signs this off?", "question": question.slug})
    assert response.status_code == 302
    thread = Comment.objects.get()
    assert (thread.question, thread.author) == (question, alpha.manager)

    client.force_login(alpha.editor)
    page = client.get(url).content.decode()
    assert "Who signs this off?" in page
    assert "Add a comment" not in page  # editors reply, they do not start threads
    client.post(
        reverse("workbook:reply_to_comment", args=["alpha", thread.pk]),
        {"body": "The city manager.", "next": url},
    )
    assert thread.replies.get().author == alpha.editor
    response = client.post(
        reverse("workbook:resolve_comment", args=["alpha", thread.pk]), {"next": url}
    )
    assert response["Location"] == url
    thread.refresh_from_db()
    assert thread.resolved_by == alpha.editor
    assert open_comments(alpha.jurisdiction, section) == {}

    client.post(reverse("workbook:reopen_comment", args=["alpha", thread.pk]))
    thread.refresh_from_db()
    assert thread.resolved_at is None


def test_editors_cannot_start_threads_and_viewers_cannot_reply(client, alpha, section):
    client.force_login(alpha.editor)
    url = reverse("workbook:section_comments", args=["alpha", section.slug])
    assert client.post(url, {"body": "Hello"}).status_code == 403
    thread = add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        body="Check this",
    )
    client.force_login(alpha.viewer)
    assert (
        client.post(reverse("workbook:reply_to_comment", args=["alpha", thread.pk]), {"body": "x"})
    ).status_code == 403
    assert (
        client.post(reverse("workbook:resolve_comment", args=["alpha", thread.pk])).status_code
        == 403
    )
    assert Comment.objects.count() == 1
    assert Comment.objects.get().resolved_at is None


def test_facilitator_comments_only_where_assigned(alpha, beta, facilitator, section):
    add_comment(
        access=JurisdictionAccess.of(facilitator, alpha.jurisdiction), section=section, body="Nice"
    )
    with pytest.raises(PermissionDenied):
        add_comment(
            access=JurisdictionAccess.of(facilitator, beta.jurisdiction), section=section, body="x"
        )


def test_a_comment_must_belong_to_the_section_and_not_be_empty(alpha, section, workbook):
    other = workbook.sections.exclude(pk=section.pk).first()
    with pytest.raises(CommentRuleBroken):
        add_comment(
            access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
            section=section,
            question=other.questions.first(),
            body="Wrong place",
        )
    with pytest.raises(CommentRuleBroken):
        add_comment(
            access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
            section=section,
            body=" ",
        )


def test_replying_to_a_resolved_thread_reopens_it(alpha, section):
    thread = add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section, body="a"
    )
    resolve_comment(access=JurisdictionAccess.of(alpha.editor, thread.jurisdiction), comment=thread)
    add_comment(
        access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
        section=section,
        body="b",
        parent=thread,
    )
    thread.refresh_from_db()
    assert thread.resolved_at is None
    reopen_comment(access=JurisdictionAccess.of(alpha.editor, thread.jurisdiction), comment=thread)


def test_open_comments_groups_by_question_in_two_queries(alpha, section, django_assert_num_queries):
    questions = list(section.questions.all()[:3])
    for question in questions:
        for n in range(3):
            thread = add_comment(
                access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
                section=section,
                question=question,
                body=f"{question.slug} {n}",
            )
            add_comment(
                access=JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
                section=section,
                body="reply",
                parent=thread,
            )
    add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section, body="all"
    )
    resolved = add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        body="done",
    )
    resolve_comment(
        access=JurisdictionAccess.of(alpha.manager, resolved.jurisdiction), comment=resolved
    )

    with django_assert_num_queries(2):
        grouped = open_comments(alpha.jurisdiction, section)
        seen = [
            (t.author, t.question, [r.author for r in t.replies.all()])
            for threads in grouped.values()
            for t in threads
        ]
    assert len(seen) == 10
    assert set(grouped) == {None} | {q.slug for q in questions}
    assert [c.body for c in grouped[None]] == ["all"]
    assert len(grouped[questions[0].slug]) == 3


def test_comments_include_renders_reply_and_resolve_forms(alpha, section):
    thread = add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        body="<b>bold</b>",
    )
    request = RequestFactory().get("/j/alpha/wizard/")
    request.user = alpha.editor
    html = render_to_string(
        "workbook/_comments.html",
        {
            "comments": open_comments(alpha.jurisdiction, section)[None],
            "jurisdiction": alpha.jurisdiction,
            "comment_perms": comment_permissions(
                JurisdictionAccess.of(alpha.editor, alpha.jurisdiction)
            ),
        },
        request=request,
    )
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert reverse("workbook:reply_to_comment", args=["alpha", thread.pk]) in html
    assert reverse("workbook:resolve_comment", args=["alpha", thread.pk]) in html
    assert 'value="/j/alpha/wizard/"' in html


def test_next_must_stay_on_this_site(client, alpha, section):
    thread = add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction), section=section, body="a"
    )
    client.force_login(alpha.editor)
    response = client.post(
        reverse("workbook:resolve_comment", args=["alpha", thread.pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == reverse(
        "workbook:section_comments", args=["alpha", section.slug]
    )


def test_detached_controls_work_inside_another_form(alpha, section):
    """In the wizard the controls sit inside the wizard's form; their forms come after it."""
    from workbook.comments.actions import wizard_comment_context
    from workbook.comments.counts import comment_counts

    thread = add_comment(
        access=JurisdictionAccess.of(alpha.manager, alpha.jurisdiction),
        section=section,
        body="Check",
    )
    request = RequestFactory().get("/j/alpha/workbook/profile/")
    request.user = alpha.editor
    context = {
        "jurisdiction": alpha.jurisdiction,
        **wizard_comment_context(
            JurisdictionAccess.of(alpha.editor, alpha.jurisdiction),
            section,
            comment_counts(alpha.editor, [alpha.jurisdiction.pk])[alpha.jurisdiction.pk],
        ),
    }
    inner = render_to_string(
        "workbook/_comments.html",
        {**context, "comments": context["comments_by_question"][None], "detached": True},
        request=request,
    )
    assert "<form" not in inner
    assert f'form="comment-reply-{thread.pk}"' in inner
    assert f'form="comment-state-{thread.pk}"' in inner
    outer = render_to_string("workbook/_comment_forms.html", context, request=request)
    assert f'id="comment-reply-{thread.pk}"' in outer
    assert reverse("workbook:resolve_comment", args=["alpha", thread.pk]) in outer
    assert "csrfmiddlewaretoken" in outer

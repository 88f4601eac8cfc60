"""Comments on a section or one answer: start, reply, resolve, reopen, and reading them.

Managers (in the app) and facilitators (in the admin) start threads; editors and managers reply
and resolve. A thread is a top-level comment with its replies; resolving applies to the thread.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from .models import Comment, Jurisdiction, Question, Section
from .permissions import Action, require_may


class CommentRuleBroken(Exception):
    pass


def add_comment(
    *,
    user,
    jurisdiction: Jurisdiction,
    section: Section,
    body: str,
    question: Question | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Start a thread (on the section or one question), or reply to one."""
    body = body.strip()
    if parent is not None:
        require_may(user, jurisdiction, Action.REPLY_TO_COMMENT)
        if parent.jurisdiction_id != jurisdiction.pk or parent.parent_id is not None:
            raise CommentRuleBroken("Replies go to a top-level comment of this jurisdiction.")
        section, question = parent.section, parent.question
    else:
        require_may(user, jurisdiction, Action.START_COMMENT)
    if not body:
        raise CommentRuleBroken("Write a comment first.")
    if section.workbook_id != jurisdiction.workbook_id:
        raise CommentRuleBroken("That section is not part of this workbook.")
    if question is not None and question.section_id != section.pk:
        raise CommentRuleBroken("That question is not in this section.")
    with transaction.atomic():
        comment = Comment.objects.create(
            jurisdiction=jurisdiction,
            section=section,
            question=question,
            parent=parent,
            author=user,
            body=body,
        )
        if parent is not None and parent.resolved_at is not None:
            # A reply to a resolved thread means the matter is open again.
            Comment.objects.filter(pk=parent.pk).update(resolved_at=None, resolved_by=None)
    return comment


def resolve_comment(*, user, comment: Comment) -> Comment:
    require_may(user, comment.jurisdiction, Action.RESOLVE_COMMENT)
    thread = _thread(comment)
    with transaction.atomic():
        Comment.objects.filter(pk=thread.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=user
        )
    thread.refresh_from_db(fields=["resolved_at", "resolved_by"])
    return thread


def reopen_comment(*, user, comment: Comment) -> Comment:
    require_may(user, comment.jurisdiction, Action.RESOLVE_COMMENT)
    thread = _thread(comment)
    with transaction.atomic():
        Comment.objects.filter(pk=thread.pk).update(resolved_at=None, resolved_by=None)
    thread.refresh_from_db(fields=["resolved_at", "resolved_by"])
    return thread


def _thread(comment: Comment) -> Comment:
    return comment.parent if comment.parent_id else comment


def _threads(jurisdiction: Jurisdiction, section: Section, *, include_resolved: bool):
    threads = Comment.objects.filter(
        jurisdiction=jurisdiction, section=section, parent__isnull=True
    )
    if not include_resolved:
        threads = threads.filter(resolved_at__isnull=True)
    return threads.select_related("author", "question", "resolved_by").prefetch_related(
        Prefetch(
            "replies",
            queryset=Comment.objects.select_related("author").order_by("created_at", "pk"),
        )
    )


def open_comments(jurisdiction: Jurisdiction, section: Section) -> dict[str | None, list[Comment]]:
    """Open threads of a section grouped by question slug (None: about the whole section).

    Two queries whatever the number of comments: threads, then all their replies.
    """
    grouped: dict[str | None, list[Comment]] = defaultdict(list)
    for thread in _threads(jurisdiction, section, include_resolved=False):
        grouped[thread.question.slug if thread.question_id else None].append(thread)
    return dict(grouped)


def wizard_comment_context(membership, section: Section) -> dict:
    """What the wizard's section page needs to show comments next to each question."""
    from .permissions import comment_permissions

    return {
        "comments_by_question": open_comments(membership.jurisdiction, section),
        "comment_perms": comment_permissions(membership),
    }


def section_threads(jurisdiction: Jurisdiction, section: Section) -> list[Comment]:
    """Every thread of a section, open and resolved, oldest first (the comments page)."""
    return list(_threads(jurisdiction, section, include_resolved=True))

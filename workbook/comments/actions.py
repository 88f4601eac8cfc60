"""Comments on a section or one answer: start, reply, resolve, reopen, and reading them.

Managers (in the app) and facilitators (in the admin) start threads; editors and managers reply
and resolve. A thread is a top-level comment with its replies; resolving applies to the thread.
"""

import unicodedata
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from workbook.audit.record import record
from workbook.comments.counts import CommentCounts
from workbook.models import AuditKind, Comment, Jurisdiction, Question, Section
from workbook.notifications import notify
from workbook.security.access import Action, JurisdictionAccess

# The one limit of a comment's length; the app's comment forms use it too.
COMMENT_MAX_LENGTH = 5000
# Control characters a comment keeps; PostgreSQL refuses NUL in text and the rest is noise.
ALLOWED_CONTROL_CHARACTERS = frozenset("\n\t")


class CommentRuleBroken(ValidationError):
    """A comment the rules refuse; str() is the message to show."""

    def __str__(self) -> str:
        return " ".join(self.messages)


def add_comment(
    *,
    access: JurisdictionAccess,
    section: Section,
    body: str,
    about: str | None = None,
    question: Question | None = None,
    parent: Comment | None = None,
    request=None,
) -> Comment:
    """Start a thread (on the section or one question), or reply to one.

    A thread names its question either by `about`, the slug as a form sent it (empty or None:
    the whole section), or by `question` when the caller holds it already. A reply is about
    what its thread is about.
    """
    user, jurisdiction = access.user, access.jurisdiction
    if parent is not None:
        access.require(Action.REPLY_TO_COMMENT)
        if parent.jurisdiction_id != jurisdiction.pk or parent.parent_id is not None:
            raise CommentRuleBroken("Replies go to a top-level comment of this jurisdiction.")
        section, question = parent.section, parent.question
    else:
        access.require(Action.START_COMMENT)
        if about:
            question = _question_about(section, about)
    body = _clean_body(body)
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
        record(
            AuditKind.COMMENT_ADDED,
            user=user,
            jurisdiction=jurisdiction,
            request=request,
            comment=comment.pk,
            section=section.slug,
            reply_to=parent.pk if parent is not None else None,
        )
        notify.after_commit(notify.comment_added, comment)
    return comment


def _clean_body(body: str) -> str:
    """The body as stored (line breaks as the browser's CRLF become LF), or CommentRuleBroken."""
    body = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not body:
        raise CommentRuleBroken("Write a comment first.")
    if len(body) > COMMENT_MAX_LENGTH:
        raise CommentRuleBroken(
            f"A comment can be at most {COMMENT_MAX_LENGTH:,} characters; this one has"
            f" {len(body):,}. Shorten it and try again."
        )
    if _has_control_character(body):
        raise CommentRuleBroken(
            "The comment contains a control character (such as NUL) that cannot be stored."
            " Remove it, or paste the text as plain text, and try again."
        )
    return body


def _question_about(section: Section, about: str) -> Question:
    slug_length = Question._meta.get_field("slug").max_length
    # Checked before the query: PostgreSQL refuses a NUL in any text parameter.
    fits = slug_length is None or len(about) <= slug_length
    if fits and not _has_control_character(about):
        question = Question.active.filter(section=section, slug=about).first()
        if question is not None:
            return question
    raise CommentRuleBroken("Choose one of this section's questions, or the whole section.")


def _has_control_character(text: str) -> bool:
    return any(
        unicodedata.category(character) == "Cc" and character not in ALLOWED_CONTROL_CHARACTERS
        for character in text
    )


def resolve_comment(*, access: JurisdictionAccess, comment: Comment, request=None) -> Comment:
    return _set_resolved(access, comment, resolved=True, request=request)


def reopen_comment(*, access: JurisdictionAccess, comment: Comment, request=None) -> Comment:
    return _set_resolved(access, comment, resolved=False, request=request)


def _set_resolved(access: JurisdictionAccess, comment: Comment, *, resolved: bool, request):
    access.require(Action.RESOLVE_COMMENT)
    if comment.jurisdiction_id != access.jurisdiction.pk:
        raise CommentRuleBroken("That comment is not part of this jurisdiction.")
    thread = _thread(comment)
    with transaction.atomic():
        threads = Comment.objects.filter(pk=thread.pk)
        if resolved:
            threads.filter(resolved_at__isnull=True).update(
                resolved_at=timezone.now(), resolved_by=access.user
            )
        else:
            threads.update(resolved_at=None, resolved_by=None)
        record(
            AuditKind.COMMENT_RESOLVED if resolved else AuditKind.COMMENT_REOPENED,
            user=access.user,
            jurisdiction=access.jurisdiction,
            request=request,
            comment=thread.pk,
            section=thread.section.slug,
        )
    thread.refresh_from_db(fields=["resolved_at", "resolved_by"])
    return thread


def _thread(comment: Comment) -> Comment:
    return comment.parent or comment


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


def wizard_comment_context(
    access: JurisdictionAccess, section: Section, counts: CommentCounts
) -> dict:
    """What the wizard's section page needs to show comments next to each question.

    `counts` are the jurisdiction's comment counts, which the page reads for its step list:
    most sections have no open thread, and then no thread is read.
    """
    has_open_threads = counts.by_section.get(section.pk, CommentCounts()).open > 0
    return {
        "comments_by_question": (
            open_comments(access.jurisdiction, section) if has_open_threads else {}
        ),
        "comment_perms": comment_permissions(access),
    }


def comment_permissions(access: JurisdictionAccess) -> dict[str, bool]:
    """What the comment templates may offer: start, reply, resolve/reopen."""
    return {
        "start": access.can(Action.START_COMMENT),
        "reply": access.can(Action.REPLY_TO_COMMENT),
        "resolve": access.can(Action.RESOLVE_COMMENT),
    }


def section_threads(jurisdiction: Jurisdiction, section: Section) -> list[Comment]:
    """Every thread of a section, open and resolved, oldest first (the comments page)."""
    return list(_threads(jurisdiction, section, include_resolved=True))

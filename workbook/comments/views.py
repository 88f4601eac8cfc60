"""Comment pages of a section: threads, replies, resolving. Thin: actions change state."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse

from workbook.comments import actions as comment_actions
from workbook.comments.forms import CommentForm, ReplyForm
from workbook.content.cache import section_or_404
from workbook.models import Comment, Question
from workbook.security.access import Action, JurisdictionAccess
from workbook.security.redirects import redirect_back


def _comment(access: JurisdictionAccess, comment_id: int) -> Comment:
    return access.get_or_404(Comment, pk=comment_id)


@login_required
def section_comments(request, jurisdiction_slug, section_slug):
    """Every comment thread of a section, grouped by question; managers start new ones here."""
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    membership = access.membership
    section = section_or_404(membership, section_slug)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    questions = list(Question.active.filter(section=section).order_by("position"))
    form = CommentForm(request.POST if request.method == "POST" else None, questions=questions)
    if request.method == "POST":
        access.require(Action.START_COMMENT)
        if form.is_valid():
            slug = form.cleaned_data["question"]
            try:
                comment_actions.add_comment(
                    access=access,
                    section=section,
                    question=next((q for q in questions if q.slug == slug), None),
                    body=form.cleaned_data["body"],
                )
            except comment_actions.CommentRuleBroken as error:
                form.add_error("body", str(error))
            else:
                messages.success(request, "Comment added.")
                return redirect_back(request, request.path)

    threads = comment_actions.section_threads(access.jurisdiction, section)
    by_question: dict = {}
    for thread in threads:
        by_question.setdefault(thread.question_id, []).append(thread)
    groups = [(None, by_question.get(None, []))] + [
        (q, by_question[q.pk]) for q in questions if q.pk in by_question
    ]
    return render(
        request,
        "workbook/comments.html",
        {
            "jurisdiction": access.jurisdiction,
            "membership": membership,
            "access": access,
            "section": section,
            "groups": groups,
            "thread_count": len(threads),
            "form": form,
            "comment_perms": comment_actions.comment_permissions(access),
        },
        status=400 if request.method == "POST" else 200,
    )


def _comments_url(comment: Comment) -> str:
    return reverse(
        "workbook:section_comments", args=[comment.jurisdiction.slug, comment.section.slug]
    )


@login_required
def reply_to_comment(request, jurisdiction_slug, comment_id):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    comment = _comment(access, comment_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access.require(Action.REPLY_TO_COMMENT)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            comment_actions.add_comment(
                access=access,
                section=comment.section,
                body=form.cleaned_data["body"],
                parent=comment.parent or comment,
            )
        except comment_actions.CommentRuleBroken as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Reply added.")
    else:
        messages.error(request, "Write a reply first.")
    return redirect_back(request, _comments_url(comment))


def _set_comment_resolved(request, jurisdiction_slug, comment_id, *, resolved: bool):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    comment = _comment(access, comment_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access.require(Action.RESOLVE_COMMENT)
    if resolved:
        comment_actions.resolve_comment(access=access, comment=comment, request=request)
        messages.success(request, "Comment resolved.")
    else:
        comment_actions.reopen_comment(access=access, comment=comment, request=request)
        messages.success(request, "Comment reopened.")
    return redirect_back(request, _comments_url(comment))


@login_required
def resolve_comment(request, jurisdiction_slug, comment_id):
    return _set_comment_resolved(request, jurisdiction_slug, comment_id, resolved=True)


@login_required
def reopen_comment(request, jurisdiction_slug, comment_id):
    return _set_comment_resolved(request, jurisdiction_slug, comment_id, resolved=False)

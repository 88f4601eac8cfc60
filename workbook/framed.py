"""Pages of kept markup in their frame (decision 24): base.html around a kept body, the whole
page kept too when nothing in the frame is this request's alone."""

from collections.abc import Callable, Hashable
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from workbook.kept import Kept, render_kept, with_csrf_token
from workbook.wizard.posted import saved_submissions


def framed_page(
    request: HttpRequest,
    template_name: str,
    context: Callable[[], dict[str, Any]],
    kept: Kept[Any] | None = None,
    key: Hashable | None = None,
) -> HttpResponse:
    """A page of kept markup in its frame: `template_name` extends base.html and shows the
    kept markup that `context()` gives as "body".

    With `kept` and `key`, the key of everything `context()` is made from, the whole page is
    kept as well, under that key and what the frame shows of this request: who is signed in
    and which of this session's submits were saved. A page with messages to show is made for
    its request (showing them uses them up), as is one without a key."""
    if kept is None or key is None or len(get_messages(request)):
        made = context()
        made["body"] = with_csrf_token(request, made["body"])
        return render(request, template_name, made)
    user = request.user
    saved = tuple(saved_submissions(request)["wizard_saved_submissions"])
    page = kept.get(
        ("page", key, user.pk, user.get_username(), saved),
        lambda: _frame(request, template_name, context(), user, saved),
    )
    return HttpResponse(with_csrf_token(request, page))


def _frame(request, template_name, context, user, saved) -> str:
    """The page for keeping: the frame knows of the request only what its key names."""
    frame = {"user": user, "wizard_saved_submissions": saved, "messages": ()}
    body = mark_safe(context["body"])  # noqa: S308 - kept markup, escaped when it was made
    return render_kept(request, template_name, {**context, **frame, "body": body})

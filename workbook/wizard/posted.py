"""What a section page posts besides its answers, and the saved-submit ids it is told of."""

import json
import re

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest

ACTION_FIELD = "wizard_action"
GOTO_FIELD = "wizard_goto_step"
KEEP_PREFIX = "keep--"
# Fingerprints of the values a page was built from (JSON), for the three-way merge of a save
# with saves made since (answers.merge_changes); and the questions a conflict page asks about.
BASE_FIELD = "base"
MUST_CHOOSE_FIELD = "must_choose"
# The reason given for reopening an approved section to save a change to it.
REOPEN_REASON_FIELD = "reopen_reason"
REOPEN_AND_SAVE = "reopen_save"
# wizard.js names each plain submit and keeps a copy of the form in the tab until a page confirms
# that this very submit was saved. A redirect to sign-in (session expired) drops the POST, and a
# version number could have been raised by someone else: only the submit's own id is proof.
SUBMISSION_FIELD = "submission"
SUBMISSION_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
SAVED_SUBMISSIONS = "wizard_saved_submissions"
# A few, for the other tabs of the same session; ids are never reused, so an old one is harmless.
SAVED_SUBMISSIONS_KEPT = 5
# Posted fields that belong to the page, not to the answers (never re-posted on a conflict).
PAGE_FIELDS = {
    "csrfmiddlewaretoken",
    "version",
    BASE_FIELD,
    MUST_CHOOSE_FIELD,
    ACTION_FIELD,
    GOTO_FIELD,
    SUBMISSION_FIELD,
    REOPEN_REASON_FIELD,
}


def posted_base(request: HttpRequest) -> dict[str, str] | None:
    """The page's base as posted; None from a client that sends none (then nothing is merged)."""
    raw = request.POST.get(BASE_FIELD)
    if raw is None:
        return None
    try:
        base = json.loads(raw)
    except ValueError:
        raise SuspiciousOperation("The page's base is not valid JSON.") from None
    if not isinstance(base, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in base.items()
    ):
        raise SuspiciousOperation("The page's base is not a map of fingerprints.")
    return base


def saved_submissions(request: HttpRequest) -> dict[str, list[str]]:
    """Context processor: ids of this session's plain submits that were saved (read-only)."""
    session = getattr(request, "session", None)
    return {
        "wizard_saved_submissions": session.get(SAVED_SUBMISSIONS, [])
        if session is not None
        else []
    }

"""The conflict page: two people changed the same answers; the user chooses, nothing is lost."""

import json

from django.http import HttpResponse, JsonResponse
from formtools.wizard.forms import ManagementForm

from workbook.answers.actions import StaleVersion
from workbook.answers.presenter import value_view
from workbook.answers.rules import (
    fingerprint,
)
from workbook.wizard.forms import SectionForm
from workbook.wizard.posted import BASE_FIELD, KEEP_PREFIX, MUST_CHOOSE_FIELD, PAGE_FIELDS


def conflict_response(wizard, form: SectionForm, stale: StaleVersion) -> HttpResponse:
    """Someone else changed the same questions: show both texts of each, choose neither.

    Everything the user typed is re-posted, with the page's base moved on to the newer text
    of the questions in conflict, so the next save is an ordinary one at the current version.
    """
    section = wizard.section
    saved = stale.theirs
    mine = form.answer_values()
    differing = [q for q in wizard.state.questions[section.pk] if q.slug in stale.conflicts]
    if wizard.autosave:
        return JsonResponse(
            {
                "error": "conflict",
                "version": stale.current_version,
                "questions": [q.slug for q in differing],
            },
            status=409,
        )
    reposted = [
        (key, value)
        for key, values in wizard.request.POST.lists()
        if key not in PAGE_FIELDS and not key.startswith(KEEP_PREFIX)
        for value in values
    ]
    items = [
        {
            "question": q,
            "mine": value_view(q, mine.get(q.slug)),
            "theirs": value_view(q, saved.get(q.slug)),
            "keep_name": f"{KEEP_PREFIX}{q.slug}",
        }
        for q in differing
    ]
    context = wizard.base_context()
    context.update(
        {
            "draft_key": wizard.draft_key,
            "items": items,
            "reposted": reposted,
            "version": stale.current_version,
            "base": json.dumps(
                (wizard.base or {}) | {q.slug: fingerprint(saved.get(q.slug)) for q in differing}
            ),
            "must_choose": " ".join(q.slug for q in differing),
            "base_field": BASE_FIELD,
            "must_choose_field": MUST_CHOOSE_FIELD,
            "management_form": ManagementForm(
                prefix=wizard.prefix, initial={"current_step": section.slug}
            ),
        }
    )
    return wizard.response_class(
        request=wizard.request,
        template="workbook/conflict.html",
        context=context,
        status=409,
    )

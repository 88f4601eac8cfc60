"""The guided workbook: one URL per section, answers stored in the database at every step.

django-formtools' own storages keep step data in the session or a cookie until the last step,
which loses work when the session expires, shares one key between jurisdictions and ignores
jumps between steps. Here the step data *is* the jurisdiction's Answer rows: `DatabaseStorage`
reads a section's answers as form data and writes them back through `save_section` on every
Next, Back, jump and "Save and continue later". The session keeps only the last section visited,
per jurisdiction, and is written on POST only, so a GET never changes anything.
"""

import json
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from formtools.wizard.forms import ManagementForm
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from workbook.answers.actions import StaleVersion, save_section
from workbook.answers.rules import (
    condition_met,
    display_table,
    display_value,
    edited,
    fingerprint,
    fingerprints,
    is_empty,
    missing_required,
)
from workbook.comments.actions import wizard_comment_context
from workbook.content.cache import workbook_content
from workbook.models import Answer, FieldType, Jurisdiction, Question, Section, SectionProgress
from workbook.security.access import Action, can_edit_answers, get_membership, require
from workbook.wizard.forms import SectionForm, answers_to_data

ACTION_FIELD = "wizard_action"
GOTO_FIELD = "wizard_goto_step"
KEEP_PREFIX = "keep--"
# Fingerprints of the values a page was built from (JSON), for the three-way merge of a save
# with saves made since (answers.merge_changes); and the questions a conflict page asks about.
BASE_FIELD = "base"
MUST_CHOOSE_FIELD = "must_choose"
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
}


@dataclass
class WorkbookState:
    """A jurisdiction's workbook as one request sees it: its cached content, then its answers and
    progress in two queries."""

    jurisdiction: Jurisdiction
    sections: list[Section]
    questions: dict[int, list[Question]]
    values: dict[str, Any]
    progress: dict[int, SectionProgress] = field(default_factory=dict)

    @classmethod
    def load(cls, jurisdiction: Jurisdiction) -> "WorkbookState":
        # Sections and questions are the workbook's cached content (read-only, no query).
        content = workbook_content(jurisdiction.workbook)
        sections = list(content.sections)
        questions = {pk: list(qs) for pk, qs in content.questions.items()}
        # Slugs come from the cached content, so the answers need no join; answers to retired
        # questions are never shown and are left out (a filter on ids in SQL was slower).
        slugs = {q.pk: q.slug for qs in content.questions.values() for q in qs}
        values = {
            slugs[question_id]: value
            for question_id, value in Answer.objects.filter(
                jurisdiction=jurisdiction, use_case__isnull=True
            ).values_list("question_id", "value")
            if question_id in slugs
        }
        progress = {
            p.section_id: p for p in SectionProgress.objects.filter(jurisdiction=jurisdiction)
        }
        return cls(jurisdiction, sections, questions, values, progress)

    def section(self, slug: str) -> Section:
        for section in self.sections:
            if section.slug == slug:
                return section
        raise Http404("No such section in this workbook.")

    def section_values(self, section: Section) -> dict[str, Any]:
        return {
            q.slug: self.values[q.slug] for q in self.questions[section.pk] if q.slug in self.values
        }

    def section_base(self, section: Section) -> dict[str, str]:
        """Fingerprints of every question's stored value, for a page built from them."""
        return {q.slug: fingerprint(self.values.get(q.slug)) for q in self.questions[section.pk]}

    def progress_of(self, section: Section) -> SectionProgress:
        return self.progress.get(section.pk) or SectionProgress(
            jurisdiction=self.jurisdiction, section=section
        )

    def record_save(self, section: Section, values: dict[str, Any], progress: SectionProgress):
        """Reflect a save in this request's view of the workbook (no need to read it again)."""
        for slug, value in values.items():
            if is_empty(value):
                self.values.pop(slug, None)
            else:
                self.values[slug] = value
        self.progress[section.pk] = progress

    def required_counts(self) -> tuple[int, int]:
        """(answered, all) required questions that are currently shown, over the whole workbook."""
        total = missing = 0
        for section in self.sections:
            values = self.section_values(section)
            questions = self.questions[section.pk]
            total += sum(1 for q in questions if q.required and condition_met(q.show_if, values))
            missing += len(missing_required(questions, values))
        return total - missing, total


@dataclass
class SectionDraft:
    """What a step hands to the storage: valid values, the version and the values' fingerprints
    (`base`) the page was read at, and conflicts the person has yet to decide."""

    values: dict[str, Any]
    expected_version: int
    base: dict[str, str] | None = None
    undecided: list[str] = field(default_factory=list)


class DatabaseStorage(BaseStorage):
    """Wizard storage whose step data is the jurisdiction's answers in the database."""

    def __init__(self, prefix, request=None, file_storage=None, *, state: WorkbookState):
        super().__init__(prefix, request, file_storage)
        self.state = state
        self.init_data()
        navigation = request.session.get(self.prefix, {}) if request is not None else {}
        self.data[self.step_key] = navigation.get("step")
        self.last_progress: SectionProgress | None = None

    def _set_current_step(self, step):
        self.data[self.step_key] = step
        # Only a POST remembers where the user was: a GET must not write anything.
        if self.request is not None and self.request.method == "POST":
            self.request.session[self.prefix] = {"step": step}

    def reset(self):
        # Answers are never thrown away by the wizard; only the navigation state is forgotten.
        self.init_data()

    def get_step_data(self, step):
        section = self.state.section(step)
        data = answers_to_data(self.state.questions[section.pk], self.state.section_values(section))
        return data

    def set_step_data(self, step, cleaned_data):
        if not isinstance(cleaned_data, SectionDraft):
            raise TypeError("DatabaseStorage stores SectionDraft objects only.")
        section = self.state.section(step)
        progress = save_section(
            user=self.request.user,
            jurisdiction=self.state.jurisdiction,
            section=section,
            values=cleaned_data.values,
            expected_version=cleaned_data.expected_version,
            base=cleaned_data.base,
            undecided=cleaned_data.undecided,
        )
        written = edited(cleaned_data.values, cleaned_data.base)
        self.state.record_save(section, written, progress)
        self.last_progress = progress

    def get_step_files(self, step):
        return None

    def set_step_files(self, step, files):
        if files:
            raise SuspiciousOperation("The workbook takes no file uploads.")

    def update_response(self, response):
        return None


class SectionWizard(NamedUrlWizardView):
    """One step per workbook section; every submit saves the section, valid or not."""

    storage_name = "workbook.wizard.views.DatabaseStorage"
    template_name = "workbook/section.html"
    # The autosave endpoint is the same view answering in JSON.
    autosave = False
    # Fingerprints of the values the page in the browser shows, once a POST has read them.
    base: dict[str, str] | None = None

    @classmethod
    def get_initkwargs(cls, *args, **kwargs):
        # The steps depend on the jurisdiction's workbook, so they are resolved per request in
        # get_form_list(); formtools' static form_list is left empty.
        return {
            "url_name": kwargs.get("url_name", "workbook:section"),
            "done_step_name": "review",
            "form_list": OrderedDict(),
            "initial_dict": {},
            "instance_dict": {},
            "condition_dict": {},
            "autosave": kwargs.get("autosave", False),
        }

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            if self.autosave:
                return JsonResponse({"error": "signed_out"}, status=401)
            return redirect_to_login(request.get_full_path())
        self.membership = get_membership(request.user, kwargs["jurisdiction_slug"])
        self.jurisdiction = self.membership.jurisdiction
        self.can_edit = can_edit_answers(self.membership)
        self.state = WorkbookState.load(self.jurisdiction)
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = DatabaseStorage(self.prefix, request, state=self.state)
        self.steps = StepsHelper(self)
        # WizardView.dispatch would build a storage from storage_name without our state.
        return TemplateView.dispatch(self, request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs) -> str:
        # Keyed per jurisdiction: two workbooks open in one browser never share state.
        return f"workbook_{kwargs['jurisdiction_slug']}"

    def get_form_list(self):
        return OrderedDict((s.slug, SectionForm) for s in self.state.sections)

    def get_step_url(self, step: str) -> str:
        return reverse(
            self.url_name, kwargs={"jurisdiction_slug": self.jurisdiction.slug, "step": step}
        )

    def get_form(self, step=None, data=None, files=None) -> SectionForm:
        section = self.state.section(step or self.steps.current)
        form_class = workbook_content(self.jurisdiction.workbook).form_class(section)
        form = form_class(data=data, read_only=not self.can_edit)
        return form

    # -- reading -----------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        if self.autosave:
            return HttpResponseNotAllowed(["POST"])
        step = kwargs.get("step")
        if step is None:
            target = self.storage.current_step
            if target not in self.get_form_list():
                target = self.steps.first
            return redirect(self.get_step_url(target))
        if step not in self.get_form_list():
            raise Http404("No such section in this workbook.")
        self.storage.current_step = step
        form = self.get_form(step, data=self.storage.get_step_data(step))
        return self.render(form)

    # -- saving ------------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):
        step = kwargs.get("step")
        if step is None:
            # The bare workbook address only redirects to a section; there is nothing to save.
            return HttpResponseNotAllowed(["GET"])
        if step not in self.get_form_list():
            raise Http404("No such section in this workbook.")
        if not self.can_edit:
            try:
                require(self.membership, Action.EDIT_ANSWERS)  # refuses, and records it
            except PermissionDenied:
                if self.autosave:
                    return JsonResponse({"error": "read_only"}, status=403)
                raise
        management = ManagementForm(request.POST, prefix=self.prefix)
        if not management.is_valid() or management.cleaned_data["current_step"] != step:
            raise SuspiciousOperation("The wizard's step field is missing or was tampered with.")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            raise SuspiciousOperation("The section version is missing or not a number.") from None
        if version < 0:
            raise SuspiciousOperation("The section version is negative.")
        action = request.POST.get(ACTION_FIELD, "")
        add_row_to = action.removeprefix("add_row:") if action.startswith("add_row:") else None
        goto = request.POST.get(GOTO_FIELD)
        if goto and goto not in self.get_form_list():
            raise Http404("No such section in this workbook.")
        self.storage.current_step = step

        form = self.get_form(step, data=request.POST)
        if add_row_to is not None and form.row_count(add_row_to) == 0:
            raise SuspiciousOperation(f"{add_row_to} is not a table of this section.")
        form.is_valid()
        self.expected_version = version
        self.base = _posted_base(request)
        draft = self.process_step(form)
        try:
            self.storage.set_step_data(step, draft)
        except StaleVersion as stale:
            return self.render_conflict(form, stale)
        # The page now shows what this person posted, and the database agrees wherever they
        # changed something: their values are the base of the page's next save.
        self.base = (self.base or {}) | fingerprints(form.answer_values())

        progress = self.storage.last_progress
        if self.autosave:
            return self.autosave_response(form, progress)
        self.confirm_submission()

        if form.error_items() or add_row_to:
            return self.render(form.after_save(add_row_to=add_row_to), status=200)
        if goto:
            return self.render_goto_step(goto)
        if action == "back":
            previous = self.steps.prev
            return self.render_goto_step(previous) if previous else redirect(self.overview_url)
        if action == "save_later":
            messages.success(request, f"Your answers to “{self.section.title}” are saved.")
            return redirect(self.overview_url)
        if action == "stay":
            return redirect(self.get_step_url(step))
        return self.render_next_step(form)

    def confirm_submission(self) -> None:
        """Remember that this plain submit was saved; the next page tells wizard.js (base.html)."""
        submission = self.request.POST.get(SUBMISSION_FIELD, "")
        if not SUBMISSION_ID.fullmatch(submission):
            return
        earlier = [s for s in self.request.session.get(SAVED_SUBMISSIONS, []) if s != submission]
        self.request.session[SAVED_SUBMISSIONS] = [*earlier, submission][-SAVED_SUBMISSIONS_KEPT:]

    def process_step(self, form: SectionForm) -> SectionDraft:
        values = form.answer_values()
        # Conflict resolution: questions where the user chose the saved text are left alone;
        # a question the conflict page asked about stays a conflict until one text is chosen.
        choices = {
            key.removeprefix(KEEP_PREFIX): self.request.POST[key]
            for key in self.request.POST
            if key.startswith(KEEP_PREFIX)
        }
        for slug, choice in choices.items():
            if choice == "theirs":
                values.pop(slug, None)
        asked = self.request.POST.get(MUST_CHOOSE_FIELD, "").split()
        undecided = [s for s in asked if choices.get(s) not in ("mine", "theirs")]
        return SectionDraft(
            values=values,
            expected_version=self.expected_version,
            base=self.base,
            undecided=undecided,
        )

    def render_next_step(self, form, **kwargs):
        following = self.steps.next
        if following is None:
            return redirect("workbook:review", jurisdiction_slug=self.jurisdiction.slug)
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs):
        return redirect("workbook:review", jurisdiction_slug=self.jurisdiction.slug)

    def autosave_response(self, form: SectionForm, progress: SectionProgress) -> JsonResponse:
        answered, required = self.state.required_counts()
        return JsonResponse(
            {
                "version": progress.version,
                "base": json.dumps(self.base),
                "required_answered": answered,
                "required_total": required,
                "status": progress.status,
                "status_label": progress.get_status_display(),
                "saved_at": timezone.now().isoformat(),
                "errors": {item.slug: item.errors for item in form.error_items()},
            }
        )

    def render_conflict(self, form: SectionForm, stale: StaleVersion) -> HttpResponse:
        """Someone else changed the same questions: show both texts of each, choose neither.

        Everything the user typed is re-posted, with the page's base moved on to the newer text
        of the questions in conflict, so the next save is an ordinary one at the current version.
        """
        section = self.section
        saved = stale.theirs
        mine = form.answer_values()
        differing = [q for q in self.state.questions[section.pk] if q.slug in stale.conflicts]
        if self.autosave:
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
            for key, values in self.request.POST.lists()
            if key not in PAGE_FIELDS and not key.startswith(KEEP_PREFIX)
            for value in values
        ]
        items = [
            {
                "question": q,
                "mine": _value_view(q, mine.get(q.slug)),
                "theirs": _value_view(q, saved.get(q.slug)),
                "keep_name": f"{KEEP_PREFIX}{q.slug}",
            }
            for q in differing
        ]
        context = self.base_context()
        context.update(
            {
                "draft_key": self.draft_key,
                "items": items,
                "reposted": reposted,
                "version": stale.current_version,
                "base": json.dumps(
                    (self.base or {}) | {q.slug: fingerprint(saved.get(q.slug)) for q in differing}
                ),
                "must_choose": " ".join(q.slug for q in differing),
                "base_field": BASE_FIELD,
                "must_choose_field": MUST_CHOOSE_FIELD,
                "management_form": ManagementForm(
                    prefix=self.prefix, initial={"current_step": section.slug}
                ),
            }
        )
        return self.response_class(
            request=self.request,
            template="workbook/conflict.html",
            context=context,
            status=409,
        )

    # -- rendering ---------------------------------------------------------------------------

    @property
    def section(self) -> Section:
        return self.state.section(self.steps.current)

    @property
    def draft_key(self) -> str:
        """Where wizard.js keeps unsaved text in the tab: per user, jurisdiction and section."""
        return f"{self.request.user.pk}:{self.jurisdiction.slug}:{self.section.slug}"

    @property
    def overview_url(self) -> str:
        return reverse("workbook:overview", args=[self.jurisdiction.slug])

    def base_context(self) -> dict[str, Any]:
        section = self.section
        answered, required = self.state.required_counts()
        return {
            "jurisdiction": self.jurisdiction,
            "membership": self.membership,
            "section": section,
            "can_edit": self.can_edit,
            "step_list": [
                {
                    "section": s,
                    "status": self.state.progress_of(s).status,
                    "status_label": self.state.progress_of(s).get_status_display(),
                    "url": self.get_step_url(s.slug),
                    "current": s.pk == section.pk,
                }
                for s in self.state.sections
            ],
            "required_answered": answered,
            "required_total": required,
        }

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        context.update(self.base_context())
        section = self.section
        context.update(
            {
                "questions": form.question_fields(),
                "errors": form.error_items(),
                "version": self.state.progress_of(section).version,
                "base": json.dumps(
                    self.base if self.base is not None else self.state.section_base(section)
                ),
                "base_field": BASE_FIELD,
                "previous_url": self.steps.prev and self.get_step_url(self.steps.prev),
                "next_url": self.steps.next and self.get_step_url(self.steps.next),
                "review_url": reverse("workbook:review", args=[self.jurisdiction.slug]),
                "autosave_url": reverse(
                    "workbook:autosave",
                    kwargs={"jurisdiction_slug": self.jurisdiction.slug, "step": section.slug},
                ),
                "draft_key": self.draft_key,
                "comments_url": reverse(
                    "workbook:section_comments", args=[self.jurisdiction.slug, section.slug]
                ),
                "login_url": f"{reverse('login')}?next={self.get_step_url(section.slug)}",
                "action_field": ACTION_FIELD,
                "goto_field": GOTO_FIELD,
            }
        )
        # Open comment threads next to their questions: two queries whatever their number.
        context.update(wizard_comment_context(self.membership, section))
        return context

    def render(self, form=None, status: int = 200, **kwargs):
        context = self.get_context_data(form=form, **kwargs)
        return self.render_to_response(context, status=status)


def _posted_base(request: HttpRequest) -> dict[str, str] | None:
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


def _value_view(question: Question, value: Any) -> dict[str, Any]:
    """A stored value ready for a template: text, or a table's headers and rows."""
    if question.field_type == FieldType.TABLE and not is_empty(value):
        headers, rows = display_table(question, value)
        return {"table": True, "headers": headers, "rows": rows, "empty": False}
    return {"table": False, "text": display_value(question, value), "empty": is_empty(value)}


def review_sections(state: WorkbookState, step_url) -> list[dict[str, Any]]:
    """Every section with its shown questions, their answers and what is still missing."""
    result = []
    for section in state.sections:
        values = state.section_values(section)
        questions = state.questions[section.pk]
        missing = {q.slug for q in missing_required(questions, values)}
        result.append(
            {
                "section": section,
                "progress": state.progress_of(section),
                "url": step_url(section.slug),
                "missing_count": len(missing),
                "answers": [
                    {
                        "question": q,
                        "value": _value_view(q, values.get(q.slug)),
                        "missing": q.slug in missing,
                    }
                    for q in questions
                    if condition_met(q.show_if, values)
                ],
            }
        )
    return result

"""The guided workbook: one URL per section, answers stored in the database at every step.

django-formtools' own storages keep step data in the session or a cookie until the last step,
which loses work when the session expires, shares one key between jurisdictions and ignores
jumps between steps. Here the step data *is* the jurisdiction's Answer rows: `DatabaseStorage`
reads a section's answers as form data and writes them back through `save_section` on every
Next, Back, jump and "Save and continue later". The session keeps only the last section visited,
per jurisdiction, and is written on POST only, so a GET never changes anything.
"""

import json
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.generic import TemplateView
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlWizardView, StepsHelper

from workbook.answers.actions import SectionApproved, StaleVersion
from workbook.answers.inventory import IDEAS_QUESTION, REGISTER_SECTION, ideas_not_in_register
from workbook.answers.rules import fingerprints, values_key
from workbook.comments.actions import wizard_comment_context
from workbook.comments.counts import (
    CommentCounts,
    CountRow,
    comment_count_rows,
    comment_counts,
)
from workbook.content.cache import workbook_content
from workbook.framed import framed_page
from workbook.kept import render_kept
from workbook.models import Answer, Section, SectionProgress, SectionStatus
from workbook.security.access import Action, JurisdictionAccess
from workbook.templatetags.workbook_html import render_partial
from workbook.wizard.conflict import conflict_response
from workbook.wizard.forms import SectionForm
from workbook.wizard.posted import (
    ACTION_FIELD,
    BASE_FIELD,
    GOTO_FIELD,
    KEEP_PREFIX,
    MUST_CHOOSE_FIELD,
    REOPEN_AND_SAVE,
    REOPEN_REASON_FIELD,
    SAVED_SUBMISSIONS,
    SAVED_SUBMISSIONS_KEPT,
    SUBMISSION_FIELD,
    SUBMISSION_ID,
    posted_base,
)
from workbook.wizard.state import WorkbookState
from workbook.wizard.storage import DatabaseStorage, SectionDraft
from workbook.workflow.actions import REOPEN_REASON_MAX_LENGTH, WorkflowRuleBroken
from workbook.workflow.views import section_urls


class SectionWizard(NamedUrlWizardView):
    """One step per workbook section; every submit saves the section, valid or not."""

    storage_name = "workbook.wizard.storage.DatabaseStorage"
    template_name = "workbook/section.html"
    # The autosave endpoint is the same view answering in JSON.
    autosave = False
    # Fingerprints of the values the page in the browser shows, once a POST has read them.
    base: dict[str, str] | None = None
    # Set when a save was refused because the section is approved: the page asks for a reason.
    approval_prompt: str | None = None

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

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            if self.autosave:
                return JsonResponse({"error": "signed_out"}, status=401)
            return redirect_to_login(request.get_full_path())
        self.access = JurisdictionAccess.open(
            request.user, kwargs["jurisdiction_slug"], members_only=True
        )
        self.membership = self.access.membership
        self.jurisdiction = self.access.jurisdiction
        self.can_edit = self.access.can(Action.EDIT_ANSWERS)
        # A page shows the sections' progress; a save that redirects never reads it.
        self.state = WorkbookState.load(self.jurisdiction, with_progress=request.method == "GET")
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = DatabaseStorage(self.prefix, request, state=self.state, access=self.access)
        self.steps = StepsHelper(self)
        # WizardView.dispatch would build a storage from storage_name without our state.
        return TemplateView.dispatch(self, request, *args, **kwargs)

    def get_prefix(self, request, *args, **kwargs) -> str:
        # Keyed per jurisdiction: two workbooks open in one browser never share state.
        return f"workbook_{kwargs['jurisdiction_slug']}"

    def get_form_list(self):
        return OrderedDict((s.slug, SectionForm) for s in self.state.sections)

    def get_step_url(self, step: str) -> str:
        return self.step_urls(step)

    @cached_property
    def step_urls(self) -> Callable[[str], str]:
        return section_urls(self.jurisdiction.slug, self.url_name)

    def get_form(self, step=None, data=None, files=None) -> SectionForm:
        section = self.state.section(step or self.steps.current)
        form_class = workbook_content(self.jurisdiction.workbook).form_class(section)
        return form_class(data=data, read_only=self.read_only(section))

    def read_only(self, section: Section) -> bool:
        """Whether the section's form shows its answers without letting them be changed."""
        # An approved section is read only until reopened; a POST still reads what was typed
        # (on a page loaded before the approval), and the save decides (SectionApproved).
        locked = self.request.method != "POST" and self.is_approved(section)
        return not self.can_edit or locked

    def is_approved(self, section: Section) -> bool:
        return self.state.progress_of(section).status == SectionStatus.APPROVED

    # -- reading -----------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        if self.autosave:
            return HttpResponseNotAllowed(["POST"])
        step = kwargs.get("step")
        if step is None:
            return redirect(self.get_step_url(self.resume_step()))
        if step not in self.get_form_list():
            raise Http404("No such section in this workbook.")
        self.storage.current_step = step
        # Built only if the page's questions are not kept already (questions_context).
        form = SimpleLazyObject(lambda: self.get_form(step, data=self.storage.get_step_data(step)))
        return self.render(form)

    def resume_step(self) -> str:
        """Where this user left off: the section last visited in this session, else the one
        they last saved an answer in, else the first section the team has not finished."""
        steps = self.get_form_list()
        if self.storage.current_step in steps:
            return self.storage.current_step
        last = (
            Answer.objects.filter(
                jurisdiction=self.jurisdiction,
                updated_by=self.request.user,
                use_case__isnull=True,
                question__section__slug__in=list(steps),
            )
            .order_by("-updated_at")
            .values_list("question__section__slug", flat=True)
            .first()
        )
        if last:
            return last
        unfinished = (SectionStatus.NOT_STARTED, SectionStatus.IN_PROGRESS)
        for section in self.state.sections:
            if self.state.progress_of(section).status in unfinished:
                return section.slug
        return self.steps.first

    # -- saving ------------------------------------------------------------------------------

    def post(self, request, *args, **kwargs):  # noqa: C901 - the refusals in order, then the reply
        step = kwargs.get("step")
        if step is None:
            # The bare workbook address only redirects to a section; there is nothing to save.
            return HttpResponseNotAllowed(["GET"])
        if step not in self.get_form_list():
            raise Http404("No such section in this workbook.")
        if not self.can_edit:
            # Refused before the form is read: nothing of a save it cannot make is worth doing.
            try:
                self.access.require(Action.EDIT_ANSWERS)
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
        self.base = posted_base(request)
        draft = self.process_step(form)
        try:
            self.storage.set_step_data(step, draft)
        except StaleVersion as stale:
            return self.render_conflict(form, stale)
        except SectionApproved as approved:
            return self.render_approval_prompt(form, approved, asked=action == REOPEN_AND_SAVE)
        except WorkflowRuleBroken as error:  # the reason given to reopen is too long
            self.approval_prompt = str(error)
            return self.render(form, status=400)

        progress = cast(SectionProgress, self.storage.last_progress)  # set by set_step_data
        if self.autosave:
            self.move_base_on(form)
            return self.autosave_response(form, progress)
        self.confirm_submission()

        # error_items() builds the page's fields: only worth it when a field has an error.
        if (form.errors and form.error_items()) or add_row_to:
            self.move_base_on(form)
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
        if action == REOPEN_AND_SAVE:
            messages.success(
                request, f"“{self.section.title}” is reopened and your changes are saved."
            )
            return redirect(self.get_step_url(step))
        return self.render_next_step(form)

    def move_base_on(self, form: SectionForm) -> None:
        """After a save shown on the page: it shows what this person posted, and the database
        agrees wherever they changed something, so their values are the next save's base."""
        self.base = (self.base or {}) | fingerprints(form.answer_values())

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
            reopen_reason=self.request.POST.get(REOPEN_REASON_FIELD, "").strip(),
        )

    def render_approval_prompt(
        self, form: SectionForm, approved: SectionApproved, *, asked: bool
    ) -> HttpResponse:
        """The section was approved: ask for a reason to reopen it, keeping what was typed."""
        if self.autosave:
            return JsonResponse({"error": "approved", "message": str(approved)}, status=423)
        self.approval_prompt = (
            "Say briefly why the section needs changes." if asked else str(approved)
        )
        # The page shows the saved state's version, so that "Reopen and save" is a normal save.
        self.state = WorkbookState.load(self.jurisdiction)
        return self.render(form, status=409)

    def render_next_step(self, form, **kwargs):
        following = self.steps.next
        if following is None:
            return redirect("workbook:review", jurisdiction_slug=self.jurisdiction.slug)
        return super().render_next_step(form, **kwargs)

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
        return conflict_response(self, form, stale)

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

    @cached_property
    def comment_count_rows(self) -> tuple[CountRow, ...]:
        return comment_count_rows(self.request.user, [self.jurisdiction.pk])

    @cached_property
    def comment_counts(self) -> CommentCounts:
        """The jurisdiction's comment counts: the step list shows them, and they tell whether the
        section has open threads to read."""
        pk = self.jurisdiction.pk
        return comment_counts(self.request.user, [pk], self.comment_count_rows)[pk]

    def base_context(self) -> dict[str, Any]:
        section = self.section
        answered, required = self.state.required_counts()
        progress = self.state.progress_of(section)
        locked = self.is_approved(section) and self.approval_prompt is None
        comments = self.comment_counts
        return {
            "jurisdiction": self.jurisdiction,
            "membership": self.membership,
            "access": self.access,
            "section": section,
            "progress": progress,
            "locked": locked,
            # What the page offers: a form to fill in, or (an approved section) the answers.
            "can_edit": self.can_edit and not locked,
            "approval_prompt": self.approval_prompt,
            "reopen_reason_field": REOPEN_REASON_FIELD,
            "reopen_reason_max": REOPEN_REASON_MAX_LENGTH,
            "step_list": [
                {
                    "section": s,
                    "status": self.state.progress_of(s).status,
                    "status_label": self.state.progress_of(s).get_status_display(),
                    "url": self.get_step_url(s.slug),
                    "current": s.pk == section.pk,
                    "comments": comments.by_section.get(s.pk, CommentCounts()),
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
        if section.slug == REGISTER_SECTION:
            uses = list(self.jurisdiction.use_cases.order_by("name"))
            context["register_uses"] = uses
            context["register_ideas"] = ideas_not_in_register(
                self.state.values.get(IDEAS_QUESTION), [u.name for u in uses]
            )
        # Open comment threads next to their questions: two queries whatever their number, none
        # when the section has none.
        context.update(wizard_comment_context(self.access, section, self.comment_counts))
        context.update(self.questions_context(form, context))
        return context

    def questions_context(self, form: SectionForm, context: dict[str, Any]) -> dict[str, Any]:
        """The questions and what the error summary lists: for a page of the stored answers
        without comments, their markup made once per answers and kept (workbook.kept)."""
        if self.request.method != "GET" or context["comments_by_question"]:
            # Typed text shown again, or comments with their forms: made for this request, by
            # the page's `{% partial %}` with the request's context.
            return {
                "questions": form.question_fields(),
                "question_groups": form.question_groups(),
                "errors": form.attention_items(),
                "invalid": bool(form.error_items()),
            }
        section = self.section
        # All the markup depends on: the questions (kept with the content), the answers, and
        # whether they can be changed. The jurisdiction too, so that none is ever made from
        # another's.
        key = (
            "section",
            self.jurisdiction.pk,
            section.pk,
            self.read_only(section),
            context["can_edit"],
            values_key(self.state.section_values(section)),
        )
        return self.state.content.markup.get(key, partial(kept_questions, form, context))

    def render(self, form=None, status: int = 200, **kwargs):
        key = self.kept_page_key()
        make = partial(self.page_body, form, **kwargs)

        def context() -> dict[str, Any]:
            body, invalid = make() if key is None else self.state.content.markup.get(key, make)
            return {
                "jurisdiction": self.jurisdiction,
                "section": self.section,
                "invalid": invalid,
                "body": body,
            }

        response = framed_page(
            self.request, self.template_name, context, self.state.content.markup, key
        )
        response.status_code = status
        return response

    def kept_page_key(self) -> tuple | None:
        """Everything the body of a page of the stored answers is made from (decision 22), or
        None for a page made for its request alone: typed text shown again, a reason asked for,
        comments with their forms, or the register's uses (read apart)."""
        section = self.section
        if (
            self.request.method != "GET"
            or self.approval_prompt is not None
            or section.slug == REGISTER_SECTION
            or self.comment_counts.by_section.get(section.pk, CommentCounts()).open
        ):
            return None
        return (
            "section",
            self.jurisdiction.pk,
            self.jurisdiction.name,
            section.pk,
            self.request.user.pk,  # the key of the text kept in the browser (draft_key)
            self.membership.role if self.membership else None,
            self.access.allowed,
            self.request.get_full_path(),
            self.state.answer_rows,
            self.state.progress_rows,
            self.comment_count_rows,
        )

    def page_body(self, form, **kwargs) -> tuple[str, bool]:
        """The page's body and whether it shows answers to fix: without a CSRF token, and
        knowing of the request only its path (workbook.kept)."""
        context = self.get_context_data(form=form, **kwargs)
        body = render_kept(self.request, "workbook/_section_body.html", context)
        return body, bool(context.get("invalid"))


@dataclass(frozen=True)
class SummaryEntry:
    """A question the error summary lists, without the form it came from (kept markup)."""

    id: str
    label: str
    messages: tuple[str, ...]


def kept_questions(form: SectionForm, context: dict[str, Any]) -> dict[str, Any]:
    """The questions' markup, rendered from the page's context as its `{% partial %}` would,
    and the error summary's entries: what a page of these answers shows, for keeping."""
    items = {"questions": form.question_fields(), "question_groups": form.question_groups()}
    return {
        "questions_html": render_partial("workbook/_questions.html", {**context, **items}),
        "errors": [SummaryEntry(i.id, i.label, tuple(i.messages)) for i in form.attention_items()],
        "invalid": bool(form.error_items()),
    }

"""The use-case register: list, edit, risk screening."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from strategy.answers import load_answers, load_use_cases
from strategy.models import PublishedRegister
from strategy.register import actions as register_actions
from strategy.register.entries import (
    SCREENING_SECTION,
    RegisterEntry,
    go_live_blockers,
    register_entries,
)
from strategy.register.forms import ApprovalForm, EvidenceForm, UseCaseForm
from workbook.answers import actions as workbook_actions
from workbook.answers.actions import StaleVersion
from workbook.answers.inventory import REGISTER_SECTION
from workbook.answers.presenter import value_view
from workbook.answers.rules import fingerprint, fingerprints
from workbook.models import Question, UseCase
from workbook.security.access import Action, JurisdictionAccess
from workbook.wizard.forms import answers_to_data, section_form_class
from workbook.wizard.posted import BASE_FIELD, posted_base


@login_required
def use_case_list(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    entries = register_entries(
        load_answers(access.jurisdiction), load_use_cases(access.jurisdiction)
    )
    return render(
        request,
        "strategy/use_case_list.html",
        {
            "jurisdiction": access.jurisdiction,
            "access": access,
            "entries": entries,
            "published": PublishedRegister.objects.filter(
                jurisdiction=access.jurisdiction
            ).exists(),
        },
    )


def _editor(request, jurisdiction_slug) -> JurisdictionAccess:
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    access.require(Action.EDIT_ANSWERS)
    return access


@login_required
def use_case_edit(request, jurisdiction_slug, pk=None):
    access = _editor(request, jurisdiction_slug)
    use_case = access.get_or_404(UseCase, pk=pk) if pk else None
    form = UseCaseForm(request.POST or None, instance=use_case)
    if request.method == "POST" and form.is_valid():
        try:
            saved = register_actions.save_entry(
                access=access,
                use_case=use_case,
                fields={name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved “{saved.name}”.")
            if use_case is None:
                return redirect(
                    "strategy:use_case_screening", jurisdiction_slug=jurisdiction_slug, pk=saved.pk
                )
            return redirect("strategy:use_case_list", jurisdiction_slug=jurisdiction_slug)
    return render(
        request,
        "strategy/use_case_form.html",
        {"jurisdiction": access.jurisdiction, "form": form, "use_case": use_case},
    )


@login_required
def use_case_detail(request, jurisdiction_slug, pk):
    """One entry: what it is, its tier and approver, whether it may go live, its approvals and
    its tier's checklist; a manager records the approver's decision here."""
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    use_case = access.get_or_404(UseCase, pk=pk)
    form = None
    if request.method == "POST":
        access.require(Action.APPROVE_SECTION)
        form = ApprovalForm(request.POST)
        if form.is_valid():
            try:
                register_actions.record_approval(
                    access=access, use_case=use_case, fields=form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Recorded the decision on “{use_case.name}”.")
                return redirect(request.path)
    return _detail_page(request, access, use_case, approval_form=form)


@login_required
def use_case_evidence(request, jurisdiction_slug, pk):
    """Evidence on one obligation of the entry's tier, recorded by an editor or manager."""
    access = _editor(request, jurisdiction_slug)
    use_case = access.get_or_404(UseCase, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    entry, _ = register_actions.entry_of(access, use_case)
    form = EvidenceForm(request.POST, obligations=_choices(entry))
    if form.is_valid():
        try:
            evidence = register_actions.record_evidence(
                access=access, use_case=use_case, fields=form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Recorded the evidence on “{use_case.name}”.")
            return redirect(
                reverse(
                    "strategy:use_case_detail",
                    kwargs={"jurisdiction_slug": jurisdiction_slug, "pk": pk},
                )
                + f"#obligation-{evidence.obligation}"
            )
    return _detail_page(request, access, use_case, evidence_form=form)


def _detail_page(request, access, use_case, *, approval_form=None, evidence_form=None):
    entry, answers = register_actions.entry_of(access, use_case)
    if approval_form is None and access.can(Action.APPROVE_SECTION):
        approval_form = ApprovalForm(initial={"approver": entry.approver or ""})
    if evidence_form is None and access.can(Action.EDIT_ANSWERS) and entry.checklist:
        evidence_form = EvidenceForm(
            initial={"evidenced_on": timezone.localdate()}, obligations=_choices(entry)
        )
    return render(
        request,
        "strategy/use_case_detail.html",
        {
            "jurisdiction": access.jurisdiction,
            "access": access,
            "entry": entry,
            "blockers": go_live_blockers(entry, answers),
            "form": approval_form,
            "evidence_form": evidence_form,
        },
    )


def _choices(entry: RegisterEntry) -> list[tuple[str, str]]:
    return [(item.obligation.key, item.obligation.title) for item in entry.checklist]


@login_required
def use_case_from_idea(request, jurisdiction_slug):
    access = _editor(request, jurisdiction_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = request.POST.get("row", "")
    try:
        if not (row.isascii() and row.isdigit()):
            raise ValidationError("Choose an idea from the ideas table.")
        use_case = workbook_actions.propose_from_idea(access=access, row=int(row))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Added “{use_case.name}” to the register as proposed.")
    return redirect("workbook:section", jurisdiction_slug=jurisdiction_slug, step=REGISTER_SECTION)


@login_required
def use_case_retire(request, jurisdiction_slug, pk):
    access = _editor(request, jurisdiction_slug)
    use_case = access.get_or_404(UseCase, pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    use_case = workbook_actions.retire_use_case(access=access, use_case=use_case)
    messages.success(request, f"Retired “{use_case.name}”; it stays in the register as history.")
    return redirect("workbook:section", jurisdiction_slug=jurisdiction_slug, step=REGISTER_SECTION)


def _posted_version(request) -> int:
    """The version the form was shown at: a whole number, else the form was tampered with."""
    value = request.POST.get("version", "")
    if not (value.isascii() and value.isdigit()):
        raise SuspiciousOperation("The screening's version is missing or not a whole number.")
    return int(value)


@login_required
def use_case_screening(request, jurisdiction_slug, pk):
    """The use case's risk screening: the workbook's section form, stored per use case."""
    access = _editor(request, jurisdiction_slug)
    jurisdiction = access.jurisdiction
    use_case = access.get_or_404(UseCase, pk=pk)
    questions = list(
        Question.active.filter(
            section__workbook=jurisdiction.workbook_id, section__slug=SCREENING_SECTION
        ).order_by("position")
    )
    form_class = section_form_class(questions)
    conflicts: list[dict] = []
    version = use_case.version
    if request.method == "POST":
        version = _posted_version(request)
        base = posted_base(request)
        form = form_class(data=request.POST)
        form.is_valid()
        mine = form.answer_values()
        try:
            use_case = workbook_actions.save_screening(
                access=access,
                use_case=use_case,
                values=mine,
                expected_version=version,
                base=base,
            )
        except StaleVersion as stale:
            # The same merge as a section's: only answers both people changed are shown, and
            # the page's base moves on to their text, so saving again keeps this person's.
            conflicts = [
                {
                    "question": q,
                    "mine": value_view(q, mine.get(q.slug)),
                    "theirs": value_view(q, stale.theirs.get(q.slug)),
                }
                for q in questions
                if q.slug in stale.conflicts
            ]
            version = stale.current_version
            base = (base or {}) | {s: fingerprint(stale.theirs.get(s)) for s in stale.conflicts}
        else:
            version = use_case.version
            base = (base or {}) | fingerprints(mine)
            if not form.error_items():
                messages.success(request, f"Saved the screening of “{use_case.name}”.")
                return redirect("strategy:use_case_list", jurisdiction_slug=jurisdiction_slug)
    else:
        stored = dict(use_case.answers.values_list("question__slug", "value"))
        form = form_class(data=answers_to_data(questions, stored))
        form.is_valid()
        base = {q.slug: fingerprint(stored.get(q.slug)) for q in questions}
    return render(
        request,
        "strategy/use_case_screening.html",
        {
            "jurisdiction": jurisdiction,
            "use_case": use_case,
            "section": questions[0].section if questions else None,
            "questions": form.question_fields(),
            "errors": form.error_items() if request.method == "POST" else [],
            "conflicts": conflicts,
            "version": version,
            "base": json.dumps(base),
            "base_field": BASE_FIELD,
        },
    )

"""Pages of the strategy app: readiness, use-case register, action plan and documents."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from strategy import actions
from strategy.access import get_reader
from strategy.answers import load_answers, load_use_cases
from strategy.documents.build import DOCUMENT_KINDS, build_document
from strategy.documents.composition import action_plan_groups
from strategy.exports.cache import requeue_if_abandoned
from strategy.models import Export, ExportFormat
from strategy.register.entries import SCREENING_SECTION, register_entries
from strategy.register.forms import UseCaseForm
from strategy.render.chart import radar_chart
from strategy.scoring.readiness import readiness_from_answers
from workbook.answers import actions as workbook_actions
from workbook.answers.actions import StaleVersion
from workbook.models import Question, UseCase
from workbook.security.access import Action, get_membership, require
from workbook.security.spreadsheet import csv_cell
from workbook.wizard.forms import answers_to_data, section_form_class

ACTION_PLAN_COLUMNS = [
    "action",
    "dimension",
    "owner",
    "start",
    "due",
    "horizon",
    "budget",
    "status",
    "kpi",
]


@login_required
def readiness(request, jurisdiction_slug):
    reader = get_reader(request.user, jurisdiction_slug)
    answers = load_answers(reader.jurisdiction)
    scores = readiness_from_answers(answers)
    planned = {r.get("action") for r in answers.rows(actions.ACTIONS_QUESTION)}
    suggestions = [
        (d, actions.suggested_action_row(d)["action"] in planned) for d in scores.largest_gaps()
    ]
    return render(
        request,
        "strategy/readiness.html",
        {
            "jurisdiction": reader.jurisdiction,
            "reader": reader,
            "readiness": scores,
            "chart": radar_chart(scores) if scores.any_answered else None,
            "suggestions": suggestions,
        },
    )


@login_required
def add_to_action_plan(request, jurisdiction_slug):
    membership = get_membership(request.user, jurisdiction_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    require(membership, Action.EDIT_ANSWERS)
    scores = readiness_from_answers(load_answers(membership.jurisdiction))
    dimension = next(
        (d for d in scores.largest_gaps() if d.slug == request.POST.get("dimension")), None
    )
    if dimension is None:
        messages.error(request, "That readiness gap is no longer among the suggestions.")
    else:
        try:
            added = actions.add_to_action_plan(
                user=request.user, membership=membership, dimension=dimension
            )
        except StaleVersion:
            added = None
            messages.error(request, "Someone saved the action plan just now. Please try again.")
        if added:
            messages.success(request, f"Added an action for {dimension.title} to the plan.")
        elif added is False:
            messages.info(request, f"The action plan already has this {dimension.title} action.")
    return redirect("strategy:readiness", jurisdiction_slug=jurisdiction_slug)


# --- Use-case register ----------------------------------------------------------------------


@login_required
def use_case_list(request, jurisdiction_slug):
    reader = get_reader(request.user, jurisdiction_slug)
    entries = register_entries(
        load_answers(reader.jurisdiction), load_use_cases(reader.jurisdiction)
    )
    return render(
        request,
        "strategy/use_case_list.html",
        {"jurisdiction": reader.jurisdiction, "reader": reader, "entries": entries},
    )


def _editor(request, jurisdiction_slug):
    membership = get_membership(request.user, jurisdiction_slug)
    require(membership, Action.EDIT_ANSWERS)
    return membership


@login_required
def use_case_edit(request, jurisdiction_slug, pk=None):
    membership = _editor(request, jurisdiction_slug)
    use_case = (
        get_object_or_404(UseCase, pk=pk, jurisdiction=membership.jurisdiction) if pk else None
    )
    form = UseCaseForm(request.POST or None, instance=use_case)
    if request.method == "POST" and form.is_valid():
        saved = workbook_actions.save_use_case(
            user=request.user,
            membership=membership,
            use_case=use_case,
            fields={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, f"Saved “{saved.name}”.")
        if use_case is None:
            return redirect(
                "strategy:use_case_screening", jurisdiction_slug=jurisdiction_slug, pk=saved.pk
            )
        return redirect("strategy:use_case_list", jurisdiction_slug=jurisdiction_slug)
    return render(
        request,
        "strategy/use_case_form.html",
        {"jurisdiction": membership.jurisdiction, "form": form, "use_case": use_case},
    )


def _posted_version(request) -> int:
    """The version the form was shown at: a whole number, else the form was tampered with."""
    value = request.POST.get("version", "")
    if not (value.isascii() and value.isdigit()):
        raise SuspiciousOperation("The screening's version is missing or not a whole number.")
    return int(value)


@login_required
def use_case_screening(request, jurisdiction_slug, pk):
    """The use case's risk screening: the workbook's section form, stored per use case."""
    membership = _editor(request, jurisdiction_slug)
    jurisdiction = membership.jurisdiction
    use_case = get_object_or_404(UseCase, pk=pk, jurisdiction=jurisdiction)
    questions = list(
        Question.active.filter(
            section__workbook=jurisdiction.workbook_id, section__slug=SCREENING_SECTION
        ).order_by("position")
    )
    form_class = section_form_class(questions)
    conflict = False
    if request.method == "POST":
        expected_version = _posted_version(request)
        form = form_class(data=request.POST)
        form.is_valid()
        try:
            workbook_actions.save_screening(
                user=request.user,
                membership=membership,
                use_case=use_case,
                values=form.answer_values(),
                expected_version=expected_version,
            )
        except StaleVersion:
            conflict = True
        else:
            if not form.error_items():
                messages.success(request, f"Saved the screening of “{use_case.name}”.")
                return redirect("strategy:use_case_list", jurisdiction_slug=jurisdiction_slug)
    else:
        stored = dict(use_case.answers.values_list("question__slug", "value"))
        form = form_class(data=answers_to_data(questions, stored))
        form.is_valid()
    return render(
        request,
        "strategy/use_case_screening.html",
        {
            "jurisdiction": jurisdiction,
            "use_case": use_case,
            "section": questions[0].section if questions else None,
            "questions": form.question_fields(),
            "errors": form.error_items() if request.method == "POST" else [],
            "conflict": conflict,
        },
    )


# --- Action plan ------------------------------------------------------------------------------


@login_required
def action_plan(request, jurisdiction_slug):
    reader = get_reader(request.user, jurisdiction_slug)
    answers = load_answers(reader.jurisdiction)
    groups = [
        (
            label,
            [
                [answers.cell(actions.ACTIONS_QUESTION, c, row) for c in ACTION_PLAN_COLUMNS]
                for row in rows
            ],
        )
        for label, rows in action_plan_groups(answers)
    ]
    headers = {c["slug"]: c["label"] for c in answers.columns(actions.ACTIONS_QUESTION)}
    return render(
        request,
        "strategy/action_plan.html",
        {
            "jurisdiction": reader.jurisdiction,
            "groups": groups,
            "headers": [headers.get(c, c) for c in ACTION_PLAN_COLUMNS],
        },
    )


@login_required
def action_plan_csv(request, jurisdiction_slug):
    reader = get_reader(request.user, jurisdiction_slug)
    answers = load_answers(reader.jurisdiction)
    columns = {c["slug"]: c["label"] for c in answers.columns(actions.ACTIONS_QUESTION)}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{reader.jurisdiction.slug}-action-plan.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(["Horizon", *(columns.get(c, c) for c in ACTION_PLAN_COLUMNS)])
    for label, rows in action_plan_groups(answers):
        for row in rows:
            writer.writerow(
                [label]
                + [
                    csv_cell(answers.cell(actions.ACTIONS_QUESTION, c, row))
                    for c in ACTION_PLAN_COLUMNS
                ]
            )
    return response


# --- Documents and exports ----------------------------------------------------------------

FINAL_FOR_MANAGERS = (
    "Every section was approved before this file was made, so it is the final document, "
    "which only a manager can download."
)


def _kind(kind: str) -> str:
    if kind not in DOCUMENT_KINDS:
        raise Http404
    return kind


@login_required
def documents(request, jurisdiction_slug):
    reader = get_reader(request.user, jurisdiction_slug)
    return render(
        request,
        "strategy/documents.html",
        {
            "jurisdiction": reader.jurisdiction,
            "reader": reader,
            "kinds": [(k, Export.Kind(k).label) for k in DOCUMENT_KINDS],
            "formats": ExportFormat.choices,
        },
    )


@login_required
def document(request, jurisdiction_slug, kind):
    reader = get_reader(request.user, jurisdiction_slug)
    doc = build_document(reader.jurisdiction, _kind(kind))
    return render(
        request,
        "strategy/document_page.html",
        {"jurisdiction": reader.jurisdiction, "reader": reader, "document": doc},
    )


@login_required
def export_request(request, jurisdiction_slug, kind):
    reader = get_reader(request.user, jurisdiction_slug)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    fmt = request.POST.get("format")
    if fmt not in ExportFormat.values:
        raise Http404
    try:
        export = actions.request_export(reader, _kind(kind), fmt, request.user)
    except actions.FinalExportRefused as exc:
        messages.error(request, str(exc))
        return redirect("strategy:documents", jurisdiction_slug=jurisdiction_slug)
    return redirect("strategy:export", jurisdiction_slug=jurisdiction_slug, pk=export.pk)


def _export_for(request, jurisdiction_slug, pk) -> tuple:
    reader = get_reader(request.user, jurisdiction_slug)
    export = get_object_or_404(
        Export.objects.defer("content"), pk=pk, jurisdiction=reader.jurisdiction
    )
    return reader, export


def _may_download(reader, export: Export) -> bool:
    """Drafts for every reader, final files for managers, as the file was composed."""
    return not export.final or reader.may_export_final


def _status(reader, export: Export, jurisdiction_slug: str) -> dict:
    done = export.status == Export.Status.DONE
    refused = done and not _may_download(reader, export)
    return {
        "status": export.status,
        "label": export.get_status_display(),
        "finished": export.finished,
        "error": FINAL_FOR_MANAGERS if refused else export.error,
        "download_url": reverse(
            "strategy:export_download",
            kwargs={"jurisdiction_slug": jurisdiction_slug, "pk": export.pk},
        )
        if done and not refused
        else None,
    }


@login_required
def export_status_page(request, jurisdiction_slug, pk):
    reader, export = _export_for(request, jurisdiction_slug, pk)
    requeue_if_abandoned(export)
    return render(
        request,
        "strategy/export.html",
        {
            "jurisdiction": reader.jurisdiction,
            "export": export,
            "state": _status(reader, export, jurisdiction_slug),
        },
    )


@login_required
def export_status_json(request, jurisdiction_slug, pk):
    reader, export = _export_for(request, jurisdiction_slug, pk)
    # The page polls this while the user waits: an export whose worker died starts over here.
    requeue_if_abandoned(export)
    return JsonResponse(_status(reader, export, jurisdiction_slug))


@login_required
def export_download(request, jurisdiction_slug, pk):
    reader, export = _export_for(request, jurisdiction_slug, pk)
    if export.status != Export.Status.DONE or not _may_download(reader, export):
        raise Http404
    content = Export.objects.values_list("content", flat=True).get(pk=export.pk)
    response = HttpResponse(bytes(content), content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

"""Readiness page and the action plan (page and CSV)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from strategy.answers import load_answers
from strategy.render.chart import radar_chart
from strategy.scoring import actions
from strategy.scoring.plan import action_plan_groups
from strategy.scoring.readiness import level_key, readiness_from_answers
from workbook.answers.actions import SectionApproved, StaleVersion
from workbook.security.access import Action, JurisdictionAccess
from workbook.workflow.actions import REOPEN_REASON_MAX_LENGTH, WorkflowRuleBroken


@login_required
def readiness(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    answers = load_answers(access.jurisdiction)
    scores = readiness_from_answers(answers)
    planned = {r.get("action") for r in answers.rows(actions.ACTIONS_QUESTION)}
    suggestions = [
        (d, actions.suggested_action_row(d)["action"] in planned) for d in scores.largest_gaps()
    ]
    return render(
        request,
        "strategy/readiness.html",
        {
            "jurisdiction": access.jurisdiction,
            "access": access,
            "readiness": scores,
            "chart": radar_chart(scores) if scores.any_answered else None,
            "level_key": level_key(),
            "suggestions": suggestions,
            # After "Add to action plan" met an approved plan: the gap to ask a reason for.
            "reopen_dimension": request.GET.get("reopen", ""),
            "reopen_reason_max": REOPEN_REASON_MAX_LENGTH,
        },
    )


@login_required
def add_to_action_plan(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug, members_only=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    access.require(Action.EDIT_ANSWERS)
    scores = readiness_from_answers(load_answers(access.jurisdiction))
    dimension = next(
        (d for d in scores.largest_gaps() if d.slug == request.POST.get("dimension")), None
    )
    if dimension is None:
        messages.error(request, "That readiness gap is no longer among the suggestions.")
    else:
        try:
            added = actions.add_to_action_plan(
                access=access,
                dimension=dimension,
                reopen_reason=request.POST.get("reopen_reason", "").strip(),
            )
        except StaleVersion:
            added = None
            messages.error(request, "Someone saved the action plan just now. Please try again.")
        except SectionApproved as approved:
            messages.warning(request, str(approved))
            url = reverse("strategy:readiness", kwargs={"jurisdiction_slug": jurisdiction_slug})
            return redirect(f"{url}?reopen={dimension.slug}#reopen-{dimension.slug}")
        except WorkflowRuleBroken as error:
            added = None
            messages.error(request, str(error))
        if added:
            messages.success(request, f"Added an action for {dimension.title} to the plan.")
        elif added is False:
            messages.info(request, f"The action plan already has this {dimension.title} action.")
    return redirect("strategy:readiness", jurisdiction_slug=jurisdiction_slug)


@login_required
def action_plan(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    answers = load_answers(access.jurisdiction)
    groups = [
        (
            label,
            [
                [
                    answers.cell(actions.ACTIONS_QUESTION, c, row)
                    for c in actions.ACTION_PLAN_COLUMNS
                ]
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
            "jurisdiction": access.jurisdiction,
            "groups": groups,
            "headers": [headers.get(c, c) for c in actions.ACTION_PLAN_COLUMNS],
        },
    )


@login_required
def action_plan_csv(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    response = HttpResponse(
        actions.action_plan_csv(access=access, request=request),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{access.jurisdiction.slug}-action-plan.csv"'
    )
    return response

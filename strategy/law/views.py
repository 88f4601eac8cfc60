"""The duties of law that apply to a jurisdiction, and its NIST AI RMF crosswalk: pages."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse

from strategy.answers import WorkbookAnswers, load_answers, load_use_cases
from strategy.documents.legal import answered_slugs
from strategy.documents.writing import the_name
from strategy.law import content
from strategy.law.coverage import coverage
from strategy.law.standing import Met, profile, standings
from strategy.register.entries import register_entries
from workbook.answers.presenter import date_text
from workbook.models import Section
from workbook.security.access import JurisdictionAccess


@dataclass(frozen=True)
class QuestionLink:
    slug: str
    text: str
    answer: str
    url: str
    where: str


def question_links(jurisdiction_slug: str, answers: WorkbookAnswers) -> dict[str, QuestionLink]:
    """Every question by slug with its wording, the answer as it reads and where to change it.

    A screening question is answered per use, so its link goes to the register of uses.
    """
    register = reverse("strategy:use_case_list", kwargs={"jurisdiction_slug": jurisdiction_slug})
    links = {}
    for slug, question in answers.questions.items():
        section = question.section
        if section.scope == Section.Scope.USE_CASE:
            url, where = register, "each use's risk screening"
        else:
            step = reverse(
                "workbook:section",
                kwargs={"jurisdiction_slug": jurisdiction_slug, "step": section.slug},
            )
            url, where = f"{step}#q-{slug}-group", section.title
        links[slug] = QuestionLink(slug, question.text, answers.text(slug), url, where)
    return links


@login_required
def duties(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    answers = load_answers(access.jurisdiction)
    links = question_links(access.jurisdiction.slug, answers)
    found = standings(answers, content.obligations().duties)
    rows = [
        {
            "standing": s,
            "effective": date_text(s.duty.effective),
            "checked": date_text(s.duty.checked),
            "requirements": [
                {
                    "standing": r,
                    "meeting": [links[q] for q in r.meeting],
                    "failing": [links[q] for q in r.failing],
                    "missing": [links[q] for q in r.missing],
                    "per_use": [links[q] for q in r.requirement.questions]
                    if r.status is Met.PER_USE
                    else [],
                }
                for r in s.requirements
            ],
        }
        for s in found
    ]
    return render(
        request,
        "strategy/duties.html",
        {
            "jurisdiction": access.jurisdiction,
            "access": access,
            "where": profile(answers),
            "the_name": the_name(access.jurisdiction.name),
            "profile_links": [
                links[q]
                for q in ("profile-state", "profile-population-count", "profile-jurisdiction-type")
                if q in links
            ],
            "binding": [r for s, r in zip(found, rows, strict=True) if s.known],
            "possible": [r for s, r in zip(found, rows, strict=True) if not s.known],
        },
    )


@login_required
def crosswalk(request, jurisdiction_slug):
    access = JurisdictionAccess.open(request.user, jurisdiction_slug)
    answers = load_answers(access.jurisdiction)
    links = question_links(access.jurisdiction.slug, answers)
    framework = content.framework()
    register = register_entries(answers, load_use_cases(access.jurisdiction))
    functions = coverage(framework, answered_slugs(answers, register))
    return render(
        request,
        "strategy/crosswalk.html",
        {
            "jurisdiction": access.jurisdiction,
            "access": access,
            "framework": framework,
            "functions": [
                {
                    "function": f,
                    "categories": [
                        {"category": c, "closing": [links[q] for q in c.closing_questions]}
                        for c in f.categories
                    ],
                }
                for f in functions
            ],
            "genai_risks": [
                {
                    "risk": risk,
                    "answered": [links[q] for q in risk.questions if answers.has(q)],
                    "open": [links[q] for q in risk.questions if not answers.has(q)],
                }
                for risk in framework.genai_risks
            ],
        },
    )

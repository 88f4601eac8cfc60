"""seed_demo: idempotent, realistic, never overwrites work."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from strategy.answers import all_sections_approved, load_answers, load_use_cases
from strategy.documents.build import build_document
from strategy.register.entries import register_entries
from workbook.answers.actions import save_section
from workbook.answers.rules import is_empty, visible_questions
from workbook.content.cache import workbook_content
from workbook.models import (
    Answer,
    AuditEvent,
    AuditKind,
    Jurisdiction,
    Membership,
    Question,
    Section,
    SectionProgress,
    SectionStatus,
    UseCase,
)
from workbook.security.access import JurisdictionAccess
from workbook.wizard.forms import answers_to_data, section_form_class

pytestmark = pytest.mark.django_db

ALDER_FALLS = "alderfalls"


def seed(password="pw-12345-demo"):
    out = io.StringIO()
    call_command("seed_demo", password=password, stdout=out)
    return out.getvalue()


def state():
    """Everything seeding writes, to compare one run with the next."""
    return {
        "users": sorted(get_user_model().objects.values_list("username", flat=True)),
        "memberships": sorted(
            Membership.objects.values_list("user__username", "jurisdiction__slug", "role")
        ),
        "answers": sorted(
            Answer.objects.values_list(
                "jurisdiction__slug", "use_case__name", "question__slug", "value", "updated_at"
            ),
            key=repr,
        ),
        "progress": sorted(
            SectionProgress.objects.values_list(
                "jurisdiction__slug", "section__slug", "status", "version", "approved_at"
            )
        ),
        "use_cases": sorted(UseCase.objects.values_list("jurisdiction__slug", "name", "version")),
        "audit": AuditEvent.objects.count(),
    }


def round_trip(questions, values):
    """The values as the wizard's own form would store them after a save."""
    form = section_form_class(questions)(data=answers_to_data(questions, values))
    assert form.is_valid(), form.errors
    return {slug: value for slug, value in form.answer_values().items() if value is not None}


def test_seed_creates_jurisdictions_roles_and_a_facilitator(workbook):
    output = seed()
    assert set(Jurisdiction.objects.values_list("name", flat=True)) == {
        "City of Riverton",
        "Town of Alder Falls",
        "Lakeside County",
    }
    for slug in ("riverton", ALDER_FALLS, "lakeside"):
        roles = dict(
            Membership.objects.filter(jurisdiction__slug=slug).values_list("user__username", "role")
        )
        assert roles == {f"{slug}-editor": "editor", f"{slug}-manager": "manager"} | {
            f"{slug}-viewer": "viewer"
        }
    facilitator = get_user_model().objects.get(username="facilitator")
    assert facilitator.is_staff and not facilitator.is_superuser
    assert list(facilitator.facilitated_jurisdictions.values_list("slug", flat=True)) == [
        "riverton"
    ]
    for username in ("riverton-editor", "alderfalls-editor", "alderfalls-manager"):
        assert username in output
        assert get_user_model().objects.get(username=username).check_password("pw-12345-demo")
    assert "pw-12345-demo" in output


def test_riverton_has_answers_in_at_least_five_sections(workbook):
    seed()
    riverton = Jurisdiction.objects.get(slug="riverton")
    sections = set(
        Answer.objects.filter(jurisdiction=riverton).values_list(
            "question__section__slug", flat=True
        )
    )
    assert len(sections) >= 5
    assert SectionProgress.objects.filter(
        jurisdiction=riverton, status=SectionStatus.COMPLETE
    ).exists()
    assert not SectionProgress.objects.filter(
        jurisdiction=riverton, status=SectionStatus.APPROVED
    ).exists()
    assert not Answer.objects.filter(jurisdiction__slug="lakeside").exists()
    assert not UseCase.objects.filter(jurisdiction__slug="lakeside").exists()


def test_alder_falls_answers_every_question_of_every_section(workbook):
    seed()
    alder_falls = Jurisdiction.objects.get(slug=ALDER_FALLS)
    content = workbook_content(alder_falls.workbook)
    assert len(content.sections) == 12
    stored = dict(
        Answer.objects.filter(jurisdiction=alder_falls, use_case__isnull=True).values_list(
            "question__slug", "value"
        )
    )
    for section in content.sections:
        questions = list(content.questions[section.pk])
        values = {q.slug: stored[q.slug] for q in questions if q.slug in stored}
        unanswered = [
            q.slug for q in visible_questions(questions, values) if is_empty(values.get(q.slug))
        ]
        assert not unanswered, f"{section.slug}: the demo does not answer {unanswered}"
        # Hidden questions stay unanswered: their condition says they do not apply.
        assert set(values) == {q.slug for q in visible_questions(questions, values)}
        assert round_trip(questions, values) == values, section.slug
        for q in questions:
            if q.field_type == "table":
                columns = {c["slug"] for c in q.config["columns"]}
                assert len(values[q.slug]) >= 3, f"{q.slug}: too few rows to be realistic"
                for row in values[q.slug]:
                    assert set(row) == columns, f"{q.slug}: a row leaves a column empty: {row}"


def test_alder_falls_is_approved_by_its_manager(workbook):
    seed()
    alder_falls = Jurisdiction.objects.get(slug=ALDER_FALLS)
    manager = get_user_model().objects.get(username="alderfalls-manager")
    sections = workbook_content(alder_falls.workbook).sections
    progress = {p.section_id: p for p in SectionProgress.objects.filter(jurisdiction=alder_falls)}
    for section in sections:
        assert progress[section.pk].status == SectionStatus.APPROVED, section.slug
        assert progress[section.pk].approved_by == manager
        assert progress[section.pk].approved_at is not None
    assert AuditEvent.objects.filter(
        jurisdiction=alder_falls, kind=AuditKind.SECTION_APPROVED, user=manager
    ).count() == len(sections)
    assert all_sections_approved(alder_falls)
    assert not all_sections_approved(Jurisdiction.objects.get(slug="riverton"))
    # The documents name who approved: the demo users have names.
    assert manager.get_full_name()
    assert get_user_model().objects.get(username="alderfalls-editor").get_full_name()


@pytest.mark.parametrize("kind", ["strategy", "sop"])
def test_alder_falls_documents_are_final_with_nothing_open(workbook, kind):
    seed()
    document = build_document(Jurisdiction.objects.get(slug=ALDER_FALLS), kind)
    assert not document.draft
    assert [item.question for item in document.open_items] == []


def test_alder_falls_register_is_screened_in_every_tier(workbook):
    seed()
    alder_falls = Jurisdiction.objects.get(slug=ALDER_FALLS)
    answers = load_answers(alder_falls)
    entries = register_entries(answers, load_use_cases(alder_falls))
    # The register is the one list of uses: a retired one stays as history, unscreened.
    live = [e for e in entries if e.use_case.stage != UseCase.Stage.RETIRED]
    assert len(live) >= 5 and len(entries) > len(live)
    assert {e.risk.tier for e in live} == {"I", "II", "III", "IV"}
    for entry in live:
        assert entry.risk.complete, entry.use_case.name
        assert not entry.risk.prohibited_categories, entry.use_case.name
        assert entry.approver, entry.use_case.name
        if entry.risk.tier == "IV":
            assert entry.use_case.stage == UseCase.Stage.PROPOSED

    screening = Section.active.get(workbook=alder_falls.workbook, scope=Section.Scope.USE_CASE)
    questions = list(Question.active.filter(section=screening))
    for screened in load_use_cases(alder_falls):
        if screened.use_case.stage == UseCase.Stage.RETIRED:
            continue
        shown = visible_questions(questions, screened.values)
        unanswered = [
            q.slug
            for q in shown
            if is_empty(screened.values.get(q.slug))
            # Left empty when no prohibited category applies.
            and (q.scoring or {}).get("role") != "prohibited_categories"
        ]
        assert not unanswered, f"{screened.use_case.name}: {unanswered}"
        assert round_trip(questions, screened.values) == screened.values


def test_alder_falls_answers_agree_with_each_other(workbook):
    seed()
    answers = load_answers(Jurisdiction.objects.get(slug=ALDER_FALLS))
    tools = answers.rows("data-tool-matrix")
    assert answers.yes("data-city-accounts-only")
    assert all(row["city_account"] is True for row in tools)
    assert answers.raw("data-classification-scheme") == "four-level"
    assert all(row.get(level) for row in tools for level in ("public", "internal", "confidential"))
    assert answers.raw("data-retention") == "records-schedule"
    assert answers.yes("rules-public-records") and answers.has("rules-retention")
    assert answers.yes("gov-public-register") and answers.yes("engage-web-page")
    assert answers.has("rules-disclosure") and answers.has("rules-disclosure-template")
    assert answers.has("inc-owner")
    assert {row["tier"] for row in answers.rows("gov-tier-approvers")} == {"I", "II", "III", "IV"}
    assert sum(row["weight"] for row in answers.rows("proc-evaluation-criteria")) == 100
    budgets = sum(row["budget"] for row in answers.rows("plan-actions"))
    assert budgets == answers.raw("plan-first-year-budget")
    assert answers.yes("work-training-required")
    assert any(row["dimension"] == "workforce" for row in answers.rows("plan-actions"))


def test_seed_is_idempotent_and_keeps_edits(workbook):
    seed()
    before = state()
    seed()
    assert state() == before

    riverton = Jurisdiction.objects.get(slug="riverton")
    answer = (
        Answer.objects.filter(jurisdiction=riverton, value__isnull=False)
        .select_related("question__section")
        .filter(question__field_type="long_text")
        .first()
    )
    progress = SectionProgress.objects.get(jurisdiction=riverton, section=answer.question.section)
    editor = get_user_model().objects.get(username="riverton-editor")
    save_section(
        access=JurisdictionAccess.of(editor, riverton),
        section=answer.question.section,
        values={answer.question.slug: "Our own words"},
        expected_version=progress.version,
    )

    seed()
    answer.refresh_from_db()
    assert answer.value == "Our own words"


def test_a_reopened_alder_falls_section_stays_reopened(workbook):
    seed()
    alder_falls = Jurisdiction.objects.get(slug=ALDER_FALLS)
    section = Section.active.get(workbook=alder_falls.workbook, slug="vision")
    progress = SectionProgress.objects.get(jurisdiction=alder_falls, section=section)
    editor = get_user_model().objects.get(username="alderfalls-editor")
    save_section(
        access=JurisdictionAccess.of(editor, alder_falls),
        section=section,
        values={"vision-horizon-years": 2},
        expected_version=progress.version,
        reopen_reason="The council chose a two-year horizon.",
    )
    seed()
    progress.refresh_from_db()
    assert progress.status != SectionStatus.APPROVED
    assert progress.reopen_reason == "The council chose a two-year horizon."
    assert progress.approved_by is None
    assert (
        Answer.objects.get(jurisdiction=alder_falls, question__slug="vision-horizon-years").value
        == 2
    )


def test_seed_without_password_generates_one(workbook):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    password = out.getvalue().split("(password: ")[1].split(")")[0]
    assert len(password) >= 12
    assert get_user_model().objects.get(username="riverton-manager").check_password(password)
    assert get_user_model().objects.get(username="alderfalls-viewer").check_password(password)


def test_riverton_register_has_screened_use_cases(workbook, client):
    seed()
    riverton = Jurisdiction.objects.get(slug="riverton")
    use_cases = list(riverton.use_cases.order_by("name"))
    # One register: the three screened uses and the five the staff survey found, unscreened.
    assert len(use_cases) == 8
    screened = [u for u in use_cases if Answer.objects.filter(use_case=u).count() >= 14]
    assert len(screened) == 3
    assert {u.name for u in use_cases if u not in screened} == {
        "Council and board minutes drafts",
        "Pavement defect detection",
        "First-draft translation of public notices",
        "Unusual water use alerts",
        "Free chatbots on personal accounts",
    }

    seed()  # a register in use is left alone
    assert riverton.use_cases.count() == 8

    client.force_login(get_user_model().objects.get(username="riverton-viewer"))
    page = client.get("/j/riverton/use-cases/").content.decode()
    assert "Screening housing-assistance applications" in page
    assert "Drafting council meeting minutes" in page


def test_alder_falls_pages_show_its_register(workbook, client):
    seed()
    client.force_login(get_user_model().objects.get(username="alderfalls-viewer"))
    page = client.get("/j/alderfalls/use-cases/").content.decode()
    assert "311 multilingual assistant" in page
    assert "Acoustic gunshot detection" in page
    assert client.get("/j/riverton/use-cases/").status_code == 404

"""Checks before adoption, one rule at a time, and the FINAL rule on the demo jurisdictions."""

import dataclasses
import datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from strategy.answers import WorkbookAnswers, load_answers, load_use_cases
from strategy.documents.adoption import CHECK, QUESTION, SECTION, final_blockers
from strategy.documents.build import build_document, document_inputs
from strategy.documents.checks import CHECKS, Finding, run_checks
from strategy.documents.model import Table
from strategy.documents.reads import DOCUMENT_QUESTIONS
from strategy.documents.views import screening_urls
from strategy.models import ObligationEvidence, UseCaseApproval
from strategy.register.entries import RegisterEntry, register_entries
from strategy.register.obligations import tier_obligations
from strategy.scoring.risk import RiskAssessment
from tests.test_documents import add_use_cases, approve_everything
from workbook.answers.rules import condition_met
from workbook.content.loader import _apply_question, dimension_titles, group_of, read_workbook_file
from workbook.models import Answer, Jurisdiction, Question, Section, UseCase

# -- answers and register entries in memory ------------------------------------------------------


def content_questions() -> dict[str, Question]:
    """The real content's questions as unsaved objects, shaped as the loader stores them."""
    questions = {}
    content = read_workbook_file(Path(settings.WORKBOOK_FILE))
    titles = dimension_titles(content)
    for position, spec in enumerate(content["sections"], start=1):
        section = Section(
            slug=spec["slug"],
            title=spec["title"],
            position=position,
            scope=spec.get("scope", Section.Scope.JURISDICTION),
        )
        for q_position, q_spec in enumerate(spec["questions"], start=1):
            question = Question(slug=q_spec["slug"])
            _apply_question(question, q_spec, section, q_position, group_of(q_spec, titles))
            questions[question.slug] = question
    return questions


QUESTIONS = content_questions()


def answers(**values: Any) -> WorkbookAnswers:
    """Answers keyed by slug, written with underscores: data_retention="not-kept"."""
    by_slug = {k.replace("_", "-"): v for k, v in values.items()}
    assert set(by_slug) <= set(QUESTIONS), set(by_slug) - set(QUESTIONS)
    return WorkbookAnswers(questions=QUESTIONS, values=by_slug)


def entry(
    name: str = "Pothole detection",
    *,
    pk: int = 1,
    stage: str = "deployed",
    tier: str | None = "II",
    complete: bool = True,
    high_impact: bool = False,
    prohibited: tuple[str, ...] = (),
    approver: str | None = "AI committee",
    resident_facing: bool = False,
    approved_at: str | None = "tier",
    decision: str = "approved",
    exception: str = "",
    **screening: Any,
) -> RegisterEntry:
    """A register entry; approved at its own tier unless `approved_at` names another (or None)."""
    by_slug = {k.replace("_", "-"): v for k, v in screening.items()}
    assert set(by_slug) <= set(QUESTIONS), set(by_slug) - set(QUESTIONS)
    risk = RiskAssessment(tier, 0, 0, 0, 0, 0, high_impact, prohibited, complete)
    use_case = UseCase(pk=pk, name=name, stage=stage, resident_facing=resident_facing)
    approvals = ()
    if approved_at is not None:
        approval = UseCaseApproval(
            tier=tier if approved_at == "tier" else approved_at,
            approver=approver or "",
            decision=decision,
            decided_on=datetime.date(2026, 1, 5),
            exception=exception,
        )
        approvals = (approval,)
    return RegisterEntry(use_case, risk, approver, by_slug, approvals)


def evidenced(
    entry: RegisterEntry, status: str = "met", tier: str | None = None, skip: str = ""
) -> RegisterEntry:
    """The entry with evidence on each obligation of its tier (recorded at `tier`, if given)."""
    records = tuple(
        ObligationEvidence(
            obligation=o.key,
            tier=tier or entry.risk.tier or "",
            status=status,
            evidenced_on=datetime.date(2026, 1, 5),
        )
        for o in tier_obligations().for_tier(entry.risk.tier)
        if o.key != skip
    )
    return dataclasses.replace(entry, evidence=records)


def tool(name: str = "Chat assistant", city_account: bool | None = True, **classes: str) -> dict:
    return {"tool": name, "city_account": city_account, **classes}


def chosen(*values: str) -> dict:
    return {"selected": list(values), "other": ""}


ALL_CLASSES = {
    "public": "allowed",
    "internal": "allowed",
    "confidential": "with-approval",
    "restricted": "never",
}

# A high-impact use whose output takes effect without a person approving it.
DECIDES_ALONE: dict[str, Any] = {"risk_high_impact": True, "risk_ai_role": "automated-decision"}

# (check id, answers, register, fires)
CASES = [
    # personal-accounts
    ("personal-accounts", answers(
        data_city_accounts_only=True,
        data_tool_matrix=[tool(), tool("Free chatbots", city_account=False, public="allowed")],
    ), [], True),
    ("personal-accounts", answers(
        data_city_accounts_only=False,
        data_tool_matrix=[tool("Free chatbots", city_account=False, public="allowed")],
    ), [], False),
    ("personal-accounts", answers(
        data_tool_matrix=[tool("Free chatbots", city_account=False, public="allowed")],
    ), [], False),
    # sensitive-data-personal-account
    ("sensitive-data-personal-account", answers(
        data_tool_matrix=[tool("Free chatbots", city_account=False, confidential="with-approval")],
    ), [], True),
    ("sensitive-data-personal-account", answers(
        data_tool_matrix=[
            tool("Free chatbots", city_account=False, public="allowed", confidential="never"),
            tool("Licensed assistant", confidential="allowed"),
        ],
    ), [], False),
    # class-count
    ("class-count", answers(
        data_classification_scheme="three-level", data_tool_matrix=[tool(**ALL_CLASSES)]
    ), [], True),
    ("class-count", answers(
        data_classification_scheme="four-level", data_tool_matrix=[tool(**ALL_CLASSES)]
    ), [], False),
    ("class-count", answers(
        data_classification_scheme="two-level",
        data_tool_matrix=[tool(public="allowed", internal="never")],
    ), [], False),
    ("class-count", answers(data_tool_matrix=[tool(**ALL_CLASSES)]), [], False),
    # records-not-kept
    ("records-not-kept", answers(
        rules_public_records=True, data_retention="not-kept"
    ), [], True),
    ("records-not-kept", answers(data_retention="not-kept"), [], False),
    # retention-period
    ("retention-period", answers(
        data_retention="up-to-30-days",
        rules_public_records=True,
        rules_retention="With the final record; working chats with no lasting value 60 days",
    ), [], True),
    ("retention-period", answers(
        data_retention="up-to-30-days",
        rules_public_records=True,
        rules_retention="Working chats are transitory records, kept 14 days",
    ), [], False),
    # The retention rule is hidden once prompts are not public records: it no longer counts.
    ("retention-period", answers(
        data_retention="up-to-30-days",
        rules_public_records=False,
        rules_retention="Kept 2 years",
    ), [], False),
    # records-schedule-not-records
    ("records-schedule-not-records", answers(
        data_retention="records-schedule", rules_public_records=False
    ), [], True),
    ("records-schedule-not-records", answers(
        data_retention="records-schedule", rules_public_records=True
    ), [], False),
    # records-no-retention-rule
    ("records-no-retention-rule", answers(rules_public_records=True), [], True),
    ("records-no-retention-rule", answers(
        rules_public_records=True, rules_retention="Under the general records schedule, GS-12"
    ), [], False),
    ("records-no-retention-rule", answers(), [], False),
    # retention-not-in-contracts
    ("retention-not-in-contracts", answers(
        data_retention="up-to-30-days", proc_contract_terms=chosen("no-training")
    ), [], True),
    ("retention-not-in-contracts", answers(
        data_retention="up-to-30-days", proc_contract_terms=chosen("retention-limits")
    ), [], False),
    ("retention-not-in-contracts", answers(data_retention="up-to-30-days"), [], False),
    # vendor-training-not-in-contracts
    ("vendor-training-not-in-contracts", answers(
        data_vendor_training="never", proc_contract_terms=chosen("retention-limits")
    ), [], True),
    ("vendor-training-not-in-contracts", answers(
        data_vendor_training="never", proc_contract_terms=chosen("no-training", "audit-rights")
    ), [], False),
    # security-review-no-owner
    ("security-review-no-owner", answers(data_security_review=True), [], True),
    ("security-review-no-owner", answers(
        data_security_review=True, data_security_owner="IT Security Analyst"
    ), [], False),
    ("security-review-no-owner", answers(data_security_review=False), [], False),
    # use-not-screened
    ("use-not-screened", answers(), [entry(tier=None, complete=False)], True),
    ("use-not-screened", answers(), [entry(stage="pilot", complete=False)], True),
    ("use-not-screened", answers(), [entry(stage="proposed", tier=None, complete=False)], False),
    ("use-not-screened", answers(), [entry()], False),
    # obligation-not-met
    ("obligation-not-met", answers(), [entry()], True),  # no evidence yet
    ("obligation-not-met", answers(), [evidenced(entry(stage="pilot"), status="not-met")], True),
    ("obligation-not-met", answers(), [evidenced(entry(), skip="monitoring")], True),
    ("obligation-not-met", answers(), [evidenced(entry(tier="III"), tier="II")], True),
    ("obligation-not-met", answers(), [evidenced(entry())], False),
    ("obligation-not-met", answers(), [evidenced(entry(tier="IV", stage="pilot"))], False),
    ("obligation-not-met", answers(), [entry(stage="proposed")], False),
    ("obligation-not-met", answers(), [entry(tier=None, complete=False)], False),
    # live-without-approval
    ("live-without-approval", answers(), [entry(approved_at=None)], True),
    ("live-without-approval", answers(), [entry(stage="pilot", decision="refused")], True),
    ("live-without-approval", answers(), [entry(approved_at="I")], True),  # screened up since
    ("live-without-approval", answers(), [entry()], False),
    ("live-without-approval", answers(), [entry(decision="approved-with-conditions")], False),
    ("live-without-approval", answers(), [entry(stage="proposed", approved_at=None)], False),
    ("live-without-approval", answers(), [entry(stage="retired", approved_at=None)], False),
    ("live-without-approval", answers(), [entry(tier=None, complete=False, approved_at=None)],
     False),
    ("live-without-approval", answers(), [entry(tier="III", **DECIDES_ALONE)], True),
    ("live-without-approval", answers(rules_exceptions="The AI committee decides."),
     [entry(tier="III", **DECIDES_ALONE)], True),
    ("live-without-approval", answers(rules_exceptions="The AI committee decides."),
     [entry(tier="III", exception="Parking refunds under $20; audited monthly.", **DECIDES_ALONE)],
     False),
    # no-approver-at-tier
    ("no-approver-at-tier", answers(
        gov_tier_approvers=[{"tier": "I", "approver": "Department head"}]
    ), [entry(tier="III", high_impact=True, approver=None)], True),
    ("no-approver-at-tier", answers(
        gov_tier_approvers=[{"tier": "I", "approver": "Department head"}]
    ), [entry(tier="IV", approver=None, risk_ai_role="automated-decision")], True),
    ("no-approver-at-tier", answers(), [entry(tier="III", approver=None)], False),
    ("no-approver-at-tier", answers(
        gov_tier_approvers=[{"tier": "III", "approver": "City Manager"}]
    ), [entry(tier="III", approver="City Manager")], False),
    # prohibited-use
    ("prohibited-use", answers(rules_red=chosen("biometric-identification")), [
        entry(tier="Prohibited", prohibited=("biometric-identification",), approver=None)
    ], True),
    ("prohibited-use", answers(rules_red=chosen("biometric-identification")), [
        entry(
            tier="Prohibited",
            stage="retired",
            prohibited=("biometric-identification",),
            approver=None,
        )
    ], False),
    # data-class-no-tool
    ("data-class-no-tool", answers(data_tool_matrix=[tool(**ALL_CLASSES)]), [
        entry(stage="pilot", risk_data_class="restricted")
    ], True),
    # An idea may still find its tool before it starts.
    ("data-class-no-tool", answers(data_tool_matrix=[tool(**ALL_CLASSES)]), [
        entry(stage="proposed", risk_data_class="restricted")
    ], False),
    ("data-class-no-tool", answers(
        data_tool_matrix=[tool(**ALL_CLASSES), tool("Case system", restricted="with-approval")]
    ), [entry(risk_data_class="restricted")], False),
    ("data-class-no-tool", answers(), [entry(risk_data_class="restricted")], False),
    # public-register-no-page
    ("public-register-no-page", answers(
        gov_public_register=True, engage_web_page=False
    ), [], True),
    ("public-register-no-page", answers(gov_public_register=True), [], False),
    ("public-register-no-page", answers(
        gov_public_register=True, engage_web_page=True
    ), [], False),
    # disclosure-no-wording
    ("disclosure-no-wording", answers(rules_disclosure="public-facing"), [], True),
    ("disclosure-no-wording", answers(
        rules_disclosure="public-facing",
        rules_disclosure_template="Drafted with help from AI and reviewed by city staff.",
    ), [], False),
    # notice-no-wording
    ("notice-no-wording", answers(engage_notice=True), [], True),
    ("notice-no-wording", answers(engage_notice=False), [], False),
    # resident-facing-no-notice
    ("resident-facing-no-notice", answers(engage_notice=False), [
        entry("311 assistant", stage="pilot", resident_facing=True)
    ], True),
    ("resident-facing-no-notice", answers(), [
        entry("311 assistant", stage="pilot", resident_facing=True)
    ], False),
    ("resident-facing-no-notice", answers(engage_notice=False), [
        entry("Pothole detection", resident_facing=False)
    ], False),
    # deployed-no-incident-owner
    ("deployed-no-incident-owner", answers(), [entry()], True),
    ("deployed-no-incident-owner", answers(), [], False),
    ("deployed-no-incident-owner", answers(inc_owner="AI lead"), [entry()], False),
    ("deployed-no-incident-owner", answers(), [entry(stage="pilot")], False),
    # monitoring-missing-tier
    ("monitoring-missing-tier", answers(
        inc_monitoring=[{"tier": "I", "metric": "Share of drafts edited heavily"}]
    ), [entry(tier="II")], True),
    ("monitoring-missing-tier", answers(
        inc_monitoring=[{"tier": "II", "metric": "Error rate from a weekly sample"}]
    ), [entry(tier="II")], False),
    ("monitoring-missing-tier", answers(), [entry(tier="II")], False),
    # review-tier-no-safeguards
    ("review-tier-no-safeguards", answers(
        rules_review_standard="by-tier",
        gov_tier_approvers=[{"tier": "I", "approver": "Department head", "controls": ""}],
    ), [], True),
    ("review-tier-no-safeguards", answers(
        rules_review_standard="all-outputs",
        gov_tier_approvers=[{"tier": "I", "approver": "Department head", "controls": ""}],
    ), [], False),
    ("review-tier-no-safeguards", answers(
        rules_review_standard="by-tier",
        gov_tier_approvers=[
            {"tier": "I", "approver": "Department head", "controls": "A person reviews it."}
        ],
    ), [], False),
    # training-not-planned
    ("training-not-planned", answers(
        work_training_required=True, plan_actions=[{"action": "Publish the AI register"}]
    ), [], True),
    ("training-not-planned", answers(work_training_required=True), [], True),
    ("training-not-planned", answers(
        work_training_required=True,
        plan_actions=[{"action": "Train staff before they get the chat assistant"}],
    ), [], False),
    ("training-not-planned", answers(work_training_required=False), [], False),
    # automated-decision-red-line
    ("automated-decision-red-line", answers(rules_red=chosen("automated-decisions-no-human")), [
        entry(tier="IV", risk_ai_role="automated-decision", risk_high_impact=True)
    ], True),
    ("automated-decision-red-line", answers(rules_red=chosen("biometric-identification")), [
        entry(tier="IV", risk_ai_role="automated-decision", risk_high_impact=True)
    ], False),
    ("automated-decision-red-line", answers(rules_red=chosen("automated-decisions-no-human")), [
        entry(tier="III", risk_ai_role="recommendation", risk_high_impact=True)
    ], False),
    # texas-notice-optional
    ("texas-notice-optional", answers(profile_state="TX", engage_notice=False), [], True),
    ("texas-notice-optional", answers(profile_state="TX", engage_notice=True), [], False),
    ("texas-notice-optional", answers(profile_state="OK", engage_notice=False), [], False),
    ("texas-notice-optional", answers(engage_notice=False), [], False),
    # texas-preemption
    ("texas-preemption", answers(profile_state="TX", profile_adoption_route="ordinance"), [], True),
    ("texas-preemption", answers(
        profile_state="TX", profile_adoption_route="council-resolution"
    ), [], True),
    ("texas-preemption", answers(
        profile_state="TX", profile_adoption_route="manager-directive"
    ), [], False),
    ("texas-preemption", answers(
        profile_state="CO", profile_adoption_route="ordinance"
    ), [], False),
    ("texas-preemption", answers(
        profile_state="TX", profile_jurisdiction_type="city", profile_adoption_route="ordinance"
    ), [], True),
    # texas-training-not-required
    ("texas-training-not-required", answers(
        profile_state="TX", work_training_required=False
    ), [], True),
    ("texas-training-not-required", answers(
        profile_state="TX", work_training_required=True
    ), [], False),
    ("texas-training-not-required", answers(
        profile_state="UT", work_training_required=False
    ), [], False),
    # web-accessibility-no-review
    ("web-accessibility-no-review", answers(
        profile_population_count=60000,
        rules_yellow=chosen("published-content"),
        profile_existing_policies=chosen("privacy"),
    ), [], True),
    ("web-accessibility-no-review", answers(
        profile_population_count=50000,
        profile_existing_policies=chosen("privacy"),
    ), [entry("Ask Riverton", resident_facing=True)], True),
    ("web-accessibility-no-review", answers(
        profile_population_count=49999,
        rules_yellow=chosen("published-content"),
        profile_existing_policies=chosen("privacy"),
    ), [], False),
    ("web-accessibility-no-review", answers(
        profile_population_count=60000,
        rules_yellow=chosen("published-content"),
        profile_existing_policies=chosen("privacy", "accessibility"),
    ), [], False),
    ("web-accessibility-no-review", answers(
        profile_population_count=60000,
        rules_yellow=chosen("published-content"),
        profile_existing_policies=chosen("privacy"),
        proc_contract_terms=chosen("accessibility"),
    ), [], False),
    ("web-accessibility-no-review", answers(
        profile_population_count=60000,
        rules_yellow=chosen("hr-documents"),
        profile_existing_policies=chosen("privacy"),
    ), [], False),
    ("web-accessibility-no-review", answers(
        profile_population_count=60000, profile_jurisdiction_type="special-district",
        rules_yellow=chosen("published-content"), profile_existing_policies=chosen("privacy"),
    ), [], False),
    ("web-accessibility-no-review", answers(
        rules_yellow=chosen("published-content"), profile_existing_policies=chosen("privacy"),
    ), [], False),
    # california-police-reports-disclosure
    ("california-police-reports-disclosure", answers(
        profile_state="CA", profile_departments=chosen("police"), rules_disclosure="public-facing"
    ), [], True),
    ("california-police-reports-disclosure", answers(
        profile_state="CA", profile_departments=chosen("police"), rules_disclosure="always"
    ), [], False),
    ("california-police-reports-disclosure", answers(
        profile_state="CA", profile_departments=chosen("finance"), rules_disclosure="when-material"
    ), [], False),
    ("california-police-reports-disclosure", answers(
        profile_state="CA", profile_jurisdiction_type="town",
        profile_departments=chosen("police"), rules_disclosure="when-material",
    ), [], False),
    ("california-police-reports-disclosure", answers(
        profile_state="TX", profile_departments=chosen("police"), rules_disclosure="when-material"
    ), [], False),
]  # fmt: skip
CHECKS_BY_ID = {c.id: c for c in CHECKS}


def case_id(case) -> str:
    return f"{case[0]}-{'fires' if case[3] else 'quiet'}"


@pytest.mark.parametrize(("check_id", "given", "register", "fires"), CASES, ids=map(case_id, CASES))
def test_check(check_id, given, register, fires):
    findings = list(CHECKS_BY_ID[check_id].run(given, register))
    assert bool(findings) == fires, findings
    for finding in findings:
        assert finding.check == check_id
        assert_says_what_to_change(finding)


def assert_says_what_to_change(finding: Finding) -> None:
    """A plain message with no question wording, and questions the page can link to."""
    assert finding.message.endswith(".") and "?" not in finding.message
    assert ".." not in finding.message and "  " not in finding.message
    assert finding.questions or finding.use_cases
    for slug in finding.questions:
        assert slug in DOCUMENT_QUESTIONS and slug in QUESTIONS
        assert QUESTIONS[slug].text not in finding.message
    for question in QUESTIONS.values():
        assert question.text not in finding.message


def test_every_check_is_tested_firing_and_quiet():
    assert len(CHECKS) >= 12
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    assert {c[0] for c in CASES if c[3]} == set(ids)
    assert {c[0] for c in CASES if not c[3]} == set(ids)
    assert all(c.summary.endswith(".") for c in CHECKS)


def test_unanswered_questions_are_not_contradictions():
    """With nothing answered and no register, every check stays quiet."""
    assert run_checks(answers(), []) == []


def test_findings_come_in_check_order():
    given = answers(data_security_review=True, rules_disclosure="always", engage_notice=True)
    found = [f.check for f in run_checks(given, [])]
    order = [c.id for c in CHECKS]
    assert found == sorted(found, key=order.index)
    assert set(found) == {"security-review-no-owner", "disclosure-no-wording", "notice-no-wording"}


# -- the seeded demo -----------------------------------------------------------------------------

RIVERTON_CONTRADICTIONS = {
    "personal-accounts",
    "class-count",
    "retention-period",
    "use-not-screened",
    "live-without-approval",
    "deployed-no-incident-owner",
    "obligation-not-met",
}


@pytest.mark.django_db
def test_riverton_demo_shows_the_checks_at_work(demo):
    riverton = Jurisdiction.objects.get(slug="riverton")
    given = load_answers(riverton)
    findings = run_checks(given, register_entries(given, load_use_cases(riverton)))
    assert {f.check for f in findings} >= RIVERTON_CONTRADICTIONS
    personal = next(f for f in findings if f.check == "personal-accounts")
    assert '"Free public chatbots and personal accounts"' in personal.message
    counted = next(f for f in findings if f.check == "class-count")
    assert "three levels" in counted.message and "four classes" in counted.message


@pytest.mark.django_db
def test_final_is_refused_for_riverton_with_its_reasons(demo):
    riverton = Jurisdiction.objects.get(slug="riverton")
    inputs = document_inputs(riverton)
    blockers = final_blockers(
        inputs.answers,
        inputs.places,
        inputs.findings,
        screening_urls(riverton.slug, inputs.register),
    )
    assert inputs.draft and {b.kind for b in blockers} == {SECTION, QUESTION, CHECK}
    assert all(b.message and b.links for b in blockers)
    sections = [b for b in blockers if b.kind == SECTION]
    assert len(sections) == len(inputs.places)  # nothing approved in the demo yet
    assert sections[0].links[0].url == "/j/riverton/workbook/profile/"
    questions = {b.links[0].url for b in blockers if b.kind == QUESTION}
    assert "/j/riverton/workbook/incidents/#q-inc-types-group" in questions
    assert "/j/riverton/workbook/workforce/#q-work-training-required-group" in questions
    checks = [b for b in blockers if b.kind == CHECK]
    assert len(checks) == len(inputs.findings) >= len(RIVERTON_CONTRADICTIONS)
    personal = next(b for b in checks if "Free public chatbots" in b.message)
    assert [link.url for link in personal.links] == [
        "/j/riverton/workbook/data/#q-data-city-accounts-only-group",
        "/j/riverton/workbook/data/#q-data-tool-matrix-group",
    ]

    # Approving every section is not enough: required questions are open and checks fail.
    approve_everything(riverton)
    inputs = document_inputs(riverton)
    blockers = final_blockers(inputs.answers, inputs.places, inputs.findings)
    assert {b.kind for b in blockers} == {QUESTION, CHECK}
    for kind in ("strategy", "sop"):
        document = build_document(riverton, kind)
        assert document.status == "DRAFT"
        appendix = document.sections[-1]
        tables = {b.caption: b for b in appendix.blocks if isinstance(b, Table)}
        assert appendix.heading == "Open items"
        failed = tables["Checks before adoption"]
        assert len(failed.rows) == len(inputs.findings)
        assert any("Free public chatbots" in row[0] for row in failed.rows)
        assert "/j/riverton/workbook/data/#q-data-city-accounts-only-group" in failed.links


@pytest.mark.django_db
def test_documents_page_says_what_stands_in_the_way(client, demo):
    client.force_login(demo["riverton-editor"])
    page = client.get("/j/riverton/documents/").content.decode()
    assert "What stands in the way of FINAL" in page
    assert "Sections not approved (12)" in page
    assert 'href="/j/riverton/workbook/profile/"' in page
    assert "Required questions not answered" in page
    assert 'href="/j/riverton/workbook/incidents/#q-inc-types-group"' in page
    riverton = Jurisdiction.objects.get(slug="riverton")
    failing = {f.check for f in document_inputs(riverton).findings}
    assert f"Checks failing ({len(failing)})" in page
    assert f"{len(failing)} of the {len(CHECKS)} checks before adoption fail:" in page
    assert '<h2 id="checks">Checks before adoption</h2>' in page
    assert 'href="/j/riverton/workbook/data/#q-data-city-accounts-only-group"' in page
    assert "&quot;Free public chatbots and personal accounts&quot;" in page

    # A use on the red list: its check links to the use's screening, for those who may screen.
    lobby = add_use_cases(demo).use_cases.get(name="Lobby face matching")
    page = client.get("/j/riverton/documents/").content.decode()
    assert "&quot;Lobby face matching&quot; falls under a use the rules never allow" in page
    assert f'href="/j/riverton/use-cases/{lobby.pk}/screening/"' in page
    client.force_login(demo["riverton-viewer"])
    page = client.get("/j/riverton/documents/").content.decode()
    assert "/screening/" not in page and "Lobby face matching" in page


# -- a jurisdiction ready to adopt ---------------------------------------------------------------


def plain_value(question: Question) -> Any:
    """A simple, valid answer of the question's type."""
    options = [o["value"] for o in question.options]
    match question.field_type:
        case "single_choice":
            return options[0]
        case "multiple_choice":
            return chosen(options[0])
        case "yes_no":
            return False
        case "number":
            return 1
        case "date":
            return "2027-01-01"
        case "scale":
            return 3
        case "table":
            return [{c["slug"]: plain_cell(c) for c in question.config["columns"]}]
    return "Decided by the AI committee"


def plain_cell(column: dict) -> Any:
    if column.get("options"):
        return column["options"][0]["value"]
    return {"yes_no": True, "number": 1, "date": "2027-01-01"}.get(column["type"], "AI lead")


def answer_for_adoption(jurisdiction: Jurisdiction) -> None:
    """Plain, consistent answers to every required question the documents read, in place of
    any answers and register the jurisdiction had, and every section approved."""
    Answer.objects.filter(jurisdiction=jurisdiction).delete()
    jurisdiction.use_cases.all().delete()
    questions = {
        q.slug: q
        for q in Question.active.filter(workbook=jurisdiction.workbook).select_related("section")
        if q.section.scope == Section.Scope.JURISDICTION
    }
    values: dict[str, Any] = {
        "rules-disclosure-template": "Drafted with help from AI and reviewed by staff.",
    }
    for _ in range(2):  # a second pass for the questions shown by an answer of the first
        for slug in sorted(DOCUMENT_QUESTIONS & set(questions)):
            question = questions[slug]
            if question.required and condition_met(question.show_if, values):
                values.setdefault(slug, plain_value(question))
    for slug, value in values.items():
        Answer.objects.create(jurisdiction=jurisdiction, question=questions[slug], value=value)
    approve_everything(jurisdiction)


@pytest.mark.django_db
def test_an_approved_consistent_jurisdiction_is_final(client, demo):
    lakeside = Jurisdiction.objects.get(slug="lakeside")
    answer_for_adoption(lakeside)
    inputs = document_inputs(lakeside)
    assert final_blockers(inputs.answers, inputs.places, inputs.findings) == []
    assert not inputs.draft
    for kind in ("strategy", "sop"):
        document = build_document(lakeside, kind)
        assert document.status == "FINAL"
        captions = [b.caption for s in document.sections for b in s.blocks if isinstance(b, Table)]
        assert "Checks before adoption" not in captions

    client.force_login(demo["lakeside-manager"])
    page = client.get("/j/lakeside/documents/").content.decode()
    assert "Ready to adopt" in page and "What stands in the way of FINAL" not in page
    assert f"All {len(CHECKS)} checks before adoption pass" in page

    # One contradiction is enough to keep the documents in draft.
    Answer.objects.create(
        jurisdiction=lakeside,
        question=Question.active.get(workbook=lakeside.workbook, slug="data-security-review"),
        value=True,
    )
    inputs = document_inputs(lakeside)
    assert inputs.draft
    assert [f.check for f in inputs.findings] == ["security-review-no-owner"]
    assert [b.kind for b in final_blockers(inputs.answers, inputs.places, inputs.findings)] == [
        CHECK
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_documents_page_with_its_checks_is_accessible(live_server, page, demo):
    from tests.test_browser_documents import assert_accessible, sign_in

    sign_in(page, live_server.url, "riverton-editor")
    page.goto(live_server.url + "/j/riverton/documents/")
    page.get_by_role("heading", name="What stands in the way of FINAL", level=2).wait_for()
    page.get_by_role("heading", name="Checks before adoption", level=2).wait_for()
    assert_accessible(page)
    page.get_by_role(
        "link", name="Must staff use only accounts the organization issues and controls for work"
    ).first.click()
    page.wait_for_url("**/workbook/data/#q-data-city-accounts-only-group")
    assert page.locator("#q-data-city-accounts-only-group").is_visible()

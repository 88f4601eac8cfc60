"""The composed documents and their web pages, on the demo Riverton answers."""

import pytest
from django.urls import reverse

from strategy.documents.build import build_document
from strategy.documents.model import Table
from workbook.answers import actions as workbook_actions
from workbook.models import (
    Jurisdiction,
    Membership,
    Section,
    SectionProgress,
    SectionStatus,
    UseCase,
)
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db

SCREENINGS = {
    # Drafting aid with strong safeguards: tier I.
    "Meeting-minutes drafts": {
        "risk-ai-role": "drafting-aid",
        "risk-high-impact": False,
        "risk-reversibility": "reversible",
        "risk-duration": "brief",
        "risk-severity-rights": "little",
        "risk-severity-health": "little",
        "risk-severity-finances": "little",
        "risk-severity-environment": "little",
        "risk-data-class": "internal",
        "risk-vulnerable-groups": False,
        "risk-explainability": 1,
        "risk-learns-in-production": False,
        "risk-public-scrutiny": False,
    },
    # Resident-facing, high impact: at least tier III.
    "311 multilingual assistant": {
        "risk-ai-role": "recommendation",
        "risk-high-impact": True,
        "risk-reversibility": "likely-reversible",
        "risk-data-class": "confidential",
        "risk-vulnerable-groups": True,
        "risk-explainability": 2,
    },
    # On Riverton's red list: prohibited.
    "Lobby face matching": {
        "risk-ai-role": "automated-decision",
        "risk-prohibited": {"selected": ["biometric-identification"]},
    },
}


def add_use_cases(
    users, screenings: dict[str, dict] | None = None, suffix: str = ""
) -> Jurisdiction:
    """Screened use cases (by default the three above) in Riverton's register, entered by its
    editor (each name once in the register: a suffix tells further copies apart)."""
    editor = users["riverton-editor"]
    membership = Membership.objects.get(user=editor, jurisdiction__slug="riverton")
    for name, answers in (SCREENINGS if screenings is None else screenings).items():
        use_case = workbook_actions.save_use_case(
            access=JurisdictionAccess.of_member(membership),
            use_case=None,
            fields={
                "name": name + suffix,
                "department": "City Manager's Office",
                "ai_type": "generative",
            },
        )
        workbook_actions.save_screening(
            access=JurisdictionAccess.of_member(membership),
            use_case=use_case,
            values=answers,
            expected_version=0,
        )
    return membership.jurisdiction


def approve_everything(jurisdiction: Jurisdiction) -> None:
    for section in Section.active.filter(
        workbook=jurisdiction.workbook, scope=Section.Scope.JURISDICTION
    ):
        SectionProgress.objects.update_or_create(
            jurisdiction=jurisdiction,
            section=section,
            defaults={"status": SectionStatus.APPROVED},
        )


@pytest.fixture
def riverton(demo):
    return add_use_cases(demo)


def all_text(document) -> str:
    parts = [document.jurisdiction, document.title, document.status]
    for section in document.sections:
        parts.append(section.heading)
        for block in section.blocks:
            match block:
                case Table():
                    parts += [block.caption, *block.headers, *(c for r in block.rows for c in r)]
                case _:
                    parts.append(str(getattr(block, "text", "")))
                    parts += getattr(block, "items", [])
    return "\n".join(parts)


def test_strategy_is_written_from_answers(riverton):
    document = build_document(riverton, "strategy")
    text = all_text(document)
    assert document.draft and document.status == "DRAFT"
    assert "The City of Riverton must review its AI procedure every six months." in text
    assert (
        "The executive sponsor of this strategy is Daniel Brooks, Assistant City Manager." in text
    )
    # Readiness, tiers of the register, the approver table, the roadmap.
    assert "out of 100 for its readiness to use AI well today" in text
    assert "Tier III – High" in text and "Tier I – Low" in text
    assert "City Manager" in text and "AI review committee" in text
    assert "Adopt the AI procedure by administrative directive" in text
    assert [s.title for s in document.sections][:4] == [
        "1. Executive summary",
        "2. Context and drivers",
        "3. Legal and regulatory context",
        "4. Vision, goals and principles",
    ]
    # Procurement was left unanswered in the demo: the body leaves it out, the open items list it.
    assert not any("Procurement" in s.heading for s in document.sections)
    assert "Not yet answered" not in text
    procurement = [i for i in document.open_items if "Procurement" in i.section]
    assert procurement and all(i.url.startswith("/j/riverton/workbook/") for i in procurement)
    assert document.sections[-1].title.endswith(": Open items")


def test_sop_is_a_numbered_procedure_with_a_quick_reference(riverton):
    document = build_document(riverton, "sop")
    titles = [s.title for s in document.sections]
    assert titles[:3] == ["1. Purpose", "2. Authority", "3. Scope"]
    assert any(t.endswith("Quick-reference card") and t.startswith("Appendix") for t in titles)
    text = all_text(document)
    assert (
        "Identifying people in public places from their face, voice or other body features" in text
    )
    assert "Who approves each risk tier" in text
    numbers = [b.number for s in document.sections for b in s.blocks if getattr(b, "number", "")]
    assert numbers[:2] == ["1.1", "1.2"]


def test_final_needs_more_than_approvals(riverton, demo):
    approve_everything(riverton)
    # Riverton's required answers are still open and its checks fail: still a draft.
    assert build_document(riverton, "strategy").status == "DRAFT"
    alder_falls = Jurisdiction.objects.get(slug="alderfalls")
    assert build_document(alder_falls, "strategy").status == "FINAL"


def test_document_pages_and_links(client, riverton, demo):
    client.force_login(demo["riverton-viewer"])
    overview = client.get(reverse("workbook:overview", kwargs={"jurisdiction_slug": "riverton"}))
    assert b"/j/riverton/documents/" in overview.content
    for kind in ("strategy", "sop"):
        response = client.get(f"/j/riverton/documents/{kind}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert "City of Riverton" in html and "DRAFT" in html
        assert "Open items" in html and 'href="/j/riverton/workbook/' in html
    assert client.get("/j/riverton/documents/nonsense/").status_code == 404
    page = client.get("/j/riverton/documents/strategy/").content.decode()
    assert '<svg role="img"' in page and "<title id=" in page and "<desc id=" in page


@pytest.mark.parametrize(
    "path",
    [
        "/j/riverton/readiness/",
        "/j/riverton/use-cases/",
        "/j/riverton/action-plan/",
        "/j/riverton/action-plan.csv",
        "/j/riverton/documents/",
        "/j/riverton/documents/strategy/",
        "/j/riverton/documents/sop/",
    ],
)
def test_other_jurisdictions_get_404(client, demo, path):
    client.force_login(demo["lakeside-manager"])
    assert client.get(path).status_code == 404
    client.force_login(demo["riverton-viewer"])
    assert client.get(path).status_code == 200


def test_facilitator_reads_documents_of_coached_jurisdiction_only(client, demo):
    client.force_login(demo["facilitator"])
    assert client.get("/j/riverton/documents/strategy/").status_code == 200
    assert client.get("/j/lakeside/documents/strategy/").status_code == 404


def test_the_documents_page_names_the_role_without_a_wrong_article(client, demo):
    client.force_login(demo["riverton-editor"])
    body = client.get("/j/riverton/documents/").content.decode()
    assert "Your role (editor) can export draft documents" in body
    assert "As a editor" not in body


def test_the_register_appendix_states_each_decision(demo):
    alder_falls = Jurisdiction.objects.get(slug="alderfalls")
    document = build_document(alder_falls, "strategy")
    register = next(
        b
        for s in document.sections
        for b in s.blocks
        if isinstance(b, Table) and b.caption == "AI use-case register"
    )
    assert register.headers[-1] == "Decision"
    decisions = {row[0]: row[-1] for row in register.rows}
    live = UseCase.objects.filter(jurisdiction=alder_falls, stage__in=("pilot", "deployed"))
    for use in live:
        assert decisions[use.name].startswith("Approved"), use.name
        assert ", 20" in decisions[use.name]  # "Approved, March 2, 2026"
    assert "Not yet decided" in decisions.values()  # the proposed and retired uses

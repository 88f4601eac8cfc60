"""The AI Standard Operating Procedure as a numbered procedure, on the demo Riverton answers."""

import dataclasses
import datetime
import io
import re

import pytest
from pypdf import PdfReader

from strategy.documents import control
from strategy.documents.build import build_document, document_inputs
from strategy.documents.compose import compose
from strategy.documents.model import (
    NUMBERED_CLAUSES,
    BulletList,
    Paragraph,
    Section,
    Subheading,
    Table,
)
from strategy.documents.writing import Writer
from strategy.render.pdf import render_pdf
from tests.test_documents import add_use_cases
from workbook.models import (
    Answer,
    FieldType,
    Jurisdiction,
    Question,
    SectionProgress,
    SectionStatus,
)
from workbook.models import (
    Section as WorkbookSection,
)

pytestmark = pytest.mark.django_db

# The procedure's parts, in order; a part with nothing decided yet is left out.
SOP_ORDER = [
    "Purpose",
    "Authority",
    "Scope",
    "Definitions",
    "Roles and responsibilities",
    "Approved tools and the data each may receive",
    "Permitted uses, uses that need approval and prohibited uses",
    "Human review by risk tier",
    "Disclosure",
    "Records and retention",
    "Requesting a new AI use",
    "Vendor requirements",
    "Incident reporting",
    "Training and acknowledgment",
    "Exceptions and enforcement",
    "Review of this procedure",
    "Adoption and sign-off",
]
APPENDICES = ["Quick-reference card", "Staff acknowledgment form", "Open items"]
OPEN_ITEMS = "Open items"

SCREENINGS = {
    "Meeting-minutes drafts": {
        "risk-ai-role": "drafting-aid",
        "risk-high-impact": False,
        "risk-data-class": "internal",
    },
    "Lobby face matching": {
        "risk-ai-role": "automated-decision",
        "risk-prohibited": {"selected": ["biometric-identification"]},
    },
}

# The parts Riverton's demo leaves open, answered as a team might.
MORE_ANSWERS = {
    "proc-disclosure-form": True,
    "proc-contract-terms": {"selected": ["no-training", "audit-rights"], "other": ""},
    "proc-renewal-check": True,
    "proc-renewal-owner": "Contract administrator in Purchasing",
    "proc-evaluation-criteria": [
        {"criterion": "Data protection", "weight": 40, "must_have": True, "evidence": "Review"}
    ],
    "proc-cooperatives": {"selected": ["state-contract"], "other": ""},
    "proc-free-tools": "approved-list-only",
    "inc-types": {"selected": ["data-leak", "near-miss"], "other": ""},
    "inc-channel": "The IT help desk, category AI issue",
    "inc-owner": "AI lead",
    "inc-severity": [{"severity": "critical", "response_time": "At once", "notify": "CIO"}],
    "inc-pause-authority": "The department head or the AI lead, each acting alone",
    "inc-monitoring": [
        {"tier": "II", "metric": "Error rate", "frequency": "monthly", "owner": "AI lead"}
    ],
}


@pytest.fixture
def riverton(demo) -> Jurisdiction:
    """Riverton with two screened uses in its register, entered by its editor."""
    return add_use_cases(demo, SCREENINGS)


def answer(jurisdiction: Jurisdiction, slug: str, value) -> None:
    question = Question.active.get(workbook=jurisdiction.workbook, slug=slug)
    Answer.objects.update_or_create(
        jurisdiction=jurisdiction, question=question, use_case=None, defaults={"value": value}
    )


def body(document) -> list[Section]:
    return [s for s in document.sections if s.heading != OPEN_ITEMS]


def texts(sections: list[Section], tables: bool = True) -> list[str]:
    """Every sentence-bearing string of these sections: clauses, list items, table cells."""
    parts = []
    for section in sections:
        parts.append(section.heading)
        for block in section.blocks:
            match block:
                case Paragraph() | Subheading():
                    parts.append(block.text)
                case BulletList():
                    parts += [block.lead, *block.items]
                case Table() if tables:
                    parts += [block.caption, *block.headers, *(c for r in block.rows for c in r)]
    return [p for p in parts if p]


def section(document, heading: str) -> Section:
    return next(s for s in document.sections if s.heading == heading)


def test_sections_follow_the_procedure_order(riverton):
    document = build_document(riverton, "sop")
    headings = [s.heading for s in document.sections if not s.appendix]
    assert headings == [h for h in SOP_ORDER if h in headings]
    # Riverton has decided everything but procurement, so only the vendor part is left out …
    assert set(SOP_ORDER) - set(headings) <= {"Vendor requirements"}
    assert [s.heading for s in document.sections if s.appendix] == APPENDICES
    assert any(i.section.endswith("Procurement and vendors") for i in document.open_items)
    # … and appears in its place once procurement is answered.
    for slug, value in MORE_ANSWERS.items():
        answer(riverton, slug, value)
    document = build_document(riverton, "sop")
    assert [s.heading for s in document.sections if not s.appendix] == SOP_ORDER
    vendors = texts([section(document, "Vendor requirements")])
    assert "Every contract for an AI product must include:" in vendors
    assert "The check is carried out by the Contract administrator in Purchasing." in vendors


def test_every_clause_is_numbered_without_gaps(riverton):
    document = build_document(riverton, "sop")
    assert document.numbered
    body_sections = [s for s in document.sections if not s.appendix]
    assert [s.number for s in body_sections] == [str(n) for n in range(1, len(body_sections) + 1)]
    appendices = [s.number for s in document.sections if s.appendix]
    assert appendices == list("ABC")
    for sec in document.sections:
        numbers = [b.number for b in sec.blocks if isinstance(b, NUMBERED_CLAUSES)]
        assert numbers == [f"{sec.number}.{n}" for n in range(1, len(numbers) + 1)], sec.title
        assert numbers, f"{sec.title} has no clause"
    tables = [b.number for s in document.sections for b in s.blocks if isinstance(b, Table)]
    assert tables == list(range(1, len(tables) + 1))


def test_no_question_wording_no_label_joins_no_doubled_punctuation(riverton):
    for slug, value in MORE_ANSWERS.items():
        answer(riverton, slug, value)
    document = build_document(riverton, "sop")
    parts = texts(body(document))
    text = "\n".join(parts)
    questions = Question.active.filter(workbook=riverton.workbook)
    for question in questions:
        assert question.text not in text, question.slug
    # An option's label never stands in for its clause (lists whose items are the labels aside;
    # a table cell shows the option chosen in its column).
    clauses = texts(body(document), tables=False)
    for question in questions.filter(
        field_type__in=[FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE]
    ):
        for option in question.options:
            if option.get("clause") and option["clause"] != option["label"]:
                assert option["label"] not in clauses, (question.slug, option["label"])
    # The joins the earlier composition made of a label and an answer.
    assert not re.search(
        r"\b(Oversight|Data classification|Retention|Report to|Incident owner|Exceptions"
        r"|Standard wording|Effective date|Owner of this procedure|Accountable executive"
        r"|A person must review|Say that AI helped|Vendors may keep them)\s*:",
        text,
    )
    assert "?" not in text.replace("Questions or concerns?", "")
    for part in parts:
        assert not re.search(r"[.,;:!?][.,;:]|\s[.,;:]|\s\s|\.\.", part), part


def test_accounts_only_leaves_personal_account_tools_out_of_the_matrix(riverton):
    document = build_document(riverton, "sop")
    tools = section(document, "Approved tools and the data each may receive")
    [matrix] = [b for b in tools.blocks if isinstance(b, Table)]
    personal = [
        r["tool"]
        for r in Answer.objects.get(
            jurisdiction=riverton, question__slug="data-tool-matrix", use_case=None
        ).value
        if r.get("city_account") is False
    ]
    assert personal == ["Free public chatbots and personal accounts"]
    assert personal[0] not in [row[0] for row in matrix.rows]
    assert "Account" not in matrix.headers and len(matrix.rows) == 4
    ban = next(b for b in tools.blocks if isinstance(b, BulletList))
    assert ban.lead.startswith("Staff must not use these tools for work") and ban.items == personal
    rule = "never through a personal account"
    assert any(rule in b.text for b in tools.blocks if isinstance(b, Paragraph))
    # Nowhere else does the procedure offer the personal-account tool.
    others = [s for s in body(document) if s is not tools]
    assert not any(personal[0] in t for t in texts(others))

    answer(riverton, "data-city-accounts-only", False)
    tools = section(build_document(riverton, "sop"), "Approved tools and the data each may receive")
    [matrix] = [b for b in tools.blocks if isinstance(b, Table)]
    assert [personal[0], "Personal"] == [matrix.rows[0][0], matrix.rows[0][-2]]
    assert not any(isinstance(b, BulletList) and "must not use" in b.lead for b in tools.blocks)


def test_the_data_classes_defined_are_the_classes_of_the_matrix(riverton):
    document = build_document(riverton, "sop")
    definitions = section(document, "Definitions")
    classes = next(b for b in definitions.blocks if isinstance(b, BulletList) and "class" in b.lead)
    defined = [item.split(" means ")[0] for item in classes.items]
    [matrix] = [b for b in document.sections[5].blocks if isinstance(b, Table)]
    assert (
        defined
        == matrix.headers[1:-1]
        == [
            "Public data",
            "Internal data",
            "Confidential data",
            "Restricted data",
        ]
    )
    assert all(" means " in item for item in classes.items)
    assert classes.lead == "Information falls into one of four data classes:"
    # Riverton's own scheme has three levels: the rule maps them onto the four classes.
    rule = texts([section(document, "Approved tools and the data each may receive")])[1]
    assert "in four classes, public, internal, confidential and restricted" in rule
    assert "three-level scheme" in rule


def test_each_table_caption_appears_once(riverton):
    for slug, value in MORE_ANSWERS.items():
        answer(riverton, slug, value)
    document = build_document(riverton, "sop")
    captions = [b.caption for s in document.sections for b in s.blocks if isinstance(b, Table)]
    assert len(captions) == len(set(captions))
    assert "Who approves each risk tier" in captions
    tier_table = [
        s.heading
        for s in document.sections
        for b in s.blocks
        if isinstance(b, Table) and b.caption == "Who approves each risk tier"
    ]
    assert tier_table == ["Requesting a new AI use"]


def test_uses_are_marked_permitted_needs_approval_and_prohibited_in_words(riverton):
    document = build_document(riverton, "sop")
    for heading in (
        "Permitted uses, uses that need approval and prohibited uses",
        "Quick-reference card",
    ):
        marks = [
            b.text.split(":")[0]
            for b in section(document, heading).blocks
            if isinstance(b, Subheading) and ":" in b.text
        ]
        assert marks == ["Permitted", "Needs approval", "Prohibited"], heading
    uses = section(document, "Permitted uses, uses that need approval and prohibited uses")
    lists = [b for b in uses.blocks if isinstance(b, BulletList)]
    # A lead may open with the law it meets ("To meet …, staff must never …").
    assert "staff may" in lists[0].lead.lower()
    assert "staff must never" in lists[2].lead.lower()
    assert any(
        item.startswith("Identifying people in public places from their face, voice")
        and "live or from recordings" in item
        for item in lists[2].items
    )


def test_quick_reference_card_is_short(riverton):
    for slug, value in MORE_ANSWERS.items():
        answer(riverton, slug, value)
    card = section(build_document(riverton, "sop"), "Quick-reference card")
    assert card.page_break and not any(isinstance(b, Table) for b in card.blocks)
    words = sum(len(t.split()) for t in texts([card]))
    assert words < 400
    assert "If something goes wrong, report it at once: The IT help desk, category AI issue." in (
        texts([card])
    )


def test_quick_reference_card_fits_one_pdf_page(riverton):
    for slug, value in MORE_ANSWERS.items():
        answer(riverton, slug, value)
    document = build_document(riverton, "sop")
    card = section(document, "Quick-reference card")
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(document))).pages]
    # The contents list names the card too; its page is the one that starts with it.
    [start] = [i for i, text in enumerate(pages) if text.startswith(card.title)]
    last = texts([card])[-1]
    assert " ".join(pages[start].split()).find(" ".join(last.split()[-4:])) > 0
    assert pages[start + 1].startswith(section(document, "Staff acknowledgment form").title)


def test_document_control_of_a_draft(riverton):
    document = build_document(riverton, "sop")
    fields = {f.label: f.value for f in document.control}
    places = document_inputs(riverton).places
    assert fields == {
        "Document number": "RIVERTON-AI-SOP",
        "Version": "1.0 draft",
        "Status": "Draft, not yet approved",
        "Effective date": "February 9, 2027 (planned)",
        "Supersedes": "None — first edition",
        "Owner": "Digital Services Manager (Tom Nakamura)",
        "Approved by": f"Pending (0 of {len(places)} sections approved)",
        # Reviewed every six months from the planned adoption date.
        "Next review": "August 9, 2027",
    }
    [revision] = document.revisions
    assert revision.version == "1.0 draft" and revision.date == document.date
    review = texts([section(document, "Review of this procedure")])
    assert "The next review of this procedure is due by August 9, 2027." in review
    strategy = control.control_fields(Writer(document_inputs(riverton)), "strategy")
    assert strategy[0].value == "RIVERTON-AI-STRATEGY"


def test_document_control_once_every_section_is_approved(riverton, demo):
    manager = demo["riverton-manager"]
    approved_at = datetime.datetime(2027, 1, 20, 15, 0, tzinfo=datetime.UTC)
    for workbook_section in WorkbookSection.active.filter(
        workbook=riverton.workbook, scope=WorkbookSection.Scope.JURISDICTION
    ):
        SectionProgress.objects.update_or_create(
            jurisdiction=riverton,
            section=workbook_section,
            defaults={
                "status": SectionStatus.APPROVED,
                "approved_by": manager,
                "approved_at": approved_at,
            },
        )
    # Final as far as approvals go, whatever else the adoption checks decide.
    inputs = dataclasses.replace(document_inputs(riverton), draft=False)
    w = Writer(inputs)
    fields = {f.label: f.value for f in control.control_fields(w, "sop")}
    name = manager.get_full_name() or manager.get_username()
    assert fields["Version"] == "1.0"
    assert fields["Status"] == "Final, approved for adoption"
    assert fields["Effective date"] == "February 9, 2027"
    assert fields["Approved by"] == name
    [revision] = control.revision_history(w, "sop")
    assert revision.date == datetime.date(2027, 1, 20) and name in revision.change

    adoption = control.adoption_section(w, "sop")
    assert adoption.heading == "Adoption and sign-off"
    [table] = [b for b in adoption.blocks if isinstance(b, Table)]
    assert table.headers == ["Signing as", "Name", "Title", "Signature", "Date"]
    assert ["Approved by", name, "", "", ""] in table.rows
    assert ["Adopted by", "Angela Ruiz", "City Manager", "", ""] in table.rows
    assert adoption.blocks[0].text == (
        "The City of Riverton adopts this procedure, document RIVERTON-AI-SOP, version 1.0, "
        "which takes effect on February 9, 2027."
    )
    strategy = compose("strategy", inputs)
    assert "Adoption and sign-off" in [s.heading for s in strategy.sections]
    assert {f.label: f.value for f in strategy.control}["Status"] == fields["Status"]


def test_every_option_the_sop_quotes_has_a_clause(riverton, monkeypatch):
    read: set[str] = set()
    original = Writer._read

    def recording(self, slug):
        read.add(slug)
        return original(self, slug)

    monkeypatch.setattr(Writer, "_read", recording)
    for slug, value in MORE_ANSWERS.items():
        answer(riverton, slug, value)
    build_document(riverton, "sop")
    assert {"data-classification-scheme", "rules-red", "inc-types", "gov-model"} <= read
    missing = []
    for question in Question.active.filter(workbook=riverton.workbook, slug__in=read):
        if question.field_type == FieldType.YES_NO:
            clauses = question.config.get("clauses") or {}
            missing += [f"{question.slug}: {k}" for k in ("yes", "no") if not clauses.get(k)]
        elif question.field_type in (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE):
            missing += [
                f"{question.slug}: {o['value']}" for o in question.options if not o.get("clause")
            ]
    assert not missing, sorted({m.split(":")[0] for m in missing})


def test_a_question_hidden_by_its_condition_is_not_an_open_item(riverton):
    # Riverton never lets vendors train on its data, so the conditions are never asked.
    document = build_document(riverton, "sop")
    hidden = Question.active.get(
        workbook=riverton.workbook, slug="data-vendor-training-conditions"
    ).text
    assert hidden not in [i.question for i in document.open_items]
    assert Writer(document_inputs(riverton)).shown("data-security-owner")

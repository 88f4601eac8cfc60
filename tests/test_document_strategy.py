"""The AI Strategy as a council would read it, composed from the seeded Riverton answers."""

import re
from collections import Counter

import pytest

from strategy.documents import strategy
from strategy.documents.build import document_inputs
from strategy.documents.compose import compose
from strategy.documents.inputs import DocumentInputs
from strategy.documents.model import (
    STRATEGY,
    BulletList,
    Document,
    Paragraph,
    Section,
    Subheading,
    Table,
)
from tests.test_documents import add_use_cases
from workbook.content.clauses import fill_clause
from workbook.models import FieldType

pytestmark = pytest.mark.django_db

# The choice and yes/no questions the strategy quotes, each option by its clause.
QUOTED = {
    "profile-jurisdiction-type",
    "profile-state",
    "profile-government-form",
    "profile-departments",
    "profile-existing-policies",
    "profile-adoption-route",
    "vision-drivers",
    "vision-principles",
    "vision-risk-appetite",
    "ready-barriers",
    "ready-concerns",
    "inv-non-ai-considered",
    "work-training-required",
    "work-champions",
    "work-labor-consultation",
    "work-skills",
    "engage-web-page",
    "engage-notice",
    "engage-methods",
    "engage-comment-traceability",
    "engage-equity-review",
}
# Two marks in a row, or a full stop after a closing quote that already ends the sentence.
DOUBLED = r"[!?;:,]\s?[.;:,!?]|\.\s?[;:,!?]|\.\s\.|(?<!\.)\.\.(?!\.)|[.!?][\"\u201d\u2019]\."
CHOICES = (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE)
YES_NO_SLUGS = sorted(
    s
    for s in QUOTED
    if s.startswith(("work-", "engage-", "inv-")) and s not in ("work-skills", "engage-methods")
)

# Riverton leaves workforce and engagement open; these answers fill them in for the tests.
WORKFORCE_AND_ENGAGEMENT = {
    "work-training-hours": 2,
    "work-curriculum": [
        {"audience": "all-staff", "topic": "Using AI safely", "format": "online", "mandatory": True}
    ],
    "work-labor-plan": "HR briefs both bargaining units before each pilot starts.",
    "work-job-commitment": "No employee will lose their job as a direct result of AI.",
    "work-skills": {"selected": ["prompting-review", "privacy-law"], "other": ""},
    "engage-web-launch": "2027-03-01",
    "engage-notice-text": '"You are chatting with an AI assistant. Type agent to reach a person."',
    "engage-methods": {"selected": ["survey", "pop-ups"], "other": "Ward meetings"},
    "engage-priority-groups": "Arabic-speaking households, through the mosque's community office.",
    "engage-feedback-channel": "Call 311 or email ai@riverton.example",
}


@pytest.fixture
def inputs(demo) -> DocumentInputs:
    return document_inputs(add_use_cases(demo))


def with_answers(inputs: DocumentInputs, yes: bool = True) -> DocumentInputs:
    """Riverton with its open workforce and engagement parts answered, every yes/no `yes`."""
    values = inputs.answers.values
    values.update(WORKFORCE_AND_ENGAGEMENT)
    values.update(dict.fromkeys(YES_NO_SLUGS, yes))
    return inputs


def body(document: Document) -> list[Section]:
    return [s for s in document.sections if s.heading != "Open items"]


def prose(document: Document) -> list[str]:
    """Every sentence-bearing text of the body: paragraphs, list leads and items, subheadings."""
    texts = []
    for section in body(document):
        texts.append(section.heading)
        for block in section.blocks:
            match block:
                case Paragraph() | Subheading():
                    texts.append(block.text)
                case BulletList():
                    texts += [block.lead, *block.items]
    return [t for t in texts if t]


def all_text(document: Document) -> str:
    texts = prose(document)
    for section in body(document):
        for block in section.blocks:
            if isinstance(block, Table):
                texts += [block.caption, *block.headers, *(c for r in block.rows for c in r)]
    return "\n".join(texts)


def own_words(inputs: DocumentInputs, document: Document) -> str:
    """The prose with the team's typed answers taken out: what the composer itself wrote."""
    answers = inputs.answers
    typed = [
        answers.text(slug)
        for slug, q in answers.questions.items()
        if q.field_type in (FieldType.SHORT_TEXT, FieldType.LONG_TEXT) and answers.has(slug)
    ]
    typed += [
        str(v["other"]) for v in answers.values.values() if isinstance(v, dict) and v.get("other")
    ]
    typed = sorted((t.strip() for t in typed if len(t.strip()) >= 8), key=len, reverse=True)
    lines = []
    for line in prose(document):
        # A list item cut from a typed answer (a shortlist read as a list) is the team's too.
        if any(line.rstrip(".") in t for t in typed):
            line = "«answer»"
        for answer in typed:
            line = line.replace(answer, "«answer»")
        lines.append(line)
    return "\n".join(lines)


def test_no_question_wording_reaches_the_strategy(inputs):
    document = compose(STRATEGY, with_answers(inputs))
    text = all_text(document).casefold()
    leaked = [
        q.text
        for q in inputs.answers.questions.values()
        if len(q.text) > 12 and q.text.casefold() in text
    ]
    assert leaked == []


def test_no_label_answer_joins(inputs):
    document = compose(STRATEGY, with_answers(inputs))
    written = own_words(inputs, document)
    answers = inputs.answers
    for slug, question in answers.questions.items():
        for option in question.options:
            label = option["label"]
            assert f"{label}:" not in written, (slug, label)
            assert f"{label}." not in written.replace(f"{label}.\n", ""), (slug, label)
    # A question mark followed by more text is a question stitched to its answer.
    assert not re.search(r"\?\s+\S", written), re.search(r".{40}\?\s+\S.{20}", written)
    # Nor "Label: answer" at the start of a sentence ("Form of government: council with …").
    for line in written.splitlines():
        assert not re.search(r"(?:^|(?<=[.!?] ))[A-Z][\w ,'()-]{0,40}: (?!«)", line), line


def test_no_doubled_punctuation(inputs):
    for yes in (True, False):
        document = compose(STRATEGY, with_answers(inputs, yes))
        text = "\n".join(prose(document))
        doubled = re.findall(r".{20}(?:" + DOUBLED + r").{0,5}", text)
        assert doubled == []
        assert "\ue000" not in text and "\ue001" not in text  # every cross-reference resolved


def test_counts_and_articles_agree(inputs):
    document = compose(STRATEGY, with_answers(inputs))
    written = own_words(inputs, document)
    assert not re.search(r"\b1 (?:[\w-]+ ){0,3}?[\w-]+s (are|were|need|have|fall)\b", written)
    assert not re.search(r"\b(?:[02-9]|\d{2,}) (use|action|idea|point|area|year)\b(?!s)", written)
    plural_subject = r"(?<!to )\b(?:[2-9]|\d{2,}) (?:of them |AI uses |uses |actions |ideas )?"
    assert not re.search(plural_subject + r"(is|was|needs|has|falls)\b", written)
    assert not re.search(r"\ba (?!one\b|use\b|u)[aeio]\w", written)
    assert (
        "The register lists 11 AI uses, of which 2 are in tier III or IV and need the highest "
        "level of approval, and 1 falls in a prohibited category" in written
    )


def test_one_use_and_one_action_read_in_the_singular(inputs):
    inputs = with_answers(inputs)
    inputs.register = [e for e in inputs.register if e.risk.tier == "III"][:1]
    inputs.answers.values["plan-actions"] = inputs.answers.values["plan-actions"][:1]
    written = "\n".join(prose(compose(STRATEGY, inputs)))
    assert "The register lists 1 AI use, of which 1 is in tier III or IV and needs" in written
    assert "sets out 1 action," in written
    assert "1 AI uses" not in written and "1 actions" not in written


def test_each_table_appears_once_and_the_risk_approach_refers_to_the_tier_table(inputs):
    document = compose(STRATEGY, with_answers(inputs))
    captions = Counter(b.caption for s in body(document) for b in s.blocks if isinstance(b, Table))
    assert captions and max(captions.values()) == 1, captions
    assert {"Who approves each risk tier", "AI use-case register"} <= set(captions)
    assert "Readiness by dimension (scores out of 100)" in captions
    sections = {s.heading: s for s in document.sections}
    risk = sections["Risk approach"]
    assert not any(isinstance(b, Table) for b in risk.blocks)
    governance = sections["Governance and accountability"]
    risk_text = " ".join(b.text for b in risk.blocks if isinstance(b, Paragraph))
    assert f"table of approvers in section {governance.number}" in risk_text
    register = sections["AI use-case register"]
    assert (
        register.appendix and register.title == f"Appendix {register.number}: AI use-case register"
    )
    summary = " ".join(
        b.text for b in sections["Executive summary"].blocks if isinstance(b, Paragraph)
    )
    assert f"The full register is in Appendix {register.number}." in summary


def test_cross_references_follow_the_sections_that_remain(inputs):
    # Without a readiness assessment its appendix goes, and the letters after it move up.
    for slug in [s for s in inputs.answers.values if s.startswith("ready-")]:
        del inputs.answers.values[slug]
    inputs.readiness = type(inputs.readiness)(
        [type(d)(d.slug, d.title, None, 0, d.items, None) for d in inputs.readiness.dimensions]
    )
    document = compose(STRATEGY, inputs)
    headings = [s.title for s in document.sections if s.appendix]
    assert headings[:3] == [
        "Appendix A: AI use-case register",
        "Appendix B: References",
        "Appendix C: Glossary",
    ]
    risk = next(s for s in document.sections if s.heading == "Risk approach")
    assert "(see Appendix B)" in " ".join(b.text for b in risk.blocks if isinstance(b, Paragraph))


def test_references_cite_the_nist_frameworks_in_full(inputs):
    document = compose(STRATEGY, inputs)
    references = next(s for s in document.sections if s.heading == "References")
    assert references.appendix
    items = [i for b in references.blocks if isinstance(b, BulletList) for i in b.items]
    rmf = next(i for i in items if "NIST AI 100-1" in i)
    profile = next(i for i in items if "NIST AI 600-1" in i)
    assert "Artificial Intelligence Risk Management Framework (AI RMF 1.0)" in rmf
    assert "January 2023" in rmf and "https://doi.org/10.6028/NIST.AI.100-1" in rmf
    assert "Generative Artificial Intelligence Profile" in profile
    assert "July 2024" in profile and "https://doi.org/10.6028/NIST.AI.600-1" in profile
    glossary = next(s for s in document.sections if s.heading == "Glossary")
    terms = " ".join(i for b in glossary.blocks if isinstance(b, BulletList) for i in b.items)
    for term in ("Artificial intelligence (AI)", "Generative AI", "A risk tier", "high-impact"):
        assert term in terms


def test_the_summary_lists_the_first_opportunities(inputs):
    document = compose(STRATEGY, inputs)
    summary = document.sections[0]
    assert summary.heading == "Executive summary" and summary.number == "1"
    lists = [b for b in summary.blocks if isinstance(b, BulletList)]
    assert len(lists) == 1
    assert lists[0].items == [
        "Council and board minutes drafts",
        "Permit completeness check",
        "Public comment analysis for the comprehensive plan update",
        "Ask Riverton web assistant in Spanish and Arabic",
    ]
    assert lists[0].lead == "The City of Riverton will pursue these opportunities first:"
    for block in summary.blocks:
        if isinstance(block, Paragraph):
            assert not re.search(r"\b\d\. [A-Z]", block.text), block.text
    # In its own section each one keeps its reasons, and the closing remark follows the list.
    section = next(s for s in document.sections if s.heading == "Priority opportunities")
    full = next(b for b in section.blocks if isinstance(b, BulletList))
    assert len(full.items) == 4 and full.items[1].startswith("Permit completeness check: highest")
    assert all(i.endswith(".") and not i.endswith("..") for i in full.items)


@pytest.mark.parametrize(
    ("text", "items", "remark"),
    [
        (
            "1. Minutes (low risk). 2. Permits (council goal). We parked drains.",
            ["Minutes (low risk).", "Permits (council goal)."],
            "We parked drains.",
        ),
        (
            "- Minutes\n- Permits\n  needs screening\n- Chat",
            ["Minutes", "Permits needs screening", "Chat"],
            "",
        ),
        (
            "Minutes first, then permits in version 2. Later chat.",
            ["Minutes first, then permits in version 2. Later chat."],
            "",
        ),
        ("Minutes; permits; chat", ["Minutes", "permits", "chat"], ""),
    ],
)
def test_a_shortlist_is_read_as_a_list(text, items, remark):
    assert strategy.list_items(text) == (items, remark)


def test_every_option_the_strategy_quotes_has_a_clause(inputs):
    questions = inputs.answers.questions
    assert set(questions) >= QUOTED
    for slug in sorted(QUOTED):
        question = questions[slug]
        if question.field_type in CHOICES:
            missing = [o["value"] for o in question.options if not o.get("clause")]
            assert missing == [], (slug, missing)
            clauses = [o["clause"] for o in question.options]
        else:
            assert question.field_type == FieldType.YES_NO, slug
            clauses = [question.config["clauses"][k] for k in ("yes", "no")]
        for clause in clauses:
            filled = fill_clause(clause, "the City of Riverton", lambda slug: "an answer")
            assert "{" not in filled and question.text not in filled, (slug, clause)
            for option in question.options:
                assert not filled.startswith(f"{option['label']}:"), (slug, clause)


@pytest.mark.parametrize("yes", [True, False])
def test_yes_and_no_answers_put_their_clauses_in_the_strategy(inputs, yes):
    document = compose(STRATEGY, with_answers(inputs, yes))
    text = all_text(document)
    questions = inputs.answers.questions
    for slug in YES_NO_SLUGS:
        clause = questions[slug].config["clauses"]["yes" if yes else "no"]
        assert fill_clause(clause, "the City of Riverton", lambda s: "") in text, slug
    # A follow-up question shown only after a yes is read only after a yes.
    assert ("The page goes live on March 1, 2027." in text) is yes
    assert ("The training needed before access takes 2 hours." in text) is yes
    open_questions = {i.question for i in document.open_items}
    assert questions["engage-web-launch"].text not in open_questions


def test_riverton_answers_read_as_policy(inputs):
    document = compose(STRATEGY, with_answers(inputs))
    text = all_text(document)
    assert (
        "The City of Riverton takes a balanced approach to AI. It moves steadily, and the checks "
        "a use must pass grow stronger as the stakes for residents rise."
    ) in text
    assert (
        "The executive sponsor of this strategy is Daniel Brooks, Assistant City Manager." in text
    )
    assert "Balanced: move steadily" not in text
    assert "Economic development and the municipal airport" in text  # typed under Other
    assert "Residents take part in shaping the City of Riverton's use of AI through:" in text
    assert "Not yet answered" not in text


def test_an_empty_workbook_gives_a_short_strategy_and_open_items(demo):
    from workbook.models import Jurisdiction

    document = compose(STRATEGY, document_inputs(Jurisdiction.objects.get(slug="lakeside")))
    headings = [s.heading for s in document.sections]
    assert headings[0] == "Executive summary" and headings[-1] == "Open items"
    assert {"Risk approach", "References", "Glossary"} <= set(headings)
    assert "Current state" not in headings and "Readiness detail" not in headings
    text = "\n".join(prose(document))
    assert "\ue000" not in text and "over the coming years" in text
    assert not any(isinstance(b, Subheading) for s in body(document) for b in s.blocks[-1:])
    assert len(document.open_items) > 20


def test_readiness_reads_as_on_the_readiness_page(inputs):
    """Score, level, target and gap in the document's words match the readiness page's."""
    document = compose(STRATEGY, inputs)
    gaps = inputs.readiness.largest_gaps()
    items = [
        i for s in body(document) for b in s.blocks if isinstance(b, BulletList) for i in b.items
    ]
    assert gaps
    for d in gaps:
        assert any(i.startswith(f"{d.title}, at {d.summary}") for i in items), d.slug
    governance = next(d for d in inputs.readiness.dimensions if d.slug == "governance")
    assert governance.summary == "46 — Developing; target Managed (80); gap 34"  # ratings 2, 2, 3
    appendix = next(s for s in document.sections if s.heading == "Readiness detail")
    table = next(b for b in appendix.blocks if isinstance(b, Table))
    row = next(r for r in table.rows if r[0] == "Governance and policy")
    assert row[1:] == ["46", "Developing", "Managed (80)", "34"]
    key = " ".join(b.text for b in appendix.blocks if isinstance(b, Paragraph))
    assert (
        "Ad hoc from 20, Developing from 40, Defined from 60, Managed from 80, Optimized from 100"
        in key
    )

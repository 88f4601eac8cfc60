"""The duties and crosswalk pages, the profile's kind and size kept on the jurisdiction, and the
duties and crosswalk in the documents: a Texas city of 60,000 and a small Colorado town."""

import io
import re
from types import MappingProxyType

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from strategy.answers import load_answers, load_use_cases
from strategy.documents.build import build_document, document_inputs
from strategy.documents.checks import run_checks
from strategy.documents.legal import answered_slugs
from strategy.documents.model import BulletList, Paragraph, Table
from strategy.documents.strategy import about
from strategy.law import content
from strategy.law.model import Requirement
from strategy.law.standing import Met, requirement_standing, standings
from strategy.register.entries import register_entries
from strategy.render.pdf import render_pdf
from tests.team_fixtures import current_version, make_team
from tests.test_adoption_checks import answers
from workbook.answers.actions import save_section
from workbook.models import Answer, Jurisdiction, Question, Section
from workbook.security.access import JurisdictionAccess
from workbook.teams.models import PopulationBand

pytestmark = pytest.mark.django_db


def save_profile(team, **values):
    section = Section.active.get(workbook=team.jurisdiction.workbook, slug="profile")
    save_section(
        access=JurisdictionAccess.of(team.editor, team.jurisdiction),
        section=section,
        values={k.replace("_", "-"): v for k, v in values.items()},
        expected_version=current_version(team, section),
    )
    team.jurisdiction.refresh_from_db()


def save(team, section_slug, values):
    section = Section.active.get(workbook=team.jurisdiction.workbook, slug=section_slug)
    save_section(
        access=JurisdictionAccess.of(team.editor, team.jurisdiction),
        section=section,
        values=values,
        expected_version=current_version(team, section),
    )


def document_text(jurisdiction, kind="strategy") -> str:
    document = build_document(jurisdiction, kind)
    texts = []
    for section in document.sections:
        texts.append(section.title)
        for block in section.blocks:
            if isinstance(block, Paragraph):
                texts.append(block.text)
            elif isinstance(block, BulletList):
                texts += [block.lead, *block.items]
            elif isinstance(block, Table):
                texts += [block.caption, *block.headers, *(c for r in block.rows for c in r)]
    return "\n".join(texts)


def section_text(jurisdiction, heading: str, kind="strategy") -> str:
    document = build_document(jurisdiction, kind)
    section = next(s for s in document.sections if s.heading == heading)
    texts = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            texts.append(block.text)
        elif isinstance(block, BulletList):
            texts += [block.lead, *block.items]
        elif isinstance(block, Table):
            texts += [block.caption, *(c for r in block.rows for c in r)]
    return "\n".join(texts)


@pytest.fixture
def texas(workbook):
    team = make_team(workbook, "harlan", "City of Harlan")
    save_profile(
        team,
        profile_jurisdiction_type="city",
        profile_state="TX",
        profile_population_count=60000,
        profile_adoption_route="ordinance",
        profile_existing_policies={"selected": ["privacy"], "other": ""},
        profile_departments={"selected": ["police", "hr"], "other": ""},
    )
    return team


@pytest.fixture
def colorado(workbook):
    team = make_team(workbook, "pika", "Town of Pika")
    save_profile(
        team, profile_jurisdiction_type="town", profile_state="CO", profile_population_count=2400
    )
    return team


# -- one place for the kind and size ------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "band"),
    [
        (0, "under_5k"),
        (4999, "under_5k"),
        (5000, "5k_25k"),
        (47850, "25k_100k"),
        (100000, "100k_500k"),
        (500000, "over_500k"),
    ],
)
def test_the_band_is_derived_from_the_number(population, band):
    assert PopulationBand.of(population) == band


def test_the_profile_save_keeps_the_jurisdiction_in_step(workbook):
    team = make_team(workbook, "elm", "Elm")
    assert (team.jurisdiction.kind, team.jurisdiction.population_band) == ("city", "25k_100k")
    save_profile(team, profile_jurisdiction_type="special-district", profile_population_count=3100)
    assert (team.jurisdiction.kind, team.jurisdiction.population_band) == (
        "special_district",
        "under_5k",
    )
    stored = Jurisdiction.objects.get(pk=team.jurisdiction.pk)
    assert (stored.kind, stored.population_band) == ("special_district", "under_5k")


def test_a_bad_population_is_refused_and_nothing_is_stored(client, workbook):
    team = make_team(workbook, "elm", "Elm")
    client.force_login(team.editor)
    url = reverse("workbook:section", kwargs={"jurisdiction_slug": "elm", "step": "profile"})
    page = client.get(url)
    data = {key: values[-1] for key, values in page.context["form"].data.lists()}
    data |= {
        "version": str(page.context["version"]),
        "base": page.context["base"],
        "workbook_elm-current_step": "profile",
        "wizard_action": "stay",
        "profile-state": "TX",
        "profile-population-count": "-5",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["profile-population-count"]
    # The bad number is not stored (the wizard keeps the section's valid answers as a draft).
    assert not Answer.objects.filter(
        jurisdiction=team.jurisdiction, question__slug="profile-population-count"
    ).exists()
    team.jurisdiction.refresh_from_db()
    assert team.jurisdiction.population_band == "25k_100k"

    response = client.post(url, data | {"profile-population-count": "3100"})
    assert response.status_code == 302
    team.jurisdiction.refresh_from_db()
    assert team.jurisdiction.population_band == "under_5k"
    stored = Answer.objects.get(jurisdiction=team.jurisdiction, question__slug="profile-state")
    assert stored.value == "TX"


def test_the_old_band_question_is_retired(workbook):
    assert not Question.active.filter(workbook=workbook, slug="profile-population").exists()
    state = Question.active.get(workbook=workbook, slug="profile-state")
    codes = {o["value"] for o in state.options}
    assert len(codes) == 56 and {"TX", "DC", "PR", "GU", "VI", "AS", "MP"} <= codes


@pytest.mark.parametrize(
    ("population", "text"),
    [(47850, "about 48,000"), (48000, "about 48,000"), (60000, "about 60,000"), (812, "812")],
)
def test_residents_are_rounded_as_a_document_gives_them(population, text):
    assert about(population) == text


# -- the duties and their checks ----------------------------------------------------------------


def test_a_texas_city_of_60000_gets_the_texas_and_large_ada_duties(texas):
    answers = load_answers(texas.jurisdiction)
    found = {s.duty.id: s for s in standings(answers, content.obligations().duties)}
    assert {"ada-title-ii-web-50k-plus", "tx-traiga-ai-interaction-notice"} <= set(found)
    assert "ada-title-ii-web-under-50k" not in found and "co-facial-recognition" not in found
    preemption = found["tx-traiga-local-preemption"]
    assert preemption.known and preemption.requirements[0].status is Met.MET
    notice = found["tx-traiga-ai-interaction-notice"]
    assert notice.requirements[0].status is Met.OPEN
    assert notice.requirements[0].missing == ("engage-notice",)
    save(texas, "engagement", {"engage-notice": False})
    answers = load_answers(texas.jurisdiction)
    notice = next(
        s
        for s in standings(answers, content.obligations().duties)
        if s.duty.id == "tx-traiga-ai-interaction-notice"
    )
    assert notice.requirements[0].status is Met.NOT_MET
    findings = run_checks(answers, register_entries(answers, load_use_cases(texas.jurisdiction)))
    by_check = {f.check: f for f in findings}
    assert "Tex. Bus. & Com. Code § 552.051" in by_check["texas-notice-optional"].message
    assert "ordinance or local law" in by_check["texas-preemption"].message


def test_the_demo_riverton_is_warned_about_texas_preemption(demo):
    riverton = Jurisdiction.objects.get(slug="riverton")
    inputs = document_inputs(riverton)
    assert "texas-preemption" in {f.check for f in inputs.findings}
    assert (riverton.kind, riverton.population_band) == ("city", "25k_100k")


def test_alder_falls_stays_final_and_reads_about_48000_residents(demo):
    alder = Jurisdiction.objects.get(slug="alderfalls")
    inputs = document_inputs(alder)
    assert inputs.findings == [] and not inputs.draft
    text = document_text(alder)
    assert "The area the Town of Alder Falls serves is home to about 48,000 residents." in text
    assert "The Town of Alder Falls is in Oregon, so the laws of Oregon apply" in text


# -- the documents: a Texas city of 60,000 and a small Colorado town -----------------------------


def test_the_texas_strategy_lists_its_duties_with_citations_and_dates(texas):
    text = section_text(texas.jurisdiction, "Legal and regulatory context")
    assert "confirm with your attorney" in text
    assert "it is not legal advice" in text
    for citation, effective in [
        ("Tex. Bus. & Com. Code § 552.051 (H.B. 149, 89th Leg., R.S., 2025)", "January 1, 2026"),
        ("Tex. Bus. & Com. Code § 552.003 (H.B. 149, 2025)", "January 1, 2026"),
        (
            "28 CFR part 35, subpart H (28 CFR 35.200(b)(1)), as amended by 91 FR 20902",
            "April 26, 2027",
        ),
    ]:
        assert citation in text and effective in text
    assert "Delayed" in text and "In force" in text
    assert "28 CFR 35.200(b)(2)" not in text  # the under-50,000 rule is not theirs
    assert "Colorado" not in text and "California" not in text
    assert "Residents are always told, in plain language" in text  # a requirement still open


def test_the_colorado_town_strategy_lists_the_replacement_law_and_the_repealed_act(colorado):
    text = section_text(colorado.jurisdiction, "Legal and regulatory context")
    assert "C.R.S. title 6, article 1, part 17, as repealed and reenacted by SB 26-189" in text
    assert "January 1, 2027" in text and "Enacted, not yet in force" in text
    assert "28 CFR 35.200(b)(2)" in text and "April 26, 2028" in text
    assert "28 CFR 35.200(b)(1)" not in text
    assert "no longer bind" in text and "SB 24-205" in text
    assert "Texas" not in text
    assert "confirm with your attorney" in text


def test_the_strategy_appends_the_crosswalk_table(texas, colorado):
    for team in (texas, colorado):
        document = build_document(team.jurisdiction, "strategy")
        appendix = next(s for s in document.sections if s.heading == "NIST AI RMF crosswalk")
        table = next(b for b in appendix.blocks if isinstance(b, Table))
        assert table.caption == "NIST AI RMF coverage by category"
        assert len(table.rows) == 19
        assert [r[0].split(":")[0] for r in table.rows][:2] == ["GOVERN 1", "GOVERN 2"]
        text = section_text(team.jurisdiction, "NIST AI RMF crosswalk")
        assert "Of the framework's 72 subcategories" in text
        # Only the profile is answered: GOVERN 1.1 (existing policies) or nothing else.
        assert re.search(
            r"^GOVERN \(.*\): (partly|not) covered, \d of 19 subcategories", text, re.M
        )


def test_an_sop_rule_that_meets_a_duty_cites_it(texas):
    save(texas, "workforce", {"work-training-required": True})
    save(texas, "use-rules", {"rules-disclosure": "always"})
    text = document_text(texas.jurisdiction, "sop")
    assert "This rule meets Tex. Gov't Code §§ 2054.5191, 772.012." in text
    assert "Tex. Bus. & Com. Code § 552.051" in text
    assert "confirm with the attorney" in text


def test_no_state_means_no_legal_section_and_an_open_item(workbook):
    team = make_team(workbook, "elm", "Elm")
    document = build_document(team.jurisdiction, "strategy")
    assert "Legal and regulatory context" not in [s.heading for s in document.sections]
    assert "Which state or territory are you in?" in {i.question for i in document.open_items}


# -- the pages ----------------------------------------------------------------------------------


def test_the_duties_page_says_what_meets_each_duty_and_links_the_questions(client, texas):
    client.force_login(texas.viewer)
    page = client.get(reverse("strategy:duties", kwargs={"jurisdiction_slug": "harlan"}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The product informs, it does not give legal advice" in html
    assert "Texas — telling residents they are dealing with an AI system" in html
    assert "Tex. Bus. &amp; Com. Code § 552.051" in html and "January 1, 2026" in html
    assert "/j/harlan/workbook/engagement/#q-engage-notice-group" in html
    assert "Missing:" in html and "Met:" in html
    assert "Colorado" not in html


def test_the_duties_page_without_a_state_says_which_may_apply(client, workbook):
    team = make_team(workbook, "elm", "Elm")
    client.force_login(team.editor)
    html = client.get(reverse("strategy:duties", kwargs={"jurisdiction_slug": "elm"})).content
    html = html.decode()
    assert "Duties that may apply" in html and "the state" in html
    assert "/j/elm/workbook/profile/#q-profile-state-group" in html


def test_the_crosswalk_page_links_each_gap_to_its_questions(client, texas):
    client.force_login(texas.editor)
    page = client.get(reverse("strategy:crosswalk", kwargs={"jurisdiction_slug": "harlan"}))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<th scope="row" data-label="Category">') == 19
    assert "GOVERN 1: " in html and "MANAGE 4: " in html
    assert "/j/harlan/workbook/governance/#q-gov-review-cadence-group" in html
    assert "Generative AI Profile risks" in html


def test_another_jurisdictions_pages_answer_404(client, texas, colorado):
    client.force_login(colorado.manager)
    for name in ("strategy:duties", "strategy:crosswalk"):
        response = client.get(reverse(name, kwargs={"jurisdiction_slug": "harlan"}))
        assert response.status_code == 404
        assert "City of Harlan" not in response.content.decode()


def test_the_admin_shows_kind_and_size_read_only_once_created(client, workbook):
    team = make_team(workbook, "elm", "Elm")
    boss = get_user_model().objects.create_superuser("boss", "boss@example.gov", "long-pass-123")
    client.force_login(boss)
    change = client.get(reverse("admin:workbook_jurisdiction_change", args=[team.jurisdiction.pk]))
    add = client.get(reverse("admin:workbook_jurisdiction_add"))
    assert change.status_code == add.status_code == 200
    assert 'name="kind"' not in change.content.decode()
    assert 'name="population_band"' not in change.content.decode()
    assert 'name="kind"' in add.content.decode()


# -- how answers meet a requirement: pure, table-tested --------------------------------------

NOTICE = Requirement(
    text="Residents are told.",
    questions=("engage-notice", "engage-notice-text"),
    answers=MappingProxyType({"engage-notice": (True,)}),
)
SCREENED = Requirement(text="Screened.", questions=("risk-mitigations",))


@pytest.mark.parametrize(
    ("requirement", "given", "status", "missing"),
    [
        (NOTICE, {}, Met.OPEN, ("engage-notice", "engage-notice-text")),
        (NOTICE, {"engage_notice": True}, Met.MET, ("engage-notice-text",)),
        (NOTICE, {"engage_notice": True, "engage_notice_text": "Hi."}, Met.MET, ()),
        (NOTICE, {"engage_notice": False}, Met.NOT_MET, ("engage-notice-text",)),
        # The wording kept from before a "no" is hidden by its condition: it no longer counts.
        (
            NOTICE,
            {"engage_notice": False, "engage_notice_text": "Hi."},
            Met.NOT_MET,
            ("engage-notice-text",),
        ),
        (SCREENED, {}, Met.PER_USE, ()),
    ],
)
def test_requirement_standing(requirement, given, status, missing):
    standing = requirement_standing(answers(**given), requirement)
    assert standing.status is status
    assert standing.missing == missing


@pytest.mark.parametrize("name", ["strategy:duties", "strategy:crosswalk"])
def test_the_pages_cost_the_same_with_few_or_many_answers(client, demo, name):
    # Riverton answers part of the workbook, Alder Falls all of it; both have a register.
    counts = []
    for slug in ("riverton", "alderfalls"):
        client.force_login(demo[f"{slug}-viewer"])
        url = reverse(name, kwargs={"jurisdiction_slug": slug})
        client.get(url)  # the content cache is warm from here on
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def pdf_text(jurisdiction) -> str:
    reader = PdfReader(io.BytesIO(render_pdf(build_document(jurisdiction, "strategy"))))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_the_pdfs_carry_the_legal_section_and_the_crosswalk(texas, colorado):
    """Read back from the rendered PDF: what a council member actually receives."""
    texas_text, colorado_text = pdf_text(texas.jurisdiction), pdf_text(colorado.jurisdiction)
    for text in (texas_text, colorado_text):
        assert "Legal and regulatory context" in text and "confirm with your attorney" in text
        assert "NIST AI RMF crosswalk" in text and "NIST AI RMF coverage by category" in text
        assert "GOVERN 1" in text and "MANAGE 4" in text
    assert "Tex. Bus. & Com. Code § 552.051" in texas_text and "April 26, 2027" in texas_text
    assert "about 60,000 residents" in texas_text
    assert "SB 26-189" in colorado_text and "April 26, 2028" in colorado_text
    assert "about 2,400 residents" in colorado_text and "Tex. Bus." not in colorado_text


def test_coverage_counts_answers_where_the_workbook_asks_them(demo):
    """A kept answer to a question no longer asked does not cover anything; a screening answer
    of any use in the register does."""
    riverton = Jurisdiction.objects.get(slug="riverton")
    answers = load_answers(riverton)
    register = register_entries(answers, load_use_cases(riverton))
    assert answers.raw("data-vendor-training") == "never"
    answers.values["data-vendor-training-conditions"] = "Only with written consent."
    answered = answered_slugs(answers, register)
    assert "data-vendor-training-conditions" not in answered
    assert "data-vendor-training" in answered
    screened = {slug for entry in register for slug in entry.screening}
    assert screened and screened <= answered

"""The council packet: the staff report, the adoption resolution or directive, the resident
summary, each read back from its PDF and Word file, and the ZIP with its manifest."""

import csv
import hashlib
import io
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
import yaml
from django.conf import settings
from pypdf import PdfReader

from strategy.documents import duties
from strategy.documents.build import build_document, document_inputs
from strategy.documents.compose import compose
from strategy.documents.resident_summary import reading_grade
from strategy.exports.cache import export_document
from strategy.exports.packet import MANIFEST, MANIFEST_HEADERS
from strategy.models import Export
from strategy.public.register import FIELD_NAMES
from strategy.render.docx import render_docx
from strategy.render.pdf import render_pdf
from tests.test_document_typography import squeeze, unhyphenated
from workbook.models import Jurisdiction, Question

pytestmark = pytest.mark.django_db
COUNCIL_DOCUMENTS = ("staff-report", "resolution", "resident-summary")
DEMOS = {"alderfalls": "FINAL", "riverton": "DRAFT"}
MAX_GRADE = 8
# The parts each document must have, whatever the answers.
REQUIRED = {
    "staff-report": [
        "Subject",
        "Recommended action",
        "Background",
        "Key commitments of the strategy",
        "Fiscal impact",
        "Alternatives considered",
        "Legal duties that apply",
        "Attachments",
        "Public register of AI uses (CSV)",
    ],
    "resolution": ["Recitals", "Whereas", "Operative clauses", "Effective date", "Signature"],
    "resident-summary": [
        "What we use AI for",
        "What we will not do",
        "How we tell you",
        "Questions, appeals and talking to a person",
        "The list of our AI uses",
    ],
}


def pdf_text(pdf: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages), len(reader.pages)


def demo_answers(slug: str) -> dict:
    name = {"alderfalls": "demo-alder-falls.yaml", "riverton": "demo-riverton.yaml"}[slug]
    sections = yaml.safe_load((Path(settings.BASE_DIR) / "fixtures" / name).read_text())["sections"]
    return {slug: value for answers in sections.values() for slug, value in answers.items()}


@pytest.mark.parametrize("slug", DEMOS)
@pytest.mark.parametrize("kind", COUNCIL_DOCUMENTS)
def test_each_document_has_its_parts_and_no_question_wording(demo, slug, kind):
    jurisdiction = Jurisdiction.objects.get(slug=slug)
    document = build_document(jurisdiction, kind)
    assert document.status == DEMOS[slug]
    text, _ = pdf_text(render_pdf(document))
    flat = unhyphenated(text)
    assert document.status in text
    for part in REQUIRED[kind]:
        assert unhyphenated(part) in flat, part
    # A draft's open items appendix names its questions; the body never does.
    body = unhyphenated(text.split("This draft leaves out what the team has not decided")[0])
    for question in Question.active.filter(workbook=jurisdiction.workbook):
        assert squeeze(question.text) not in body, question.slug
    if DEMOS[slug] == "FINAL":
        assert "Open items" not in text and "DRAFT" not in text

    # The Word file for the clerk's edits says the same.
    word = "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(document))).paragraphs)
    for part in REQUIRED[kind]:
        assert part in word, part


def test_the_resolution_follows_the_adoption_route(demo):
    alder_falls = build_document(Jurisdiction.objects.get(slug="alderfalls"), "resolution")
    assert alder_falls.title == "AI Strategy Adoption Resolution"
    text = unhyphenated(pdf_text(render_pdf(alder_falls))[0])
    assert unhyphenated("the governing body of the Town of Alder Falls resolves") in text
    assert unhyphenated("Presiding officer") in text and unhyphenated("Attest: clerk") in text

    # Riverton issues a directive now and brings a resolution later.
    riverton = build_document(Jurisdiction.objects.get(slug="riverton"), "resolution")
    assert riverton.title == "AI Strategy Adoption Administrative Directive"
    text = unhyphenated(pdf_text(render_pdf(riverton))[0])
    assert unhyphenated("the manager of the City of Riverton directs") in text
    assert unhyphenated("to the governing body for adoption by resolution") in text
    assert unhyphenated("Presiding officer") not in text

    # A different route in the profile gives a different instrument.
    inputs = document_inputs(Jurisdiction.objects.get(slug="alderfalls"))
    inputs.answers.values["profile-adoption-route"] = "ordinance"
    assert compose("resolution", inputs).title == "AI Strategy Adoption Ordinance"
    report = compose("staff-report", inputs)
    recommended = next(s for s in report.sections if s.heading == "Recommended action")
    assert "attached ordinance" in recommended.blocks[0].text


def test_state_preemption_warns_and_suggests_the_directive(demo, monkeypatch):
    inputs = document_inputs(Jurisdiction.objects.get(slug="alderfalls"))
    headings = [s.heading for s in compose("resolution", inputs).sections]
    assert "Note on state law" not in headings  # no state answered: nothing to warn about

    monkeypatch.setattr(duties, "state", lambda w: "TX")
    resolution = compose("resolution", inputs)
    note = next(s for s in resolution.sections if s.heading == "Note on state law")
    assert "§ 552.003" in note.blocks[0].text
    assert "administrative directive" in note.blocks[0].text
    report = compose("staff-report", inputs)
    legal = next(s for s in report.sections if s.heading == "Legal duties that apply")
    assert "Texas" in " ".join(str(b) for b in legal.blocks)

    # A resolution planned after the directive is warned about as well.
    inputs.answers.values["profile-adoption-route"] = "directive-then-resolution"
    headings = [s.heading for s in compose("resolution", inputs).sections]
    assert "Note on state law" in headings
    # Adopted by the manager's directive alone, there is no local rule of the governing body.
    inputs.answers.values["profile-adoption-route"] = "manager-directive"
    headings = [s.heading for s in compose("resolution", inputs).sections]
    assert "Note on state law" not in headings


def test_the_fiscal_impact_adds_up_the_action_plan(demo):
    answers = demo_answers("alderfalls")
    total = sum(Decimal(str(r.get("budget") or 0)) for r in answers["plan-actions"])
    text = unhyphenated(
        pdf_text(
            render_pdf(build_document(Jurisdiction.objects.get(slug="alderfalls"), "staff-report"))
        )[0]
    )
    assert unhyphenated(f"budgets ${total:,.0f}") in text
    assert unhyphenated(f"first-year cost of ${answers['plan-first-year-budget']:,}") in text


@pytest.mark.parametrize("slug", DEMOS)
def test_the_resident_summary_is_two_pages_at_grade_8(demo, slug):
    document = build_document(Jurisdiction.objects.get(slug=slug), "resident-summary")
    started = time.monotonic()
    text, pages = pdf_text(render_pdf(document))
    seconds = time.monotonic() - started
    grade = reading_grade(document)
    print(f"{slug} resident summary: {pages} pages, grade {grade:.1f}, rendered in {seconds:.2f} s")
    assert pages <= 2
    assert grade <= MAX_GRADE
    assert "AI" in text and document.jurisdiction in text


def read_packet(content: bytes) -> tuple[dict[str, bytes], list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    files = {name: archive.read(name) for name in archive.namelist()}
    manifest = list(csv.DictReader(io.StringIO(files.pop(MANIFEST).decode())))
    return files, manifest


@pytest.mark.parametrize("slug", DEMOS)
def test_the_packet_zip_matches_its_manifest(demo, slug):
    jurisdiction = Jurisdiction.objects.get(slug=slug)
    started = time.monotonic()
    content = export_document(jurisdiction, "packet", "zip")
    print(f"{slug} packet rendered in {time.monotonic() - started:.2f} s")
    files, manifest = read_packet(content)
    suffix = "" if DEMOS[slug] == "FINAL" else "-draft"
    stems = [
        "ai-strategy",
        "ai-sop",
        "ai-staff-report",
        "ai-adoption",
        "ai-resident-summary",
    ]
    expected = [f"{slug}-{s}{suffix}.pdf" for s in stems] + [
        f"{slug}-ai-public-register{suffix}.csv"
    ]
    assert sorted(files) == sorted(expected)
    assert list(manifest[0]) == MANIFEST_HEADERS
    assert [row["File"] for row in manifest] == expected
    for row in manifest:
        body = files[row["File"]]
        assert row["SHA-256"] == hashlib.sha256(body).hexdigest()
        assert int(row["Bytes"]) == len(body)
        assert row["Status"] == DEMOS[slug]
        assert row["Date"].split()[0] in {
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        }
    for name, body in files.items():
        if name.endswith(".pdf"):
            text, pages = pdf_text(body)
            print(f"  {name}: {pages} pages")
            assert DEMOS[slug] in text
    register = list(csv.reader(io.StringIO(files[expected[-1]].decode())))
    # The public register as residents download it: the documented fields, published uses only.
    assert tuple(register[0]) == FIELD_NAMES and len(register) > 1
    # Through the export cache: asked again, the stored file, the same bytes.
    assert export_document(jurisdiction, "packet", "zip") == content
    export = Export.objects.get(jurisdiction=jurisdiction, kind="packet")
    assert export.draft is (DEMOS[slug] == "DRAFT")
    assert export.filename == f"{slug}-ai-council-packet{suffix}.zip"


def test_only_the_packet_is_a_zip_and_each_member_asks_only_its_own(
    client, demo, django_capture_on_commit_callbacks
):
    client.force_login(demo["riverton-viewer"])
    for kind, fmt in [("packet", "pdf"), ("packet", "docx"), ("strategy", "zip"), ("x", "zip")]:
        response = client.post(f"/j/riverton/documents/{kind}/export/", {"format": fmt})
        assert response.status_code == 404, (kind, fmt)
    assert not Export.objects.exists()  # bad input stores nothing

    with django_capture_on_commit_callbacks():
        response = client.post("/j/riverton/documents/packet/export/", {"format": "zip"})
    assert response.status_code == 302
    export = Export.objects.get()
    assert (export.kind, export.format) == ("packet", "zip")

    # Another jurisdiction's members neither see it nor ask for a packet in Riverton's name.
    client.force_login(demo["lakeside-manager"])
    assert client.get(f"/j/riverton/exports/{export.pk}/").status_code == 404
    response = client.post("/j/riverton/documents/packet/export/", {"format": "zip"})
    assert response.status_code == 404
    assert Export.objects.count() == 1


def test_only_a_manager_exports_the_final_packet(client, demo):
    client.force_login(demo["alderfalls-viewer"])
    response = client.post("/j/alderfalls/documents/packet/export/", {"format": "zip"})
    assert response.status_code == 302 and response.url == "/j/alderfalls/documents/"
    assert not Export.objects.exists()


@pytest.mark.parametrize("kind", COUNCIL_DOCUMENTS)
def test_each_new_document_has_its_page_and_exports(client, demo, kind):
    client.force_login(demo["riverton-viewer"])
    page = client.get("/j/riverton/documents/")
    assert f'action="/j/riverton/documents/{kind}/export/"'.encode() in page.content
    assert b"Export the council packet as ZIP" in page.content
    assert b"as ZIP</button>" not in page.content.replace(b"council packet as ZIP</button>", b"")
    assert client.get(f"/j/riverton/documents/{kind}/").status_code == 200

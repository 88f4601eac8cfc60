"""Obligations by risk tier (fixtures/tier-obligations.yaml), the evidence members record, and
the prohibited uses the red list offers with their sources."""

import datetime
import itertools
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils.html import escape

from strategy.models import ObligationEvidence
from strategy.register import obligations
from strategy.register.actions import EVIDENCE_NOTE_MAX, entry_of, record_evidence
from strategy.register.obligations import (
    ObligationsFileError,
    obligations_path,
    read_tier_obligations,
    tier_obligations,
)
from strategy.scoring.risk import TIERS
from workbook.content.loader import WorkbookFileError, read_workbook_file
from workbook.models import AuditEvent, Membership, UseCase
from workbook.security.access import JurisdictionAccess

# Every obligation the tier checklists were asked to cover, by its key in the content.
REQUIRED = {
    "public-notice",
    "named-reviewer",
    "resident-explanation",
    "testing-before-use",
    "security-review",
    "monitoring",
    "operator-training",
    "appeal-route",
    "peer-review",
}
POTHOLE = "Pothole detection"  # Alder Falls, in regular use


def access_of(username: str, demo) -> JurisdictionAccess:
    return JurisdictionAccess.of_member(Membership.objects.get(user=demo[username]))


def use(slug: str, name: str) -> UseCase:
    return UseCase.objects.get(jurisdiction__slug=slug, name=name)


def evidence(**changes) -> dict:
    return {
        "obligation": "monitoring",
        "status": "met",
        "evidenced_on": datetime.date(2026, 11, 30),
        "note": "November sample of 40 detections reviewed by the streets supervisor.",
    } | changes


def posted(**changes) -> dict:
    return evidence(**changes) | {"evidenced_on": "2026-11-30"} | changes


# -- the content ------------------------------------------------------------------------------


def test_each_tier_has_its_checklist_and_each_obligation_cites_a_source():
    content = tier_obligations()
    assert content.keys() == REQUIRED
    for tier in TIERS:
        checklist = content.for_tier(tier)
        assert checklist, tier
        for obligation in checklist:
            assert obligation.text and obligation.sources, (tier, obligation.key)
            for source in obligation.sources:
                assert source.address.startswith("https://")
                assert source.checked == datetime.date(2026, 12, 2)
                # A source whose primary text was not read says what was confirmed instead.
                assert source.source_checked or source.note
    # The stakes rise with the tier: each tier asks at least what the one below it asks.
    for lower, higher in itertools.pairwise(TIERS):
        assert {o.key for o in content.for_tier(lower)} <= {o.key for o in content.for_tier(higher)}
    assert {o.key for o in content.for_tier("IV")} == REQUIRED
    assert content.for_tier("Prohibited") == () and content.for_tier(None) == ()


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(obligations_path().read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "tier-obligations.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["obligations"][0]["tiers"].update({"V": "x"}), "unknown tier 'V'"),
        (lambda d: d["obligations"][0].update(sources=["nowhere"]), "unknown source 'nowhere'"),
        (lambda d: d["obligations"][0].update(sources=[]), "must cite at least one"),
        (lambda d: d["obligations"][1].update(key="public-notice"), "duplicate obligation key"),
        (lambda d: d["obligations"][0].update(when="someday"), "'when' must be one of"),
        (lambda d: d["sources"]["omb-m-25-21"].update(note=""), "needs a 'note' saying so"),
        (lambda d: d["sources"]["canada-adm"].update(address="http://x"), "https address"),
        (
            lambda d: [o["tiers"].pop("I", None) for o in d["obligations"]],
            "tier I has no obligations",
        ),
    ],
)
def test_a_malformed_file_is_refused_naming_file_and_entry(tmp_path, change, message):
    path = _broken(tmp_path, change)
    with pytest.raises(ObligationsFileError) as caught:
        read_tier_obligations(path)
    assert str(path) in str(caught.value) and message in str(caught.value)


def test_manage_check_fails_on_a_malformed_file(tmp_path, settings):
    settings.TIER_OBLIGATIONS_FILE = _broken(
        tmp_path, lambda d: d["obligations"][0].update(sources=["nowhere"])
    )
    obligations.clear()
    try:
        with pytest.raises(SystemCheckError, match="unknown source 'nowhere'"):
            call_command("check")
    finally:
        obligations.clear()


# -- evidence ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_records_evidence_and_the_checklist_shows_the_latest(client, demo):
    pothole = use("alderfalls", POTHOLE)
    client.force_login(demo["alderfalls-editor"])
    url = f"/j/alderfalls/use-cases/{pothole.pk}/"
    page = client.get(url).content.decode()
    tier = entry_of(access_of("alderfalls-editor", demo), pothole)[0].risk.tier
    for obligation in tier_obligations().for_tier(tier):
        assert escape(obligation.text) in page
    assert 'id="evidence-heading"' in page

    first = client.post(f"{url}evidence/", posted(status="not-met", note="No sample taken yet."))
    assert first.status_code == 302
    assert first["Location"] == f"{url}#obligation-monitoring"
    client.post(f"{url}evidence/", posted())

    records = list(ObligationEvidence.objects.filter(use_case=pothole, obligation="monitoring"))
    assert [r.status for r in records[-2:]] == ["not-met", "met"]
    assert records[-1].recorded_by == demo["alderfalls-editor"]
    assert records[-1].tier == tier
    entry = entry_of(access_of("alderfalls-editor", demo), pothole)[0]
    (item,) = [i for i in entry.checklist if i.obligation.key == "monitoring"]
    assert item.met and item.evidence == records[-1]
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.EVIDENCE_RECORDED, detail__obligation="monitoring"
    ).exists()


@pytest.mark.django_db
def test_a_viewer_and_a_facilitator_cannot_record_evidence(client, demo):
    pothole = use("alderfalls", POTHOLE)
    before = ObligationEvidence.objects.count()
    client.force_login(demo["alderfalls-viewer"])
    page = client.get(f"/j/alderfalls/use-cases/{pothole.pk}/").content.decode()
    assert 'id="evidence-heading"' not in page
    assert client.post(f"/j/alderfalls/use-cases/{pothole.pk}/evidence/", posted()).status_code in (
        403,
        404,
    )
    with pytest.raises(PermissionDenied):
        record_evidence(
            access=access_of("alderfalls-viewer", demo), use_case=pothole, fields=evidence()
        )
    assert ObligationEvidence.objects.count() == before


@pytest.mark.django_db
def test_evidence_on_another_jurisdictions_entry_is_refused(client, demo):
    pothole = use("alderfalls", POTHOLE)
    before = ObligationEvidence.objects.count()
    client.force_login(demo["riverton-editor"])
    assert client.post(f"/j/riverton/use-cases/{pothole.pk}/evidence/", posted()).status_code == 404
    assert client.post(f"/j/alderfalls/use-cases/{pothole.pk}/evidence/", posted()).status_code in (
        403,
        404,
    )
    with pytest.raises(PermissionDenied):
        record_evidence(
            access=access_of("riverton-editor", demo), use_case=pothole, fields=evidence()
        )
    assert ObligationEvidence.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"obligation": "moon-landing"}, "obligation", "is not an obligation of tier"),
        ({"note": "x" * (EVIDENCE_NOTE_MAX + 1)}, "note", f"to {EVIDENCE_NOTE_MAX} characters"),
        ({"status": "maybe"}, "status", "Choose whether"),
        ({"status": "not-met", "note": ""}, "note", "Say what is missing"),
        ({"evidenced_on": datetime.date(2099, 1, 1)}, "evidenced_on", "cannot be in the future"),
    ],
)
def test_evidence_that_does_not_fit_is_refused(demo, changes, field, message):
    pothole = use("alderfalls", POTHOLE)
    before = ObligationEvidence.objects.count()
    with pytest.raises(ValidationError) as caught:
        record_evidence(
            access=access_of("alderfalls-editor", demo),
            use_case=pothole,
            fields=evidence(**changes),
        )
    assert message in " ".join(caught.value.message_dict[field])
    assert ObligationEvidence.objects.count() == before


@pytest.mark.django_db
def test_a_bad_key_posted_to_the_page_is_shown_as_an_error(client, demo):
    pothole = use("alderfalls", POTHOLE)
    before = ObligationEvidence.objects.count()
    client.force_login(demo["alderfalls-editor"])
    response = client.post(
        f"/j/alderfalls/use-cases/{pothole.pk}/evidence/", posted(obligation="moon-landing")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page and "is not an obligation of tier" in page
    assert ObligationEvidence.objects.count() == before


@pytest.mark.django_db
def test_an_unscreened_use_has_no_checklist_to_record_against(demo):
    unscreened = UseCase.objects.create(
        jurisdiction=use("alderfalls", POTHOLE).jurisdiction, name="Leaf pickup routing"
    )
    with pytest.raises(ValidationError, match="finish its risk screening"):
        record_evidence(
            access=access_of("alderfalls-editor", demo), use_case=unscreened, fields=evidence()
        )
    assert not ObligationEvidence.objects.filter(use_case=unscreened).exists()


# -- prohibited uses --------------------------------------------------------------------------

# The categories the red list must offer, each with the sources that ban it.
PROHIBITED = {
    "biometric-identification": ("article 5(1)(h)", "19B", "Portland"),
    "social-scoring": ("article 5(1)(c)",),
    "crime-prediction-profiling": ("article 5(1)(d)",),
    "emotion-recognition": ("article 5(1)(f)",),
    "facial-image-scraping": ("article 5(1)(e)",),
    "biometric-categorization": ("article 5(1)(g)",),
    "manipulative-techniques": ("article 5(1)(a)",),
}


def _question(data: dict, slug: str) -> dict:
    return next(q for s in data["sections"] for q in s["questions"] if q["slug"] == slug)


def test_the_red_list_covers_the_prohibited_categories_each_with_its_sources():
    data = read_workbook_file(Path(settings.WORKBOOK_FILE))
    red = {str(o["value"]): o for o in _question(data, "rules-red")["options"]}
    screened = {str(o["value"]) for o in _question(data, "risk-prohibited")["options"]}
    # A use is screened against the same categories the rules can ban.
    assert set(red) == screened
    for value, cited in PROHIBITED.items():
        option = red[value]
        assert option["clause"].strip(), value
        citations = " ".join(source["citation"] for source in option["sources"])
        for part in cited:
            assert part in citations, (value, part)
        for source in option["sources"]:
            assert source["address"].startswith("https://")
            assert source["checked"] == "2026-12-02"
            assert source["source_checked"] or source["note"], (value, source["citation"])
    # A narrow exception may be recorded for biometric identification, nowhere else.
    assert "exception" in red["biometric-identification"]["clause"]


@pytest.mark.parametrize(
    "source, message",
    [
        ({"citation": "", "address": "https://example.org/a"}, "needs a 'citation'"),
        ({"citation": "Rule", "address": "http://example.org/a"}, "https 'address'"),
        ({"citation": "Rule", "address": "https://example.org/a", "checked": "soon"}, "'checked'"),
        (
            {"citation": "Rule", "address": "https://example.org/a", "checked": "2026-12-02"},
            "'source_checked' must be true or false",
        ),
        (
            {
                "citation": "Rule",
                "address": "https://example.org/a",
                "checked": "2026-12-02",
                "source_checked": False,
            },
            "needs a 'note'",
        ),
    ],
)
def test_an_option_source_that_does_not_say_where_and_when_is_refused(tmp_path, source, message):
    data = yaml.safe_load(Path(settings.WORKBOOK_FILE).read_text(encoding="utf-8"))
    _question(data, "rules-red")["options"][0]["sources"] = [source]
    path = tmp_path / "workbook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(WorkbookFileError) as caught:
        read_workbook_file(path)
    assert "rules-red" in str(caught.value) and message in str(caught.value)

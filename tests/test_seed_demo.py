"""seed_demo: idempotent, realistic, never overwrites work."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from workbook.answers.actions import save_section
from workbook.models import Answer, Jurisdiction, Membership, SectionProgress, SectionStatus
from workbook.security.access import JurisdictionAccess

pytestmark = pytest.mark.django_db


def seed(password="pw-12345-demo"):
    out = io.StringIO()
    call_command("seed_demo", password=password, stdout=out)
    return out.getvalue()


def test_seed_creates_jurisdictions_roles_and_a_facilitator(workbook):
    output = seed()
    assert set(Jurisdiction.objects.values_list("name", flat=True)) == {
        "City of Riverton",
        "Lakeside County",
    }
    for slug in ("riverton", "lakeside"):
        roles = set(
            Membership.objects.filter(jurisdiction__slug=slug).values_list("role", flat=True)
        )
        assert roles == {"editor", "manager", "viewer"}
    facilitator = get_user_model().objects.get(username="facilitator")
    assert facilitator.is_staff and not facilitator.is_superuser
    assert list(facilitator.facilitated_jurisdictions.values_list("slug", flat=True)) == [
        "riverton"
    ]
    assert "riverton-editor" in output and "pw-12345-demo" in output
    assert get_user_model().objects.get(username="riverton-editor").check_password("pw-12345-demo")


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
    assert not Answer.objects.filter(jurisdiction__slug="lakeside").exists()


def test_seed_is_idempotent_and_keeps_edits(workbook):
    seed()
    counts = (get_user_model().objects.count(), Membership.objects.count(), Answer.objects.count())
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
    assert (
        get_user_model().objects.count(),
        Membership.objects.count(),
        Answer.objects.count(),
    ) == counts
    answer.refresh_from_db()
    assert answer.value == "Our own words"


def test_seed_without_password_generates_one(workbook):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    password = out.getvalue().split("(password: ")[1].split(")")[0]
    assert len(password) >= 12
    assert get_user_model().objects.get(username="riverton-manager").check_password(password)


def test_riverton_register_has_screened_use_cases(workbook, client):
    seed()
    riverton = Jurisdiction.objects.get(slug="riverton")
    use_cases = list(riverton.use_cases.order_by("name"))
    assert len(use_cases) == 3
    assert all(Answer.objects.filter(use_case=u).count() >= 14 for u in use_cases)

    seed()  # a register in use is left alone
    assert riverton.use_cases.count() == 3

    client.force_login(get_user_model().objects.get(username="riverton-viewer"))
    page = client.get("/j/riverton/use-cases/").content.decode()
    assert "Screening housing-assistance applications" in page
    assert "Drafting council meeting minutes" in page

"""A section page's questions are made once per answers and kept (workbook.kept): kept markup is
the page its request would have made, and never another person's or jurisdiction's."""

import re

import pytest
from django.urls import reverse

from workbook.content.cache import workbook_content
from workbook.models import Answer, Jurisdiction, Section
from workbook.wizard.views import SectionWizard

pytestmark = pytest.mark.django_db


def section_slugs(slug: str = "riverton") -> list[str]:
    workbook = Jurisdiction.objects.get(slug=slug).workbook
    return list(
        Section.active.filter(workbook=workbook, scope=Section.Scope.JURISDICTION)
        .order_by("position")
        .values_list("slug", flat=True)
    )


def page(client, section: str, jurisdiction: str = "riverton") -> str:
    response = client.get(reverse("workbook:section", args=[jurisdiction, section]))
    assert response.status_code == 200
    # A form's CSRF token is masked anew on every request.
    return re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]+"', r"\1", response.content.decode())


def made_for_the_request(self, form, context):
    """The page's questions as a page with comments makes them: by its own `{% partial %}`."""
    return {
        "questions": form.question_fields(),
        "question_groups": form.question_groups(),
        "errors": form.attention_items(),
        "invalid": bool(form.error_items()),
    }


@pytest.mark.parametrize("role", ["editor", "viewer"])
def test_every_section_from_kept_markup_is_the_page_made_for_its_request(
    client, demo, monkeypatch, role
):
    client.force_login(demo[f"riverton-{role}"])
    sections = section_slugs()
    made = {slug: page(client, slug) for slug in sections}
    kept = {slug: page(client, slug) for slug in sections}
    monkeypatch.setattr(SectionWizard, "questions_context", made_for_the_request)
    # Nothing kept: each page's body and questions made for the request (decision 22).
    workbook_content(Jurisdiction.objects.get(slug="riverton").workbook).markup.clear()
    fresh = {slug: page(client, slug) for slug in sections}
    for slug in sections:
        assert made[slug] == kept[slug] == fresh[slug], slug


def test_a_changed_answer_is_on_the_next_page_at_once(client, demo):
    client.force_login(demo["riverton-editor"])
    answer = Answer.objects.filter(
        jurisdiction__slug="riverton", use_case=None, question__field_type="long_text"
    ).select_related("question__section")[0]
    section = answer.question.section.slug
    page(client, section)  # made and kept for the answers as they are
    Answer.objects.filter(pk=answer.pk).update(value="A <i>new</i> answer, kept by its value.")
    assert "A &lt;i&gt;new&lt;/i&gt; answer, kept by its value." in page(client, section)


def test_a_viewer_never_gets_the_markup_made_for_an_editor(client, demo):
    section = section_slugs()[1]
    client.force_login(demo["riverton-editor"])
    editing = page(client, section)
    client.force_login(demo["riverton-viewer"])
    reading = page(client, section)
    assert editing != reading
    assert " disabled" in reading
    assert "Add a row" not in reading

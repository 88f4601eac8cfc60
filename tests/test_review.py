"""The review page: every section's answers, gaps marked, a way back to each section."""

import pytest
from django.urls import reverse

from workbook.models import Answer

pytestmark = pytest.mark.django_db


def review(client, user, slug="riverton"):
    client.force_login(user)
    return client.get(reverse("workbook:review", args=[slug]))


def test_review_shows_every_section_with_answers_and_edit_links(client, demo):
    response = review(client, demo["riverton-editor"])
    assert response.status_code == 200
    body = response.content.decode()
    sections = response.context["sections"]
    assert [s["section"].slug for s in sections][:3] == ["profile", "vision", "readiness"]
    assert "risk-screening" not in [s["section"].slug for s in sections]
    for entry in sections:
        address = reverse("workbook:section", args=["riverton", entry["section"].slug])
        assert f'href="{address}"' in body
    # Labels, not stored keys; tables as real tables.
    assert "Daniel Brooks, Assistant City Manager" in body
    assert "Council with an appointed manager or administrator" in body
    assert '<th scope="col">Role on the team</th>' in body
    assert '<td data-label="Name">Rachel Kim</td>' in body  # a stacked card on a phone
    assert '<td data-label="Role on the team">Legal</td>' in body


def test_review_marks_required_questions_not_yet_answered(client, demo):
    response = review(client, demo["riverton-viewer"])
    body = response.content.decode()
    procurement = next(
        s for s in response.context["sections"] if s["section"].slug == "procurement"
    )
    missing = procurement["answers"].count("Not yet answered")
    assert missing and procurement["missing_count"] == missing
    assert procurement["answers"] in body
    # The viewer reads; the link says Open rather than Edit.
    assert '>Open<span class="usa-sr-only">' in body


def test_review_of_another_jurisdiction_is_404(client, demo):
    assert review(client, demo["lakeside-editor"], "riverton").status_code == 404


def test_demo_answers_survive_a_round_trip_through_every_section(client, demo):
    """Opening each seeded section and saving it unchanged writes nothing."""
    client.force_login(demo["riverton-editor"])
    before = {a.pk: a.value for a in Answer.objects.all()}
    history = Answer.history.count()
    for entry in review(client, demo["riverton-editor"]).context["sections"]:
        slug = entry["section"].slug
        address = reverse("workbook:section", args=["riverton", slug])
        page = client.get(address)
        data = {k: v if len(v) > 1 else v[0] for k, v in page.context["form"].data.lists()}
        data |= {
            "version": str(page.context["version"]),
            "workbook_riverton-current_step": slug,
            "wizard_action": "stay",
        }
        response = client.post(address, data)
        assert response.status_code == 302, (slug, response.context and response.context["errors"])
    assert {a.pk: a.value for a in Answer.objects.all()} == before
    assert Answer.history.count() == history


def test_a_changed_answer_shows_on_the_review_page_at_once(client, demo):
    """The sections' markup is kept by their answers: a new answer is new markup."""
    review(client, demo["riverton-editor"])  # kept for the answers as they are
    vision = Answer.objects.filter(
        jurisdiction__slug="riverton", question__field_type="long_text", use_case=None
    ).first()
    Answer.objects.filter(pk=vision.pk).update(value="Answers <b>kept</b> by their values.")
    body = review(client, demo["riverton-editor"]).content.decode()
    assert "Answers &lt;b&gt;kept&lt;/b&gt; by their values." in body

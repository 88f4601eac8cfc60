"""Dashboard and workbook overview: signed-in members only, each sees only their jurisdictions."""

import html
import re

import pytest
from django.urls import reverse

from workbook.models import Section, SectionStatus

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_sign_in(client, demo):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_dashboard_lists_only_the_users_jurisdictions(client, demo):
    client.force_login(demo["riverton-editor"])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "City of Riverton" in body
    assert "Lakeside County" not in body
    assert reverse("workbook:overview", args=["riverton"]) in body


def test_overview_lists_sections_with_status(client, demo):
    client.force_login(demo["riverton-viewer"])
    response = client.get(reverse("workbook:overview", args=["riverton"]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) >= 12
    assert any(r.progress.status == SectionStatus.COMPLETE for r in rows)


def test_overview_of_another_jurisdiction_is_404(client, demo):
    client.force_login(demo["lakeside-manager"])
    assert client.get(reverse("workbook:overview", args=["riverton"])).status_code == 404
    assert client.get(reverse("workbook:overview", args=["nowhere"])).status_code == 404


def test_dashboard_query_count_does_not_grow_with_jurisdictions(
    client, demo, django_assert_max_num_queries
):
    client.force_login(demo["riverton-editor"])
    with django_assert_max_num_queries(8):  # one of them counts the comments
        client.get(reverse("dashboard"))


def page_text(response) -> str:
    """The visible text of a page, tags dropped and white space collapsed."""
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(text).split())


def test_sections_are_numbered_as_the_team_works_through_them(client, demo):
    """The section screened per use case sits among the others in the workbook file; the
    team's numbering skips it, the same on every page."""
    sections = list(
        Section.active.filter(workbook__jurisdictions__slug="riverton").order_by("position")
    )
    team_sections = [s for s in sections if s.scope == Section.Scope.JURISDICTION]
    assert len(team_sections) < len(sections), "the workbook has a per-use-case section"
    assert [s.position for s in team_sections] != list(range(1, len(team_sections) + 1))
    per_use_case = next(s for s in sections if s.scope == Section.Scope.USE_CASE)

    client.force_login(demo["riverton-editor"])
    after_gap = next(s for s in team_sections if s.position > per_use_case.position)
    number_after_gap = team_sections.index(after_gap) + 1
    section_page = client.get(
        reverse(
            "workbook:section", kwargs={"jurisdiction_slug": "riverton", "step": after_gap.slug}
        )
    )
    assert f"Section {number_after_gap} · City of Riverton" in page_text(section_page)
    pages = {
        "step list": section_page,
        "overview": client.get(reverse("workbook:overview", args=["riverton"])),
        "review": client.get(reverse("workbook:review", args=["riverton"])),
    }
    for name, response in pages.items():
        text = page_text(response)
        shown = [
            int(m.group(1))
            for s in team_sections
            for m in [re.search(rf"(\d+)\. {re.escape(s.title)}", text)]
            if m
        ]
        assert shown == list(range(1, len(team_sections) + 1)), name
        assert f"{per_use_case.position}. {per_use_case.title}" not in text, name


@pytest.mark.parametrize("jurisdiction", ["riverton", "town_STEP_of-_STEP_"])
def test_section_urls_are_the_addresses_reverse_gives(jurisdiction):
    from workbook.workflow.views import section_urls

    url = section_urls(jurisdiction)
    for step in ["profile", "readiness", "_STEP_"]:
        expected = reverse("workbook:section", args=[jurisdiction, step])
        assert url(step) == expected

"""The readiness section grouped by area, its target cards, and the results page's wording."""

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from strategy.answers import load_answers
from strategy.scoring.readiness import readiness_from_answers
from workbook.comments.actions import add_comment
from workbook.models import Question, Section
from workbook.security.access import JurisdictionAccess

SVG = "{http://www.w3.org/2000/svg}"


def section_page(client, user, slug: str = "riverton", step: str = "readiness") -> str:
    client.force_login(user)
    url = reverse("workbook:section", kwargs={"jurisdiction_slug": slug, "step": step})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def groups_of(html: str) -> list[tuple[str, str]]:
    """Each group's heading and the markup under it, in page order."""
    parts = re.split(r'<h2 class="app-question-group__heading" id="[^"]+">', html)[1:]
    return [tuple(part.split("</h2>", 1)) for part in parts]  # type: ignore[misc]


@pytest.mark.django_db
def test_readiness_questions_sit_under_a_heading_per_area_in_order(client, demo, workbook):
    groups = groups_of(section_page(client, demo["riverton-editor"]))
    areas = [d["title"] for d in workbook.dimensions]
    assert [title for title, _ in groups] == [*areas, "Staff use and concerns"]
    questions = Question.active.filter(workbook=workbook, section__slug="readiness")
    for question in questions:
        scoring = question.scoring or {}
        expected = next(
            (d["title"] for d in workbook.dimensions if d["slug"] == scoring.get("dimension")),
            "Staff use and concerns",
        )
        holding = [title for title, body in groups if f'id="q-{question.slug}-group"' in body]
        assert holding == [expected], question.slug
    # Within an area, the ratings of today come first and the target last.
    for slug in [d["slug"] for d in workbook.dimensions]:
        area = [q for q in questions if (q.scoring or {}).get("dimension") == slug]
        roles = [q.scoring["role"] for q in sorted(area, key=lambda q: q.position)]
        assert roles[-1] == "readiness_target" and set(roles[:-1]) == {"readiness_item"}


@pytest.mark.django_db
def test_each_area_says_how_many_of_its_questions_are_answered(client, demo, workbook):
    from workbook.models import Answer, Jurisdiction

    riverton = Jurisdiction.objects.get(slug="riverton")
    # Two of governance's four questions unanswered: the page counts what is stored.
    Answer.objects.filter(
        jurisdiction=riverton,
        question__slug__in=["ready-governance-policy", "ready-target-governance"],
    ).delete()
    groups = dict(groups_of(section_page(client, demo["riverton-editor"])))
    assert "2 of 4 answered" in groups["Governance and policy"]
    assert "5 of 5 answered" in groups["Leadership and strategy"]
    lakeside = dict(groups_of(section_page(client, demo["lakeside-editor"], "lakeside")))
    assert "0 of 5 answered" in lakeside["Leadership and strategy"]


@pytest.mark.django_db
def test_the_page_links_to_each_area_and_keeps_the_heading_order(client, demo, workbook):
    editor = demo["riverton-editor"]
    add_comment(
        access=JurisdictionAccess.open(demo["riverton-manager"], "riverton"),
        section=Section.active.get(workbook=workbook, slug="readiness"),
        about="ready-data-quality",
        body="Is the permit data really patchy?",
    )
    html = section_page(client, editor)
    assert '<h3 class="app-comments__heading">Comments' in html  # under its area's h2
    nav = html.split('aria-label="Parts of this section"', 1)[1].split("</nav>", 1)[0]
    for title, _ in groups_of(html):
        anchor = re.search(rf'id="(group-[\w-]+)">{re.escape(title)}</h2>', html)
        assert anchor and f'href="#{anchor.group(1)}"' in nav
    # From the page's h1: an h2 per area, and no heading below skips a level.
    after_title = html.split("<h1", 1)[1]
    levels = [1, *(int(n) for n in re.findall(r"<h([1-6])[\s>]", after_title))]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert levels.count(2) >= len(workbook.dimensions) + 1


@pytest.mark.django_db
def test_a_section_without_groups_has_no_area_headings(client, demo):
    html = section_page(client, demo["riverton-editor"], step="profile")
    assert "app-question-group" not in html and "Parts of this section" not in html


@pytest.mark.django_db
def test_targets_use_the_same_answer_cards_as_the_ratings(client, demo, workbook):
    groups = dict(groups_of(section_page(client, demo["riverton-editor"])))
    leadership = groups["Leadership and strategy"]
    target = leadership.split('id="q-ready-target-leadership-group"', 1)[1]
    rating = leadership.split('id="q-ready-leadership-vision-group"', 1)[1]
    for markup in (target, rating):
        assert markup.count("usa-radio__input--tile") >= 5
        assert markup.count("usa-checkbox__label-description") >= 5
    assert "3 – Defined<span" in target and "5 – Optimized<span" in target
    assert re.search(r'value="4"[^>]*checked', target.split("</fieldset>", 1)[0])


# -- The results page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_results_page_reads_score_level_and_target_one_way(client, demo):
    from workbook.models import Jurisdiction

    riverton = Jurisdiction.objects.get(slug="riverton")
    scores = readiness_from_answers(load_answers(riverton))
    governance = next(d for d in scores.dimensions if d.slug == "governance")
    # Ratings 2, 2 and 3 (weights 3, 2, 2): 46 out of 100, which is not yet Defined.
    assert (governance.score, governance.band) == (46, "Developing")
    client.force_login(demo["riverton-viewer"])
    html = client.get(reverse("strategy:readiness", args=["riverton"])).content.decode()
    row = html.split('<th scope="row">Governance and policy</th>', 1)[1].split("</tr>", 1)[0]
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells == ["46", "Developing", "Managed (80)", "34"]
    for d in scores.largest_gaps():
        assert f"<strong>{d.title}</strong>: {d.summary}." in html
    governance_line = "46 — Developing; target Managed (80); gap 34"
    assert f"<strong>Governance and policy</strong>: {governance_line}." in html
    assert "Defined from 60" in html  # the key to the levels


@pytest.mark.django_db
def test_results_chart_has_scale_labels_legend_and_a_text_alternative(client, demo):
    client.force_login(demo["riverton-viewer"])
    html = client.get(reverse("strategy:readiness", args=["riverton"])).content.decode()
    markup = re.search(r"<svg.*?</svg>", html, re.S).group(0)  # type: ignore[union-attr]
    svg = ET.fromstring(markup)  # noqa: S314 - the page's own markup, not outside input
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text and svg.find(f"{SVG}desc").text  # type: ignore[union-attr]
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    for ring in ["20", "40", "60", "80", "100"]:
        assert ring in texts
    legend = svg.find(f"{SVG}g[@class='doc-chart__legend']")
    assert legend is not None
    assert [t.text for t in legend.iter(f"{SVG}text")] == [
        "Today (solid line, filled)",
        "Target (dashed line)",
    ]
    assert "<caption>Readiness by dimension</caption>" in html  # the chart's numbers as text
    rings = "20 Ad hoc, 40 Developing, 60 Defined, 80 Managed, 100 Optimized"
    assert f"Each ring is where a level starts: {rings}." in html

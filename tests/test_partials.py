"""The section page's Jinja2 partials (workbook.templating): every value escaped, whatever
the engine's options say; Django's safe markup kept as is; missing values empty."""

import textwrap

import pytest
from django.contrib.auth import get_user_model
from django.template import engines
from django.urls import reverse
from django.utils.safestring import mark_safe

from workbook.answers.actions import save_section
from workbook.comments.actions import add_comment
from workbook.content.loader import load_workbook
from workbook.models import Jurisdiction, Membership, Role, Section
from workbook.security.access import JurisdictionAccess
from workbook.templating import environment

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"

# Content is trusted less than it looks: a content file is edited by people too.
CONTENT = textwrap.dedent(
    """
    edition: Partials Test Workbook
    version: "1"
    sections:
      - slug: basics
        title: Basics
        intro: Every kind of control.
        questions:
          - slug: name
            type: short_text
            text: 'Name <b>bold</b>'
            help: 'Help <i>text</i>'
            example: 'Example <u>one</u>'
          - slug: story
            type: long_text
            text: Why now
            help: A paragraph.
          - slug: depts
            type: multiple_choice
            text: Departments
            help: Tick all.
            allow_other: true
            options:
              - {value: it, label: 'IT <em>dept</em>'}
              - {value: hr, label: HR}
          - slug: team
            type: table
            text: Team
            help: One row per person.
            columns:
              - {slug: who, label: 'Name <s>x</s>', type: short_text}
              - {slug: hours, label: Hours, type: number}
    """
)


@pytest.fixture
def section_page(tmp_path, client):
    path = tmp_path / "workbook.yaml"
    path.write_text(CONTENT, encoding="utf-8")
    workbook = load_workbook(path).workbook
    place = Jurisdiction.objects.create(
        name="Alder Falls", slug="alder", kind="city", population_band="25k_100k", workbook=workbook
    )
    editor = get_user_model().objects.create(username="editor")
    Membership.objects.create(user=editor, jurisdiction=place, role=Role.MANAGER)
    access = JurisdictionAccess.of(editor, place)
    section = Section.active.get(workbook=workbook, slug="basics")
    save_section(
        access=access,
        section=section,
        values={
            "name": HOSTILE,
            "story": HOSTILE,
            "depts": {"selected": ["it"], "other": HOSTILE},
            "team": [{"who": HOSTILE, "hours": 3}],
        },
        expected_version=0,
    )
    question = section.questions.get(slug="story")
    add_comment(access=access, section=section, question=question, body=HOSTILE)
    client.force_login(editor)
    response = client.get(reverse("workbook:section", args=["alder", "basics"]))
    assert response.status_code == 200
    return response.content.decode()


def test_answers_content_and_comments_are_escaped_in_the_partials(section_page):
    page = section_page
    assert "<script>" not in page
    # The text input, the textarea, the "Other" box, the table cell, the row's card legend and
    # the rows' summary, and the comment.
    assert page.count(ESCAPED) + page.count(ESCAPED.replace("&#34;", "&quot;")) >= 7
    assert "Row 1: " + ESCAPED in page or "Row 1: " + ESCAPED.replace("&#34;", "&quot;") in page
    for markup in ("<b>bold</b>", "<i>text</i>", "<u>one</u>", "<em>dept</em>", "<s>x</s>"):
        assert markup not in page
    assert "Name &lt;b&gt;bold&lt;/b&gt;" in page
    assert "IT &lt;em&gt;dept&lt;/em&gt;" in page


def test_django_markup_is_not_escaped_twice(section_page):
    page = section_page
    assert '<input type="text" name="name"' in page
    assert '<textarea name="story"' in page
    assert "&lt;input" not in page and "&lt;textarea" not in page


def test_escaping_cannot_be_turned_off_and_missing_values_render_empty():
    env = environment(autoescape=False, loader=None)
    template = env.from_string("[{{ value }}][{{ safe }}][{{ missing }}][{{ missing or 'x' }}]")
    assert template.render(value="<b>", safe=mark_safe("<i>")) == "[&lt;b&gt;][<i>][][x]"


def test_the_project_engine_escapes():
    template = engines["jinja2"].from_string("{{ value }}")
    assert template.render({"value": "<b>"}) == "&lt;b&gt;"

"""The guided workbook wizard: every step writes to the database, never to the session."""

import textwrap

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from workbook.loader import load_workbook
from workbook.models import (
    Answer,
    Jurisdiction,
    Membership,
    Role,
    SectionProgress,
    SectionStatus,
)

pytestmark = pytest.mark.django_db

# A small workbook with every field type, a show_if condition and a second section.
CONTENT = textwrap.dedent(
    """
    edition: Wizard Test Workbook
    version: "1"
    sections:
      - slug: basics
        title: Basics
        intro: Every kind of question.
        questions:
          - slug: name
            type: short_text
            text: Name of the plan
            help: A short name.
            required: true
            example: Alder Falls AI plan
            max_length: 20
          - slug: story
            type: long_text
            text: Why now
            help: A paragraph.
            max_length: 300
          - slug: kind
            type: single_choice
            text: Kind of place
            help: Pick one.
            required: true
            options:
              - {value: city, label: City}
              - {value: county, label: County}
          - slug: depts
            type: multiple_choice
            text: Departments
            help: Tick all.
            allow_other: true
            options:
              - {value: it, label: IT}
              - {value: hr, label: HR}
          - slug: maturity
            type: scale
            text: How mature
            help: One to five.
            points:
              - {value: 1, label: None, description: Nothing yet.}
              - {value: 2, label: Some, description: A little.}
              - {value: 3, label: Half, description: Halfway there.}
              - {value: 4, label: Most, description: Nearly there.}
              - {value: 5, label: Full, description: All done.}
          - slug: has-policy
            type: yes_no
            text: Is there a policy
            help: Yes or no.
          - slug: policy-owner
            type: short_text
            text: Who owns the policy
            help: A role.
            required: true
            show_if: {question: has-policy, equals: true}
          - slug: staff
            type: number
            text: Staff count
            help: Whole staff.
            min: 0
            max: 1000
          - slug: start
            type: date
            text: Start date
            help: When.
          - slug: team
            type: table
            text: Team
            help: One row per person.
            columns:
              - {slug: who, label: Name, type: short_text, required: true}
              - {slug: hours, label: Hours, type: number}
              - {slug: lead, label: Lead, type: yes_no}
              - slug: area
                label: Area
                type: single_choice
                options:
                  - {value: legal, label: Legal}
                  - {value: it, label: IT}
              - {slug: since, label: Since, type: date}
      - slug: second
        title: Second
        intro: More.
        questions:
          - slug: notes
            type: long_text
            text: Notes
            help: Anything.
            example: Some notes.
      - slug: per-use
        title: Per use
        intro: Screened per use case.
        scope: use_case
        questions:
          - slug: risk
            type: yes_no
            text: Risky
            help: Yes or no.
            example: "Yes"
    """
)


@pytest.fixture
def content(tmp_path):
    path = tmp_path / "workbook.yaml"
    path.write_text(CONTENT, encoding="utf-8")
    return load_workbook(path).workbook


@pytest.fixture
def place(content):
    return Jurisdiction.objects.create(
        name="Alder Falls", slug="alder", kind="city", population_band="25k_100k", workbook=content
    )


@pytest.fixture
def other_place(content):
    return Jurisdiction.objects.create(
        name="Birch Town", slug="birch", kind="town", population_band="under_5k", workbook=content
    )


def member(jurisdiction, username, role=Role.EDITOR):
    user, _ = get_user_model().objects.get_or_create(username=username)
    Membership.objects.create(user=user, jurisdiction=jurisdiction, role=role)
    return user


@pytest.fixture
def editor(place):
    return member(place, "editor")


def url(slug="basics", jurisdiction="alder"):
    return reverse("workbook:section", kwargs={"jurisdiction_slug": jurisdiction, "step": slug})


def autosave_url(slug="basics", jurisdiction="alder"):
    return reverse("workbook:autosave", kwargs={"jurisdiction_slug": jurisdiction, "step": slug})


def page_data(client, slug="basics", jurisdiction="alder") -> dict:
    """What the browser would post back unchanged: the hidden fields and the stored answers."""
    response = client.get(url(slug, jurisdiction))
    assert response.status_code == 200
    data = {
        key: values if len(values) > 1 else values[0]
        for key, values in response.context["form"].data.lists()
    }
    data["version"] = str(response.context["version"])
    data[f"workbook_{jurisdiction}-current_step"] = slug
    return data


def saved(jurisdiction, slug):
    answer = Answer.objects.filter(jurisdiction=jurisdiction, question__slug=slug).first()
    return answer.value if answer else None


EVERY_TYPE = {
    "name": "Plan A",
    "story": "Because residents asked.",
    "kind": "county",
    "depts": ["it", "hr"],
    "depts--other": "Libraries",
    "maturity": "4",
    "has-policy": "true",
    "policy-owner": "City Clerk",
    "staff": "410",
    "start": "2026-09-15",
    "team--rows": "2",
    "team--0--who": "Lena Ortiz",
    "team--0--hours": "6.5",
    "team--0--lead": "true",
    "team--0--area": "legal",
    "team--0--since": "2025-01-31",
    "team--1--who": "Sam Whitaker",
    "team--1--lead": "false",
}

EXPECTED = {
    "name": "Plan A",
    "story": "Because residents asked.",
    "kind": "county",
    "depts": {"selected": ["it", "hr"], "other": "Libraries"},
    "maturity": 4,
    "has-policy": True,
    "policy-owner": "City Clerk",
    "staff": 410,
    "start": "2026-09-15",
    "team": [
        {"who": "Lena Ortiz", "hours": 6.5, "lead": True, "area": "legal", "since": "2025-01-31"},
        {"who": "Sam Whitaker", "lead": False},
    ],
}


def test_every_field_type_round_trips_through_the_database(client, place, editor):
    client.force_login(editor)
    data = page_data(client) | EVERY_TYPE | {"wizard_action": "next"}
    response = client.post(url(), data)
    assert response.status_code == 302
    assert response["Location"] == url("second")
    for slug, value in EXPECTED.items():
        assert saved(place, slug) == value, slug
    progress = SectionProgress.objects.get(jurisdiction=place, section__slug="basics")
    assert progress.status == SectionStatus.COMPLETE
    assert progress.version == 1

    # Reading the section back gives the same form data, and saving it again changes nothing.
    again = page_data(client)
    for key, value in EVERY_TYPE.items():
        assert again[key] == value, key
    client.post(url(), again | {"wizard_action": "stay"})
    for slug, value in EXPECTED.items():
        assert saved(place, slug) == value, slug

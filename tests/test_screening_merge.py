"""The risk screening saves as a section does: a three-way merge at the use case's version."""

import pytest
from django.test import Client

from tests.test_use_cases import LOW_RISK, create_use_case
from workbook.models import Answer, UseCase

pytestmark = pytest.mark.django_db


def url(use_case) -> str:
    return f"/j/riverton/use-cases/{use_case.pk}/screening/"


def page(client, use_case) -> dict:
    """What the browser posts back unchanged: the stored answers (LOW_RISK), version and base."""
    response = client.get(url(use_case))
    return {
        **LOW_RISK,
        "version": str(response.context["version"]),
        "base": response.context["base"],
    }


def stored(use_case, slug):
    return Answer.objects.get(use_case=use_case, question__slug=slug).value


@pytest.fixture
def two_editors(client, demo):
    client.force_login(demo["riverton-editor"])
    other = Client()
    other.force_login(demo["riverton-manager"])
    use_case = create_use_case(client)
    assert client.post(url(use_case), page(client, use_case)).status_code == 302
    return client, other, UseCase.objects.get(pk=use_case.pk)


def test_two_people_screening_different_questions_keep_both(two_editors):
    client, other, use_case = two_editors
    mine, theirs = page(client, use_case), page(other, use_case)
    assert other.post(url(use_case), theirs | {"risk-duration": "months"}).status_code == 302
    response = client.post(url(use_case), mine | {"risk-data-class": "confidential"})
    assert response.status_code == 302
    assert stored(use_case, "risk-duration") == "months"
    assert stored(use_case, "risk-data-class") == "confidential"


def test_the_same_question_changed_twice_shows_both_texts_and_saves_nothing(two_editors):
    client, other, use_case = two_editors
    mine, theirs = page(client, use_case), page(other, use_case)
    other.post(url(use_case), theirs | {"risk-duration": "months"})
    response = client.post(url(use_case), mine | {"risk-duration": "years"})
    assert response.status_code == 200
    assert [c["question"].slug for c in response.context["conflicts"]] == ["risk-duration"]
    assert stored(use_case, "risk-duration") == "months"
    # Having seen both, saving the form again keeps this person's answer.
    again = mine | {"risk-duration": "years"}
    again |= {"version": str(response.context["version"]), "base": response.context["base"]}
    assert client.post(url(use_case), again).status_code == 302
    assert stored(use_case, "risk-duration") == "years"

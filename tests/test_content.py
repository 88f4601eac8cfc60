"""The workbook's content (sections, questions) is cached per process: a reload must show at
once, and one workbook's content must never be served for another's."""

import html
from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from workbook.content.cache import workbook_content
from workbook.content.loader import load_workbook
from workbook.models import Jurisdiction, Membership, Question, Role, Workbook

pytestmark = pytest.mark.django_db


def edited_copy(workbook_file: Path, tmp_path: Path, *, edition=None, readiness_text=None) -> Path:
    """The real workbook file with another edition name or readiness's first question reworded."""
    data = yaml.safe_load(workbook_file.read_text())
    if edition:
        data["edition"] = edition
    if readiness_text:
        readiness = next(s for s in data["sections"] if s["slug"] == "readiness")
        readiness["questions"][0]["text"] = readiness_text
    path = tmp_path / "workbook.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def editor_of(workbook, slug: str, django_user_model):
    place = Jurisdiction.objects.create(
        name=slug.title(), slug=slug, kind="city", population_band="5k_25k", workbook=workbook
    )
    user = django_user_model.objects.create(username=f"{slug}-editor")
    Membership.objects.create(user=user, jurisdiction=place, role=Role.EDITOR)
    return place, user


def readiness_page(client, place) -> str:
    url = reverse("workbook:section", kwargs={"jurisdiction_slug": place.slug, "step": "readiness"})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def first_readiness_question(workbook) -> Question:
    return Question.active.filter(workbook=workbook, section__slug="readiness").order_by(
        "position"
    )[0]


def test_every_load_moves_loaded_at_even_when_the_file_did_not_change(workbook, workbook_file):
    before = Workbook.objects.get(pk=workbook.pk).loaded_at
    load_workbook(workbook_file)
    assert Workbook.objects.get(pk=workbook.pk).loaded_at > before


def test_a_reloaded_question_text_shows_on_the_next_request(
    client, workbook, workbook_file, tmp_path, django_user_model
):
    place, user = editor_of(workbook, "alder", django_user_model)
    client.force_login(user)
    old_text = first_readiness_question(workbook).text
    assert old_text in readiness_page(client, place)  # the content is now cached

    load_workbook(edited_copy(workbook_file, tmp_path, readiness_text="Is the cache current?"))

    page = readiness_page(client, place)
    assert "Is the cache current?" in page
    assert old_text not in page


def test_one_workbook_never_gets_another_workbooks_content(
    client, workbook, workbook_file, tmp_path, django_user_model
):
    other = load_workbook(
        edited_copy(
            workbook_file, tmp_path, edition="Other Edition", readiness_text="Other edition's?"
        )
    ).workbook
    assert other.pk != workbook.pk
    # Even with the same load time, the workbook's id tells the two apart.
    Workbook.objects.filter(pk=other.pk).update(loaded_at=workbook.loaded_at)
    other.refresh_from_db()

    main_place, main_user = editor_of(workbook, "alder", django_user_model)
    other_place, other_user = editor_of(other, "birch", django_user_model)
    for _ in range(2):  # cold, then cached
        client.force_login(main_user)
        # Read as text: how a quote is escaped is the template engine's choice.
        page = html.unescape(readiness_page(client, main_place))
        assert first_readiness_question(workbook).text in page
        assert "Other edition's?" not in page
        client.force_login(other_user)
        assert "Other edition's?" in html.unescape(readiness_page(client, other_place))

    for wb in (workbook, other):
        content = workbook_content(wb)
        assert {s.workbook_id for s in content.sections} == {wb.pk}
        assert {q.workbook_id for qs in content.questions.values() for q in qs} == {wb.pk}

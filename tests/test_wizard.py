"""The guided workbook wizard: every step writes to the database, never to the session."""

import textwrap

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bench.web import find_form
from workbook.content.loader import load_workbook
from workbook.models import (
    Answer,
    Jurisdiction,
    Membership,
    Role,
    Section,
    SectionProgress,
    SectionStatus,
)
from workbook.security.access import JurisdictionAccess
from workbook.wizard.forms import answers_to_data
from workbook.wizard.state import WorkbookState

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
    """What the browser would post back unchanged: the hidden fields as the page shows them, and
    the stored answers as its form holds them (a kept page makes no form: they are the
    storage's, as the form's would be)."""
    response = client.get(url(slug, jurisdiction))
    assert response.status_code == 200
    hidden = shown_fields(response)
    state = WorkbookState.load(Jurisdiction.objects.get(slug=jurisdiction))
    section = state.section(slug)
    stored = answers_to_data(state.questions[section.pk], state.section_values(section))
    data = {key: values if len(values) > 1 else values[0] for key, values in stored.lists()}
    data["version"] = hidden["version"]
    data["base"] = hidden["base"]
    data[f"workbook_{jurisdiction}-current_step"] = slug
    return data


def shown_fields(response) -> dict[str, str]:
    """The section form's fields as the page shows them (the last value of a repeated name)."""
    return dict(find_form(response.content.decode()).fields)


def conflict_choices(response, **keep) -> dict:
    """What the conflict page posts back once the user has chosen a text for each question."""
    context = response.context
    data = dict(context["reposted"])
    data |= {
        "version": str(context["version"]),
        "base": context["base"],
        "must_choose": context["must_choose"],
        "workbook_alder-current_step": context["section"].slug,
        "wizard_action": "stay",
    }
    return data | {f"keep--{slug}": choice for slug, choice in keep.items()}


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


def post(client, data, slug="basics", jurisdiction="alder", **extra):
    return client.post(url(slug, jurisdiction), data | extra)


def test_a_draft_with_required_answers_missing_is_saved_in_progress(client, place, editor):
    client.force_login(editor)
    response = post(client, page_data(client), story="Only this so far.", wizard_action="next")
    assert response.status_code == 302
    assert saved(place, "story") == "Only this so far."
    progress = SectionProgress.objects.get(jurisdiction=place, section__slug="basics")
    assert progress.status == SectionStatus.IN_PROGRESS


@pytest.mark.parametrize("action", ["next", "back", "save_later", "stay"])
def test_every_way_of_leaving_a_section_saves_it(client, place, editor, action):
    client.force_login(editor)
    data = page_data(client, "second")
    response = post(client, data, "second", notes=f"Left by {action}", wizard_action=action)
    assert response.status_code == 302
    assert saved(place, "notes") == f"Left by {action}"


def test_jumping_to_another_section_from_the_step_list_saves(client, place, editor):
    client.force_login(editor)
    response = post(client, page_data(client), name="Jumped", wizard_goto_step="second")
    assert response["Location"] == url("second")
    assert saved(place, "name") == "Jumped"


def test_nothing_is_lost_when_the_session_goes_or_another_browser_opens_it(client, place, editor):
    from django.test import Client

    from workbook.models import UserSession

    client.force_login(editor)
    post(client, page_data(client), name="Kept", wizard_action="next")
    UserSession.objects.all().delete()  # the session expires mid-wizard
    assert client.get(url()).status_code == 302  # signed out: sent to sign in

    client.force_login(editor)
    assert shown_fields(client.get(url()))["name"] == "Kept"

    another_browser = Client()
    another_browser.force_login(editor)
    assert shown_fields(another_browser.get(url()))["name"] == "Kept"

    colleague = Client()
    colleague.force_login(member(place, "colleague"))
    assert shown_fields(colleague.get(url()))["name"] == "Kept"


def test_a_stale_save_keeps_the_other_persons_changes_to_questions_it_did_not_touch(
    client, place, editor
):
    from django.test import Client

    client.force_login(editor)
    other = Client()
    other.force_login(member(place, "colleague"))
    post(client, page_data(client), name="Original", story="Old story", wizard_action="stay")

    mine = page_data(client)  # both load the same version
    theirs = page_data(other)
    assert post(other, theirs, name="Theirs", wizard_action="stay").status_code == 302

    # Only the story changed on this page: no conflict, and their name stands.
    response = post(client, mine, story="My new story", wizard_action="stay")
    assert response.status_code == 302
    assert saved(place, "name") == "Theirs"
    assert saved(place, "story") == "My new story"
    assert SectionProgress.objects.get(jurisdiction=place).version == 3


def test_a_save_landing_after_the_request_read_the_answers_is_merged_with(place, editor):
    """The wizard's state reads the answers first and the save uses them; when another save
    lands in between, the version says so, and the answers are read again under its lock."""
    from workbook.answers.actions import StaleVersion, save_section
    from workbook.wizard.state import WorkbookState

    section = Section.objects.get(workbook=place.workbook, slug="basics")
    mine = JurisdictionAccess.of(editor, place)
    theirs = JurisdictionAccess.of(member(place, "colleague"), place)
    save_section(access=mine, section=section, values={"name": "Original"}, expected_version=0)
    state = WorkbookState.load(place)  # this request's read, at version 1
    save_section(access=theirs, section=section, values={"name": "Theirs"}, expected_version=1)

    with pytest.raises(StaleVersion) as stale:
        save_section(
            access=mine,
            section=section,
            values={"name": "Mine"},
            expected_version=1,
            base=state.section_base(section),
            answers_read=state.section_answers(section),
        )
    assert (stale.value.conflicts, stale.value.theirs["name"]) == (["name"], "Theirs")
    assert saved(place, "name") == "Theirs"


def test_three_editors_saving_different_questions_keep_all_three_changes(client, place, editor):
    from django.test import Client

    client.force_login(editor)
    a, c = Client(), Client()
    a.force_login(member(place, "colleague-a"))
    c.force_login(member(place, "colleague-c"))
    post(client, page_data(client), name="Original", story="Old story", wizard_action="stay")

    loaded = page_data(client)  # B loads, then A and C save one question each
    assert post(a, page_data(a), name="From A", wizard_action="stay").status_code == 302
    assert post(c, page_data(c), staff="12", wizard_action="stay").status_code == 302

    response = post(client, loaded, story="From B", wizard_action="stay")
    assert response.status_code == 302
    assert (saved(place, "name"), saved(place, "staff"), saved(place, "story")) == (
        "From A",
        12,
        "From B",
    )


def test_a_question_both_changed_is_offered_with_both_texts_and_neither_chosen(
    client, place, editor
):
    from django.test import Client

    client.force_login(editor)
    other = Client()
    other.force_login(member(place, "colleague"))
    post(client, page_data(client), name="Original", story="Old story", wizard_action="stay")

    mine = page_data(client)
    theirs = page_data(other)
    assert post(other, theirs, name="Theirs", wizard_action="stay").status_code == 302

    response = post(client, mine, name="Mine", story="My new story", wizard_action="next")
    assert response.status_code == 409
    assert "workbook/conflict.html" in [t.name for t in response.templates]
    # Only the question both changed is offered; nothing was written yet.
    assert [item["question"].slug for item in response.context["items"]] == ["name"]
    body = response.content.decode()
    assert "Mine" in body and "Theirs" in body
    assert "checked" not in body.split('name="keep--name"')[1].split(">")[0]
    assert saved(place, "name") == "Theirs"
    assert saved(place, "story") == "Old story"
    # The user's values are posted again in hidden fields, so nothing typed is lost.
    assert 'name="story" value="My new story"' in body
    assert response.context["version"] == 2

    # Sent back without a choice, it is offered again and still nothing is written.
    again = client.post(url(), conflict_choices(response))
    assert again.status_code == 409
    assert saved(place, "name") == "Theirs"

    # Keeping their name still saves the story, the change only this user made.
    assert client.post(url(), conflict_choices(response, name="theirs")).status_code == 302
    assert saved(place, "name") == "Theirs"
    assert saved(place, "story") == "My new story"


def test_choosing_my_text_in_a_conflict_saves_it_and_a_newer_change_is_asked_again(
    client, place, editor
):
    from django.test import Client

    client.force_login(editor)
    other = Client()
    other.force_login(member(place, "colleague"))
    post(client, page_data(client), name="Original", wizard_action="stay")
    mine = page_data(client)
    post(other, page_data(other), name="Theirs", wizard_action="stay")
    response = post(client, mine, name="Mine", wizard_action="stay")
    assert response.status_code == 409

    # While the user decides, the other person changes the name once more.
    post(other, page_data(other), name="Theirs again", wizard_action="stay")
    again = client.post(url(), conflict_choices(response, name="mine"))
    assert again.status_code == 409
    assert "Theirs again" in again.content.decode()
    assert client.post(url(), conflict_choices(again, name="mine")).status_code == 302
    assert saved(place, "name") == "Mine"


def test_a_post_without_a_base_offers_every_question_that_differs(client, place, editor):
    from django.test import Client

    client.force_login(editor)
    other = Client()
    other.force_login(member(place, "colleague"))
    post(client, page_data(client), name="Original", story="Old story", wizard_action="stay")
    mine = page_data(client)
    del mine["base"]
    post(other, page_data(other), name="Theirs", wizard_action="stay")
    # Without knowing what the page was built from, nothing is assumed.
    response = post(client, mine, story="My new story", wizard_action="stay")
    assert response.status_code == 409
    slugs = {item["question"].slug for item in response.context["items"]}
    assert slugs == {"name", "story"}
    assert saved(place, "name") == "Theirs"


def test_a_malformed_base_is_refused(client, place, editor):
    client.force_login(editor)
    data = page_data(client)
    assert post(client, data | {"base": "not json"}).status_code == 400
    assert post(client, data | {"base": '["a"]'}).status_code == 400
    assert post(client, data | {"base": '{"name": 3}'}).status_code == 400
    assert saved(place, "name") is None


def test_table_rows_are_added_and_removed_without_javascript(client, place, editor):
    client.force_login(editor)
    data = page_data(client) | {
        "team--rows": "1",
        "team--0--who": "Ana",
        "wizard_action": "add_row:team",
    }
    response = post(client, data)
    assert response.status_code == 200
    assert response.context["form"].row_count("team") == 2
    assert 'name="team--1--who"' in response.content.decode()
    assert saved(place, "team") == [{"who": "Ana"}]

    data = page_data(client) | {
        "team--rows": "2",
        "team--1--who": "Marcus",
        "wizard_action": "add_row:team",
    }
    response = post(client, data)
    assert saved(place, "team") == [{"who": "Ana"}, {"who": "Marcus"}]
    assert response.context["form"].row_count("team") == 3

    data = page_data(client) | {"team--0--remove": "on", "wizard_action": "stay"}
    post(client, data)
    assert saved(place, "team") == [{"who": "Marcus"}]


def test_rows_added_in_the_browser_are_saved(client, place, editor):
    client.force_login(editor)
    # wizard.js clones the row template and raises the row count; the server reads them all.
    data = page_data(client) | {
        "team--rows": "3",
        "team--0--who": "A",
        "team--1--who": "B",
        "team--2--who": "C",
        "team--2--hours": "2",
    }
    post(client, data, wizard_action="stay")
    assert saved(place, "team") == [{"who": "A"}, {"who": "B"}, {"who": "C", "hours": 2}]


def test_show_if_hides_a_question_on_the_server_and_keeps_its_answer(client, place, editor):
    client.force_login(editor)
    post(client, page_data(client), **{"has-policy": "true", "policy-owner": "Clerk"})
    assert saved(place, "policy-owner") == "Clerk"

    data = page_data(client) | {
        "name": "Plan",
        "kind": "city",
        "has-policy": "false",
        "policy-owner": "Changed while hidden",
        "wizard_action": "stay",
    }
    post(client, data)
    # Hidden: not saved over, not deleted, and not required for completion.
    assert saved(place, "policy-owner") == "Clerk"
    progress = SectionProgress.objects.get(jurisdiction=place, section__slug="basics")
    assert progress.status == SectionStatus.COMPLETE

    response = client.get(url())
    assert shown_fields(response)["policy-owner"] == "Clerk"  # kept, though hidden
    assert 'id="q-policy-owner-group" data-show-if-question="has-policy"' in (
        response.content.decode()
    )
    assert 'data-show-if-values="true" hidden' in response.content.decode()

    # Shown again (yes), it is required again: the section is no longer complete without it.
    data = page_data(client) | {"has-policy": "true", "policy-owner": "", "wizard_action": "stay"}
    post(client, data)
    progress.refresh_from_db()
    assert progress.status == SectionStatus.IN_PROGRESS


@pytest.mark.parametrize(
    "field,bad",
    [
        ("name", "x" * 21),
        ("story", "y" * 301),
        ("kind", "village"),
        ("depts", ["it", "nope"]),
        ("maturity", "6"),
        ("has-policy", "maybe"),
        ("staff", "lots"),
        ("staff", "1001"),
        ("staff", "NaN"),
        ("start", "2026-02-30"),
        ("start", "15/09/2026"),
        ("team--0--hours", "six"),
        ("team--0--since", "yesterday"),
        ("team--0--lead", "perhaps"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_not_stored(client, place, editor, field, bad):
    client.force_login(editor)
    post(client, page_data(client), name="Before", staff="5", start="2026-01-01")
    before = {q: saved(place, q) for q in ("name", "staff", "start", "team")}
    good_field = "name" if field == "story" else "story"
    data = page_data(client) | {"team--rows": "1", "team--0--who": "Row"}
    data |= {good_field: "Valid text", field: bad, "wizard_action": "next"}
    response = post(client, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "usa-error-message" in body
    assert "Some answers need attention" in body
    assert response.context["errors"], "an error summary entry"
    # The valid answer is saved; the invalid one leaves the stored value alone.
    assert saved(place, good_field) == "Valid text"
    question = field.split("--")[0]
    assert saved(place, question) == before.get(question)
    # What the user typed is still in the form.
    typed = bad if isinstance(bad, str) else bad[-1]
    if field not in ("kind", "maturity", "has-policy", "depts", "team--0--lead"):
        assert typed in body
    # The re-rendered form carries the new version so the next save does not conflict.
    assert response.context["version"] == 2


def test_validation_errors_never_drop_what_the_user_typed(client, place, editor):
    client.force_login(editor)
    typed = EVERY_TYPE | {
        "name": "A name far too long for its twenty characters",
        "staff": "a few",
        "team--1--hours": "most days",
    }
    response = post(client, page_data(client), **typed, wizard_action="save_later")
    assert response.status_code == 200
    assert {item.slug for item in response.context["errors"]} == {"name", "staff", "team"}
    shown = response.context["form"].data
    for key, value in typed.items():
        assert (shown.getlist(key) if isinstance(value, list) else shown[key]) == value, key
    body = response.content.decode()
    for text in ("A name far too long for its twenty characters", "a few", "most days"):
        assert f'value="{text}"' in body
    # The valid answers are saved meanwhile.
    assert saved(place, "story") == EXPECTED["story"]
    assert saved(place, "name") is None


def test_a_saved_plain_submit_is_confirmed_on_the_page_that_follows(client, place, editor):
    client.force_login(editor)
    response = post(client, page_data(client), name="Plan A", submission="a1b2c3d4e5f6a7b8")
    assert response.status_code == 302
    assert client.session["wizard_saved_submissions"] == ["a1b2c3d4e5f6a7b8"]
    landing = client.get(response["Location"]).content.decode()
    assert 'data-saved-submissions="a1b2c3d4e5f6a7b8"' in landing
    # Re-rendered with errors: the same page confirms it (the typed text is on it).
    post(client, page_data(client), staff="many", submission="f0f0f0f0f0f0f0f0")
    assert client.session["wizard_saved_submissions"][-1] == "f0f0f0f0f0f0f0f0"
    overview = client.get(reverse("workbook:overview", args=["alder"])).content.decode()
    assert 'data-saved-submissions="a1b2c3d4e5f6a7b8 f0f0f0f0f0f0f0f0"' in overview

    # Not confirmed: autosave (it answers itself), a conflict, a malformed id, a viewer.
    data = page_data(client)
    client.post(autosave_url(), data | {"story": "Autosaved", "submission": "autosave000000"})
    post(client, data, story="Stale version", submission="conflict0000000")
    post(client, page_data(client), story="x", submission="<script>alert(1)</script>")
    assert client.session["wizard_saved_submissions"] == ["a1b2c3d4e5f6a7b8", "f0f0f0f0f0f0f0f0"]
    client.force_login(member(place, "reader", Role.VIEWER))
    assert post(client, page_data(client), submission="viewer000000000").status_code == 403
    assert "wizard_saved_submissions" not in client.session


def test_tampered_hidden_fields_are_refused(client, place, editor):
    client.force_login(editor)
    data = page_data(client)
    assert post(client, data | {"workbook_alder-current_step": "second"}).status_code == 400
    assert (
        post(client, {k: v for k, v in data.items() if "current_step" not in k}).status_code == 400
    )
    assert post(client, data | {"version": "one"}).status_code == 400
    assert post(client, data | {"version": "-1"}).status_code == 400
    assert post(client, data | {"team--rows": "100000"}).status_code == 400
    assert post(client, data | {"team--rows": "many"}).status_code == 400
    assert post(client, data | {"wizard_action": "add_row:name"}).status_code == 400
    changed = data | {"name": "Must not be saved"}
    assert post(client, changed | {"wizard_action": "add_row:nowhere"}).status_code == 400
    assert post(client, changed | {"wizard_goto_step": "nowhere"}).status_code == 404
    assert not Answer.objects.exists()


def test_sections_outside_this_workbook_answer_404(client, place, other_place, editor, workbook):
    client.force_login(editor)
    other_section = Section.objects.exclude(workbook=place.workbook).first()
    assert client.get(url(other_section.slug)).status_code == 404
    assert client.get(url("per-use")).status_code == 404  # screened per use case, not here
    assert client.get(url("nowhere")).status_code == 404
    assert client.get(url("basics", "birch")).status_code == 404  # not a member
    assert client.post(url("basics", "birch"), {}).status_code == 404
    data = page_data(client)
    assert post(client, data, wizard_goto_step="nowhere").status_code == 404


def test_posting_to_the_bare_workbook_address_is_refused_not_a_crash(
    client, place, other_place, editor
):
    bare = reverse("workbook:wizard", args=["alder"])
    client.force_login(editor)
    data = page_data(client) | {"name": "Nowhere to go", "wizard_action": "next"}
    response = client.post(bare, data)
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert client.get(bare).status_code == 302  # reading it still leads to a section
    assert client.post(reverse("workbook:wizard", args=["birch"]), data).status_code == 404
    client.force_login(member(place, "reader", Role.VIEWER))
    assert client.post(bare, data).status_code == 405
    assert not Answer.objects.exists()


def test_viewers_read_but_cannot_save(client, place):
    client.force_login(member(place, "reader", Role.VIEWER))
    response = client.get(url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="name"' in body and "disabled" in body
    assert "Save and continue" not in body
    data = page_data(client)
    assert post(client, data, name="Nope").status_code == 403
    assert client.post(autosave_url(), data | {"name": "Nope"}).status_code == 403
    assert not Answer.objects.exists()


def test_two_jurisdictions_in_one_browser_do_not_share_state(client, place, other_place, editor):
    Membership.objects.create(user=editor, jurisdiction=other_place, role=Role.EDITOR)
    client.force_login(editor)
    post(client, page_data(client, "basics"), name="Alder plan", wizard_action="next")
    birch = page_data(client, "basics", "birch")
    post(client, birch, jurisdiction="birch", name="Birch plan", wizard_action="stay")
    assert saved(place, "name") == "Alder plan"
    assert saved(other_place, "name") == "Birch plan"
    session = client.session
    assert session["wizard_workbook_alder"] == {"step": "second"}  # moved on with Next
    assert session["wizard_workbook_birch"] == {"step": "basics"}
    # Each workbook resumes where that workbook was left.
    post(client, page_data(client, "second"), wizard_action="stay")
    assert client.get(reverse("workbook:wizard", args=["alder"]))["Location"] == url("second")
    assert client.get(reverse("workbook:wizard", args=["birch"]))["Location"] == url(
        "basics", "birch"
    )
    assert client.get(url("basics", "birch")).context["form"].data["name"] == "Birch plan"


def _row_counts(place):
    return (
        Answer.objects.count(),
        Answer.history.count(),
        SectionProgress.objects.count(),
        SectionProgress.objects.filter(jurisdiction=place).values_list("version", flat=True)
        and sorted(SectionProgress.objects.values_list("version", flat=True)),
    )


def test_no_get_changes_stored_data(client, place, editor):
    from workbook.models import UserSession

    client.force_login(editor)
    post(client, page_data(client), name="Saved once", wizard_action="stay")
    before = _row_counts(place)
    session_before = UserSession.objects.get().session_data
    for address in [
        url(),
        url("second"),
        url() + "?wizard_action=next&name=Sneaky",
        reverse("workbook:wizard", args=["alder"]),
        reverse("workbook:review", args=["alder"]),
        reverse("workbook:overview", args=["alder"]),
        autosave_url(),
    ]:
        client.get(address)
    assert _row_counts(place) == before
    assert saved(place, "name") == "Saved once"
    assert UserSession.objects.get().session_data == session_before


def test_autosave_answers_json_and_signals_expiry_and_conflicts(client, place, editor):
    client.force_login(editor)
    data = page_data(client)
    response = client.post(autosave_url(), data | {"story": "Typed and paused"})
    assert response.status_code == 200
    payload = response.json()
    assert payload["version"] == 1
    assert payload["saved_at"]
    assert payload["errors"] == {}
    assert saved(place, "story") == "Typed and paused"
    # The progress bar is updated from the same counts the page shows after a reload.
    page = client.get(url())
    assert (payload["required_answered"], payload["required_total"]) == (
        page.context["required_answered"],
        page.context["required_total"],
    )
    assert payload["required_total"] > 0

    response = client.post(autosave_url(), data | {"story": "Stale copy"})  # still version 0
    assert response.status_code == 409
    assert response.json()["questions"] == ["story"]
    assert saved(place, "story") == "Typed and paused"

    data |= {"story": "Typed and paused"}
    response = client.post(autosave_url(), data | {"version": "1", "staff": "many"})
    assert response.status_code == 200
    assert list(response.json()["errors"]) == ["staff"]

    client.logout()
    response = client.post(autosave_url(), data | {"version": "2", "story": "After expiry"})
    assert response.status_code == 401
    assert saved(place, "story") == "Typed and paused"


def test_the_page_renders_every_kind_of_question_accessibly(client, place, editor):
    client.force_login(editor)
    body = client.get(url()).content.decode()
    assert '<label class="usa-label app-question__label" for="id_name">' in body
    assert '<legend class="usa-legend app-question__label">Kind of place' in body
    assert '<summary class="app-example__summary">Show example</summary>' in body
    for description in ["Nothing yet.", "Halfway there.", "All done."]:
        assert description in body  # every scale point is described
    assert 'name="depts--other"' in body
    assert 'type="date"' in body
    assert 'aria-current="step"' in body
    assert '<span class="usa-sr-only">Status: </span><span data-status-label>Not started' in body
    assert "<progress" in body
    assert "data-row-template" in body


def test_the_overview_links_each_section(client, place, editor):
    client.force_login(editor)
    response = client.get(reverse("workbook:overview", args=["alder"]))
    assert [row.url for row in response.context["rows"]] == [url("basics"), url("second")]
    assert f'href="{url("basics")}"' in response.content.decode()


def test_the_wizard_storage_reads_and_writes_answers_not_the_session(rf, place, editor):
    from django.contrib.sessions.backends.db import SessionStore

    from workbook.wizard.forms import section_form_class
    from workbook.wizard.state import WorkbookState
    from workbook.wizard.storage import DatabaseStorage, SectionDraft

    request = rf.post("/")
    request.user, request.session = editor, SessionStore()
    access = JurisdictionAccess.of(editor, place)
    storage = DatabaseStorage(
        "workbook_alder", request, state=WorkbookState.load(place), access=access
    )
    questions = storage.state.questions[storage.state.section("basics").pk]
    form = section_form_class(questions)(data=EVERY_TYPE)
    assert form.is_valid()
    storage.set_step_data("basics", SectionDraft(form.answer_values(), expected_version=0))
    for slug, value in EXPECTED.items():
        assert saved(place, slug) == value, slug

    fresh = DatabaseStorage(
        "workbook_alder", request, state=WorkbookState.load(place), access=access
    )
    data = fresh.get_step_data("basics")
    assert {k: data.getlist(k) for k in data} == {
        k: v if isinstance(v, list) else [v] for k, v in EVERY_TYPE.items()
    }
    # The session holds no answers; at most the section last visited (on POST).
    assert "wizard_workbook_alder" not in request.session
    fresh.current_step = "basics"
    assert dict(request.session) == {"wizard_workbook_alder": {"step": "basics"}}


def test_saving_is_refused_and_recorded_for_someone_without_an_editing_role(db, workbook):
    """save_section owns its permission check, so no caller can skip it."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from workbook.answers.actions import save_section
    from workbook.models import (
        AuditEvent,
        AuditKind,
        Jurisdiction,
        Membership,
        Section,
        SectionProgress,
    )

    town = Jurisdiction.objects.create(
        name="Elm", slug="elm", kind="town", population_band="under_5k", workbook=workbook
    )
    viewer = get_user_model().objects.create_user("elm-viewer")
    Membership.objects.create(user=viewer, jurisdiction=town, role="viewer")
    outsider = get_user_model().objects.create_user("outsider")
    section = Section.active.get(workbook=workbook, slug="profile")
    for user in (viewer, outsider):
        with pytest.raises(PermissionDenied):
            save_section(
                access=JurisdictionAccess.of(user, town),
                section=section,
                values={"profile-name": "x"},
                expected_version=0,
            )
    assert not SectionProgress.objects.filter(jurisdiction=town).exists()
    refusals = AuditEvent.objects.filter(kind=AuditKind.PERMISSION_DENIED)
    assert refusals.get(user=viewer).jurisdiction == town
    # An outsider's refusal names the target only by its slug (see workbook.audit.record.record).
    outsiders = refusals.get(user=outsider)
    assert outsiders.jurisdiction is None and outsiders.detail["slug"] == "elm"


def test_autosave_returns_the_base_for_the_next_save(client, place, editor):
    from django.test import Client

    client.force_login(editor)
    other = Client()
    other.force_login(member(place, "colleague"))
    data = page_data(client)
    first = client.post(autosave_url(), data | {"story": "Draft one"}).json()
    # Someone else changes the name; this page's next autosave carries the base it was given.
    post(other, page_data(other), name="Theirs", wizard_action="stay")
    data |= {"story": "Draft two", "version": str(first["version"]), "base": first["base"]}
    response = client.post(autosave_url(), data)
    assert response.status_code == 200
    assert saved(place, "name") == "Theirs"
    assert saved(place, "story") == "Draft two"

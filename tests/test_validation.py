"""What a form checks and how it says so: required table columns, number bounds from the content,
and messages written for this product on every form (none of Django's defaults)."""

import importlib
import pkgutil

import pytest
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, password_validation
from django.core import validators
from django.forms.forms import BaseForm

import strategy
import workbook
from tests.test_wizard import content, editor, page_data, place, url  # noqa: F401 (fixtures)
from workbook.answers.progress import count_progress
from workbook.answers.rules import is_answered, is_complete, missing_required
from workbook.models import Answer, FieldType, Membership, Question, Section
from workbook.plain_messages import PlainMessages, range_message
from workbook.wizard.forms import SectionForm, section_form_class

TEAM = Question(
    slug="team",
    field_type=FieldType.TABLE,
    required=True,
    config={
        "columns": [
            {"slug": "who", "label": "Name", "type": "short_text", "required": True},
            {"slug": "hours", "label": "Hours", "type": "number"},
        ]
    },
)
IDEAS = Question(
    slug="ideas",
    field_type=FieldType.TABLE,
    config={"columns": [{"slug": "idea", "label": "Idea", "type": "short_text", "required": True}]},
)


# -- required columns -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "answered"),
    [
        (None, False),
        ([], False),
        ([{"who": "Lena Ortiz", "hours": 6}], True),
        ([{"who": "Lena Ortiz"}, {"hours": 4}], False),  # the second member has no name
        ([{"who": "  "}], False),
    ],
)
def test_a_table_is_answered_only_when_every_row_has_its_required_columns(value, answered):
    assert is_answered(TEAM, value) is answered


def test_an_optional_table_with_an_unfinished_row_keeps_the_section_open():
    assert is_complete([IDEAS], {})
    assert is_complete([IDEAS], {"ideas": [{"idea": "Permit checks"}]})
    assert missing_required([IDEAS], {"ideas": [{"idea": "Permit checks"}, {}]}) == []
    unfinished = {"ideas": [{"idea": "Permit checks"}, {"notes": "only a note"}]}
    assert missing_required([IDEAS], unfinished) == [IDEAS]


def test_progress_counts_a_table_with_an_unnamed_row_as_unanswered():
    section = Section(pk=1, slug="team")
    unfinished = {"team": [{"who": "Lena Ortiz"}, {"hours": 4}]}
    counted = count_progress([section], {}, {1: [TEAM]}, unfinished)
    assert (counted.required_answered, counted.required_total) == (0, 1)
    finished = {"team": [{"who": "Lena Ortiz"}, {"who": "Sam Whitaker", "hours": 4}]}
    counted = count_progress([section], {}, {1: [TEAM]}, finished)
    assert (counted.required_answered, counted.required_total) == (1, 1)


@pytest.mark.django_db
def test_the_section_page_says_which_row_lacks_its_required_name(client, place, editor):  # noqa: F811
    client.force_login(editor)
    data = page_data(client)
    data |= {"team--rows": "2", "team--0--who": "Lena Ortiz", "team--1--hours": "4"}
    data["wizard_action"] = "stay"
    client.post(url(), data)
    # Saved as typed: a draft keeps an unfinished row.
    assert Answer.objects.get(question__slug="team").value == [{"who": "Lena Ortiz"}, {"hours": 4}]

    body = client.get(url()).content.decode()
    message = "Fill in “Name” for row 2, or remove it."
    # On the cell, pointed to by its input, and in the summary as a link to that input.
    assert f'<span class="usa-error-message" id="team--1--who-error">{message}</span>' in body
    assert 'aria-describedby="team--1--who-error"' in body
    assert f'<a class="usa-link" href="#id_team--1--who">Team: {message}</a>' in body
    assert "These answers are saved" in body
    assert body.count(message) == 2  # once on the cell, once in the summary


# -- number bounds --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "whole", "message"),
    [
        (0, None, False, "Enter a number of 0 or more."),
        (0, 100, True, "Enter a whole number between 0 and 100."),
        (None, 5000, False, "Enter a number of 5,000 or less."),
        (1.5, 10, False, "Enter a number between 1.5 and 10."),
    ],
)
def test_a_range_is_said_plainly(low, high, whole, message):
    assert range_message(low, high, whole=whole) == message


STAFF = Question(
    slug="staff", field_type=FieldType.NUMBER, text="Staff count", config={"min": 0, "max": 1000}
)
BUDGETS = Question(
    slug="budgets",
    field_type=FieldType.TABLE,
    text="Budgets",
    config={"columns": [{"slug": "amount", "label": "Amount", "type": "number", "min": 0}]},
)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("-1", "Enter a number between 0 and 1,000."),
        ("1001", "Enter a number between 0 and 1,000."),
        ("many", "Enter a number, such as 12 or 4.5."),
        ("0." + "1" * 16, "Enter a number with at most 15 digits."),
        ("12", None),
    ],
)
def test_a_number_question_keeps_to_the_bounds_of_the_content(typed, error):
    form = section_form_class([STAFF])(data={"staff": typed})
    form.is_valid()
    assert form.errors.get("staff", [None]) == [error]


def test_a_number_column_keeps_to_its_bounds_and_tells_the_browser():
    form = section_form_class([BUDGETS])(data={"budgets--rows": "1", "budgets--0--amount": "-5"})
    assert form.errors["budgets--0--amount"] == ["Enter a number of 0 or more."]
    assert 'min="0"' in str(form["budgets--0--amount"])
    assert 'min="0" max="1000"' in str(section_form_class([STAFF])()["staff"])


# -- messages -------------------------------------------------------------------------------


def _django_default_messages() -> set[str]:
    """Every validation message Django's form fields, validators and account forms come with."""
    found: set[str] = set()
    for name in dir(forms.fields) + dir(forms.models):
        cls = getattr(forms.fields, name, None) or getattr(forms.models, name, None)
        if isinstance(cls, type) and issubclass(cls, forms.Field):
            for klass in cls.__mro__:
                found |= {str(m) for m in getattr(klass, "default_error_messages", {}).values()}
    for name in dir(validators):
        validator = getattr(validators, name)
        found |= {str(m) for m in _validator_messages(validator).values()}
    for rule in (
        password_validation.MinimumLengthValidator,
        password_validation.UserAttributeSimilarityValidator,
        password_validation.CommonPasswordValidator,
        password_validation.NumericPasswordValidator,
    ):
        # As shown to someone whose password looks like their username.
        found.add(str(rule().get_error_message()) % {"verbose_name": "username"})
    for form in (
        auth_forms.AuthenticationForm,
        auth_forms.SetPasswordForm,
        auth_forms.PasswordChangeForm,
    ):
        found |= {str(m) for m in form.error_messages.values()}
    return found


def _validator_messages(validator) -> dict:
    """A validator's messages by code (DecimalValidator has several, the others one)."""
    if isinstance(getattr(validator, "messages", None), dict):
        return validator.messages
    message = getattr(validator, "message", None)
    return {getattr(validator, "code", None): message} if message else {}


DJANGO_DEFAULTS = _django_default_messages()


def test_the_list_of_django_defaults_holds_the_familiar_ones():
    assert {
        "This field is required.",
        "Enter a whole number.",
        "Enter a valid date.",
        "Enter a valid email address.",
    } <= DJANGO_DEFAULTS
    assert any(m.startswith("Select a valid choice") for m in DJANGO_DEFAULTS)
    assert "This password is too common." in DJANGO_DEFAULTS


def _project_form_classes() -> set[type]:
    for package in (workbook, strategy):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if ".migrations" not in module.name and not module.name.endswith("settings"):
                importlib.import_module(module.name)
    found, todo = set(), [BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(("workbook.", "strategy.")):
                found.add(sub)
    return found


def _every_form(workbook_content) -> list[BaseForm]:
    from strategy.register.forms import ApprovalForm, EvidenceForm, UseCaseForm
    from workbook.comments.forms import CommentForm, ReplyForm
    from workbook.notifications.views import FrequencyForm
    from workbook.teams import forms as team
    from workbook.workflow.forms import AssignForm

    questions = Question.active.filter(section__workbook=workbook_content)
    sections = Section.objects.filter(workbook=workbook_content)
    return [
        *(section_form_class(list(questions.filter(section=s)))() for s in sections),
        team.InviteForm(),
        team.RoleForm(),
        team.AccountForm(email="new@example.gov"),
        team.SignInForm(),
        team.PasswordResetRequestForm(),
        team.NewPasswordForm(user=get_user_model()(username="someone")),
        AssignForm(assignable=Membership.objects.none()),
        CommentForm(questions=list(questions[:3])),
        ReplyForm(),
        FrequencyForm(),
        UseCaseForm(),
        ApprovalForm(),
        EvidenceForm(obligations=[("monitoring", "Monitoring")]),
    ]


@pytest.mark.django_db
def test_no_form_speaks_in_djangos_default_messages(workbook):
    made = _every_form(workbook)
    # Every form of the project is in the sweep (section forms are made from the content).
    covered = {type(f) for f in made} | {SectionForm}
    missing = {
        c for c in _project_form_classes() if c not in covered and c.__name__ != "SectionForm"
    }
    assert missing == set()
    assert all(isinstance(f, PlainMessages) for f in made)

    defaults = []
    for form in made:
        shown = [("", m) for m in getattr(form, "error_messages", {}).values()]
        for name, field in form.fields.items():
            shown += [(name, m) for m in field.error_messages.values()]
            # A validator's own message shows unless the field has one for its code.
            shown += [
                (name, message)
                for validator in field.validators
                for code, message in _validator_messages(validator).items()
                if code not in field.error_messages
            ]
        defaults += [
            (type(form).__name__, n, str(m)) for n, m in shown if str(m) in DJANGO_DEFAULTS
        ]
    assert defaults == []
    assert sum(len(f.fields) for f in made) > 200  # the sweep saw the whole workbook


def test_a_required_field_left_empty_says_what_to_do():
    class Example(PlainMessages, forms.Form):
        name = forms.CharField(max_length=5)
        kind = forms.ChoiceField(choices=[("a", "A")])
        when = forms.DateField()

    form = Example(data={"name": "toolong", "kind": "b", "when": "soon"})
    assert form.errors == {
        "name": ["Use 5 characters or fewer (this has 7)."],
        "kind": ["Choose one of the options listed."],
        "when": ["Enter a real date, such as January 4, 2027."],
    }
    assert Example(data={}).errors["kind"] == ["Choose one of the options."]


# -- screenings -----------------------------------------------------------------------------


def test_a_partly_screened_use_shows_no_tier_until_its_required_questions_are_answered(
    client, demo
):
    from tests.test_documents import add_use_cases

    add_use_cases(demo, {"Draft letters": {"risk-ai-role": "automated-decision"}})
    client.force_login(demo["riverton-editor"])
    body = client.get("/j/riverton/use-cases/").content.decode()
    row = body[body.index("Draft letters") :].split("</tr>")[0]
    assert "Not screened yet" in row
    assert "Answer the 12 required questions to give it a tier." in row
    assert "Tier I" not in row


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "Use at least 8 characters; a short sentence is easy to remember."),
        ("password123", "Many people use this password, so it is easy to guess. Choose another."),
        ("8675309123", "Add some letters: a password of only numbers is easy to guess."),
        ("lena.ortiz.x", "Choose a password that does not look like your username."),
    ],
)
def test_password_rules_speak_plainly(password, message):
    from workbook.teams.forms import AccountForm

    form = AccountForm(
        data={"password1": password, "password2": password}, email="lena.ortiz@example.gov"
    )
    assert message in form.errors["password1"]
    assert not set(form.errors["password1"]) & DJANGO_DEFAULTS

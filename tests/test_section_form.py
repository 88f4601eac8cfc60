"""A section's form class is built once; each form of it shares the content's options and
nothing that one form changes."""

import pytest
from django import forms

from workbook.content.cache import workbook_content
from workbook.models import Question, Section
from workbook.wizard.forms import FormFields

pytestmark = pytest.mark.django_db


@pytest.fixture
def form_class(workbook):
    scale = Question.objects.filter(workbook=workbook, field_type="scale").first()
    section = Section.objects.get(pk=scale.section_id)
    return workbook_content(workbook).form_class(section), scale.slug


def test_forms_share_the_options_and_nothing_a_form_changes(form_class):
    cls, slug = form_class
    reading, editing = cls(read_only=True), cls()
    assert reading.fields[slug].choices is editing.fields[slug].choices
    assert reading.fields[slug] is not editing.fields[slug]
    # A read-only form disables its own widgets, never another form's.
    assert reading.fields[slug].widget.attrs.get("disabled") is True
    assert "disabled" not in editing.fields[slug].widget.attrs
    assert "disabled" not in cls.base_fields[slug].widget.attrs


def test_a_shared_option_list_still_cleans_and_refuses(form_class):
    cls, slug = form_class
    value = cls.base_fields[slug].choices[0][0]
    assert cls(data={slug: value}).is_valid()
    form = cls(data={slug: "not-an-option"})
    assert not form.is_valid()
    assert slug in form.errors


def test_each_form_has_its_own_messages_and_validators(form_class):
    cls, slug = form_class
    first, second = cls(), cls()
    assert first.fields[slug].error_messages == cls.base_fields[slug].error_messages
    assert first.fields[slug].error_messages is not second.fields[slug].error_messages
    assert first.fields[slug].validators is not second.fields[slug].validators
    assert first.fields[slug].widget is not second.fields[slug].widget


def test_a_compound_field_is_refused_where_the_fields_are_made():
    with pytest.raises(TypeError, match="compound"):
        FormFields({"when": forms.SplitDateTimeField()})

"""Forms of the use-case register: the use case itself and its risk screening."""

from typing import Any

from django import forms

from workbook.models import FieldType, Question, UseCase

YES_NO = [("yes", "Yes"), ("no", "No")]


class UseCaseForm(forms.ModelForm):
    class Meta:
        model = UseCase
        fields = [
            "name",
            "department",
            "tool",
            "ai_type",
            "stage",
            "purpose",
            "resident_facing",
            "data_used",
            "owner",
        ]
        widgets = {
            "ai_type": forms.RadioSelect(attrs={"class": "usa-radio__input"}),
            "stage": forms.RadioSelect(attrs={"class": "usa-radio__input"}),
            "purpose": forms.Textarea(attrs={"class": "usa-textarea", "rows": 4}),
            "data_used": forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
            "resident_facing": forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
        }
        labels = {"resident_facing": "Residents interact with it or its output"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "department", "tool", "owner"):
            self.fields[name].widget.attrs["class"] = "usa-input"
        # A blank radio option would read as a choice; the model has a default for stage.
        self.fields["ai_type"].choices = UseCase.AIType.choices
        self.fields["stage"].choices = UseCase.Stage.choices


def _field_for(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.text,
        "help_text": question.help_text,
        "required": False,  # a screening can be saved as a draft and finished later
    }
    match question.field_type:
        case FieldType.SINGLE_CHOICE:
            return forms.ChoiceField(
                choices=[(o["value"], o["label"]) for o in question.options],
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                **common,
            )
        case FieldType.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=[(o["value"], o["label"]) for o in question.options],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
                **common,
            )
        case FieldType.YES_NO:
            return forms.ChoiceField(
                choices=YES_NO,
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                **common,
            )
        case FieldType.SCALE:
            points = question.config.get("points", [])
            return forms.TypedChoiceField(
                choices=[
                    (p["value"], f"{p['value']} – {p['label']}: {p['description']}") for p in points
                ],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                **common,
            )
        case FieldType.LONG_TEXT:
            return forms.CharField(
                max_length=question.config.get("max_length", 5000),
                widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 4}),
                **common,
            )
    return forms.CharField(
        max_length=question.config.get("max_length", 200),
        widget=forms.TextInput(attrs={"class": "usa-input"}),
        **common,
    )


class ScreeningForm(forms.Form):
    """The risk-screening questions as one form, fields named by question slug."""

    def __init__(self, questions: list[Question], stored: dict[str, Any], *args, **kwargs):
        self.questions = {q.slug: q for q in questions}
        initial = {
            slug: self._initial(self.questions[slug], v)
            for slug, v in stored.items()
            if slug in self.questions
        }
        super().__init__(*args, initial=initial, **kwargs)
        for question in questions:
            self.fields[question.slug] = _field_for(question)

    @staticmethod
    def _initial(question: Question, value: Any) -> Any:
        if question.field_type == FieldType.YES_NO:
            return "yes" if value is True else "no" if value is False else None
        if question.field_type == FieldType.MULTIPLE_CHOICE and isinstance(value, dict):
            return value.get("selected", [])
        return value

    def answer_values(self) -> dict[str, Any]:
        """Cleaned data in the stored answer shapes (see docs/workbook-format.md)."""
        values: dict[str, Any] = {}
        for slug, question in self.questions.items():
            value = self.cleaned_data.get(slug)
            match question.field_type:
                case FieldType.YES_NO:
                    value = {"yes": True, "no": False}.get(value)
                case FieldType.MULTIPLE_CHOICE:
                    value = {"selected": list(value)} if value else None
                case _:
                    value = value if value not in ("", None) else None
            values[slug] = value
        return values

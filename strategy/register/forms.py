"""The use-case form of the register (the screening uses the workbook's section form)."""

from typing import cast

from django import forms

from workbook.models import UseCase


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
            "outputs",
            "resident_facing",
            "data_used",
            "owner",
            "in_use_since",
        ]
        widgets = {
            "ai_type": forms.RadioSelect(attrs={"class": "usa-radio__input"}),
            "stage": forms.RadioSelect(attrs={"class": "usa-radio__input"}),
            "purpose": forms.Textarea(attrs={"class": "usa-textarea", "rows": 4}),
            "data_used": forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
            "resident_facing": forms.CheckboxInput(attrs={"class": "usa-checkbox__input"}),
            "in_use_since": forms.DateInput(attrs={"class": "usa-input", "type": "date"}),
        }
        labels = {"resident_facing": "Residents interact with it or its output"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("name", "department", "tool", "outputs", "owner"):
            self.fields[name].widget.attrs["class"] = "usa-input"
        # A blank radio option would read as a choice; the model has a default for stage.
        cast(forms.ChoiceField, self.fields["ai_type"]).choices = UseCase.AIType.choices
        # Blank only where a use moved from the old inventory table lacked it; new ones say.
        self.fields["ai_type"].required = True
        cast(forms.ChoiceField, self.fields["stage"]).choices = UseCase.Stage.choices

"""The use-case form of the register (the screening uses the workbook's section form)."""

from typing import cast

from django import forms

from strategy.models import ApprovalDecision, EvidenceStatus
from strategy.register.actions import EVIDENCE_NOTE_MAX
from workbook.models import UseCase
from workbook.plain_messages import PlainMessages


class UseCaseForm(PlainMessages, forms.ModelForm):
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


class ApprovalForm(PlainMessages, forms.Form):
    """The decision of the tier's approver; the action checks it against the register's rules."""

    approver = forms.CharField(
        max_length=200,
        help_text="The approver of this use's tier, as the governance answers name it.",
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    decision = forms.ChoiceField(
        choices=ApprovalDecision.choices,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
    )
    decided_on = forms.DateField(
        label="Date of the decision",
        widget=forms.DateInput(attrs={"class": "usa-input", "type": "date"}),
    )
    conditions = forms.CharField(
        required=False,
        help_text="Required when the use is approved with conditions.",
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )
    next_review = forms.DateField(
        label="Next review",
        required=False,
        widget=forms.DateInput(attrs={"class": "usa-input", "type": "date"}),
    )
    exception = forms.CharField(
        label="Exception to human review",
        required=False,
        help_text=(
            "Only for a high-impact use that decides without a person's review: why the "
            "exception process allows it, and until when."
        ),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )


class EvidenceForm(PlainMessages, forms.Form):
    """Evidence on one obligation of the entry's tier; the action checks the key and the note."""

    obligation = forms.CharField(
        label="Obligation", widget=forms.Select(attrs={"class": "usa-select"})
    )
    status = forms.ChoiceField(
        label="Is it met?",
        choices=EvidenceStatus.choices,
        widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
    )
    evidenced_on = forms.DateField(
        label="Date of the evidence",
        widget=forms.DateInput(attrs={"class": "usa-input", "type": "date"}),
    )
    note = forms.CharField(
        label="Note",
        required=False,
        help_text=(
            f"What shows it, or what is missing (up to {EVIDENCE_NOTE_MAX} characters). Seen by "
            "the team only, never published."
        ),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
    )

    def __init__(self, *args, obligations: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        # The tier's checklist to choose from; a posted key outside it is refused by the action.
        cast(forms.Select, self.fields["obligation"].widget).choices = obligations

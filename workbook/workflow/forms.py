"""The form that assigns a section to a member."""

from typing import cast

from django import forms

from workbook.models import Membership
from workbook.plain_messages import PlainMessages


class AssignForm(PlainMessages, forms.Form):
    assignee = forms.ModelChoiceField(
        label="Assign to",
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Nobody",
        help_text="Editors and managers can be assigned a section.",
    )
    due_date = forms.DateField(
        label="Due date",
        required=False,
        help_text="Optional. For example: 2027-01-31",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, assignable, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["assignee"])
        field.queryset = assignable
        # An instance attribute in place of the method: the labels need no field subclass.
        field.label_from_instance = lambda m: (  # type: ignore[method-assign,assignment]
            f"{m.user.get_full_name() or m.user.get_username()} ({m.get_role_display()})"
        )
        field.widget.attrs.update({"class": "usa-select"})
        self.fields["due_date"].widget.attrs.update({"class": "usa-input"})

"""Validation messages written for this product, for every form field: Django's defaults
("This field is required.", "Select a valid choice.") say little to someone filling in a
workbook, so each form applies these through `PlainMessages` and none of them is left in place.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import password_validation


def _number(value: Any) -> str:
    """A bound as the product writes numbers: thousands separators, no needless ".0"."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,}"


def range_message(low: Any, high: Any, *, whole: bool) -> str:
    """What to enter in a number field with these bounds (either may be None)."""
    kind = "a whole number" if whole else "a number"
    if low is not None and high is not None:
        return f"Enter {kind} between {_number(low)} and {_number(high)}."
    if low is not None:
        return f"Enter {kind} of {_number(low)} or more."
    if high is not None:
        return f"Enter {kind} of {_number(high)} or less."
    return f"Enter {kind}, such as 12."


def _required(field: forms.Field) -> str:
    if isinstance(field, forms.BooleanField):
        return "Tick this box to go on."
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return "Choose at least one option."
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        return "Choose one of the options."
    if isinstance(field, forms.DateField):
        return "Enter a date."
    if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        return "Enter a number for this answer."
    return "Fill in this answer."


def plain_error_messages(field: forms.Field) -> dict[str, str]:
    """Every message the field can give, in the product's words; Django fills in the
    `%(…)s` values (a length, a limit) from the validator that failed."""
    messages = {"required": _required(field)}
    if isinstance(field, forms.CharField):
        messages["max_length"] = (
            "Use %(limit_value)d characters or fewer (this has %(show_value)d)."
        )
        messages["min_length"] = (
            "Use at least %(limit_value)d characters (this has %(show_value)d)."
        )
        messages["null_characters_not_allowed"] = "Remove the hidden control character (NUL)."
    if isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address, such as name@example.gov."
    if isinstance(field, forms.DecimalField | forms.IntegerField | forms.FloatField):
        decimal = isinstance(field, forms.DecimalField | forms.FloatField)
        whole = not decimal or getattr(field, "decimal_places", None) == 0
        bounds = range_message(field.min_value, field.max_value, whole=whole)
        messages.update(
            invalid="Enter a whole number, such as 12."
            if whole
            else "Enter a number, such as 12 or 4.5.",
            min_value=bounds,
            max_value=bounds,
            step_size=bounds,
            max_digits="Enter a number with at most %(max)s digits.",
            max_decimal_places="Use at most %(max)s digits after the decimal point.",
            max_whole_digits="Enter a number with at most %(max)s digits before the decimal point.",
        )
    if isinstance(field, forms.DateField):
        messages["invalid"] = "Enter a real date, such as January 4, 2027."
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        messages["invalid_choice"] = "Choose one of the options listed."
    if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        messages["invalid_list"] = "Choose one or more of the options listed."
        messages["invalid_pk_value"] = "Choose one or more of the options listed."
    return messages


def use_plain_messages(field: forms.Field) -> forms.Field:
    field.error_messages = {**field.error_messages, **plain_error_messages(field)}
    return field


class PlainMessages:
    """A form mixin: every field the form has once it is built speaks in the product's words."""

    fields: dict[str, forms.Field]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.use_plain_messages()

    def use_plain_messages(self) -> None:
        for field in self.fields.values():
            use_plain_messages(field)


# Django's password rules, each saying what to do in the product's words
# (settings.AUTH_PASSWORD_VALIDATORS).


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Use at least {self.min_length} characters; a short sentence is easy to remember."

    def get_help_text(self) -> str:
        return f"At least {self.min_length} characters."


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "Choose a password that does not look like your %(verbose_name)s."

    def get_help_text(self) -> str:
        return "Not like your name or email address."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "Many people use this password, so it is easy to guess. Choose another."

    def get_help_text(self) -> str:
        return "Not a common password."


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Add some letters: a password of only numbers is easy to guess."

    def get_help_text(self) -> str:
        return "Not only numbers."

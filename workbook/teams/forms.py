"""Forms of the team pages and the account pages: inviting, changing a role, creating an account
from an invitation, signing in and choosing a new password."""

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation

from workbook.models import Role
from workbook.plain_messages import PlainMessages


class InviteForm(PlainMessages, forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update(
            {"class": "usa-input", "autocomplete": "off", "spellcheck": "false"}
        )
        self.fields["role"].widget.attrs.update({"class": "usa-select"})


class RoleForm(PlainMessages, forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class AccountForm(PlainMessages, forms.Form):
    """Create the invited person's account: the invited email becomes the username."""

    full_name = forms.CharField(label="Full name", max_length=150, required=False)
    password1 = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["full_name"].widget.attrs.update({"class": "usa-input", "autocomplete": "name"})
        for name in ("password1", "password2"):
            self.fields[name].widget.attrs.update(
                {"class": "usa-input", "autocomplete": "new-password"}
            )
        self.fields["password1"].help_text = (
            "At least 8 characters; not only numbers, not a common password and not like your"
            " email address."
        )

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords do not match.")
        elif first:
            from django.contrib.auth import get_user_model

            probe = get_user_model()(username=self.email, email=self.email)
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignInForm(PlainMessages, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "The username or password is not right. Check them (capital letters count) and try"
            " again."
        ),
        "inactive": "This account is switched off. Ask a manager of your team to restore it.",
    }


class PasswordResetRequestForm(PlainMessages, auth_forms.PasswordResetForm):
    pass


class NewPasswordForm(PlainMessages, auth_forms.SetPasswordForm):
    error_messages = {"password_mismatch": "The two passwords do not match."}

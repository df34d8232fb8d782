from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ccm.accounts.models import Role
from ccm.core.forms import CleanTextMixin


class SignInForm(CleanTextMixin, AuthenticationForm):
    username = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()

    error_messages = {
        "invalid_login": _("The e-mail address or password is not right."),
        "inactive": _("The e-mail address or password is not right."),
    }


class OtpTokenForm(CleanTextMixin, forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        validators=[RegexValidator(r"^[0-9]{6}$", _("The code is six digits."))],
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}"}),
    )


class ProfileForm(CleanTextMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    language = forms.ChoiceField(
        label=_("Language of pages and e-mail"),
        required=False,
        choices=[("", _("The language my browser asks for"))] + list(settings.LANGUAGES),
        help_text=_("E-mail from the platform is written in this language (English when none is chosen)."),
    )


class InvitationForm(CleanTextMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)


class RoleForm(CleanTextMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(CleanTextMixin, forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}), strip=False
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            from ccm.accounts.models import User

            try:
                validate_password(data["password1"], User(email=self.email, full_name=data.get("full_name", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ApiTokenForm(CleanTextMixin, forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)


class PasswordResetByTaskForm(CleanTextMixin, PasswordResetForm):
    """Django's password-reset form, with the e-mail sent by a background task (made when it is sent)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from ccm.accounts.tasks import enqueue_password_reset

        enqueue_password_reset(user=context["user"], domain=context["domain"], protocol=context["protocol"])

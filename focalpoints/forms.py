from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from focalpoints.models import User


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            candidate = User(
                email=self.invitation.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "phone",
            "language",
            "digest_frequency",
            "notifications",
        ]
        help_texts = {
            "language": _(
                "The portal's pages once you log in, and its e-mails, are in this language."
            ),
        }


class SteadyActivateTOTPForm(ActivateTOTPForm):
    """allauth's form to set up an authenticator app, whose secret stays the same while the
    person sets it up: allauth draws a new one on each load of the page, so a code scanned
    before a reload no longer worked."""

    def __init__(self, *args, **kwargs):
        from allauth.core import context

        session = context.request.session
        drawn = session.get(SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if drawn and not self.is_bound:
            session[SECRET_SESSION_KEY] = self.secret = drawn

"""Forms for signing in and out, registering and resetting a password."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from app.accounts.passwords import check_password_policy
from app.accounts.profile_forms import _kana_field, _latin_field
from app.platform.forms import PlainText, email_text, strip


class SignInForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[InputRequired(), Length(max=254), PlainText()],
                       filters=[email_text])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device for 30 days"))


class NewPasswordMixin:
    def validate_password(self, field) -> None:
        email = getattr(getattr(self, "email", None), "data", None)
        problems = check_password_policy(field.data or "", email=email)
        if problems:
            raise ValidationError(problems[0])

    def validate_confirm(self, field) -> None:
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords are not the same."))


class RegisterForm(NewPasswordMixin, FlaskForm):
    email = EmailField(_l("Email address"),
                       validators=[InputRequired(), Length(max=254), PlainText(),
                                   Email(message=_l("Enter an email address like name@example.com."),
                                         check_deliverability=False)],
                       filters=[email_text])
    password = PasswordField(
        _l("Password"),
        description=_l(
            "At least 12 characters. A few unrelated words make a strong password that is easy to remember."),
        validators=[InputRequired()],
    )
    confirm = PasswordField(_l("Password again"), validators=[InputRequired()])
    family_name = StringField(_l("Family name"), validators=[Optional(), Length(max=100), PlainText()],
                              filters=[strip])
    given_name = StringField(_l("Given name"), validators=[Optional(), Length(max=100), PlainText()],
                             filters=[strip])
    # The reading and the Latin spelling (optional; the page shows them on /ja/): rosters, English pages
    # and certificates need a Latin name where the native one is in kanji.
    family_name_kana = _kana_field(_l("Family name reading (katakana)"))
    given_name_kana = _kana_field(_l("Given name reading (katakana)"))
    family_name_latin = _latin_field(_l("Family name in Latin letters"))
    given_name_latin = _latin_field(_l("Given name in Latin letters"))
    country = SelectField(_l("Country"), validators=[Optional()], validate_choice=True)
    preferred_language = RadioField(_l("Language for mail and pages"), choices=[("en", "English"), ("ja", "日本語")],
                                    validators=[InputRequired()])
    accept_terms = BooleanField(_l("I accept the terms of use and have read the privacy notice."),
                                validators=[DataRequired(message=_l("Please accept the terms of use to register."))])
    share_with_providers = BooleanField(
        _l("Share my name, email address and country with the training providers whose sessions I book."))

    def name_readings(self) -> dict[str, str | None]:
        names = ("family_name_kana", "given_name_kana", "family_name_latin", "given_name_latin")
        return {name: getattr(self, name).data or None for name in names}


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[InputRequired(), Length(max=254), PlainText()],
                       filters=[email_text])


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(_l("New password"), validators=[InputRequired()])
    confirm = PasswordField(_l("New password again"), validators=[InputRequired()])


class SignOutEverywhereForm(FlaskForm):
    revoke_tokens = BooleanField(_l("Also revoke my API tokens (programs using them are refused from now on)"))

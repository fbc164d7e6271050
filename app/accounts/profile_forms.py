"""Forms for the person's own account pages: profile, password change, deleting the account."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.accounts.models import NameOrder
from app.accounts.passwords import check_password_policy
from app.platform.forms import PlainText, strip

NAME_MAX = 100  # the columns' size (User.family_name and the others)
EMPLOYER_MAX = 200

_SPACES = " \u3000"
# Long vowel mark, middle dot (foreign names), iteration marks.
_KANA_EXTRA = set("ー・ヽヾゝゞ")
_LATIN_PUNCTUATION = set(" -'’.")


def to_katakana(text: str) -> str:
    """Hiragana to katakana; half-width katakana to full-width (NFKC); spaces made single and plain."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(chr(ord(ch) + 0x60) if "\u3041" <= ch <= "\u3096" else ch for ch in text)
    return " ".join(text.split())


def is_kana(text: str) -> bool:
    for ch in text:
        if ch in _SPACES or ch in _KANA_EXTRA:
            continue
        if not ("\u3041" <= ch <= "\u3096" or "\u30a1" <= ch <= "\u30fa"):
            return False
    return True


def is_latin_name(text: str) -> bool:
    """Latin letters (accents included, typed composed or not), spaces, hyphens, apostrophes, dots."""
    for ch in unicodedata.normalize("NFC", text):
        if ch in _LATIN_PUNCTUATION:
            continue
        if unicodedata.category(ch) == "Mn":  # a combining accent that has no composed form
            continue
        if not (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")):
            return False
    return True


def latin_filter(value):
    if not isinstance(value, str):
        return value
    return " ".join(unicodedata.normalize("NFKC", value).split())  # full-width Ａ to A


def kana_filter(value):
    return to_katakana(value) if isinstance(value, str) else value


class Kana:
    def __call__(self, form, field) -> None:
        if field.data and not is_kana(field.data):
            raise ValidationError(_l("Write the reading in katakana or hiragana (for example ヤマダ)."))


class LatinName:
    def __call__(self, form, field) -> None:
        if field.data and not is_latin_name(field.data):
            raise ValidationError(_l("Use Latin letters only (accents, spaces, hyphens and apostrophes are fine)."))


def _name_field(label, description=None):
    return StringField(label, description=description,
                       validators=[Optional(), Length(max=NAME_MAX), PlainText()], filters=[strip])


def _kana_field(label):
    return StringField(label, validators=[Optional(), PlainText(), Kana(), Length(max=NAME_MAX)],
                       filters=[strip, kana_filter])


def _latin_field(label):
    return StringField(label, validators=[Optional(), PlainText(), LatinName(), Length(max=NAME_MAX)],
                       filters=[strip, latin_filter])


@lru_cache(maxsize=1)
def timezone_names() -> tuple[str, ...]:
    from pytz import common_timezones

    return tuple(common_timezones)


class ProfileForm(FlaskForm):
    family_name = _name_field(_l("Family name"), _l("In the script you write it in, for example 山田 or Müller."))
    given_name = _name_field(_l("Given name"))
    family_name_kana = _kana_field(_l("Family name reading (katakana)"))
    given_name_kana = _kana_field(_l("Given name reading (katakana)"))
    family_name_latin = _latin_field(_l("Family name in Latin letters"))
    given_name_latin = _latin_field(_l("Given name in Latin letters"))
    name_order = RadioField(_l("Name order"), validators=[InputRequired()], choices=[
        (NameOrder.FAMILY_FIRST.value, _l("Family name first (Yamada Taro)")),
        (NameOrder.GIVEN_FIRST.value, _l("Given name first (Taro Yamada)")),
    ])
    preferred_language = RadioField(_l("Language for mail and pages"), validators=[InputRequired()],
                                    choices=[("en", "English"), ("ja", "日本語")])
    country = SelectField(_l("Country"), validators=[Optional()], validate_choice=True)
    timezone = SelectField(_l("Time zone"), validators=[Optional()], validate_choice=True,
                           description=_l("Dates and times are shown to you in this zone."))
    employer = StringField(_l("Employer"), validators=[Optional(), Length(max=EMPLOYER_MAX), PlainText()],
                           filters=[strip])
    share_with_providers = BooleanField(
        _l("Share my name, email address and country with the training providers whose sessions I book."))

    def set_choices(self, countries, lang_label_auto) -> None:
        self.country.choices = [("", _l("Not given"))] + list(countries)
        self.timezone.choices = [("", lang_label_auto)] + [(z, z.replace("_", " ")) for z in timezone_names()]


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=4096)])
    password = PasswordField(
        _l("New password"),
        description=_l(
            "At least 12 characters. A few unrelated words make a strong password that is easy to remember."),
        validators=[InputRequired()],
    )
    confirm = PasswordField(_l("New password again"), validators=[InputRequired()])

    def __init__(self, user, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_password(self, field) -> None:
        user = self.user
        names = (user.family_name, user.given_name, user.family_name_latin, user.given_name_latin,
                 user.family_name_kana, user.given_name_kana)
        problems = check_password_policy(field.data or "", email=user.email, names=names)
        if problems:
            raise ValidationError(problems[0])

    def validate_confirm(self, field) -> None:
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords are not the same."))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=4096)])
    confirm = BooleanField(
        _l("I understand that my account and personal details are erased and cannot be restored."),
        validators=[DataRequired(message=_l("Tick the box to confirm that you want to delete your account."))],
    )

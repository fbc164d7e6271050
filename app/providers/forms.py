"""Forms for applying as a training provider, deciding on an application and managing members."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.i18n.reading import reading_field
from app.i18n.scripts import split_by_language
from app.platform.forms import PlainText, email_text, strip
from app.providers.labels import ORGANISATION_KIND

DESCRIPTION_MAX = 5000
COMMENT_MAX = 2000


def kind_choices() -> list[tuple[str, str]]:
    return [(value, str(text)) for value, text in ORGANISATION_KIND.items()]


def http_url(form, field) -> None:
    """Only absolute http(s) addresses with a host; never raises on odd input."""
    value = field.data
    if not value:
        return
    try:
        parts = urlsplit(value)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value
    except ValueError:
        ok = False
    if not ok:
        raise ValidationError(_l("Enter a web address starting with http:// or https://."))


def legacy_city_field() -> StringField:
    """The one `city` that forms sent before cities had two languages (a page left open across a
    release); never shown."""
    return StringField(validators=[Optional(), Length(max=120), PlainText()], filters=[strip])


def file_legacy_city(form) -> None:
    """A legacy `city` goes to the language it is written in, unless a city was given in either field."""
    if form.city.data and not (form.city_en.data or form.city_ja.data):
        form.city_en.data, form.city_ja.data = split_by_language(form.city.data)


class ApplicationForm(FlaskForm):
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=200), PlainText()],
                          filters=[strip])
    name_ja = StringField(_l("Name in Japanese"), validators=[Optional(), Length(max=200), PlainText()],
                          filters=[strip])
    name_reading = reading_field()
    description_en = TextAreaField(_l("Description in English"),
                                   validators=[Optional(), Length(max=DESCRIPTION_MAX), PlainText(multiline=True)],
                                   filters=[strip])
    description_ja = TextAreaField(_l("Description in Japanese"),
                                   validators=[Optional(), Length(max=DESCRIPTION_MAX), PlainText(multiline=True)],
                                   filters=[strip])
    kind = SelectField(_l("Kind of organisation"), validators=[InputRequired()], validate_choice=True,
                       default="training_provider")
    country = SelectField(_l("Country"), validators=[InputRequired(message=_l("Choose a country."))],
                          validate_choice=True)
    city_en = StringField(_l("City in English"), validators=[Optional(), Length(max=120), PlainText()],
                          filters=[strip])
    city_ja = StringField(_l("City in Japanese"), validators=[Optional(), Length(max=120), PlainText()],
                          filters=[strip])
    city = legacy_city_field()
    website = StringField(_l("Website"), description=_l("For example https://www.example.org"),
                          validators=[Optional(), Length(max=300), PlainText(), http_url], filters=[strip])

    def __init__(self, *args, country_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()
        self.country.choices = [("", _l("Choose…"))] + list(country_choices)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.name_en.data and not self.name_ja.data and not self.name_en.errors and not self.name_ja.errors:
            self.name_en.errors = [*self.name_en.errors,
                                   _l("Give the organisation's name in English or Japanese (or both).")]
            ok = False
        file_legacy_city(self)
        return ok


class DecisionForm(FlaskForm):
    comment = TextAreaField(_l("Reason or comment for the applicant"),
                            validators=[Optional(), Length(max=COMMENT_MAX), PlainText(multiline=True)],
                            filters=[strip])


class AddMemberForm(FlaskForm):
    email = EmailField(_l("Email address of the person to invite"),
                       validators=[InputRequired(), Length(max=254), PlainText()], filters=[email_text])


class RemoveMemberForm(FlaskForm):
    user_id = HiddenField(validators=[InputRequired()])

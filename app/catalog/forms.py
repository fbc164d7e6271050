"""Forms of the provider workspace: a course in both languages, a session, and the action buttons."""
from __future__ import annotations

import re
from decimal import Decimal

import pytz
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.catalog.models import Audience, CertificationType, CourseKind, Currency, DeliveryMode
from app.i18n.countries import is_country
from app.platform.forms import MultiCheckboxField, PlainText, blank_to_none, digits, strip

# Languages of instruction a course may name (ISO 639-1); names come from CLDR in the reader's language.
INSTRUCTION_LANGUAGES = (
    "en", "ja", "de", "fr", "it", "es", "pt", "nl", "pl", "sv", "fi", "da", "cs", "sk", "hu", "ro",
    "el", "ko", "zh",
)
TEXT_LIMITS = {
    "title": 300, "summary": 1000, "description": 20000, "learning_outcomes": 5000,
    "prerequisites": 5000, "assessment": 5000, "cancellation_terms": 2000,
}
MAX_HOURS = Decimal(2000)
MAX_PRICE = {"EUR": 10_000_000_00, "JPY": 10_000_000_000}  # in the smallest unit
TIMEZONES = tuple(pytz.common_timezones)
TIMEZONE_SET = frozenset(TIMEZONES)
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def _text(label, field: str, multiline: bool):
    cls = TextAreaField if multiline else StringField
    return cls(label, validators=[Optional(), Length(max=TEXT_LIMITS[field]), PlainText(multiline=multiline)],
               filters=[strip, blank_to_none])


def _both_languages(label_en, label_ja, field: str, multiline: bool = True):
    """A text's English and Japanese fields, in that order: `title_en, title_ja = _both_languages(...)`."""
    return _text(label_en, field, multiline), _text(label_ja, field, multiline)


def parse_hours(raw: str) -> Decimal:
    text = digits(raw)
    if not re.fullmatch(r"\d{1,4}(?:\.\d)?", text):
        raise ValidationError(_l("Enter the hours as a number with at most one decimal, e.g. 7.5."))
    hours = Decimal(text)
    if not 0 < hours <= MAX_HOURS:
        raise ValidationError(_l("The duration must be more than 0 and at most 2,000 hours."))
    return hours


def parse_price(raw: str, currency: str) -> int:
    """'1200.00' EUR -> 120000 (cents); '150000' JPY -> 150000 (yen)."""
    text = digits(raw)
    if text.startswith(("-", "−")):
        raise ValidationError(_l("The price cannot be negative."))
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")  # thousands separators: 1,200.00
    if currency == "JPY":
        if not re.fullmatch(r"\d{1,12}", text):
            raise ValidationError(_l("Enter the price in whole yen, e.g. 150000."))
        amount = int(text)
    else:
        if not re.fullmatch(r"\d{1,10}(?:\.\d{1,2})?", text):
            raise ValidationError(_l("Enter the price in euros with at most two decimals, e.g. 1200.00."))
        amount = int(Decimal(text) * 100)
    if amount <= 0:
        raise ValidationError(_l("Enter a price above zero, or tick “Free”."))
    if amount > MAX_PRICE[currency]:
        raise ValidationError(_l("This price is too high."))
    return amount


class CourseForm(FlaskForm):
    title_en, title_ja = _both_languages(_l("Title in English"), _l("Title in Japanese"), "title", False)
    summary_en, summary_ja = _both_languages(_l("Summary in English"), _l("Summary in Japanese"), "summary")
    description_en, description_ja = _both_languages(
        _l("Description in English"), _l("Description in Japanese"), "description")
    learning_outcomes_en, learning_outcomes_ja = _both_languages(
        _l("Learning outcomes in English"), _l("Learning outcomes in Japanese"), "learning_outcomes")
    prerequisites_en, prerequisites_ja = _both_languages(
        _l("Prerequisites in English"), _l("Prerequisites in Japanese"), "prerequisites")
    assessment_en, assessment_ja = _both_languages(
        _l("Assessment method in English"), _l("Assessment method in Japanese"), "assessment")

    skill_areas = MultiCheckboxField(_l("Skill areas"), coerce=int, validators=[Optional()])
    kind = SelectField(_l("Type"), choices=list(CourseKind.labels().items()), validators=[InputRequired()])
    eqf_level = SelectField(_l("EQF level"), validators=[Optional()],
                            choices=[("", _l("None"))] + [(str(n), str(n)) for n in range(1, 9)])
    audience = SelectField(_l("Audience"), choices=list(Audience.labels().items()), validators=[InputRequired()])
    delivery_mode = SelectField(_l("Delivery mode"), choices=list(DeliveryMode.labels().items()),
                                validators=[InputRequired()])
    languages = MultiCheckboxField(_l("Languages of instruction"), validators=[Optional()])
    duration_hours = StringField(_l("Duration in hours"), validators=[Optional(), Length(max=20), PlainText()],
                                 filters=[strip], description=_l("More than 0 and at most 2,000, e.g. 7.5."))
    is_free = BooleanField(_l("Free"))
    price = StringField(_l("Price"), validators=[Length(max=30), PlainText()], filters=[strip],
                        description=_l("Euros with cents (1200.00) or whole yen (150000)."))
    currency = SelectField(_l("Currency"), choices=[("EUR", _l("Euro (EUR)")), ("JPY", _l("Japanese yen (JPY)"))],
                           validate_choice=False)
    price_includes_tax = BooleanField(
        _l("The price includes tax"), default=True,
        description=_l("Tick if the amount above already contains consumption tax or VAT."))
    certification = SelectField(_l("Certificate"), choices=list(CertificationType.labels().items()),
                                validators=[InputRequired()])
    validity_months = IntegerField(
        _l("Certificate validity in months"),
        validators=[Optional(), NumberRange(min=1, max=120, message=_l("Enter a number of months from 1 to 120."))],
        description=_l("1 to 120; leave empty if the certificate does not expire."))
    cancellation_terms_en, cancellation_terms_ja = _both_languages(
        _l("Cancellation terms in English"), _l("Cancellation terms in Japanese"), "cancellation_terms")
    cancel_free_days = IntegerField(
        _l("Free cancellation until this many days before the start"),
        validators=[Optional(), NumberRange(min=0, max=365, message=_l("Enter a number of days from 0 to 365."))],
        description=_l("0 to 365; 0 means free until the session starts."))
    cancel_fee_percent = IntegerField(
        _l("Then a fee of this percentage of the price"),
        validators=[Optional(), NumberRange(min=0, max=100, message=_l("Enter a percentage from 0 to 100."))],
        description=_l("0 to 100. Leave both numbers empty if your terms have no such rule."))

    # Parsed values, set by validation.
    hours_value: Decimal | None = None
    price_value: int | None = None

    def __init__(self, *args, skill_choices=(), language_names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.skill_areas.choices = list(skill_choices)
        names = language_names or {}
        self.languages.choices = [(code, names.get(code, code)) for code in INSTRUCTION_LANGUAGES]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        days, percent = self.cancel_free_days, self.cancel_fee_percent
        if not (days.errors or percent.errors) and (days.data is None) != (percent.data is None):
            (percent if percent.data is None else days).errors.append(
                _l("Give both the number of days and the percentage, or neither."))
            valid = False
        if not self.title_en.data and not self.title_ja.data and not self.title_en.errors:
            self.title_en.errors.append(_l("Give the course a title in English or in Japanese (or both)."))
            return False
        return valid

    def validate_duration_hours(self, field) -> None:
        self.hours_value = parse_hours(field.data) if field.data else None

    def validate_currency(self, field) -> None:
        if not self.is_free.data and field.data not in {c.value for c in Currency}:
            raise ValidationError(_l("Choose euro (EUR) or yen (JPY)."))

    def validate_price(self, field) -> None:
        if self.is_free.data:
            self.price_value = None
            return
        if not field.data:
            raise ValidationError(_l("Enter a price, or tick “Free”."))
        if self.currency.data in MAX_PRICE:
            self.price_value = parse_price(field.data, self.currency.data)

    def validate_validity_months(self, field) -> None:
        if field.data is not None and self.certification.data == "none":
            raise ValidationError(_l("A validity applies only when the course offers a certificate."))


def _no_overflow(form, field) -> None:
    if field.data is not None and not EARLIEST_YEAR <= field.data.year <= LATEST_YEAR:
        raise ValidationError(_l("Enter a date between the years 2000 and 2100."))


class SessionForm(FlaskForm):
    starts_local = DateTimeLocalField(_l("First day and its start time"),
                                      format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                      validators=[InputRequired(), _no_overflow])
    ends_local = DateTimeLocalField(_l("Last day and its end time"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                    validators=[InputRequired(), _no_overflow],
                                    description=_l("Every day from the first to the last runs from the start time "
                                                   "to the end time. Different hours on some days: save, then edit "
                                                   "each day."))
    timezone = SelectField(_l("Time zone"), choices=[(z, z) for z in TIMEZONES], validate_choice=False,
                           validators=[InputRequired()],
                           description=_l("Start, end and deadline are local times in this zone."))
    online = BooleanField(_l("Online only (no venue)"))
    # The venue in both languages (a city named only in one is shown in it on both sides).
    venue_city_en = StringField(_l("Venue city in English"), validators=[Optional(), Length(max=120), PlainText()],
                                filters=[strip, blank_to_none])
    venue_city_ja = StringField(_l("Venue city in Japanese"), validators=[Optional(), Length(max=120), PlainText()],
                                filters=[strip, blank_to_none])
    venue_address_en = StringField(_l("Street address in English"),
                                   validators=[Optional(), Length(max=300), PlainText()],
                                   filters=[strip, blank_to_none],
                                   description=_l("For sessions in person; the course page links it to a map."))
    venue_address_ja = StringField(_l("Street address in Japanese"),
                                   validators=[Optional(), Length(max=300), PlainText()],
                                   filters=[strip, blank_to_none])
    venue_country = SelectField(_l("Venue country"), validate_choice=False, filters=[blank_to_none])
    join_url = StringField(_l("Join link"), validators=[Optional(), Length(max=500), PlainText()],
                           filters=[strip, blank_to_none],
                           description=_l("An https:// address; only confirmed learners see it."))
    capacity = IntegerField(
        _l("Capacity"),
        validators=[InputRequired(), NumberRange(min=1, max=10000, message=_l("Enter a capacity from 1 to 10,000."))],
        description=_l("Seats, from 1 to 10,000."))
    enrolment_deadline = DateTimeLocalField(_l("Enrolment deadline"),
                                            format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                            validators=[Optional(), _no_overflow],
                                            description=_l("Optional; must be before the start."))
    requires_approval = BooleanField(_l("Enrolments need our approval"))

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.venue_country.choices = [("", _l("Choose…"))] + list(country_choices)

    def validate_timezone(self, field) -> None:
        if field.data not in TIMEZONE_SET:
            raise ValidationError(_l("Choose a time zone from the list."))

    def validate_venue_country(self, field) -> None:
        if field.data and not is_country(field.data):
            raise ValidationError(_l("Choose a country from the list."))
        if not self.online.data and not field.data:
            raise ValidationError(_l("Choose the venue's country, or tick “Online only”."))

    def validate_join_url(self, field) -> None:
        if field.data and not re.fullmatch(r"https://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#]\S*)?", field.data):
            raise ValidationError(_l("Enter a secure web address starting with https://."))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class DayHoursForm(Form):
    """One day's hours in the session form (no CSRF of its own: the outer form has it)."""

    day = HiddenField()
    starts = TimeField(lazy_pgettext("time of day", "Starts"), validators=[Optional()])
    ends = TimeField(lazy_pgettext("time of day", "Ends"), validators=[Optional()],
                     description=_l("An end before the start is on the next day."))


class WorkspaceSessionForm(SessionForm):
    """The provider's session form: the API's fields, and each day's own hours once the session exists."""

    each_day = BooleanField(_l("Use the hours set for each day below (the first and last day above are "
                               "then ignored)"))
    day_hours = FieldList(FormField(DayHoursForm), min_entries=0, max_entries=400)

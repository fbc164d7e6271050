"""Forms of the exchange pages: one exchange record, the reviewer's decision, a new organisation."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from app.catalog.forms import EARLIEST_YEAR, LATEST_YEAR, parse_price
from app.exchanges import labels, queries
from app.i18n.countries import is_country
from app.i18n.reading import reading_field
from app.platform.forms import MultiCheckboxField, PlainText, digits, email_text, strip
from app.providers.forms import file_legacy_city, legacy_city_field
from app.providers.labels import ORGANISATION_KIND

NAME_MAX, SOURCE_MAX, NOTES_MAX, REASON_MAX = 200, 200, 5000, 1000
MAX_CERTIFICATIONS = 20


def _blank_to_none(value):
    return value or None


def _text(label, max_len: int, multiline: bool = False, **kw):
    cls = TextAreaField if multiline else StringField
    return cls(label, validators=[Optional(), Length(max=max_len), PlainText(multiline=multiline)],
               filters=[strip, _blank_to_none], **kw)


def _in_range(form, field) -> None:
    if field.data is not None and not EARLIEST_YEAR <= field.data.year <= LATEST_YEAR:
        raise ValidationError(_l("Enter a date between the years 2000 and 2100."))


def parse_funding(raw: str, currency: str) -> int:
    """'1200.50' EUR -> 120050 (cents); '150000' JPY -> 150000 (yen); zero is allowed, negative is not."""
    text = digits(raw)
    if text.startswith(("-", "−")):
        raise ValidationError(_l("The funding amount cannot be negative."))
    if re.fullmatch(r"0+(?:\.0{1,2})?", text):
        return 0
    try:
        return parse_price(text, currency)
    except ValidationError:
        if currency == "JPY":
            raise ValidationError(_l("Enter the funding in whole yen, e.g. 150000.")) from None
        raise ValidationError(_l("Enter the funding in euros with at most two decimals, e.g. 1200.00.")) from None


class ExchangeForm(FlaskForm):
    participant_email = StringField(
        _l("Participant's account (email address)"),
        validators=[Optional(), Length(max=254), PlainText()], filters=[email_text, _blank_to_none],
        description=_l("If the participant has an account here; otherwise type their name below."))
    participant_name_native = _text(_l("Name in native script"), NAME_MAX, description=_l("e.g. 山田太郎"))
    participant_name_latin = _text(_l("Name in Latin letters"), NAME_MAX, description=_l("e.g. Yamada Taro"))
    participant_type = SelectField(_l("Participant type"), choices=list(labels.PARTICIPANT_TYPE.items()),
                                   validators=[InputRequired()])
    sending_org_id = SelectField(_l("Sending organisation"), coerce=int, validators=[InputRequired()])
    sending_country = SelectField(_l("Sending country"), validate_choice=False, filters=[_blank_to_none],
                                  description=_l("Leave as is to use the organisation's country."))
    receiving_org_id = SelectField(_l("Receiving organisation"), coerce=int, validators=[InputRequired()])
    receiving_country = SelectField(_l("Receiving country"), validate_choice=False, filters=[_blank_to_none],
                                    description=_l("Leave as is to use the organisation's country."))
    activity_type = SelectField(_l("Activity type"), choices=list(labels.ACTIVITY.items()),
                                validators=[InputRequired()])
    course = _text(_l("Linked course (optional)"), 300,
                   description=_l("The number or the exact title of a published course."))
    skill_areas = MultiCheckboxField(_l("Skill areas"), coerce=int, validators=[Optional()])
    cooperation_area = SelectField(_l("Cooperation area"), choices=list(labels.AREA.items()),
                                   validators=[InputRequired()])
    starts_on = DateField(_l("Start date"), validators=[InputRequired(), _in_range])
    ends_on = DateField(_l("End date"), validators=[InputRequired(), _in_range])
    funding_amount = StringField(_l("Funding amount"), validators=[Optional(), Length(max=30), PlainText()],
                                 filters=[strip], description=_l("Euros with cents (1200.00) or whole yen (150000)."))
    funding_currency = SelectField(_l("Currency"), validate_choice=False, filters=[_blank_to_none],
                                   choices=[("", _l("None"))] + list(labels.CURRENCY.items()))
    funding_source = _text(_l("Funding source"), SOURCE_MAX)
    green_travel = BooleanField(_l("Green travel (low-carbon means of transport)"))
    status = SelectField(_l("Status"), choices=list(labels.STATUS.items()), validators=[InputRequired()])
    outcome_notes = _text(_l("Outcome notes"), NOTES_MAX, multiline=True)
    certifications = _text(
        _l("Linked certificates (optional)"), 1000,
        description=_l("Certificate ids of the participant, separated by spaces or commas."))

    # Resolved by validation.
    participant = None
    course_obj = None
    funding_value: int | None = None
    certification_objs: list = []

    def __init__(self, *args, org_choices=(), skill_choices=(), country_choices=(), staff=False,
                 known_to=(), keep_participant_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        # A provider member names only people their organisations know (`known_to`), or the one on record.
        self.known_to, self.keep_participant_id = list(known_to), keep_participant_id
        self.sending_org_id.choices = [(0, _l("Choose…"))] + list(org_choices)
        self.receiving_org_id.choices = [(0, _l("Choose…"))] + list(org_choices)
        for field in (self.sending_country, self.receiving_country):
            field.choices = [("", _l("The organisation's country"))] + list(country_choices)
        self.skill_areas.choices = list(skill_choices)
        self.certification_objs = []

    def validate_sending_org_id(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose the sending organisation."))

    def validate_receiving_org_id(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose the receiving organisation."))

    def validate_sending_country(self, field) -> None:
        if field.data and not is_country(field.data):
            raise ValidationError(_l("Choose a country from the list."))

    validate_receiving_country = validate_sending_country

    def validate_ends_on(self, field) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The end date is before the start date."))

    def validate_funding_currency(self, field) -> None:
        if field.data and field.data not in labels.CURRENCY:
            raise ValidationError(_l("Choose euro (EUR) or yen (JPY)."))

    def validate_funding_amount(self, field) -> None:
        self.funding_value = None
        if not field.data:
            return
        if self.funding_currency.data not in labels.CURRENCY:
            raise ValidationError(_l("Give the currency of the funding amount."))
        self.funding_value = parse_funding(field.data, self.funding_currency.data)

    def validate_participant_email(self, field) -> None:
        self.participant = None
        if field.errors:  # already refused (e.g. a NUL, which the database cannot even compare)
            return
        if not field.data:
            if not (self.participant_name_native.data or self.participant_name_latin.data):
                raise ValidationError(_l("Name the participant: give an account's email address or type their name."))
            return
        if not self.staff:
            self.participant = queries.known_participant(field.data, self.known_to, self.keep_participant_id)
            if self.participant is None:  # the same words whether or not the address has an account
                raise ValidationError(_l(
                    "Nobody your organisation knows has this address (your members, and learners of your courses "
                    "who agreed to share their data with providers). Type the participant's name instead."))
            return
        self.participant = queries.user_by_email(field.data)
        if self.participant is None:
            found = queries.search_users(field.data)
            if found:
                raise ValidationError(_l("No account has exactly this address. Did you mean: %(list)s?",
                                         list=", ".join(u.email for u in found)))
            raise ValidationError(_l("No account has this email address. Check it, or type the name instead."))

    def validate_course(self, field) -> None:
        self.course_obj = None
        if field.errors or not field.data:
            return
        found = queries.published_course(field.data)
        if not found:
            raise ValidationError(_l("No published course has this number or title."))
        if len(found) > 1:
            raise ValidationError(_l("Several published courses have this title: give the course number."))
        self.course_obj = found[0]

    def validate_certifications(self, field) -> None:
        self.certification_objs = []
        if field.errors:
            return
        ids = list(dict.fromkeys(x for x in re.split(r"[\s,、，]+", field.data or "") if x))
        if not ids:
            return
        if len(ids) > MAX_CERTIFICATIONS:
            raise ValidationError(_l("Link at most 20 certificates."))
        found = {c.public_id: c for c in queries.certifications_by_public_id(ids)}
        unknown = [i for i in ids if i not in found]
        if unknown:
            raise ValidationError(_l("Unknown certificate ids: %(ids)s", ids=", ".join(unknown)[:200]))
        holder_id = self.participant.id if self.participant is not None else None
        if any(c.learner_id is None or c.learner_id != holder_id for c in found.values()):
            raise ValidationError(_l("Linked certificates must belong to the participant's account."))
        self.certification_objs = [found[i] for i in ids]


class DecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason for rejecting"), validators=[Optional(), Length(max=REASON_MAX),
                                                                   PlainText(multiline=True)],
                           filters=[strip], description=_l("Required to reject; the provider sees it."))
    # The approval the reviewer saw: the decision applies only if it is still that (no "last click wins").
    seen = HiddenField(validators=[Optional(), Length(max=20)])


NON_PROVIDER_KINDS = [(k, v) for k, v in ORGANISATION_KIND.items() if k != "training_provider"]


class OrganisationForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=NON_PROVIDER_KINDS, validators=[InputRequired()])
    name_en = _text(_l("Name in English"), 200)
    name_ja = _text(_l("Name in Japanese"), 200)
    name_reading = reading_field()
    country = SelectField(_l("Country"), validate_choice=False, validators=[InputRequired()])
    city_en = _text(_l("City in English"), 120)
    city_ja = _text(_l("City in Japanese"), 120)
    city = legacy_city_field()
    website = _text(_l("Website"), 300, description=_l("An https:// address."))

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose…"))] + list(country_choices)

    def validate_country(self, field) -> None:
        if not is_country(field.data or ""):
            raise ValidationError(_l("Choose a country from the list."))

    def validate_website(self, field) -> None:
        if field.data and not re.fullmatch(r"https?://[^\s/]+\.[^\s]+", field.data):
            raise ValidationError(_l("Enter a web address starting with https://."))

    def validate_name_en(self, field) -> None:
        if not field.data and not self.name_ja.data:
            raise ValidationError(_l("Give the organisation's name in English or Japanese (or both)."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        file_legacy_city(self)
        return ok


def form_values(form: ExchangeForm) -> tuple[dict, list, list]:
    """(values for the services, skill areas, certifications) from a validated form."""
    countries = form.org_countries
    values = {
        "participant_user_id": form.participant.id if form.participant is not None else None,
        "participant_name_native": form.participant_name_native.data,
        "participant_name_latin": form.participant_name_latin.data,
        "participant_type": form.participant_type.data,
        "sending_org_id": form.sending_org_id.data,
        "sending_country": form.sending_country.data or countries[form.sending_org_id.data],
        "receiving_org_id": form.receiving_org_id.data,
        "receiving_country": form.receiving_country.data or countries[form.receiving_org_id.data],
        "activity_type": form.activity_type.data, "cooperation_area": form.cooperation_area.data,
        "course_id": form.course_obj.id if form.course_obj is not None else None,
        "starts_on": form.starts_on.data, "ends_on": form.ends_on.data,
        "funding_amount": form.funding_value,
        "funding_currency": form.funding_currency.data if form.funding_value is not None else None,
        "funding_source": form.funding_source.data, "green_travel": bool(form.green_travel.data),
        "status": form.status.data, "outcome_notes": form.outcome_notes.data,
    }
    wanted = set(form.skill_areas.data or [])
    areas = [a for a in queries.skill_areas() if a.id in wanted]
    return values, areas, list(form.certification_objs)

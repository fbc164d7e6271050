"""The staff form that adds a tax rate."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, ValidationError

from app.i18n.countries import is_country
from app.platform.forms import PlainText, strip

RATE_MESSAGE = _l("Enter the rate in per cent from 0 to 100 with at most two decimals, e.g. 10 or 25.5.")


def parse_rate(raw: str) -> Decimal:
    """'10', '25.5', '25,5 %', full-width digits -> Decimal; at most two decimals, 0 to 100."""
    text = unicodedata.normalize("NFKC", raw or "").replace(" ", "").rstrip("%").replace(",", ".")
    if not re.fullmatch(r"\d{1,3}(?:\.\d{1,2})?", text) or not 0 <= Decimal(text) <= 100:
        raise ValidationError(RATE_MESSAGE)
    return Decimal(text)


class TaxRateForm(FlaskForm):
    country = SelectField(_l("Country"), validate_choice=False,
                          validators=[InputRequired(message=_l("Choose a country from the list."))])
    rate = StringField(_l("Standard rate (%)"),
                       validators=[InputRequired(message=RATE_MESSAGE), Length(max=10), PlainText()],
                       filters=[strip], description=_l("In per cent, e.g. 10 or 25.5."))
    valid_from = DateField(_l("In force from"),
                           validators=[InputRequired(message=_l("Enter the first day the rate applies."))],
                           description=_l("The first day the rate applies."))

    rate_value: Decimal | None = None

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Choose…"))] + list(country_choices)

    def validate_country(self, field) -> None:
        if not field.data or not is_country(field.data):
            raise ValidationError(_l("Choose a country from the list."))

    def validate_rate(self, field) -> None:
        self.rate_value = parse_rate(field.data)

    def validate_valid_from(self, field) -> None:
        if field.data is not None and not date(2000, 1, 1) <= field.data <= date(2100, 12, 31):
            raise ValidationError(_l("Enter a date between the years 2000 and 2100."))

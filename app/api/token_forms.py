"""The form that creates a personal API token: a name, the scopes the person may hold, an expiry."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.api.auth import EXPIRY_DAYS, SCOPES
from app.platform.forms import MultiCheckboxField, PlainText, strip

NAME_MAX = 80  # ApiToken.name
NEVER = "never"
DEFAULT_EXPIRY = "90"
_EXPIRY_LABELS = {30: _l("In 30 days"), 90: _l("In 90 days"), 365: _l("In a year")}


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Token name"), filters=[strip],
        description=_l("What the token is for, so you can tell it apart later, e.g. “HR system sync”."),
        validators=[DataRequired(message=_l("Give the token a name.")), Length(max=NAME_MAX), PlainText()])
    # The choices are the scopes this person may hold (set per request); a posted scope outside them is
    # refused by validate_scopes with a message of ours, not WTForms' "not a valid choice".
    scopes = MultiCheckboxField(_l("What the token may do"), validate_choice=False)
    expiry = RadioField(
        _l("Expires"), default=DEFAULT_EXPIRY,
        choices=[(str(days), _EXPIRY_LABELS[days]) for days in EXPIRY_DAYS] + [(NEVER, _l("Never"))],
        validators=[InputRequired(message=_l("Choose when the token expires."))])

    def __init__(self, allowed_scopes: list[str], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allowed_scopes = list(allowed_scopes)
        self.scopes.choices = [(scope, SCOPES[scope][1]) for scope in self.allowed_scopes]
        if self.scopes.data is None and len(self.allowed_scopes) == 1:  # nothing posted: the only choice
            self.scopes.data = list(self.allowed_scopes)

    def validate_scopes(self, field) -> None:
        chosen = field.data or []
        if not chosen:
            raise ValidationError(_l("Choose at least one thing the token may do."))
        for scope in chosen:
            if scope in SCOPES and scope not in self.allowed_scopes:
                raise ValidationError(_l("Your account cannot give a token this permission: %(scope)s.",
                                         scope=SCOPES[scope][1]))
            if scope not in SCOPES:
                raise ValidationError(_l("Choose what the token may do from the list."))

    @property
    def days(self) -> int | None:
        return None if self.expiry.data == NEVER else int(self.expiry.data)

"""Forms of the roster: decide a request, record completion."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.platform.forms import PlainText, strip

NOTE_MAX = 500  # Enrolment.note


class DecisionForm(FlaskForm):
    """Approve or decline; the note (sent to the learner when declining) is optional."""

    note = TextAreaField(_l("Note to the learner (optional)"), filters=[strip],
                         validators=[Length(max=NOTE_MAX), PlainText(multiline=True)])


class OutcomeForm(FlaskForm):
    completed = RadioField(_l("Outcome"), choices=[("1", _l("Completed")), ("0", _l("Did not complete"))],
                           validators=[InputRequired(_l("Choose completed or did not complete."))])
    # For the whole session: also change learners already marked (otherwise only the unmarked).
    all = BooleanField(_l("Also change learners already marked"), false_values=("", "0", "false", "n"))

    @property
    def is_completed(self) -> bool:
        return self.completed.data == "1"

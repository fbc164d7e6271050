"""Staff forms: the reviewer's comment on a course (required to send it back), and the hidden fields of the
buttons on a person's page in the accounts screen."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from app.platform.forms import PlainText, strip


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment for the provider"),
                            description=_l("Required to send the course back: say what to change."),
                            validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
                            filters=[strip])


class RoleForm(FlaskForm):  # hidden fields of the buttons on a person's page
    role = StringField(validators=[InputRequired(), AnyOf(("staff", "admin"))])
    grant = StringField(validators=[InputRequired(), AnyOf(("1", "0"))])


class StatusForm(FlaskForm):
    action = StringField(validators=[InputRequired(), AnyOf(("disable", "enable"))])

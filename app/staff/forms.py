"""The reviewer's comment on a course (required to send it back; checked by the service)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from app.platform.forms import PlainText, strip


class ReviewForm(FlaskForm):
    comment = TextAreaField(_l("Comment for the provider"),
                            description=_l("Required to send the course back: say what to change."),
                            validators=[Optional(), Length(max=2000), PlainText(multiline=True)],
                            filters=[strip])

"""Form fields, filters and validators every feature's forms share."""
from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.validators import ValidationError


class PlainText:
    """Refuse NUL and other control characters (tabs and newlines only where multi-line text is
    allowed); everything printable, emoji and any script included, is welcome."""

    def __init__(self, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        value = field.data
        if not isinstance(value, str):
            return
        allowed = "\n\r\t" if self.multiline else ""
        for ch in value:
            if ch not in allowed and unicodedata.category(ch) in ("Cc", "Cs"):
                raise ValidationError(_l("This field contains a character that cannot be used."))


def strip(value):
    return value.strip() if isinstance(value, str) else value


def email_text(value):
    """An address as typed on a Japanese keyboard (ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ) read as the plain one."""
    return unicodedata.normalize("NFKC", value).strip() if isinstance(value, str) else value


def blank_to_none(value):
    return value or None


def digits(value: str) -> str:
    """Full-width digits and points (１２００．５０) read as their ASCII forms; spaces dropped."""
    return unicodedata.normalize("NFKC", value or "").strip().replace(" ", "")


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes (rendered by the template); an unknown value is refused."""
